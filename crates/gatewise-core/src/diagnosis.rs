//! The one type every part of gatewise produces and consumes.
//!
//! A [`Diagnosis`] keeps independent facts in independent fields (the model
//! is pingora's error: *what kind*, *where*, *who said so*, *may we retry*):
//! the RFC 9209 failure type, the hop of the HTTP cycle, the segment of the
//! path, the layer that generated the error, the status received and the
//! status to send, retryability, `Retry-After`, a confidence, the
//! alternatives the signal cannot rule out, and the evidence that led there.
//! Its JSON form is documented in `docs/diagnosis.schema.json`.
//!
//! # Example
//! ```
//! use gatewise_core::{Diagnosis, ErrorType, Layer, Hop, Confidence};
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx)
//!     .with_received_status(502)
//!     .with_confidence(Confidence::High);
//! assert_eq!(d.status, 502);
//! assert_eq!(d.hop, Some(Hop::Connect));
//! assert!(d.retryable);
//! let json = serde_json::to_value(&d).unwrap();
//! assert_eq!(json["errorType"], "connection_refused");
//! assert_eq!(json["layer"], "nginx");
//! ```

use serde::{Deserialize, Serialize};

use crate::hop::{named_enum, Hop, Reached, Segment};
use crate::layer::Layer;
use crate::proxy_status::ProxyStatusEntry;
use crate::taxonomy::ErrorType;

named_enum! {
    /// How sure a diagnosis is.
    Confidence {
        /// The generating layer said so explicitly (a log line, an error code, Proxy-Status).
        High = "high",
        /// Inferred from a strong signal (a known error page, an errno).
        Medium = "medium",
        /// A guess from weak signals (status code alone, an ambiguous message).
        Low = "low",
    }
}

named_enum! {
    /// Where a piece of evidence was read.
    EvidenceSource {
        /// The status code.
        Status = "status",
        /// A response header.
        Header = "header",
        /// The response body.
        Body = "body",
        /// An error's name or message.
        Message = "message",
        /// An error code (errno, undici code, vendor code).
        Code = "code",
        /// A log line.
        Log = "log",
        /// An upstream Proxy-Status entry.
        ProxyStatus = "proxy_status",
        /// A step-by-step probe of the HTTP cycle.
        Probe = "probe",
        /// The runtime that reported the error.
        Runtime = "runtime",
    }
}

/// One fact that led to a diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// Where the fact was read.
    pub source: EvidenceSource,
    /// The fact, e.g. `server: nginx/1.22.1` or `errno ECONNREFUSED`.
    pub fact: String,
    /// The id of the table row (fingerprint, log pattern, error rule) that matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

impl Evidence {
    /// A fact from `source`, matched by table row `rule`.
    pub fn new(source: EvidenceSource, fact: impl Into<String>, rule: Option<&str>) -> Self {
        Evidence {
            source,
            fact: fact.into(),
            rule: rule.map(str::to_owned),
        }
    }
}

/// What went wrong, where, who said so, and what may be done about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = present_even_when_null))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Diagnosis {
    /// The RFC 9209 failure type; `None` when no gateway failed (e.g. the
    /// origin application answered an error that proxies passed through).
    pub error_type: Option<ErrorType>,
    /// The hop of the HTTP cycle that failed, when known.
    pub hop: Option<Hop>,
    /// Where on the path "you → edge → origin" the failure sits.
    pub segment: Segment,
    /// The layer that generated the error response or reported the error.
    pub layer: Layer,
    /// The status code that was received, if a response was received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_status: Option<u16>,
    /// IIS sub-status (the `3` of `502.3`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_status: Option<u16>,
    /// A vendor's own code: Cloudflare `1016`, Heroku `H12`, Squid
    /// `ERR_CONNECT_FAIL`, HAProxy termination state `SC--`, Envoy flag `UF`,
    /// Apache `AH01114`, errno `ECONNREFUSED`…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_code: Option<String>,
    /// The status a gateway should answer with.
    pub status: u16,
    /// Whether the condition is transient, so that trying again later may succeed.
    pub retryable: bool,
    /// Whether the request can have reached the origin (decides which methods may be retried).
    pub reached: Reached,
    /// Seconds to wait before retrying, when known or recommended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
    /// How sure the diagnosis is.
    pub confidence: Confidence,
    /// Other failure types the signal cannot rule out (the diagnosis says so instead of guessing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<ErrorType>,
    /// The facts that led here, in the order they were used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// The generating layer's own words (e.g. Apache's `Reason:` line, Envoy's reset reason).
    /// Raw upstream text: the worker shows it only to the site owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The upstream Proxy-Status chain, origin side first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<ProxyStatusEntry>,
}

/// `errorType` and `hop` are always written, as `null` when unknown: required
/// in the schema, yet nullable. (schemars' own `required` attribute would drop
/// the `null`: it means "must be `Some`".)
#[cfg(feature = "schema")]
fn present_even_when_null(schema: &mut schemars::Schema) {
    if let Some(required) = schema
        .get_mut("required")
        .and_then(serde_json::Value::as_array_mut)
    {
        for (i, name) in ["errorType", "hop"].into_iter().enumerate() {
            if !required.iter().any(|v| v == name) {
                required.insert(i.min(required.len()), name.into());
            }
        }
    }
}

impl Diagnosis {
    /// A diagnosis of failure type `t`, generated by `layer`, with the
    /// type's recommended status, hop and retryability.
    pub fn for_type(t: ErrorType, layer: Layer) -> Self {
        let info = t.info();
        Diagnosis {
            error_type: Some(t),
            hop: Some(info.hop),
            segment: info.hop.segment(),
            layer,
            received_status: None,
            sub_status: None,
            vendor_code: None,
            status: t.status(),
            retryable: info.temporary,
            reached: info.reached,
            retry_after: None,
            confidence: Confidence::Medium,
            alternatives: Vec::new(),
            evidence: Vec::new(),
            detail: None,
            chain: Vec::new(),
        }
    }

    /// A diagnosis that names no gateway failure: `layer` answered `status`
    /// itself (for example the application's own 500). Whether it is
    /// retryable is the status registry's one rule ([`crate::status::rules`]).
    pub fn for_status(status: u16, layer: Layer) -> Self {
        let retryable = crate::status::rules::retryable(status);
        Diagnosis {
            error_type: None,
            hop: None,
            segment: if layer == Layer::OriginApp {
                Segment::Origin
            } else {
                Segment::Unknown
            },
            layer,
            received_status: Some(status),
            sub_status: None,
            vendor_code: None,
            status,
            retryable,
            reached: Reached::Yes,
            retry_after: None,
            confidence: Confidence::Low,
            alternatives: Vec::new(),
            evidence: Vec::new(),
            detail: None,
            chain: Vec::new(),
        }
    }

    /// This diagnosis of a recognised proxy error page, shown in place of
    /// that page (a gateway's replace mode): the page's own `status` is kept,
    /// so that replacing the page never changes what caches and clients see.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::{Diagnosis, ErrorType, Layer};
    /// let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx).in_place_of(503);
    /// assert_eq!((d.status, d.received_status), (503, Some(503)));
    /// ```
    pub fn in_place_of(mut self, status: u16) -> Self {
        self.status = status;
        self.received_status = Some(status);
        self
    }

    /// Sets the received status.
    pub fn with_received_status(mut self, status: u16) -> Self {
        self.received_status = Some(status);
        self
    }

    /// Sets the confidence.
    pub fn with_confidence(mut self, c: Confidence) -> Self {
        self.confidence = c;
        self
    }

    /// Adds a piece of evidence.
    pub fn with_evidence(mut self, e: Evidence) -> Self {
        self.evidence.push(e);
        self
    }

    /// Records that the signal cannot tell `t` apart from the chosen type.
    pub fn with_alternative(mut self, t: ErrorType) -> Self {
        if Some(t) != self.error_type && !self.alternatives.contains(&t) {
            self.alternatives.push(t);
        }
        self
    }

    /// Whether the signal left more than one failure type open.
    pub fn is_ambiguous(&self) -> bool {
        !self.alternatives.is_empty()
    }
}
