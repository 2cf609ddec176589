//! The pattern rows: what a recognised log line means.
//!
//! Each [`PatternRow`] applies to one or more [`LogFormat`]s, holds conditions
//! (field, regex) on the fields its envelope extracted, and says which RFC 9209
//! error type the line reports, how sure that is, which types it cannot rule
//! out, which catalog template explains it, and where the fact comes from.
//! Named captures of a condition become fields too (an address, an errno).
//! Rows are tried in order: the first whose conditions all hold wins.
//!
//! # Example
//! ```
//! use gatewise_core::logs::{patterns::PATTERNS, LogFormat};
//! let row = PATTERNS.iter().find(|r| r.id == "connect_refused").unwrap();
//! assert!(row.formats.contains(&LogFormat::NginxError));
//! assert_eq!(row.error_type.map(|t| t.name()), Some("connection_refused"));
//! ```

use crate::diagnosis::Confidence;
use crate::hop::{Hop, Segment};
use crate::taxonomy::ErrorType;

use super::formats::LogFormat;

/// What kind of line a row recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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

/// One pattern: conditions on a format's fields, and what a match means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PatternRow {
    /// Row id, unique within each of its formats (e.g. `connect_refused`).
    pub id: &'static str,
    /// The formats this row applies to.
    pub formats: &'static [LogFormat],
    /// Conditions: (field, regex); all must match. Named captures become fields.
    pub when: &'static [(&'static str, &'static str)],
    /// The failure the line reports, if it names one.
    pub error_type: Option<ErrorType>,
    /// The hop, when it differs from the error type's own hop.
    pub hop: Option<Hop>,
    /// The segment, when it differs from the hop's (e.g. the client's side).
    pub segment: Option<Segment>,
    /// The status to report when the line carries none (or to override a type's default).
    pub status: Option<u16>,
    /// What kind of line this is.
    pub kind: LineKind,
    /// How sure a match is.
    pub confidence: Confidence,
    /// Failure types the line cannot rule out.
    pub alternatives: &'static [ErrorType],
    /// The catalog key of the explanation template.
    pub key: &'static str,
    /// Where the meaning comes from (vendor doc, source file, or a captured fixture).
    pub source: &'static str,
}

impl PatternRow {
    const fn new(
        id: &'static str,
        formats: &'static [LogFormat],
        when: &'static [(&'static str, &'static str)],
        error_type: Option<ErrorType>,
        confidence: Confidence,
        key: &'static str,
        source: &'static str,
    ) -> Self {
        PatternRow {
            id,
            formats,
            when,
            error_type,
            hop: None,
            segment: None,
            status: None,
            kind: if error_type.is_some() {
                LineKind::Failure
            } else {
                LineKind::Status
            },
            confidence,
            alternatives: &[],
            key,
            source,
        }
    }
    const fn alts(mut self, alternatives: &'static [ErrorType]) -> Self {
        self.alternatives = alternatives;
        self
    }
    const fn hop(mut self, hop: Hop) -> Self {
        self.hop = Some(hop);
        self
    }
    const fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }
    const fn client_side(mut self, status: u16) -> Self {
        self.segment = Some(Segment::Client);
        self.status = Some(status);
        self.kind = LineKind::Failure;
        self
    }
    const fn notice(mut self) -> Self {
        self.kind = LineKind::Notice;
        self
    }
}

use Confidence::{High, Low, Medium};
use ErrorType as T;
use LogFormat as F;

const NGX: &[LogFormat] = &[F::NginxError];
const APACHE: &[LogFormat] = &[F::ApacheError];
const HAP: &[LogFormat] = &[F::HaproxyHttp];
const ENVOY: &[LogFormat] = &[F::EnvoyAccess];
const GO: &[LogFormat] = &[F::CaddyJson, F::TraefikLog];
const CADDY: &[LogFormat] = &[F::CaddyJson];
const TRAEFIK: &[LogFormat] = &[F::TraefikAccess];
const TRAEFIK_LOG: &[LogFormat] = &[F::TraefikLog];
const HEROKU: &[LogFormat] = &[F::HerokuRouter];
const IIS: &[LogFormat] = &[F::IisW3c];
const ANCM: &[LogFormat] = &[F::Ancm];
const FPM: &[LogFormat] = &[F::PhpFpm];
const GUNI: &[LogFormat] = &[F::Gunicorn];
const UWSGI: &[LogFormat] = &[F::Uwsgi];
const VARNISH: &[LogFormat] = &[F::Varnishlog];
const SQUID: &[LogFormat] = &[F::SquidAccess];
const SQUID_CACHE: &[LogFormat] = &[F::SquidCache];
const NGX_ACCESS: &[LogFormat] = &[F::NginxAccess, F::AccessCombined];
const ATS_SQUID: &[LogFormat] = &[F::TrafficserverSquid];
const ATS: &[LogFormat] = &[F::TrafficserverError];
const LIGHTTPD: &[LogFormat] = &[F::LighttpdError];
const H2O: &[LogFormat] = &[F::H2oError];
const NGHTTPX: &[LogFormat] = &[F::NghttpxError];
const TINYPROXY: &[LogFormat] = &[F::Tinyproxy];
const PRIVOXY: &[LogFormat] = &[F::Privoxy];
const MITM: &[LogFormat] = &[F::Mitmproxy];
const PROXY_PY: &[LogFormat] = &[F::ProxyPy];
const CODES: &[LogFormat] = &[F::HttpProxyMiddleware, F::CreateReactApp, F::Vite];
const FASTIFY: &[LogFormat] = &[F::FastifyJson];
const NODE: &[LogFormat] = &[F::NodeError];
/// Formats whose lines carry a response status that the status-only rows read.
const STATUS: &[LogFormat] = &[
    F::NginxAccess,
    F::AccessCombined,
    F::HaproxyHttp,
    F::EnvoyAccess,
    F::CaddyJson,
    F::TraefikAccess,
    F::IisW3c,
    F::SquidAccess,
    F::Uwsgi,
    F::TrafficserverSquid,
    F::SquidFormat,
    F::ProxyPy,
    F::HttpProxyMiddleware,
    F::FastifyJson,
];

const NGX_SRC: &str =
    "nginx src/http/ngx_http_upstream.c, src/event/ngx_event_connect.c; captured: nginx/1.22.1";
const NGX_UP: &str = "https://github.com/nginx/nginx/blob/master/src/http/ngx_http_upstream.c";
const APACHE_SRC: &str =
    "httpd modules/proxy/proxy_util.c, mod_proxy_http.c (APLOGNO); captured: Apache/2.4.62";
const HAP_SRC: &str = "https://docs.haproxy.org/2.8/configuration.html#8.5";
const ENVOY_SRC: &str = "https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#config-access-log-format-response-flags";
const GO_SRC: &str = "Go net and net/http error strings; captured: caddy 2.6 (Debian 12)";
const HEROKU_SRC: &str = "https://devcenter.heroku.com/articles/error-codes";
const IIS_SRC: &str = "https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/health-diagnostic-performance/http-status-code";
const ARR_SRC: &str = "https://learn.microsoft.com/en-us/iis/extensions/troubleshooting-application-request-routing/troubleshooting-502-errors-in-arr";
const ANCM_SRC: &str = "https://learn.microsoft.com/en-us/aspnet/core/test/troubleshoot-azure-iis";
const FPM_SRC: &str =
    "php-src sapi/fpm/fpm/fpm_process_ctl.c, fpm_children.c; captured: PHP 8.2 php-fpm (Debian 12)";
const GUNI_SRC: &str = "gunicorn/arbiter.py; captured: gunicorn 20.1.0 (Debian 12)";
const UWSGI_SRC: &str =
    "uwsgi core/master_checks.c, core/writer.c; captured: uWSGI 2.0.21 (Debian 12)";
const VARNISH_SRC: &str = "varnish-cache bin/varnishd/cache_fetch.c, http1/cache_http1_fetch.c; captured: varnish 7.1 (Debian 12)";
const SQUID_SRC: &str =
    "https://wiki.squid-cache.org/SquidFaq/SquidLogs; captured: squid 5.7 (Debian 12)";
const ATS_SRC: &str = "trafficserver proxy/http/HttpSM.cc, HttpTransact.cc (CONNECT: attempt fail, DNS Error), proxy/logging (squid format codes); captured: ATS 9.2 (Debian 12)";
const LIGHTTPD_SRC: &str =
    "lighttpd1.4 src/gw_backend.c, src/http-header-glue.c; captured: lighttpd/1.4.69 (Debian 12)";
const H2O_SRC: &str = "h2o lib/core/proxy.c (h2o_req_log_error \"lib/core/proxy.c\"); captured: h2o 2.2.5 (Debian 12)";
const NGHTTPX_SRC: &str = "nghttp2 src/shrpx_http_downstream_connection.cc, shrpx_connect_blocker.cc; captured: nghttpx 1.52.0 (Debian 12)";
const TINYPROXY_SRC: &str = "tinyproxy src/sock.c (opensock), src/reqs.c (process_server_headers); captured: tinyproxy 1.11.1 (Debian 12)";
const PRIVOXY_SRC: &str = "privoxy jcc.c (crunch reasons, LOG_LEVEL_ERROR messages), gateway.c; captured: Privoxy 3.0.34 (Debian 12)";
const MITM_SRC: &str =
    "mitmproxy/proxy/server.py, addons/dumper.py; captured: mitmproxy 11.0.2 (PyPI)";
const PROXY_PY_SRC: &str = "proxy.py proxy/http/server/web.py, proxy/http/proxy/server.py (connect_upstream, access_log); captured: proxy.py 2.4.10 (PyPI)";
const CODES_SRC: &str = "https://nodejs.org/api/errors.html#common-system-errors and the codes each prints: http-proxy-middleware src/plugins/default/logger-plugin.ts, react-dev-utils WebpackDevServerUtils.js, vite server/middlewares/proxy.ts; captured: http-proxy-middleware 4.2.1, vite 8.4.0";
const FASTIFY_SRC: &str = "@fastify/reply-from index.js, lib/errors.js; fastify lib/logger.js; captured: @fastify/http-proxy 11.6.3 (npm)";
const NODE_SRC: &str = "https://nodejs.org/api/errors.html#common-system-errors; captured: Node.js 20 errors under http-proxy, express-http-proxy";
const STATUS_SRC: &str = "RFC 9110 §15; the line records a status only";

/// Every pattern row, in the order they are tried.
pub const PATTERNS: &[PatternRow] = &[
    // ---------------------------------------------------------------- nginx error.log
    PatternRow::new("connect_refused", NGX, &[("message", r"^connect\(\) (?:to (?P<target>\S+) )?failed \((?P<errno>111): Connection refused\) while (?:connecting to upstream|reading response header from upstream)")], Some(T::ConnectionRefused), High, "log.nginx_error.connect_refused", NGX_SRC),
    PatternRow::new("connect_no_socket", NGX, &[("message", r"^connect\(\) to (?P<target>\S+) failed \((?P<errno>2): No such file or directory\) while connecting to upstream")], Some(T::ConnectionRefused), High, "log.nginx_error.connect_no_socket", NGX_SRC),
    PatternRow::new("connect_socket_busy", NGX, &[("message", r"^connect\(\) to (?P<target>\S+) failed \((?P<errno>11): Resource temporarily unavailable\) while connecting to upstream")], Some(T::ConnectionLimitReached), High, "log.nginx_error.connect_socket_busy", NGX_SRC),
    PatternRow::new("connect_permission", NGX, &[("message", r"^connect\(\) (?:to (?P<target>\S+) )?failed \((?P<errno>13): Permission denied\) while connecting to upstream")], Some(T::ProxyConfigurationError), Medium, "log.nginx_error.connect_permission", NGX_SRC).alts(&[T::DestinationIpProhibited]),
    PatternRow::new("connect_unreachable", NGX, &[("message", r"^connect\(\) (?:to (?P<target>\S+) )?failed \((?P<errno>113|101): (?:No route to host|Network is unreachable)\) while connecting to upstream")], Some(T::DestinationIpUnroutable), High, "log.nginx_error.connect_unreachable", NGX_SRC),
    PatternRow::new("connect_timeout", NGX, &[("message", r"^upstream timed out \((?P<errno>110): (?:Connection|Operation) timed out\) while connecting to upstream")], Some(T::ConnectionTimeout), High, "log.nginx_error.connect_timeout", NGX_SRC),
    PatternRow::new("header_timeout", NGX, &[("message", r"^upstream timed out \((?P<errno>110): [^)]*\) while reading response header from upstream")], Some(T::HttpResponseTimeout), High, "log.nginx_error.header_timeout", NGX_SRC),
    PatternRow::new("read_timeout", NGX, &[("message", r"^upstream timed out \((?P<errno>110): [^)]*\) while reading upstream")], Some(T::ConnectionReadTimeout), High, "log.nginx_error.read_timeout", NGX_SRC),
    PatternRow::new("send_timeout", NGX, &[("message", r"^upstream timed out \((?P<errno>110): [^)]*\) while sending request to upstream")], Some(T::ConnectionWriteTimeout), High, "log.nginx_error.send_timeout", NGX_SRC),
    PatternRow::new("closed_before_headers", NGX, &[("message", r"^upstream prematurely closed connection while reading response header from upstream")], Some(T::ConnectionTerminated), High, "log.nginx_error.closed_before_headers", NGX_SRC),
    PatternRow::new("closed_during_body", NGX, &[("message", r"^upstream prematurely closed connection while reading upstream")], Some(T::HttpResponseIncomplete), High, "log.nginx_error.closed_during_body", NGX_SRC),
    PatternRow::new("reset_before_headers", NGX, &[("message", r"^\w+\(\) failed \((?P<errno>104): Connection reset by peer\) while reading response header from upstream")], Some(T::ConnectionTerminated), High, "log.nginx_error.reset_before_headers", NGX_SRC),
    PatternRow::new("reset_during_body", NGX, &[("message", r"^\w+\(\) failed \((?P<errno>104): Connection reset by peer\) while reading upstream")], Some(T::HttpResponseIncomplete), High, "log.nginx_error.reset_during_body", NGX_SRC),
    PatternRow::new("send_failed", NGX, &[("message", r"^\w+\(\) failed \((?P<errno>32|104): (?P<errno_text>[^)]*)\) while sending request to upstream")], Some(T::ConnectionTerminated), High, "log.nginx_error.send_failed", NGX_SRC).hop(Hop::Request),
    PatternRow::new("invalid_header", NGX, &[("message", r"^upstream sent invalid header")], Some(T::HttpProtocolError), High, "log.nginx_error.invalid_header", NGX_UP),
    PatternRow::new("no_valid_header", NGX, &[("message", r"^upstream sent no valid HTTP/1\.0 header")], Some(T::HttpProtocolError), High, "log.nginx_error.no_valid_header", NGX_SRC),
    PatternRow::new("too_big_header", NGX, &[("message", r"^upstream sent too big header")], Some(T::HttpResponseHeaderSectionSize), High, "log.nginx_error.too_big_header", NGX_SRC),
    PatternRow::new("invalid_chunked", NGX, &[("message", r"^upstream sent invalid chunked response")], Some(T::HttpResponseTransferCoding), High, "log.nginx_error.invalid_chunked", NGX_UP),
    PatternRow::new("more_data", NGX, &[("message", r"^upstream sent more data than specified in")], Some(T::HttpProtocolError), High, "log.nginx_error.more_data", NGX_UP),
    PatternRow::new("no_live_upstreams", NGX, &[("message", r"^no live upstreams while connecting to upstream")], Some(T::DestinationUnavailable), High, "log.nginx_error.no_live_upstreams", NGX_UP),
    PatternRow::new("server_disabled", NGX, &[("message", r"^upstream server temporarily disabled while")], Some(T::DestinationUnavailable), Medium, "log.nginx_error.server_disabled", NGX_UP),
    PatternRow::new("resolve_timeout", NGX, &[("message", r"^(?P<target>\S+) could not be resolved \((?P<errno>110): (?P<errno_text>[^)]*)\)")], Some(T::DnsTimeout), High, "log.nginx_error.resolve_timeout", "nginx src/http/ngx_http_upstream.c (ngx_http_upstream_resolve_handler)"),
    PatternRow::new("resolve_failed", NGX, &[("message", r"^(?P<target>\S+) could not be resolved \((?P<errno>\d+): (?P<errno_text>[^)]*)\)")], Some(T::DnsError), High, "log.nginx_error.resolve_failed", "nginx src/http/ngx_http_upstream.c (ngx_http_upstream_resolve_handler); captured: nginx/1.22.1"),
    PatternRow::new("ssl_alert", NGX, &[("message", r"^SSL_do_handshake\(\) failed .*SSL alert number (?P<alert>\d+).* while SSL handshaking to upstream")], Some(T::TlsAlertReceived), High, "log.nginx_error.ssl_alert", NGX_UP),
    PatternRow::new("ssl_handshake", NGX, &[("message", r"^SSL_do_handshake\(\) failed (?P<ssl_error>.*) while SSL handshaking to upstream")], Some(T::TlsProtocolError), High, "log.nginx_error.ssl_handshake", NGX_UP),
    PatternRow::new("ssl_verify", NGX, &[("message", r"^upstream SSL certificate verify error: \((?P<verify_code>\d+):(?P<verify_text>[^)]*)\)")], Some(T::TlsCertificateError), High, "log.nginx_error.ssl_verify", NGX_UP),
    PatternRow::new("ssl_name_mismatch", NGX, &[("message", r#"^upstream SSL certificate does not match "(?P<target>[^"]*)""#)], Some(T::TlsCertificateError), High, "log.nginx_error.ssl_name_mismatch", NGX_UP),
    PatternRow::new("worker_connections", NGX, &[("message", r"^(?P<count>\d+) worker_connections are not enough")], Some(T::ConnectionLimitReached), High, "log.nginx_error.worker_connections", "nginx src/event/ngx_event_accept.c, src/core/ngx_connection.c").hop(Hop::Proxy),
    PatternRow::new("body_too_large", NGX, &[("message", r"^client intended to send too large body(?:: (?P<body_bytes>\d+) bytes)?")], Some(T::HttpRequestError), High, "log.nginx_error.body_too_large", "nginx src/http/ngx_http_core_module.c").status(413),
    PatternRow::new("limiting_requests", NGX, &[("message", r#"^limiting requests(?P<dry_run>, dry run)?, excess: (?P<excess>[\d.]+) by zone "(?P<zone>[^"]*)""#)], Some(T::HttpRequestDenied), High, "log.nginx_error.limiting_requests", "https://nginx.org/en/docs/http/ngx_http_limit_req_module.html").status(503),
    PatternRow::new("limiting_connections", NGX, &[("message", r#"^limiting connections(?P<dry_run>, dry run)?,? by zone "(?P<zone>[^"]*)""#)], Some(T::HttpRequestDenied), High, "log.nginx_error.limiting_connections", "https://nginx.org/en/docs/http/ngx_http_limit_conn_module.html").status(503),
    PatternRow::new("client_closed", NGX, &[("message", r"^client prematurely closed connection")], None, Medium, "log.nginx_error.client_closed", "nginx src/http/ngx_http_request.c").client_side(499),
    PatternRow::new("client_timed_out", NGX, &[("message", r"^client timed out")], None, Medium, "log.nginx_error.client_timed_out", "nginx src/http/ngx_http_request.c").client_side(408),
    // nginx access log with upstream variables: the upstream status says more than the status.
    PatternRow::new("upstream_status_none", &[F::NginxAccess], &[("status", r"^50[24]$"), ("upstream_status", r"^-$")], None, Low, "log.nginx_access.upstream_status_none", "https://nginx.org/en/docs/http/ngx_http_upstream_module.html#var_upstream_status").alts(&[T::DnsError, T::DestinationUnavailable]),
    PatternRow::new("upstream_status_50x", &[F::NginxAccess], &[("status", r"^50[24]$"), ("upstream_status", r"(?:^|[ ,:] ?)(?P<last_upstream_status>50[24])$")], None, Low, "log.nginx_access.upstream_status_50x", "https://nginx.org/en/docs/http/ngx_http_upstream_module.html#var_upstream_status").alts(&[T::ConnectionRefused, T::ConnectionTerminated, T::HttpResponseTimeout]),
    PatternRow::new("http09_passthrough", NGX_ACCESS, &[("status", r"^009$")], Some(T::HttpProtocolError), Low, "log.access.http09_passthrough", "captured: nginx/1.22.1 logs status 009 when the upstream's reply is not HTTP/1.x"),
    // ---------------------------------------------------------------- Apache httpd 2.4 error_log
    PatternRow::new("connect_refused", APACHE, &[("ah", "^AH00957$"), ("errno", "^111$"), ("message", r"attempt to connect to (?P<target>\S+) \((?P<target_name>[^)]*)\) failed")], Some(T::ConnectionRefused), High, "log.apache_error.connect_refused", APACHE_SRC),
    PatternRow::new("connect_timeout", APACHE, &[("ah", "^AH00957$"), ("errno", "^(?:110|70007)$"), ("message", r"attempt to connect to (?P<target>\S+) \((?P<target_name>[^)]*)\) failed")], Some(T::ConnectionTimeout), High, "log.apache_error.connect_timeout", APACHE_SRC),
    PatternRow::new("connect_unreachable", APACHE, &[("ah", "^AH00957$"), ("errno", "^(?:113|101)$"), ("message", r"attempt to connect to (?P<target>\S+) \((?P<target_name>[^)]*)\) failed")], Some(T::DestinationIpUnroutable), High, "log.apache_error.connect_unreachable", APACHE_SRC),
    PatternRow::new("connect_permission", APACHE, &[("ah", "^AH00957$"), ("errno", "^13$"), ("message", r"attempt to connect to (?P<target>\S+) \((?P<target_name>[^)]*)\) failed")], Some(T::ProxyConfigurationError), High, "log.apache_error.connect_permission", APACHE_SRC),
    PatternRow::new("connect_failed", APACHE, &[("ah", "^AH00957$"), ("message", r"attempt to connect to (?P<target>\S+) \((?P<target_name>[^)]*)\) failed")], Some(T::ConnectionRefused), Low, "log.apache_error.connect_failed", APACHE_SRC).alts(&[T::ConnectionTimeout, T::DestinationIpUnroutable]),
    PatternRow::new("backend_connect_failed", APACHE, &[("ah", "^AH01114$"), ("message", r"failed to make connection to backend: (?P<target>\S+)")], Some(T::ConnectionRefused), Low, "log.apache_error.backend_connect_failed", APACHE_SRC).alts(&[T::ConnectionTimeout, T::DestinationIpUnroutable, T::DestinationUnavailable]),
    PatternRow::new("worker_disabled", APACHE, &[("ah", "^AH00959$"), ("message", r"disabling worker for \((?P<target>[^)]*)\)(?: for (?P<retry_seconds>\d+)s)?")], Some(T::DestinationUnavailable), High, "log.apache_error.worker_disabled", APACHE_SRC),
    PatternRow::new("connection_disabled", APACHE, &[("ah", "^AH00940$"), ("message", r"disabled connection for \((?P<target>[^)]*)\)")], Some(T::DestinationUnavailable), High, "log.apache_error.connection_disabled", APACHE_SRC),
    PatternRow::new("acquire_failed", APACHE, &[("ah", "^AH00941$")], Some(T::ConnectionLimitReached), High, "log.apache_error.acquire_failed", APACHE_SRC),
    PatternRow::new("status_line_timeout", APACHE, &[("ah", "^AH01102$"), ("errno", "^70007$"), ("message", r"error reading status line from remote server (?P<target>\S+)")], Some(T::HttpResponseTimeout), High, "log.apache_error.status_line_timeout", APACHE_SRC),
    PatternRow::new("status_line_reset", APACHE, &[("ah", "^AH01102$"), ("errno", "^(?:104|70014)$"), ("message", r"error reading status line from remote server (?P<target>\S+)")], Some(T::ConnectionTerminated), High, "log.apache_error.status_line_reset", APACHE_SRC),
    PatternRow::new("status_line_failed", APACHE, &[("ah", "^AH01102$"), ("message", r"error reading status line from remote server (?P<target>\S+)")], Some(T::ConnectionTerminated), Medium, "log.apache_error.status_line_failed", APACHE_SRC).alts(&[T::HttpProtocolError]),
    PatternRow::new("dns_failure", APACHE, &[("ah", "^AH00898$"), ("message", r"^DNS lookup failure for: (?P<target>\S+) returned by (?P<path>\S+)")], Some(T::DnsError), High, "log.apache_error.dns_failure", APACHE_SRC),
    PatternRow::new("corrupt_status_line", APACHE, &[("ah", "^AH00898$"), ("message", r"^Corrupt status line returned by remote server")], Some(T::HttpProtocolError), High, "log.apache_error.corrupt_status_line", APACHE_SRC),
    PatternRow::new("continue_timeout", APACHE, &[("ah", "^AH00898$"), ("message", r"^Timeout on 100-Continue returned by (?P<path>\S+)")], Some(T::HttpResponseTimeout), High, "log.apache_error.continue_timeout", APACHE_SRC),
    PatternRow::new("error_reading_remote", APACHE, &[("ah", "^AH00898$"), ("message", r"^Error reading from remote server returned by (?P<path>\S+)")], Some(T::ConnectionTerminated), Low, "log.apache_error.error_reading_remote", APACHE_SRC).alts(&[T::HttpResponseTimeout, T::HttpProtocolError]),
    PatternRow::new("response_incomplete", APACHE, &[("ah", "^AH01110$"), ("message", r"(?i)error reading response")], Some(T::HttpResponseIncomplete), High, "log.apache_error.response_incomplete", APACHE_SRC),
    PatternRow::new("request_body_timeout", APACHE, &[("ah", "^AH0(?:1097|1084|1095)$"), ("errno", "^70007$")], Some(T::ConnectionWriteTimeout), High, "log.apache_error.request_body_timeout", APACHE_SRC),
    PatternRow::new("request_body_failed", APACHE, &[("ah", "^AH0(?:1097|1084|1095)$")], Some(T::ConnectionTerminated), Medium, "log.apache_error.request_body_failed", APACHE_SRC).hop(Hop::Request),
    PatternRow::new("header_too_large", APACHE, &[("ah", "^AH10124$"), ("message", r"ResponseFieldSize \((?P<limit>\d+) bytes\)")], Some(T::HttpResponseHeaderSize), High, "log.apache_error.header_too_large", APACHE_SRC),
    PatternRow::new("bad_header", APACHE, &[("ah", "^AH01106$"), ("message", r"^bad HTTP/[\d.]+ header returned by (?P<path>\S+)")], Some(T::HttpProtocolError), Medium, "log.apache_error.bad_header", APACHE_SRC).alts(&[T::HttpResponseHeaderSize]),
    PatternRow::new("no_protocol_handler", APACHE, &[("ah", "^AH01144$")], Some(T::ProxyConfigurationError), High, "log.apache_error.no_protocol_handler", APACHE_SRC),
    PatternRow::new("ssl_proxy_connect", APACHE, &[("ah", "^AH02003$")], Some(T::TlsProtocolError), High, "log.apache_error.ssl_proxy_connect", "httpd modules/ssl/ssl_engine_io.c (APLOGNO 02003)"),
    PatternRow::new("ssl_verify", APACHE, &[("ah", "^AH02039$"), ("message", r"Certificate Verification: Error \((?P<verify_code>\d+)\): (?P<verify_text>.*)$")], Some(T::TlsCertificateError), High, "log.apache_error.ssl_verify", "httpd modules/ssl/ssl_engine_kernel.c (APLOGNO 02039)"),
    PatternRow::new("redirect_loop", APACHE, &[("ah", "^AH00124$")], Some(T::ProxyLoopDetected), High, "log.apache_error.redirect_loop", "httpd modules/http/http_request.c (APLOGNO 00124)").status(500),
    // ---------------------------------------------------------------- HAProxy (termination state, §8.5)
    PatternRow::new("no_server", HAP, &[("server", "^<NOSRV>$"), ("termination_state", "^[Ss][CQ]")], Some(T::DestinationUnavailable), High, "log.haproxy_http.no_server", HAP_SRC),
    PatternRow::new("server_refused", HAP, &[("termination_state", "^SC")], Some(T::ConnectionRefused), High, "log.haproxy_http.server_refused", HAP_SRC).alts(&[T::DestinationIpUnroutable]),
    PatternRow::new("connect_timeout", HAP, &[("termination_state", "^sC")], Some(T::ConnectionTimeout), High, "log.haproxy_http.connect_timeout", HAP_SRC),
    PatternRow::new("server_aborted_headers", HAP, &[("termination_state", "^SH")], Some(T::ConnectionTerminated), High, "log.haproxy_http.server_aborted_headers", HAP_SRC),
    PatternRow::new("header_timeout", HAP, &[("termination_state", "^sH")], Some(T::HttpResponseTimeout), High, "log.haproxy_http.header_timeout", HAP_SRC),
    PatternRow::new("server_aborted_data", HAP, &[("termination_state", "^SD")], Some(T::HttpResponseIncomplete), High, "log.haproxy_http.server_aborted_data", HAP_SRC),
    PatternRow::new("data_timeout", HAP, &[("termination_state", "^sD")], Some(T::ConnectionReadTimeout), High, "log.haproxy_http.data_timeout", HAP_SRC),
    PatternRow::new("queue_timeout", HAP, &[("termination_state", "^sQ")], Some(T::ConnectionLimitReached), High, "log.haproxy_http.queue_timeout", HAP_SRC),
    PatternRow::new("blocked_response", HAP, &[("termination_state", "^PH")], Some(T::HttpProtocolError), High, "log.haproxy_http.blocked_response", HAP_SRC).alts(&[T::HttpResponseHeaderSectionSize]),
    PatternRow::new("bad_chunked", HAP, &[("termination_state", "^PD")], Some(T::HttpResponseTransferCoding), Medium, "log.haproxy_http.bad_chunked", HAP_SRC),
    PatternRow::new("bad_request", HAP, &[("termination_state", "^PR"), ("status", "^400$")], Some(T::HttpRequestError), High, "log.haproxy_http.bad_request", HAP_SRC),
    PatternRow::new("denied_request", HAP, &[("termination_state", "^P[RT]")], Some(T::HttpRequestDenied), High, "log.haproxy_http.denied_request", HAP_SRC),
    PatternRow::new("proxy_socket_limit", HAP, &[("termination_state", "^PC")], Some(T::ConnectionLimitReached), High, "log.haproxy_http.proxy_socket_limit", HAP_SRC).hop(Hop::Proxy),
    PatternRow::new("resource_exhausted", HAP, &[("termination_state", "^[RI]")], Some(T::ProxyInternalError), High, "log.haproxy_http.resource_exhausted", HAP_SRC),
    PatternRow::new("server_down_killed", HAP, &[("termination_state", "^D")], Some(T::DestinationUnavailable), High, "log.haproxy_http.server_down_killed", HAP_SRC),
    PatternRow::new("killed", HAP, &[("termination_state", "^[KU]")], Some(T::ProxyInternalResponse), Medium, "log.haproxy_http.killed", HAP_SRC),
    PatternRow::new("local", HAP, &[("termination_state", "^L")], None, Medium, "log.haproxy_http.local", HAP_SRC),
    PatternRow::new("client_aborted", HAP, &[("termination_state", "^C")], None, High, "log.haproxy_http.client_aborted", HAP_SRC).client_side(499),
    PatternRow::new("client_timeout", HAP, &[("termination_state", "^c")], None, High, "log.haproxy_http.client_timeout", HAP_SRC).client_side(408),
    // ---------------------------------------------------------------- Envoy response flags (most specific first)
    PatternRow::new("no_healthy_upstream", ENVOY, &[("response_flags", "(?:^|,)UH(?:,|$)")], Some(T::DestinationUnavailable), High, "log.envoy_access.no_healthy_upstream", ENVOY_SRC),
    PatternRow::new("dns_failure", ENVOY, &[("response_flags", "(?:^|,)DF(?:,|$)")], Some(T::DnsError), High, "log.envoy_access.dns_failure", ENVOY_SRC),
    PatternRow::new("connect_refused", ENVOY, &[("response_flags", "(?:^|,)UF(?:,|$)"), ("transport_failure", r"(?i)refused|\b111\b")], Some(T::ConnectionRefused), High, "log.envoy_access.connect_refused", ENVOY_SRC),
    PatternRow::new("connect_timeout", ENVOY, &[("response_flags", "(?:^|,)UF(?:,|$)"), ("transport_failure", r"(?i)timeout|timed out|\b110\b")], Some(T::ConnectionTimeout), High, "log.envoy_access.connect_timeout", ENVOY_SRC),
    PatternRow::new("connect_tls", ENVOY, &[("response_flags", "(?:^|,)UF(?:,|$)"), ("transport_failure", r"(?i)tls|ssl|certificate")], Some(T::TlsProtocolError), High, "log.envoy_access.connect_tls", ENVOY_SRC).alts(&[T::TlsCertificateError]),
    PatternRow::new("connect_failed", ENVOY, &[("response_flags", "(?:^|,)UF(?:,|$)")], Some(T::ConnectionRefused), Medium, "log.envoy_access.connect_failed", ENVOY_SRC).alts(&[T::ConnectionTimeout, T::TlsProtocolError]),
    PatternRow::new("overflow", ENVOY, &[("response_flags", "(?:^|,)UO(?:,|$)")], Some(T::ConnectionLimitReached), High, "log.envoy_access.overflow", ENVOY_SRC),
    PatternRow::new("no_route", ENVOY, &[("response_flags", "(?:^|,)(?:NR|NC)(?:,|$)")], Some(T::DestinationNotFound), High, "log.envoy_access.no_route", ENVOY_SRC).status(404),
    PatternRow::new("upstream_timeout", ENVOY, &[("response_flags", "(?:^|,)(?:UT|UMSDR|DT)(?:,|$)")], Some(T::HttpResponseTimeout), High, "log.envoy_access.upstream_timeout", ENVOY_SRC),
    PatternRow::new("stream_idle_timeout", ENVOY, &[("response_flags", "(?:^|,)SI(?:,|$)")], Some(T::ConnectionReadTimeout), High, "log.envoy_access.stream_idle_timeout", ENVOY_SRC),
    PatternRow::new("upstream_terminated", ENVOY, &[("response_flags", "(?:^|,)(?:UC|UR)(?:,|$)")], Some(T::ConnectionTerminated), High, "log.envoy_access.upstream_terminated", ENVOY_SRC).alts(&[T::HttpResponseIncomplete]),
    PatternRow::new("upstream_protocol_error", ENVOY, &[("response_flags", "(?:^|,)UPE(?:,|$)")], Some(T::HttpProtocolError), High, "log.envoy_access.upstream_protocol_error", ENVOY_SRC),
    PatternRow::new("local_health_check", ENVOY, &[("response_flags", "(?:^|,)LH(?:,|$)")], Some(T::DestinationUnavailable), High, "log.envoy_access.local_health_check", ENVOY_SRC),
    PatternRow::new("local_reset", ENVOY, &[("response_flags", "(?:^|,)LR(?:,|$)")], Some(T::ProxyInternalError), Medium, "log.envoy_access.local_reset", ENVOY_SRC),
    PatternRow::new("overload", ENVOY, &[("response_flags", "(?:^|,)(?:OM|DO)(?:,|$)")], Some(T::ProxyInternalError), High, "log.envoy_access.overload", ENVOY_SRC).alts(&[T::ConnectionLimitReached]),
    PatternRow::new("rate_limited", ENVOY, &[("response_flags", "(?:^|,)RL(?:,|$)")], Some(T::HttpRequestDenied), High, "log.envoy_access.rate_limited", ENVOY_SRC).status(429),
    PatternRow::new("unauthorized", ENVOY, &[("response_flags", "(?:^|,)UAEX(?:,|$)")], Some(T::HttpRequestDenied), High, "log.envoy_access.unauthorized", ENVOY_SRC),
    PatternRow::new("rate_limit_service_error", ENVOY, &[("response_flags", "(?:^|,)RLSE(?:,|$)")], Some(T::ProxyInternalError), High, "log.envoy_access.rate_limit_service_error", ENVOY_SRC),
    PatternRow::new("no_filter_config", ENVOY, &[("response_flags", "(?:^|,)NFCF(?:,|$)")], Some(T::ProxyConfigurationError), High, "log.envoy_access.no_filter_config", ENVOY_SRC),
    PatternRow::new("bad_request", ENVOY, &[("response_flags", "(?:^|,)(?:DPE|IH)(?:,|$)")], Some(T::HttpRequestError), High, "log.envoy_access.bad_request", ENVOY_SRC),
    PatternRow::new("fault_injected", ENVOY, &[("response_flags", "(?:^|,)FI(?:,|$)")], Some(T::ProxyInternalResponse), High, "log.envoy_access.fault_injected", ENVOY_SRC),
    PatternRow::new("retry_limit", ENVOY, &[("response_flags", "(?:^|,)URX(?:,|$)")], None, Medium, "log.envoy_access.retry_limit", ENVOY_SRC).alts(&[T::ConnectionTerminated, T::DestinationUnavailable]),
    PatternRow::new("downstream_terminated", ENVOY, &[("response_flags", "(?:^|,)(?:DC|DR)(?:,|$)")], None, High, "log.envoy_access.downstream_terminated", ENVOY_SRC).client_side(499),
    // ---------------------------------------------------------------- Go net/http errors (Caddy, Traefik)
    PatternRow::new("dns_timeout", GO, &[("detail", r"lookup (?P<target>[^\s:]+)(?: on (?P<resolver>\S+?))?: (?:.*: )?i/o timeout")], Some(T::DnsTimeout), High, "log.go.dns_timeout", GO_SRC),
    PatternRow::new("dns_error", GO, &[("detail", r"lookup (?P<target>[^\s:]+)(?: on (?P<resolver>\S+?))?: (?P<dns_error>.+?)(?:$|\x22)")], Some(T::DnsError), High, "log.go.dns_error", GO_SRC),
    PatternRow::new("connect_refused", GO, &[("detail", r"dial tcp (?P<target>\S+): connect: connection refused")], Some(T::ConnectionRefused), High, "log.go.connect_refused", GO_SRC),
    PatternRow::new("connect_unreachable", GO, &[("detail", r"dial tcp (?P<target>\S+): connect: (?:no route to host|network is unreachable)")], Some(T::DestinationIpUnroutable), High, "log.go.connect_unreachable", GO_SRC),
    PatternRow::new("connect_timeout", GO, &[("detail", r"dial tcp (?P<target>\S+): (?:i/o timeout|connect: connection timed out)")], Some(T::ConnectionTimeout), High, "log.go.connect_timeout", GO_SRC),
    PatternRow::new("header_timeout", GO, &[("detail", r"timeout awaiting response headers")], Some(T::HttpResponseTimeout), High, "log.go.header_timeout", GO_SRC),
    PatternRow::new("tls_certificate", GO, &[("detail", r"x509: (?P<tls_error>[^\x22]+)")], Some(T::TlsCertificateError), High, "log.go.tls_certificate", GO_SRC),
    PatternRow::new("tls_alert", GO, &[("detail", r"remote error: tls: (?P<alert>[\w ]+)")], Some(T::TlsAlertReceived), High, "log.go.tls_alert", GO_SRC),
    PatternRow::new("tls_protocol", GO, &[("detail", r"server gave HTTP response to HTTPS client|first record does not look like a TLS handshake|tls: handshake failure")], Some(T::TlsProtocolError), High, "log.go.tls_protocol", GO_SRC),
    PatternRow::new("malformed_response", GO, &[("detail", r"malformed HTTP (?:response|status code|version)")], Some(T::HttpProtocolError), High, "log.go.malformed_response", GO_SRC),
    PatternRow::new("incomplete_response", CADDY, &[("msg", r"^(?:aborting with incomplete response|reading from backend)$")], Some(T::HttpResponseIncomplete), High, "log.caddy_json.incomplete_response", "caddy modules/caddyhttp/reverseproxy/streaming.go; captured: caddy 2.6"),
    PatternRow::new("no_upstreams", CADDY, &[("detail", r"^no upstreams available$")], Some(T::DestinationUnavailable), High, "log.caddy_json.no_upstreams", "caddy modules/caddyhttp/reverseproxy/reverseproxy.go; captured: caddy 2.6"),
    PatternRow::new("connection_reset", GO, &[("detail", r"(?:read|write) tcp (?P<local>\S+)->(?P<target>\S+): (?:read|write): connection reset by peer|connection reset by peer")], Some(T::ConnectionTerminated), High, "log.go.connection_reset", GO_SRC),
    PatternRow::new("broken_pipe", GO, &[("detail", r"write: broken pipe")], Some(T::ConnectionTerminated), High, "log.go.broken_pipe", GO_SRC).hop(Hop::Request),
    PatternRow::new("eof", GO, &[("detail", r"(?:^|: )(?:unexpected )?EOF$")], Some(T::ConnectionTerminated), Medium, "log.go.eof", GO_SRC).alts(&[T::HttpResponseIncomplete]),
    PatternRow::new("traefik_timeout", TRAEFIK_LOG, &[("detail", r"'504 Gateway Timeout' caused by: i/o timeout")], Some(T::HttpResponseTimeout), Medium, "log.traefik_log.timeout", "https://github.com/traefik/traefik/blob/master/pkg/proxy/httputil/proxy.go").alts(&[T::ConnectionTimeout]),
    PatternRow::new("client_canceled", GO, &[("detail", r"context canceled")], None, Medium, "log.go.client_canceled", GO_SRC).client_side(499),
    // ---------------------------------------------------------------- Traefik access log
    PatternRow::new("no_origin_response_504", TRAEFIK, &[("status", "^504$"), ("origin_status", "^0$")], Some(T::HttpResponseTimeout), Low, "log.traefik_access.no_origin_response", "https://doc.traefik.io/traefik/observability/access-logs/#limiting-the-fieldsincluding-headers").alts(&[T::ConnectionTimeout]),
    PatternRow::new("no_origin_response_503", TRAEFIK, &[("status", "^503$"), ("origin_status", "^0$")], Some(T::DestinationUnavailable), Low, "log.traefik_access.no_origin_response", "https://doc.traefik.io/traefik/observability/access-logs/#limiting-the-fieldsincluding-headers"),
    PatternRow::new("no_origin_response_502", TRAEFIK, &[("status", "^502$"), ("origin_status", "^0$")], Some(T::ConnectionRefused), Low, "log.traefik_access.no_origin_response", "https://doc.traefik.io/traefik/observability/access-logs/#limiting-the-fieldsincluding-headers").alts(&[T::ConnectionTerminated, T::DnsError, T::HttpProtocolError]),
    // ---------------------------------------------------------------- Heroku router H-codes
    PatternRow::new("h10", HEROKU, &[("code", "^H10$")], Some(T::DestinationUnavailable), High, "log.heroku_router.h10", HEROKU_SRC),
    PatternRow::new("h11", HEROKU, &[("code", "^H11$")], Some(T::ConnectionLimitReached), High, "log.heroku_router.h11", HEROKU_SRC),
    PatternRow::new("h12", HEROKU, &[("code", "^H12$")], Some(T::HttpResponseTimeout), High, "log.heroku_router.h12", HEROKU_SRC),
    PatternRow::new("h13", HEROKU, &[("code", "^H13$")], Some(T::ConnectionTerminated), High, "log.heroku_router.h13", HEROKU_SRC),
    PatternRow::new("h14", HEROKU, &[("code", "^H14$")], Some(T::DestinationUnavailable), High, "log.heroku_router.h14", HEROKU_SRC),
    PatternRow::new("h15", HEROKU, &[("code", "^H15$")], Some(T::ConnectionReadTimeout), High, "log.heroku_router.h15", HEROKU_SRC),
    PatternRow::new("h17", HEROKU, &[("code", "^H17$")], Some(T::HttpProtocolError), High, "log.heroku_router.h17", HEROKU_SRC),
    PatternRow::new("h18", HEROKU, &[("code", "^H18$")], Some(T::ConnectionTerminated), High, "log.heroku_router.h18", HEROKU_SRC).alts(&[T::HttpResponseIncomplete]),
    PatternRow::new("h19", HEROKU, &[("code", "^H19$")], Some(T::ConnectionTimeout), High, "log.heroku_router.h19", HEROKU_SRC),
    PatternRow::new("h20", HEROKU, &[("code", "^H20$")], Some(T::DestinationUnavailable), High, "log.heroku_router.h20", HEROKU_SRC),
    PatternRow::new("h21", HEROKU, &[("code", "^H21$")], Some(T::ConnectionRefused), High, "log.heroku_router.h21", HEROKU_SRC),
    PatternRow::new("h22", HEROKU, &[("code", "^H22$")], Some(T::ConnectionLimitReached), High, "log.heroku_router.h22", HEROKU_SRC),
    PatternRow::new("h23", HEROKU, &[("code", "^H23$")], Some(T::ProxyConfigurationError), High, "log.heroku_router.h23", HEROKU_SRC),
    PatternRow::new("h24", HEROKU, &[("code", "^H24$")], Some(T::ConnectionTerminated), High, "log.heroku_router.h24", HEROKU_SRC),
    PatternRow::new("h25", HEROKU, &[("code", "^H25$")], Some(T::HttpRequestDenied), High, "log.heroku_router.h25", HEROKU_SRC),
    PatternRow::new("h26", HEROKU, &[("code", "^H26$")], Some(T::HttpRequestError), High, "log.heroku_router.h26", HEROKU_SRC),
    PatternRow::new("h27", HEROKU, &[("code", "^H27$")], None, High, "log.heroku_router.h27", HEROKU_SRC).client_side(499),
    PatternRow::new("h28", HEROKU, &[("code", "^H28$")], None, High, "log.heroku_router.h28", HEROKU_SRC).client_side(408),
    PatternRow::new("h31", HEROKU, &[("code", "^H31$")], Some(T::HttpRequestError), High, "log.heroku_router.h31", HEROKU_SRC).status(421),
    PatternRow::new("h32", HEROKU, &[("code", "^H32$")], Some(T::TlsCertificateError), High, "log.heroku_router.h32", HEROKU_SRC).hop(Hop::Tls),
    PatternRow::new("h80", HEROKU, &[("code", "^H80$")], Some(T::ProxyInternalResponse), High, "log.heroku_router.h80", HEROKU_SRC).status(503),
    PatternRow::new("h81", HEROKU, &[("code", "^H81$")], Some(T::DestinationNotFound), High, "log.heroku_router.h81", HEROKU_SRC).status(503),
    PatternRow::new("h82", HEROKU, &[("code", "^H82$")], Some(T::DestinationUnavailable), High, "log.heroku_router.h82", HEROKU_SRC),
    PatternRow::new("h83", HEROKU, &[("code", "^H83$")], Some(T::ProxyInternalResponse), High, "log.heroku_router.h83", HEROKU_SRC).status(503),
    PatternRow::new("h99", HEROKU, &[("code", "^H99$")], Some(T::ProxyInternalError), High, "log.heroku_router.h99", HEROKU_SRC).status(503),
    // ---------------------------------------------------------------- IIS (status.substatus win32) and ANCM
    PatternRow::new("arr_timeout", IIS, &[("status", "^502$"), ("sub_status", "^3$"), ("win32_status", "^12002$")], Some(T::HttpResponseTimeout), High, "log.iis_w3c.arr_timeout", ARR_SRC).alts(&[T::ConnectionTimeout]),
    PatternRow::new("arr_cannot_connect", IIS, &[("status", "^502$"), ("sub_status", "^3$"), ("win32_status", "^12029$")], Some(T::ConnectionRefused), High, "log.iis_w3c.arr_cannot_connect", ARR_SRC).alts(&[T::ConnectionTimeout]),
    PatternRow::new("arr_name_not_resolved", IIS, &[("status", "^502$"), ("sub_status", "^3$"), ("win32_status", "^12007$")], Some(T::DnsError), High, "log.iis_w3c.arr_name_not_resolved", ARR_SRC),
    PatternRow::new("arr_connection_reset", IIS, &[("status", "^502$"), ("sub_status", "^3$"), ("win32_status", "^1203[01]$")], Some(T::ConnectionTerminated), High, "log.iis_w3c.arr_connection_reset", ARR_SRC),
    PatternRow::new("arr_invalid_response", IIS, &[("status", "^502$"), ("sub_status", "^3$"), ("win32_status", "^12152$")], Some(T::HttpProtocolError), High, "log.iis_w3c.arr_invalid_response", ARR_SRC),
    PatternRow::new("arr_secure_failure", IIS, &[("status", "^502$"), ("sub_status", "^3$"), ("win32_status", "^12175$")], Some(T::TlsCertificateError), High, "log.iis_w3c.arr_secure_failure", ARR_SRC).alts(&[T::TlsProtocolError]),
    PatternRow::new("arr_forwarder_error", IIS, &[("status", "^502$"), ("sub_status", "^3$")], Some(T::ConnectionTerminated), Low, "log.iis_w3c.arr_forwarder_error", ARR_SRC).alts(&[T::ConnectionRefused, T::HttpResponseTimeout]),
    PatternRow::new("arr_no_server", IIS, &[("status", "^502$"), ("sub_status", "^4$")], Some(T::DestinationUnavailable), High, "log.iis_w3c.arr_no_server", IIS_SRC),
    PatternRow::new("ancm_process_failure", IIS, &[("status", "^502$"), ("sub_status", "^5$")], Some(T::DestinationUnavailable), High, "log.iis_w3c.ancm_process_failure", ANCM_SRC),
    PatternRow::new("ancm_start_failure", IIS, &[("status", "^500$"), ("sub_status", "^3[0237]$")], Some(T::DestinationUnavailable), High, "log.iis_w3c.ancm_start_failure", ANCM_SRC),
    PatternRow::new("ancm_config_failure", IIS, &[("status", "^500$"), ("sub_status", "^3[1-68]$")], Some(T::ProxyConfigurationError), High, "log.iis_w3c.ancm_config_failure", ANCM_SRC),
    PatternRow::new("app_pool_unavailable", IIS, &[("status", "^503$"), ("sub_status", "^0$"), ("win32_status", "^0$")], Some(T::DestinationUnavailable), Low, "log.iis_w3c.app_pool_unavailable", IIS_SRC).alts(&[T::ConnectionLimitReached]),
    PatternRow::new("concurrent_limit", IIS, &[("status", "^503$"), ("sub_status", "^2$")], Some(T::ConnectionLimitReached), High, "log.iis_w3c.concurrent_limit", IIS_SRC),
    PatternRow::new("process_start_failed", ANCM, &[("message", r"^failed to start process with commandline '(?P<command>[^']*)'(?:, ErrorCode = '(?P<error_code>0x[0-9A-Fa-f]+)')?")], Some(T::DestinationUnavailable), High, "log.ancm.process_start_failed", ANCM_SRC).status(502),
    PatternRow::new("coreclr_load_failed", ANCM, &[("message", r"^failed to load coreclr")], Some(T::DestinationUnavailable), High, "log.ancm.coreclr_load_failed", ANCM_SRC).status(500),
    PatternRow::new("managed_exception", ANCM, &[("message", r"^hit unexpected managed exception, exception code = '(?P<error_code>0x[0-9A-Fa-f]+)'")], Some(T::DestinationUnavailable), High, "log.ancm.managed_exception", ANCM_SRC).status(500),
    PatternRow::new("exited_main", ANCM, &[("message", r"^has exited from Program\.Main with exit code = '(?P<exit_code>-?\d+)'")], Some(T::DestinationUnavailable), High, "log.ancm.exited_main", ANCM_SRC).status(500),
    PatternRow::new("start_failed", ANCM, &[("message", r"^Failed to start application")], Some(T::DestinationUnavailable), High, "log.ancm.start_failed", ANCM_SRC).status(500),
    // ---------------------------------------------------------------- PHP-FPM
    PatternRow::new("max_children", FPM, &[("message", r"^server reached (?:pm\.)?max_children setting \((?P<max_children>\d+)\), consider raising it")], Some(T::ConnectionLimitReached), High, "log.php_fpm.max_children", FPM_SRC),
    PatternRow::new("seems_busy", FPM, &[("message", r"^seems busy \(you may need to increase pm\.start_servers, or pm\.min/max_spare_servers\), spawning (?P<spawning>\d+) children, there are (?P<idle>\d+) idle, and (?P<total>\d+) total children")], Some(T::ConnectionLimitReached), Low, "log.php_fpm.seems_busy", FPM_SRC),
    PatternRow::new("execution_timed_out", FPM, &[("message", r#"^child (?P<child_pid>\d+), script '(?P<script>[^']*)' \(request: "(?P<request>[^"]*)"\) execution timed out \((?P<seconds>[\d.]+) sec\), terminating"#)], Some(T::HttpResponseTimeout), High, "log.php_fpm.execution_timed_out", FPM_SRC),
    PatternRow::new("child_signal", FPM, &[("message", r"^child (?P<child_pid>\d+) exited on signal (?P<signal>\d+) \((?P<signal_name>\w+)(?: - core dumped)?\) after (?P<seconds>[\d.]+) seconds from start")], Some(T::ConnectionTerminated), Medium, "log.php_fpm.child_signal", FPM_SRC),
    PatternRow::new("child_started", FPM, &[("message", r"^child (?P<child_pid>\d+) started")], None, Medium, "log.php_fpm.child_started", FPM_SRC).notice(),
    PatternRow::new("bind_failed", FPM, &[("message", r"^unable to bind listening socket for address '(?P<listen>[^']+)': (?P<errno_text>.*?)(?: \((?P<errno>\d+)\))?$")], Some(T::DestinationUnavailable), High, "log.php_fpm.bind_failed", FPM_SRC).alts(&[T::ConnectionRefused]),
    PatternRow::new("init_failed", FPM, &[("message", r"^FPM initialization failed")], Some(T::DestinationUnavailable), High, "log.php_fpm.init_failed", FPM_SRC),
    // ---------------------------------------------------------------- gunicorn
    PatternRow::new("worker_timeout", GUNI, &[("message", r"^WORKER TIMEOUT \(pid:(?P<worker_pid>\d+)\)")], Some(T::HttpResponseTimeout), High, "log.gunicorn.worker_timeout", GUNI_SRC),
    PatternRow::new("worker_oom", GUNI, &[("message", r"^Worker \(pid:(?P<worker_pid>\d+)\) was sent SIGKILL! Perhaps out of memory\?")], Some(T::ConnectionTerminated), High, "log.gunicorn.worker_oom", "https://github.com/benoitc/gunicorn/blob/master/gunicorn/arbiter.py"),
    PatternRow::new("worker_signal", GUNI, &[("message", r"^Worker with pid (?P<worker_pid>\d+) was terminated due to signal (?P<signal>\d+)")], Some(T::ConnectionTerminated), Medium, "log.gunicorn.worker_signal", GUNI_SRC),
    PatternRow::new("worker_stopped", GUNI, &[("message", r"^Worker \(pid:(?P<worker_pid>\d+)\) was sent (?P<signal>SIGTERM|SIGQUIT|SIGINT|SIGHUP)!")], None, Medium, "log.gunicorn.worker_stopped", "https://github.com/benoitc/gunicorn/blob/master/gunicorn/arbiter.py").notice(),
    PatternRow::new("worker_sent_signal", GUNI, &[("message", r"^Worker \(pid:(?P<worker_pid>\d+)\) was sent (?P<signal>SIG\w+|code \d+)!")], Some(T::ConnectionTerminated), Medium, "log.gunicorn.worker_signal", "https://github.com/benoitc/gunicorn/blob/master/gunicorn/arbiter.py"),
    PatternRow::new("worker_exited", GUNI, &[("message", r"^Worker \(pid:(?P<worker_pid>\d+)\) exited with code (?P<exit_code>\d+)")], Some(T::DestinationUnavailable), Medium, "log.gunicorn.worker_exited", "https://github.com/benoitc/gunicorn/blob/master/gunicorn/arbiter.py"),
    PatternRow::new("boot_failed", GUNI, &[("message", r"^(?:Reason: )?(?:Worker failed to boot|App failed to load)\.?")], Some(T::DestinationUnavailable), High, "log.gunicorn.boot_failed", "https://github.com/benoitc/gunicorn/blob/master/gunicorn/arbiter.py"),
    PatternRow::new("connection_in_use", GUNI, &[("message", r"^Connection in use: (?P<listen>.+)$")], Some(T::DestinationUnavailable), Medium, "log.gunicorn.connection_in_use", GUNI_SRC).alts(&[T::ConnectionRefused]),
    PatternRow::new("cant_connect", GUNI, &[("message", r"^Can't connect to (?P<listen>.+)$")], Some(T::DestinationUnavailable), High, "log.gunicorn.cant_connect", GUNI_SRC).alts(&[T::ConnectionRefused]),
    PatternRow::new("retrying", GUNI, &[("message", r"^Retrying in (?P<seconds>\d+) seconds?\.")], None, Medium, "log.gunicorn.retrying", GUNI_SRC).notice(),
    PatternRow::new("booting_worker", GUNI, &[("message", r"^Booting worker with pid: (?P<worker_pid>\d+)")], None, Medium, "log.gunicorn.booting_worker", GUNI_SRC).notice(),
    PatternRow::new("worker_exiting", GUNI, &[("message", r"^Worker exiting \(pid: (?P<worker_pid>\d+)\)")], None, Medium, "log.gunicorn.worker_exiting", GUNI_SRC).notice(),
    PatternRow::new("error_handling_request", GUNI, &[("message", r"^Error handling request(?: (?P<path>\S+))?")], None, Medium, "log.gunicorn.error_handling_request", "https://github.com/benoitc/gunicorn/blob/master/gunicorn/workers/base.py").status(500),
    // ---------------------------------------------------------------- uWSGI
    PatternRow::new("listen_queue_full", UWSGI, &[("message", r#"^\*\*\* uWSGI listen queue of socket "(?P<listen>[^"]+)" \(fd: \d+\) full !!! \((?P<queued>\d+)/(?P<backlog>\d+)\) \*\*\*"#)], Some(T::ConnectionLimitReached), High, "log.uwsgi.listen_queue_full", UWSGI_SRC),
    PatternRow::new("harakiri", UWSGI, &[("message", r"^\*\*\* HARAKIRI ON WORKER (?P<worker>\d+) \(pid: (?P<worker_pid>\d+), try: (?P<try>\d+)(?:, graceful: \w+)?\) \*\*\*")], Some(T::HttpResponseTimeout), High, "log.uwsgi.harakiri", UWSGI_SRC),
    PatternRow::new("harakiri_request", UWSGI, &[("message", r"^HARAKIRI \[core \d+\] (?P<client>\S+) - (?P<method>[A-Z]+) (?P<path>\S+) since \d+")], Some(T::HttpResponseTimeout), High, "log.uwsgi.harakiri_request", UWSGI_SRC),
    PatternRow::new("harakiri_status", UWSGI, &[("message", r"^HARAKIRI !!! (?:end of )?worker (?P<worker>\d+) status !!!")], None, Medium, "log.uwsgi.harakiri_status", UWSGI_SRC).notice(),
    PatternRow::new("worker_died", UWSGI, &[("message", r"^DAMN ! worker (?P<worker>\d+) \(pid: (?P<worker_pid>\d+)\) died, killed by signal (?P<signal>\d+)")], Some(T::ConnectionTerminated), Medium, "log.uwsgi.worker_died", UWSGI_SRC),
    PatternRow::new("worker_respawned", UWSGI, &[("message", r"^Respawned uWSGI worker (?P<worker>\d+) \(new pid: (?P<worker_pid>\d+)\)")], None, Medium, "log.uwsgi.worker_respawned", UWSGI_SRC).notice(),
    PatternRow::new("client_broken_pipe", UWSGI, &[("message", r"^uwsgi_response_\w+_do\(\): Broken pipe \[[^\]]*\] during (?P<method>[A-Z]+) (?P<path>\S+) \((?P<client>[^)]*)\)")], None, High, "log.uwsgi.client_broken_pipe", UWSGI_SRC).client_side(499),
    PatternRow::new("client_sigpipe", UWSGI, &[("message", r"^SIGPIPE: writing to a closed pipe/socket/fd \(probably the client disconnected\) on request (?P<path>\S+) \(ip (?P<client>[^)]+)\)")], None, High, "log.uwsgi.client_sigpipe", UWSGI_SRC).client_side(499),
    PatternRow::new("write_error", UWSGI, &[("message", r"^(?:OSError|IOError): write error$")], None, Low, "log.uwsgi.write_error", UWSGI_SRC).client_side(499),
    // ---------------------------------------------------------------- varnishlog FetchError
    PatternRow::new("connect_refused", VARNISH, &[("message", r"^backend (?P<backend>\S+?): fail errno (?P<errno>111) \((?P<errno_text>[^)]*)\)")], Some(T::ConnectionRefused), High, "log.varnishlog.connect_refused", VARNISH_SRC),
    PatternRow::new("connect_timeout", VARNISH, &[("message", r"^backend (?P<backend>\S+?): fail errno (?P<errno>110) \((?P<errno_text>[^)]*)\)")], Some(T::ConnectionTimeout), High, "log.varnishlog.connect_timeout", VARNISH_SRC),
    PatternRow::new("connect_failed", VARNISH, &[("message", r"^backend (?P<backend>\S+?): fail errno (?P<errno>\d+) \((?P<errno_text>[^)]*)\)")], Some(T::ConnectionRefused), Low, "log.varnishlog.connect_failed", VARNISH_SRC).alts(&[T::ConnectionTimeout, T::DestinationIpUnroutable]),
    PatternRow::new("no_backend_connection", VARNISH, &[("message", r"^no backend connection")], Some(T::DestinationUnavailable), Medium, "log.varnishlog.no_backend_connection", VARNISH_SRC).alts(&[T::ConnectionLimitReached]),
    PatternRow::new("first_byte_timeout", VARNISH, &[("message", r"^first byte timeout")], Some(T::HttpResponseTimeout), High, "log.varnishlog.first_byte_timeout", VARNISH_SRC),
    PatternRow::new("between_bytes_timeout", VARNISH, &[("message", r"^between bytes timeout")], Some(T::ConnectionReadTimeout), High, "log.varnishlog.between_bytes_timeout", VARNISH_SRC),
    PatternRow::new("eof", VARNISH, &[("message", r"^(?:HTC eof \(-1\)|http first read error: EOF)")], Some(T::ConnectionTerminated), Medium, "log.varnishlog.eof", VARNISH_SRC).alts(&[T::HttpProtocolError]),
    PatternRow::new("overflow", VARNISH, &[("message", r"^(?:HTC )?overflow")], Some(T::HttpResponseHeaderSectionSize), Medium, "log.varnishlog.overflow", VARNISH_SRC),
    PatternRow::new("insufficient_bytes", VARNISH, &[("message", r"^straight insufficient bytes")], Some(T::HttpResponseIncomplete), High, "log.varnishlog.insufficient_bytes", VARNISH_SRC),
    PatternRow::new("junk", VARNISH, &[("message", r"^(?:Received junk|http format error)")], Some(T::HttpProtocolError), High, "log.varnishlog.junk", VARNISH_SRC),
    PatternRow::new("write_error", VARNISH, &[("message", r"^backend write error: (?P<errno>\d+) \((?P<errno_text>[^)]*)\)")], Some(T::ConnectionTerminated), High, "log.varnishlog.write_error", VARNISH_SRC).hop(Hop::Request),
    PatternRow::new("no_storage", VARNISH, &[("message", r"^Could not get storage")], Some(T::ProxyInternalError), High, "log.varnishlog.no_storage", VARNISH_SRC),
    // ---------------------------------------------------------------- Squid
    PatternRow::new("denied", SQUID, &[("squid_code", "DENIED")], Some(T::HttpRequestDenied), High, "log.squid_access.denied", SQUID_SRC),
    PatternRow::new("no_server_contacted", SQUID, &[("hierarchy", "^HIER_NONE$"), ("status", "^5\\d\\d$")], None, Low, "log.squid_access.no_server_contacted", SQUID_SRC).alts(&[T::DnsError, T::ConnectionRefused, T::DestinationIpProhibited]),
    PatternRow::new("connect_failed", SQUID_CACHE, &[("message", r"^(?:ERROR: )?(?:TCP )?[Cc]onnection to (?P<target>.+?) failed")], Some(T::ConnectionRefused), Medium, "log.squid_cache.connect_failed", SQUID_SRC).alts(&[T::ConnectionTimeout, T::DestinationIpUnroutable]),
    PatternRow::new("no_object_data", SQUID_CACHE, &[("message", r"^WARNING: HTTP: Invalid Response: No object data received for (?P<url>\S+)")], Some(T::ConnectionTerminated), High, "log.squid_cache.no_object_data", SQUID_SRC),
    PatternRow::new("bad_header", SQUID_CACHE, &[("message", r"^WARNING: HTTP: Invalid Response: Bad header encountered from (?P<url>\S+)")], Some(T::HttpProtocolError), High, "log.squid_cache.bad_header", SQUID_SRC),
    PatternRow::new("transaction", SQUID_CACHE, &[("message", r"^\s*current master transaction: (?P<transaction>\S+)$")], None, Medium, "log.squid_cache.transaction", SQUID_SRC).notice(),
    // ---------------------------------------------------------------- Apache Traffic Server
    PatternRow::new("connect_refused", ATS, &[("message", r"^CONNECT: attempt fail \[(?P<vendor_code>[A-Z_]+)\] to (?P<target>\S+) for host='(?P<host>[^']*)' connection_result=(?P<detail>[^\[]*) \[(?P<errno>111)\]")], Some(T::ConnectionRefused), High, "log.go.connect_refused", ATS_SRC),
    PatternRow::new("connect_failed", ATS, &[("message", r"^CONNECT: attempt fail \[(?P<vendor_code>[A-Z_]+)\] to (?P<target>\S+) for host='(?P<host>[^']*)'")], Some(T::ConnectionRefused), Low, "log.proxy.connect_failed", ATS_SRC).alts(&[T::ConnectionTimeout, T::DestinationIpUnroutable]),
    PatternRow::new("dns_error", ATS, &[("message", r"^DNS Error: looking up (?P<target>\S+)")], Some(T::DnsError), High, "log.go.dns_error", ATS_SRC).alts(&[T::DnsTimeout]),
    PatternRow::new("connect_fail", ATS_SQUID, &[("squid_code", "^ERR_CONNECT_FAIL$"), ("status", "^502$")], Some(T::ConnectionRefused), Low, "log.access.status_502", ATS_SRC).alts(&[T::ConnectionTerminated, T::HttpProtocolError, T::ConnectionTimeout]),
    PatternRow::new("read_timeout", ATS_SQUID, &[("squid_code", "^ERR_READ_TIMEOUT$"), ("status", "^504$")], Some(T::HttpResponseTimeout), Medium, "log.access.status_504", ATS_SRC).alts(&[T::ConnectionReadTimeout]),
    PatternRow::new("read_error", ATS_SQUID, &[("squid_code", "^ERR_READ_ERROR$"), ("status", r"^[12]\d\d$")], Some(T::HttpResponseIncomplete), Medium, "log.proxy.response_incomplete", ATS_SRC),
    // ---------------------------------------------------------------- lighttpd
    PatternRow::new("connect_refused", LIGHTTPD, &[("message", r"^establishing connection failed: socket: (?P<target>\S+): Connection refused")], Some(T::ConnectionRefused), High, "log.go.connect_refused", LIGHTTPD_SRC),
    PatternRow::new("connect_failed", LIGHTTPD, &[("message", r"^establishing connection failed: socket: (?P<target>\S+): (?P<detail>.+)$")], Some(T::ConnectionRefused), Low, "log.proxy.connect_failed", LIGHTTPD_SRC).alts(&[T::ConnectionTimeout, T::DestinationIpUnroutable]),
    PatternRow::new("connect_timeout", LIGHTTPD, &[("message", r"^connect timeout on socket: (?P<target>\S+)")], Some(T::ConnectionTimeout), High, "log.go.connect_timeout", LIGHTTPD_SRC),
    PatternRow::new("all_down", LIGHTTPD, &[("message", r"^all handlers for (?P<path>\S+) on (?P<host>\S*) ?are down")], Some(T::DestinationUnavailable), High, "log.proxy.destination_unavailable", LIGHTTPD_SRC).alts(&[T::ConnectionRefused]),
    PatternRow::new("re_enabled", LIGHTTPD, &[("message", r"^gw-server re-enabled: (?P<target>\S+)")], None, Medium, "log.proxy.backend_reenabled", LIGHTTPD_SRC).notice(),
    PatternRow::new("read_timeout", LIGHTTPD, &[("message", r"^read timeout on socket: (?P<target>\S+)")], Some(T::HttpResponseTimeout), Medium, "log.proxy.read_timeout", LIGHTTPD_SRC).alts(&[T::ConnectionReadTimeout]),
    PatternRow::new("reset", LIGHTTPD, &[("message", r"^read\(\) \d+ \d+: Connection reset by peer")], Some(T::ConnectionTerminated), High, "log.go.connection_reset", LIGHTTPD_SRC),
    PatternRow::new("no_response", LIGHTTPD, &[("message", r"^(?P<detail>response not received), request sent: \d+ on socket: (?P<target>\S+) for (?P<path>\S+), closing connection")], Some(T::ConnectionTerminated), High, "log.go.eof", LIGHTTPD_SRC),
    PatternRow::new("headers_too_large", LIGHTTPD, &[("message", r"^response headers too large for (?P<path>\S+)")], Some(T::HttpResponseHeaderSectionSize), High, "log.proxy.header_too_large", LIGHTTPD_SRC),
    // ---------------------------------------------------------------- H2O
    PatternRow::new("connection_failed", H2O, &[("message", r"^connection failed$")], Some(T::ConnectionRefused), Medium, "log.proxy.connect_failed", H2O_SRC).alts(&[T::ConnectionTimeout]),
    PatternRow::new("io_timeout", H2O, &[("message", r"^I/O timeout$")], Some(T::HttpResponseTimeout), Medium, "log.proxy.read_timeout", H2O_SRC).alts(&[T::ConnectionReadTimeout]),
    PatternRow::new("io_error_head", H2O, &[("message", r"^(?P<detail>I/O error \(head\))$")], Some(T::ConnectionTerminated), High, "log.go.eof", H2O_SRC),
    PatternRow::new("io_error_body", H2O, &[("message", r"^(?P<detail>I/O error \(body[^)]*\))$")], Some(T::HttpResponseIncomplete), High, "log.proxy.response_incomplete", H2O_SRC),
    PatternRow::new("parse_failed", H2O, &[("message", r"^failed to parse the response$")], Some(T::HttpProtocolError), High, "log.go.malformed_response", H2O_SRC),
    PatternRow::new("dns_error", H2O, &[("message", r"^(?P<dns_error>Name or service not known|Temporary failure in name resolution|No address associated with hostname)$")], Some(T::DnsError), High, "log.go.dns_error", H2O_SRC),
    // ---------------------------------------------------------------- nghttpx
    PatternRow::new("connect_refused", NGHTTPX, &[("message", r"^Backend connect failed; addr=(?P<target>\S+): errno=(?P<errno>111)$")], Some(T::ConnectionRefused), High, "log.go.connect_refused", NGHTTPX_SRC),
    PatternRow::new("connect_failed", NGHTTPX, &[("message", r"^Backend connect failed; addr=(?P<target>\S+): errno=(?P<errno>\d+)")], Some(T::ConnectionRefused), Low, "log.proxy.connect_failed", NGHTTPX_SRC).alts(&[T::ConnectionTimeout, T::DestinationIpUnroutable]),
    PatternRow::new("connect_blocked", NGHTTPX, &[("message", r"^Could not connect (?P<count>\d+) times in a row; sleep for (?P<seconds>[\d.]+) seconds")], Some(T::DestinationUnavailable), Medium, "log.proxy.backoff", NGHTTPX_SRC).alts(&[T::ConnectionRefused, T::DnsError]),
    // ---------------------------------------------------------------- Tinyproxy
    PatternRow::new("dns_error", TINYPROXY, &[("message", r"^opensock: Could not retrieve address info for (?P<target>\S+?): (?P<dns_error>.+)$")], Some(T::DnsError), High, "log.go.dns_error", TINYPROXY_SRC),
    PatternRow::new("connect_failed", TINYPROXY, &[("message", r"^opensock: Could not establish a connection to (?P<target>\S+)")], Some(T::ConnectionRefused), Medium, "log.proxy.connect_failed", TINYPROXY_SRC).alts(&[T::ConnectionTimeout, T::DestinationIpUnroutable]),
    PatternRow::new("headers_incomplete", TINYPROXY, &[("message", r"^Could not retrieve all the headers from the remote server")], Some(T::HttpProtocolError), Medium, "log.go.malformed_response", TINYPROXY_SRC).alts(&[T::ConnectionTerminated]),
    PatternRow::new("headers_timeout", TINYPROXY, &[("message", r#"^process_server_headers failed: Resource temporarily unavailable\. host "(?P<target>[^"]*)""#)], Some(T::HttpResponseTimeout), Medium, "log.proxy.read_timeout", TINYPROXY_SRC),
    PatternRow::new("headers_reset", TINYPROXY, &[("message", r#"^process_server_headers failed: Connection reset by peer\. host "(?P<target>[^"]*)""#)], Some(T::ConnectionTerminated), High, "log.go.connection_reset", TINYPROXY_SRC),
    PatternRow::new("headers_failed", TINYPROXY, &[("message", r#"^process_server_headers failed: (?P<detail>[^.]*)\. host "(?P<target>[^"]*)""#)], Some(T::ConnectionTerminated), Medium, "log.go.eof", TINYPROXY_SRC).alts(&[T::HttpProtocolError]),
    PatternRow::new("request_step", TINYPROXY, &[("message", r"^(?:Connect \(file descriptor \d+\)|Request \(file descriptor \d+\)|No upstream proxy for |opensock: (?:opening connection to|getaddrinfo returned for) |Established connection to host |Closed connection between local client)")], None, Medium, "log.proxy.request_notice", TINYPROXY_SRC).notice(),
    // ---------------------------------------------------------------- Privoxy
    PatternRow::new("connection_failure", PRIVOXY, &[("level", "^Crunch$"), ("message", r"^Connection failure: (?P<url>\S+)")], Some(T::ConnectionRefused), Medium, "log.proxy.connect_failed", PRIVOXY_SRC).alts(&[T::ConnectionTimeout, T::DestinationIpUnroutable]),
    PatternRow::new("connection_timeout", PRIVOXY, &[("level", "^Crunch$"), ("message", r"^Connection timeout: (?P<url>\S+)")], Some(T::HttpResponseTimeout), Medium, "log.proxy.read_timeout", PRIVOXY_SRC).alts(&[T::ConnectionTimeout]),
    PatternRow::new("no_server_data", PRIVOXY, &[("level", "^Crunch$"), ("message", r"^(?P<detail>No server data received): (?P<url>\S+)")], Some(T::ConnectionTerminated), High, "log.go.eof", PRIVOXY_SRC),
    PatternRow::new("dns_failure", PRIVOXY, &[("level", "^Crunch$"), ("message", r"^DNS failure: (?P<url>\S+)")], Some(T::DnsError), High, "log.go.dns_error", PRIVOXY_SRC),
    PatternRow::new("cannot_resolve", PRIVOXY, &[("message", r"^Can not resolve (?P<target>\S+?): (?P<dns_error>.+)$")], Some(T::DnsError), High, "log.go.dns_error", PRIVOXY_SRC),
    PatternRow::new("no_response", PRIVOXY, &[("level", "^Error$"), ("message", r"^(?P<detail>No server or forwarder response received) on socket")], Some(T::ConnectionTerminated), High, "log.go.eof", PRIVOXY_SRC),
    PatternRow::new("read_reset", PRIVOXY, &[("level", "^Error$"), ("message", r"^read from: (?P<target>\S+) failed: Connection reset by peer")], Some(T::ConnectionTerminated), High, "log.go.connection_reset", PRIVOXY_SRC),
    PatternRow::new("invalid_response", PRIVOXY, &[("level", "^Error$"), ("message", r"^Invalid server or forwarder response\. Starts with: (?P<detail>.*)$")], Some(T::HttpProtocolError), High, "log.go.malformed_response", PRIVOXY_SRC),
    PatternRow::new("request", PRIVOXY, &[("level", "^Request$")], None, Medium, "log.proxy.request_notice", PRIVOXY_SRC).notice(),
    // ---------------------------------------------------------------- mitmproxy
    PatternRow::new("connect_refused", MITM, &[("message", r"^error establishing server connection: \[Errno 111\] (?P<detail>.*)$")], Some(T::ConnectionRefused), High, "log.go.connect_refused", MITM_SRC),
    PatternRow::new("dns_error", MITM, &[("message", r"^error establishing server connection: \[Errno -[235]\] (?P<dns_error>.*)$")], Some(T::DnsError), High, "log.go.dns_error", MITM_SRC),
    PatternRow::new("connect_failed", MITM, &[("message", r"^error establishing server connection: (?P<detail>.*)$")], Some(T::ConnectionRefused), Low, "log.proxy.connect_failed", MITM_SRC).alts(&[T::ConnectionTimeout, T::TlsProtocolError]),
    PatternRow::new("flow_refused", MITM, &[("reason", r"^\[Errno 111\] ")], Some(T::ConnectionRefused), High, "log.go.connect_refused", MITM_SRC),
    PatternRow::new("flow_dns", MITM, &[("reason", r"^\[Errno -[235]\] (?P<dns_error>.*)$")], Some(T::DnsError), High, "log.go.dns_error", MITM_SRC),
    PatternRow::new("flow_incomplete_body", MITM, &[("reason", r"^HTTP/1 protocol error: peer closed connection without sending complete message body")], Some(T::HttpResponseIncomplete), High, "log.proxy.response_incomplete", MITM_SRC),
    PatternRow::new("flow_server_closed", MITM, &[("reason", r"^(?P<detail>server closed connection|Server disconnected\.?)$")], Some(T::ConnectionTerminated), High, "log.go.eof", MITM_SRC),
    PatternRow::new("flow_unexpected", MITM, &[("reason", r"^(?P<detail>unexpected server response: .*)$")], Some(T::HttpProtocolError), High, "log.go.malformed_response", MITM_SRC),
    PatternRow::new("flow_client_gone", MITM, &[("reason", r"^Client disconnected\.?$")], None, Medium, "log.proxy.client_gone", MITM_SRC).client_side(499),
    PatternRow::new("step", MITM, &[("message", r"^(?:client|server) (?:connect|disconnect)")], None, Medium, "log.proxy.request_notice", MITM_SRC).notice(),
    PatternRow::new("flow", MITM, &[("method", ".")], None, Medium, "log.proxy.request_notice", MITM_SRC).notice(),
    PatternRow::new("flow_status", MITM, &[("reason", r"^\d{3} .*")], None, Medium, "log.proxy.request_notice", MITM_SRC).notice(),
    // ---------------------------------------------------------------- proxy.py
    PatternRow::new("connect_refused", PROXY_PY, &[("message", r"^Unable to connect with upstream (?P<target>\S+) due to \[Errno 111\]")], Some(T::ConnectionRefused), High, "log.go.connect_refused", PROXY_PY_SRC),
    PatternRow::new("dns_error", PROXY_PY, &[("message", r"^Unable to connect with upstream (?P<target>\S+?) due to \[Errno -[235]\] (?P<dns_error>.+)$")], Some(T::DnsError), High, "log.go.dns_error", PROXY_PY_SRC),
    PatternRow::new("connect_failed", PROXY_PY, &[("message", r"^Unable to connect with upstream (?P<target>\S+) due to (?P<detail>.+)$")], Some(T::ConnectionRefused), Low, "log.proxy.connect_failed", PROXY_PY_SRC).alts(&[T::ConnectionTimeout, T::DestinationIpUnroutable]),
    PatternRow::new("failed_refused", PROXY_PY, &[("message", r"^HttpProtocolException: ProxyConnectionFailed ConnectionRefusedError")], Some(T::ConnectionRefused), High, "log.go.connect_refused", PROXY_PY_SRC),
    PatternRow::new("failed_dns", PROXY_PY, &[("message", r"^HttpProtocolException: ProxyConnectionFailed gaierror\(-\d+, '(?P<dns_error>[^']*)'\)")], Some(T::DnsError), High, "log.go.dns_error", PROXY_PY_SRC),
    PatternRow::new("upstream_reset", PROXY_PY, &[("message", r"^Connection reset by upstream: (?P<target>\S+)")], Some(T::ConnectionTerminated), High, "log.go.connection_reset", PROXY_PY_SRC),
    PatternRow::new("no_response", PROXY_PY, &[("status", "^None$")], None, Medium, "log.proxy.no_response_logged", PROXY_PY_SRC).notice(),
    // ---------------------------------------------------------------- Node.js error codes in dev-server proxies
    // (http-proxy-middleware "[HPM] … [CODE]", Create React App "(CODE)", Vite "AggregateError [CODE]")
    PatternRow::new("refused", CODES, &[("error_code", "^ECONNREFUSED$")], Some(T::ConnectionRefused), High, "log.go.connect_refused", CODES_SRC),
    PatternRow::new("reset", CODES, &[("error_code", "^ECONNRESET$")], Some(T::ConnectionTerminated), Medium, "log.go.connection_reset", CODES_SRC).alts(&[T::HttpResponseTimeout]),
    PatternRow::new("not_found", CODES, &[("error_code", "^ENOTFOUND$")], Some(T::DnsError), High, "log.go.dns_error", CODES_SRC),
    PatternRow::new("dns_again", CODES, &[("error_code", "^EAI_AGAIN$")], Some(T::DnsTimeout), Medium, "log.go.dns_timeout", CODES_SRC).alts(&[T::DnsError]),
    PatternRow::new("timed_out", CODES, &[("error_code", "^ETIMEDOUT$")], Some(T::ConnectionTimeout), High, "log.go.connect_timeout", CODES_SRC),
    PatternRow::new("unreachable", CODES, &[("error_code", "^E(?:HOST|NET)UNREACH$")], Some(T::DestinationIpUnroutable), High, "log.go.connect_unreachable", CODES_SRC),
    PatternRow::new("tls_certificate", CODES, &[("error_code", "^(?P<tls_error>DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID)$")], Some(T::TlsCertificateError), High, "log.go.tls_certificate", CODES_SRC),
    PatternRow::new("tls_protocol", CODES, &[("error_code", "^EPROTO$")], Some(T::TlsProtocolError), Medium, "log.go.tls_protocol", CODES_SRC),
    PatternRow::new("header_overflow", CODES, &[("error_code", "^HPE_HEADER_OVERFLOW$")], Some(T::HttpResponseHeaderSectionSize), High, "log.proxy.header_too_large", CODES_SRC),
    PatternRow::new("invalid_response", CODES, &[("error_code", "^HPE_")], Some(T::HttpProtocolError), High, "log.go.malformed_response", CODES_SRC),
    // A dev-server proxy line that does not say why (the Node.js error follows on the next lines).
    PatternRow::new("proxy_error", &[F::Vite], &[("message", r"^http proxy error(?::| at) (?P<path>\S+?):?\s*$")], Some(T::ConnectionRefused), Low, "log.proxy.connect_failed", "vite packages/vite/src/node/server/middlewares/proxy.ts (proxy.on('error')); captured: vite 8.4.0").alts(&[T::ConnectionTimeout, T::ConnectionTerminated, T::DnsError, T::HttpProtocolError]),
    // CRA prints the code on the next line ("See … for more information (ECONNREFUSED).").
    PatternRow::new("proxy_error", &[F::CreateReactApp], &[("path", ".")], None, Medium, "log.proxy.see_next_line", "react-dev-utils WebpackDevServerUtils.js (onProxyError)").notice(),
    // ---------------------------------------------------------------- Fastify + @fastify/reply-from
    PatternRow::new("refused", FASTIFY, &[("detail", r"(?:^|: )connect ECONNREFUSED (?P<target>\S+)$")], Some(T::ConnectionRefused), High, "log.go.connect_refused", FASTIFY_SRC),
    PatternRow::new("dns_error", FASTIFY, &[("detail", r"(?:^|: )getaddrinfo (?:ENOTFOUND|EAI_AGAIN) (?P<target>\S+)$")], Some(T::DnsError), High, "log.go.dns_error", FASTIFY_SRC),
    PatternRow::new("timed_out", FASTIFY, &[("detail", r"(?:^|: )HTTP request timed out$")], Some(T::HttpResponseTimeout), High, "log.proxy.read_timeout", FASTIFY_SRC),
    PatternRow::new("header_overflow", FASTIFY, &[("detail", r"(?:^|: )Parse Error: Header overflow")], Some(T::HttpResponseHeaderSectionSize), High, "log.proxy.header_too_large", FASTIFY_SRC),
    PatternRow::new("parse_error", FASTIFY, &[("detail", r"(?:^|: )Parse Error: (?P<parse_error>.*)$")], Some(T::HttpProtocolError), High, "log.go.malformed_response", FASTIFY_SRC),
    PatternRow::new("reset", FASTIFY, &[("detail", r"(?:^|: )read ECONNRESET$")], Some(T::ConnectionTerminated), High, "log.go.connection_reset", FASTIFY_SRC),
    PatternRow::new("aborted", FASTIFY, &[("detail", r"^aborted$")], Some(T::HttpResponseIncomplete), Medium, "log.proxy.response_incomplete", FASTIFY_SRC),
    PatternRow::new("hang_up", FASTIFY, &[("detail", r"(?:^|: )(?P<eof_detail>socket hang up)$")], Some(T::ConnectionTerminated), Medium, "log.go.eof", FASTIFY_SRC).alts(&[T::HttpResponseTimeout]),
    PatternRow::new("service_unavailable", FASTIFY, &[("error_code", "^FST_REPLY_FROM_SERVICE_UNAVAILABLE$")], Some(T::DestinationUnavailable), Low, "log.proxy.connect_failed", FASTIFY_SRC).alts(&[T::DnsError, T::ConnectionRefused]),
    PatternRow::new("request_step", FASTIFY, &[("msg", r"^(?:incoming request|fetching from remote server|response received)$")], None, Medium, "log.proxy.request_notice", FASTIFY_SRC).notice(),
    // ---------------------------------------------------------------- node-http-proxy crash, Node.js errors
    PatternRow::new("uncaught_error", &[F::NodeHttpProxyCrash], &[("file", ".")], Some(T::ProxyInternalError), High, "log.proxy.node_crash", "https://github.com/http-party/node-http-proxy/blob/master/lib/http-proxy/index.js (throws when no 'error' listener); captured: http-proxy 1.18.1"),
    PatternRow::new("aggregate_refused", NODE, &[("error_code", "^ECONNREFUSED$")], Some(T::ConnectionRefused), High, "log.go.connect_refused", NODE_SRC),
    PatternRow::new("connect_refused", NODE, &[("message", r"^connect ECONNREFUSED (?P<target>\S+)")], Some(T::ConnectionRefused), High, "log.go.connect_refused", NODE_SRC),
    PatternRow::new("connect_timeout", NODE, &[("message", r"^connect ETIMEDOUT (?P<target>\S+)")], Some(T::ConnectionTimeout), High, "log.go.connect_timeout", NODE_SRC),
    PatternRow::new("dns_error", NODE, &[("message", r"^getaddrinfo (?:ENOTFOUND|EAI_FAIL) (?P<target>\S+)")], Some(T::DnsError), High, "log.go.dns_error", NODE_SRC),
    PatternRow::new("dns_again", NODE, &[("message", r"^getaddrinfo EAI_AGAIN (?P<target>\S+)")], Some(T::DnsTimeout), Medium, "log.go.dns_timeout", NODE_SRC).alts(&[T::DnsError]),
    PatternRow::new("reset", NODE, &[("message", r"^read ECONNRESET")], Some(T::ConnectionTerminated), High, "log.go.connection_reset", NODE_SRC),
    PatternRow::new("hang_up", NODE, &[("message", r"^(?P<detail>socket hang up)")], Some(T::ConnectionTerminated), Medium, "log.go.eof", NODE_SRC).alts(&[T::HttpResponseTimeout]),
    PatternRow::new("header_overflow", NODE, &[("message", r"^Parse Error: Header overflow")], Some(T::HttpResponseHeaderSectionSize), High, "log.proxy.header_too_large", NODE_SRC),
    PatternRow::new("parse_error", NODE, &[("message", r"^Parse Error: (?P<detail>.*)$")], Some(T::HttpProtocolError), High, "log.go.malformed_response", NODE_SRC),
    PatternRow::new("stack", NODE, &[("stack", ".")], None, Medium, "log.proxy.stack_notice", NODE_SRC).notice(),
    // ---------------------------------------------------------------- status only (access logs), most specific first
    PatternRow::new("status_ok", STATUS, &[("status", r"^[123]\d\d$")], None, Low, "log.access.status_ok", STATUS_SRC),
    PatternRow::new("status_client_closed", STATUS, &[("status", r"^(?:0|499)$")], None, Low, "log.access.status_client_closed", STATUS_SRC).client_side(499),
    PatternRow::new("status_4xx", STATUS, &[("status", r"^4\d\d$")], None, Low, "log.access.status_4xx", STATUS_SRC),
    PatternRow::new("status_500", STATUS, &[("status", r"^500$")], None, Low, "log.access.status_500", STATUS_SRC),
    PatternRow::new("status_502", STATUS, &[("status", r"^502$")], None, Low, "log.access.status_502", STATUS_SRC).alts(&[T::ConnectionRefused, T::ConnectionTerminated, T::HttpProtocolError, T::DnsError]),
    PatternRow::new("status_503", STATUS, &[("status", r"^503$")], None, Low, "log.access.status_503", STATUS_SRC).alts(&[T::DestinationUnavailable, T::ConnectionLimitReached, T::ConnectionRefused]),
    PatternRow::new("status_504", STATUS, &[("status", r"^504$")], None, Low, "log.access.status_504", STATUS_SRC).alts(&[T::HttpResponseTimeout, T::ConnectionTimeout]),
    PatternRow::new("status_5xx", STATUS, &[("status", r"^5\d\d$")], None, Low, "log.access.status_5xx", STATUS_SRC),
];
