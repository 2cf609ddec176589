//! The monitoring robot: a Cron Trigger (`[triggers] crons` in
//! `wrangler.toml`, none by default) drills through to the origin — DNS,
//! connect, TLS and a raw `HEAD` of each of `MONITOR_PATHS` — so that an
//! outage at 3 a.m. is on the record before any visitor meets it. Each failed
//! check becomes an incident row (source `robot`); the run goes to the
//! origin's object, where the core's [`outage`](gatewise_core::incidents::outage)
//! rules open an outage on the first failed run and close it on the first
//! run that passes. One log line per run (`gatewise.robot`).
//!
//! Locally: `wrangler dev --test-scheduled`, then
//! `curl "http://127.0.0.1:8787/__scheduled?cron=*/5+*+*+*+*"`.

use gatewise_core::classify::{self, ResponseView};
use gatewise_core::drill::{self, Step};
use gatewise_core::incidents::{Incident, RobotRun};
use gatewise_core::{Diagnosis, Layer};
use serde_json::json;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use worker::Env;

use super::{drill as drill_rt, shared, state};

/// The time each path's check may take (DNS, connect, TLS, status line), in ms.
const CHECK_BUDGET_MS: u32 = 5_000;

/// The status of the `HEAD`'s status line (`HTTP/1.1 503 …` → 503), from the response step's note.
fn head_status(steps: &[Step]) -> Option<u16> {
    let note = steps.last()?.note.as_deref()?;
    note.split(' ').nth(1)?.get(..3)?.parse().ok()
}

/// What one path's check found: `None` when it passed, else its diagnosis.
fn verdict(steps: &[Step]) -> Option<Diagnosis> {
    if steps.iter().any(Step::failed) {
        let base = Diagnosis::for_status(502, Layer::Gatewise);
        return Some(drill::narrow(&base, steps));
    }
    let status = head_status(steps)?;
    let failing = status == 500 || matches!(status, 502..=504 | 520..=527 | 530);
    failing.then(|| {
        classify::response(&ResponseView {
            status,
            headers: &[],
            body: b"",
        })
    })
}

/// The scheduled event: one run of the robot (`entry.mjs` hands it to `ctx.waitUntil`).
#[wasm_bindgen]
pub fn scheduled(env: Env, cron: String, at: f64) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        run(&env, &cron, at as u64).await;
        Ok(JsValue::UNDEFINED)
    })
}

async fn run(env: &Env, cron: &str, at: u64) {
    let config = match state::config(env) {
        Ok(c) => c,
        Err(e) => {
            worker::console_log!(
                "{}",
                crate::log::to_line(
                    "gatewise.robot",
                    &json!({"cron": cron, "error": e.to_string()})
                )
            );
            return;
        }
    };
    shared::bind(env, &config);
    let Some(origin) = config.origin.clone().or_else(|| config.monitor.clone()) else {
        worker::console_log!(
            "{}",
            crate::log::to_line(
                "gatewise.robot",
                &json!({"cron": cron, "error": "nothing to check: ORIGIN_URL and MONITOR_URL are empty"})
            )
        );
        return;
    };
    let mut check = (*config).clone();
    check.drill_budget_ms = CHECK_BUDGET_MS;
    let mut rows = Vec::new();
    let mut first: Option<(String, Diagnosis)> = None;
    let mut checks = Vec::new();
    for path in &config.monitor_paths {
        let steps = drill_rt::steps(&check, &origin, path, check.drill_budget_ms).await;
        let found = verdict(&steps);
        checks.push(json!({
            "path": path,
            "ok": found.is_none(),
            "errorType": found.as_ref().and_then(|d| d.error_type).map(|t| t.name()),
            "steps": steps.iter().map(|s| format!("{}:{}", s.hop.name(), s.outcome.name())).collect::<Vec<_>>(),
        }));
        if let Some(d) = found {
            let id = format!("gw-{:016x}", state::next_u64());
            rows.push(Incident::probed(&d, path, at, &id));
            if first.is_none() {
                first = Some((path.clone(), d));
            }
            // An unreachable origin fails every path the same way: one row is enough.
            if steps
                .iter()
                .any(|s| s.failed() && s.hop != gatewise_core::Hop::Response)
            {
                break;
            }
        }
    }
    let run = match &first {
        None => RobotRun::passed(at),
        Some((path, d)) => RobotRun::failed(at, path, d.error_type, d.hop),
    };
    let object = crate::shared::object_name(&origin.base);
    let payload = json!({"run": run, "rows": rows}).to_string();
    let recorded = shared::robot(&object, &payload).await;
    worker::console_log!(
        "{}",
        crate::log::to_line(
            "gatewise.robot",
            &json!({
                "cron": cron,
                "ok": first.is_none(),
                "checks": checks,
                "outage": recorded.as_ref().ok(),
                "recorded": recorded.is_ok(),
            })
        )
    );
}
