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

use crate::advice::{self, Remedy};
use crate::i18n::{self, Lang};
use crate::render::escape::{self, strip_prefix_ignore_case};
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
    /// A command with its placeholders filled where that is safe.
    pub command: Option<String>,
}

/// Everything a renderer says about a diagnosis, resolved once.
#[derive(Debug, Clone)]
pub(crate) struct Words {
    /// The visible machine-readable code, e.g. `502 · connection_refused`.
    pub code: String,
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
}

impl Words {
    /// Resolves every text for `d` in `ctx.lang`.
    pub fn new(d: &Diagnosis, ctx: &PageContext) -> Words {
        let lang = ctx.lang;
        let target = Target::from_url(ctx.url.as_deref());
        Words {
            owner: pick(d, lang, OWNER),
            developer: pick(d, lang, DEVELOPER),
            owner_advice: remedies(d, Audience::Owner, lang, &target),
            developer_advice: remedies(d, Audience::Developer, lang, &target),
            ..Words::visitor(d, ctx)
        }
    }

    /// Resolves only what the visitor reads (the code, title, summary, visitor
    /// text and advice: what the problem JSON says); the owner's and the
    /// developer's texts stay empty.
    pub fn visitor(d: &Diagnosis, ctx: &PageContext) -> Words {
        let lang = ctx.lang;
        let status = d.status.to_string();
        let code = match d.error_type {
            Some(t) => i18n::format(
                lang,
                "page.code",
                &[("status", &status), ("type", t.name())],
            ),
            None => i18n::format(lang, "page.code_status", &[("status", &status)]),
        };
        let title = pick(d, lang, TITLE);
        Words {
            code,
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
        }
    }
}

/// Whether `d` is a low-confidence pick among several failure types.
pub(crate) fn hedged(d: &Diagnosis) -> bool {
    d.confidence == crate::Confidence::Low && !d.alternatives.is_empty()
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
    out
}

/// The advice table's remedies for `audience`, with commands filled for `target`.
fn remedies(d: &Diagnosis, audience: Audience, lang: Lang, target: &Target) -> Vec<Advice> {
    let target = target.as_advice_target();
    advice::remedies(d, audience)
        .into_iter()
        .map(|r: &Remedy| Advice {
            text: r.text(lang),
            command: r.command_for(d, &target),
        })
        .collect()
}

/// The parts of the request URL that may be put into a shell command the
/// site owner copies: only characters a shell does not interpret.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Target {
    /// `scheme://host[:port]/path` (no query: `&`, `;`, `?` mean things to shells).
    pub url: Option<String>,
    /// The host name or bracketed IPv6 address.
    pub host: Option<String>,
    /// The explicit port, or the scheme's default.
    pub port: Option<String>,
}

impl Target {
    /// Splits an `http(s)` URL; anything else (or anything unusual) gives an empty target.
    pub fn from_url(url: Option<&str>) -> Target {
        let Some(url) = url.and_then(escape::http_url) else {
            return Target::default();
        };
        let (scheme, rest, default_port) = match strip_prefix_ignore_case(url, "https://") {
            Some(rest) => ("https", rest, "443"),
            None => (
                "http",
                strip_prefix_ignore_case(url, "http://").unwrap_or(""),
                "80",
            ),
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = rest.get(..end).unwrap_or("");
        let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let (host, port) = match hostport.rfind(':') {
            Some(i) if !hostport.ends_with(']') => (
                hostport.get(..i).unwrap_or(""),
                hostport.get(i.saturating_add(1)..).unwrap_or(""),
            ),
            _ => (hostport, default_port),
        };
        let allowed = if host.starts_with('[') { "[]:." } else { ".-" };
        let host_ok = !host.is_empty()
            && host.len() <= 253
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || allowed.contains(c));
        let port_ok =
            port.chars().all(|c| c.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p > 0);
        if !host_ok || !port_ok {
            return Target::default();
        }
        let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
        let path = rest.get(end..path_end).unwrap_or("");
        let path_ok = path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~/%+,=@:".contains(c));
        let path = if path_ok && !path.is_empty() {
            path
        } else {
            "/"
        };
        let port_part = if port == default_port {
            String::new()
        } else {
            format!(":{port}")
        };
        Target {
            url: Some(format!("{scheme}://{host}{port_part}{path}")),
            host: Some(host.to_owned()),
            port: Some(port.to_owned()),
        }
    }

    /// The shell-safe parts as the advice table's command target (which
    /// fills `{log}` and `{service}` from the layer and shell-quotes values).
    pub fn as_advice_target(&self) -> advice::Target<'_> {
        advice::Target {
            host: self.host.as_deref(),
            port: self.port.as_deref().and_then(|p| p.parse().ok()),
            url: self.url.as_deref(),
            ..advice::Target::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_keep_only_shell_safe_parts() {
        let t = Target::from_url(Some("https://shop.example.com/cart?id=1;rm$(id)"));
        assert_eq!(t.url.as_deref(), Some("https://shop.example.com/cart"));
        assert_eq!(t.host.as_deref(), Some("shop.example.com"));
        assert_eq!(t.port.as_deref(), Some("443"));
        let t = Target::from_url(Some("http://user:pw@10.0.0.7:8080/a$(id)"));
        assert_eq!(t.url.as_deref(), Some("http://10.0.0.7:8080/"));
        assert_eq!(t.port.as_deref(), Some("8080"));
        let t = Target::from_url(Some("https://[2001:db8::1]/x"));
        assert_eq!(t.host.as_deref(), Some("[2001:db8::1]"));
        assert_eq!(t.url.as_deref(), Some("https://[2001:db8::1]/x"));
        assert_eq!(
            Target::from_url(Some("https://a`id`.example/")),
            Target::default()
        );
        assert_eq!(
            Target::from_url(Some("javascript:alert(1)")),
            Target::default()
        );
        assert_eq!(Target::from_url(None), Target::default());
        let t = Target::from_url(Some("https://a.example:99999/"));
        assert_eq!(t, Target::default());
    }

    #[test]
    fn commands_are_filled_from_the_shell_safe_target() {
        let t = Target::from_url(Some("http://a.example:8080/x?q=$(id)"));
        let adv = t.as_advice_target();
        assert_eq!(adv.host, Some("a.example"));
        assert_eq!(adv.port, Some(8080));
        assert_eq!(adv.url, Some("http://a.example:8080/x"));
        assert_eq!(
            Target::default().as_advice_target(),
            advice::Target::default()
        );
    }

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
