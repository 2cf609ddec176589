//! Raw HTTP/1.x responses as people paste them or tools capture them:
//! status line, headers, blank line, body (CRLF or bare LF; chunked bodies
//! decoded). Parsing uses `httparse`; only bounded prefixes are read.
//!
//! # Example
//! ```
//! use gatewise_core::raw;
//! let r = raw::parse_response(b"HTTP/1.1 502 Bad Gateway\nServer: nginx\n\n<h1>502</h1>").unwrap();
//! assert_eq!(r.status, 502);
//! assert_eq!(r.header("server"), Some("nginx"));
//! assert_eq!(r.body, b"<h1>502</h1>");
//! let view_headers = r.header_pairs();
//! let view = r.view(&view_headers);
//! assert_eq!(view.status, 502);
//! ```

use crate::classify::ResponseView;

/// At most this many bytes of a raw response are read.
pub const MAX_INPUT: usize = 1 << 20;
/// At most this many headers are parsed.
pub const MAX_HEADERS: usize = 256;

/// A parsed raw response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// The status code.
    pub status: u16,
    /// The reason phrase as sent (may be empty).
    pub reason: String,
    /// Header names and values as sent, in order (values lossy UTF-8).
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked when `Transfer-Encoding: chunked`).
    pub body: Vec<u8>,
    /// The body length the message declares (RFC 9112 §6.3): its `Content-Length`,
    /// when valid (one value, or equal values) and no `Transfer-Encoding` overrides it.
    pub content_length: Option<u64>,
}

/// Why a raw response could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawError {
    /// The text does not start with an HTTP/1.x status line.
    NotAResponse,
    /// The status line or a header is malformed.
    Malformed(String),
}

impl std::fmt::Display for RawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RawError::NotAResponse => f.write_str("not an HTTP response (no status line)"),
            RawError::Malformed(why) => write!(f, "malformed HTTP response: {why}"),
        }
    }
}

impl std::error::Error for RawError {}

impl RawResponse {
    /// The first value of header `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The headers as borrowed pairs, for [`RawResponse::view`].
    pub fn header_pairs(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    /// The response as the classifier sees it.
    pub fn view<'a>(&'a self, headers: &'a [(&'a str, &'a str)]) -> ResponseView<'a> {
        ResponseView {
            status: self.status,
            headers,
            body: &self.body,
        }
    }
}

/// Parses a raw response. Bare `\n` line ends are accepted; a missing blank
/// line after the headers is tolerated (the body is then empty). Only the
/// first [`MAX_INPUT`] bytes are read, and only the first [`MAX_HEADERS`]
/// headers are kept: the rest of the head is skipped, the body still found.
pub fn parse_response(input: &[u8]) -> Result<RawResponse, RawError> {
    let input = input.get(..MAX_INPUT).unwrap_or(input);
    let trimmed = trim_leading_space(input);
    if !trimmed.starts_with(b"HTTP/") {
        return Err(RawError::NotAResponse);
    }
    let ((status, reason, headers), head_len) = parse_head(trimmed)?;
    let rest = trimmed.get(head_len..).unwrap_or_default();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked")
    });
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    let content_length = declared_length(&headers);
    Ok(RawResponse {
        status,
        reason,
        headers,
        body,
        content_length,
    })
}

/// The `Content-Length` a message declares: `None` with a `Transfer-Encoding` (which
/// overrides it), without one, or when its values are invalid or differ (RFC 9112 §6.3).
fn declared_length(headers: &[(String, String)]) -> Option<u64> {
    if headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"))
    {
        return None;
    }
    let mut length = None;
    for (_, v) in headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
    {
        for part in v.split(',') {
            let part = part.trim();
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n = part.parse::<u64>().ok()?;
            if length.is_some_and(|l| l != n) {
                return None;
            }
            length = Some(n);
        }
    }
    length
}

/// The status line and headers, and where the body starts.
fn parse_head(input: &[u8]) -> Result<(Head, usize), RawError> {
    let mut headers = vec![httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut resp = httparse::Response::new(&mut headers);
    match resp.parse(input) {
        Ok(httparse::Status::Complete(n)) => return Ok((collect(&resp), n)),
        // No blank line, or more headers than are kept: see below.
        Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => {}
        Err(e) => return Err(RawError::Malformed(e.to_string())),
    }
    // The status line and the first MAX_HEADERS header lines, ended by a blank line.
    let body_at = head_end(input).unwrap_or(input.len());
    let mut head = Vec::new();
    for line in input
        .get(..body_at)
        .unwrap_or(input)
        .split(|b| *b == b'\n')
        .take(MAX_HEADERS.saturating_add(1))
    {
        head.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    let mut headers = vec![httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut resp = httparse::Response::new(&mut headers);
    match resp.parse(&head) {
        Ok(httparse::Status::Complete(_)) => Ok((collect(&resp), body_at)),
        Ok(httparse::Status::Partial) => Err(RawError::Malformed("incomplete status line".into())),
        Err(e) => Err(RawError::Malformed(e.to_string())),
    }
}

/// Where the body starts: after the first empty line (`\n` or `\r\n`) that
/// follows the status line; `None` when the head never ends.
fn head_end(input: &[u8]) -> Option<usize> {
    let mut at = 0usize;
    for (i, line) in input.split(|b| *b == b'\n').enumerate() {
        let next = at.saturating_add(line.len()).saturating_add(1);
        if i > 0 && (line.is_empty() || line == b"\r") && next <= input.len() {
            return Some(next);
        }
        at = next;
    }
    None
}

type Head = (u16, String, Vec<(String, String)>);

fn collect(resp: &httparse::Response<'_, '_>) -> Head {
    let headers = resp
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_owned(),
                String::from_utf8_lossy(h.value).trim().to_owned(),
            )
        })
        .collect();
    (
        resp.code.unwrap_or(0),
        resp.reason.unwrap_or_default().to_owned(),
        headers,
    )
}

fn trim_leading_space(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    b.get(start..).unwrap_or_default()
}

/// Decodes a chunked body; a truncated or malformed tail keeps what was decoded.
/// A pasted body may have lost its carriage returns: a chunk-size line may end in
/// a bare LF (RFC 9112 §2.2 lets a recipient accept LF as a line terminator).
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some((used, size)) = chunk_size(rest) {
        if size == 0 {
            break;
        }
        let data = rest.get(used..).unwrap_or_default();
        let take = size.min(data.len());
        out.extend_from_slice(data.get(..take).unwrap_or_default());
        if take < size {
            break;
        }
        let after = data.get(take..).unwrap_or_default();
        rest = after
            .strip_prefix(b"\r\n")
            .or_else(|| after.strip_prefix(b"\n"))
            .unwrap_or(after);
    }
    out
}

/// A chunk-size line (`1a;ext=1` then CRLF or LF): the bytes it takes and the size.
fn chunk_size(rest: &[u8]) -> Option<(usize, usize)> {
    const MAX_LINE: usize = 1024;
    let end = rest.iter().take(MAX_LINE).position(|b| *b == b'\n')?;
    let line = rest.get(..end)?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let digits = line
        .split(|b| *b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii();
    if digits.is_empty() || digits.len() > 15 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let size = usize::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
    Some((end.saturating_add(1), size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_crlf_lf_and_headless_tails() {
        let r = parse_response(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\n\r\nbusy")
            .unwrap();
        assert_eq!(
            (r.status, r.reason.as_str(), r.header("retry-after")),
            (503, "Service Unavailable", Some("5"))
        );
        assert_eq!(r.body, b"busy");
        let r = parse_response(b"  HTTP/1.0 504 Gateway Timeout\nServer: x").unwrap();
        assert_eq!(
            (r.status, r.header("Server"), r.body.len()),
            (504, Some("x"), 0)
        );
    }

    #[test]
    fn decodes_chunked_bodies_and_survives_truncation() {
        let r = parse_response(b"HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n").unwrap();
        assert_eq!(r.body, b"abcdefg");
        let r = parse_response(
            b"HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc",
        )
        .unwrap();
        assert_eq!(r.body, b"abc");
        // A paste that lost its carriage returns; a chunk extension.
        let r = parse_response(
            b"HTTP/1.1 504 Gateway Timeout\nTransfer-Encoding: chunked\n\n4;x=1\nabcd\n3\nefg\n0\n\n",
        )
        .unwrap();
        assert_eq!(r.body, b"abcdefg");
        // Not a chunk size: nothing decoded.
        let r = parse_response(
            b"HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc",
        )
        .unwrap();
        assert_eq!(r.body, b"");
    }

    /// Found by tests/hostile_input.rs: a response with more headers than
    /// are kept was refused as malformed; now the first ones are kept and the
    /// body is still found.
    #[test]
    fn more_headers_than_kept_keep_the_first_and_the_body() {
        let mut text = String::from("HTTP/1.1 502 Bad Gateway\n");
        for i in 0..MAX_HEADERS + 10 {
            text.push_str(&format!("X-{i}: v{i}\r\n"));
        }
        let with_body = format!("{text}\nbody\n\nmore");
        let r = parse_response(with_body.as_bytes()).unwrap();
        assert_eq!(r.headers.len(), MAX_HEADERS);
        assert_eq!(
            r.headers.last().map(|(n, v)| (n.as_str(), v.as_str())),
            Some(("X-255", "v255"))
        );
        assert_eq!(r.body, b"body\n\nmore");
        // Without a blank line: no body.
        let r = parse_response(text.as_bytes()).unwrap();
        assert_eq!(
            (r.status, r.headers.len(), r.body.len()),
            (502, MAX_HEADERS, 0)
        );
        assert_eq!(head_end(b"HTTP/1.1 200 OK\r\nA: b\r\n\r\nx"), Some(25));
        assert_eq!(head_end(b"HTTP/1.1 200 OK\nA: b"), None);
    }

    #[test]
    fn reads_the_declared_length() {
        let r =
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n0123456789").unwrap();
        assert_eq!((r.content_length, r.body.len()), (Some(100_000), 10));
        for head in [
            "Content-Length: 5\r\nTransfer-Encoding: chunked",
            "Content-Length: 5\r\nContent-Length: 6",
            "Content-Length: -5",
            "Content-Length: 5x",
            "Content-Length:",
            "Server: x",
        ] {
            let text = format!("HTTP/1.1 200 OK\r\n{head}\r\n\r\nabc");
            assert_eq!(
                parse_response(text.as_bytes()).unwrap().content_length,
                None,
                "{head}"
            );
        }
        let r = parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc").unwrap();
        assert_eq!(r.content_length, Some(3));
    }

    #[test]
    fn rejects_what_is_not_a_response() {
        assert_eq!(
            parse_response(b"<html>502</html>"),
            Err(RawError::NotAResponse)
        );
        assert!(matches!(
            parse_response(b"HTTP/1.1 abc\r\n\r\n"),
            Err(RawError::Malformed(_))
        ));
        assert_eq!(parse_response(b""), Err(RawError::NotAResponse));
    }
}
