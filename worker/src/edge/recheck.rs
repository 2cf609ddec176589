//! The re-check endpoint (`RESERVED_PREFIX` + `recheck?t=…`): repeats the
//! request an error page failed on — the method, path and query its token
//! names ([`crate::recheck`]), on the origin, with no body — and answers with
//! the core's diagnosis as JSON, so that the page's live checks say "works
//! again" (and reload) only when that very address answers below 500.
//!
//! What it never does: fetch a URL, host, scheme, method or body the asker
//! chooses (the token fixes the method and path, the configuration the
//! origin); more than [`recheck::BURST`] origin requests at once per isolate
//! ([`recheck::Limiter`]; a result is reused for [`recheck::CACHE_MS`]); an
//! origin request while the circuit breaker is open; show the origin's name,
//! address or error text without the owner's debug token.

use gatewise_core::classify::{self, ResponseView};
use gatewise_core::{cdn_loop, Diagnosis};
use serde_json::json;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::js::{self, header};
use super::proxy::viewer_of;
use super::state;
use crate::answer;
use crate::config::Config;
use crate::headers::{self as policy, SECURITY_HEADERS};
use crate::recheck::{self, Key, Limiter, State, Target};
use crate::route::{route, split_url, Route};

/// How much of a failing answer's body is read to tell who wrote it.
const PAGE_PREFIX: usize = 16 * 1024;

/// A re-check's answer: the public JSON and the owner's.
type Answers = Rc<(String, String)>;

/// One isolate's re-check state: the MAC key, the rate limit, recent results.
struct Recheck {
    key: Key,
    limiter: Limiter,
    /// (what was repeated, until when it is reused, its answers).
    recent: Vec<(String, u64, Answers)>,
}

thread_local! {
    static RECHECK: RefCell<Option<Recheck>> = const { RefCell::new(None) };
}

/// 32 random bytes from the runtime's CSPRNG (an isolate without a secret).
fn random_key() -> Key {
    let mut bytes = [0u8; 32];
    let filled = js::global()
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).map(|_| ()))
        .is_ok();
    if !filled {
        // No CSPRNG: a key nobody can know still, since it never leaves the isolate.
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (state::next_u64() >> (i % 8 * 8)) as u8;
        }
    }
    Key::from_bytes(bytes)
}

fn with<R>(config: &Config, f: impl FnOnce(&mut Recheck) -> R) -> R {
    RECHECK.with(|cell| {
        let mut slot = cell.borrow_mut();
        let r = slot.get_or_insert_with(|| Recheck {
            key: match &config.debug_token {
                Some(secret) => Key::derive(secret.as_bytes()),
                None => random_key(),
            },
            limiter: Limiter::new(state::now_ms()),
            recent: Vec::new(),
        });
        f(r)
    })
}

/// The re-check URL an error page for `req` carries (`None`: not GET or
/// HEAD, a path too long, or no origin to repeat it on).
pub fn page_for(req: &web_sys::Request, config: &Config) -> Option<String> {
    let url = req.url();
    let parts = split_url(&url);
    config.target(parts)?;
    let now_s = state::now_ms() / 1000;
    let token = with(config, |r| {
        recheck::mint(
            &r.key,
            &req.method(),
            parts.host,
            parts.path_and_query,
            now_s,
        )
    })?;
    Some(recheck::page_url(&config.reserved_prefix, &token))
}

fn json_response(
    status: u16,
    value: &serde_json::Value,
    extra: &[(&str, String)],
) -> Result<web_sys::Response, JsValue> {
    let mut headers: Vec<(&str, String)> = vec![("content-type", "application/json".into())];
    headers.extend(SECURITY_HEADERS.iter().map(|(n, v)| (*n, (*v).to_owned())));
    headers.extend(extra.iter().cloned());
    js::response(status, &headers, Some(&value.to_string()))
}

fn refused(status: u16, why: &str) -> Result<web_sys::Response, JsValue> {
    let allow = if status == 405 {
        vec![("allow", "GET".to_owned())]
    } else {
        Vec::new()
    };
    json_response(status, &json!({"state": "refused", "why": why}), &allow)
}

/// `recheck`: see the module documentation.
pub async fn endpoint(
    req: web_sys::Request,
    config: &Config,
) -> Result<web_sys::Response, JsValue> {
    if req.method() != "GET" {
        return refused(405, "method");
    }
    let h = req.headers();
    let has_body = header(&h, "content-length").is_some_and(|v| v.trim() != "0")
        || header(&h, "transfer-encoding").is_some()
        || req.body().is_some();
    if has_body {
        return refused(400, "body");
    }
    let Some(facts) = js::request_facts(&req) else {
        return refused(400, "request");
    };
    let parts = split_url(&facts.url);
    let Some(token) = recheck::token_of(parts.path_and_query) else {
        return refused(400, "no_token");
    };
    let now = state::now_ms();
    let verified = with(config, |r| {
        recheck::verify(&r.key, token, parts.host, now / 1000)
    });
    let target = match verified {
        Ok(t) => t,
        Err(e) => return refused(403, e.name()),
    };
    let target_parts = split_url(&target.path_and_query);
    if route(target_parts.path, &config.reserved_prefix) != Route::Proxy {
        return refused(403, "reserved");
    }
    let owner = viewer_of(&req, config).owner;
    let cache_key = format!(
        "{} {}{}",
        target.method.name(),
        parts.host,
        target.path_and_query
    );
    if let Some(hit) = cached(config, &cache_key, now) {
        return answer_of(&hit, owner, true);
    }
    // A request that names this worker in CDN-Loop came back to it: never repeat it.
    let looped = facts
        .cdn_loop()
        .is_some_and(|v| cdn_loop::contains(v, &config.cdn_loop_id));
    let origin = match config.origin_for(parts) {
        Ok(o) => o,
        Err(e) => return refused(503, e.var),
    };
    let url = format!("{}{}", origin.base, target.path_and_query);
    let found = if looped {
        Found::no_fetch(State::Failing, cdn_loop::loop_detected())
    } else if let Some(rejection) = state::stopped(&target.path_and_query, now) {
        // A breaker is open (the origin's, or this path's): the proxy answers without the
        // origin; so does the re-check.
        Found::no_fetch(State::Failing, rejection.diagnosis())
    } else {
        if !with(config, |r| r.limiter.take(now)) {
            let secs = with(config, |r| r.limiter.retry_after_s(now));
            return json_response(
                429,
                &json!({"state": "limited", "retryAfter": secs}),
                &[("retry-after", secs.to_string())],
            );
        }
        repeat(&req, &facts, parts, config, &target, &url).await
    };
    let ms = state::now_ms().saturating_sub(now);
    let checked = String::from(js_sys::Date::new_0().to_utc_string());
    let make = |d: &Diagnosis| {
        json!({
            "state": found.state.name(),
            "method": target.method.name(),
            "status": found.status,
            "ms": ms,
            "checkedAt": checked,
            "diagnosis": if found.state == State::Answers { serde_json::Value::Null } else { serde_json::to_value(d).unwrap_or_default() },
        })
    };
    let public = make(&answer::redact(&found.diagnosis));
    let mut full = make(&found.diagnosis);
    if let Some(o) = full.as_object_mut() {
        o.insert("target".into(), json!(url));
    }
    let pair = Rc::new((public.to_string(), full.to_string()));
    store(config, cache_key, now, pair.clone());
    answer_of(&pair, owner, false)
}

/// What one repetition found.
struct Found {
    state: State,
    status: Option<u16>,
    diagnosis: Diagnosis,
}

impl Found {
    fn no_fetch(state: State, diagnosis: Diagnosis) -> Self {
        let status = Some(diagnosis.status);
        Found {
            state,
            status,
            diagnosis,
        }
    }
}

/// The request again: the token's method, the asker's headers with the
/// proxy's edits (no debug token; forwarding and loop headers added), no
/// body, redirects not followed, within [`recheck::TIMEOUT_MS`].
async fn repeat(
    req: &web_sys::Request,
    facts: &crate::headers::RequestFacts,
    parts: crate::route::UrlParts<'_>,
    config: &Config,
    target: &Target,
    url: &str,
) -> Found {
    let edits = policy::encode_edits(&policy::forward_edits(
        facts,
        parts,
        config.debug_token.is_some(),
        &config.cdn_loop_id,
    ));
    let init = web_sys::RequestInit::new();
    init.set_method(target.method.name());
    let timeout = match config.timeout_ms {
        0 => recheck::TIMEOUT_MS,
        t => t.min(recheck::TIMEOUT_MS),
    };
    // The time limit ends in forward.js's GatewiseTimeout, a transport error like any other.
    let sent = web_sys::Request::new_with_request_and_init(req, &init)
        .and_then(|r| js::forward(&r, url, &edits, None, timeout));
    let result = match sent {
        Ok(p) => JsFuture::from(p).await,
        Err(e) => Err(e),
    };
    match result.and_then(|v| v.dyn_into::<web_sys::Response>()) {
        Err(e) => Found {
            state: State::Unreachable,
            status: None,
            diagnosis: classify::transport(&js::transport_error(&e)),
        },
        Ok(resp) => {
            let status = resp.status();
            let state = State::of_status(status);
            let body = if state == State::Failing {
                js::read_prefix(resp.body(), PAGE_PREFIX).await
            } else {
                if let Some(b) = resp.body() {
                    let _ = b.cancel();
                }
                Vec::new()
            };
            let rh = js::all_headers(&resp.headers());
            let refs: Vec<(&str, &str)> =
                rh.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let diagnosis = classify::response(&ResponseView {
                status,
                headers: &refs,
                body: &body,
            });
            Found {
                state,
                status: Some(status),
                diagnosis,
            }
        }
    }
}

fn cached(config: &Config, key: &str, now: u64) -> Option<Answers> {
    with(config, |r| {
        r.recent
            .iter()
            .find(|(k, until, _)| k == key && *until > now)
            .map(|(_, _, v)| v.clone())
    })
}

fn store(config: &Config, key: String, now: u64, value: Answers) {
    with(config, |r| {
        r.recent.retain(|(k, until, _)| *k != key && *until > now);
        if r.recent.len() >= recheck::CACHE_ENTRIES {
            r.recent.remove(0);
        }
        r.recent.push((key, now + recheck::CACHE_MS, value));
    });
}

fn answer_of(
    pair: &(String, String),
    owner: bool,
    cached: bool,
) -> Result<web_sys::Response, JsValue> {
    let text = if owner { &pair.1 } else { &pair.0 };
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    if cached {
        if let Some(o) = v.as_object_mut() {
            o.insert("cached".into(), json!(true));
        }
    }
    json_response(200, &v, &[])
}
