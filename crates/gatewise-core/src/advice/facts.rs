//! What a remedy's command may be filled with: values read from the
//! evidence, never guessed.
//!
//! [`Facts::gather`] reads the page's URL (the site), the server behind the
//! layer that wrote the error (a log line's `upstream` field — nginx's
//! `upstream: "http://127.0.0.1:9/"`, Envoy's `upstream_host`, an access
//! log's `$upstream_addr` —, a `Proxy-Status` entry's `next-hop`, an
//! `address:port` in the runtime's error text), and what those say about
//! platforms: an upstream on the loopback interface runs on the gateway's own
//! machine; a `fastcgi://` upstream is PHP-FPM. Every value is kept only when
//! it is made of characters a shell does not interpret, so that a command
//! filled with it does exactly what it says.
//!
//! # Example
//! ```
//! use gatewise_core::advice::{Facts, Platform};
//! use gatewise_core::explain::explain;
//! let line = r#"2026/11/21 06:12:01 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET /cart HTTP/1.1", upstream: "http://127.0.0.1:9/cart", host: "shop.example""#;
//! let d = explain(line).unwrap().diagnosis;
//! let f = Facts::gather(&d, Some("https://shop.example/cart?id=1"));
//! assert_eq!(f.site.host.as_deref(), Some("shop.example"));
//! assert_eq!(f.site.url.as_deref(), Some("https://shop.example/cart"));
//! assert_eq!(f.upstream.host.as_deref(), Some("127.0.0.1"));
//! assert_eq!(f.upstream.port.as_deref(), Some("9"));
//! assert_eq!(f.behind_platform, Some(Platform::Linux)); // nginx's own machine
//! ```

use super::platform::{is_client_runtime, layer_platform, Platform};
use crate::diagnosis::EvidenceSource;
use crate::escape::{self, strip_prefix_ignore_case};
use crate::{Diagnosis, Layer, Segment};

/// A URL cut into parts that are safe in a shell command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Address {
    /// `scheme://host[:port]/path` (no query: `&`, `;`, `?` mean things to shells).
    pub url: Option<String>,
    /// The host name or IP address (IPv6 in brackets).
    pub host: Option<String>,
    /// The explicit port, or the scheme's default.
    pub port: Option<String>,
}

impl Address {
    /// Splits an `http(s)` URL; anything else (or anything unusual) gives an empty address.
    pub fn from_url(url: &str) -> Address {
        let Some(url) = escape::http_url(url) else {
            return Address::default();
        };
        let (scheme, rest, default_port) = match strip_prefix_ignore_case(url, "https://") {
            Some(rest) => ("https", rest, "443"),
            None => (
                "http",
                strip_prefix_ignore_case(url, "http://").unwrap_or(""),
                "80",
            ),
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = rest.get(..end).unwrap_or("");
        let Some((host, port)) = host_port(authority, Some(default_port)) else {
            return Address::default();
        };
        let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
        let path = rest.get(end..path_end).unwrap_or("");
        let path_ok = path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~/%+,=@:".contains(c));
        let path = if path_ok && !path.is_empty() {
            path
        } else {
            "/"
        };
        let port_part = if port == default_port {
            String::new()
        } else {
            format!(":{port}")
        };
        Address {
            url: Some(format!("{scheme}://{host}{port_part}{path}")),
            host: Some(host.to_owned()),
            port: Some(port.to_owned()),
        }
    }

    /// A bare `host:port` (no URL): the URL becomes `http://host:port/`.
    fn from_host_port(s: &str) -> Address {
        match host_port(s, None) {
            Some((host, port)) => Address {
                url: Some(format!("http://{host}:{port}/")),
                host: Some(host.to_owned()),
                port: Some(port.to_owned()),
            },
            None => Address::default(),
        }
    }

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.host.is_none()
    }

    /// Whether the host is on the loopback interface (the same machine).
    pub fn is_loopback(&self) -> bool {
        self.host.as_deref().is_some_and(|h| {
            h == "localhost" || h.starts_with("127.") || h == "[::1]" || h.ends_with(".localhost")
        })
    }
}

/// `host[:port]` of an authority (user info dropped), checked: a host of
/// letters, digits, dots and dashes (or a bracketed IPv6 address), a port of
/// 1–65535. Without a port, `default` is used; with neither, `None`.
fn host_port<'a>(authority: &'a str, default: Option<&'a str>) -> Option<(&'a str, &'a str)> {
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match hostport.rfind(':') {
        Some(i) if !hostport.ends_with(']') => (
            hostport.get(..i).unwrap_or(""),
            hostport.get(i.saturating_add(1)..).unwrap_or(""),
        ),
        _ => (hostport, default?),
    };
    let allowed = if host.starts_with('[') { "[]:." } else { ".-" };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '[')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || allowed.contains(c));
    let port_ok = !port.is_empty()
        && port.chars().all(|c| c.is_ascii_digit())
        && port.parse::<u16>().is_ok_and(|p| p > 0);
    (host_ok && port_ok).then_some((host, port))
}

/// What the evidence says, for filling commands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Facts {
    /// The site: the URL of the failed request.
    pub site: Address,
    /// The far end of the failing link: the server behind the layer that
    /// wrote the error, as the evidence names it; the site itself when the
    /// layer is the visitor's own runtime or the failing link is the visitor's.
    pub upstream: Address,
    /// The layer behind the reporter, when the evidence names it (PHP-FPM
    /// for a `fastcgi://` upstream, uWSGI for `uwsgi://`).
    pub behind_layer: Option<Layer>,
    /// The platform of the layer that wrote the error.
    pub reporter_platform: Option<Platform>,
    /// The platform of the server behind it.
    pub behind_platform: Option<Platform>,
    /// The platform of the machine the reader is on, when the caller knows
    /// it (the CLI: it runs there; a web page: unknown).
    pub local_platform: Option<Platform>,
}

impl Facts {
    /// The facts of `d`, for a request to `url` (when known). No local platform.
    pub fn gather(d: &Diagnosis, url: Option<&str>) -> Facts {
        Facts::gather_on(d, url, None)
    }

    /// [`Facts::gather`] for a reader on `local` (the CLI passes
    /// [`Platform::this_machine`]): a client runtime's commands run there.
    pub fn gather_on(d: &Diagnosis, url: Option<&str>, local: Option<Platform>) -> Facts {
        let site = url.map(Address::from_url).unwrap_or_default();
        let (mut upstream, behind_layer) = upstream_of(d);
        let client = is_client_runtime(d.layer);
        if upstream.is_empty() && (client || d.segment == Segment::Client) {
            upstream = site.clone();
        }
        let row = layer_platform(d.layer);
        let reporter_platform = if client { local } else { row.own };
        let behind_row = behind_layer.map(layer_platform);
        let app_reporter = matches!(
            d.layer.info().kind,
            crate::LayerKind::AppServer | crate::LayerKind::Application
        );
        let behind_platform = behind_row
            .and_then(|r| r.own)
            .filter(|_| upstream.is_loopback() || upstream.is_empty())
            .or(row.behind)
            .or(if app_reporter { row.own } else { None })
            .or(if upstream.is_loopback() {
                reporter_platform
            } else {
                None
            });
        Facts {
            site,
            upstream,
            behind_layer: behind_layer.or(if app_reporter { Some(d.layer) } else { None }),
            reporter_platform,
            behind_platform,
            local_platform: local,
        }
    }
}

/// The upstream named by the evidence, and the layer its scheme implies.
fn upstream_of(d: &Diagnosis) -> (Address, Option<Layer>) {
    // A log line's upstream field (the log explainer is part of the `explain` feature;
    // a build without it, such as the worker's, goes on with the chain and the texts).
    #[cfg(feature = "explain")]
    for e in &d.evidence {
        if e.source != EvidenceSource::Log {
            continue;
        }
        let Some(x) = crate::logs::explain(&e.fact) else {
            continue;
        };
        if let Some(u) = x.field("upstream") {
            let found = parse_upstream(u);
            if !found.0.is_empty() || found.1.is_some() {
                return found;
            }
        }
    }
    for c in d.chain.iter().rev() {
        if let Some(hop) = c.next_hop.as_deref() {
            let a = Address::from_host_port(hop.trim_matches('"'));
            if !a.is_empty() {
                return (a, None);
            }
        }
    }
    let texts = d
        .evidence
        .iter()
        .filter(|e| matches!(e.source, EvidenceSource::Message | EvidenceSource::Runtime))
        .map(|e| e.fact.as_str())
        .chain(d.detail.as_deref());
    for text in texts {
        if let Some(a) = text
            .split(|c: char| c.is_whitespace() || "\"'(),;".contains(c))
            .filter(|w| w.contains(':') && w.starts_with(|c: char| c.is_ascii_digit()))
            .map(Address::from_host_port)
            .find(|a| !a.is_empty())
        {
            return (a, None);
        }
    }
    (Address::default(), None)
}

/// Schemes of upstream addresses that name the layer behind.
#[cfg(feature = "explain")]
const UPSTREAM_SCHEMES: &[(&str, Option<Layer>)] = &[
    ("http://", None),
    ("https://", None),
    ("fastcgi://", Some(Layer::PhpFpm)),
    ("uwsgi://", Some(Layer::Uwsgi)),
    ("suwsgi://", Some(Layer::Uwsgi)),
    ("grpc://", None),
    ("grpcs://", None),
    ("scgi://", None),
];

/// `http://127.0.0.1:9/x`, `fastcgi://unix:/run/php/php8.2-fpm.sock:`,
/// `10.0.0.5:8080`, `unix:/run/app.sock`.
#[cfg(feature = "explain")]
fn parse_upstream(u: &str) -> (Address, Option<Layer>) {
    let u = u.trim().trim_matches('"');
    for (scheme, layer) in UPSTREAM_SCHEMES {
        if let Some(rest) = strip_prefix_ignore_case(u, scheme) {
            let addr = if scheme.starts_with("http") {
                Address::from_url(u)
            } else {
                let end = rest.find('/').unwrap_or(rest.len());
                Address::from_host_port(rest.get(..end).unwrap_or(""))
            };
            return (addr, *layer);
        }
    }
    (Address::from_host_port(u), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Diagnosis, ErrorType, Evidence};

    #[test]
    fn addresses_keep_only_shell_safe_parts() {
        let t = Address::from_url("https://shop.example.com/cart?id=1;rm$(id)");
        assert_eq!(t.url.as_deref(), Some("https://shop.example.com/cart"));
        assert_eq!(t.host.as_deref(), Some("shop.example.com"));
        assert_eq!(t.port.as_deref(), Some("443"));
        let t = Address::from_url("http://user:pw@10.0.0.7:8080/a$(id)");
        assert_eq!(t.url.as_deref(), Some("http://10.0.0.7:8080/"));
        let t = Address::from_url("https://[2001:db8::1]/x");
        assert_eq!(t.host.as_deref(), Some("[2001:db8::1]"));
        for bad in [
            "https://a`id`.example/",
            "javascript:alert(1)",
            "https://a.example:99999/",
            "https://-x.example/",
        ] {
            assert_eq!(Address::from_url(bad), Address::default(), "{bad}");
        }
        assert_eq!(Address::from_host_port("127.0.0.1"), Address::default());
        assert!(Address::from_host_port("localhost:3000").is_loopback());
    }

    #[test]
    #[cfg(feature = "explain")]
    fn upstreams_from_every_form() {
        let (a, l) = parse_upstream("fastcgi://unix:/run/php/php8.2-fpm.sock:");
        assert!(a.is_empty());
        assert_eq!(l, Some(Layer::PhpFpm));
        let (a, l) = parse_upstream("uwsgi://127.0.0.1:3031");
        assert_eq!((a.port.as_deref(), l), (Some("3031"), Some(Layer::Uwsgi)));
        let (a, _) = parse_upstream("10.0.0.5:8080");
        assert_eq!(a.url.as_deref(), Some("http://10.0.0.5:8080/"));
        let (a, _) = parse_upstream("http://app;id:80/");
        assert!(a.is_empty());
    }

    #[test]
    fn runtime_texts_and_platforms() {
        let mut d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Node);
        d.evidence.push(Evidence::new(
            EvidenceSource::Message,
            "message \"connect ECONNREFUSED 127.0.0.1:3000\"",
            None,
        ));
        let f = Facts::gather_on(&d, None, Some(Platform::MacOs));
        assert_eq!(f.upstream.port.as_deref(), Some("3000"));
        assert_eq!(f.reporter_platform, Some(Platform::MacOs));
        assert_eq!(f.behind_platform, Some(Platform::MacOs));
        // A browser's failure: the far end is the site; its platform is unknown.
        let b = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Browser);
        let f = Facts::gather(&b, Some("https://shop.example/"));
        assert_eq!(f.upstream, f.site);
        assert_eq!(f.behind_platform, None);
        // IIS runs the app behind it on the same Windows server.
        let i = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Iis);
        assert_eq!(
            Facts::gather(&i, None).behind_platform,
            Some(Platform::Windows)
        );
    }
}
