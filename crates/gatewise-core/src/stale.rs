//! Serve-stale decisions (RFC 9111 storage rules, RFC 5861 `stale-if-error`):
//! which successful responses a gateway may keep, and for how long a kept
//! copy may stand in for an origin that fails.
//!
//! Only `Cache-Control` is read, bounded to [`MAX_VALUE`] bytes and
//! [`MAX_DIRECTIVES`] directives; a directive with an invalid number is
//! ignored.
//!
//! # Example
//! ```
//! use gatewise_core::stale::{storable, usable, Stored};
//! let kept = storable("GET", 200, false, Some("public, max-age=60, stale-if-error=600"), false, None, 300);
//! assert_eq!(kept, Some(Stored { fresh_secs: 60, stale_if_error_secs: 600 }));
//! let kept = kept.unwrap();
//! assert!(usable(&kept, 0, 600_000));          // 60 s fresh + 600 s stale-if-error
//! assert!(!usable(&kept, 0, 660_001));
//! assert_eq!(storable("GET", 200, false, Some("no-store"), false, None, 300), None);
//! assert_eq!(storable("POST", 200, false, None, false, None, 300), None);
//! ```

/// At most this many bytes of `Cache-Control` are read.
pub const MAX_VALUE: usize = 4096;
/// At most this many directives are looked at.
pub const MAX_DIRECTIVES: usize = 32;

/// How long a stored response may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    /// Seconds the response is fresh (`s-maxage`, else `max-age`, else 0).
    pub fresh_secs: u32,
    /// Seconds past freshness it may stand in for a failing origin.
    pub stale_if_error_secs: u32,
}

impl Stored {
    /// Seconds after storing until the copy is of no more use.
    pub fn lifetime_secs(&self) -> u32 {
        self.fresh_secs.saturating_add(self.stale_if_error_secs)
    }
}

/// Statuses a gateway keeps for serving stale: RFC 9110 §15.1's heuristically
/// cacheable successes (redirects and errors are left to the origin).
pub const STORABLE_STATUSES: &[u16] = &[200, 203];

/// The directives of a `Cache-Control` value: lowercase name, optional value.
fn directives(value: &str) -> impl Iterator<Item = (String, Option<&str>)> {
    let mut end = value.len().min(MAX_VALUE);
    while !value.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    value
        .get(..end)
        .unwrap_or("")
        .split(',')
        .take(MAX_DIRECTIVES)
        .filter_map(|d| {
            let mut it = d.splitn(2, '=');
            let name = it.next()?.trim().to_ascii_lowercase();
            let v = it.next().map(|v| v.trim().trim_matches('"'));
            (!name.is_empty()).then_some((name, v))
        })
}

fn seconds(v: Option<&str>) -> Option<u32> {
    let v = v?;
    if v.is_empty() || v.len() > 10 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u64>()
        .ok()
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
}

/// Whether a response may be kept for serving stale, and for how long.
///
/// Kept: a `GET` without `Authorization`, status in [`STORABLE_STATUSES`],
/// no `Set-Cookie`, no `Vary: *`, no `no-store`, `private` or `no-cache`
/// directive, and explicitly cacheable: `Cache-Control` names `public`,
/// `max-age`, `s-maxage` or `stale-if-error` (a response that says nothing
/// is not copied: storing every page would cost every request a cache write). The stale-if-error window is the response's own
/// `stale-if-error` directive when it has one, else `default_stale_if_error`
/// (the gateway's setting); a window of 0 keeps nothing.
pub fn storable(
    method: &str,
    status: u16,
    has_authorization: bool,
    cache_control: Option<&str>,
    has_set_cookie: bool,
    vary: Option<&str>,
    default_stale_if_error: u32,
) -> Option<Stored> {
    if method != "GET"
        || has_authorization
        || has_set_cookie
        || !STORABLE_STATUSES.contains(&status)
        || vary.is_some_and(|v| v.split(',').any(|f| f.trim() == "*"))
    {
        return None;
    }
    let mut max_age = None;
    let mut s_maxage = None;
    let mut sie = None;
    let mut explicit = false;
    for (name, v) in directives(cache_control.unwrap_or("")) {
        match name.as_str() {
            "no-store" | "private" | "no-cache" => return None,
            "max-age" => max_age = max_age.or(seconds(v)),
            "s-maxage" => s_maxage = s_maxage.or(seconds(v)),
            "stale-if-error" => sie = sie.or(seconds(v)),
            "public" => explicit = true,
            _ => {}
        }
    }
    if !explicit && max_age.is_none() && s_maxage.is_none() && sie.is_none() {
        return None;
    }
    let stale_if_error_secs = sie.unwrap_or(default_stale_if_error);
    (stale_if_error_secs > 0).then_some(Stored {
        fresh_secs: s_maxage.or(max_age).unwrap_or(0),
        stale_if_error_secs,
    })
}

/// Whether a copy stored at `stored_at_ms` may be served at `now_ms` for a
/// failing origin (a clock going backwards counts as age 0).
pub fn usable(stored: &Stored, stored_at_ms: u64, now_ms: u64) -> bool {
    let age_ms = now_ms.saturating_sub(stored_at_ms);
    age_ms <= u64::from(stored.lifetime_secs()) * 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(v: &str) -> Option<Stored> {
        storable("GET", 200, false, Some(v), false, None, 300)
    }

    fn kept(fresh_secs: u32, stale_if_error_secs: u32) -> Option<Stored> {
        Some(Stored {
            fresh_secs,
            stale_if_error_secs,
        })
    }

    #[test]
    fn storage_rules() {
        assert_eq!(cc(""), None, "nothing explicit: not copied");
        assert_eq!(storable("GET", 200, false, None, false, None, 300), None);
        assert_eq!(cc("public"), kept(0, 300));
        assert_eq!(cc("max-age=10, s-maxage=20"), kept(20, 300));
        assert_eq!(cc("max-age=\"5\""), kept(5, 300));
        assert_eq!(cc("max-age=abc"), None);
        assert_eq!(cc("public, max-age=abc"), kept(0, 300));
        assert_eq!(cc("max-age=60, stale-if-error=600"), kept(60, 600));
        assert_eq!(cc("stale-if-error=0"), None);
        for no in ["no-store", "Private", "no-cache", "public, NO-STORE"] {
            assert_eq!(cc(no), None, "{no}");
        }
        let p = Some("public");
        assert_eq!(storable("GET", 404, false, p, false, None, 300), None);
        assert_eq!(storable("GET", 200, true, p, false, None, 300), None);
        assert_eq!(storable("GET", 200, false, p, true, None, 300), None);
        assert_eq!(
            storable("GET", 200, false, p, false, Some("accept, *"), 300),
            None
        );
        assert!(storable("GET", 200, false, p, false, Some("accept-encoding"), 300).is_some());
        assert_eq!(storable("GET", 200, false, p, false, None, 0), None);
        assert_eq!(storable("HEAD", 200, false, p, false, None, 300), None);
    }

    #[test]
    fn windows_and_bounds() {
        let s = Stored {
            fresh_secs: 1,
            stale_if_error_secs: 2,
        };
        assert!(usable(&s, 1000, 4000));
        assert!(!usable(&s, 1000, 4001));
        assert!(usable(&s, 5000, 1000));
        let huge = Stored {
            fresh_secs: u32::MAX,
            stale_if_error_secs: u32::MAX,
        };
        assert_eq!(huge.lifetime_secs(), u32::MAX);
        let long = format!("public, {}max-age=5", "x, ".repeat(10_000));
        assert_eq!(
            cc(&long).map(|s| s.fresh_secs),
            Some(0),
            "past the bound: unread"
        );
        assert_eq!(cc("public, max-age=99999999999999"), kept(0, 300));
    }
}
