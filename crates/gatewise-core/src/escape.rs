//! Making reflected values safe: the one HTML escaping function, the
//! cleaning every reflected value goes through first (bounded length, no
//! control or bidi-override characters), and the URL checks that decide
//! whether a value may become an `href` or a `src`.
//!
//! Every renderer uses these and nothing else: a value that came from a
//! request, an upstream or the caller is [`clean`]ed, then [`escape`]d (HTML)
//! or serialized by serde (JSON).
//!
//! # Example
//! ```
//! use gatewise_core::render::escape::{clean, escape, http_url, script_src};
//! assert_eq!(escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
//! assert_eq!(clean("a\u{1b}[31mb\u{202e}c", 100), "a\u{fffd}[31mb\u{fffd}c");
//! assert_eq!(clean("abcdef", 3), "abc…");
//! assert_eq!(http_url(" https://status.example.com/ "), Some("https://status.example.com/"));
//! assert_eq!(http_url("javascript:alert(1)"), None);
//! assert_eq!(script_src("/__gatewise/checks.js"), Some("/__gatewise/checks.js"));
//! assert_eq!(script_src("//evil.example/x.js"), None);
//! ```

/// Longest reflected value shown for short fields (ids, names, codes).
pub const SHORT: usize = 256;
/// Longest reflected value shown for URLs.
pub const URL: usize = 2048;
/// Longest reflected value shown for long fields (upstream detail, evidence facts).
pub const LONG: usize = 2048;
/// Most pieces of evidence (and Proxy-Status chain entries) shown.
pub const MAX_ITEMS: usize = 32;

/// Escapes `s` for HTML text and for double- or single-quoted attribute
/// values: `&`, `<`, `>`, `"` and `'` become character references.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len().saturating_add(s.len() / 8));
    escape_into(&mut out, s);
    out
}

/// Appends `s` to `out`, escaped as by [`escape`]: the runs between the five
/// characters are copied whole (they are ASCII, so a run never splits a character).
pub fn escape_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        out.push_str(rest.get(..i).unwrap_or_default());
        out.push_str(match rest.as_bytes().get(i) {
            Some(b'&') => "&amp;",
            Some(b'<') => "&lt;",
            Some(b'>') => "&gt;",
            Some(b'"') => "&quot;",
            _ => "&#39;",
        });
        rest = rest.get(i.saturating_add(1)..).unwrap_or_default();
    }
    out.push_str(rest);
}

/// Whether `c` must not reach a page or a terminal as is: C0 and C1
/// controls (terminal escape sequences), and the bidi embedding, override
/// and isolate controls that can make reflected text read backwards.
pub(crate) fn is_unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// An optional reflected value, [`clean`]ed; `None` when absent or empty after cleaning.
pub fn clean_opt(s: Option<&str>, max: usize) -> Option<String> {
    s.map(|s| clean(s, max)).filter(|s| !s.is_empty())
}

/// `s` trimmed, cut to at most `max` characters (an ellipsis marks the
/// cut), with control and bidi-control characters replaced by U+FFFD.
/// Tabs and line breaks count as controls: reflected values are one line.
pub fn clean(s: &str, max: usize) -> String {
    let s = s.trim();
    let mut out = String::with_capacity(s.len().min(max.saturating_mul(4)));
    for (n, c) in s.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        out.push(if is_unsafe_char(c) { '\u{fffd}' } else { c });
    }
    out
}

/// `s` (trimmed) if it is an absolute `http:` or `https:` URL that may be
/// put in an `href`; `None` otherwise (`javascript:`, `data:`, relative…).
pub fn http_url(s: &str) -> Option<&str> {
    let s = s.trim();
    let rest = strip_prefix_ignore_case(s, "https://")
        .or_else(|| strip_prefix_ignore_case(s, "http://"))?;
    let host_ok = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '[');
    (host_ok
        && s.chars().count() <= URL
        && !s.chars().any(|c| is_unsafe_char(c) || c.is_whitespace()))
    .then_some(s)
}

/// `s` (trimmed) if it may be the `src` of the live-checks script: an
/// `https:` URL or a path on the same origin (`/…`, not `//…`).
pub fn script_src(s: &str) -> Option<&str> {
    let s = s.trim();
    let same_origin = s.starts_with('/') && !s.starts_with("//") && !s.starts_with("/\\");
    let https = strip_prefix_ignore_case(s, "https://").is_some() && http_url(s).is_some();
    let clean_chars = !s.chars().any(|c| is_unsafe_char(c) || c.is_whitespace());
    ((same_origin || https) && clean_chars && s.len() <= URL).then_some(s)
}

/// `mailto:` plus the address if `s` is a plain mail address (or already a
/// `mailto:` link to one) made only of characters that need no escaping.
pub fn mailto(s: &str) -> Option<String> {
    let s = s.trim();
    let addr = strip_prefix_ignore_case(s, "mailto:").unwrap_or(s);
    let (local, domain) = addr.split_once('@')?;
    let ok = |part: &str, extra: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
    };
    (ok(local, ".+-_") && ok(domain, ".-") && domain.contains('.') && addr.len() <= SHORT)
        .then(|| format!("mailto:{addr}"))
}

/// `s` without `prefix`, compared ASCII case-insensitively.
pub(crate) fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_the_five_characters_and_nothing_else() {
        assert_eq!(escape("&<>\"'"), "&amp;&lt;&gt;&quot;&#39;");
        assert_eq!(escape("é → 日本 / = ;"), "é → 日本 / = ;");
        assert_eq!(escape(""), "");
        assert_eq!(escape("日<本>&é\"x'"), "日&lt;本&gt;&amp;é&quot;x&#39;");
        let mut out = String::from("a");
        escape_into(&mut out, "<<");
        assert_eq!(out, "a&lt;&lt;");
    }

    #[test]
    fn clean_bounds_and_neutralizes() {
        assert_eq!(clean("  x  ", 10), "x");
        assert_eq!(
            clean("a\nb\tc\u{7f}\u{85}d", 10),
            "a\u{fffd}b\u{fffd}c\u{fffd}\u{fffd}d"
        );
        assert_eq!(clean("\u{2066}x\u{2069}", 10), "\u{fffd}x\u{fffd}");
        assert_eq!(clean("日本語テキスト", 3), "日本語…");
    }

    #[test]
    fn only_http_urls_become_links() {
        for ok in [
            "http://a.example",
            "HTTPS://a.example/x?y=1#z",
            "https://[::1]:8443/",
        ] {
            assert!(http_url(ok).is_some(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "//evil.example",
            "/relative",
            "https://",
            "https:// space.example",
            "https://a.example/\u{202e}x",
            "http:/a.example",
            "",
        ] {
            assert_eq!(http_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn script_src_is_https_or_same_origin() {
        assert_eq!(
            script_src("https://cdn.example/c.js"),
            Some("https://cdn.example/c.js")
        );
        assert_eq!(script_src("/c.js?v=1"), Some("/c.js?v=1"));
        for bad in [
            "http://cdn.example/c.js",
            "//cdn.example/c.js",
            "/\\evil",
            "javascript:x",
            "c.js",
            "data:,x",
        ] {
            assert_eq!(script_src(bad), None, "{bad}");
        }
    }

    #[test]
    fn mailto_accepts_plain_addresses_only() {
        assert_eq!(
            mailto("ops@example.com").as_deref(),
            Some("mailto:ops@example.com")
        );
        assert_eq!(
            mailto("MAILTO:ops+web@example.co.uk").as_deref(),
            Some("mailto:ops+web@example.co.uk")
        );
        for bad in [
            "ops",
            "ops@localhost",
            "a\"b@example.com",
            "<a>@example.com",
            "@example.com",
            "ops@",
            "a@b@c.d",
        ] {
            assert_eq!(mailto(bad), None, "{bad}");
        }
    }
}
