//! The failure taxonomy: the 32 error types of RFC 9209 (Proxy-Status), each
//! tied to the hop of the HTTP cycle that failed, the status RFC 9209
//! recommends, its parameters, and whether the request can have reached the
//! origin (which decides whether a retry is safe).
//!
//! Every row lives in one table ([`ERROR_TYPES`]); the enum, the name lookup
//! and the tests are all generated from it.
//!
//! # Example
//! ```
//! use gatewise_core::{ErrorType, Hop};
//! let t = ErrorType::from_name("connection_refused").unwrap();
//! assert_eq!(t.info().recommended_status, Some(502));
//! assert_eq!(t.info().hop, Hop::Connect);
//! assert_eq!(t.name(), "connection_refused");
//! ```

use serde::{Deserialize, Serialize};

use crate::hop::{Hop, Reached};

/// Static facts about one RFC 9209 error type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorTypeInfo {
    /// The registered token, e.g. `connection_refused`.
    pub name: &'static str,
    /// The status code RFC 9209 recommends (`None` for `proxy_internal_response`, which has none).
    pub recommended_status: Option<u16>,
    /// The hop of the HTTP cycle this failure belongs to.
    pub hop: Hop,
    /// Whether the request can have reached the origin when this failure is seen.
    pub reached: Reached,
    /// Whether the condition is usually temporary (worth a retry later).
    pub temporary: bool,
    /// The extra Proxy-Status parameters RFC 9209 defines for this type.
    pub params: &'static [&'static str],
    /// Where the type is defined.
    pub source: &'static str,
}

macro_rules! error_types {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, status: $status:expr, hop: $hop:ident,
        reached: $reached:ident, temporary: $temp:literal, params: [$($p:literal),*], section: $sec:literal; )+) => {
        /// One of the 32 error types registered by RFC 9209 §2.3.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorType {
            $( $(#[$doc])* $variant, )+
        }

        /// Every RFC 9209 error type, in registry order, with its facts.
        pub const ERROR_TYPES: &[(ErrorType, ErrorTypeInfo)] = &[
            $( (ErrorType::$variant, ErrorTypeInfo {
                name: $name,
                recommended_status: $status,
                hop: Hop::$hop,
                reached: Reached::$reached,
                temporary: $temp,
                params: &[$($p),*],
                source: concat!("RFC 9209 §2.3.", $sec),
            }), )+
        ];

        impl ErrorType {
            /// All error types in registry order.
            pub const ALL: &'static [ErrorType] = &[ $( ErrorType::$variant, )+ ];

            /// The facts of this type.
            pub fn info(self) -> &'static ErrorTypeInfo {
                match self {
                    $( ErrorType::$variant => &ErrorTypeInfo {
                        name: $name,
                        recommended_status: $status,
                        hop: Hop::$hop,
                        reached: Reached::$reached,
                        temporary: $temp,
                        params: &[$($p),*],
                        source: concat!("RFC 9209 §2.3.", $sec),
                    }, )+
                }
            }
        }
    };
}

error_types! {
    /// The DNS lookup for the next hop timed out.
    DnsTimeout = "dns_timeout", status: Some(504), hop: Dns, reached: No, temporary: true, params: [], section: "1";
    /// The DNS lookup for the next hop failed (NXDOMAIN, SERVFAIL, …).
    DnsError = "dns_error", status: Some(502), hop: Dns, reached: No, temporary: true, params: ["rcode", "info-code"], section: "2";
    /// The intermediary cannot determine the next hop (no route configured for this request).
    DestinationNotFound = "destination_not_found", status: Some(500), hop: Proxy, reached: No, temporary: false, params: [], section: "3";
    /// The intermediary considers the next hop unavailable (failed health checks, no healthy upstream).
    DestinationUnavailable = "destination_unavailable", status: Some(503), hop: Connect, reached: No, temporary: true, params: [], section: "4";
    /// The next hop's address is prohibited by the intermediary's policy.
    DestinationIpProhibited = "destination_ip_prohibited", status: Some(502), hop: Connect, reached: No, temporary: false, params: [], section: "5";
    /// The next hop's address is unroutable from the intermediary.
    DestinationIpUnroutable = "destination_ip_unroutable", status: Some(502), hop: Connect, reached: No, temporary: true, params: [], section: "6";
    /// The next hop refused the connection (nothing listens, or a firewall rejects).
    ConnectionRefused = "connection_refused", status: Some(502), hop: Connect, reached: No, temporary: true, params: [], section: "7";
    /// The connection was closed before any part of the response arrived.
    ConnectionTerminated = "connection_terminated", status: Some(502), hop: Response, reached: Maybe, temporary: true, params: [], section: "8";
    /// Opening the connection to the next hop timed out.
    ConnectionTimeout = "connection_timeout", status: Some(504), hop: Connect, reached: No, temporary: true, params: [], section: "9";
    /// Reading from the next hop timed out.
    ConnectionReadTimeout = "connection_read_timeout", status: Some(504), hop: Response, reached: Maybe, temporary: true, params: [], section: "10";
    /// Writing to the next hop timed out.
    ConnectionWriteTimeout = "connection_write_timeout", status: Some(504), hop: Request, reached: Maybe, temporary: true, params: [], section: "11";
    /// The intermediary's own limit on connections to the next hop was reached.
    ConnectionLimitReached = "connection_limit_reached", status: Some(503), hop: Connect, reached: No, temporary: true, params: [], section: "12";
    /// The TLS handshake with the next hop failed at the protocol level.
    TlsProtocolError = "tls_protocol_error", status: Some(502), hop: Tls, reached: No, temporary: false, params: [], section: "13";
    /// The next hop's certificate failed validation.
    TlsCertificateError = "tls_certificate_error", status: Some(502), hop: Tls, reached: No, temporary: false, params: [], section: "14";
    /// The next hop sent a TLS alert.
    TlsAlertReceived = "tls_alert_received", status: Some(502), hop: Tls, reached: No, temporary: false, params: ["alert-id", "alert-message"], section: "15";
    /// The intermediary answers a client error (4xx) on the origin's behalf.
    HttpRequestError = "http_request_error", status: Some(400), hop: Request, reached: No, temporary: false, params: ["status-code", "status-phrase"], section: "16";
    /// The intermediary denied the request (policy).
    HttpRequestDenied = "http_request_denied", status: Some(403), hop: Request, reached: No, temporary: false, params: [], section: "17";
    /// The response from the next hop was incomplete.
    HttpResponseIncomplete = "http_response_incomplete", status: Some(502), hop: Response, reached: Yes, temporary: true, params: [], section: "18";
    /// The response's header section was too large.
    HttpResponseHeaderSectionSize = "http_response_header_section_size", status: Some(502), hop: Response, reached: Yes, temporary: false, params: ["header-section-size"], section: "19";
    /// One response header field line was too large.
    HttpResponseHeaderSize = "http_response_header_size", status: Some(502), hop: Response, reached: Yes, temporary: false, params: ["header-name", "header-size"], section: "20";
    /// The response body was too large.
    HttpResponseBodySize = "http_response_body_size", status: Some(502), hop: Response, reached: Yes, temporary: false, params: ["body-size"], section: "21";
    /// The response's trailer section was too large.
    HttpResponseTrailerSectionSize = "http_response_trailer_section_size", status: Some(502), hop: Response, reached: Yes, temporary: false, params: ["trailer-section-size"], section: "22";
    /// One response trailer field line was too large.
    HttpResponseTrailerSize = "http_response_trailer_size", status: Some(502), hop: Response, reached: Yes, temporary: false, params: ["trailer-name", "trailer-size"], section: "23";
    /// The response's transfer coding could not be decoded.
    HttpResponseTransferCoding = "http_response_transfer_coding", status: Some(502), hop: Response, reached: Yes, temporary: false, params: ["coding"], section: "24";
    /// The response's content coding could not be decoded.
    HttpResponseContentCoding = "http_response_content_coding", status: Some(502), hop: Response, reached: Yes, temporary: false, params: ["coding"], section: "25";
    /// The next hop did not send response headers in time.
    HttpResponseTimeout = "http_response_timeout", status: Some(504), hop: Response, reached: Maybe, temporary: true, params: [], section: "26";
    /// The protocol upgrade (e.g. WebSocket) with the next hop failed.
    HttpUpgradeFailed = "http_upgrade_failed", status: Some(502), hop: Response, reached: Yes, temporary: false, params: [], section: "27";
    /// The next hop's response was not valid HTTP.
    HttpProtocolError = "http_protocol_error", status: Some(502), hop: Response, reached: Maybe, temporary: false, params: [], section: "28";
    /// The intermediary answered locally, without trying the next hop (e.g. a maintenance page).
    ProxyInternalResponse = "proxy_internal_response", status: None, hop: Proxy, reached: No, temporary: true, params: [], section: "29";
    /// The intermediary itself failed.
    ProxyInternalError = "proxy_internal_error", status: Some(500), hop: Proxy, reached: Maybe, temporary: true, params: [], section: "30";
    /// The intermediary is misconfigured.
    ProxyConfigurationError = "proxy_configuration_error", status: Some(500), hop: Proxy, reached: No, temporary: false, params: [], section: "31";
    /// The request looped back through the same intermediary.
    ProxyLoopDetected = "proxy_loop_detected", status: Some(502), hop: Proxy, reached: No, temporary: false, params: [], section: "32";
}

impl ErrorType {
    /// The registered token, e.g. `connection_refused`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Looks up a type by its registered token.
    pub fn from_name(name: &str) -> Option<ErrorType> {
        ERROR_TYPES
            .iter()
            .find(|(_, info)| info.name == name)
            .map(|(t, _)| *t)
    }

    /// The status a gateway should answer with: RFC 9209's recommendation, or 502.
    pub fn status(self) -> u16 {
        self.info().recommended_status.unwrap_or(502)
    }
}

impl std::fmt::Display for ErrorType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_has_32_types_in_section_order() {
        assert_eq!(ERROR_TYPES.len(), 32);
        assert_eq!(ErrorType::ALL.len(), 32);
        for (i, (t, info)) in ERROR_TYPES.iter().enumerate() {
            assert_eq!(t.info(), info);
            assert_eq!(info.source, format!("RFC 9209 §2.3.{}", i + 1));
            assert_eq!(ErrorType::from_name(info.name), Some(*t));
            let json = serde_json::to_string(t).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", info.name));
        }
    }

    #[test]
    fn gateway_statuses_match_rfc_9209() {
        assert_eq!(ErrorType::DnsTimeout.status(), 504);
        assert_eq!(ErrorType::DestinationUnavailable.status(), 503);
        assert_eq!(ErrorType::HttpResponseTimeout.status(), 504);
        assert_eq!(
            ErrorType::ProxyInternalResponse.info().recommended_status,
            None
        );
        assert_eq!(ErrorType::HttpRequestDenied.status(), 403);
    }
}
