//! The one structured log line the worker writes per failure (and per
//! collected NEL report, per robot run…), read in Workers Logs / `wrangler tail`.
//!
//! Logs are the owner's: they carry the full diagnosis, with upstream
//! detail and evidence. Nothing a visitor sends can shape them: every line
//! is one JSON object of at most [`MAX_LINE`] bytes (a longer one is
//! replaced by a bounded summary that says so); line and paragraph
//! separators (U+2028/2029), bidi controls (U+200E/200F, U+061C,
//! U+202A–202E, U+2066–2069) and C1 controls are written as `\uXXXX`
//! escapes (serde already escapes C0 controls), so a log viewer never shows a
//! line broken or reordered by them. The request id is the worker's own;
//! a `cf-ray` the request carried is a separate, cut field.
//!
//! # Example
//! ```
//! use gatewise_core::{Diagnosis, ErrorType, Layer};
//! use gatewise_worker::log::FailureLog;
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Workerd);
//! let line = FailureLog { request_id: "gw-1", ray: Some("8a1b\u{2028}"), method: "GET", path: "/\u{202e}x",
//!     diagnosis: &d, attempts: 2, attempt_ms: vec![3, 4], total_ms: 120, served_stale: false,
//!     breaker: "closed", blame: "origin", attribution: Some("hop.connect"), drill: None }.to_json();
//! assert!(line.contains(r"/\u202ex") && !line.contains('\u{202e}'));
//! let v: serde_json::Value = serde_json::from_str(&line).unwrap();
//! assert_eq!(v["event"], "gatewise.failure");
//! assert_eq!(v["diagnosis"]["errorType"], "connection_refused");
//! assert_eq!(v["ray"], "8a1b\u{2028}");
//! assert_eq!(v["blame"], "origin");
//! ```

use gatewise_core::drill::Step;
use gatewise_core::Diagnosis;
use serde::Serialize;

/// The longest log line written, in bytes.
pub const MAX_LINE: usize = 8 * 1024;
/// The longest path logged, in bytes.
pub const MAX_PATH: usize = 256;
/// The longest `cf-ray` (or other visitor-sent token) logged, in bytes.
pub const MAX_TOKEN: usize = 64;

/// One failure, as logged.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureLog<'a> {
    /// The request id (the worker's own).
    pub request_id: &'a str,
    /// The request's `cf-ray`, when it carried one (cut to [`MAX_TOKEN`] bytes).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "cut_token")]
    pub ray: Option<&'a str>,
    /// The request method.
    pub method: &'a str,
    /// The request path (no query: it may carry personal data; cut to [`MAX_PATH`] bytes).
    #[serde(serialize_with = "cut_path")]
    pub path: &'a str,
    /// The diagnosis, complete.
    pub diagnosis: &'a Diagnosis,
    /// Attempts made at the origin.
    pub attempts: u32,
    /// How long each attempt took, in ms.
    pub attempt_ms: Vec<u64>,
    /// The whole request, in ms.
    pub total_ms: u64,
    /// Whether a stale copy was served instead of an error.
    pub served_stale: bool,
    /// The origin's circuit breaker's state after this request.
    pub breaker: &'static str,
    /// Who the failure was counted against (`client`, `path`, `origin`,
    /// `nobody`), or `none` when it was not counted (a loop, a breaker's answer).
    pub blame: &'static str,
    /// The attribution table's row that decided it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<&'static str>,
    /// The drill-through steps, when one ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drill: Option<&'a [Step]>,
}

fn cut_path<S: serde::Serializer>(p: &&str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(gatewise_core::incidents::cut(p, MAX_PATH))
}

fn cut_token<S: serde::Serializer>(p: &Option<&str>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(v) => s.serialize_some(gatewise_core::incidents::cut(v, MAX_TOKEN)),
        None => s.serialize_none(),
    }
}

#[derive(Serialize)]
struct Tagged<'a, T> {
    event: &'static str,
    #[serde(flatten)]
    inner: &'a T,
}

impl FailureLog<'_> {
    /// The JSON line.
    pub fn to_json(&self) -> String {
        to_line("gatewise.failure", self)
    }
}

/// Whether `c` is written as a `\uXXXX` escape in a log line.
fn escaped(c: char) -> bool {
    matches!(c,
        '\u{80}'..='\u{9f}'
        | '\u{2028}' | '\u{2029}'
        | '\u{200e}' | '\u{200f}' | '\u{061c}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

/// `json` (serde's output) with [`escaped`] characters as `\uXXXX`: they
/// only occur inside JSON strings, where the escape means the same character.
fn escape_json(json: String) -> String {
    if !json.chars().any(escaped) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// `value` as one JSON line tagged with `event`, escaped and bounded (see
/// the module documentation); `{}` if it cannot be serialized.
///
/// # Example
/// ```
/// use gatewise_worker::log::{to_line, MAX_LINE};
/// let line = to_line("gatewise.nel", &serde_json::json!({"url": "x".repeat(100_000)}));
/// assert!(line.len() <= MAX_LINE);
/// let v: serde_json::Value = serde_json::from_str(&line).unwrap();
/// assert_eq!((v["event"].as_str(), v["truncated"].as_bool()), (Some("gatewise.nel"), Some(true)));
/// ```
pub fn to_line<T: Serialize>(event: &'static str, value: &T) -> String {
    let line = serde_json::to_string(&Tagged {
        event,
        inner: value,
    })
    .map(escape_json)
    .unwrap_or_else(|_| "{}".into());
    if line.len() <= MAX_LINE {
        return line;
    }
    // The start of the line, as a string (escaped again, and each escape at most 6 bytes).
    let head = gatewise_core::incidents::cut(&line, MAX_LINE / 8);
    let summary = serde_json::json!({
        "event": event,
        "truncated": true,
        "bytes": line.len(),
        "head": head,
    });
    escape_json(summary.to_string())
}

/// A line of plain text (a runtime's message) made safe for a log line:
/// controls, separators and bidi controls escaped as `\u{…}`, cut to `max` bytes.
///
/// # Example
/// ```
/// use gatewise_worker::log::text;
/// assert_eq!(text("a\nb\u{202e}c", 100), r"a\u{a}b\u{202e}c");
/// assert_eq!(text(&"é".repeat(100), 5), "éé");
/// ```
pub fn text(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let piece = if c.is_control() || escaped(c) {
            format!("\\u{{{:x}}}", u32::from(c))
        } else {
            c.to_string()
        };
        if out.len() + piece.len() > max {
            break;
        }
        out.push_str(&piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dangerous_character_is_escaped_and_the_line_stays_json() {
        let nasty: String = [
            '\u{85}', '\u{9b}', '\u{2028}', '\u{2029}', '\u{202e}', '\u{2066}', '\u{200f}',
            '\u{1b}', '\n',
        ]
        .iter()
        .collect();
        let line = to_line("t", &serde_json::json!({ "v": nasty }));
        assert!(
            !line.chars().any(|c| c.is_control() || escaped(c)),
            "{line:?}"
        );
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["v"], nasty);
    }

    #[test]
    fn long_fields_are_cut_at_character_boundaries() {
        let d = Diagnosis::for_status(502, gatewise_core::Layer::Nginx);
        let path = "/".to_owned() + &"é".repeat(60_000);
        let ray = "€".repeat(1000);
        let line = FailureLog {
            request_id: "gw-1",
            ray: Some(&ray),
            method: "GET",
            path: &path,
            diagnosis: &d,
            attempts: 1,
            attempt_ms: vec![1],
            total_ms: 1,
            served_stale: false,
            breaker: "closed",
            blame: "origin",
            attribution: None,
            drill: None,
        }
        .to_json();
        assert!(line.len() <= MAX_LINE);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert!(v["path"].as_str().unwrap().len() <= MAX_PATH);
        assert!(v["ray"].as_str().unwrap().len() <= MAX_TOKEN);
    }
}
