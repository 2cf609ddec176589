//! `CDN-Loop` (RFC 8586): the header every CDN or gateway appends its id to,
//! so that a request that comes back around is recognised and stopped
//! (`proxy_loop_detected`) instead of forwarded forever.
//!
//! The field is a list of `cdn-id [; params]` members separated by commas;
//! a `cdn-id` is a pseudonym or host\[:port\]. Parsing is bounded and never fails:
//! a malformed member is skipped.
//!
//! # Example
//! ```
//! use gatewise_core::cdn_loop;
//! assert!(cdn_loop::contains("foo123.example, gatewise; v=1", "gatewise"));
//! assert!(!cdn_loop::contains("gatewise-other", "gatewise"));
//! assert_eq!(cdn_loop::append(Some("cloudflare"), "gatewise"), "cloudflare, gatewise");
//! assert_eq!(cdn_loop::append(None, "gatewise"), "gatewise");
//! ```

/// At most this many bytes of a `CDN-Loop` value are read.
pub const MAX_VALUE: usize = 8 * 1024;
/// At most this many members are looked at.
pub const MAX_MEMBERS: usize = 256;

/// The `cdn-id` of each member (parameters dropped), at most [`MAX_MEMBERS`].
pub fn ids(value: &str) -> impl Iterator<Item = &str> {
    let mut end = MAX_VALUE.min(value.len());
    while !value.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    value
        .get(..end)
        .unwrap_or_default()
        .split(',')
        .take(MAX_MEMBERS)
        .filter_map(|m| m.split(';').next())
        .map(str::trim)
        .filter(|id| !id.is_empty())
}

/// Whether `value` (one or more `CDN-Loop` field lines joined by commas)
/// already names `id` (ASCII case-insensitively).
pub fn contains(value: &str, id: &str) -> bool {
    ids(value).any(|m| m.eq_ignore_ascii_case(id))
}

/// The value to forward: the received one with `id` appended.
pub fn append(existing: Option<&str>, id: &str) -> String {
    match existing.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => format!("{e}, {id}"),
        None => id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_params_are_split() {
        let v = "a.example:8080;x=\"1\", gatewise ; v=2,,  , cloudflare";
        assert_eq!(
            ids(v).collect::<Vec<_>>(),
            ["a.example:8080", "gatewise", "cloudflare"]
        );
        assert!(contains(v, "GATEWISE"));
    }

    #[test]
    fn hostile_values_are_bounded() {
        let many = "x,".repeat(100_000) + "gatewise";
        assert!(
            !contains(&many, "gatewise"),
            "beyond the bound it is not read"
        );
        assert_eq!(ids(&many).count(), MAX_MEMBERS);
        assert!(!contains(&"é".repeat(10_000), "gatewise"));
    }
}
