//! `Retry-After` (RFC 9110 §10.2.3): parse it against an injected "now",
//! and write it in either form.
//!
//! `Retry-After = HTTP-date / delay-seconds`, where `delay-seconds = 1*DIGIT`
//! (RFC 9110 §10.2.3) and `HTTP-date` is an IMF-fixdate or one of the two
//! obsolete formats a recipient must accept (RFC 9110 §5.6.7; parsed by the
//! `httpdate` crate).
//!
//! The clock is always passed in as Unix seconds: this module never calls
//! `SystemTime::now()` (it panics on `wasm32-unknown-unknown`).
//!
//! Decisions for hostile or odd input (each is tested):
//!
//! | Input | Result |
//! |---|---|
//! | `"120"`, `"  7 "` (surrounding whitespace is ignored) | 120, 7 |
//! | `"0120"` (leading zeros are valid `1*DIGIT`) | 120 |
//! | an HTTP-date in the future | seconds from now until it |
//! | an HTTP-date in the past, or equal to now | 0 |
//! | digits-only value above [`MAX_DELAY_SECS`] (even beyond `u64`) | clamped to [`MAX_DELAY_SECS`] |
//! | a date further away than [`MAX_DELAY_SECS`] | clamped to [`MAX_DELAY_SECS`] |
//! | `"-1"` | rejected ([`ParseError::Negative`]) |
//! | `"1e9"`, `"1.5"`, `"+5"`, `"abc"`, `"5 s"`, `"120, 60"` | rejected ([`ParseError::Invalid`]) |
//! | empty or whitespace only | rejected ([`ParseError::Empty`]) |
//! | longer than [`MAX_INPUT_LEN`] bytes (e.g. 10 KB) | rejected unread ([`ParseError::TooLong`]) |
//!
//! # Example
//! ```
//! use gatewise_core::policy::retry_after;
//! let now = 1_445_412_480; // Wed, 21 Oct 2015 07:28:00 GMT
//! assert_eq!(retry_after::parse("120", now), Some(120));
//! assert_eq!(retry_after::parse("Wed, 21 Oct 2015 07:30:00 GMT", now), Some(120));
//! assert_eq!(retry_after::parse("soon", now), None);
//! assert_eq!(retry_after::format_delta(120), "120");
//! assert_eq!(retry_after::format_date(now, 120), "Wed, 21 Oct 2015 07:30:00 GMT");
//! ```

use std::time::{Duration, UNIX_EPOCH};

/// Values longer than this many bytes are rejected without being read. The
/// longest legitimate value, an RFC 850 date such as
/// `Wednesday, 21-Oct-15 07:28:00 GMT`, has 33 bytes.
///
/// # Example
/// ```
/// use gatewise_core::policy::retry_after::{parse, MAX_INPUT_LEN};
/// let padded = format!("{:>width$}", "5", width = MAX_INPUT_LEN);
/// assert_eq!(parse(&padded, 0), Some(5));
/// assert_eq!(parse(&format!(" {padded}"), 0), None);
/// ```
pub const MAX_INPUT_LEN: usize = 128;

/// The longest delay reported: 365 days. Longer delays are clamped to it.
///
/// # Example
/// ```
/// use gatewise_core::policy::retry_after::{parse, MAX_DELAY_SECS};
/// assert_eq!(MAX_DELAY_SECS, 31_536_000);
/// assert_eq!(parse("31536001", 0), Some(MAX_DELAY_SECS));
/// ```
pub const MAX_DELAY_SECS: u32 = 365 * 24 * 60 * 60;

/// The last second `httpdate` can write (9999-12-31T23:59:59Z).
const LAST_HTTP_DATE_SECS: u64 = 253_402_300_799;

/// Which of the two forms of `Retry-After` a value used.
///
/// # Example
/// ```
/// use gatewise_core::policy::retry_after::{parse_detailed, Form};
/// assert_eq!(parse_detailed("5", 0).unwrap().form, Form::DelaySeconds);
/// assert_eq!(parse_detailed("Thu, 01 Jan 1970 00:00:05 GMT", 0).unwrap().form, Form::HttpDate);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// `delay-seconds`, e.g. `120`.
    DelaySeconds,
    /// `HTTP-date`, e.g. `Wed, 21 Oct 2015 07:28:00 GMT`.
    HttpDate,
}

/// A parsed `Retry-After`.
///
/// # Example
/// ```
/// use gatewise_core::policy::retry_after::{parse_detailed, Form, RetryAfter};
/// assert_eq!(
///     parse_detailed("60", 0),
///     Ok(RetryAfter { secs: 60, form: Form::DelaySeconds, clamped: false })
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RetryAfter {
    /// Seconds to wait from "now" (0 for a date in the past).
    pub secs: u32,
    /// The form the value used.
    pub form: Form,
    /// Whether the value was larger than [`MAX_DELAY_SECS`] and was clamped.
    pub clamped: bool,
}

impl RetryAfter {
    /// The wait as a [`Duration`].
    ///
    /// # Example
    /// ```
    /// use std::time::Duration;
    /// use gatewise_core::policy::retry_after;
    /// let r = retry_after::parse_detailed("3", 0).unwrap();
    /// assert_eq!(r.duration(), Duration::from_secs(3));
    /// ```
    pub fn duration(&self) -> Duration {
        Duration::from_secs(u64::from(self.secs))
    }
}

/// Why a `Retry-After` value was rejected.
///
/// # Example
/// ```
/// use gatewise_core::policy::retry_after::{parse_detailed, ParseError};
/// assert_eq!(parse_detailed("-5", 0), Err(ParseError::Negative));
/// assert_eq!(parse_detailed("tomorrow", 0), Err(ParseError::Invalid));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParseError {
    /// The value was empty or only whitespace.
    Empty,
    /// The value was longer than [`MAX_INPUT_LEN`] bytes.
    TooLong,
    /// The value was a negative number (`delay-seconds` has no sign).
    Negative,
    /// The value was neither `delay-seconds` nor an `HTTP-date`.
    Invalid,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ParseError::Empty => "empty Retry-After value",
            ParseError::TooLong => "Retry-After value too long",
            ParseError::Negative => "negative Retry-After value",
            ParseError::Invalid => "Retry-After value is neither delay-seconds nor an HTTP-date",
        })
    }
}

impl std::error::Error for ParseError {}

/// Seconds to wait according to a `Retry-After` value, measured from `now`
/// (Unix seconds); `None` when the value is rejected. See the module table
/// for every decision.
///
/// # Example
/// ```
/// use gatewise_core::policy::retry_after::{parse, MAX_DELAY_SECS};
/// let now = 1_445_412_480; // Wed, 21 Oct 2015 07:28:00 GMT
/// assert_eq!(parse("  7 ", now), Some(7));
/// assert_eq!(parse("Tue, 20 Oct 2015 07:28:00 GMT", now), Some(0));
/// assert_eq!(parse("99999999999999999999999", now), Some(MAX_DELAY_SECS));
/// assert_eq!(parse("-1", now), None);
/// ```
pub fn parse(value: &str, now: u64) -> Option<u32> {
    parse_detailed(value, now).ok().map(|r| r.secs)
}

/// Like [`parse`], but says which form was used, whether the value was
/// clamped, and why a value was rejected.
///
/// # Example
/// ```
/// use gatewise_core::policy::retry_after::{parse_detailed, Form, ParseError};
/// let r = parse_detailed("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_470).unwrap();
/// assert_eq!((r.secs, r.form, r.clamped), (10, Form::HttpDate, false));
/// assert_eq!(parse_detailed("1e9", 0), Err(ParseError::Invalid));
/// assert_eq!(parse_detailed(&"9".repeat(10_000), 0), Err(ParseError::TooLong));
/// ```
pub fn parse_detailed(value: &str, now: u64) -> Result<RetryAfter, ParseError> {
    if value.len() > MAX_INPUT_LEN {
        return Err(ParseError::TooLong);
    }
    let value = value.trim_ascii();
    if value.is_empty() {
        return Err(ParseError::Empty);
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        let secs = value.bytes().fold(0u64, |acc, b| {
            acc.saturating_mul(10)
                .saturating_add(u64::from(b.saturating_sub(b'0')))
        });
        return Ok(clamp(secs, Form::DelaySeconds));
    }
    if let Some(rest) = value.strip_prefix('-') {
        if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::Negative);
        }
    }
    let date = httpdate::parse_http_date(value).map_err(|_| ParseError::Invalid)?;
    // `httpdate` only yields years 1970..=9999, so this cannot fail; a date
    // before the epoch would be in the past anyway.
    let at = date
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Ok(clamp(at.saturating_sub(now), Form::HttpDate))
}

fn clamp(secs: u64, form: Form) -> RetryAfter {
    match u32::try_from(secs) {
        Ok(s) if s <= MAX_DELAY_SECS => RetryAfter {
            secs: s,
            form,
            clamped: false,
        },
        _ => RetryAfter {
            secs: MAX_DELAY_SECS,
            form,
            clamped: true,
        },
    }
}

/// `Retry-After` in the `delay-seconds` form.
///
/// # Example
/// ```
/// use gatewise_core::policy::retry_after::format_delta;
/// assert_eq!(format_delta(0), "0");
/// assert_eq!(format_delta(3600), "3600");
/// ```
pub fn format_delta(secs: u32) -> String {
    secs.to_string()
}

/// `Retry-After` in the `HTTP-date` form (IMF-fixdate): the moment `secs`
/// seconds after `now` (Unix seconds). Moments after the year 9999 are
/// written as its last second.
///
/// # Example
/// ```
/// use gatewise_core::policy::retry_after::format_date;
/// assert_eq!(format_date(0, 0), "Thu, 01 Jan 1970 00:00:00 GMT");
/// assert_eq!(format_date(u64::MAX, 10), "Fri, 31 Dec 9999 23:59:59 GMT");
/// ```
pub fn format_date(now: u64, secs: u32) -> String {
    let at = now.saturating_add(u64::from(secs)).min(LAST_HTTP_DATE_SECS);
    httpdate::fmt_http_date(
        UNIX_EPOCH
            .checked_add(Duration::from_secs(at))
            .unwrap_or(UNIX_EPOCH),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_445_412_480; // Wed, 21 Oct 2015 07:28:00 GMT

    #[test]
    fn delay_seconds_forms() {
        for (input, want) in [
            ("120", 120),
            ("  7 ", 7),
            ("\t7\r\n", 7),
            ("0", 0),
            ("0120", 120),
            ("31536000", MAX_DELAY_SECS),
        ] {
            assert_eq!(
                parse_detailed(input, NOW),
                Ok(RetryAfter {
                    secs: want,
                    form: Form::DelaySeconds,
                    clamped: false
                }),
                "{input:?}"
            );
        }
    }

    #[test]
    fn all_three_date_formats_are_accepted() {
        // RFC 9110 §5.6.7 examples, 60 s before the given moment.
        let at = 784_111_777; // Sun, 06 Nov 1994 08:49:37 GMT
        for input in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse(input, at - 60), Some(60), "{input:?}");
        }
    }

    #[test]
    fn clamping_is_reported() {
        let r = parse_detailed("31536001", NOW);
        assert_eq!(r.map(|r| (r.secs, r.clamped)), Ok((MAX_DELAY_SECS, true)));
        let far = parse_detailed("Fri, 31 Dec 9999 23:59:59 GMT", NOW);
        assert_eq!(
            far.map(|r| (r.secs, r.form, r.clamped)),
            Ok((MAX_DELAY_SECS, Form::HttpDate, true))
        );
    }

    #[test]
    fn rejections_say_why() {
        assert_eq!(parse_detailed("", NOW), Err(ParseError::Empty));
        assert_eq!(parse_detailed("   ", NOW), Err(ParseError::Empty));
        assert_eq!(parse_detailed("-1", NOW), Err(ParseError::Negative));
        assert_eq!(parse_detailed("-", NOW), Err(ParseError::Invalid));
        assert_eq!(
            parse_detailed(&" ".repeat(MAX_INPUT_LEN + 1), NOW),
            Err(ParseError::TooLong)
        );
        assert_eq!(parse_detailed("٣", NOW), Err(ParseError::Invalid));
        assert_eq!(
            ParseError::Negative.to_string(),
            "negative Retry-After value"
        );
    }

    #[test]
    fn format_round_trips_through_parse() {
        for secs in [0, 1, 59, 3600, 86_400, MAX_DELAY_SECS] {
            assert_eq!(parse(&format_date(NOW, secs), NOW), Some(secs));
            assert_eq!(parse(&format_delta(secs), NOW), Some(secs));
        }
    }
}
