//! A retry budget shared across requests, so that a dead origin is not
//! hammered by retries.
//!
//! The model is the token bucket of Finagle and tower's `TpsBudget`: every
//! request deposits a fraction of a token, every retry withdraws a whole
//! one, and a small reserve allows `min_per_sec` retries per second even
//! when there is little traffic. Deposits and withdrawals count only for
//! `ttl` (1 to 60 s), kept in ten time slots that slide with the clock.
//! With a ratio of 200 ‰, at most one retry per five requests is made
//! (plus the reserve), whatever the per-request [`RetryPolicy`](super::RetryPolicy)
//! allows.
//!
//! The clock is injected: every call takes `now_ms`, milliseconds on any
//! monotonic clock (e.g. `Date.now()` in a worker). A clock that goes
//! backwards never panics. The whole budget serializes (serde) so a worker
//! can keep it per isolate.
//!
//! # Example
//! ```
//! use std::time::Duration;
//! use gatewise_core::policy::RetryBudget;
//! // 10 s window, no free retries, one retry per 5 requests.
//! let mut budget = RetryBudget::new(Duration::from_secs(10), 0, 200);
//! for _ in 0..10 {
//!     budget.deposit(0);
//! }
//! assert_eq!(budget.available(0), 2);
//! assert!(budget.try_withdraw(0));
//! assert!(budget.try_withdraw(0));
//! assert!(!budget.try_withdraw(0));
//! // Ten seconds later the deposits and withdrawals have expired.
//! assert_eq!(budget.available(10_000), 0);
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::backoff::millis;
use super::window::{Counter, Window};

/// One milli-token per thousandth of a retry.
const TOKEN: i128 = 1_000;

/// A token bucket limiting retries to a ratio of requests over a sliding window.
///
/// # Example
/// ```
/// use std::time::Duration;
/// use gatewise_core::policy::RetryBudget;
/// let mut b = RetryBudget::new(Duration::from_secs(10), 1, 100);
/// // 1 retry per second over 10 s is always available.
/// assert_eq!((0..50).filter(|_| b.try_withdraw(0)).count(), 10);
/// let json = serde_json::to_string(&b).unwrap();
/// let back: RetryBudget = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, b);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RetryBudget {
    ttl_ms: u64,
    min_per_sec: u32,
    retry_permille: u32,
    /// Deposits (A) and withdrawals (B).
    window: Window,
}

impl Default for RetryBudget {
    /// tower's defaults: a 10 s window, 10 retries per second, 20 % of requests.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::RetryBudget;
    /// assert_eq!(RetryBudget::default().available(0), 100);
    /// ```
    fn default() -> Self {
        RetryBudget::new(Duration::from_secs(10), 10, 200)
    }
}

impl RetryBudget {
    /// A budget where each deposit counts for `ttl` (clamped to 1..=60 s),
    /// `min_per_sec` retries per second are always allowed, and each request
    /// allows `retry_permille` thousandths of a retry (200 = 20 %; at most
    /// 1,000,000 = 1000 retries per request).
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::RetryBudget;
    /// let b = RetryBudget::new(Duration::from_secs(5), 2, 100);
    /// assert_eq!(b.available(0), 10); // 2 per second over 5 s
    /// assert_eq!(b.ttl(), Duration::from_secs(5));
    /// ```
    pub fn new(ttl: Duration, min_per_sec: u32, retry_permille: u32) -> Self {
        RetryBudget {
            ttl_ms: millis(ttl).clamp(1_000, 60_000),
            min_per_sec,
            retry_permille: retry_permille.min(1_000_000),
            window: Window::default(),
        }
    }

    /// How long a deposit or withdrawal counts.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::RetryBudget;
    /// assert_eq!(RetryBudget::new(Duration::ZERO, 0, 0).ttl(), Duration::from_secs(1));
    /// ```
    pub fn ttl(&self) -> Duration {
        Duration::from_millis(self.ttl_ms)
    }

    /// Records a request (call once per original request, not per retry).
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::RetryBudget;
    /// let mut b = RetryBudget::new(Duration::from_secs(1), 0, 1_000);
    /// b.deposit(0);
    /// assert_eq!(b.available(0), 1);
    /// ```
    pub fn deposit(&mut self, now_ms: u64) {
        self.window.bump(self.ttl_ms, now_ms, Counter::A);
    }

    /// Takes one retry from the budget; `false` (and nothing taken) when
    /// the budget is empty.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::RetryBudget;
    /// let mut b = RetryBudget::new(Duration::from_secs(1), 1, 0);
    /// assert!(b.try_withdraw(0));
    /// assert!(!b.try_withdraw(0));
    /// ```
    pub fn try_withdraw(&mut self, now_ms: u64) -> bool {
        if self.balance(now_ms) < TOKEN {
            return false;
        }
        self.window.bump(self.ttl_ms, now_ms, Counter::B);
        true
    }

    /// Whole retries available at `now_ms`.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::RetryBudget;
    /// let mut b = RetryBudget::default();
    /// b.try_withdraw(0);
    /// assert_eq!(b.available(0), 99);
    /// ```
    pub fn available(&self, now_ms: u64) -> u64 {
        u64::try_from(self.balance(now_ms).max(0) / TOKEN).unwrap_or(u64::MAX)
    }

    /// Balance in thousandths of a retry.
    fn balance(&self, now_ms: u64) -> i128 {
        let (deposits, withdrawals) = self.window.totals(self.ttl_ms, now_ms);
        let reserve = i128::from(self.min_per_sec).saturating_mul(i128::from(self.ttl_ms));
        reserve
            .saturating_add(i128::from(deposits).saturating_mul(i128::from(self.retry_permille)))
            .saturating_sub(i128::from(withdrawals).saturating_mul(TOKEN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserve_alone_allows_min_per_sec_times_ttl() {
        let mut b = RetryBudget::new(Duration::from_secs(10), 3, 0);
        let granted = (0..100).filter(|_| b.try_withdraw(500)).count();
        assert_eq!(granted, 30);
    }

    #[test]
    fn withdrawals_expire_with_the_window() {
        let mut b = RetryBudget::new(Duration::from_secs(10), 1, 0);
        assert_eq!((0..20).filter(|_| b.try_withdraw(0)).count(), 10);
        // Slot 0 covers 0..1000 ms; it leaves the window at 10,000 ms.
        assert_eq!(b.available(9_999), 0);
        assert_eq!(b.available(10_000), 10);
    }

    #[test]
    fn ratio_is_exact_in_thousandths() {
        let mut b = RetryBudget::new(Duration::from_secs(10), 0, 250);
        for i in 0..3 {
            b.deposit(i * 1000);
        }
        assert_eq!(b.available(3_000), 0); // 750 milli-retries
        b.deposit(3_000);
        assert_eq!(b.available(3_000), 1);
    }

    #[test]
    fn clock_going_backwards_does_not_panic() {
        let mut b = RetryBudget::default();
        b.deposit(1_000_000);
        b.deposit(5);
        assert!(b.try_withdraw(0));
        assert!(b.available(u64::MAX) > 0);
    }

    #[test]
    fn state_round_trips_through_json() {
        let mut b = RetryBudget::default();
        b.deposit(1_234);
        b.try_withdraw(1_300);
        let json = serde_json::to_string(&b).unwrap_or_default();
        let back: Result<RetryBudget, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(b));
        assert!(json.contains("\"ttlMs\":10000"));
    }
}
