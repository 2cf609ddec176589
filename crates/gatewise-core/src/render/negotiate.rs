//! Content negotiation: `Accept` (with q-values) picks HTML, problem JSON or
//! text; `Accept-Language` picks a catalog language.
//!
//! STUB: signatures fixed; bodies filled by the render work.

use crate::Lang;

/// The representations gatewise renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `text/html`
    Html,
    /// `application/problem+json`
    ProblemJson,
    /// `text/plain`
    Text,
}

/// Picks a format from the `Accept` header (and `User-Agent` when `Accept` is `*/*`).
pub fn format(accept: Option<&str>, user_agent: Option<&str>) -> Format {
    let _ = (accept, user_agent);
    Format::Html
}

/// Picks a language from `Accept-Language`, falling back to English.
pub fn language(accept_language: Option<&str>) -> Lang {
    let _ = accept_language;
    Lang::EN
}
