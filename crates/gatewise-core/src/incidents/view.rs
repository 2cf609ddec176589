//! The owner's view of the record over a [`Window`]: incidents over time,
//! counts by type, hop, path, status and what was served, the breaker's
//! history, the robot's outages and the latest rows.
//!
//! A store builds a [`View`] with a [`ViewBuilder`], either row by row
//! ([`ViewBuilder::add`], e.g. an isolate's own recent rows) or from counts
//! it aggregated itself ([`ViewBuilder::add_count`], [`ViewBuilder::add_bucket`],
//! e.g. SQLite's `GROUP BY`): both give the same view. Counts of what the edge
//! observed, of what visitors reported and of the robot's checks are kept
//! apart, never summed.
//!
//! # Example
//! ```
//! use gatewise_core::incidents::{Incident, Served, View, ViewBuilder, Window};
//! use gatewise_core::{Diagnosis, ErrorType, Layer};
//! let now = 10 * 3_600_000;
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Workerd);
//! let mut b = ViewBuilder::new(Window::Hour, now, true);
//! for i in 0..3 {
//!     b.add(&Incident::observed(&d, Served::Page, "/", now - i * 60_000, &format!("gw-{i}")));
//! }
//! let v: View = b.finish();
//! assert_eq!(v.edge.total, 3);
//! assert_eq!(v.edge.by_type["connection_refused"], 3);
//! let json = serde_json::to_value(&v).unwrap();
//! assert_eq!(json["countsByType"]["connection_refused"], 3);
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Incident, Outage, Retention, Source};
use crate::hop::named_enum;
use crate::policy::BreakerState;

named_enum! {
    /// How far back the view looks.
    Window {
        /// The last hour, per minute.
        Hour = "hour",
        /// The last day, per quarter of an hour.
        Day = "day",
        /// The last week, per hour.
        Week = "week",
    }
}

impl Window {
    /// The window's length in ms.
    pub fn length_ms(self) -> u64 {
        match self {
            Window::Hour => 3_600_000,
            Window::Day => 86_400_000,
            Window::Week => 7 * 86_400_000,
        }
    }

    /// One bar of the chart, in ms.
    pub fn bucket_ms(self) -> u64 {
        match self {
            Window::Hour => 60_000,
            Window::Day => 900_000,
            Window::Week => 3_600_000,
        }
    }

    /// How many bars the chart has.
    pub fn buckets(self) -> usize {
        usize::try_from(self.length_ms().checked_div(self.bucket_ms()).unwrap_or(0)).unwrap_or(0)
    }

    /// The window's start at `now`: whole buckets, the last one holding `now`.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::incidents::Window;
    /// assert_eq!(Window::Hour.start(3_600_000 + 90_000), 120_000);
    /// ```
    pub fn start(self, now: u64) -> u64 {
        let end = now
            .checked_div(self.bucket_ms())
            .unwrap_or(0)
            .saturating_add(1)
            .saturating_mul(self.bucket_ms());
        end.saturating_sub(self.length_ms())
    }
}

/// Counts of one source's rows in the window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Rows in the window.
    pub total: u64,
    /// By RFC 9209 type name (`unclassified` for rows without one).
    #[serde(rename = "countsByType")]
    pub by_type: BTreeMap<String, u64>,
    /// By hop name (`unknown` for rows without one).
    #[serde(rename = "countsByHop")]
    pub by_hop: BTreeMap<String, u64>,
    /// By path key (the most frequent [`MAX_PATHS`] only).
    #[serde(rename = "countsByPath")]
    pub by_path: BTreeMap<String, u64>,
    /// By status sent (`0`: nothing was sent by the edge).
    #[serde(rename = "countsByStatus")]
    pub by_status: BTreeMap<String, u64>,
    /// By what was served (page, stale, origin, breaker, report, probe).
    #[serde(rename = "countsByServed")]
    pub by_served: BTreeMap<String, u64>,
}

/// The most paths a view counts (the others are summed under [`OTHER_PATHS`]).
pub const MAX_PATHS: usize = 50;
/// The key the paths beyond [`MAX_PATHS`] are counted under.
pub const OTHER_PATHS: &str = "(other paths)";
/// The most recent rows a view lists.
pub const MAX_LATEST: usize = 100;
/// The key of rows without an RFC 9209 type.
pub const UNCLASSIFIED: &str = "unclassified";

/// A dimension of [`Counts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// [`Counts::by_type`].
    Type,
    /// [`Counts::by_hop`].
    Hop,
    /// [`Counts::by_path`].
    Path,
    /// [`Counts::by_status`].
    Status,
    /// [`Counts::by_served`].
    Served,
}

impl Counts {
    fn map(&mut self, dim: Dimension) -> &mut BTreeMap<String, u64> {
        match dim {
            Dimension::Type => &mut self.by_type,
            Dimension::Hop => &mut self.by_hop,
            Dimension::Path => &mut self.by_path,
            Dimension::Status => &mut self.by_status,
            Dimension::Served => &mut self.by_served,
        }
    }

    fn bump(&mut self, dim: Dimension, key: &str, n: u64) {
        let e = self.map(dim).entry(key.to_owned()).or_insert(0);
        *e = e.saturating_add(n);
    }

    /// Keeps the [`MAX_PATHS`] most frequent paths, the rest summed under [`OTHER_PATHS`].
    fn bound_paths(&mut self) {
        if self.by_path.len() <= MAX_PATHS {
            return;
        }
        let mut all: Vec<(String, u64)> = std::mem::take(&mut self.by_path).into_iter().collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let rest: u64 = all.iter().skip(MAX_PATHS).map(|(_, n)| n).sum();
        self.by_path = all.into_iter().take(MAX_PATHS).collect();
        self.by_path.insert(OTHER_PATHS.to_owned(), rest);
    }

    /// The entries of one dimension, most frequent first (ties by key).
    pub fn ranked(&self, dim: Dimension) -> Vec<(&str, u64)> {
        let map = match dim {
            Dimension::Type => &self.by_type,
            Dimension::Hop => &self.by_hop,
            Dimension::Path => &self.by_path,
            Dimension::Status => &self.by_status,
            Dimension::Served => &self.by_served,
        };
        let mut v: Vec<(&str, u64)> = map.iter().map(|(k, n)| (k.as_str(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        v
    }
}

/// A change of a circuit breaker's state, for the breaker's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    /// When it changed (ms).
    pub at: u64,
    /// The path key whose breaker changed; `None`: the origin's.
    #[serde(default)]
    pub path: Option<String>,
    /// The state before.
    pub from: BreakerState,
    /// The state after.
    pub to: BreakerState,
}

/// The owner's view. Serialized (camelCase), it is the view's JSON: the
/// edge's counts at the top level (`total`, `countsByType` keyed by the RFC
/// 9209 type's name, `countsByHop`, …), what visitors reported under
/// `visitorReported`, the robot's checks under `robot`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct View {
    /// The window.
    pub window: Window,
    /// The view's time (ms).
    pub now: u64,
    /// The window's start (ms).
    pub from: u64,
    /// One bar of the chart (ms).
    pub bucket_ms: u64,
    /// Whether this is the shared record of every isolate (else this isolate's own rows).
    pub shared: bool,
    /// What the edge observed, per bucket from `from`.
    pub series: Vec<u64>,
    /// What visitors reported, per bucket.
    pub visitor_series: Vec<u64>,
    /// What the edge observed.
    #[serde(flatten)]
    pub edge: Counts,
    /// What visitors' browsers reported (their word, unchecked by the edge).
    pub visitor_reported: Counts,
    /// The robot's failed checks.
    pub robot: Counts,
    /// The breakers' changes in the window, latest first.
    pub breaker: Vec<Transition>,
    /// The robot's outages overlapping the window, latest first.
    pub outages: Vec<Outage>,
    /// The latest rows, latest first (at most [`MAX_LATEST`]).
    pub latest: Vec<Incident>,
    /// The request id asked for, when one was.
    #[serde(default)]
    pub asked: Option<String>,
    /// Its row, when it is on record.
    #[serde(default)]
    pub found: Option<Incident>,
    /// How long rows are kept.
    pub retention: Retention,
    /// Rows on record (all windows).
    pub stored_rows: u64,
    /// The store's size in bytes, when it says.
    #[serde(default)]
    pub storage_bytes: Option<u64>,
}

/// Builds a [`View`]. See the [module documentation](self).
#[derive(Debug, Clone)]
pub struct ViewBuilder {
    view: View,
}

impl ViewBuilder {
    /// An empty view of `window` at `now`; `shared`: from the shared record.
    pub fn new(window: Window, now: u64, shared: bool) -> Self {
        let n = window.buckets();
        ViewBuilder {
            view: View {
                window,
                now,
                from: window.start(now),
                bucket_ms: window.bucket_ms(),
                shared,
                series: vec![0; n],
                visitor_series: vec![0; n],
                edge: Counts::default(),
                visitor_reported: Counts::default(),
                robot: Counts::default(),
                breaker: Vec::new(),
                outages: Vec::new(),
                latest: Vec::new(),
                asked: None,
                found: None,
                retention: Retention::default(),
                stored_rows: 0,
                storage_bytes: None,
            },
        }
    }

    /// The window's start (ms): rows before it are not counted.
    pub fn from(&self) -> u64 {
        self.view.from
    }

    fn counts(&mut self, source: Source) -> &mut Counts {
        match source {
            Source::Edge => &mut self.view.edge,
            Source::Visitor => &mut self.view.visitor_reported,
            Source::Robot => &mut self.view.robot,
        }
    }

    /// Adds `n` rows of `source` to one dimension's `key` (the total is [`ViewBuilder::add_total`]'s).
    pub fn add_count(&mut self, source: Source, dim: Dimension, key: &str, n: u64) {
        self.counts(source).bump(dim, key, n);
    }

    /// Adds `n` rows of `source` to the total.
    pub fn add_total(&mut self, source: Source, n: u64) {
        let c = self.counts(source);
        c.total = c.total.saturating_add(n);
    }

    /// Adds `n` rows of `source` at time `at` to the chart (outside the window: ignored).
    pub fn add_bucket(&mut self, source: Source, at: u64, n: u64) {
        if at < self.view.from {
            return;
        }
        let i = usize::try_from(
            at.saturating_sub(self.view.from)
                .checked_div(self.view.bucket_ms)
                .unwrap_or(0),
        )
        .unwrap_or(usize::MAX);
        let series = match source {
            Source::Edge => &mut self.view.series,
            Source::Visitor => &mut self.view.visitor_series,
            Source::Robot => return,
        };
        if let Some(b) = series.get_mut(i) {
            *b = b.saturating_add(n);
        }
    }

    /// Adds one row: counted in every dimension, on the chart, and among the latest.
    pub fn add(&mut self, row: &Incident) {
        if row.at < self.view.from || row.at > self.view.now {
            return;
        }
        let ty = row.error_type.map_or(UNCLASSIFIED, |t| t.name());
        let hop = row.hop.map_or("unknown", |h| h.name());
        let status = row.status.to_string();
        self.add_total(row.source, 1);
        self.add_count(row.source, Dimension::Type, ty, 1);
        self.add_count(row.source, Dimension::Hop, hop, 1);
        self.add_count(row.source, Dimension::Path, &row.path, 1);
        self.add_count(row.source, Dimension::Status, &status, 1);
        self.add_count(row.source, Dimension::Served, row.served.name(), 1);
        self.add_bucket(row.source, row.at, 1);
        self.latest(row.clone());
    }

    /// Lists a row among the latest (kept latest first, at most [`MAX_LATEST`]).
    pub fn latest(&mut self, row: Incident) {
        let at = self.view.latest.partition_point(|r| r.at >= row.at);
        if at < MAX_LATEST {
            self.view.latest.insert(at, row);
            self.view.latest.truncate(MAX_LATEST);
        }
    }

    /// Adds a change of a breaker (kept latest first).
    pub fn transition(&mut self, t: Transition) {
        let at = self.view.breaker.partition_point(|x| x.at >= t.at);
        self.view.breaker.insert(at, t);
        self.view.breaker.truncate(MAX_LATEST);
    }

    /// Adds an outage of the robot (kept latest first).
    pub fn outage(&mut self, o: Outage) {
        let at = self
            .view
            .outages
            .partition_point(|x| x.started >= o.started);
        self.view.outages.insert(at, o);
        self.view.outages.truncate(MAX_LATEST);
    }

    /// The id asked for and its row when found.
    pub fn asked(&mut self, id: &str, found: Option<Incident>) {
        self.view.asked = super::token(id, super::MAX_ID);
        self.view.found = found;
    }

    /// The retention settings and how much is stored.
    pub fn stored(&mut self, retention: Retention, rows: u64, bytes: Option<u64>) {
        self.view.retention = retention;
        self.view.stored_rows = rows;
        self.view.storage_bytes = bytes;
    }

    /// The view, its path counts bounded.
    pub fn finish(mut self) -> View {
        self.view.edge.bound_paths();
        self.view.visitor_reported.bound_paths();
        self.view.robot.bound_paths();
        self.view
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::Served;
    use crate::{Diagnosis, ErrorType, Layer};

    #[test]
    fn rows_and_counts_build_the_same_view() {
        let now = 50 * 86_400_000 + 123_456;
        let d = Diagnosis::for_type(ErrorType::ConnectionTimeout, Layer::Workerd);
        let rows: Vec<Incident> = (0..40)
            .map(|i| {
                let mut r = Incident::observed(
                    &d,
                    Served::Page,
                    &format!("/p{}", i % 3),
                    now - i * 70_000,
                    "gw-1",
                );
                if i % 4 == 0 {
                    r.source = Source::Visitor;
                }
                r
            })
            .collect();
        let mut by_rows = ViewBuilder::new(Window::Hour, now, true);
        for r in &rows {
            by_rows.add(r);
        }
        let mut by_counts = ViewBuilder::new(Window::Hour, now, true);
        let from = by_counts.from();
        for r in rows.iter().filter(|r| r.at >= from) {
            by_counts.add_total(r.source, 1);
            by_counts.add_count(r.source, Dimension::Type, "connection_timeout", 1);
            by_counts.add_count(r.source, Dimension::Hop, "connect", 1);
            by_counts.add_count(r.source, Dimension::Path, &r.path, 1);
            by_counts.add_count(r.source, Dimension::Status, "504", 1);
            by_counts.add_count(r.source, Dimension::Served, "page", 1);
            by_counts.add_bucket(r.source, r.at, 1);
            by_counts.latest(r.clone());
        }
        let (a, b) = (by_rows.finish(), by_counts.finish());
        assert_eq!(a, b);
        assert!(a.edge.total > 0 && a.visitor_reported.total > 0);
        assert_eq!(a.series.iter().sum::<u64>(), a.edge.total);
        assert!(a.latest.windows(2).all(|w| w[0].at >= w[1].at));
    }

    #[test]
    fn paths_are_bounded() {
        let mut b = ViewBuilder::new(Window::Day, 86_400_000, false);
        for i in 0..500u64 {
            b.add_count(Source::Edge, Dimension::Path, &format!("/x/{i}"), i % 7 + 1);
        }
        let v = b.finish();
        assert_eq!(v.edge.by_path.len(), MAX_PATHS + 1);
        assert!(v.edge.by_path.contains_key(OTHER_PATHS));
    }
}
