//! `reports`: the NEL / Reporting API collector (rules: [`crate::reports`]).
//! Accepted reports become incident rows of source `visitor` — kept apart
//! from what the edge observed — within two limits per isolate: per client
//! address (`REPORTS_PER_CLIENT` a minute; `cf-connecting-ip`, which
//! Cloudflare sets and a visitor cannot) and for everyone
//! (`REPORTS_PER_MINUTE`); the shared object caps again for all isolates.
//! One log line per accepted request; refusals are counted and logged once
//! a minute, so a flood of requests cannot flood the log.

use std::cell::RefCell;

use gatewise_core::incidents::Incident;
use serde_json::json;
use wasm_bindgen::JsValue;
use worker::Context;

use super::js::{self, header};
use super::{shared, state};
use crate::config::Config;
use crate::headers::SECURITY_HEADERS;
use crate::reports::{self, Refusal};
use crate::route::UrlParts;
use crate::shared::RateLimit;

/// How many client addresses are counted per minute (more: refused until the next minute).
const MAX_CLIENTS: usize = 4_096;

struct Limits {
    clients: RateLimit,
    all: RateLimit,
    /// Refusals since the last summary line, by reason, and when that was.
    refused: Vec<(&'static str, u64)>,
    logged_at: u64,
}

thread_local! {
    static LIMITS: RefCell<Option<Limits>> = const { RefCell::new(None) };
}

fn with_limits<R>(config: &Config, f: impl FnOnce(&mut Limits) -> R) -> R {
    LIMITS.with(|l| {
        let mut l = l.borrow_mut();
        let limits = l.get_or_insert_with(|| Limits {
            clients: RateLimit::new(config.shared.reports_per_client, 60_000, MAX_CLIENTS),
            all: RateLimit::new(config.shared.reports_per_minute, 60_000, 1),
            refused: Vec::new(),
            logged_at: 0,
        });
        f(limits)
    })
}

/// Counts a refusal; writes the summary line at most once a minute.
fn refused(config: &Config, why: &'static str, n: u64) {
    let now = state::now_ms();
    let line = with_limits(config, |l| {
        match l.refused.iter_mut().find(|(k, _)| *k == why) {
            Some((_, c)) => *c += n,
            None => l.refused.push((why, n)),
        }
        if now.saturating_sub(l.logged_at) < 60_000 {
            return None;
        }
        l.logged_at = now;
        let counts: serde_json::Map<String, serde_json::Value> = l
            .refused
            .drain(..)
            .map(|(k, c)| (k.to_owned(), json!(c)))
            .collect();
        Some(crate::log::to_line(
            "gatewise.nel_refused",
            &json!({ "refused": counts }),
        ))
    });
    if let Some(line) = line {
        worker::console_log!("{}", line);
    }
}

fn answer(status: u16, error: Option<&str>) -> Result<web_sys::Response, JsValue> {
    let mut headers: Vec<(&str, String)> = SECURITY_HEADERS
        .iter()
        .map(|(n, v)| (*n, (*v).to_owned()))
        .collect();
    match status {
        405 => headers.push(("allow", "POST".into())),
        429 => headers.push(("retry-after", "60".into())),
        _ => {}
    }
    match error {
        Some(e) => {
            headers.push(("content-type", "application/json".into()));
            js::response(status, &headers, Some(&json!({ "error": e }).to_string()))
        }
        None => js::response(status, &headers, None),
    }
}

pub async fn endpoint(
    req: web_sys::Request,
    config: &Config,
    parts: UrlParts<'_>,
    ctx: &Context,
) -> Result<web_sys::Response, JsValue> {
    let h = req.headers();
    let site = format!("{}://{}", parts.scheme, parts.host).to_ascii_lowercase();
    let method = req.method();
    let content_type = header(&h, "content-type");
    let origin = header(&h, "origin");
    let fetch_site = header(&h, "sec-fetch-site");
    let check = reports::check(
        &reports::Request {
            method: &method,
            content_type: content_type.as_deref(),
            origin: origin.as_deref(),
            sec_fetch_site: fetch_site.as_deref(),
        },
        &site,
    );
    if let Err(r) = check {
        refused(config, r.name(), 1);
        return answer(r.status(), (r != Refusal::Method).then_some(r.name()));
    }
    let client = header(&h, "cf-connecting-ip")
        .and_then(|c| gatewise_core::incidents::token(&c, 64))
        .unwrap_or_else(|| "unknown".into());
    let now = state::now_ms();
    let (left_client, left_all) = with_limits(config, |l| {
        (l.clients.left(&client, now), l.all.left("all", now))
    });
    if left_client == 0 || left_all == 0 {
        refused(config, "rate_limited", 1);
        return answer(429, Some("rate_limited"));
    }
    let length = header(&h, "content-length").and_then(|v| v.parse::<usize>().ok());
    if length.is_some_and(|n| n > reports::MAX_BODY) {
        refused(config, "too_large", 1);
        return answer(413, Some("too_large"));
    }
    let body = js::read_prefix(req.body(), reports::MAX_BODY + 1).await;
    let Some(got) = reports::nel_reports(&body, &site) else {
        refused(
            config,
            if body.len() > reports::MAX_BODY {
                "too_large"
            } else {
                "not_json"
            },
            1,
        );
        return answer(400, Some("not a reports+json body"));
    };
    if got.foreign > 0 {
        refused(config, "foreign_url", u64::from(got.foreign));
    }
    if got.over > 0 {
        refused(config, "over_count", u64::from(got.over));
    }
    // Each accepted report takes one unit of both limits.
    let mut kept = Vec::new();
    let mut limited = 0u64;
    with_limits(config, |l| {
        for r in got.reports {
            if l.clients.allow(&client, now) && l.all.allow("all", now) {
                kept.push(r);
            } else {
                limited += 1;
            }
        }
    });
    if limited > 0 {
        refused(config, "rate_limited", limited);
    }
    if kept.is_empty() {
        return answer(204, None);
    }
    let id = format!("gw-{:016x}", state::next_u64());
    worker::console_log!(
        "{}",
        crate::log::to_line(
            "gatewise.nel",
            &json!({ "requestId": id, "source": "visitor", "reports": kept })
        )
    );
    if let Ok(o) = config.origin_for(parts) {
        let object = crate::shared::object_name(&o.base);
        for r in &kept {
            if let Some(d) = &r.diagnosis {
                shared::record(ctx, &object, Incident::reported(d, &r.path, now, &id));
            }
        }
    }
    answer(204, None)
}
