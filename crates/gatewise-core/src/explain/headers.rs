//! Pasted header dumps, read into name/value pairs: PHP's
//! `print_r(getallheaders())` (`[Name] => value`), a Python dict `repr`
//! (`{'Server': 'nginx', …}`, also as `CaseInsensitiveDict({…})` or
//! `HTTPHeaderDict({…})`), and `Name: value` lines (DevTools' "Copy response
//! headers", `curl -I` without its status line). A `:status` or `Status`
//! header gives the status.
//!
//! # Example
//! ```
//! use gatewise_core::explain::headers::{parse, status_of};
//! let h = parse("{'Server': 'cloudflare', 'CF-RAY': '8a1b2c3d4e5f6789-FRA', 'Content-Type': 'text/html'}").unwrap();
//! assert_eq!(h.first().map(|(n, v)| (n.as_str(), v.as_str())), Some(("Server", "cloudflare")));
//! let h = parse("Array\n(\n    [Host] => example.com\n    [Status] => 502 Bad Gateway\n)").unwrap();
//! assert_eq!(status_of(&h), Some(502));
//! ```

/// At most this many headers are read from a dump.
pub const MAX_DUMP_HEADERS: usize = 128;

/// Name/value pairs in the order written.
pub type Headers = Vec<(String, String)>;

/// The headers of a dump, if `text` is one (at least two headers).
pub fn parse(text: &str) -> Option<Headers> {
    let t = text.trim();
    let h = print_r(t)
        .or_else(|| python_dict(t))
        .or_else(|| header_lines(t))?;
    (h.len() >= 2).then_some(h)
}

/// The status a dump states (`:status`, `Status`), if any.
pub fn status_of(headers: &Headers) -> Option<u16> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(":status") || n.eq_ignore_ascii_case("status"))
        .and_then(|(_, v)| v.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .filter(|s| (100..=599).contains(s))
}

/// Whether `name` is an HTTP field name (RFC 9110 §5.1 token), or an HTTP/2 pseudo-header.
pub fn is_field_name(name: &str) -> bool {
    let n = name.strip_prefix(':').unwrap_or(name);
    !n.is_empty()
        && n.len() <= 128
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// One `Name: value` line.
pub fn header_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_end_matches('\r');
    // `:status: 502` (a pseudo-header) keeps its leading colon in the name.
    let split_at = if line.starts_with(':') {
        line.get(1..)?.find(':')?.saturating_add(1)
    } else {
        line.find(':')?
    };
    let name = line.get(..split_at)?;
    let value = line.get(split_at.saturating_add(1)..)?;
    (is_field_name(name) && !value.starts_with("//")).then(|| (name, value.trim()))
}

/// `Name: value` lines: every non-blank line must be one.
fn header_lines(t: &str) -> Option<Headers> {
    let mut out = Headers::new();
    for line in t.lines().filter(|l| !l.trim().is_empty()) {
        let (n, v) = header_line(line)?;
        if out.len() < MAX_DUMP_HEADERS {
            out.push((n.to_owned(), v.to_owned()));
        }
    }
    Some(out)
}

/// PHP `print_r` of an array: `Array`, `(`, `    [Name] => value` lines, `)`.
fn print_r(t: &str) -> Option<Headers> {
    let mut lines = t.lines().map(str::trim);
    if lines.next()? != "Array" || lines.next()? != "(" {
        return None;
    }
    let mut out = Headers::new();
    for line in lines {
        if line == ")" {
            break;
        }
        if line.is_empty() {
            continue;
        }
        let (key, value) = line.strip_prefix('[')?.split_once("] =>")?;
        if is_field_name(key) && out.len() < MAX_DUMP_HEADERS {
            out.push((key.to_owned(), value.trim().to_owned()));
        }
    }
    Some(out)
}

/// A Python dict of strings: `{'Name': 'value', "Other": "v"}`, optionally
/// inside `SomeDict(…)`.
fn python_dict(t: &str) -> Option<Headers> {
    let inner = match t.find('(') {
        Some(open) if !t.starts_with('{') => {
            let name = t.get(..open)?;
            if !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
            {
                return None;
            }
            t.get(open.saturating_add(1)..)?.strip_suffix(')')?
        }
        _ => t,
    };
    let mut rest = inner.trim().strip_prefix('{')?.strip_suffix('}')?.trim();
    let mut out = Headers::new();
    while !rest.is_empty() {
        let (name, after) = py_string(rest)?;
        let after = after.trim_start().strip_prefix(':')?.trim_start();
        let (value, after) = py_string(after)?;
        if is_field_name(&name) && out.len() < MAX_DUMP_HEADERS {
            out.push((name, value));
        }
        rest = after.trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    Some(out)
}

/// A Python string literal at the start of `s`, and what follows it.
fn py_string(s: &str) -> Option<(String, &str)> {
    let s = s.strip_prefix('b').unwrap_or(s);
    let quote = s.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = s.get(1..)?;
    let mut out = String::new();
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if escaped {
            out.push(match c {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                other => other,
            });
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            return Some((out, body.get(i.saturating_add(1)..).unwrap_or_default()));
        } else {
            out.push(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dumps() {
        let h = parse("HTTPHeaderDict({'Server': 'nginx/1.18.0', \"X-Note\": 'it\\'s'})").unwrap();
        assert_eq!(
            h,
            vec![
                ("Server".into(), "nginx/1.18.0".into()),
                ("X-Note".into(), "it's".into())
            ]
        );
        let h = parse(":status: 502\nserver: cloudflare\ncf-ray: 8a1b-FRA").unwrap();
        assert_eq!(status_of(&h), Some(502));
        assert_eq!(h.get(1).map(|(n, _)| n.as_str()), Some("server"));
        assert!(parse("Server: nginx").is_none(), "one header is no dump");
        assert!(parse("see http://example.com: it fails\nand more").is_none());
        assert!(parse("{'a': 1}").is_none());
    }
}
