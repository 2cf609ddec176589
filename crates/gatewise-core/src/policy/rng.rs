//! A tiny deterministic pseudo-random generator (SplitMix64) for jitter.
//!
//! gatewise-core has no `rand` dependency and never reads a clock or the
//! operating system's entropy: the caller seeds the generator (from
//! `crypto.getRandomValues`, a request id, or a fixed number in tests), so
//! every backoff sequence is reproducible. SplitMix64 is the generator
//! described by Steele, Lea and Flood, "Fast Splittable Pseudorandom Number
//! Generators" (OOPSLA 2014); it passes BigCrush and needs one `u64` of
//! state, which serializes as a plain number.
//!
//! Not for cryptography.
//!
//! # Example
//! ```
//! use gatewise_core::policy::SplitMix64;
//! let mut a = SplitMix64::new(42);
//! let mut b = SplitMix64::new(42);
//! assert_eq!(a.next_u64(), b.next_u64());
//! let x = a.below_inclusive(10);
//! assert!(x <= 10);
//! ```

use serde::{Deserialize, Serialize};

/// The SplitMix64 generator: one `u64` of state, deterministic from its seed.
///
/// # Example
/// ```
/// use gatewise_core::policy::SplitMix64;
/// let mut r = SplitMix64::new(42);
/// r.next_u64();
/// // The state is one number: save it and carry on later from the same point.
/// let saved = serde_json::to_string(&r).unwrap();
/// let mut resumed: SplitMix64 = serde_json::from_str(&saved).unwrap();
/// assert_eq!(resumed.next_u64(), r.next_u64());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct SplitMix64 {
    state: u64,
}

/// The golden-ratio increment of SplitMix64.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

impl SplitMix64 {
    /// A generator whose whole future output is decided by `seed`.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::SplitMix64;
    /// let mut r = SplitMix64::new(0);
    /// // First output of SplitMix64 seeded with 0 (reference value).
    /// assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
    /// ```
    pub const fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::SplitMix64;
    /// let mut r = SplitMix64::new(7);
    /// assert_ne!(r.next_u64(), r.next_u64());
    /// ```
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniformly distributed number in `0..=max`, without modulo bias
    /// (Lemire's multiply-and-reject method).
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::SplitMix64;
    /// let mut r = SplitMix64::new(1);
    /// assert_eq!(r.below_inclusive(0), 0);
    /// assert!((0..1000).all(|_| r.below_inclusive(6) <= 6));
    /// ```
    pub fn below_inclusive(&mut self, max: u64) -> u64 {
        let Some(range) = max.checked_add(1) else {
            return self.next_u64();
        };
        // Outputs whose low half falls under `threshold` would make some
        // results more likely than others; draw again (rarely needed).
        let threshold = range.wrapping_neg().checked_rem(range).unwrap_or(0);
        loop {
            // Two u64 factors never overflow a u128.
            let product = u128::from(self.next_u64()).wrapping_mul(u128::from(range));
            if (product as u64) >= threshold {
                return (product >> 64) as u64;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_sequence_for_seed_zero() {
        // Reference outputs of SplitMix64 (Vigna's splitmix64.c) seeded with 0.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(r.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn below_inclusive_covers_every_value_of_a_small_range() {
        let mut r = SplitMix64::new(99);
        let mut seen = [0u32; 7];
        for _ in 0..7000 {
            let v = r.below_inclusive(6);
            if let Some(c) = seen.get_mut(v as usize) {
                *c += 1;
            } else {
                panic!("{v} out of range");
            }
        }
        for c in seen {
            assert!((800..1200).contains(&c), "count {c}");
        }
        assert!(r.below_inclusive(u64::MAX) > 0 || r.below_inclusive(u64::MAX) > 0);
    }

    #[test]
    fn state_serializes_as_a_plain_number() {
        let mut r = SplitMix64::new(5);
        r.next_u64();
        let json = serde_json::to_string(&r).unwrap_or_default();
        let back: SplitMix64 = serde_json::from_str(&json).unwrap_or(SplitMix64::new(0));
        assert_eq!(back, r);
        assert_eq!(json, (5u64.wrapping_add(GAMMA)).to_string());
    }
}
