//! The runtime glue (wasm32 only): the fetch handler and what needs the
//! Workers runtime — fetch with a timeout, the Cache API, the sockets API,
//! per-isolate state. Every decision is taken by `gatewise-core` or by the
//! pure modules of this crate.

mod drill;
mod endpoints;
mod js;
mod proxy;
mod state;

use std::sync::Once;

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
    match handle(req, &env, &ctx).await {
        Ok(r) => Ok(r),
        Err(e) => {
            worker::console_error!("gatewise: internal error: {:?}", e);
            endpoints::internal_error().map_err(|e| worker::Error::JsError(format!("{e:?}")))
        }
    }
}

async fn handle(
    req: web_sys::Request,
    env: &Env,
    ctx: &Context,
) -> Result<web_sys::Response, JsValue> {
    let config = match state::config(env) {
        Ok(c) => c,
        Err(e) => return endpoints::config_error(&req, &e),
    };
    let t0 = state::now_ms();
    let Some(facts) = js::request_facts(&req) else {
        return Err(JsValue::from_str("the request's facts could not be read"));
    };
    let parts = split_url(&facts.url);
    match route(parts.path, &config.reserved_prefix) {
        Route::Proxy => proxy::forward(req, &facts, &config, parts, ctx, t0).await,
        Route::Health => endpoints::health(&config),
        Route::OriginStatus => endpoints::origin_status(&req, &config).await,
        Route::Reports => endpoints::reports(req, &config).await,
        Route::SelfTestCrash => endpoints::self_test_crash(&req, &config),
        Route::Asset(path) => endpoints::asset(env, path).await,
        Route::NotFound => endpoints::not_found(&req, &config),
    }
}
