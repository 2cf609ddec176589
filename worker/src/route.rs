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
    /// A static file of the browser page (`checks.js`, its wasm), by its path under the prefix.
    Asset(&'a str),
    /// Under the prefix, but nothing there.
    NotFound,
}

/// The longest asset path accepted.
const MAX_ASSET_PATH: usize = 128;

/// Routes `path` (the URL path, without query) given the reserved `prefix`
/// (starting and ending with `/`).
pub fn route<'a>(path: &'a str, prefix: &str) -> Route<'a> {
    let Some(rest) = path.strip_prefix(prefix) else {
        return if path == prefix.trim_end_matches('/') {
            Route::NotFound
        } else {
            Route::Proxy
        };
    };
    match rest {
        "health" => Route::Health,
        "origin-status" => Route::OriginStatus,
        "reports" => Route::Reports,
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
    fn routes() {
        let p = "/_gw/";
        assert_eq!(route("/_gw/origin-status", p), Route::OriginStatus);
        assert_eq!(route("/_gw/reports", p), Route::Reports);
        assert_eq!(route("/_gw/pkg/gatewise_bg.wasm", p), Route::Asset("pkg/gatewise_bg.wasm"));
        assert_eq!(route("/_gw", p), Route::NotFound);
        assert_eq!(route("/_gw/", p), Route::NotFound);
        assert_eq!(route("/_gwx", p), Route::Proxy);
        for bad in ["/_gw/.env", "/_gw/a//b", "/_gw/a%2e", "/_gw/a b"] {
            assert_eq!(route(bad, p), Route::NotFound, "{bad}");
        }
        assert_eq!(route(&format!("/_gw/{}", "a".repeat(200)), p), Route::NotFound);
    }
}
