//! Forwarding a request to the origin, and everything that happens when
//! that fails: retries (the core's policy), the circuit breaker (the core's
//! breaker), the drill-through, serve-stale, the answer and the log line.

use std::rc::Rc;

use gatewise_core::classify::{self, ResponseView, TransportError};
use gatewise_core::drill::{self, Step};
use gatewise_core::incidents::{Incident, Served};
use gatewise_core::policy::{Admission, RetryDecision};
use gatewise_core::{
    cdn_loop, stale, Confidence, Diagnosis, ErrorType, Evidence, EvidenceSource, Layer, Reached,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use worker::{Context, Delay};

use super::js::{self, header};
use super::{drill as drill_rt, state};
use crate::answer::{self, Extras, Viewer};
use crate::config::{Config, InterceptMode};
use crate::headers::{self as policy, RequestFacts, DEBUG_HEADER, REQUEST_ID_HEADER, STALE_HEADER};
use crate::log::FailureLog;
use crate::route::UrlParts;

/// How much of an origin error page is read to recognise who wrote it.
const PAGE_PREFIX: usize = 16 * 1024;
/// The largest stale HTML copy that gets a visible notice (larger ones are served as they are).
const MAX_NOTICE_BODY: usize = 2 * 1024 * 1024;
/// Headers the worker adds to a stored copy, removed when serving it.
const STORED_AT: &str = "x-gatewise-stored-at";
const STORED_FRESH: &str = "x-gatewise-fresh";
const STORED_SIE: &str = "x-gatewise-stale-if-error";

/// The request body, as the attempts may send it.
enum Body {
    None,
    /// Buffered: every attempt sends it again.
    Replayable(js_sys::Uint8Array),
    /// Streamed: only the first attempt can send it.
    Stream(web_sys::ReadableStream),
}

/// What one attempt ended with.
pub enum Outcome {
    Response(web_sys::Response),
    Thrown(TransportError),
}

/// Statuses that say a gateway on the origin's side failed, so that the
/// breaker counts them and idempotent requests may be retried (the core's
/// classification then decides the type).
fn gateway_status(status: u16) -> bool {
    matches!(status, 502..=504 | 520..=527 | 530)
}

/// The happy path's first step, synchronous (`worker/js/entry.mjs` calls it
/// before anything else): for a GET or HEAD to the origin that the breaker
/// admits, the origin fetch with its header edits and time limit — one call
/// into JS — returned as a promise, with no Rust future, no closure and no
/// microtask of our own. `None`: this request takes [`forward`] (the worker's
/// endpoints, bodies, a loop, an open breaker, an unusable configuration).
pub fn start(req: &web_sys::Request, config: &Config, t0: u64) -> Option<js_sys::Promise> {
    let facts = js::request_facts(req)?;
    if facts.method != "GET" && facts.method != "HEAD" {
        return None;
    }
    let parts = crate::route::split_url(&facts.url);
    if crate::route::route(parts.path, &config.reserved_prefix) != crate::route::Route::Proxy
        || facts
            .cdn_loop()
            .is_some_and(|v| cdn_loop::contains(v, &config.cdn_loop_id))
    {
        return None;
    }
    // A breaker that is not closed is `forward`'s: it may need the shared object (a probe's lease).
    if !state::admits_plainly(t0) {
        return None;
    }
    state::deposit(t0);
    let target = config.target(parts)?;
    let edits = forward_edits(&facts, parts, config);
    js::forward(req, &target, &edits, None, config.timeout_ms).ok()
}

/// What the entry read of the origin's answer before calling back in (cheaper
/// in JS than one call out of Wasm each): its status, its Cache-Control, the clock.
pub struct Answered {
    /// The response's status.
    pub status: u16,
    /// Its `Cache-Control`, if any.
    pub cache_control: Option<String>,
    /// When it arrived (ms).
    pub now: u64,
}

/// The happy path's end, synchronous: the origin answered with `resp` and it
/// is not a gateway failure — recorded with the breaker, kept for serving
/// stale when storable, returned. `Err(resp)`: a gateway status, for
/// [`forward`] to continue with (retries, the informative answer).
pub fn finish_start(
    req: &web_sys::Request,
    resp: web_sys::Response,
    answered: Answered,
    config: &Config,
    ctx: &Context,
) -> Result<web_sys::Response, web_sys::Response> {
    let Answered {
        status,
        cache_control,
        now,
    } = answered;
    if gateway_status(status) {
        return Err(resp);
    }
    state::record(true, now);
    // Only explicitly cacheable responses are kept (the request's facts are read again only for
    // a response worth storing).
    if config.stale_if_error > 0 && stale::STORABLE_STATUSES.contains(&status) {
        if let Some(cache_control) = cache_control {
            if let Some(facts) = js::request_facts(req).filter(|f| f.method == "GET") {
                let parts = crate::route::split_url(&facts.url);
                keep_for_stale(&facts, &resp, &cache_control, config, ctx, parts, now);
            }
        }
    }
    Ok(decorate_or_keep(resp, config))
}

/// The forwarded headers' edits: as received, minus the debug token, plus
/// forwarding and loop headers (crate::headers::forward_edits), encoded.
fn forward_edits(facts: &RequestFacts, parts: UrlParts<'_>, config: &Config) -> String {
    policy::encode_edits(&policy::forward_edits(
        facts,
        parts,
        config.debug_token.is_some(),
        &config.cdn_loop_id,
    ))
}

/// Forwards the request to the origin: attempts with the core's retry
/// policy and breaker, then the origin's answer, a stale copy or the
/// informative answer. `first`: the outcome of a first attempt [`start`]
/// already made (it also did the breaker's admission and the budget's
/// deposit for it).
#[allow(clippy::too_many_arguments)]
pub async fn forward(
    req: web_sys::Request,
    facts: &RequestFacts,
    config: &Rc<Config>,
    parts: UrlParts<'_>,
    ctx: &Context,
    t0: u64,
    first: Option<Outcome>,
) -> Result<web_sys::Response, JsValue> {
    let method = facts.method.as_str();
    if facts
        .cdn_loop()
        .is_some_and(|v| cdn_loop::contains(v, &config.cdn_loop_id))
    {
        let d = Diagnosis::for_type(ErrorType::ProxyLoopDetected, Layer::Gatewise)
            .with_confidence(Confidence::High)
            .with_evidence(Evidence::new(
                EvidenceSource::Header,
                "CDN-Loop names this worker",
                Some("rfc8586"),
            ));
        let f = Failure {
            diagnosis: d,
            attempts: 0,
            attempt_ms: Vec::new(),
            drill: None,
            retry_hint: None,
        };
        return finish(&req, ctx, config, parts, method, f, t0).await;
    }

    let edits = forward_edits(facts, parts, config);
    // With ORIGIN_URL empty, a host without a zone origin (workers.dev) was answered before.
    let target = config
        .target(parts)
        .ok_or_else(|| JsValue::from_str("no origin for this host"))?;

    // The origin's shared object (when bound): the breaker's probe lease, a probe's success.
    let object = config
        .origin_for(parts)
        .map(|o| crate::shared::object_name(&o.base))
        .unwrap_or_default();
    let body = body_of(&req, facts, config).await?;
    let mut first = first;
    if first.is_none() {
        state::deposit(t0);
    }
    let mut attempts = 0u32;
    let mut attempt_ms = Vec::new();
    // How far the failed attempts so far can have got: a retry the breaker stops is answered
    // with the breaker's diagnosis, which must not say the request never reached the origin.
    let mut reached = Reached::No;
    let mut now = t0;
    loop {
        attempts += 1;
        let admission = if first.is_some() {
            Admission::Allowed
        } else {
            super::shared::admit(&object, &config.shared, now).await
        };
        if let Admission::Rejected { retry_in } = admission {
            let secs = u32::try_from(retry_in.as_millis().div_ceil(1000))
                .unwrap_or(u32::MAX)
                .max(1);
            let mut d = Diagnosis::for_type(ErrorType::DestinationUnavailable, Layer::Gatewise)
                .with_confidence(Confidence::High)
                .with_evidence(Evidence::new(
                    EvidenceSource::Runtime,
                    "circuit breaker open",
                    Some("breaker.open"),
                ));
            d.retry_after = Some(secs);
            d.reached = d.reached.max(reached);
            let f = Failure {
                diagnosis: d,
                attempts: attempts - 1,
                attempt_ms,
                drill: None,
                retry_hint: Some(secs),
            };
            return finish(&req, ctx, config, parts, method, f, t0).await;
        }
        let sent = match &body {
            Body::None => None,
            Body::Replayable(b) => Some(JsValue::from(b.clone())),
            Body::Stream(s) if attempts == 1 => Some(JsValue::from(s.clone())),
            Body::Stream(_) => None,
        };
        let outcome = match first.take() {
            Some(o) => o,
            None => send(&req, &target, &edits, sent.as_ref(), config.timeout_ms).await,
        };
        let t = now;
        now = state::now_ms();
        attempt_ms.push(now.saturating_sub(t));
        let replayable = !matches!(body, Body::Stream(_));
        match outcome {
            Outcome::Response(resp) if !gateway_status(resp.status()) => {
                state::record(true, now);
                if admission == Admission::Probe {
                    super::shared::report(ctx, &object);
                }
                if method == "GET" && config.stale_if_error > 0 {
                    if let Some(cache_control) = js::response_header(&resp, "cache-control") {
                        keep_for_stale(facts, &resp, &cache_control, config, ctx, parts, now);
                    }
                }
                return Ok(decorate_or_keep(resp, config));
            }
            Outcome::Response(resp) => {
                let status = resp.status();
                let rh = js::all_headers(&resp.headers());
                let refs: Vec<(&str, &str)> =
                    rh.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
                let d = classify::response(&ResponseView {
                    status,
                    headers: &refs,
                    body: b"",
                });
                reached = reached.max(d.reached);
                // A loop (this worker's own answer came back) is the configuration, not the
                // origin failing: it must not open the breaker, whose 503 would hide it.
                state::record(d.error_type == Some(ErrorType::ProxyLoopDetected), now);
                if retry(method, &d, attempts, replayable, config).await {
                    if let Some(b) = resp.body() {
                        let _ = b.cancel();
                    }
                    now = state::now_ms();
                    continue;
                }
                return origin_failure(
                    &req, ctx, config, parts, method, resp, d, attempts, attempt_ms, t0,
                )
                .await;
            }
            Outcome::Thrown(e) => {
                let d = classify::transport(&e);
                reached = reached.max(d.reached);
                state::record(false, now);
                if retry(method, &d, attempts, replayable, config).await {
                    now = state::now_ms();
                    continue;
                }
                let mut f = Failure {
                    diagnosis: d,
                    attempts,
                    attempt_ms,
                    drill: None,
                    retry_hint: None,
                };
                if f.diagnosis.layer == Layer::Workerd
                    && drill::worth_drilling(&f.diagnosis)
                    && config.drill_budget_ms > 0
                {
                    let on_cloudflare = facts_on_cloudflare(&req);
                    if let Some(steps) = drill_rt::run(config, parts, on_cloudflare).await {
                        f.diagnosis = drill::narrow(&f.diagnosis, &steps);
                        f.drill = Some(steps);
                    }
                }
                return finish(&req, ctx, config, parts, method, f, t0).await;
            }
        }
    }
}

/// Reads a small request body into memory (replayable); streams the rest.
async fn body_of(
    req: &web_sys::Request,
    facts: &RequestFacts,
    config: &Config,
) -> Result<Body, JsValue> {
    if facts.method == "GET" || facts.method == "HEAD" {
        return Ok(Body::None);
    }
    let Some(stream) = req.body() else {
        return Ok(Body::None);
    };
    let length = facts
        .header("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    match length {
        Some(n) if n <= u64::from(config.replay_body_limit) => {
            let buf = JsFuture::from(req.array_buffer()?).await?;
            Ok(Body::Replayable(js_sys::Uint8Array::new(&buf)))
        }
        _ => Ok(Body::Stream(stream)),
    }
}

/// One attempt: the fetch with its header edits and time-to-headers limit
/// (one call into JS, `worker/js/forward.js`). A rejection — the runtime's
/// error or our own timeout — becomes the core's transport error.
async fn send(
    req: &web_sys::Request,
    target: &str,
    edits: &str,
    body: Option<&JsValue>,
    timeout_ms: u32,
) -> Outcome {
    let promise = match js::forward(req, target, edits, body, timeout_ms) {
        Ok(p) => p,
        Err(e) => return Outcome::Thrown(js::transport_error(&e)),
    };
    match JsFuture::from(promise).await {
        Ok(v) => match v.dyn_into::<web_sys::Response>() {
            Ok(r) => Outcome::Response(r),
            Err(v) => Outcome::Thrown(js::transport_error(&v)),
        },
        Err(e) => Outcome::Thrown(js::transport_error(&e)),
    }
}

/// Asks the core whether to try again; waits the backoff when it says yes.
async fn retry(
    method: &str,
    d: &Diagnosis,
    attempt: u32,
    replayable: bool,
    config: &Config,
) -> bool {
    let now = state::now_ms();
    let decision = state::with_policy(|rng, budget| {
        config
            .retry
            .decide(method, d, attempt, replayable, rng)
            .charge(budget, now)
    })
    .unwrap_or(RetryDecision::DontRetry(
        gatewise_core::policy::Reason::BudgetExhausted,
    ));
    match decision.after() {
        Some(wait) => {
            if !wait.is_zero() {
                Delay::from(wait).await;
            }
            true
        }
        None => false,
    }
}

/// Adds the NEL headers to a passed-through response when enabled.
fn decorate(resp: web_sys::Response, config: &Config) -> Result<web_sys::Response, JsValue> {
    if !config.nel {
        return Ok(resp);
    }
    let h = web_sys::Headers::new_with_headers(&resp.headers())?;
    for (n, v) in policy::nel_headers(&format!("{}reports", config.reserved_prefix)) {
        h.set(n, &v)?;
    }
    rebuild(&resp, resp.status(), &h)
}

/// [`decorate`], or the response as it is when that fails (a passed-through
/// answer is never lost to a header the runtime refuses).
fn decorate_or_keep(resp: web_sys::Response, config: &Config) -> web_sys::Response {
    if !config.nel {
        return resp;
    }
    match decorate(Clone::clone(&resp), config) {
        Ok(r) => r,
        Err(_) => resp,
    }
}

fn rebuild(
    resp: &web_sys::Response,
    status: u16,
    h: &web_sys::Headers,
) -> Result<web_sys::Response, JsValue> {
    let init = web_sys::ResponseInit::new();
    init.set_status(status);
    init.set_status_text(&resp.status_text());
    init.set_headers(h);
    web_sys::Response::new_with_opt_readable_stream_and_init(resp.body().as_ref(), &init)
}

/// Stores a copy of a storable GET response for serving stale (in the background).
/// `cache_control`: the response's (only explicitly cacheable responses are kept).
fn keep_for_stale(
    facts: &RequestFacts,
    resp: &web_sys::Response,
    cache_control: &str,
    config: &Config,
    ctx: &Context,
    parts: UrlParts<'_>,
    now: u64,
) {
    let status = resp.status();
    if !stale::STORABLE_STATUSES.contains(&status) {
        return;
    }
    let rh = resp.headers();
    let Some(kept) = stale::storable(
        "GET",
        status,
        facts.header("authorization").is_some(),
        Some(cache_control),
        header(&rh, "set-cookie").is_some(),
        header(&rh, "vary").as_deref(),
        config.stale_if_error,
    ) else {
        return;
    };
    if !state::cache_usable(now) {
        return;
    }
    let key = cache_key(parts);
    let interval = (u64::from(kept.fresh_secs) * 1000).max(1000);
    if !state::should_store(&key, interval, now) {
        return;
    }
    let Ok(copy) = resp.clone() else { return };
    let Ok(h) = web_sys::Headers::new_with_headers(&copy.headers()) else {
        return;
    };
    let set = |n: &str, v: &str| h.set(n, v).is_ok();
    let ok = set(
        "cache-control",
        &format!("max-age={}", kept.lifetime_secs().max(1)),
    ) && set(STORED_AT, &now.to_string())
        && set(STORED_FRESH, &kept.fresh_secs.to_string())
        && set(STORED_SIE, &kept.stale_if_error_secs.to_string());
    let Ok(stored) = rebuild(&copy, copy.status(), &h) else {
        return;
    };
    let Some(cache) = default_cache() else { return };
    if !ok {
        return;
    }
    let promise = cache.put_with_str(&key, &stored);
    ctx.wait_until(async move {
        if let Err(e) = JsFuture::from(promise).await {
            cache_failed("put", &e);
        }
    });
}

/// A failed Cache API call: the cache is left alone for a while
/// ([`state::CACHE_PAUSE_MS`]), and that is logged once per pause.
fn cache_failed(call: &str, e: &JsValue) {
    if state::cache_failed(state::now_ms()) {
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map(|x| String::from(x.message()))
            .unwrap_or_else(|| format!("{e:?}"))
            .replace(['\n', '\r'], " ");
        worker::console_warn!(
            "gatewise: cache {} failed ({}): serve-stale paused for {} s",
            call,
            why,
            state::CACHE_PAUSE_MS / 1000
        );
    }
}

/// The public URL, so that the copy is the one visitors of this URL saw.
fn cache_key(parts: UrlParts<'_>) -> String {
    parts.public_url()
}

fn default_cache() -> Option<web_sys::Cache> {
    let caches = js::global().caches().ok()?;
    js_sys::Reflect::get(&caches, &JsValue::from_str("default"))
        .ok()?
        .dyn_into()
        .ok()
}

/// A usable stale copy of this GET, if the cache has one within its window.
async fn stale_copy(parts: UrlParts<'_>) -> Option<(web_sys::Response, u64)> {
    if !state::cache_usable(state::now_ms()) {
        return None;
    }
    let cache = default_cache()?;
    let found = match JsFuture::from(cache.match_with_str(&cache_key(parts))).await {
        Ok(found) => found,
        Err(e) => {
            cache_failed("match", &e);
            return None;
        }
    };
    let resp: web_sys::Response = found.dyn_into().ok()?;
    let h = resp.headers();
    let num = |n: &'static str| header(&h, n).and_then(|v| v.parse::<u64>().ok());
    let at = num(STORED_AT)?;
    let kept = stale::Stored {
        fresh_secs: u32::try_from(num(STORED_FRESH)?).ok()?,
        stale_if_error_secs: u32::try_from(num(STORED_SIE)?).ok()?,
    };
    stale::usable(&kept, at, state::now_ms()).then_some((resp, at))
}

/// The stale copy as served: internal headers removed, marked, and with a
/// visible notice when it is an HTML page.
async fn serve_stale(
    copy: web_sys::Response,
    stored_at: u64,
    d: &Diagnosis,
    viewer: &Viewer,
    config: &Config,
    id: &str,
) -> Result<web_sys::Response, JsValue> {
    let h = web_sys::Headers::new_with_headers(&copy.headers())?;
    for n in [STORED_AT, STORED_FRESH, STORED_SIE] {
        h.delete(n)?;
    }
    h.set(REQUEST_ID_HEADER, id)?;
    let age = state::now_ms().saturating_sub(stored_at) / 1000;
    let kind = d.error_type.map_or("origin_error", |t| t.name());
    h.set(STALE_HEADER, &format!("1; error={kind}; age={age}"))?;
    h.set("cache-control", "private, no-store")?;
    h.set(
        "proxy-status",
        &gatewise_core::proxy_status::header_value(&answer::redact(d), &config.cdn_loop_id),
    )?;
    let is_html =
        header(&h, "content-type").is_some_and(|c| c.to_ascii_lowercase().starts_with("text/html"));
    let small = header(&h, "content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n <= MAX_NOTICE_BODY);
    if is_html && small {
        let text = JsFuture::from(copy.text()?)
            .await?
            .as_string()
            .unwrap_or_default();
        let when = js::local_time(stored_at as f64, viewer.lang.tag());
        let notice = answer::stale_notice(viewer.lang, &when);
        let body = answer::insert_notice(&text, &notice);
        h.delete("content-length")?;
        let init = web_sys::ResponseInit::new();
        init.set_status(copy.status());
        init.set_headers(&h);
        return web_sys::Response::new_with_opt_str_and_init(Some(&body), &init);
    }
    rebuild(&copy, copy.status(), &h)
}

/// A failure on its way to an answer.
struct Failure {
    diagnosis: Diagnosis,
    attempts: u32,
    attempt_ms: Vec<u64>,
    drill: Option<Rc<Vec<Step>>>,
    retry_hint: Option<u32>,
}

/// Whether the request came through Cloudflare's network (it carries `cf-ray`).
fn facts_on_cloudflare(req: &web_sys::Request) -> bool {
    header(&req.headers(), "cf-ray").is_some()
}

/// Who is asking, from the request's headers: format, language, owner token.
pub(crate) fn viewer_of(req: &web_sys::Request, config: &Config) -> Viewer {
    let h = req.headers();
    answer::viewer(
        config,
        header(&h, "accept").as_deref(),
        header(&h, "user-agent").as_deref(),
        header(&h, "accept-language").as_deref(),
        header(&h, DEBUG_HEADER).as_deref(),
        header(&h, "cookie").as_deref(),
    )
}

/// The request id: always the worker's own (a visitor cannot choose the id
/// that the owner's record and log carry); the `cf-ray` is [`ray`]'s.
pub fn request_id(_req: &web_sys::Request) -> String {
    format!("gw-{:016x}", state::next_u64())
}

/// The request's `cf-ray`, when it carries one: a separate field, cut (see [`crate::log`]).
pub fn ray(req: &web_sys::Request) -> Option<String> {
    header(&req.headers(), "cf-ray")
        .map(|r| gatewise_core::incidents::cut(&r, crate::log::MAX_TOKEN).to_owned())
}

/// Where Cloudflare says the request was served and came from (`request.cf.colo`, `.country`).
fn cf_location(req: &web_sys::Request) -> (Option<String>, Option<String>) {
    let cf = js_sys::Reflect::get(req, &JsValue::from_str("cf")).unwrap_or(JsValue::UNDEFINED);
    if !cf.is_object() {
        return (None, None);
    }
    let text = |k: &str| {
        js_sys::Reflect::get(&cf, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
    };
    (text("colo"), text("country"))
}

/// The incident row of an answer the visitor got (`status` as sent), queued
/// for the origin's object (in `ctx.waitUntil`; never awaited here).
#[allow(clippy::too_many_arguments)]
fn record(
    req: &web_sys::Request,
    ctx: &Context,
    config: &Config,
    parts: UrlParts<'_>,
    f: &Failure,
    served: Served,
    status: u16,
    id: &str,
) {
    let Ok(origin) = config.origin_for(parts) else {
        return;
    };
    let (colo, country) = cf_location(req);
    let mut row = Incident::observed(
        &f.diagnosis,
        served,
        parts.path_and_query,
        state::now_ms(),
        id,
    )
    .with_request(f.attempts, ray(req).as_deref())
    .with_location(colo.as_deref(), country.as_deref());
    row.status = status;
    super::shared::record(ctx, &crate::shared::object_name(&origin.base), row);
}

pub fn extras(
    req: &web_sys::Request,
    config: &Config,
    request_id: &str,
    url: Option<String>,
    viewer: &Viewer,
) -> Extras {
    let prefix = &config.reserved_prefix;
    Extras {
        request_id: Some(request_id.to_owned()),
        // The time in the reader's language, by the runtime's Intl: only for the formats that
        // show it (the first Intl.DateTimeFormat of an isolate costs tens of ms; problem JSON
        // has no time member and pays nothing).
        time: (viewer.format != gatewise_core::render::negotiate::Format::ProblemJson)
            .then(|| js::local_time(js_sys::Date::now(), viewer.lang.tag())),
        url,
        site_name: config
            .logo_text
            .clone()
            .or_else(|| config.site_name.clone()),
        contact: config.contact.clone(),
        status_page: config.status_page.clone(),
        checks_script: Some(format!("{prefix}checks.js")),
        checks: Some(gatewise_core::checks::ChecksConfig {
            health: Some(format!("{prefix}health")),
            origin_status: Some(format!("{prefix}origin-status")),
            // The re-check of this very request (GET/HEAD only; a token binds it).
            page: super::recheck::page_for(req, config),
            resolver: Some(config.doh_url.clone()),
            // Reloading re-sends the request: only for methods safe to repeat.
            auto_reload: Some(gatewise_core::policy::retry::is_idempotent(&req.method())),
            ..Default::default()
        }),
        proxy_name: config.cdn_loop_id.clone(),
        retry_after_hint: None,
        owner_facts: Vec::new(),
        explainer: Some(prefix.clone()),
    }
}

/// Serves stale when possible, else the failure page; logs one line either way.
async fn finish(
    req: &web_sys::Request,
    ctx: &Context,
    config: &Config,
    parts: UrlParts<'_>,
    method: &str,
    f: Failure,
    t0: u64,
) -> Result<web_sys::Response, JsValue> {
    let viewer = viewer_of(req, config);
    let id = request_id(req);
    let stale = if method == "GET"
        && config.stale_if_error > 0
        && f.diagnosis.error_type != Some(ErrorType::ProxyLoopDetected)
    {
        stale_copy(parts).await
    } else {
        None
    };
    log(req, &id, method, parts.path, &f, stale.is_some(), t0);
    if let Some((copy, at)) = stale {
        record(
            req,
            ctx,
            config,
            parts,
            &f,
            Served::Stale,
            copy.status(),
            &id,
        );
        return serve_stale(copy, at, &f.diagnosis, &viewer, config, &id).await;
    }
    let by_breaker = f
        .diagnosis
        .evidence
        .iter()
        .any(|e| e.rule.as_deref().is_some_and(|r| r.starts_with("breaker.")));
    let served = if by_breaker {
        Served::Breaker
    } else {
        Served::Page
    };
    record(req, ctx, config, parts, &f, served, f.diagnosis.status, &id);
    let mut x = extras(req, config, &id, Some(parts.public_url()), &viewer);
    x.retry_after_hint = f.retry_hint;
    x.owner_facts = owner_facts(&f, config, parts);
    let a = answer::failure(&f.diagnosis, &viewer, &x);
    let mut r = js::answer(&a)?;
    if config.nel {
        r = decorate(r, config)?;
    }
    Ok(r)
}

fn owner_facts(f: &Failure, config: &Config, parts: UrlParts<'_>) -> Vec<String> {
    let mut facts = vec![match (&config.origin, config.origin_for(parts)) {
        (Some(o), _) => format!("origin {}", o.base),
        (None, Ok(o)) => format!("origin {} (ORIGIN_URL empty: the zone's own)", o.base),
        (None, Err(e)) => format!("origin: none ({e})"),
    }];
    for (i, ms) in f.attempt_ms.iter().enumerate() {
        facts.push(format!("attempt {}: {} ms", i + 1, ms));
    }
    if let Some(steps) = &f.drill {
        for s in steps.iter() {
            let note = s
                .note
                .as_deref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default();
            facts.push(format!(
                "drill-through {}: {} in {} ms{}",
                s.hop.name(),
                s.outcome.name(),
                s.ms,
                note
            ));
        }
    }
    facts
}

fn log(
    req: &web_sys::Request,
    id: &str,
    method: &str,
    path: &str,
    f: &Failure,
    served_stale: bool,
    t0: u64,
) {
    let ray = ray(req);
    let line = FailureLog {
        request_id: id,
        ray: ray.as_deref(),
        method,
        path,
        diagnosis: &f.diagnosis,
        attempts: f.attempts,
        attempt_ms: f.attempt_ms.clone(),
        total_ms: state::now_ms().saturating_sub(t0),
        served_stale,
        breaker: state::breaker_state().name(),
        drill: f.drill.as_deref().map(Vec::as_slice),
    }
    .to_json();
    worker::console_log!("{}", line);
}

/// An origin's own gateway error (after retries): stale if possible, else
/// passed through with a `Proxy-Status` entry, or — in replace-html mode, for
/// HTML clients — replaced by the informative page when the core recognises
/// the layer that wrote it.
#[allow(clippy::too_many_arguments)]
async fn origin_failure(
    req: &web_sys::Request,
    ctx: &Context,
    config: &Config,
    parts: UrlParts<'_>,
    method: &str,
    resp: web_sys::Response,
    headers_only: Diagnosis,
    attempts: u32,
    attempt_ms: Vec<u64>,
    t0: u64,
) -> Result<web_sys::Response, JsValue> {
    let viewer = viewer_of(req, config);
    let status = resp.status();
    let _ = headers_only;
    let replace = config.intercept == InterceptMode::ReplaceHtml
        && viewer.format == gatewise_core::render::negotiate::Format::Html;
    let mut passthrough = resp;
    // Read a prefix of the page from a tee'd copy: the core needs it to tell who wrote it, and the
    // original body still passes through untouched.
    let copy = passthrough.clone()?;
    let body = js::read_prefix(copy.body(), PAGE_PREFIX).await;
    let rh = js::all_headers(&passthrough.headers());
    let refs: Vec<(&str, &str)> = rh.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let d = classify::response(&ResponseView {
        status,
        headers: &refs,
        body: &body,
    });
    let f = Failure {
        diagnosis: d,
        attempts,
        attempt_ms,
        drill: None,
        retry_hint: None,
    };
    let id = request_id(req);
    let stale = if method == "GET" && config.stale_if_error > 0 {
        stale_copy(parts).await
    } else {
        None
    };
    log(req, &id, method, parts.path, &f, stale.is_some(), t0);
    if let Some((copy, at)) = stale {
        if let Some(b) = passthrough.body() {
            let _ = b.cancel();
        }
        record(
            req,
            ctx,
            config,
            parts,
            &f,
            Served::Stale,
            copy.status(),
            &id,
        );
        return serve_stale(copy, at, &f.diagnosis, &viewer, config, &id).await;
    }
    let recognised = f.diagnosis.error_type.is_some()
        && !matches!(f.diagnosis.layer, Layer::OriginApp | Layer::Unknown);
    if replace && recognised {
        if let Some(b) = passthrough.body() {
            let _ = b.cancel();
        }
        record(req, ctx, config, parts, &f, Served::Page, status, &id);
        let mut shown = f.diagnosis.clone();
        shown.status = status;
        let mut x = extras(req, config, &id, Some(parts.public_url()), &viewer);
        x.owner_facts = owner_facts(&f, config, parts);
        return js::answer(&answer::failure(&shown, &viewer, &x));
    }
    record(req, ctx, config, parts, &f, Served::Origin, status, &id);
    // Passed through: status and body untouched; this worker's Proxy-Status entry appended.
    let h = web_sys::Headers::new_with_headers(&passthrough.headers())?;
    h.set(REQUEST_ID_HEADER, &id)?;
    h.set(
        "proxy-status",
        &gatewise_core::proxy_status::header_value(
            &answer::redact(&f.diagnosis),
            &config.cdn_loop_id,
        ),
    )?;
    if config.nel {
        for (n, v) in policy::nel_headers(&format!("{}reports", config.reserved_prefix)) {
            h.set(n, &v)?;
        }
    }
    passthrough = rebuild(&passthrough, status, &h)?;
    Ok(passthrough)
}
