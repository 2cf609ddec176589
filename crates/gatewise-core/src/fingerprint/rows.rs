//! The fingerprint table: one row per recognisable response of a layer.
//!
//! Within a layer, more specific rows come first (ties in score are
//! resolved by table order). Generator rows of all layers come before the
//! on-path rows, which are listed last.

use super::{BodyRule as B, CodeSource, Fingerprint, HeaderRule as H, Outcome, Role};
use crate::diagnosis::Confidence::{self, High, Low, Medium};
use crate::layer::Layer as L;
use crate::taxonomy::ErrorType as E;

const fn out(error_type: Option<E>, alternatives: &'static [E], confidence: Confidence) -> Outcome {
    Outcome {
        error_type,
        alternatives,
        confidence,
        code: CodeSource::None,
        sub_status: None,
    }
}

const fn out_code(
    error_type: Option<E>,
    alternatives: &'static [E],
    confidence: Confidence,
    code: CodeSource,
) -> Outcome {
    Outcome {
        error_type,
        alternatives,
        confidence,
        code,
        sub_status: None,
    }
}

const fn out_sub(
    error_type: Option<E>,
    confidence: Confidence,
    code: &'static str,
    sub_status: u16,
) -> Outcome {
    Outcome {
        error_type,
        alternatives: &[],
        confidence,
        code: CodeSource::Fixed(code),
        sub_status: Some(sub_status),
    }
}

/// No gateway failure named (the layer answered by itself, e.g. its own 404).
const NONE: Outcome = out(None, &[], Medium);

#[allow(clippy::too_many_arguments)]
const fn generator(
    id: &'static str,
    layer: L,
    statuses: &'static [u16],
    headers: &'static [H],
    body: &'static [B],
    outcome: Outcome,
    source: &'static str,
) -> Fingerprint {
    Fingerprint {
        id,
        layer,
        role: Role::Generator,
        statuses,
        headers,
        body,
        outcome,
        source,
    }
}

const fn on_path(
    id: &'static str,
    layer: L,
    headers: &'static [H],
    source: &'static str,
) -> Fingerprint {
    Fingerprint {
        id,
        layer,
        role: Role::OnPath,
        statuses: &[],
        headers,
        body: &[],
        outcome: out(None, &[], Medium),
        source,
    }
}

// Alternatives shared by pages that do not say why.
const NGINX_502: &[E] = &[
    E::ConnectionTerminated,
    E::HttpResponseIncomplete,
    E::HttpProtocolError,
    E::HttpResponseHeaderSectionSize,
    E::DnsError,
    E::TlsProtocolError,
    E::TlsCertificateError,
];
const CONNECT_FAILED: &[E] = &[
    E::ConnectionTimeout,
    E::ConnectionTerminated,
    E::DnsError,
    E::TlsProtocolError,
    E::HttpProtocolError,
];
const ANY_BACKEND_FAILURE: &[E] = &[
    E::ConnectionTimeout,
    E::HttpResponseTimeout,
    E::ConnectionTerminated,
    E::HttpProtocolError,
    E::HttpResponseHeaderSectionSize,
    E::HttpResponseIncomplete,
];
const NO_RESPONSE_IN_TIME: &[E] = &[E::ConnectionTimeout, E::ConnectionReadTimeout];

const NGINX_TAIL: &str = r"<hr><center>(?:nginx|openresty)(?:/[^<]*)?</center>";
const AKAMAI_REF: &str = r"Reference(?:&#32;| )(?:&#35;|#)(?P<vendor_code>(?P<code_key>\d+)(?:&#46;|\.)[0-9a-f]+(?:&#46;|\.)\d+(?:&#46;|\.)[0-9a-f]+)";
const CLOUDFRONT_TITLE: &str = "<TITLE>ERROR: The request could not be satisfied</TITLE>";
const APPGW_V2_TAIL: &str = "<center>Microsoft-Azure-Application-Gateway/v2</center>";

const NGINX_SRC: &str = "nginx src/http/ngx_http_special_response.c; captured: nginx/1.22.1";
const APACHE_SRC: &str =
    "Apache httpd modules/proxy (proxy_util.c, mod_proxy_http.c); captured: Apache/2.4.71";
const HAPROXY_SRC: &str = "HAProxy src/http_htx.c (http_err_msgs); captured: haproxy (Debian 12)";
const VARNISH_SRC: &str =
    "Varnish bin/varnishd/builtin.vcl (vcl_backend_error); captured: Varnish/7.1";
const SQUID_SRC: &str = "Squid errors/templates and X-Squid-Error; captured: squid/5.7";
const ENVOY_SRC: &str = "Envoy source/common/router/router.cc local replies; https://github.com/envoyproxy/envoy/issues/23740";
const IIS_SRC: &str = "https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/health-diagnostic-performance/http-502-bad-gateway";
const ANCM_SRC: &str = "https://learn.microsoft.com/en-us/aspnet/core/test/troubleshoot-azure-iis";
const CF_5XX_SRC: &str = "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/";
const ELB_SRC: &str = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html";
const CLOUDFRONT_SRC: &str = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/troubleshooting-response-errors.html";
const GFE_SRC: &str =
    "https://cloud.google.com/load-balancing/docs/https/troubleshooting-ext-https-lbs";
const AFD_SRC: &str = "https://learn.microsoft.com/en-us/azure/frontdoor/troubleshoot-issues";
const APPGW_SRC: &str = "https://learn.microsoft.com/en-us/azure/application-gateway/application-gateway-troubleshooting-502";
const FASTLY_SRC: &str = "https://www.fastly.com/documentation/guides/vcl/errors/";
const AKAMAI_SRC: &str = "https://techdocs.akamai.com/edge-diagnostics/docs/error-codes";
const HEROKU_SRC: &str = "https://devcenter.heroku.com/articles/error-pages";
const VERCEL_SRC: &str = "https://vercel.com/docs/errors";
const NETLIFY_SRC: &str = "https://answers.netlify.com/t/netlify-function-invocations-fail-with-502-error-0-1-of-the-time/52673";
const TRAEFIK_SRC: &str = "https://doc.traefik.io/traefik/getting-started/faq/ (and pkg/proxy/httputil ErrorHandler: body is http.StatusText; other Go proxies may answer alike)";

const LIGHTTPD_SRC: &str = "lighttpd1.4 src/http-header-glue.c (http_response_body_clear/error pages), src/gw_backend.c; captured: lighttpd/1.4.69";
const H2O_SRC: &str =
    "h2o lib/core/proxy.c (h2o_req_log_error + h2o_send_error_502); captured: h2o 2.2.5";
const NGHTTPX_SRC: &str =
    "nghttp2 src/http2.cc (create_error_html); captured: nghttpx nghttp2/1.52.0";
const ATS_SRC: &str = "trafficserver configs/body_factory/default (connect#failed_connect, timeout#inactivity, connect#dns_failed); captured: ATS 9.2";
const TINYPROXY_SRC: &str = "tinyproxy data/templates/default.html.in, src/reqs.c (indicate_http_error); captured: tinyproxy 1.11.1";
const PRIVOXY_SRC: &str = "privoxy templates/ (connect-failed, connection-timeout, no-server-data, no-such-domain), jcc.c (INVALID_SERVER_HEADERS_RESPONSE); captured: Privoxy 3.0.34";
const MITMPROXY_SRC: &str =
    "mitmproxy/proxy/layers/http (make_error_response); captured: mitmproxy 11.0.2";
const PROXY_PY_SRC: &str = "proxy.py proxy/http/exception/proxy_conn_failed.py (BAD_GATEWAY_RESPONSE_PKT); captured: proxy.py 2.4.10";
const HPM_SRC: &str = "http-proxy-middleware src/handlers/response-interceptor / src/plugins/default/error-response-plugin.ts; captured: http-proxy-middleware 4.2.1";
const CRA_SRC: &str =
    "react-dev-utils WebpackDevServerUtils.js (onProxyError, formatProxyErrorResponse)";
const KONG_SRC: &str = "Kong kong/error_handlers.lua (BODIES s502/s503/s504), kong/runloop/balancer (failure to get a peer from the ring-balancer, name resolution failed), router (no Route matched); https://docs.konghq.com/gateway/latest/production/logging/";
const EXPRESS_SRC: &str = "finalhandler (Express's default error handler: <pre> with the error's stack); captured: express 5.3.0";
const EXPRESS_PROXY_SRC: &str = "express-http-proxy app/steps/sendProxyRequest.js (X-Timeout-Reason); captured: express-http-proxy 2.1.2";
const FASTIFY_SRC: &str =
    "@fastify/reply-from lib/errors.js (FST_REPLY_FROM_*); captured: @fastify/http-proxy 11.6.3";

/// Every fingerprint, generator rows first (by layer), on-path rows last.
pub static FINGERPRINTS: &[Fingerprint] = &[
    // ---- nginx ----
    generator("nginx.502_page", L::Nginx, &[502], &[], &[B::Contains("<title>502 Bad Gateway</title>"), B::Regex(NGINX_TAIL)],
        out(Some(E::ConnectionRefused), NGINX_502, Low), NGINX_SRC),
    generator("nginx.504_page", L::Nginx, &[504], &[], &[B::Contains("<title>504 Gateway Time-out</title>"), B::Regex(NGINX_TAIL)],
        out(Some(E::HttpResponseTimeout), NO_RESPONSE_IN_TIME, Medium), NGINX_SRC),
    generator("nginx.503_page", L::Nginx, &[503], &[], &[B::Contains("<title>503 Service Temporarily Unavailable</title>"), B::Regex(NGINX_TAIL)],
        out(Some(E::DestinationUnavailable), &[E::ConnectionLimitReached], Low), NGINX_SRC),
    generator("nginx.500_page", L::Nginx, &[500], &[], &[B::Contains("<title>500 Internal Server Error</title>"), B::Regex(NGINX_TAIL)],
        out(Some(E::ProxyInternalError), &[E::ProxyConfigurationError], Low), NGINX_SRC),
    generator("nginx.error_page", L::Nginx, &[], &[], &[B::Regex(r"<center><h1>\d{3} [^<]*</h1></center>"), B::Regex(NGINX_TAIL)],
        NONE, NGINX_SRC),
    // ---- Kubernetes ingress-nginx ----
    generator("ingress_nginx.default_backend", L::IngressNginx, &[404], &[], &[B::Equals("default backend - 404")],
        out(Some(E::DestinationNotFound), &[], Medium), "https://kubernetes.github.io/ingress-nginx/user-guide/default-backend/"),
    // ---- Apache httpd ----
    generator("apache.dns_failure", L::Apache, &[], &[], &[B::Contains("<h1>Proxy Error</h1>"), B::Regex(r"Reason: <strong>DNS lookup failure for: (?P<detail>[^<]*)</strong>")],
        out(Some(E::DnsError), &[E::DnsTimeout], High), APACHE_SRC),
    generator("apache.ssl_handshake", L::Apache, &[], &[], &[B::Contains("<h1>Proxy Error</h1>"), B::Regex(r"Reason: <strong>(?P<detail>Error during SSL Handshake with remote server)</strong>")],
        out(Some(E::TlsProtocolError), &[E::TlsCertificateError], Medium), APACHE_SRC),
    generator("apache.read_error", L::Apache, &[], &[], &[B::Contains("<h1>Proxy Error</h1>"), B::Regex(r"Reason: <strong>(?P<detail>Error reading from remote server)</strong>")],
        out(Some(E::ConnectionTerminated), &[E::HttpResponseTimeout, E::ConnectionReadTimeout, E::HttpResponseIncomplete], Low), APACHE_SRC),
    generator("apache.proxy_error", L::Apache, &[], &[], &[B::Contains("<h1>Proxy Error</h1>"), B::Regex(r"Reason: <strong>(?P<detail>[^<]*)</strong>")],
        out(Some(E::ProxyInternalError), CONNECT_FAILED, Low), APACHE_SRC),
    generator("apache.502_invalid_response", L::Apache, &[502], &[], &[B::Contains("<title>502 Bad Gateway</title>"), B::Contains("The proxy server received an invalid")],
        out(Some(E::HttpProtocolError), &[E::HttpResponseHeaderSectionSize, E::HttpResponseIncomplete], Low), APACHE_SRC),
    generator("apache.503_page", L::Apache, &[503], &[], &[B::Contains("<title>503 Service Unavailable</title>"), B::Contains("The server is temporarily unable to service your")],
        out(Some(E::ConnectionRefused), &[E::DestinationUnavailable, E::ConnectionTimeout, E::ConnectionLimitReached], Low), APACHE_SRC),
    generator("apache.504_page", L::Apache, &[504], &[], &[B::Contains("<title>504 Gateway Timeout</title>"), B::Contains("The gateway did not receive a timely")],
        out(Some(E::HttpResponseTimeout), &[E::ConnectionTimeout], Medium), APACHE_SRC),
    // An HTML 2.0/4.01 page with "<title>NNN …</title>" is written by many servers (Privoxy,
    // Tinyproxy's older templates, Java and Python servers): Apache needs its own signal too,
    // the Server header or the signature line (server/core.c ap_psignature).
    generator("apache.error_page", L::Apache, &[], &[H::StartsWith("server", "Apache")], &[B::Regex(r#"^<!DOCTYPE HTML PUBLIC "-//(?:IETF//DTD HTML 2\.0|W3C//DTD HTML 4\.01)//EN"[^<]*<html><head>\s*<title>\d{3} [^<]*</title>"#)],
        NONE, APACHE_SRC),
    generator("apache.error_page_signature", L::Apache, &[], &[], &[B::Regex(r"<address>(?P<detail>Apache(?:/[\w.]+)?(?: \([^)]*\))?[^<]*) Server at [^<]* Port \d+</address>"), B::Regex(r"<title>\d{3} [^<]*</title>")],
        NONE, "Apache httpd server/core.c (ap_psignature: ServerSignature On)"),
    // ---- Microsoft IIS, ARR, ANCM ----
    generator("iis.ancm_out_of_process", L::Iis, &[502], &[], &[B::Contains("HTTP Error 502.5 - ANCM Out-Of-Process Startup Failure")],
        out_sub(Some(E::DestinationUnavailable), High, "502.5", 5), ANCM_SRC),
    generator("iis.process_failure", L::Iis, &[502], &[], &[B::Contains("HTTP Error 502.5 - Process Failure")],
        out_sub(Some(E::DestinationUnavailable), High, "502.5", 5), "https://github.com/aspnet/IISIntegration/issues/200"),
    generator("iis.ancm_500_3x", L::Iis, &[500], &[], &[B::Regex(r"HTTP Error (?P<vendor_code>500\.(?P<sub_status>3\d)) - (?P<detail>(?:ANCM|ASP\.NET Core)[^<\r\n]*)")],
        out(None, &[], High), ANCM_SRC),
    generator("iis.502_3_hresult", L::Iis, &[502], &[],
        &[B::Regex(r"HTTP Error 502\.(?P<sub_status>3) - Bad Gateway"), B::Regex(r"<h4>(?P<detail>[^<]+)</h4>"), B::Regex(r"Error Code</th>\s*<td>(?:&nbsp;|\s)*(?P<vendor_code>0x[0-9a-fA-F]{8})")],
        out(Some(E::ConnectionRefused), CONNECT_FAILED, Low), IIS_SRC),
    generator("iis.502_remote", L::Iis, &[502], &[], &[B::Contains("502 - Web server received an invalid response while acting as a gateway or proxy server.")],
        out(Some(E::HttpProtocolError), &[E::ConnectionRefused, E::ConnectionTimeout, E::HttpResponseTimeout, E::ConnectionTerminated, E::DnsError], Low), IIS_SRC),
    // ---- HAProxy ----
    generator("haproxy.503_page", L::Haproxy, &[503], &[], &[B::Contains("<h1>503 Service Unavailable</h1>\nNo server is available to handle this request.")],
        out(Some(E::DestinationUnavailable), &[E::ConnectionRefused, E::ConnectionTimeout, E::DnsError], Low), HAPROXY_SRC),
    generator("haproxy.504_page", L::Haproxy, &[504], &[], &[B::Contains("<h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.")],
        out(Some(E::HttpResponseTimeout), &[E::ConnectionReadTimeout], Medium), HAPROXY_SRC),
    generator("haproxy.502_page", L::Haproxy, &[502], &[], &[B::Contains("<h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.")],
        out(Some(E::HttpProtocolError), &[E::ConnectionTerminated, E::HttpResponseIncomplete, E::HttpResponseHeaderSectionSize], Low), HAPROXY_SRC),
    generator("haproxy.500_page", L::Haproxy, &[500], &[], &[B::Contains("<h1>500 Internal Server Error</h1>\nAn internal server error occurred.")],
        out(Some(E::ProxyInternalError), &[], Medium), HAPROXY_SRC),
    generator("haproxy.403_page", L::Haproxy, &[403], &[], &[B::Contains("<h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.")],
        out(Some(E::HttpRequestDenied), &[], Medium), HAPROXY_SRC),
    generator("haproxy.error_page", L::Haproxy, &[], &[], &[B::Regex(r"^<html><body><h1>\d{3} [^<]*</h1>\n[^<]*\n</body></html>")],
        NONE, HAPROXY_SRC),
    // ---- Fastly (before Varnish: Fastly's page is a Varnish page with "Guru Mediation") ----
    generator("fastly.guru_mediation", L::Fastly, &[], &[], &[B::Regex(r"<h1>Error \d{3} (?P<vendor_code>[^<]+)</h1>"), B::Contains("Guru Mediation:"), B::Regex(r"Details: (?P<detail>cache-[^<]*)")],
        out(Some(E::DestinationUnavailable), ANY_BACKEND_FAILURE, Low), FASTLY_SRC),
    // ---- Varnish ----
    generator("varnish.backend_fetch_failed", L::Varnish, &[503], &[], &[B::Contains("<h1>Error 503 Backend fetch failed</h1>"), B::Contains("<h3>Guru Meditation:</h3>")],
        out(Some(E::ConnectionRefused), ANY_BACKEND_FAILURE, Low), VARNISH_SRC),
    generator("varnish.synth_page", L::Varnish, &[], &[], &[B::Regex(r"<h1>Error \d{3} (?P<detail>[^<]*)</h1>"), B::Contains("<h3>Guru Meditation:</h3>")],
        NONE, VARNISH_SRC),
    // ---- Squid ----
    generator("squid.x_squid_error_sysmsg", L::Squid, &[], &[H::Regex("x-squid-error", r"^(?P<vendor_code>ERR_[A-Z_]+)(?:\s+(?P<detail>-?\d+))?")], &[B::Regex(r"The system returned: <i>(?P<detail>[^<]*)</i>")],
        out(Some(E::ProxyInternalError), &[], Low), SQUID_SRC),
    generator("squid.x_squid_error", L::Squid, &[], &[H::Regex("x-squid-error", r"^(?P<vendor_code>ERR_[A-Z_]+)(?:\s+(?P<detail>-?\d+))?")], &[],
        out(Some(E::ProxyInternalError), &[], Low), SQUID_SRC),
    // ---- Envoy ----
    generator("envoy.upstream_reset", L::Envoy, &[], &[], &[B::Regex(r"^upstream connect error or disconnect/reset before headers\. (?:retried and the latest )?reset reason: (?P<vendor_code>[a-z ]+?)(?:, transport failure reason: (?P<detail>[^\r\n]*))?\s*$")],
        out(Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::ConnectionTerminated, E::TlsProtocolError], Low), ENVOY_SRC),
    generator("envoy.upstream_reset_bare", L::Envoy, &[], &[], &[B::Contains("upstream connect error or disconnect/reset before headers")],
        out(Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::ConnectionTerminated, E::ConnectionLimitReached], Low), ENVOY_SRC),
    generator("envoy.no_healthy_upstream", L::Envoy, &[], &[], &[B::Equals("no healthy upstream")],
        out_code(Some(E::DestinationUnavailable), &[], High, CodeSource::Fixed("no healthy upstream")), ENVOY_SRC),
    generator("envoy.upstream_request_timeout", L::Envoy, &[], &[], &[B::Equals("upstream request timeout")],
        out_code(Some(E::HttpResponseTimeout), &[], High, CodeSource::Fixed("upstream request timeout")), ENVOY_SRC),
    // ---- Caddy ----
    generator("caddy.empty_502", L::Caddy, &[502], &[H::Equals("server", "Caddy")], &[B::Empty],
        out(Some(E::ConnectionRefused), &[E::ConnectionTerminated, E::HttpProtocolError, E::HttpResponseHeaderSectionSize, E::DnsError, E::TlsProtocolError], Low),
        "https://caddyserver.com/docs/caddyfile/directives/reverse_proxy"),
    generator("caddy.empty_503", L::Caddy, &[503], &[H::Equals("server", "Caddy")], &[B::Empty],
        out(Some(E::DestinationUnavailable), &[E::DnsError, E::ConnectionRefused], Low), "https://caddyserver.com/docs/caddyfile/directives/reverse_proxy; captured: Caddy 2.6.2"),
    generator("caddy.empty_504", L::Caddy, &[504], &[H::Equals("server", "Caddy")], &[B::Empty],
        out(Some(E::HttpResponseTimeout), NO_RESPONSE_IN_TIME, Medium), "https://caddyserver.com/docs/caddyfile/directives/reverse_proxy"),
    // ---- Traefik ----
    generator("traefik.bad_gateway_text", L::Traefik, &[502], &[], &[B::Equals("Bad Gateway")],
        out(Some(E::ConnectionRefused), &[E::ConnectionTerminated, E::DnsError, E::TlsProtocolError, E::HttpProtocolError], Low), TRAEFIK_SRC),
    generator("traefik.gateway_timeout_text", L::Traefik, &[504], &[], &[B::Equals("Gateway Timeout")],
        out(Some(E::HttpResponseTimeout), &[E::ConnectionTimeout], Low), TRAEFIK_SRC),
    generator("traefik.service_unavailable_text", L::Traefik, &[503], &[], &[B::Equals("Service Unavailable")],
        out(Some(E::DestinationUnavailable), &[], Low), TRAEFIK_SRC),
    // ---- lighttpd (XHTML 1.0 page with the status as title and h1; only the Server header names it) ----
    generator("lighttpd.503_page", L::Lighttpd, &[503], &[H::StartsWith("server", "lighttpd")], &[B::Contains("<title>503 Service Unavailable</title>"), B::Contains("<h1>503 Service Unavailable</h1>")],
        out(Some(E::ConnectionRefused), &[E::DestinationUnavailable, E::ConnectionTimeout], Low), LIGHTTPD_SRC),
    generator("lighttpd.504_page", L::Lighttpd, &[504], &[H::StartsWith("server", "lighttpd")], &[B::Contains("<title>504 Gateway Timeout</title>"), B::Contains("<h1>504 Gateway Timeout</h1>")],
        out(Some(E::HttpResponseTimeout), NO_RESPONSE_IN_TIME, Medium), LIGHTTPD_SRC),
    generator("lighttpd.502_page", L::Lighttpd, &[502], &[H::StartsWith("server", "lighttpd")], &[B::Contains("<title>502 Bad Gateway</title>"), B::Contains("<h1>502 Bad Gateway</h1>")],
        out(Some(E::HttpProtocolError), &[E::HttpResponseHeaderSectionSize], Medium), LIGHTTPD_SRC),
    generator("lighttpd.500_page", L::Lighttpd, &[500], &[H::StartsWith("server", "lighttpd")], &[B::Contains("<title>500 Internal Server Error</title>"), B::Contains("<h1>500 Internal Server Error</h1>")],
        out(Some(E::ConnectionTerminated), &[E::ProxyInternalError], Low), LIGHTTPD_SRC),
    // ---- H2O (plain-text body: the reason lib/core/proxy.c gives) ----
    generator("h2o.connection_failed", L::H2o, &[502], &[H::StartsWith("server", "h2o")], &[B::Equals("connection failed")],
        out(Some(E::ConnectionRefused), &[E::ConnectionTimeout], Medium), H2O_SRC),
    generator("h2o.io_timeout", L::H2o, &[502], &[H::StartsWith("server", "h2o")], &[B::Equals("I/O timeout")],
        out(Some(E::HttpResponseTimeout), &[E::ConnectionReadTimeout], Medium), H2O_SRC),
    generator("h2o.io_error", L::H2o, &[502], &[H::StartsWith("server", "h2o")], &[B::Regex(r"^I/O error(?: \((?P<detail>[^)]*)\))?\s*$")],
        out(Some(E::ConnectionTerminated), &[E::HttpResponseIncomplete], Medium), H2O_SRC),
    generator("h2o.parse_failed", L::H2o, &[502], &[H::StartsWith("server", "h2o")], &[B::Equals("failed to parse the response")],
        out(Some(E::HttpProtocolError), &[], High), H2O_SRC),
    generator("h2o.name_not_known", L::H2o, &[502], &[H::StartsWith("server", "h2o")], &[B::Equals("Name or service not known")],
        out(Some(E::DnsError), &[E::DnsTimeout], High), H2O_SRC),
    // ---- nghttpx (HTML5 page with <footer>nghttpx</footer>) ----
    generator("nghttpx.502_page", L::Nghttpx, &[502], &[], &[B::Contains("<title>502 Bad Gateway</title>"), B::Contains("<footer>nghttpx</footer>")],
        out(Some(E::ConnectionRefused), &[E::ConnectionTerminated, E::HttpProtocolError, E::HttpResponseHeaderSectionSize, E::DnsError], Low), NGHTTPX_SRC),
    generator("nghttpx.504_page", L::Nghttpx, &[504], &[], &[B::Contains("<title>504 Gateway Timeout</title>"), B::Contains("<footer>nghttpx</footer>")],
        out(Some(E::HttpResponseTimeout), NO_RESPONSE_IN_TIME, Medium), NGHTTPX_SRC),
    // ---- Apache Traffic Server (body_factory/default templates, Server: ATS/…) ----
    generator("trafficserver.could_not_connect", L::Trafficserver, &[], &[], &[B::Contains("<TITLE>Could Not Connect</TITLE>"), B::Contains("Description: Could not connect to the requested server host.")],
        out(Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::ConnectionTerminated, E::HttpProtocolError], Low), ATS_SRC),
    generator("trafficserver.inactivity_timeout", L::Trafficserver, &[], &[], &[B::Contains("<TITLE>Inactivity Timeout</TITLE>"), B::Contains("Description: Too much time has passed without sending any data for document.")],
        out(Some(E::HttpResponseTimeout), &[E::ConnectionReadTimeout], Medium), ATS_SRC),
    generator("trafficserver.unknown_host", L::Trafficserver, &[], &[], &[B::Contains("<TITLE>Unknown Host</TITLE>"), B::Contains("Description: Unable to locate the server requested")],
        out(Some(E::DnsError), &[E::DnsTimeout], High), ATS_SRC),
    generator("trafficserver.bad_response", L::Trafficserver, &[502], &[], &[B::Contains("<TITLE>Web Server Error</TITLE>"), B::Contains("Description: The host requested did not return the document correctly.")],
        out(Some(E::ConnectionTerminated), &[E::HttpProtocolError, E::HttpResponseIncomplete], Low), ATS_SRC),
    // ---- Tinyproxy (default.html: "Generated by tinyproxy version …") ----
    generator("tinyproxy.unable_to_connect", L::Tinyproxy, &[], &[], &[B::Contains("Tinyproxy was unable to connect to the remote web server."), B::Contains("Generated by <a href=\"https://tinyproxy.github.io/\">tinyproxy</a>")],
        out(Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::DnsError, E::DestinationIpUnroutable], Low), TINYPROXY_SRC),
    generator("tinyproxy.headers_failed", L::Tinyproxy, &[], &[], &[B::Contains("Tinyproxy was unable to retrieve and process headers from the remote web server."), B::Contains("Generated by <a href=\"https://tinyproxy.github.io/\">tinyproxy</a>")],
        out(Some(E::HttpProtocolError), &[E::ConnectionTerminated], Medium), TINYPROXY_SRC),
    // ---- Privoxy (templates/*: "<title>NNN - … (Privoxy@host)</title>", or a plain-text line) ----
    generator("privoxy.connect_failed", L::Privoxy, &[], &[], &[B::Regex(r"<title>\d{3} - Connect failed \(Privoxy@[^)]*\)</title>"), B::Contains("Privoxy")],
        out(Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::DestinationIpUnroutable], Medium), PRIVOXY_SRC),
    generator("privoxy.connection_timeout", L::Privoxy, &[], &[], &[B::Regex(r"<title>\d{3} - Connection timeout \(Privoxy@[^)]*\)</title>"), B::Contains("Privoxy")],
        out(Some(E::HttpResponseTimeout), &[E::ConnectionTimeout], Medium), PRIVOXY_SRC),
    generator("privoxy.no_server_data", L::Privoxy, &[], &[], &[B::Regex(r"<title>\d{3} - No server or forwarder data received \(Privoxy@[^)]*\)</title>"), B::Contains("Privoxy")],
        out(Some(E::ConnectionTerminated), &[], High), PRIVOXY_SRC),
    generator("privoxy.no_such_domain", L::Privoxy, &[], &[], &[B::Regex(r"\(Privoxy@[^)]*\)</title>"), B::Contains("<h2>No such domain</h2>")],
        out(Some(E::DnsError), &[E::DnsTimeout], High), PRIVOXY_SRC),
    generator("privoxy.invalid_response", L::Privoxy, &[502], &[], &[B::Equals("Bad response. The server or forwarder response doesn't look like HTTP.")],
        out(Some(E::HttpProtocolError), &[], High), PRIVOXY_SRC),
    // ---- mitmproxy (502 page with the Python exception text; Server: mitmproxy …) ----
    generator("mitmproxy.connect_refused", L::Mitmproxy, &[502], &[H::StartsWith("server", "mitmproxy")], &[B::Regex(r"<p>(?P<detail>\[Errno 111\] Connect call failed[^<]*)</p>")],
        out(Some(E::ConnectionRefused), &[], High), MITMPROXY_SRC),
    generator("mitmproxy.dns", L::Mitmproxy, &[502], &[H::StartsWith("server", "mitmproxy")], &[B::Regex(r"<p>(?P<detail>\[Errno -[235]\] (?:Name or service not known|Temporary failure in name resolution|No address associated with hostname))</p>")],
        out(Some(E::DnsError), &[E::DnsTimeout], High), MITMPROXY_SRC),
    generator("mitmproxy.incomplete_body", L::Mitmproxy, &[502], &[H::StartsWith("server", "mitmproxy")], &[B::Regex(r"<p>(?P<detail>HTTP/1 protocol error: peer closed connection without sending complete message body[^<]*)</p>")],
        out(Some(E::HttpResponseIncomplete), &[], High), MITMPROXY_SRC),
    generator("mitmproxy.closed", L::Mitmproxy, &[502], &[H::StartsWith("server", "mitmproxy")], &[B::Regex(r"<p>(?P<detail>(?:HTTP/1 protocol error: )?(?:[Ss]erver disconnected|server closed connection|peer closed connection)[^<]*)</p>")],
        out(Some(E::ConnectionTerminated), &[], Medium), MITMPROXY_SRC),
    generator("mitmproxy.unexpected_response", L::Mitmproxy, &[502], &[H::StartsWith("server", "mitmproxy")], &[B::Regex(r"<p>(?P<detail>unexpected server response: [^<]*)</p>")],
        out(Some(E::HttpProtocolError), &[], High), MITMPROXY_SRC),
    // ---- proxy.py (Proxy-agent: proxy.py vX, body "Bad Gateway") ----
    generator("proxy_py.bad_gateway", L::ProxyPy, &[502], &[H::StartsWith("proxy-agent", "proxy.py")], &[B::Equals("Bad Gateway")],
        out(Some(E::ConnectionRefused), &[E::DnsError, E::ConnectionTimeout], Low), PROXY_PY_SRC),
    // ---- http-proxy-middleware (webpack-dev-server, create-react-app) ----
    // 504 for ECONNRESET/ENOTFOUND/ECONNREFUSED/ETIMEDOUT, 502 for HPE_INVALID_*, 500 otherwise.
    generator("http_proxy_middleware.error_504", L::HttpProxyMiddleware, &[504], &[], &[B::Regex(r"^Error occurred while trying to proxy: (?P<detail>\S*)\s*$")],
        out(Some(E::ConnectionRefused), &[E::ConnectionTerminated, E::HttpResponseTimeout, E::DnsError, E::ConnectionTimeout], Low), HPM_SRC),
    generator("http_proxy_middleware.error_502", L::HttpProxyMiddleware, &[502], &[], &[B::Regex(r"^Error occurred while trying to proxy: (?P<detail>\S*)\s*$")],
        out(Some(E::HttpProtocolError), &[], Medium), HPM_SRC),
    generator("http_proxy_middleware.error_500", L::HttpProxyMiddleware, &[500], &[], &[B::Regex(r"^Error occurred while trying to proxy: (?P<detail>\S*)\s*$")],
        out(Some(E::ProxyInternalError), &[E::HttpResponseHeaderSectionSize, E::HttpProtocolError], Low), HPM_SRC),
    // ---- Create React App's dev-server proxy (react-dev-utils onProxyError: 500 + one text line) ----
    generator("create_react_app.refused", L::CreateReactApp, &[500], &[], &[B::Regex(r"^Proxy error: Could not proxy request (?P<detail>\S+ from \S+ to \S+) \(ECONNREFUSED\)\.\s*$")],
        out(Some(E::ConnectionRefused), &[], High), CRA_SRC),
    generator("create_react_app.dns", L::CreateReactApp, &[500], &[], &[B::Regex(r"^Proxy error: Could not proxy request (?P<detail>\S+ from \S+ to \S+) \((?:ENOTFOUND|EAI_AGAIN)\)\.\s*$")],
        out(Some(E::DnsError), &[E::DnsTimeout], High), CRA_SRC),
    generator("create_react_app.proxy_error", L::CreateReactApp, &[500], &[], &[B::Regex(r"^Proxy error: Could not proxy request \S+ from \S+ to \S+ \((?P<detail>[A-Z_]+)\)\.\s*$")],
        out(Some(E::ConnectionTerminated), &[E::ConnectionTimeout, E::HttpResponseTimeout, E::TlsProtocolError, E::TlsCertificateError, E::HttpProtocolError], Low), CRA_SRC),
    // ---- Express (finalhandler's page; express-http-proxy's timeout header) ----
    generator("express.proxy_timeout", L::Express, &[504], &[H::Contains("x-timeout-reason", "express-http-proxy")], &[],
        out(Some(E::HttpResponseTimeout), &[E::ConnectionTerminated], Low), EXPRESS_PROXY_SRC),
    generator("express.node_error_page", L::Express, &[500], &[], &[B::Contains("<title>Error</title>"), B::Regex(r"<pre>(?P<detail>Error: (?:connect|getaddrinfo|read|write) (?P<vendor_code>E[A-Z]+)[^<]*)<br>")],
        out_code(None, &[], Medium, CodeSource::None), EXPRESS_SRC),
    generator("express.header_overflow", L::Express, &[500], &[], &[B::Contains("<title>Error</title>"), B::Regex(r"<pre>(?P<detail>Error: Parse Error: Header overflow)")],
        out(Some(E::HttpResponseHeaderSectionSize), &[], Medium), EXPRESS_SRC),
    generator("express.parse_error", L::Express, &[500], &[], &[B::Contains("<title>Error</title>"), B::Regex(r"<pre>(?P<detail>Error: Parse Error: [^<]*)<br>")],
        out(Some(E::HttpProtocolError), &[], Medium), EXPRESS_SRC),
    // ---- Fastify (@fastify/reply-from error codes in Fastify's JSON error body) ----
    generator("fastify.reply_from", L::Fastify, &[], &[], &[B::Regex(r#"^\{"statusCode":\d{3},"code":"(?P<vendor_code>FST_REPLY_FROM_[A-Z_]+|E[A-Z]+)","error":"[^"]*","message":"(?P<detail>[^"]*)"\}"#)],
        out(Some(E::ProxyInternalError), &[], Low), FASTIFY_SRC),
    // ---- Kong Gateway (JSON {"message": …} bodies) ----
    generator("kong.invalid_response", L::Kong, &[502], &[], &[B::Contains("\"message\":\"An invalid response was received from the upstream server\"")],
        out(Some(E::ConnectionRefused), &[E::ConnectionTerminated, E::HttpProtocolError, E::TlsProtocolError], Low), KONG_SRC),
    generator("kong.timing_out", L::Kong, &[504], &[], &[B::Contains("\"message\":\"The upstream server is timing out\"")],
        out(Some(E::HttpResponseTimeout), &[E::ConnectionTimeout, E::ConnectionReadTimeout], Medium), KONG_SRC),
    generator("kong.currently_unavailable", L::Kong, &[503], &[], &[B::Contains("\"message\":\"The upstream server is currently unavailable\"")],
        out(Some(E::DestinationUnavailable), &[E::ConnectionRefused], Low), KONG_SRC),
    generator("kong.no_peer", L::Kong, &[503], &[], &[B::Contains("\"message\":\"failure to get a peer from the ring-balancer\"")],
        out(Some(E::DestinationUnavailable), &[], High), KONG_SRC),
    // "name resolution failed" is generic wording: Kong only with Kong's own header.
    generator("kong.name_resolution_failed", L::Kong, &[503], &[H::Regex("server", r"^kong/")], &[B::Contains("\"message\":\"name resolution failed\"")],
        out(Some(E::DnsError), &[E::DnsTimeout], High), KONG_SRC),
    generator("kong.no_route", L::Kong, &[404], &[], &[B::Contains("\"message\":\"no Route matched with those values\"")],
        out(Some(E::DestinationNotFound), &[], Medium), KONG_SRC),
    // ---- Cloudflare ----
    generator("cloudflare.error_page", L::Cloudflare, &[], &[], &[B::Regex(r#"(?:class="code-label">Error code |class="cf-error-code">)(?P<vendor_code>\d{3,4})"#)],
        out(Some(E::ProxyInternalError), &[], Low), CF_5XX_SRC),
    generator("cloudflare.plain_error_code", L::Cloudflare, &[], &[], &[B::Regex(r"^\s*error code: (?P<vendor_code>\d{3,4})\s*$")],
        out(Some(E::ProxyInternalError), &[], Low), "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-1xxx-errors/"),
    generator("cloudflare.status_5xx", L::Cloudflare, &[520, 521, 522, 523, 524, 525, 526, 527, 530], &[H::Present("cf-ray")], &[],
        out_code(Some(E::ProxyInternalError), &[], Low, CodeSource::Status), CF_5XX_SRC),
    // ---- AWS Elastic Load Balancing ----
    generator("aws_elb.error_page", L::AwsElb, &[], &[H::StartsWith("server", "awselb")], &[B::Regex(r"<center><h1>\d{3} [^<]*</h1></center>")],
        out_code(None, &[], Medium, CodeSource::Status), ELB_SRC),
    generator("aws_elb.server_header", L::AwsElb, &[], &[H::StartsWith("server", "awselb")], &[],
        out_code(None, &[], Medium, CodeSource::Status), ELB_SRC),
    // ---- Amazon CloudFront ----
    generator("cloudfront.502_cannot_connect", L::Cloudfront, &[502], &[], &[B::Contains(CLOUDFRONT_TITLE), B::Contains("CloudFront wasn't able to connect to the origin.")],
        out(Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::TlsProtocolError, E::TlsCertificateError, E::DnsError], Low), CLOUDFRONT_SRC),
    generator("cloudfront.502_attempt_failed", L::Cloudfront, &[502], &[], &[B::Contains(CLOUDFRONT_TITLE), B::Contains("CloudFront attempted to establish a connection with the origin, but either the attempt failed or the origin closed the connection.")],
        out(Some(E::ConnectionTerminated), &[E::ConnectionRefused, E::TlsProtocolError, E::TlsCertificateError], Low), CLOUDFRONT_SRC),
    generator("cloudfront.504", L::Cloudfront, &[504], &[], &[B::Contains(CLOUDFRONT_TITLE)],
        out(Some(E::HttpResponseTimeout), &[E::ConnectionTimeout], Medium), CLOUDFRONT_SRC),
    generator("cloudfront.403", L::Cloudfront, &[403], &[], &[B::Contains(CLOUDFRONT_TITLE)],
        out(Some(E::HttpRequestDenied), &[], Medium), CLOUDFRONT_SRC),
    generator("cloudfront.502_page", L::Cloudfront, &[502], &[], &[B::Contains(CLOUDFRONT_TITLE)],
        out(Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::ConnectionTerminated, E::TlsProtocolError, E::TlsCertificateError, E::DnsError], Low), CLOUDFRONT_SRC),
    generator("cloudfront.503_lambda", L::Cloudfront, &[503], &[], &[B::Contains(CLOUDFRONT_TITLE), B::Contains("The Lambda function associated with the CloudFront distribution is invalid")],
        out(Some(E::ProxyConfigurationError), &[], Medium), "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-503-service-unavailable.html"),
    generator("cloudfront.5xx", L::Cloudfront, &[500, 503], &[], &[B::Contains(CLOUDFRONT_TITLE)],
        out(Some(E::DestinationUnavailable), &[E::ConnectionRefused, E::ConnectionTimeout, E::ProxyInternalError], Low), CLOUDFRONT_SRC),
    generator("cloudfront.error_page", L::Cloudfront, &[], &[], &[B::Contains(CLOUDFRONT_TITLE)],
        NONE, CLOUDFRONT_SRC),
    // ---- Google Front End ----
    generator("google_frontend.502_server_error", L::GoogleFrontend, &[502], &[], &[B::Contains("<h1>Error: Server Error</h1>"), B::Contains("The server encountered a temporary error and could not complete your request.")],
        out(Some(E::ConnectionRefused), &[E::ConnectionTimeout, E::HttpResponseTimeout, E::ConnectionTerminated, E::DestinationUnavailable], Low), GFE_SRC),
    // ---- Azure Front Door ----
    generator("azure_front_door.503_unavailable", L::AzureFrontDoor, &[503], &[H::Present("x-azure-ref")], &[B::Contains("Our services aren't available right now")],
        out(Some(E::HttpResponseTimeout), &[E::DestinationUnavailable, E::ConnectionTimeout], Low), AFD_SRC),
    // ---- Azure Application Gateway ----
    generator("azure_app_gateway.v2_502", L::AzureAppGateway, &[502], &[], &[B::Contains(APPGW_V2_TAIL)],
        out(Some(E::ConnectionRefused), &[E::DestinationUnavailable, E::ConnectionTimeout, E::HttpResponseTimeout, E::TlsCertificateError], Low), APPGW_SRC),
    generator("azure_app_gateway.v2_504", L::AzureAppGateway, &[504], &[], &[B::Contains(APPGW_V2_TAIL)],
        out(Some(E::HttpResponseTimeout), &[E::ConnectionTimeout], Medium), "https://learn.microsoft.com/en-us/azure/application-gateway/http-response-codes"),
    generator("azure_app_gateway.v2_403", L::AzureAppGateway, &[403], &[], &[B::Contains(APPGW_V2_TAIL)],
        out(Some(E::HttpRequestDenied), &[], Medium), "https://learn.microsoft.com/en-us/azure/application-gateway/http-response-codes"),
    // ---- Akamai ----
    generator("akamai.zero_size_object", L::Akamai, &[], &[], &[B::Contains("Zero size object"), B::Regex(AKAMAI_REF)],
        out(Some(E::ConnectionTerminated), &[E::HttpResponseIncomplete], Medium), AKAMAI_SRC),
    generator("akamai.gateway_timeout", L::Akamai, &[], &[], &[B::Contains("<H1>Gateway Timeout</H1>"), B::Regex(AKAMAI_REF)],
        out(Some(E::HttpResponseTimeout), &[E::ConnectionTimeout], Medium), "https://www.ip-info.xyz/articles/how-to-translate-akamai-error-messages"),
    generator("akamai.access_denied", L::Akamai, &[], &[], &[B::Contains("<H1>Access Denied</H1>"), B::Regex(AKAMAI_REF)],
        out(Some(E::HttpRequestDenied), &[], Medium), AKAMAI_SRC),
    generator("akamai.error_reference", L::Akamai, &[], &[], &[B::Regex(AKAMAI_REF)],
        out(Some(E::DestinationUnavailable), &[E::ConnectionRefused, E::ConnectionTimeout, E::TlsProtocolError, E::ConnectionTerminated], Low), AKAMAI_SRC),
    // ---- Heroku ----
    generator("heroku.application_error", L::Heroku, &[], &[], &[B::Contains("herokucdn.com/error-pages/application-error.html")],
        out(Some(E::DestinationUnavailable), &[E::HttpResponseTimeout, E::ConnectionTerminated, E::ConnectionRefused, E::ConnectionLimitReached], Low), HEROKU_SRC),
    generator("heroku.no_such_app", L::Heroku, &[], &[], &[B::Contains("herokucdn.com/error-pages/no-such-app.html")],
        out(Some(E::DestinationNotFound), &[], Medium), HEROKU_SRC),
    generator("heroku.maintenance", L::Heroku, &[], &[], &[B::Contains("herokucdn.com/error-pages/maintenance-mode.html")],
        out(Some(E::ProxyInternalResponse), &[], High), HEROKU_SRC),
    // ---- Vercel ----
    generator("vercel.x_vercel_error", L::Vercel, &[], &[H::Regex("x-vercel-error", r"^(?P<vendor_code>[A-Z][A-Z0-9_]+)$")], &[],
        out(Some(E::ProxyInternalError), &[], Low), VERCEL_SRC),
    // ---- Netlify ----
    generator("netlify.empty_502", L::Netlify, &[502], &[H::Equals("server", "Netlify")], &[B::Empty],
        out(Some(E::ConnectionTerminated), &[E::ConnectionRefused, E::HttpResponseTimeout, E::ProxyInternalError], Low), NETLIFY_SRC),
    // ---- application servers ----
    generator("gunicorn.error_page", L::Gunicorn, &[], &[], &[B::Regex(r"<title>(?P<detail>[^<]+)</title>\s*</head>\s*<body>\s*<h1><p>[^<]+</p></h1>")],
        NONE, "gunicorn/util.py (write_error)"),
    generator("uwsgi.error", L::Uwsgi, &[], &[], &[B::Regex(r"^<h1>uWSGI Error</h1>(?P<detail>[^<]*)")],
        NONE, "uWSGI core/utils.c (uwsgi_500)"),
    generator("php_fpm.file_not_found", L::PhpFpm, &[404], &[], &[B::Equals("File not found.")],
        out(None, &[], Low), "https://www.php.net/manual/en/install.fpm.php (nginx + PHP-FPM: SCRIPT_FILENAME not found)"),
    // ---- on the path only (the response was written behind these) ----
    on_path("fastly.served_by", L::Fastly, &[H::Contains("x-served-by", "cache-")], FASTLY_SRC),
    on_path("fastly.request_id", L::Fastly, &[H::Present("x-fastly-request-id")], FASTLY_SRC),
    on_path("cloudflare.server_header", L::Cloudflare, &[H::Equals("server", "cloudflare")], CF_5XX_SRC),
    on_path("cloudflare.cf_ray", L::Cloudflare, &[H::Present("cf-ray")], CF_5XX_SRC),
    on_path("cloudfront.x_cache", L::Cloudfront, &[H::Contains("x-cache", "cloudfront")], CLOUDFRONT_SRC),
    on_path("cloudfront.cf_id", L::Cloudfront, &[H::Present("x-amz-cf-id")], CLOUDFRONT_SRC),
    on_path("cloudfront.via", L::Cloudfront, &[H::Contains("via", "cloudfront")], CLOUDFRONT_SRC),
    on_path("akamai.server_header", L::Akamai, &[H::Equals("server", "AkamaiGHost")], AKAMAI_SRC),
    on_path("google_frontend.server_header", L::GoogleFrontend, &[H::Equals("server", "Google Frontend")], GFE_SRC),
    on_path("google_frontend.via", L::GoogleFrontend, &[H::Contains("via", "1.1 google")], GFE_SRC),
    on_path("azure_front_door.x_azure_ref", L::AzureFrontDoor, &[H::Present("x-azure-ref")], AFD_SRC),
    on_path("azure_app_gateway.server_header", L::AzureAppGateway, &[H::StartsWith("server", "Microsoft-Azure-Application-Gateway")], APPGW_SRC),
    on_path("heroku.via_vegur", L::Heroku, &[H::Contains("via", "vegur")], "https://devcenter.heroku.com/articles/http-routing"),
    on_path("heroku.via_router", L::Heroku, &[H::Contains("via", "heroku-router")], "https://devcenter.heroku.com/articles/http-routing"),
    on_path("vercel.x_vercel_id", L::Vercel, &[H::Present("x-vercel-id")], VERCEL_SRC),
    on_path("vercel.server_header", L::Vercel, &[H::Equals("server", "Vercel")], VERCEL_SRC),
    on_path("netlify.request_id", L::Netlify, &[H::Present("x-nf-request-id")], NETLIFY_SRC),
    on_path("netlify.server_header", L::Netlify, &[H::Equals("server", "Netlify")], NETLIFY_SRC),
    on_path("envoy.upstream_service_time", L::Envoy, &[H::Present("x-envoy-upstream-service-time")], "https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-upstream-service-time"),
    on_path("envoy.server_header", L::Envoy, &[H::Regex("server", r"^(?:istio-)?envoy$")], ENVOY_SRC),
    on_path("varnish.x_varnish", L::Varnish, &[H::Present("x-varnish")], VARNISH_SRC),
    on_path("varnish.via", L::Varnish, &[H::Contains("via", "varnish")], VARNISH_SRC),
    on_path("squid.via", L::Squid, &[H::Contains("via", "(squid")], SQUID_SRC),
    on_path("squid.server_header", L::Squid, &[H::StartsWith("server", "squid")], SQUID_SRC),
    on_path("iis.arr_header", L::Iis, &[H::StartsWith("x-powered-by", "ARR")], IIS_SRC),
    on_path("iis.server_header", L::Iis, &[H::StartsWith("server", "Microsoft-IIS")], IIS_SRC),
    on_path("caddy.server_header", L::Caddy, &[H::Equals("server", "Caddy")], "https://caddyserver.com/docs/caddyfile/directives/reverse_proxy"),
    on_path("apache.server_header", L::Apache, &[H::StartsWith("server", "Apache")], APACHE_SRC),
    on_path("gunicorn.server_header", L::Gunicorn, &[H::StartsWith("server", "gunicorn")], "https://docs.gunicorn.org/en/stable/settings.html"),
    on_path("lighttpd.server_header", L::Lighttpd, &[H::StartsWith("server", "lighttpd")], LIGHTTPD_SRC),
    on_path("h2o.server_header", L::H2o, &[H::StartsWith("server", "h2o/")], H2O_SRC),
    on_path("kong.server_header", L::Kong, &[H::Regex("server", r"^kong/")], KONG_SRC),
    on_path("kong.via", L::Kong, &[H::Contains("via", "kong/")], KONG_SRC),
    on_path("kong.latency_header", L::Kong, &[H::Present("x-kong-proxy-latency")], KONG_SRC),
    on_path("kong.request_id", L::Kong, &[H::Present("x-kong-request-id")], KONG_SRC),
    on_path("kong.response_latency", L::Kong, &[H::Present("x-kong-response-latency")], KONG_SRC),
    on_path("kong.upstream_latency", L::Kong, &[H::Present("x-kong-upstream-latency")], KONG_SRC),
    on_path("express.x_powered_by", L::Express, &[H::StartsWith("x-powered-by", "Express")], EXPRESS_SRC),
    on_path("nghttpx.server_header", L::Nghttpx, &[H::Equals("server", "nghttpx")], NGHTTPX_SRC),
    on_path("nghttpx.via", L::Nghttpx, &[H::Contains("via", "nghttpx")], NGHTTPX_SRC),
    on_path("trafficserver.server_header", L::Trafficserver, &[H::StartsWith("server", "ATS/")], ATS_SRC),
    on_path("trafficserver.via", L::Trafficserver, &[H::Contains("via", "ApacheTrafficServer")], ATS_SRC),
    on_path("tinyproxy.via", L::Tinyproxy, &[H::Contains("via", "tinyproxy")], TINYPROXY_SRC),
    on_path("tinyproxy.server_header", L::Tinyproxy, &[H::StartsWith("server", "tinyproxy")], TINYPROXY_SRC),
    on_path("mitmproxy.server_header", L::Mitmproxy, &[H::StartsWith("server", "mitmproxy")], MITMPROXY_SRC),
    on_path("proxy_py.proxy_agent", L::ProxyPy, &[H::StartsWith("proxy-agent", "proxy.py")], PROXY_PY_SRC),
    on_path("nginx.server_header", L::Nginx, &[H::Regex("server", r"^(?:nginx|openresty)(?:/|$)")], NGINX_SRC),
];
