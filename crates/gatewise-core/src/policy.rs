//! Retry policy, backoff with jitter, `Retry-After`, circuit breaker. All
//! pure: no clock is read and no randomness is drawn from the system; time
//! (`now`) and the random generator are always passed in, so every outcome
//! is reproducible and the code runs unchanged on `wasm32-unknown-unknown`.
//!
//! - [`retry`]: whether a failed request may be tried again
//!   ([`RetryPolicy::decide`]), following RFC 9110 idempotency and whether
//!   the request can have reached the origin ([`crate::Reached`]).
//! - [`budget`]: a retry budget across requests ([`RetryBudget`]).
//! - [`backoff`]: exponential backoff with full jitter ([`Backoff`]) and a
//!   fixed auto-reload [`Schedule`] like Chromium's error page.
//! - [`retry_after`]: parse and write `Retry-After`.
//! - [`breaker`]: a circuit breaker ([`Breaker`]).
//! - [`attribution`]: who a failure is counted against ([`attribute`], [`Blame`]).
//! - [`guard`]: the origin's and each path's breakers, fed with attributed
//!   failures ([`Guard`]).
//! - [`deadline`]: one time limit for a whole visit, retries and waits
//!   included ([`Deadline`]).
//! - [`rng`]: the seedable generator behind the jitter ([`SplitMix64`]).
//!
//! # Example
//! ```
//! use std::time::Duration;
//! use gatewise_core::policy::{retry_after, Admission, Breaker, BreakerConfig, RetryBudget,
//!     RetryPolicy, SplitMix64};
//! use gatewise_core::{Diagnosis, ErrorType, Layer};
//!
//! let policy = RetryPolicy::default();
//! let mut budget = RetryBudget::default();
//! let mut breaker = Breaker::new(BreakerConfig::default());
//! let mut rng = SplitMix64::new(42);
//! let now_ms = 1_000;
//!
//! budget.deposit(now_ms);
//! assert_eq!(breaker.allow(now_ms), Admission::Allowed);
//!
//! // The origin answered 503 with `Retry-After: 2`.
//! let mut d = Diagnosis::for_status(503, Layer::OriginApp);
//! d.retry_after = retry_after::parse("2", now_ms / 1000);
//! breaker.record_failure(now_ms);
//! let decision = policy.decide("GET", &d, 1, true, &mut rng).charge(&mut budget, now_ms);
//! assert_eq!(decision.after(), Some(Duration::from_secs(2)));
//! ```

pub mod attribution;
pub mod backoff;
pub mod breaker;
pub mod budget;
pub mod deadline;
pub mod guard;
mod path_table;
pub mod retry;
pub mod retry_after;
pub mod rng;
mod window;

pub use attribution::{attribute, AttributionRow, Blame};
pub use backoff::{Backoff, Schedule, CHROME_AUTO_RELOAD_MS, CHROME_LEGACY_AUTO_RELOAD_MS};
pub use breaker::{Admission, Breaker, BreakerConfig, BreakerState, FailureRatio};
pub use budget::RetryBudget;
pub use deadline::Deadline;
pub use guard::{Guard, GuardConfig, OriginEvent, Rejection, Scope, Ticket, VisitOutcome};
pub use path_table::{path_key, MAX_KEY};
pub use retry::{MethodInfo, OverMax, Reason, RetryDecision, RetryPolicy, WaitSource, METHODS};
pub use retry_after::RetryAfter;
pub use rng::SplitMix64;
