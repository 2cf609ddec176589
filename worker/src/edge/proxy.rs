//! Forwarding a request to the origin, and everything that happens when
//! that fails: retries (the core's policy) within the visit's one deadline,
//! the circuit breakers (the core's guard, fed with failures the core's
//! attribution table has attributed — once per visit), the drill-through,
//! serve-stale, the answer and the log line.

use std::rc::Rc;

use gatewise_core::classify::{self, ResponseView, TransportError};
use gatewise_core::drill::{self, Step};
use gatewise_core::incidents::{Incident, Served};
use gatewise_core::policy::{
    attribution, AttributionRow, Blame, Deadline, RetryDecision, Ticket, VisitOutcome,
};
use gatewise_core::status::rules::gateway_failure;
use gatewise_core::{cdn_loop, stale, Diagnosis, ErrorType, Layer, Reached};
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
/// A drill-through is not started with less than this left of the visit's time limit (ms).
const MIN_DRILL_MS: u64 = 50;
/// Headers the worker adds to a stored copy, removed when serving it.
const STORED_AT: &str = "x-gatewise-stored-at";
const STORED_FRESH: &str = "x-gatewise-fresh";
const STORED_SIE: &str = "x-gatewise-stale-if-error";
/// The fetching request's values of the fields `Vary` named (`stale::encode_vary`).
const STORED_VARY: &str = "x-gatewise-vary-values";
/// The origin's own `Vary`, kept aside in the stored copy.
const STORED_VARY_HEADER: &str = "x-gatewise-vary";

/// The request body, as the attempts may send it.
enum Body {
    None,
    /// Buffered: every attempt sends it again.
    Replayable(js_sys::Uint8Array),
    /// The request's own body, streamed (`forward.js` watches it for the
    /// visitor's failures): only the first attempt can send it.
    Own,
}

/// What one attempt ended with.
pub enum Outcome {
    Response(web_sys::Response),
    Thrown(TransportError),
    /// The visitor's own request body failed (the runtime's words).
    ClientBody(String),
}

impl Outcome {
    /// A rejection of `forward.js`'s promise.
    pub fn rejected(e: &JsValue) -> Outcome {
        match js::rejected(e) {
            js::Rejected::ClientBody(m) => Outcome::ClientBody(m),
            js::Rejected::Transport(t) => Outcome::Thrown(t),
        }
    }
}

/// The happy path's first step, synchronous (`worker/js/entry.mjs` calls it
/// before anything else): for a GET or HEAD without a body to the origin
/// that every breaker admits without a probe, the origin fetch with its
/// header edits and time limit — one call into JS — returned as a promise,
/// with no Rust future, no closure and no microtask of our own. `None`: this
/// request takes [`forward`] (the worker's endpoints, bodies, a loop, a
/// breaker not closed, an unusable configuration).
pub fn start(req: &web_sys::Request, config: &Config, t0: u64) -> Option<js_sys::Promise> {
    let facts = js::request_facts(req)?;
    if (facts.method != "GET" && facts.method != "HEAD") || facts.has_body {
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
    // Anything but closed breakers: `forward` admits the visit itself (and answers a rejection).
    if !state::admits_plainly(parts.path_and_query, t0) {
        return None;
    }
    state::deposit(t0);
    let target = config.target(parts)?;
    let edits = forward_edits(&facts, parts, config);
    let timeout =
        Deadline::new(t0, config.total_timeout_ms).attempt_timeout_ms(config.timeout_ms, t0);
    js::forward(req, &target, &edits, None, timeout).ok()
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
/// is not a gateway failure — recorded with the breakers, kept for serving
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
    if gateway_failure(status) {
        return Err(resp);
    }
    // The URL matters to the breakers only at times (paths tracked, one remembered per second).
    let url = state::wants_url(now).then(|| req.url());
    let path_and_query = url
        .as_deref()
        .map_or("", |u| crate::route::split_url(u).path_and_query);
    state::record(path_and_query, state::PLAIN, VisitOutcome::Succeeded, now);
    // Only explicitly cacheable responses are kept (the request's facts are read again only for
    // a response worth storing).
    if config.stale_if_error > 0 && stale::STORABLE_STATUSES.contains(&status) {
        if let Some(cache_control) = cache_control {
            if let Some(facts) = js::request_facts(req).filter(|f| f.method == "GET") {
                let parts = crate::route::split_url(&facts.url);
                keep_for_stale(req, &facts, &resp, &cache_control, config, ctx, parts, now);
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

/// One visit: what every step of [`forward`] needs to know about it.
struct Visit<'a> {
    req: &'a web_sys::Request,
    ctx: &'a Context,
    config: &'a Config,
    parts: UrlParts<'a>,
    method: &'a str,
    /// The path and query the breakers know it by.
    url: &'a str,
    /// What the breakers admitted it as.
    ticket: Ticket,
    /// When it started (ms).
    t0: u64,
    /// When it must be answered by.
    deadline: Deadline,
}

impl Visit<'_> {
    /// Records the visit's outcome with the breakers: once, at its end. A
    /// probe's success is reported to the origin's shared object at once (it
    /// closes the breaker for every isolate).
    fn record(&self, outcome: VisitOutcome) {
        state::record(self.url, self.ticket, outcome, state::now_ms());
        if self.ticket.origin_probe && outcome == VisitOutcome::Succeeded {
            super::shared::report(self.ctx, &self.object());
        }
    }

    /// The name of the origin's shared object ("" without an origin).
    fn object(&self) -> String {
        self.config
            .origin_for(self.parts)
            .map(|o| crate::shared::object_name(&o.base))
            .unwrap_or_default()
    }

    /// Records a failure as the attribution table says; returns the deciding row.
    fn record_failure(&self, d: &Diagnosis) -> &'static AttributionRow {
        let row = attribution::attribute(d, false);
        self.record(VisitOutcome::Failed(row.blame));
        row
    }
}

/// Forwards the request to the origin: attempts with the core's retry
/// policy, within the visit's deadline, admitted by the core's breakers; then
/// the origin's answer, a stale copy or the informative answer. `first`: the
/// outcome of a first attempt [`start`] already made (admitted plainly, its
/// budget deposit made).
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
    let url = parts.path_and_query;
    let mut visit = Visit {
        req: &req,
        ctx,
        config,
        parts,
        method,
        url,
        ticket: state::PLAIN,
        t0,
        deadline: Deadline::new(t0, config.total_timeout_ms),
    };
    if facts
        .cdn_loop()
        .is_some_and(|v| cdn_loop::contains(v, &config.cdn_loop_id))
    {
        // The configuration loops: nobody to count, never forwarded.
        return finish(
            &visit,
            Failure::of(cdn_loop::loop_detected(), 0, Vec::new()),
        )
        .await;
    }

    let mut first = first;
    if first.is_none() {
        // The path's breaker and the known-good rule first, then the origin breaker: the origin's
        // shared object (when bound) keeps that one and its probe lease for all isolates.
        let admitted = match state::screen(url, t0) {
            Ok(()) => {
                let origin = super::shared::admit(&visit.object(), &config.shared, t0).await;
                state::admit_with(url, state::now_ms(), origin)
            }
            Err(rejection) => Err(rejection),
        };
        match admitted {
            Ok(ticket) => visit.ticket = ticket,
            Err(rejection) => {
                return finish(&visit, Failure::of(rejection.diagnosis(), 0, Vec::new())).await
            }
        }
        state::deposit(t0);
    }
    let edits = forward_edits(facts, parts, config);
    // With ORIGIN_URL empty, a host without a zone origin (workers.dev) was answered before.
    let target = config
        .target(parts)
        .ok_or_else(|| JsValue::from_str("no origin for this host"))?;

    let body = match body_of(&req, facts, config).await {
        Ok(b) => b,
        Err(words) => return client_failure(&visit, &words, Reached::No, 0, Vec::new()).await,
    };
    let mut attempts = 0u32;
    let mut attempt_ms = Vec::new();
    // How far the failed attempts so far can have got: a retry the breaker stops is answered
    // with the breaker's diagnosis, which must not say the request never reached the origin.
    let mut reached = Reached::No;
    // The last failed attempt's diagnosis (what the visit is recorded as when a breaker stops the retry).
    let mut last: Option<Diagnosis> = None;
    let mut now = t0;
    loop {
        attempts += 1;
        if let (Some(prev), Some(rejection)) = (&last, state::stopped(url, now)) {
            let row = visit.record_failure(prev);
            let mut d = rejection.diagnosis();
            d.reached = d.reached.max(reached);
            let mut f = Failure::of(d, attempts - 1, attempt_ms);
            f.blame = Some(row);
            return finish(&visit, f).await;
        }
        let sent = match &body {
            Body::None => None,
            Body::Replayable(b) => Some(JsValue::from(b.clone())),
            Body::Own if attempts == 1 => Some(JsValue::TRUE),
            Body::Own => None,
        };
        let timeout = visit.deadline.attempt_timeout_ms(config.timeout_ms, now);
        let outcome = match first.take() {
            Some(o) => o,
            None => send(&req, &target, &edits, sent.as_ref(), timeout).await,
        };
        let t = now;
        now = state::now_ms();
        attempt_ms.push(now.saturating_sub(t));
        let replayable = !matches!(body, Body::Own);
        match outcome {
            Outcome::Response(resp) if !gateway_failure(resp.status()) => {
                visit.record(VisitOutcome::Succeeded);
                if method == "GET" && config.stale_if_error > 0 {
                    if let Some(cache_control) = js::response_header(&resp, "cache-control") {
                        keep_for_stale(&req, facts, &resp, &cache_control, config, ctx, parts, now);
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
                if retry(method, &d, attempts, replayable, &visit).await {
                    if let Some(b) = resp.body() {
                        let _ = b.cancel();
                    }
                    last = Some(d);
                    now = state::now_ms();
                    continue;
                }
                return origin_failure(&visit, resp, attempts, attempt_ms).await;
            }
            Outcome::ClientBody(words) => {
                // Part of the body may have gone out before it broke off.
                return client_failure(&visit, &words, Reached::Maybe, attempts, attempt_ms).await;
            }
            Outcome::Thrown(e) => {
                let d = classify::transport(&e);
                reached = reached.max(d.reached);
                if retry(method, &d, attempts, replayable, &visit).await {
                    last = Some(d);
                    now = state::now_ms();
                    continue;
                }
                let mut f = Failure::of(d, attempts, attempt_ms);
                let left = visit.deadline.remaining_ms(state::now_ms());
                let budget = left.map_or(u64::from(config.drill_budget_ms), |l| {
                    l.min(u64::from(config.drill_budget_ms))
                });
                if f.diagnosis.layer == Layer::Workerd
                    && drill::worth_drilling(&f.diagnosis)
                    && config.drill_budget_ms > 0
                    && budget >= MIN_DRILL_MS
                {
                    let on_cloudflare = facts_on_cloudflare(&req);
                    let budget = u32::try_from(budget).unwrap_or(0);
                    if let Some(steps) = drill_rt::run(config, parts, on_cloudflare, budget).await {
                        f.diagnosis = drill::narrow(&f.diagnosis, &steps);
                        f.drill = Some(steps);
                    }
                }
                // Attributed only now, with what the drill-through found.
                f.blame = Some(visit.record_failure(&f.diagnosis));
                return finish(&visit, f).await;
            }
        }
    }
}

/// The visitor's own request body failed (`words`: the runtime's): answered
/// 400 `http_request_error`, logged as the client's, never counted.
async fn client_failure(
    visit: &Visit<'_>,
    words: &str,
    reached: Reached,
    attempts: u32,
    attempt_ms: Vec<u64>,
) -> Result<web_sys::Response, JsValue> {
    let d = attribution::client_body_failure(words, reached);
    let row = attribution::attribute(&d, true);
    visit.record(VisitOutcome::Failed(row.blame));
    let mut f = Failure::of(d, attempts, attempt_ms);
    f.blame = Some(row);
    finish(visit, f).await
}

/// The request body as the attempts send it: none; a small one read into
/// memory (replayable; a read that fails is the visitor's failure, returned
/// as `Err` with the runtime's words); any other streamed as it comes —
/// whatever the method (a GET may carry a body too).
async fn body_of(
    req: &web_sys::Request,
    facts: &RequestFacts,
    config: &Config,
) -> Result<Body, String> {
    if !facts.has_body {
        return Ok(Body::None);
    }
    let length = facts
        .header("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    // workerd sends a GET's or HEAD's body only as the request carries it (forward.js).
    let bodiless_method = facts.method == "GET" || facts.method == "HEAD";
    match length {
        Some(n) if n <= u64::from(config.replay_body_limit) && !bodiless_method => {
            let promise = req.array_buffer().map_err(|e| error_words(&e))?;
            let buf = JsFuture::from(promise).await.map_err(|e| error_words(&e))?;
            Ok(Body::Replayable(js_sys::Uint8Array::new(&buf)))
        }
        _ => Ok(Body::Own),
    }
}

/// A thrown value's message.
fn error_words(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|x| String::from(x.message()))
        .unwrap_or_else(|| format!("{e:?}"))
}

/// One attempt: the fetch with its header edits and time-to-headers limit
/// (one call into JS, `worker/js/forward.js`). A rejection — the runtime's
/// error, our own timeout, the visitor's body failing — becomes an [`Outcome`].
async fn send(
    req: &web_sys::Request,
    target: &str,
    edits: &str,
    body: Option<&JsValue>,
    timeout_ms: u32,
) -> Outcome {
    let promise = match js::forward(req, target, edits, body, timeout_ms) {
        Ok(p) => p,
        Err(e) => return Outcome::rejected(&e),
    };
    match JsFuture::from(promise).await {
        Ok(v) => match v.dyn_into::<web_sys::Response>() {
            Ok(r) => Outcome::Response(r),
            Err(v) => Outcome::rejected(&v),
        },
        Err(e) => Outcome::rejected(&e),
    }
}

/// Asks the core whether to try again — within what is left of the visit's
/// deadline — and waits the backoff or `Retry-After` when it says yes.
async fn retry(
    method: &str,
    d: &Diagnosis,
    attempt: u32,
    replayable: bool,
    visit: &Visit<'_>,
) -> bool {
    let now = state::now_ms();
    let decision = state::with_policy(|rng, budget| {
        let d = visit
            .config
            .retry
            .decide(method, d, attempt, replayable, rng);
        visit.deadline.bound(d, now).charge(budget, now)
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

/// Stores a copy of a storable GET response for serving stale (in the
/// background), as the core's RFC 9111 rules say (`stale::storable_for`):
/// with the request's values of the fields its `Vary` names, and its `Vary`
/// kept aside (so that the Cache API matches on the URL alone; the worker
/// compares the values itself). `cache_control`: the response's (only
/// explicitly cacheable responses are kept).
#[allow(clippy::too_many_arguments)]
fn keep_for_stale(
    req: &web_sys::Request,
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
    let qh = req.headers();
    let vary = header(&rh, "vary");
    let request_cache_control = header(&qh, "cache-control");
    let exchange = stale::Exchange {
        method: "GET",
        has_authorization: facts.header("authorization").is_some(),
        request_cache_control: request_cache_control.as_deref(),
        status,
        cache_control: Some(cache_control),
        has_set_cookie: header(&rh, "set-cookie").is_some(),
        vary: vary.as_deref(),
    };
    let Some(kept) =
        stale::storable_for(&exchange, config.stale_if_error, |name| header(&qh, name))
    else {
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
        && set(STORED_SIE, &kept.stale_if_error_secs.to_string())
        && set(STORED_VARY, &stale::encode_vary(&kept.vary))
        && vary.as_deref().is_none_or(|v| set(STORED_VARY_HEADER, v))
        && h.delete("vary").is_ok();
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

/// A usable stale copy of this GET for this request, if the cache has one
/// within its window that was stored for a request with the same values of
/// the fields its `Vary` named (RFC 9111 §4.1, `stale::vary_matches`). A
/// copy without the worker's record of them is never served.
async fn stale_copy(
    req: &web_sys::Request,
    parts: UrlParts<'_>,
) -> Option<(web_sys::Response, u64)> {
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
    let vary = stale::decode_vary(&header(&h, STORED_VARY)?)?;
    let qh = req.headers();
    if !stale::vary_matches(&vary, |name| header(&qh, name)) {
        return None;
    }
    let kept = stale::Stored {
        fresh_secs: u32::try_from(num(STORED_FRESH)?).ok()?,
        stale_if_error_secs: u32::try_from(num(STORED_SIE)?).ok()?,
        vary,
    };
    stale::usable(&kept, at, state::now_ms()).then_some((resp, at))
}

/// The stale copy as served: the worker's bookkeeping removed, the origin's
/// `Vary` back, marked, and with a visible notice on an HTML page — put into
/// its bytes (as ASCII) only when its encoding keeps ASCII as it is
/// (`stale::notice_placement`), else the `X-Gatewise-Stale` header alone says it.
async fn serve_stale(
    copy: web_sys::Response,
    stored_at: u64,
    d: &Diagnosis,
    viewer: &Viewer,
    config: &Config,
    id: &str,
) -> Result<web_sys::Response, JsValue> {
    let h = web_sys::Headers::new_with_headers(&copy.headers())?;
    if let Some(vary) = header(&h, STORED_VARY_HEADER) {
        h.set("vary", &vary)?;
    }
    for n in [
        STORED_AT,
        STORED_FRESH,
        STORED_SIE,
        STORED_VARY,
        STORED_VARY_HEADER,
    ] {
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
    let content_type = header(&h, "content-type");
    let is_html = content_type
        .as_deref()
        .is_some_and(|c| c.to_ascii_lowercase().starts_with("text/html"));
    let small = header(&h, "content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n <= MAX_NOTICE_BODY);
    if is_html && small {
        let buf = JsFuture::from(copy.array_buffer()?).await?;
        let page = js_sys::Uint8Array::new(&buf).to_vec();
        let init = web_sys::ResponseInit::new();
        init.set_status(copy.status());
        init.set_headers(&h);
        let mut body = match stale::notice_placement(content_type.as_deref(), &page) {
            stale::Placement::Body => {
                // The time in the reader's language and time zone (Intl), not English.
                let when = js::local_time(stored_at as f64, viewer.lang.tag());
                let notice = stale::ascii_html(&answer::stale_notice(viewer.lang, &when));
                h.delete("content-length")?;
                stale::insert_notice(&page, &notice)
            }
            stale::Placement::HeaderOnly => page,
        };
        return web_sys::Response::new_with_opt_u8_array_and_init(Some(&mut body), &init);
    }
    rebuild(&copy, copy.status(), &h)
}

/// A failure on its way to an answer.
struct Failure {
    diagnosis: Diagnosis,
    attempts: u32,
    attempt_ms: Vec<u64>,
    drill: Option<Rc<Vec<Step>>>,
    /// The attribution row it was recorded with (`None`: not counted at all —
    /// a loop, a visit the breaker stopped before any attempt).
    blame: Option<&'static AttributionRow>,
}

impl Failure {
    fn of(diagnosis: Diagnosis, attempts: u32, attempt_ms: Vec<u64>) -> Self {
        Failure {
            diagnosis,
            attempts,
            attempt_ms,
            drill: None,
            blame: None,
        }
    }
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
async fn finish(visit: &Visit<'_>, f: Failure) -> Result<web_sys::Response, JsValue> {
    let Visit {
        req,
        ctx,
        config,
        parts,
        method,
        t0,
        ..
    } = *visit;
    let viewer = viewer_of(req, config);
    let id = request_id(req);
    // A loop is the configuration's, a broken request body the visitor's: no stale copy hides either.
    let stale = if method == "GET"
        && config.stale_if_error > 0
        && f.diagnosis.error_type != Some(ErrorType::ProxyLoopDetected)
        && f.blame.map(|r| r.blame) != Some(Blame::Client)
    {
        stale_copy(req, parts).await
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
        blame: f.blame.map_or("none", |r| r.blame.name()),
        attribution: f.blame.map(|r| r.id),
        drill: f.drill.as_deref().map(Vec::as_slice),
    }
    .to_json();
    worker::console_log!("{}", line);
}

/// An origin's own gateway error (after retries): stale if possible, else
/// passed through with a `Proxy-Status` entry, or — in replace-html mode, for
/// HTML clients — replaced by the informative page when the core recognises
/// the layer that wrote it.
async fn origin_failure(
    visit: &Visit<'_>,
    resp: web_sys::Response,
    attempts: u32,
    attempt_ms: Vec<u64>,
) -> Result<web_sys::Response, JsValue> {
    let Visit {
        req,
        ctx,
        config,
        parts,
        method,
        t0,
        ..
    } = *visit;
    let viewer = viewer_of(req, config);
    let status = resp.status();
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
    let mut f = Failure::of(d, attempts, attempt_ms);
    // Attributed with the page read: an origin's own 5xx is one path's, a CDN's "cannot connect" the origin's.
    f.blame = Some(visit.record_failure(&f.diagnosis));
    let id = request_id(req);
    let stale = if method == "GET" && config.stale_if_error > 0 {
        stale_copy(req, parts).await
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
        let shown = f.diagnosis.clone().in_place_of(status);
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
