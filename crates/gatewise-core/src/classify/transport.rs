//! Classifying transport errors as runtimes report them: workerd, browsers,
//! Node/undici, Rust `std::io`, curl/Go/OpenSSL texts, timeouts and aborts.
//!
//! Knowledge is one declarative table, [`RULES`]: each row says what to look
//! for (runtime, error name, message, code), what it means (an RFC 9209 type,
//! or "no type": the runtime hides the reason, the caller aborted, the server
//! answered), which other types the signal cannot rule out, how sure it is,
//! the likely causes, and where the row comes from. The first row that
//! matches any error of the `cause` chain wins, so rows are ordered from the
//! most specific (an errno, a certificate code) to the least (a browser's
//! opaque `TypeError`), and the last row matches everything.
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

use crate::diagnosis::{Confidence, Diagnosis, Evidence, EvidenceSource};
use crate::hop::{Hop, Reached, Segment};
use crate::taxonomy::Cause;
use crate::{ErrorType, Layer};

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

/// How one text field of an error is matched (ASCII case-insensitively).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// Anything, including an absent field.
    Any,
    /// The whole text.
    Is(&'static str),
    /// The start of the text.
    StartsWith(&'static str),
    /// Anywhere in the text.
    Contains(&'static str),
    /// A whole token (bounded by characters other than `A-Z a-z 0-9 _`):
    /// for codes, it is looked for in the `code` field and in the message
    /// (Node writes `connect ECONNREFUSED 127.0.0.1:9`, Chromium `net::ERR_…`).
    Token(&'static str),
    /// A token starting with this prefix (e.g. `HPE_`), in the code or the message.
    TokenPrefix(&'static str),
}

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

/// One row of the transport table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportRule {
    /// Stable id, recorded in the evidence (e.g. `node.econnrefused`).
    pub id: &'static str,
    /// The runtime that reports this error. The row applies when the caller
    /// did not say which runtime reported the error, or said this one; the
    /// diagnosis then names it as the layer. `None`: any runtime.
    pub runtime: Option<Layer>,
    /// Matcher for the error's name.
    pub name: Text,
    /// Matcher for the error's message.
    pub message: Text,
    /// Matcher for the error's code.
    pub code: Text,
    /// What the row concludes.
    pub verdict: Verdict,
    /// Types the signal cannot rule out.
    pub alternatives: &'static [ErrorType],
    /// How sure the row is.
    pub confidence: Confidence,
    /// Segment, when it differs from the type's own.
    pub segment: Option<Segment>,
    /// Hop, when it differs from the type's own.
    pub hop: Option<Hop>,
    /// Whether the request reached the origin, when it differs from what the types say.
    pub reached: Option<Reached>,
    /// Retryability, when it differs from the type's (the runtime's own `retryable` wins over both).
    pub retryable: Option<bool>,
    /// Likely causes, most likely first.
    pub causes: &'static [Cause],
    /// The `transport.note.<key>` text explaining an ambiguity, if any.
    pub note: Option<&'static str>,
    /// Where the row comes from (documentation URL, or a capture).
    pub source: &'static str,
}

const fn rule(id: &'static str, verdict: Verdict, source: &'static str) -> TransportRule {
    TransportRule {
        id,
        runtime: None,
        name: Text::Any,
        message: Text::Any,
        code: Text::Any,
        verdict,
        alternatives: &[],
        confidence: Confidence::Medium,
        segment: None,
        hop: None,
        reached: None,
        retryable: None,
        causes: &[],
        note: None,
        source,
    }
}

impl TransportRule {
    const fn on(mut self, runtime: Layer) -> Self {
        self.runtime = Some(runtime);
        self
    }
    const fn name(mut self, t: Text) -> Self {
        self.name = t;
        self
    }
    const fn msg(mut self, t: Text) -> Self {
        self.message = t;
        self
    }
    const fn code(mut self, token: &'static str) -> Self {
        self.code = Text::Token(token);
        self
    }
    const fn code_prefix(mut self, prefix: &'static str) -> Self {
        self.code = Text::TokenPrefix(prefix);
        self
    }
    const fn alts(mut self, a: &'static [ErrorType]) -> Self {
        self.alternatives = a;
        self
    }
    const fn sure(mut self, c: Confidence) -> Self {
        self.confidence = c;
        self
    }
    const fn seg(mut self, s: Segment) -> Self {
        self.segment = Some(s);
        self
    }
    const fn hop(mut self, h: Hop) -> Self {
        self.hop = Some(h);
        self
    }
    const fn reached(mut self, r: Reached) -> Self {
        self.reached = Some(r);
        self
    }
    const fn retry(mut self, r: bool) -> Self {
        self.retryable = Some(r);
        self
    }
    const fn causes(mut self, c: &'static [Cause]) -> Self {
        self.causes = c;
        self
    }
    const fn note(mut self, key: &'static str) -> Self {
        self.note = Some(key);
        self
    }
}

// Sources.
const WORKERD: &str =
    "captured: workerd 2026-04 via wrangler dev (TOOLCHAIN.md, \"What workerd's fetch reports\")";
const DOM: &str = "https://webidl.spec.whatwg.org/#idl-DOMException-error-names";
const FETCH: &str = "https://fetch.spec.whatwg.org/#concept-network-error";
const CHROMIUM: &str =
    "https://chromium.googlesource.com/chromium/src/+/HEAD/net/base/net_error_list.h";
const WEBKIT: &str = "https://developer.apple.com/documentation/foundation/urlerror/code";
const NODE_ERRNO: &str = "https://nodejs.org/api/errors.html#common-system-errors";
const NODE_DNS: &str = "https://nodejs.org/api/dns.html#error-codes";
const NODE_TLS: &str = "https://nodejs.org/api/tls.html#x509-certificate-error-codes";
const NODE_ERRORS: &str = "https://nodejs.org/api/errors.html#nodejs-error-codes";
const NODE_ZLIB: &str = "https://nodejs.org/api/zlib.html";
const UNDICI: &str = "https://undici.nodejs.org/#/docs/api/Errors";
const LLHTTP: &str = "https://github.com/nodejs/llhttp (HPE_* error codes)";
const RUST_IO: &str = "https://doc.rust-lang.org/std/io/enum.ErrorKind.html";
const ERRNO: &str = "https://man7.org/linux/man-pages/man3/errno.3.html";
const GETADDRINFO: &str = "https://man7.org/linux/man-pages/man3/getaddrinfo.3.html";
const OPENSSL: &str = "https://docs.openssl.org/master/man1/openssl-verify/";
const CURL: &str = "https://curl.se/libcurl/c/libcurl-errors.html";
const GO_NET: &str = "https://pkg.go.dev/net/http (Go net, net/http and crypto/tls error texts)";

use Cause as C;
use Confidence::{High, Low};
use ErrorType as T;
use Layer::{Browser, Node, RustIo, Workerd};
use Text::{Contains, Is, StartsWith};
use Verdict::{Aborted, Answered, Unclassified};

const fn ty(t: ErrorType) -> Verdict {
    Verdict::Type(t)
}

/// What a browser's opaque fetch failure can be.
const BROWSER_OPAQUE: &[ErrorType] = &[
    T::DnsError,
    T::ConnectionRefused,
    T::ConnectionTimeout,
    T::ConnectionTerminated,
    T::TlsCertificateError,
];
const BROWSER_OPAQUE_CAUSES: &[Cause] = &[
    C::ClientConnection,
    C::CorsBlocked,
    C::BlockedByClient,
    C::UpstreamDown,
    C::DnsRecordMissing,
    C::CertExpired,
];

/// The transport table, most specific rows first; the last row matches everything.
#[rustfmt::skip]
pub const RULES: &[TransportRule] = &[
    // --- Timers and cancellation (DOM names, any runtime) ---
    rule("dom.timeout_error", ty(T::HttpResponseTimeout), DOM)
        .name(Is("TimeoutError"))
        .alts(&[T::ConnectionTimeout, T::DnsTimeout])
        .retry(true)
        .causes(&[C::SlowApp, C::ServerOverload, C::FirewallDrop, C::TimeoutTooShort])
        .note("own_timeout"),
    rule("dom.timeout_message", ty(T::HttpResponseTimeout), WORKERD)
        .msg(Contains("aborted due to timeout"))
        .alts(&[T::ConnectionTimeout, T::DnsTimeout])
        .retry(true)
        .causes(&[C::SlowApp, C::ServerOverload, C::FirewallDrop, C::TimeoutTooShort])
        .note("own_timeout"),
    rule("dom.abort_error", Aborted, DOM).name(Is("AbortError")).alts(&[T::HttpResponseTimeout]).causes(&[C::CallerAborted]).note("caller_aborted"),
    rule("undici.aborted", Aborted, UNDICI).code("UND_ERR_ABORTED").alts(&[T::HttpResponseTimeout]).causes(&[C::CallerAborted]).note("caller_aborted"),
    // --- TLS certificate and protocol codes (Node/OpenSSL) ---
    rule("node.cert_has_expired", ty(T::TlsCertificateError), NODE_TLS).on(Node).code("CERT_HAS_EXPIRED").sure(High).causes(&[C::CertExpired]),
    rule("node.cert_not_yet_valid", ty(T::TlsCertificateError), NODE_TLS).on(Node).code("CERT_NOT_YET_VALID").sure(High),
    rule("node.depth_zero_self_signed", ty(T::TlsCertificateError), NODE_TLS).on(Node).code("DEPTH_ZERO_SELF_SIGNED_CERT").sure(High).causes(&[C::SelfSigned]),
    rule("node.self_signed_in_chain", ty(T::TlsCertificateError), NODE_TLS).on(Node).code("SELF_SIGNED_CERT_IN_CHAIN").sure(High).causes(&[C::SelfSigned]),
    rule("node.unable_to_verify_leaf", ty(T::TlsCertificateError), NODE_TLS).on(Node).code("UNABLE_TO_VERIFY_LEAF_SIGNATURE").sure(High).causes(&[C::IncompleteChain, C::SelfSigned]),
    rule("node.unable_to_get_issuer_locally", ty(T::TlsCertificateError), NODE_TLS).on(Node).code("UNABLE_TO_GET_ISSUER_CERT_LOCALLY").sure(High).causes(&[C::IncompleteChain, C::SelfSigned]),
    rule("node.unable_to_get_issuer", ty(T::TlsCertificateError), NODE_TLS).on(Node).code("UNABLE_TO_GET_ISSUER_CERT").sure(High).causes(&[C::IncompleteChain]),
    rule("node.cert_altname_invalid", ty(T::TlsCertificateError), NODE_ERRORS).on(Node).code("ERR_TLS_CERT_ALTNAME_INVALID").sure(High).causes(&[C::CertNameMismatch]),
    rule("node.ssl_wrong_version_number", ty(T::TlsProtocolError), NODE_ERRORS).on(Node).code("ERR_SSL_WRONG_VERSION_NUMBER").sure(High).causes(&[C::TlsToPlainPort]),
    rule("openssl.wrong_version_number", ty(T::TlsProtocolError), OPENSSL).msg(Contains("wrong version number")).sure(High).causes(&[C::TlsToPlainPort]),
    rule("node.ssl_tls_alert", ty(T::TlsAlertReceived), NODE_ERRORS).on(Node).code_prefix("ERR_SSL_TLSV1").sure(High).causes(&[C::TlsVersionMismatch, C::ClientCertRequired]),
    rule("node.ssl_sslv3_alert", ty(T::TlsAlertReceived), NODE_ERRORS).on(Node).code_prefix("ERR_SSL_SSLV3_ALERT_").sure(High).causes(&[C::TlsVersionMismatch, C::ClientCertRequired]),
    rule("node.tls_disconnected", ty(T::TlsProtocolError), NODE_ERRORS)
        .on(Node)
        .msg(Contains("socket disconnected before secure TLS connection was established"))
        .alts(&[T::ConnectionTerminated])
        .causes(&[C::TlsVersionMismatch, C::FirewallReject, C::ProxyMisconfig]),
    rule("node.eproto", ty(T::TlsProtocolError), NODE_ERRNO).on(Node).code("EPROTO").alts(&[T::HttpProtocolError]).causes(&[C::TlsToPlainPort, C::TlsVersionMismatch]),
    // --- undici timeouts, sizes, framing, coding ---
    rule("undici.connect_timeout", ty(T::ConnectionTimeout), UNDICI).on(Node).code("UND_ERR_CONNECT_TIMEOUT").sure(High).causes(&[C::FirewallDrop, C::UpstreamDown, C::ServerOverload, C::NetworkIssue]),
    rule("undici.headers_timeout", ty(T::HttpResponseTimeout), UNDICI).on(Node).code("UND_ERR_HEADERS_TIMEOUT").sure(High),
    rule("undici.body_timeout", ty(T::ConnectionReadTimeout), UNDICI).on(Node).code("UND_ERR_BODY_TIMEOUT").sure(High).reached(Reached::Yes),
    rule("undici.headers_overflow", ty(T::HttpResponseHeaderSectionSize), UNDICI).on(Node).code("UND_ERR_HEADERS_OVERFLOW").sure(High),
    rule("undici.exceeded_max_size", ty(T::HttpResponseBodySize), UNDICI).on(Node).code("UND_ERR_RES_EXCEEDED_MAX_SIZE").sure(High),
    rule("undici.res_content_length_mismatch", ty(T::HttpResponseIncomplete), UNDICI).on(Node).code("UND_ERR_RES_CONTENT_LENGTH_MISMATCH").sure(High).causes(&[C::BadFraming, C::AppCrash]),
    rule("undici.req_content_length_mismatch", ty(T::ProxyInternalError), UNDICI).on(Node).code("UND_ERR_REQ_CONTENT_LENGTH_MISMATCH").sure(High).hop(Hop::Request).retry(false).causes(&[C::SoftwareBug]),
    rule("undici.response_status_code", Answered, UNDICI).on(Node).code("UND_ERR_RESPONSE_STATUS_CODE").sure(High),
    rule("node.zlib_data_error", ty(T::HttpResponseContentCoding), NODE_ZLIB).on(Node).code("Z_DATA_ERROR").sure(High).causes(&[C::BadCompression]),
    rule("node.zlib_buf_error", ty(T::HttpResponseIncomplete), NODE_ZLIB).on(Node).code("Z_BUF_ERROR").alts(&[T::HttpResponseContentCoding]).causes(&[C::AppCrash, C::BadCompression]),
    rule("llhttp.header_overflow", ty(T::HttpResponseHeaderSectionSize), LLHTTP).on(Node).code("HPE_HEADER_OVERFLOW").sure(High),
    rule("llhttp.invalid_chunk_size", ty(T::HttpResponseTransferCoding), LLHTTP).on(Node).code("HPE_INVALID_CHUNK_SIZE").sure(High).causes(&[C::BadFraming]),
    rule("undici.parser_chunk_size", ty(T::HttpResponseTransferCoding), UNDICI).on(Node).msg(Contains("Invalid character in chunk size")).sure(High).causes(&[C::BadFraming]),
    rule("llhttp.parse_error", ty(T::HttpProtocolError), LLHTTP).on(Node).code_prefix("HPE_").sure(High).causes(&[C::ProtocolMismatch, C::ScriptError]),
    rule("undici.parser_error", ty(T::HttpProtocolError), UNDICI).on(Node).msg(Contains("does not match the HTTP/1.1 protocol")).sure(High).causes(&[C::ProtocolMismatch, C::ScriptError]),
    rule("node.stream_premature_close", ty(T::HttpResponseIncomplete), NODE_ERRORS).on(Node).code("ERR_STREAM_PREMATURE_CLOSE").alts(&[T::ConnectionTerminated]),
    // undici's fetch ends a body that broke after the headers with `TypeError: terminated`.
    rule("undici.terminated", ty(T::HttpResponseIncomplete), UNDICI).on(Node).name(Is("TypeError")).msg(Is("terminated")).alts(&[T::ConnectionTerminated]).reached(Reached::Yes).causes(&[C::AppCrash, C::NetworkIssue, C::KeepaliveRace]),
    rule("undici.socket", ty(T::ConnectionTerminated), UNDICI).on(Node).code("UND_ERR_SOCKET").alts(&[T::HttpResponseIncomplete]).causes(&[C::AppCrash, C::KeepaliveRace, C::ResourceExhaustion]),
    rule("node.invalid_url", ty(T::ProxyConfigurationError), NODE_ERRORS).on(Node).code("ERR_INVALID_URL").sure(High).causes(&[C::ProxyMisconfig]),
    // --- errno and DNS codes (Node) ---
    rule("node.econnrefused", ty(T::ConnectionRefused), NODE_ERRNO).on(Node).code("ECONNREFUSED").sure(High).causes(&[C::UpstreamDown, C::PortClosed, C::AppCrash, C::FirewallReject]),
    rule("node.econnreset", ty(T::ConnectionTerminated), NODE_ERRNO).on(Node).code("ECONNRESET").alts(&[T::HttpResponseIncomplete]).causes(&[C::AppCrash, C::KeepaliveRace, C::FirewallReject]),
    rule("node.econnaborted", ty(T::ConnectionTerminated), NODE_ERRNO).on(Node).code("ECONNABORTED"),
    rule("node.epipe", ty(T::ConnectionTerminated), NODE_ERRNO).on(Node).code("EPIPE").hop(Hop::Request).causes(&[C::AppCrash, C::KeepaliveRace]),
    rule("node.etimedout", ty(T::ConnectionTimeout), NODE_ERRNO).on(Node).code("ETIMEDOUT").alts(&[T::ConnectionReadTimeout]).causes(&[C::FirewallDrop, C::UpstreamDown, C::NetworkIssue]),
    rule("node.ehostunreach", ty(T::DestinationIpUnroutable), NODE_ERRNO).on(Node).code("EHOSTUNREACH").sure(High).causes(&[C::RoutingMisconfig, C::UpstreamDown, C::FirewallReject]),
    rule("node.enetunreach", ty(T::DestinationIpUnroutable), NODE_ERRNO).on(Node).code("ENETUNREACH").sure(High).causes(&[C::RoutingMisconfig, C::NetworkIssue]),
    rule("node.enetdown", ty(T::DestinationIpUnroutable), NODE_ERRNO).on(Node).code("ENETDOWN").seg(Segment::Proxy).causes(&[C::NetworkIssue]),
    rule("node.eaddrnotavail", ty(T::ProxyInternalError), NODE_ERRNO).on(Node).code("EADDRNOTAVAIL").alts(&[T::DestinationIpUnroutable]).causes(&[C::ResourceExhaustion]),
    rule("node.enotfound", ty(T::DnsError), NODE_DNS).on(Node).code("ENOTFOUND").sure(High).retry(false).causes(&[C::DnsRecordMissing, C::DnsMisconfig]),
    rule("node.eai_again", ty(T::DnsError), NODE_DNS).on(Node).code("EAI_AGAIN").alts(&[T::DnsTimeout]).retry(true).causes(&[C::DnsServerFailure, C::NetworkIssue]),
    rule("node.eai_fail", ty(T::DnsError), NODE_DNS).on(Node).code("EAI_FAIL").sure(High).causes(&[C::DnsServerFailure]),
    rule("node.eservfail", ty(T::DnsError), NODE_DNS).on(Node).code("ESERVFAIL").sure(High).causes(&[C::DnsServerFailure, C::DnsMisconfig]),
    rule("node.enodata", ty(T::DnsError), NODE_DNS).on(Node).code("ENODATA").sure(High).retry(false).causes(&[C::DnsMisconfig]),
    rule("node.dns_etimeout", ty(T::DnsTimeout), NODE_DNS).on(Node).code("ETIMEOUT").sure(High),
    // --- Chromium net errors (extensions, DevTools, webRequest) ---
    rule("chromium.name_not_resolved", ty(T::DnsError), CHROMIUM).on(Browser).code("ERR_NAME_NOT_RESOLVED").sure(High).seg(Segment::Unknown).causes(&[C::DnsRecordMissing, C::ClientConnection, C::DnsMisconfig]),
    rule("chromium.name_resolution_failed", ty(T::DnsError), CHROMIUM).on(Browser).code("ERR_NAME_RESOLUTION_FAILED").seg(Segment::Client).causes(&[C::ClientConnection, C::DnsServerFailure]),
    rule("chromium.dns_timed_out", ty(T::DnsTimeout), CHROMIUM).on(Browser).code("ERR_DNS_TIMED_OUT").sure(High).seg(Segment::Unknown),
    rule("chromium.connection_refused", ty(T::ConnectionRefused), CHROMIUM).on(Browser).code("ERR_CONNECTION_REFUSED").sure(High).seg(Segment::Unknown),
    rule("chromium.connection_reset", ty(T::ConnectionTerminated), CHROMIUM).on(Browser).code("ERR_CONNECTION_RESET").alts(&[T::HttpResponseIncomplete]).seg(Segment::Unknown).causes(&[C::FirewallReject, C::ClientFirewall, C::NetworkIssue]),
    rule("chromium.connection_closed", ty(T::ConnectionTerminated), CHROMIUM).on(Browser).code("ERR_CONNECTION_CLOSED").sure(High).seg(Segment::Unknown),
    rule("chromium.empty_response", ty(T::ConnectionTerminated), CHROMIUM).on(Browser).code("ERR_EMPTY_RESPONSE").sure(High).seg(Segment::Unknown),
    rule("chromium.connection_timed_out", ty(T::ConnectionTimeout), CHROMIUM).on(Browser).code("ERR_CONNECTION_TIMED_OUT").sure(High).seg(Segment::Unknown),
    rule("chromium.timed_out", ty(T::HttpResponseTimeout), CHROMIUM).on(Browser).code("ERR_TIMED_OUT").alts(&[T::ConnectionTimeout]).seg(Segment::Unknown),
    rule("chromium.address_unreachable", ty(T::DestinationIpUnroutable), CHROMIUM).on(Browser).code("ERR_ADDRESS_UNREACHABLE").sure(High).seg(Segment::Unknown),
    rule("chromium.internet_disconnected", Unclassified, CHROMIUM).on(Browser).code("ERR_INTERNET_DISCONNECTED").sure(High).seg(Segment::Client).reached(Reached::No).causes(&[C::ClientConnection, C::IspFailure]),
    rule("chromium.network_changed", ty(T::ConnectionTerminated), CHROMIUM).on(Browser).code("ERR_NETWORK_CHANGED").sure(High).seg(Segment::Client).causes(&[C::ClientConnection]),
    rule("chromium.proxy_connection_failed", Unclassified, CHROMIUM).on(Browser).code("ERR_PROXY_CONNECTION_FAILED").sure(High).seg(Segment::Client).reached(Reached::No).causes(&[C::ClientProxyVpn]),
    rule("chromium.blocked_by_client", Unclassified, CHROMIUM).on(Browser).code("ERR_BLOCKED_BY_CLIENT").sure(High).seg(Segment::Client).reached(Reached::No).retry(false).causes(&[C::BlockedByClient]),
    rule("chromium.cert_date_invalid", ty(T::TlsCertificateError), CHROMIUM).on(Browser).code("ERR_CERT_DATE_INVALID").sure(High).seg(Segment::Unknown).causes(&[C::CertExpired]),
    rule("chromium.cert_common_name_invalid", ty(T::TlsCertificateError), CHROMIUM).on(Browser).code("ERR_CERT_COMMON_NAME_INVALID").sure(High).seg(Segment::Unknown).causes(&[C::CertNameMismatch]),
    rule("chromium.cert_authority_invalid", ty(T::TlsCertificateError), CHROMIUM).on(Browser).code("ERR_CERT_AUTHORITY_INVALID").sure(High).seg(Segment::Unknown).causes(&[C::SelfSigned, C::IncompleteChain]),
    rule("chromium.ssl_version_or_cipher_mismatch", ty(T::TlsProtocolError), CHROMIUM).on(Browser).code("ERR_SSL_VERSION_OR_CIPHER_MISMATCH").sure(High).seg(Segment::Unknown).causes(&[C::TlsVersionMismatch]),
    rule("chromium.ssl_protocol_error", ty(T::TlsProtocolError), CHROMIUM).on(Browser).code("ERR_SSL_PROTOCOL_ERROR").seg(Segment::Unknown).causes(&[C::TlsToPlainPort, C::TlsVersionMismatch]),
    rule("chromium.bad_ssl_client_auth_cert", ty(T::TlsAlertReceived), CHROMIUM).on(Browser).code("ERR_BAD_SSL_CLIENT_AUTH_CERT").seg(Segment::Unknown).causes(&[C::ClientCertRequired]),
    rule("chromium.invalid_http_response", ty(T::HttpProtocolError), CHROMIUM).on(Browser).code("ERR_INVALID_HTTP_RESPONSE").sure(High).seg(Segment::Unknown),
    rule("chromium.response_headers_too_big", ty(T::HttpResponseHeaderSectionSize), CHROMIUM).on(Browser).code("ERR_RESPONSE_HEADERS_TOO_BIG").sure(High).seg(Segment::Unknown),
    rule("chromium.content_decoding_failed", ty(T::HttpResponseContentCoding), CHROMIUM).on(Browser).code("ERR_CONTENT_DECODING_FAILED").sure(High).seg(Segment::Unknown),
    rule("chromium.incomplete_chunked_encoding", ty(T::HttpResponseIncomplete), CHROMIUM)
        .on(Browser)
        .code("ERR_INCOMPLETE_CHUNKED_ENCODING")
        .alts(&[T::HttpResponseTransferCoding])
        .seg(Segment::Unknown)
        .causes(&[C::BadFraming, C::AppCrash]),
    rule("chromium.content_length_mismatch", ty(T::HttpResponseIncomplete), CHROMIUM).on(Browser).code("ERR_CONTENT_LENGTH_MISMATCH").sure(High).seg(Segment::Unknown),
    rule("chromium.too_many_redirects", ty(T::ProxyConfigurationError), CHROMIUM).on(Browser).code("ERR_TOO_MANY_REDIRECTS").sure(Low).alts(&[T::ProxyLoopDetected]).seg(Segment::Unknown).causes(&[C::ProxyMisconfig, C::Loop]),
    // --- workerd (a Worker's fetch): ambiguous by design ---
    rule("workerd.connection_lost", ty(T::ConnectionRefused), WORKERD)
        .on(Workerd)
        .msg(StartsWith("Network connection lost"))
        .alts(&[T::ConnectionTerminated, T::HttpResponseIncomplete])
        .sure(Low)
        .retry(true)
        .causes(&[C::UpstreamDown, C::PortClosed, C::AppCrash, C::KeepaliveRace, C::FirewallReject])
        .note("workerd_connection_lost"),
    rule("workerd.internal_error", ty(T::HttpProtocolError), WORKERD)
        .on(Workerd)
        .msg(Contains("internal error; reference ="))
        .alts(&[T::DnsError, T::TlsProtocolError, T::ProxyInternalError])
        .sure(Low)
        .seg(Segment::Unknown)
        .causes(&[C::ProtocolMismatch, C::DnsRecordMissing, C::TlsToPlainPort, C::WrongUpstreamAddress])
        .note("workerd_internal_error"),
    // workerd's own stderr lines, when the caller has them.
    rule("workerd.invalid_status_line", ty(T::HttpProtocolError), WORKERD).msg(Contains("Invalid response status line")).sure(High).causes(&[C::ProtocolMismatch, C::WrongUpstreamAddress]),
    rule("workerd.dns_lookup_failed", ty(T::DnsError), WORKERD).msg(Contains("DNS lookup failed")).causes(&[C::DnsRecordMissing, C::DnsServerFailure]),
    // --- Rust std::io::ErrorKind (name = the kind's Debug name) ---
    rule("io.connection_refused", ty(T::ConnectionRefused), RUST_IO).on(RustIo).name(Is("ConnectionRefused")).sure(High).causes(&[C::UpstreamDown, C::PortClosed, C::AppCrash, C::FirewallReject]),
    rule("io.connection_reset", ty(T::ConnectionTerminated), RUST_IO).on(RustIo).name(Is("ConnectionReset")).alts(&[T::HttpResponseIncomplete]).causes(&[C::AppCrash, C::KeepaliveRace, C::FirewallReject]),
    rule("io.connection_aborted", ty(T::ConnectionTerminated), RUST_IO).on(RustIo).name(Is("ConnectionAborted")),
    rule("io.not_connected", ty(T::ConnectionTerminated), RUST_IO).on(RustIo).name(Is("NotConnected")).sure(Low),
    rule("io.broken_pipe", ty(T::ConnectionTerminated), RUST_IO).on(RustIo).name(Is("BrokenPipe")).hop(Hop::Request).causes(&[C::AppCrash, C::KeepaliveRace]),
    rule("io.write_zero", ty(T::ConnectionTerminated), RUST_IO).on(RustIo).name(Is("WriteZero")).sure(Low).hop(Hop::Request),
    rule("io.timed_out", ty(T::ConnectionTimeout), RUST_IO).on(RustIo).name(Is("TimedOut")).sure(Low).alts(&[T::ConnectionReadTimeout, T::HttpResponseTimeout]).note("io_timeout"),
    // With `set_read_timeout`, Unix reports an expired read as WouldBlock.
    rule("io.would_block", ty(T::ConnectionReadTimeout), RUST_IO).on(RustIo).name(Is("WouldBlock")).sure(Low).alts(&[T::ConnectionWriteTimeout]).note("io_timeout"),
    rule("io.host_unreachable", ty(T::DestinationIpUnroutable), RUST_IO).on(RustIo).name(Is("HostUnreachable")).sure(High).causes(&[C::RoutingMisconfig, C::UpstreamDown, C::FirewallReject]),
    rule("io.network_unreachable", ty(T::DestinationIpUnroutable), RUST_IO).on(RustIo).name(Is("NetworkUnreachable")).sure(High).causes(&[C::RoutingMisconfig, C::NetworkIssue]),
    rule("io.network_down", ty(T::DestinationIpUnroutable), RUST_IO).on(RustIo).name(Is("NetworkDown")).seg(Segment::Proxy).causes(&[C::NetworkIssue]),
    rule("io.addr_not_available", ty(T::ProxyInternalError), RUST_IO).on(RustIo).name(Is("AddrNotAvailable")).alts(&[T::DestinationIpUnroutable]).causes(&[C::ResourceExhaustion, C::ProxyMisconfig]),
    rule("io.addr_in_use", ty(T::ProxyInternalError), RUST_IO).on(RustIo).name(Is("AddrInUse")).causes(&[C::ResourceExhaustion]),
    rule("io.unexpected_eof", ty(T::HttpResponseIncomplete), RUST_IO).on(RustIo).name(Is("UnexpectedEof")).alts(&[T::ConnectionTerminated]).causes(&[C::AppCrash, C::KeepaliveRace, C::BadFraming]),
    rule("io.invalid_data", ty(T::HttpProtocolError), RUST_IO).on(RustIo).name(Is("InvalidData")).sure(Low).alts(&[T::HttpResponseContentCoding, T::TlsProtocolError]).causes(&[C::ProtocolMismatch, C::TlsToPlainPort]),
    rule("io.invalid_input", ty(T::ProxyConfigurationError), RUST_IO).on(RustIo).name(Is("InvalidInput")).sure(Low).causes(&[C::ProxyMisconfig]),
    rule("io.permission_denied", ty(T::DestinationIpProhibited), RUST_IO).on(RustIo).name(Is("PermissionDenied")).sure(Low).seg(Segment::Proxy).causes(&[C::IpPolicy, C::ProxyMisconfig]),
    rule("io.not_found", ty(T::ConnectionRefused), RUST_IO).on(RustIo).name(Is("NotFound")).sure(Low).alts(&[T::ProxyConfigurationError]).causes(&[C::PortClosed, C::WrongUpstreamAddress]),
    rule("io.interrupted", ty(T::ProxyInternalError), RUST_IO).on(RustIo).name(Is("Interrupted")).sure(Low).retry(true),
    rule("io.out_of_memory", ty(T::ProxyInternalError), RUST_IO).on(RustIo).name(Is("OutOfMemory")).causes(&[C::ResourceExhaustion]),
    rule("io.unsupported", ty(T::ProxyConfigurationError), RUST_IO).on(RustIo).name(Is("Unsupported")).sure(Low),
    // --- Safari/WebKit texts (NSURLError descriptions surfaced by fetch) ---
    rule("webkit.connection_lost", ty(T::ConnectionTerminated), WEBKIT).on(Browser).msg(Is("The network connection was lost.")).alts(&[T::ConnectionRefused, T::HttpResponseIncomplete]).seg(Segment::Unknown),
    rule("webkit.host_not_found", ty(T::DnsError), WEBKIT).on(Browser).msg(Is("A server with the specified hostname could not be found.")).seg(Segment::Unknown).causes(&[C::DnsRecordMissing, C::ClientConnection]),
    rule("webkit.cannot_connect", ty(T::ConnectionRefused), WEBKIT).on(Browser).msg(Is("Could not connect to the server.")).alts(&[T::ConnectionTimeout]).seg(Segment::Unknown),
    rule("webkit.timed_out", ty(T::ConnectionTimeout), WEBKIT).on(Browser).msg(Is("The request timed out.")).alts(&[T::HttpResponseTimeout]).seg(Segment::Unknown),
    rule("webkit.ssl_error", ty(T::TlsProtocolError), WEBKIT).on(Browser).msg(StartsWith("An SSL error has occurred")).alts(&[T::TlsCertificateError]).seg(Segment::Unknown),
    rule("webkit.offline", Unclassified, WEBKIT).on(Browser).msg(Is("The Internet connection appears to be offline.")).sure(High).seg(Segment::Client).reached(Reached::No).causes(&[C::ClientConnection, C::IspFailure]),
    // --- Texts of curl, Go, OpenSSL, glibc (any runtime: pasted or wrapped errors) ---
    rule("go.tls_first_record", ty(T::TlsProtocolError), GO_NET).msg(Contains("first record does not look like a TLS handshake")).sure(High).causes(&[C::TlsToPlainPort]),
    rule("go.http_response_to_https", ty(T::TlsProtocolError), GO_NET).msg(Contains("server gave HTTP response to HTTPS client")).sure(High).causes(&[C::TlsToPlainPort]),
    rule("openssl.cert_expired", ty(T::TlsCertificateError), OPENSSL).msg(Contains("certificate has expired")).sure(High).causes(&[C::CertExpired]),
    rule("openssl.self_signed", ty(T::TlsCertificateError), OPENSSL).msg(Contains("self-signed certificate")).sure(High).causes(&[C::SelfSigned]),
    rule("openssl.self_signed_old", ty(T::TlsCertificateError), OPENSSL).msg(Contains("self signed certificate")).sure(High).causes(&[C::SelfSigned]),
    rule("openssl.local_issuer", ty(T::TlsCertificateError), OPENSSL).msg(Contains("unable to get local issuer certificate")).sure(High).causes(&[C::IncompleteChain, C::SelfSigned]),
    rule("go.unknown_authority", ty(T::TlsCertificateError), GO_NET).msg(Contains("certificate signed by unknown authority")).sure(High).causes(&[C::SelfSigned, C::IncompleteChain]),
    rule("node.altnames", ty(T::TlsCertificateError), NODE_TLS).msg(Contains("does not match certificate's altnames")).sure(High).causes(&[C::CertNameMismatch]),
    rule("curl.no_subject_name_match", ty(T::TlsCertificateError), CURL).msg(Contains("no alternative certificate subject name matches")).sure(High).causes(&[C::CertNameMismatch]),
    rule("curl.empty_reply", ty(T::ConnectionTerminated), CURL).msg(Contains("Empty reply from server")).sure(High).causes(&[C::AppCrash, C::ProtocolMismatch]),
    rule("curl.could_not_resolve", ty(T::DnsError), CURL).msg(Contains("Could not resolve host")).sure(High).causes(&[C::DnsRecordMissing, C::DnsMisconfig]),
    rule("curl.http09", ty(T::HttpProtocolError), CURL).msg(Contains("Received HTTP/0.9 when not allowed")).sure(High).causes(&[C::ProtocolMismatch, C::WrongUpstreamAddress]),
    rule("go.malformed_response", ty(T::HttpProtocolError), GO_NET).msg(Contains("malformed HTTP response")).sure(High).causes(&[C::ProtocolMismatch]),
    rule("errno.connection_refused", ty(T::ConnectionRefused), ERRNO).msg(Contains("connection refused")).causes(&[C::UpstreamDown, C::PortClosed, C::FirewallReject]),
    rule("errno.connection_reset", ty(T::ConnectionTerminated), ERRNO).msg(Contains("connection reset by peer")).alts(&[T::HttpResponseIncomplete]).causes(&[C::AppCrash, C::KeepaliveRace]),
    rule("node.socket_hang_up", ty(T::ConnectionTerminated), NODE_ERRORS).msg(Contains("socket hang up")).alts(&[T::HttpResponseIncomplete]).causes(&[C::AppCrash, C::KeepaliveRace]),
    rule("undici.other_side_closed", ty(T::ConnectionTerminated), UNDICI).msg(Contains("other side closed")).alts(&[T::HttpResponseIncomplete]).causes(&[C::AppCrash, C::KeepaliveRace]),
    rule("errno.no_route_to_host", ty(T::DestinationIpUnroutable), ERRNO).msg(Contains("no route to host")).causes(&[C::RoutingMisconfig, C::FirewallReject]),
    rule("errno.network_unreachable", ty(T::DestinationIpUnroutable), ERRNO).msg(Contains("network is unreachable")).causes(&[C::RoutingMisconfig, C::NetworkIssue]),
    rule("errno.connection_timed_out", ty(T::ConnectionTimeout), ERRNO).msg(Contains("connection timed out")).alts(&[T::ConnectionReadTimeout]).causes(&[C::FirewallDrop, C::UpstreamDown]),
    rule("errno.broken_pipe", ty(T::ConnectionTerminated), ERRNO).msg(Contains("broken pipe")).hop(Hop::Request),
    rule("gai.name_not_known", ty(T::DnsError), GETADDRINFO).msg(Contains("Name or service not known")).retry(false).causes(&[C::DnsRecordMissing]),
    rule("gai.nodename_nor_servname", ty(T::DnsError), GETADDRINFO).msg(Contains("nodename nor servname provided")).retry(false).causes(&[C::DnsRecordMissing]),
    rule("gai.temporary_failure", ty(T::DnsError), GETADDRINFO).msg(Contains("Temporary failure in name resolution")).alts(&[T::DnsTimeout]).retry(true).causes(&[C::DnsServerFailure, C::NetworkIssue]),
    rule("go.no_such_host", ty(T::DnsError), GO_NET).msg(Contains("no such host")).causes(&[C::DnsRecordMissing, C::DnsMisconfig]),
    rule("curl.operation_timed_out", ty(T::ConnectionTimeout), CURL).msg(Contains("operation timed out")).sure(Low).alts(&[T::HttpResponseTimeout, T::ConnectionReadTimeout]),
    rule("go.io_timeout", ty(T::ConnectionTimeout), GO_NET).msg(Contains("i/o timeout")).sure(Low).alts(&[T::ConnectionReadTimeout, T::HttpResponseTimeout, T::DnsTimeout]),
    rule("go.unexpected_eof", ty(T::HttpResponseIncomplete), GO_NET).msg(Contains("unexpected EOF")).sure(Low).alts(&[T::ConnectionTerminated]),
    // --- Opaque errors: the runtime hides the reason ---
    rule("browser.chrome_failed_to_fetch", Unclassified, FETCH).on(Browser).msg(StartsWith("Failed to fetch")).alts(BROWSER_OPAQUE).sure(Low).seg(Segment::Unknown).retry(true).causes(BROWSER_OPAQUE_CAUSES).note("browser_opaque"),
    rule("browser.firefox_network_error", Unclassified, FETCH)
        .on(Browser)
        .msg(StartsWith("NetworkError when attempting to fetch resource"))
        .alts(BROWSER_OPAQUE)
        .sure(Low)
        .seg(Segment::Unknown)
        .retry(true)
        .causes(BROWSER_OPAQUE_CAUSES)
        .note("browser_opaque"),
    rule("browser.safari_load_failed", Unclassified, FETCH).on(Browser).msg(Is("Load failed")).alts(BROWSER_OPAQUE).sure(Low).seg(Segment::Unknown).retry(true).causes(BROWSER_OPAQUE_CAUSES).note("browser_opaque"),
    rule("undici.fetch_failed", Unclassified, UNDICI)
        .on(Node)
        .msg(Is("fetch failed"))
        .alts(&[T::DnsError, T::ConnectionRefused, T::ConnectionTimeout, T::ConnectionTerminated, T::TlsProtocolError])
        .sure(Low)
        .seg(Segment::Upstream)
        .retry(true)
        .note("node_fetch_failed"),
    rule("fallback", Unclassified, "gatewise: no row matched").sure(Low).seg(Segment::Unknown).note("unknown"),
];

/// The rule with this id.
pub fn rule_by_id(id: &str) -> Option<&'static TransportRule> {
    RULES.iter().find(|r| r.id == id)
}

/// The catalog key (`transport.note.<key>`) explaining the ambiguity or
/// special meaning of the transport rule that produced `d`, if any.
pub fn note_key(d: &Diagnosis) -> Option<String> {
    d.evidence
        .iter()
        .filter_map(|e| e.rule.as_deref().and_then(rule_by_id))
        .find_map(|r| r.note)
        .map(|k| format!("transport.note.{k}"))
}

/// The first `max` bytes of `s`, cut at a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    s.get(..end).unwrap_or("")
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
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

fn token_ci(hay: &str, needle: &str, whole: bool) -> bool {
    let h = hay.as_bytes();
    find_ci(hay, needle).any(|i| {
        let before_ok = i
            .checked_sub(1)
            .and_then(|j| h.get(j))
            .is_none_or(|b| !is_word(*b));
        let after_ok = !whole
            || h.get(i.saturating_add(needle.len()))
                .is_none_or(|b| !is_word(*b));
        before_ok && after_ok
    })
}

fn text_matches(t: Text, field: Option<&str>) -> bool {
    match (t, field) {
        (Text::Any, _) => true,
        (_, None) => false,
        (Text::Is(p), Some(s)) => s.eq_ignore_ascii_case(p),
        (Text::StartsWith(p), Some(s)) => s
            .as_bytes()
            .get(..p.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes())),
        (Text::Contains(p), Some(s)) => find_ci(s, p).next().is_some(),
        (Text::Token(p), Some(s)) => token_ci(s, p, true),
        (Text::TokenPrefix(p), Some(s)) => token_ci(s, p, false),
    }
}

/// One error of the chain, with its texts cut to [`MAX_TEXT`].
struct Level<'a> {
    name: Option<&'a str>,
    message: &'a str,
    code: Option<&'a str>,
}

impl<'a> Level<'a> {
    fn of(e: &'a TransportError) -> Self {
        Level {
            name: e.name.as_deref().map(|s| prefix(s, MAX_TEXT)),
            message: prefix(&e.message, MAX_TEXT),
            code: e.code.as_deref().map(|s| prefix(s, MAX_TEXT)),
        }
    }

    fn code_matches(&self, t: Text) -> bool {
        match t {
            Text::Any => true,
            Text::Token(_) | Text::TokenPrefix(_) => {
                text_matches(t, self.code) || text_matches(t, Some(self.message))
            }
            _ => text_matches(t, self.code),
        }
    }

    fn matches(&self, r: &TransportRule) -> bool {
        text_matches(r.name, self.name)
            && text_matches(r.message, Some(self.message))
            && self.code_matches(r.code)
    }
}

/// The errors of the chain, at most [`MAX_DEPTH`].
fn chain(e: &TransportError) -> impl Iterator<Item = &TransportError> {
    std::iter::successors(Some(e), |e| e.cause.as_deref()).take(MAX_DEPTH)
}

fn runtime_ok(r: &TransportRule, given: Option<Layer>) -> bool {
    match (r.runtime, given) {
        (Some(want), Some(got)) => want == got,
        _ => true,
    }
}

/// The evidence for the match: the most specific matcher of the row.
fn evidence_for(r: &TransportRule, level: &Level<'_>) -> Evidence {
    let short = |s: &str| prefix(s, 120).to_owned();
    let code = level
        .code
        .filter(|c| r.code != Text::Any && text_matches(r.code, Some(c)));
    let (source, fact) = match code {
        Some(c) => (EvidenceSource::Code, format!("code {}", short(c))),
        None if r.code == Text::Any && r.message == Text::Any && r.name != Text::Any => (
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

/// `reached` across the candidate types: the same for all, or `Maybe`.
fn reached_across(types: impl Iterator<Item = ErrorType>) -> Reached {
    let mut out: Option<Reached> = None;
    for t in types {
        let r = t.info().reached;
        out = match out {
            None => Some(r),
            Some(prev) if prev == r => Some(r),
            Some(_) => Some(Reached::Maybe),
        };
    }
    out.unwrap_or(Reached::Maybe)
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
    RULES
        .iter()
        .filter(|r| r.runtime.is_some())
        .find(|r| levels.iter().any(|l| l.matches(r)))
        .and_then(|r| r.runtime)
}

fn build(
    r: &TransportRule,
    e: &TransportError,
    levels: &[Level<'_>],
    level: &Level<'_>,
) -> Diagnosis {
    let given = e.runtime.filter(|l| *l != Layer::Unknown);
    let layer = given
        .or(r.runtime)
        .or_else(|| runtime_hint(levels))
        .unwrap_or(Layer::Unknown);
    let mut d = match r.verdict {
        Verdict::Type(t) => Diagnosis::for_type(t, layer),
        Verdict::Answered => {
            let mut d = Diagnosis::for_status(status_in(level.message).unwrap_or(502), layer);
            d.received_status = status_in(level.message);
            d
        }
        Verdict::Unclassified | Verdict::Aborted => {
            let mut d = Diagnosis::for_status(502, layer);
            d.received_status = None;
            d.reached = Reached::Maybe;
            d.retryable = true;
            d
        }
    };
    for t in r.alternatives {
        d = d.with_alternative(*t);
    }
    d.confidence = r.confidence;
    if r.verdict == Verdict::Aborted {
        d.segment = Segment::Client;
        d.status = 499;
        d.retryable = false;
    }
    if let Some(s) = r.segment {
        d.segment = s;
    }
    if let Some(h) = r.hop {
        d.hop = Some(h);
    }
    d.reached = match (r.reached, r.verdict) {
        (Some(x), _) => x,
        (None, Verdict::Type(t)) => {
            reached_across(std::iter::once(t).chain(r.alternatives.iter().copied()))
        }
        (None, _) => d.reached,
    };
    if let Some(x) = r.retryable {
        d.retryable = x;
    }
    if let Some(c) = level
        .code
        .filter(|c| r.code != Text::Any && text_matches(r.code, Some(c)))
    {
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
    for r in RULES.iter().filter(|r| runtime_ok(r, given)) {
        if let Some(level) = levels.iter().find(|l| l.matches(r)) {
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

    #[test]
    fn rule_ids_are_unique_and_sourced_and_the_last_row_catches_all() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before, "duplicate rule ids");
        for r in RULES {
            assert!(!r.source.is_empty(), "{} has no source", r.id);
            if let Verdict::Type(t) = r.verdict {
                assert!(
                    !r.alternatives.contains(&t),
                    "{} lists its own type as alternative",
                    r.id
                );
            }
            if !r.alternatives.is_empty() {
                assert_ne!(
                    r.confidence,
                    Confidence::High,
                    "{} is ambiguous yet sure",
                    r.id
                );
            }
        }
        let last = RULES
            .last()
            .map(|r| (r.id, r.name, r.message, r.code, r.runtime));
        assert_eq!(
            last,
            Some(("fallback", Text::Any, Text::Any, Text::Any, None))
        );
    }

    #[test]
    fn notes_have_catalog_text() {
        for r in RULES {
            if let Some(k) = r.note {
                let key = format!("transport.note.{k}");
                assert!(
                    crate::i18n::message(crate::Lang::EN, &key).is_some(),
                    "missing {key}"
                );
            }
        }
    }

    #[test]
    fn matching_helpers() {
        assert!(token_ci(
            "connect ECONNREFUSED 127.0.0.1:9",
            "econnrefused",
            true
        ));
        assert!(!token_ci("XECONNREFUSED", "ECONNREFUSED", true));
        assert!(token_ci(
            "net::ERR_CONNECTION_REFUSED",
            "ERR_CONNECTION_REFUSED",
            true
        ));
        assert!(token_ci("Parse Error HPE_INVALID_CONSTANT", "HPE_", false));
        assert!(!token_ci("", "x", true));
        assert!(find_ci("a", "").next().is_none());
        assert_eq!(prefix("héllo", 2), "h");
        assert_eq!(
            status_in("Response status code 503: Service Unavailable"),
            Some(503)
        );
        assert_eq!(status_in("status code 9999"), None);
    }
}
