//! A circuit breaker: stop sending requests to an origin that keeps
//! failing, then let a few probes find out when it is back.
//!
//! ```text
//!            N consecutive failures, or failure ratio over the window
//!   Closed ─────────────────────────────────────────────────────────▶ Open
//!     ▲                                                               │
//!     │ enough probe successes            cool-down elapsed (in allow) │
//!     │                                                               ▼
//!     └──────────────────────────── HalfOpen ◀────────────────────────┘
//!                                      │  a probe fails: Open again,
//!                                      └─ cool-down × growth (capped)
//! ```
//!
//! - **Closed**: every request is [`Admission::Allowed`]. Outcomes are
//!   counted: the breaker opens after [`BreakerConfig::consecutive_failures`]
//!   failures in a row, or when the failure ratio over a sliding window
//!   reaches [`FailureRatio::permille`] (with at least
//!   [`FailureRatio::min_calls`] outcomes in the window).
//! - **Open**: requests are [`Admission::Rejected`] with the time left until
//!   the cool-down ends. The first [`Breaker::allow`] at or after that moment
//!   moves to HalfOpen.
//! - **HalfOpen**: at most [`BreakerConfig::half_open_probes`] requests are
//!   in flight as [`Admission::Probe`]s; others are rejected. A probe success
//!   counts toward [`BreakerConfig::successes_to_close`] (then Closed); a
//!   probe failure re-opens with the cool-down multiplied by
//!   [`BreakerConfig::cool_down_growth`] (capped by
//!   [`BreakerConfig::max_cool_down_ms`]). Probes that never report back
//!   (a killed worker request) are written off after
//!   [`BreakerConfig::probe_timeout_ms`], so the breaker cannot stick.
//!
//! Outcomes recorded while Open (requests admitted before it opened) are
//! ignored.
//!
//! The clock is injected: each call takes `now` in milliseconds on any
//! monotonic clock. Time going backwards never panics (it just does not
//! advance the state). The whole breaker (configuration and state)
//! serializes with serde, so a worker can keep one per origin per isolate.
//!
//! # Example
//! ```
//! use std::time::Duration;
//! use gatewise_core::policy::{Admission, Breaker, BreakerConfig, BreakerState};
//! let mut b = Breaker::new(BreakerConfig {
//!     consecutive_failures: 2,
//!     failure_ratio: None,
//!     cool_down_ms: 1_000,
//!     ..BreakerConfig::default()
//! });
//! b.record_failure(0);
//! b.record_failure(10);
//! assert_eq!(b.state(), BreakerState::Open);
//! assert_eq!(b.allow(500), Admission::Rejected { retry_in: Duration::from_millis(510) });
//! assert_eq!(b.allow(1_010), Admission::Probe);
//! b.record_success(1_020);
//! assert_eq!(b.state(), BreakerState::Closed);
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::hop::named_enum;

use super::window::{Counter, Window};

/// Open when the share of failures over a sliding window is too high.
///
/// # Example
/// ```
/// use gatewise_core::policy::{Breaker, BreakerConfig, BreakerState, FailureRatio};
/// let mut b = Breaker::new(BreakerConfig {
///     consecutive_failures: 0,
///     failure_ratio: Some(FailureRatio { permille: 500, min_calls: 4, window_ms: 10_000 }),
///     ..BreakerConfig::default()
/// });
/// b.record_failure(0);
/// b.record_success(1);
/// b.record_failure(2);
/// assert_eq!(b.state(), BreakerState::Closed); // only 3 outcomes
/// b.record_success(3);
/// b.record_failure(4); // 3 failures of 5
/// assert_eq!(b.state(), BreakerState::Open);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FailureRatio {
    /// Open when failures are at least this many thousandths of the outcomes (500 = half).
    pub permille: u32,
    /// Do not judge on fewer outcomes than this.
    pub min_calls: u32,
    /// The length of the sliding window, in milliseconds (ten slots of a tenth each).
    pub window_ms: u64,
}

/// How a [`Breaker`] trips and recovers. Durations are in milliseconds.
///
/// # Example
/// ```
/// use gatewise_core::policy::BreakerConfig;
/// let strict = BreakerConfig { consecutive_failures: 2, half_open_probes: 3, ..BreakerConfig::default() };
/// let json = serde_json::to_value(&strict).unwrap();
/// assert_eq!(json["consecutiveFailures"], 2);
/// assert_eq!(json["halfOpenProbes"], 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BreakerConfig {
    /// Open after this many failures in a row (0: never for this reason).
    pub consecutive_failures: u32,
    /// Also open when the failure ratio is too high (`None`: never for this reason).
    pub failure_ratio: Option<FailureRatio>,
    /// How long to stay Open the first time.
    pub cool_down_ms: u64,
    /// Each re-opening from HalfOpen multiplies the cool-down by this (1: constant; 0 is read as 1).
    pub cool_down_growth: u32,
    /// The longest cool-down, however often it grew.
    pub max_cool_down_ms: u64,
    /// How many probes may be in flight in HalfOpen (0 is read as 1).
    pub half_open_probes: u32,
    /// A probe that has not reported back after this long is written off.
    pub probe_timeout_ms: u64,
    /// Probe successes needed to close (0 is read as 1).
    pub successes_to_close: u32,
}

impl Default for BreakerConfig {
    /// Open after 5 failures in a row, or when half of at least 20 outcomes
    /// in 10 s failed; 5 s cool-down doubling up to 60 s; 1 probe, written
    /// off after 10 s; 1 success closes.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::BreakerConfig;
    /// let c = BreakerConfig::default();
    /// assert_eq!((c.consecutive_failures, c.cool_down_ms, c.half_open_probes), (5, 5_000, 1));
    /// ```
    fn default() -> Self {
        BreakerConfig {
            consecutive_failures: 5,
            failure_ratio: Some(FailureRatio {
                permille: 500,
                min_calls: 20,
                window_ms: 10_000,
            }),
            cool_down_ms: 5_000,
            cool_down_growth: 2,
            max_cool_down_ms: 60_000,
            half_open_probes: 1,
            probe_timeout_ms: 10_000,
            successes_to_close: 1,
        }
    }
}

named_enum! {
    /// The state of a [`Breaker`].
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::BreakerState;
    /// assert_eq!(BreakerState::HalfOpen.name(), "half_open");
    /// assert_eq!(BreakerState::from_name("open"), Some(BreakerState::Open));
    /// ```
    BreakerState {
        /// Requests flow; failures are counted.
        Closed = "closed",
        /// Requests are rejected until the cool-down ends.
        Open = "open",
        /// A limited number of probes find out whether the origin is back.
        HalfOpen = "half_open",
    }
}

/// Whether a request may go to the origin now.
///
/// # Example
/// ```
/// use std::time::Duration;
/// use gatewise_core::policy::{Admission, Breaker, BreakerConfig};
/// let mut b = Breaker::new(BreakerConfig { consecutive_failures: 1, cool_down_ms: 300, ..Default::default() });
/// b.record_failure(0);
/// assert_eq!(b.allow(100), Admission::Rejected { retry_in: Duration::from_millis(200) });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Admission {
    /// Send it (the breaker is Closed).
    Allowed,
    /// Send it as a probe (HalfOpen); report its outcome, which decides the state.
    Probe,
    /// Do not send it; the breaker may admit requests again after `retry_in`.
    Rejected {
        /// Time until the cool-down ends, or until stuck probes are written off.
        retry_in: Duration,
    },
}

impl Admission {
    /// Whether the request may be sent (as a normal request or as a probe).
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::Admission;
    /// assert!(Admission::Probe.is_allowed());
    /// ```
    pub fn is_allowed(&self) -> bool {
        !matches!(self, Admission::Rejected { .. })
    }
}

/// The state and its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(
    tag = "state",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
enum Phase {
    Closed,
    Open {
        until_ms: u64,
    },
    HalfOpen {
        in_flight: u32,
        successes: u32,
        last_probe_ms: u64,
    },
}

/// A circuit breaker for one origin. See the [module documentation](self).
///
/// # Example
/// ```
/// use gatewise_core::policy::{Admission, Breaker, BreakerConfig};
/// let b = Breaker::new(BreakerConfig::default());
/// // Keep it between requests as JSON (e.g. per origin in a worker isolate).
/// let saved = serde_json::to_string(&b).unwrap();
/// let mut restored: Breaker = serde_json::from_str(&saved).unwrap();
/// assert_eq!(restored.allow(0), Admission::Allowed);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Breaker {
    config: BreakerConfig,
    phase: Phase,
    /// Failures in a row while Closed.
    consecutive_failures: u32,
    /// Times re-opened from HalfOpen since the last close (grows the cool-down).
    reopens: u32,
    /// Successes (A) and failures (B) while Closed.
    window: Window,
}

impl Breaker {
    /// A Closed breaker.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Breaker, BreakerConfig, BreakerState};
    /// let b = Breaker::new(BreakerConfig::default());
    /// assert_eq!(b.state(), BreakerState::Closed);
    /// ```
    pub fn new(config: BreakerConfig) -> Self {
        Breaker {
            config,
            phase: Phase::Closed,
            consecutive_failures: 0,
            reopens: 0,
            window: Window::default(),
        }
    }

    /// The configuration.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Breaker, BreakerConfig};
    /// let b = Breaker::new(BreakerConfig::default());
    /// assert_eq!(b.config().successes_to_close, 1);
    /// ```
    pub fn config(&self) -> &BreakerConfig {
        &self.config
    }

    /// The stored state. An Open breaker whose cool-down has ended still
    /// says Open until the next [`allow`](Self::allow); see
    /// [`state_at`](Self::state_at).
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Breaker, BreakerConfig, BreakerState};
    /// let mut b = Breaker::new(BreakerConfig { consecutive_failures: 1, ..Default::default() });
    /// b.record_failure(0);
    /// assert_eq!(b.state(), BreakerState::Open);
    /// ```
    pub fn state(&self) -> BreakerState {
        match self.phase {
            Phase::Closed => BreakerState::Closed,
            Phase::Open { .. } => BreakerState::Open,
            Phase::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }

    /// The state as [`allow`](Self::allow) would see it at `now`
    /// (HalfOpen once the cool-down has ended), without changing anything.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Breaker, BreakerConfig, BreakerState};
    /// let mut b = Breaker::new(BreakerConfig {
    ///     consecutive_failures: 1,
    ///     cool_down_ms: 100,
    ///     ..Default::default()
    /// });
    /// b.record_failure(0);
    /// assert_eq!(b.state_at(99), BreakerState::Open);
    /// assert_eq!(b.state_at(100), BreakerState::HalfOpen);
    /// ```
    pub fn state_at(&self, now: u64) -> BreakerState {
        match self.phase {
            Phase::Open { until_ms } if now >= until_ms => BreakerState::HalfOpen,
            _ => self.state(),
        }
    }

    /// Whether a request may be sent at `now`. A [`Probe`](Admission::Probe)
    /// or [`Allowed`](Admission::Allowed) request must be followed by
    /// [`record_success`](Self::record_success) or
    /// [`record_failure`](Self::record_failure).
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Admission, Breaker, BreakerConfig};
    /// let mut b = Breaker::new(BreakerConfig::default());
    /// assert_eq!(b.allow(0), Admission::Allowed);
    /// ```
    pub fn allow(&mut self, now: u64) -> Admission {
        if let Phase::Open { until_ms } = self.phase {
            if now < until_ms {
                return Admission::Rejected {
                    retry_in: Duration::from_millis(until_ms.saturating_sub(now)),
                };
            }
            self.phase = Phase::HalfOpen {
                in_flight: 0,
                successes: 0,
                last_probe_ms: now,
            };
        }
        let probes = self.config.half_open_probes.max(1);
        let timeout = self.config.probe_timeout_ms;
        match &mut self.phase {
            Phase::Closed => Admission::Allowed,
            Phase::Open { .. } => Admission::Rejected {
                retry_in: Duration::ZERO,
            },
            Phase::HalfOpen {
                in_flight,
                last_probe_ms,
                ..
            } => {
                let written_off_at = last_probe_ms.saturating_add(timeout);
                if *in_flight >= probes && now >= written_off_at {
                    *in_flight = 0;
                }
                if *in_flight < probes {
                    *in_flight = in_flight.saturating_add(1);
                    *last_probe_ms = now;
                    Admission::Probe
                } else {
                    Admission::Rejected {
                        retry_in: Duration::from_millis(written_off_at.saturating_sub(now)),
                    }
                }
            }
        }
    }

    /// Records that a request admitted earlier succeeded at `now`.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Breaker, BreakerConfig, BreakerState};
    /// let mut b = Breaker::new(BreakerConfig { consecutive_failures: 2, ..Default::default() });
    /// b.record_failure(0);
    /// b.record_success(1);
    /// b.record_failure(2);
    /// assert_eq!(b.state(), BreakerState::Closed); // not two in a row
    /// ```
    pub fn record_success(&mut self, now: u64) {
        let needed = self.config.successes_to_close.max(1);
        match &mut self.phase {
            Phase::Closed => {
                self.consecutive_failures = 0;
                if let Some(ratio) = self.config.failure_ratio {
                    self.window.bump(ratio.window_ms, now, Counter::A);
                }
            }
            Phase::Open { .. } => {}
            Phase::HalfOpen {
                in_flight,
                successes,
                ..
            } => {
                *in_flight = in_flight.saturating_sub(1);
                *successes = successes.saturating_add(1);
                if *successes >= needed {
                    self.close();
                }
            }
        }
    }

    /// Records that a request admitted earlier failed at `now` (count only
    /// failures of the origin: connection errors, 502/503/504, timeouts;
    /// not the client's own 4xx).
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Breaker, BreakerConfig, BreakerState};
    /// let mut b = Breaker::new(BreakerConfig { consecutive_failures: 3, ..Default::default() });
    /// (0..3).for_each(|t| b.record_failure(t));
    /// assert_eq!(b.state(), BreakerState::Open);
    /// ```
    pub fn record_failure(&mut self, now: u64) {
        match self.phase {
            Phase::Closed => {
                self.consecutive_failures = self.consecutive_failures.saturating_add(1);
                let threshold = self.config.consecutive_failures;
                let mut trip = threshold > 0 && self.consecutive_failures >= threshold;
                if let Some(ratio) = self.config.failure_ratio {
                    self.window.bump(ratio.window_ms, now, Counter::B);
                    let (ok, failed) = self.window.totals(ratio.window_ms, now);
                    let calls = ok.saturating_add(failed);
                    trip |= calls > 0
                        && calls >= u64::from(ratio.min_calls)
                        && u128::from(failed).saturating_mul(1000)
                            >= u128::from(ratio.permille).saturating_mul(u128::from(calls));
                }
                if trip {
                    self.open(now);
                }
            }
            Phase::Open { .. } => {}
            Phase::HalfOpen { .. } => {
                self.reopens = self.reopens.saturating_add(1);
                self.open(now);
            }
        }
    }

    /// Opens a Closed breaker at `now` on evidence gathered elsewhere (the
    /// [`Guard`](super::Guard)'s "many paths fail, nothing succeeds"). An Open
    /// or HalfOpen breaker is left as it is.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Breaker, BreakerConfig, BreakerState};
    /// let mut b = Breaker::new(BreakerConfig::default());
    /// b.trip(0);
    /// assert_eq!(b.state(), BreakerState::Open);
    /// ```
    pub fn trip(&mut self, now: u64) {
        if self.phase == Phase::Closed {
            self.open(now);
        }
    }

    /// While Open at `now` (the cool-down not over): the time left of it.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::{Breaker, BreakerConfig};
    /// let mut b = Breaker::new(BreakerConfig { consecutive_failures: 1, cool_down_ms: 100, ..Default::default() });
    /// assert_eq!(b.open_for(0), None);
    /// b.record_failure(0);
    /// assert_eq!(b.open_for(40), Some(Duration::from_millis(60)));
    /// assert_eq!(b.open_for(100), None);
    /// ```
    pub fn open_for(&self, now: u64) -> Option<Duration> {
        match self.phase {
            Phase::Open { until_ms } if now < until_ms => {
                Some(Duration::from_millis(until_ms.saturating_sub(now)))
            }
            _ => None,
        }
    }

    /// While Open (whether or not the cool-down is over at some `now`): the
    /// moment the cool-down ends.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Breaker, BreakerConfig};
    /// let mut b = Breaker::new(BreakerConfig { consecutive_failures: 1, cool_down_ms: 100, ..Default::default() });
    /// b.record_failure(5);
    /// assert_eq!(b.cool_down_ends(), Some(105));
    /// ```
    pub fn cool_down_ends(&self) -> Option<u64> {
        match self.phase {
            Phase::Open { until_ms } => Some(until_ms),
            _ => None,
        }
    }

    /// Gives back a HalfOpen probe slot whose request ended without saying
    /// anything about the origin (the client's own failure): the next
    /// request may probe at once.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Admission, Breaker, BreakerConfig};
    /// let mut b = Breaker::new(BreakerConfig { consecutive_failures: 1, cool_down_ms: 10, ..Default::default() });
    /// b.record_failure(0);
    /// assert_eq!(b.allow(10), Admission::Probe);
    /// assert!(!b.allow(11).is_allowed());
    /// b.release_probe();
    /// assert_eq!(b.allow(12), Admission::Probe);
    /// ```
    pub fn release_probe(&mut self) {
        if let Phase::HalfOpen { in_flight, .. } = &mut self.phase {
            *in_flight = in_flight.saturating_sub(1);
        }
    }

    /// The cool-down of the next opening: `cool_down × growth^reopens`, capped.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::{Breaker, BreakerConfig};
    /// let b = Breaker::new(BreakerConfig::default());
    /// assert_eq!(b.next_cool_down(), Duration::from_secs(5));
    /// ```
    pub fn next_cool_down(&self) -> Duration {
        Duration::from_millis(self.cool_down_ms())
    }

    fn cool_down_ms(&self) -> u64 {
        let growth = u64::from(self.config.cool_down_growth.max(1));
        let grown = growth
            .checked_pow(self.reopens)
            .and_then(|factor| self.config.cool_down_ms.checked_mul(factor))
            .unwrap_or(u64::MAX);
        grown.min(self.config.max_cool_down_ms.max(self.config.cool_down_ms))
    }

    fn open(&mut self, now: u64) {
        self.phase = Phase::Open {
            until_ms: now.saturating_add(self.cool_down_ms()),
        };
        self.consecutive_failures = 0;
        self.window.clear();
    }

    fn close(&mut self) {
        self.phase = Phase::Closed;
        self.consecutive_failures = 0;
        self.reopens = 0;
        self.window.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio_only() -> BreakerConfig {
        BreakerConfig {
            consecutive_failures: 0,
            failure_ratio: Some(FailureRatio {
                permille: 500,
                min_calls: 4,
                window_ms: 1_000,
            }),
            ..BreakerConfig::default()
        }
    }

    #[test]
    fn failure_ratio_trips_only_with_enough_calls() {
        let mut b = Breaker::new(ratio_only());
        b.record_failure(0);
        b.record_success(1);
        b.record_failure(2);
        assert_eq!(b.state(), BreakerState::Closed); // 2 of 3: too few calls
        b.record_success(3);
        assert_eq!(b.state(), BreakerState::Closed); // successes never trip
        b.record_failure(4); // 3 of 5 = 600 ‰ ≥ 500 ‰
        assert_eq!(b.state(), BreakerState::Open);
    }

    #[test]
    fn old_outcomes_leave_the_ratio_window() {
        let mut b = Breaker::new(ratio_only());
        for t in 0..3 {
            b.record_failure(t);
        }
        for t in 0..3 {
            b.record_success(1_000 + t);
        }
        b.record_failure(1_050); // the three old failures are out: 1 of 4
        assert_eq!(b.state(), BreakerState::Closed);
    }

    #[test]
    fn cool_down_grows_and_is_capped() {
        let mut b = Breaker::new(BreakerConfig {
            consecutive_failures: 1,
            cool_down_ms: 100,
            cool_down_growth: 3,
            max_cool_down_ms: 1_000,
            ..BreakerConfig::default()
        });
        b.record_failure(0);
        let mut now = 0;
        let mut cool_downs = Vec::new();
        for _ in 0..5 {
            let Admission::Rejected { retry_in } = b.allow(now) else {
                panic!("breaker should be open");
            };
            cool_downs.push(retry_in.as_millis());
            now += retry_in.as_millis() as u64;
            assert_eq!(b.allow(now), Admission::Probe);
            b.record_failure(now);
        }
        assert_eq!(cool_downs, [100, 300, 900, 1_000, 1_000]);
        assert_eq!(b.allow(now + 1_000), Admission::Probe);
        b.record_success(now + 1_000);
        assert_eq!(b.next_cool_down(), Duration::from_millis(100));
    }

    #[test]
    fn hostile_config_never_panics() {
        let mut b = Breaker::new(BreakerConfig {
            consecutive_failures: 1,
            failure_ratio: Some(FailureRatio {
                permille: u32::MAX,
                min_calls: 0,
                window_ms: 0,
            }),
            cool_down_ms: u64::MAX,
            cool_down_growth: 0,
            max_cool_down_ms: 0,
            half_open_probes: 0,
            probe_timeout_ms: u64::MAX,
            successes_to_close: 0,
        });
        b.record_failure(0);
        assert_eq!(
            b.allow(5),
            Admission::Rejected {
                retry_in: Duration::from_millis(u64::MAX - 5)
            }
        );
        assert_eq!(b.allow(u64::MAX), Admission::Probe);
        b.record_failure(u64::MAX);
        assert_eq!(b.state(), BreakerState::Open);
        assert!(!b.allow(0).is_allowed());
        b.record_success(0);
        assert_eq!(b.state(), BreakerState::Open);
    }

    #[test]
    fn state_names_are_stable() {
        let names: Vec<&str> = BreakerState::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(names, ["closed", "open", "half_open"]);
    }
}
