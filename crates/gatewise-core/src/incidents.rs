//! The owner's incident record: what visitors got when the origin failed,
//! as rows a store keeps and a view summarises (issue 16).
//!
//! One [`Incident`] per informative answer, stale answer or origin error
//! passed through (observed by the edge: [`Source::Edge`]), per network
//! error a visitor's browser reported ([`Source::Visitor`]: never mixed with
//! what the edge observed itself), and per failed check of the monitoring
//! robot ([`Source::Robot`]). A row holds no body, cookie or query string:
//! the path key (the path without its query, cut at a character boundary),
//! the RFC 9209 type, hop, layer, statuses, attempts, where the runtime says
//! it was served from, and the request id the worker generated (the visitor
//! quotes it from the error page; Cloudflare's `cf-ray` is kept beside it,
//! cut, never as the id).
//!
//! Everything here is pure data and rules; a store (the worker's Durable
//! Object, SQLite) keeps the rows and feeds [`view::ViewBuilder`], the
//! renderers ([`crate::render::incidents`], [`csv`]) write the owner's view.
//!
//! # Example
//! ```
//! use gatewise_core::incidents::{Incident, Served, Source};
//! use gatewise_core::{Diagnosis, ErrorType, Layer};
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Workerd);
//! let row = Incident::observed(&d, Served::Page, "/shop?card=4111", 1_700_000_000_000, "gw-00ff");
//! assert_eq!(row.path, "/shop"); // never the query
//! assert_eq!(row.source, Source::Edge);
//! assert_eq!(row.error_type, Some(ErrorType::ConnectionRefused));
//! assert_eq!(row.status, 502);
//! ```

pub mod csv;
pub mod outage;
pub mod view;

use serde::{Deserialize, Serialize};

use crate::hop::named_enum;
use crate::{Diagnosis, ErrorType, Hop, Layer};

pub use outage::{Outage, RobotRun};
pub use view::{Counts, Transition, View, ViewBuilder, Window};

/// The longest path key kept, in bytes.
pub const MAX_PATH: usize = 256;
/// The longest request id or `cf-ray` kept, in bytes.
pub const MAX_ID: usize = 64;

named_enum! {
    /// Who saw the failure.
    Source {
        /// The edge itself: it answered the visitor.
        Edge = "edge",
        /// A visitor's browser reported it (Network Error Logging): its word, unchecked.
        Visitor = "visitor",
        /// The monitoring robot's scheduled check.
        Robot = "robot",
    }
}

named_enum! {
    /// What the visitor was given.
    Served {
        /// The edge's informative answer (page, problem JSON or text).
        Page = "page",
        /// A stale stored copy instead of the error.
        Stale = "stale",
        /// The origin's own error answer, passed through.
        Origin = "origin",
        /// The circuit breaker's 503, without asking the origin.
        Breaker = "breaker",
        /// A visitor's report (nothing was served by the edge).
        Report = "report",
        /// A check of the robot (no visitor involved).
        Probe = "probe",
    }
}

/// One row of the record. Times are milliseconds since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Incident {
    /// When it happened.
    pub at: u64,
    /// Who saw it.
    pub source: Source,
    /// What the visitor got.
    pub served: Served,
    /// The path key (no query; at most [`MAX_PATH`] bytes).
    pub path: String,
    /// The RFC 9209 type, when one was classified.
    #[serde(default)]
    pub error_type: Option<ErrorType>,
    /// The hop that failed, when known.
    #[serde(default)]
    pub hop: Option<Hop>,
    /// The layer that wrote the error.
    pub layer: Layer,
    /// The status sent to the visitor (0: nothing was sent by the edge).
    pub status: u16,
    /// The status received from upstream, when one was.
    #[serde(default)]
    pub received: Option<u16>,
    /// Attempts made at the origin (more than one: retried).
    #[serde(default)]
    pub attempts: u32,
    /// The Cloudflare location that served it (`request.cf.colo`), when the runtime says.
    #[serde(default)]
    pub colo: Option<String>,
    /// The visitor's country (`request.cf.country`), when the runtime says.
    #[serde(default)]
    pub country: Option<String>,
    /// The request id the worker generated (the one the error page shows).
    pub id: String,
    /// Cloudflare's `cf-ray` of the request, when present (cut; never the id).
    #[serde(default)]
    pub ray: Option<String>,
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
///
/// # Example
/// ```
/// use gatewise_core::incidents::cut;
/// assert_eq!(cut("héllo", 2), "h");
/// assert_eq!(cut("abc", 10), "abc");
/// ```
pub fn cut(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    s.get(..end).unwrap_or_default()
}

/// The path key of a path (and query): the path without query or fragment,
/// cut to [`MAX_PATH`] bytes at a character boundary; `/` when empty.
///
/// # Example
/// ```
/// use gatewise_core::incidents::path_key;
/// assert_eq!(path_key("/search?q=secret#x"), "/search");
/// assert_eq!(path_key(""), "/");
/// ```
pub fn path_key(path_and_query: &str) -> &str {
    let path = path_and_query.split(['?', '#']).next().unwrap_or("");
    if path.is_empty() {
        return "/";
    }
    cut(path, MAX_PATH)
}

/// A short token from a visitor or the runtime (an id, a `cf-ray`, a colo):
/// at most `max` bytes of visible ASCII, anything else dropped; `None` when empty.
///
/// # Example
/// ```
/// use gatewise_core::incidents::token;
/// assert_eq!(token("8a1b2c3d-AMS\u{202e}\n<x>", 64).as_deref(), Some("8a1b2c3d-AMSx"));
/// assert_eq!(token("\u{2028}", 64), None);
/// ```
pub fn token(s: &str, max: usize) -> Option<String> {
    let t: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        .take(max)
        .collect();
    (!t.is_empty()).then_some(t)
}

impl Incident {
    /// A row for what the edge answered a visitor with, from the diagnosis it
    /// answered with: `served` says how, `path_and_query` is cut to its path
    /// key, `id` is the worker's own request id.
    pub fn observed(
        d: &Diagnosis,
        served: Served,
        path_and_query: &str,
        at: u64,
        id: &str,
    ) -> Self {
        Incident {
            at,
            source: Source::Edge,
            served,
            path: path_key(path_and_query).to_owned(),
            error_type: d.error_type,
            hop: d.hop,
            layer: d.layer,
            status: d.status,
            received: d.received_status,
            attempts: 0,
            colo: None,
            country: None,
            id: token(id, MAX_ID).unwrap_or_default(),
            ray: None,
        }
    }

    /// A row for a network error a visitor's browser reported: the report's
    /// diagnosis, the path of the report's URL (already checked to be this
    /// site's by the caller), nothing served by the edge.
    pub fn reported(d: &Diagnosis, path_and_query: &str, at: u64, id: &str) -> Self {
        let mut row = Incident::observed(d, Served::Report, path_and_query, at, id);
        row.source = Source::Visitor;
        row.status = 0;
        row
    }

    /// A row for a failed check of the monitoring robot.
    pub fn probed(d: &Diagnosis, path: &str, at: u64, id: &str) -> Self {
        let mut row = Incident::observed(d, Served::Probe, path, at, id);
        row.source = Source::Robot;
        row.status = 0;
        row
    }

    /// Sets where the runtime says the request was served from (Cloudflare's
    /// `request.cf.colo` and `.country`), cleaned to short tokens.
    pub fn with_location(mut self, colo: Option<&str>, country: Option<&str>) -> Self {
        self.colo = colo.and_then(|c| token(c, 8));
        self.country = country.and_then(|c| token(c, 4));
        self
    }

    /// Sets the attempts made and the request's `cf-ray` (cleaned, cut).
    pub fn with_request(mut self, attempts: u32, ray: Option<&str>) -> Self {
        self.attempts = attempts;
        self.ray = ray.and_then(|r| token(r, MAX_ID));
        self
    }

    /// Whether the request was retried.
    pub fn retried(&self) -> bool {
        self.attempts > 1
    }

    /// Whether a stale copy was served.
    pub fn stale(&self) -> bool {
        self.served == Served::Stale
    }
}

/// How long rows are kept: at most `rows` of them and none older than
/// `days`; beyond, only the per-minute counts (for `aggregate_days`).
///
/// # Example
/// ```
/// use gatewise_core::incidents::Retention;
/// let r = Retention { rows: 10_000, days: 7, aggregate_days: 90 };
/// assert_eq!(r.rows_cutoff(8 * 86_400_000), 86_400_000);
/// assert_eq!(r.minutes_cutoff(1_000), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Retention {
    /// The most rows kept (the oldest go first).
    pub rows: u32,
    /// Rows older than this many days are removed.
    pub days: u32,
    /// Per-minute counts older than this many days are removed.
    pub aggregate_days: u32,
}

const DAY_MS: u64 = 86_400_000;

impl Retention {
    /// Rows before this time (ms) are removed at `now`.
    pub fn rows_cutoff(&self, now: u64) -> u64 {
        now.saturating_sub(u64::from(self.days).saturating_mul(DAY_MS))
    }

    /// Per-minute counts before this time (ms) are removed at `now`.
    pub fn minutes_cutoff(&self, now: u64) -> u64 {
        now.saturating_sub(u64::from(self.aggregate_days.max(self.days)).saturating_mul(DAY_MS))
    }
}

impl Default for Retention {
    /// 10,000 rows, 7 days; per-minute counts 90 days.
    fn default() -> Self {
        Retention {
            rows: 10_000,
            days: 7,
            aggregate_days: 90,
        }
    }
}

/// `ms` since the Unix epoch as an RFC 3339 UTC time to the second
/// (`2026-05-01T12:00:00Z`).
///
/// # Example
/// ```
/// use gatewise_core::incidents::rfc3339;
/// assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
/// assert_eq!(rfc3339(1_777_636_800_000), "2026-05-01T12:00:00Z");
/// ```
pub fn rfc3339(ms: u64) -> String {
    let secs = ms / 1000;
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 as (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's `civil_from_days`, for days ≥ 0).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Bounded inputs (days ≤ u64::MAX / 86_400_000): no step can overflow; the
    // saturating forms only keep the lint's promise.
    let z = days.saturating_add(719_468);
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = doe
        .saturating_sub(doe / 1460)
        .saturating_add(doe / 36_524)
        .saturating_sub(doe / 146_096)
        / 365;
    let doy = doe.saturating_sub(
        yoe.saturating_mul(365)
            .saturating_add(yoe / 4)
            .saturating_sub(yoe / 100),
    );
    let mp = doy.saturating_mul(5).saturating_add(2) / 153;
    let d = doy
        .saturating_sub(mp.saturating_mul(153).saturating_add(2) / 5)
        .saturating_add(1);
    let m = if mp < 10 {
        mp.saturating_add(3)
    } else {
        mp.saturating_sub(9)
    };
    let y = yoe
        .saturating_add(era.saturating_mul(400))
        .saturating_add(u64::from(m <= 2));
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_across_leap_years_and_centuries() {
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(4_107_542_399_000), "2100-02-28T23:59:59Z");
        assert_eq!(rfc3339(4_107_542_400_000), "2100-03-01T00:00:00Z");
    }

    #[test]
    fn rows_keep_no_query_and_short_clean_tokens() {
        let d = Diagnosis::for_status(503, Layer::OriginApp);
        let long = format!("/{}?x=1", "é".repeat(400));
        let row = Incident::observed(&d, Served::Origin, &long, 1, "gw-1\u{2028}")
            .with_request(2, Some(&format!("{}\u{202e}", "a".repeat(200))))
            .with_location(Some("AMS<script>"), Some("NL"));
        assert!(row.path.len() <= MAX_PATH && !row.path.contains('?'));
        assert_eq!(row.id, "gw-1");
        assert_eq!(row.ray.as_deref().map(str::len), Some(MAX_ID));
        assert_eq!(row.colo.as_deref(), Some("AMSscrip"));
        assert!(row.retried());
        let json = serde_json::to_string(&row).unwrap();
        let back: Incident = serde_json::from_str(&json).unwrap();
        assert_eq!(back, row);
    }
}
