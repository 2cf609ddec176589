//! Content negotiation: `Accept` (with q-values) picks HTML, problem JSON,
//! text or Markdown; `Accept-Language` (or `navigator.languages`) picks a catalog language.
//!
//! Both follow the RFCs and stay bounded on hostile input: only the first
//! [`MAX_HEADER`] bytes and [`MAX_ENTRIES`] list members are read, and a
//! member with an invalid q-value (`q=5`, `q=abc`, `q=0.1234`) is ignored
//! as a whole, as RFC 9110 §12.4.2's grammar does not allow it.
//!
//! - [`format`]: RFC 9110 §12.5.1. Each representation takes the q-value of
//!   the most specific media range that matches it ([`OFFERS`]); `q=0`
//!   excludes it; the highest q wins, ties go to the more specific range,
//!   then to the range listed first. When the choice is left open (only
//!   `*/*` or `type/*` decides, or nothing acceptable is offered), the
//!   client decides: command-line clients ([`TEXT_CLIENTS`]) get text,
//!   everyone else HTML. Markdown goes to clients that name `text/markdown`
//!   (the convention of Cloudflare's "Markdown for Agents": an agent asks
//!   for `Accept: text/markdown` and gets the page as Markdown); it is
//!   offered last, so it never wins a tie.
//! - [`language`]: RFC 4647 §3.4 lookup over [`Lang::all`], ranges in
//!   q order: `fr-CA` → `fr`, `zh-Hans-CN` → `zh-Hans`; `*` and nothing
//!   matching → English. At each step of the lookup a catalog's tag, then a
//!   catalog's alias ([`Lang::aliases`], from `catalogs/languages.toml`, the
//!   one alias table) matches: `pt`, `pt-PT` (→ `pt`) get `pt-BR`; `zh`,
//!   `zh-CN`, and also `zh-TW`, `zh-HK`, `zh-Hant` get `zh-Hans`, the nearest
//!   catalog we have (a Traditional catalog, once added, would be found first).
//!   [`lookup_tag`] is one step of it, for a single tag.
//!
//! # Example
//! ```
//! use gatewise_core::render::negotiate::{format, language, language_from_list, Format};
//! assert_eq!(format(Some("application/json"), None), Format::ProblemJson);
//! assert_eq!(format(Some("*/*"), Some("curl/8.5.0")), Format::Text);
//! assert_eq!(format(Some("text/html,application/xhtml+xml,*/*;q=0.8"), Some("Mozilla/5.0")), Format::Html);
//! assert_eq!(format(Some("text/markdown, text/html;q=0.9"), None), Format::Markdown);
//! assert_eq!(format(Some("text/*"), None), Format::Html);
//! assert_eq!(language(Some("fr-CA,fr;q=0.9,en;q=0.8")).tag(), "fr");
//! assert_eq!(language(Some("zh-TW")).tag(), "zh-Hans");
//! assert_eq!(language_from_list(&["pt-PT", "en"]).tag(), "pt-BR");
//! ```

use crate::render::escape::strip_prefix_ignore_case;
use crate::Lang;

/// The most bytes of a header that are read.
pub const MAX_HEADER: usize = 4096;
/// The most list members of a header (or languages of a list) that are read.
pub const MAX_ENTRIES: usize = 64;

/// The representations gatewise renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `text/html`
    Html,
    /// `application/problem+json`
    ProblemJson,
    /// `text/plain`
    Text,
    /// `text/markdown`
    Markdown,
}

impl Format {
    /// The `Content-Type` to send with this representation.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::ProblemJson => "application/problem+json",
            Format::Text => "text/plain; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
        }
    }
}

/// The media ranges each representation answers to, with their specificity
/// (higher is more specific), in server preference order. `application/json`
/// also selects problem JSON: RFC 9457 §3 documents are JSON, and API
/// clients ask for `application/json`.
pub const OFFERS: &[(Format, &[(&str, u8)])] = &[
    (Format::Html, &[("text/html", 4), ("text/*", 2), ("*/*", 1)]),
    (
        Format::ProblemJson,
        &[
            ("application/problem+json", 4),
            ("application/json", 3),
            ("application/*", 2),
            ("*/*", 1),
        ],
    ),
    (
        Format::Text,
        &[("text/plain", 4), ("text/*", 2), ("*/*", 1)],
    ),
    (
        Format::Markdown,
        &[("text/markdown", 4), ("text/*", 2), ("*/*", 1)],
    ),
];

/// User-Agent prefixes (case-insensitive) of clients that get text when
/// `Accept` leaves the choice open, with where the prefix comes from.
pub const TEXT_CLIENTS: &[(&str, &str)] = &[
    (
        "curl/",
        "curl's default User-Agent `curl/<version>`, Accept `*/*` (curl.se/docs/manpage.html#-A)",
    ),
    (
        "wget/",
        "GNU Wget's default User-Agent `Wget/<version>`, Accept `*/*`",
    ),
    ("wget2/", "GNU Wget2's default User-Agent `Wget2/<version>`"),
    (
        "httpie/",
        "HTTPie's default User-Agent `HTTPie/<version>`, Accept `*/*` (httpie.io/docs/cli)",
    ),
];

/// The header cut to [`MAX_HEADER`] bytes; a member cut in two is dropped.
fn bounded(header: &str) -> &str {
    if header.len() <= MAX_HEADER {
        return header;
    }
    let mut end = MAX_HEADER;
    while !header.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    let head = header.get(..end).unwrap_or("");
    head.rfind(',').and_then(|i| head.get(..i)).unwrap_or("")
}

/// Parses an RFC 9110 qvalue into thousandths: `0`, `0.5`, `0.123`, `1`,
/// `1.000`; anything else (`1.5`, `5`, `.5`, `abc`, `0.1234`) is `None`.
fn parse_q(v: &str) -> Option<u16> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |acc, b| {
            acc.saturating_mul(10)
                .saturating_add(u16::from(b.saturating_sub(b'0')))
        });
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The members of a weighted list header: value and q (thousandths).
/// Members with an invalid q are dropped; other parameters are ignored.
fn members(header: &str) -> impl Iterator<Item = (&str, u16)> {
    bounded(header)
        .split(',')
        .take(MAX_ENTRIES)
        .filter_map(|member| {
            let mut parts = member.split(';');
            let value = parts.next()?.trim();
            if value.is_empty() {
                return None;
            }
            let mut q = 1000;
            for param in parts {
                if let Some((name, v)) = param.split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        q = parse_q(v.trim())?;
                        break;
                    }
                }
            }
            Some((value, q))
        })
}

/// Whether `s` is an RFC 9110 token.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether `s` is a media range: `*/*`, `type/*` or `type/subtype`.
fn is_media_range(s: &str) -> bool {
    match s.split_once('/') {
        Some((ty, sub)) => is_token(ty) && is_token(sub) && (ty != "*" || sub == "*"),
        None => false,
    }
}

/// The format the client gets when `Accept` leaves the choice open.
fn client_default(user_agent: Option<&str>) -> Format {
    let ua = user_agent.unwrap_or("").trim_start();
    if TEXT_CLIENTS
        .iter()
        .any(|(prefix, _)| strip_prefix_ignore_case(ua, prefix).is_some())
    {
        Format::Text
    } else {
        Format::Html
    }
}

/// How well a representation matches `Accept`: q (thousandths),
/// specificity of the matching range, and its position in the header.
type Score = (u16, u8, usize);

/// How one offer fares against `Accept`: q, specificity and position of the
/// most specific range that matches it, or `None` if none does.
fn score(ranges: &[(&str, u16)], offer: &[(&str, u8)]) -> Option<Score> {
    let mut best: Option<Score> = None;
    for (i, (range, q)) in ranges.iter().enumerate() {
        let Some(spec) = offer
            .iter()
            .find(|(r, _)| r.eq_ignore_ascii_case(range))
            .map(|(_, s)| *s)
        else {
            continue;
        };
        if best.is_none_or(|(_, s, _)| spec > s) {
            best = Some((*q, spec, i));
        }
    }
    best
}

/// Picks a format from the `Accept` header (and `User-Agent` when `Accept` is `*/*`).
pub fn format(accept: Option<&str>, user_agent: Option<&str>) -> Format {
    let default = client_default(user_agent);
    let ranges: Vec<(&str, u16)> = members(accept.unwrap_or(""))
        .filter(|(r, _)| is_media_range(r))
        .collect();
    if ranges.is_empty() {
        return default;
    }
    let scored: Vec<(Format, Option<Score>)> = OFFERS
        .iter()
        .map(|(f, offer)| (*f, score(&ranges, offer)))
        .collect();
    let acceptable = scored
        .iter()
        .filter_map(|(f, s)| s.filter(|(q, _, _)| *q > 0).map(|s| (*f, s)));
    // Highest q, then most specific, then listed first.
    let best = acceptable
        .clone()
        .max_by(|(_, a), (_, b)| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.cmp(&a.2)));
    let Some((_, top)) = best else {
        // Nothing acceptable is offered: answer anyway (an error page must
        // go out), in the client's default unless it excluded that too.
        let excluded = |f: Format| {
            scored
                .iter()
                .any(|(g, s)| *g == f && s.is_some_and(|(q, _, _)| q == 0))
        };
        if !excluded(default) {
            return default;
        }
        return OFFERS
            .iter()
            .map(|(f, _)| *f)
            .find(|f| !excluded(*f))
            .unwrap_or(default);
    };
    let tied: Vec<Format> = acceptable
        .filter(|(_, s)| *s == top)
        .map(|(f, _)| f)
        .collect();
    if tied.contains(&default) {
        default
    } else {
        tied.first().copied().unwrap_or(default)
    }
}

/// Whether `s` is an RFC 4647 basic language range (`*`, `en`, `zh-Hant-TW`).
fn is_language_range(s: &str) -> bool {
    if s == "*" {
        return true;
    }
    let mut subtags = s.split('-');
    let first_ok = subtags
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && subtags
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// RFC 4647 §3.4 lookup of one language range (`fr-CA`, `pt_PT`,
/// `zh-Hant-TW`): the catalog for the range, or for the range with subtags
/// removed from the end (a trailing singleton removed along with the subtag
/// after it), a catalog's tag or alias matching at each step; `*` is
/// English; `None` when nothing matches (no English fallback).
///
/// # Example
/// ```
/// use gatewise_core::render::negotiate::lookup_tag;
/// assert_eq!(lookup_tag("pt-PT").map(|l| l.tag()), Some("pt-BR"));
/// assert_eq!(lookup_tag("zh-Hant-TW").map(|l| l.tag()), Some("zh-Hans"));
/// assert_eq!(lookup_tag("en-GB").map(|l| l.tag()), Some("en"));
/// assert_eq!(lookup_tag("ko"), None);
/// ```
pub fn lookup_tag(range: &str) -> Option<Lang> {
    lookup(range)
}

/// The catalog whose tag or alias is exactly `tag` (case-insensitive).
fn catalog_for(tag: &str) -> Option<Lang> {
    Lang::from_tag(tag)
        .or_else(|| Lang::all().find(|l| l.aliases().iter().any(|a| a.eq_ignore_ascii_case(tag))))
}

/// See [`lookup_tag`].
fn lookup(range: &str) -> Option<Lang> {
    let range = range.trim().replace('_', "-");
    if !is_language_range(&range) {
        return None;
    }
    if range == "*" {
        return Some(Lang::EN);
    }
    let mut tag = range.as_str();
    loop {
        if let Some(lang) = catalog_for(tag) {
            return Some(lang);
        }
        tag = tag.get(..tag.rfind('-')?)?;
        if let Some(i) = tag.rfind('-').filter(|i| tag.len().saturating_sub(*i) == 2) {
            tag = tag.get(..i)?;
        }
    }
}

/// Picks a language from `Accept-Language`, falling back to English.
pub fn language(accept_language: Option<&str>) -> Lang {
    let mut ranges: Vec<(&str, u16)> = members(accept_language.unwrap_or(""))
        .filter(|(_, q)| *q > 0)
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.1));
    ranges
        .iter()
        .find_map(|(r, _)| lookup(r))
        .unwrap_or(Lang::EN)
}

/// Like [`language`], restricted to the catalogs in `allowed` (empty: all),
/// and without the English fallback: `None` when no range of the header
/// matches an allowed catalog, so that the caller applies its own default.
///
/// # Example
/// ```
/// use gatewise_core::render::negotiate::language_among;
/// use gatewise_core::Lang;
/// let fr = Lang::from_tag("fr").unwrap();
/// let de = Lang::from_tag("de").unwrap();
/// assert_eq!(language_among(Some("fr-CA, de;q=0.5"), &[de]), Some(de));
/// assert_eq!(language_among(Some("fr-CA, de;q=0.5"), &[]), Some(fr));
/// assert_eq!(language_among(Some("ko"), &[]), None);
/// ```
pub fn language_among(accept_language: Option<&str>, allowed: &[Lang]) -> Option<Lang> {
    let mut ranges: Vec<(&str, u16)> = members(accept_language.unwrap_or(""))
        .filter(|(_, q)| *q > 0)
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.1));
    ranges
        .iter()
        .filter_map(|(r, _)| lookup(r))
        .find(|l| allowed.is_empty() || allowed.contains(l))
}

/// Picks a language from a preference list such as `navigator.languages`,
/// falling back to English.
pub fn language_from_list(languages: &[&str]) -> Lang {
    languages
        .iter()
        .take(MAX_ENTRIES)
        .filter(|l| l.len() <= 64)
        .find_map(|l| lookup(l))
        .unwrap_or(Lang::EN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qvalues_follow_the_grammar() {
        for (v, q) in [
            ("0", 0),
            ("0.", 0),
            ("0.5", 500),
            ("0.123", 123),
            ("1", 1000),
            ("1.0", 1000),
            ("1.000", 1000),
        ] {
            assert_eq!(parse_q(v), Some(q), "{v}");
        }
        for v in [
            "1.5", "5", ".5", "abc", "0.1234", "", "-1", "1.001", "0.x", "01",
        ] {
            assert_eq!(parse_q(v), None, "{v}");
        }
    }

    #[test]
    fn bounded_drops_a_member_cut_in_two() {
        let long = format!("{}text/plain", "x/y, ".repeat(1000));
        let b = bounded(&long);
        assert!(b.len() <= MAX_HEADER);
        assert!(b.ends_with("x/y"));
        let multibyte = "é".repeat(3000);
        assert_eq!(bounded(&multibyte), "");
    }

    #[test]
    fn every_alias_leads_to_its_catalog_and_no_alias_is_a_catalog() {
        let mut n = 0;
        for lang in Lang::all() {
            for alias in lang.aliases() {
                assert_eq!(lookup(alias), Some(lang), "{alias}");
                assert_eq!(Lang::from_tag(alias), None, "{alias}");
                n += 1;
            }
        }
        assert_eq!(n, 3, "pt, zh, cmn");
    }
}
