//! Fingerprints: rows of data that tell which layer wrote an error response, and why.
//!
//! Every row of [`FINGERPRINTS`] names a layer, a [`Role`], and matchers:
//! a status set, header rules and body rules (substrings, exact bodies and
//! regular expressions with named captures). A row matches when *all* its
//! matchers match. Rows say either "this layer **wrote** this response"
//! ([`Role::Generator`]: its default error page, its local reply, its error
//! header) or only "this layer is **on the path**" ([`Role::OnPath`]: a
//! `Server`, `Via` or request-id header it adds to every response it
//! forwards).
//!
//! The named captures a row's regular expressions may set:
//! - `vendor_code`: the vendor's own code (`ERR_CONNECT_FAIL`, `1016`,
//!   `0x80072ee2`, `connection failure`, `FUNCTION_INVOCATION_TIMEOUT`);
//! - `code_key`: the part of the vendor code to look up in
//!   [`VENDOR_CODES`] when it differs (Akamai's reference prefix);
//! - `detail`: the layer's own words about the cause (Apache's `Reason:`,
//!   Envoy's transport failure reason, Squid's system message);
//! - `sub_status`: IIS's sub-status (the `3` of `502.3`).
//!
//! [`VENDOR_CODES`] maps `(layer, code[, detail])` to an RFC 9209 type, so
//! that adding a vendor code is one row there plus one catalog entry
//! (`vendor.<layer>.<code>` in `catalogs/en/vendor.toml`).
//!
//! # Scoring
//! [`matches`] returns every matching row, best first: generator rows
//! before on-path rows, then by specificity (the sum of the matchers'
//! weights: a status set 1, a header's presence 1, a header value 2, a
//! non-empty body rule 3, an empty-body rule 2; plus 5 when the row yields
//! a vendor code known to [`VENDOR_CODES`], because that code says why),
//! then by table order. Ties are therefore resolved by the order of
//! [`FINGERPRINTS`], where more specific rows of a layer come first; a
//! layer's generic "any page of mine" row has fewer matchers than its
//! specific rows.
//!
//! # Bounds
//! [`Observed::new`] keeps at most [`MAX_HEADERS`] headers, at most
//! [`MAX_HEADER_NAME`] bytes of each name and [`MAX_HEADER_VALUE`] bytes of
//! each value, and the first [`MAX_BODY`] bytes of the body (decoded as
//! lossy UTF-8).
//!
//! # Example
//! ```
//! use gatewise_core::fingerprint::{matches, Observed, Role};
//! use gatewise_core::Layer;
//! let body = b"<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n";
//! let seen = Observed::new(504, &[("Content-Type", "text/html")], body);
//! let best = &matches(&seen)[0];
//! assert_eq!(best.fingerprint.id, "haproxy.504_page");
//! assert_eq!(best.fingerprint.layer, Layer::Haproxy);
//! assert_eq!(best.fingerprint.role, Role::Generator);
//! ```

mod rows;
mod vendor_codes;

use std::borrow::Cow;
use std::sync::OnceLock;

use regex_lite::Regex;

use crate::diagnosis::{Confidence, Evidence, EvidenceSource};
use crate::layer::Layer;
use crate::taxonomy::ErrorType;

pub use rows::FINGERPRINTS;
pub use vendor_codes::VENDOR_CODES;

/// At most this many response headers are looked at.
pub const MAX_HEADERS: usize = 100;
/// At most this many bytes of each header name are kept (a longer name is
/// none that a fingerprint looks for, and is not copied whole).
pub const MAX_HEADER_NAME: usize = 256;
/// At most this many bytes of each header value are looked at.
pub const MAX_HEADER_VALUE: usize = 8 * 1024;
/// At most this many bytes of the body are looked at.
pub const MAX_BODY: usize = 16 * 1024;

/// What a matching row proves about its layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The layer generated this response itself (its own error page, local
    /// reply or error header).
    Generator,
    /// The layer only forwarded this response: it is on the path, but the
    /// response was written behind it.
    OnPath,
}

/// A rule on one response header (names are matched case-insensitively;
/// any of several same-named headers may match).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderRule {
    /// The header is present.
    Present(&'static str),
    /// The value equals this text (ASCII case-insensitive, trimmed).
    Equals(&'static str, &'static str),
    /// The value contains this text (ASCII case-insensitive).
    Contains(&'static str, &'static str),
    /// The value starts with this text (ASCII case-insensitive).
    StartsWith(&'static str, &'static str),
    /// The value matches this regular expression (named captures allowed).
    Regex(&'static str, &'static str),
}

/// A rule on the body prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyRule {
    /// The body contains this text (case-sensitive).
    Contains(&'static str),
    /// The body, with surrounding whitespace trimmed, is exactly this text.
    Equals(&'static str),
    /// The body matches this regular expression (named captures allowed).
    Regex(&'static str),
    /// The body is empty (or only whitespace).
    Empty,
}

/// Where a row's vendor code comes from when its rules capture none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSource {
    /// No vendor code.
    None,
    /// The received status is the vendor code (Cloudflare 52x, AWS ELB 46x).
    Status,
    /// This fixed code.
    Fixed(&'static str),
}

/// What a matching row concludes (before any [`VENDOR_CODES`] refinement).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The failure type the page says, or the most likely one; `None` when
    /// the layer answered without a gateway failure (its own 404, an
    /// application server's 500).
    pub error_type: Option<ErrorType>,
    /// The failure types this response cannot be told apart from.
    pub alternatives: &'static [ErrorType],
    /// How sure the row is.
    pub confidence: Confidence,
    /// Where the vendor code comes from when none is captured.
    pub code: CodeSource,
    /// A fixed IIS sub-status, when the row implies one.
    pub sub_status: Option<u16>,
}

/// One fingerprint: a layer's recognisable response, and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    /// Stable id, e.g. `nginx.502_page`.
    pub id: &'static str,
    /// The layer it identifies.
    pub layer: Layer,
    /// Whether the layer wrote the response or only forwarded it.
    pub role: Role,
    /// The statuses it applies to (empty: any).
    pub statuses: &'static [u16],
    /// Header rules; all must match.
    pub headers: &'static [HeaderRule],
    /// Body rules; all must match.
    pub body: &'static [BodyRule],
    /// What a match means.
    pub outcome: Outcome,
    /// Where the text was verified (vendor doc URL, source file, or "captured: …").
    pub source: &'static str,
}

/// A vendor's own code and the RFC 9209 type it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorCode {
    /// The layer whose code it is.
    pub layer: Layer,
    /// The code as the vendor writes it (compared ASCII case-insensitively).
    pub code: Cow<'static, str>,
    /// When set, the row applies only if a captured detail contains this text.
    pub detail: Option<&'static str>,
    /// The failure type (`None`: the code names no gateway failure).
    pub error_type: Option<ErrorType>,
    /// The failure types the code cannot be told apart from.
    pub alternatives: &'static [ErrorType],
    /// How sure the mapping is.
    pub confidence: Confidence,
    /// Where the code is documented.
    pub source: &'static str,
}

impl VendorCode {
    /// The catalog key explaining this code: `vendor.<layer>.<code>`, the
    /// code with every character outside `[A-Za-z0-9_-]` replaced by `_`.
    ///
    /// Cloudflare's codes are rows of the status registry, so their text is
    /// the registry's: `status.<52x>.meaning` or `vendor.cloudflare.<1xxx>.meaning`.
    pub fn catalog_key(&self) -> String {
        if self.layer == Layer::Cloudflare {
            if let Ok(n) = self.code.parse::<u16>() {
                if let Some(cf) = crate::status::cloudflare_code(n) {
                    return cf.meaning_key();
                }
                if let Some(row) = crate::status::lookup(n) {
                    return row.meaning_key();
                }
            }
        }
        format!("vendor.{}.{}", self.layer.name(), code_key(&self.code))
    }
}

/// A vendor code as used in catalog keys: characters outside `[A-Za-z0-9_-]` become `_`.
pub fn code_key(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Looks up a vendor code of `layer`: the first row of [`VENDOR_CODES`]
/// with that code whose `detail` (if any) is contained in one of `details`.
/// Rows with a detail come before the generic row of the same code.
/// Cloudflare's codes (52x/530 statuses, 1xxx errors) come from the status
/// registry, the one table that documents them.
pub fn lookup_vendor_code(layer: Layer, code: &str, details: &[String]) -> Option<VendorCode> {
    let code = code.trim();
    if layer == Layer::Cloudflare {
        return cloudflare_code(code);
    }
    VENDOR_CODES
        .iter()
        .find(|v| {
            v.layer == layer
                && v.code.eq_ignore_ascii_case(code)
                && v.detail
                    .is_none_or(|needle| details.iter().any(|d| d.contains(needle)))
        })
        .cloned()
}

/// A Cloudflare code as a [`VendorCode`], from the status registry.
fn cloudflare_code(code: &str) -> Option<VendorCode> {
    let n: u16 = code.parse().ok()?;
    let (error_type, alternatives, source) = match crate::status::cloudflare_code(n) {
        Some(cf) => (cf.error_type, cf.alternatives, cf.source),
        None => {
            let row = crate::status::lookup(n).filter(|r| r.vendor() == Some(Layer::Cloudflare))?;
            (row.error_type, row.alternatives, row.source)
        }
    };
    // The code names the failure; the more it cannot rule out, the less sure.
    let confidence = match (error_type, alternatives.len()) {
        (Some(_), 0) => Confidence::High,
        (Some(_), 1) => Confidence::Medium,
        _ => Confidence::Low,
    };
    Some(VendorCode {
        layer: Layer::Cloudflare,
        code: Cow::Owned(n.to_string()),
        detail: None,
        error_type,
        alternatives,
        confidence,
        source,
    })
}

/// A response reduced to what fingerprints look at: the status, the
/// headers with lowercase names (bounded), and the body prefix as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    /// The status code.
    pub status: u16,
    /// Header names (trimmed, lowercase, cut to [`MAX_HEADER_NAME`] bytes) and
    /// values (trimmed, cut to [`MAX_HEADER_VALUE`] bytes), in order.
    pub headers: Vec<(String, String)>,
    /// The first [`MAX_BODY`] bytes of the body, lossy UTF-8.
    pub body: String,
}

fn prefix(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    s.get(..end).unwrap_or_default()
}

impl Observed {
    /// Normalises a response (see the module's bounds).
    pub fn new(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Self {
        let headers = headers
            .iter()
            .take(MAX_HEADERS)
            .map(|(n, v)| {
                (
                    prefix(n.trim(), MAX_HEADER_NAME).to_ascii_lowercase(),
                    prefix(v.trim(), MAX_HEADER_VALUE).to_owned(),
                )
            })
            .collect();
        let body = body.get(..MAX_BODY.min(body.len())).unwrap_or(body);
        Observed {
            status,
            headers,
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }

    /// The values of every header named `name` (lowercase), in order.
    pub fn header<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Values captured by a row's regular expressions (HTML entities decoded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captures {
    /// The `vendor_code` capture.
    pub vendor_code: Option<String>,
    /// The `code_key` capture.
    pub code_key: Option<String>,
    /// Every `detail` capture, in rule order.
    pub details: Vec<String>,
    /// The `sub_status` capture.
    pub sub_status: Option<u16>,
}

/// One matching row, with what it captured and the evidence for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The row.
    pub fingerprint: &'static Fingerprint,
    /// Its specificity (see the module docs).
    pub score: u32,
    /// What its rules captured.
    pub captures: Captures,
    /// One piece of evidence per matcher, in rule order.
    pub evidence: Vec<Evidence>,
}

const W_STATUS: u32 = 1;
const W_PRESENT: u32 = 1;
const W_HEADER_VALUE: u32 = 2;
const W_BODY: u32 = 3;
const W_BODY_EMPTY: u32 = 2;
const W_KNOWN_CODE: u32 = 5;
/// Longest text kept from a capture or shown in evidence.
const MAX_SHOWN: usize = 200;

fn all_patterns() -> impl Iterator<Item = &'static str> {
    FINGERPRINTS.iter().flat_map(|f| {
        let h = f.headers.iter().filter_map(|r| match r {
            HeaderRule::Regex(_, p) => Some(*p),
            _ => None,
        });
        let b = f.body.iter().filter_map(|r| match r {
            BodyRule::Regex(p) => Some(*p),
            _ => None,
        });
        h.chain(b)
    })
}

fn compiled() -> &'static [(&'static str, Option<Regex>)] {
    static CACHE: OnceLock<Vec<(&'static str, Option<Regex>)>> = OnceLock::new();
    CACHE.get_or_init(|| all_patterns().map(|p| (p, Regex::new(p).ok())).collect())
}

/// The compiled form of one of the table's patterns (`None` if it does not compile).
pub fn regex(pattern: &str) -> Option<&'static Regex> {
    compiled()
        .iter()
        .find(|(p, _)| *p == pattern)
        .and_then(|(_, r)| r.as_ref())
}

/// Decodes the HTML entities vendors use in error pages (Akamai encodes
/// punctuation as `&#46;`) and cuts to a bounded length.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(rest.get(..pos).unwrap_or_default());
        let tail = rest.get(pos..).unwrap_or_default();
        let Some(semi) = tail.find(';').filter(|&i| i <= 8) else {
            out.push('&');
            rest = tail.get(1..).unwrap_or_default();
            continue;
        };
        let entity = tail.get(1..semi).unwrap_or_default();
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            e => e
                .strip_prefix('#')
                .and_then(|n| n.parse::<u32>().ok())
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = tail.get(semi.saturating_add(1)..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    prefix(out.trim(), MAX_SHOWN).to_owned()
}

fn collect_captures(re: &Regex, text: &str, caps: &mut Captures) -> Option<String> {
    let c = re.captures(text)?;
    let grab = |name: &str| {
        c.name(name)
            .map(|m| decode_entities(m.as_str()))
            .filter(|s| !s.is_empty())
    };
    if caps.vendor_code.is_none() {
        caps.vendor_code = grab("vendor_code");
    }
    if caps.code_key.is_none() {
        caps.code_key = grab("code_key");
    }
    if let Some(d) = grab("detail") {
        caps.details.push(d);
    }
    if caps.sub_status.is_none() {
        caps.sub_status = grab("sub_status").and_then(|s| s.parse().ok());
    }
    Some(
        c.get(0)
            .map(|m| decode_entities(m.as_str()))
            .unwrap_or_default(),
    )
}

fn header_rule(rule: &HeaderRule, seen: &Observed, caps: &mut Captures) -> Option<(u32, Evidence)> {
    let (name, weight) = match rule {
        HeaderRule::Present(n) => (*n, W_PRESENT),
        HeaderRule::Equals(n, _)
        | HeaderRule::Contains(n, _)
        | HeaderRule::StartsWith(n, _)
        | HeaderRule::Regex(n, _) => (*n, W_HEADER_VALUE),
    };
    let value = seen.header(name).find(|v| match rule {
        HeaderRule::Present(_) => true,
        HeaderRule::Equals(_, want) => v.eq_ignore_ascii_case(want),
        HeaderRule::Contains(_, want) => {
            v.to_ascii_lowercase().contains(&want.to_ascii_lowercase())
        }
        HeaderRule::StartsWith(_, want) => v
            .get(..want.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(want)),
        HeaderRule::Regex(_, p) => regex(p).is_some_and(|re| re.is_match(v)),
    })?;
    if let HeaderRule::Regex(_, p) = rule {
        let re = regex(p)?;
        collect_captures(re, value, caps)?;
    }
    let fact = format!("{name}: {}", prefix(value, MAX_SHOWN));
    Some((weight, Evidence::new(EvidenceSource::Header, fact, None)))
}

fn body_rule(rule: &BodyRule, seen: &Observed, caps: &mut Captures) -> Option<(u32, Evidence)> {
    let body = &seen.body;
    match rule {
        BodyRule::Contains(needle) => body.contains(needle).then(|| {
            let fact = format!("body contains \"{}\"", prefix(needle, MAX_SHOWN));
            (W_BODY, Evidence::new(EvidenceSource::Body, fact, None))
        }),
        BodyRule::Equals(want) => (body.trim() == *want).then(|| {
            let fact = format!("body is \"{}\"", prefix(want, MAX_SHOWN));
            (W_BODY, Evidence::new(EvidenceSource::Body, fact, None))
        }),
        BodyRule::Empty => body.trim().is_empty().then(|| {
            (
                W_BODY_EMPTY,
                Evidence::new(EvidenceSource::Body, "empty body", None),
            )
        }),
        BodyRule::Regex(p) => {
            let matched = collect_captures(regex(p)?, body, caps)?;
            let fact = format!("body matches \"{matched}\"");
            Some((W_BODY, Evidence::new(EvidenceSource::Body, fact, None)))
        }
    }
}

/// Tries one row against a response.
pub fn try_match(fp: &'static Fingerprint, seen: &Observed) -> Option<Match> {
    let mut score: u32 = 0;
    let mut evidence = Vec::new();
    let mut captures = Captures::default();
    if !fp.statuses.is_empty() {
        if !fp.statuses.contains(&seen.status) {
            return None;
        }
        score = score.saturating_add(W_STATUS);
        evidence.push(Evidence::new(
            EvidenceSource::Status,
            format!("status {}", seen.status),
            Some(fp.id),
        ));
    }
    for rule in fp.headers {
        let (w, e) = header_rule(rule, seen, &mut captures)?;
        score = score.saturating_add(w);
        evidence.push(e);
    }
    for rule in fp.body {
        let (w, e) = body_rule(rule, seen, &mut captures)?;
        score = score.saturating_add(w);
        evidence.push(e);
    }
    let status = seen.status.to_string();
    let code = captures
        .code_key
        .as_deref()
        .or(captures.vendor_code.as_deref())
        .or(match fp.outcome.code {
            CodeSource::None => None,
            CodeSource::Status => Some(status.as_str()),
            CodeSource::Fixed(c) => Some(c),
        });
    if code.is_some_and(|c| lookup_vendor_code(fp.layer, c, &captures.details).is_some()) {
        score = score.saturating_add(W_KNOWN_CODE);
    }
    for e in &mut evidence {
        e.rule = Some(fp.id.to_owned());
    }
    Some(Match {
        fingerprint: fp,
        score,
        captures,
        evidence,
    })
}

/// Every row of [`FINGERPRINTS`] that matches, best first (see the module docs).
pub fn matches(seen: &Observed) -> Vec<Match> {
    let mut found: Vec<(usize, Match)> = FINGERPRINTS
        .iter()
        .enumerate()
        .filter_map(|(i, fp)| try_match(fp, seen).map(|m| (i, m)))
        .collect();
    found.sort_by(|(ia, a), (ib, b)| {
        a.fingerprint
            .role
            .cmp(&b.fingerprint.role)
            .then(b.score.cmp(&a.score))
            .then(ia.cmp(ib))
    });
    found.into_iter().map(|(_, m)| m).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        let mut n = 0;
        for p in all_patterns() {
            assert!(regex(p).is_some(), "pattern does not compile: {p}");
            n += 1;
        }
        assert!(n > 10);
    }

    #[test]
    fn ids_are_unique_layer_prefixed_and_sourced() {
        for (i, f) in FINGERPRINTS.iter().enumerate() {
            assert!(
                f.id.starts_with(&format!("{}.", f.layer.name())),
                "{} should start with its layer name {}",
                f.id,
                f.layer.name()
            );
            assert!(!f.source.is_empty(), "{} has no source", f.id);
            assert!(
                !(f.statuses.is_empty() && f.headers.is_empty() && f.body.is_empty()),
                "{} matches everything",
                f.id
            );
            assert!(
                FINGERPRINTS.iter().skip(i + 1).all(|g| g.id != f.id),
                "duplicate id {}",
                f.id
            );
            if let Some(t) = f.outcome.error_type {
                assert!(
                    !f.outcome.alternatives.contains(&t),
                    "{} lists its own type as alternative",
                    f.id
                );
            }
            if f.role == Role::OnPath {
                assert_eq!(
                    f.outcome.error_type, None,
                    "{}: on-path rows name no failure",
                    f.id
                );
            }
        }
    }

    #[test]
    fn every_vendor_code_is_sourced_and_explained_in_english() {
        for v in VENDOR_CODES {
            assert!(!v.source.is_empty(), "{} has no source", v.code);
            let key = v.catalog_key();
            assert!(crate::i18n::has_key(&key), "missing catalog key {key}");
            if let Some(t) = v.error_type {
                assert!(
                    !v.alternatives.contains(&t),
                    "{key} lists its own type as alternative"
                );
            }
            assert_eq!(
                lookup_vendor_code(v.layer, &v.code, &[v.detail.unwrap_or_default().to_owned()])
                    .map(|r| r.layer),
                Some(v.layer)
            );
        }
    }

    #[test]
    fn detail_rows_win_over_the_generic_row() {
        let refused = lookup_vendor_code(Layer::Squid, "ERR_CONNECT_FAIL", &["111".to_owned()]);
        assert_eq!(
            refused.and_then(|v| v.error_type),
            Some(ErrorType::ConnectionRefused)
        );
        let timeout = lookup_vendor_code(Layer::Squid, "err_connect_fail", &["110".to_owned()]);
        assert_eq!(
            timeout.and_then(|v| v.error_type),
            Some(ErrorType::ConnectionTimeout)
        );
        let generic = lookup_vendor_code(Layer::Squid, "ERR_CONNECT_FAIL", &[]);
        assert_eq!(generic.map(|v| v.detail), Some(None));
    }

    #[test]
    fn observed_is_bounded() {
        let long = "x".repeat(MAX_HEADER_VALUE * 2);
        let many: Vec<(&str, &str)> = (0..MAX_HEADERS + 50)
            .map(|_| ("X-A", long.as_str()))
            .collect();
        let body = vec![b'a'; MAX_BODY * 3];
        let o = Observed::new(502, &many, &body);
        assert_eq!(o.headers.len(), MAX_HEADERS);
        assert!(o
            .headers
            .iter()
            .all(|(n, v)| n == "x-a" && v.len() == MAX_HEADER_VALUE));
        assert_eq!(o.body.len(), MAX_BODY);
        // Names are cut too: a 64 KB name is not copied whole (found by
        // tests/hostile_input.rs: 1,000 such names were 64 MB of copies).
        let name = "N".repeat(64 * 1024);
        let o = Observed::new(502, &[(name.as_str(), "v")], b"");
        assert_eq!(o.headers[0].0, "n".repeat(MAX_HEADER_NAME));
        // A multi-byte character across the cut does not panic.
        let accents = "é".repeat(MAX_HEADER_VALUE);
        let o = Observed::new(
            200,
            &[("Server", accents.as_str())],
            "é".repeat(MAX_BODY).as_bytes(),
        );
        assert!(o.headers.iter().all(|(_, v)| v.len() <= MAX_HEADER_VALUE));
        assert!(o.body.len() <= MAX_BODY + 3);
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            decode_entities("18&#46;a6b93554&#46;1651609703"),
            "18.a6b93554.1651609703"
        );
        assert_eq!(
            decode_entities("a &amp; b &bogus; &#xZ; &"),
            "a & b &bogus; &#xZ; &"
        );
    }

    #[test]
    fn generators_beat_on_path_rows_and_ties_follow_table_order() {
        let body = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
        let seen = Observed::new(502, &[("Server", "nginx/1.22.1")], body);
        let all = matches(&seen);
        let first = all.first().map(|m| (m.fingerprint.id, m.fingerprint.role));
        assert_eq!(first, Some(("nginx.502_page", Role::Generator)));
        let last = all.last().map(|m| (m.fingerprint.id, m.fingerprint.role));
        assert_eq!(last, Some(("nginx.server_header", Role::OnPath)));
    }
}
