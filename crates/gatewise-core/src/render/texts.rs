//! The words of a rendered diagnosis as data, for front ends that build
//! their own markup (the npm package's `<gatewise-error>` element, the
//! explainer page): the same texts the HTML page shows, resolved by the same
//! fallback chains, in one serializable value. Every string is plain text:
//! the caller must insert it as text (`textContent`), never as markup.
//!
//! # Example
//! ```
//! use gatewise_core::render::{texts, PageContext};
//! use gatewise_core::{Diagnosis, ErrorType, Lang, Layer};
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
//! let t = texts::texts(&d, &PageContext::new(Lang::EN));
//! assert_eq!(t.lang, "en");
//! assert_eq!(t.code, "502 · connection_refused");
//! assert_eq!(t.status_line.as_deref(), Some("Error code 502"));
//! assert!(!t.title.is_empty() && !t.visitor_advice.is_empty());
//! let json = serde_json::to_value(&t).unwrap();
//! assert!(json["visitorAdvice"].is_array());
//! ```

use serde::Serialize;

use crate::render::svg;
use crate::render::words::{layer_name, t, Advice, Words};
use crate::render::PageContext;
use crate::Diagnosis;

/// One piece of advice for the site owner or a developer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdviceText {
    /// What to do, in the requested language.
    pub text: String,
    /// A command to run, whole (filled from the evidence), or none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// The headings and labels a front end shows around the texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Headings {
    /// Above the visitor's advice ("What you can do").
    pub visitor: String,
    /// Above the folded details for the site owner.
    pub details: String,
    /// Above the owner's advice.
    pub owner: String,
    /// Above the developer's explanation and advice.
    pub developer: String,
    /// The label of a request id ("Request ID").
    pub request_id: String,
    /// The hint before the ids to quote to support.
    pub ids_hint: String,
    /// The label of the machine-readable code ("Error code").
    pub code: String,
    /// Above the likely causes.
    pub causes: String,
}

/// Everything the HTML page says about a diagnosis, as plain texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Texts {
    /// The BCP 47 tag of the language the texts are in (`en`, `zh-Hans`).
    pub lang: String,
    /// The writing direction of that language: `ltr` or `rtl`.
    pub dir: String,
    /// The machine-readable code, e.g. `502 · connection_refused` (for the details).
    pub code: String,
    /// The line under the headline, e.g. `Error code 502`; absent for a
    /// failure a client's runtime reported (no status was sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_line: Option<String>,
    /// The short title (the page's headline).
    pub title: String,
    /// The one-line summary.
    pub summary: String,
    /// The explanation for visitors.
    pub visitor: String,
    /// Which part of the path failed, and at which step (the diagram's caption).
    pub failure: String,
    /// The localized name of the layer that wrote the error.
    pub layer: String,
    /// The explanation for the site owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The explanation for developers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer: Option<String>,
    /// What visitors can do, most useful first.
    pub visitor_advice: Vec<String>,
    /// What the site owner can do.
    pub owner_advice: Vec<AdviceText>,
    /// What developers can do.
    pub developer_advice: Vec<AdviceText>,
    /// The likely causes, most likely first.
    pub causes: Vec<String>,
    /// What the signal leaves open, when the rule that matched says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Headings and labels in the same language.
    pub headings: Headings,
}

fn advice(items: Vec<Advice>) -> Vec<AdviceText> {
    items
        .into_iter()
        .map(|a| AdviceText {
            text: a.text,
            command: a.command,
        })
        .collect()
}

/// The texts for `d` in `ctx.lang` (the same words as [`crate::render::html`]).
pub fn texts(d: &Diagnosis, ctx: &PageContext) -> Texts {
    let lang = ctx.lang;
    let w = Words::new(d, ctx);
    Texts {
        lang: lang.tag().to_owned(),
        dir: lang.dir().to_owned(),
        code: w.code,
        status_line: w.status_line,
        title: w.title,
        summary: w.summary,
        visitor: w.visitor,
        failure: svg::failure_sentence(d, lang),
        layer: layer_name(d, lang),
        owner: w.owner,
        developer: w.developer,
        visitor_advice: w.visitor_advice,
        owner_advice: advice(w.owner_advice),
        developer_advice: advice(w.developer_advice),
        causes: w.causes,
        note: w.note,
        headings: Headings {
            visitor: t(lang, "page.heading.visitor"),
            details: t(lang, "page.heading.details"),
            owner: t(lang, "page.heading.owner"),
            developer: t(lang, "page.heading.developer"),
            request_id: t(lang, "page.label.request_id"),
            ids_hint: t(lang, "page.ids.hint"),
            code: t(lang, "page.label.code"),
            causes: t(lang, "page.heading.causes"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorType, Lang, Layer, ERROR_TYPES};

    #[test]
    fn every_error_type_has_texts_in_every_language_and_no_bare_key() {
        for lang in Lang::all() {
            for (t, _) in ERROR_TYPES {
                let d = Diagnosis::for_type(*t, Layer::Nginx);
                let x = texts(&d, &PageContext::new(lang));
                assert_eq!(x.lang, lang.tag());
                assert_eq!(x.dir, lang.dir());
                for s in [&x.title, &x.summary, &x.visitor, &x.failure, &x.code] {
                    assert!(!s.is_empty(), "{lang} {t}");
                    assert!(!s.starts_with("type.") && !s.starts_with("page."), "{s}");
                }
                assert!(!x.visitor_advice.is_empty(), "{lang} {t}");
                assert!(!x.headings.visitor.starts_with("page."), "{lang}");
            }
        }
    }

    #[test]
    fn texts_match_the_html_page() {
        let d = Diagnosis::for_type(ErrorType::ConnectionTimeout, Layer::Cloudflare);
        let ctx = PageContext::new(Lang::from_tag("ar").unwrap_or_default());
        let x = texts(&d, &ctx);
        let page = crate::render::html(&d, &ctx);
        assert_eq!(x.dir, "rtl");
        assert!(page.contains(&crate::render::escape::escape(&x.title)));
        assert!(page.contains(&crate::render::escape::escape(&x.visitor)));
    }
}
