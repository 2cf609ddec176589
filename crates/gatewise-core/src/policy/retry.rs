//! Whether to try a failed request again, and after how long.
//!
//! [`RetryPolicy::decide`] applies, in this order:
//!
//! 1. the failure must be transient ([`Diagnosis::retryable`]), else
//!    [`Reason::NotRetryable`];
//! 2. an attempt budget ([`RetryPolicy::max_attempts`]), else
//!    [`Reason::AttemptsExhausted`];
//! 3. idempotency (RFC 9110 §9.2.2): an idempotent method (GET, HEAD,
//!    OPTIONS, TRACE, PUT, DELETE, and the idempotent WebDAV methods of
//!    [`METHODS`]) may be retried whenever the failure is transient; any
//!    other method (POST, PATCH, LOCK, CONNECT, unknown or lowercase tokens)
//!    only when the request cannot have reached the origin
//!    ([`Reached::No`]): never a second POST when the
//!    first may have arrived ([`Reason::MayHaveReachedOrigin`],
//!    [`Reason::NotIdempotent`]);
//! 4. a request body is sent again only when the caller kept it
//!    (`body_replayable`), else [`Reason::BodyNotReplayable`];
//! 5. the wait: the origin's `Retry-After` ([`Diagnosis::retry_after`]) when
//!    present and not above [`RetryPolicy::max_retry_after`] (above it:
//!    give up or cap, per [`OverMax`]); otherwise [`Backoff`] with full jitter.
//!
//! Across requests, [`RetryDecision::charge`] spends a token of a shared
//! [`RetryBudget`] so that a dead origin is not hammered
//! ([`Reason::BudgetExhausted`]).
//!
//! Method tokens are case-sensitive (RFC 9110 §9.1): `get` is not `GET`, and
//! is treated like any unknown method (not idempotent), which is the safe side.
//!
//! # Example
//! ```
//! use gatewise_core::policy::{Reason, RetryDecision, RetryPolicy, SplitMix64};
//! use gatewise_core::{Diagnosis, ErrorType, Layer};
//! let policy = RetryPolicy::default();
//! let mut rng = SplitMix64::new(42);
//!
//! // Nothing listened: the POST never left, so it may be sent again.
//! let refused = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
//! assert!(policy.decide("POST", &refused, 1, true, &mut rng).is_retry());
//!
//! // The origin may have received the POST before the timeout: never twice.
//! let timeout = Diagnosis::for_type(ErrorType::HttpResponseTimeout, Layer::Nginx);
//! assert_eq!(
//!     policy.decide("POST", &timeout, 1, true, &mut rng),
//!     RetryDecision::DontRetry(Reason::MayHaveReachedOrigin)
//! );
//! assert!(policy.decide("GET", &timeout, 1, true, &mut rng).is_retry());
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::diagnosis::Diagnosis;
use crate::hop::{named_enum, Reached};

use super::backoff::{millis, Backoff};
use super::budget::RetryBudget;
use super::rng::SplitMix64;

/// Static facts about one HTTP request method.
///
/// # Example
/// ```
/// use gatewise_core::policy::retry::method_info;
/// let patch = method_info("PATCH").unwrap();
/// assert!(!patch.safe && !patch.idempotent);
/// assert_eq!(patch.source, "RFC 5789 §2");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MethodInfo {
    /// The method token, e.g. `GET` (case-sensitive).
    pub name: &'static str,
    /// Safe: read-only by definition (RFC 9110 §9.2.1).
    pub safe: bool,
    /// Idempotent: sending it twice has the same intended effect as once (RFC 9110 §9.2.2).
    pub idempotent: bool,
    /// Where the method and its properties are defined.
    pub source: &'static str,
}

macro_rules! methods {
    ($( $name:literal, safe: $safe:literal, idempotent: $idem:literal, source: $src:literal; )+) => {
        /// Request methods with their safety and idempotency, per the IANA
        /// HTTP Method Registry (RFC 9110 §18.2, RFC 7237). A method not in
        /// this table is treated as neither safe nor idempotent.
        ///
        /// # Example
        /// ```
        /// use gatewise_core::policy::METHODS;
        /// assert!(METHODS.iter().any(|m| m.name == "OPTIONS" && m.safe));
        /// assert!(METHODS.iter().all(|m| !m.safe || m.idempotent));
        /// ```
        pub const METHODS: &[MethodInfo] = &[
            $( MethodInfo { name: $name, safe: $safe, idempotent: $idem, source: $src }, )+
        ];
    };
}

methods! {
    "GET", safe: true, idempotent: true, source: "RFC 9110 §9.3.1";
    "HEAD", safe: true, idempotent: true, source: "RFC 9110 §9.3.2";
    "POST", safe: false, idempotent: false, source: "RFC 9110 §9.3.3";
    "PUT", safe: false, idempotent: true, source: "RFC 9110 §9.3.4";
    "DELETE", safe: false, idempotent: true, source: "RFC 9110 §9.3.5";
    "CONNECT", safe: false, idempotent: false, source: "RFC 9110 §9.3.6";
    "OPTIONS", safe: true, idempotent: true, source: "RFC 9110 §9.3.7";
    "TRACE", safe: true, idempotent: true, source: "RFC 9110 §9.3.8";
    "PATCH", safe: false, idempotent: false, source: "RFC 5789 §2";
    "PROPFIND", safe: true, idempotent: true, source: "RFC 4918 §9.1; RFC 7237";
    "PROPPATCH", safe: false, idempotent: true, source: "RFC 4918 §9.2; RFC 7237";
    "MKCOL", safe: false, idempotent: true, source: "RFC 4918 §9.3; RFC 7237";
    "COPY", safe: false, idempotent: true, source: "RFC 4918 §9.8; RFC 7237";
    "MOVE", safe: false, idempotent: true, source: "RFC 4918 §9.9; RFC 7237";
    "LOCK", safe: false, idempotent: false, source: "RFC 4918 §9.10; RFC 7237";
    "UNLOCK", safe: false, idempotent: true, source: "RFC 4918 §9.11; RFC 7237";
}

/// The facts of a method token, if it is in [`METHODS`] (case-sensitive).
///
/// # Example
/// ```
/// use gatewise_core::policy::retry::method_info;
/// let put = method_info("PUT").unwrap();
/// assert!(put.idempotent && !put.safe);
/// assert!(method_info("put").is_none());
/// ```
pub fn method_info(method: &str) -> Option<&'static MethodInfo> {
    METHODS.iter().find(|m| m.name == method)
}

/// Whether a method is idempotent (RFC 9110 §9.2.2). Unknown methods are not.
///
/// # Example
/// ```
/// use gatewise_core::policy::retry::is_idempotent;
/// assert!(is_idempotent("DELETE"));
/// assert!(!is_idempotent("POST"));
/// assert!(!is_idempotent("BREW"));
/// ```
pub fn is_idempotent(method: &str) -> bool {
    method_info(method).is_some_and(|m| m.idempotent)
}

named_enum! {
    /// Why a request is not tried again. Stable snake_case names for logs and catalogs.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::Reason;
    /// assert_eq!(Reason::MayHaveReachedOrigin.name(), "may_have_reached_origin");
    /// ```
    Reason {
        /// The failure is not transient (e.g. a certificate error): trying again gives the same result.
        NotRetryable = "not_retryable",
        /// The request has used all its attempts ([`RetryPolicy::max_attempts`]).
        AttemptsExhausted = "attempts_exhausted",
        /// The method is not idempotent and the origin received the request.
        NotIdempotent = "not_idempotent",
        /// The method is not idempotent and the origin may have received the request.
        MayHaveReachedOrigin = "may_have_reached_origin",
        /// The request had a body that was streamed away and cannot be sent again.
        BodyNotReplayable = "body_not_replayable",
        /// The origin asked to wait longer than [`RetryPolicy::max_retry_after`].
        RetryAfterTooLong = "retry_after_too_long",
        /// The shared retry budget is spent: too many retries lately.
        BudgetExhausted = "budget_exhausted",
        /// The wait and a useful attempt no longer fit in what is left of the
        /// visit's time limit ([`Deadline`](super::Deadline)).
        DeadlineExceeded = "deadline_exceeded",
    }
}

named_enum! {
    /// Where the wait of a retry came from.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::WaitSource;
    /// assert_eq!(WaitSource::RetryAfter.to_string(), "retry_after");
    /// ```
    WaitSource {
        /// Exponential backoff with full jitter.
        Backoff = "backoff",
        /// The origin's `Retry-After`, honoured exactly.
        RetryAfter = "retry_after",
        /// The origin's `Retry-After`, cut down to [`RetryPolicy::max_retry_after`].
        RetryAfterCapped = "retry_after_capped",
    }
}

named_enum! {
    /// What to do when `Retry-After` asks for a longer wait than [`RetryPolicy::max_retry_after`].
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{OverMax, RetryPolicy};
    /// let polite = RetryPolicy { over_max: OverMax::GiveUp, ..RetryPolicy::default() };
    /// assert_eq!(polite.over_max.name(), "give_up");
    /// ```
    OverMax {
        /// Do not retry ([`Reason::RetryAfterTooLong`]); pass the `Retry-After` on to the client instead.
        GiveUp = "give_up",
        /// Retry after [`RetryPolicy::max_retry_after`] (sooner than the origin asked).
        Cap = "cap",
    }
}

/// The outcome of [`RetryPolicy::decide`].
///
/// # Example
/// ```
/// use gatewise_core::policy::{RetryPolicy, SplitMix64};
/// use gatewise_core::{Diagnosis, ErrorType, Layer};
/// let d = Diagnosis::for_type(ErrorType::TlsCertificateError, Layer::Nginx);
/// let decision = RetryPolicy::default().decide("GET", &d, 1, true, &mut SplitMix64::new(0));
/// assert_eq!(decision.reason().map(|r| r.name()), Some("not_retryable"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryDecision {
    /// Try again after waiting `after`.
    Retry {
        /// How long to wait first.
        after: Duration,
        /// Where the wait came from.
        source: WaitSource,
    },
    /// Do not try again, for this reason.
    DontRetry(Reason),
}

impl RetryDecision {
    /// Whether the decision is to retry.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Reason, RetryDecision};
    /// assert!(!RetryDecision::DontRetry(Reason::NotRetryable).is_retry());
    /// ```
    pub fn is_retry(&self) -> bool {
        matches!(self, RetryDecision::Retry { .. })
    }

    /// The wait, when the decision is to retry.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::{RetryDecision, WaitSource};
    /// let d = RetryDecision::Retry { after: Duration::from_secs(2), source: WaitSource::RetryAfter };
    /// assert_eq!(d.after(), Some(Duration::from_secs(2)));
    /// ```
    pub fn after(&self) -> Option<Duration> {
        match self {
            RetryDecision::Retry { after, .. } => Some(*after),
            RetryDecision::DontRetry(_) => None,
        }
    }

    /// The reason, when the decision is not to retry.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Reason, RetryDecision};
    /// let d = RetryDecision::DontRetry(Reason::BodyNotReplayable);
    /// assert_eq!(d.reason(), Some(Reason::BodyNotReplayable));
    /// ```
    pub fn reason(&self) -> Option<Reason> {
        match self {
            RetryDecision::Retry { .. } => None,
            RetryDecision::DontRetry(r) => Some(*r),
        }
    }

    /// Pays for a retry from the shared `budget` at `now_ms` (milliseconds on
    /// any monotonic clock). A retry becomes
    /// [`DontRetry(BudgetExhausted)`](Reason::BudgetExhausted) when the
    /// budget is empty; a refusal is returned unchanged and costs nothing.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::{Reason, RetryBudget, RetryDecision, WaitSource};
    /// // No free retries and no requests deposited yet: the budget is empty.
    /// let mut budget = RetryBudget::new(Duration::from_secs(10), 0, 200);
    /// let retry = RetryDecision::Retry { after: Duration::ZERO, source: WaitSource::Backoff };
    /// assert_eq!(retry.charge(&mut budget, 0), RetryDecision::DontRetry(Reason::BudgetExhausted));
    /// ```
    pub fn charge(self, budget: &mut RetryBudget, now_ms: u64) -> RetryDecision {
        match self {
            RetryDecision::Retry { .. } if !budget.try_withdraw(now_ms) => {
                RetryDecision::DontRetry(Reason::BudgetExhausted)
            }
            other => other,
        }
    }
}

/// The rules for retrying one request.
///
/// # Example
/// ```
/// use std::time::Duration;
/// use gatewise_core::policy::{Backoff, OverMax, RetryPolicy};
/// let patient = RetryPolicy {
///     max_attempts: 5,
///     backoff: Backoff::new(Duration::from_millis(250), Duration::from_secs(8)),
///     max_retry_after: Duration::from_secs(60),
///     over_max: OverMax::Cap,
/// };
/// assert_eq!(patient.backoff.ceiling(4), Duration::from_secs(4));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RetryPolicy {
    /// Attempts allowed in total, the first one included (3 = the first try and two retries).
    pub max_attempts: u32,
    /// The wait when the origin gave no `Retry-After`.
    pub backoff: Backoff,
    /// The longest `Retry-After` honoured.
    pub max_retry_after: Duration,
    /// What to do with a longer `Retry-After`.
    pub over_max: OverMax,
}

impl Default for RetryPolicy {
    /// Three attempts, [`Backoff::default`], `Retry-After` honoured up to
    /// 10 s, longer ones given up on (passed on to the client).
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{OverMax, RetryPolicy};
    /// let p = RetryPolicy::default();
    /// assert_eq!((p.max_attempts, p.over_max), (3, OverMax::GiveUp));
    /// ```
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            backoff: Backoff::default(),
            max_retry_after: Duration::from_secs(10),
            over_max: OverMax::GiveUp,
        }
    }
}

impl RetryPolicy {
    /// Whether and when to try again after the failure `diagnosis` of a
    /// `method` request.
    ///
    /// - `attempt`: how many attempts have been made, the failed one
    ///   included (1 after the first failure; 0 is read as 1).
    /// - `body_replayable`: `true` when the request has no body, or the
    ///   caller kept a copy of it; `false` when it was streamed away.
    /// - `rng`: the jitter source (only drawn from for a backoff wait).
    ///
    /// See the [module documentation](self) for the order of the rules.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::{Reason, RetryDecision, RetryPolicy, SplitMix64, WaitSource};
    /// use gatewise_core::{Diagnosis, ErrorType, Layer};
    /// let policy = RetryPolicy::default();
    /// let mut rng = SplitMix64::new(1);
    /// let mut busy = Diagnosis::for_status(503, Layer::OriginApp);
    /// busy.retry_after = Some(2);
    /// assert_eq!(
    ///     policy.decide("GET", &busy, 1, true, &mut rng),
    ///     RetryDecision::Retry { after: Duration::from_secs(2), source: WaitSource::RetryAfter }
    /// );
    /// assert_eq!(
    ///     policy.decide("GET", &busy, 3, true, &mut rng),
    ///     RetryDecision::DontRetry(Reason::AttemptsExhausted)
    /// );
    /// ```
    pub fn decide(
        &self,
        method: &str,
        diagnosis: &Diagnosis,
        attempt: u32,
        body_replayable: bool,
        rng: &mut SplitMix64,
    ) -> RetryDecision {
        match self.check(method, diagnosis, attempt, body_replayable) {
            Err(reason) => RetryDecision::DontRetry(reason),
            Ok(()) => self.wait(diagnosis, attempt, rng),
        }
    }

    fn check(
        &self,
        method: &str,
        diagnosis: &Diagnosis,
        attempt: u32,
        body_replayable: bool,
    ) -> Result<(), Reason> {
        if !diagnosis.retryable {
            return Err(Reason::NotRetryable);
        }
        if attempt.max(1) >= self.max_attempts {
            return Err(Reason::AttemptsExhausted);
        }
        if !is_idempotent(method) {
            match diagnosis.reached {
                Reached::No => {}
                Reached::Maybe => return Err(Reason::MayHaveReachedOrigin),
                Reached::Yes => return Err(Reason::NotIdempotent),
            }
        }
        if !body_replayable {
            return Err(Reason::BodyNotReplayable);
        }
        Ok(())
    }

    fn wait(&self, diagnosis: &Diagnosis, attempt: u32, rng: &mut SplitMix64) -> RetryDecision {
        let Some(secs) = diagnosis.retry_after else {
            let n = attempt.saturating_sub(1);
            return RetryDecision::Retry {
                after: self.backoff.delay(n, rng),
                source: WaitSource::Backoff,
            };
        };
        let asked = Duration::from_secs(u64::from(secs));
        if millis(asked) <= millis(self.max_retry_after) {
            return RetryDecision::Retry {
                after: asked,
                source: WaitSource::RetryAfter,
            };
        }
        match self.over_max {
            OverMax::GiveUp => RetryDecision::DontRetry(Reason::RetryAfterTooLong),
            OverMax::Cap => RetryDecision::Retry {
                after: self.max_retry_after,
                source: WaitSource::RetryAfterCapped,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Layer, ERROR_TYPES};

    #[test]
    fn method_table_matches_rfc_9110_idempotent_set() {
        let idempotent: Vec<&str> = METHODS
            .iter()
            .filter(|m| m.idempotent && m.source.starts_with("RFC 9110"))
            .map(|m| m.name)
            .collect();
        assert_eq!(
            idempotent,
            ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]
        );
        for m in METHODS {
            // RFC 9110 §9.2.2: every safe method is idempotent.
            assert!(!m.safe || m.idempotent, "{}", m.name);
            assert_eq!(method_info(m.name), Some(m));
            assert!(m.name.bytes().all(|b| b.is_ascii_uppercase()));
        }
    }

    #[test]
    fn every_error_type_follows_the_rules_for_post_and_get() {
        let p = RetryPolicy::default();
        let mut rng = SplitMix64::new(3);
        for (t, info) in ERROR_TYPES {
            let d = Diagnosis::for_type(*t, Layer::Nginx);
            let get = p.decide("GET", &d, 1, true, &mut rng);
            let post = p.decide("POST", &d, 1, true, &mut rng);
            if !info.temporary {
                assert_eq!(get, RetryDecision::DontRetry(Reason::NotRetryable), "{t}");
                assert_eq!(post, RetryDecision::DontRetry(Reason::NotRetryable), "{t}");
                continue;
            }
            assert!(get.is_retry(), "{t}");
            let want_post = match info.reached {
                Reached::No => None,
                Reached::Maybe => Some(Reason::MayHaveReachedOrigin),
                Reached::Yes => Some(Reason::NotIdempotent),
            };
            assert_eq!(post.reason(), want_post, "{t}");
        }
    }

    #[test]
    fn retry_after_over_the_max_gives_up_or_caps() {
        let mut d = Diagnosis::for_status(503, Layer::OriginApp);
        d.retry_after = Some(11);
        let mut rng = SplitMix64::new(0);
        let give_up = RetryPolicy::default();
        assert_eq!(
            give_up.decide("GET", &d, 1, true, &mut rng),
            RetryDecision::DontRetry(Reason::RetryAfterTooLong)
        );
        let cap = RetryPolicy {
            over_max: OverMax::Cap,
            ..RetryPolicy::default()
        };
        assert_eq!(
            cap.decide("GET", &d, 1, true, &mut rng),
            RetryDecision::Retry {
                after: Duration::from_secs(10),
                source: WaitSource::RetryAfterCapped
            }
        );
        d.retry_after = Some(10);
        assert_eq!(
            give_up.decide("GET", &d, 1, true, &mut rng).after(),
            Some(Duration::from_secs(10))
        );
    }

    #[test]
    fn reason_names_are_stable() {
        let names: Vec<&str> = Reason::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(
            names,
            [
                "not_retryable",
                "attempts_exhausted",
                "not_idempotent",
                "may_have_reached_origin",
                "body_not_replayable",
                "retry_after_too_long",
                "budget_exhausted",
                "deadline_exceeded"
            ]
        );
        let json = serde_json::to_string(&Reason::MayHaveReachedOrigin).unwrap_or_default();
        assert_eq!(json, "\"may_have_reached_origin\"");
    }
}
