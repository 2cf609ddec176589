//! An oracle for rendered HTML: the document must be made only of the
//! renderer's own markup, with every reflected value escaped.
//!
//! Shared by the property tests (`tests/no_injection.rs`) and the `render`
//! fuzz target (`fuzz/fuzz_targets/render.rs` includes this file by path),
//! so it uses nothing but `std`.
//!
//! What it checks, scanning the whole document once:
//! - every `<` opens a tag the renderer writes ([`TAGS`]), or closes one;
//! - every attribute is one the renderer writes ([`ATTRIBUTES`]), its value
//!   double-quoted, with no `<` inside;
//! - every `href` is `http:`, `https:` or `mailto:`; every `src` is `https:`
//!   or a same-origin path; there is at most one `<script>`, and it has a `src`;
//! - outside tags (and in attribute values) there is no raw `>`, `"` or `'`,
//!   and every `&` starts one of the five references `escape` writes;
//! - the `<style>` element holds no `<`.
//!
//! A reflected value that was not escaped breaks at least one of these rules:
//! a `<` becomes an unknown tag or text `<`, a `"` ends an attribute early
//! (then an unknown attribute or a raw quote follows), a `'` or `>` shows up
//! raw, a `&` starts no known reference.

/// The elements the renderer writes.
pub const TAGS: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "main",
    "footer",
    "p",
    "h1",
    "h2",
    "ul",
    "ol",
    "li",
    "span",
    "b",
    "section",
    "a",
    "figure",
    "figcaption",
    "svg",
    "line",
    "circle",
    "text",
    "g",
    "path",
    "dl",
    "dt",
    "dd",
    "details",
    "summary",
    "code",
    "script",
];

/// The attributes the renderer writes.
pub const ATTRIBUTES: &[&str] = &[
    "lang",
    "dir",
    "charset",
    "name",
    "content",
    "class",
    "href",
    "role",
    "aria-labelledby",
    "aria-hidden",
    "viewBox",
    "id",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "x",
    "y",
    "text-anchor",
    "d",
    "transform",
    "src",
    "nonce",
    "defer",
    "open",
    "data-gatewise-config",
];

/// The character references `render::escape` writes.
const REFERENCES: &[&str] = &["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];

/// Checks text (between tags or inside an attribute value): no raw `<`, `>`,
/// `"`, `'`, and `&` only as a known reference.
fn check_text(s: &str, at: usize) -> Result<(), String> {
    for (i, c) in s.char_indices() {
        match c {
            '<' | '>' | '"' | '\'' => {
                return Err(format!("raw {c:?} in text at byte {}", at + i));
            }
            '&' => {
                let rest = s.get(i..).unwrap_or("");
                if !REFERENCES.iter().any(|r| rest.starts_with(r)) {
                    let shown: String = rest.chars().take(12).collect();
                    return Err(format!("bare '&' at byte {}: {shown:?}", at + i));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether `v` (an attribute value, still escaped) may be an `href`.
fn href_ok(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// Whether `v` may be a script's `src`.
fn src_ok(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    lower.starts_with("https://") || (v.starts_with('/') && !v.starts_with("//"))
}

/// Audits one rendered page (see the module docs). `Err` says what broke and where.
pub fn audit(html: &str) -> Result<(), String> {
    let doctype = "<!doctype html>";
    let mut rest = html
        .strip_prefix(doctype)
        .ok_or("the page does not start with <!doctype html>")?;
    let mut at = doctype.len();
    let mut scripts = 0;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            check_text(rest, at)?;
            break;
        };
        check_text(rest.get(..open).unwrap_or(""), at)?;
        let tag_start = at + open;
        let after = rest.get(open + 1..).unwrap_or("");
        let closing = after.starts_with('/');
        let after = if closing {
            after.get(1..).unwrap_or("")
        } else {
            after
        };
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(after.len());
        let name = after.get(..name_len).unwrap_or("");
        if !TAGS.contains(&name) {
            let shown: String = after.chars().take(16).collect();
            return Err(format!("unknown tag at byte {tag_start}: <{shown:?}"));
        }
        let mut tail = after.get(name_len..).unwrap_or("");
        let mut has_src = false;
        // Attributes, then '>' (or '/>').
        loop {
            tail = tail.trim_start_matches(' ');
            if let Some(t) = tail.strip_prefix("/>") {
                tail = t;
                break;
            }
            if let Some(t) = tail.strip_prefix('>') {
                tail = t;
                break;
            }
            if closing {
                return Err(format!(
                    "closing tag </{name}> has attributes at byte {tag_start}"
                ));
            }
            let attr_len = tail
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(tail.len());
            let attr = tail.get(..attr_len).unwrap_or("");
            if attr.is_empty() || !ATTRIBUTES.contains(&attr) {
                let shown: String = tail.chars().take(16).collect();
                return Err(format!(
                    "unknown attribute in <{name}> at byte {tag_start}: {shown:?}"
                ));
            }
            tail = tail.get(attr_len..).unwrap_or("");
            let Some(value_part) = tail.strip_prefix("=\"") else {
                continue; // a bare attribute (`defer`, `open`)
            };
            let end = value_part.find('"').ok_or_else(|| {
                format!("unterminated {attr} value in <{name}> at byte {tag_start}")
            })?;
            let value = value_part.get(..end).unwrap_or("");
            check_text(value, tag_start).map_err(|e| format!("in {attr} of <{name}>: {e}"))?;
            match attr {
                "href" if !href_ok(value) => {
                    return Err(format!("href {value:?} at byte {tag_start}"));
                }
                "src" if !src_ok(value) => {
                    return Err(format!("src {value:?} at byte {tag_start}"))
                }
                "src" => has_src = true,
                _ => {}
            }
            tail = value_part.get(end + 1..).unwrap_or("");
        }
        if name == "script" && !closing {
            scripts += 1;
            if scripts > 1 || !has_src {
                return Err(format!("unexpected <script> at byte {tag_start}"));
            }
        }
        if name == "style" && !closing {
            let end = tail.find("</style>").ok_or("unterminated <style>")?;
            if tail.get(..end).unwrap_or("").contains('<') {
                return Err("'<' inside <style>".to_owned());
            }
            tail = tail.get(end..).unwrap_or("");
        }
        at = html.len() - tail.len();
        rest = tail;
    }
    Ok(())
}
