//! The words of a rendered diagnosis, shared by the HTML, JSON and text
//! renderers: which catalog text each part uses, tried in a fixed order.
//!
//! Each part has a fallback chain ([`TITLE`], [`SUMMARY`], …): the taxonomy
//! text of the failure type (`type.<name>.<field>`), then the status
//! registry's (`status.<code>.<sub>.<field>`, `status.<code>.<field>`), then
//! this module's own generic text for the segment that failed
//! (`page.fallback.<field>.<segment>`). A key is used only if the catalog
//! has it, so a page never shows a bare key.
//!
//! # Example
//! ```
//! use gatewise_core::{render, Diagnosis, ErrorType, Lang, Layer};
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
//! let json: serde_json::Value =
//!     serde_json::from_str(&render::problem_json(&d, &render::PageContext::new(Lang::EN))).unwrap();
//! assert!(!json["title"].as_str().unwrap().starts_with("type."));
//! ```

use crate::advice::{self, Facts};
use crate::i18n::{self, Lang};
use crate::render::PageContext;
use crate::{Audience, Diagnosis, ErrorType, Segment};

/// Where a text may come from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Src {
    /// `type.<error_type>.<field>`: the taxonomy's text for the failure type.
    Type(&'static str),
    /// `status.<code>.<sub>.<field>`, then `status.<code>.<field>`: the status registry's text.
    Status(&'static str),
    /// `page.fallback.<field>.<segment>`: this module's generic text for the failing segment.
    Segment(&'static str),
}

/// The short title (page headline, problem `title`).
pub(crate) const TITLE: &[Src] = &[
    Src::Type("title"),
    Src::Status("meaning"),
    Src::Segment("title"),
];
/// The one-line summary (problem `detail`, text body).
pub(crate) const SUMMARY: &[Src] = &[
    Src::Type("summary"),
    Src::Status("meaning"),
    Src::Segment("summary"),
];
/// The explanation for visitors.
pub(crate) const VISITOR: &[Src] = &[
    Src::Type("visitor"),
    Src::Status("visitor"),
    Src::Segment("visitor"),
];
/// The explanation for the site owner.
pub(crate) const OWNER: &[Src] = &[
    Src::Type("owner"),
    Src::Status("owner"),
    Src::Segment("owner"),
];
/// The explanation for developers (no generic fallback: the owner's covers it).
pub(crate) const DEVELOPER: &[Src] = &[Src::Type("developer"), Src::Status("developer")];

/// A generic visitor advice, used when the advice table has none for a diagnosis.
struct GenericAdvice {
    /// Catalog key of the text (may use `{seconds}`).
    key: &'static str,
    /// When it applies.
    when: fn(&Diagnosis) -> bool,
}

/// Generic visitor advice, in display order. Source: the seed articles
/// (reload later, check your own connection, tell the owner) and Chromium's
/// net-error suggestions.
const GENERIC_VISITOR: &[GenericAdvice] = &[
    GenericAdvice {
        key: "page.advice.check_connection",
        when: |d| d.segment == Segment::Client,
    },
    GenericAdvice {
        key: "page.advice.retry",
        when: |d| d.retryable && d.retry_after.is_none(),
    },
    GenericAdvice {
        key: "page.advice.not_temporary",
        when: |d| !d.retryable,
    },
    GenericAdvice {
        key: "page.advice.tell_owner",
        when: |_| true,
    },
];

/// One piece of advice: its text and an optional command to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Advice {
    /// The advice, in the page's language.
    pub text: String,
    /// A command, whole (every placeholder filled from the evidence), or none.
    pub command: Option<String>,
}

/// Everything a renderer says about a diagnosis, resolved once.
#[derive(Debug, Clone)]
pub(crate) struct Words {
    /// The machine-readable code, e.g. `502 · connection_refused` (in the details).
    pub code: String,
    /// The visible line under the headline, e.g. `Error code 502`; `None`
    /// for a failure a client's runtime reported (no status was sent).
    pub status_line: Option<String>,
    /// The short title.
    pub title: String,
    /// The one-line summary.
    pub summary: String,
    /// The explanation for visitors.
    pub visitor: String,
    /// The explanation for the site owner.
    pub owner: Option<String>,
    /// The explanation for developers.
    pub developer: Option<String>,
    /// What visitors can do, most useful first.
    pub visitor_advice: Vec<String>,
    /// What the site owner can do.
    pub owner_advice: Vec<Advice>,
    /// What developers can do.
    pub developer_advice: Vec<Advice>,
    /// The likely causes, most likely first (the owner's details).
    pub causes: Vec<String>,
    /// What the transport rule that matched says about its ambiguity (the owner's details).
    pub note: Option<String>,
}

impl Words {
    /// Resolves every text for `d` in `ctx.lang`.
    pub fn new(d: &Diagnosis, ctx: &PageContext) -> Words {
        let lang = ctx.lang;
        let facts = Facts::gather(d, ctx.url.as_deref());
        let commands = !ctx.static_page;
        Words {
            owner: pick(d, lang, OWNER),
            developer: pick(d, lang, DEVELOPER),
            owner_advice: remedies(d, Audience::Owner, lang, &facts, commands),
            developer_advice: remedies(d, Audience::Developer, lang, &facts, commands),
            causes: crate::causes::cause_keys(d)
                .iter()
                .take(advice::MAX_PER_AUDIENCE)
                .filter_map(|k| i18n::message(lang, k).map(str::to_owned))
                .collect(),
            note: crate::causes::note_key(d)
                .and_then(|k| i18n::message(lang, k).map(str::to_owned)),
            ..Words::visitor(d, ctx)
        }
    }

    /// Resolves only what the visitor reads (the code, title, summary, visitor
    /// text and advice: what the problem JSON says); the owner's and the
    /// developer's texts stay empty.
    pub fn visitor(d: &Diagnosis, ctx: &PageContext) -> Words {
        let lang = ctx.lang;
        let status = d.status.to_string();
        // A failure a client's runtime saw (a browser's fetch) was answered
        // with no status: its code is the type alone, and no status is shown.
        let answered = answered(d);
        let code = match (d.error_type, answered) {
            (Some(t), true) => i18n::format(
                lang,
                "page.code",
                &[("status", &status), ("type", t.name())],
            ),
            (Some(t), false) => t.name().to_owned(),
            (None, true) => i18n::format(lang, "page.code_status", &[("status", &status)]),
            (None, false) => String::new(),
        };
        let title = pick(d, lang, TITLE);
        let status_line =
            answered.then(|| i18n::format(lang, "page.code_line", &[("status", &status)]));
        Words {
            code,
            status_line,
            summary: match (&title, pick(d, lang, SUMMARY)) {
                // A status-only diagnosis titles itself with the status's meaning:
                // then the summary says where, instead of repeating it.
                (Some(title), Some(summary)) if *title == summary => {
                    pick(d, lang, &[Src::Segment("summary")]).unwrap_or_default()
                }
                (_, summary) => summary.unwrap_or_default(),
            },
            title: title.unwrap_or_default(),
            visitor: pick(d, lang, VISITOR).unwrap_or_default(),
            owner: None,
            developer: None,
            visitor_advice: visitor_advice(d, lang),
            owner_advice: Vec::new(),
            developer_advice: Vec::new(),
            causes: Vec::new(),
            note: None,
        }
    }
}

/// Whether a status was sent or received for `d`: always, except for a
/// failure a client's own runtime saw (a browser's or Node's fetch that
/// threw): its `status` is only what a gateway would send.
pub(crate) fn answered(d: &Diagnosis) -> bool {
    d.received_status.is_some() || !advice::is_client_runtime(d.layer)
}

/// Whether `d` is a low-confidence pick among several failure types.
pub(crate) fn hedged(d: &Diagnosis) -> bool {
    advice::is_best_guess(d)
}

/// The catalog keys `src` stands for, for `d`, most specific first.
fn keys(d: &Diagnosis, src: Src) -> Vec<String> {
    match src {
        // A guess must not be presented as a fact: when the signal leaves
        // several types open, the visitor-facing texts come from the status
        // or the segment, and only the owner's texts name the likeliest type.
        Src::Type(field) if hedged(d) && matches!(field, "title" | "summary" | "visitor") => {
            Vec::new()
        }
        Src::Type(field) => d
            .error_type
            .map(|t| format!("type.{}.{field}", t.name()))
            .into_iter()
            .collect(),
        // Texts about a status nobody sent would speak of a gateway that may not exist.
        Src::Status(_) if !answered(d) => Vec::new(),
        Src::Status(field) => {
            let mut out = Vec::with_capacity(2);
            if let Some(sub) = d.sub_status {
                let code = d.received_status.unwrap_or(d.status);
                out.push(format!("status.{code}.{sub}.{field}"));
            }
            out.push(format!("status.{}.{field}", d.status));
            out
        }
        Src::Segment(field) => vec![format!("page.fallback.{field}.{}", d.segment.name())],
    }
}

/// The first text of `chain` the catalog has, filled with `d`'s facts.
pub(crate) fn pick(d: &Diagnosis, lang: Lang, chain: &[Src]) -> Option<String> {
    let key = chain
        .iter()
        .flat_map(|s| keys(d, *s))
        .find(|k| i18n::has_key(k))?;
    Some(fill_facts(d, lang, &key))
}

/// The message `key`, with the placeholders other catalogs may use about `d`.
fn fill_facts(d: &Diagnosis, lang: Lang, key: &str) -> String {
    let status = d.status.to_string();
    let received = d.received_status.map(|s| s.to_string()).unwrap_or_default();
    let seconds = d.retry_after.map(|s| s.to_string()).unwrap_or_default();
    let layer = layer_name(d, lang);
    let hop = d.hop.map(|h| hop_name(h, lang)).unwrap_or_default();
    i18n::format(
        lang,
        key,
        &[
            ("status", &status),
            ("received", &received),
            ("seconds", &seconds),
            ("layer", &layer),
            ("hop", &hop),
        ],
    )
}

/// A plain catalog text of this module.
pub(crate) fn t(lang: Lang, key: &str) -> String {
    i18n::format(lang, key, &[])
}

/// Where the layer that wrote the error keeps its logs, when reading them
/// helps (the advice `read_gateway_log` applies) and the page is not
/// written ahead of time; else nothing.
pub(crate) fn gateway_logs(d: &Diagnosis, ctx: &PageContext) -> &'static [&'static str] {
    let useful = advice::remedy("read_gateway_log").is_some_and(|r| advice::applies(r, d));
    if ctx.static_page || !useful {
        &[]
    } else {
        d.layer.info().logs
    }
}

/// The localized name of the layer that wrote the error.
pub(crate) fn layer_name(d: &Diagnosis, lang: Lang) -> String {
    // One lookup: `message` is `Some` exactly when the catalog has the key.
    match i18n::message(lang, &format!("layer.{}", d.layer.name())) {
        Some(name) => name.to_owned(),
        None => d.layer.info().display.to_owned(),
    }
}

/// The localized name of a hop.
pub(crate) fn hop_name(h: crate::Hop, lang: Lang) -> String {
    t(lang, &format!("hop.{}.name", h.name()))
}

/// The localized name of a segment.
pub(crate) fn segment_name(s: Segment, lang: Lang) -> String {
    t(lang, &format!("segment.{}.name", s.name()))
}

/// The localized title of a failure type, when the taxonomy has one.
pub(crate) fn type_title(e: ErrorType, lang: Lang) -> Option<String> {
    i18n::message(lang, &format!("type.{}.title", e.name())).map(str::to_owned)
}

/// What visitors can do: a `Retry-After` hint, then the advice table's
/// remedies, or the generic rows when it has none.
fn visitor_advice(d: &Diagnosis, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = d.retry_after {
        out.push(i18n::format(
            lang,
            "page.advice.retry_after",
            &[("seconds", &s.to_string())],
        ));
    }
    let remedies = advice::remedies(d, Audience::Visitor);
    if remedies.is_empty() {
        out.extend(
            GENERIC_VISITOR
                .iter()
                .filter(|g| (g.when)(d))
                .map(|g| fill_facts(d, lang, g.key)),
        );
    } else {
        out.extend(remedies.iter().map(|r| r.text(lang)));
    }
    out.truncate(advice::MAX_PER_AUDIENCE);
    out
}

/// The advice table's remedies for `audience`, with their commands filled
/// from `facts` (none when `commands` is false: a page written ahead of time).
fn remedies(
    d: &Diagnosis,
    audience: Audience,
    lang: Lang,
    facts: &Facts,
    commands: bool,
) -> Vec<Advice> {
    advice::advise(d, audience, facts)
        .into_iter()
        .map(|a| Advice {
            text: a.remedy.text(lang),
            command: a.command.filter(|_| commands),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_segment_has_every_fallback_text() {
        for s in Segment::ALL {
            for field in ["title", "summary", "visitor", "owner"] {
                let key = format!("page.fallback.{field}.{}", s.name());
                assert!(i18n::has_key(&key), "missing {key}");
            }
        }
        for g in GENERIC_VISITOR {
            assert!(i18n::has_key(g.key), "missing {}", g.key);
        }
    }
}
