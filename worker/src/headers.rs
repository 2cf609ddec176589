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

/// The `Cookie` value without the debug cookie, or `None` when it has none
/// (the common case costs one substring search).
pub fn strip_debug_cookie(cookie: &str) -> Option<String> {
    if !cookie.contains(DEBUG_COOKIE) {
        return None;
    }
    let kept: Vec<&str> = cookie
        .split(';')
        .map(str::trim)
        .filter(|c| {
            !c.is_empty()
                && c.split('=')
                    .next()
                    .is_none_or(|name| name.trim() != DEBUG_COOKIE)
        })
        .collect();
    Some(kept.join("; "))
}

/// The debug token a request presents: the header, else the cookie.
pub fn presented_token<'a>(header: Option<&'a str>, cookie: Option<&'a str>) -> Option<&'a str> {
    if let Some(h) = header.map(str::trim).filter(|h| !h.is_empty()) {
        return Some(h);
    }
    cookie?.split(';').find_map(|c| {
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

#[cfg(test)]
mod tests {
    use super::*;

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
