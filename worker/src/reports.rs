//! The Reporting API / Network Error Logging collector's rules and parsing:
//! which POSTs it accepts, and the NEL reports a body holds.
//!
//! Nothing a visitor sends can forge the owner's record, so the collector
//! takes only what a browser reporting for *this* site sends:
//!
//! | check | refused with |
//! |---|---|
//! | method `POST` | 405 |
//! | `Content-Type` `application/reports+json` (the Reporting API's) or `application/json` — never `text/plain` or a form type, which another site's page may send without a CORS preflight | 415 |
//! | `Origin`, when present, is this site's own (`null` and other sites refused); `Sec-Fetch-Site` is not `cross-site` or `same-site` | 403 |
//! | at most [`MAX_BODY`] bytes | 413 |
//! | JSON | 400 |
//! | each report's `url` on this site (same scheme, host and port) | that report dropped, counted |
//! | at most [`MAX_REPORTS`] reports per body | the rest dropped, counted |
//!
//! Rate limits per client and per minute are the endpoint's
//! (`edge::collector`), and the shared object caps what it stores per minute
//! for all isolates. Text fields are cut at character boundaries by the core
//! ([`gatewise_core::classify::nel_field`]).
//!
//! # Example
//! ```
//! use gatewise_worker::reports::nel_reports;
//! let body = br#"[{"type":"network-error","age":10,"url":"https://example.com/a?b=1",
//!   "body":{"type":"tcp.refused","status_code":0,"phase":"connection","elapsed_time":12}},
//!  {"type":"network-error","url":"https://evil.example/","body":{"type":"tcp.refused"}}]"#;
//! let got = nel_reports(body, "https://example.com").unwrap();
//! assert_eq!(got.reports.len(), 1);
//! assert_eq!(got.reports[0].kind, "tcp.refused");
//! assert_eq!(got.reports[0].path, "/a");
//! assert_eq!(got.foreign, 1);
//! assert_eq!(got.reports[0].diagnosis.as_ref().unwrap().error_type.unwrap().name(), "connection_refused");
//! ```

use gatewise_core::classify::nel_field;
use gatewise_core::{classify, Diagnosis};
use serde_json::Value;

/// The most bytes of a reports body read.
pub const MAX_BODY: usize = 64 * 1024;
/// The most reports of one body kept.
pub const MAX_REPORTS: usize = 20;

/// One NEL report and its diagnosis.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NelReport {
    /// `body.type`, e.g. `tcp.refused` (cut at a character boundary).
    pub kind: String,
    /// `body.status_code` (0: no response).
    pub status_code: u16,
    /// `body.phase` (cut at a character boundary).
    pub phase: String,
    /// `body.elapsed_time` in ms.
    pub elapsed_ms: u64,
    /// The path key of the report's `url` (no query).
    pub path: String,
    /// The core's diagnosis (`None` for `ok` and unknown types).
    pub diagnosis: Option<Diagnosis>,
}

/// What a body held.
#[derive(Debug, Clone, Default)]
pub struct Collected {
    /// The network-error reports about this site kept.
    pub reports: Vec<NelReport>,
    /// Reports about another site (or without a usable `url`), dropped.
    pub foreign: u32,
    /// Reports past [`MAX_REPORTS`], dropped.
    pub over: u32,
}

/// Why the collector refuses a request (before reading its body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a POST (405).
    Method,
    /// Not a reports+json or JSON body (415).
    ContentType,
    /// Sent from another site (403).
    CrossSite,
}

impl Refusal {
    /// The status answered.
    pub fn status(self) -> u16 {
        match self {
            Refusal::Method => 405,
            Refusal::ContentType => 415,
            Refusal::CrossSite => 403,
        }
    }

    /// A short name, for the log.
    pub fn name(self) -> &'static str {
        match self {
            Refusal::Method => "method",
            Refusal::ContentType => "content_type",
            Refusal::CrossSite => "cross_site",
        }
    }
}

/// The request's headers the collector looks at.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    /// The method.
    pub method: &'a str,
    /// `Content-Type`.
    pub content_type: Option<&'a str>,
    /// `Origin`.
    pub origin: Option<&'a str>,
    /// `Sec-Fetch-Site`.
    pub sec_fetch_site: Option<&'a str>,
}

/// Whether the collector takes this request for `site` (`scheme://host[:port]`, its own URL's).
///
/// # Example
/// ```
/// use gatewise_worker::reports::{check, Refusal, Request};
/// let site = "https://example.com";
/// let ok = Request { method: "POST", content_type: Some("application/reports+json"), origin: Some(site), sec_fetch_site: None };
/// assert_eq!(check(&ok, site), Ok(()));
/// let plain = Request { content_type: Some("text/plain;charset=UTF-8"), ..ok };
/// assert_eq!(check(&plain, site), Err(Refusal::ContentType));
/// let other = Request { origin: Some("https://evil.example"), ..ok };
/// assert_eq!(check(&other, site), Err(Refusal::CrossSite));
/// let sandboxed = Request { origin: Some("null"), ..ok };
/// assert_eq!(check(&sandboxed, site), Err(Refusal::CrossSite));
/// ```
pub fn check(r: &Request<'_>, site: &str) -> Result<(), Refusal> {
    if r.method != "POST" {
        return Err(Refusal::Method);
    }
    let media = r
        .content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if media != "application/reports+json" && media != "application/json" {
        return Err(Refusal::ContentType);
    }
    if let Some(o) = r.origin {
        if !o.trim().eq_ignore_ascii_case(site) {
            return Err(Refusal::CrossSite);
        }
    }
    if let Some(s) = r.sec_fetch_site {
        if matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "cross-site" | "same-site"
        ) {
            return Err(Refusal::CrossSite);
        }
    }
    Ok(())
}

/// The path of `url` when it is on `site` (same scheme, host and port, ASCII
/// case-insensitive); `None` for another site or a URL that is not absolute.
///
/// # Example
/// ```
/// use gatewise_worker::reports::path_on_site;
/// assert_eq!(path_on_site("HTTPS://Example.com/a/b?c", "https://example.com"), Some("/a/b?c"));
/// assert_eq!(path_on_site("https://example.com", "https://example.com"), Some("/"));
/// assert_eq!(path_on_site("https://example.com.evil.example/", "https://example.com"), None);
/// assert_eq!(path_on_site("https://example.com@evil.example/", "https://example.com"), None);
/// ```
pub fn path_on_site<'a>(url: &'a str, site: &str) -> Option<&'a str> {
    let head = url.get(..site.len())?;
    if !head.eq_ignore_ascii_case(site) {
        return None;
    }
    let rest = url.get(site.len()..)?;
    match rest.chars().next() {
        None => Some("/"),
        Some('/') => Some(rest),
        Some('?' | '#') => Some("/"),
        Some(_) => None,
    }
}

/// The NEL reports of a body about `site`, or `None` when it is not JSON (or too large).
pub fn nel_reports(body: &[u8], site: &str) -> Option<Collected> {
    if body.len() > MAX_BODY {
        return None;
    }
    let v: Value = serde_json::from_slice(body).ok()?;
    let list = match v {
        Value::Array(a) => a,
        obj @ Value::Object(_) => vec![obj],
        _ => return None,
    };
    let mut out = Collected::default();
    for r in list
        .iter()
        .filter(|r| r.get("type").and_then(Value::as_str) == Some("network-error"))
    {
        let Some(b) = r.get("body") else { continue };
        let Some(path) = r
            .get("url")
            .and_then(Value::as_str)
            .and_then(|u| path_on_site(u, site))
        else {
            out.foreign = out.foreign.saturating_add(1);
            continue;
        };
        if out.reports.len() >= MAX_REPORTS {
            out.over = out.over.saturating_add(1);
            continue;
        }
        let text = |k: &str| nel_field(b.get(k).and_then(Value::as_str).unwrap_or("")).to_owned();
        let kind = text("type");
        let phase = text("phase");
        let status_code = b
            .get("status_code")
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(0);
        let elapsed_ms = b.get("elapsed_time").and_then(Value::as_u64).unwrap_or(0);
        let diagnosis = classify::nel(&kind, Some(status_code), &phase);
        out.reports.push(NelReport {
            kind,
            status_code,
            phase,
            elapsed_ms,
            path: gatewise_core::incidents::path_key(path).to_owned(),
            diagnosis,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = "https://site.example";

    #[test]
    fn bodies() {
        assert!(nel_reports(b"nope", SITE).is_none());
        assert!(nel_reports(&vec![b' '; MAX_BODY + 1], SITE).is_none());
        let one = br#"{"type":"network-error","url":"https://site.example/","body":{"type":"http.error","status_code":502,"phase":"application"}}"#;
        let r = nel_reports(one, SITE).unwrap().reports;
        assert_eq!(
            (
                r[0].status_code,
                r[0].diagnosis.as_ref().unwrap().received_status
            ),
            (502, Some(502))
        );
        let other = br#"[{"type":"csp-violation","body":{}},{"type":"network-error","url":"https://site.example/x","body":{"type":"ok","status_code":200}}]"#;
        let r = nel_reports(other, SITE).unwrap().reports;
        assert_eq!(r.len(), 1);
        assert!(r[0].diagnosis.is_none());
        let many = format!(
            "[{}]",
            vec![r#"{"type":"network-error","url":"https://site.example/","body":{"type":"tcp.reset"}}"#; 200].join(",")
        );
        let got = nel_reports(many.as_bytes(), SITE).unwrap();
        assert_eq!(
            (got.reports.len(), got.over),
            (MAX_REPORTS, 200 - MAX_REPORTS as u32)
        );
    }

    #[test]
    fn a_field_longer_than_the_cut_is_cut_inside_no_character() {
        // Byte 64 falls inside a 3-byte character: the field must still be cut.
        let kind = format!("{}{}", "a".repeat(63), "€".repeat(8_000));
        let body = serde_json::json!([{"type":"network-error","url":"https://site.example/","body":{"type": kind, "phase": kind}}]);
        let got = nel_reports(body.to_string().as_bytes(), SITE).unwrap();
        assert_eq!(got.reports[0].kind, "a".repeat(63));
        assert!(got.reports[0].phase.len() <= 64);
    }

    #[test]
    fn reports_without_a_url_of_this_site_are_dropped() {
        let body = serde_json::json!([
            {"type":"network-error","body":{"type":"tcp.refused"}},
            {"type":"network-error","url":"http://site.example/","body":{"type":"tcp.refused"}},
            {"type":"network-error","url":"https://site.example:8443/","body":{"type":"tcp.refused"}},
            {"type":"network-error","url":"https://site.example.evil/","body":{"type":"tcp.refused"}},
            {"type":"network-error","url":"https://site.example/ok","body":{"type":"tcp.refused"}},
        ]);
        let got = nel_reports(body.to_string().as_bytes(), SITE).unwrap();
        assert_eq!((got.reports.len(), got.foreign), (1, 4));
    }
}
