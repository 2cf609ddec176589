//! The layers that write error responses: web servers, proxies, load
//! balancers, CDNs, platforms, application servers, runtimes. A diagnosis
//! names the layer that *generated* the error (pingora's "where it came
//! from"), which is often not the layer that failed.
//!
//! Each row carries its display name, its kind, the vendor documentation
//! it is described by, and where its logs usually are (used by advice).
//!
//! # Example
//! ```
//! use gatewise_core::{Layer, LayerKind};
//! let nginx = Layer::from_name("nginx").unwrap();
//! assert_eq!(nginx.info().display, "nginx");
//! assert_eq!(nginx.info().kind, LayerKind::Server);
//! assert!(nginx.info().logs.contains(&"/var/log/nginx/error.log"));
//! ```

use serde::{Deserialize, Serialize};

use crate::hop::named_enum;

named_enum! {
    /// What kind of component a layer is.
    LayerKind {
        /// A web server that also proxies (nginx, Apache, IIS, Caddy).
        Server = "server",
        /// A dedicated reverse proxy or cache (HAProxy, Varnish, Squid, Envoy, Traefik).
        Proxy = "proxy",
        /// A content delivery network (Cloudflare, CloudFront, Fastly, Akamai).
        Cdn = "cdn",
        /// A cloud load balancer (AWS ELB/ALB, Azure Application Gateway, Google).
        LoadBalancer = "load_balancer",
        /// A hosting platform's router (Heroku, Vercel, Netlify).
        Platform = "platform",
        /// An application server (gunicorn, uWSGI, php-fpm, ANCM).
        AppServer = "app_server",
        /// The application itself.
        Application = "application",
        /// A client runtime that reports transport errors (browser, Node, workerd).
        Runtime = "runtime",
        /// Not known.
        Unknown = "unknown",
    }
}

/// Static facts about one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LayerInfo {
    /// Stable id used in JSON, e.g. `aws_elb`.
    pub name: &'static str,
    /// Human name, e.g. `AWS Elastic Load Balancing`.
    pub display: &'static str,
    /// What kind of component it is.
    pub kind: LayerKind,
    /// The vendor documentation this row is based on.
    pub source: &'static str,
    /// Where its logs usually are (paths, or the console/command that shows them).
    pub logs: &'static [&'static str],
}

macro_rules! layers {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $display:literal, $kind:ident, $source:literal, [$($log:literal),*]; )+) => {
        /// The component that generated an error response or reported an error.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum Layer { $( $(#[$doc])* $variant, )+ }

        impl Layer {
            /// Every layer, in table order.
            pub const ALL: &'static [Layer] = &[ $( Layer::$variant, )+ ];

            /// The facts of this layer.
            pub fn info(self) -> &'static LayerInfo {
                match self {
                    $( Layer::$variant => &LayerInfo {
                        name: $name, display: $display, kind: LayerKind::$kind,
                        source: $source, logs: &[$($log),*],
                    }, )+
                }
            }
        }
    };
}

layers! {
    /// nginx (also the default page of many PaaS front ends).
    Nginx = "nginx", "nginx", Server, "https://nginx.org/en/docs/http/ngx_http_proxy_module.html", ["/var/log/nginx/error.log", "/var/log/nginx/access.log"];
    /// Kubernetes ingress-nginx controller.
    IngressNginx = "ingress_nginx", "Kubernetes ingress-nginx", Proxy, "https://kubernetes.github.io/ingress-nginx/user-guide/custom-errors/", ["kubectl logs -n ingress-nginx deploy/ingress-nginx-controller"];
    /// Apache httpd with mod_proxy.
    Apache = "apache", "Apache httpd", Server, "https://httpd.apache.org/docs/2.4/mod/mod_proxy.html", ["/var/log/apache2/error.log", "/var/log/httpd/error_log"];
    /// Microsoft IIS, including ARR and the ASP.NET Core Module (ANCM).
    Iis = "iis", "Microsoft IIS", Server, "https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/health-diagnostic-performance/http-status-code", ["C:\\inetpub\\logs\\LogFiles", "Event Viewer → Windows Logs → Application"];
    /// HAProxy.
    Haproxy = "haproxy", "HAProxy", Proxy, "https://docs.haproxy.org/2.8/configuration.html#8.5", ["/var/log/haproxy.log", "journalctl -u haproxy"];
    /// Varnish Cache.
    Varnish = "varnish", "Varnish Cache", Proxy, "https://varnish-cache.org/docs/trunk/users-guide/vcl-built-in-subs.html", ["varnishlog -g request -q 'RespStatus >= 500'"];
    /// Squid.
    Squid = "squid", "Squid", Proxy, "https://wiki.squid-cache.org/SquidFaq/SquidLogs", ["/var/log/squid/access.log", "/var/log/squid/cache.log"];
    /// Envoy (also Istio and other service meshes).
    Envoy = "envoy", "Envoy", Proxy, "https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage", ["kubectl logs <pod> -c istio-proxy", "envoy access log"];
    /// Caddy.
    Caddy = "caddy", "Caddy", Server, "https://caddyserver.com/docs/caddyfile/directives/reverse_proxy", ["journalctl -u caddy"];
    /// Traefik.
    Traefik = "traefik", "Traefik", Proxy, "https://doc.traefik.io/traefik/observability/access-logs/", ["traefik access log (accessLog.filePath)"];
    /// lighttpd with mod_proxy.
    Lighttpd = "lighttpd", "lighttpd", Server, "https://redmine.lighttpd.net/projects/lighttpd/wiki/Mod_proxy", ["/var/log/lighttpd/error.log", "/var/log/lighttpd/access.log"];
    /// H2O.
    H2o = "h2o", "H2O", Server, "https://h2o.examp1e.net/configure/proxy_directives.html", ["/var/log/h2o/error.log", "/var/log/h2o/access.log"];
    /// nghttpx, the HTTP/2 proxy of nghttp2.
    Nghttpx = "nghttpx", "nghttpx", Proxy, "https://nghttp2.org/documentation/nghttpx.1.html", ["nghttpx --errorlog-file", "journalctl -u nghttpx"];
    /// Apache Traffic Server.
    Trafficserver = "trafficserver", "Apache Traffic Server", Proxy, "https://docs.trafficserver.apache.org/en/latest/admin-guide/logging/understanding.en.html", ["/var/log/trafficserver/error.log", "/var/log/trafficserver/diags.log", "/var/log/trafficserver/squid.log"];
    /// Tinyproxy.
    Tinyproxy = "tinyproxy", "Tinyproxy", Proxy, "https://tinyproxy.github.io/", ["/var/log/tinyproxy/tinyproxy.log"];
    /// Privoxy.
    Privoxy = "privoxy", "Privoxy", Proxy, "https://www.privoxy.org/user-manual/config.html", ["/var/log/privoxy/logfile"];
    /// mitmproxy (mitmdump, mitmweb).
    Mitmproxy = "mitmproxy", "mitmproxy", Proxy, "https://docs.mitmproxy.org/stable/", ["mitmdump's terminal output"];
    /// proxy.py (the PyPI package `proxy.py`).
    ProxyPy = "proxy_py", "proxy.py", Proxy, "https://github.com/abhinavsingh/proxy.py", ["proxy --log-file"];
    /// node-http-proxy (the npm package `http-proxy`), also under Vite's dev-server proxy.
    NodeHttpProxy = "node_http_proxy", "node-http-proxy", Proxy, "https://github.com/http-party/node-http-proxy", ["the Node.js process's standard error"];
    /// http-proxy-middleware (also webpack-dev-server's and create-react-app's proxy).
    HttpProxyMiddleware = "http_proxy_middleware", "http-proxy-middleware", Proxy, "https://github.com/chimurai/http-proxy-middleware", ["the dev server's terminal output"];
    /// Kong Gateway (OpenResty-based API gateway).
    Kong = "kong", "Kong Gateway", Proxy, "https://docs.konghq.com/gateway/latest/production/logging/", ["/usr/local/kong/logs/error.log", "kubectl logs deploy/kong-gateway -c proxy"];
    /// Cloudflare's edge.
    Cloudflare = "cloudflare", "Cloudflare", Cdn, "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/", ["Cloudflare dashboard → Analytics → Traffic"];
    /// AWS Elastic Load Balancing (ALB, CLB, NLB).
    AwsElb = "aws_elb", "AWS Elastic Load Balancing", LoadBalancer, "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html", ["ALB access logs in S3", "CloudWatch metrics HTTPCode_ELB_5XX_Count"];
    /// Amazon CloudFront.
    Cloudfront = "cloudfront", "Amazon CloudFront", Cdn, "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/troubleshooting-response-errors.html", ["CloudFront standard logs"];
    /// Google Front End / Google Cloud Load Balancing.
    GoogleFrontend = "google_frontend", "Google Front End", LoadBalancer, "https://cloud.google.com/load-balancing/docs/https/troubleshooting-ext-https-lbs", ["Cloud Logging: resource.type=\"http_load_balancer\""];
    /// Azure Front Door.
    AzureFrontDoor = "azure_front_door", "Azure Front Door", Cdn, "https://learn.microsoft.com/en-us/azure/frontdoor/troubleshoot-issues", ["Azure Monitor: FrontDoorAccessLog"];
    /// Azure Application Gateway.
    AzureAppGateway = "azure_app_gateway", "Azure Application Gateway", LoadBalancer, "https://learn.microsoft.com/en-us/azure/application-gateway/application-gateway-troubleshooting-502", ["Azure Monitor: ApplicationGatewayAccessLog"];
    /// Fastly.
    Fastly = "fastly", "Fastly", Cdn, "https://docs.fastly.com/en/guides/common-400-errors", ["Fastly real-time log streaming"];
    /// Akamai.
    Akamai = "akamai", "Akamai", Cdn, "https://techdocs.akamai.com/property-mgr/docs/error-codes", ["Akamai Control Center → Reference # lookup"];
    /// Heroku's router.
    Heroku = "heroku", "Heroku router", Platform, "https://devcenter.heroku.com/articles/error-codes", ["heroku logs --tail"];
    /// Vercel.
    Vercel = "vercel", "Vercel", Platform, "https://vercel.com/docs/errors", ["vercel logs <deployment-url>"];
    /// Netlify.
    Netlify = "netlify", "Netlify", Platform, "https://docs.netlify.com/routing/redirects/", ["Netlify UI → Logs → Functions"];
    /// gunicorn.
    Gunicorn = "gunicorn", "gunicorn", AppServer, "https://docs.gunicorn.org/en/stable/settings.html", ["gunicorn --error-logfile", "journalctl -u gunicorn"];
    /// uWSGI.
    Uwsgi = "uwsgi", "uWSGI", AppServer, "https://uwsgi-docs.readthedocs.io/en/latest/Logging.html", ["uwsgi --logto"];
    /// PHP-FPM.
    PhpFpm = "php_fpm", "PHP-FPM", AppServer, "https://www.php.net/manual/en/install.fpm.configuration.php", ["/var/log/php*-fpm.log"];
    /// Vite's dev server proxy (`server.proxy`, built on node-http-proxy).
    Vite = "vite", "Vite dev server", Proxy, "https://vite.dev/config/server-options.html#server-proxy", ["the terminal running vite"];
    /// Create React App's dev server proxy (react-scripts: `"proxy"` in package.json).
    CreateReactApp = "create_react_app", "Create React App dev server", Proxy, "https://create-react-app.dev/docs/proxying-api-requests-in-development/", ["the terminal running npm start"];
    /// Express (Node.js), its default error handler and express-http-proxy.
    Express = "express", "Express", AppServer, "https://expressjs.com/en/guide/error-handling.html", ["the Node.js process's standard error"];
    /// Fastify (Node.js), including @fastify/http-proxy and @fastify/reply-from.
    Fastify = "fastify", "Fastify", AppServer, "https://github.com/fastify/fastify-reply-from", ["the Fastify logger (pino JSON on standard output)"];
    /// The origin application, passed through unchanged by the proxies in front of it.
    OriginApp = "origin_app", "the site's application", Application, "RFC 9110 §15.6", ["the application's own log"];
    /// A web browser's fetch (Chrome, Firefox, Safari).
    Browser = "browser", "web browser", Runtime, "https://fetch.spec.whatwg.org/#concept-network-error", [];
    /// Node.js (undici's fetch, the http module).
    Node = "node", "Node.js", Runtime, "https://undici.nodejs.org/#/docs/api/Errors", [];
    /// Cloudflare's workerd runtime (a Worker's fetch).
    Workerd = "workerd", "Cloudflare Workers runtime", Runtime, "https://developers.cloudflare.com/workers/observability/errors/", ["wrangler tail"];
    /// A Rust program's std::io error.
    RustIo = "rust_io", "Rust std::io", Runtime, "https://doc.rust-lang.org/std/io/enum.ErrorKind.html", [];
    /// gatewise itself.
    Gatewise = "gatewise", "gatewise", Proxy, "docs/architecture.md", ["wrangler tail"];
    /// Unknown: no fingerprint matched.
    Unknown = "unknown", "an unidentified server", Unknown, "", [];
}

impl Layer {
    /// The stable id, e.g. `aws_elb`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Looks a layer up by its stable id.
    pub fn from_name(name: &str) -> Option<Layer> {
        Layer::ALL.iter().copied().find(|l| l.name() == name)
    }
}

impl std::fmt::Display for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.info().display)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layer_round_trips_and_is_documented() {
        for layer in Layer::ALL {
            let info = layer.info();
            assert_eq!(Layer::from_name(info.name), Some(*layer));
            let json = serde_json::to_string(layer).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", info.name));
            if *layer != Layer::Unknown {
                assert!(!info.source.is_empty(), "{} has no source", info.name);
            }
        }
    }
}
