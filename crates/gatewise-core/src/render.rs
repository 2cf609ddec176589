//! Renderers: HTML page, RFC 9457 problem JSON, text, Markdown, and content negotiation;
//! [`texts()`] gives the same words as data for front ends that build their own markup.
//! (`Proxy-Status` lives in [`crate::proxy_status`].)
//!
//! Every renderer takes the same [`Diagnosis`] and [`PageContext`] and says
//! the same things: the words are resolved once (taxonomy text, else the
//! status registry's, else a generic page text for the failing segment),
//! reflected values go through [`escape`], and raw upstream text (evidence,
//! `detail`, the Proxy-Status chain) is shown only with
//! [`PageContext::owner_details`].
//!
//! # Example
//! ```
//! use gatewise_core::render::{self, negotiate, PageContext};
//! use gatewise_core::{Diagnosis, ErrorType, Layer};
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
//! let lang = negotiate::language(Some("de-CH, de;q=0.9"));
//! let mut ctx = PageContext::new(lang);
//! ctx.request_id = Some("<b>id</b>".into());
//! let body = match negotiate::format(Some("text/html"), None) {
//!     negotiate::Format::Html => render::html(&d, &ctx),
//!     negotiate::Format::ProblemJson => render::problem_json(&d, &ctx),
//!     negotiate::Format::Text => render::text(&d, &ctx),
//!     negotiate::Format::Markdown => render::markdown(&d, &ctx),
//! };
//! assert!(body.contains(r#"<html lang="de" dir="ltr">"#));
//! assert!(body.contains("&lt;b&gt;id&lt;/b&gt;"));
//! ```

/// Escaping and cleaning of reflected values (the crate-level [`crate::escape`], a leaf module).
pub use crate::escape;
mod html;
pub mod incidents;
mod markdown;
pub mod negotiate;
pub mod problem;
mod svg;
mod text;
pub mod texts;
mod words;

pub use texts::{texts, Texts};

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
    /// A page written ahead of time for anyone who meets the error (`gatewise
    /// pages`): the owner's advice without commands or log locations, as
    /// nothing of the failure is known yet.
    pub static_page: bool,
    /// The URL of the request (reflected: escaped).
    pub url: Option<String>,
    /// A nonce for inline scripts the caller adds, when the caller uses a CSP nonce.
    pub script_nonce: Option<String>,
    /// The URL of the live-checks script to load after first paint (the worker serves it).
    pub checks_script: Option<String>,
    /// What the live-checks script is told (endpoints, resolver, other sites),
    /// written cleaned into `<main data-gatewise-config>` when `checks_script` is set.
    pub checks: Option<crate::checks::ChecksConfig>,
    /// Where the explainer is (the worker's `/__gatewise/`): the owner's
    /// details link to it. A path on this origin or an `https:` URL; else ignored.
    pub explainer: Option<String>,
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

/// The HTML error page for `d`: one self-contained document (no external
/// requests; see the `html` module source for its structure).
pub fn html(d: &Diagnosis, ctx: &PageContext) -> String {
    html::render(d, ctx)
}

/// The RFC 9457 `application/problem+json` body for `d` (members: see [`problem`]).
pub fn problem_json(d: &Diagnosis, ctx: &PageContext) -> String {
    problem::render(d, ctx)
}

/// The `text/plain` body for `d`, for curl and terminals.
pub fn text(d: &Diagnosis, ctx: &PageContext) -> String {
    text::render(d, ctx)
}

/// The `text/markdown` body for `d`, for agents (see the `markdown` module source).
pub fn markdown(d: &Diagnosis, ctx: &PageContext) -> String {
    markdown::render(d, ctx)
}

/// The body for `d` in `format`.
pub fn body(format: negotiate::Format, d: &Diagnosis, ctx: &PageContext) -> String {
    match format {
        negotiate::Format::Html => html(d, ctx),
        negotiate::Format::ProblemJson => problem_json(d, ctx),
        negotiate::Format::Text => text(d, ctx),
        negotiate::Format::Markdown => markdown(d, ctx),
    }
}

/// What the page's live checks are told, read from the page context.
impl crate::checks::PageInfo for PageContext {
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    fn time(&self) -> Option<&str> {
        self.time.as_deref()
    }
    fn checks_config(&self) -> Option<&crate::checks::ChecksConfig> {
        self.checks.as_ref()
    }
}
