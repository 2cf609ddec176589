//! `gatewise explain <input>` (and `npm start -- <input>`, which runs it):
//! anything pasted — a status code (`502`, `502.3`, `524`), a raw response
//! or `curl -v` output, log lines in their envelopes, an error page or its
//! copied text, a header dump, a client's error message, a HAR file — read by
//! the core's [`gatewise_core::explain::explain`] and explained for one
//! audience: the headline artefact in full, then every artefact of the paste.
//!
//! # Example
//! ```
//! use gatewise_cli::explain::explain_text;
//! use gatewise_core::explain::InputKind;
//! let e = explain_text("HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\n\r\n<html></html>").unwrap();
//! assert_eq!(e.kind, InputKind::Response);
//! assert_eq!(e.diagnosis.received_status, Some(502));
//! let e = explain_text("502.3").unwrap();
//! assert_eq!(e.kind, InputKind::Status);
//! assert_eq!(e.diagnosis.sub_status, Some(3));
//! ```

use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

use gatewise_core::explain::{
    self as core_explain, Artefact, ExplainError, Explanation, InputKind,
};
use gatewise_core::i18n;
use gatewise_core::{Audience, Diagnosis, Lang};

use crate::error::CliError;
use crate::style::{clean, Style};

/// The most input read (a file, stdin): enough for a HAR file. The core reads
/// only a prefix of anything else.
pub const MAX_INPUT: u64 = core_explain::har::MAX_HAR_INPUT as u64;

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

/// Explains `text` with the core's [`gatewise_core::explain::explain`].
pub fn explain_text(text: &str) -> Result<Explanation, CliError> {
    core_explain::explain(text).map_err(|e| match e {
        ExplainError::NothingFailed { requests } => CliError::NothingFailed(requests),
        ExplainError::Empty | ExplainError::NotRecognised => {
            CliError::NotRecognised(first_line(text.trim()))
        }
    })
}

fn first_line(s: &str) -> String {
    clean(s.lines().next().unwrap_or(""), 80)
}

fn t(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    i18n::format(lang, key, args)
}

/// The status shown for a diagnosis: the one received, else the bare status
/// code's (a status code pasted alone), else none.
fn shown_status(kind: InputKind, d: &Diagnosis) -> Option<String> {
    let code = d
        .received_status
        .or((kind == InputKind::Status).then_some(d.status))?;
    Some(match d.sub_status {
        Some(sub) => format!("{code}.{sub}"),
        None => code.to_string(),
    })
}

/// What an artefact is, in words: "response written by nginx".
fn what(a: &Artefact, lang: Lang) -> String {
    let l = a.diagnosis.layer;
    let layer = i18n::message(lang, &format!("layer.{}", l.name()))
        .unwrap_or(l.info().display)
        .to_owned();
    t(
        lang,
        &format!("explain.written.{}", a.kind.name()),
        &[("layer", &layer)],
    )
}

/// The text explanation of `e` for `audience`: the headline in full, then
/// the list of every artefact when there are several.
pub fn render(e: &Explanation, audience: Audience, lang: Lang, style: &Style) -> String {
    let mut out = String::new();
    let Some(head) = e.headline() else {
        return out;
    };
    let d = &head.diagnosis;
    let status = shown_status(head.kind, d).unwrap_or_else(|| t(lang, "explain.no_status", &[]));
    // The headline's order and punctuation are the language's (`cli.headline`).
    let _ = writeln!(
        out,
        "{}",
        t(
            lang,
            "cli.headline",
            &[
                ("status", &style.bold(&status)),
                ("what", &what(head, lang))
            ]
        )
    );
    let code = d.received_status.unwrap_or(d.status);
    let meaning = d
        .sub_status
        .and_then(|sub| i18n::message(lang, &format!("status.{code}.{sub}.meaning")))
        .or_else(|| i18n::message(lang, &format!("status.{code}.meaning")));
    if let (Some(m), true) = (meaning, shown_status(head.kind, d).is_some()) {
        let _ = writeln!(out, "{m}");
    }
    artefact_details(&mut out, head, lang, style);
    let _ = writeln!(out);
    crate::probe::print::diagnosis_block(
        &mut out,
        d,
        audience,
        lang,
        &crate::advice::Known::default(),
        style,
    );
    if e.artefacts.len() > 1 || e.not_failed > 0 || e.omitted > 0 {
        let _ = writeln!(
            out,
            "\n{}",
            style.bold(&t(lang, "explain.artefacts_heading", &[]))
        );
        for (i, a) in e.artefacts.iter().enumerate() {
            let _ = writeln!(out, "{}", summary_line(i, a, i == e.headline, lang, style));
            if i != e.headline {
                let mut details = String::new();
                artefact_details(&mut details, a, lang, style);
                for line in details.lines() {
                    let _ = writeln!(out, "    {line}");
                }
            }
        }
        if e.not_failed > 0 {
            let n = e.not_failed.to_string();
            let _ = writeln!(out, "  {}", t(lang, "explain.not_failed", &[("count", &n)]));
        }
        if e.omitted > 0 {
            let n = e.omitted.to_string();
            let max = core_explain::MAX_ARTEFACTS.to_string();
            let _ = writeln!(
                out,
                "  {}",
                t(lang, "explain.omitted", &[("count", &n), ("max", &max)])
            );
        }
    }
    out
}

/// `[2] lines 3–5 · received 502 · response written by nginx · connection_refused`
fn summary_line(i: usize, a: &Artefact, headline: bool, lang: Lang, style: &Style) -> String {
    let d = &a.diagnosis;
    let mut parts = Vec::new();
    if let Some(r) = a.lines {
        let (first, last) = (r.first.to_string(), r.last.to_string());
        parts.push(if r.first == r.last {
            t(lang, "explain.line", &[("first", &first)])
        } else {
            t(lang, "explain.lines", &[("first", &first), ("last", &last)])
        });
    }
    if let Some(s) = shown_status(a.kind, d) {
        parts.push(t(lang, "explain.received", &[("status", &s)]));
    }
    parts.push(what(a, lang));
    parts.push(
        d.error_type
            .map(|t| t.name().to_owned())
            .unwrap_or_else(|| "—".to_owned()),
    );
    let mark = if headline {
        format!(" ← {}", t(lang, "explain.headline_mark", &[]))
    } else {
        String::new()
    };
    let line = format!("  [{}] {}{mark}", i.saturating_add(1), parts.join(" · "));
    if headline {
        style.bold(&line)
    } else {
        line
    }
}

/// The excerpt, the envelopes peeled, the log explainer's words and a HAR
/// entry's cycle.
fn artefact_details(out: &mut String, a: &Artefact, lang: Lang, style: &Style) {
    if let Some(x) = &a.exchange {
        let _ = writeln!(out, "{} {}", clean(&x.method, 16), clean(&x.url, 300));
        if let Some(err) = &x.error {
            let _ = writeln!(out, "{}", clean(err, 200));
        }
        let _ = writeln!(out, "{}", cycle_line(x, lang, style));
    } else if !a.excerpt.is_empty() && a.kind != InputKind::Status {
        let _ = writeln!(out, "» {}", clean(&a.excerpt, 300));
    }
    if !a.wrappers.is_empty() {
        let names: Vec<String> = a
            .wrappers
            .iter()
            .map(|w| t(lang, &format!("explain.wrapper.{}", w.name()), &[]))
            .collect();
        let mut line = t(
            lang,
            "explain.read_inside",
            &[("wrappers", &names.join(", "))],
        );
        if let Some(s) = &a.source {
            line.push_str(" · ");
            line.push_str(&t(
                lang,
                "explain.from_source",
                &[("source", &clean(s, 80))],
            ));
        }
        let _ = writeln!(out, "{line}");
    }
    if let Some(log) = &a.log {
        let _ = writeln!(out, "{}", log.text(lang));
    }
}

/// `DNS — · connecting — · … · waiting for the answer ✗ 1060.3 ms · …`
fn cycle_line(x: &core_explain::Exchange, lang: Lang, style: &Style) -> String {
    let steps: Vec<String> = x
        .phases
        .iter()
        .map(|p| {
            let name = t(lang, &format!("explain.phase.{}", p.phase.name()), &[]);
            let time = match p.ms {
                Some(ms) => t(lang, "explain.ms", &[("ms", &format!("{ms}"))]),
                None => "—".to_owned(),
            };
            if p.failed {
                style.bad(&format!("{name} ✗ {time}"))
            } else {
                format!("{name} {time}")
            }
        })
        .collect();
    steps.join(" → ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use gatewise_core::{ErrorType, Layer};

    #[test]
    fn status_codes_use_the_registry() {
        let e = explain_text("524").unwrap();
        assert_eq!(
            (e.kind, e.diagnosis.layer),
            (InputKind::Status, Layer::Cloudflare)
        );
        assert_eq!(e.diagnosis.error_type, Some(ErrorType::HttpResponseTimeout));
        assert!(explain_text("not a thing").is_err());
    }

    #[test]
    fn log_lines_carry_their_own_explanation() {
        let line = r#"2026/11/21 06:12:01 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:9/", host: "x""#;
        let e = explain_text(&format!("\n{line}\n")).unwrap();
        assert_eq!(e.kind, InputKind::Log);
        let text = render(&e, Audience::Owner, Lang::EN, &Style::plain());
        assert!(text.contains(&format!("» {line}")), "{text}");
        assert!(text.contains("connection refused"), "{text}");
    }

    #[test]
    fn several_artefacts_are_listed_with_the_headline_marked() {
        let paste = "web-1  | 2026/11/21 06:12:01 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:9/\", host: \"x\"\n\ncurl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused";
        let e = explain_text(paste).unwrap();
        assert_eq!(e.artefacts.len(), 2);
        let text = render(&e, Audience::Owner, Lang::EN, &Style::plain());
        assert!(
            text.contains("[1] line 1 · log line from nginx · connection_refused ← the headline"),
            "{text}"
        );
        assert!(
            text.contains("[2] line 3 · error message · connection_refused"),
            "{text}"
        );
        assert!(
            text.contains("Read inside: docker compose prefix · from web-1"),
            "{text}"
        );
    }
}
