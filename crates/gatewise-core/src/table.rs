//! The one row style of every table.
//!
//! Every fact gatewise knows is a [`Row`]: an `id`, the conditions `when` it
//! applies (in the [matcher vocabulary](crate::matcher)), what it concludes
//! (`then`, a [`Then`]), its typed [`Source`]s and the data file it comes
//! from. The rows are written in `data/layers/<layer>.toml` and
//! `data/signals/<family>.toml` (format: `data/README.md`, with samples that
//! `tests/data_samples.rs` runs), checked and compiled into static tables by
//! `build.rs`: [`crate::fingerprint::FINGERPRINTS`],
//! [`crate::fingerprint::VENDOR_CODE_ROWS`], [`crate::signals::SIGNALS`],
//! [`crate::logs::patterns::PATTERNS`] and the log formats.
//!
//! # Example
//! ```
//! use gatewise_core::signals::SIGNALS;
//! use gatewise_core::table::SourceKind;
//! let row = SIGNALS.iter().find(|r| r.id == "node.econnrefused").unwrap();
//! assert_eq!(row.file, "layers/node.toml");
//! assert_eq!(row.then.error_type.map(|t| t.name()), Some("connection_refused"));
//! assert_eq!(row.source[0].kind, SourceKind::Url);
//! ```

use serde::{Deserialize, Serialize};

use crate::diagnosis::Confidence;
use crate::hop::{Hop, Reached, Segment};
use crate::layer::Layer;
use crate::matcher::Cond;
use crate::taxonomy::{Cause, ErrorType};

/// What kind of reference a [`Source`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// A vendor's documentation (a URL).
    Url,
    /// An RFC section, e.g. `9209 §2.3.7`.
    Rfc,
    /// A source file of the proxy or library, e.g. `nginx src/http/ngx_http_upstream.c`.
    File,
    /// One of the seed articles gatewise started from (see [`crate::taxonomy::seed`]).
    Seed,
    /// Recorded from a real server or program here, e.g. `nginx/1.22.1`.
    Captured,
}

/// Where a row's fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Source {
    /// The kind of reference.
    pub kind: SourceKind,
    /// The reference itself (URL, RFC section, file, seed id, server/version).
    pub text: &'static str,
    /// More words about it, if any.
    pub note: Option<&'static str>,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            SourceKind::Url | SourceKind::File => f.write_str(self.text)?,
            SourceKind::Rfc => write!(f, "RFC {}", self.text)?,
            SourceKind::Captured => write!(f, "captured: {}", self.text)?,
            SourceKind::Seed => f.write_str(crate::taxonomy::seed::by_id(self.text))?,
        }
        match self.note {
            Some(n) => write!(f, " {n}"),
            None => Ok(()),
        }
    }
}

/// Several sources as one line: each shown, joined with `; `.
pub fn sources_text(sources: &[Source]) -> String {
    sources
        .iter()
        .map(Source::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a matching fingerprint row proves about its layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The layer generated this response itself (its own error page, local
    /// reply or error header).
    Generator,
    /// The layer only forwarded this response: it is on the path, but the
    /// response was written behind it.
    OnPath,
}

/// Where a row's vendor code comes from when its conditions capture none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSource {
    /// No vendor code.
    None,
    /// The received status is the vendor code (Cloudflare 52x, AWS ELB 46x).
    Status,
    /// This fixed code.
    Fixed(&'static str),
    /// Log patterns: the line's vendor code (its format's `vendor_field`) is looked
    /// up in the layer's vendor codes, which name the failure.
    Lookup,
}

/// What kind of log line a row recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// The line reports a failure (it names an error type, or a client-side abort).
    Failure,
    /// The line records a response status only (an access log line): weak evidence.
    Status,
    /// The line is a notice that reports no failure by itself (a worker booting, a continuation line).
    Notice,
}

/// What a signal concludes when it names no RFC 9209 type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No RFC 9209 type: the runtime hides the reason, or none fits.
    Unclassified,
    /// The caller cancelled the request: no gateway failure.
    Aborted,
    /// The server answered; the error only reports its status code.
    Answered,
}

/// What a matching row concludes. Every field is optional; which ones a
/// kind of row uses is checked by `build.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Then {
    /// The RFC 9209 failure type, when the row names one.
    pub error_type: Option<ErrorType>,
    /// For signals that name no type: why.
    pub verdict: Option<Verdict>,
    /// The types the evidence cannot rule out.
    pub alternatives: &'static [ErrorType],
    /// How sure the row is.
    pub confidence: Confidence,
    /// The layer the row names (who wrote the text).
    pub layer: Option<Layer>,
    /// Fingerprints: whether the layer wrote the response or only forwarded it.
    pub role: Role,
    /// The hop, when it differs from the type's own.
    pub hop: Option<Hop>,
    /// The segment, when it differs from the hop's.
    pub segment: Option<Segment>,
    /// The status to report, when it differs from the type's.
    pub status: Option<u16>,
    /// Whether the request can have reached the origin, when it differs from the type's.
    pub reached: Option<Reached>,
    /// Retryability, when it differs from the type's.
    pub retryable: Option<bool>,
    /// Fingerprints: where the vendor code comes from when none is captured.
    pub code: CodeSource,
    /// Fingerprints: a fixed IIS sub-status.
    pub sub_status: Option<u16>,
    /// Log patterns: what kind of line it is (`None`: failure with a type, else status).
    pub kind: Option<LineKind>,
    /// The catalog key explaining the row (log patterns: their template).
    pub key: Option<&'static str>,
    /// Likely causes, most likely first.
    pub causes: &'static [Cause],
    /// A catalog key explaining an ambiguity (`transport.note.<x>`).
    pub note: Option<&'static str>,
    /// Log patterns: the formats (names) of a next line that states this line's
    /// cause; when the very next line is a failure of one of them, this line takes
    /// its type (see `logs::explain_all`).
    pub cause_from_next: &'static [&'static str],
}

impl Then {
    /// Nothing concluded yet: medium confidence, generator, no overrides.
    pub const DEFAULT: Then = Then {
        error_type: None,
        verdict: None,
        alternatives: &[],
        confidence: Confidence::Medium,
        layer: None,
        role: Role::Generator,
        hop: None,
        segment: None,
        status: None,
        reached: None,
        retryable: None,
        code: CodeSource::None,
        sub_status: None,
        kind: None,
        key: None,
        causes: &[],
        note: None,
        cause_from_next: &[],
    };
}

/// One row of any table (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Stable id, recorded in evidence (`nginx.502_page`, `node.econnrefused`).
    pub id: &'static str,
    /// Order among rows that could both apply: lower first (then file, then place in file).
    pub rank: u8,
    /// The conditions, all of which must hold.
    pub when: &'static [Cond],
    /// What a match concludes.
    pub then: Then,
    /// Where the fact comes from.
    pub source: &'static [Source],
    /// The data file it is written in, e.g. `layers/nginx.toml`.
    pub file: &'static str,
}

impl Row {
    /// The layer the row names (`Layer::Unknown` when none).
    pub fn layer(&self) -> Layer {
        self.then.layer.unwrap_or(Layer::Unknown)
    }

    /// The sources as one line (see [`sources_text`]).
    pub fn source_text(&self) -> String {
        sources_text(self.source)
    }
}
