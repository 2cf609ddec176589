//! The gateway's circuit breakers, fed only with failures attributed
//! ([`attribution`](super::attribution)) before they are counted: one
//! [`Breaker`] for the origin, one small breaker per path
//! ([`path_table`](super::path_table)), and the rule that turns failures of
//! many paths into evidence against the whole origin.
//!
//! | failure counted as | what it can open |
//! |---|---|
//! | [`Blame::Origin`] (DNS, refused, connect timeout, TLS) | the origin breaker, on its own counts ([`BreakerConfig`]: failures in a row, failure ratio) |
//! | [`Blame::Path`] (one path resets, hangs, answers 5xx, sends garbage) | that path, after [`GuardConfig::path_failures`] failures with no success on it for [`GuardConfig::quiet_ms`]; the origin, when [`GuardConfig::spread_paths`] distinct paths failed and *nothing* succeeded for [`GuardConfig::quiet_ms`] |
//! | [`Blame::Client`], [`Blame::Nobody`] | nothing (a probe slot it held is given back) |
//!
//! Why the quiet window: a visitor can make any number of distinct paths
//! fail (made-up URLs to a handler that answers 503, slow queries), but
//! cannot stop other visitors' requests from succeeding. So path-level
//! failures open a breaker only while the gateway has seen no success in
//! that scope for a while — what a real outage looks like, and what an
//! attacker cannot fake while honest requests get through. An origin that
//! refuses connections, or whose name does not resolve, still opens its
//! breaker within a handful of requests (connect-level failures are counted
//! directly: a visitor cannot cause them).
//!
//! Half-open, the origin breaker lets through as its probe only a URL seen
//! to answer well more than once (a few are remembered, successes looked at
//! ten times a second at most; for at most the longer of the cool-down and
//! 1 s, then any URL):
//! whatever way the probe fails, the breaker opens again, and only a success
//! closes it — so the probe must not be a visitor's own failing URL. When no
//! such URL comes within the probe timeout, any request may probe.
//!
//! Everything is pure and serializes with serde (the whole state of the
//! guard, configuration included), so that a runtime can keep it per
//! isolate or in a shared store. The clock is passed in, in milliseconds.
//!
//! # Example
//! ```
//! use gatewise_core::policy::{Blame, BreakerState, Guard, GuardConfig, Scope, VisitOutcome};
//! let mut g = Guard::new(GuardConfig { quiet_ms: 1_000, ..GuardConfig::default() });
//! // An attacker's 503 path, hammered while the landing page succeeds: nothing opens for "/".
//! for t in 0..100 {
//!     let key = format!("/attack/{t}");
//!     let ticket = g.admit(&key, t * 50).unwrap();
//!     g.record(&key, ticket, VisitOutcome::Failed(Blame::Path), t * 50);
//!     let ticket = g.admit("/", t * 50 + 1).unwrap();
//!     g.record("/", ticket, VisitOutcome::Succeeded, t * 50 + 1);
//! }
//! assert_eq!(g.origin_state(5_000), BreakerState::Closed);
//! // The origin refuses connections: five visits and it is open.
//! for t in 0..5 {
//!     let ticket = g.admit("/", 6_000 + t).unwrap();
//!     g.record("/", ticket, VisitOutcome::Failed(Blame::Origin), 6_000 + t);
//! }
//! let rejected = g.admit("/", 6_010).unwrap_err();
//! assert_eq!(rejected.scope, Scope::Origin);
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::attribution::Blame;
use super::breaker::{Admission, Breaker, BreakerConfig, BreakerState};
use super::path_table::{Limits, PathGate, PathTable};
use crate::hop::named_enum;
use crate::{Confidence, Diagnosis, ErrorType, Evidence, EvidenceSource, Layer};

named_enum! {
    /// Which breaker a decision is about.
    Scope {
        /// The origin as a whole.
        Origin = "origin",
        /// One path of the origin.
        Path = "path",
    }
}

/// How the guard trips and recovers (durations in milliseconds).
///
/// # Example
/// ```
/// use gatewise_core::policy::GuardConfig;
/// let c = GuardConfig::default();
/// assert_eq!((c.path_failures, c.spread_paths, c.quiet_ms, c.paths), (5, 5, 10_000, 128));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GuardConfig {
    /// The origin breaker (connect-level failures; its cool-downs also apply to paths).
    pub origin: BreakerConfig,
    /// Open one path after this many of its failures (0: never).
    pub path_failures: u32,
    /// Open the origin when this many distinct paths failed (0: never for this reason).
    pub spread_paths: u32,
    /// Path-level failures open a breaker only when nothing in its scope succeeded for this long.
    pub quiet_ms: u64,
    /// How many paths' states are kept (at most [`MAX_PATHS`]).
    pub paths: u32,
}

/// The largest path table a configuration may ask for.
pub const MAX_PATHS: u32 = 1024;

impl Default for GuardConfig {
    /// The origin breaker's defaults; a path opens after 5 failures, the
    /// origin after failures on 5 distinct paths, each only after 10 s
    /// without a success; 128 paths kept.
    fn default() -> Self {
        GuardConfig {
            origin: BreakerConfig::default(),
            path_failures: 5,
            spread_paths: 5,
            quiet_ms: 10_000,
            paths: 128,
        }
    }
}

impl GuardConfig {
    fn limits(&self) -> Limits {
        Limits {
            failures: self.path_failures,
            quiet_ms: self.quiet_ms,
            capacity: usize::try_from(self.paths.min(MAX_PATHS)).unwrap_or(0),
            cool_down_ms: self.origin.cool_down_ms,
            growth: self.origin.cool_down_growth,
            max_cool_down_ms: self.origin.max_cool_down_ms,
            probe_timeout_ms: self.origin.probe_timeout_ms,
        }
    }
}

/// How a visit ended, once it is over (however many attempts it made).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitOutcome {
    /// The origin answered, and not with a gateway failure.
    Succeeded,
    /// It failed; counted against whom [`attribution`](super::attribution) says.
    Failed(Blame),
}

/// What [`Guard::admit`] let through: hand it back to [`Guard::record`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "record the visit's outcome with this ticket"]
pub struct Ticket {
    /// The visit is the origin breaker's probe.
    pub origin_probe: bool,
    /// The visit is its path's probe.
    pub path_probe: bool,
}

/// A request the guard stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rejection {
    /// Which breaker is open.
    pub scope: Scope,
    /// When it may admit requests again.
    pub retry_in: Duration,
}

impl Rejection {
    /// What the visitor is told: 503 `destination_unavailable` written by
    /// gatewise, with `Retry-After` (whole seconds, at least 1) and evidence
    /// naming the breaker (`breaker.open` for the origin, `breaker.path_open`
    /// for one path). Never counted by the guard itself (attribution row `own.breaker`).
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::{Rejection, Scope};
    /// use gatewise_core::{ErrorType, Layer};
    /// let d = Rejection { scope: Scope::Path, retry_in: Duration::from_millis(1_200) }.diagnosis();
    /// assert_eq!((d.error_type, d.layer, d.status), (Some(ErrorType::DestinationUnavailable), Layer::Gatewise, 503));
    /// assert_eq!(d.retry_after, Some(2));
    /// assert_eq!(d.evidence[0].rule.as_deref(), Some("breaker.path_open"));
    /// ```
    pub fn diagnosis(&self) -> Diagnosis {
        let secs = u32::try_from(self.retry_in.as_millis().div_ceil(1000))
            .unwrap_or(u32::MAX)
            .max(1);
        let (fact, rule) = match self.scope {
            Scope::Origin => ("circuit breaker open", "breaker.open"),
            Scope::Path => (
                "this path's breaker is open: it kept failing",
                "breaker.path_open",
            ),
        };
        let mut d = Diagnosis::for_type(ErrorType::DestinationUnavailable, Layer::Gatewise)
            .with_confidence(Confidence::High)
            .with_evidence(Evidence::new(EvidenceSource::Runtime, fact, Some(rule)));
        d.retry_after = Some(secs);
        d
    }
}

/// How many URLs that answered well, again and again, the guard remembers (see [`Guard::admit`]).
pub const KNOWN_GOOD: usize = 16;
/// A success is looked at at most once per this many ms (so that the happy path rarely pays for it).
const KNOWN_GOOD_EVERY_MS: u64 = 100;

/// What [`Guard::record`] told the origin breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginEvent {
    /// Nothing (a failure of one path, the client's, or nobody's).
    None,
    /// A success.
    Success,
    /// A failure.
    Failure,
    /// Failures spread over many paths opened it at once ([`Breaker::trip`]).
    Tripped,
}

/// The breakers of one origin. See the [module documentation](self).
///
/// Requests are named by their URL's path and query (`/a/b?c=d`); the
/// breakers of paths use its [`path_key`](super::path_key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Guard {
    config: GuardConfig,
    origin: Breaker,
    /// When the origin breaker's cool-down ended and it became half-open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    half_open_at: Option<u64>,
    /// Since when nothing succeeded (the first moment seen, until a success).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quiet_since: Option<u64>,
    /// Distinct paths that failed since then (at most `spread_paths`).
    #[serde(default)]
    spread: Vec<String>,
    #[serde(default)]
    paths: PathTable,
    /// URLs (path and query) seen to answer well, one looked at per
    /// [`KNOWN_GOOD_EVERY_MS`] at most: once (`candidates`), and twice or
    /// more (`known_good`: the ones that may probe the half-open origin).
    #[serde(default)]
    candidates: Vec<String>,
    #[serde(default)]
    known_good: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    known_good_at: Option<u64>,
}

/// `url` cut to [`MAX_KEY`](super::MAX_KEY) bytes at a character boundary.
fn bounded(url: &str) -> &str {
    let mut end = url.len().min(super::MAX_KEY);
    while !url.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    url.get(..end).unwrap_or("")
}

impl Guard {
    /// A guard with every breaker closed.
    pub fn new(config: GuardConfig) -> Self {
        Guard {
            config,
            origin: Breaker::new(config.origin),
            half_open_at: None,
            quiet_since: None,
            spread: Vec::new(),
            paths: PathTable::default(),
            candidates: Vec::new(),
            known_good: Vec::new(),
            known_good_at: None,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &GuardConfig {
        &self.config
    }

    /// Lets a visit to `url` (path and query) through at `now`, or says
    /// which breaker stops it. Call once per visit, before its first attempt;
    /// retries ask [`Guard::stopped`].
    ///
    /// While the origin breaker is half-open, a probe is let through only for
    /// a URL seen to answer well more than once (when the guard knows any,
    /// and for at most the longer of its cool-down and 1 s; then any URL): a
    /// probe that fails, on its path or to connect, re-opens the breaker, so a
    /// visitor must not be able to probe with a URL of his own that fails.
    pub fn admit(&mut self, url: &str, now: u64) -> Result<Ticket, Rejection> {
        self.screen(url, now)?;
        let origin = self.origin.allow(now);
        self.admit_with(url, now, origin)
    }

    /// The first half of [`Guard::admit`]: the path's breaker and, while the
    /// origin is half-open, the known-good rule — before the origin breaker
    /// is asked, so that a rejection here takes no probe slot anywhere (a
    /// worker whose origin breaker is shared asks it between the halves).
    pub fn screen(&mut self, url: &str, now: u64) -> Result<(), Rejection> {
        self.quiet_since.get_or_insert(now);
        let limits = self.config.limits();
        let key = super::path_key(url);
        // Ask the path first without taking anything, so that a rejection by one
        // breaker never holds the other's probe slot.
        if let PathGate::Rejected(retry_in) = self.paths.peek(key, now, &limits) {
            return Err(Rejection {
                scope: Scope::Path,
                retry_in,
            });
        }
        if self.origin.state_at(now) == BreakerState::HalfOpen {
            let since = match self.origin.cool_down_ends() {
                Some(end) => end, // just turning half-open
                None => self.half_open_at.unwrap_or(now),
            };
            self.half_open_at = Some(since);
        } else {
            self.half_open_at = None;
        }
        let choosy = self
            .half_open_at
            .is_some_and(|since| now.saturating_sub(since) < self.choosy_ms());
        if choosy
            && !self.known_good.is_empty()
            && !self.known_good.iter().any(|u| u == bounded(url))
        {
            return Err(Rejection {
                scope: Scope::Origin,
                retry_in: Duration::from_millis(KNOWN_GOOD_EVERY_MS),
            });
        }
        Ok(())
    }

    /// The second half of [`Guard::admit`], after [`Guard::screen`]:
    /// `origin` is the origin breaker's answer (its own [`Breaker::allow`], or
    /// that of a breaker shared by many workers, see [`Guard::adopt_origin`]).
    pub fn admit_with(
        &mut self,
        url: &str,
        now: u64,
        origin: Admission,
    ) -> Result<Ticket, Rejection> {
        let origin_probe = match origin {
            Admission::Allowed => false,
            Admission::Probe => true,
            Admission::Rejected { retry_in } => {
                return Err(Rejection {
                    scope: Scope::Origin,
                    retry_in,
                })
            }
        };
        let limits = self.config.limits();
        let path_probe = self.paths.admit(super::path_key(url), now, &limits) == PathGate::Probe;
        Ok(Ticket {
            origin_probe,
            path_probe,
        })
    }

    /// The origin breaker.
    pub fn origin(&self) -> &Breaker {
        &self.origin
    }

    /// Takes `origin` as the origin breaker (a shared one's state, as its
    /// keeper last saw it); the paths' breakers stay this guard's own.
    pub fn adopt_origin(&mut self, origin: Breaker) {
        self.origin = origin;
    }

    /// Whether a visit to `url` at `now` meets only closed breakers (and so
    /// takes no probe slot): a caller that admits it without [`Guard::admit`]
    /// records it with a ticket of two `false`s.
    pub fn admits_plainly(&self, url: &str, now: u64) -> bool {
        self.origin.state_at(now) == BreakerState::Closed
            && self
                .paths
                .peek(super::path_key(url), now, &self.config.limits())
                == PathGate::Closed
    }

    /// Whether a breaker is open for `url` at `now` (not half-open), without
    /// changing anything: a visit checks this before each retry.
    pub fn stopped(&self, url: &str, now: u64) -> Option<Rejection> {
        if let Some(retry_in) = self.origin.open_for(now) {
            return Some(Rejection {
                scope: Scope::Origin,
                retry_in,
            });
        }
        self.paths
            .open_for(super::path_key(url), now)
            .map(|retry_in| Rejection {
                scope: Scope::Path,
                retry_in,
            })
    }

    /// Whether [`Guard::record`] of a success at `now` needs the real URL
    /// (paths are tracked, or a URL that answered well is due to be
    /// remembered); when not, a caller may pass `""` and save reading it.
    pub fn wants_url(&self, now: u64) -> bool {
        self.paths.len() > 0 || self.looks_at_success(now)
    }

    fn looks_at_success(&self, now: u64) -> bool {
        self.known_good_at
            .is_none_or(|at| now.saturating_sub(at) >= KNOWN_GOOD_EVERY_MS)
    }

    /// Records how a visit to `url` admitted with `ticket` ended, at `now`:
    /// once per visit, however many attempts it made.
    ///
    /// Returns what the origin breaker was told (what a breaker shared by
    /// many workers must be told too).
    pub fn record(
        &mut self,
        url: &str,
        ticket: Ticket,
        outcome: VisitOutcome,
        now: u64,
    ) -> OriginEvent {
        let limits = self.config.limits();
        let key = super::path_key(url);
        match outcome {
            VisitOutcome::Succeeded => {
                self.origin.record_success(now);
                self.quiet_since = Some(now);
                self.spread.clear();
                self.paths.success(key, now);
                self.remember_good(url, now);
                OriginEvent::Success
            }
            VisitOutcome::Failed(Blame::Origin) => {
                self.origin.record_failure(now);
                if ticket.path_probe {
                    self.paths.release(key);
                }
                OriginEvent::Failure
            }
            VisitOutcome::Failed(Blame::Path) => {
                self.paths.failure(key, now, &limits);
                match self.origin.state() {
                    // A probe (a URL that answered well lately, see `admit`) still fails.
                    BreakerState::HalfOpen => {
                        self.origin.record_failure(now);
                        OriginEvent::Failure
                    }
                    BreakerState::Closed if self.spread_failure(key, now) => OriginEvent::Tripped,
                    BreakerState::Closed | BreakerState::Open => OriginEvent::None,
                }
            }
            VisitOutcome::Failed(Blame::Client | Blame::Nobody) => {
                if ticket.origin_probe {
                    self.origin.release_probe();
                }
                if ticket.path_probe {
                    self.paths.release(key);
                }
                OriginEvent::None
            }
        }
    }

    /// How long the half-open origin waits for a URL known to answer well before any may probe.
    fn choosy_ms(&self) -> u64 {
        self.config.origin.cool_down_ms.max(1_000)
    }

    fn remember_good(&mut self, url: &str, now: u64) {
        let url = bounded(url);
        if url.is_empty() || !self.looks_at_success(now) {
            return;
        }
        self.known_good_at = Some(now);
        let keep = |list: &mut Vec<String>, url: &str| {
            if let Some(i) = list.iter().position(|u| u == url) {
                list.remove(i);
            } else if list.len() >= KNOWN_GOOD {
                list.remove(0);
            }
            list.push(url.to_owned());
        };
        if self.known_good.iter().any(|u| u == url) || self.candidates.iter().any(|u| u == url) {
            keep(&mut self.known_good, url);
        } else {
            keep(&mut self.candidates, url);
        }
    }

    /// Counts a path's failure toward an origin-wide outage; true when it opened the origin breaker.
    fn spread_failure(&mut self, key: &str, now: u64) -> bool {
        let wanted = usize::try_from(self.config.spread_paths).unwrap_or(usize::MAX);
        if wanted == 0 {
            return false;
        }
        if self.spread.len() < wanted && !self.spread.iter().any(|k| k == key) {
            self.spread.push(key.to_owned());
        }
        let since = *self.quiet_since.get_or_insert(now);
        if self.spread.len() >= wanted && now.saturating_sub(since) >= self.config.quiet_ms {
            self.origin.trip(now);
            self.spread.clear();
            return true;
        }
        false
    }

    /// The origin breaker's state as [`Guard::admit`] would see it at `now`.
    pub fn origin_state(&self, now: u64) -> BreakerState {
        self.origin.state_at(now)
    }

    /// How many paths are open or half-open.
    pub fn open_paths(&self) -> usize {
        self.paths.open_count()
    }

    /// How many paths the table holds.
    pub fn tracked_paths(&self) -> usize {
        self.paths.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> Guard {
        Guard::new(GuardConfig {
            origin: BreakerConfig {
                consecutive_failures: 3,
                failure_ratio: None,
                cool_down_ms: 1_000,
                ..BreakerConfig::default()
            },
            path_failures: 3,
            spread_paths: 4,
            quiet_ms: 500,
            paths: 8,
        })
    }

    fn visit(g: &mut Guard, key: &str, outcome: VisitOutcome, now: u64) -> Result<(), Scope> {
        let t = g.admit(key, now).map_err(|r| r.scope)?;
        g.record(key, t, outcome, now);
        Ok(())
    }

    const PATH: VisitOutcome = VisitOutcome::Failed(Blame::Path);
    const ORIGIN: VisitOutcome = VisitOutcome::Failed(Blame::Origin);
    const OK: VisitOutcome = VisitOutcome::Succeeded;

    #[test]
    fn one_failing_path_opens_only_itself_and_only_after_a_quiet_window() {
        let mut g = guard();
        for t in 0..10 {
            visit(&mut g, "/broken", PATH, t * 10).unwrap();
        }
        // 10 failures within 90 ms: not quiet for 500 ms yet.
        assert!(visit(&mut g, "/broken", PATH, 100).is_ok());
        assert_eq!(visit(&mut g, "/broken", PATH, 600), Ok(()));
        assert_eq!(visit(&mut g, "/broken", PATH, 601), Err(Scope::Path));
        assert_eq!(visit(&mut g, "/", OK, 602), Ok(()));
        assert_eq!(g.origin_state(602), BreakerState::Closed);
        // After the cool-down one probe goes through; its success closes the path.
        assert_eq!(visit(&mut g, "/broken", OK, 1_700), Ok(()));
        assert_eq!(visit(&mut g, "/broken", PATH, 1_701), Ok(()));
    }

    #[test]
    fn a_path_that_also_succeeds_never_opens() {
        let mut g = guard();
        for t in 0..200 {
            visit(&mut g, "/search", PATH, t * 20).unwrap();
            visit(&mut g, "/search", PATH, t * 20 + 1).unwrap();
            if t % 10 == 0 {
                visit(&mut g, "/search", OK, t * 20 + 2).unwrap();
            }
        }
        assert_eq!(g.open_paths(), 0);
    }

    #[test]
    fn what_the_origin_breaker_is_told_and_a_shared_answer() {
        let mut g = guard();
        let t = g.admit("/a", 0).unwrap();
        assert_eq!(
            g.record("/a", t, VisitOutcome::Succeeded, 0),
            OriginEvent::Success
        );
        let t = g.admit("/b", 1).unwrap();
        assert_eq!(
            g.record("/b", t, VisitOutcome::Failed(Blame::Client), 1),
            OriginEvent::None
        );
        assert_eq!(
            g.record("/b", t, VisitOutcome::Failed(Blame::Origin), 2),
            OriginEvent::Failure
        );
        // One path's failure is not the origin's, until they spread over paths past the quiet window.
        let events: Vec<OriginEvent> = (0..4u64)
            .map(|i| {
                let url = format!("/p/{i}");
                let t = g.admit(&url, 600 + i).unwrap();
                g.record(&url, t, VisitOutcome::Failed(Blame::Path), 600 + i)
            })
            .collect();
        assert_eq!(
            events,
            [
                OriginEvent::None,
                OriginEvent::None,
                OriginEvent::None,
                OriginEvent::Tripped
            ]
        );
        // A shared breaker's answer decides the origin's half; the path's own breaker still screens first.
        let mut g = guard();
        assert_eq!(g.screen("/c", 0), Ok(()));
        let t = g.admit_with("/c", 0, Admission::Probe).unwrap();
        assert!(t.origin_probe && !t.path_probe);
        let stop = g.admit_with(
            "/c",
            0,
            Admission::Rejected {
                retry_in: Duration::from_millis(700),
            },
        );
        assert_eq!(
            stop.map_err(|r| (r.scope, r.retry_in.as_millis())),
            Err((Scope::Origin, 700))
        );
        let mut shared = g.origin().clone();
        shared.trip(5);
        g.adopt_origin(shared);
        assert_eq!(g.origin_state(5), BreakerState::Open);
    }

    #[test]
    fn many_failing_paths_open_the_origin_only_when_nothing_succeeds() {
        let mut g = guard();
        for t in 0..400u64 {
            visit(&mut g, &format!("/x/{t}"), PATH, t * 5).unwrap();
            if t % 80 == 0 {
                visit(&mut g, "/", OK, t * 5).unwrap();
            }
        }
        visit(&mut g, "/", OK, 2_000).unwrap();
        assert_eq!(g.origin_state(2_000), BreakerState::Closed);
        // Everything fails from 2 000 ms on (a whole-origin hang): open after the quiet window.
        let mut opened_at = None;
        for t in 0..200u64 {
            let now = 2_000 + t * 10;
            if visit(&mut g, &format!("/y/{t}"), PATH, now) == Err(Scope::Origin) {
                opened_at = Some(now);
                break;
            }
        }
        let at = opened_at.unwrap();
        assert!((2_500..=2_520).contains(&at), "{at}");
    }

    #[test]
    fn connect_failures_open_the_origin_at_once_and_only_a_success_closes_it() {
        let mut g = guard();
        visit(&mut g, "/home", OK, 0).unwrap();
        visit(&mut g, "/home", OK, 200).unwrap();
        for t in 0..3 {
            visit(&mut g, "/", ORIGIN, 10 + t).unwrap();
        }
        assert_eq!(visit(&mut g, "/", OK, 13), Err(Scope::Origin));
        assert_eq!(
            g.stopped("/other", 14).map(|r| r.scope),
            Some(Scope::Origin)
        );
        // Half-open: a URL of a visitor's own may not probe; one that answered before may.
        assert_eq!(visit(&mut g, "/broken", PATH, 1_100), Err(Scope::Origin));
        visit(&mut g, "/home", PATH, 1_101).unwrap();
        assert_eq!(
            g.origin_state(1_102),
            BreakerState::Open,
            "a failing probe opens it again"
        );
        // Once the cool-down (here 2 s) passed with no such URL, any request may probe.
        let later = 1_101 + 2_000 + 2_000;
        assert_eq!(visit(&mut g, "/new", OK, later), Ok(()));
        assert_eq!(g.origin_state(later), BreakerState::Closed);
    }

    #[test]
    fn client_failures_count_nowhere_and_give_back_the_probe() {
        let mut g = guard();
        for t in 0..100 {
            visit(
                &mut g,
                &format!("/u/{t}"),
                VisitOutcome::Failed(Blame::Client),
                1_000 + t,
            )
            .unwrap();
        }
        assert_eq!(g.tracked_paths(), 0);
        for t in 0..3 {
            visit(&mut g, "/", ORIGIN, 2_000 + t).unwrap();
        }
        let t = g.admit("/", 3_100).unwrap();
        assert!(t.origin_probe);
        g.record("/", t, VisitOutcome::Failed(Blame::Client), 3_101);
        assert!(g.admit("/", 3_102).unwrap().origin_probe);
    }

    #[test]
    fn after_an_outage_of_many_paths_only_urls_that_answered_well_may_probe() {
        let mut g = guard();
        visit(&mut g, "/", OK, 0).unwrap();
        visit(&mut g, "/news?page=2", OK, 500).unwrap();
        visit(&mut g, "/news?page=2", OK, 1_000).unwrap();
        // Every path fails; after the quiet window the origin opens.
        let mut t = 1_100;
        while visit(&mut g, &format!("/p/{t}"), PATH, t).is_ok() {
            t += 50;
            assert!(t < 5_000);
        }
        let open_at = t;
        // Half-open: a visitor's own failing URL is not let through to probe…
        assert_eq!(
            visit(&mut g, "/attack/1", PATH, open_at + 1_100),
            Err(Scope::Origin)
        );
        assert_eq!(g.origin_state(open_at + 1_100), BreakerState::HalfOpen);
        // …a URL that answered before is; it still fails (the outage goes on): open again.
        assert_eq!(visit(&mut g, "/news?page=2", PATH, open_at + 1_101), Ok(()));
        assert_eq!(g.origin_state(open_at + 1_102), BreakerState::Open);
        // Later it answers: closed, and everyone gets through.
        assert_eq!(visit(&mut g, "/", OK, open_at + 10_000), Ok(()));
        assert_eq!(visit(&mut g, "/attack/2", PATH, open_at + 10_001), Ok(()));
    }

    #[test]
    fn the_path_table_is_bounded_and_flooding_it_opens_nothing() {
        let mut g = guard();
        visit(&mut g, "/", OK, 0).unwrap();
        for t in 0..10_000u64 {
            let _ = visit(&mut g, &format!("/flood/{t}"), PATH, t / 100);
            if t % 50 == 0 {
                visit(&mut g, "/", OK, t / 100).unwrap();
            }
        }
        assert_eq!(g.tracked_paths(), 8);
        assert_eq!(g.open_paths(), 0);
        assert_eq!(g.origin_state(100), BreakerState::Closed);
        let json = serde_json::to_string(&g).unwrap();
        assert!(json.len() < 4_096, "{}", json.len());
        let back: Guard = serde_json::from_str(&json).unwrap();
        assert_eq!(back, g);
    }
}
