//! Which component a remedy acts on, which platform its command runs on,
//! and what the layer that wrote an error says about both.
//!
//! A remedy is aimed by two facts of the diagnosis: the component that
//! failed (from [`Diagnosis::segment`]: the visitor's side, the layer that
//! wrote the error, the server behind it) and the platform of the machine a
//! command would run on (from the layer: nginx runs on Linux with systemd,
//! IIS on Windows, ingress-nginx in Kubernetes, the Heroku router in front of
//! dynos…). [`LAYER_PLATFORMS`] holds the second, one row per layer, each
//! with its source.
//!
//! # Example
//! ```
//! use gatewise_core::advice::{failing_component, layer_platform, Component, Platform};
//! use gatewise_core::{Diagnosis, ErrorType, Layer};
//! assert_eq!(layer_platform(Layer::Iis).own, Some(Platform::Windows));
//! assert!(Platform::Linux.runs(Platform::Unix));
//! assert!(!Platform::Windows.runs(Platform::Unix));
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
//! assert_eq!(failing_component(&d), Some(Component::Behind));
//! ```

use serde::{Deserialize, Serialize};

use crate::hop::named_enum;
use crate::{Diagnosis, Layer, LayerKind, Segment};

named_enum! {
    /// The part of the path a remedy acts on.
    Component {
        /// The visitor's device, browser and Internet connection.
        Device = "device",
        /// The network between two machines: name resolution, routes, firewalls.
        Network = "network",
        /// The layer that wrote the error (the gateway, proxy, CDN or load balancer).
        Reporter = "reporter",
        /// The server behind that layer: the application or web server that makes the pages.
        Behind = "behind",
        /// The site as a whole: its deployments, its hosting, its own pages.
        Site = "site",
        /// Code that calls the site (a browser script, an API client).
        Client = "client",
    }
}

named_enum! {
    /// Where a remedy's command runs.
    Platform {
        /// Any machine with the usual network tools (curl, nslookup).
        Any = "any",
        /// A POSIX shell on Linux or macOS (tail, dig, openssl).
        Unix = "unix",
        /// Linux with systemd (systemctl, journalctl, ss, nft).
        Linux = "linux",
        /// macOS (lsof, log).
        MacOs = "macos",
        /// Windows Server with PowerShell (IIS).
        Windows = "windows",
        /// Cloudflare Workers (wrangler).
        Cloudflare = "cloudflare",
        /// Kubernetes (kubectl).
        Kubernetes = "kubernetes",
        /// Heroku (the heroku CLI).
        Heroku = "heroku",
        /// A managed service configured in its provider's console (no shell).
        Hosted = "hosted",
    }
}

impl Platform {
    /// Whether a command written for `target` runs on this platform: the
    /// same platform, `Any` anywhere, `Unix` on Linux and macOS.
    pub fn runs(self, target: Platform) -> bool {
        self == target
            || target == Platform::Any
            || (target == Platform::Unix && matches!(self, Platform::Linux | Platform::MacOs))
    }

    /// The platform of the machine this program was built for, when it is one of ours.
    pub fn this_machine() -> Option<Platform> {
        if cfg!(target_os = "linux") {
            Some(Platform::Linux)
        } else if cfg!(target_os = "macos") {
            Some(Platform::MacOs)
        } else if cfg!(target_os = "windows") {
            Some(Platform::Windows)
        } else {
            None
        }
    }
}

/// Where a layer runs, and where the server behind it usually runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LayerPlatform {
    /// The layer.
    pub layer: Layer,
    /// The platform the layer itself runs on, when it is known.
    pub own: Option<Platform>,
    /// The platform of the server behind it, when the layer implies one
    /// (IIS's ASP.NET Core Module runs the app on the same Windows server;
    /// the Heroku router sends to dynos; ingress-nginx to pods).
    pub behind: Option<Platform>,
    /// The layer's systemd unit, when it usually runs as one.
    pub unit: Option<&'static str>,
    /// Where the row comes from.
    pub source: &'static str,
}

const fn lp(
    layer: Layer,
    own: Option<Platform>,
    behind: Option<Platform>,
    unit: Option<&'static str>,
    source: &'static str,
) -> LayerPlatform {
    LayerPlatform {
        layer,
        own,
        behind,
        unit,
        source,
    }
}

const DEBIAN: &str = "Debian packages: systemd unit of the same name (packages.debian.org)";

/// One row per layer: its platform, the platform behind it, its systemd unit.
#[rustfmt::skip]
pub const LAYER_PLATFORMS: &[LayerPlatform] = {
    use Platform::{Cloudflare, Heroku, Hosted, Kubernetes, Linux, Windows};
    &[
        lp(Layer::Nginx, Some(Linux), None, Some("nginx"), DEBIAN),
        lp(Layer::IngressNginx, Some(Kubernetes), Some(Kubernetes), None, "https://kubernetes.github.io/ingress-nginx/"),
        lp(Layer::Apache, Some(Linux), None, Some("apache2"), DEBIAN),
        lp(Layer::Iis, Some(Windows), Some(Windows), None, "https://learn.microsoft.com/en-us/aspnet/core/host-and-deploy/aspnet-core-module"),
        lp(Layer::Haproxy, Some(Linux), None, Some("haproxy"), DEBIAN),
        lp(Layer::Varnish, Some(Linux), None, Some("varnish"), DEBIAN),
        lp(Layer::Squid, Some(Linux), None, Some("squid"), DEBIAN),
        lp(Layer::Envoy, None, None, None, "Envoy runs standalone, in containers and in service meshes: no one platform"),
        lp(Layer::Caddy, Some(Linux), None, Some("caddy"), DEBIAN),
        lp(Layer::Traefik, None, None, None, "Traefik runs as a binary, in Docker and in Kubernetes: no one platform"),
        lp(Layer::Cloudflare, Some(Hosted), None, None, "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/"),
        lp(Layer::AwsElb, Some(Hosted), None, None, "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html"),
        lp(Layer::Cloudfront, Some(Hosted), None, None, "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/troubleshooting-response-errors.html"),
        lp(Layer::GoogleFrontend, Some(Hosted), None, None, "https://cloud.google.com/load-balancing/docs/https/troubleshooting-ext-https-lbs"),
        lp(Layer::AzureFrontDoor, Some(Hosted), None, None, "https://learn.microsoft.com/en-us/azure/frontdoor/troubleshoot-issues"),
        lp(Layer::AzureAppGateway, Some(Hosted), None, None, "https://learn.microsoft.com/en-us/azure/application-gateway/application-gateway-troubleshooting-502"),
        lp(Layer::Fastly, Some(Hosted), None, None, "https://docs.fastly.com/en/guides/common-400-errors"),
        lp(Layer::Akamai, Some(Hosted), None, None, "https://techdocs.akamai.com/property-mgr/docs/error-codes"),
        lp(Layer::Heroku, Some(Heroku), Some(Heroku), None, "https://devcenter.heroku.com/articles/error-codes"),
        lp(Layer::Vercel, Some(Hosted), Some(Hosted), None, "https://vercel.com/docs/errors"),
        lp(Layer::Netlify, Some(Hosted), Some(Hosted), None, "https://docs.netlify.com/"),
        lp(Layer::Gunicorn, Some(Linux), None, Some("gunicorn"), "https://docs.gunicorn.org/en/stable/deploy.html#systemd"),
        lp(Layer::Uwsgi, Some(Linux), None, Some("uwsgi"), DEBIAN),
        lp(Layer::PhpFpm, Some(Linux), None, Some("php*-fpm"), "Debian packages: php8.2-fpm and its unit php8.2-fpm"),
        lp(Layer::Lighttpd, Some(Linux), None, Some("lighttpd"), DEBIAN),
        lp(Layer::H2o, Some(Linux), None, Some("h2o"), DEBIAN),
        lp(Layer::Nghttpx, Some(Linux), None, Some("nghttpx"), "Debian packages: nghttp2-proxy and its unit nghttpx"),
        lp(Layer::Trafficserver, Some(Linux), None, Some("trafficserver"), DEBIAN),
        lp(Layer::Tinyproxy, Some(Linux), None, Some("tinyproxy"), DEBIAN),
        lp(Layer::Privoxy, Some(Linux), None, Some("privoxy"), DEBIAN),
        lp(Layer::Workerd, Some(Cloudflare), None, None, "https://developers.cloudflare.com/workers/observability/logs/real-time-logs/"),
        lp(Layer::Gatewise, Some(Cloudflare), None, None, "docs/architecture.md"),
    ]
};

/// The row of `layer` (an empty row for layers without one).
pub fn layer_platform(layer: Layer) -> LayerPlatform {
    LAYER_PLATFORMS
        .iter()
        .find(|r| r.layer == layer)
        .copied()
        .unwrap_or(lp(layer, None, None, None, ""))
}

/// Whether `layer` is a client's runtime (a browser, Node.js, a Rust
/// program): it reports what it saw but is no gateway anyone can fix.
pub fn is_client_runtime(layer: Layer) -> bool {
    matches!(layer, Layer::Browser | Layer::Node | Layer::RustIo)
}

/// Whether `layer` is a gateway the site owner runs or configures: a
/// server, proxy, CDN, load balancer, platform router, or the worker.
pub fn is_gateway(layer: Layer) -> bool {
    !is_client_runtime(layer)
        && !matches!(
            layer.info().kind,
            LayerKind::Application | LayerKind::AppServer
        )
}

/// The component that failed, as the diagnosis places it; `None` when it
/// does not say.
pub fn failing_component(d: &Diagnosis) -> Option<Component> {
    match d.segment {
        Segment::Client => Some(Component::Device),
        Segment::Proxy if is_client_runtime(d.layer) => None,
        Segment::Proxy => Some(Component::Reporter),
        Segment::Upstream | Segment::Origin => Some(Component::Behind),
        Segment::Unknown => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_unique_and_sourced() {
        for (i, r) in LAYER_PLATFORMS.iter().enumerate() {
            assert!(!r.source.is_empty(), "{}", r.layer);
            assert!(
                !LAYER_PLATFORMS
                    .iter()
                    .skip(i + 1)
                    .any(|o| o.layer == r.layer),
                "{} twice",
                r.layer
            );
            if r.unit.is_some() {
                assert_eq!(r.own, Some(Platform::Linux), "{}", r.layer);
            }
        }
    }

    #[test]
    fn compatibility() {
        assert!(Platform::MacOs.runs(Platform::Unix));
        assert!(Platform::Windows.runs(Platform::Any));
        assert!(!Platform::Linux.runs(Platform::Windows));
        assert!(!Platform::Cloudflare.runs(Platform::Unix));
    }
}
