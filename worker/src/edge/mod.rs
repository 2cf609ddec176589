//! The runtime glue (wasm32 only): the fetch handler and what needs the
//! Workers runtime — fetch with a timeout, the Cache API, the sockets API,
//! per-isolate state. Every decision is taken by `gatewise-core` or by the
//! pure modules of this crate.

mod collector;
mod drill;
mod endpoints;
mod incidents;
mod js;
mod proxy;
mod recheck;
mod robot;
mod shared;
mod state;
mod store;

use std::sync::Once;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use worker::{event, Context, Env};

use crate::route::{route, split_url, Route};

static PANIC_HOOK: Once = Once::new();

/// Chains `console_error_panic_hook` before workers-rs's own hook, which
/// marks the instance as failed so that the next request gets a fresh one.
fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            console_error_panic_hook::hook(info);
            previous(info);
        }));
    });
}

#[event(fetch)]
async fn fetch(req: web_sys::Request, env: Env, ctx: Context) -> worker::Result<web_sys::Response> {
    install_panic_hook();
    answered(handle(req, &env, &ctx, None).await)
}

/// A handler's result as the response to send: an internal error becomes
/// the worker's own 500 answer (and a log line), never the runtime's.
fn answered(result: Result<web_sys::Response, JsValue>) -> worker::Result<web_sys::Response> {
    match result {
        Ok(r) => Ok(r),
        Err(e) => {
            worker::console_error!("gatewise: internal error: {:?}", e);
            endpoints::internal_error().map_err(|e| worker::Error::JsError(format!("{e:?}")))
        }
    }
}

// The happy path without a Rust future (worker/js/entry.mjs strings these together):
// `startForward` sends the first attempt of a GET/HEAD and returns the fetch's promise (or
// undefined: use `fetch`); on the origin's answer `finishForward` returns it (or undefined: a
// gateway failure); anything else goes on in `continueForward`, the full path of `fetch`.

/// See [`proxy::start`]. `t0`: the entry's clock reading (ms).
#[wasm_bindgen(js_name = startForward)]
pub fn start_forward(req: &web_sys::Request, env: &Env, t0: f64) -> Option<js_sys::Promise> {
    install_panic_hook();
    let config = state::config(env).ok()?;
    proxy::start(req, &config, t0 as u64)
}

/// See [`proxy::finish_start`]; `status`, `cache_control` and `now` (ms) as
/// the entry read them of `resp`.
#[wasm_bindgen(js_name = finishForward)]
#[allow(clippy::too_many_arguments)]
pub fn finish_forward(
    req: &web_sys::Request,
    env: &Env,
    ctx: worker::worker_sys::Context,
    resp: web_sys::Response,
    status: u16,
    cache_control: Option<String>,
    now: f64,
) -> Option<web_sys::Response> {
    let config = state::config(env).ok()?;
    let answered = proxy::Answered {
        status,
        cache_control,
        now: now as u64,
    };
    proxy::finish_start(req, resp, answered, &config, &Context::new(ctx)).ok()
}

/// The full path after a first attempt that `startForward` made: the
/// origin's gateway-failure `response`, or the `error` its fetch rejected with.
#[wasm_bindgen(js_name = continueForward)]
pub fn continue_forward(
    req: web_sys::Request,
    env: Env,
    ctx: worker::worker_sys::Context,
    response: Option<web_sys::Response>,
    error: JsValue,
    t0: f64,
) -> js_sys::Promise {
    let first = match response {
        Some(r) => proxy::Outcome::Response(r),
        None => proxy::Outcome::rejected(&error),
    };
    wasm_bindgen_futures::future_to_promise(async move {
        let ctx = Context::new(ctx);
        let first = Some((first, t0 as u64));
        answered(handle(req, &env, &ctx, first).await)
            .map(JsValue::from)
            .map_err(|e| JsValue::from_str(&e.to_string()))
    })
}

/// Routes and answers a request; `first`: a first attempt already made by
/// `startForward`, with the clock reading it started at.
async fn handle(
    req: web_sys::Request,
    env: &Env,
    ctx: &Context,
    first: Option<(proxy::Outcome, u64)>,
) -> Result<web_sys::Response, JsValue> {
    let config = match state::config(env) {
        Ok(c) => c,
        Err(e) => {
            // `health` says what is wrong, as JSON, never with the configuration-error page.
            let url = req.url();
            if endpoints::is_health(&split_url(&url), env) {
                return endpoints::health_misconfigured(&e);
            }
            return endpoints::config_error(&req, &e);
        }
    };
    shared::bind(env, &config);
    let (first, t0) = match first {
        Some((o, t0)) => (Some(o), t0),
        None => (None, state::now_ms()),
    };
    let Some(facts) = js::request_facts(&req) else {
        return Err(JsValue::from_str("the request's facts could not be read"));
    };
    let parts = split_url(&facts.url);
    match route(parts.path, &config.reserved_prefix) {
        Route::Proxy => {
            // ORIGIN_URL empty on a host with no zone origin behind it (workers.dev).
            if let Err(e) = config.origin_for(parts) {
                return endpoints::config_error(&req, &e);
            }
            proxy::forward(req, &facts, &config, parts, ctx, t0, first).await
        }
        Route::Health => endpoints::health(&req, &config),
        Route::OriginStatus => endpoints::origin_status(&req, &config, parts).await,
        Route::Recheck => recheck::endpoint(req, &config).await,
        Route::Incidents => incidents::endpoint(&req, &config, parts).await,
        Route::ToPrefix => endpoints::to_prefix(&config),
        Route::Reports => collector::endpoint(req, &config, parts, ctx).await,
        Route::SelfTestCrash => endpoints::self_test_crash(&req, &config),
        Route::Asset(path) => endpoints::asset(env, path).await,
        Route::NotFound => endpoints::not_found(&req, &config),
    }
}
