//! The Reporting API / Network Error Logging collector's parsing: a POSTed
//! `application/reports+json` body (a list of reports) or a legacy
//! `report-to` body (one report, or a list) becomes the NEL reports it holds;
//! the core classifies each ([`gatewise_core::classify::nel`]).
//!
//! Bounded: at most [`MAX_BODY`] bytes are parsed and [`MAX_REPORTS`]
//! reports kept; anything that is not a `network-error` report is skipped.
//!
//! # Example
//! ```
//! use gatewise_worker::reports::nel_reports;
//! let body = br#"[{"type":"network-error","age":10,"url":"https://example.com/",
//!   "body":{"type":"tcp.refused","status_code":0,"phase":"connection","elapsed_time":12}}]"#;
//! let r = nel_reports(body).unwrap();
//! assert_eq!(r.len(), 1);
//! assert_eq!(r[0].kind, "tcp.refused");
//! assert_eq!(r[0].diagnosis.as_ref().unwrap().error_type.unwrap().name(), "connection_refused");
//! ```

use gatewise_core::{classify, Diagnosis};
use serde_json::Value;

/// The most bytes of a reports body read.
pub const MAX_BODY: usize = 64 * 1024;
/// The most reports of one body kept.
pub const MAX_REPORTS: usize = 50;

/// One NEL report and its diagnosis.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NelReport {
    /// `body.type`, e.g. `tcp.refused`.
    pub kind: String,
    /// `body.status_code` (0: no response).
    pub status_code: u16,
    /// `body.phase`.
    pub phase: String,
    /// `body.elapsed_time` in ms.
    pub elapsed_ms: u64,
    /// The core's diagnosis (`None` for `ok` and unknown types).
    pub diagnosis: Option<Diagnosis>,
}

/// The NEL reports of a body, or `None` when it is not JSON (or too large).
pub fn nel_reports(body: &[u8]) -> Option<Vec<NelReport>> {
    if body.len() > MAX_BODY {
        return None;
    }
    let v: Value = serde_json::from_slice(body).ok()?;
    let list = match v {
        Value::Array(a) => a,
        obj @ Value::Object(_) => vec![obj],
        _ => return None,
    };
    Some(
        list.iter()
            .filter(|r| r.get("type").and_then(Value::as_str) == Some("network-error"))
            .filter_map(|r| r.get("body"))
            .take(MAX_REPORTS)
            .map(|b| {
                let text = |k: &str| {
                    let s = b.get(k).and_then(Value::as_str).unwrap_or("");
                    s.get(..64).unwrap_or(s).to_owned()
                };
                let kind = text("type");
                let phase = text("phase");
                let status_code = b
                    .get("status_code")
                    .and_then(Value::as_u64)
                    .and_then(|s| u16::try_from(s).ok())
                    .unwrap_or(0);
                let elapsed_ms = b.get("elapsed_time").and_then(Value::as_u64).unwrap_or(0);
                let diagnosis = classify::nel(&kind, Some(status_code), &phase);
                NelReport {
                    kind,
                    status_code,
                    phase,
                    elapsed_ms,
                    diagnosis,
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        assert!(nel_reports(b"nope").is_none());
        assert!(nel_reports(&vec![b' '; MAX_BODY + 1]).is_none());
        let one = br#"{"type":"network-error","body":{"type":"http.error","status_code":502,"phase":"application"}}"#;
        let r = nel_reports(one).unwrap();
        assert_eq!(
            (
                r[0].status_code,
                r[0].diagnosis.as_ref().unwrap().received_status
            ),
            (502, Some(502))
        );
        let other = br#"[{"type":"csp-violation","body":{}},{"type":"network-error","body":{"type":"ok","status_code":200}}]"#;
        let r = nel_reports(other).unwrap();
        assert_eq!(r.len(), 1);
        assert!(r[0].diagnosis.is_none());
        let many = format!(
            "[{}]",
            vec![r#"{"type":"network-error","body":{"type":"tcp.reset"}}"#; 200].join(",")
        );
        assert_eq!(nel_reports(many.as_bytes()).unwrap().len(), MAX_REPORTS);
    }
}
