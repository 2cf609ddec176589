//! Header policy: what the worker adds to a forwarded request, what it
//! removes, and the headers every answer it writes itself carries.
//!
//! Kept minimal on purpose (the happy path must cost about what a plain
//! `fetch(request)` costs): the incoming headers are forwarded as they are,
//! except the owner's debug token ([`DEBUG_HEADER`], [`DEBUG_COOKIE`]),
//! which never reaches the origin; `X-Forwarded-For`/`-Proto`/`-Host`
//! and `Forwarded` (RFC 7239) are appended; `CDN-Loop` (RFC 8586) gets this
//! worker's id.
//!
//! # Example
//! ```
//! use gatewise_worker::headers::{forwarded_element, strip_debug_cookie};
//! assert_eq!(forwarded_element(Some("2001:db8::1"), "example.com", "https"),
//!            r#"for="[2001:db8::1]";host=example.com;proto=https"#);
//! assert_eq!(strip_debug_cookie("a=1; gatewise_debug=t0k; b=2"), Some("a=1; b=2".to_string()));
//! assert_eq!(strip_debug_cookie("a=1"), None);
//! ```

/// The request header carrying the owner's debug token.
pub const DEBUG_HEADER: &str = "x-gatewise-debug";
/// The cookie carrying the owner's debug token.
pub const DEBUG_COOKIE: &str = "gatewise_debug";
/// The response header marking a stale copy served because the origin failed.
pub const STALE_HEADER: &str = "x-gatewise-stale";
/// The response header carrying the request id on the worker's own answers.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The Content-Security-Policy of every page the worker writes: nothing
/// loads but inline style, data: images and the worker's own scripts (no
/// inline script, no wasm: the live checks need neither). The checks fetch
/// the edge's endpoints, a DNS-over-HTTPS resolver and a few other sites,
/// hence `connect-src 'self' https:`.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
script-src 'self'; connect-src 'self' https:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Headers on every answer the worker writes itself (error pages, endpoints).
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("cache-control", "private, no-store"),
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
];

/// The Content-Security-Policy of the browser page's files under the
/// reserved prefix (the explainer `index.html`, `element.js` and their
/// chunks): [`CSP`] plus `'wasm-unsafe-eval'`, because the explainer runs the
/// core as WebAssembly. Still no inline script and no `eval`.
pub const ASSET_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' https:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Headers set on every file of the browser page the worker serves from
/// its static assets (their own `Cache-Control` and `ETag` are kept: they
/// are public files). Without them the explainer ran without a CSP.
pub const ASSET_HEADERS: &[(&str, &str)] = &[
    ("content-security-policy", ASSET_CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
];

/// One `Forwarded` element (RFC 7239 §4): `for` (an IPv6 address in quoted
/// brackets, `unknown` when the client address is not known), `host`, `proto`.
pub fn forwarded_element(client_ip: Option<&str>, host: &str, proto: &str) -> String {
    let node = match client_ip.map(str::trim).filter(|ip| !ip.is_empty()) {
        Some(ip) if ip.contains(':') => format!("\"[{ip}]\""),
        Some(ip) => ip.to_owned(),
        None => "unknown".to_owned(),
    };
    let host = if host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    {
        host.to_owned()
    } else {
        format!("\"{}\"", host.replace(['"', '\\'], ""))
    };
    format!("for={node};host={host};proto={proto}")
}

/// `existing, value`, or `value` alone.
pub fn append_list(existing: Option<&str>, value: &str) -> String {
    match existing.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => format!("{e}, {value}"),
        None => value.to_owned(),
    }
}

/// The pairs of a `Cookie` value. Several `Cookie` lines reach the worker
/// joined with `", "` (the runtime's `Headers.get`), and a cookie value
/// cannot hold a comma (RFC 6265 §4.1.1 `cookie-octet`), so both `;` and `,`
/// separate pairs: the debug cookie is found on any line.
fn cookie_pairs(cookie: &str) -> impl Iterator<Item = &str> {
    cookie
        .split([';', ','])
        .map(str::trim)
        .filter(|c| !c.is_empty())
}

/// Whether a cookie pair is the debug cookie.
fn is_debug_pair(pair: &str) -> bool {
    pair.split('=')
        .next()
        .is_some_and(|name| name.trim() == DEBUG_COOKIE)
}

/// The `Cookie` value without the debug cookie — every line of it, joined
/// with `"; "` — or `None` when it has none (the common case costs one
/// substring search).
///
/// # Example
/// ```
/// use gatewise_worker::headers::strip_debug_cookie;
/// assert_eq!(strip_debug_cookie("a=1, gatewise_debug=t0k"), Some("a=1".to_string()));
/// ```
pub fn strip_debug_cookie(cookie: &str) -> Option<String> {
    if !cookie.contains(DEBUG_COOKIE) || !cookie_pairs(cookie).any(is_debug_pair) {
        return None;
    }
    let kept: Vec<&str> = cookie_pairs(cookie).filter(|c| !is_debug_pair(c)).collect();
    Some(kept.join("; "))
}

/// The debug token a request presents: the header, else the cookie (on any `Cookie` line).
pub fn presented_token<'a>(header: Option<&'a str>, cookie: Option<&'a str>) -> Option<&'a str> {
    if let Some(h) = header.map(str::trim).filter(|h| !h.is_empty()) {
        return Some(h);
    }
    cookie_pairs(cookie?).find_map(|c| {
        let (name, value) = c.split_once('=')?;
        (name.trim() == DEBUG_COOKIE).then(|| value.trim())
    })
}

/// Whether `presented` is the owner's token (constant-time, through the core).
pub fn is_owner(expected: Option<&str>, presented: Option<&str>) -> bool {
    match (expected, presented) {
        (Some(e), Some(p)) => gatewise_core::secret::constant_time_eq(e.as_bytes(), p.as_bytes()),
        _ => false,
    }
}

/// `NEL` and `Reporting-Endpoints` values for a reports endpoint at `path`
/// (W3C Network Error Logging, Reporting API): failures only, one day.
pub fn nel_headers(path: &str) -> [(&'static str, String); 2] {
    [
        (
            "nel",
            r#"{"report_to":"gatewise","max_age":86400,"failure_fraction":1.0,"success_fraction":0.0}"#
                .to_owned(),
        ),
        ("reporting-endpoints", format!("gatewise=\"{path}\"")),
    ]
}

/// The request headers the happy path reads, fetched from the runtime in
/// one call (in this order) with the URL and the method: see [`RequestFacts`].
pub const FACT_HEADERS: [&str; 7] = [
    "cdn-loop",
    "cf-connecting-ip",
    "x-forwarded-for",
    "forwarded",
    "cookie",
    "content-length",
    "authorization",
];

/// How the runtime glue marks an absent header in the facts line (NUL can
/// never be part of a header value, RFC 9110 §5.5).
pub const ABSENT: &str = "\0";

/// What the worker reads of a request before forwarding it: the URL, the
/// method, whether it has a body, and the [`FACT_HEADERS`], decoded from the
/// one line the runtime glue returns (`url \n method \n 0|1 \n value…`,
/// absent values as [`ABSENT`]).
///
/// # Example
/// ```
/// use gatewise_worker::headers::RequestFacts;
/// let f = RequestFacts::decode("https://a.example/x\nGET\n0\ngatewise\n\0\n\0\n\0\n\0\n\0\n\0").unwrap();
/// assert_eq!((f.url.as_str(), f.method.as_str(), f.has_body), ("https://a.example/x", "GET", false));
/// assert_eq!(f.cdn_loop(), Some("gatewise"));
/// assert_eq!(f.client_ip(), None);
/// assert!(RequestFacts::decode("too\nshort").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFacts {
    /// The request URL, as the runtime gives it.
    pub url: String,
    /// The request method.
    pub method: String,
    /// Whether the request has a body (whatever its method).
    pub has_body: bool,
    values: [Option<String>; FACT_HEADERS.len()],
}

impl RequestFacts {
    /// Decodes the facts line; `None` when it does not have every field.
    pub fn decode(line: &str) -> Option<Self> {
        let mut fields = line.split('\n');
        let url = fields.next()?.to_owned();
        let method = fields.next()?.to_owned();
        let has_body = match fields.next()? {
            "1" => true,
            "0" => false,
            _ => return None,
        };
        let mut values: [Option<String>; FACT_HEADERS.len()] = Default::default();
        for v in values.iter_mut() {
            let field = fields.next()?;
            *v = (field != ABSENT).then(|| field.to_owned());
        }
        fields.next().is_none().then_some(Self {
            url,
            method,
            has_body,
            values,
        })
    }

    /// The value of one of the [`FACT_HEADERS`] (`None`: absent, or not a fact header).
    pub fn header(&self, name: &str) -> Option<&str> {
        let i = FACT_HEADERS.iter().position(|n| *n == name)?;
        self.values.get(i)?.as_deref()
    }

    /// `CDN-Loop` as received.
    pub fn cdn_loop(&self) -> Option<&str> {
        self.header("cdn-loop")
    }

    /// The client's address as Cloudflare reports it (`CF-Connecting-IP`).
    pub fn client_ip(&self) -> Option<&str> {
        self.header("cf-connecting-ip")
    }
}

/// One change to the forwarded request's headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderEdit {
    /// Remove the header.
    Delete(&'static str),
    /// Set the header to this value (replacing any).
    Set(&'static str, String),
}

/// The edits that turn a request's headers into the forwarded ones: `Host`
/// removed (the runtime sets the origin's); the owner's debug token removed
/// (only looked for when one is configured); `X-Forwarded-For` (with
/// `CF-Connecting-IP`), `X-Forwarded-Proto`, `X-Forwarded-Host`, `Forwarded`
/// appended to; `CDN-Loop` with `cdn_loop_id` appended.
///
/// # Example
/// ```
/// use gatewise_worker::headers::{forward_edits, HeaderEdit, RequestFacts};
/// use gatewise_worker::route::split_url;
/// let f = RequestFacts::decode("https://shop.example/a\nGET\n0\n\0\n192.0.2.7\n\0\n\0\n\0\n\0\n\0").unwrap();
/// let edits = forward_edits(&f, split_url(&f.url), false, "gatewise");
/// assert_eq!(edits[0], HeaderEdit::Delete("host"));
/// assert!(edits.contains(&HeaderEdit::Set("x-forwarded-for", "192.0.2.7".into())));
/// assert!(edits.contains(&HeaderEdit::Set("cdn-loop", "gatewise".into())));
/// ```
pub fn forward_edits(
    facts: &RequestFacts,
    parts: crate::route::UrlParts<'_>,
    debug_token_configured: bool,
    cdn_loop_id: &str,
) -> Vec<HeaderEdit> {
    let mut edits = vec![HeaderEdit::Delete("host")];
    if debug_token_configured {
        edits.push(HeaderEdit::Delete(DEBUG_HEADER));
        if let Some(kept) = facts.header("cookie").and_then(strip_debug_cookie) {
            edits.push(if kept.is_empty() {
                HeaderEdit::Delete("cookie")
            } else {
                HeaderEdit::Set("cookie", kept)
            });
        }
    }
    let client_ip = facts.client_ip();
    if let Some(ip) = client_ip {
        edits.push(HeaderEdit::Set(
            "x-forwarded-for",
            append_list(facts.header("x-forwarded-for"), ip),
        ));
    }
    edits.push(HeaderEdit::Set(
        "x-forwarded-proto",
        parts.scheme.to_owned(),
    ));
    edits.push(HeaderEdit::Set("x-forwarded-host", parts.host.to_owned()));
    edits.push(HeaderEdit::Set(
        "forwarded",
        append_list(
            facts.header("forwarded"),
            &forwarded_element(client_ip, parts.host, parts.scheme),
        ),
    ));
    edits.push(HeaderEdit::Set(
        "cdn-loop",
        gatewise_core::cdn_loop::append(facts.cdn_loop(), cdn_loop_id),
    ));
    edits
}

/// The edits as the runtime glue applies them in one call: one per line,
/// `name` to delete, `name:value` to set. Line breaks in a value (which no
/// header value can carry) become spaces, so one edit stays one line.
///
/// # Example
/// ```
/// use gatewise_worker::headers::{encode_edits, HeaderEdit};
/// let e = [HeaderEdit::Delete("host"), HeaderEdit::Set("cdn-loop", "a, gatewise".into())];
/// assert_eq!(encode_edits(&e), "host\ncdn-loop:a, gatewise");
/// ```
pub fn encode_edits(edits: &[HeaderEdit]) -> String {
    let mut out = String::new();
    for (i, e) in edits.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match e {
            HeaderEdit::Delete(name) => out.push_str(name),
            HeaderEdit::Set(name, value) => push_header_line(&mut out, name, value),
        }
    }
    out
}

/// Headers as `name:value` lines, in order (repeated names kept): how the
/// runtime glue receives the headers of an answer in one call.
///
/// # Example
/// ```
/// use gatewise_worker::headers::encode_header_lines;
/// let h = [("retry-after", "5".to_string()), ("x-request-id", "a\nb".to_string())];
/// assert_eq!(encode_header_lines(&h), "retry-after:5\nx-request-id:a b");
/// ```
pub fn encode_header_lines(headers: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in headers.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        push_header_line(&mut out, name, value);
    }
    out
}

/// `name:value`, with line breaks and NULs in the value (which no header
/// value can carry) as spaces, so that one header stays one line.
fn push_header_line(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push(':');
    if !value.contains(['\n', '\r', '\0']) {
        out.push_str(value);
        return;
    }
    out.extend(value.chars().map(|c| match c {
        '\n' | '\r' | '\0' => ' ',
        c => c,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(cdn_loop: &str, ip: &str, xff: &str, cookie: &str) -> RequestFacts {
        let v = |s: &str| {
            if s.is_empty() {
                ABSENT.to_owned()
            } else {
                s.to_owned()
            }
        };
        let line = format!(
            "https://shop.example:8443/a?b=1\nPOST\n1\n{}\n{}\n{}\n\0\n{}\n12\n\0",
            v(cdn_loop),
            v(ip),
            v(xff),
            v(cookie)
        );
        RequestFacts::decode(&line).unwrap()
    }

    #[test]
    fn facts_decode_every_field_and_refuse_a_short_or_long_line() {
        let f = facts("other", "2001:db8::1", "198.51.100.1", "a=1");
        assert_eq!(f.method, "POST");
        assert_eq!(f.url, "https://shop.example:8443/a?b=1");
        assert_eq!(f.cdn_loop(), Some("other"));
        assert_eq!(f.client_ip(), Some("2001:db8::1"));
        assert_eq!(f.header("content-length"), Some("12"));
        assert_eq!(f.header("authorization"), None);
        assert_eq!(f.header("forwarded"), None);
        assert_eq!(f.header("not-a-fact"), None);
        assert!(f.has_body);
        let line = "u\nGET\n0".to_owned() + &"\n\0".repeat(FACT_HEADERS.len());
        assert!(RequestFacts::decode(&line).is_some());
        assert!(RequestFacts::decode(&(line.clone() + "\nextra")).is_none());
        assert!(RequestFacts::decode(&line[..line.len() - 2]).is_none());
    }

    #[test]
    fn forward_edits_append_and_strip_exactly() {
        let f = facts(
            "other",
            "2001:db8::1",
            "198.51.100.1",
            "a=1; gatewise_debug=t; b=2",
        );
        let parts = crate::route::split_url(&f.url);
        let e = forward_edits(&f, parts, true, "gatewise");
        assert_eq!(
            encode_edits(&e),
            "host\nx-gatewise-debug\ncookie:a=1; b=2\n\
             x-forwarded-for:198.51.100.1, 2001:db8::1\n\
             x-forwarded-proto:https\nx-forwarded-host:shop.example:8443\n\
             forwarded:for=\"[2001:db8::1]\";host=\"shop.example:8443\";proto=https\n\
             cdn-loop:other, gatewise"
        );
        // Without a configured token the cookie is not even looked at.
        let e = forward_edits(&f, parts, false, "gatewise");
        assert!(!e.iter().any(|x| matches!(
            x,
            HeaderEdit::Set("cookie", _) | HeaderEdit::Delete("cookie")
        )));
        // Only the debug cookie: the header goes.
        let f = facts("", "", "", "gatewise_debug=t");
        let e = forward_edits(&f, crate::route::split_url(&f.url), true, "gw");
        assert!(e.contains(&HeaderEdit::Delete("cookie")));
        assert!(!e
            .iter()
            .any(|x| matches!(x, HeaderEdit::Set("x-forwarded-for", _))));
        assert!(e.contains(&HeaderEdit::Set("cdn-loop", "gw".into())));
    }

    #[test]
    fn encoded_edits_stay_one_per_line() {
        let e = [HeaderEdit::Set("forwarded", "a\r\nb\0c".into())];
        assert_eq!(encode_edits(&e), "forwarded:a  b c");
        assert_eq!(encode_edits(&[]), "");
    }

    #[test]
    fn forwarded_elements() {
        assert_eq!(
            forwarded_element(Some("192.0.2.60"), "a.example", "http"),
            "for=192.0.2.60;host=a.example;proto=http"
        );
        assert_eq!(
            forwarded_element(None, "a.example:8787", "http"),
            "for=unknown;host=\"a.example:8787\";proto=http"
        );
        assert_eq!(append_list(Some("a"), "b"), "a, b");
        assert_eq!(append_list(Some("  "), "b"), "b");
        assert_eq!(append_list(None, "b"), "b");
    }

    #[test]
    fn debug_token_is_found_and_stripped() {
        assert_eq!(
            presented_token(Some(" t "), Some("gatewise_debug=c")),
            Some("t")
        );
        assert_eq!(
            presented_token(None, Some("x=1; gatewise_debug=c")),
            Some("c")
        );
        assert_eq!(presented_token(None, Some("xgatewise_debug=c")), None);
        assert_eq!(presented_token(None, None), None);
        assert_eq!(strip_debug_cookie("gatewise_debug=x"), Some(String::new()));
        // A second Cookie line (the runtime joins lines with ", "): found and stripped there too.
        assert_eq!(
            presented_token(None, Some("a=1, gatewise_debug=secret")),
            Some("secret")
        );
        assert_eq!(
            strip_debug_cookie("a=1; b=2, gatewise_debug=secret, c=3"),
            Some("a=1; b=2; c=3".to_string())
        );
        assert_eq!(strip_debug_cookie("xgatewise_debug=1"), None);
        assert!(is_owner(Some("abc"), Some("abc")));
        assert!(!is_owner(Some("abc"), Some("abd")));
        assert!(!is_owner(None, Some("")));
        assert!(!is_owner(Some("abc"), None));
    }

    #[test]
    fn security_headers_are_strict() {
        let csp = SECURITY_HEADERS
            .iter()
            .find(|(n, _)| *n == "content-security-policy")
            .map(|(_, v)| *v)
            .unwrap();
        for part in [
            "default-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "script-src 'self'",
        ] {
            assert!(csp.contains(part), "{part}");
        }
        assert!(!csp.contains("'unsafe-eval'") && !csp.contains("'unsafe-inline'; script"));
        assert!(SECURITY_HEADERS.contains(&("cache-control", "private, no-store")));
        // The browser page's files: the same policy, plus WebAssembly for the explainer.
        assert_eq!(
            ASSET_CSP.replace(" 'wasm-unsafe-eval'", ""),
            csp,
            "ASSET_CSP is CSP plus 'wasm-unsafe-eval'"
        );
        assert!(ASSET_HEADERS.contains(&("x-content-type-options", "nosniff")));
        assert!(!ASSET_HEADERS.iter().any(|(n, _)| *n == "cache-control"));
        let [nel, rep] = nel_headers("/__gatewise/reports");
        assert!(serde_json::from_str::<serde_json::Value>(&nel.1).is_ok());
        assert_eq!(rep.1, "gatewise=\"/__gatewise/reports\"");
    }
}
