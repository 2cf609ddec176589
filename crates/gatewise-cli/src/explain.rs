//! `gatewise explain <input>`: a status code (`502`, `502.3`, `524`), a log
//! line, or a raw response (from a file, or stdin with `-`) becomes a
//! [`Diagnosis`] and an explanation for one audience.
//!
//! This module is the only place the CLI calls the status registry and the
//! log explainer, so that wiring them is a two-line change.
//!
//! # Example
//! ```
//! use gatewise_cli::explain::{explain_text, Kind};
//! use gatewise_core::Lang;
//! let e = explain_text("HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\n\r\n<html></html>", Lang::EN).unwrap();
//! assert_eq!(e.kind, Kind::Response);
//! assert_eq!(e.diagnosis.status, 502);
//! let e = explain_text("502.3", Lang::EN).unwrap();
//! assert_eq!(e.kind, Kind::Status);
//! assert_eq!(e.diagnosis.sub_status, Some(3));
//! ```

use std::io::Read;
use std::path::Path;

use gatewise_core::classify::{self, ResponseView};
use gatewise_core::{Diagnosis, Lang, Layer};

use crate::error::CliError;

/// The most input read (a file, stdin): 256 KiB. Only a prefix matters.
pub const MAX_INPUT: u64 = 256 * 1024;
/// The most lines of a pasted log tried.
const MAX_LOG_LINES: usize = 200;

/// What the input was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A status code, with or without an IIS sub-status.
    Status,
    /// A raw HTTP response.
    Response,
    /// A log line.
    Log,
}

/// An explained input.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// What the input was.
    pub kind: Kind,
    /// The diagnosis.
    pub diagnosis: Diagnosis,
    /// The log explainer's own text, for log lines.
    pub log_text: Option<String>,
    /// The input line that was explained (log lines).
    pub line: Option<String>,
}

/// Reads the input argument: `-` is stdin, an existing file is read, anything
/// else is the text itself. Reads at most [`MAX_INPUT`] bytes.
pub fn read_input(arg: &str) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    if arg == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_INPUT)
            .read_to_end(&mut bytes)
            .map_err(|source| CliError::Read {
                path: "<stdin>".into(),
                source,
            })?;
    } else if Path::new(arg).is_file() {
        std::fs::File::open(arg)
            .and_then(|f| f.take(MAX_INPUT).read_to_end(&mut bytes))
            .map_err(|source| CliError::Read {
                path: arg.into(),
                source,
            })?;
    } else {
        return Ok(arg.to_owned());
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Parses `502` or `502.3` into a code and sub-status.
///
/// after merge: `gatewise_core::status::parse(text)` (which also knows which
/// codes and sub-statuses exist) replaces this.
fn parse_status(text: &str) -> Option<(u16, Option<u16>)> {
    let (code, sub) = match text.split_once('.') {
        Some((c, s)) => (c, Some(s)),
        None => (text, None),
    };
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code: u16 = code.parse().ok()?;
    if !(100..=999).contains(&code) {
        return None;
    }
    let sub = match sub {
        Some(s) if !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()) => {
            Some(s.parse().ok()?)
        }
        Some(_) => return None,
        None => None,
    };
    Some((code, sub))
}

/// The diagnosis of a status code.
///
/// after merge: look the code up with `gatewise_core::status::lookup(code)`
/// (or `status::parse`'s key) to reject unknown codes and name the vendor
/// layer of unofficial ones (Cloudflare 52x, nginx 499…).
fn status_diagnosis(code: u16, sub: Option<u16>) -> Diagnosis {
    let mut d = Diagnosis::for_status(code, Layer::Unknown);
    d.sub_status = sub;
    d
}

/// A parsed response: status, headers, body.
type Parsed = (u16, Vec<(String, String)>, Vec<u8>);

/// Splits a raw response into status, headers and body (lenient: LF line
/// endings and a missing blank line are accepted).
fn parse_response(text: &str) -> Option<Parsed> {
    let bytes = text.trim_start_matches('\u{feff}').trim_start().as_bytes();
    let mut slots = [httparse::EMPTY_HEADER; 256];
    let mut resp = httparse::Response::new(&mut slots);
    let (head, complete) = match resp.parse(bytes) {
        Ok(httparse::Status::Complete(n)) => (n, true),
        Ok(httparse::Status::Partial) => (bytes.len(), false),
        Err(_) => return None,
    };
    if !complete {
        // A header section without its blank line: parse it again, terminated.
        let mut owned = bytes.to_vec();
        owned.extend_from_slice(b"\r\n\r\n");
        let mut slots = [httparse::EMPTY_HEADER; 256];
        let mut resp = httparse::Response::new(&mut slots);
        let Ok(httparse::Status::Complete(_)) = resp.parse(&owned) else {
            return None;
        };
        return Some((resp.code?, headers_of(resp.headers), Vec::new()));
    }
    Some((
        resp.code?,
        headers_of(resp.headers),
        bytes.get(head..).unwrap_or(&[]).to_vec(),
    ))
}

fn headers_of(h: &[httparse::Header<'_>]) -> Vec<(String, String)> {
    h.iter()
        .filter(|h| !h.name.is_empty())
        .map(|h| {
            (
                h.name.to_owned(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect()
}

/// Explains one log line.
///
/// after merge: `gatewise_core::logs::explain(line)` returns
/// `Option<LogExplanation>`; map it to
/// `Explanation { kind: Kind::Log, diagnosis: e.diagnosis, log_text: Some(e.text(lang)), line: None }`.
fn explain_log_line(line: &str, lang: Lang) -> Option<Explanation> {
    let _ = (line, lang);
    None
}

/// Explains `text`: a status code, a raw response, or log lines (the first
/// line the log explainer recognises).
pub fn explain_text(text: &str, lang: Lang) -> Result<Explanation, CliError> {
    let trimmed = text.trim();
    if let Some((code, sub)) = parse_status(trimmed) {
        return Ok(Explanation {
            kind: Kind::Status,
            diagnosis: status_diagnosis(code, sub),
            log_text: None,
            line: None,
        });
    }
    if trimmed
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("HTTP/"))
    {
        let (status, headers, body) =
            parse_response(trimmed).ok_or_else(|| CliError::NotRecognised(first_line(trimmed)))?;
        let view: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        return Ok(Explanation {
            kind: Kind::Response,
            diagnosis: classify::response(&ResponseView {
                status,
                headers: &view,
                body: &body,
            }),
            log_text: None,
            line: None,
        });
    }
    trimmed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(MAX_LOG_LINES)
        .find_map(|l| {
            explain_log_line(l, lang).map(|mut e| {
                e.line = Some(l.to_owned());
                e
            })
        })
        .ok_or_else(|| CliError::NotRecognised(first_line(trimmed)))
}

fn first_line(s: &str) -> String {
    crate::style::clean(s.lines().next().unwrap_or(""), 80)
}

/// The text explanation of `e` for `audience`.
pub fn render(
    e: &Explanation,
    audience: gatewise_core::Audience,
    lang: Lang,
    style: &crate::style::Style,
) -> String {
    use std::fmt::Write as _;
    let d = &e.diagnosis;
    let mut out = String::new();
    let code = d.received_status.unwrap_or(d.status);
    let status = match d.sub_status {
        Some(sub) => format!("{code}.{sub}"),
        None => code.to_string(),
    };
    let what = match e.kind {
        Kind::Status => "status code".to_owned(),
        Kind::Response => format!("response written by {}", d.layer),
        Kind::Log => format!("log line from {}", d.layer),
    };
    let _ = writeln!(out, "{} · {what}", style.bold(&status));
    let meaning = d
        .sub_status
        .and_then(|sub| gatewise_core::i18n::message(lang, &format!("status.{code}.{sub}.meaning")))
        .or_else(|| gatewise_core::i18n::message(lang, &format!("status.{code}.meaning")));
    if let Some(m) = meaning {
        let _ = writeln!(out, "{m}");
    }
    if let Some(line) = &e.line {
        let _ = writeln!(out, "line: {}", crate::style::clean(line, 300));
    }
    if let Some(t) = &e.log_text {
        let _ = writeln!(out, "{t}");
    }
    let _ = writeln!(out);
    crate::probe::print::diagnosis_block(
        &mut out,
        d,
        audience,
        lang,
        &crate::advice::Fill::default(),
        style,
    );
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_parse_strictly() {
        assert_eq!(parse_status("502"), Some((502, None)));
        assert_eq!(parse_status("502.3"), Some((502, Some(3))));
        assert_eq!(parse_status("524"), Some((524, None)));
        for bad in ["50", "5022", "502.", "502.x", "abc", "502.1234", "099"] {
            assert_eq!(parse_status(bad), None, "{bad}");
        }
    }

    #[test]
    fn responses_parse_leniently() {
        let (s, h, b) =
            parse_response("HTTP/1.1 503 Service Unavailable\nRetry-After: 30\n\nbody").unwrap();
        assert_eq!((s, h.len(), b.as_slice()), (503, 1, &b"body"[..]));
        let (s, h, b) = parse_response("HTTP/1.0 504 Gateway Time-out\r\nServer: x").unwrap();
        assert_eq!((s, h.len(), b.len()), (504, 1, 0));
        assert!(parse_response("SSH-2.0-OpenSSH").is_none());
    }
}
