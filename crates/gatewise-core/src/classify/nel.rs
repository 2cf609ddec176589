//! Network Error Logging reports (W3C NEL, `application/reports+json` with
//! `type: "network-error"`): the `body.type` a browser reports becomes a
//! [`Diagnosis`] from a table of the spec's error types.
//!
//! # Example
//! ```
//! use gatewise_core::{classify, ErrorType, Segment};
//! let d = classify::nel("tcp.refused", Some(0), "connection").unwrap();
//! assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
//! let d = classify::nel("http.error", Some(502), "application").unwrap();
//! assert_eq!(d.received_status, Some(502));
//! assert!(classify::nel("ok", Some(200), "application").is_none());
//! ```

use crate::diagnosis::{Confidence, Evidence, EvidenceSource};
use crate::{Diagnosis, ErrorType, Layer, Segment};

/// The W3C Network Error Logging specification's list of error types.
const SOURCE: &str = "https://w3c.github.io/network-error-logging/#predefined-network-error-types";

/// At most this many bytes of a report's `type` are read (the longest known type has 37).
pub const MAX_KIND: usize = 64;
/// At most this many bytes of a report's `phase` are kept in the evidence.
pub const MAX_PHASE: usize = 32;

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    s.get(..end).unwrap_or_default()
}

/// A text field of a NEL report (`type`, `phase`…) as gatewise reads it:
/// at most [`MAX_KIND`] bytes, cut at a character boundary (never kept whole
/// because the cut falls inside a character).
///
/// # Example
/// ```
/// use gatewise_core::classify::nel_field;
/// assert_eq!(nel_field("tcp.refused"), "tcp.refused");
/// let long = format!("{}€€", "a".repeat(63)); // byte 64 is inside the first €
/// assert_eq!(nel_field(&long), "a".repeat(63));
/// ```
pub fn nel_field(s: &str) -> &str {
    prefix(s, MAX_KIND)
}

/// One NEL error type and what it means.
struct NelRow {
    /// The `body.type` value.
    name: &'static str,
    /// The RFC 9209 type it corresponds to (`None`: not a gateway failure).
    error_type: Option<ErrorType>,
    /// Types the NEL type cannot be told apart from.
    alternatives: &'static [ErrorType],
}

const fn row(
    name: &'static str,
    t: Option<ErrorType>,
    alternatives: &'static [ErrorType],
) -> NelRow {
    NelRow {
        name,
        error_type: t,
        alternatives,
    }
}

use ErrorType as E;

/// Every NEL error type of the specification's list (§ Predefined network error types).
#[rustfmt::skip]
const NEL_TYPES: &[NelRow] = &[
    row("dns.unreachable", Some(E::DnsTimeout), &[E::DnsError]),
    row("dns.name_not_resolved", Some(E::DnsError), &[]),
    row("dns.failed", Some(E::DnsError), &[E::DnsTimeout]),
    row("dns.address_changed", Some(E::DnsError), &[]),
    row("tcp.timed_out", Some(E::ConnectionTimeout), &[]),
    row("tcp.closed", Some(E::ConnectionTerminated), &[]),
    row("tcp.reset", Some(E::ConnectionTerminated), &[]),
    row("tcp.refused", Some(E::ConnectionRefused), &[]),
    row("tcp.aborted", Some(E::ConnectionTerminated), &[]),
    row("tcp.address_invalid", Some(E::DestinationIpUnroutable), &[]),
    row("tcp.address_unreachable", Some(E::DestinationIpUnroutable), &[]),
    row("tcp.failed", Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::ConnectionTerminated]),
    row("tls.version_or_cipher_mismatch", Some(E::TlsProtocolError), &[]),
    row("tls.bad_client_auth_cert", Some(E::TlsAlertReceived), &[]),
    row("tls.cert.name_invalid", Some(E::TlsCertificateError), &[]),
    row("tls.cert.date_invalid", Some(E::TlsCertificateError), &[]),
    row("tls.cert.authority_invalid", Some(E::TlsCertificateError), &[]),
    row("tls.cert.invalid", Some(E::TlsCertificateError), &[]),
    row("tls.cert.revoked", Some(E::TlsCertificateError), &[]),
    row("tls.cert.pinned_key_not_in_cert_chain", Some(E::TlsCertificateError), &[]),
    row("tls.protocol.error", Some(E::TlsProtocolError), &[]),
    row("tls.failed", Some(E::TlsProtocolError), &[E::TlsCertificateError]),
    row("http.error", None, &[]),
    row("http.protocol.error", Some(E::HttpProtocolError), &[]),
    row("http.response.invalid", Some(E::HttpProtocolError), &[E::HttpResponseIncomplete]),
    row("http.response.redirect_loop", Some(E::ProxyLoopDetected), &[]),
    row("http.failed", Some(E::HttpProtocolError), &[E::ConnectionTerminated]),
    row("abandoned", None, &[]),
    row("unknown", None, &[]),
];

/// Every NEL error type name gatewise knows.
pub fn nel_types() -> impl Iterator<Item = &'static str> {
    NEL_TYPES.iter().map(|r| r.name)
}

/// Classifies one NEL report body: its `type`, its `status_code` (0 or
/// absent when no response arrived) and its `phase` (`dns`, `connection`,
/// `application`). `None` for `ok` (a success sample) and unknown types.
pub fn nel(kind: &str, status_code: Option<u16>, phase: &str) -> Option<Diagnosis> {
    let kind = prefix(kind, MAX_KIND);
    let row = NEL_TYPES.iter().find(|r| r.name == kind)?;
    let received = status_code.filter(|s| *s >= 100);
    let mut d = match (row.error_type, received) {
        (Some(t), _) => Diagnosis::for_type(t, Layer::Browser),
        (None, Some(status)) => Diagnosis::for_status(status, Layer::Unknown),
        (None, None) => {
            let mut d = Diagnosis::for_status(0, Layer::Browser);
            d.received_status = None;
            d.status = 0;
            d.segment = Segment::Client;
            d
        }
    };
    if let Some(status) = received {
        d.received_status = Some(status);
    }
    d.confidence = if row.alternatives.is_empty() {
        Confidence::High
    } else {
        Confidence::Medium
    };
    for a in row.alternatives {
        d = d.with_alternative(*a);
    }
    let phase = prefix(phase, MAX_PHASE);
    Some(d.with_evidence(Evidence::new(
        EvidenceSource::Runtime,
        format!("NEL report: type {kind}, phase {phase}"),
        Some(SOURCE),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_classifies_and_ok_does_not() {
        for name in nel_types() {
            let d = nel(name, Some(0), "connection").expect(name);
            assert_eq!(d.evidence.len(), 1, "{name}");
        }
        assert!(nel("ok", Some(200), "application").is_none());
        assert!(nel(&"x".repeat(10_000), None, "dns").is_none());
    }

    /// Found by the `classify_nel` fuzz target: a phase longer than the bound
    /// whose cut fell inside a character was kept whole.
    #[test]
    fn long_phases_are_cut_at_a_character_boundary() {
        for phase in [
            "é".repeat(10_000),
            "x".repeat(10_000),
            format!("x{}", "€".repeat(50)),
        ] {
            let d = nel("tcp.refused", Some(0), &phase).unwrap();
            let fact = &d.evidence[0].fact;
            let kept = fact
                .strip_prefix("NEL report: type tcp.refused, phase ")
                .unwrap();
            assert!(kept.len() <= MAX_PHASE, "{} bytes kept", kept.len());
            assert!(phase.starts_with(kept));
            assert!(
                kept.len() > MAX_PHASE - 4,
                "the cut keeps all whole characters"
            );
        }
        let long_kind = format!("tcp.refused{}", "é".repeat(100));
        assert!(nel(&long_kind, None, "connection").is_none());
    }

    #[test]
    fn http_error_keeps_the_status() {
        let d = nel("http.error", Some(503), "application").unwrap();
        assert_eq!(
            (d.error_type, d.received_status, d.status),
            (None, Some(503), 503)
        );
        let d = nel("abandoned", Some(0), "application").unwrap();
        assert_eq!((d.segment, d.received_status), (Segment::Client, None));
    }
}
