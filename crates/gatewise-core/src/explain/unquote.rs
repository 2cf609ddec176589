//! A paste that is one quoted or escaped string, turned back into its text:
//! a JSON string (`"HTTP/1.1 502 …\r\n…"`), a Python `repr` (`'…'`,
//! `b'…'`), PHP's `var_export` (`'…'`) and `var_dump` (`string(12) "…"`), or
//! a line holding escaped line breaks (`…\r\n<html>\r\n…`, as a log record
//! or a JSON field shows a body).
//!
//! Each call undoes one level; the caller repeats at most
//! [`super::MAX_UNQUOTE`] times. Work is linear in the text.
//!
//! # Example
//! ```
//! use gatewise_core::explain::unquote::unquote;
//! assert_eq!(unquote(r#""HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\n\r\n""#).as_deref(),
//!            Some("HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\n\r\n"));
//! assert_eq!(unquote(r"b'<h1>502 Bad Gateway</h1>\n'").as_deref(), Some("<h1>502 Bad Gateway</h1>\n"));
//! assert_eq!(unquote("502"), None);
//! ```

use super::peel::Wrapper;

/// The text inside a quoted or escaped paste (`None` when it is neither).
pub fn unquote(text: &str) -> Option<String> {
    unquote_as(text).map(|(s, _)| s)
}

/// [`unquote`], and what was undone: [`Wrapper::Quoted`] (a string
/// literal) or [`Wrapper::Escaped`] (escaped line breaks only).
pub fn unquote_as(text: &str) -> Option<(String, Wrapper)> {
    let t = text.trim();
    let quoted = json_string(t)
        .or_else(|| php_var_dump(t).map(str::to_owned))
        .or_else(|| python_repr(t))
        .or_else(|| concatenated(t));
    match quoted {
        Some(s) => Some((s, Wrapper::Quoted)),
        None => escaped_lines(t).map(|s| (s, Wrapper::Escaped)),
    }
}

/// A JSON string literal, whole.
fn json_string(t: &str) -> Option<String> {
    if t.len() < 2 || !t.starts_with('"') || !t.ends_with('"') {
        return None;
    }
    serde_json::from_str::<String>(t).ok()
}

/// PHP `var_dump` of a string: `string(N) "…"`, content not escaped.
fn php_var_dump(t: &str) -> Option<&str> {
    let rest = t.strip_prefix("string(")?;
    let (digits, rest) = rest.split_once(')')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.trim_start().strip_prefix('"')?.strip_suffix('"')
}

/// A Python `repr` of `str` or `bytes` (`'…'`, `"…"`, `b'…'`), or PHP's
/// `var_export` (`'…'`, where only `\\` and `\'` are escapes).
fn python_repr(t: &str) -> Option<String> {
    let (body, quote) = ["b'", "b\"", "'"].iter().find_map(|open| {
        let q = open.chars().last()?;
        let inner = t.strip_prefix(open)?.strip_suffix(q)?;
        Some((inner, q))
    })?;
    // A repr is one line: its line breaks are escaped.
    if body.contains('\n') && !body.contains("\\n") {
        return None;
    }
    unescape_c(body, quote)
}

/// String literals joined with `+`, one per line (Node's `util.inspect` of a
/// long string, a JavaScript or Java source): `'<html>\n' +`, the first one
/// perhaps after a property name (`body: '…' +`).
fn concatenated(t: &str) -> Option<String> {
    let mut out = String::new();
    let mut n = 0usize;
    for (i, line) in t
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let mut l = line.strip_suffix('+').map_or(line, str::trim_end);
        if i == 0 {
            if let Some((name, rest)) = l.split_once(": ") {
                if !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
                {
                    l = rest.trim_start();
                }
            }
        }
        let quote = l.chars().next().filter(|c| *c == '\'' || *c == '"')?;
        let body = l.get(1..)?.strip_suffix(quote)?;
        out.push_str(&unescape_c(body, quote)?);
        n = n.saturating_add(1);
    }
    (n >= 2).then_some(out)
}

/// One line carrying escaped line breaks (at least two `\n`), as a JSON
/// field or a log record shows a body. Not a JSON document or record: those
/// are read as they are (their strings are unescaped where they are read).
fn escaped_lines(t: &str) -> Option<String> {
    let escaped = t.matches("\\n").take(2).count();
    if escaped < 2 || t.contains('\n') || t.starts_with(['{', '[']) {
        return None;
    }
    unescape_c(t, '\0')
}

/// Undoes C-style escapes (`\n \r \t \\ \' \" \xNN \uNNNN \/`); an unknown
/// escape is kept as written. `None` if the text ends inside an escape.
fn unescape_c(s: &str, quote: char) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            if c == quote && quote != '\0' {
                // An unescaped quote inside: not one string.
                return None;
            }
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        match e {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            '\\' | '\'' | '"' | '/' => out.push(e),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                match u8::from_str_radix(&hex, 16) {
                    // Python writes the bytes of UTF-8 text as \xNN: Latin-1 is the best
                    // a single byte can say; ASCII is exact.
                    Ok(b) => out.push(char::from(b)),
                    Err(_) => {
                        out.push_str("\\x");
                        out.push_str(&hex);
                    }
                }
            }
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_shapes() {
        assert_eq!(
            unquote(r#"string(15) "502 Bad Gateway""#).as_deref(),
            Some("502 Bad Gateway")
        );
        assert_eq!(
            unquote(r"'upstream connect error or disconnect/reset before headers. reset reason: connection failure'").as_deref(),
            Some("upstream connect error or disconnect/reset before headers. reset reason: connection failure"),
        );
        assert_eq!(unquote(r"'It\'s down\n'").as_deref(), Some("It's down\n"));
        assert_eq!(
            unquote(r"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>").as_deref(),
            Some("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>")
        );
        assert_eq!(unquote(r#""unterminated \"#), None);
        assert_eq!(
            unquote("  body: '<html>\\n' +\n    '<h1>It\\'s 521</h1>\\n' +\n    '</html>'")
                .as_deref(),
            Some("<html>\n<h1>It's 521</h1>\n</html>")
        );
        assert_eq!(unquote(r"one \n only"), None);
    }
}
