//! The re-check of the address that failed: what the error page's live
//! checks ask the worker (`RESERVED_PREFIX` + `recheck?t=…`) to find out
//! whether *that very request* works again, rather than whether the origin's
//! root answers (issue 14: a path that resets under a healthy root must not
//! make the page say "works again" and reload in a loop).
//!
//! The endpoint must not become a proxy of its own. So the page carries an
//! opaque [token](mint) that the worker wrote when it answered the failure:
//! it names the method (GET or HEAD only), the path and query, and an expiry,
//! and is MAC'd (HMAC-SHA-256, RFC 2104) together with the host the page was
//! served for. The worker repeats exactly that — on the configured origin
//! (or, with `ORIGIN_URL` empty, the zone's own origin for that host), never
//! a URL, host, scheme, method, header or body of the asker's choosing. A
//! token for another path, host or method does not verify ([`verify`]).
//! Re-checks are rate-limited per isolate ([`Limiter`]) and a result is
//! reused for [`CACHE_MS`].
//!
//! The key ([`Key`]) is derived from the owner's `DEBUG_TOKEN` secret when
//! there is one, so that every isolate verifies every page's token; without
//! it each isolate draws its own, and a token that lands on another isolate
//! is refused — the page then says it could not re-check, never that the
//! site works.
//!
//! # Example
//! ```
//! use gatewise_worker::recheck::{mint, verify, Key, Method, Refusal};
//! let key = Key::derive(b"owner-secret");
//! let t = mint(&key, "GET", "shop.example", "/cart?id=7", 1_000).unwrap();
//! let ok = verify(&key, &t, "shop.example", 1_060).unwrap();
//! assert_eq!((ok.method, ok.path_and_query.as_str()), (Method::Get, "/cart?id=7"));
//! // Another host, a changed path, or too late: refused.
//! assert_eq!(verify(&key, &t, "evil.example", 1_060).unwrap_err(), Refusal::BadMac);
//! let forged = t.replacen("L2NhcnQ", "L2FkbWlu", 1);
//! assert!(verify(&key, &forged, "shop.example", 1_060).is_err());
//! assert_eq!(verify(&key, &t, "shop.example", 1_000_000).unwrap_err(), Refusal::Expired);
//! // Only GET and HEAD get a token at all.
//! assert!(mint(&key, "POST", "shop.example", "/cart", 1_000).is_none());
//! ```

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// How long a page's token can be used, in seconds: a visitor may leave an
/// error page open for a while, and the page keeps re-checking.
pub const TOKEN_LIFETIME_S: u64 = 24 * 3600;
/// The longest path and query a token carries (longer ones get no re-check).
pub const MAX_PATH: usize = 1024;
/// Re-checks an isolate may start at once (the bucket's size).
pub const BURST: u32 = 10;
/// One more re-check per this many ms (the bucket's refill).
pub const REFILL_MS: u64 = 500;
/// A re-check's result is reused for the same token target this long, in ms.
pub const CACHE_MS: u64 = 1_000;
/// Results kept for reuse.
pub const CACHE_ENTRIES: usize = 32;
/// The longest a re-check waits for the origin's response headers, in ms
/// (less than the page's check timeout, so that the page hears the answer).
pub const TIMEOUT_MS: u32 = 2_000;
/// The token's format version.
const VERSION: &str = "1";
/// Bytes of the MAC kept in the token (128 bits).
const MAC_LEN: usize = 16;

/// The MAC key.
#[derive(Clone, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    /// The key for the owner's secret (domain-separated: the token never
    /// reveals anything about the secret, and no other use of it yields this key).
    pub fn derive(secret: &[u8]) -> Key {
        let mut h = Sha256::new();
        h.update(b"gatewise recheck key v1\0");
        h.update(secret);
        Key(h.finalize().into())
    }

    /// A key from 32 random bytes (an isolate without a secret).
    pub fn from_bytes(bytes: [u8; 32]) -> Key {
        Key(bytes)
    }
}

/// The method a re-check repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET` (the response's body is never read past its headers).
    Get,
    /// `HEAD`.
    Head,
}

impl Method {
    /// The method's name.
    pub fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
        }
    }

    fn letter(self) -> &'static str {
        match self {
            Method::Get => "G",
            Method::Head => "H",
        }
    }

    fn from_letter(s: &str) -> Option<Method> {
        match s {
            "G" => Some(Method::Get),
            "H" => Some(Method::Head),
            _ => None,
        }
    }

    fn from_name(s: &str) -> Option<Method> {
        match s {
            "GET" => Some(Method::Get),
            "HEAD" => Some(Method::Head),
            _ => None,
        }
    }
}

/// What a valid token says to repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// GET or HEAD.
    pub method: Method,
    /// The path and query, starting with `/`, printable ASCII only.
    pub path_and_query: String,
}

/// Why a token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a token of this format.
    Malformed,
    /// Its MAC does not match (another path, host, method, key or isolate).
    BadMac,
    /// Past its expiry, or with an expiry too far ahead to be one of ours.
    Expired,
}

impl Refusal {
    /// A stable name for the JSON answer and the log.
    pub fn name(self) -> &'static str {
        match self {
            Refusal::Malformed => "malformed",
            Refusal::BadMac => "bad_mac",
            Refusal::Expired => "expired",
        }
    }
}

/// Whether `p` may be repeated: a path and query starting with `/`, at most
/// [`MAX_PATH`] bytes of printable ASCII (a URL parser has percent-encoded
/// everything else, so no space, control, CR or LF), no fragment.
fn repeatable(p: &str) -> bool {
    p.starts_with('/')
        && p.len() <= MAX_PATH
        && p.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b'#')
}

fn mac(key: &Key, method: Method, exp: u64, host: &str, path: &str) -> Option<Hmac<Sha256>> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&key.0).ok()?;
    let host = host.to_ascii_lowercase();
    for part in [
        "gatewise-recheck",
        VERSION,
        method.letter(),
        &exp.to_string(),
        &host,
        path,
    ] {
        m.update(part.as_bytes());
        m.update(b"\n");
    }
    Some(m)
}

/// The token for repeating `method` `path_and_query` on `host` (the public
/// host the page is served for), valid until `now_s` + [`TOKEN_LIFETIME_S`];
/// `None` for other methods, or a path that cannot be repeated.
pub fn mint(
    key: &Key,
    method: &str,
    host: &str,
    path_and_query: &str,
    now_s: u64,
) -> Option<String> {
    let method = Method::from_name(method)?;
    if !repeatable(path_and_query) {
        return None;
    }
    let exp = now_s.saturating_add(TOKEN_LIFETIME_S);
    let tag = mac(key, method, exp, host, path_and_query)?
        .finalize()
        .into_bytes();
    let tag = tag.get(..MAC_LEN)?;
    Some(format!(
        "{VERSION}.{}.{exp}.{}.{}",
        method.letter(),
        b64::encode(path_and_query.as_bytes()),
        b64::encode(tag)
    ))
}

/// The request a token allows on `host` at `now_s`, or why not. The MAC is
/// compared in constant time.
pub fn verify(key: &Key, token: &str, host: &str, now_s: u64) -> Result<Target, Refusal> {
    if token.len() > MAX_PATH * 2 {
        return Err(Refusal::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(v), Some(m), Some(exp), Some(path), Some(tag), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(Refusal::Malformed);
    };
    let method = Method::from_letter(m).filter(|_| v == VERSION);
    let exp = exp.parse::<u64>().ok().filter(|_| exp.len() <= 20);
    let path = b64::decode(path).and_then(|b| String::from_utf8(b).ok());
    let tag = b64::decode(tag).filter(|t| t.len() == MAC_LEN);
    let (Some(method), Some(exp), Some(path), Some(tag)) = (method, exp, path, tag) else {
        return Err(Refusal::Malformed);
    };
    if !repeatable(&path) {
        return Err(Refusal::Malformed);
    }
    let m = mac(key, method, exp, host, &path).ok_or(Refusal::BadMac)?;
    m.verify_truncated_left(&tag).map_err(|_| Refusal::BadMac)?;
    if now_s > exp || exp > now_s.saturating_add(TOKEN_LIFETIME_S + 60) {
        return Err(Refusal::Expired);
    }
    Ok(Target {
        method,
        path_and_query: path,
    })
}

/// The re-check endpoint's URL for a page: `{prefix}recheck?t={token}`.
pub fn page_url(prefix: &str, token: &str) -> String {
    format!("{prefix}recheck?t={token}")
}

/// The token a re-check request carries: its query's `t`, when it is the only parameter.
///
/// # Example
/// ```
/// use gatewise_worker::recheck::token_of;
/// assert_eq!(token_of("/__gatewise/recheck?t=1.G.5.L3g.QUJD"), Some("1.G.5.L3g.QUJD"));
/// assert_eq!(token_of("/__gatewise/recheck?t=a&u=http://evil"), None);
/// assert_eq!(token_of("/__gatewise/recheck"), None);
/// ```
pub fn token_of(path_and_query: &str) -> Option<&str> {
    let (_, query) = path_and_query.split_once('?')?;
    let t = query.strip_prefix("t=")?;
    (!t.is_empty() && !t.contains(['&', '=', '%'])).then_some(t)
}

/// A token bucket: [`BURST`] re-checks at once, one more per [`REFILL_MS`].
///
/// # Example
/// ```
/// use gatewise_worker::recheck::{Limiter, BURST, REFILL_MS};
/// let mut l = Limiter::new(0);
/// assert_eq!((0..20).filter(|_| l.take(0)).count(), BURST as usize);
/// assert!(!l.take(REFILL_MS - 1));
/// assert!(l.take(REFILL_MS));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limiter {
    /// Whole re-checks available.
    tokens: u32,
    /// When the last token was added (ms).
    last: u64,
}

impl Limiter {
    /// A full bucket at `now` (ms).
    pub fn new(now: u64) -> Self {
        Limiter {
            tokens: BURST,
            last: now,
        }
    }

    /// Takes one re-check at `now` (ms); false when none is left.
    pub fn take(&mut self, now: u64) -> bool {
        let earned = now.saturating_sub(self.last) / REFILL_MS;
        if earned > 0 {
            let earned = u32::try_from(earned).unwrap_or(BURST);
            self.tokens = self.tokens.saturating_add(earned).min(BURST);
            self.last = if self.tokens == BURST {
                now
            } else {
                self.last
                    .saturating_add(u64::from(earned).saturating_mul(REFILL_MS))
            };
        }
        if self.tokens == 0 {
            return false;
        }
        self.tokens -= 1;
        true
    }

    /// Seconds until the next re-check is allowed (at least 1).
    pub fn retry_after_s(&self, now: u64) -> u64 {
        let next = self.last.saturating_add(REFILL_MS);
        next.saturating_sub(now).div_ceil(1000).max(1)
    }
}

/// What a re-check found, as the endpoint's JSON `state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The origin answered below 500: the page may reload.
    Answers,
    /// The origin answered 500 or more, or a gateway failure.
    Failing,
    /// No answer: the request did not complete (a thrown error, the time limit).
    Unreachable,
}

impl State {
    /// The JSON name.
    pub fn name(self) -> &'static str {
        match self {
            State::Answers => "answers",
            State::Failing => "failing",
            State::Unreachable => "unreachable",
        }
    }

    /// The state of an answer with `status`.
    pub fn of_status(status: u16) -> State {
        if status < 500 {
            State::Answers
        } else {
            State::Failing
        }
    }
}

/// Base64url without padding (RFC 4648 §5), for the token's fields.
mod b64 {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let b = [
                chunk.first().copied().unwrap_or(0),
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            let chars = chunk.len() + 1;
            for i in 0..chars {
                let six = (n >> (18 - 6 * i)) & 63;
                if let Some(c) = ALPHABET.get(six as usize) {
                    out.push(char::from(*c));
                }
            }
        }
        out
    }

    fn value(c: u8) -> Option<u32> {
        ALPHABET.iter().position(|a| *a == c).map(|p| p as u32)
    }

    /// `None` for a character outside the alphabet, a length that no
    /// encoding has, or non-zero bits past the last byte (one text per bytes).
    pub fn decode(s: &str) -> Option<Vec<u8>> {
        let s = s.as_bytes();
        if s.len() % 4 == 1 {
            return None;
        }
        let mut out = Vec::with_capacity(s.len() * 3 / 4);
        for chunk in s.chunks(4) {
            let mut n = 0u32;
            for (i, c) in chunk.iter().enumerate() {
                n |= value(*c)? << (18 - 6 * i);
            }
            let bytes = chunk.len() - 1;
            let all = n.to_be_bytes();
            let got = all.get(1..1 + bytes)?;
            let rest = all.get(1 + bytes..)?;
            if rest.iter().any(|b| *b != 0) {
                return None;
            }
            out.extend_from_slice(got);
        }
        Some(out)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn round_trips_and_rejects() {
            for n in 0..40usize {
                let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
                let text = encode(&bytes);
                assert!(!text.contains(['=', '+', '/', '.']));
                assert_eq!(decode(&text), Some(bytes), "{n}");
            }
            assert_eq!(encode(b"/x"), "L3g");
            for bad in ["A", "AB=", "a.b", "L3h", "L3g!"] {
                assert_eq!(decode(bad), None, "{bad}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_700_000_000;

    fn key() -> Key {
        Key::derive(b"s3cret")
    }

    #[test]
    fn a_token_repeats_exactly_its_request() {
        let t = mint(&key(), "HEAD", "Shop.Example:8443", "/a/b?c=d&e=%20", NOW).unwrap();
        let got = verify(&key(), &t, "shop.example:8443", NOW + 5).unwrap();
        assert_eq!(got.method, Method::Head);
        assert_eq!(got.path_and_query, "/a/b?c=d&e=%20");
        assert!(t.len() < 100, "{t}");
        // The token is the same characters a URL query carries without escaping.
        assert!(t
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)));
    }

    #[test]
    fn tokens_for_anything_else_do_not_verify() {
        let k = key();
        let t = mint(&k, "GET", "shop.example", "/reset", NOW).unwrap();
        let fields: Vec<&str> = t.split('.').collect();
        let with = |i: usize, v: &str| {
            let mut f = fields.clone();
            f[i] = v;
            f.join(".")
        };
        let other_path = b64::encode(b"/admin");
        let other_url = b64::encode(b"http://evil.example/");
        let cases = [
            (with(1, "H"), Refusal::BadMac),
            (with(1, "P"), Refusal::Malformed),
            (with(0, "2"), Refusal::Malformed),
            (with(2, &(NOW + 10).to_string()), Refusal::BadMac),
            (with(3, &other_path), Refusal::BadMac),
            (with(3, &other_url), Refusal::Malformed),
            (with(4, "AAAAAAAAAAAAAAAAAAAAAA"), Refusal::BadMac),
            (with(4, "AAAA"), Refusal::Malformed),
            (format!("{t}.x"), Refusal::Malformed),
            ("".into(), Refusal::Malformed),
            ("x".repeat(5000), Refusal::Malformed),
        ];
        for (token, why) in cases {
            assert_eq!(verify(&k, &token, "shop.example", NOW), Err(why), "{token}");
        }
        assert_eq!(verify(&k, &t, "other.example", NOW), Err(Refusal::BadMac));
        assert_eq!(
            verify(&Key::derive(b"other"), &t, "shop.example", NOW),
            Err(Refusal::BadMac)
        );
        assert_eq!(
            verify(&k, &t, "shop.example", NOW + TOKEN_LIFETIME_S + 1),
            Err(Refusal::Expired)
        );
        // A token minted for a far future (a clock far ahead) is not accepted now.
        let ahead = mint(
            &k,
            "GET",
            "shop.example",
            "/reset",
            NOW + 10 * TOKEN_LIFETIME_S,
        )
        .unwrap();
        assert_eq!(
            verify(&k, &ahead, "shop.example", NOW),
            Err(Refusal::Expired)
        );
    }

    #[test]
    fn only_repeatable_requests_get_a_token() {
        let k = key();
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get"] {
            assert!(mint(&k, method, "h", "/x", NOW).is_none(), "{method}");
        }
        for path in [
            "",
            "x",
            "http://evil/",
            "/a b",
            "/a\r\nHost: evil",
            "/a#f",
            &format!("/{}", "a".repeat(MAX_PATH)),
        ] {
            assert!(mint(&k, "GET", "h", path, NOW).is_none(), "{path:?}");
        }
        assert!(mint(
            &k,
            "GET",
            "h",
            &format!("/{}", "a".repeat(MAX_PATH - 1)),
            NOW
        )
        .is_some());
    }

    #[test]
    fn the_limiter_holds_over_time() {
        let mut l = Limiter::new(0);
        let mut allowed = 0u64;
        // 10 s of asking every 10 ms: the burst plus one per REFILL_MS, no more.
        for t in (0..10_000).step_by(10) {
            if l.take(t) {
                allowed += 1;
            }
        }
        assert_eq!(allowed, u64::from(BURST) + 9_990 / REFILL_MS);
        assert!(l.retry_after_s(10_000) >= 1);
        // Idle long enough, it is full again, never more.
        let mut l = Limiter::new(0);
        assert_eq!(
            (0..100).filter(|_| l.take(1_000_000)).count(),
            BURST as usize
        );
    }

    #[test]
    fn keys_do_not_show() {
        assert_eq!(format!("{:?}", key()), "Key(…)");
        assert_ne!(Key::derive(b"a"), Key::derive(b"b"));
    }
}
