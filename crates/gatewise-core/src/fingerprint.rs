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

mod prefilter;
mod rows;
mod vendor_codes;

use std::borrow::Cow;
use std::sync::OnceLock;

use regex_lite::Regex;

use crate::diagnosis::{Confidence, Evidence, EvidenceSource};
use crate::layer::Layer;
use crate::taxonomy::ErrorType;

pub use prefilter::Prefilter;
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

/// One of the table's patterns, compiled, with its literal prefilter.
#[derive(Debug, Clone)]
struct Pattern {
    regex: Regex,
    prefilter: prefilter::Compiled,
}

impl Pattern {
    /// The leftmost match in `text`, as [`Regex::captures`] finds it; the
    /// prefilter only skips texts and bytes that cannot hold a match.
    fn captures<'t>(&self, text: &'t str) -> Option<regex_lite::Captures<'t>> {
        let start = self.prefilter.start(text)?;
        #[cfg(test)]
        tests::REGEX_RUNS.with(|runs| runs.borrow_mut().push(self.regex.as_str().to_owned()));
        self.regex.captures_at(text, start)
    }
}

fn compiled() -> &'static [(&'static str, Option<Pattern>)] {
    static CACHE: OnceLock<Vec<(&'static str, Option<Pattern>)>> = OnceLock::new();
    CACHE.get_or_init(|| {
        all_patterns()
            .map(|p| {
                let pattern = Regex::new(p).ok().map(|regex| Pattern {
                    regex,
                    prefilter: prefilter::Compiled::new(&Prefilter::of(p)),
                });
                (p, pattern)
            })
            .collect()
    })
}

fn pattern(p: &str) -> Option<&'static Pattern> {
    compiled()
        .iter()
        .find(|(q, _)| *q == p)
        .and_then(|(_, r)| r.as_ref())
}

/// The compiled form of one of the table's patterns (`None` if it does not compile).
pub fn regex(pattern: &str) -> Option<&'static Regex> {
    self::pattern(pattern).map(|p| &p.regex)
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

fn collect_captures(c: &regex_lite::Captures<'_>, caps: &mut Captures) -> String {
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
    c.get(0)
        .map(|m| decode_entities(m.as_str()))
        .unwrap_or_default()
}

fn header_rule(rule: &HeaderRule, seen: &Observed, caps: &mut Captures) -> Option<(u32, Evidence)> {
    let (name, weight) = match rule {
        HeaderRule::Present(n) => (*n, W_PRESENT),
        HeaderRule::Equals(n, _)
        | HeaderRule::Contains(n, _)
        | HeaderRule::StartsWith(n, _)
        | HeaderRule::Regex(n, _) => (*n, W_HEADER_VALUE),
    };
    let value = match rule {
        HeaderRule::Regex(_, p) => {
            let pattern = pattern(p)?;
            let (value, c) = seen
                .header(name)
                .find_map(|v| pattern.captures(v).map(|c| (v, c)))?;
            collect_captures(&c, caps);
            value
        }
        _ => seen.header(name).find(|v| match rule {
            HeaderRule::Present(_) => true,
            HeaderRule::Equals(_, want) => v.eq_ignore_ascii_case(want),
            HeaderRule::Contains(_, want) => {
                v.to_ascii_lowercase().contains(&want.to_ascii_lowercase())
            }
            HeaderRule::StartsWith(_, want) => v
                .get(..want.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(want)),
            HeaderRule::Regex(..) => false,
        })?,
    };
    let fact = format!("{name}: {}", prefix(value, MAX_SHOWN));
    Some((weight, Evidence::new(EvidenceSource::Header, fact, None)))
}

/// A body rule prepared once: a substring searcher for `Contains` (memchr's:
/// vectorised where the target allows, and faster than `str::contains` in wasm;
/// building one costs more than a search of a short body, hence once) and the
/// compiled pattern of `Regex`.
#[derive(Debug)]
enum Prepared {
    Finder(Box<memchr::memmem::Finder<'static>>),
    Pattern(Option<&'static Pattern>),
    Plain,
}

impl Prepared {
    fn new(rule: &BodyRule) -> Prepared {
        match rule {
            BodyRule::Contains(needle) => Prepared::Finder(Box::new(
                memchr::memmem::Finder::new(needle.as_bytes()).into_owned(),
            )),
            BodyRule::Regex(p) => Prepared::Pattern(pattern(p)),
            BodyRule::Equals(_) | BodyRule::Empty => Prepared::Plain,
        }
    }
}

/// The body rules of every row of [`FINGERPRINTS`], prepared, in table order.
fn prepared() -> &'static [Vec<Prepared>] {
    static CACHE: OnceLock<Vec<Vec<Prepared>>> = OnceLock::new();
    CACHE.get_or_init(|| {
        FINGERPRINTS
            .iter()
            .map(|f| f.body.iter().map(Prepared::new).collect())
            .collect()
    })
}

fn body_rule(
    rule: &BodyRule,
    prepared: &Prepared,
    seen: &Observed,
    caps: &mut Captures,
) -> Option<(u32, Evidence)> {
    let body = &seen.body;
    match rule {
        BodyRule::Contains(needle) => {
            let found = match prepared {
                Prepared::Finder(f) => f.find(body.as_bytes()).is_some(),
                _ => body.contains(needle),
            };
            found.then(|| {
                let fact = format!("body contains \"{}\"", prefix(needle, MAX_SHOWN));
                (W_BODY, Evidence::new(EvidenceSource::Body, fact, None))
            })
        }
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
            let pattern = match prepared {
                Prepared::Pattern(compiled) => *compiled,
                _ => pattern(p),
            };
            let matched = collect_captures(&pattern?.captures(body)?, caps);
            let fact = format!("body matches \"{matched}\"");
            Some((W_BODY, Evidence::new(EvidenceSource::Body, fact, None)))
        }
    }
}

/// Tries one row against a response.
pub fn try_match(fp: &'static Fingerprint, seen: &Observed) -> Option<Match> {
    // A row of the table has its rules prepared; any other is prepared now.
    let index = FINGERPRINTS.iter().position(|f| std::ptr::eq(f, fp));
    match index.and_then(|i| prepared().get(i)) {
        Some(rules) => try_prepared(fp, rules, seen),
        None => {
            let rules: Vec<Prepared> = fp.body.iter().map(Prepared::new).collect();
            try_prepared(fp, &rules, seen)
        }
    }
}

fn try_prepared(fp: &'static Fingerprint, rules: &[Prepared], seen: &Observed) -> Option<Match> {
    if !fp.statuses.is_empty() && !fp.statuses.contains(&seen.status) {
        return None;
    }
    let mut score: u32 = 0;
    let mut evidence = Vec::new();
    let mut captures = Captures::default();
    for rule in fp.headers {
        let (w, e) = header_rule(rule, seen, &mut captures)?;
        score = score.saturating_add(w);
        evidence.push(e);
    }
    for (rule, prepared) in fp.body.iter().zip(rules) {
        let (w, e) = body_rule(rule, prepared, seen, &mut captures)?;
        score = score.saturating_add(w);
        evidence.push(e);
    }
    if !fp.statuses.is_empty() {
        // Written last (only for a match), shown first.
        score = score.saturating_add(W_STATUS);
        evidence.insert(
            0,
            Evidence::new(
                EvidenceSource::Status,
                format!("status {}", seen.status),
                Some(fp.id),
            ),
        );
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
        .zip(prepared())
        .enumerate()
        .filter_map(|(i, (fp, rules))| try_prepared(fp, rules, seen).map(|m| (i, m)))
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

    thread_local! {
        /// The regexes that ran (their prefilter let the text through), on this thread.
        pub(super) static REGEX_RUNS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    /// The regexes `matches` runs on `seen`, and the ids of the rows that match.
    fn regex_runs(seen: &Observed) -> (Vec<String>, Vec<&'static str>) {
        REGEX_RUNS.with(|runs| runs.borrow_mut().clear());
        let ids = matches(seen).iter().map(|m| m.fingerprint.id).collect();
        (REGEX_RUNS.with(|runs| runs.take()), ids)
    }

    #[test]
    fn a_long_body_runs_only_the_regexes_whose_literals_it_holds() {
        // The cost that grew with the body: regex-lite stepping over every byte of the
        // 16 KiB prefix for each body pattern (milliseconds). Now only the patterns whose
        // literal is in the body run, from the literal on: here nginx's two rows.
        let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
        let mut body = format!("{page}<!-- ");
        while body.len() < 4 * MAX_BODY {
            body.push_str("a padding to disable MSIE and Chrome friendly error page ");
        }
        let seen = Observed::new(502, &[("Server", "nginx/1.22.1")], body.as_bytes());
        let (runs, ids) = regex_runs(&seen);
        assert_eq!(
            ids,
            ["nginx.502_page", "nginx.error_page", "nginx.server_header"]
        );
        // nginx.502_page's tail, nginx.error_page's headline and tail; then the
        // `Server` header's pattern (on the header value, not the body).
        assert_eq!(
            runs,
            [
                r"<hr><center>(?:nginx|openresty)(?:/[^<]*)?</center>",
                r"<center><h1>\d{3} [^<]*</h1></center>",
                r"<hr><center>(?:nginx|openresty)(?:/[^<]*)?</center>",
                r"^(?:nginx|openresty)(?:/|$)",
            ]
        );
        let padding_only = Observed::new(502, &[], &body.as_bytes()[page.len()..]);
        assert_eq!(regex_runs(&padding_only), (vec![], vec![]));
    }

    #[test]
    fn every_pattern_compiles() {
        let mut n = 0;
        for p in all_patterns() {
            assert!(regex(p).is_some(), "pattern does not compile: {p}");
            n += 1;
        }
        assert!(n > 10);
    }

    fn body_patterns() -> impl Iterator<Item = &'static str> {
        FINGERPRINTS.iter().flat_map(|f| {
            f.body.iter().filter_map(|r| match r {
                BodyRule::Regex(p) => Some(*p),
                _ => None,
            })
        })
    }

    /// Every response fixture file's bytes, as text.
    fn fixture_texts() -> Vec<(String, String)> {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/responses");
        let mut out = Vec::new();
        for dir in std::fs::read_dir(&root).unwrap() {
            for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                if path.extension().and_then(|e| e.to_str()) == Some("http") {
                    let bytes = std::fs::read(&path).unwrap();
                    out.push((
                        path.display().to_string(),
                        String::from_utf8_lossy(&bytes).into_owned(),
                    ));
                }
            }
        }
        out
    }

    /// Every group's span of the leftmost match, or `None`.
    fn spans(c: Option<regex_lite::Captures<'_>>) -> Option<Vec<Option<(usize, usize)>>> {
        c.map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
    }

    /// The filtered search gives exactly the whole search's match, and a match
    /// holds the required literal and starts with one of the starts.
    fn assert_agrees(p: &str, text: &str, what: &str) -> bool {
        let pat = pattern(p).unwrap();
        let whole = pat.regex.captures(text);
        let found = whole.as_ref().and_then(|c| c.get(0)).map(|m| m.as_str());
        assert_eq!(
            spans(pat.captures(text)),
            spans(whole),
            "{p} on {what}: the prefiltered search differs"
        );
        let pre = Prefilter::of(p);
        if let Some(m) = found {
            if let Some(r) = &pre.required {
                assert!(m.contains(r.as_str()), "{p}: match {m:?} lacks {r:?}");
            }
            if let Some(starts) = &pre.starts {
                assert!(
                    starts.iter().any(|s| m.starts_with(s.as_str())),
                    "{p}: match {m:?} starts with none of {starts:?}"
                );
            }
        }
        found.is_some()
    }

    #[test]
    fn every_body_pattern_has_a_required_literal() {
        let mut n = 0;
        for p in body_patterns() {
            let pre = Prefilter::of(p);
            let required = pre.required.unwrap_or_default();
            assert!(
                required.len() >= 4,
                "{p}: no required literal of 4 bytes or more ({required:?}): the regex would \
                 scan every body byte by byte; start it with a literal or teach prefilter.rs its syntax"
            );
            n += 1;
        }
        assert!(n > 20, "{n} body patterns");
        // Header patterns are read too (a header value is short: a filter is optional).
        assert_eq!(
            Prefilter::of(r"^(?P<vendor_code>ERR_[A-Z_]+)(?:\s+(?P<detail>-?\d+))?").required,
            Some("ERR_".to_owned())
        );
    }

    #[test]
    fn prefilters_agree_with_the_whole_search_on_every_fixture() {
        let texts = fixture_texts();
        assert!(texts.len() > 100, "{} fixtures", texts.len());
        let padding =
            "<!-- a padding to disable MSIE and Chrome friendly error page -->\n".repeat(30);
        let mut matched = std::collections::BTreeSet::new();
        for p in all_patterns() {
            for (name, text) in &texts {
                let body = match crate::raw::parse_response(text.as_bytes()) {
                    Ok(r) => String::from_utf8_lossy(&r.body).into_owned(),
                    Err(_) => String::new(),
                };
                for (what, t) in [
                    ("whole file", text.clone()),
                    ("body", body.clone()),
                    ("padded body", format!("{body}{padding}")),
                    ("body after padding", format!("{padding}{body}")),
                    ("body twice", format!("{body}{padding}{body}")),
                ] {
                    if assert_agrees(p, &t, &format!("{name} ({what})")) {
                        matched.insert(p);
                    }
                }
            }
        }
        // Not vacuous: the fixtures exercise the patterns' matches, not only their misses.
        let body_patterns: std::collections::BTreeSet<_> = body_patterns().collect();
        let unmatched: Vec<_> = body_patterns.difference(&matched).collect();
        assert!(
            unmatched.len() <= 2,
            "body patterns no fixture matches: {unmatched:?}"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Texts made of the patterns' own literals, near-misses of them and noise:
        /// the filtered search still finds exactly what the whole search finds.
        #[test]
        fn prefilters_agree_on_made_up_texts(
            picks in proptest::collection::vec((0usize..1000, 0usize..6, "[ -~\n]{0,6}"), 0..40),
        ) {
            let mut pieces: Vec<String> = Vec::new();
            for p in all_patterns() {
                let pre = Prefilter::of(p);
                pieces.extend(pre.required);
                pieces.extend(pre.starts.unwrap_or_default());
            }
            pieces.extend(["502", "3", "0x80072efd", " ", "</h1>", "</strong>", "</i>", "&#46;", ".", "#", "a6b9", "cache-lhr", "</title>", "\n", "</h4>", "</center>"].map(str::to_owned));
            let mut text = String::new();
            for (i, cut, noise) in picks {
                let piece = &pieces[i % pieces.len()];
                // A piece whole, or cut short (a near miss), then some noise.
                let keep = if cut == 0 { piece.len().saturating_sub(1) } else { piece.len() };
                text.push_str(prefix(piece, keep));
                text.push_str(&noise);
            }
            for p in all_patterns() {
                assert_agrees(p, &text, "a made-up text");
            }
        }
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
