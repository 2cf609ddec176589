//! Serve-stale decisions for a shared cache (RFC 9111 §3 and §4, RFC 5861
//! `stale-if-error`): which successful responses a gateway may keep, for
//! whom, for how long a kept copy may stand in for an origin that fails, and
//! how the visible notice may be put into it. Every rule fails closed: what
//! cannot be read whole is not stored.
//!
//! - **Storing** ([`storable`]): a `GET` answered 200 or 203 that says
//!   explicitly it may be cached (`public`, `max-age`, `s-maxage` or
//!   `stale-if-error`), and nothing forbids it: not `no-store`, `private` or
//!   `no-cache` in any form (RFC 9111 §5.2.2: a shared cache must not store
//!   `private`; `no-cache` would need a revalidation this gateway cannot do
//!   while the origin fails), no `Set-Cookie`, no `no-store` from the request
//!   (§5.2.1.5), and a request with `Authorization` only when the response
//!   says `public`, `s-maxage` or `must-revalidate` (§3.5). A
//!   `Cache-Control` longer than [`MAX_VALUE`] bytes or with more than
//!   [`MAX_DIRECTIVES`] directives is *not storable* — the directive that
//!   forbids it may be the one past the bound. Several `Cache-Control` lines
//!   arrive joined with `", "`, and are read as one list.
//! - **Vary** (§4.1): a copy is used only for a request whose header fields
//!   named by `Vary` match the ones of the request that fetched it: the copy
//!   keeps those values ([`Stored::vary`]) and [`vary_matches`] compares them
//!   (whitespace around commas normalised, case kept; a field absent from
//!   one request matches only its absence in the other). `Vary: *` is never
//!   stored, and neither is a `Vary` naming `Cookie`, `Authorization` or
//!   `Proxy-Authorization` ([`PERSONAL_FIELDS`]): those copies are one
//!   visitor's own, and keeping them would put visitors' credentials into
//!   the cache. At most [`MAX_VARY_FIELDS`] fields of at most
//!   [`MAX_VARY_VALUE`] bytes each, else not stored.
//! - **How long**: fresh for `s-maxage`, else `max-age`, else 0 seconds; then
//!   usable for the response's own `stale-if-error` seconds (RFC 5861 §4),
//!   else the gateway's setting — except that `must-revalidate`,
//!   `proxy-revalidate` and `s-maxage` forbid a shared cache to serve it
//!   stale (RFC 9111 §4.2.4), and win over a `stale-if-error` beside them:
//!   then the copy is used only while fresh.
//! - **The notice** ([`notice_placement`]): put into the page's bytes only
//!   when its encoding is known to keep ASCII bytes as ASCII (UTF-8 and the
//!   WHATWG Encoding Standard's ASCII-compatible encodings,
//!   [`ASCII_COMPATIBLE`]), written in ASCII with character references, so
//!   nothing is decoded and encoded again; otherwise in a header only.
//!
//! # Example
//! ```
//! use gatewise_core::stale::{storable, usable, Exchange, Stored};
//! let kept = storable(&Exchange { cache_control: Some("public, max-age=60, stale-if-error=600"), ..Exchange::get(200) }, 300).unwrap();
//! assert_eq!((kept.fresh_secs, kept.stale_if_error_secs), (60, 600));
//! assert!(usable(&kept, 0, 600_000));          // 60 s fresh + 600 s stale-if-error
//! assert!(!usable(&kept, 0, 660_001));
//! assert_eq!(storable(&Exchange { cache_control: Some("no-store"), ..Exchange::get(200) }, 300), None);
//! assert_eq!(storable(&Exchange { cache_control: Some("max-age=60"), vary: Some("Cookie"), ..Exchange::get(200) }, 300), None);
//! ```

/// At most this many bytes of `Cache-Control` are read; a longer value is not storable.
pub const MAX_VALUE: usize = 4096;
/// At most this many directives are read; more make the response not storable.
pub const MAX_DIRECTIVES: usize = 32;
/// At most this many `Vary` fields; more make the response not storable.
pub const MAX_VARY_FIELDS: usize = 8;
/// The longest request value kept for one `Vary` field, in bytes.
pub const MAX_VARY_VALUE: usize = 1024;

/// Request fields a copy must never be shared on: a `Vary` naming one is not stored.
pub const PERSONAL_FIELDS: &[&str] = &["cookie", "authorization", "proxy-authorization"];

/// Statuses a gateway keeps for serving stale: RFC 9110 §15.1's heuristically
/// cacheable successes (redirects and errors are left to the origin).
pub const STORABLE_STATUSES: &[u16] = &[200, 203];

/// One request and its response, as far as storing goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exchange<'a> {
    /// The request method.
    pub method: &'a str,
    /// Whether the request carried `Authorization`.
    pub has_authorization: bool,
    /// The request's `Cache-Control` (all lines, joined).
    pub request_cache_control: Option<&'a str>,
    /// The response status.
    pub status: u16,
    /// The response's `Cache-Control` (all lines, joined).
    pub cache_control: Option<&'a str>,
    /// Whether the response sets a cookie.
    pub has_set_cookie: bool,
    /// The response's `Vary` (all lines, joined).
    pub vary: Option<&'a str>,
}

impl Exchange<'_> {
    /// A plain `GET` answered `status`, with nothing else said.
    pub fn get(status: u16) -> Self {
        Exchange {
            method: "GET",
            has_authorization: false,
            request_cache_control: None,
            status,
            cache_control: None,
            has_set_cookie: false,
            vary: None,
        }
    }
}

/// How long a stored response may be used, and for which requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Seconds the response is fresh (`s-maxage`, else `max-age`, else 0).
    pub fresh_secs: u32,
    /// Seconds past freshness it may stand in for a failing origin.
    pub stale_if_error_secs: u32,
    /// The `Vary` fields (lowercase) that the response named, and their values
    /// in the request that fetched it (`None`: absent there), normalised.
    pub vary: Vec<(String, Option<String>)>,
}

impl Stored {
    /// Seconds after storing until the copy is of no more use.
    pub fn lifetime_secs(&self) -> u32 {
        self.fresh_secs.saturating_add(self.stale_if_error_secs)
    }
}

/// The directives of a `Cache-Control` value, lowercase name and optional
/// value; `None` when the value is too long or has too many directives to be
/// read whole.
fn directives(value: &str) -> Option<Vec<(String, Option<&str>)>> {
    if value.len() > MAX_VALUE {
        return None;
    }
    let mut out = Vec::new();
    for d in value.split(',') {
        let mut it = d.splitn(2, '=');
        let name = it.next().unwrap_or("").trim().to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        if out.len() >= MAX_DIRECTIVES {
            return None;
        }
        let v = it.next().map(|v| v.trim().trim_matches('"'));
        out.push((name, v));
    }
    Some(out)
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

/// `value` with the whitespace around its commas and at its ends removed.
fn normalised(value: &str) -> String {
    value
        .split(',')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(",")
}

/// The `Vary` field names, lowercase; `None` when the response may not be
/// stored because of them (`*`, a personal field, too many).
fn vary_fields(vary: Option<&str>) -> Option<Vec<String>> {
    let mut fields: Vec<String> = Vec::new();
    for f in vary.unwrap_or("").split(',') {
        let f = f.trim().to_ascii_lowercase();
        if f.is_empty() || fields.contains(&f) {
            continue;
        }
        if f == "*" || PERSONAL_FIELDS.contains(&f.as_str()) || fields.len() >= MAX_VARY_FIELDS {
            return None;
        }
        if !f
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            return None;
        }
        fields.push(f);
    }
    Some(fields)
}

/// Whether the response may be kept for serving stale, for how long, and
/// for which requests; `request_header` gives the fetching request's value
/// of a field (all lines joined), for the fields `Vary` names.
/// `default_stale_if_error`: the gateway's window when the response names
/// none (0 keeps nothing that is not fresh).
pub fn storable_for(
    x: &Exchange<'_>,
    default_stale_if_error: u32,
    request_header: impl Fn(&str) -> Option<String>,
) -> Option<Stored> {
    if x.method != "GET" || x.has_set_cookie || !STORABLE_STATUSES.contains(&x.status) {
        return None;
    }
    let request = directives(x.request_cache_control.unwrap_or(""))?;
    if request.iter().any(|(n, _)| n == "no-store") {
        return None;
    }
    let mut max_age = None;
    let mut s_maxage = None;
    let mut sie = None;
    let mut public = false;
    let mut no_stale = false;
    for (name, v) in directives(x.cache_control.unwrap_or(""))? {
        match name.as_str() {
            "no-store" | "private" | "no-cache" => return None,
            "max-age" => max_age = max_age.or(seconds(v)),
            "s-maxage" => {
                s_maxage = s_maxage.or(seconds(v));
                no_stale = true;
            }
            "stale-if-error" => sie = sie.or(seconds(v)),
            "public" => public = true,
            "must-revalidate" | "proxy-revalidate" => no_stale = true,
            _ => {}
        }
    }
    // RFC 9111 §3.5: a request with Authorization only when the response allows sharing it.
    if x.has_authorization && !(public || no_stale) {
        return None;
    }
    if !public && max_age.is_none() && s_maxage.is_none() && sie.is_none() {
        return None;
    }
    let fresh_secs = s_maxage.or(max_age).unwrap_or(0);
    let stale_if_error_secs = if no_stale {
        0
    } else {
        sie.unwrap_or(default_stale_if_error)
    };
    if fresh_secs.saturating_add(stale_if_error_secs) == 0 {
        return None;
    }
    let mut vary = Vec::new();
    for field in vary_fields(x.vary)? {
        let value = request_header(&field).map(|v| normalised(&v));
        if value.as_ref().is_some_and(|v| v.len() > MAX_VARY_VALUE) {
            return None;
        }
        vary.push((field, value));
    }
    Some(Stored {
        fresh_secs,
        stale_if_error_secs,
        vary,
    })
}

/// [`storable_for`] when `Vary` names no field the request's values are
/// needed for (a response with `Vary` fields is not stored by this form).
pub fn storable(x: &Exchange<'_>, default_stale_if_error: u32) -> Option<Stored> {
    let s = storable_for(x, default_stale_if_error, |_| None)?;
    s.vary.is_empty().then_some(s)
}

/// Whether a request whose field values `request_header` gives may be
/// served a copy stored with `stored` (RFC 9111 §4.1).
pub fn vary_matches(
    stored: &[(String, Option<String>)],
    request_header: impl Fn(&str) -> Option<String>,
) -> bool {
    stored.iter().all(|(field, value)| {
        request_header(field).map(|v| normalised(&v)).as_deref() == value.as_deref()
    })
}

/// Whether a copy stored at `stored_at_ms` may be served at `now_ms` for a
/// failing origin (a clock going backwards counts as age 0).
pub fn usable(stored: &Stored, stored_at_ms: u64, now_ms: u64) -> bool {
    let age_ms = now_ms.saturating_sub(stored_at_ms);
    age_ms <= u64::from(stored.lifetime_secs()) * 1000
}

/// [`Stored::vary`] as one header value kept with the copy (JSON), and back.
///
/// # Example
/// ```
/// use gatewise_core::stale::{decode_vary, encode_vary};
/// let v = vec![("accept-language".to_string(), Some("de".to_string())), ("x-theme".to_string(), None)];
/// assert_eq!(decode_vary(&encode_vary(&v)), Some(v));
/// assert_eq!(decode_vary("not json"), None);
/// ```
pub fn encode_vary(vary: &[(String, Option<String>)]) -> String {
    serde_json::to_string(vary).unwrap_or_else(|_| "[]".to_owned())
}

/// See [`encode_vary`]; `None` (no match possible) when it cannot be read or is out of bounds.
pub fn decode_vary(value: &str) -> Option<Vec<(String, Option<String>)>> {
    if value.len() > (MAX_VARY_VALUE + 64) * MAX_VARY_FIELDS {
        return None;
    }
    let v: Vec<(String, Option<String>)> = serde_json::from_str(value).ok()?;
    (v.len() <= MAX_VARY_FIELDS).then_some(v)
}

/// Where the stale-copy notice goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Into the page, right after `<body …>`, as ASCII bytes.
    Body,
    /// Only in the response's header (`X-Gatewise-Stale`).
    HeaderOnly,
}

/// WHATWG Encoding Standard labels (lowercase) of the encodings in which
/// every ASCII byte stands for itself and never occurs inside a multi-byte
/// character's `<`…`>` tag bytes: UTF-8, the single-byte encodings, and the
/// legacy CJK encodings except ISO-2022-JP (stateful: ASCII bytes are kanji
/// between escapes). Not here, so header only: UTF-16BE/LE, ISO-2022-JP, the
/// `replacement` encoding's labels, and anything unknown.
/// Source: <https://encoding.spec.whatwg.org/#names-and-labels>.
pub const ASCII_COMPATIBLE: &[&str] = &[
    "utf-8",
    "utf8",
    "unicode-1-1-utf-8",
    "us-ascii",
    "ascii",
    "iso-8859-1",
    "iso8859-1",
    "latin1",
    "l1",
    "windows-1252",
    "cp1252",
    "iso-8859-2",
    "latin2",
    "iso-8859-3",
    "iso-8859-4",
    "iso-8859-5",
    "iso-8859-6",
    "iso-8859-7",
    "iso-8859-8",
    "iso-8859-8-i",
    "iso-8859-10",
    "iso-8859-13",
    "iso-8859-14",
    "iso-8859-15",
    "latin9",
    "iso-8859-16",
    "windows-1250",
    "windows-1251",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "windows-1257",
    "windows-1258",
    "windows-874",
    "tis-620",
    "koi8-r",
    "koi8-u",
    "ibm866",
    "macintosh",
    "x-mac-cyrillic",
    "gbk",
    "gb2312",
    "gb18030",
    "big5",
    "big5-hkscs",
    "euc-jp",
    "euc-kr",
    "shift_jis",
    "shift-jis",
    "sjis",
    "windows-31j",
    "x-sjis",
];

fn ascii_compatible(label: &str) -> bool {
    let label = label.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    ASCII_COMPATIBLE.contains(&label.as_str())
}

/// The `charset` parameter of a `Content-Type` value, if any.
fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("charset").then(|| v.trim())
    })
}

/// Where the notice may go in a stored HTML page with this `Content-Type`
/// whose body starts with `head` (its first KiB is looked at when the header
/// names no charset: a byte-order mark, or a `charset=` in a `<meta>`).
///
/// # Example
/// ```
/// use gatewise_core::stale::{notice_placement, Placement};
/// assert_eq!(notice_placement(Some("text/html; charset=ISO-8859-1"), b"<html>"), Placement::Body);
/// assert_eq!(notice_placement(Some("text/html; charset=utf-16le"), b"<\0h\0"), Placement::HeaderOnly);
/// assert_eq!(notice_placement(Some("text/html"), b"<meta charset=\"iso-2022-jp\">"), Placement::HeaderOnly);
/// assert_eq!(notice_placement(Some("text/html"), b"<!doctype html><p>hi"), Placement::Body);
/// ```
pub fn notice_placement(content_type: Option<&str>, head: &[u8]) -> Placement {
    let fits = |ok: bool| {
        if ok {
            Placement::Body
        } else {
            Placement::HeaderOnly
        }
    };
    if let Some(label) = content_type.and_then(charset_param) {
        return fits(ascii_compatible(label));
    }
    let head = head.get(..1024).unwrap_or(head);
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Placement::Body;
    }
    if head.starts_with(&[0xFE, 0xFF]) || head.starts_with(&[0xFF, 0xFE]) || head.contains(&0) {
        return Placement::HeaderOnly;
    }
    let lower = head.to_ascii_lowercase();
    match lower.windows(8).position(|w| w == b"charset=") {
        None => Placement::Body,
        Some(i) => {
            let rest = lower.get(i.saturating_add(8)..).unwrap_or(&[]);
            let label: Vec<u8> = rest
                .iter()
                .copied()
                .skip_while(|b| *b == b'"' || *b == b'\'')
                .take_while(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(b))
                .collect();
            fits(std::str::from_utf8(&label).is_ok_and(ascii_compatible))
        }
    }
}

/// `page` with `notice` (ASCII) inserted right after the opening `<body …>`
/// tag, looked for in the first 64 KiB, else at the very start. No byte of
/// `page` is changed.
///
/// # Example
/// ```
/// use gatewise_core::stale::insert_notice;
/// let page = b"<html><BODY class=x>caf\xe9</body></html>";
/// assert_eq!(insert_notice(page, "<p>!</p>"), b"<html><BODY class=x><p>!</p>caf\xe9</body></html>".to_vec());
/// ```
pub fn insert_notice(page: &[u8], notice: &str) -> Vec<u8> {
    let head = page.get(..page.len().min(65_536)).unwrap_or(page);
    let lower = head.to_ascii_lowercase();
    let at = lower
        .windows(5)
        .position(|w| w == b"<body")
        .and_then(|i| {
            let close = lower.get(i..)?.iter().position(|b| *b == b'>')?;
            i.checked_add(close)?.checked_add(1)
        })
        .unwrap_or(0);
    let (before, after) = page.split_at(at.min(page.len()));
    let mut out = Vec::with_capacity(page.len().saturating_add(notice.len()));
    out.extend_from_slice(before);
    out.extend_from_slice(notice.as_bytes());
    out.extend_from_slice(after);
    out
}

/// `html` with every non-ASCII character written as a numeric character
/// reference, so that it reads the same in any ASCII-compatible encoding.
///
/// # Example
/// ```
/// assert_eq!(gatewise_core::stale::ascii_html("Grüße, 日本"), "Gr&#xFC;&#xDF;e, &#x65E5;&#x672C;");
/// ```
pub fn ascii_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    for c in html.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("&#x{:X};", u32::from(c)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(v: &str) -> Option<Stored> {
        storable(
            &Exchange {
                cache_control: Some(v),
                ..Exchange::get(200)
            },
            300,
        )
    }

    fn kept(fresh_secs: u32, stale_if_error_secs: u32) -> Option<Stored> {
        Some(Stored {
            fresh_secs,
            stale_if_error_secs,
            vary: Vec::new(),
        })
    }

    #[test]
    fn storage_rules() {
        assert_eq!(cc(""), None, "nothing explicit: not copied");
        assert_eq!(cc("public"), kept(0, 300));
        assert_eq!(
            cc("max-age=10, s-maxage=20"),
            kept(20, 0),
            "s-maxage: never stale"
        );
        assert_eq!(cc("max-age=\"5\""), kept(5, 300));
        assert_eq!(cc("max-age=abc"), None);
        assert_eq!(cc("public, max-age=abc"), kept(0, 300));
        assert_eq!(cc("max-age=60, stale-if-error=600"), kept(60, 600));
        assert_eq!(cc("max-age=60, must-revalidate"), kept(60, 0));
        assert_eq!(cc("max-age=0, must-revalidate"), None, "no window at all");
        assert_eq!(
            cc("max-age=0, must-revalidate, stale-if-error=30"),
            None,
            "must-revalidate wins"
        );
        assert_eq!(cc("stale-if-error=0"), None);
        for no in [
            "no-store",
            "Private",
            "no-cache",
            "public, NO-STORE",
            "private=\"set-cookie\"",
            "no-cache=\"x\"",
        ] {
            assert_eq!(cc(no), None, "{no}");
        }
        let get = Exchange {
            cache_control: Some("max-age=60"),
            ..Exchange::get(200)
        };
        assert_eq!(storable(&Exchange { status: 404, ..get }, 300), None);
        assert_eq!(
            storable(
                &Exchange {
                    has_set_cookie: true,
                    ..get
                },
                300
            ),
            None
        );
        assert_eq!(
            storable(
                &Exchange {
                    method: "HEAD",
                    ..get
                },
                300
            ),
            None
        );
        assert_eq!(storable(&get, 0), kept(60, 0));
        assert_eq!(
            storable(
                &Exchange {
                    request_cache_control: Some("no-store"),
                    ..get
                },
                300
            ),
            None
        );
        // Authorization: only what the response says may be shared (RFC 9111 §3.5).
        let auth = Exchange {
            has_authorization: true,
            ..get
        };
        assert_eq!(storable(&auth, 300), None);
        assert_eq!(
            storable(
                &Exchange {
                    cache_control: Some("public, max-age=60"),
                    ..auth
                },
                300
            ),
            kept(60, 300)
        );
        assert_eq!(
            storable(
                &Exchange {
                    cache_control: Some("s-maxage=60"),
                    ..auth
                },
                300
            ),
            kept(60, 0)
        );
    }

    #[test]
    fn bounds_fail_closed() {
        // `private` past 4 KiB or as the 33rd directive: the value cannot be read whole, so no.
        let long = format!("max-age=60, {}private", "x, ".repeat(2_000));
        assert!(long.len() > MAX_VALUE);
        assert_eq!(cc(&long), None);
        let many = format!("max-age=60, {}private", "a, ".repeat(31));
        assert_eq!(cc(&many), None);
        let ok = format!("max-age=60, {}public", "a, ".repeat(30));
        assert_eq!(cc(&ok).map(|s| s.fresh_secs), Some(60));
        // A second Cache-Control line, joined: read as one list.
        assert_eq!(cc("max-age=60, private"), None);
        assert_eq!(cc("public, max-age=99999999999999"), kept(0, 300));
    }

    #[test]
    fn vary() {
        let x = |v: &'static str| Exchange {
            cache_control: Some("public, max-age=60"),
            vary: Some(v),
            ..Exchange::get(200)
        };
        let de = |f: &str| (f == "accept-language").then(|| "de ,  en;q=0.5".to_string());
        let s = storable_for(&x("Accept-Language"), 300, de).unwrap();
        assert_eq!(
            s.vary,
            [(
                "accept-language".to_string(),
                Some("de,en;q=0.5".to_string())
            )]
        );
        assert!(vary_matches(&s.vary, |_| Some("de, en;q=0.5".into())));
        assert!(!vary_matches(&s.vary, |_| Some("fr".into())));
        assert!(!vary_matches(&s.vary, |_| None));
        let absent = storable_for(&x("X-Theme"), 300, |_| None).unwrap();
        assert!(vary_matches(&absent.vary, |_| None));
        assert!(!vary_matches(&absent.vary, |_| Some(String::new())));
        for personal in [
            "Cookie",
            "authorization",
            "Accept, Cookie",
            "*",
            "Proxy-Authorization",
            "a,b,c,d,e,f,g,h,i",
            "bad field",
        ] {
            assert_eq!(
                storable_for(&x(personal), 300, |_| None),
                None,
                "{personal}"
            );
        }
        assert_eq!(
            storable(&x("Accept-Language"), 300),
            None,
            "the form without values stores no Vary'd copy"
        );
        let huge = storable_for(&x("X-Big"), 300, |_| Some("a".repeat(2_000)));
        assert_eq!(huge, None);
    }

    #[test]
    fn notice() {
        assert_eq!(
            notice_placement(None, b"\xEF\xBB\xBF<html>"),
            Placement::Body
        );
        assert_eq!(
            notice_placement(None, b"\xFF\xFE<\0"),
            Placement::HeaderOnly
        );
        assert_eq!(
            notice_placement(Some("text/html; charset=\"Shift_JIS\""), b""),
            Placement::Body
        );
        assert_eq!(
            notice_placement(Some("text/html;charset=x-unknown"), b""),
            Placement::HeaderOnly
        );
        assert_eq!(
            notice_placement(
                Some("text/html"),
                b"<meta http-equiv=content-type content='text/html; charset=windows-1251'>"
            ),
            Placement::Body
        );
        assert_eq!(insert_notice(b"no body tag", "N"), b"Nno body tag".to_vec());
        assert_eq!(
            insert_notice(b"<body", "N"),
            b"N<body".to_vec(),
            "an unclosed tag: at the start"
        );
    }

    #[test]
    fn windows() {
        let s = Stored {
            fresh_secs: 1,
            stale_if_error_secs: 2,
            vary: Vec::new(),
        };
        assert!(usable(&s, 1000, 4000));
        assert!(!usable(&s, 1000, 4001));
        assert!(usable(&s, 5000, 1000));
        let huge = Stored {
            fresh_secs: u32::MAX,
            stale_if_error_secs: u32::MAX,
            vary: Vec::new(),
        };
        assert_eq!(huge.lifetime_secs(), u32::MAX);
    }
}
