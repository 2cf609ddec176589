//! Classifying transport errors as runtimes report them: workerd, browsers,
//! Node/undici, Rust `std::io`, curl/Go/OpenSSL texts, timeouts and aborts.
//!
//! Knowledge is the generic signal table, [`crate::signals::SIGNALS`] (the
//! `[[signal]]` rows of `data/`, also read from free text by
//! [`crate::signals::read`]): each row says what to look for (conditions on
//! the error's `name`, `message` and `code`, and the runtime that reports
//! it), what it means (an RFC 9209 type, or a verdict without type: the
//! runtime hides the reason, the caller aborted, the server answered), which
//! other types the signal cannot rule out, how sure it is, the likely causes,
//! and where the row comes from. The first row (by rank) that matches any
//! error of the `cause` chain wins, so rows are ranked from the most specific
//! (an errno, a certificate code) to the least (a browser's opaque
//! `TypeError`), and the last row matches everything.
//!
//! Inputs are hostile: only the first [`MAX_DEPTH`] errors of a `cause`
//! chain and the first [`MAX_TEXT`] bytes of each text are read.
//!
//! Some signals are ambiguous and the diagnosis says so instead of guessing
//! (low confidence, `alternatives`, and a `transport.note.*` text found with
//! [`note_key`]): workerd's `Network connection lost.` (refused, closed
//! after accept and reset look the same), workerd's `internal error;
//! reference = …` (garbage response, DNS failure, TLS to a plain port) and the
//! browsers' `TypeError`s (`Failed to fetch`, `NetworkError when attempting to
//! fetch resource.`, `Load failed`), which hide DNS, refusal, TLS, CORS and
//! being offline alike.
//!
//! An `AbortError` means the caller cancelled: it is no gateway failure, so
//! the diagnosis has no error type, sits on the client side, is not
//! retryable and carries status 499 (nginx's "client closed request").
//!
//! # Example
//! ```
//! use gatewise_core::classify::{transport, TransportError};
//! use gatewise_core::{Confidence, ErrorType, Layer, Reached};
//! let e = TransportError {
//!     name: Some("TypeError".into()),
//!     message: "fetch failed".into(),
//!     cause: Some(Box::new(TransportError {
//!         code: Some("ECONNREFUSED".into()),
//!         message: "connect ECONNREFUSED 127.0.0.1:9".into(),
//!         ..Default::default()
//!     })),
//!     ..Default::default()
//! };
//! let d = transport(&e);
//! assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
//! assert_eq!(d.layer, Layer::Node);
//! assert_eq!(d.reached, Reached::No);
//! assert_eq!(d.confidence, Confidence::High);
//!
//! let lost = TransportError {
//!     runtime: Some(Layer::Workerd),
//!     message: "Network connection lost.".into(),
//!     retryable: Some(true),
//!     ..Default::default()
//! };
//! let d = transport(&lost);
//! assert!(d.is_ambiguous());
//! assert!(d.alternatives.contains(&ErrorType::ConnectionTerminated));
//! assert_eq!(d.confidence, Confidence::Low);
//! ```

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnosis::{Diagnosis, Evidence, EvidenceSource};
use crate::hop::Reached;
use crate::matcher::{Cond, Prepared, Subject};
use crate::signals::{self, SIGNALS};
use crate::table::Row;
use crate::{ErrorType, Layer};

/// The transport table: the signal rows, ranked; the last row matches everything.
pub use crate::signals::SIGNALS as RULES;
/// A row of [`RULES`].
pub type TransportRule = Row;

/// A thrown error as a runtime reported it (JS `Error`, undici error with
/// `cause`, Rust io error), in a form every binding can fill.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransportError {
    /// The runtime that reported it, when the caller knows (`workerd`, `browser`, `node`, `rust_io`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<Layer>,
    /// The error's name (`TypeError`, `AbortError`, `TimeoutError`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The error's message.
    #[serde(default)]
    pub message: String,
    /// The error's code (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`, `CERT_HAS_EXPIRED`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// workerd's `retryable` property, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retryable: Option<bool>,
    /// The error's `cause`, when present (undici puts the system error there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Box<TransportError>>,
}

/// How many errors of a `cause` chain are read (the rest is ignored), by
/// the classifier and by deserialization alike.
///
/// Deserializing a [`TransportError`] (the npm package's `classifyError`,
/// any JSON) keeps at most `MAX_DEPTH` errors of the `cause` chain and skips
/// the rest without recursing, so a hostile 100,000-deep chain can neither
/// overflow the stack while it is read nor later, when the value is cloned,
/// compared or dropped.
///
/// ```
/// use gatewise_core::classify::{transport::MAX_DEPTH, TransportError};
/// let deep = format!("{}{{\"message\":\"x\"}}{}", "{\"message\":\"x\",\"cause\":".repeat(100_000), "}".repeat(100_000));
/// let e: TransportError = serde_json::from_str(&deep).unwrap();
/// assert_eq!(std::iter::successors(Some(&e), |e| e.cause.as_deref()).count(), MAX_DEPTH);
/// ```
pub const MAX_DEPTH: usize = 8;

/// The field names, as serde writes them.
const FIELDS: &[&str] = &["runtime", "name", "message", "code", "retryable", "cause"];

impl<'de> Deserialize<'de> for TransportError {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        AtDepth(1).deserialize(d)
    }
}

/// One error of a chain, read at `depth` (the outermost is 1): its `cause`
/// is read only while `depth < MAX_DEPTH`, else skipped as
/// [`IgnoredAny`] (which serde_json skips without recursion, and
/// serde-wasm-bindgen without looking).
struct AtDepth(usize);

impl<'de> DeserializeSeed<'de> for AtDepth {
    type Value = TransportError;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<TransportError, D::Error> {
        d.deserialize_struct("TransportError", FIELDS, ErrorVisitor(self.0))
    }
}

enum Field {
    Runtime,
    Name,
    Message,
    Code,
    Retryable,
    Cause,
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                Ok(match v {
                    "runtime" => Field::Runtime,
                    "name" => Field::Name,
                    "message" => Field::Message,
                    "code" => Field::Code,
                    "retryable" => Field::Retryable,
                    "cause" => Field::Cause,
                    _ => Field::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

struct ErrorVisitor(usize);

impl<'de> Visitor<'de> for ErrorVisitor {
    type Value = TransportError;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a transport error (an object with a message)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TransportError, A::Error> {
        let mut e = TransportError::default();
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Runtime => e.runtime = map.next_value()?,
                Field::Name => e.name = map.next_value()?,
                Field::Message => e.message = map.next_value()?,
                Field::Code => e.code = map.next_value()?,
                Field::Retryable => e.retryable = map.next_value()?,
                Field::Cause if self.0 < MAX_DEPTH => {
                    e.cause = map.next_value_seed(CauseAt(self.0.saturating_add(1)))?;
                }
                Field::Cause | Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(e)
    }
}

/// An optional `cause`, read at `depth`.
struct CauseAt(usize);

impl<'de> DeserializeSeed<'de> for CauseAt {
    type Value = Option<Box<TransportError>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for CauseAt {
    type Value = Option<Box<TransportError>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a transport error or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        AtDepth(self.0).deserialize(d).map(|e| Some(Box::new(e)))
    }
}
/// How many bytes of each name, message and code are read.
pub const MAX_TEXT: usize = 2048;
/// How many bytes of each message go into [`Diagnosis::detail`].
const DETAIL_PER_ERROR: usize = 200;

/// What a matching rule concludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A gateway failure of this RFC 9209 type.
    Type(ErrorType),
    /// No RFC 9209 type: the runtime hides the reason, or none fits (the
    /// visitor is offline, an extension blocked the request).
    Unclassified,
    /// The caller cancelled the request: no gateway failure.
    Aborted,
    /// The server answered; the error only reports its status code.
    Answered,
}

/// What `row` concludes, as a [`Verdict`].
pub fn verdict(row: &Row) -> Verdict {
    match (row.then.error_type, row.then.verdict) {
        (Some(t), _) => Verdict::Type(t),
        (None, Some(crate::table::Verdict::Aborted)) => Verdict::Aborted,
        (None, Some(crate::table::Verdict::Answered)) => Verdict::Answered,
        (None, _) => Verdict::Unclassified,
    }
}

/// The rule with this id.
pub fn rule_by_id(id: &str) -> Option<&'static Row> {
    signals::row_by_id(id)
}

/// The catalog key (`transport.note.<key>`) explaining the ambiguity or
/// special meaning of the signal row that produced `d`, if any.
pub fn note_key(d: &Diagnosis) -> Option<String> {
    d.evidence
        .iter()
        .filter_map(|e| e.rule.as_deref().and_then(rule_by_id))
        .find_map(|r| r.then.note)
        .map(str::to_owned)
}

/// The first `max` bytes of `s`, cut at a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    signals::prefix(s, max)
}

/// Byte offsets where `needle` occurs in `hay`, ASCII case-insensitively.
fn find_ci<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let last = h.len().checked_sub(n.len()).filter(|_| !n.is_empty());
    (0..last.map_or(0, |l| l.saturating_add(1))).filter(move |&i| {
        h.get(i..i.saturating_add(n.len()))
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

/// One error of the chain, with its texts cut to [`MAX_TEXT`], as the
/// fields `name`, `message` and `code` the rows test.
struct Level<'a> {
    name: Option<&'a str>,
    message: &'a str,
    code: Option<&'a str>,
    subject: Subject<'a>,
}

impl<'a> Level<'a> {
    fn of(e: &'a TransportError) -> Self {
        let name = e.name.as_deref().map(|s| prefix(s, MAX_TEXT));
        let message = prefix(&e.message, MAX_TEXT);
        let code = e.code.as_deref().map(|s| prefix(s, MAX_TEXT));
        let mut subject = Subject::new();
        if let Some(n) = name {
            subject.push("name", n);
        }
        subject.push("message", message);
        if let Some(c) = code {
            subject.push("code", c);
        }
        Level {
            name,
            message,
            code,
            subject,
        }
    }

    fn matches(&self, index: usize, r: &Row) -> bool {
        signals::prepared().holds(index, r.when, &self.subject)
    }

    /// The error's code, when the row's code condition holds on it (not only on the message).
    fn matched_code(&self, r: &Row) -> Option<&'a str> {
        let code = self.code?;
        let cond = code_cond(r)?;
        let mut only = Subject::new();
        only.push("code", code);
        let on_code = Cond {
            fields: &["code"],
            ..*cond
        };
        on_code
            .eval(&Prepared::new(&on_code), &only)
            .is_some()
            .then_some(code)
    }
}

/// The row's condition on the error's code, if any.
fn code_cond(r: &Row) -> Option<&'static Cond> {
    r.when.iter().find(|c| c.fields.contains(&"code"))
}

/// The errors of the chain, at most [`MAX_DEPTH`].
fn chain(e: &TransportError) -> impl Iterator<Item = &TransportError> {
    std::iter::successors(Some(e), |e| e.cause.as_deref()).take(MAX_DEPTH)
}

/// The runtime a row is about, if it names one (a row naming a client
/// library, such as Go or curl, applies whatever runtime wrapped its text).
fn runtime_of(r: &Row) -> Option<Layer> {
    r.then.layer.filter(|l| signals::is_runtime(*l))
}

fn runtime_ok(r: &Row, given: Option<Layer>) -> bool {
    match (runtime_of(r), given) {
        (Some(want), Some(got)) => want == got,
        _ => true,
    }
}

/// The evidence for the match: the most specific condition of the row.
fn evidence_for(r: &Row, level: &Level<'_>) -> Evidence {
    let short = |s: &str| prefix(s, 120).to_owned();
    let only_names = !r.when.is_empty() && r.when.iter().all(|c| c.fields == ["name"]);
    let (source, fact) = match level.matched_code(r) {
        Some(c) => (EvidenceSource::Code, format!("code {}", short(c))),
        None if only_names => (
            EvidenceSource::Message,
            format!("name {}", short(level.name.unwrap_or(""))),
        ),
        None => (
            EvidenceSource::Message,
            format!("message \"{}\"", short(level.message)),
        ),
    };
    Evidence::new(source, fact, Some(r.id))
}

/// The first status code (100–599) after "status code" in `message`.
fn status_in(message: &str) -> Option<u16> {
    let at = find_ci(message, "status code").next()?;
    let rest = message
        .get(at.saturating_add("status code".len())..)?
        .trim_start_matches([' ', ':']);
    let digits: String = rest
        .chars()
        .take_while(char::is_ascii_digit)
        .take(4)
        .collect();
    digits.parse().ok().filter(|s| (100..=599).contains(s))
}

/// The messages of the chain, each cut short, joined with `←`.
fn detail_of(e: &TransportError) -> Option<String> {
    let parts: Vec<&str> = chain(e)
        .map(|e| prefix(e.message.trim(), DETAIL_PER_ERROR))
        .filter(|m| !m.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" ← "))
}

/// The runtime whose characteristic error this is, when the caller did not
/// say and the matching row is runtime-neutral: the first row naming a
/// runtime that matches some error of the chain (e.g. Node's `EPROTO` code
/// under OpenSSL's "wrong version number" text).
fn runtime_hint(levels: &[Level<'_>]) -> Option<Layer> {
    SIGNALS
        .iter()
        .enumerate()
        .filter(|(_, r)| runtime_of(r).is_some())
        .find(|(i, r)| levels.iter().any(|l| l.matches(*i, r)))
        .and_then(|(_, r)| runtime_of(r))
}

fn build(r: &Row, e: &TransportError, levels: &[Level<'_>], level: &Level<'_>) -> Diagnosis {
    let given = e.runtime.filter(|l| *l != Layer::Unknown);
    let layer = given
        .or(runtime_of(r))
        .or_else(|| runtime_hint(levels))
        .or(r.then.layer)
        .unwrap_or(Layer::Unknown);
    let mut d = match verdict(r) {
        Verdict::Answered => {
            let mut d = Diagnosis::for_status(status_in(level.message).unwrap_or(502), layer);
            d.received_status = status_in(level.message);
            signals::apply(r, d)
        }
        _ => signals::diagnose(r, layer),
    };
    if let Some(c) = level.matched_code(r) {
        d.vendor_code = Some(prefix(c, 64).to_owned());
    }
    if let Some(l) = given {
        d.evidence.push(Evidence::new(
            EvidenceSource::Runtime,
            format!("reported by {}", l.name()),
            None,
        ));
    }
    d.evidence.push(evidence_for(r, level));
    // The runtime's own word on retrying wins (workerd sets `retryable`).
    if let Some(x) = chain(e).find_map(|e| e.retryable) {
        d.retryable = x;
        d.evidence.push(Evidence::new(
            EvidenceSource::Runtime,
            format!("retryable: {x}"),
            None,
        ));
    }
    d.detail = detail_of(e);
    d
}

/// Classifies a thrown transport error: the first row of [`RULES`] that
/// matches any error of the `cause` chain (read to [`MAX_DEPTH`]) decides.
/// Never panics; an unknown error gets a low-confidence diagnosis without
/// an error type.
pub fn transport(e: &TransportError) -> Diagnosis {
    let given = e.runtime.filter(|l| *l != Layer::Unknown);
    let levels: Vec<Level<'_>> = chain(e).map(Level::of).collect();
    for (i, r) in SIGNALS.iter().enumerate() {
        if !runtime_ok(r, given) {
            continue;
        }
        if let Some(level) = levels.iter().find(|l| l.matches(i, r)) {
            return build(r, e, &levels, level);
        }
    }
    // Unreachable while the last row matches everything; stay total anyway.
    let mut d = Diagnosis::for_status(502, given.unwrap_or(Layer::Unknown));
    d.received_status = None;
    d.reached = Reached::Maybe;
    d.detail = detail_of(e);
    d
}

/// Classifies a Rust `std::io::ErrorKind` seen while talking to a next hop
/// (the kind's name is matched by the `io.*` rows; `message` is read too).
pub fn io_error(kind: std::io::ErrorKind, message: &str) -> Diagnosis {
    transport(&TransportError {
        runtime: Some(Layer::RustIo),
        name: Some(format!("{kind:?}")),
        message: prefix(message, MAX_TEXT).to_owned(),
        ..TransportError::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::Confidence;

    #[test]
    fn rule_ids_are_unique_and_sourced_and_the_last_row_catches_all() {
        for r in RULES {
            assert!(!r.source.is_empty(), "{} has no source", r.id);
            if let Verdict::Type(t) = verdict(r) {
                assert!(
                    !r.then.alternatives.contains(&t),
                    "{} lists its own type as alternative",
                    r.id
                );
            }
            if !r.then.alternatives.is_empty() {
                assert_ne!(
                    r.then.confidence,
                    Confidence::High,
                    "{} is ambiguous yet sure",
                    r.id
                );
            }
        }
        let last = RULES.last().map(|r| (r.id, r.when.len(), r.then.layer));
        assert_eq!(last, Some(("fallback", 0, None)));
    }

    #[test]
    fn notes_have_catalog_text() {
        for r in RULES {
            if let Some(key) = r.then.note {
                assert!(
                    crate::i18n::message(crate::Lang::EN, key).is_some(),
                    "missing {key}"
                );
            }
        }
    }

    #[test]
    fn matching_helpers() {
        assert!(find_ci("a", "").next().is_none());
        assert_eq!(prefix("héllo", 2), "h");
        assert_eq!(
            status_in("Response status code 503: Service Unavailable"),
            Some(503)
        );
        assert_eq!(status_in("status code 9999"), None);
    }
}
