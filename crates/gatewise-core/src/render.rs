//! Renderers: HTML page, RFC 9457 problem JSON, text, and content negotiation.
//! (`Proxy-Status` lives in [`crate::proxy_status`].)
//!
//! STUB: signatures fixed; bodies filled by the render work.

pub mod negotiate;

use crate::{Diagnosis, Lang};

/// What a renderer may show besides the diagnosis.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct PageContext {
    /// The language to write in.
    pub lang: Lang,
    /// A request id to quote to support (`cf-ray` where present).
    pub request_id: Option<String>,
    /// When it happened, as an RFC 3339 / HTTP-date string chosen by the caller.
    pub time: Option<String>,
    /// The site's display name (branding).
    pub site_name: Option<String>,
    /// Contact for the site owner (mail or URL).
    pub contact: Option<String>,
    /// A status page URL.
    pub status_page: Option<String>,
    /// Whether to include owner-only details (raw upstream text, origin host, evidence).
    pub owner_details: bool,
    /// The URL of the request (reflected: escaped).
    pub url: Option<String>,
    /// A nonce for inline scripts the caller adds, when the caller uses a CSP nonce.
    pub script_nonce: Option<String>,
    /// The URL of the live-checks script to load after first paint (the worker serves it).
    pub checks_script: Option<String>,
}

impl PageContext {
    /// A context in `lang` with nothing else set.
    pub fn new(lang: Lang) -> Self {
        PageContext {
            lang,
            ..PageContext::default()
        }
    }
}

/// The HTML error page for `d`: one self-contained document.
pub fn html(d: &Diagnosis, ctx: &PageContext) -> String {
    let _ = (d, ctx);
    String::new()
}

/// The RFC 9457 `application/problem+json` body for `d`.
pub fn problem_json(d: &Diagnosis, ctx: &PageContext) -> String {
    let _ = (d, ctx);
    String::from("{}")
}

/// The `text/plain` body for `d`.
pub fn text(d: &Diagnosis, ctx: &PageContext) -> String {
    let _ = (d, ctx);
    String::new()
}
