//! What the CLI knows on its own: *which step of the HTTP cycle it was in*
//! when something went wrong, and nothing more. Everything else is the
//! core's job (`gatewise_core::classify::io_error`).
//!
//! The step table ([`STEP_RULES`]) holds one row per (step, outcome) pair
//! where the step decides the RFC 9209 type: the same `TimedOut` is a
//! `dns_timeout` in the DNS step, a `connection_timeout` while connecting and
//! an `http_response_timeout` while waiting for the status line; an end of
//! stream is a `connection_terminated` before the first byte and an
//! `http_response_incomplete` after it. Outcomes that are not OS errors (the
//! resolver found no address, bytes that are not HTTP, a header section
//! over 64 KiB, a rustls certificate error) are rows too.
//!
//! | step | outcome | RFC 9209 type |
//! |---|---|---|
//! | dns | no address (NXDOMAIN, NODATA, SERVFAIL…) | `dns_error` |
//! | dns | timeout, `TimedOut` | `dns_timeout` |
//! | dns | other resolver failure | `dns_error` |
//! | connect | timeout, `TimedOut`, `WouldBlock` | `connection_timeout` |
//! | connect | `ConnectionRefused` | `connection_refused` |
//! | connect | `HostUnreachable`, `NetworkUnreachable` | `destination_ip_unroutable` |
//! | tls | timeout, `TimedOut`, `WouldBlock` | `connection_timeout` |
//! | tls | `ConnectionReset`, `UnexpectedEof`, end of stream | `tls_protocol_error` |
//! | tls | certificate rejected | `tls_certificate_error` |
//! | tls | alert received | `tls_alert_received` |
//! | tls | other TLS error | `tls_protocol_error` |
//! | request | timeout, `TimedOut`, `WouldBlock` | `connection_write_timeout` |
//! | request | `BrokenPipe`, `ConnectionReset` | `connection_terminated` |
//! | response | timeout, `TimedOut`, `WouldBlock` | `http_response_timeout` |
//! | response | `ConnectionReset`, `ConnectionAborted` | `connection_terminated` |
//! | response | end of stream before the first byte | `connection_terminated` |
//! | response | end of stream inside the header section | `http_response_incomplete` |
//! | response | not HTTP | `http_protocol_error` |
//! | response | header section over 64 KiB | `http_response_header_section_size` |
//!
//! Any other OS error goes to the core unchanged.
//!
//! # Example
//! ```
//! use gatewise_cli::probe::steps::{diagnose, Outcome};
//! use gatewise_core::{ErrorType, Hop};
//! let d = diagnose(Hop::Response, &Outcome::Io(std::io::ErrorKind::WouldBlock), "Resource temporarily unavailable");
//! assert_eq!(d.error_type, Some(ErrorType::HttpResponseTimeout));
//! let d = diagnose(Hop::Connect, &Outcome::Io(std::io::ErrorKind::TimedOut), "timed out");
//! assert_eq!(d.error_type, Some(ErrorType::ConnectionTimeout));
//! ```

use std::io::ErrorKind;

use gatewise_core::classify::io_error;
use gatewise_core::{Diagnosis, ErrorType, Evidence, EvidenceSource, Hop, Layer};

/// What happened in a step, as far as the step can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// An OS error of this kind.
    Io(ErrorKind),
    /// The step's own deadline (`--*-timeout`) expired.
    Timeout,
    /// The resolver answered, with no address (the rcode goes into the evidence).
    NoAddress,
    /// The resolver failed otherwise (no server reachable, bad configuration).
    ResolverFailed,
    /// The peer closed the connection before sending any byte.
    ClosedBeforeFirstByte,
    /// The peer closed the connection inside the header section.
    ClosedInHeaders,
    /// The bytes received are not an HTTP/1.x response.
    NotHttp,
    /// The header section grew past the limit.
    HeaderSectionTooLarge,
    /// The TLS peer's certificate was rejected.
    TlsCertificate,
    /// The TLS peer sent an alert.
    TlsAlert,
    /// Any other TLS failure.
    TlsOther,
}

/// One row of the step table.
#[derive(Debug, Clone, Copy)]
pub struct StepRule {
    /// The step.
    pub step: Hop,
    /// The outcomes the row covers.
    pub outcomes: &'static [Outcome],
    /// The type the step implies.
    pub error_type: ErrorType,
    /// Stable id, recorded in the diagnosis evidence.
    pub id: &'static str,
    /// Why (RFC 9209 section of the type chosen).
    pub source: &'static str,
}

use ErrorKind as K;
use Outcome as O;

/// The step table (see the module docs).
pub const STEP_RULES: &[StepRule] = &[
    StepRule {
        step: Hop::Dns,
        outcomes: &[O::NoAddress, O::ResolverFailed],
        error_type: ErrorType::DnsError,
        id: "cli.dns.error",
        source: "RFC 9209 §2.3.2",
    },
    StepRule {
        step: Hop::Dns,
        outcomes: &[O::Timeout, O::Io(K::TimedOut)],
        error_type: ErrorType::DnsTimeout,
        id: "cli.dns.timeout",
        source: "RFC 9209 §2.3.1",
    },
    StepRule {
        step: Hop::Connect,
        outcomes: &[O::Timeout, O::Io(K::TimedOut), O::Io(K::WouldBlock)],
        error_type: ErrorType::ConnectionTimeout,
        id: "cli.connect.timeout",
        source: "RFC 9209 §2.3.9",
    },
    StepRule {
        step: Hop::Connect,
        outcomes: &[O::Io(K::ConnectionRefused)],
        error_type: ErrorType::ConnectionRefused,
        id: "cli.connect.refused",
        source: "RFC 9209 §2.3.7",
    },
    StepRule {
        step: Hop::Connect,
        outcomes: &[O::Io(K::HostUnreachable), O::Io(K::NetworkUnreachable)],
        error_type: ErrorType::DestinationIpUnroutable,
        id: "cli.connect.unroutable",
        source: "RFC 9209 §2.3.6",
    },
    StepRule {
        step: Hop::Tls,
        outcomes: &[O::Timeout, O::Io(K::TimedOut), O::Io(K::WouldBlock)],
        error_type: ErrorType::ConnectionTimeout,
        id: "cli.tls.timeout",
        source: "RFC 9209 §2.3.9",
    },
    StepRule {
        step: Hop::Tls,
        outcomes: &[
            O::Io(K::ConnectionReset),
            O::Io(K::UnexpectedEof),
            O::ClosedBeforeFirstByte,
            O::TlsOther,
        ],
        error_type: ErrorType::TlsProtocolError,
        id: "cli.tls.protocol",
        source: "RFC 9209 §2.3.13",
    },
    StepRule {
        step: Hop::Tls,
        outcomes: &[O::TlsCertificate],
        error_type: ErrorType::TlsCertificateError,
        id: "cli.tls.certificate",
        source: "RFC 9209 §2.3.14",
    },
    StepRule {
        step: Hop::Tls,
        outcomes: &[O::TlsAlert],
        error_type: ErrorType::TlsAlertReceived,
        id: "cli.tls.alert",
        source: "RFC 9209 §2.3.15",
    },
    StepRule {
        step: Hop::Request,
        outcomes: &[O::Timeout, O::Io(K::TimedOut), O::Io(K::WouldBlock)],
        error_type: ErrorType::ConnectionWriteTimeout,
        id: "cli.request.timeout",
        source: "RFC 9209 §2.3.11",
    },
    StepRule {
        step: Hop::Request,
        outcomes: &[
            O::Io(K::BrokenPipe),
            O::Io(K::ConnectionReset),
            O::Io(K::ConnectionAborted),
            O::Io(K::WriteZero),
        ],
        error_type: ErrorType::ConnectionTerminated,
        id: "cli.request.closed",
        source: "RFC 9209 §2.3.8",
    },
    StepRule {
        step: Hop::Response,
        outcomes: &[O::Timeout, O::Io(K::TimedOut), O::Io(K::WouldBlock)],
        error_type: ErrorType::HttpResponseTimeout,
        id: "cli.response.timeout",
        source: "RFC 9209 §2.3.26",
    },
    StepRule {
        step: Hop::Response,
        outcomes: &[
            O::Io(K::ConnectionReset),
            O::Io(K::ConnectionAborted),
            O::ClosedBeforeFirstByte,
        ],
        error_type: ErrorType::ConnectionTerminated,
        id: "cli.response.terminated",
        source: "RFC 9209 §2.3.8",
    },
    StepRule {
        step: Hop::Response,
        outcomes: &[O::ClosedInHeaders, O::Io(K::UnexpectedEof)],
        error_type: ErrorType::HttpResponseIncomplete,
        id: "cli.response.incomplete",
        source: "RFC 9209 §2.3.18",
    },
    StepRule {
        step: Hop::Response,
        outcomes: &[O::NotHttp, O::Io(K::InvalidData)],
        error_type: ErrorType::HttpProtocolError,
        id: "cli.response.not_http",
        source: "RFC 9209 §2.3.28",
    },
    StepRule {
        step: Hop::Response,
        outcomes: &[O::HeaderSectionTooLarge],
        error_type: ErrorType::HttpResponseHeaderSectionSize,
        id: "cli.response.header_section_size",
        source: "RFC 9209 §2.3.19",
    },
];

/// The row for `step` and `outcome`, if the step decides.
pub fn rule(step: Hop, outcome: &Outcome) -> Option<&'static StepRule> {
    STEP_RULES
        .iter()
        .find(|r| r.step == step && r.outcomes.contains(outcome))
}

/// The diagnosis of `outcome` in `step`; `message` is the error's text.
///
/// OS errors go to the core first (`classify::io_error`), which contributes
/// its evidence and detail; the step table then narrows the type where the
/// step decides. Other outcomes come from the table alone.
pub fn diagnose(step: Hop, outcome: &Outcome, message: &str) -> Diagnosis {
    let core = match outcome {
        Outcome::Io(kind) => Some(io_error(*kind, message)),
        _ => None,
    };
    let row = rule(step, outcome);
    let mut d = match (row, core) {
        (Some(row), Some(core)) if core.error_type == Some(row.error_type) => core,
        (Some(row), Some(core)) => {
            let mut d = Diagnosis::for_type(row.error_type, core.layer);
            d.evidence = core.evidence;
            d.detail = core.detail;
            d.vendor_code = core.vendor_code;
            d.confidence = core.confidence;
            d
        }
        (None, Some(core)) => core,
        (Some(row), None) => Diagnosis::for_type(row.error_type, Layer::Gatewise),
        // Unreachable while every non-I/O outcome has a row for every step it
        // occurs in (a test checks); stay total anyway.
        (None, None) => Diagnosis::for_type(ErrorType::ProxyInternalError, Layer::Gatewise),
    };
    if d.detail.is_none() && !message.is_empty() {
        d.detail = Some(message.to_owned());
    }
    d.evidence.push(Evidence::new(
        EvidenceSource::Probe,
        format!("{} step: {message}", step.name()),
        row.map(|r| r.id),
    ));
    d
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// The outcomes each step can produce other than OS errors.
    const PRODUCED: &[(Hop, &[Outcome])] = &[
        (Hop::Dns, &[O::NoAddress, O::ResolverFailed, O::Timeout]),
        (Hop::Connect, &[O::Timeout]),
        (
            Hop::Tls,
            &[
                O::Timeout,
                O::TlsCertificate,
                O::TlsAlert,
                O::TlsOther,
                O::ClosedBeforeFirstByte,
            ],
        ),
        (Hop::Request, &[O::Timeout]),
        (
            Hop::Response,
            &[
                O::Timeout,
                O::ClosedBeforeFirstByte,
                O::ClosedInHeaders,
                O::NotHttp,
                O::HeaderSectionTooLarge,
            ],
        ),
    ];

    #[test]
    fn every_produced_outcome_has_a_row_of_its_own_hop() {
        for (step, outcomes) in PRODUCED {
            for o in *outcomes {
                let r = rule(*step, o).unwrap_or_else(|| panic!("no row for {step} {o:?}"));
                let d = diagnose(*step, o, "x");
                assert_eq!(d.error_type, Some(r.error_type));
                assert_eq!(
                    d.evidence.last().and_then(|e| e.rule.as_deref()),
                    Some(r.id)
                );
            }
        }
    }

    #[test]
    fn rows_are_unique_sourced_and_name_types_of_a_fitting_hop() {
        for (i, a) in STEP_RULES.iter().enumerate() {
            assert!(a.source.starts_with("RFC 9209 §2.3."), "{}", a.id);
            assert_eq!(
                a.source,
                a.error_type.info().source,
                "{} cites the wrong section",
                a.id
            );
            for b in STEP_RULES.iter().skip(i + 1) {
                assert_ne!(a.id, b.id);
                if a.step == b.step {
                    for o in a.outcomes {
                        assert!(!b.outcomes.contains(o), "{:?} twice in {}", o, a.step);
                    }
                }
            }
        }
    }

    #[test]
    fn timeouts_depend_on_the_step() {
        let expect = [
            (Hop::Dns, ErrorType::DnsTimeout),
            (Hop::Connect, ErrorType::ConnectionTimeout),
            (Hop::Tls, ErrorType::ConnectionTimeout),
            (Hop::Request, ErrorType::ConnectionWriteTimeout),
            (Hop::Response, ErrorType::HttpResponseTimeout),
        ];
        for (step, t) in expect {
            assert_eq!(
                diagnose(step, &O::Timeout, "").error_type,
                Some(t),
                "{step}"
            );
            assert_eq!(
                diagnose(step, &O::Io(K::TimedOut), "").error_type,
                Some(t),
                "{step}"
            );
        }
    }
}
