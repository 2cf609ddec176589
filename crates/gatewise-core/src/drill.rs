//! Drill-through: narrowing an ambiguous diagnosis with a step-by-step probe.
//!
//! Some runtimes hide why a request failed: workerd's `Network connection
//! lost.` covers a refused connection, a connection closed after accept and
//! a reset alike (see [`crate::classify::transport`]). A gateway that sees
//! such an error can run the HTTP cycle again one step at a time — resolve
//! the name, open a TCP connection, send a small request and read the status
//! line — and report what each step saw as a [`Step`]. [`narrow`] then
//! replaces the ambiguous diagnosis with the one the first failing step
//! supports, from the table [`STEP_ROWS`]. When every step succeeded, the
//! steps still rule something out: a hop that works now ([`RULED_OUT_BY_SUCCESS`]:
//! DNS, connect, TLS) did not fail before, so the failure types of those hops
//! are dropped from the diagnosis and the first remaining one is kept (a lost
//! connection to an origin that accepts connections becomes
//! `connection_terminated`; a response the runtime could not parse stays
//! `http_protocol_error`, no longer suspected of DNS or TLS).
//!
//! The runtime's own words for a failed socket (workerd's `connect()`) are
//! mapped to an [`Outcome`] by [`socket_outcome`], from the table
//! [`SOCKET_ERRORS`].
//!
//! # Example
//! ```
//! use gatewise_core::drill::{narrow, Outcome, Step};
//! use gatewise_core::classify::{transport, TransportError};
//! use gatewise_core::{Confidence, ErrorType, Hop, Layer};
//! let lost = transport(&TransportError {
//!     runtime: Some(Layer::Workerd),
//!     message: "Network connection lost.".into(),
//!     ..Default::default()
//! });
//! assert!(lost.is_ambiguous());
//! let steps = [
//!     Step::new(Hop::Dns, Outcome::Skipped, 0),
//!     Step::new(Hop::Connect, Outcome::Refused, 1),
//! ];
//! let d = narrow(&lost, &steps);
//! assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
//! assert_eq!(d.confidence, Confidence::High);
//! assert!(!d.is_ambiguous());
//! ```

use serde::{Deserialize, Serialize};

use crate::diagnosis::{Confidence, Diagnosis, Evidence, EvidenceSource};
use crate::hop::{named_enum, Hop};
use crate::ErrorType;

named_enum! {
    /// What one step of a drill-through saw.
    Outcome {
        /// The step succeeded.
        Ok = "ok",
        /// The step was not needed (an IP address needs no DNS, plain HTTP no TLS).
        Skipped = "skipped",
        /// The resolver answered, with no address (NXDOMAIN, NODATA).
        NoAddress = "no_address",
        /// The resolver could not answer (SERVFAIL, unreachable, malformed answer).
        ResolverFailed = "resolver_failed",
        /// The peer refused the connection.
        Refused = "refused",
        /// The step did not finish within its share of the time budget.
        Timeout = "timeout",
        /// The peer closed the connection before sending a status line.
        ClosedBeforeResponse = "closed_before_response",
        /// The bytes received are not an HTTP/1.x status line.
        NotHttp = "not_http",
        /// The response's header section did not end within the size gateways accept.
        HeadersTooLarge = "headers_too_large",
        /// The step failed in a way the runtime does not explain.
        Failed = "failed",
    }
}

/// One step of a drill-through: which hop, what it saw, how long it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// The hop probed.
    pub hop: Hop,
    /// What it saw.
    pub outcome: Outcome,
    /// How long it took, in milliseconds.
    pub ms: u32,
    /// The runtime's own words or a fact (an address, a status line), for the site owner only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Step {
    /// A step without a note.
    pub fn new(hop: Hop, outcome: Outcome, ms: u32) -> Self {
        Step {
            hop,
            outcome,
            ms,
            note: None,
        }
    }

    /// The same step with a note (cut to 200 bytes).
    pub fn with_note(mut self, note: &str) -> Self {
        let mut end = note.len().min(200);
        while !note.is_char_boundary(end) {
            end = end.saturating_sub(1);
        }
        self.note = note.get(..end).map(str::to_owned);
        self
    }

    /// Whether the step failed (anything but `ok` or `skipped`).
    pub fn failed(&self) -> bool {
        !matches!(self.outcome, Outcome::Ok | Outcome::Skipped)
    }
}

/// One row of the step table: a failing (hop, outcome) pair and the failure it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepRow {
    /// The hop.
    pub hop: Hop,
    /// What the step saw.
    pub outcome: Outcome,
    /// The RFC 9209 type that failure is.
    pub error_type: ErrorType,
    /// How sure the probe makes it.
    pub confidence: Confidence,
    /// Why (RFC 9209 section of the type).
    pub source: &'static str,
}

const fn row(
    hop: Hop,
    outcome: Outcome,
    error_type: ErrorType,
    confidence: Confidence,
    source: &'static str,
) -> StepRow {
    StepRow {
        hop,
        outcome,
        error_type,
        confidence,
        source,
    }
}

use Confidence::{High, Low, Medium};
use ErrorType as T;
use Outcome as O;

/// The failure each failing step shows (RFC 9209 §2.3 defines the types; sections as in RFC 9209).
#[rustfmt::skip]
pub const STEP_ROWS: &[StepRow] = &[
    row(Hop::Dns, O::NoAddress, T::DnsError, High, "RFC 9209 §2.3.2 dns_error: NXDOMAIN or no records"),
    row(Hop::Dns, O::ResolverFailed, T::DnsError, Low, "RFC 9209 §2.3.2 dns_error (the resolver itself failed)"),
    row(Hop::Dns, O::Timeout, T::DnsTimeout, Medium, "RFC 9209 §2.3.1 dns_timeout"),
    row(Hop::Dns, O::Failed, T::DnsError, Low, "RFC 9209 §2.3.2 dns_error"),
    row(Hop::Connect, O::Refused, T::ConnectionRefused, High, "RFC 9209 §2.3.7 connection_refused"),
    row(Hop::Connect, O::Timeout, T::ConnectionTimeout, High, "RFC 9209 §2.3.9 connection_timeout"),
    row(Hop::Connect, O::ClosedBeforeResponse, T::ConnectionTerminated, Medium, "RFC 9209 §2.3.8 connection_terminated"),
    row(Hop::Connect, O::Failed, T::ConnectionRefused, Low, "RFC 9209 §2.3.7 connection_refused (the runtime gives no reason)"),
    row(Hop::Tls, O::Timeout, T::ConnectionTimeout, Medium, "RFC 9209 §2.3.9 connection_timeout"),
    row(Hop::Tls, O::ClosedBeforeResponse, T::TlsProtocolError, Medium, "RFC 9209 §2.3.13 tls_protocol_error"),
    row(Hop::Tls, O::Failed, T::TlsProtocolError, Low, "RFC 9209 §2.3.13 tls_protocol_error"),
    row(Hop::Request, O::ClosedBeforeResponse, T::ConnectionTerminated, High, "RFC 9209 §2.3.8 connection_terminated"),
    row(Hop::Request, O::Failed, T::ConnectionTerminated, Medium, "RFC 9209 §2.3.8 connection_terminated"),
    row(Hop::Response, O::ClosedBeforeResponse, T::ConnectionTerminated, High, "RFC 9209 §2.3.8 connection_terminated: closed before any response byte"),
    row(Hop::Response, O::NotHttp, T::HttpProtocolError, High, "RFC 9209 §2.3.28 http_protocol_error"),
    row(Hop::Response, O::HeadersTooLarge, T::HttpResponseHeaderSectionSize, High, "RFC 9209 §2.3.19 http_response_header_section_size"),
    row(Hop::Response, O::Timeout, T::HttpResponseTimeout, Medium, "RFC 9209 §2.3.26 http_response_timeout"),
    row(Hop::Response, O::Failed, T::ConnectionTerminated, Medium, "RFC 9209 §2.3.8 connection_terminated"),
];

/// The hops whose success (or, for DNS, not being needed) rules out failures
/// of that hop. A response step that succeeds rules out nothing: the
/// original request (its path, its body) may fail where the probe did not.
pub const RULED_OUT_BY_SUCCESS: &[Hop] = &[Hop::Dns, Hop::Connect, Hop::Tls];

/// The largest response header section a drill-through accepts, in bytes:
/// Cloudflare's limit on response headers (128 KB in total,
/// developers.cloudflare.com/workers/platform/limits/).
pub const MAX_HEADER_SECTION: usize = 128 * 1024;

/// One row of the socket error table: words of a runtime's `connect()` failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketErrorRow {
    /// Text looked for in the error message (ASCII case-insensitive).
    pub contains: &'static str,
    /// What it means.
    pub outcome: Outcome,
    /// Where the text comes from.
    pub source: &'static str,
}

const WORKERD_SOCKETS: &str = "captured: workerd 2026-04 (Miniflare 4.20260426), connect() from cloudflare:sockets to a closed 127.0.0.1 port";
const ERRNO: &str = "https://man7.org/linux/man-pages/man3/errno.3.html";

/// What a socket error message says, most specific first.
#[rustfmt::skip]
pub const SOCKET_ERRORS: &[SocketErrorRow] = &[
    SocketErrorRow { contains: "refused", outcome: O::Refused, source: ERRNO },
    // workerd's connect() rejects `opened` with this when nothing accepts the connection.
    SocketErrorRow { contains: "cannot connect to the specified address", outcome: O::Refused, source: WORKERD_SOCKETS },
    SocketErrorRow { contains: "timed out", outcome: O::Timeout, source: ERRNO },
    SocketErrorRow { contains: "timeout", outcome: O::Timeout, source: ERRNO },
    SocketErrorRow { contains: "reset", outcome: O::ClosedBeforeResponse, source: ERRNO },
];

/// The outcome a failed `connect()` reports with `message`; [`Outcome::Failed`] when no row matches.
pub fn socket_outcome(message: &str) -> Outcome {
    let m = message.get(..512).unwrap_or(message).to_ascii_lowercase();
    SOCKET_ERRORS
        .iter()
        .find(|r| m.contains(&r.contains.to_ascii_lowercase()))
        .map_or(O::Failed, |r| r.outcome)
}

/// The table row for a failing step, if any.
pub fn step_row(hop: Hop, outcome: Outcome) -> Option<&'static StepRow> {
    STEP_ROWS
        .iter()
        .find(|r| r.hop == hop && r.outcome == outcome)
}

/// Whether a drill-through could narrow `d`: it leaves more than one failure
/// type open, or names none at all.
pub fn worth_drilling(d: &Diagnosis) -> bool {
    d.is_ambiguous() || (d.error_type.is_none() && d.received_status.is_none())
}

/// The diagnosis `d` narrowed by the probe `steps` (in the order they ran).
///
/// The first failing step decides through [`STEP_ROWS`]; when no step
/// failed, the types of the hops that worked ([`RULED_OUT_BY_SUCCESS`]) are
/// dropped and the first remaining type is kept with medium confidence (low
/// when others remain); otherwise (nothing ran, an unknown pair, nothing
/// left) `d` is kept. The
/// runtime layer, the received status, `detail` and the upstream chain of `d`
/// are kept; each step becomes a piece of evidence. So is how far the failed
/// request can have got (`reached`, never lowered): the probe runs after the
/// failure, and an origin that refuses connections now may have received the
/// request before (a `POST` told `reached: "no"` would be sent again).
pub fn narrow(d: &Diagnosis, steps: &[Step]) -> Diagnosis {
    let mut out = match steps.iter().find(|s| s.failed()) {
        Some(s) => match step_row(s.hop, s.outcome) {
            Some(r) => rebuilt(d, r.error_type, r.confidence),
            None => d.clone(),
        },
        None => ruled_out(d, steps).unwrap_or_else(|| d.clone()),
    };
    for s in steps.iter().take(8) {
        out.evidence.push(Evidence::new(
            EvidenceSource::Probe,
            format!("{}: {} ({} ms)", s.hop.name(), s.outcome.name(), s.ms),
            Some(&format!("drill.{}.{}", s.hop.name(), s.outcome.name())),
        ));
    }
    out
}

/// `d` without the failure types of the hops that worked, if that leaves any.
fn ruled_out(d: &Diagnosis, steps: &[Step]) -> Option<Diagnosis> {
    let worked: Vec<Hop> = steps
        .iter()
        .filter(|s| matches!(s.outcome, Outcome::Ok | Outcome::Skipped))
        .map(|s| s.hop)
        .filter(|h| RULED_OUT_BY_SUCCESS.contains(h))
        .collect();
    if worked.is_empty() {
        return None;
    }
    let left: Vec<ErrorType> = d
        .error_type
        .iter()
        .chain(d.alternatives.iter())
        .copied()
        .filter(|t| !worked.contains(&t.info().hop))
        .collect();
    let (first, rest) = left.split_first()?;
    if Some(*first) == d.error_type && rest.len() == d.alternatives.len() {
        return None; // nothing ruled out
    }
    let mut n = rebuilt(d, *first, if rest.is_empty() { Medium } else { Low });
    n.alternatives = rest.to_vec();
    if rest.len() == 1 {
        n.confidence = Medium;
    }
    Some(n)
}

fn rebuilt(d: &Diagnosis, t: ErrorType, confidence: Confidence) -> Diagnosis {
    let mut n = Diagnosis::for_type(t, d.layer).with_confidence(confidence);
    if confidence != High {
        for a in d.alternatives.iter().chain(d.error_type.iter()) {
            n = n.with_alternative(*a);
        }
    }
    n.reached = n.reached.max(d.reached);
    n.received_status = d.received_status;
    n.retry_after = d.retry_after;
    n.evidence = d.evidence.clone();
    n.detail = d.detail.clone();
    n.chain = d.chain.clone();
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{transport, TransportError};
    use crate::{Layer, Reached};

    fn lost() -> Diagnosis {
        transport(&TransportError {
            runtime: Some(Layer::Workerd),
            message: "Network connection lost.".into(),
            retryable: Some(true),
            ..Default::default()
        })
    }

    #[test]
    fn every_row_narrows_to_its_type() {
        for r in STEP_ROWS {
            let steps = [Step::new(r.hop, r.outcome, 3)];
            let d = narrow(&lost(), &steps);
            assert_eq!(d.error_type, Some(r.error_type), "{:?}", r);
            assert_eq!(d.confidence, r.confidence, "{:?}", r);
            assert_eq!(d.layer, Layer::Workerd);
            assert_eq!(d.status, r.error_type.status());
            assert!(d.evidence.iter().any(|e| e.source == EvidenceSource::Probe));
            if r.confidence == High {
                assert!(!d.is_ambiguous(), "{:?}", r);
            }
            assert!(!r.source.is_empty());
        }
    }

    #[test]
    fn a_probe_never_lowers_how_far_the_request_got() {
        // Lost (reached: maybe), then the probe's connect is refused: refused now, and the
        // request may still have arrived on the connection that was lost.
        assert_eq!(lost().reached, Reached::Maybe);
        let refused = [
            Step::new(Hop::Dns, Outcome::Skipped, 0),
            Step::new(Hop::Connect, Outcome::Refused, 1),
        ];
        let d = narrow(&lost(), &refused);
        assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
        assert_eq!(ErrorType::ConnectionRefused.info().reached, Reached::No);
        assert_eq!(d.reached, Reached::Maybe);
        for r in STEP_ROWS {
            let d = narrow(&lost(), &[Step::new(r.hop, r.outcome, 3)]);
            assert!(d.reached >= Reached::Maybe, "{r:?}");
        }
        // A failure known to be before sending stays `no` when the probe agrees.
        let mut before = lost();
        before.reached = Reached::No;
        assert_eq!(narrow(&before, &refused).reached, Reached::No);
    }

    #[test]
    fn rows_are_unique_failing_pairs() {
        for (i, r) in STEP_ROWS.iter().enumerate() {
            assert!(!matches!(r.outcome, Outcome::Ok | Outcome::Skipped));
            let first = STEP_ROWS
                .iter()
                .position(|x| x.hop == r.hop && x.outcome == r.outcome);
            assert_eq!(first, Some(i), "{r:?} is listed twice");
        }
    }

    #[test]
    fn steps_that_worked_rule_their_hops_out() {
        let ok = [
            Step::new(Hop::Dns, Outcome::Skipped, 0),
            Step::new(Hop::Connect, Outcome::Ok, 1),
            Step::new(Hop::Tls, Outcome::Skipped, 0),
            Step::new(Hop::Response, Outcome::Ok, 2),
        ];
        let d = narrow(&lost(), &ok);
        assert_eq!(d.error_type, Some(ErrorType::ConnectionTerminated));
        assert_eq!(d.alternatives, [ErrorType::HttpResponseIncomplete]);
        assert_eq!(d.confidence, Confidence::Medium);
        let internal = transport(&TransportError {
            runtime: Some(Layer::Workerd),
            message: "internal error; reference = 0123abcd".into(),
            ..Default::default()
        });
        let d = narrow(&internal, &ok);
        assert_eq!(d.error_type, Some(ErrorType::HttpProtocolError));
        assert_eq!(d.alternatives, [ErrorType::ProxyInternalError]);
        assert_eq!(d.confidence, Confidence::Medium);
        let kept = narrow(&lost(), &[]);
        assert_eq!(kept, lost());
    }

    #[test]
    fn socket_messages() {
        assert_eq!(
            socket_outcome("connect ECONNREFUSED 127.0.0.1:1"),
            Outcome::Refused
        );
        assert_eq!(socket_outcome("Connection refused"), Outcome::Refused);
        assert_eq!(
            socket_outcome("Error: proxy request failed, cannot connect to the specified address"),
            Outcome::Refused
        );
        assert_eq!(socket_outcome("connection timed out"), Outcome::Timeout);
        assert_eq!(socket_outcome("something else"), Outcome::Failed);
        assert_eq!(socket_outcome(&"é".repeat(10_000)), Outcome::Failed);
        assert!(worth_drilling(&lost()));
    }

    #[test]
    fn notes_are_bounded() {
        let s = Step::new(Hop::Connect, Outcome::Ok, 1).with_note(&"é".repeat(500));
        assert!(s.note.is_some_and(|n| n.len() <= 200));
    }
}
