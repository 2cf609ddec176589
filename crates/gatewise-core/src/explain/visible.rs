//! The text a browser shows for an HTML page: what a person copies from an
//! error page (and what its markup-free copy must be read like). Tags go,
//! `<script>`, `<style>` and comments go with their content, block elements
//! become line breaks, character references are decoded, runs of spaces
//! become one. The `<title>` is kept (the tab shows it). One linear pass.
//!
//! # Example
//! ```
//! use gatewise_core::explain::visible::{looks_like_html, visible_text};
//! let html = "<html><head><title>502 Bad Gateway</title><style>b{font-weight:400}</style></head>\
//!             <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
//! assert!(looks_like_html(html));
//! assert_eq!(visible_text(html), "502 Bad Gateway\n502 Bad Gateway\nnginx");
//! ```

/// Elements whose content is not shown.
const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "svg"];
/// Elements that start a new line.
const BLOCKS: &[&str] = &[
    "br", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "title", "center", "hr",
    "pre", "table", "ul", "ol", "section", "header", "footer", "main", "body", "head", "dd", "dt",
    "td", "th", "span",
];

/// Whether `text` is HTML markup rather than plain text.
pub fn looks_like_html(text: &str) -> bool {
    let head = super::cut(text.trim_start(), 4096).to_ascii_lowercase();
    [
        "<html",
        "<!doctype html",
        "<head",
        "<body",
        "<title",
        "<h1",
        "<center",
        "<p>",
        "<div",
    ]
    .iter()
    .any(|t| head.contains(t))
}

/// The visible text of an HTML page (see the module docs).
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len().min(1 << 16));
    let mut rest = html;
    let mut hidden: Option<String> = None;
    while !rest.is_empty() {
        if let Some(tag) = hidden.as_deref() {
            // Skip to the closing tag of the hidden element.
            let close = format!("</{tag}");
            match find_ci(rest, &close) {
                Some(i) => {
                    rest = rest.get(i..).unwrap_or_default();
                    hidden = None;
                }
                None => break,
            }
            continue;
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").map_or("", |(_, r)| r);
            continue;
        }
        let Some(lt) = rest.find('<') else {
            push_text(&mut out, rest);
            break;
        };
        push_text(&mut out, rest.get(..lt).unwrap_or_default());
        let tag_text = rest.get(lt..).unwrap_or_default();
        let Some(gt) = tag_text.find('>') else {
            break;
        };
        let inside = tag_text.get(1..gt).unwrap_or_default();
        rest = tag_text.get(gt.saturating_add(1)..).unwrap_or_default();
        let closing = inside.starts_with('/');
        let name: String = inside
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .take(16)
            .collect::<String>()
            .to_ascii_lowercase();
        if !closing && HIDDEN.contains(&name.as_str()) && !inside.ends_with('/') {
            hidden = Some(name);
            continue;
        }
        if BLOCKS.contains(&name.as_str()) && name != "span" {
            new_line(&mut out);
        } else if !out.ends_with([' ', '\n']) && !out.is_empty() {
            out.push(' ');
        }
    }
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn new_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Appends text with character references decoded and white space collapsed.
fn push_text(out: &mut String, text: &str) {
    let decoded = decode_references(text);
    for c in decoded.chars() {
        if c.is_whitespace() {
            if !out.ends_with([' ', '\n']) && !out.is_empty() {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Decodes `&amp; &lt; &gt; &quot; &apos; &nbsp; &#NN; &#xHH;`; others stay.
pub fn decode_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(rest.get(..pos).unwrap_or_default());
        let tail = rest.get(pos..).unwrap_or_default();
        let semi = tail.get(..12.min(tail.len())).and_then(|h| h.find(';'));
        let entity = semi.and_then(|i| tail.get(1..i)).unwrap_or_default();
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            e => e
                .strip_prefix("#x")
                .or_else(|| e.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| e.strip_prefix('#').and_then(|n| n.parse::<u32>().ok()))
                .and_then(char::from_u32),
        };
        match (decoded, semi) {
            (Some(c), Some(i)) => {
                out.push(c);
                rest = tail.get(i.saturating_add(1)..).unwrap_or_default();
            }
            _ => {
                out.push('&');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

/// The byte offset of `needle` (ASCII) in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    let first = n.first()?.to_ascii_lowercase();
    (0..=h.len().saturating_sub(n.len())).find(|&i| {
        h.get(i).is_some_and(|b| b.to_ascii_lowercase() == first)
            && h.get(i..i.saturating_add(n.len()))
                .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_and_comments_are_hidden() {
        let html = "<!DOCTYPE html><html><head><title>example.com | 522: Connection timed out</title>\
            <style>body{font-weight:400}</style><script>var x = '<b>502</b>';</script></head>\
            <body><!-- 500 --><span class=\"code-label\">Error code 522</span>\
            <p>Ray ID: <strong>8a1b2c3d4e5f6789</strong> &bull; 2026&#8209;01&#x2D;01</p></body></html>";
        assert_eq!(
            visible_text(html),
            "example.com | 522: Connection timed out\nError code 522\nRay ID: 8a1b2c3d4e5f6789 &bull; 2026\u{2011}01-01"
        );
    }

    #[test]
    fn unterminated_markup_ends_quietly() {
        assert_eq!(visible_text("a <b"), "a");
        assert_eq!(visible_text("<script>never closed"), "");
        assert_eq!(visible_text("x &#99999999999; &"), "x &#99999999999; &");
    }
}
