//! The log formats gatewise reads, and how a line of each is cut into fields.
//!
//! [`LogFormat`] names a format; [`LogFormat::info`] gives its row (layer,
//! source documentation, the field that carries the vendor's own code).
//! [`ENVELOPES`] says how to recognise a line of a format and cut it into
//! named fields: a regular expression with named captures (optionally with
//! a `key=value` tail), a JSON object, or a W3C extended log line. The
//! patterns of [`super::patterns`] then read those fields.
//!
//! # Example
//! ```
//! use gatewise_core::logs::LogFormat;
//! use gatewise_core::Layer;
//! let f = LogFormat::from_name("haproxy_http").unwrap();
//! assert_eq!(f.info().layer, Layer::Haproxy);
//! assert_eq!(f.info().vendor_field, Some("termination_state"));
//! ```

use serde::{Deserialize, Serialize};

use crate::layer::Layer;

/// Static facts about one log format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FormatInfo {
    /// Stable id used in JSON and catalog keys, e.g. `nginx_error`.
    pub name: &'static str,
    /// The layer that writes this log (`Layer::Unknown` when several servers share the format).
    pub layer: Layer,
    /// The vendor documentation (or source file) describing the format.
    pub source: &'static str,
    /// The field whose value is the vendor's own code (Apache `AH…`, Heroku `H…`, HAProxy
    /// termination state, Envoy response flags…), copied into `Diagnosis::vendor_code`.
    pub vendor_field: Option<&'static str>,
}

macro_rules! log_formats {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $layer:ident, $source:literal, $vendor:expr; )+) => {
        /// A log format gatewise can explain.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum LogFormat { $( $(#[$doc])* $variant, )+ }

        impl LogFormat {
            /// Every format, in table order.
            pub const ALL: &'static [LogFormat] = &[ $( LogFormat::$variant, )+ ];

            /// The facts of this format.
            pub fn info(self) -> &'static FormatInfo {
                match self {
                    $( LogFormat::$variant => &FormatInfo {
                        name: $name, layer: Layer::$layer, source: $source, vendor_field: $vendor,
                    }, )+
                }
            }
        }
    };
}

log_formats! {
    /// nginx `error.log` (`YYYY/MM/DD HH:MM:SS [level] pid#tid: *cid message, client: …`).
    NginxError = "nginx_error", Nginx, "https://nginx.org/en/docs/ngx_core_module.html#error_log", None;
    /// nginx `access.log` in the combined format followed by `key=value` upstream variables
    /// (`$upstream_status`, `$upstream_addr`, `$request_time`, `$upstream_response_time`…).
    NginxAccess = "nginx_access", Nginx, "https://nginx.org/en/docs/http/ngx_http_upstream_module.html#variables", None;
    /// The NCSA combined (or common) access log written by nginx, Apache httpd, varnishncsa and
    /// others: the line alone does not say which server wrote it.
    AccessCombined = "access_combined", Unknown, "https://httpd.apache.org/docs/2.4/logs.html#combined", None;
    /// Apache httpd 2.4 `error_log` (`[date] [module:level] [pid N:tid N] (errno)text: [client …] AHnnnnn: message`).
    ApacheError = "apache_error", Apache, "https://httpd.apache.org/docs/2.4/logs.html#errorlog", Some("ah");
    /// HAProxy HTTP log (`option httplog`), with or without a syslog prefix.
    HaproxyHttp = "haproxy_http", Haproxy, "https://docs.haproxy.org/2.8/configuration.html#8.2.3", Some("termination_state");
    /// Envoy access log: the default text format, or JSON with Envoy's operator names.
    EnvoyAccess = "envoy_access", Envoy, "https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage", Some("response_flags");
    /// Caddy's structured (JSON) log: `http.log.error`, `http.log.access`, `http.handlers.reverse_proxy`.
    CaddyJson = "caddy_json", Caddy, "https://caddyserver.com/docs/logging", None;
    /// Traefik access log, in the CLF format (with Traefik's extra fields) or in JSON.
    TraefikAccess = "traefik_access", Traefik, "https://doc.traefik.io/traefik/observability/access-logs/", None;
    /// Traefik's own (debug) log, where the reverse proxy reports why it answered 502/504.
    TraefikLog = "traefik_log", Traefik, "https://doc.traefik.io/traefik/observability/logs/", None;
    /// Heroku router log lines (`at=error code=H12 desc="Request timeout" …`).
    HerokuRouter = "heroku_router", Heroku, "https://devcenter.heroku.com/articles/error-codes", Some("code");
    /// IIS W3C extended log (`sc-status sc-substatus sc-win32-status`), default field order or a `#Fields:` header.
    IisW3c = "iis_w3c", Iis, "https://learn.microsoft.com/en-us/windows/win32/http/w3c-logging", Some("win32_status");
    /// ASP.NET Core Module (ANCM) messages in the Windows Application event log.
    Ancm = "ancm", Iis, "https://learn.microsoft.com/en-us/aspnet/core/test/troubleshoot-azure-iis", Some("error_code");
    /// PHP-FPM master log (`[date] WARNING: [pool www] …`).
    PhpFpm = "php_fpm", PhpFpm, "https://www.php.net/manual/en/install.fpm.configuration.php", None;
    /// gunicorn error log (`[date] [pid] [LEVEL] message`).
    Gunicorn = "gunicorn", Gunicorn, "https://docs.gunicorn.org/en/stable/settings.html#logging", None;
    /// uWSGI log (master messages and request lines).
    Uwsgi = "uwsgi", Uwsgi, "https://uwsgi-docs.readthedocs.io/en/latest/Logging.html", None;
    /// `varnishlog -g raw` records (`FetchError`, `Error`).
    Varnishlog = "varnishlog", Varnish, "https://varnish-cache.org/docs/trunk/reference/vsl.html", None;
    /// Squid `access.log` in Squid's native format.
    SquidAccess = "squid_access", Squid, "https://wiki.squid-cache.org/Features/LogFormat", Some("squid_code");
    /// Squid `cache.log`.
    SquidCache = "squid_cache", Squid, "https://wiki.squid-cache.org/SquidFaq/SquidLogs#cachelog", None;
    /// Apache Traffic Server's `squid.log`: Squid's native layout with ATS's own codes
    /// (`ERR_CONNECT_FAIL/502`, `ERR_READ_TIMEOUT/504`, hierarchy `TIMEOUT_DIRECT`).
    TrafficserverSquid = "trafficserver_squid", Trafficserver, "https://docs.trafficserver.apache.org/en/latest/admin-guide/logging/formatting.en.html", Some("squid_code");
    /// An access log in Squid's native layout whose codes name no one proxy (Squid 2's
    /// `DIRECT/…` hierarchy, Apache Traffic Server's plain `TCP_MISS` lines, other proxies).
    SquidFormat = "squid_format", Unknown, "https://wiki.squid-cache.org/Features/LogFormat", Some("squid_code");
    /// Apache Traffic Server `error.log` (`YYYYMMDD.HHhMMmSSs message`).
    TrafficserverError = "trafficserver_error", Trafficserver, "https://docs.trafficserver.apache.org/en/latest/admin-guide/logging/understanding.en.html", None;
    /// lighttpd `server.errorlog` (`YYYY-MM-DD HH:MM:SS: (file.c.line) message`).
    LighttpdError = "lighttpd_error", Lighttpd, "https://redmine.lighttpd.net/projects/lighttpd/wiki/Server_errorlogDetails", None;
    /// H2O `error-log` lines of its proxy (`[lib/core/proxy.c] in request:/path:reason`).
    H2oError = "h2o_error", H2o, "https://h2o.examp1e.net/configure/base_directives.html#error-log", None;
    /// nghttpx `errorlog-file` (`time pid tid id LEVEL (file.cc:line) message`).
    NghttpxError = "nghttpx_error", Nghttpx, "https://nghttp2.org/documentation/nghttpx.1.html#logging", None;
    /// Tinyproxy `LogFile` (`LEVEL  Mon DD HH:MM:SS.mmm [pid]: message`).
    Tinyproxy = "tinyproxy", Tinyproxy, "https://tinyproxy.github.io/", None;
    /// Privoxy `logfile` (`YYYY-MM-DD HH:MM:SS.mmm thread Level: message`).
    Privoxy = "privoxy", Privoxy, "https://www.privoxy.org/user-manual/config.html#DEBUG", None;
    /// mitmproxy / mitmdump terminal output (`[HH:MM:SS.mmm][client] message`, flow lines, `<< reason`).
    Mitmproxy = "mitmproxy", Mitmproxy, "https://docs.mitmproxy.org/stable/concepts/options/", None;
    /// proxy.py log (`date - pid:N [L] module.function:line - message`).
    ProxyPy = "proxy_py", ProxyPy, "https://github.com/abhinavsingh/proxy.py#flags", None;
    /// http-proxy-middleware's `[HPM]` lines (also in webpack-dev-server and create-react-app output).
    HttpProxyMiddleware = "http_proxy_middleware", HttpProxyMiddleware, "https://github.com/chimurai/http-proxy-middleware#logger-object", Some("error_code");
    /// Vite's dev-server output (`[vite] http proxy error: /path`, then the Node.js error).
    Vite = "vite", Vite, "https://vite.dev/config/server-options.html#server-proxy", Some("error_code");
    /// Create React App's dev-server proxy messages (`Proxy error: Could not proxy request …`).
    CreateReactApp = "create_react_app", CreateReactApp, "https://create-react-app.dev/docs/proxying-api-requests-in-development/", Some("error_code");
    /// Fastify's pino JSON log (request lines, @fastify/reply-from's errors).
    FastifyJson = "fastify_json", Fastify, "https://fastify.dev/docs/latest/Reference/Logging/", Some("error_code");
    /// The crash of a Node.js process in node-http-proxy (an `error` event nobody handled).
    NodeHttpProxyCrash = "node_http_proxy_crash", NodeHttpProxy, "https://github.com/http-party/node-http-proxy#listening-for-proxy-events", None;
    /// A Node.js error as an uncaught exception or `console.error` prints it (`Error: connect
    /// ECONNREFUSED …`), with its stack and fields.
    NodeError = "node_error", Node, "https://nodejs.org/api/errors.html#common-system-errors", Some("error_code");
}

impl LogFormat {
    /// The stable id, e.g. `nginx_error`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Looks a format up by its stable id.
    pub fn from_name(name: &str) -> Option<LogFormat> {
        LogFormat::ALL.iter().copied().find(|f| f.name() == name)
    }
}

impl std::fmt::Display for LogFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How a line of a format is cut into fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvelopeKind {
    /// A regular expression (regex-lite syntax) with named captures; `kv` names a capture
    /// whose text is a list of `key=value` / `key="quoted value"` pairs, added as fields.
    Regex {
        /// The expression.
        pattern: &'static str,
        /// The capture holding `key=value` pairs, if any.
        kv: Option<&'static str>,
    },
    /// A JSON object; nested objects become dotted keys (`request.method`).
    Json,
    /// A W3C extended log line: space-separated values named by the last `#Fields:`
    /// directive, or by IIS's default field list.
    W3c,
}

/// One way to recognise a line of a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Envelope {
    /// The format a matching line belongs to.
    pub format: LogFormat,
    /// How the line is cut into fields.
    pub kind: EnvelopeKind,
    /// Conditions on the extracted fields (field, regex) that must all hold.
    pub when: &'static [(&'static str, &'static str)],
    /// Canonical field names filled from the first present source field.
    pub aliases: &'static [(&'static str, &'static [&'static str])],
}

/// IIS's default W3C field list (used when no `#Fields:` directive was seen).
pub const IIS_DEFAULT_FIELDS: &[&str] = &[
    "date",
    "time",
    "s-ip",
    "cs-method",
    "cs-uri-stem",
    "cs-uri-query",
    "s-port",
    "cs-username",
    "c-ip",
    "cs(User-Agent)",
    "cs(Referer)",
    "sc-status",
    "sc-substatus",
    "sc-win32-status",
    "time-taken",
];

/// Squid's native access-log layout (`logformat squid`), also written by Apache Traffic Server.
const SQUID_LAYOUT: &str = r"^(?P<time>\d+\.\d+)\s+(?P<elapsed>\d+) (?P<client>\S+) (?P<squid_code>[A-Z_]+)/(?P<status>\d{3}) (?P<bytes>\d+) (?P<method>[A-Z]+) (?P<path>\S+) (?P<user>\S+) (?P<hierarchy>[A-Z_]+)/(?P<peer>\S+) (?P<content_type>\S+)";
/// Hierarchy codes only Squid 3 and later write (Squid's `src/hier_code.h`).
const SQUID3_HIERARCHY: &str = r"^(?:HIER_[A-Z_]+|SIBLING_HIT|PARENT_HIT|DEFAULT_PARENT|SINGLE_PARENT|FIRSTUP_PARENT|FIRST_PARENT_MISS|CLOSEST_PARENT_MISS|CLOSEST_PARENT|CLOSEST_DIRECT|NO_DIRECT_FAIL|SOURCE_FASTEST|ROUNDROBIN_PARENT|CACHE_DIGEST_HIT|CD_PARENT_HIT|CD_SIBLING_HIT|NO_CACHE_DIGEST_DIRECT|CARP|ANY_OLD_PARENT|USERHASH_PARENT|SOURCEHASH_PARENT|PINNED|ORIGINAL_DST|STANDBY_POOL)$";

/// The envelopes, tried in order; the first whose envelope *and* one of whose patterns match wins.
pub const ENVELOPES: &[Envelope] = &[
    Envelope {
        format: LogFormat::NginxError,
        kind: EnvelopeKind::Regex {
            pattern: r#"^(?P<time>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[(?P<level>\w+)\] (?P<pid>\d+)#(?P<tid>\d+): (?:\*(?P<connection>\d+) )?(?P<message>.*?)(?:, client: (?P<client>[^,]*))?(?:, server: (?P<server>[^,]*))?(?:, request: "(?P<request>[^"]*)")?(?:, subrequest: "(?P<subrequest>[^"]*)")?(?:, upstream: "(?P<upstream>[^"]*)")?(?:, host: "(?P<host>[^"]*)")?(?:, referrer: "(?P<referrer>[^"]*)")?$"#,
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::ApacheError,
        kind: EnvelopeKind::Regex {
            pattern: r"^\[(?P<time>[^\]]+)\] \[(?P<module>[\w-]*):(?P<level>\w+)\] \[pid (?P<pid>\d+)(?::tid (?P<tid>\d+))?\] (?:(?P<source_file>[\w.]+\(\d+\)): )?(?:\((?P<errno>(?:EAI )?-?\d+)\)(?P<errno_text>[^:\[]*): )?(?:\[(?:client|remote) (?P<client>[^\]]+)\] )?(?:(?P<ah>AH\d{5}): )?(?P<message>.*?)(?:, referer: (?P<referer>\S*))?$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::HaproxyHttp,
        kind: EnvelopeKind::Regex {
            pattern: r#"(?:^|\s)(?P<client>[\w.:\[\]-]+?):(?P<client_port>\d+) \[(?P<accept_date>[^\]]+)\] (?P<frontend>\S+) (?P<backend>[^/\s]+)/(?P<server>\S+) (?P<treq>-?\d+)/(?P<tw>-?\d+)/(?P<tc>-?\d+)/(?P<tr>-?\d+)/(?P<ta>\+?-?\d+) (?P<status>-?\d+) (?P<bytes>\+?\d+) (?P<request_cookie>\S+) (?P<response_cookie>\S+) (?P<termination_state>[A-Za-z-]{4}) (?P<actconn>\d+)/(?P<feconn>\d+)/(?P<beconn>\d+)/(?P<srv_conn>\d+)/(?P<retries>\+?\d+) (?P<srv_queue>\d+)/(?P<backend_queue>\d+)(?: \{[^}]*\})* "(?P<request>[^"]*)"?"#,
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::EnvoyAccess,
        kind: EnvelopeKind::Regex {
            pattern: r#"^\[(?P<time>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) (?P<protocol>[^"]*)" (?P<status>\d+) (?P<response_flags>[A-Z,-]+) (?:(?P<response_code_details>\S+) (?P<termination_details>\S+) "(?P<transport_failure>[^"]*)" )?(?P<bytes_received>\d+) (?P<bytes_sent>\d+) (?P<duration>\d+) (?P<upstream_service_time>\S+) "(?P<xff>[^"]*)" "(?P<user_agent>[^"]*)" "(?P<request_id>[^"]*)" "(?P<authority>[^"]*)" "(?P<upstream>[^"]*)""#,
            kv: None,
        },
        when: &[],
        aliases: &[("host", &["authority"]), ("client", &["xff"])],
    },
    Envelope {
        format: LogFormat::EnvoyAccess,
        kind: EnvelopeKind::Json,
        when: &[("response_flags", r"^[A-Z,-]+$")],
        aliases: &[
            ("status", &["response_code"]),
            ("upstream", &["upstream_host"]),
            ("client", &["downstream_remote_address", "x_forwarded_for"]),
            ("host", &["authority"]),
            ("transport_failure", &["upstream_transport_failure_reason"]),
        ],
    },
    Envelope {
        format: LogFormat::CaddyJson,
        kind: EnvelopeKind::Json,
        when: &[("logger", r"^http\."), ("msg", ".")],
        aliases: &[
            ("detail", &["error", "msg"]),
            ("method", &["request.method"]),
            ("path", &["request.uri"]),
            ("client", &["request.client_ip", "request.remote_ip"]),
            ("host", &["request.host"]),
            ("upstream", &["upstream"]),
        ],
    },
    Envelope {
        format: LogFormat::TraefikAccess,
        kind: EnvelopeKind::Json,
        when: &[("DownstreamStatus", r"^\d+$")],
        aliases: &[
            ("status", &["DownstreamStatus"]),
            ("origin_status", &["OriginStatus"]),
            ("method", &["RequestMethod"]),
            ("path", &["RequestPath"]),
            ("client", &["ClientHost", "ClientAddr"]),
            ("host", &["RequestHost"]),
            ("upstream", &["ServiceURL", "ServiceAddr"]),
            ("router", &["RouterName"]),
            ("duration", &["Duration"]),
        ],
    },
    Envelope {
        format: LogFormat::TraefikAccess,
        kind: EnvelopeKind::Regex {
            pattern: r#"^(?P<client>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<request>[^"]*)" (?P<status>\d{3}) (?P<bytes>\S+) "(?P<referer>[^"]*)" "(?P<user_agent>[^"]*)" (?P<request_count>\d+) "(?P<router>[^"]*)" "(?P<upstream>[^"]*)" (?P<duration>\d+)ms$"#,
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::TraefikLog,
        kind: EnvelopeKind::Regex {
            pattern: r#"^(?:time="(?P<time>[^"]*)" level=(?P<level>\w+) msg="(?P<message>(?:[^"\\]|\\.)*)"|(?P<time2>\S+) (?P<level2>DBG|INF|WRN|ERR) (?P<caller>\S+) > (?P<message2>.*))"#,
            kv: None,
        },
        when: &[],
        aliases: &[
            ("detail", &["message", "message2"]),
            ("level", &["level2"]),
            ("time", &["time2"]),
        ],
    },
    Envelope {
        format: LogFormat::HerokuRouter,
        kind: EnvelopeKind::Regex {
            pattern: r"(?:^|\s)(?:heroku\[router\]: )?(?P<kv>at=(?:error|info|warning) .*)$",
            kv: Some("kv"),
        },
        when: &[("code", r"^H\d\d$")],
        aliases: &[("client", &["fwd"]), ("upstream", &["dyno"])],
    },
    Envelope {
        format: LogFormat::IisW3c,
        kind: EnvelopeKind::W3c,
        when: &[
            ("status", r"^\d{3}$"),
            ("sub_status", r"^\d+$"),
            ("win32_status", r"^\d+$"),
        ],
        aliases: &[
            ("status", &["sc-status"]),
            ("sub_status", &["sc-substatus"]),
            ("win32_status", &["sc-win32-status"]),
            ("method", &["cs-method"]),
            ("path", &["cs-uri-stem"]),
            ("client", &["c-ip"]),
            ("host", &["cs-host"]),
            ("time_taken", &["time-taken"]),
            ("server_ip", &["s-ip"]),
        ],
    },
    Envelope {
        format: LogFormat::Ancm,
        kind: EnvelopeKind::Regex {
            pattern: r"(?:^|\s)(?:Application '(?P<app>[^']*)' with physical root '(?P<physical_root>[^']*)' (?P<message>.*)|(?P<message2>Failed to start application '(?P<app2>[^']*)', ErrorCode '(?P<error_code2>0x[0-9A-Fa-f]+)'.*))$",
            kv: None,
        },
        when: &[],
        aliases: &[
            ("message", &["message2"]),
            ("app", &["app2"]),
            ("error_code", &["error_code2"]),
        ],
    },
    Envelope {
        format: LogFormat::PhpFpm,
        kind: EnvelopeKind::Regex {
            pattern: r"^\[(?P<time>\d\d-\w{3}-\d{4} \d\d:\d\d:\d\d(?:\.\d+)?)\] (?P<level>DEBUG|NOTICE|WARNING|ERROR|ALERT): (?:\[pool (?P<pool>[^\]]+)\] )?(?P<message>.*)$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::Gunicorn,
        kind: EnvelopeKind::Regex {
            pattern: r"^\[(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?: [+-]\d{4})?)\] \[(?P<pid>\d+)\] \[(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL)\] (?P<message>.*)$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::Varnishlog,
        kind: EnvelopeKind::Regex {
            pattern: r"^\s*(?P<vxid>\d+) (?P<tag>FetchError|Error)\s+(?P<side>[bc-]) (?P<message>.*)$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    // A line in Squid's native layout names Squid only by Squid's own codes: the hierarchy
    // codes of Squid 3 and later (HIER_*, FIRSTUP_PARENT, ORIGINAL_DST…). Apache Traffic
    // Server writes the same layout with ERR_* result codes and TIMEOUT_* hierarchies; a line
    // with neither (Squid 2's DIRECT/…, ATS's plain TCP_MISS) names no proxy.
    Envelope {
        format: LogFormat::TrafficserverSquid,
        kind: EnvelopeKind::Regex {
            pattern: SQUID_LAYOUT,
            kv: None,
        },
        when: &[("squid_code", "^ERR_")],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::TrafficserverSquid,
        kind: EnvelopeKind::Regex {
            pattern: SQUID_LAYOUT,
            kv: None,
        },
        when: &[("hierarchy", "^TIMEOUT_")],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::SquidAccess,
        kind: EnvelopeKind::Regex {
            pattern: SQUID_LAYOUT,
            kv: None,
        },
        when: &[("hierarchy", SQUID3_HIERARCHY)],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::SquidFormat,
        kind: EnvelopeKind::Regex {
            pattern: SQUID_LAYOUT,
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::SquidCache,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?:(?P<time>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)(?: kid\d+)?\| (?P<message>.*)|(?P<continuation>    current master transaction: \S+))$",
            kv: None,
        },
        when: &[],
        aliases: &[("message", &["continuation"])],
    },
    Envelope {
        format: LogFormat::TrafficserverError,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?P<time>\d{8}\.\d\dh\d\dm\d\ds) (?P<message>.*)$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::LighttpdError,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d): \((?P<source_file>[\w-]+\.c)\.(?P<source_line>\d+)\) (?P<message>.*?)\s*$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::H2oError,
        kind: EnvelopeKind::Regex {
            pattern: r"^\[(?P<module>lib/[\w/]+\.c)\] in request:(?P<path>.*?):(?P<message>[^:]*)$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::NghttpxError,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?P<time>\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)) (?P<pid>\d+) (?P<tid>\d+) (?P<id>[0-9a-f]+) (?P<level>INFO|NOTICE|WARN|ERROR|FATAL) \((?P<source_file>[\w.]+):(?P<source_line>\d+)\) (?:\[[A-Z]+:0x[0-9a-f]+\] )?(?P<message>.*)$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::Tinyproxy,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?P<level>CRITICAL|ERROR|WARNING|NOTICE|CONNECT|INFO)\s+(?P<time>\w{3} \d\d \d\d:\d\d:\d\d(?:\.\d+)?) \[(?P<pid>\d+)\]: (?P<message>.*)$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::Privoxy,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) (?P<thread>[0-9a-f]+) (?P<level>Request|Crunch|Error|Info|Connect|Header|Writing|Received|Redirect|Actions|Fatal error|Force|Re-Filter|Unexpected|Tag|CGI|Filter|Gif-Deanimate|Action): (?P<message>.*)$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::Mitmproxy,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?:\[(?P<time>\d\d:\d\d:\d\d\.\d{3})\]\[(?P<client>[^\]]+)\] (?P<message>.*)|(?P<client2>[\w.:\[\]-]+:\d+): (?P<method>[A-Z]+) (?P<url>\S+)|\s+<< (?P<reason>.*))$",
            kv: None,
        },
        when: &[],
        aliases: &[("client", &["client2"])],
    },
    Envelope {
        format: LogFormat::ProxyPy,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) - pid:(?P<pid>\d+) \[(?P<level>[DIWEC])\] (?P<source>[\w.]+:\d+) - (?P<message>.*?)(?:(?P<client>\S+) - (?P<method>[A-Z]+) (?P<path>\S+) - (?P<status>\S+) (?P<reason>.*?) - (?P<bytes>\d+) bytes - (?P<ms>[\d.]+)ms)?$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::HttpProxyMiddleware,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?:<[ewi]> )?(?:\[webpack-dev-server\] )?\[HPM\] (?:Error occurred while proxying request (?P<host>[^/\s]*)(?P<path>\S*) to (?P<upstream>\S+) \[(?P<error_code>[A-Z_]+)\].*|(?P<method>[A-Z]+) (?P<path2>\S+) -> (?P<upstream2>\S+) \[(?P<status>\d{3})\]|(?P<message>.*))$",
            kv: None,
        },
        when: &[],
        aliases: &[("path", &["path2"]), ("upstream", &["upstream2"])],
    },
    Envelope {
        format: LogFormat::Vite,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?:(?P<time>\d{1,2}:\d\d:\d\d(?: [AP]M)?) )?\[vite\] (?P<message>.*)$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::Vite,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?P<error_class>[A-Z]\w*Error) \[(?P<error_code>[A-Z_]+)\]: (?P<message>(?:\[vite\] )?http proxy error.*)$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::CreateReactApp,
        kind: EnvelopeKind::Regex {
            pattern: r"^Proxy error: Could not proxy request (?P<path>\S+) from (?P<host>\S+) to (?P<upstream>\S+?)(?: \((?P<error_code>[A-Z_]+)\))?\.?\s*$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::CreateReactApp,
        kind: EnvelopeKind::Regex {
            pattern: r"^See https://nodejs\.org/api/errors\.html#errors_common_system_errors for more information \((?P<error_code>[A-Z_]+)\)\.?\s*$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::FastifyJson,
        kind: EnvelopeKind::Json,
        when: &[("reqId", r"^req-\d+$"), ("level", r"^[1-6]0$")],
        aliases: &[
            ("error_code", &["err.code"]),
            ("detail", &["err.message"]),
            ("status", &["res.statusCode"]),
            ("method", &["req.method"]),
            ("path", &["req.url"]),
            ("client", &["req.remoteAddress"]),
            ("host", &["req.host"]),
        ],
    },
    Envelope {
        format: LogFormat::NodeHttpProxyCrash,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?P<file>\S*node_modules/http-proxy/lib/http-proxy/index\.js):(?P<source_line>\d+)$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::NodeError,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?:Uncaught )?(?P<error_class>[A-Z]\w*Error|Error)(?: \[(?P<error_code2>[A-Z_]+)\])?: (?P<message>.*)$",
            kv: None,
        },
        when: &[],
        aliases: &[("error_code", &["error_code2"])],
    },
    Envelope {
        format: LogFormat::NodeError,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?P<stack>\s+at \S.*|\s+(?:errno|code|syscall|address|port|hostname|host|bytesParsed|reason|rawPacket|cause|info): .*|\}\s*|\s+throw \w+;|\s*\^|Node\.js v\d+\.\d+\.\d+|\s+(?:\d+,\s*)*\d+,?|\s+\.\.\. \d+ more items?|\s*\])$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::NginxAccess,
        kind: EnvelopeKind::Regex {
            pattern: r#"^(?P<client>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<request>[^"]*)" (?P<status>\d{3}) (?P<bytes>\d+|-)(?: "(?P<referer>[^"]*)" "(?P<user_agent>[^"]*)")?(?: "(?P<xff>[^"]*)")? (?P<kv>(?:\S+=\S+ ?)+)$"#,
            kv: Some("kv"),
        },
        when: &[("upstream_status", ".")],
        aliases: &[
            ("upstream_status", &["us", "ups", "upstream_status"]),
            ("upstream", &["ua", "upstream_addr", "upstream"]),
            ("request_time", &["rt", "request_time"]),
            ("upstream_response_time", &["urt", "upstream_response_time"]),
            ("upstream_connect_time", &["uct", "upstream_connect_time"]),
            ("upstream_header_time", &["uht", "upstream_header_time"]),
        ],
    },
    Envelope {
        format: LogFormat::AccessCombined,
        kind: EnvelopeKind::Regex {
            pattern: r#"^(?P<client>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<request>[^"]*)" (?P<status>\d{3}) (?P<bytes>\d+|-)(?: "(?P<referer>[^"]*)" "(?P<user_agent>[^"]*)")?"#,
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::Uwsgi,
        kind: EnvelopeKind::Regex {
            pattern: r"^\[pid: (?P<worker_pid>\d+)\|app: -?\d+\|req: [\d/]+\] (?P<client>\S+) \([^)]*\) \{[^}]*\} \[(?P<time>[^\]]+)\] (?P<method>[A-Z]+) (?P<path>\S+) => generated (?P<bytes>\d+) bytes in (?P<msecs>\d+) msecs \((?P<protocol>[^ )]+) (?P<status>\d{3})\)",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
    Envelope {
        format: LogFormat::Uwsgi,
        kind: EnvelopeKind::Regex {
            pattern: r"^(?:(?P<time>\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4}) - )?(?P<message>.+)$",
            kv: None,
        },
        when: &[],
        aliases: &[],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_round_trips_and_has_a_source_and_an_envelope() {
        for f in LogFormat::ALL {
            assert_eq!(LogFormat::from_name(f.name()), Some(*f));
            let json = serde_json::to_string(f).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", f.name()));
            assert!(f.info().source.starts_with("https://"), "{f}");
            assert!(
                ENVELOPES.iter().any(|e| e.format == *f),
                "{f} has no envelope"
            );
        }
    }
}
