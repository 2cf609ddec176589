//! Which requests are the worker's own: the reserved endpoints under
//! `RESERVED_PREFIX`. Everything else goes to the origin.
//!
//! # Example
//! ```
//! use gatewise_worker::route::{route, Route};
//! let p = "/__gatewise/";
//! assert_eq!(route("/index.html", p), Route::Proxy);
//! assert_eq!(route("/__gatewise/health", p), Route::Health);
//! assert_eq!(route("/__gatewise/checks.js", p), Route::Asset("checks.js"));
//! assert_eq!(route("/__gatewise/../etc/passwd", p), Route::NotFound);
//! // One way in: the prefix itself is the explainer.
//! assert_eq!(route("/__gatewise/", p), Route::Asset("index.html"));
//! assert_eq!(route("/__gatewise", p), Route::ToPrefix);
//! ```

/// What a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// Forward to the origin.
    Proxy,
    /// `health`: the worker's own state as JSON (no origin request).
    Health,
    /// `origin-status`: a probe of the configured origin, as JSON.
    OriginStatus,
    /// `reports`: the NEL / Reporting API collector (POST).
    Reports,
    /// `incidents`: the owner's incident view (404 without the debug token).
    Incidents,
    /// `recheck`: repeats the request an error page failed on (its token
    /// says which), for the page's live checks (`crate::recheck`).
    Recheck,
    /// The prefix without its trailing `/`: a redirect to the prefix (the explainer).
    ToPrefix,
    /// `selftest/crash`: the owner's check of crash recovery (a deliberate
    /// panic when the request carries the debug token; 404 for anyone else).
    SelfTestCrash,
    /// A static file of the browser page (`checks.js`, its wasm), by its path under the prefix.
    Asset(&'a str),
    /// Under the prefix, but nothing there.
    NotFound,
}

/// A request URL split once: scheme, host (with port), path and query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlParts<'a> {
    /// `http` or `https`.
    pub scheme: &'a str,
    /// `host[:port]` as the client sent it.
    pub host: &'a str,
    /// The path, starting with `/`.
    pub path: &'a str,
    /// The path and query (`/a?b=c`), as forwarded.
    pub path_and_query: &'a str,
}

impl UrlParts<'_> {
    /// The public URL without its fragment: `scheme://host/path?query`.
    ///
    /// # Example
    /// ```
    /// use gatewise_worker::route::split_url;
    /// assert_eq!(split_url("https://a.example:8443/x?y=1#top").public_url(), "https://a.example:8443/x?y=1");
    /// ```
    pub fn public_url(&self) -> String {
        format!("{}://{}{}", self.scheme, self.host, self.path_and_query)
    }
}

/// Splits an absolute URL (`scheme://host/path?query#fragment`); the
/// fragment is dropped. A URL without `://` is all path.
///
/// # Example
/// ```
/// use gatewise_worker::route::split_url;
/// let p = split_url("https://example.com:8443/a/b?x=1#top");
/// assert_eq!((p.scheme, p.host, p.path, p.path_and_query), ("https", "example.com:8443", "/a/b", "/a/b?x=1"));
/// ```
pub fn split_url(url: &str) -> UrlParts<'_> {
    let url = url.split('#').next().unwrap_or(url);
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let at = rest.find(['/', '?']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(at);
    let path_and_query = if tail.is_empty() { "/" } else { tail };
    let path = path_and_query.split('?').next().unwrap_or("/");
    UrlParts {
        scheme,
        host,
        path: if path.is_empty() { "/" } else { path },
        path_and_query,
    }
}

/// The longest asset path accepted.
const MAX_ASSET_PATH: usize = 128;

/// The browser page's file served at the prefix itself: the explainer.
pub const INDEX: &str = "index.html";

/// Routes `path` (the URL path, without query) given the reserved `prefix`
/// (starting and ending with `/`).
pub fn route<'a>(path: &'a str, prefix: &str) -> Route<'a> {
    let Some(rest) = path.strip_prefix(prefix) else {
        return if path == prefix.trim_end_matches('/') {
            Route::ToPrefix
        } else {
            Route::Proxy
        };
    };
    match rest {
        "" => Route::Asset(INDEX),
        "health" => Route::Health,
        "origin-status" => Route::OriginStatus,
        "reports" => Route::Reports,
        "recheck" => Route::Recheck,
        "incidents" => Route::Incidents,
        "selftest/crash" => Route::SelfTestCrash,
        asset if is_asset_path(asset) => Route::Asset(asset),
        _ => Route::NotFound,
    }
}

/// A plain relative file path: `[A-Za-z0-9._-]` segments, no `..`, no empty segment.
fn is_asset_path(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= MAX_ASSET_PATH
        && p.split('/').all(|seg| {
            !seg.is_empty()
                && !seg.starts_with('.')
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let p = split_url("http://localhost:8787");
        assert_eq!(
            (p.host, p.path, p.path_and_query),
            ("localhost:8787", "/", "/")
        );
        let p = split_url("http://h?q=1");
        assert_eq!((p.path, p.path_and_query), ("/", "?q=1"));
        let p = split_url("/only/path");
        assert_eq!(p.path, "/only/path");
    }

    #[test]
    fn routes() {
        let p = "/_gw/";
        assert_eq!(route("/_gw/origin-status", p), Route::OriginStatus);
        assert_eq!(route("/_gw/reports", p), Route::Reports);
        assert_eq!(route("/_gw/selftest/crash", p), Route::SelfTestCrash);
        assert_eq!(
            route("/_gw/pkg/gatewise_bg.wasm", p),
            Route::Asset("pkg/gatewise_bg.wasm")
        );
        assert_eq!(route("/_gw/recheck", p), Route::Recheck);
        assert_eq!(route("/_gw", p), Route::ToPrefix);
        assert_eq!(route("/_gw/", p), Route::Asset("index.html"));
        assert_eq!(route("/_gwx", p), Route::Proxy);
        for bad in ["/_gw/.env", "/_gw/a//b", "/_gw/a%2e", "/_gw/a b"] {
            assert_eq!(route(bad, p), Route::NotFound, "{bad}");
        }
        assert_eq!(
            route(&format!("/_gw/{}", "a".repeat(200)), p),
            Route::NotFound
        );
    }
}
