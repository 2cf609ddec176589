//! Advice: remedies per audience (visitor, site owner, developer) for every
//! failure type.
//!
//! Two declarative tables, in the manner of Chromium's `localized_error.cc`:
//! [`REMEDIES`] (one row per remedy: id, audience, an optional concrete
//! command with `{host}`, `{port}`, `{url}`, `{log}`, `{service}`
//! placeholders, and its source) and [`ADVICE`] (one row per error type,
//! hop, segment, plus a generic fallback row, each listing remedy ids per
//! audience, most relevant first). Texts live in the catalogs as
//! `remedy.<id>`.
//!
//! [`remedies`] picks the rows for a [`Diagnosis`] in this order:
//! 1. the [`Segment::Client`] row, when the failure is on the visitor's side;
//! 2. the row of the primary error type, then those of the alternatives
//!    (an ambiguous diagnosis gets the advice for every type it cannot rule out);
//! 3. only when nothing matched so far: the hop's row, then the segment's
//!    row, then the generic row.
//!
//! # Example
//! ```
//! use gatewise_core::advice::{self, Target};
//! use gatewise_core::{Audience, Diagnosis, ErrorType, Layer};
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
//! let owner = advice::remedies(&d, Audience::Owner);
//! assert!(owner.iter().any(|r| r.id == "check_listening_port"));
//! let logs = owner.iter().find(|r| r.id == "examine_logs").unwrap();
//! let target = Target::from_url("https://shop.example/cart");
//! assert_eq!(logs.command_for(&d, &target).as_deref(), Some("tail -n 50 /var/log/nginx/error.log"));
//! let drill = advice::all_remedies().iter().find(|r| r.id == "drill_through_to_origin").unwrap();
//! assert_eq!(
//!     drill.command_for(&d, &target).as_deref(),
//!     Some("curl -v --resolve shop.example:443:<origin-ip> https://shop.example/cart")
//! );
//! ```

use crate::hop::{Hop, Segment};
use crate::taxonomy::seed;
use crate::{Audience, Diagnosis, ErrorType, Lang, Layer};

/// One remedy: a catalog text (`remedy.<id>`), its audience, and an optional command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Remedy {
    /// Stable id; its text is the catalog key `remedy.<id>`.
    pub id: &'static str,
    /// Who the remedy is for.
    pub audience: Audience,
    /// A concrete command (may hold `{host}`, `{port}`, `{url}`, `{log}`, `{service}` placeholders).
    pub command: Option<&'static str>,
    /// Where the remedy comes from (seed article, vendor doc, RFC).
    pub source: &'static str,
}

impl Remedy {
    /// The remedy's text in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        crate::i18n::format(lang, &format!("remedy.{}", self.id), &[])
    }

    /// The catalog key of the remedy's text, e.g. `remedy.refresh_page`.
    pub fn text_key(&self) -> String {
        format!("remedy.{}", self.id)
    }

    /// The remedy's command for diagnosis `d`, filled from `target` (host,
    /// port, URL) and from the logs of the layer that reported `d`:
    /// `{log}` becomes the layer's first log file; when the layer keeps its
    /// logs elsewhere, a log command of the layer (e.g. `heroku logs
    /// --tail`) replaces the command, and with neither there is no command.
    /// `{service}` becomes the layer's systemd unit. Unknown values leave
    /// their placeholder visible.
    pub fn command_for(&self, d: &Diagnosis, target: &Target<'_>) -> Option<String> {
        let cmd = self.command?;
        let mut t = *target;
        if t.service.is_none() {
            t.service = service_unit(d.layer);
        }
        if cmd.contains("{log}") && t.log.is_none() {
            let logs = d.layer.info().logs;
            match logs.iter().find(|l| log_location(l) == LogLocation::Path) {
                Some(path) => t.log = Some(path),
                None => {
                    return logs
                        .iter()
                        .find(|l| log_location(l) == LogLocation::Command)
                        .map(|c| (*c).to_owned())
                }
            }
        }
        Some(fill_command(cmd, &t))
    }
}

/// What a remedy's command is about: filled into `{host}`, `{port}`, `{url}`,
/// `{log}` and `{service}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Target<'a> {
    /// Host name or address, e.g. `shop.example`.
    pub host: Option<&'a str>,
    /// Port, e.g. 443.
    pub port: Option<u16>,
    /// Full URL, e.g. `https://shop.example/cart`.
    pub url: Option<&'a str>,
    /// A log file, e.g. `/var/log/nginx/error.log`.
    pub log: Option<&'a str>,
    /// A systemd unit, e.g. `nginx`.
    pub service: Option<&'a str>,
}

impl<'a> Target<'a> {
    /// A target read from an absolute `http`/`https` URL (host, port —
    /// explicit or the scheme's default — and the URL itself). Anything
    /// else gives an empty target.
    pub fn from_url(url: &'a str) -> Self {
        let url = url.trim();
        let (scheme, rest) = match url.split_once("://") {
            Some(x) => x,
            None => return Target::default(),
        };
        let default_port = match scheme.to_ascii_lowercase().as_str() {
            "https" | "wss" => 443,
            "http" | "ws" => 80,
            _ => return Target::default(),
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
        let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
            match v6.split_once(']') {
                Some((h, p)) => (h, p.strip_prefix(':')),
                None => return Target::default(),
            }
        } else {
            match host_port.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (host_port, None),
            }
        };
        let port = match port {
            Some(p) => match p.parse::<u16>() {
                Ok(p) => p,
                Err(_) => return Target::default(),
            },
            None => default_port,
        };
        if host.is_empty() {
            return Target::default();
        }
        Target {
            host: Some(host),
            port: Some(port),
            url: Some(url),
            log: None,
            service: None,
        }
    }
}

/// What a layer's log entry (from [`crate::layer::LayerInfo::logs`]) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLocation {
    /// A file or folder path (`/var/log/nginx/error.log`, `C:\inetpub\logs\LogFiles`).
    Path,
    /// A command that shows the logs (`journalctl -u haproxy`, `heroku logs --tail`).
    Command,
    /// A place to look (a dashboard, a console, a setting).
    Place,
}

/// Programs whose invocation, as a layer's log entry, shows the logs.
const LOG_COMMANDS: &[&str] = &[
    "journalctl",
    "kubectl",
    "heroku",
    "vercel",
    "wrangler",
    "varnishlog",
];

/// Tells a path from a command from a place.
pub fn log_location(entry: &str) -> LogLocation {
    let b = entry.as_bytes();
    let windows_drive = b.get(1) == Some(&b':') && b.get(2) == Some(&b'\\');
    if entry.starts_with('/') || windows_drive {
        return LogLocation::Path;
    }
    let first = entry.split_whitespace().next().unwrap_or("");
    if LOG_COMMANDS.contains(&first) {
        LogLocation::Command
    } else {
        LogLocation::Place
    }
}

/// systemd units of the layers that usually run as one (`{service}`).
const SERVICE_UNITS: &[(Layer, &str)] = &[
    (Layer::Nginx, "nginx"),
    (Layer::Apache, "apache2"),
    (Layer::Haproxy, "haproxy"),
    (Layer::Varnish, "varnish"),
    (Layer::Squid, "squid"),
    (Layer::Caddy, "caddy"),
    (Layer::Traefik, "traefik"),
    (Layer::Envoy, "envoy"),
    (Layer::Gunicorn, "gunicorn"),
    (Layer::Uwsgi, "uwsgi"),
    (Layer::PhpFpm, "php*-fpm"),
    (Layer::Lighttpd, "lighttpd"),
    (Layer::H2o, "h2o"),
    (Layer::Nghttpx, "nghttpx"),
    (Layer::Trafficserver, "trafficserver"),
    (Layer::Tinyproxy, "tinyproxy"),
    (Layer::Privoxy, "privoxy"),
];

/// The systemd unit a layer usually runs as.
pub fn service_unit(layer: Layer) -> Option<&'static str> {
    SERVICE_UNITS
        .iter()
        .find(|(l, _)| *l == layer)
        .map(|(_, s)| *s)
}

/// Quotes `v` for a POSIX shell unless it only holds harmless characters.
fn shell_word(v: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "._:/@%+=,*~-".contains(c);
    if !v.is_empty() && v.chars().all(safe) {
        v.to_owned()
    } else {
        format!("'{}'", v.replace('\'', "'\\''"))
    }
}

/// Fills a remedy command's placeholders from `t`. Values are quoted for a
/// POSIX shell when they hold anything but harmless characters (a URL with
/// `&` or `'` cannot break the command); unknown values leave their
/// placeholder visible.
pub fn fill_command(cmd: &str, t: &Target<'_>) -> String {
    let port = t.port.map(|p| p.to_string());
    let quoted: Vec<(&str, String)> = [
        ("host", t.host),
        ("port", port.as_deref()),
        ("url", t.url),
        ("log", t.log),
        ("service", t.service),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, shell_word(v))))
    .collect();
    let args: Vec<(&str, &str)> = quoted.iter().map(|(k, v)| (*k, v.as_str())).collect();
    crate::i18n::fill(cmd, &args)
}

const fn r(
    id: &'static str,
    audience: Audience,
    command: Option<&'static str>,
    source: &'static str,
) -> Remedy {
    Remedy {
        id,
        audience,
        command,
        source,
    }
}

const CHROMIUM_PAGE: &str = "https://chromium.googlesource.com/chromium/src/+/HEAD/components/error_page/common/localized_error.cc";
const NGINX_PROXY: &str = "https://nginx.org/en/docs/http/ngx_http_proxy_module.html";
const TOOLCHAIN: &str =
    "captured: workerd, TLS to a plain port → WRONG_VERSION_NUMBER (TOOLCHAIN.md)";

use Audience::{Developer as Dev, Owner, Visitor};

/// Every remedy gatewise knows.
#[rustfmt::skip]
pub const REMEDIES: &[Remedy] = &[
    // Visitor.
    r("refresh_page", Visitor, None, seed::FIX_GUIDE),
    r("try_again_later", Visitor, None, seed::FIX_GUIDE),
    r("clear_browser_cache", Visitor, None, seed::CHECKUPDOWN),
    r("try_other_browser", Visitor, None, seed::FIX_GUIDE),
    r("restart_device_router", Visitor, None, seed::FIX_GUIDE),
    r("check_other_sites", Visitor, None, seed::CHECKUPDOWN),
    r("contact_isp", Visitor, None, seed::CHECKUPDOWN),
    r("check_own_firewall", Visitor, None, seed::CHECKUPDOWN),
    r("contact_site", Visitor, None, seed::CHECKUPDOWN),
    r("check_address", Visitor, None, CHROMIUM_PAGE),
    r("check_own_proxy_vpn", Visitor, None, CHROMIUM_PAGE),
    r("disable_extensions", Visitor, None, "https://chromium.googlesource.com/chromium/src/+/HEAD/net/base/net_error_list.h (ERR_BLOCKED_BY_CLIENT)"),
    r("avoid_resubmitting", Visitor, None, "RFC 9110 §9.2.2"),
    // Site owner.
    r("check_server_status", Owner, Some("systemctl status {service}"), seed::FIX_GUIDE),
    r("restart_service", Owner, Some("sudo systemctl restart {service}"), seed::FIX_GUIDE),
    r("examine_logs", Owner, Some("tail -n 50 {log}"), seed::FIX_GUIDE),
    r("read_service_journal", Owner, Some("journalctl -u {service} --since \"10 min ago\""), "https://www.freedesktop.org/software/systemd/man/latest/journalctl.html"),
    r("check_proxy_config", Owner, None, seed::FIX_GUIDE),
    r("review_resource_usage", Owner, Some("top -b -n 1 | head -n 20"), seed::FIX_GUIDE),
    r("check_dns_settings", Owner, Some("dig +short {host}"), seed::FIX_GUIDE),
    r("check_dns_server", Owner, Some("dig @1.1.1.1 {host}"), seed::FIX_GUIDE),
    r("update_software", Owner, None, seed::FIX_GUIDE),
    r("reconfigure_firewall", Owner, Some("sudo nft list ruleset"), seed::FIX_GUIDE),
    r("review_recent_deploys", Owner, Some("git log --oneline --since \"2 days ago\""), seed::FIX_GUIDE),
    r("check_load_balancer", Owner, None, seed::FIX_GUIDE),
    r("check_backend_health", Owner, None, seed::FIX_GUIDE),
    r("contact_hosting_provider", Owner, None, seed::FIX_GUIDE),
    r("drill_through_to_origin", Owner, Some("curl -v --resolve {host}:{port}:<origin-ip> {url}"), seed::TAIMANE),
    r("request_url_verbose", Owner, Some("curl -v {url}"), seed::FIX_GUIDE),
    r("trace_with_wget", Owner, Some("wget -S {url}"), seed::TAIMANE),
    r("ping_host", Owner, Some("ping -c 4 {host}"), seed::FIX_GUIDE),
    r("traceroute_host", Owner, Some("traceroute {host}"), seed::FIX_GUIDE),
    r("check_listening_port", Owner, Some("ss -ltnp 'sport = :{port}'"), "https://man7.org/linux/man-pages/man8/ss.8.html"),
    r("check_upstream_address", Owner, None, seed::LANGUAGES),
    r("check_oom_kills", Owner, Some("journalctl -k --since \"1 hour ago\" | grep -i \"out of memory\""), seed::FIX_GUIDE),
    r("inspect_certificate", Owner, Some("openssl s_client -connect {host}:{port} -servername {host}"), "https://docs.openssl.org/master/man1/openssl-s_client/"),
    r("renew_certificate", Owner, Some("sudo certbot renew"), "https://eff-certbot.readthedocs.io/en/stable/using.html#renewing-certificates"),
    r("fix_certificate_name", Owner, None, "RFC 9110 §4.3.4"),
    r("install_full_chain", Owner, None, "https://docs.openssl.org/master/man1/openssl-verify/"),
    r("trust_private_ca", Owner, None, "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ssl_trusted_certificate"),
    r("match_upstream_scheme", Owner, None, TOOLCHAIN),
    r("align_tls_versions", Owner, None, "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ssl_protocols"),
    r("send_client_cert", Owner, None, "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ssl_certificate"),
    r("raise_proxy_timeouts", Owner, None, NGINX_PROXY),
    r("align_keepalive_timeouts", Owner, None, "RFC 9112 §9.3.1"),
    r("raise_header_buffers", Owner, None, "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_buffer_size"),
    r("raise_body_limit", Owner, None, "RFC 9209 §2.3.21"),
    r("forward_upgrade_headers", Owner, None, "https://nginx.org/en/docs/http/websocket.html"),
    r("configure_route", Owner, None, "RFC 9209 §2.3.3"),
    r("review_ip_policy", Owner, None, "RFC 9209 §2.3.5"),
    r("raise_connection_limit", Owner, None, "RFC 9209 §2.3.12"),
    r("review_security_rules", Owner, None, seed::FIX_GUIDE),
    r("check_rate_limits", Owner, None, "RFC 6585 §4"),
    r("check_maintenance_mode", Owner, None, seed::WIKIPEDIA),
    r("fix_origin_loop", Owner, None, "RFC 8586"),
    r("check_cdn_status", Owner, None, seed::TAIMANE),
    r("check_health_checks", Owner, None, "RFC 9209 §2.3.4"),
    // Developer.
    r("check_dependencies", Dev, None, seed::FIX_GUIDE),
    r("optimize_code", Dev, None, seed::FIX_GUIDE),
    r("scale_capacity", Dev, None, seed::FIX_GUIDE),
    r("add_timeouts_and_retries", Dev, None, seed::LANGUAGES),
    r("handle_gateway_errors", Dev, None, seed::LANGUAGES),
    r("use_alternative_upstream", Dev, None, seed::LANGUAGES),
    r("respect_retry_after", Dev, None, "RFC 9110 §10.2.3"),
    r("make_retries_safe", Dev, None, "RFC 9110 §9.2.2"),
    r("retry_idempotent_on_reset", Dev, None, "RFC 9112 §9.3.1"),
    r("read_error_cause", Dev, None, "https://undici.nodejs.org/#/docs/api/Errors"),
    r("check_devtools", Dev, None, "https://fetch.spec.whatwg.org/#concept-network-error"),
    r("fix_cors", Dev, None, "https://fetch.spec.whatwg.org/#cors-protocol"),
    r("handle_exceptions", Dev, None, seed::FIX_GUIDE),
    r("write_valid_http", Dev, None, seed::CHECKUPDOWN),
    r("fix_framing", Dev, None, "RFC 9112 §6.3"),
    r("fix_compression", Dev, None, "RFC 9110 §8.4"),
    r("shrink_headers", Dev, None, "RFC 9209 §2.3.19"),
    r("paginate_large_responses", Dev, None, "RFC 9209 §2.3.21"),
    r("move_slow_work_to_background", Dev, None, "RFC 9110 §15.3.3"),
    r("verify_tls_properly", Dev, None, "https://nodejs.org/api/cli.html#node_extra_ca_certsfile"),
    r("use_valid_upstream_url", Dev, None, "https://url.spec.whatwg.org/"),
    r("reproduce_locally", Dev, Some("curl -v {url}"), seed::FIX_GUIDE),
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

/// One row of the advice table: remedy ids per audience, most relevant first.
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
        &["check_dns_server", "check_dns_settings", "examine_logs", "contact_hosting_provider"],
        &["add_timeouts_and_retries", "handle_gateway_errors"]),
    row(When::Type(ErrorType::DnsError),
        &["check_address", "refresh_page", "try_again_later", "check_other_sites", "contact_site"],
        &["check_dns_settings", "check_dns_server", "check_upstream_address", "examine_logs"],
        &["read_error_cause", "use_valid_upstream_url", "handle_gateway_errors"]),
    row(When::Type(ErrorType::DestinationNotFound),
        &["check_address", "contact_site"],
        &["configure_route", "check_proxy_config", "examine_logs", "review_recent_deploys"],
        &["use_valid_upstream_url", "handle_gateway_errors"]),
    row(When::Type(ErrorType::DestinationUnavailable),
        &["try_again_later", "refresh_page", "contact_site"],
        &["check_health_checks", "check_backend_health", "check_server_status", "restart_service", "check_load_balancer", "check_maintenance_mode", "review_resource_usage", "examine_logs"],
        &["respect_retry_after", "use_alternative_upstream", "scale_capacity"]),
    row(When::Type(ErrorType::DestinationIpProhibited),
        &["contact_site"],
        &["review_ip_policy", "check_dns_settings", "check_proxy_config"],
        &["use_valid_upstream_url"]),
    row(When::Type(ErrorType::DestinationIpUnroutable),
        &["try_again_later", "contact_site"],
        &["traceroute_host", "ping_host", "check_dns_settings", "reconfigure_firewall", "contact_hosting_provider"],
        &["use_alternative_upstream", "add_timeouts_and_retries"]),
    row(When::Type(ErrorType::ConnectionRefused),
        &["try_again_later", "refresh_page", "contact_site"],
        &["check_server_status", "check_listening_port", "restart_service", "check_upstream_address", "reconfigure_firewall", "examine_logs", "review_recent_deploys", "drill_through_to_origin"],
        &["add_timeouts_and_retries", "use_alternative_upstream", "handle_gateway_errors"]),
    row(When::Type(ErrorType::ConnectionTerminated),
        &["refresh_page", "avoid_resubmitting", "try_again_later", "contact_site"],
        &["examine_logs", "check_oom_kills", "align_keepalive_timeouts", "review_resource_usage", "drill_through_to_origin", "update_software"],
        &["handle_exceptions", "retry_idempotent_on_reset", "make_retries_safe"]),
    row(When::Type(ErrorType::ConnectionTimeout),
        &["try_again_later", "check_other_sites", "contact_site"],
        &["check_server_status", "reconfigure_firewall", "ping_host", "traceroute_host", "review_resource_usage", "check_dns_settings"],
        &["add_timeouts_and_retries", "use_alternative_upstream"]),
    row(When::Type(ErrorType::ConnectionReadTimeout),
        &["try_again_later", "avoid_resubmitting", "contact_site"],
        &["review_resource_usage", "examine_logs", "raise_proxy_timeouts", "check_load_balancer"],
        &["optimize_code", "check_dependencies", "move_slow_work_to_background", "scale_capacity"]),
    row(When::Type(ErrorType::ConnectionWriteTimeout),
        &["try_again_later", "avoid_resubmitting"],
        &["review_resource_usage", "ping_host", "examine_logs"],
        &["optimize_code", "scale_capacity", "make_retries_safe"]),
    row(When::Type(ErrorType::ConnectionLimitReached),
        &["try_again_later", "refresh_page"],
        &["raise_connection_limit", "review_resource_usage", "check_load_balancer"],
        &["scale_capacity", "respect_retry_after", "optimize_code"]),
    row(When::Type(ErrorType::TlsProtocolError),
        &["contact_site", "try_again_later"],
        &["inspect_certificate", "match_upstream_scheme", "align_tls_versions", "check_proxy_config"],
        &["verify_tls_properly", "reproduce_locally"]),
    row(When::Type(ErrorType::TlsCertificateError),
        &["contact_site", "try_again_later"],
        &["inspect_certificate", "renew_certificate", "fix_certificate_name", "install_full_chain", "trust_private_ca"],
        &["verify_tls_properly"]),
    row(When::Type(ErrorType::TlsAlertReceived),
        &["contact_site"],
        &["inspect_certificate", "align_tls_versions", "send_client_cert", "check_proxy_config"],
        &["verify_tls_properly", "reproduce_locally"]),
    row(When::Type(ErrorType::HttpRequestError),
        &["check_address", "clear_browser_cache", "refresh_page"],
        &["examine_logs", "check_proxy_config", "check_rate_limits"],
        &["shrink_headers", "handle_gateway_errors"]),
    row(When::Type(ErrorType::HttpRequestDenied),
        &["contact_site", "check_own_proxy_vpn"],
        &["review_security_rules", "check_rate_limits", "examine_logs"],
        &["respect_retry_after", "handle_gateway_errors"]),
    row(When::Type(ErrorType::HttpResponseIncomplete),
        &["refresh_page", "avoid_resubmitting", "try_again_later"],
        &["examine_logs", "check_oom_kills", "raise_proxy_timeouts", "align_keepalive_timeouts"],
        &["fix_framing", "handle_exceptions", "make_retries_safe"]),
    row(When::Type(ErrorType::HttpResponseHeaderSectionSize),
        SIZE_V,
        &["raise_header_buffers", "examine_logs"],
        &["shrink_headers"]),
    row(When::Type(ErrorType::HttpResponseHeaderSize),
        SIZE_V,
        &["raise_header_buffers", "examine_logs"],
        &["shrink_headers"]),
    row(When::Type(ErrorType::HttpResponseBodySize),
        &["contact_site"],
        &["raise_body_limit", "examine_logs"],
        &["paginate_large_responses"]),
    row(When::Type(ErrorType::HttpResponseTrailerSectionSize),
        TRAILER_V,
        &["raise_header_buffers", "examine_logs"],
        &["shrink_headers"]),
    row(When::Type(ErrorType::HttpResponseTrailerSize),
        TRAILER_V,
        &["raise_header_buffers", "examine_logs"],
        &["shrink_headers"]),
    row(When::Type(ErrorType::HttpResponseTransferCoding),
        &["refresh_page", "contact_site"],
        &["examine_logs", "update_software", "drill_through_to_origin"],
        &["fix_framing", "write_valid_http"]),
    row(When::Type(ErrorType::HttpResponseContentCoding),
        &["clear_browser_cache", "refresh_page", "contact_site"],
        &["check_proxy_config", "update_software"],
        &["fix_compression"]),
    row(When::Type(ErrorType::HttpResponseTimeout),
        &["try_again_later", "avoid_resubmitting", "refresh_page", "contact_site"],
        &["review_resource_usage", "examine_logs", "raise_proxy_timeouts", "restart_service", "check_load_balancer"],
        &["optimize_code", "check_dependencies", "move_slow_work_to_background", "scale_capacity", "add_timeouts_and_retries"]),
    row(When::Type(ErrorType::HttpUpgradeFailed),
        &["refresh_page", "try_other_browser", "contact_site"],
        &["forward_upgrade_headers", "check_proxy_config", "examine_logs"],
        &["reproduce_locally", "handle_gateway_errors"]),
    row(When::Type(ErrorType::HttpProtocolError),
        &["refresh_page", "contact_site"],
        &["drill_through_to_origin", "check_upstream_address", "match_upstream_scheme", "examine_logs", "update_software"],
        &["write_valid_http", "reproduce_locally"]),
    row(When::Type(ErrorType::ProxyInternalResponse),
        &["try_again_later", "contact_site"],
        &["check_maintenance_mode", "check_cdn_status", "check_proxy_config"],
        &["respect_retry_after", "handle_gateway_errors"]),
    row(When::Type(ErrorType::ProxyInternalError),
        &["refresh_page", "try_again_later", "contact_site"],
        &["examine_logs", "update_software", "review_resource_usage", "check_cdn_status", "restart_service", "contact_hosting_provider"],
        &["handle_gateway_errors", "add_timeouts_and_retries"]),
    row(When::Type(ErrorType::ProxyConfigurationError),
        &["contact_site"],
        &["check_proxy_config", "review_recent_deploys", "examine_logs"],
        &["use_valid_upstream_url"]),
    row(When::Type(ErrorType::ProxyLoopDetected),
        &["contact_site", "clear_browser_cache"],
        &["fix_origin_loop", "check_dns_settings", "check_proxy_config"],
        &["use_valid_upstream_url"]),
    // Hops: for diagnoses that know the hop but have no type.
    row(When::Hop(Hop::Dns),
        &["check_address", "try_again_later", "check_other_sites"],
        &["check_dns_settings", "check_dns_server"],
        &["read_error_cause"]),
    row(When::Hop(Hop::Connect),
        &["try_again_later", "contact_site"],
        &["check_server_status", "check_backend_health", "check_listening_port", "ping_host"],
        &["add_timeouts_and_retries"]),
    row(When::Hop(Hop::Tls),
        &["contact_site"],
        &["inspect_certificate"],
        &["verify_tls_properly"]),
    row(When::Hop(Hop::Request),
        &["refresh_page", "avoid_resubmitting"],
        &["examine_logs", "check_proxy_config"],
        &["make_retries_safe"]),
    row(When::Hop(Hop::Response),
        &["refresh_page", "try_again_later", "contact_site"],
        &["examine_logs", "drill_through_to_origin", "review_resource_usage"],
        &["handle_exceptions", "optimize_code"]),
    row(When::Hop(Hop::Proxy),
        &["try_again_later", "contact_site"],
        &["check_proxy_config", "trace_with_wget", "examine_logs"],
        &["handle_gateway_errors"]),
    // Segments.
    row(When::Segment(Segment::Client),
        &["check_other_sites", "restart_device_router", "check_own_firewall", "check_own_proxy_vpn", "disable_extensions", "contact_isp", "try_other_browser"],
        &["request_url_verbose", "traceroute_host"],
        &["check_devtools", "fix_cors"]),
    row(When::Segment(Segment::Proxy),
        &["refresh_page", "try_again_later", "contact_site"],
        &["check_proxy_config", "examine_logs", "check_cdn_status", "update_software"],
        &["handle_gateway_errors", "add_timeouts_and_retries"]),
    row(When::Segment(Segment::Upstream),
        &["refresh_page", "try_again_later", "contact_site"],
        &["drill_through_to_origin", "check_server_status", "examine_logs", "ping_host", "traceroute_host"],
        &["add_timeouts_and_retries", "use_alternative_upstream", "handle_gateway_errors"]),
    row(When::Segment(Segment::Origin),
        &["refresh_page", "try_again_later", "contact_site"],
        &["examine_logs", "review_recent_deploys", "review_resource_usage", "restart_service", "update_software"],
        &["handle_exceptions", "check_dependencies", "optimize_code", "handle_gateway_errors"]),
    row(When::Segment(Segment::Unknown),
        &["check_other_sites", "refresh_page", "try_again_later", "contact_site"],
        &["request_url_verbose", "drill_through_to_origin", "trace_with_wget", "examine_logs"],
        &["check_devtools", "read_error_cause", "fix_cors", "handle_gateway_errors"]),
    // The fallback, straight from the seed articles.
    row(When::Generic,
        &["refresh_page", "try_again_later", "check_other_sites", "clear_browser_cache", "try_other_browser", "restart_device_router", "contact_site"],
        &["check_server_status", "examine_logs", "read_service_journal", "check_proxy_config", "review_resource_usage", "review_recent_deploys", "request_url_verbose", "contact_hosting_provider"],
        &["check_dependencies", "handle_gateway_errors", "add_timeouts_and_retries", "optimize_code"]),
];

/// Every remedy, in table order.
pub fn all_remedies() -> &'static [Remedy] {
    REMEDIES
}

/// The remedy with this id.
pub fn remedy(id: &str) -> Option<&'static Remedy> {
    // A page resolves a few dozen ids: a sorted index instead of a scan of every row.
    static BY_ID: std::sync::OnceLock<Vec<&'static Remedy>> = std::sync::OnceLock::new();
    let by_id = BY_ID.get_or_init(|| {
        let mut v: Vec<&'static Remedy> = REMEDIES.iter().collect();
        // Stable: of duplicate ids (a test forbids them) the first row wins, as a scan found it.
        v.sort_by_key(|r| r.id);
        v.dedup_by_key(|r| r.id);
        v
    });
    let i = by_id.binary_search_by(|r| r.id.cmp(id)).ok()?;
    by_id.get(i).copied()
}

fn row_for(when: When) -> Option<&'static AdviceRow> {
    ADVICE.iter().find(|r| r.when == when)
}

/// Every row of [`ADVICE`] with its ids resolved, per audience (visitor,
/// owner, developer), in table order: done once, not per page.
fn resolved_rows() -> &'static [[Vec<&'static Remedy>; 3]] {
    static CACHE: std::sync::OnceLock<Vec<[Vec<&'static Remedy>; 3]>> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| {
        ADVICE
            .iter()
            .map(|row| {
                [Audience::Visitor, Audience::Owner, Audience::Developer]
                    .map(|a| row.ids(a).iter().filter_map(|id| remedy(id)).collect())
            })
            .collect()
    })
}

fn push_row(out: &mut Vec<&'static Remedy>, row: Option<&'static AdviceRow>, audience: Audience) {
    let Some(row) = row else { return };
    let Some(i) = ADVICE.iter().position(|r| r.when == row.when) else {
        return;
    };
    let a = match audience {
        Audience::Visitor => 0,
        Audience::Owner => 1,
        Audience::Developer => 2,
    };
    let resolved = resolved_rows().get(i).and_then(|r| r.get(a));
    for rem in resolved.into_iter().flatten() {
        if !out.iter().any(|r| std::ptr::eq(*r, *rem)) {
            out.push(rem);
        }
    }
}

/// The remedies for `d` addressed to `audience`, most relevant first.
pub fn remedies(d: &Diagnosis, audience: Audience) -> Vec<&'static Remedy> {
    let mut out = Vec::new();
    if d.segment == Segment::Client {
        push_row(&mut out, row_for(When::Segment(Segment::Client)), audience);
    }
    for t in d.error_type.iter().chain(d.alternatives.iter()) {
        push_row(&mut out, row_for(When::Type(*t)), audience);
    }
    let fallbacks = [
        d.hop.map(When::Hop),
        Some(When::Segment(d.segment)),
        Some(When::Generic),
    ];
    for when in fallbacks.into_iter().flatten() {
        if !out.is_empty() {
            break;
        }
        push_row(&mut out, row_for(when), audience);
    }
    out
}

/// The remedies for failure type `t` (the generic fallback for `None`), for `audience`.
pub fn remedies_for_type(t: Option<ErrorType>, audience: Audience) -> Vec<&'static Remedy> {
    let mut out = Vec::new();
    match t {
        Some(t) => {
            push_row(&mut out, row_for(When::Type(t)), audience);
            if out.is_empty() {
                push_row(&mut out, row_for(When::Hop(t.info().hop)), audience);
            }
        }
        None => push_row(&mut out, row_for(When::Generic), audience),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_names_known_remedies_of_its_audience() {
        for row in ADVICE {
            for a in Audience::ALL {
                for id in row.ids(*a) {
                    let rem = remedy(id);
                    assert!(rem.is_some(), "{:?} names unknown remedy {id}", row.when);
                    assert_eq!(
                        rem.map(|r| r.audience),
                        Some(*a),
                        "{:?}: {id} is not for {a}",
                        row.when
                    );
                }
            }
        }
    }

    #[test]
    fn rows_are_unique() {
        for (i, row) in ADVICE.iter().enumerate() {
            assert!(
                !ADVICE.iter().skip(i + 1).any(|o| o.when == row.when),
                "{:?} twice",
                row.when
            );
        }
        let mut ids: Vec<_> = REMEDIES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate remedy id");
    }

    #[test]
    fn every_error_type_has_its_own_remedies_for_every_audience() {
        for t in ErrorType::ALL {
            let row = row_for(When::Type(*t));
            assert!(row.is_some(), "{t} has no advice row");
            for a in Audience::ALL {
                assert!(
                    row.is_some_and(|r| !r.ids(*a).is_empty()),
                    "{t} has nothing for {a}"
                );
                let got = remedies_for_type(Some(*t), *a);
                assert_eq!(got.len(), row.map_or(0, |r| r.ids(*a).len()), "{t}/{a}");
                assert!(got.iter().all(|r| r.audience == *a));
            }
        }
        for a in Audience::ALL {
            assert!(!remedies_for_type(None, *a).is_empty());
        }
    }

    #[test]
    fn every_remedy_is_reachable_documented_and_sourced() {
        for rem in REMEDIES {
            let used = ADVICE
                .iter()
                .any(|row| row.ids(rem.audience).contains(&rem.id));
            assert!(used, "remedy {} is in no row", rem.id);
            assert!(!rem.source.is_empty(), "remedy {} has no source", rem.id);
            let text = crate::i18n::message(Lang::EN, &rem.text_key());
            assert!(
                text.is_some_and(|t| t.len() > 15 && !t.contains('{')),
                "remedy.{} missing or has placeholders",
                rem.id
            );
        }
    }

    #[test]
    fn every_seed_remedy_is_present() {
        let seeded: &[(&str, Audience)] = &[
            ("refresh_page", Visitor),
            ("try_again_later", Visitor),
            ("clear_browser_cache", Visitor),
            ("try_other_browser", Visitor),
            ("restart_device_router", Visitor),
            ("check_other_sites", Visitor),
            ("contact_isp", Visitor),
            ("check_own_firewall", Visitor),
            ("contact_site", Visitor),
            ("check_server_status", Owner),
            ("restart_service", Owner),
            ("examine_logs", Owner),
            ("check_proxy_config", Owner),
            ("review_resource_usage", Owner),
            ("check_dns_settings", Owner),
            ("check_dns_server", Owner),
            ("update_software", Owner),
            ("reconfigure_firewall", Owner),
            ("review_recent_deploys", Owner),
            ("check_load_balancer", Owner),
            ("check_backend_health", Owner),
            ("contact_hosting_provider", Owner),
            ("drill_through_to_origin", Owner),
            ("request_url_verbose", Owner),
            ("trace_with_wget", Owner),
            ("ping_host", Owner),
            ("traceroute_host", Owner),
            ("check_dependencies", Dev),
            ("optimize_code", Dev),
            ("scale_capacity", Dev),
            ("add_timeouts_and_retries", Dev),
            ("handle_gateway_errors", Dev),
            ("use_alternative_upstream", Dev),
        ];
        for (id, audience) in seeded {
            let rem = remedy(id);
            assert_eq!(rem.map(|r| r.audience), Some(*audience), "seed remedy {id}");
            assert!(
                rem.is_some_and(|r| r.source.starts_with("seed ")),
                "{id} should cite its seed"
            );
        }
        // The seed's concrete tools, as commands.
        let commands: Vec<&str> = REMEDIES.iter().filter_map(|r| r.command).collect();
        for c in [
            "curl -v {url}",
            "curl -v --resolve {host}:{port}:<origin-ip> {url}",
            "dig +short {host}",
            "dig @1.1.1.1 {host}",
            "ping -c 4 {host}",
            "traceroute {host}",
            "ss -ltnp 'sport = :{port}'",
            "tail -n 50 {log}",
            "openssl s_client -connect {host}:{port} -servername {host}",
            "wget -S {url}",
        ] {
            assert!(commands.contains(&c), "missing command {c}");
        }
        assert!(commands
            .iter()
            .any(|c| c.starts_with("journalctl -u {service} --since \"10 min ago\"")));
    }

    #[test]
    fn advice_follows_the_diagnosis() {
        let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx)
            .with_alternative(ErrorType::ConnectionTerminated);
        let owner: Vec<&str> = remedies(&d, Owner).iter().map(|r| r.id).collect();
        assert_eq!(owner.first(), Some(&"check_server_status"));
        assert!(
            owner.contains(&"align_keepalive_timeouts"),
            "alternatives add their remedies"
        );
        let visitor: Vec<&str> = remedies(&d, Visitor).iter().map(|r| r.id).collect();
        assert!(visitor.contains(&"avoid_resubmitting"));
        assert_eq!(
            visitor.iter().filter(|id| **id == "contact_site").count(),
            1,
            "no duplicates"
        );

        let mut client = Diagnosis::for_type(ErrorType::DnsError, Layer::Browser);
        client.segment = Segment::Client;
        let v: Vec<&str> = remedies(&client, Visitor).iter().map(|r| r.id).collect();
        assert_eq!(v.first(), Some(&"check_other_sites"));
        assert!(v.contains(&"check_address"));

        let origin = Diagnosis::for_status(500, Layer::OriginApp);
        let o: Vec<&str> = remedies(&origin, Owner).iter().map(|r| r.id).collect();
        assert_eq!(o.first(), Some(&"examine_logs"));

        let mut hop_only = Diagnosis::for_status(502, Layer::Unknown);
        hop_only.hop = Some(Hop::Tls);
        let h: Vec<&str> = remedies(&hop_only, Owner).iter().map(|r| r.id).collect();
        assert_eq!(h, ["inspect_certificate"]);
    }

    #[test]
    fn commands_are_filled_from_the_layer_and_target() {
        let target = Target::from_url("https://shop.example:8443/a?b=1&c=2");
        assert_eq!(target.host, Some("shop.example"));
        assert_eq!(target.port, Some(8443));
        let logs = remedy("examine_logs");
        let for_layer = |l: Layer| {
            logs.and_then(|r| {
                r.command_for(
                    &Diagnosis::for_type(ErrorType::ConnectionRefused, l),
                    &target,
                )
            })
        };
        assert_eq!(
            for_layer(Layer::Nginx).as_deref(),
            Some("tail -n 50 /var/log/nginx/error.log")
        );
        assert_eq!(
            for_layer(Layer::Apache).as_deref(),
            Some("tail -n 50 /var/log/apache2/error.log")
        );
        assert_eq!(
            for_layer(Layer::Heroku).as_deref(),
            Some("heroku logs --tail")
        );
        assert_eq!(for_layer(Layer::Cloudflare), None);
        let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Haproxy);
        let journal = remedy("read_service_journal").and_then(|r| r.command_for(&d, &target));
        assert_eq!(
            journal.as_deref(),
            Some("journalctl -u haproxy --since \"10 min ago\"")
        );
        let curl = remedy("request_url_verbose").and_then(|r| r.command_for(&d, &target));
        assert_eq!(
            curl.as_deref(),
            Some("curl -v 'https://shop.example:8443/a?b=1&c=2'")
        );
        let ss = remedy("check_listening_port").and_then(|r| r.command_for(&d, &target));
        assert_eq!(ss.as_deref(), Some("ss -ltnp 'sport = :8443'"));
        let tls = remedy("inspect_certificate")
            .and_then(|r| r.command_for(&d, &Target::from_url("https://[2001:db8::1]/")));
        assert_eq!(
            tls.as_deref(),
            Some("openssl s_client -connect 2001:db8::1:443 -servername 2001:db8::1")
        );
        let unknown = fill_command("dig +short {host}", &Target::default());
        assert_eq!(unknown, "dig +short {host}");
        assert_eq!(Target::from_url("ftp://x/"), Target::default());
        assert_eq!(Target::from_url("http://x:99999/"), Target::default());
        let evil = fill_command(
            "ping -c 4 {host}",
            &Target {
                host: Some("a;rm -rf /"),
                ..Target::default()
            },
        );
        assert_eq!(evil, "ping -c 4 'a;rm -rf /'");
    }

    #[test]
    fn log_locations() {
        assert_eq!(log_location("/var/log/nginx/error.log"), LogLocation::Path);
        assert_eq!(
            log_location("C:\\inetpub\\logs\\LogFiles"),
            LogLocation::Path
        );
        assert_eq!(log_location("heroku logs --tail"), LogLocation::Command);
        assert_eq!(
            log_location("Cloudflare dashboard → Analytics → Traffic"),
            LogLocation::Place
        );
    }

    #[test]
    fn shell_words_are_quoted() {
        assert_eq!(shell_word("shop.example"), "shop.example");
        assert_eq!(shell_word("https://a/?x=1&y=2"), "'https://a/?x=1&y=2'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
    }
}
