//! One time limit for a whole visit — Envoy's *route timeout* beside its
//! *per-try timeout* (<https://www.envoyproxy.io/docs/envoy/latest/faq/configuration/timeouts>):
//! every attempt gets at most its own limit and at most what is left of the
//! visit's; a retry, and the wait before it (backoff or the origin's
//! `Retry-After`), happen only when they fit in what is left.
//!
//! # Example
//! ```
//! use std::time::Duration;
//! use gatewise_core::policy::{Deadline, Reason, RetryDecision, WaitSource};
//! let d = Deadline::new(1_000, 2_000); // a visit that started at 1 000 ms, 2 s in all
//! assert_eq!(d.attempt_timeout_ms(1_500, 1_000), 1_500);
//! assert_eq!(d.attempt_timeout_ms(1_500, 2_600), 400); // only 400 ms left
//! assert_eq!(d.remaining_ms(3_000), Some(0));
//! // The origin asks for 5 s: that does not fit, the visitor gets the answer now.
//! let wait = RetryDecision::Retry { after: Duration::from_secs(5), source: WaitSource::RetryAfter };
//! assert_eq!(d.bound(wait, 1_200), RetryDecision::DontRetry(Reason::DeadlineExceeded));
//! let quick = RetryDecision::Retry { after: Duration::from_millis(50), source: WaitSource::Backoff };
//! assert_eq!(d.bound(quick, 1_200), quick);
//! assert_eq!(Deadline::none().remaining_ms(u64::MAX), None);
//! ```

use super::retry::{Reason, RetryDecision};

/// The least time an attempt must have after its wait for a retry to be worth making, in ms.
pub const MIN_ATTEMPT_MS: u64 = 100;

/// When a visit must be answered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Deadline {
    /// The moment (ms), `None` for no limit.
    at_ms: Option<u64>,
}

impl Deadline {
    /// A visit that started at `start_ms` and may last `total_ms` (0: no limit).
    pub fn new(start_ms: u64, total_ms: u32) -> Self {
        Deadline {
            at_ms: (total_ms > 0).then(|| start_ms.saturating_add(u64::from(total_ms))),
        }
    }

    /// No limit.
    pub fn none() -> Self {
        Deadline { at_ms: None }
    }

    /// The moment, if any.
    pub fn at_ms(&self) -> Option<u64> {
        self.at_ms
    }

    /// What is left at `now` (`None`: no limit; `Some(0)`: none left).
    pub fn remaining_ms(&self, now: u64) -> Option<u64> {
        self.at_ms.map(|at| at.saturating_sub(now))
    }

    /// The time limit of an attempt starting at `now` whose own limit is
    /// `per_try_ms` (0: none): the smaller of the two, at least 1 ms while a
    /// limit applies (0: no limit at all).
    pub fn attempt_timeout_ms(&self, per_try_ms: u32, now: u64) -> u32 {
        match self.remaining_ms(now) {
            None => per_try_ms,
            Some(left) => {
                let left = u32::try_from(left).unwrap_or(u32::MAX).max(1);
                if per_try_ms == 0 {
                    left
                } else {
                    per_try_ms.min(left)
                }
            }
        }
    }

    /// `decision` kept only when its wait plus [`MIN_ATTEMPT_MS`] fits in
    /// what is left at `now`; else [`Reason::DeadlineExceeded`].
    pub fn bound(&self, decision: RetryDecision, now: u64) -> RetryDecision {
        match (decision.after(), self.remaining_ms(now)) {
            (Some(wait), Some(left)) => {
                let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                if wait_ms.saturating_add(MIN_ATTEMPT_MS) > left {
                    RetryDecision::DontRetry(Reason::DeadlineExceeded)
                } else {
                    decision
                }
            }
            _ => decision,
        }
    }
}
