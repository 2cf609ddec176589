//! The worker's configuration: `wrangler.toml` `[vars]` and secrets, parsed
//! once per isolate into a [`Config`].
//!
//! Every variable is a string; an absent or empty one takes its default
//! ([`VARS`] lists them all, with defaults, as README documents them). A value
//! that cannot be used is a [`ConfigError`] naming the variable: the worker
//! then answers every request with a `proxy_configuration_error` page
//! instead of guessing (or panicking).
//!
//! # Example
//! ```
//! use gatewise_worker::config::{Config, InterceptMode};
//! let vars = [("ORIGIN_URL", "http://127.0.0.1:8080"), ("TIMEOUT_MS", "500")];
//! let get = |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string());
//! let config = Config::from_vars(get).unwrap();
//! let origin = config.origin.as_ref().unwrap();
//! assert_eq!(origin.host, "127.0.0.1");
//! assert_eq!(origin.port, 8080);
//! assert_eq!(config.timeout_ms, 500);
//! assert_eq!(config.intercept, InterceptMode::Passthrough);
//! assert_eq!(config.reserved_prefix, "/__gatewise/");
//!
//! // ORIGIN_URL empty: each request goes to the zone's own origin, as a worker on a route does.
//! let zone = Config::from_vars(|_| None).unwrap();
//! assert!(zone.origin.is_none());
//!
//! let err = Config::from_vars(|name: &str| (name == "TIMEOUT_MS").then(|| "soon".to_string()))
//!     .unwrap_err();
//! assert_eq!(err.var, "TIMEOUT_MS");
//! ```

use std::time::Duration;

use gatewise_core::policy::{Backoff, BreakerConfig, FailureRatio, GuardConfig, RetryPolicy};
use gatewise_core::Lang;

use crate::route::UrlParts;

/// One configuration variable: its name, its default and what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Var {
    /// The name in `[vars]` (or of the secret).
    pub name: &'static str,
    /// The default, as a string (empty: unset).
    pub default: &'static str,
    /// What it sets.
    pub doc: &'static str,
}

const fn var(name: &'static str, default: &'static str, doc: &'static str) -> Var {
    Var { name, default, doc }
}

/// Every variable the worker reads, with its default (README's table is this table).
#[rustfmt::skip]
pub const VARS: &[Var] = &[
    var("ORIGIN_URL", "", "the origin: http(s)://host[:port][/base-path]; empty: each request goes to its own URL, i.e. the zone's origin behind a worker on a route"),
    var("TIMEOUT_MS", "30000", "time to the origin's response headers, per attempt, in ms (0: no limit)"),
    var("TOTAL_TIMEOUT_MS", "", "the visitor's whole wait, every attempt, backoff and Retry-After included, in ms (empty: TIMEOUT_MS; 0: no limit)"),
    var("RETRY_MAX_ATTEMPTS", "2", "attempts per request, the first included (1: never retry)"),
    var("RETRY_BASE_MS", "100", "backoff ceiling of the first retry, in ms (full jitter)"),
    var("RETRY_CAP_MS", "2000", "longest backoff wait, in ms"),
    var("RETRY_MAX_AFTER_S", "5", "longest origin Retry-After the worker waits for before a retry, in s"),
    var("RETRY_BODY_LIMIT", "65536", "request bodies up to this many bytes are kept for a replay; larger ones stream and are never replayed"),
    var("STALE_IF_ERROR", "300", "serve a stored copy of a GET this many seconds past its freshness when the origin fails (0: off)"),
    var("BREAKER_FAILURES", "5", "open the origin's circuit after this many visits in a row failed to reach it at all (DNS, refused, TLS) (0: never)"),
    var("BREAKER_FAILURE_RATIO", "500", "also open it when this many thousandths of at least 20 visits in 10 s failed so (0: never)"),
    var("BREAKER_PATH_FAILURES", "5", "open the circuit of one path after this many of its visits failed (resets, hangs, its own 5xx) while none of them succeeded for BREAKER_QUIET_MS (0: never)"),
    var("BREAKER_SPREAD_PATHS", "5", "open the origin's circuit when this many distinct paths failed while no visit at all succeeded for BREAKER_QUIET_MS (0: never)"),
    var("BREAKER_QUIET_MS", "10000", "how long nothing may have succeeded before failures of paths open a circuit, in ms"),
    var("BREAKER_PATHS", "128", "how many paths' failures are tracked (a table of fixed size, least recently seen replaced first; at most 1024)"),
    var("BREAKER_COOL_DOWN_MS", "5000", "first cool-down of an open circuit, in ms (doubles per failed probe)"),
    var("BREAKER_MAX_COOL_DOWN_MS", "60000", "longest cool-down, in ms"),
    var("SITE_NAME", "", "the site's name on error pages"),
    var("LOGO_TEXT", "", "a short text shown as the site's logo (default: SITE_NAME)"),
    var("CONTACT", "", "contact for the site owner on error pages (mail address or URL)"),
    var("STATUS_PAGE_URL", "", "a status page URL on error pages"),
    var("LANGUAGES", "", "comma-separated catalog languages error pages may use (empty: all)"),
    var("DEFAULT_LANG", "en", "language when Accept-Language matches none"),
    var("DEBUG_TOKEN", "", "secret (`wrangler secret put DEBUG_TOKEN`): sent as X-Gatewise-Debug or cookie gatewise_debug, unlocks owner details"),
    var("INTERCEPT_MODE", "passthrough", "origin 5xx pages: passthrough, or replace-html (recognised proxy error pages become the informative page for HTML clients)"),
    var("RESERVED_PREFIX", "/__gatewise/", "path prefix of the worker's own endpoints"),
    var("DOH_URL", "https://cloudflare-dns.com/dns-query", "DNS-over-HTTPS JSON resolver used by the drill-through"),
    var("DRILL_BUDGET_MS", "1500", "time budget of one drill-through (DNS, connect, HTTP), in ms (0: off)"),
    var("NEL", "off", "on: add NEL and Reporting-Endpoints headers pointing at the reports endpoint"),
    var("CDN_LOOP_ID", "gatewise", "this worker's id in CDN-Loop and Proxy-Status"),
    var("ORIGIN_STATUS_INTERVAL_MS", "2000", "the origin-status endpoint probes at most once per this many ms per isolate"),
    var("SUBREQUEST_LIMIT", "50", "subrequests one invocation may make (Workers Free: 50; lower under a Workers for Platforms custom limit): settings that could need more are refused"),
    var("SHARED_HEALTH", "on", "on: with the ORIGIN_HEALTH Durable Object bound, isolates share the origin's breaker and keep the incident record there; off: per isolate, as without the binding"),
    var("SHARED_TIMEOUT_MS", "250", "longest wait for the shared object when a request must ask it (a half-open breaker's probe lease, a stale copy of a breaker that is not closed); past it the isolate's own state decides"),
    var("SHARED_STALENESS_MS", "1000", "an isolate's copy of a breaker that is not closed is asked again once older than this, in ms (a closed one learns on its next failure)"),
    var("INCIDENT_ROWS", "10000", "incident rows kept at most (the oldest go first)"),
    var("INCIDENT_DAYS", "7", "incident rows older than this many days are removed"),
    var("INCIDENT_MINUTE_DAYS", "90", "per-minute incident counts are kept this many days"),
    var("REPORTS_PER_MINUTE", "120", "visitors' NEL reports accepted per minute, per isolate and by the shared object for all"),
    var("REPORTS_PER_CLIENT", "10", "visitors' NEL reports accepted per client address per minute"),
    var("MONITOR_PATHS", "/", "comma-separated paths the monitoring robot (Cron Trigger) sends a HEAD to, at most 8"),
    var("MONITOR_URL", "", "the origin the robot checks when ORIGIN_URL is empty (the zone's own): http(s)://host[:port]"),
];

/// What the worker does with an origin's own 5xx response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterceptMode {
    /// Pass it through untouched (adding only `Proxy-Status`).
    Passthrough,
    /// For clients that accept HTML, replace a recognised proxy error page
    /// with the informative page (status kept, `Proxy-Status` with `received-status`).
    ReplaceHtml,
}

/// The origin, split once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// The port (the scheme's default when not given).
    pub port: u16,
    /// `scheme://host[:port]` plus the base path without its trailing `/`: request paths are appended.
    pub base: String,
}

impl Origin {
    /// Parses `http(s)://host[:port][/path]`; no user info, query or fragment.
    pub fn parse(url: &str) -> Result<Origin, String> {
        let url = url.trim();
        let (scheme, rest) = if let Some(r) = strip_prefix_ci(url, "http://") {
            ("http", r)
        } else if let Some(r) = strip_prefix_ci(url, "https://") {
            ("https", r)
        } else {
            return Err("must start with http:// or https://".into());
        };
        if rest.contains(['?', '#', '@', ' ']) {
            return Err("must not contain a query, fragment, user info or spaces".into());
        }
        let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        let (host, port) = split_host_port(authority)?;
        if host.is_empty() {
            return Err("has no host".into());
        }
        let default_port = if scheme == "https" { 443 } else { 80 };
        let port = match port {
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| format!("has an invalid port {p:?}"))?,
            None => default_port,
        };
        let shown_host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_ascii_lowercase()
        };
        let mut base = format!("{scheme}://{shown_host}");
        if port != default_port {
            base.push_str(&format!(":{port}"));
        }
        base.push_str(path.trim_end_matches('/'));
        Ok(Origin {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            base,
        })
    }

    /// Whether the host is an IP address literal (no DNS step needed).
    pub fn host_is_ip(&self) -> bool {
        self.host.parse::<std::net::IpAddr>().is_ok()
    }

    /// Whether the origin speaks TLS.
    pub fn is_https(&self) -> bool {
        self.scheme == "https"
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), String> {
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| "has an unclosed [IPv6] address".to_string())?;
        return match after {
            "" => Ok((host, None)),
            p => p
                .strip_prefix(':')
                .map(|p| (host, Some(p)))
                .ok_or_else(|| "has junk after the [IPv6] address".into()),
        };
    }
    Ok(match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    })
}

/// The parsed configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The origin; `None` when `ORIGIN_URL` is empty: each request then goes
    /// to its own URL, which for a worker on a route is the zone's origin
    /// (Cloudflare sends a worker's subrequest to its own zone to the origin,
    /// not to a worker again), as a plain `fetch(request)` does.
    pub origin: Option<Origin>,
    /// Time to response headers per attempt, in ms (0: no limit).
    pub timeout_ms: u32,
    /// The whole visit's time limit, in ms (0: no limit): `TOTAL_TIMEOUT_MS`, else `TIMEOUT_MS`.
    pub total_timeout_ms: u32,
    /// The core's retry policy built from `RETRY_*`.
    pub retry: RetryPolicy,
    /// Request bodies up to this many bytes are buffered so they can be replayed.
    pub replay_body_limit: u32,
    /// Seconds past freshness a stored copy may be served on failure (0: off).
    pub stale_if_error: u32,
    /// The core's breakers (the origin's and each path's) built from `BREAKER_*`.
    pub guard: GuardConfig,
    /// The site's name.
    pub site_name: Option<String>,
    /// The logo text.
    pub logo_text: Option<String>,
    /// Contact for the owner.
    pub contact: Option<String>,
    /// A status page URL.
    pub status_page: Option<String>,
    /// The languages pages may use (empty: all catalogs).
    pub languages: Vec<Lang>,
    /// The language when none matches.
    pub default_lang: Lang,
    /// The owner's debug token (a secret), if set.
    pub debug_token: Option<String>,
    /// What to do with an origin's own 5xx.
    pub intercept: InterceptMode,
    /// The prefix of the worker's own endpoints, starting and ending with `/`.
    pub reserved_prefix: String,
    /// The DNS-over-HTTPS JSON resolver.
    pub doh_url: String,
    /// The drill-through budget in ms (0: no drill-through).
    pub drill_budget_ms: u32,
    /// Whether to add NEL and Reporting-Endpoints headers.
    pub nel: bool,
    /// This worker's id in `CDN-Loop` and `Proxy-Status`.
    pub cdn_loop_id: String,
    /// Minimum time between two origin-status probes, in ms.
    pub origin_status_interval_ms: u32,
    /// The subrequests one invocation may make ([`Config::subrequests`] stays within it).
    pub subrequest_limit: u32,
    /// The shared breaker and incident record (`SHARED_*`, `INCIDENT_*`, `REPORTS_*`).
    pub shared: crate::shared::SharedSettings,
    /// The monitoring robot's paths (`MONITOR_PATHS`).
    pub monitor_paths: Vec<String>,
    /// The origin the robot checks when `ORIGIN_URL` is empty (`MONITOR_URL`).
    pub monitor: Option<Origin>,
}

/// Cloudflare's documented limits per invocation that bound what one request
/// may cost, with their source:
///
/// | limit | value | source |
/// |---|---|---|
/// | subrequests (`fetch`, Cache API `put`/`match`/`delete`, sockets `connect()`) | 50 on Workers Free (and Bundled); 1,000 / 10,000 on Paid; a Workers for Platforms dispatcher may set fewer (`limits.subRequests`) | <https://developers.cloudflare.com/workers/platform/limits/#subrequests>, #cache-api-limits; <https://developers.cloudflare.com/cloudflare-for-platforms/workers-for-platforms/configuration/custom-limits/> |
/// | simultaneous open connections (`fetch`, Cache API, `connect()`; a seventh waits for one to close) | 6 | <https://developers.cloudflare.com/workers/platform/limits/#simultaneous-open-connections> |
pub mod limits {
    /// Subrequests per invocation on Workers Free: the default of `SUBREQUEST_LIMIT`.
    pub const FREE_PLAN_SUBREQUESTS: u32 = 50;
    /// The highest `SUBREQUEST_LIMIT` accepted (Workers Paid, Standard).
    pub const MAX_SUBREQUESTS: u32 = 10_000;
    /// Connections one invocation may have open at once.
    pub const SIMULTANEOUS_CONNECTIONS: u32 = 6;
    /// The most connections the worker ever has open at once for one request:
    /// every subrequest is made one after the other, and a response body is
    /// cancelled before the next attempt; only the origin's response, still
    /// streaming to the client, overlaps one Cache API call (the stale lookup
    /// on an origin error page, the stored copy's `put` on success). The
    /// worker tests measure it (tests/worker/limits.test.mjs).
    pub const MAX_OPEN_CONNECTIONS: u32 = 2;
    const _: () = assert!(MAX_OPEN_CONNECTIONS <= SIMULTANEOUS_CONNECTIONS);
}

/// The most subrequests one proxied request can make, by phase: a pure
/// function of the configuration ([`Config::subrequests`]), checked against
/// `SUBREQUEST_LIMIT` when the configuration is read.
///
/// | phase | subrequests | when |
/// |---|---|---|
/// | attempts | `RETRY_MAX_ATTEMPTS` | one `fetch` per attempt (redirects are not followed) |
/// | drill-through DNS | 2 | DNS over HTTPS, `A` then `AAAA`: `DRILL_BUDGET_MS` > 0 and the origin is a host name |
/// | drill-through connect | 1 | one sockets `connect()`; the raw `HEAD` goes over it: `DRILL_BUDGET_MS` > 0 |
/// | cache | 1 | `STALE_IF_ERROR` > 0 (GET): the stale `match()` after a failure, or the `put()` after a success, never both |
///
/// The worker's endpoints cost less: `origin-status` one `HEAD`, `recheck` one
/// `GET` or `HEAD` (none when its answer is reused, rate-limited or the breaker
/// is open), `health` and `reports` none, the page's files one `ASSETS` fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subrequests {
    /// `fetch` to the origin, one per attempt.
    pub attempts: u32,
    /// DNS-over-HTTPS queries of the drill-through.
    pub drill_dns: u32,
    /// Sockets `connect()` of the drill-through.
    pub drill_connect: u32,
    /// Cache API calls.
    pub cache: u32,
}

impl Subrequests {
    /// All of them: the worst case of one request.
    pub fn total(&self) -> u32 {
        self.attempts
            .saturating_add(self.drill_dns)
            .saturating_add(self.drill_connect)
            .saturating_add(self.cache)
    }

    /// The variable to lower when the total is over the limit: the attempts
    /// while there is more than one, else the drill-through, else serve-stale.
    fn culprit(&self) -> &'static str {
        if self.attempts > 1 {
            "RETRY_MAX_ATTEMPTS"
        } else if self.drill_dns + self.drill_connect > 0 {
            "DRILL_BUDGET_MS"
        } else if self.cache > 0 {
            "STALE_IF_ERROR"
        } else {
            "SUBREQUEST_LIMIT"
        }
    }
}

/// A variable that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The variable's name.
    pub var: &'static str,
    /// What is wrong with it (never its value: it may be a secret).
    pub problem: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.var, self.problem)
    }
}

impl std::error::Error for ConfigError {}

/// Reads variables through a getter, applying defaults.
struct Reader<F> {
    get: F,
}

impl<F: Fn(&str) -> Option<String>> Reader<F> {
    /// The value (trimmed), or the default when absent or empty.
    fn text(&self, name: &'static str) -> String {
        let given = (self.get)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty());
        given.unwrap_or_else(|| {
            VARS.iter()
                .find(|v| v.name == name)
                .map_or(String::new(), |v| v.default.to_owned())
        })
    }

    fn optional(&self, name: &'static str) -> Option<String> {
        Some(self.text(name)).filter(|v| !v.is_empty())
    }

    fn number(&self, name: &'static str, max: u64) -> Result<u64, ConfigError> {
        let v = self.text(name);
        v.parse::<u64>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| ConfigError {
                var: name,
                problem: format!("must be a whole number from 0 to {max}"),
            })
    }

    fn u32(&self, name: &'static str, max: u32) -> Result<u32, ConfigError> {
        self.number(name, u64::from(max))
            .map(|n| u32::try_from(n).unwrap_or(max))
    }

    fn flag(&self, name: &'static str) -> Result<bool, ConfigError> {
        match self.text(name).to_ascii_lowercase().as_str() {
            "on" | "true" | "1" | "yes" => Ok(true),
            "off" | "false" | "0" | "no" => Ok(false),
            _ => Err(ConfigError {
                var: name,
                problem: "must be on or off".into(),
            }),
        }
    }

    fn lang(&self, name: &'static str, tag: &str) -> Result<Lang, ConfigError> {
        Lang::from_tag(tag.trim()).ok_or_else(|| ConfigError {
            var: name,
            problem: format!(
                "names a language without a catalog: {:?} (catalogs: {})",
                tag.trim(),
                Lang::all().map(Lang::tag).collect::<Vec<_>>().join(", ")
            ),
        })
    }
}

/// The robot's paths: comma-separated, each starting with `/`, at most 8.
fn monitor_paths(text: &str) -> Result<Vec<String>, ConfigError> {
    let paths: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    let bad = |problem: &str| ConfigError {
        var: "MONITOR_PATHS",
        problem: problem.into(),
    };
    if paths.len() > 8 {
        return Err(bad("lists more than 8 paths"));
    }
    if paths.iter().any(|p| {
        !p.starts_with('/')
            || p.starts_with("//")
            || p.len() > 256
            || p.contains(char::is_whitespace)
    }) {
        return Err(bad("must list paths like /health, each starting with /"));
    }
    Ok(paths)
}

/// The longest time setting accepted, in ms (one hour).
const MAX_MS: u32 = 3_600_000;

impl Config {
    /// Parses every variable of [`VARS`] through `get` (name → value).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let r = Reader { get };
        let origin_text = r.text("ORIGIN_URL");
        let origin = if origin_text.is_empty() {
            None
        } else {
            Some(Origin::parse(&origin_text).map_err(|problem| ConfigError {
                var: "ORIGIN_URL",
                problem,
            })?)
        };
        let max_attempts = r.u32("RETRY_MAX_ATTEMPTS", 10)?.max(1);
        let base = r.u32("RETRY_BASE_MS", MAX_MS)?;
        let cap = r.u32("RETRY_CAP_MS", MAX_MS)?.max(base);
        let retry = RetryPolicy {
            max_attempts,
            backoff: Backoff::new(
                Duration::from_millis(u64::from(base)),
                Duration::from_millis(u64::from(cap)),
            ),
            max_retry_after: Duration::from_secs(r.number("RETRY_MAX_AFTER_S", 3600)?),
            ..RetryPolicy::default()
        };
        let cool_down = r.number("BREAKER_COOL_DOWN_MS", u64::from(MAX_MS))?;
        let ratio = r.u32("BREAKER_FAILURE_RATIO", 1000)?;
        let origin_breaker = BreakerConfig {
            consecutive_failures: r.u32("BREAKER_FAILURES", 1000)?,
            failure_ratio: (ratio > 0).then_some(FailureRatio {
                permille: ratio,
                min_calls: 20,
                window_ms: 10_000,
            }),
            cool_down_ms: cool_down,
            max_cool_down_ms: r
                .number("BREAKER_MAX_COOL_DOWN_MS", u64::from(MAX_MS))?
                .max(cool_down),
            probe_timeout_ms: cool_down.max(10_000),
            ..BreakerConfig::default()
        };
        let guard = GuardConfig {
            origin: origin_breaker,
            path_failures: r.u32("BREAKER_PATH_FAILURES", 1000)?,
            spread_paths: r.u32("BREAKER_SPREAD_PATHS", 1000)?,
            quiet_ms: r.number("BREAKER_QUIET_MS", u64::from(MAX_MS))?,
            paths: r.u32("BREAKER_PATHS", gatewise_core::policy::guard::MAX_PATHS)?,
        };
        let timeout_ms = r.u32("TIMEOUT_MS", MAX_MS)?;
        let total_timeout_ms = match r.optional("TOTAL_TIMEOUT_MS") {
            None => timeout_ms,
            Some(_) => r.u32("TOTAL_TIMEOUT_MS", MAX_MS)?,
        };
        let languages = r
            .text("LANGUAGES")
            .split(',')
            .filter(|t| !t.trim().is_empty())
            .map(|t| r.lang("LANGUAGES", t))
            .collect::<Result<Vec<_>, _>>()?;
        let default_lang = r.lang("DEFAULT_LANG", &r.text("DEFAULT_LANG"))?;
        let intercept = match r.text("INTERCEPT_MODE").to_ascii_lowercase().as_str() {
            "passthrough" => InterceptMode::Passthrough,
            "replace-html" => InterceptMode::ReplaceHtml,
            _ => {
                return Err(ConfigError {
                    var: "INTERCEPT_MODE",
                    problem: "must be passthrough or replace-html".into(),
                })
            }
        };
        let prefix = r.text("RESERVED_PREFIX");
        if !prefix.starts_with('/') || prefix.len() < 3 || prefix.contains(['?', '#', ' ']) {
            return Err(ConfigError {
                var: "RESERVED_PREFIX",
                problem: "must be a path like /__gatewise/".into(),
            });
        }
        let reserved_prefix = format!("{}/", prefix.trim_end_matches('/'));
        let doh_url = r.text("DOH_URL");
        if !doh_url.starts_with("https://") && !doh_url.starts_with("http://") {
            return Err(ConfigError {
                var: "DOH_URL",
                problem: "must be an http(s) URL".into(),
            });
        }
        let cdn_loop_id = r.text("CDN_LOOP_ID");
        if !cdn_loop_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._:".contains(&b))
        {
            return Err(ConfigError {
                var: "CDN_LOOP_ID",
                problem: "must be a token (letters, digits, - . _ :)".into(),
            });
        }
        let config = Config {
            origin,
            timeout_ms,
            total_timeout_ms,
            retry,
            replay_body_limit: r.u32("RETRY_BODY_LIMIT", 100 * 1024 * 1024)?,
            stale_if_error: r.u32("STALE_IF_ERROR", 365 * 24 * 3600)?,
            guard,
            site_name: r.optional("SITE_NAME"),
            logo_text: r.optional("LOGO_TEXT"),
            contact: r.optional("CONTACT"),
            status_page: r.optional("STATUS_PAGE_URL"),
            languages,
            default_lang,
            debug_token: r.optional("DEBUG_TOKEN"),
            intercept,
            reserved_prefix,
            doh_url,
            drill_budget_ms: r.u32("DRILL_BUDGET_MS", 30_000)?,
            nel: r.flag("NEL")?,
            cdn_loop_id,
            origin_status_interval_ms: r.u32("ORIGIN_STATUS_INTERVAL_MS", MAX_MS)?,
            subrequest_limit: r.u32("SUBREQUEST_LIMIT", limits::MAX_SUBREQUESTS)?,
            shared: crate::shared::SharedSettings {
                enabled: r.flag("SHARED_HEALTH")?,
                timeout_ms: r.u32("SHARED_TIMEOUT_MS", 10_000)?,
                staleness_ms: r.u32("SHARED_STALENESS_MS", MAX_MS)?,
                retention: gatewise_core::incidents::Retention {
                    rows: r.u32("INCIDENT_ROWS", 1_000_000)?,
                    days: r.u32("INCIDENT_DAYS", 3_650)?,
                    aggregate_days: r.u32("INCIDENT_MINUTE_DAYS", 3_650)?,
                },
                reports_per_minute: r.u32("REPORTS_PER_MINUTE", 100_000)?,
                reports_per_client: r.u32("REPORTS_PER_CLIENT", 100_000)?,
            },
            monitor_paths: monitor_paths(&r.text("MONITOR_PATHS"))?,
            monitor: match r.optional("MONITOR_URL") {
                None => None,
                Some(u) => Some(Origin::parse(&u).map_err(|problem| ConfigError {
                    var: "MONITOR_URL",
                    problem,
                })?),
            },
        };
        if config.subrequest_limit == 0 {
            return Err(ConfigError {
                var: "SUBREQUEST_LIMIT",
                problem: "must be at least 1: the origin is reached with a subrequest".into(),
            });
        }
        let need = config.subrequests();
        if need.total() > config.subrequest_limit {
            return Err(ConfigError {
                var: need.culprit(),
                problem: format!(
                    "could make one request need {} subrequests ({} attempts, {} drill-through, {} cache), over SUBREQUEST_LIMIT ({})",
                    need.total(),
                    need.attempts,
                    need.drill_dns + need.drill_connect,
                    need.cache,
                    config.subrequest_limit
                ),
            });
        }
        Ok(config)
    }

    /// The most subrequests one proxied request can make under this
    /// configuration (see [`Subrequests`] for the phases).
    ///
    /// # Example
    /// ```
    /// use gatewise_worker::config::{Config, Subrequests};
    /// let c = Config::from_vars(|n| (n == "ORIGIN_URL").then(|| "https://origin.example".into())).unwrap();
    /// assert_eq!(c.subrequests(), Subrequests { attempts: 2, drill_dns: 2, drill_connect: 1, cache: 1 });
    /// assert_eq!(c.subrequests().total(), 6);
    /// ```
    pub fn subrequests(&self) -> Subrequests {
        let drill = self.drill_budget_ms > 0;
        Subrequests {
            attempts: self.retry.max_attempts.max(1),
            // The zone's origin: the request's host, a name or an address (worst case: a name).
            drill_dns: if drill && !self.origin.as_ref().is_some_and(Origin::host_is_ip) {
                2
            } else {
                0
            },
            drill_connect: u32::from(drill),
            cache: u32::from(self.stale_if_error > 0),
        }
    }

    /// The origin a request goes to: the configured one, or — with
    /// `ORIGIN_URL` empty — the request's own scheme and host (the zone's
    /// origin). `Err`: there is none (see [`zone_origin_problem`]).
    ///
    /// # Example
    /// ```
    /// use gatewise_worker::config::Config;
    /// use gatewise_worker::route::split_url;
    /// let zone = Config::from_vars(|_| None).unwrap();
    /// let parts = split_url("https://shop.example/cart?id=7");
    /// assert_eq!(zone.origin_for(parts).unwrap().base, "https://shop.example");
    /// assert_eq!(zone.target(parts).as_deref(), Some("https://shop.example/cart?id=7"));
    /// let fixed = Config::from_vars(|n| (n == "ORIGIN_URL").then(|| "http://10.0.0.7:8080/app".into())).unwrap();
    /// assert_eq!(fixed.target(parts).as_deref(), Some("http://10.0.0.7:8080/app/cart?id=7"));
    /// // On workers.dev there is no zone origin behind the worker.
    /// assert!(zone.target(split_url("https://gatewise.me.workers.dev/")).is_none());
    /// ```
    pub fn origin_for(&self, parts: UrlParts<'_>) -> Result<Origin, ConfigError> {
        match &self.origin {
            Some(o) => Ok(o.clone()),
            None => {
                if let Some(e) = zone_origin_problem(parts.host) {
                    return Err(e);
                }
                Origin::parse(&format!("{}://{}", parts.scheme, parts.host)).map_err(|problem| {
                    ConfigError {
                        var: "ORIGIN_URL",
                        problem: format!(
                            "is empty and the request's host cannot be used: {problem}"
                        ),
                    }
                })
            }
        }
    }

    /// The URL a request with these `parts` is forwarded to (`None`: there is
    /// no origin, see [`Config::origin_for`]). The happy path's one string.
    pub fn target(&self, parts: UrlParts<'_>) -> Option<String> {
        match &self.origin {
            Some(o) => {
                let mut t = String::with_capacity(o.base.len() + parts.path_and_query.len());
                t.push_str(&o.base);
                t.push_str(parts.path_and_query);
                Some(t)
            }
            None if zone_origin_problem(parts.host).is_some() => None,
            None => Some(parts.public_url()),
        }
    }
}

/// Why a request on `host` has no zone origin to go to when `ORIGIN_URL` is
/// empty: on `*.workers.dev` the worker is all there is (a fetch of its own
/// URL would come back to it). `None`: the host has one.
pub fn zone_origin_problem(host: &str) -> Option<ConfigError> {
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host, |(h, _)| h)
        .trim_end_matches('.')
        .to_ascii_lowercase();
    (name == "workers.dev" || name.ends_with(".workers.dev")).then(|| ConfigError {
        var: "ORIGIN_URL",
        problem: "is empty, and on workers.dev there is no zone origin behind the worker: set ORIGIN_URL, or serve the worker on a route of your zone".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        Config::from_vars(move |n| owned.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
    }

    #[test]
    fn defaults_match_the_table() {
        let c = with(&[("ORIGIN_URL", "https://Origin.Example.com/app/")]).unwrap();
        let o = c.origin.as_ref().unwrap();
        assert_eq!(o.base, "https://origin.example.com/app");
        assert_eq!((o.port, o.is_https()), (443, true));
        assert_eq!(c.timeout_ms, 30_000);
        assert_eq!(c.retry.max_attempts, 2);
        assert_eq!(c.retry.backoff.base, Duration::from_millis(100));
        assert_eq!(c.replay_body_limit, 65_536);
        assert_eq!(c.stale_if_error, 300);
        assert_eq!(c.guard.origin.consecutive_failures, 5);
        assert_eq!(c.guard.origin.failure_ratio.map(|r| r.permille), Some(500));
        assert_eq!(
            (
                c.guard.path_failures,
                c.guard.spread_paths,
                c.guard.quiet_ms,
                c.guard.paths
            ),
            (5, 5, 10_000, 128)
        );
        assert_eq!(
            c.total_timeout_ms, 30_000,
            "TOTAL_TIMEOUT_MS defaults to TIMEOUT_MS"
        );
        assert_eq!(c.default_lang, Lang::EN);
        assert!(c.languages.is_empty());
        assert_eq!(c.intercept, InterceptMode::Passthrough);
        assert_eq!(c.reserved_prefix, "/__gatewise/");
        assert_eq!(c.doh_url, "https://cloudflare-dns.com/dns-query");
        assert_eq!(c.drill_budget_ms, 1500);
        assert!(!c.nel);
        assert_eq!(c.cdn_loop_id, "gatewise");
        assert_eq!(c.debug_token, None);
        for v in VARS {
            assert!(!v.doc.is_empty(), "{}", v.name);
        }
    }

    #[test]
    fn readme_and_wrangler_toml_document_every_variable_with_its_default() {
        let readme = include_str!("../../README.md");
        let wrangler = include_str!("../../wrangler.toml");
        for v in VARS {
            let shown = if v.default.is_empty() {
                "(empty)".to_owned()
            } else {
                format!("`{}`", v.default)
            };
            let row = format!("| `{}` | {} |", v.name, shown);
            assert!(readme.contains(&row), "README lacks {row}");
            if v.name != "DEBUG_TOKEN" {
                let line = format!("\n{} = \"{}\"\n", v.name, v.default);
                assert!(wrangler.contains(&line), "wrangler.toml lacks {line:?}");
            }
        }
    }

    #[test]
    fn origins() {
        let o = Origin::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            (o.host.as_str(), o.port, o.base.as_str()),
            ("127.0.0.1", 8080, "http://127.0.0.1:8080")
        );
        assert!(o.host_is_ip());
        let o = Origin::parse("http://[::1]:81/").unwrap();
        assert_eq!(
            (o.host.as_str(), o.port, o.base.as_str()),
            ("::1", 81, "http://[::1]:81")
        );
        assert!(o.host_is_ip());
        let o = Origin::parse("HTTP://example.com:80").unwrap();
        assert_eq!(o.base, "http://example.com");
        assert!(!o.host_is_ip());
        for bad in [
            "ftp://x",
            "http://",
            "http://x:0",
            "http://x:99999",
            "http://u@x",
            "http://x/?q",
            "x.com",
            "http://[::1",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_bad_value_names_its_variable() {
        let cases = [
            ("TIMEOUT_MS", "soon"),
            ("TIMEOUT_MS", "-1"),
            ("RETRY_MAX_ATTEMPTS", "11"),
            ("STALE_IF_ERROR", "1.5"),
            ("BREAKER_FAILURES", "x"),
            ("TOTAL_TIMEOUT_MS", "soon"),
            ("BREAKER_PATHS", "1025"),
            ("BREAKER_QUIET_MS", "-5"),
            ("LANGUAGES", "en,xx"),
            ("DEFAULT_LANG", "klingon"),
            ("INTERCEPT_MODE", "replace"),
            ("RESERVED_PREFIX", "gatewise"),
            ("DOH_URL", "dns://1.1.1.1"),
            ("NEL", "maybe"),
            ("CDN_LOOP_ID", "a b"),
        ];
        for (name, value) in cases {
            let err = with(&[("ORIGIN_URL", "http://o.example"), (name, value)]).unwrap_err();
            assert_eq!(err.var, name, "{value}");
        }
        assert!(
            with(&[]).unwrap().origin.is_none(),
            "empty: the zone's origin"
        );
        assert_eq!(
            with(&[("ORIGIN_URL", "ftp://x")]).unwrap_err().var,
            "ORIGIN_URL"
        );
    }

    #[test]
    fn the_zone_origin_is_the_requests_own() {
        use crate::route::split_url;
        let c = with(&[]).unwrap();
        for (url, base) in [
            ("https://shop.example/a?b", "https://shop.example"),
            ("http://127.0.0.1:8788/x", "http://127.0.0.1:8788"),
            ("https://[2001:db8::1]:8443/", "https://[2001:db8::1]:8443"),
        ] {
            let o = c.origin_for(split_url(url)).unwrap();
            assert_eq!(o.base, base, "{url}");
            assert_eq!(c.target(split_url(url)).as_deref(), Some(url));
        }
        for host in ["gw.me.workers.dev", "GW.me.Workers.Dev:443", "workers.dev"] {
            let url = format!("https://{host}/");
            assert_eq!(c.origin_for(split_url(&url)).unwrap_err().var, "ORIGIN_URL");
            assert!(c.target(split_url(&url)).is_none(), "{host}");
        }
        assert!(zone_origin_problem("notworkers.dev").is_none());
        // The worst case of the zone's origin: a name, so the drill-through's DNS counts.
        assert_eq!(c.subrequests().drill_dns, 2);
    }

    #[test]
    fn the_worst_case_subrequest_count_is_a_function_of_the_config() {
        // Every combination the variables allow: attempts 1..=10, drill-through on or off, serve
        // stale on or off, origin by name or by address.
        for attempts in 1..=10u32 {
            for drill in ["0", "1500"] {
                for stale in ["0", "300"] {
                    for origin in ["http://origin.example", "http://192.0.2.7:8080"] {
                        let a = attempts.to_string();
                        let c = with(&[
                            ("ORIGIN_URL", origin),
                            ("RETRY_MAX_ATTEMPTS", &a),
                            ("DRILL_BUDGET_MS", drill),
                            ("STALE_IF_ERROR", stale),
                        ])
                        .unwrap();
                        let n = c.subrequests();
                        let drilling = drill != "0";
                        let by_name = origin.contains("origin.example");
                        let want = Subrequests {
                            attempts,
                            drill_dns: if drilling && by_name { 2 } else { 0 },
                            drill_connect: u32::from(drilling),
                            cache: u32::from(stale != "0"),
                        };
                        assert_eq!(n, want, "{attempts} {drill} {stale} {origin}");
                        assert_eq!(
                            n.total(),
                            attempts
                                + if drilling {
                                    1 + 2 * u32::from(by_name)
                                } else {
                                    0
                                }
                                + u32::from(stale != "0")
                        );
                        // The caps of the variables keep every setting within the free plan.
                        assert!(n.total() <= limits::FREE_PLAN_SUBREQUESTS);
                        assert_eq!(c.subrequest_limit, limits::FREE_PLAN_SUBREQUESTS);
                    }
                }
            }
        }
        let most = with(&[
            ("ORIGIN_URL", "http://o.example"),
            ("RETRY_MAX_ATTEMPTS", "10"),
        ])
        .unwrap();
        assert_eq!(most.subrequests().total(), 14);
    }

    #[test]
    fn settings_that_could_exceed_the_subrequest_limit_are_refused_naming_the_variable() {
        let base = [("ORIGIN_URL", "http://o.example")];
        let refused = |extra: &[(&str, &str)]| {
            let mut pairs = base.to_vec();
            pairs.extend_from_slice(extra);
            with(&pairs).unwrap_err()
        };
        // Defaults need 6 (2 attempts, 3 drill-through, 1 cache).
        assert!(with(&[
            ("ORIGIN_URL", "http://o.example"),
            ("SUBREQUEST_LIMIT", "6")
        ])
        .is_ok());
        let e = refused(&[("SUBREQUEST_LIMIT", "5")]);
        assert_eq!(e.var, "RETRY_MAX_ATTEMPTS");
        assert_eq!(
            e.problem,
            "could make one request need 6 subrequests (2 attempts, 3 drill-through, 1 cache), over SUBREQUEST_LIMIT (5)"
        );
        // One attempt: the drill-through is what is left to lower, then serving stale.
        let e = refused(&[("SUBREQUEST_LIMIT", "4"), ("RETRY_MAX_ATTEMPTS", "1")]);
        assert_eq!(
            (e.var, e.problem.contains("need 5 ")),
            ("DRILL_BUDGET_MS", true)
        );
        let e = refused(&[
            ("SUBREQUEST_LIMIT", "1"),
            ("RETRY_MAX_ATTEMPTS", "1"),
            ("DRILL_BUDGET_MS", "0"),
        ]);
        assert_eq!(e.var, "STALE_IF_ERROR");
        assert!(with(&[
            ("ORIGIN_URL", "http://o.example"),
            ("SUBREQUEST_LIMIT", "1"),
            ("RETRY_MAX_ATTEMPTS", "1"),
            ("DRILL_BUDGET_MS", "0"),
            ("STALE_IF_ERROR", "0"),
        ])
        .is_ok());
        for bad in ["0", "10001", "fifty"] {
            assert_eq!(
                refused(&[("SUBREQUEST_LIMIT", bad)]).var,
                "SUBREQUEST_LIMIT",
                "{bad}"
            );
        }
        assert!(with(&[
            ("ORIGIN_URL", "http://o.example"),
            ("SUBREQUEST_LIMIT", "10000")
        ])
        .is_ok());
    }

    #[test]
    fn values_are_read() {
        let c = with(&[
            ("ORIGIN_URL", "http://o.example"),
            ("LANGUAGES", "fr, ar"),
            ("DEFAULT_LANG", "de"),
            ("INTERCEPT_MODE", "Replace-HTML"),
            ("RESERVED_PREFIX", "/_gw"),
            ("NEL", "on"),
            ("BREAKER_FAILURES", "2"),
            ("BREAKER_FAILURE_RATIO", "0"),
            ("BREAKER_COOL_DOWN_MS", "300"),
            ("RETRY_MAX_ATTEMPTS", "0"),
            ("DEBUG_TOKEN", "  s3cret "),
        ])
        .unwrap();
        let tags: Vec<&str> = c.languages.iter().map(|l| l.tag()).collect();
        assert_eq!(tags, ["fr", "ar"]);
        assert_eq!(c.default_lang.tag(), "de");
        assert_eq!(c.intercept, InterceptMode::ReplaceHtml);
        assert_eq!(c.reserved_prefix, "/_gw/");
        assert!(c.nel);
        assert_eq!(
            (
                c.guard.origin.consecutive_failures,
                c.guard.origin.cool_down_ms
            ),
            (2, 300)
        );
        assert_eq!(c.guard.origin.failure_ratio, None);
        assert_eq!(c.total_timeout_ms, c.timeout_ms);
        assert_eq!(c.retry.max_attempts, 1);
        assert_eq!(c.debug_token.as_deref(), Some("s3cret"));
        let c = with(&[
            ("ORIGIN_URL", "http://o.example"),
            ("TIMEOUT_MS", "800"),
            ("TOTAL_TIMEOUT_MS", "1500"),
            ("BREAKER_PATHS", "1024"),
        ])
        .unwrap();
        assert_eq!(
            (c.timeout_ms, c.total_timeout_ms, c.guard.paths),
            (800, 1_500, 1_024)
        );
    }
}
