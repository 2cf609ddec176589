//! The drill-through: the HTTP cycle against the origin, one step at a time — DNS over HTTPS (JSON), a TCP connect with the sockets
//! API, a raw `HEAD` of the failed path (without its query) and its status
//! line — within `DRILL_BUDGET_MS` in total, one subrequest at a time, cached
//! per isolate and path for a few seconds.
//! The core's [`gatewise_core::drill`] turns the steps into a diagnosis.
//!
//! Which origin: the configured one; with `ORIGIN_URL` empty, the request's
//! own host — except on Cloudflare's network (the request carries `cf-ray`),
//! where that name is the proxied zone: its DNS answers and its sockets are
//! Cloudflare's own, not the origin's, so drilling them would blame the wrong
//! component (Cloudflare's 52x answers say there what failed).

use std::rc::Rc;
use std::time::Duration;

use futures_util::future::{select, Either};
use gatewise_core::drill::{socket_outcome, Outcome, Step, MAX_HEADER_SECTION};
use gatewise_core::Hop;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use worker::{Delay, SecureTransport, Socket};

use super::{js, state};
use crate::config::{Config, Origin};
use crate::route::UrlParts;

/// Runs `fut` unless `ms` pass first.
async fn within<F: std::future::Future>(ms: u64, fut: F) -> Option<F::Output> {
    let fut = Box::pin(fut);
    let delay = Box::pin(Delay::from(Duration::from_millis(ms.max(1))));
    match select(fut, delay).await {
        Either::Left((v, _)) => Some(v),
        Either::Right(_) => None,
    }
}

/// The steps (from the isolate's cache when fresh), within `budget_ms`
/// (`DRILL_BUDGET_MS`, or less: what is left of the visit's time limit);
/// `None` when there is no origin this worker can drill (see the module
/// documentation). `on_cloudflare`: the request came through Cloudflare's network.
pub async fn run(
    config: &Config,
    parts: UrlParts<'_>,
    on_cloudflare: bool,
    budget_ms: u32,
) -> Option<Rc<Vec<Step>>> {
    if config.origin.is_none() && on_cloudflare {
        return None;
    }
    let origin = config.origin_for(parts).ok()?;
    // The cache is per origin and path (with ORIGIN_URL empty, hosts differ).
    let key = format!("{}{}", origin.base, parts.path);
    if let Some(steps) = state::cached_drill(&key) {
        return Some(steps);
    }
    let steps = Rc::new(steps(config, &origin, parts.path, budget_ms).await);
    state::store_drill(&key, steps.clone());
    Some(steps)
}

pub(crate) async fn steps(
    config: &Config,
    origin: &Origin,
    request_path: &str,
    budget_ms: u32,
) -> Vec<Step> {
    let deadline = state::now_ms() + u64::from(budget_ms);
    let left = || deadline.saturating_sub(state::now_ms());
    let mut out = Vec::with_capacity(3);

    // DNS
    if origin.host_is_ip() {
        out.push(Step::new(Hop::Dns, Outcome::Skipped, 0));
    } else {
        let t = state::now_ms();
        let (outcome, note) = match within(left(), dns(config, &origin.host)).await {
            Some(r) => r,
            None => (
                Outcome::Timeout,
                "DNS-over-HTTPS resolver did not answer in time".into(),
            ),
        };
        out.push(Step::new(Hop::Dns, outcome, ms(t)).with_note(&note));
        if outcome != Outcome::Ok {
            return out;
        }
    }

    // Connect (TLS included for https: the socket's `opened` covers the handshake)
    let t = state::now_ms();
    let transport = if origin.is_https() {
        SecureTransport::On
    } else {
        SecureTransport::Off
    };
    let mut socket = match Socket::builder()
        .secure_transport(transport)
        .connect(origin.host.clone(), origin.port)
    {
        Ok(s) => s,
        Err(e) => {
            out.push(
                Step::new(Hop::Connect, socket_outcome(&e.to_string()), ms(t))
                    .with_note(&e.to_string()),
            );
            return out;
        }
    };
    match within(left(), socket.opened()).await {
        Some(Ok(_)) => out.push(Step::new(Hop::Connect, Outcome::Ok, ms(t))),
        Some(Err(e)) => {
            let msg = e.to_string();
            out.push(Step::new(Hop::Connect, socket_outcome(&msg), ms(t)).with_note(&msg));
            return out;
        }
        None => {
            out.push(Step::new(Hop::Connect, Outcome::Timeout, ms(t)));
            let _ = socket.close().await;
            return out;
        }
    }

    if !origin.is_https() {
        out.push(Step::new(Hop::Tls, Outcome::Skipped, 0));
    }

    // HTTP: a HEAD of the failed path, read up to the end of the status line.
    let t = state::now_ms();
    let base_path = origin
        .base
        .splitn(4, '/')
        .nth(3)
        .map(|p| format!("/{p}"))
        .unwrap_or_default();
    let path = format!("{base_path}{request_path}");
    let host_header = if origin.host.contains(':') {
        format!("[{}]", origin.host)
    } else {
        origin.host.clone()
    };
    let request = format!("HEAD {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: gatewise-drill-through\r\nAccept: */*\r\nConnection: close\r\n\r\n");
    let exchange = async {
        if let Err(e) = socket.write_all(request.as_bytes()).await {
            return (Outcome::Failed, e.to_string());
        }
        let mut buf = vec![0u8; 8 * 1024];
        let mut got: Vec<u8> = Vec::new();
        loop {
            match socket.read(&mut buf).await {
                Ok(0) => break,
                Ok(n) => {
                    let from = got.len().saturating_sub(3);
                    got.extend_from_slice(buf.get(..n).unwrap_or(&[]));
                    if got.len() >= 12 && status_outcome(&got) == Outcome::NotHttp {
                        return (Outcome::NotHttp, first_line(&got));
                    }
                    if got
                        .get(from..)
                        .is_some_and(|t| t.windows(4).any(|w| w == b"\r\n\r\n"))
                    {
                        return (status_outcome(&got), first_line(&got));
                    }
                    if got.len() > MAX_HEADER_SECTION {
                        return (
                            Outcome::HeadersTooLarge,
                            format!(
                                "{} — header section over {MAX_HEADER_SECTION} bytes",
                                first_line(&got)
                            ),
                        );
                    }
                }
                Err(e) => {
                    let msg = e.to_string();
                    let o = match socket_outcome(&msg) {
                        Outcome::Refused | Outcome::Failed => Outcome::ClosedBeforeResponse,
                        other => other,
                    };
                    return if got.is_empty() {
                        (o, msg)
                    } else {
                        (
                            Outcome::Failed,
                            format!("{} — then: {msg}", first_line(&got)),
                        )
                    };
                }
            }
        }
        match status_outcome(&got) {
            _ if got.is_empty() => (
                Outcome::ClosedBeforeResponse,
                "closed without a byte".into(),
            ),
            Outcome::Ok => (
                Outcome::Failed,
                format!("{} — closed inside the header section", first_line(&got)),
            ),
            other => (other, first_line(&got)),
        }
    };
    let (outcome, note) = within(left(), exchange)
        .await
        .unwrap_or((Outcome::Timeout, "no status line in time".into()));
    if origin.is_https() && matches!(outcome, Outcome::Ok | Outcome::NotHttp) {
        out.push(Step::new(Hop::Tls, Outcome::Ok, 0)); // bytes came through the TLS session
    }
    out.push(Step::new(Hop::Response, outcome, ms(t)).with_note(&note));
    let _ = within(200, socket.close()).await;
    out
}

/// The first line of what was received, for the owner's notes.
fn first_line(got: &[u8]) -> String {
    let line = got.split(|b| *b == b'\n').next().unwrap_or(&[]);
    String::from_utf8_lossy(line.get(..200).unwrap_or(line))
        .trim()
        .to_owned()
}

/// `Ok` for an HTTP/1.x status line, `NotHttp` for anything else.
fn status_outcome(got: &[u8]) -> Outcome {
    let ok = got.len() >= 12
        && got.starts_with(b"HTTP/1.")
        && got.get(8) == Some(&b' ')
        && got
            .get(9..12)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if ok || (got.len() < 12 && b"HTTP/1.".starts_with(got.get(..got.len().min(7)).unwrap_or(&[])))
    {
        Outcome::Ok
    } else {
        Outcome::NotHttp
    }
}

fn ms(since: u64) -> u32 {
    u32::try_from(state::now_ms().saturating_sub(since)).unwrap_or(u32::MAX)
}

/// DNS over HTTPS (JSON API): `Status` 3 (NXDOMAIN) or no A/AAAA answer → no address.
async fn dns(config: &Config, host: &str) -> (Outcome, String) {
    let sep = if config.doh_url.contains('?') {
        '&'
    } else {
        '?'
    };
    let mut outcome = (Outcome::NoAddress, String::new());
    for kind in ["A", "AAAA"] {
        let url = format!("{}{sep}name={}&type={kind}", config.doh_url, encode(host));
        let init = web_sys::RequestInit::new();
        let Ok(h) = web_sys::Headers::new() else {
            return (Outcome::Failed, "headers".into());
        };
        let _ = h.set("accept", "application/dns-json");
        init.set_headers(&h);
        let resp = match JsFuture::from(js::global().fetch_with_str_and_init(&url, &init)).await {
            Ok(r) => r.unchecked_into::<web_sys::Response>(),
            Err(e) => return (Outcome::ResolverFailed, js::transport_error(&e).message),
        };
        if !resp.ok() {
            // Unread, the body would hold one of the invocation's six connections.
            if let Some(b) = resp.body() {
                let _ = b.cancel();
            }
            return (
                Outcome::ResolverFailed,
                format!("resolver answered HTTP {}", resp.status()),
            );
        }
        let json = match resp.json() {
            Ok(p) => JsFuture::from(p).await.unwrap_or(JsValue::NULL),
            Err(_) => JsValue::NULL,
        };
        let status = js_sys::Reflect::get(&json, &"Status".into())
            .ok()
            .and_then(|v| v.as_f64());
        let answers = js_sys::Reflect::get(&json, &"Answer".into())
            .ok()
            .and_then(|a| a.dyn_into::<js_sys::Array>().ok())
            .map_or(0, |a| a.length());
        match status {
            Some(s) if s == 0.0 && answers > 0 => {
                return (Outcome::Ok, format!("{kind}: {answers} answer(s)"))
            }
            Some(s) if s == 0.0 || s == 3.0 => {
                outcome = (
                    Outcome::NoAddress,
                    if s == 3.0 {
                        "NXDOMAIN".into()
                    } else {
                        "no records".into()
                    },
                );
            }
            Some(s) => return (Outcome::ResolverFailed, format!("DNS rcode {s}")),
            None => {
                return (
                    Outcome::ResolverFailed,
                    "resolver answer is not DNS JSON".into(),
                )
            }
        }
    }
    outcome
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
