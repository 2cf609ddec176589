//! Steps 4 and 5 of the HTTP cycle: writing the request
//! (`GET <path> HTTP/1.1`, `Host`, `User-Agent: gatewise/<version>`,
//! `Connection: close`) and reading the status line and header section,
//! then the body up to its end or the first [`BODY_PREFIX`] bytes.
//!
//! Three times are kept apart: the first byte, the end of the header
//! section (the step's time) and the end of the body, with how the body
//! ended ([`BodyEnd`]): at its `Content-Length`, at the last chunk, when the
//! server closed the connection, at the prefix limit, or not before the
//! deadline — a server that keeps the connection open without saying how
//! long the body is does not make its first byte look slow.
//!
//! The header section is bounded ([`MAX_HEADER_SECTION`]), the body prefix
//! too ([`BODY_PREFIX`]); the whole step has one deadline.
//!
//! # Example
//! ```
//! use gatewise_cli::probe::http::{chunked_end, request_bytes, dechunk_prefix};
//! let r = request_bytes("/x", "example.com");
//! assert!(r.starts_with("GET /x HTTP/1.1\r\nHost: example.com\r\n"));
//! assert!(r.ends_with("Connection: close\r\n\r\n"));
//! assert_eq!(dechunk_prefix(b"5\r\nhello\r\n3\r\n wo\r\n0\r\n\r\n"), b"hello wo");
//! assert_eq!(chunked_end(b"5\r\nhello\r\n0\r\n\r\n"), Some(15));
//! assert_eq!(chunked_end(b"5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"), Some(23));
//! assert_eq!(chunked_end(b"5\r\nhel"), None);
//! ```

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::steps::Outcome;
use super::tls::TlsStream;
use super::{Detail, Failure};
use crate::style::clean;

/// The largest header section read (64 KiB), as many servers limit it
/// (nginx's `large_client_header_buffers` 4×8k is stricter; HAProxy's
/// `tune.bufsize` is 16 KiB). Past it: `http_response_header_section_size`.
pub const MAX_HEADER_SECTION: usize = 64 * 1024;
/// How much of the body is read for fingerprinting.
pub const BODY_PREFIX: usize = 16 * 1024;
/// The most header fields parsed.
const MAX_HEADERS: usize = 256;
/// How many header fields the report keeps.
const SHOWN_HEADERS: usize = 64;

/// The connection: plain TCP or TLS.
#[derive(Debug)]
pub enum Conn {
    /// `http://`
    Plain(TcpStream),
    /// `https://`
    Tls(Box<TlsStream>),
}

impl Conn {
    fn tcp(&self) -> &TcpStream {
        match self {
            Conn::Plain(s) => s,
            Conn::Tls(s) => &s.sock,
        }
    }

    fn set_timeouts(&self, d: Duration) {
        let d = Some(d.max(Duration::from_millis(1)));
        let _ = self.tcp().set_read_timeout(d);
        let _ = self.tcp().set_write_timeout(d);
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

/// The request sent.
pub fn request_bytes(path: &str, host_header: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: gatewise/{}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// What the request step did.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestDetail {
    /// The request line.
    pub line: String,
    /// The bytes written.
    pub bytes: usize,
    /// The error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Writes the request within `timeout`.
pub fn send(
    conn: &mut Conn,
    path: &str,
    host_header: &str,
    timeout: Duration,
) -> Result<RequestDetail, Failure> {
    let req = request_bytes(path, host_header);
    let mut detail = RequestDetail {
        line: format!("GET {path} HTTP/1.1"),
        bytes: req.len(),
        error: None,
    };
    conn.set_timeouts(timeout);
    match conn.write_all(req.as_bytes()).and_then(|()| conn.flush()) {
        Ok(()) => Ok(detail),
        Err(e) => {
            detail.error = Some(e.to_string());
            Err(Failure {
                outcome: Outcome::Io(e.kind()),
                message: e.to_string(),
                detail: Box::new(Detail::Request(detail)),
            })
        }
    }
}

/// The response as received.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseDetail {
    /// `HTTP/1.0` or `HTTP/1.1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The status code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The reason phrase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The header fields (the first [`SHOWN_HEADERS`]), as received.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// Bytes received before the end of the header section (or before failing).
    pub header_bytes: usize,
    /// Bytes of the body read (at most [`BODY_PREFIX`]).
    pub body_bytes: usize,
    /// Milliseconds until the first byte arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_byte_ms: Option<f64>,
    /// Milliseconds until the header section was complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers_ms: Option<f64>,
    /// Milliseconds until the body ended or reading it stopped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_ms: Option<f64>,
    /// How reading the body ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_end: Option<BodyEnd>,
    /// The first bytes received, when they are not a valid response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bytes: Option<String>,
    /// The error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// How reading a response's body ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyEnd {
    /// The status has no body (1xx, 204, 304).
    NoBody,
    /// All `Content-Length` bytes arrived.
    Length,
    /// The last chunk (and any trailer section) arrived.
    Chunked,
    /// The server closed the connection (a body without a length ends so).
    Close,
    /// The first [`BODY_PREFIX`] bytes were read; the rest was not.
    Prefix,
    /// The deadline passed before the body ended.
    Deadline,
    /// Reading failed before the body ended.
    Error,
}

/// Where a chunked body ends (after the last chunk and the trailer
/// section) in `raw`, or `None` if that has not arrived yet.
pub fn chunked_end(raw: &[u8]) -> Option<usize> {
    let mut at = 0usize;
    loop {
        let rest = raw.get(at..)?;
        match httparse::parse_chunk_size(rest) {
            Ok(httparse::Status::Complete((used, 0))) => {
                // The trailer section: field lines, then an empty line.
                let trailers = rest.get(used..)?;
                if trailers.starts_with(b"\r\n") {
                    return Some(at.saturating_add(used).saturating_add(2));
                }
                let end = trailers.windows(4).position(|w| w == b"\r\n\r\n")?;
                return Some(
                    at.saturating_add(used)
                        .saturating_add(end)
                        .saturating_add(4),
                );
            }
            Ok(httparse::Status::Complete((used, size))) => {
                let size = usize::try_from(size).ok()?;
                at = at.checked_add(used)?.checked_add(size)?.checked_add(2)?;
                if at > raw.len() {
                    return None;
                }
            }
            Ok(httparse::Status::Partial) | Err(_) => return None,
        }
    }
}

/// A response read in full enough to classify.
#[derive(Debug, Clone)]
pub struct Received {
    /// The status code.
    pub status: u16,
    /// The header fields, all of them.
    pub headers: Vec<(String, String)>,
    /// The start of the body (de-chunked when chunked).
    pub body: Vec<u8>,
    /// What the report shows.
    pub detail: ResponseDetail,
}

/// Reads the status line, the header section and the body prefix within `timeout`.
pub fn receive(conn: &mut Conn, timeout: Duration) -> Result<Received, Failure> {
    let start = Instant::now();
    let deadline = start + timeout;
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    let mut detail = ResponseDetail::default();
    let fail = |outcome: Outcome, message: String, mut detail: ResponseDetail, buf: &[u8]| {
        detail.header_bytes = buf.len();
        detail.error = Some(message.clone());
        Failure {
            outcome,
            message,
            detail: Box::new(Detail::Response(detail)),
        }
    };
    // The header section.
    let (head_len, status, reason, version, headers) = loop {
        let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut resp = httparse::Response::new(&mut slots);
        match resp.parse(&buf) {
            Ok(httparse::Status::Complete(n)) if n > MAX_HEADER_SECTION => {
                return Err(fail(
                    Outcome::HeaderSectionTooLarge,
                    format!(
                        "the header section is {n} bytes, over the {MAX_HEADER_SECTION} byte limit"
                    ),
                    detail,
                    &buf,
                ));
            }
            Ok(httparse::Status::Complete(n)) => {
                let status = resp.code.unwrap_or(0);
                if (100..200).contains(&status) && status != 101 {
                    // An interim response (100 Continue, 103 Early Hints): skip it.
                    buf.drain(..n);
                    continue;
                }
                let headers: Vec<(String, String)> = resp
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_owned(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect();
                let version = format!("HTTP/1.{}", resp.version.unwrap_or(1));
                break (
                    n,
                    status,
                    resp.reason.unwrap_or("").to_owned(),
                    version,
                    headers,
                );
            }
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEADER_SECTION => {
                return Err(fail(
                    Outcome::HeaderSectionTooLarge,
                    format!("the header section passed {MAX_HEADER_SECTION} bytes without ending"),
                    detail,
                    &buf,
                ));
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => {
                return Err(fail(
                    Outcome::HeaderSectionTooLarge,
                    format!("more than {MAX_HEADERS} header fields"),
                    detail,
                    &buf,
                ));
            }
            Err(e) => {
                detail.first_bytes = Some(
                    String::from_utf8_lossy(buf.get(..64).unwrap_or(&buf))
                        .escape_debug()
                        .to_string(),
                );
                return Err(fail(
                    Outcome::NotHttp,
                    format!("not an HTTP response ({e})"),
                    detail,
                    &buf,
                ));
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(fail(
                Outcome::Timeout,
                timeout_message(timeout, buf.len()),
                detail,
                &buf,
            ));
        }
        conn.set_timeouts(left);
        match conn.read(&mut chunk) {
            Ok(0) => {
                let (outcome, message) = if buf.is_empty() {
                    (
                        Outcome::ClosedBeforeFirstByte,
                        "the server closed the connection without sending a byte".to_owned(),
                    )
                } else {
                    (Outcome::ClosedInHeaders, format!("the server closed the connection after {} bytes, inside the header section", buf.len()))
                };
                return Err(fail(outcome, message, detail, &buf));
            }
            Ok(n) => {
                if detail.first_byte_ms.is_none() {
                    detail.first_byte_ms = Some(super::ms(start.elapsed()));
                }
                buf.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(fail(
                    Outcome::Timeout,
                    timeout_message(timeout, buf.len()),
                    detail,
                    &buf,
                ));
            }
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => {
                // TLS without close_notify: an end of stream like any other.
                let outcome = if buf.is_empty() {
                    Outcome::ClosedBeforeFirstByte
                } else {
                    Outcome::ClosedInHeaders
                };
                return Err(fail(outcome, e.to_string(), detail, &buf));
            }
            Err(e) => return Err(fail(Outcome::Io(e.kind()), e.to_string(), detail, &buf)),
        }
    };
    detail.version = Some(version);
    detail.status = Some(status);
    detail.reason = Some(clean(&reason, 200));
    detail.header_bytes = head_len;
    detail.headers = headers
        .iter()
        .take(SHOWN_HEADERS)
        .map(|(n, v)| (clean(n, 100), clean(v, 500)))
        .collect();
    detail.headers_ms = Some(super::ms(start.elapsed()));
    // The body: whatever came with the headers, then more until it ends (by
    // its length, its last chunk, or the server closing), the prefix is
    // full, or the deadline passes.
    let mut body: Vec<u8> = buf.get(head_len..).unwrap_or(&[]).to_vec();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
    };
    let chunked =
        header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let length: Option<usize> = if chunked {
        None
    } else {
        header("content-length").and_then(|v| v.parse().ok())
    };
    let no_body = (100..200).contains(&status) || status == 204 || status == 304;
    let ended = |body: &[u8]| -> Option<BodyEnd> {
        if no_body {
            Some(BodyEnd::NoBody)
        } else if chunked && chunked_end(body).is_some() {
            Some(BodyEnd::Chunked)
        } else if length.is_some_and(|n| body.len() >= n) {
            Some(BodyEnd::Length)
        } else if body.len() >= BODY_PREFIX {
            Some(BodyEnd::Prefix)
        } else {
            None
        }
    };
    let end = loop {
        if let Some(end) = ended(&body) {
            break end;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break BodyEnd::Deadline;
        }
        conn.set_timeouts(left);
        match conn.read(&mut chunk) {
            Ok(0) => break BodyEnd::Close,
            Ok(n) => body.extend_from_slice(chunk.get(..n).unwrap_or(&[])),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => break BodyEnd::Close,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                break BodyEnd::Deadline
            }
            Err(_) => break BodyEnd::Error,
        }
    };
    detail.body_ms = Some(super::ms(start.elapsed()));
    detail.body_end = Some(end);
    body.truncate(BODY_PREFIX);
    if chunked {
        body = dechunk_prefix(&body);
    }
    detail.body_bytes = body.len();
    Ok(Received {
        status,
        headers,
        body,
        detail,
    })
}

fn timeout_message(timeout: Duration, received: usize) -> String {
    if received == 0 {
        format!("no response within {} s", timeout.as_secs_f64())
    } else {
        format!(
            "the header section was not complete within {} s ({received} bytes received)",
            timeout.as_secs_f64()
        )
    }
}

/// Decodes as much of a chunked body prefix as is there (bounded, never fails).
pub fn dechunk_prefix(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    while let Ok(httparse::Status::Complete((used, size))) = httparse::parse_chunk_size(rest) {
        if size == 0 {
            break;
        }
        let data = rest.get(used..).unwrap_or(&[]);
        let take = usize::try_from(size).unwrap_or(usize::MAX).min(data.len());
        out.extend_from_slice(data.get(..take).unwrap_or(&[]));
        rest = data.get(take..).unwrap_or(&[]);
        rest = rest.strip_prefix(b"\r\n").unwrap_or(rest);
        if take < usize::try_from(size).unwrap_or(usize::MAX) {
            break;
        }
    }
    out
}
