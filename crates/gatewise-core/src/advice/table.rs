//! The two tables of advice: [`REMEDIES`] (one row per remedy: who it is
//! for, the component it acts on, when it applies, its commands per
//! platform or layer, its source) and [`ADVICE`] (one row per error type,
//! hop and segment, plus a generic row: remedy ids per audience, most likely
//! first, at most [`super::MAX_PER_AUDIENCE`] each).

use super::platform::{Component, Platform};
use crate::hop::{Hop, Segment};
use crate::taxonomy::seed;
use crate::{Audience, ErrorType, Layer};

/// Where a command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// Any machine (curl, nslookup, git).
    Any,
    /// A machine of this platform (see [`Platform::runs`]).
    Platform(Platform),
    /// The machine of this layer (its own configuration test, log command).
    Layer(Layer),
}

/// One command of a remedy: where it runs, and its template.
///
/// Placeholders: `{url}`, `{host}`, `{port}` (the site, from the page's
/// URL); `{upstream_url}`, `{upstream_host}`, `{upstream_port}` (the far end
/// of the failing link, from the evidence); `{log}` (a log file),
/// `{log_dir}` (a log folder) and `{service}` (a systemd unit) of the
/// component the remedy acts on. A command whose placeholders cannot all be
/// filled is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// Where it runs.
    pub on: On,
    /// The command line.
    pub template: &'static str,
}

/// When a remedy applies, besides being in the row of the diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Always.
    Nothing,
    /// The layer that wrote the error is a gateway the owner runs or
    /// configures (not the visitor's browser, not the application itself).
    Gateway,
    /// A gateway with a machine of its own the owner can log in to (not a
    /// managed CDN or load balancer, not a Worker).
    OwnGateway,
    /// A managed CDN, load balancer or platform.
    HostedGateway,
    /// A gateway whose own log says more than this page: not the worker
    /// (its page is its log) unless the worker itself failed.
    GatewayLog,
    /// A gateway that failed itself (or the diagnosis does not say which component failed).
    GatewayFailed,
}

/// One remedy: a catalog text (`remedy.<id>`), its audience, what it acts
/// on, when it applies, and its commands (the first that fits is used).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Remedy {
    /// Stable id; its text is the catalog key `remedy.<id>`.
    pub id: &'static str,
    /// Who the remedy is for.
    pub audience: Audience,
    /// The component it acts on.
    pub component: Component,
    /// When it applies.
    pub need: Need,
    /// Its commands, most specific first.
    pub commands: &'static [Command],
    /// Where the remedy comes from (seed article, vendor doc, RFC).
    pub source: &'static str,
}

const fn r(
    id: &'static str,
    audience: Audience,
    component: Component,
    need: Need,
    commands: &'static [Command],
    source: &'static str,
) -> Remedy {
    Remedy {
        id,
        audience,
        component,
        need,
        commands,
        source,
    }
}

const fn c(on: On, template: &'static str) -> Command {
    Command { on, template }
}

const CHROMIUM_PAGE: &str = "https://chromium.googlesource.com/chromium/src/+/HEAD/components/error_page/common/localized_error.cc";
const NGINX_PROXY: &str = "https://nginx.org/en/docs/http/ngx_http_proxy_module.html";
const TOOLCHAIN: &str =
    "captured: workerd, TLS to a plain port → WRONG_VERSION_NUMBER (TOOLCHAIN.md)";
const SYSTEMCTL: &str = "https://www.freedesktop.org/software/systemd/man/latest/systemctl.html";
const JOURNALCTL: &str = "https://www.freedesktop.org/software/systemd/man/latest/journalctl.html";

use Audience::{Developer as Dev, Owner, Visitor};
use Component::{Behind, Client, Device, Network, Reporter, Site};
use Need::{Gateway, GatewayFailed, GatewayLog, HostedGateway, Nothing, OwnGateway};
use On::{Any, Layer as L, Platform as P};
use Platform::{Heroku, Kubernetes, Linux, MacOs, Unix, Windows};

const CURL_SITE: &[Command] = &[c(P(Windows), "curl.exe -v {url}"), c(Any, "curl -v {url}")];
const DIG: &[Command] = &[
    c(P(Unix), "dig +short {upstream_host}"),
    c(P(Windows), "Resolve-DnsName {upstream_host}"),
    c(Any, "nslookup {upstream_host}"),
];
const DIG_PUBLIC: &[Command] = &[
    c(P(Unix), "dig @1.1.1.1 {upstream_host}"),
    c(
        P(Windows),
        "Resolve-DnsName {upstream_host} -Server 1.1.1.1",
    ),
    c(Any, "nslookup {upstream_host} 1.1.1.1"),
];

/// Every remedy gatewise knows.
#[rustfmt::skip]
pub const REMEDIES: &[Remedy] = &[
    // Visitor.
    r("refresh_page", Visitor, Device, Nothing, &[], seed::FIX_GUIDE),
    r("try_again_later", Visitor, Device, Nothing, &[], seed::FIX_GUIDE),
    r("clear_browser_cache", Visitor, Device, Nothing, &[], seed::CHECKUPDOWN),
    r("try_other_browser", Visitor, Device, Nothing, &[], seed::FIX_GUIDE),
    r("restart_device_router", Visitor, Device, Nothing, &[], seed::FIX_GUIDE),
    r("check_other_sites", Visitor, Device, Nothing, &[], seed::CHECKUPDOWN),
    r("contact_isp", Visitor, Network, Nothing, &[], seed::CHECKUPDOWN),
    r("contact_site", Visitor, Site, Nothing, &[], seed::CHECKUPDOWN),
    r("check_address", Visitor, Device, Nothing, &[], CHROMIUM_PAGE),
    r("check_own_proxy_vpn", Visitor, Device, Nothing, &[], CHROMIUM_PAGE),
    r("disable_extensions", Visitor, Device, Nothing, &[], "https://chromium.googlesource.com/chromium/src/+/HEAD/net/base/net_error_list.h (ERR_BLOCKED_BY_CLIENT)"),
    r("avoid_resubmitting", Visitor, Device, Nothing, &[], "RFC 9110 §9.2.2"),
    // Site owner: the server behind the layer that wrote the error.
    r("check_upstream_running", Owner, Behind, Nothing, &[
        c(P(Linux), "systemctl status {service}"),
        c(P(Windows), "Get-IISAppPool"),
        c(P(Heroku), "heroku ps"),
        c(P(Kubernetes), "kubectl get pods --all-namespaces"),
    ], seed::FIX_GUIDE),
    r("check_listening_port", Owner, Behind, Nothing, &[
        c(P(Linux), "ss -ltnp 'sport = :{upstream_port}'"),
        c(P(MacOs), "lsof -nP -iTCP:{upstream_port} -sTCP:LISTEN"),
        c(P(Windows), "Get-NetTCPConnection -State Listen -LocalPort {upstream_port}"),
    ], "https://man7.org/linux/man-pages/man8/ss.8.html"),
    r("restart_upstream", Owner, Behind, Nothing, &[
        c(P(Linux), "sudo systemctl restart {service}"),
        c(P(Heroku), "heroku ps:restart"),
    ], SYSTEMCTL),
    r("read_upstream_log", Owner, Behind, Nothing, &[
        c(P(Linux), "journalctl -u {service} --since \"10 min ago\""),
        c(P(Unix), "tail -n 50 {log}"),
        c(P(Windows), "Get-WinEvent -LogName Application -MaxEvents 20"),
        c(P(Heroku), "heroku logs --tail"),
    ], JOURNALCTL),
    r("check_oom_kills", Owner, Behind, Nothing, &[
        c(P(Linux), "journalctl -k --since \"1 hour ago\" | grep -i \"out of memory\""),
    ], seed::FIX_GUIDE),
    r("review_resource_usage", Owner, Behind, Nothing, &[
        c(P(Linux), "top -b -n 1 | head -n 20"),
        c(P(MacOs), "top -l 1 | head -n 20"),
        c(P(Windows), "Get-Process | Sort-Object CPU -Descending | Select-Object -First 10"),
        c(P(Kubernetes), "kubectl top pods --all-namespaces"),
    ], seed::FIX_GUIDE),
    r("reconfigure_firewall", Owner, Behind, Nothing, &[
        c(P(Linux), "sudo nft list ruleset"),
        c(P(Windows), "Get-NetFirewallRule -Enabled True -Direction Inbound -Action Block"),
    ], seed::FIX_GUIDE),
    r("renew_certificate", Owner, Behind, Nothing, &[c(P(Linux), "sudo certbot renew")], "https://eff-certbot.readthedocs.io/en/stable/using.html#renewing-certificates"),
    r("fix_certificate_name", Owner, Behind, Nothing, &[], "RFC 9110 §4.3.4"),
    r("install_full_chain", Owner, Behind, Nothing, &[], "https://docs.openssl.org/master/man1/openssl-verify/"),
    // Site owner: the network between the gateway and the server behind it.
    r("request_upstream_directly", Owner, Network, OwnGateway, &[
        c(P(Windows), "curl.exe -sv {upstream_url}"),
        c(P(Unix), "curl -sv {upstream_url}"),
    ], seed::TAIMANE),
    r("check_dns_settings", Owner, Network, Nothing, DIG, seed::FIX_GUIDE),
    r("check_dns_server", Owner, Network, Nothing, DIG_PUBLIC, seed::FIX_GUIDE),
    r("ping_host", Owner, Network, Nothing, &[
        c(P(Unix), "ping -c 4 {upstream_host}"),
        c(P(Windows), "Test-Connection {upstream_host} -Count 4"),
    ], seed::FIX_GUIDE),
    r("traceroute_host", Owner, Network, Nothing, &[
        c(P(Unix), "traceroute {upstream_host}"),
        c(P(Windows), "tracert {upstream_host}"),
    ], seed::FIX_GUIDE),
    r("inspect_certificate", Owner, Network, Nothing, &[
        c(P(Unix), "openssl s_client -connect {upstream_host}:{upstream_port} -servername {upstream_host}"),
    ], "https://docs.openssl.org/master/man1/openssl-s_client/"),
    // Site owner: the layer that wrote the error.
    r("read_gateway_log", Owner, Reporter, GatewayLog, &[
        c(L(Layer::IngressNginx), "kubectl logs -n ingress-nginx deploy/ingress-nginx-controller --tail=50"),
        c(L(Layer::Iis), "Get-ChildItem {log_dir} -Recurse -Filter *.log | Sort-Object LastWriteTime | Select-Object -Last 1 | Get-Content -Tail 50"),
        c(L(Layer::Caddy), "journalctl -u caddy --since \"10 min ago\""),
        c(L(Layer::Varnish), "varnishlog -d -g request -q 'RespStatus >= 500'"),
        c(L(Layer::Heroku), "heroku logs --tail"),
        c(L(Layer::Gatewise), "npx wrangler tail"),
        c(L(Layer::Workerd), "npx wrangler tail"),
        c(P(Unix), "tail -n 50 {log}"),
    ], seed::FIX_GUIDE),
    r("check_gateway_running", Owner, Reporter, GatewayFailed, &[
        c(L(Layer::Iis), "Get-Service W3SVC, WAS"),
        c(L(Layer::IngressNginx), "kubectl get pods -n ingress-nginx"),
        c(P(Linux), "systemctl status {service}"),
    ], SYSTEMCTL),
    r("restart_gateway", Owner, Reporter, GatewayFailed, &[
        c(L(Layer::Iis), "iisreset"),
        c(L(Layer::IngressNginx), "kubectl rollout restart -n ingress-nginx deploy/ingress-nginx-controller"),
        c(P(Linux), "sudo systemctl restart {service}"),
    ], SYSTEMCTL),
    r("check_gateway_config", Owner, Reporter, Gateway, &[
        c(L(Layer::Nginx), "sudo nginx -t"),
        c(L(Layer::Apache), "sudo apachectl configtest"),
        c(L(Layer::Haproxy), "haproxy -c -f /etc/haproxy/haproxy.cfg"),
        c(L(Layer::Caddy), "caddy validate --config /etc/caddy/Caddyfile"),
        c(L(Layer::Squid), "sudo squid -k parse"),
        c(L(Layer::Varnish), "varnishd -C -f /etc/varnish/default.vcl"),
        c(L(Layer::IngressNginx), "kubectl describe ingress --all-namespaces"),
    ], seed::FIX_GUIDE),
    r("check_upstream_address", Owner, Reporter, Gateway, &[], seed::LANGUAGES),
    r("check_load_balancer", Owner, Reporter, Gateway, &[], seed::FIX_GUIDE),
    r("check_backend_health", Owner, Reporter, Gateway, &[], seed::FIX_GUIDE),
    r("check_health_checks", Owner, Reporter, Gateway, &[], "RFC 9209 §2.3.4"),
    r("trust_private_ca", Owner, Reporter, Gateway, &[], "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ssl_trusted_certificate"),
    r("match_upstream_scheme", Owner, Reporter, Gateway, &[], TOOLCHAIN),
    r("align_tls_versions", Owner, Reporter, Gateway, &[], "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ssl_protocols"),
    r("send_client_cert", Owner, Reporter, Gateway, &[], "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ssl_certificate"),
    r("raise_proxy_timeouts", Owner, Reporter, Gateway, &[], NGINX_PROXY),
    r("align_keepalive_timeouts", Owner, Reporter, Gateway, &[], "RFC 9112 §9.3.1"),
    r("raise_header_buffers", Owner, Reporter, Gateway, &[], "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_buffer_size"),
    r("raise_body_limit", Owner, Reporter, Gateway, &[], "RFC 9209 §2.3.21"),
    r("forward_upgrade_headers", Owner, Reporter, Gateway, &[], "https://nginx.org/en/docs/http/websocket.html"),
    r("configure_route", Owner, Reporter, Gateway, &[], "RFC 9209 §2.3.3"),
    r("review_ip_policy", Owner, Reporter, Gateway, &[], "RFC 9209 §2.3.5"),
    r("raise_connection_limit", Owner, Reporter, Gateway, &[], "RFC 9209 §2.3.12"),
    r("review_security_rules", Owner, Reporter, Gateway, &[], seed::FIX_GUIDE),
    r("check_rate_limits", Owner, Reporter, Gateway, &[], "RFC 6585 §4"),
    r("fix_origin_loop", Owner, Reporter, Gateway, &[], "RFC 8586"),
    r("check_cdn_status", Owner, Reporter, HostedGateway, &[], seed::TAIMANE),
    // Site owner: the site as a whole.
    r("request_url_verbose", Owner, Site, Nothing, CURL_SITE, seed::FIX_GUIDE),
    r("drill_through_to_origin", Owner, Site, Nothing, &[], seed::TAIMANE),
    r("review_recent_deploys", Owner, Site, Nothing, &[c(Any, "git log --oneline --since \"2 days ago\"")], seed::FIX_GUIDE),
    r("check_maintenance_mode", Owner, Site, Nothing, &[], seed::WIKIPEDIA),
    r("update_software", Owner, Site, Nothing, &[], seed::FIX_GUIDE),
    r("contact_hosting_provider", Owner, Site, Nothing, &[], seed::FIX_GUIDE),
    // Developer.
    r("check_dependencies", Dev, Behind, Nothing, &[], seed::FIX_GUIDE),
    r("optimize_code", Dev, Behind, Nothing, &[], seed::FIX_GUIDE),
    r("scale_capacity", Dev, Behind, Nothing, &[], seed::FIX_GUIDE),
    r("add_timeouts_and_retries", Dev, Client, Nothing, &[], seed::LANGUAGES),
    r("handle_gateway_errors", Dev, Client, Nothing, &[], seed::LANGUAGES),
    r("use_alternative_upstream", Dev, Client, Nothing, &[], seed::LANGUAGES),
    r("respect_retry_after", Dev, Client, Nothing, &[], "RFC 9110 §10.2.3"),
    r("make_retries_safe", Dev, Client, Nothing, &[], "RFC 9110 §9.2.2"),
    r("retry_idempotent_on_reset", Dev, Client, Nothing, &[], "RFC 9112 §9.3.1"),
    r("read_error_cause", Dev, Client, Nothing, &[], "https://undici.nodejs.org/#/docs/api/Errors"),
    r("check_devtools", Dev, Client, Nothing, &[], "https://fetch.spec.whatwg.org/#concept-network-error"),
    r("fix_cors", Dev, Behind, Nothing, &[], "https://fetch.spec.whatwg.org/#cors-protocol"),
    r("handle_exceptions", Dev, Behind, Nothing, &[], seed::FIX_GUIDE),
    r("write_valid_http", Dev, Behind, Nothing, &[], seed::CHECKUPDOWN),
    r("fix_framing", Dev, Behind, Nothing, &[], "RFC 9112 §6.3"),
    r("fix_compression", Dev, Behind, Nothing, &[], "RFC 9110 §8.4"),
    r("shrink_headers", Dev, Behind, Nothing, &[], "RFC 9209 §2.3.19"),
    r("paginate_large_responses", Dev, Behind, Nothing, &[], "RFC 9209 §2.3.21"),
    r("move_slow_work_to_background", Dev, Behind, Nothing, &[], "RFC 9110 §15.3.3"),
    r("verify_tls_properly", Dev, Client, Nothing, &[], "https://nodejs.org/api/cli.html#node_extra_ca_certsfile"),
    r("use_valid_upstream_url", Dev, Client, Nothing, &[], "https://url.spec.whatwg.org/"),
    r("reproduce_locally", Dev, Site, Nothing, CURL_SITE, seed::FIX_GUIDE),
];

/// What an advice row applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Diagnoses of this RFC 9209 type (as primary type or alternative).
    Type(ErrorType),
    /// Diagnoses without a type row, at this hop.
    Hop(Hop),
    /// Diagnoses in this segment ([`Segment::Client`] rows lead; others are fallbacks).
    Segment(Segment),
    /// The fallback when nothing else matched.
    Generic,
}

/// One row of the advice table: remedy ids per audience, most likely first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AdviceRow {
    /// What the row applies to.
    pub when: When,
    /// Remedies for visitors.
    pub visitor: &'static [&'static str],
    /// Remedies for the site owner.
    pub owner: &'static [&'static str],
    /// Remedies for developers.
    pub developer: &'static [&'static str],
}

impl AdviceRow {
    /// The remedy ids of this row for `audience`.
    pub fn ids(&self, audience: Audience) -> &'static [&'static str] {
        match audience {
            Audience::Visitor => self.visitor,
            Audience::Owner => self.owner,
            Audience::Developer => self.developer,
        }
    }
}

const fn row(
    when: When,
    visitor: &'static [&'static str],
    owner: &'static [&'static str],
    developer: &'static [&'static str],
) -> AdviceRow {
    AdviceRow {
        when,
        visitor,
        owner,
        developer,
    }
}

const SIZE_V: &[&str] = &["clear_browser_cache", "contact_site"];
const TRAILER_V: &[&str] = &["contact_site"];

/// The advice table: one row per error type, hop and segment, and a generic fallback.
#[rustfmt::skip]
pub const ADVICE: &[AdviceRow] = &[
    row(When::Type(ErrorType::DnsTimeout),
        &["refresh_page", "try_again_later", "check_other_sites"],
        &["check_dns_server", "check_dns_settings", "read_gateway_log", "contact_hosting_provider"],
        &["add_timeouts_and_retries", "handle_gateway_errors"]),
    row(When::Type(ErrorType::DnsError),
        &["check_address", "refresh_page", "try_again_later", "contact_site"],
        &["check_dns_settings", "check_dns_server", "check_upstream_address", "read_gateway_log"],
        &["read_error_cause", "use_valid_upstream_url", "handle_gateway_errors"]),
    row(When::Type(ErrorType::DestinationNotFound),
        &["check_address", "contact_site"],
        &["configure_route", "check_gateway_config", "read_gateway_log", "review_recent_deploys"],
        &["use_valid_upstream_url", "handle_gateway_errors"]),
    row(When::Type(ErrorType::DestinationUnavailable),
        &["try_again_later", "refresh_page", "contact_site"],
        &["check_health_checks", "check_upstream_running", "check_backend_health", "check_maintenance_mode", "review_resource_usage"],
        &["respect_retry_after", "use_alternative_upstream", "scale_capacity"]),
    row(When::Type(ErrorType::DestinationIpProhibited),
        &["contact_site"],
        &["review_ip_policy", "check_dns_settings", "check_gateway_config"],
        &["use_valid_upstream_url"]),
    row(When::Type(ErrorType::DestinationIpUnroutable),
        &["try_again_later", "contact_site"],
        &["traceroute_host", "ping_host", "check_dns_settings", "reconfigure_firewall", "contact_hosting_provider"],
        &["use_alternative_upstream", "add_timeouts_and_retries"]),
    row(When::Type(ErrorType::ConnectionRefused),
        &["try_again_later", "refresh_page", "contact_site"],
        &["check_upstream_running", "check_listening_port", "check_upstream_address", "read_gateway_log", "restart_upstream"],
        &["add_timeouts_and_retries", "use_alternative_upstream", "handle_gateway_errors"]),
    row(When::Type(ErrorType::ConnectionTerminated),
        &["refresh_page", "avoid_resubmitting", "try_again_later", "contact_site"],
        &["read_upstream_log", "check_oom_kills", "align_keepalive_timeouts", "request_upstream_directly", "read_gateway_log"],
        &["handle_exceptions", "retry_idempotent_on_reset", "make_retries_safe"]),
    row(When::Type(ErrorType::ConnectionTimeout),
        &["try_again_later", "check_other_sites", "contact_site"],
        &["check_upstream_running", "reconfigure_firewall", "ping_host", "traceroute_host", "review_resource_usage"],
        &["add_timeouts_and_retries", "use_alternative_upstream"]),
    row(When::Type(ErrorType::ConnectionReadTimeout),
        &["try_again_later", "avoid_resubmitting", "contact_site"],
        &["review_resource_usage", "read_upstream_log", "request_upstream_directly", "raise_proxy_timeouts", "check_load_balancer"],
        &["optimize_code", "check_dependencies", "move_slow_work_to_background", "scale_capacity"]),
    row(When::Type(ErrorType::ConnectionWriteTimeout),
        &["try_again_later", "avoid_resubmitting"],
        &["review_resource_usage", "ping_host", "read_gateway_log"],
        &["optimize_code", "scale_capacity", "make_retries_safe"]),
    row(When::Type(ErrorType::ConnectionLimitReached),
        &["try_again_later", "refresh_page"],
        &["raise_connection_limit", "review_resource_usage", "check_load_balancer"],
        &["scale_capacity", "respect_retry_after", "optimize_code"]),
    row(When::Type(ErrorType::TlsProtocolError),
        &["contact_site", "try_again_later"],
        &["inspect_certificate", "match_upstream_scheme", "align_tls_versions", "check_gateway_config"],
        &["verify_tls_properly", "reproduce_locally"]),
    row(When::Type(ErrorType::TlsCertificateError),
        &["contact_site", "try_again_later"],
        &["inspect_certificate", "renew_certificate", "fix_certificate_name", "install_full_chain", "trust_private_ca"],
        &["verify_tls_properly"]),
    row(When::Type(ErrorType::TlsAlertReceived),
        &["contact_site"],
        &["inspect_certificate", "align_tls_versions", "send_client_cert", "check_gateway_config"],
        &["verify_tls_properly", "reproduce_locally"]),
    row(When::Type(ErrorType::HttpRequestError),
        &["check_address", "clear_browser_cache", "refresh_page"],
        &["read_gateway_log", "check_gateway_config", "check_rate_limits"],
        &["shrink_headers", "handle_gateway_errors"]),
    row(When::Type(ErrorType::HttpRequestDenied),
        &["contact_site", "check_own_proxy_vpn"],
        &["review_security_rules", "check_rate_limits", "read_gateway_log"],
        &["respect_retry_after", "handle_gateway_errors"]),
    row(When::Type(ErrorType::HttpResponseIncomplete),
        &["refresh_page", "avoid_resubmitting", "try_again_later"],
        &["read_upstream_log", "check_oom_kills", "request_upstream_directly", "align_keepalive_timeouts", "raise_proxy_timeouts"],
        &["fix_framing", "handle_exceptions", "make_retries_safe"]),
    row(When::Type(ErrorType::HttpResponseHeaderSectionSize),
        SIZE_V,
        &["raise_header_buffers", "request_upstream_directly", "read_gateway_log"],
        &["shrink_headers"]),
    row(When::Type(ErrorType::HttpResponseHeaderSize),
        SIZE_V,
        &["raise_header_buffers", "request_upstream_directly", "read_gateway_log"],
        &["shrink_headers"]),
    row(When::Type(ErrorType::HttpResponseBodySize),
        &["contact_site"],
        &["raise_body_limit", "read_gateway_log"],
        &["paginate_large_responses"]),
    row(When::Type(ErrorType::HttpResponseTrailerSectionSize),
        TRAILER_V,
        &["raise_header_buffers", "read_gateway_log"],
        &["shrink_headers"]),
    row(When::Type(ErrorType::HttpResponseTrailerSize),
        TRAILER_V,
        &["raise_header_buffers", "read_gateway_log"],
        &["shrink_headers"]),
    row(When::Type(ErrorType::HttpResponseTransferCoding),
        &["refresh_page", "contact_site"],
        &["request_upstream_directly", "read_upstream_log", "update_software"],
        &["fix_framing", "write_valid_http"]),
    row(When::Type(ErrorType::HttpResponseContentCoding),
        &["clear_browser_cache", "refresh_page", "contact_site"],
        &["check_gateway_config", "request_upstream_directly", "update_software"],
        &["fix_compression"]),
    row(When::Type(ErrorType::HttpResponseTimeout),
        &["try_again_later", "avoid_resubmitting", "refresh_page", "contact_site"],
        &["review_resource_usage", "read_upstream_log", "raise_proxy_timeouts", "restart_upstream", "check_load_balancer"],
        &["optimize_code", "check_dependencies", "move_slow_work_to_background", "scale_capacity", "add_timeouts_and_retries"]),
    row(When::Type(ErrorType::HttpUpgradeFailed),
        &["refresh_page", "try_other_browser", "contact_site"],
        &["forward_upgrade_headers", "check_gateway_config", "read_gateway_log"],
        &["reproduce_locally", "handle_gateway_errors"]),
    row(When::Type(ErrorType::HttpProtocolError),
        &["refresh_page", "contact_site"],
        &["request_upstream_directly", "check_upstream_address", "match_upstream_scheme", "read_upstream_log", "update_software"],
        &["write_valid_http", "reproduce_locally"]),
    row(When::Type(ErrorType::ProxyInternalResponse),
        &["try_again_later", "contact_site"],
        &["check_maintenance_mode", "check_cdn_status", "check_gateway_config"],
        &["respect_retry_after", "handle_gateway_errors"]),
    row(When::Type(ErrorType::ProxyInternalError),
        &["refresh_page", "try_again_later", "contact_site"],
        &["read_gateway_log", "check_gateway_running", "restart_gateway", "update_software", "contact_hosting_provider"],
        &["handle_gateway_errors", "add_timeouts_and_retries"]),
    row(When::Type(ErrorType::ProxyConfigurationError),
        &["contact_site"],
        &["check_gateway_config", "review_recent_deploys", "read_gateway_log"],
        &["use_valid_upstream_url"]),
    row(When::Type(ErrorType::ProxyLoopDetected),
        &["contact_site", "clear_browser_cache"],
        &["fix_origin_loop", "check_dns_settings", "check_gateway_config"],
        &["use_valid_upstream_url"]),
    // Hops: for diagnoses that know the hop but have no type.
    row(When::Hop(Hop::Dns),
        &["check_address", "try_again_later", "check_other_sites"],
        &["check_dns_settings", "check_dns_server"],
        &["read_error_cause"]),
    row(When::Hop(Hop::Connect),
        &["try_again_later", "contact_site"],
        &["check_upstream_running", "check_backend_health", "check_listening_port", "ping_host"],
        &["add_timeouts_and_retries"]),
    row(When::Hop(Hop::Tls),
        &["contact_site"],
        &["inspect_certificate"],
        &["verify_tls_properly"]),
    row(When::Hop(Hop::Request),
        &["refresh_page", "avoid_resubmitting"],
        &["read_gateway_log", "check_gateway_config"],
        &["make_retries_safe"]),
    row(When::Hop(Hop::Response),
        &["refresh_page", "try_again_later", "contact_site"],
        &["read_upstream_log", "request_upstream_directly", "review_resource_usage"],
        &["handle_exceptions", "optimize_code"]),
    row(When::Hop(Hop::Proxy),
        &["try_again_later", "contact_site"],
        &["check_gateway_config", "read_gateway_log"],
        &["handle_gateway_errors"]),
    // Segments. The visitor's side leads, so it names three things and leaves room for the type's.
    row(When::Segment(Segment::Client),
        &["check_other_sites", "restart_device_router", "check_own_proxy_vpn", "disable_extensions", "contact_isp"],
        &["request_url_verbose", "traceroute_host"],
        &["check_devtools", "fix_cors"]),
    row(When::Segment(Segment::Proxy),
        &["refresh_page", "try_again_later", "contact_site"],
        &["read_gateway_log", "check_gateway_config", "check_gateway_running", "check_cdn_status", "update_software"],
        &["handle_gateway_errors", "add_timeouts_and_retries"]),
    row(When::Segment(Segment::Upstream),
        &["refresh_page", "try_again_later", "contact_site"],
        &["check_upstream_running", "read_gateway_log", "request_upstream_directly", "drill_through_to_origin", "ping_host"],
        &["add_timeouts_and_retries", "use_alternative_upstream", "handle_gateway_errors"]),
    row(When::Segment(Segment::Origin),
        &["refresh_page", "try_again_later", "contact_site"],
        &["read_upstream_log", "review_recent_deploys", "review_resource_usage", "restart_upstream", "update_software"],
        &["handle_exceptions", "check_dependencies", "optimize_code", "handle_gateway_errors"]),
    row(When::Segment(Segment::Unknown),
        &["check_other_sites", "refresh_page", "try_again_later", "contact_site"],
        &["request_url_verbose", "read_gateway_log", "read_upstream_log", "drill_through_to_origin"],
        &["check_devtools", "read_error_cause", "fix_cors", "handle_gateway_errors"]),
    // The fallback, straight from the seed articles.
    row(When::Generic,
        &["refresh_page", "try_again_later", "check_other_sites", "clear_browser_cache", "contact_site"],
        &["read_gateway_log", "check_upstream_running", "review_recent_deploys", "review_resource_usage", "contact_hosting_provider"],
        &["check_dependencies", "handle_gateway_errors", "add_timeouts_and_retries", "optimize_code"]),
];
