//! The one structured log line the worker writes per failure (and per
//! collected NEL report), read in Workers Logs / `wrangler tail`.
//!
//! Logs are the owner's: they carry the full diagnosis, with upstream
//! detail and evidence.
//!
//! # Example
//! ```
//! use gatewise_core::{Diagnosis, ErrorType, Layer};
//! use gatewise_worker::log::FailureLog;
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Workerd);
//! let line = FailureLog { request_id: "r1", method: "GET", path: "/", diagnosis: &d,
//!     attempts: 2, attempt_ms: vec![3, 4], total_ms: 120, served_stale: false,
//!     breaker: "closed", blame: "origin", attribution: Some("hop.connect"), drill: None }.to_json();
//! let v: serde_json::Value = serde_json::from_str(&line).unwrap();
//! assert_eq!(v["event"], "gatewise.failure");
//! assert_eq!(v["diagnosis"]["errorType"], "connection_refused");
//! assert_eq!(v["blame"], "origin");
//! ```

use gatewise_core::drill::Step;
use gatewise_core::Diagnosis;
use serde::Serialize;

/// One failure, as logged.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureLog<'a> {
    /// The request id.
    pub request_id: &'a str,
    /// The request method.
    pub method: &'a str,
    /// The request path (no query: it may carry personal data).
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

/// `value` as one JSON line tagged with `event` (`{}` if it cannot be serialized).
pub fn to_line<T: Serialize>(event: &'static str, value: &T) -> String {
    serde_json::to_string(&Tagged {
        event,
        inner: value,
    })
    .unwrap_or_else(|_| "{}".into())
}
