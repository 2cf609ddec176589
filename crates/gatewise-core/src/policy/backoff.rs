//! How long to wait before trying again: exponential backoff with full
//! jitter for retries, and a fixed schedule for a page that reloads itself.
//!
//! [`Backoff`] follows "Exponential Backoff And Jitter" (Marc Brooker, AWS
//! Architecture Blog, 2015), *Full Jitter*:
//! `sleep = random_between(0, min(cap, base * 2^attempt))`. Full jitter
//! spreads the retries of many clients that failed at the same moment, so a
//! recovering origin is not hit by synchronized waves. The randomness comes
//! from a caller-seeded [`SplitMix64`], so sequences are reproducible.
//!
//! [`Schedule`] is a fixed list of delays that repeats its last step, like
//! the auto-reload of Chromium's network error page
//! ([`CHROME_AUTO_RELOAD_MS`]).
//!
//! Resolution is one millisecond (what `setTimeout` offers anyway).
//!
//! # Example
//! ```
//! use std::time::Duration;
//! use gatewise_core::policy::{Backoff, Schedule, SplitMix64};
//! let backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(5));
//! assert_eq!(backoff.ceiling(3), Duration::from_millis(800));
//! let mut rng = SplitMix64::new(42);
//! let wait = backoff.delay(3, &mut rng);
//! assert!(wait <= Duration::from_millis(800));
//!
//! let page = Schedule::chrome_like();
//! assert_eq!(page.delay(1), Duration::from_secs(5));
//! assert_eq!(page.delay(99), Duration::from_secs(30 * 60));
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::rng::SplitMix64;

/// Exponential backoff with full jitter: the `n`-th retry (counting from 0)
/// waits a uniformly random time in `0..=min(cap, base * 2^n)`.
///
/// # Example
/// ```
/// use std::time::Duration;
/// use gatewise_core::policy::Backoff;
/// let b = Backoff { base: Duration::from_millis(200), cap: Duration::from_secs(1) };
/// assert_eq!(b.ceiling(2), Duration::from_millis(800));
/// assert_eq!(b.ceiling(3), Duration::from_secs(1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Backoff {
    /// The ceiling of the first retry's wait (`n = 0`).
    pub base: Duration,
    /// No wait is ever longer than this.
    pub cap: Duration,
}

impl Default for Backoff {
    /// 100 ms base, 5 s cap: small enough to retry inside one request.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::Backoff;
    /// assert_eq!(Backoff::default().base, Duration::from_millis(100));
    /// assert_eq!(Backoff::default().cap, Duration::from_secs(5));
    /// ```
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(5),
        }
    }
}

/// Milliseconds of a duration, saturating at `u64::MAX`.
pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Backoff {
    /// Backoff starting at `base` and never exceeding `cap`.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::Backoff;
    /// let b = Backoff::new(Duration::from_millis(50), Duration::from_secs(1));
    /// assert_eq!(b.ceiling(0), Duration::from_millis(50));
    /// ```
    pub const fn new(base: Duration, cap: Duration) -> Self {
        Backoff { base, cap }
    }

    /// The longest wait of retry `n` (counting from 0): `min(cap, base * 2^n)`,
    /// without overflow for any `n`.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::Backoff;
    /// let b = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
    /// let ceilings: Vec<u128> = (0..7).map(|n| b.ceiling(n).as_millis()).collect();
    /// assert_eq!(ceilings, [100, 200, 400, 800, 1600, 2000, 2000]);
    /// assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(2));
    /// ```
    pub fn ceiling(&self, n: u32) -> Duration {
        Duration::from_millis(self.ceiling_ms(n))
    }

    fn ceiling_ms(&self, n: u32) -> u64 {
        let grown = 2u64
            .checked_pow(n)
            .and_then(|factor| millis(self.base).checked_mul(factor))
            .unwrap_or(u64::MAX);
        grown.min(millis(self.cap))
    }

    /// The wait before retry `n` (counting from 0): uniformly random in
    /// `0..=ceiling(n)` ("full jitter").
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::{Backoff, SplitMix64};
    /// let b = Backoff::default();
    /// let mut r1 = SplitMix64::new(42);
    /// let mut r2 = SplitMix64::new(42);
    /// let first: Vec<Duration> = (0..5).map(|n| b.delay(n, &mut r1)).collect();
    /// let again: Vec<Duration> = (0..5).map(|n| b.delay(n, &mut r2)).collect();
    /// assert_eq!(first, again);
    /// ```
    pub fn delay(&self, n: u32, rng: &mut SplitMix64) -> Duration {
        Duration::from_millis(rng.below_inclusive(self.ceiling_ms(n)))
    }
}

/// Chromium's auto-reload delays for its network error page, in
/// milliseconds: 1 s, 5 s, 30 s, 1 min, 5 min, 10 min, then every 30 min.
///
/// Source: Chromium `components/error_page/content/browser/net_error_auto_reloader.cc`,
/// `GetNextReloadDelay` (`kDelays`). Older Chromium
/// (`chrome/renderer/net/net_error_helper_core.cc`, `GetAutoReloadTime`)
/// started at 0 ms instead of 1 s: see [`CHROME_LEGACY_AUTO_RELOAD_MS`].
/// Chromium never auto-reloads a failed POST, a certificate error or a
/// blocked request.
///
/// # Example
/// ```
/// use gatewise_core::policy::CHROME_AUTO_RELOAD_MS;
/// assert_eq!(CHROME_AUTO_RELOAD_MS.first(), Some(&1_000));
/// assert_eq!(CHROME_AUTO_RELOAD_MS.last(), Some(&1_800_000));
/// ```
pub const CHROME_AUTO_RELOAD_MS: &[u64] =
    &[1_000, 5_000, 30_000, 60_000, 300_000, 600_000, 1_800_000];

/// The older Chromium schedule, starting with an immediate reload: 0, 5 s,
/// 30 s, 1 min, 5 min, 10 min, 30 min.
///
/// Source: Chromium `chrome/renderer/net/net_error_helper_core.cc`,
/// `GetAutoReloadTime` (`kDelaysMs`), also in iOS `auto_reload_controller.mm`.
///
/// # Example
/// ```
/// use gatewise_core::policy::CHROME_LEGACY_AUTO_RELOAD_MS;
/// assert_eq!(CHROME_LEGACY_AUTO_RELOAD_MS.first(), Some(&0));
/// ```
pub const CHROME_LEGACY_AUTO_RELOAD_MS: &[u64] =
    &[0, 5_000, 30_000, 60_000, 300_000, 600_000, 1_800_000];

/// A fixed list of delays; once past the end, the last delay repeats.
///
/// Serializes as a JSON array of milliseconds, ready for a page's script.
///
/// # Example
/// ```
/// use gatewise_core::policy::Schedule;
/// let s = Schedule::from_millis(&[0, 2_000]);
/// assert_eq!(serde_json::to_string(&s).unwrap(), "[0,2000]");
/// assert_eq!(s.delay(5).as_millis(), 2_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Schedule {
    delays_ms: Vec<u64>,
}

impl Schedule {
    /// Chromium's network-error-page auto-reload schedule ([`CHROME_AUTO_RELOAD_MS`]).
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::Schedule;
    /// let s = Schedule::chrome_like();
    /// let secs: Vec<u64> = s.delays().map(|d| d.as_secs()).collect();
    /// assert_eq!(secs, [1, 5, 30, 60, 300, 600, 1800]);
    /// ```
    pub fn chrome_like() -> Self {
        Schedule::from_millis(CHROME_AUTO_RELOAD_MS)
    }

    /// A schedule of the given delays, in milliseconds. An empty list means
    /// "no wait" at every step.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::{Schedule, CHROME_LEGACY_AUTO_RELOAD_MS};
    /// let legacy = Schedule::from_millis(CHROME_LEGACY_AUTO_RELOAD_MS);
    /// assert_eq!(legacy.delay(0), Duration::ZERO);
    /// assert_eq!(Schedule::from_millis(&[]).delay(3), Duration::ZERO);
    /// ```
    pub fn from_millis(delays_ms: &[u64]) -> Self {
        Schedule {
            delays_ms: delays_ms.to_vec(),
        }
    }

    /// The wait before reload number `n` (counting from 0); past the end of
    /// the list, the last delay.
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::Schedule;
    /// let s = Schedule::chrome_like();
    /// assert_eq!(s.delay(0), Duration::from_secs(1));
    /// assert_eq!(s.delay(6), Duration::from_secs(1800));
    /// assert_eq!(s.delay(usize::MAX), Duration::from_secs(1800));
    /// ```
    pub fn delay(&self, n: usize) -> Duration {
        let ms = self
            .delays_ms
            .get(n)
            .or_else(|| self.delays_ms.last())
            .copied()
            .unwrap_or(0);
        Duration::from_millis(ms)
    }

    /// The listed delays, once each (the last one then repeats forever).
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::Schedule;
    /// assert_eq!(Schedule::chrome_like().delays().count(), 7);
    /// ```
    pub fn delays(&self) -> impl Iterator<Item = Duration> + '_ {
        self.delays_ms.iter().map(|&ms| Duration::from_millis(ms))
    }

    /// The listed delays in milliseconds, e.g. to embed in a page's script.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::Schedule;
    /// assert_eq!(Schedule::chrome_like().as_millis().get(1), Some(&5_000));
    /// ```
    pub fn as_millis(&self) -> &[u64] {
        &self.delays_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_doubles_then_caps() {
        let b = Backoff::new(Duration::from_millis(3), Duration::from_millis(1000));
        let got: Vec<u64> = (0..12).map(|n| b.ceiling_ms(n)).collect();
        assert_eq!(got, [3, 6, 12, 24, 48, 96, 192, 384, 768, 1000, 1000, 1000]);
        for n in [63, 64, 65, 1000, u32::MAX] {
            assert_eq!(b.ceiling_ms(n), 1000, "n = {n}");
        }
    }

    #[test]
    fn huge_durations_saturate_instead_of_overflowing() {
        let b = Backoff::new(Duration::MAX, Duration::MAX);
        assert_eq!(b.ceiling_ms(0), u64::MAX);
        let mut r = SplitMix64::new(1);
        let _ = b.delay(40, &mut r);
        let zero = Backoff::new(Duration::ZERO, Duration::from_secs(1));
        assert_eq!(zero.delay(10, &mut r), Duration::ZERO);
    }

    #[test]
    fn chrome_tables_differ_only_in_the_first_step() {
        assert_eq!(
            CHROME_AUTO_RELOAD_MS.len(),
            CHROME_LEGACY_AUTO_RELOAD_MS.len()
        );
        assert_eq!(
            CHROME_AUTO_RELOAD_MS.get(1..),
            CHROME_LEGACY_AUTO_RELOAD_MS.get(1..)
        );
        assert!(CHROME_AUTO_RELOAD_MS
            .windows(2)
            .all(|w| w.first() < w.get(1)));
        let json = serde_json::to_string(&Schedule::chrome_like()).unwrap_or_default();
        assert_eq!(json, "[1000,5000,30000,60000,300000,600000,1800000]");
    }
}
