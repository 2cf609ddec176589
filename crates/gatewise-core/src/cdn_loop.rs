//! `CDN-Loop` (RFC 8586): the header every CDN or gateway appends its id to,
//! so that a request that comes back around is recognised and stopped
//! (`proxy_loop_detected`) instead of forwarded forever.
//!
//! The field is a list of `cdn-id [; params]` members separated by commas;
//! a `cdn-id` is a pseudonym or host\[:port\]. Parsing is bounded and never fails:
//! a malformed member is skipped.
//!
//! Bounds: only the **last** [`MAX_VALUE`] bytes and the last
//! [`MAX_MEMBERS`] members are read. Each hop appends its id, so the end of
//! the field holds the hops nearest to us, our own id among them when the
//! request came around; the start holds whatever the client sent. Reading
//! the end means a client that stuffs the header cannot push our id out of
//! sight and so defeat loop detection.
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

/// The last [`MAX_VALUE`] bytes of `value`, from the first member that
/// starts inside them (a member cut in two is dropped).
fn tail(value: &str) -> &str {
    let Some(mut start) = value.len().checked_sub(MAX_VALUE).filter(|s| *s > 0) else {
        return value;
    };
    while !value.is_char_boundary(start) {
        start = start.saturating_add(1);
    }
    let rest = value.get(start..).unwrap_or_default();
    let at_boundary = start
        .checked_sub(1)
        .and_then(|i| value.as_bytes().get(i))
        .is_some_and(|b| *b == b',');
    if at_boundary {
        return rest;
    }
    match rest.split_once(',') {
        Some((_, after)) => after,
        None => "",
    }
}

/// The diagnosis of a request that names this gateway in `CDN-Loop`
/// already: 502 `proxy_loop_detected`, written by gatewise, high confidence,
/// not temporary (the configuration loops; trying again loops again).
///
/// # Example
/// ```
/// use gatewise_core::{cdn_loop, ErrorType, Layer};
/// let d = cdn_loop::loop_detected();
/// assert_eq!((d.error_type, d.layer, d.status, d.retryable), (Some(ErrorType::ProxyLoopDetected), Layer::Gatewise, 502, false));
/// ```
pub fn loop_detected() -> crate::Diagnosis {
    use crate::{Confidence, Diagnosis, ErrorType, Evidence, EvidenceSource, Layer};
    Diagnosis::for_type(ErrorType::ProxyLoopDetected, Layer::Gatewise)
        .with_confidence(Confidence::High)
        .with_evidence(Evidence::new(
            EvidenceSource::Header,
            "CDN-Loop names this worker",
            Some("rfc8586"),
        ))
}

/// The `cdn-id` of each member (parameters dropped), in order: those of the
/// last [`MAX_MEMBERS`] members of the last [`MAX_VALUE`] bytes.
pub fn ids(value: &str) -> impl Iterator<Item = &str> {
    let tail = tail(value);
    let skip = tail.split(',').count().saturating_sub(MAX_MEMBERS);
    tail.split(',')
        .skip(skip)
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

    /// Found by the `cdn_loop` fuzz target: the first bytes and members were
    /// read, so a client that stuffed the header pushed the id our gateway
    /// appended out of sight and the loop went undetected.
    #[test]
    fn hostile_values_are_bounded_and_keep_the_nearest_members() {
        let many = "x,".repeat(100_000) + "gatewise";
        assert!(contains(&many, "gatewise"), "the nearest member is read");
        assert_eq!(ids(&many).count(), MAX_MEMBERS);
        let far = "gatewise,".to_owned() + &"x,".repeat(100_000) + "y";
        assert!(
            !contains(&far, "gatewise"),
            "beyond the bound it is not read"
        );
        // A member cut by the byte bound is dropped, not read in part.
        let cut = format!("{}gatewise-{}, a", "z".repeat(100), "q".repeat(MAX_VALUE));
        assert_eq!(ids(&cut).collect::<Vec<_>>(), ["a"]);
        assert!(!contains(&"é".repeat(10_000), "gatewise"));
        assert!(contains(
            &format!("{}, gatewise", "é".repeat(10_000)),
            "gatewise"
        ));
        assert_eq!(ids(&"é".repeat(10_000)).count(), 0);
    }
}
