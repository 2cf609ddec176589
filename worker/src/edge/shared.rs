//! The isolate's side of the origin's Durable Object (`OriginHealth`, see
//! [`crate::shared`]): the outbox of incident rows, flushed in
//! `ctx.waitUntil` (the visitor's answer never waits for it), the owner's
//! view asked of the object, and what an isolate keeps when no object is
//! bound or the object does not answer (its own recent rows; the breaker
//! per isolate).
//!
//! A successful request never comes here. A failure pushes one row and, when
//! no call is under way, starts one; rows that arrive meanwhile go with the
//! next call of the same flush. A call that fails or times out pauses the
//! object for [`PAUSE_MS`]: rows then wait in the bounded outbox (the
//! oldest dropped first, and counted), and the worker serves on.

use std::cell::RefCell;
use std::collections::VecDeque;

use gatewise_core::incidents::{Incident, Source};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use worker::{Context, Env};

use super::state;
use crate::config::Config;
use crate::shared::{
    AdmitReply, SharedSettings, SyncReply, SyncRequest, ViewReply, ViewRequest, ANALYTICS_BINDING,
    BINDING, MAX_BATCH, MAX_LOCAL_ROWS, MAX_OUTBOX, PAUSE_MS,
};
use gatewise_core::policy::Admission;

#[wasm_bindgen(module = "/js/shared.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = sharedCall)]
    fn shared_call(
        ns: &JsValue,
        name: &str,
        method: &str,
        payload: &str,
        timeout_ms: u32,
    ) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = writeDataPoint)]
    fn write_data_point(
        dataset: &JsValue,
        blobs: js_sys::Array,
        doubles: js_sys::Array,
        index: &str,
    ) -> Result<(), JsValue>;
}

/// How long a background flush waits for the object per call, in ms.
const FLUSH_TIMEOUT_MS: u32 = 5_000;
/// The most calls one flush makes (rows that arrive later start another).
const FLUSH_CALLS: u32 = 8;
/// How long a flush waits before its first call, so that failures arriving
/// together share it (in `waitUntil`: no visitor waits), in ms.
const COALESCE_MS: u64 = 50;

/// One row waiting, with the object it goes to.
struct Waiting {
    object: String,
    row: Incident,
}

#[derive(Default)]
struct Client {
    /// The namespace binding (`env.ORIGIN_HEALTH`), when bound and enabled.
    ns: Option<JsValue>,
    /// The Analytics Engine dataset (`env.INCIDENTS_AE`), when bound.
    analytics: Option<JsValue>,
    bound: bool,
    outbox: VecDeque<Waiting>,
    dropped: u32,
    flushing: bool,
    paused_until: u64,
    /// The object a flush reports breaker outcomes to when no row waits (a probe's success).
    report_to: Option<String>,
    /// This isolate's own recent rows (its view when no object answers).
    local: VecDeque<Incident>,
    /// Calls made to the object, and calls that failed (for `health` with the token, and the soak).
    calls: u64,
    failed_calls: u64,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::new(Client::default());
}

/// Reads the bindings once per isolate: the object's namespace (used when
/// `SHARED_HEALTH` is on) and the Analytics Engine dataset.
pub fn bind(env: &Env, config: &Config) {
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if c.bound {
            return;
        }
        c.bound = true;
        let get = |name: &str| {
            js_sys::Reflect::get(env.as_ref(), &JsValue::from_str(name))
                .ok()
                .filter(|v| v.is_object())
        };
        c.ns = get(BINDING).filter(|_| config.shared.enabled);
        c.analytics = get(ANALYTICS_BINDING);
    });
}

/// Whether an object is bound (and enabled).
pub fn is_bound() -> bool {
    CLIENT.with(|c| c.borrow().ns.is_some())
}

/// Calls to the object so far, and how many failed.
pub fn calls() -> (u64, u64) {
    CLIENT.with(|c| {
        let c = c.borrow();
        (c.calls, c.failed_calls)
    })
}

/// Reports this isolate's breaker outcomes to the object `object` now (in
/// `ctx.waitUntil`): a probe's success, which closes the shared breaker.
pub fn report(ctx: &Context, object: &str) {
    let start = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if c.ns.is_none() {
            return false;
        }
        c.report_to = Some(object.to_owned());
        let start = !c.flushing && state::now_ms() >= c.paused_until;
        if start {
            c.flushing = true;
        }
        start
    });
    if start {
        ctx.wait_until(flush());
    }
}

/// Whether the origin breaker lets a request to the origin `object` through at
/// `now` (the half of the breakers' decision the shared object keeps: the
/// paths' breakers are each isolate's own). A closed breaker, or a recent copy of an open one, decides here
/// without a call; a probe takes the object's lease (one for all isolates
/// per cool-down), and a copy older than `SHARED_STALENESS_MS` is refreshed,
/// waiting at most `SHARED_TIMEOUT_MS`. Without an object, or when it fails,
/// the isolate's own breaker decides.
pub async fn admit(object: &str, settings: &SharedSettings, now: u64) -> Admission {
    let paused = CLIENT.with(|c| {
        let c = c.borrow();
        c.ns.is_none() || now < c.paused_until
    });
    if paused {
        return state::origin_allow(now);
    }
    if let Some(local) = state::decide_locally(now, settings.staleness_ms) {
        return local;
    }
    match call::<AdmitReply>(object, "admit", "{}", settings.timeout_ms).await {
        Ok(reply) => {
            let admission = reply.admission();
            state::adopt(reply.breaker, state::now_ms());
            admission
        }
        Err(_) => state::origin_allow(state::now_ms()),
    }
}

/// Records one incident row for the origin named `object`: kept among this
/// isolate's recent rows, written to Analytics Engine when bound, and queued
/// for the object (sent in `ctx.waitUntil`).
pub fn record(ctx: &Context, object: &str, row: Incident) {
    let start = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(ae) = &c.analytics {
            analytics(ae, &row);
        }
        if c.local.len() >= MAX_LOCAL_ROWS {
            c.local.pop_front();
        }
        c.local.push_back(row.clone());
        if c.ns.is_none() {
            return false;
        }
        if c.outbox.len() >= MAX_OUTBOX {
            c.outbox.pop_front();
            c.dropped = c.dropped.saturating_add(1);
        }
        c.outbox.push_back(Waiting {
            object: object.to_owned(),
            row,
        });
        let start = !c.flushing && state::now_ms() >= c.paused_until;
        if start {
            c.flushing = true;
        }
        start
    });
    if start {
        ctx.wait_until(flush());
    }
}

/// One incident as an Analytics Engine data point: blobs (source, served,
/// type, hop, layer, path, id, ray, colo, country), doubles (status sent,
/// status received, attempts), the path as the index (README: the SQL that reproduces the view).
fn analytics(dataset: &JsValue, r: &Incident) {
    let blobs: js_sys::Array = [
        r.source.name(),
        r.served.name(),
        r.error_type.map_or("", |t| t.name()),
        r.hop.map_or("", |h| h.name()),
        r.layer.name(),
        r.path.as_str(),
        r.id.as_str(),
        r.ray.as_deref().unwrap_or(""),
        r.colo.as_deref().unwrap_or(""),
        r.country.as_deref().unwrap_or(""),
    ]
    .iter()
    .map(|s| JsValue::from_str(s))
    .collect();
    let doubles: js_sys::Array = [
        f64::from(r.status),
        f64::from(r.received.unwrap_or(0)),
        f64::from(r.attempts),
    ]
    .iter()
    .map(|n| JsValue::from_f64(*n))
    .collect();
    let index = gatewise_core::incidents::cut(&r.path, 96);
    if write_data_point(dataset, blobs, doubles, index).is_err() {
        worker::console_warn!("gatewise: Analytics Engine refused a data point");
    }
}

/// One call to the object `object`: `method(payload)` within `timeout_ms`.
async fn call<T: DeserializeOwned>(
    object: &str,
    method: &str,
    payload: &str,
    timeout_ms: u32,
) -> Result<T, String> {
    let Some(ns) = CLIENT.with(|c| c.borrow().ns.clone()) else {
        return Err("no object bound".into());
    };
    CLIENT.with(|c| c.borrow_mut().calls += 1);
    let result = match shared_call(&ns, object, method, payload, timeout_ms) {
        Ok(p) => JsFuture::from(p).await,
        Err(e) => Err(e),
    };
    let text = result.map(|v| v.as_string().unwrap_or_default());
    let parsed = text
        .map_err(|e| {
            let e = super::js::transport_error(&e);
            format!("{}: {}", e.name.unwrap_or_default(), e.message)
        })
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()));
    if let Err(e) = &parsed {
        let now = state::now_ms();
        let first = CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            c.failed_calls += 1;
            let first = now >= c.paused_until;
            c.paused_until = now.saturating_add(PAUSE_MS);
            first
        });
        if first {
            worker::console_warn!(
                "{}",
                crate::log::to_line(
                    "gatewise.shared_unavailable",
                    &serde_json::json!({"method": method, "error": e, "pauseMs": PAUSE_MS})
                )
            );
        }
    }
    parsed
}

/// Sends the outbox in batches, after [`COALESCE_MS`], until it is empty,
/// the object fails, or [`FLUSH_CALLS`] calls were made.
async fn flush() {
    worker::Delay::from(std::time::Duration::from_millis(COALESCE_MS)).await;
    for _ in 0..FLUSH_CALLS {
        let batch = CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            let report_to = c.report_to.take();
            let object = c.outbox.front().map(|w| w.object.clone()).or(report_to)?;
            let mut req = SyncRequest {
                dropped: std::mem::take(&mut c.dropped),
                outcomes: state::take_runs(),
                ..SyncRequest::default()
            };
            let mut rest = VecDeque::new();
            while let Some(w) = c.outbox.pop_front() {
                if w.object != object || req.rows.len() + req.reports.len() >= MAX_BATCH {
                    rest.push_back(w);
                    continue;
                }
                match w.row.source {
                    Source::Visitor => req.reports.push(w.row),
                    _ => req.rows.push(w.row),
                }
            }
            c.outbox = rest;
            Some((object, req))
        });
        let Some((object, req)) = batch else { break };
        let Ok(payload) = serde_json::to_string(&req) else {
            break;
        };
        let reply = call::<SyncReply>(&object, "sync", &payload, FLUSH_TIMEOUT_MS).await;
        if let Ok(SyncReply {
            breaker: Some(b), ..
        }) = &reply
        {
            state::adopt(b.clone(), state::now_ms());
        }
        if reply.is_err() {
            // Put the rows back (the oldest first), within the outbox's bound.
            CLIENT.with(|c| {
                let mut c = c.borrow_mut();
                for row in req
                    .reports
                    .into_iter()
                    .rev()
                    .chain(req.rows.into_iter().rev())
                {
                    if c.outbox.len() >= MAX_OUTBOX {
                        c.dropped = c.dropped.saturating_add(1);
                        continue;
                    }
                    c.outbox.push_front(Waiting {
                        object: object.clone(),
                        row,
                    });
                }
                c.dropped = c.dropped.saturating_add(req.dropped);
            });
            break;
        }
    }
    CLIENT.with(|c| c.borrow_mut().flushing = false);
}

/// The owner's view from the object; `Err` when none is bound or it did not answer.
pub async fn view(object: &str, req: &ViewRequest) -> Result<ViewReply, String> {
    if !is_bound() {
        return Err("no object bound".into());
    }
    // The owner asks on purpose: a paused object is asked anyway, with the longer limit.
    let payload = serde_json::to_string(req).map_err(|e| e.to_string())?;
    call(object, "view", &payload, FLUSH_TIMEOUT_MS).await
}

/// Sends the robot's run to the object; `Err` when none is bound or it did not answer.
pub async fn robot(object: &str, payload: &str) -> Result<serde_json::Value, String> {
    if !is_bound() {
        return Err("no object bound".into());
    }
    call(object, "robot", payload, FLUSH_TIMEOUT_MS).await
}

/// This isolate's own recent rows (oldest first).
pub fn local_rows() -> Vec<Incident> {
    CLIENT.with(|c| c.borrow().local.iter().cloned().collect())
}
