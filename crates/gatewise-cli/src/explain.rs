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

use gatewise_core::explain::{self as core_explain, InputKind};
use gatewise_core::i18n;
use gatewise_core::{Diagnosis, Lang};

use crate::error::CliError;

/// The most input read (a file, stdin): 256 KiB. Only a prefix matters.
pub const MAX_INPUT: u64 = 256 * 1024;

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
    /// An error page without a status line.
    Page,
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

/// Explains `text` with the core's [`gatewise_core::explain::explain`]: a
/// status code, a raw response, log lines (the first failure line), or an
/// error page.
pub fn explain_text(text: &str, lang: Lang) -> Result<Explanation, CliError> {
    let e = core_explain::explain(text)
        .map_err(|_| CliError::NotRecognised(first_line(text.trim())))?;
    let (log_text, line) = match e
        .lines
        .iter()
        .find(|l| l.explanation.diagnosis == e.diagnosis)
    {
        Some(l) => (
            Some(l.explanation.text(lang)),
            // Line numbers count from the first non-blank line, as the core trims.
            text.trim()
                .lines()
                .nth(l.line.saturating_sub(1))
                .map(|s| s.trim().to_owned()),
        ),
        None => (None, None),
    };
    Ok(Explanation {
        kind: match e.kind {
            InputKind::Status => Kind::Status,
            InputKind::Response => Kind::Response,
            InputKind::Log => Kind::Log,
            InputKind::Page => Kind::Page,
        },
        diagnosis: e.diagnosis,
        log_text,
        line,
    })
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
    // The words and their order come from the catalogs (`cli.*`), in `lang`.
    let layer = crate::probe::print::layer_name(d, lang);
    let what = match e.kind {
        Kind::Status => i18n::format(lang, "cli.kind.status", &[]),
        Kind::Response => i18n::format(lang, "cli.kind.response", &[("layer", &layer)]),
        Kind::Log => i18n::format(lang, "cli.kind.log", &[("layer", &layer)]),
        Kind::Page => i18n::format(lang, "cli.kind.page", &[("layer", &layer)]),
    };
    let _ = writeln!(
        out,
        "{}",
        i18n::format(
            lang,
            "cli.headline",
            &[("status", &style.bold(&status)), ("what", &what)]
        )
    );
    let meaning = d
        .sub_status
        .and_then(|sub| i18n::message(lang, &format!("status.{code}.{sub}.meaning")))
        .or_else(|| i18n::message(lang, &format!("status.{code}.meaning")));
    if let Some(m) = meaning {
        let _ = writeln!(out, "{m}");
    }
    if let Some(line) = &e.line {
        let _ = writeln!(
            out,
            "{}",
            i18n::format(
                lang,
                "page.field",
                &[
                    ("label", &i18n::format(lang, "cli.label.line", &[])),
                    ("value", &crate::style::clean(line, 300)),
                ]
            )
        );
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
        &crate::advice::Known::default(),
        style,
    );
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use gatewise_core::{ErrorType, Layer};

    #[test]
    fn status_codes_use_the_registry() {
        let e = explain_text("524", Lang::EN).unwrap();
        assert_eq!(
            (e.kind, e.diagnosis.layer),
            (Kind::Status, Layer::Cloudflare)
        );
        assert_eq!(e.diagnosis.error_type, Some(ErrorType::HttpResponseTimeout));
        assert!(explain_text("not a thing", Lang::EN).is_err());
    }

    #[test]
    fn log_lines_carry_their_own_explanation() {
        let line = r#"2026/11/21 06:12:01 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:9/", host: "x""#;
        let e = explain_text(&format!("\n{line}\n"), Lang::EN).unwrap();
        assert_eq!(e.kind, Kind::Log);
        assert_eq!(e.line.as_deref(), Some(line));
        assert!(e.log_text.unwrap().contains("connection refused"));
    }
}
