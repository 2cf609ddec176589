//! Explain anything a person pastes: a status code (`502`, `502.3`, `524`),
//! a raw HTTP response or `curl -v` output, log lines (also inside the
//! envelopes of `docker compose`, `kubectl`, the container runtime,
//! syslog/journald or JSON log records), an error page's HTML or its copied
//! text, a header dump, the error message of a client library, a HAR file —
//! or several of these at once. The CLI's `explain`, `npm start -- …`, the
//! explainer page and the npm package all call [`explain()`], so that they
//! agree on what an input is.
//!
//! The pipeline, every step bounded:
//! 1. a HAR file is read as one ([`har`]); anything else is cut to
//!    [`MAX_INPUT`] bytes, and a paste that is one quoted or escaped string is
//!    unquoted ([`unquote`], at most [`MAX_UNQUOTE`] levels);
//! 2. each line's envelopes are peeled ([`peel`]);
//! 3. the lines are split into artefacts — an HTTP response (status line,
//!    headers, body), a log line, a header dump ([`headers`]), a block of
//!    text — and each is read: responses and page text by the fingerprints
//!    (an HTML page also by its visible text, [`visible`]), log lines by the
//!    log formats, other text by the generic signal layer ([`signal`]);
//! 4. the [`Explanation`] carries every artefact's own diagnosis and names
//!    the headline: the most informative failure. When something failed,
//!    the artefacts that report no failure (a HAR entry that succeeded, an
//!    access-log line below 500) are counted, not listed.
//!
//! A status received is always kept as received ([`Diagnosis::received_status`]);
//! [`Diagnosis::status`] is the status a gateway would send. A page or a text
//! that names no status has no received status.
//!
//! # Example
//! ```
//! use gatewise_core::explain::{explain, InputKind};
//! use gatewise_core::{ErrorType, Layer};
//!
//! let e = explain("502.3").unwrap();
//! assert_eq!(e.kind, InputKind::Status);
//!
//! let line = r#"2026/11/21 06:12:01 [error] 4242#4242: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:9/", host: "localhost""#;
//! let e = explain(&format!("web-1  | {line}")).unwrap();
//! assert_eq!(e.kind, InputKind::Log);
//! assert_eq!(e.diagnosis.error_type, Some(ErrorType::ConnectionRefused));
//! assert_eq!(e.diagnosis.layer, Layer::Nginx);
//!
//! let page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
//! let e = explain(&format!("{page}\n\n{line}")).unwrap();
//! assert_eq!(e.artefacts.len(), 2);
//! assert_eq!(e.artefacts[0].kind, InputKind::Page);
//! assert_eq!(e.artefacts[0].diagnosis.received_status, Some(502));
//! assert_eq!(e.headline, 1, "the log line says why");
//!
//! let e = explain("curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused").unwrap();
//! assert_eq!(e.kind, InputKind::Message);
//! assert_eq!(e.diagnosis.error_type, Some(ErrorType::ConnectionRefused));
//! ```

pub mod har;
pub mod headers;
pub mod peel;
mod read;
pub mod signal;
pub mod unquote;
pub mod visible;

use serde::{Deserialize, Serialize};

use crate::hop::named_enum;
use crate::logs::LogExplanation;
use crate::{classify, status, Confidence, Diagnosis, Layer};

pub use har::{CyclePhase, Exchange, Phase};
pub use peel::Wrapper;

/// At most this many bytes of a paste are read (a HAR file: [`har::MAX_HAR_INPUT`]).
pub const MAX_INPUT: usize = 256 * 1024;
/// At most this many lines of a paste are read.
pub const MAX_LINES: usize = 1000;
/// At most this many artefacts are listed; the rest are counted in [`Explanation::omitted`].
pub const MAX_ARTEFACTS: usize = 24;
/// A quoted paste is unquoted at most this many times.
pub const MAX_UNQUOTE: usize = 2;

named_enum! {
    /// What kind of artefact was recognised.
    InputKind {
        /// A status code such as `502` or `502.3`.
        Status = "status",
        /// A raw HTTP response (status line, headers, body), also from `curl -v` or `curl -I`.
        Response = "response",
        /// A log line.
        Log = "log",
        /// An error page's HTML or its visible text, without a status line.
        Page = "page",
        /// A dump of header fields (DevTools, PHP `print_r`, a Python dict) without a body.
        Headers = "headers",
        /// An error message of a client, library or runtime (curl, Node, Go, Java, Python…).
        Message = "message",
        /// An entry of a HAR file.
        Har = "har",
    }
}

/// Lines of the paste (1-based, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LineRange {
    /// The first line.
    pub first: usize,
    /// The last line.
    pub last: usize,
}

/// One thing found in a paste, with its own diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Artefact {
    /// What it is.
    pub kind: InputKind,
    /// What it says.
    pub diagnosis: Diagnosis,
    /// Whether it reports a failure (a failure type, a status of 500 or more,
    /// an error message, a request that got no response).
    pub failure: bool,
    /// Where it is in the paste (none for a HAR entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<LineRange>,
    /// The envelopes peeled to read it, outermost first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub wrappers: Vec<Wrapper>,
    /// Where it came from, as an envelope said (a compose service, a syslog tag, a stream).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The line it was read from, or its first line (cut to 300 bytes).
    pub excerpt: String,
    /// For a log line: the log explainer's reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log: Option<LogExplanation>,
    /// For a HAR entry: the request and its timings as the HTTP cycle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<Exchange>,
}

/// The result of [`explain()`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Explanation {
    /// What the headline artefact is.
    pub kind: InputKind,
    /// The headline artefact's diagnosis.
    pub diagnosis: Diagnosis,
    /// The index of the headline in `artefacts`: the most informative failure.
    pub headline: usize,
    /// Every artefact found, in the order of the paste.
    pub artefacts: Vec<Artefact>,
    /// Artefacts read that report no failure and are not listed, because
    /// others did (HAR entries that succeeded, access-log lines below 500).
    pub not_failed: usize,
    /// Artefacts left out beyond [`MAX_ARTEFACTS`].
    pub omitted: usize,
}

impl Explanation {
    /// The headline artefact.
    pub fn headline(&self) -> Option<&Artefact> {
        self.artefacts.get(self.headline)
    }
}

/// Why an input could not be explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExplainError {
    /// Nothing but white space.
    Empty,
    /// No status code, response, log line, error page, header dump or error message was recognised.
    NotRecognised,
    /// A HAR file whose requests all succeeded: nothing failed.
    NothingFailed {
        /// How many requests the file holds.
        requests: usize,
    },
}

impl std::fmt::Display for ExplainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExplainError::Empty => f.write_str("nothing to explain"),
            ExplainError::NotRecognised => f.write_str(
                "not a status code, an HTTP response, a known log line, error page or error message",
            ),
            ExplainError::NothingFailed { requests } => {
                write!(f, "no request of this HAR file failed ({requests} read)")
            }
        }
    }
}

impl std::error::Error for ExplainError {}

impl ExplainError {
    /// A stable code for the error (`empty`, `not_recognised`, `nothing_failed`).
    pub fn code(&self) -> &'static str {
        match self {
            ExplainError::Empty => "empty",
            ExplainError::NotRecognised => "not_recognised",
            ExplainError::NothingFailed { .. } => "nothing_failed",
        }
    }
}

/// Explains a paste (see the module docs for the pipeline).
pub fn explain(input: &str) -> Result<Explanation, ExplainError> {
    if har::looks_like_har(input) {
        if let Some(h) = har::read(input) {
            return from_har(h);
        }
    }
    // Only a paste read whole can show that a response was cut short on its way.
    let whole = input.len() <= MAX_INPUT;
    let input = cut(input, MAX_INPUT).trim();
    if input.is_empty() {
        return Err(ExplainError::Empty);
    }
    let mut text = input.to_owned();
    let mut outer = Vec::new();
    for _ in 0..MAX_UNQUOTE {
        if let Ok(key) = status::parse(text.trim()) {
            let d = classify::status(key);
            let artefact = Artefact {
                kind: InputKind::Status,
                failure: d.status >= 500,
                lines: Some(LineRange { first: 1, last: 1 }),
                wrappers: outer.clone(),
                source: None,
                excerpt: cut(text.trim(), 300).to_owned(),
                log: None,
                exchange: None,
                diagnosis: d,
            };
            return assemble(vec![artefact], 0);
        }
        match unquote::unquote_as(&text) {
            Some((inner, how)) if inner.trim() != text.trim() && !inner.trim().is_empty() => {
                outer.push(how);
                text = inner;
            }
            _ => break,
        }
    }
    let mut artefacts = read::artefacts(&text, whole);
    for a in &mut artefacts {
        a.wrappers.splice(0..0, outer.iter().copied());
    }
    assemble(artefacts, 0)
}

fn from_har(h: har::HarReading) -> Result<Explanation, ExplainError> {
    if h.entries.is_empty() {
        return Err(ExplainError::NothingFailed {
            requests: h.succeeded,
        });
    }
    let artefacts = h
        .entries
        .into_iter()
        .map(|e| Artefact {
            kind: InputKind::Har,
            failure: true,
            lines: None,
            wrappers: Vec::new(),
            source: None,
            excerpt: cut(&format!("{} {}", e.exchange.method, e.exchange.url), 300).to_owned(),
            log: None,
            diagnosis: e.diagnosis,
            exchange: Some(e.exchange),
        })
        .collect();
    assemble(artefacts, h.succeeded)
}

/// Picks the headline, hides what reports no failure when something failed,
/// and caps the list.
fn assemble(all: Vec<Artefact>, mut not_failed: usize) -> Result<Explanation, ExplainError> {
    if all.is_empty() {
        return Err(ExplainError::NotRecognised);
    }
    let any_failure = all.iter().any(|a| a.failure);
    let mut kept = Vec::new();
    for a in all {
        if any_failure && !a.failure {
            not_failed = not_failed.saturating_add(1);
        } else {
            kept.push(a);
        }
    }
    let best = first_of_its_log(&kept, first_max(&kept, score).unwrap_or(0));
    let omitted = kept.len().saturating_sub(MAX_ARTEFACTS);
    let headline_artefact = kept.get(best).cloned();
    kept.truncate(MAX_ARTEFACTS);
    let headline = if best < MAX_ARTEFACTS {
        best
    } else {
        // The headline was beyond the cap: it takes the last place.
        kept.pop();
        kept.extend(headline_artefact);
        kept.len().saturating_sub(1)
    };
    let head = kept.get(headline).ok_or(ExplainError::NotRecognised)?;
    Ok(Explanation {
        kind: head.kind,
        diagnosis: head.diagnosis.clone(),
        headline,
        not_failed,
        omitted,
        artefacts: kept,
    })
}

/// The index of the first element with the greatest key.
fn first_max<T, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Option<usize> {
    let mut best: Option<(usize, K)> = None;
    for (i, item) in items.iter().enumerate() {
        let k = key(item);
        if best.as_ref().is_none_or(|(_, b)| k > *b) {
            best = Some((i, k));
        }
    }
    best.map(|(i, _)| i)
}

/// How informative an artefact is: a failure, with a type, surely, by a
/// named layer, with a vendor code, of a kind that says much.
fn score(a: &Artefact) -> (bool, bool, u8, bool, bool, u8) {
    let (failure, typed, named, vendor, kind) = facts(a);
    (
        failure,
        typed,
        confidence_rank(a.diagnosis.confidence),
        named,
        vendor,
        kind,
    )
}

/// What an artefact says, however surely: a failure, a type, a named layer, a
/// vendor code, the kind.
fn facts(a: &Artefact) -> (bool, bool, bool, bool, u8) {
    let d = &a.diagnosis;
    let kind = match a.kind {
        InputKind::Log | InputKind::Response | InputKind::Har => 3,
        InputKind::Page | InputKind::Message => 2,
        InputKind::Headers => 1,
        InputKind::Status => 0,
    };
    (
        a.failure,
        d.error_type.is_some(),
        !matches!(d.layer, Layer::Unknown | Layer::OriginApp),
        d.vendor_code.is_some(),
        kind,
    )
}

/// Within one log (lines of one format), the first failure that says as much
/// as the best one is the headline: the later ones follow from it, however
/// sure a later line's reading is.
fn first_of_its_log(kept: &[Artefact], best: usize) -> usize {
    let Some(b) = kept.get(best) else {
        return best;
    };
    let format = b.log.as_ref().map(|l| l.format);
    if format.is_none() {
        return best;
    }
    kept.iter()
        .take(best)
        .position(|a| a.log.as_ref().map(|l| l.format) == format && facts(a) == facts(b))
        .unwrap_or(best)
}

/// Higher for a surer reading.
pub(crate) fn confidence_rank(c: Confidence) -> u8 {
    match c {
        Confidence::High => 2,
        Confidence::Medium => 1,
        Confidence::Low => 0,
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
pub(crate) fn cut(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    s.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests;
