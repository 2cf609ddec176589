//! The worker's own endpoints under the reserved prefix, and the answers it
//! gives when it cannot work at all (bad configuration, internal error).

use std::time::Duration;

use futures_util::future::{select, Either};
use gatewise_core::classify::{self, ResponseView};
use gatewise_core::{Confidence, Diagnosis, ErrorType, Layer};
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use worker::{Delay, Env};

use super::js::{self, header};
use super::proxy::{request_id, viewer_of};
use super::state;
use crate::answer::{self, Viewer};
use crate::config::{Config, ConfigError};
use crate::headers::{ASSET_HEADERS, SECURITY_HEADERS};
use crate::route::UrlParts;

/// The longest an origin-status probe waits for headers, in ms.
const PROBE_TIMEOUT_MS: u32 = 5_000;

fn json_response(status: u16, value: &serde_json::Value) -> Result<web_sys::Response, JsValue> {
    let mut headers: Vec<(&str, String)> = vec![("content-type", "application/json".into())];
    headers.extend(SECURITY_HEADERS.iter().map(|(n, v)| (*n, (*v).to_owned())));
    js::response(status, &headers, Some(&value.to_string()))
}

/// `health`: the worker's own state; no origin request, no origin name.
/// Without the debug token only `{"status":"ok"}` (the error page's live check reads nothing but
/// the status code); the owner also gets the version, the breaker's state and the shared object's.
pub fn health(req: &web_sys::Request, config: &Config) -> Result<web_sys::Response, JsValue> {
    if !viewer_of(req, config).owner {
        return json_response(200, &json!({ "status": "ok" }));
    }
    let (calls, failed) = super::shared::calls();
    json_response(
        200,
        &json!({
            "status": "ok",
            "worker": "gatewise",
            "version": env!("CARGO_PKG_VERSION"),
            "config": "ok",
            "breaker": state::breaker_state().name(),
            "pathsOpen": state::paths().0,
            "shared": {"bound": super::shared::is_bound(), "calls": calls, "failedCalls": failed},
        }),
    )
}

/// Whether `parts` is the `health` endpoint under the configured prefix, or
/// under the default one when `RESERVED_PREFIX` itself cannot be read.
pub fn is_health(parts: &UrlParts<'_>, env: &Env) -> bool {
    let configured = env
        .var("RESERVED_PREFIX")
        .ok()
        .map(|v| v.to_string())
        .filter(|v| !v.trim().is_empty());
    let default = crate::config::VARS
        .iter()
        .find(|v| v.name == "RESERVED_PREFIX")
        .map_or("/__gatewise/", |v| v.default);
    [configured.as_deref().unwrap_or(default), default]
        .iter()
        .any(|p| {
            crate::route::route(parts.path, &format!("{}/", p.trim().trim_end_matches('/')))
                == crate::route::Route::Health
        })
}

/// `health` when the configuration cannot be used: 503, JSON naming the
/// variable and what is wrong with it (never its value).
pub fn health_misconfigured(e: &ConfigError) -> Result<web_sys::Response, JsValue> {
    json_response(
        503,
        &json!({
            "status": "misconfigured",
            "config": {"var": e.var, "problem": e.problem},
        }),
    )
}

/// The prefix without its `/`: a redirect to the prefix, where the explainer is.
pub fn to_prefix(config: &Config) -> Result<web_sys::Response, JsValue> {
    let mut headers: Vec<(&str, String)> = vec![("location", config.reserved_prefix.clone())];
    headers.extend(SECURITY_HEADERS.iter().map(|(n, v)| (*n, (*v).to_owned())));
    js::response(308, &headers, None)
}

/// `origin-status`: one probe of the origin (the configured one, or with
/// `ORIGIN_URL` empty the zone's own for this host; never a URL from the
/// request), at most once per `ORIGIN_STATUS_INTERVAL_MS` per isolate; in
/// between, the last result is answered again.
pub async fn origin_status(
    req: &web_sys::Request,
    config: &Config,
    parts: UrlParts<'_>,
) -> Result<web_sys::Response, JsValue> {
    let owner = viewer_of(req, config).owner;
    let origin = match config.origin_for(parts) {
        Ok(o) => o,
        Err(e) => {
            return json_response(503, &json!({"state": "unknown", "config": {"var": e.var}}))
        }
    };
    // The last probe is reused only for the same origin (hosts differ with ORIGIN_URL empty).
    let recent = state::recent_origin_status(config.origin_status_interval_ms).filter(|c| {
        serde_json::from_str::<serde_json::Value>(&c.1)
            .ok()
            .is_some_and(|v| v.get("origin") == Some(&json!(origin.base)))
    });
    if let Some(cached) = recent {
        let text = if owner { &cached.1 } else { &cached.0 };
        let mut v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        if let Some(o) = v.as_object_mut().filter(|_| owner) {
            o.insert("cached".into(), json!(true));
        }
        return json_response(200, &v);
    }
    // Claim the slot before probing, so that concurrent requests do not all probe.
    state::store_origin_status(
        json!({"state": "probing"}).to_string(),
        json!({"state": "probing", "origin": origin.base}).to_string(),
    );
    let t = state::now_ms();
    let init = web_sys::RequestInit::new();
    init.set_method("HEAD");
    init.set_redirect(web_sys::RequestRedirect::Manual);
    let controller = web_sys::AbortController::new()?;
    init.set_signal(Some(&controller.signal()));
    let timeout = config.timeout_ms.clamp(1, PROBE_TIMEOUT_MS);
    let fetched =
        JsFuture::from(js::global().fetch_with_str_and_init(&format!("{}/", origin.base), &init));
    let delay = Box::pin(Delay::from(Duration::from_millis(u64::from(timeout))));
    let result = match select(fetched, delay).await {
        Either::Left((r, _)) => Some(r),
        Either::Right(_) => {
            controller.abort();
            None
        }
    };
    let ms = state::now_ms().saturating_sub(t);
    let (state_name, status, d) = match result {
        None => (
            "unreachable",
            None,
            Diagnosis::for_type(ErrorType::HttpResponseTimeout, Layer::Gatewise),
        ),
        Some(Err(e)) => (
            "unreachable",
            None,
            classify::transport(&js::transport_error(&e)),
        ),
        Some(Ok(v)) => {
            let r: web_sys::Response = v.unchecked_into();
            let s = r.status();
            let rh = js::all_headers(&r.headers());
            let refs: Vec<(&str, &str)> =
                rh.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let d = classify::response(&ResponseView {
                status: s,
                headers: &refs,
                body: b"",
            });
            // A 5xx is never "reachable", classified or not (a bare 502 is a failing origin).
            (if s < 500 { "reachable" } else { "failing" }, Some(s), d)
        }
    };
    let checked = String::from(js_sys::Date::new_0().to_utc_string());
    let make = |d: &Diagnosis| {
        json!({"state": state_name, "status": status, "ms": ms, "checkedAt": checked,
               "diagnosis": if state_name == "reachable" { serde_json::Value::Null } else { serde_json::to_value(d).unwrap_or_default() }})
    };
    // Without the token: only what the error page's script reads (the state and the type).
    let public = json!({
        "state": state_name,
        "diagnosis": if state_name == "reachable" { serde_json::Value::Null }
            else { json!({"errorType": d.error_type.map(|t| t.name())}) },
    });
    let mut full = make(&d);
    if let Some(o) = full.as_object_mut() {
        o.insert("origin".into(), json!(origin.base));
    }
    state::store_origin_status(public.to_string(), full.to_string());
    json_response(200, if owner { &full } else { &public })
}

/// A file of the browser page from the static assets binding `ASSETS`
/// (`www/dist`), with [`ASSET_HEADERS`] (a CSP without inline script,
/// `nosniff`, no referrer); a clean 404 when the binding or the file is missing.
pub async fn asset(env: &Env, path: &str) -> Result<web_sys::Response, JsValue> {
    if let Ok(assets) = env.assets("ASSETS") {
        let url = format!("https://assets.invalid/{path}");
        if let Ok(resp) = assets.fetch(url, None).await {
            let raw: web_sys::Response = resp.into();
            if raw.status() == 200 {
                let h = web_sys::Headers::new_with_headers(&raw.headers())?;
                for (n, v) in ASSET_HEADERS {
                    h.set(n, v)?;
                }
                let init = web_sys::ResponseInit::new();
                init.set_status(200);
                init.set_headers(&h);
                return web_sys::Response::new_with_opt_readable_stream_and_init(
                    raw.body().as_ref(),
                    &init,
                );
            }
        }
    }
    json_response(404, &json!({"error": "not found", "path": path}))
}

/// Under the prefix, nothing there.
/// The owner's crash-recovery check: with the debug token, a deliberate
/// panic — the Wasm instance aborts, this request gets the runtime's error,
/// and the next request starts on a fresh instance (worker/js/entry.mjs;
/// tests/worker/recovery.test.mjs). Without it, the same 404 as any unknown
/// path under the prefix.
pub fn self_test_crash(
    req: &web_sys::Request,
    config: &Config,
) -> Result<web_sys::Response, JsValue> {
    if !viewer_of(req, config).owner {
        return not_found(req, config);
    }
    #[allow(clippy::panic)] // the one deliberate panic: what this endpoint is for
    {
        panic!("gatewise: crash requested by the owner (selftest/crash)");
    }
}

pub fn not_found(req: &web_sys::Request, config: &Config) -> Result<web_sys::Response, JsValue> {
    let _ = (req, config);
    json_response(404, &json!({"error": "not found"}))
}

/// The configuration cannot be used: a `proxy_configuration_error` page
/// (500); the owner sees which variable is wrong.
pub fn config_error(req: &web_sys::Request, e: &ConfigError) -> Result<web_sys::Response, JsValue> {
    let mut d = Diagnosis::for_type(ErrorType::ProxyConfigurationError, Layer::Gatewise)
        .with_confidence(Confidence::High);
    d.detail = Some(e.to_string());
    let h = req.headers();
    // Without a configuration there is no token to check: only the variable name is shown, in the log.
    let viewer = Viewer {
        format: gatewise_core::render::negotiate::format(
            header(&h, "accept").as_deref(),
            header(&h, "user-agent").as_deref(),
        ),
        lang: gatewise_core::render::negotiate::language(header(&h, "accept-language").as_deref()),
        owner: false,
    };
    let id = request_id(req);
    worker::console_log!(
        "{}",
        crate::log::to_line(
            "gatewise.config_error",
            &json!({"requestId": id, "var": e.var, "problem": e.problem})
        )
    );
    let x = answer::Extras {
        request_id: Some(id),
        proxy_name: "gatewise".into(),
        ..Default::default()
    };
    js::answer(&answer::failure(&d, &viewer, &x))
}

/// Something in the worker itself failed: a plain 500 with the usual headers.
pub fn internal_error() -> Result<web_sys::Response, JsValue> {
    let d = Diagnosis::for_type(ErrorType::ProxyInternalError, Layer::Gatewise);
    let viewer = Viewer {
        format: gatewise_core::render::negotiate::Format::Text,
        lang: gatewise_core::Lang::EN,
        owner: false,
    };
    js::answer(&answer::failure(&d, &viewer, &answer::Extras::default()))
}
