//! HAR files (HTTP Archive 1.2: DevTools' "Save all as HAR", Firefox's
//! "Save All As HAR", Playwright's `recordHar`): every entry that failed or
//! got a 5xx answer is explained, with its timings laid on the HTTP cycle;
//! the entries that succeeded are only counted.
//!
//! An entry failed when it has no response: status `0` (DevTools, Firefox)
//! or `-1` (Playwright), usually with the browser's error text in
//! `response._error` (DevTools), `response._failureText` (Playwright) or
//! `_error`. The error text is classified like any error a browser reports
//! ([`crate::classify::transport`] with the browser as runtime), a 5xx
//! answer like any response ([`crate::classify::response`]).
//!
//! The timings become the steps of the HTTP cycle ([`CyclePhase`]): `blocked`
//! (queued in the browser), `dns`, `connect` (TCP; HAR's `connect` includes
//! `ssl`, which is taken out), `ssl` (TLS), `send`, `wait` (until the first
//! byte) and `receive`. A timing of `-1` (or none) means the step did not
//! happen. The failing step is marked: for a failed entry, the step of the
//! failure type ([`crate::Hop`]), after which nothing happened (DevTools
//! writes `0` for the steps of a request that never got that far); for a 5xx
//! answer, `wait`, during which the server behind the browser failed.
//!
//! Sources: <http://www.softwareishard.com/blog/har-12-spec/> (timings, `-1`,
//! `ssl` within `connect`); ChromeDevTools/devtools-frontend
//! `front_end/models/har/Log.ts` (`_error`, timings of failed requests);
//! microsoft/playwright `packages/playwright-core/src/server/har/harTracer.ts`
//! (`status: -1`, `_failureText`).
//!
//! # Example
//! ```
//! use gatewise_core::explain::har::{read, CyclePhase};
//! let har = r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
//!   {"request":{"method":"GET","url":"http://127.0.0.1:9/"},
//!    "response":{"status":0,"statusText":"","headers":[],"content":{"size":0,"mimeType":"x-unknown"},"_error":"net::ERR_CONNECTION_REFUSED"},
//!    "timings":{"blocked":1.2,"dns":-1,"ssl":-1,"connect":-1,"send":0,"wait":0,"receive":0}},
//!   {"request":{"method":"GET","url":"http://127.0.0.1:8080/"},"response":{"status":200,"headers":[]},"timings":{"send":0,"wait":3,"receive":1}}]}}"#;
//! let h = read(har).unwrap();
//! assert_eq!((h.entries.len(), h.succeeded), (1, 1));
//! let x = &h.entries[0].exchange;
//! assert_eq!(x.failed_phase, Some(CyclePhase::Connect));
//! assert_eq!(h.entries[0].diagnosis.error_type, Some(gatewise_core::ErrorType::ConnectionRefused));
//! ```

use serde::{Deserialize, Serialize};

use crate::classify::{self, ResponseView, TransportError};
use crate::diagnosis::{Evidence, EvidenceSource};
use crate::hop::named_enum;
use crate::{Diagnosis, ErrorType, Hop, Layer};

/// A HAR file is read up to this many bytes (they are larger than other pastes).
pub const MAX_HAR_INPUT: usize = 16 << 20;
/// At most this many entries are looked at.
pub const MAX_ENTRIES: usize = 10_000;
/// At most this many bytes of a response body are classified.
const MAX_BODY: usize = 16 * 1024;

named_enum! {
    /// A step of the HTTP cycle as a HAR file times it.
    CyclePhase {
        /// Queued in the browser, before anything went on the network.
        Blocked = "blocked",
        /// Looking the name up (DNS).
        Dns = "dns",
        /// Opening the TCP connection.
        Connect = "connect",
        /// The TLS handshake.
        Tls = "tls",
        /// Sending the request.
        Send = "send",
        /// Waiting for the first byte of the response.
        Wait = "wait",
        /// Receiving the response.
        Receive = "receive",
    }
}

impl CyclePhase {
    /// The hop of the HTTP cycle this step belongs to (`None` for `blocked`).
    pub fn hop(self) -> Option<Hop> {
        match self {
            CyclePhase::Blocked => None,
            CyclePhase::Dns => Some(Hop::Dns),
            CyclePhase::Connect => Some(Hop::Connect),
            CyclePhase::Tls => Some(Hop::Tls),
            CyclePhase::Send => Some(Hop::Request),
            CyclePhase::Wait | CyclePhase::Receive => Some(Hop::Response),
        }
    }

    /// The step where a failure of type `t` (at hop `hop`) shows.
    pub fn of_failure(hop: Option<Hop>, t: Option<ErrorType>) -> Option<CyclePhase> {
        Some(match hop? {
            Hop::Dns => CyclePhase::Dns,
            Hop::Connect => CyclePhase::Connect,
            Hop::Tls => CyclePhase::Tls,
            Hop::Request => CyclePhase::Send,
            Hop::Response => match t {
                Some(
                    ErrorType::HttpResponseIncomplete
                    | ErrorType::ConnectionReadTimeout
                    | ErrorType::HttpResponseTransferCoding
                    | ErrorType::HttpResponseContentCoding
                    | ErrorType::HttpResponseBodySize,
                ) => CyclePhase::Receive,
                _ => CyclePhase::Wait,
            },
            Hop::Proxy => return None,
        })
    }
}

/// One step of an exchange's cycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Phase {
    /// The step.
    pub phase: CyclePhase,
    /// Its duration in milliseconds; `null`: the step did not happen.
    pub ms: Option<f64>,
    /// Whether this is where the exchange failed.
    pub failed: bool,
}

/// One request of a HAR file and how far its HTTP cycle got.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Exchange {
    /// The request method.
    pub method: String,
    /// The request URL (cut to 2,048 bytes).
    pub url: String,
    /// The status received; `null` when no response came.
    pub status: Option<u16>,
    /// The browser's error text (`net::ERR_CONNECTION_REFUSED`), when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The server's IP address, when the HAR has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_ip: Option<String>,
    /// The steps of the cycle, in order.
    pub phases: Vec<Phase>,
    /// The step where the exchange failed, when known.
    pub failed_phase: Option<CyclePhase>,
}

/// One explained entry.
#[derive(Debug, Clone, PartialEq)]
pub struct HarEntry {
    /// The index of the entry in the file (0-based).
    pub index: usize,
    /// The exchange and its cycle.
    pub exchange: Exchange,
    /// What failed.
    pub diagnosis: Diagnosis,
}

/// What a HAR file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct HarReading {
    /// The entries that failed or got a 5xx answer, in file order.
    pub entries: Vec<HarEntry>,
    /// The entries that succeeded (or were cancelled by the page).
    pub succeeded: usize,
    /// The program that wrote the file (`WebInspector 537.36`, `Firefox 128.0`, `Playwright 1.50.0`).
    pub creator: Option<String>,
}

// ---- the file, as far as it is read (serde skips the rest) ----

#[derive(Deserialize)]
struct File {
    log: Log,
}

#[derive(Deserialize)]
struct Log {
    #[serde(default)]
    creator: Option<Creator>,
    #[serde(default)]
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct Creator {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: String,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    request: Request,
    #[serde(default)]
    response: Response,
    #[serde(default)]
    timings: Timings,
    #[serde(default, rename = "serverIPAddress")]
    server_ip: Option<String>,
    #[serde(default, rename = "_error")]
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct Request {
    #[serde(default)]
    method: String,
    #[serde(default)]
    url: String,
}

#[derive(Deserialize, Default)]
struct Response {
    #[serde(default)]
    status: Option<f64>,
    #[serde(default)]
    headers: Vec<Header>,
    #[serde(default)]
    content: Content,
    #[serde(default, rename = "_error")]
    error: Option<String>,
    #[serde(default, rename = "_failureText")]
    failure_text: Option<String>,
}

#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    name: String,
    #[serde(default)]
    value: String,
}

#[derive(Deserialize, Default)]
struct Content {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
}

#[derive(Deserialize, Default)]
struct Timings {
    blocked: Option<f64>,
    dns: Option<f64>,
    connect: Option<f64>,
    ssl: Option<f64>,
    send: Option<f64>,
    wait: Option<f64>,
    receive: Option<f64>,
}

/// Error texts of requests the page itself cancelled: not failures.
const CANCELLED: &[(&str, &str)] = &[(
    "net::ERR_ABORTED",
    "https://chromium.googlesource.com/chromium/src/+/HEAD/net/base/net_error_list.h (ABORTED: \"An operation was aborted (due to user action)\")",
)];

/// Whether `text` looks like a HAR file (a JSON object with `log` and `entries`).
pub fn looks_like_har(text: &str) -> bool {
    let t = text.trim_start();
    let head = super::cut(t, 2048);
    t.starts_with('{')
        && head.contains("\"log\"")
        && (head.contains("\"entries\"")
            || head.contains("\"creator\"")
            || head.contains("\"version\""))
}

/// Reads a HAR file; `None` if `text` is not one.
pub fn read(text: &str) -> Option<HarReading> {
    let text = super::cut(text, MAX_HAR_INPUT);
    // serde_json stops at 128 levels of nesting; unknown members are skipped.
    let file: File = serde_json::from_str(text).ok()?;
    let creator = file
        .log
        .creator
        .as_ref()
        .map(|c| super::cut(format!("{} {}", c.name, c.version).trim(), 128).to_owned())
        .filter(|s| !s.is_empty());
    let mut out = HarReading {
        entries: Vec::new(),
        succeeded: 0,
        creator,
    };
    for (index, e) in file.log.entries.iter().take(MAX_ENTRIES).enumerate() {
        match entry(e, out.creator.as_deref()) {
            Some((exchange, diagnosis)) => out.entries.push(HarEntry {
                index,
                exchange,
                diagnosis,
            }),
            None => out.succeeded = out.succeeded.saturating_add(1),
        }
    }
    Some(out)
}

/// The exchange and diagnosis of a failed or 5xx entry; `None` for the others.
fn entry(e: &Entry, creator: Option<&str>) -> Option<(Exchange, Diagnosis)> {
    let status = e
        .response
        .status
        .filter(|s| s.is_finite() && *s >= 1.0 && *s < 1000.0)
        .map(|s| s as u16);
    let error = [&e.response.error, &e.response.failure_text, &e.error]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
        .map(|s| super::cut(s, 256).to_owned());
    if error
        .as_deref()
        .is_some_and(|err| CANCELLED.iter().any(|(c, _)| err == *c))
    {
        return None;
    }
    let mut d = match status {
        Some(s) if s < 500 => return None,
        Some(s) => answered(e, s),
        None => failed(error.as_deref()),
    };
    let url = super::cut(&e.request.url, 2048).to_owned();
    let method = super::cut(&e.request.method, 16).to_owned();
    let fact = match creator {
        Some(c) => format!("HAR entry by {c}: {method} {}", super::cut(&url, 200)),
        None => format!("HAR entry: {method} {}", super::cut(&url, 200)),
    };
    d.evidence
        .insert(0, Evidence::new(EvidenceSource::Probe, fact, None));
    let failed_phase = match status {
        Some(_) => Some(CyclePhase::Wait),
        None => CyclePhase::of_failure(d.hop, d.error_type),
    };
    let exchange = Exchange {
        method,
        url,
        status,
        error,
        server_ip: e
            .server_ip
            .as_deref()
            .map(|s| super::cut(s, 64).to_owned())
            .filter(|s| !s.is_empty()),
        phases: phases(&e.timings, failed_phase, status.is_some()),
        failed_phase,
    };
    Some((exchange, d))
}

/// The diagnosis of a 5xx answer: the response as the browser received it.
fn answered(e: &Entry, status: u16) -> Diagnosis {
    let headers: Vec<(&str, &str)> = e
        .response
        .headers
        .iter()
        .take(crate::fingerprint::MAX_HEADERS)
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    let body = match (
        &e.response.content.text,
        e.response.content.encoding.as_deref(),
    ) {
        (Some(t), None | Some("")) => super::cut(t, MAX_BODY),
        _ => "",
    };
    classify::response(&ResponseView {
        status,
        headers: &headers,
        body: body.as_bytes(),
    })
}

/// The diagnosis of a request that got no response, from the browser's error text.
fn failed(error: Option<&str>) -> Diagnosis {
    let message = error.unwrap_or_default();
    let code = message
        .rsplit("::")
        .next()
        .filter(|c| c.starts_with("ERR_"))
        .map(str::to_owned);
    classify::transport(&TransportError {
        runtime: Some(Layer::Browser),
        message: message.to_owned(),
        code,
        ..TransportError::default()
    })
}

/// The timings as steps of the cycle; after the failing step of an exchange
/// that got no response, nothing happened.
fn phases(t: &Timings, failed: Option<CyclePhase>, answered: bool) -> Vec<Phase> {
    let ok = |v: Option<f64>| v.filter(|v| v.is_finite() && *v >= 0.0);
    let tcp = match (ok(t.connect), ok(t.ssl)) {
        (Some(c), Some(s)) => Some((c - s).max(0.0)),
        (c, _) => c,
    };
    let steps = [
        (CyclePhase::Blocked, ok(t.blocked)),
        (CyclePhase::Dns, ok(t.dns)),
        (CyclePhase::Connect, tcp),
        (CyclePhase::Tls, ok(t.ssl)),
        (CyclePhase::Send, ok(t.send)),
        (CyclePhase::Wait, ok(t.wait)),
        (CyclePhase::Receive, ok(t.receive)),
    ];
    let mut past_failure = false;
    steps
        .into_iter()
        .map(|(phase, ms)| {
            let is_failed = Some(phase) == failed;
            let ms = if past_failure && !answered { None } else { ms };
            if is_failed {
                past_failure = true;
            }
            Phase {
                phase,
                ms: ms.map(|v| (v * 10.0).round() / 10.0),
                failed: is_failed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_har() {
        assert!(read("{\"log\": 3}").is_none());
        assert!(read("[1,2]").is_none());
        assert!(!looks_like_har("{\"message\":\"x\"}"));
    }

    #[test]
    fn a_5xx_answer_fails_while_waiting() {
        let har = r#"{"log":{"entries":[{"request":{"method":"GET","url":"https://shop.example/"},
          "response":{"status":502,"headers":[{"name":"Server","value":"nginx/1.22.1"}],
          "content":{"mimeType":"text/html","text":"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n"}},
          "timings":{"blocked":0.5,"dns":12,"connect":30,"ssl":18,"send":0.1,"wait":25.04,"receive":0.3}}]}}"#;
        let h = read(har).unwrap();
        let e = &h.entries[0];
        assert_eq!(e.diagnosis.layer, Layer::Nginx);
        assert_eq!(e.diagnosis.received_status, Some(502));
        let ms: Vec<_> = e
            .exchange
            .phases
            .iter()
            .map(|p| (p.phase, p.ms, p.failed))
            .collect();
        assert_eq!(
            ms,
            vec![
                (CyclePhase::Blocked, Some(0.5), false),
                (CyclePhase::Dns, Some(12.0), false),
                (CyclePhase::Connect, Some(12.0), false),
                (CyclePhase::Tls, Some(18.0), false),
                (CyclePhase::Send, Some(0.1), false),
                (CyclePhase::Wait, Some(25.0), true),
                (CyclePhase::Receive, Some(0.3), false),
            ]
        );
    }

    #[test]
    fn cancelled_requests_are_not_failures() {
        let har = r#"{"log":{"entries":[{"request":{"url":"x"},"response":{"status":0,"_error":"net::ERR_ABORTED"}}]}}"#;
        let h = read(har).unwrap();
        assert_eq!((h.entries.len(), h.succeeded), (0, 1));
    }
}
