//! The rows of the status registry. One line per row; sorted by code, then
//! sub-status. Builders below keep each row declarative: a constructor names
//! the code, reason, class, origin and source, and chained setters add what
//! differs from "not an error, not retryable".

use super::{Origin, Permanence, StatusClass, StatusInfo, Wire};
use crate::layer::Layer;
use crate::taxonomy::ErrorType;

use ErrorType as E;
use StatusClass::{
    ClientError as C4, Informational as C1, Redirection as C3, ServerError as C5, Success as C2,
};

const fn row(
    code: u16,
    sub: Option<u16>,
    reason: &'static str,
    class: StatusClass,
    origin: Origin,
    source: &'static str,
) -> StatusInfo {
    StatusInfo {
        code,
        sub,
        reason,
        aliases: &[],
        class,
        origin,
        permanence: Permanence::NotApplicable,
        retryable: false,
        retry_after: None,
        error_type: None,
        alternatives: &[],
        wire: Wire::Response,
        shared_texts: None,
        source,
    }
}

/// An IANA-registered code.
const fn iana(
    code: u16,
    reason: &'static str,
    class: StatusClass,
    source: &'static str,
) -> StatusInfo {
    row(code, None, reason, class, Origin::Iana, source)
}

/// A code defined by one vendor's product.
const fn vendor(
    code: u16,
    reason: &'static str,
    class: StatusClass,
    layer: Layer,
    source: &'static str,
) -> StatusInfo {
    row(code, None, reason, class, Origin::Vendor(layer), source)
}

/// An informal code used by several products.
const fn informal(
    code: u16,
    reason: &'static str,
    class: StatusClass,
    used_by: &'static str,
    source: &'static str,
) -> StatusInfo {
    row(code, None, reason, class, Origin::Informal(used_by), source)
}

/// A Microsoft IIS / ARR / ANCM sub-status of a 5xx code.
const fn iis(code: u16, sub: u16, reason: &'static str, source: &'static str) -> StatusInfo {
    row(
        code,
        Some(sub),
        reason,
        C5,
        Origin::Vendor(Layer::Iis),
        source,
    )
}

impl StatusInfo {
    const fn temp(mut self) -> Self {
        self.permanence = Permanence::Temporary;
        self
    }
    const fn perm(mut self) -> Self {
        self.permanence = Permanence::Permanent;
        self
    }
    const fn either(mut self) -> Self {
        self.permanence = Permanence::Unknown;
        self
    }
    const fn retry(mut self) -> Self {
        self.retryable = true;
        self
    }
    const fn after(mut self, seconds: u32) -> Self {
        self.retry_after = Some(seconds);
        self
    }
    const fn ty(mut self, t: ErrorType) -> Self {
        self.error_type = Some(t);
        self
    }
    const fn alts(mut self, alternatives: &'static [ErrorType]) -> Self {
        self.alternatives = alternatives;
        self
    }
    const fn aka(mut self, aliases: &'static [&'static str]) -> Self {
        self.aliases = aliases;
        self
    }
    const fn shared(mut self, id: &'static str) -> Self {
        self.shared_texts = Some(id);
        self
    }
    const fn wire(mut self, wire: Wire) -> Self {
        self.wire = wire;
        self
    }
}

const IIS_DOC: &str = "https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/health-diagnostic-performance/http-status-code";
const ANCM_DOC: &str =
    "https://learn.microsoft.com/en-us/aspnet/core/test/troubleshoot-azure-iis#app-startup-errors";
const ARR_502_DOC: &str = "https://learn.microsoft.com/en-us/iis/extensions/troubleshooting-application-request-routing/troubleshooting-502-errors-in-arr";
const NGINX_SSL_DOC: &str = "https://nginx.org/en/docs/http/ngx_http_ssl_module.html#errors";
const ALB_DOC: &str = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html#load-balancer-http-error-codes";

/// Every row, sorted by `(code, sub)`.
#[rustfmt::skip]
pub(super) static ROWS: &[StatusInfo] = &[
    // 1xx Informational
    iana(100, "Continue", C1, "RFC 9110 §15.2.1").shared("interim"),
    iana(101, "Switching Protocols", C1, "RFC 9110 §15.2.2").shared("interim"),
    iana(102, "Processing", C1, "RFC 2518 §10.1").shared("interim"),
    iana(103, "Early Hints", C1, "RFC 8297 §2").shared("interim"),
    iana(104, "Upload Resumption Supported", C1, "IANA HTTP Status Code Registry (temporary registration): draft-ietf-httpbis-resumable-upload").shared("interim"),
    // 2xx Success
    iana(200, "OK", C2, "RFC 9110 §15.3.1").shared("success"),
    iana(201, "Created", C2, "RFC 9110 §15.3.2").shared("success"),
    iana(202, "Accepted", C2, "RFC 9110 §15.3.3").shared("success"),
    iana(203, "Non-Authoritative Information", C2, "RFC 9110 §15.3.4").shared("success"),
    iana(204, "No Content", C2, "RFC 9110 §15.3.5").shared("success"),
    iana(205, "Reset Content", C2, "RFC 9110 §15.3.6").shared("success"),
    iana(206, "Partial Content", C2, "RFC 9110 §15.3.7").shared("success"),
    iana(207, "Multi-Status", C2, "RFC 4918 §11.1").shared("success"),
    iana(208, "Already Reported", C2, "RFC 5842 §7.1").shared("success"),
    iana(226, "IM Used", C2, "RFC 3229 §10.4.1").shared("success"),
    // 3xx Redirection
    iana(300, "Multiple Choices", C3, "RFC 9110 §15.4.1"),
    iana(301, "Moved Permanently", C3, "RFC 9110 §15.4.2").perm().shared("redirect"),
    iana(302, "Found", C3, "RFC 9110 §15.4.3").temp().aka(&["Moved Temporarily"]).shared("redirect"),
    iana(303, "See Other", C3, "RFC 9110 §15.4.4").shared("redirect"),
    iana(304, "Not Modified", C3, "RFC 9110 §15.4.5"),
    iana(305, "Use Proxy", C3, "RFC 9110 §15.4.6 (deprecated)"),
    iana(306, "(Unused)", C3, "RFC 9110 §15.4.7").aka(&["Switch Proxy"]),
    iana(307, "Temporary Redirect", C3, "RFC 9110 §15.4.8").temp().shared("redirect"),
    iana(308, "Permanent Redirect", C3, "RFC 9110 §15.4.9").perm().shared("redirect"),
    // 4xx Client Error
    iana(400, "Bad Request", C4, "RFC 9110 §15.5.1").perm().alts(&[E::HttpRequestError]),
    iana(401, "Unauthorized", C4, "RFC 9110 §15.5.2").perm(),
    iana(402, "Payment Required", C4, "RFC 9110 §15.5.3").perm(),
    iana(403, "Forbidden", C4, "RFC 9110 §15.5.4").perm().alts(&[E::HttpRequestDenied]),
    iana(404, "Not Found", C4, "RFC 9110 §15.5.5").either(),
    iana(405, "Method Not Allowed", C4, "RFC 9110 §15.5.6").perm(),
    iana(406, "Not Acceptable", C4, "RFC 9110 §15.5.7").perm(),
    iana(407, "Proxy Authentication Required", C4, "RFC 9110 §15.5.8").perm(),
    iana(408, "Request Timeout", C4, "RFC 9110 §15.5.9").temp().retry().aka(&["Request Time-out"]),
    iana(409, "Conflict", C4, "RFC 9110 §15.5.10").either(),
    iana(410, "Gone", C4, "RFC 9110 §15.5.11").perm(),
    iana(411, "Length Required", C4, "RFC 9110 §15.5.12").perm(),
    iana(412, "Precondition Failed", C4, "RFC 9110 §15.5.13").perm(),
    iana(413, "Content Too Large", C4, "RFC 9110 §15.5.14").perm().aka(&["Payload Too Large", "Request Entity Too Large"]),
    iana(414, "URI Too Long", C4, "RFC 9110 §15.5.15").perm().aka(&["Request-URI Too Long", "Request-URI Too Large"]),
    iana(415, "Unsupported Media Type", C4, "RFC 9110 §15.5.16").perm(),
    iana(416, "Range Not Satisfiable", C4, "RFC 9110 §15.5.17").perm().aka(&["Requested Range Not Satisfiable"]),
    iana(417, "Expectation Failed", C4, "RFC 9110 §15.5.18").perm(),
    iana(418, "(Unused)", C4, "RFC 9110 §15.5.19 (reserved; RFC 2324 \"I'm a teapot\")").perm().aka(&["I'm a Teapot", "I'm a teapot"]),
    iana(421, "Misdirected Request", C4, "RFC 9110 §15.5.20").temp().retry(),
    iana(422, "Unprocessable Content", C4, "RFC 9110 §15.5.21").perm().aka(&["Unprocessable Entity"]),
    iana(423, "Locked", C4, "RFC 4918 §11.3").temp().retry(),
    iana(424, "Failed Dependency", C4, "RFC 4918 §11.4").either(),
    iana(425, "Too Early", C4, "RFC 8470 §5.2").temp().retry(),
    iana(426, "Upgrade Required", C4, "RFC 9110 §15.5.22").perm(),
    iana(428, "Precondition Required", C4, "RFC 6585 §3").perm(),
    iana(429, "Too Many Requests", C4, "RFC 6585 §4").temp().retry().after(60),
    iana(431, "Request Header Fields Too Large", C4, "RFC 6585 §5").perm().alts(&[E::HttpRequestError]),
    vendor(444, "No Response", C4, Layer::Nginx, "https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#return").perm().alts(&[E::HttpRequestDenied, E::ConnectionTerminated]).wire(Wire::LogOnly),
    iana(451, "Unavailable For Legal Reasons", C4, "RFC 7725 §3").perm(),
    vendor(460, "Client Closed Connection", C4, Layer::AwsElb, ALB_DOC).either().retry().wire(Wire::LogOnly),
    vendor(463, "Too Many X-Forwarded-For Addresses", C4, Layer::AwsElb, ALB_DOC).perm().ty(E::HttpRequestError),
    vendor(464, "Incompatible Protocol Version", C4, Layer::AwsElb, ALB_DOC).perm().ty(E::HttpRequestError),
    vendor(494, "Request Header Too Large", C4, Layer::Nginx, "https://nginx.org/en/docs/http/ngx_http_core_module.html#large_client_header_buffers (nginx src/http/ngx_http_request.h: NGX_HTTP_REQUEST_HEADER_TOO_LARGE)").perm().ty(E::HttpRequestError).wire(Wire::SentAs(400)),
    vendor(495, "SSL Certificate Error", C4, Layer::Nginx, NGINX_SSL_DOC).perm().ty(E::HttpRequestError).wire(Wire::SentAs(400)),
    vendor(496, "SSL Certificate Required", C4, Layer::Nginx, NGINX_SSL_DOC).perm().ty(E::HttpRequestError).wire(Wire::SentAs(400)),
    vendor(497, "HTTP Request Sent to HTTPS Port", C4, Layer::Nginx, NGINX_SSL_DOC).perm().ty(E::HttpRequestError).wire(Wire::SentAs(400)),
    vendor(499, "Client Closed Request", C4, Layer::Nginx, "nginx src/http/ngx_http_request.h: NGX_HTTP_CLIENT_CLOSED_REQUEST; https://nginx.org/en/docs/http/ngx_http_log_module.html").either().retry().wire(Wire::LogOnly),
    // 5xx Server Error
    iana(500, "Internal Server Error", C5, "RFC 9110 §15.6.1").either().retry().alts(&[E::ProxyInternalError, E::ProxyConfigurationError]),
    iis(500, 0, "Module or ISAPI error occurred", IIS_DOC).either().aka(&["ANCM In-Process Handler Load Failure"]),
    iis(500, 11, "Application is shutting down on the web server", IIS_DOC).temp().retry().after(10).ty(E::DestinationUnavailable),
    iis(500, 12, "Application is busy restarting on the web server", IIS_DOC).temp().retry().after(10).ty(E::DestinationUnavailable),
    iis(500, 13, "Web server is too busy", IIS_DOC).temp().retry().after(10).ty(E::ConnectionLimitReached),
    iis(500, 19, "Configuration data is invalid", IIS_DOC).perm().ty(E::ProxyConfigurationError),
    iis(500, 30, "ANCM In-Process Start Failure", ANCM_DOC).perm().aka(&["In-Process Startup Failure"]).alts(&[E::DestinationUnavailable, E::ProxyConfigurationError]),
    iis(500, 31, "ANCM Failed to Find Native Dependencies", ANCM_DOC).perm().ty(E::ProxyConfigurationError),
    iis(500, 32, "ANCM Failed to Load dll", ANCM_DOC).perm().ty(E::ProxyConfigurationError),
    iis(500, 33, "ANCM Request Handler Load Failure", ANCM_DOC).perm().ty(E::ProxyConfigurationError),
    iis(500, 34, "ANCM Mixed Hosting Models Not Supported", ANCM_DOC).perm().ty(E::ProxyConfigurationError),
    iis(500, 35, "ANCM Multiple In-Process Applications in same Process", ANCM_DOC).perm().ty(E::ProxyConfigurationError),
    iis(500, 36, "ANCM Out-Of-Process Handler Load Failure", ANCM_DOC).perm().ty(E::ProxyConfigurationError),
    iis(500, 37, "ANCM Failed to Start Within Startup Time Limit", ANCM_DOC).temp().retry().after(30).alts(&[E::DestinationUnavailable, E::ConnectionTimeout]),
    iis(500, 38, "ANCM Application DLL Not Found", ANCM_DOC).perm().ty(E::ProxyConfigurationError),
    iana(501, "Not Implemented", C5, "RFC 9110 §15.6.2").perm(),
    iana(502, "Bad Gateway", C5, "RFC 9110 §15.6.3").temp().retry().alts(&[E::ConnectionRefused, E::ConnectionTerminated, E::HttpProtocolError, E::HttpResponseIncomplete, E::DnsError, E::TlsProtocolError]),
    iis(502, 1, "CGI application timeout", IIS_DOC).temp().retry().ty(E::HttpResponseTimeout),
    iis(502, 2, "Bad gateway: Premature Exit", IIS_DOC).temp().retry().aka(&["Map request failure"]).alts(&[E::ConnectionTerminated, E::HttpResponseIncomplete]),
    iis(502, 3, "Bad Gateway: Forwarder Connection Error", ARR_502_DOC).temp().retry().aka(&["WinHTTP asynchronous completion failure"]).alts(&[E::ConnectionRefused, E::ConnectionTimeout, E::ConnectionReadTimeout, E::DnsError]),
    iis(502, 4, "Bad Gateway: No Server", IIS_DOC).temp().retry().aka(&["No server"]).ty(E::DestinationUnavailable),
    iis(502, 5, "Process Failure", "https://learn.microsoft.com/en-us/aspnet/core/test/troubleshoot-azure-iis#5025-process-failure (ANCM); ARR 3.0 uses 502.5 for \"WebSocket failure\": https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/health-diagnostic-performance/http-status-code").either().aka(&["WebSocket failure"]).alts(&[E::DestinationUnavailable, E::ConnectionRefused, E::HttpUpgradeFailed]),
    iis(502, 6, "Forwarded request failure", IIS_DOC).temp().retry().alts(&[E::ConnectionTerminated, E::HttpResponseIncomplete]),
    iis(502, 7, "Execute request failure", IIS_DOC).either().alts(&[E::ProxyInternalError]),
    iana(503, "Service Unavailable", C5, "RFC 9110 §15.6.4").temp().retry().after(30).alts(&[E::DestinationUnavailable, E::ConnectionLimitReached, E::ProxyInternalResponse]),
    iis(503, 0, "Application pool unavailable", IIS_DOC).temp().retry().after(30).ty(E::DestinationUnavailable),
    iis(503, 2, "Concurrent request limit exceeded", IIS_DOC).temp().retry().after(5).ty(E::ConnectionLimitReached),
    iis(503, 3, "ASP.NET queue full", IIS_DOC).temp().retry().after(5).ty(E::ConnectionLimitReached),
    iis(503, 4, "FastCGI queue full", IIS_DOC).temp().retry().after(5).ty(E::ConnectionLimitReached),
    iana(504, "Gateway Timeout", C5, "RFC 9110 §15.6.5").temp().retry().aka(&["Gateway Time-out"]).alts(&[E::ConnectionTimeout, E::HttpResponseTimeout, E::ConnectionReadTimeout, E::DnsTimeout]),
    iana(505, "HTTP Version Not Supported", C5, "RFC 9110 §15.6.6").perm(),
    iana(506, "Variant Also Negotiates", C5, "RFC 2295 §8.1").perm(),
    iana(507, "Insufficient Storage", C5, "RFC 4918 §11.5").temp().retry(),
    iana(508, "Loop Detected", C5, "RFC 5842 §7.2").perm(),
    vendor(509, "Bandwidth Limit Exceeded", C5, Layer::Apache, "Apache mod_bwlimited (cPanel) and other hosting bandwidth limiters; not registered with IANA; listed by the npm package statuses").temp().retry(),
    iana(510, "Not Extended", C5, "RFC 2774 §7 (IANA registry: OBSOLETED, RFC 2774 moved to Historic)").perm(),
    iana(511, "Network Authentication Required", C5, "RFC 6585 §6").temp(),
    vendor(520, "Web Server Returned an Unknown Error", C5, Layer::Cloudflare, "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-520/").either().retry().aka(&["Web server is returning an unknown error", "Unknown Error"]).ty(E::HttpProtocolError).alts(&[E::ConnectionTerminated, E::HttpResponseIncomplete, E::HttpResponseHeaderSectionSize]),
    vendor(521, "Web Server Is Down", C5, Layer::Cloudflare, "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-521/").temp().retry().ty(E::ConnectionRefused),
    vendor(522, "Connection Timed Out", C5, Layer::Cloudflare, "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-522/ (Retry-After default: Cloudflare's problem+json for 522 carries retry_after 120)").temp().retry().after(120).ty(E::ConnectionTimeout).alts(&[E::ConnectionWriteTimeout]),
    vendor(523, "Origin Is Unreachable", C5, Layer::Cloudflare, "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-523/").temp().retry().ty(E::DestinationIpUnroutable),
    vendor(524, "A Timeout Occurred", C5, Layer::Cloudflare, "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-524/").temp().retry().ty(E::HttpResponseTimeout),
    vendor(525, "SSL Handshake Failed", C5, Layer::Cloudflare, "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-525/").perm().ty(E::TlsProtocolError).alts(&[E::TlsAlertReceived]),
    vendor(526, "Invalid SSL Certificate", C5, Layer::Cloudflare, "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-526/").perm().ty(E::TlsCertificateError),
    vendor(527, "Railgun Error", C5, Layer::Cloudflare, "https://developers.cloudflare.com/support/speed/optimization-delivery-railgun/railgun-faq/ (Railgun, a legacy feature; 527 \"Railgun Listener to origin error\" is no longer in Cloudflare's current 5xx documentation)").temp().retry().ty(E::ConnectionTerminated),
    informal(529, "Site is overloaded", C5, "Qualys SSL Labs; some APIs (e.g. Anthropic's overloaded_error)", "https://docs.anthropic.com/en/api/errors; not registered with IANA").temp().retry().after(60).aka(&["Overloaded"]).alts(&[E::ConnectionLimitReached, E::DestinationUnavailable]),
    vendor(530, "Origin DNS Error", C5, Layer::Cloudflare, "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-530/ (the body carries a 1xxx code, e.g. 1016, 1033)").temp().retry().ty(E::DnsError).alts(&[E::DestinationUnavailable, E::DestinationNotFound]),
    vendor(561, "Unauthorized", C5, Layer::AwsElb, ALB_DOC).perm(),
    informal(598, "Network Read Timeout Error", C5, "some HTTP proxies", "informal convention, not in any RFC nor the IANA registry").temp().retry().ty(E::ConnectionReadTimeout),
    informal(599, "Network Connect Timeout Error", C5, "Microsoft HTTP proxies and others", "seed article 000_fdb04d0b83c913ea.txt: \"used by Microsoft Corp. HTTP proxies to signal a network connect timeout behind the proxy\"; not in any RFC").temp().retry().ty(E::ConnectionTimeout),
];
