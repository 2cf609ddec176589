//! Decoding fuzz input into the arguments of gatewise-core's functions.
//!
//! Every target reads plain bytes in a format a person (and the seed step of
//! `scripts/fuzz.sh`) can write, so that the fixtures are good seeds:
//!
//! - [`response`]: a raw HTTP response, leniently split (any bytes allowed):
//!   the status is the second word of the first line (else the first two
//!   bytes), then `name: value` lines, a blank line, the body. The `.http`
//!   fixtures are seeds as they are.
//! - [`lines`]: text split at `\n` (a header per line).
//! - [`fields`]: text split at the byte `0xFF` (which never occurs in UTF-8,
//!   so every field can hold any text, line breaks included), after
//!   [`CONTROL`] leading bytes that choose the enums.
//!
//! Text is decoded as lossy UTF-8, as every binding does with bytes it
//! receives.

#![forbid(unsafe_code)]

use std::borrow::Cow;

/// The HTML oracle shared with the property tests.
#[path = "../../crates/gatewise-core/tests/support/html_audit.rs"]
pub mod html_audit;

/// A response decoded from fuzz bytes.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The headers as borrowed pairs (for `ResponseView` and `Observed`).
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }
}

/// Where the head ends: the first blank line (`\r\n\r\n` or `\n\n`).
fn split_head(data: &[u8]) -> (&[u8], &[u8]) {
    let crlf = data
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4));
    let lf = data.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2));
    let cut = match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    match cut {
        Some((i, n)) => (&data[..i], &data[i + n..]),
        None => (data, &[]),
    }
}

/// Decodes a raw HTTP response leniently (see the crate docs).
pub fn response(data: &[u8]) -> Response {
    let (head, body) = split_head(data);
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let first = lines.next().unwrap_or("");
    let status = first
        .split_whitespace()
        .nth(1)
        .and_then(|w| w.parse::<u16>().ok())
        .unwrap_or_else(|| {
            let b = data.get(..2).unwrap_or(&[0, 0]);
            u16::from_le_bytes([
                b.first().copied().unwrap_or(0),
                b.get(1).copied().unwrap_or(0),
            ])
        });
    let headers = lines
        .map(|l| match l.split_once(':') {
            Some((n, v)) => (n.to_owned(), v.trim_start().to_owned()),
            None => (l.to_owned(), String::new()),
        })
        .collect();
    Response {
        status,
        headers,
        body: body.to_vec(),
    }
}

/// The input as text, split at `\n`.
pub fn lines(data: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(data)
        .split('\n')
        .map(str::to_owned)
        .collect()
}

/// How many leading bytes [`fields`] keeps as control bytes.
pub const CONTROL: usize = 8;

/// The separator of [`fields`].
pub const SEPARATOR: u8 = 0xFF;

/// Control bytes (missing ones are 0) and the `0xFF`-separated text fields after them.
pub fn fields(data: &[u8]) -> ([u8; CONTROL], Vec<String>) {
    let mut control = [0u8; CONTROL];
    for (c, b) in control.iter_mut().zip(data) {
        *c = *b;
    }
    let rest = data.get(CONTROL..).unwrap_or(&[]);
    let fields = rest
        .split(|b| *b == SEPARATOR)
        .map(|f| match String::from_utf8_lossy(f) {
            Cow::Borrowed(s) => s.to_owned(),
            Cow::Owned(s) => s,
        })
        .collect();
    (control, fields)
}

/// Field `i` of `fields`, or `None` when absent.
pub fn field(fields: &[String], i: usize) -> Option<&str> {
    fields.get(i).map(String::as_str)
}

/// Picks an element of a non-empty table with a control byte.
pub fn pick<T: Copy>(table: &[T], byte: u8) -> T {
    table[usize::from(byte) % table.len()]
}
