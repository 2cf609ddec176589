//! Explain anything a person pastes: a status code (`502`, `502.3`, `524`),
//! a raw HTTP response, one or more log lines, or an error page's HTML.
//! The CLI's `explain`, the explainer page and the npm package all call
//! [`explain()`], so that they agree on what an input is.
//!
//! # Example
//! ```
//! use gatewise_core::explain::{explain, InputKind};
//! use gatewise_core::{ErrorType, Layer};
//!
//! let e = explain("502.3").unwrap();
//! assert_eq!(e.kind, InputKind::Status);
//!
//! let line = r#"2026/11/21 06:12:01 [error] 4242#4242: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:9/", host: "localhost""#;
//! let e = explain(line).unwrap();
//! assert_eq!(e.kind, InputKind::Log);
//! assert_eq!(e.diagnosis.error_type, Some(ErrorType::ConnectionRefused));
//! assert_eq!(e.diagnosis.layer, Layer::Nginx);
//!
//! let e = explain("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>").unwrap();
//! assert_eq!(e.kind, InputKind::Page);
//! assert_eq!(e.diagnosis.layer, Layer::Nginx);
//! ```

use serde::{Deserialize, Serialize};

use crate::classify::{self, ResponseView};
use crate::diagnosis::{Evidence, EvidenceSource};
use crate::hop::named_enum;
use crate::logs::{self, LineExplanation, LineKind};
use crate::{raw, status, Confidence, Diagnosis, ErrorType, Layer};

/// At most this many bytes of a paste are considered.
pub const MAX_INPUT: usize = 256 * 1024;
/// Status codes are looked for in this many leading bytes of an error page.
const STATUS_SCAN: usize = 4096;
/// The statuses tried for an error page that names none.
const PAGE_STATUS_GUESSES: &[u16] = &[502, 503, 504, 500];

named_enum! {
    /// What kind of input was recognised.
    InputKind {
        /// A status code such as `502` or `502.3`.
        Status = "status",
        /// A raw HTTP response (status line, headers, body).
        Response = "response",
        /// One or more log lines.
        Log = "log",
        /// An error page's HTML or text, without a status line.
        Page = "page",
    }
}

/// The result of [`explain()`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// What the input was taken for.
    pub kind: InputKind,
    /// The diagnosis (for several log lines: the first failure's).
    pub diagnosis: Diagnosis,
    /// For log input: every recognised line with its own explanation.
    #[serde(skip)]
    pub lines: Vec<LineExplanation>,
}

/// Why an input could not be explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExplainError {
    /// Nothing but white space.
    Empty,
    /// No status code, response, log line or known error page was recognised.
    NotRecognised,
}

impl std::fmt::Display for ExplainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ExplainError::Empty => "nothing to explain",
            ExplainError::NotRecognised => {
                "not a status code, an HTTP response, a known log line or a known error page"
            }
        })
    }
}

impl std::error::Error for ExplainError {}

/// Explains a paste (see the module docs for the kinds tried, in order).
pub fn explain(input: &str) -> Result<Explanation, ExplainError> {
    let whole = input.len() <= MAX_INPUT;
    let input = prefix(input, MAX_INPUT).trim();
    if input.is_empty() {
        return Err(ExplainError::Empty);
    }
    if let Ok(key) = status::parse(input) {
        return Ok(single(InputKind::Status, classify::status(key)));
    }
    if input.starts_with("HTTP/") {
        if let Ok(r) = raw::parse_response(input.as_bytes()) {
            let headers = r.header_pairs();
            let d = classify::response(&r.view(&headers));
            let d = if whole { cut_short(&r, d) } else { d };
            return Ok(single(InputKind::Response, d));
        }
    }
    let lines = logs::explain_all(input);
    if let Some(first) = lines
        .iter()
        .find(|l| l.explanation.kind == LineKind::Failure)
        .or_else(|| lines.first())
    {
        let diagnosis = first.explanation.diagnosis.clone();
        return Ok(Explanation {
            kind: InputKind::Log,
            diagnosis,
            lines,
        });
    }
    page(input).map(|d| single(InputKind::Page, d))
}

/// A 2xx response whose body is shorter than the `Content-Length` it declares was cut
/// on its way: RFC 9112 §8, "a message that uses a valid Content-Length is incomplete
/// if the size of the message body received (in octets) is less than the value given
/// by Content-Length". A paste may have lost a carriage return per line break and its
/// final line break, so only a shortfall beyond those counts; an empty body (headers
/// only, as `curl -I` prints a HEAD answer) says nothing. The layer and the received
/// status stay as read.
fn cut_short(r: &raw::RawResponse, d: Diagnosis) -> Diagnosis {
    let Some(declared) = r.content_length else {
        return d;
    };
    if !(200..300).contains(&r.status) || r.body.is_empty() || d.error_type.is_some() {
        return d;
    }
    let received = u64::try_from(r.body.len()).unwrap_or(u64::MAX);
    let line_breaks = r.body.iter().filter(|b| **b == b'\n').count();
    let slack = u64::try_from(line_breaks)
        .unwrap_or(u64::MAX)
        .saturating_add(2);
    if received.saturating_add(slack) >= declared {
        return d;
    }
    let mut cut = Diagnosis::for_type(ErrorType::HttpResponseIncomplete, d.layer);
    cut.received_status = d.received_status.or(Some(r.status));
    cut.vendor_code = d.vendor_code;
    cut.confidence = Confidence::Medium;
    cut.evidence = d.evidence;
    cut.with_evidence(Evidence::new(
        EvidenceSource::Body,
        format!("Content-Length: {declared}, and {received} bytes of body"),
        Some("rfc9112.incomplete_content_length"),
    ))
}

fn single(kind: InputKind, diagnosis: Diagnosis) -> Explanation {
    Explanation {
        kind,
        diagnosis,
        lines: Vec::new(),
    }
}

/// An error page without a status line: the status it names, or the best
/// of the usual gateway statuses.
fn page(text: &str) -> Result<Diagnosis, ExplainError> {
    let named = statuses_named(prefix(text, STATUS_SCAN));
    let guessed = named.is_empty();
    let candidates: &[u16] = if guessed { PAGE_STATUS_GUESSES } else { &named };
    let best = candidates
        .iter()
        .map(|&status| {
            classify::response(&ResponseView {
                status,
                headers: &[],
                body: text.as_bytes(),
            })
        })
        .max_by_key(|d| {
            (
                d.layer != Layer::Unknown && d.layer != Layer::OriginApp,
                d.error_type.is_some(),
                confidence_rank(d.confidence),
            )
        })
        .ok_or(ExplainError::NotRecognised)?;
    if guessed && best.layer == Layer::Unknown {
        return Err(ExplainError::NotRecognised);
    }
    let fact = if guessed {
        format!("no status in the page; {} fits it best", best.status)
    } else {
        format!(
            "the page names status {}",
            best.received_status.unwrap_or(best.status)
        )
    };
    let mut best = best.with_evidence(Evidence::new(EvidenceSource::Body, fact, None));
    if guessed {
        best.confidence = Confidence::Low;
    }
    Ok(best)
}

fn confidence_rank(c: Confidence) -> u8 {
    match c {
        Confidence::High => 2,
        Confidence::Medium => 1,
        Confidence::Low => 0,
    }
}

/// 4xx/5xx codes standing alone in `text`, in order of appearance, at most 3.
fn statuses_named(text: &str) -> Vec<u16> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, w) in bytes.windows(3).enumerate() {
        let before = i.checked_sub(1).and_then(|j| bytes.get(j));
        let after = bytes.get(i.saturating_add(3));
        let standalone = !before.is_some_and(u8::is_ascii_alphanumeric)
            && !after.is_some_and(u8::is_ascii_alphanumeric);
        if !standalone || !w.iter().all(u8::is_ascii_digit) {
            continue;
        }
        let Ok(code) = std::str::from_utf8(w).unwrap_or("0").parse::<u16>() else {
            continue;
        };
        if (400..600).contains(&code) && !out.contains(&code) {
            out.push(code);
            if out.len() == 3 {
                break;
            }
        }
    }
    out
}

fn prefix(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    s.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_recognised() {
        assert_eq!(explain("524").unwrap().kind, InputKind::Status);
        let e = explain("HTTP/1.1 503 Service Unavailable\nServer: varnish\n\nGuru Meditation")
            .unwrap();
        assert_eq!(e.kind, InputKind::Response);
        assert_eq!(e.diagnosis.received_status, Some(503));
        let e = explain(
            "<h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n",
        )
        .unwrap();
        assert_eq!(
            (e.kind, e.diagnosis.layer),
            (InputKind::Page, Layer::Haproxy)
        );
        assert_eq!(e.diagnosis.received_status, Some(503));
    }

    #[test]
    fn a_page_without_a_status_gets_the_best_fitting_one() {
        let e = explain("upstream connect error or disconnect/reset before headers. reset reason: connection failure").unwrap();
        assert_eq!(e.kind, InputKind::Page);
        assert_eq!(e.diagnosis.layer, Layer::Envoy);
        assert_eq!(e.diagnosis.error_type, Some(ErrorType::ConnectionRefused));
        assert_eq!(e.diagnosis.confidence, Confidence::Low);
    }

    #[test]
    fn nonsense_and_empty_are_errors_not_panics() {
        assert_eq!(explain("   ").unwrap_err(), ExplainError::Empty);
        assert_eq!(
            explain("hello world").unwrap_err(),
            ExplainError::NotRecognised
        );
        assert!(explain(&"€".repeat(300_000)).is_err());
        assert!(explain("HTTP/1.1 abc").is_err());
    }

    #[test]
    fn a_2xx_cut_short_of_its_content_length_is_incomplete() {
        let cut =
            "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 100000\r\n\r\n0123456789";
        let e = explain(cut).unwrap();
        assert_eq!(e.kind, InputKind::Response);
        assert_eq!(
            e.diagnosis.error_type,
            Some(ErrorType::HttpResponseIncomplete)
        );
        assert_eq!(e.diagnosis.received_status, Some(200));
        // Whole, or short only by what a paste loses (CR of CRLF, a last line break).
        for whole in [
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789",
            "HTTP/1.1 200 OK\nContent-Length: 14\n\nab\ncd\nef\ngh",
            // Headers only: curl -I.
            "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n",
            // An error status keeps its own reading.
            "HTTP/1.1 404 Not Found\r\nContent-Length: 100000\r\n\r\nnot here",
            // Chunked: a client shows the decoded body under the chunked header.
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nhello",
        ] {
            let e = explain(whole).unwrap();
            assert_ne!(
                e.diagnosis.error_type,
                Some(ErrorType::HttpResponseIncomplete),
                "{whole}"
            );
        }
        // A paste cut by the size limit says nothing of the body.
        let huge = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n{}",
            "a".repeat(MAX_INPUT)
        );
        assert_ne!(
            explain(&huge).unwrap().diagnosis.error_type,
            Some(ErrorType::HttpResponseIncomplete)
        );
    }

    #[test]
    fn statuses_are_found_standing_alone() {
        assert_eq!(
            statuses_named("Error 503 Backend fetch failed; XID: 5023"),
            vec![503]
        );
        assert_eq!(statuses_named("a502b 404"), vec![404]);
    }
}
