//! The per-path half of the [`Guard`](super::Guard): a small circuit breaker
//! for each path that failed recently, in a table of fixed size.
//!
//! - A path is entered when it fails; a path that never failed costs nothing.
//! - It opens after [`GuardConfig::path_failures`](super::GuardConfig::path_failures)
//!   failures, and only when nothing on it succeeded for
//!   [`GuardConfig::quiet_ms`](super::GuardConfig::quiet_ms) — since the
//!   entry was made or its last success, whichever is later: a visitor who
//!   makes one path fail (a slow query, an aborted upload counted wrongly)
//!   cannot close it for others whose requests to it succeed.
//! - Open, it rejects requests to that path until its cool-down ends (grown
//!   like the origin's), then lets one probe through; a success closes it.
//! - The table holds at most [`GuardConfig::paths`](super::GuardConfig::paths)
//!   entries; a new one replaces the least recently seen. Flooding it with
//!   made-up paths only makes the gateway forget, which opens nothing: a
//!   forgotten path is entered afresh and must again stay quiet for the whole
//!   window before it can open. Keys are at most [`MAX_KEY`] bytes.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The longest path key kept, in bytes (longer paths share their first [`MAX_KEY`] bytes).
pub const MAX_KEY: usize = 256;

/// The key of a request path: the path as received, without its query
/// (the query is the handler's input, the path selects the handler; a
/// fragment never reaches a gateway), cut to [`MAX_KEY`] bytes at a
/// character boundary (a slice of `path`: no allocation). Nothing else is normalised: `/a` and `/a/` may be
/// different handlers.
///
/// # Example
/// ```
/// use gatewise_core::policy::path_key;
/// assert_eq!(path_key("/search?q=slow"), "/search");
/// assert_eq!(path_key("/a/b/"), "/a/b/");
/// assert_eq!(path_key(""), "/");
/// assert_eq!(path_key(&"é".repeat(200)).len(), 256);
/// ```
pub fn path_key(path: &str) -> &str {
    let path = path.split(['?', '#']).next().unwrap_or("");
    if path.is_empty() {
        return "/";
    }
    let mut end = path.len().min(MAX_KEY);
    while !path.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    path.get(..end).unwrap_or("/")
}

/// One path's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    key: String,
    /// When the entry was made or the path last succeeded.
    quiet_since: u64,
    /// Failures since then (while closed).
    failures: u32,
    /// Open until then; at or after it, half-open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    open_until: Option<u64>,
    /// Half-open: when the probe in flight was let through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    probe_at: Option<u64>,
    /// Re-openings since the last close (grow the cool-down).
    reopens: u32,
    /// Last time the entry was looked at (the least recent is replaced first).
    seen: u64,
}

/// What the table needs of the configuration.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub failures: u32,
    pub quiet_ms: u64,
    pub capacity: usize,
    pub cool_down_ms: u64,
    pub growth: u32,
    pub max_cool_down_ms: u64,
    pub probe_timeout_ms: u64,
}

impl Limits {
    fn cool_down(&self, reopens: u32) -> u64 {
        let growth = u64::from(self.growth.max(1));
        growth
            .checked_pow(reopens)
            .and_then(|f| self.cool_down_ms.checked_mul(f))
            .unwrap_or(u64::MAX)
            .min(self.max_cool_down_ms.max(self.cool_down_ms))
    }
}

/// The table (see the [module documentation](self)).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(super) struct PathTable {
    entries: Vec<Entry>,
}

/// What the table says of a request to one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PathGate {
    /// Not open: send it.
    Closed,
    /// Half-open: send it as the path's probe.
    Probe,
    /// Open: do not send it; try again after this long.
    Rejected(Duration),
}

impl PathTable {
    fn find(&mut self, key: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.key == key)
    }

    /// The gate for `key` at `now`, without changing anything.
    pub fn peek(&self, key: &str, now: u64, limits: &Limits) -> PathGate {
        match self.entries.iter().find(|e| e.key == key) {
            None => PathGate::Closed,
            Some(e) => gate(e, now, limits),
        }
    }

    /// The gate for `key` at `now`; a probe takes the path's probe slot.
    pub fn admit(&mut self, key: &str, now: u64, limits: &Limits) -> PathGate {
        let Some(e) = self.find(key) else {
            return PathGate::Closed;
        };
        e.seen = now;
        let g = gate(e, now, limits);
        if g == PathGate::Probe {
            e.probe_at = Some(now);
        }
        g
    }

    /// `key` succeeded at `now`: closed again, and quiet from now on.
    pub fn success(&mut self, key: &str, now: u64) {
        if let Some(e) = self.find(key) {
            e.quiet_since = now;
            e.failures = 0;
            e.open_until = None;
            e.probe_at = None;
            e.reopens = 0;
            e.seen = now;
        }
    }

    /// `key` failed at `now` (its own failure).
    pub fn failure(&mut self, key: &str, now: u64, limits: &Limits) {
        if limits.failures == 0 || limits.capacity == 0 {
            return;
        }
        if self.find(key).is_none() {
            if self.entries.len() >= limits.capacity {
                if let Some(oldest) = self
                    .entries
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, e)| e.seen)
                    .map(|(i, _)| i)
                {
                    self.entries.swap_remove(oldest);
                }
            }
            self.entries.push(Entry {
                key: key.to_owned(),
                quiet_since: now,
                failures: 0,
                open_until: None,
                probe_at: None,
                reopens: 0,
                seen: now,
            });
        }
        let Some(e) = self.find(key) else { return };
        e.seen = now;
        match e.open_until {
            Some(until) if now < until => {} // admitted before it opened
            Some(_) => {
                // Half-open: the probe (or a straggler) failed.
                e.reopens = e.reopens.saturating_add(1);
                e.open_until = Some(now.saturating_add(limits.cool_down(e.reopens)));
                e.probe_at = None;
            }
            None => {
                e.failures = e.failures.saturating_add(1);
                if e.failures >= limits.failures
                    && now.saturating_sub(e.quiet_since) >= limits.quiet_ms
                {
                    e.open_until = Some(now.saturating_add(limits.cool_down(e.reopens)));
                    e.failures = 0;
                }
            }
        }
    }

    /// A probe of `key` ended without saying anything about the path: the slot is free again.
    pub fn release(&mut self, key: &str) {
        if let Some(e) = self.find(key) {
            e.probe_at = None;
        }
    }

    /// While `key` is open at `now` (not half-open): the time left of its cool-down.
    pub fn open_for(&self, key: &str, now: u64) -> Option<Duration> {
        let until = self.entries.iter().find(|e| e.key == key)?.open_until?;
        (now < until).then(|| Duration::from_millis(until.saturating_sub(now)))
    }

    /// Paths open or half-open.
    pub fn open_count(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.open_until.is_some())
            .count()
    }

    /// How many paths are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

fn gate(e: &Entry, now: u64, limits: &Limits) -> PathGate {
    match e.open_until {
        None => PathGate::Closed,
        Some(until) if now < until => {
            PathGate::Rejected(Duration::from_millis(until.saturating_sub(now)))
        }
        Some(_) => match e.probe_at {
            Some(at) if now < at.saturating_add(limits.probe_timeout_ms) => {
                PathGate::Rejected(Duration::from_millis(
                    at.saturating_add(limits.probe_timeout_ms)
                        .saturating_sub(now),
                ))
            }
            _ => PathGate::Probe,
        },
    }
}
