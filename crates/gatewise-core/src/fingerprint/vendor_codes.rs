//! Vendor codes and the RFC 9209 type each means. Each row has an English
//! explanation under `vendor.<layer>.<code>` in `catalogs/en/vendor.toml`.
//!
//! Rows of a code that need a detail (an errno, a TLS failure reason) come
//! before the generic row of that code.

use std::borrow::Cow;

use super::VendorCode;
use crate::diagnosis::Confidence::{self, High, Low, Medium};
use crate::layer::Layer as L;
use crate::taxonomy::ErrorType as E;

const fn code(
    layer: L,
    code: &'static str,
    error_type: Option<E>,
    alternatives: &'static [E],
    confidence: Confidence,
    source: &'static str,
) -> VendorCode {
    VendorCode {
        layer,
        code: Cow::Borrowed(code),
        detail: None,
        error_type,
        alternatives,
        confidence,
        source,
    }
}

const fn with_detail(
    layer: L,
    code: &'static str,
    detail: &'static str,
    error_type: E,
    confidence: Confidence,
    source: &'static str,
) -> VendorCode {
    VendorCode {
        layer,
        code: Cow::Borrowed(code),
        detail: Some(detail),
        error_type: Some(error_type),
        alternatives: &[],
        confidence,
        source,
    }
}

const SQUID: &str = "https://wiki.squid-cache.org/SquidFaq/SquidLogs and Squid errors/templates (ERR_*); captured: squid/5.7";
const ENVOY: &str = "https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage (response flags, upstream transport failure reason)";
const WINHTTP: &str = "https://learn.microsoft.com/en-us/windows/win32/winhttp/error-messages (WinHTTP errors behind IIS ARR 502.3)";
const ANCM: &str = "https://learn.microsoft.com/en-us/aspnet/core/test/troubleshoot-azure-iis";
const VERCEL: &str = "https://vercel.com/docs/errors";
const ELB: &str = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html";
const FASTLY: &str = "https://www.fastly.com/documentation/guides/vcl/errors/ and https://docs.fastly.com/en/guides/common-503-errors";

const NODE_ERR: &str = "https://nodejs.org/api/errors.html#common-system-errors; captured: express 5.3.0 + express-http-proxy 2.1.2";
const REPLY_FROM: &str = "@fastify/reply-from lib/errors.js and index.js (onErrorDefault); captured: @fastify/http-proxy 11.6.3";

/// Every known vendor code (see the module docs).
pub static VENDOR_CODES: &[VendorCode] = &[
    // ---- Squid: X-Squid-Error ----
    with_detail(L::Squid, "ERR_CONNECT_FAIL", "111", E::ConnectionRefused, High, SQUID),
    with_detail(L::Squid, "ERR_CONNECT_FAIL", "110", E::ConnectionTimeout, High, SQUID),
    with_detail(L::Squid, "ERR_CONNECT_FAIL", "113", E::DestinationIpUnroutable, High, SQUID),
    with_detail(L::Squid, "ERR_CONNECT_FAIL", "101", E::DestinationIpUnroutable, High, SQUID),
    code(L::Squid, "ERR_CONNECT_FAIL", Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::DestinationIpUnroutable], Medium, SQUID),
    code(L::Squid, "ERR_DNS_FAIL", Some(E::DnsError), &[E::DnsTimeout], High, SQUID),
    code(L::Squid, "ERR_READ_TIMEOUT", Some(E::HttpResponseTimeout), &[E::ConnectionReadTimeout], Medium, SQUID),
    code(L::Squid, "ERR_LIFETIME_EXP", Some(E::ConnectionReadTimeout), &[E::HttpResponseTimeout], Medium, SQUID),
    code(L::Squid, "ERR_ZERO_SIZE_OBJECT", Some(E::ConnectionTerminated), &[E::HttpResponseIncomplete], Medium, SQUID),
    code(L::Squid, "ERR_INVALID_RESP", Some(E::HttpProtocolError), &[], High, SQUID),
    with_detail(L::Squid, "ERR_READ_ERROR", "104", E::ConnectionTerminated, High, SQUID),
    with_detail(L::Squid, "ERR_READ_ERROR", "111", E::ConnectionRefused, High, SQUID),
    code(L::Squid, "ERR_READ_ERROR", Some(E::ConnectionTerminated), &[E::ConnectionRefused, E::DnsError, E::HttpResponseIncomplete], Low, SQUID),
    code(L::Squid, "ERR_WRITE_ERROR", Some(E::ConnectionTerminated), &[E::ConnectionWriteTimeout], Medium, SQUID),
    code(L::Squid, "ERR_SECURE_CONNECT_FAIL", Some(E::TlsProtocolError), &[E::TlsCertificateError], Medium, SQUID),
    code(L::Squid, "ERR_TOO_BIG", Some(E::HttpResponseHeaderSectionSize), &[E::HttpResponseBodySize], Medium, SQUID),
    code(L::Squid, "ERR_ACCESS_DENIED", Some(E::HttpRequestDenied), &[], High, SQUID),
    code(L::Squid, "ERR_FORWARDING_DENIED", Some(E::HttpRequestDenied), &[], High, SQUID),
    code(L::Squid, "ERR_CANNOT_FORWARD", Some(E::DestinationUnavailable), &[E::ConnectionRefused], Medium, SQUID),
    code(L::Squid, "ERR_GATEWAY_FAILURE", Some(E::ProxyInternalError), &[], Medium, SQUID),
    code(L::Squid, "ERR_SOCKET_FAILURE", Some(E::ProxyInternalError), &[], Medium, SQUID),
    code(L::Squid, "ERR_SHUTTING_DOWN", Some(E::ProxyInternalResponse), &[], High, SQUID),
    code(L::Squid, "ERR_INVALID_URL", Some(E::HttpRequestError), &[], High, SQUID),
    code(L::Squid, "ERR_INVALID_REQ", Some(E::HttpRequestError), &[], High, SQUID),
    code(L::Squid, "ERR_UNSUP_REQ", Some(E::HttpRequestError), &[], High, SQUID),
    // ---- Envoy: reset reasons of "upstream connect error or disconnect/reset before headers" ----
    with_detail(L::Envoy, "connection failure", "connect error: 111", E::ConnectionRefused, High, ENVOY),
    with_detail(L::Envoy, "connection failure", "connect error: 113", E::DestinationIpUnroutable, High, ENVOY),
    with_detail(L::Envoy, "connection failure", "connect error: 110", E::ConnectionTimeout, High, ENVOY),
    with_detail(L::Envoy, "connection failure", "CERTIFICATE_VERIFY_FAILED", E::TlsCertificateError, High, ENVOY),
    with_detail(L::Envoy, "connection failure", "TLS error", E::TlsProtocolError, High, ENVOY),
    code(L::Envoy, "connection failure", Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::TlsProtocolError, E::DestinationIpUnroutable], Medium, ENVOY),
    with_detail(L::Envoy, "remote connection failure", "connect error: 111", E::ConnectionRefused, High, ENVOY),
    code(L::Envoy, "remote connection failure", Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::TlsProtocolError, E::DestinationIpUnroutable], Medium, ENVOY),
    code(L::Envoy, "connection termination", Some(E::ConnectionTerminated), &[], High, ENVOY),
    code(L::Envoy, "connection timeout", Some(E::ConnectionTimeout), &[], High, ENVOY),
    code(L::Envoy, "remote reset", Some(E::ConnectionTerminated), &[E::HttpProtocolError], Medium, ENVOY),
    code(L::Envoy, "local reset", Some(E::ConnectionTerminated), &[E::ProxyInternalError], Low, ENVOY),
    code(L::Envoy, "overflow", Some(E::ConnectionLimitReached), &[], High, ENVOY),
    code(L::Envoy, "protocol error", Some(E::HttpProtocolError), &[], High, ENVOY),
    code(L::Envoy, "remote refused stream reset", Some(E::DestinationUnavailable), &[E::ConnectionLimitReached], Medium, ENVOY),
    code(L::Envoy, "no healthy upstream", Some(E::DestinationUnavailable), &[], High, ENVOY),
    code(L::Envoy, "upstream request timeout", Some(E::HttpResponseTimeout), &[], High, ENVOY),
    // ---- IIS: ARR 502.3 WinHTTP HRESULTs, ANCM sub-statuses ----
    code(L::Iis, "0x80072ee2", Some(E::HttpResponseTimeout), &[E::ConnectionTimeout], Medium, WINHTTP),
    code(L::Iis, "0x80072ee7", Some(E::DnsError), &[], High, WINHTTP),
    code(L::Iis, "0x80072efd", Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::DestinationIpUnroutable], Medium, WINHTTP),
    code(L::Iis, "0x80072efe", Some(E::ConnectionTerminated), &[], High, WINHTTP),
    code(L::Iis, "0x80072f78", Some(E::HttpProtocolError), &[], High, WINHTTP),
    code(L::Iis, "0x80072f8f", Some(E::TlsProtocolError), &[E::TlsCertificateError], Medium, WINHTTP),
    code(L::Iis, "0x80070002", Some(E::ProxyConfigurationError), &[], Medium, "https://learn.microsoft.com/en-us/iis/extensions/httpplatformhandler/httpplatformhandler-configuration-reference"),
    code(L::Iis, "502.5", Some(E::DestinationUnavailable), &[], High, ANCM),
    code(L::Iis, "500.30", None, &[], High, ANCM),
    code(L::Iis, "500.31", None, &[], High, ANCM),
    code(L::Iis, "500.32", None, &[], High, ANCM),
    code(L::Iis, "500.33", None, &[], High, ANCM),
    code(L::Iis, "500.34", Some(E::ProxyConfigurationError), &[], High, ANCM),
    code(L::Iis, "500.35", Some(E::ProxyConfigurationError), &[], High, ANCM),
    code(L::Iis, "500.37", None, &[], High, ANCM),
    code(L::Iis, "500.38", None, &[], High, ANCM),
    // ---- Vercel: x-vercel-error ----
    code(L::Vercel, "FUNCTION_INVOCATION_TIMEOUT", Some(E::HttpResponseTimeout), &[], High, VERCEL),
    code(L::Vercel, "EDGE_FUNCTION_INVOCATION_TIMEOUT", Some(E::HttpResponseTimeout), &[], High, VERCEL),
    code(L::Vercel, "MIDDLEWARE_INVOCATION_TIMEOUT", Some(E::HttpResponseTimeout), &[], High, VERCEL),
    code(L::Vercel, "INTERNAL_FUNCTION_INVOCATION_TIMEOUT", Some(E::HttpResponseTimeout), &[E::ProxyInternalError], Medium, VERCEL),
    code(L::Vercel, "FUNCTION_INVOCATION_FAILED", None, &[], High, VERCEL),
    code(L::Vercel, "EDGE_FUNCTION_INVOCATION_FAILED", None, &[], High, VERCEL),
    code(L::Vercel, "MIDDLEWARE_INVOCATION_FAILED", None, &[], High, VERCEL),
    code(L::Vercel, "NO_RESPONSE_FROM_FUNCTION", Some(E::HttpResponseIncomplete), &[E::ConnectionTerminated], Medium, VERCEL),
    code(L::Vercel, "BODY_NOT_A_STRING_FROM_FUNCTION", Some(E::HttpProtocolError), &[], High, VERCEL),
    code(L::Vercel, "FUNCTION_RESPONSE_PAYLOAD_TOO_LARGE", Some(E::HttpResponseBodySize), &[], High, VERCEL),
    code(L::Vercel, "FUNCTION_PAYLOAD_TOO_LARGE", Some(E::HttpRequestError), &[], High, VERCEL),
    code(L::Vercel, "FUNCTION_THROTTLED", Some(E::ConnectionLimitReached), &[], High, VERCEL),
    code(L::Vercel, "DEPLOYMENT_NOT_FOUND", Some(E::DestinationNotFound), &[], High, VERCEL),
    code(L::Vercel, "DEPLOYMENT_DELETED", Some(E::DestinationNotFound), &[], High, VERCEL),
    code(L::Vercel, "DEPLOYMENT_DISABLED", Some(E::ProxyInternalResponse), &[], High, VERCEL),
    code(L::Vercel, "DEPLOYMENT_PAUSED", Some(E::ProxyInternalResponse), &[], High, VERCEL),
    code(L::Vercel, "DEPLOYMENT_BLOCKED", Some(E::HttpRequestDenied), &[], High, VERCEL),
    code(L::Vercel, "DNS_HOSTNAME_NOT_FOUND", Some(E::DnsError), &[], High, VERCEL),
    code(L::Vercel, "DNS_HOSTNAME_RESOLVE_FAILED", Some(E::DnsError), &[E::DnsTimeout], High, VERCEL),
    code(L::Vercel, "DNS_HOSTNAME_EMPTY", Some(E::DnsError), &[], High, VERCEL),
    code(L::Vercel, "DNS_HOSTNAME_SERVER_ERROR", Some(E::DnsError), &[], High, VERCEL),
    code(L::Vercel, "DNS_HOSTNAME_RESOLVED_PRIVATE", Some(E::DestinationIpProhibited), &[], High, VERCEL),
    code(L::Vercel, "INFINITE_LOOP_DETECTED", Some(E::ProxyLoopDetected), &[], High, VERCEL),
    code(L::Vercel, "NOT_FOUND", None, &[], High, VERCEL),
    code(L::Vercel, "ROUTER_CANNOT_MATCH", Some(E::DestinationNotFound), &[], Medium, VERCEL),
    code(L::Vercel, "ROUTER_EXTERNAL_TARGET_CONNECTION_ERROR", Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::ConnectionTerminated], Medium, VERCEL),
    code(L::Vercel, "ROUTER_EXTERNAL_TARGET_HANDSHAKE_ERROR", Some(E::TlsProtocolError), &[E::TlsCertificateError], Medium, VERCEL),
    code(L::Vercel, "ROUTER_EXTERNAL_TARGET_ERROR", Some(E::HttpProtocolError), &[E::ConnectionTerminated], Low, VERCEL),
    code(L::Vercel, "REQUEST_HEADER_TOO_LARGE", Some(E::HttpRequestError), &[], High, VERCEL),
    // ---- Cloudflare: 52x/530 and the 1xxx codes are rows of the status
    // registry (`crate::status`, `crate::status::cloudflare`); see
    // `fingerprint::lookup_vendor_code`.
    // ---- AWS Elastic Load Balancing: the status it generated ----
    code(L::AwsElb, "400", Some(E::HttpRequestError), &[], Medium, ELB),
    code(L::AwsElb, "460", None, &[], High, ELB),
    code(L::AwsElb, "463", Some(E::HttpRequestError), &[], High, ELB),
    code(L::AwsElb, "464", Some(E::HttpRequestError), &[], High, ELB),
    code(L::AwsElb, "500", Some(E::ProxyInternalError), &[E::ProxyConfigurationError], Low, ELB),
    code(L::AwsElb, "502", Some(E::ConnectionRefused), &[E::ConnectionTerminated, E::HttpProtocolError, E::TlsProtocolError, E::HttpResponseHeaderSectionSize], Low, ELB),
    code(L::AwsElb, "503", Some(E::DestinationUnavailable), &[], High, ELB),
    code(L::AwsElb, "504", Some(E::HttpResponseTimeout), &[E::ConnectionTimeout], Medium, ELB),
    code(L::AwsElb, "561", Some(E::HttpRequestDenied), &[], Medium, ELB),
    // ---- Fastly: obj.response of its generated 503 ----
    code(L::Fastly, "backend read error", Some(E::HttpResponseTimeout), &[E::ConnectionReadTimeout, E::ConnectionTerminated], Medium, FASTLY),
    code(L::Fastly, "Backend is unhealthy", Some(E::DestinationUnavailable), &[], High, FASTLY),
    code(L::Fastly, "All backends failed or unhealthy", Some(E::DestinationUnavailable), &[], High, FASTLY),
    code(L::Fastly, "No healthy IP available for the backend", Some(E::DestinationUnavailable), &[], High, FASTLY),
    code(L::Fastly, "Quorum weight not reached", Some(E::DestinationUnavailable), &[], Medium, FASTLY),
    code(L::Fastly, "first byte timeout", Some(E::HttpResponseTimeout), &[], High, FASTLY),
    code(L::Fastly, "between bytes timeout", Some(E::ConnectionReadTimeout), &[], High, FASTLY),
    code(L::Fastly, "Connection refused", Some(E::ConnectionRefused), &[], High, FASTLY),
    code(L::Fastly, "Connection timed out", Some(E::ConnectionTimeout), &[], High, FASTLY),
    code(L::Fastly, "Operation now in progress", Some(E::ConnectionTimeout), &[E::ConnectionRefused], Low, FASTLY),
    code(L::Fastly, "Backend.max_conn reached", Some(E::ConnectionLimitReached), &[], High, FASTLY),
    code(L::Fastly, "Maximum threads for service reached", Some(E::ConnectionLimitReached), &[], Medium, FASTLY),
    code(L::Fastly, "certificate has expired", Some(E::TlsCertificateError), &[], High, FASTLY),
    code(L::Fastly, "Hostname doesn't match against certificate", Some(E::TlsCertificateError), &[], High, FASTLY),
    code(L::Fastly, "unable to get local issuer certificate", Some(E::TlsCertificateError), &[], High, FASTLY),
    code(L::Fastly, "SSL handshake error", Some(E::TlsProtocolError), &[], High, FASTLY),
    code(L::Fastly, "Response object too large", Some(E::HttpResponseBodySize), &[], High, FASTLY),
    // ---- Express: the Node.js error code its default error page shows ----
    code(L::Express, "ECONNREFUSED", Some(E::ConnectionRefused), &[], High, NODE_ERR),
    code(L::Express, "ECONNRESET", Some(E::ConnectionTerminated), &[], High, NODE_ERR),
    code(L::Express, "ENOTFOUND", Some(E::DnsError), &[], High, NODE_ERR),
    code(L::Express, "EAI_AGAIN", Some(E::DnsTimeout), &[E::DnsError], Medium, NODE_ERR),
    code(L::Express, "ETIMEDOUT", Some(E::ConnectionTimeout), &[E::HttpResponseTimeout], Medium, NODE_ERR),
    // ---- Fastify (@fastify/reply-from): the code of its JSON error, refined by the message ----
    with_detail(L::Fastify, "FST_REPLY_FROM_INTERNAL_SERVER_ERROR", "ECONNREFUSED", E::ConnectionRefused, High, REPLY_FROM),
    with_detail(L::Fastify, "FST_REPLY_FROM_INTERNAL_SERVER_ERROR", "Header overflow", E::HttpResponseHeaderSectionSize, High, REPLY_FROM),
    with_detail(L::Fastify, "FST_REPLY_FROM_INTERNAL_SERVER_ERROR", "Parse Error", E::HttpProtocolError, High, REPLY_FROM),
    code(L::Fastify, "FST_REPLY_FROM_INTERNAL_SERVER_ERROR", Some(E::ProxyInternalError), &[E::ConnectionRefused, E::HttpProtocolError], Low, REPLY_FROM),
    code(L::Fastify, "FST_REPLY_FROM_GATEWAY_TIMEOUT", Some(E::HttpResponseTimeout), &[E::ConnectionTimeout], Medium, REPLY_FROM),
    code(L::Fastify, "FST_REPLY_FROM_SERVICE_UNAVAILABLE", Some(E::DnsError), &[E::DestinationUnavailable, E::ConnectionRefused], Low, REPLY_FROM),
    code(L::Fastify, "ECONNRESET", Some(E::ConnectionTerminated), &[], High, REPLY_FROM),
    // ---- Akamai: the first number of a "Reference #" ----
    code(L::Akamai, "30", Some(E::TlsProtocolError), &[E::TlsCertificateError], Low, "https://cloud.ibm.com/docs/CDN?topic=CDN-troubleshoot-cdn-503-error"),
];
