//! Comparing secrets (the site owner's debug token) in constant time, so the
//! time a comparison takes says nothing about how much of a guess was right.
//!
//! # Example
//! ```
//! use gatewise_core::secret::constant_time_eq;
//! assert!(constant_time_eq(b"s3cret-token", b"s3cret-token"));
//! assert!(!constant_time_eq(b"s3cret-token", b"s3cret-tokeN"));
//! assert!(!constant_time_eq(b"", b"x"));
//! ```

/// Whether `a` equals `b`. The time depends only on the lengths, never on
/// where the first difference is. An empty expected secret never matches.
pub fn constant_time_eq(expected: &[u8], given: &[u8]) -> bool {
    if expected.is_empty() {
        return false;
    }
    let mut diff = u8::from(expected.len() != given.len());
    // Walk the whole given value against the expected one, cycling it, so a
    // length mismatch costs the same as a content mismatch.
    for (i, g) in given.iter().enumerate() {
        let e = i
            .checked_rem(expected.len())
            .and_then(|j| expected.get(j))
            .copied()
            .unwrap_or(0);
        diff |= e ^ g;
    }
    std::hint::black_box(diff) == 0 && expected.len() == given.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_only_when_identical() {
        assert!(constant_time_eq(b"abc", b"abc"));
        for other in [&b"abd"[..], b"ab", b"abcd", b"", b"ABC"] {
            assert!(!constant_time_eq(b"abc", other), "{other:?}");
        }
        assert!(!constant_time_eq(b"", b""));
    }
}
