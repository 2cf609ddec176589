//! The `text/markdown` body, for agents that ask for Markdown (Cloudflare's
//! "Markdown for Agents" convention: `Accept: text/markdown`): a YAML front
//! matter with what a program decides on (status, error type, retryable,
//! `retry_after`, `owner_action_required`), then the same words as the HTML
//! page — the headline, where the path broke, what the visitor can do, and
//! the owner's and developer's details with the likely causes and commands.
//!
//! Catalog texts are written with Markdown's special characters escaped;
//! every reflected or upstream value (request id, URL, evidence, commands)
//! goes into a code span, where nothing is interpreted, fenced by more
//! backticks than it holds. Front matter strings are JSON strings (valid
//! YAML).
//!
//! # Example
//! ```
//! use gatewise_core::{render, Diagnosis, ErrorType, Lang, Layer};
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
//! let mut ctx = render::PageContext::new(Lang::EN);
//! ctx.request_id = Some("a`b".into());
//! let md = render::markdown(&d, &ctx);
//! assert!(md.starts_with("---\ntitle: \"Server refused the connection\"\nstatus: 502\n"));
//! assert!(md.contains("\n# Server refused the connection\n"));
//! assert!(md.contains("``a`b``"));
//! ```

use std::fmt::Write as _;

use crate::i18n;
use crate::render::escape::{clean, clean_opt, LONG, MAX_ITEMS, SHORT, URL};
use crate::render::problem::owner_action_required;
use crate::render::svg::failure_sentence;
use crate::render::words::{self, hop_name, layer_name, t, Advice, Words};
use crate::render::PageContext;
use crate::Diagnosis;

/// `s` with the characters Markdown would interpret escaped, on one line.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `s` as an inline code span: fenced by one backtick more than its longest
/// run of backticks, padded with spaces when it starts or ends with one.
fn code(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.saturating_add(1));
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A JSON string (a valid YAML scalar).
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\""))
}

/// A `- **label**: value` line, the value already Markdown.
fn field(o: &mut String, lang: crate::Lang, label_key: &str, value_md: &str) {
    let label = text(&t(lang, label_key));
    let line = i18n::fill(
        &text(&t(lang, "page.field")),
        &[("label", &format!("**{label}**")), ("value", value_md)],
    );
    let _ = writeln!(o, "- {line}");
}

fn advice(o: &mut String, items: &[Advice]) {
    for a in items {
        let _ = write!(o, "- {}", text(&a.text));
        // The command on its own line (a hard line break inside the item), as the
        // page and the text show it: no space to join it that a language would not use.
        if let Some(c) = &a.command {
            let _ = write!(o, "\\\n  {}", code(&clean(c, LONG)));
        }
        o.push('\n');
    }
}

/// Renders the Markdown body (see the module docs).
pub(crate) fn render(d: &Diagnosis, ctx: &PageContext) -> String {
    let lang = ctx.lang;
    let w = Words::new(d, ctx);
    let mut o = String::with_capacity(3072);

    // Front matter: the facts a program decides on.
    o.push_str("---\n");
    let _ = writeln!(o, "title: {}", yaml_string(&w.title));
    let _ = writeln!(o, "status: {}", d.status);
    if let Some(e) = d.error_type {
        let _ = writeln!(o, "error_type: {}", e.name());
    }
    let _ = writeln!(o, "layer: {}", d.layer.name());
    let _ = writeln!(o, "segment: {}", d.segment.name());
    if let Some(h) = d.hop {
        let _ = writeln!(o, "hop: {}", h.name());
    }
    let _ = writeln!(o, "retryable: {}", d.retryable);
    if let Some(s) = d.retry_after {
        let _ = writeln!(o, "retry_after: {s}");
    }
    let _ = writeln!(o, "owner_action_required: {}", owner_action_required(d));
    let _ = writeln!(o, "confidence: {}", d.confidence.name());
    let _ = writeln!(o, "lang: {}", lang.tag());
    o.push_str("---\n\n");

    // For the visitor.
    let _ = writeln!(o, "# {}\n", text(&w.title));
    if let Some(line) = &w.status_line {
        let _ = writeln!(o, "{}\n", text(line));
    }
    let _ = writeln!(o, "{}\n", text(&failure_sentence(d, lang)));
    let _ = writeln!(o, "{}\n", text(&w.visitor));
    let _ = writeln!(o, "## {}\n", text(&t(lang, "page.heading.visitor")));
    for a in &w.visitor_advice {
        let _ = writeln!(o, "- {}", text(a));
    }
    o.push('\n');
    let id = clean_opt(ctx.request_id.as_deref(), SHORT);
    let time = clean_opt(ctx.time.as_deref(), SHORT);
    let url = clean_opt(ctx.url.as_deref(), URL);
    if id.is_some() || time.is_some() || url.is_some() {
        let _ = writeln!(o, "{}\n", text(&t(lang, "page.ids.hint")));
        for (key, value) in [
            ("page.label.request_id", id),
            ("page.label.time", time),
            ("page.label.url", url),
        ] {
            if let Some(v) = value {
                field(&mut o, lang, key, &code(&v));
            }
        }
        o.push('\n');
    }

    // For the site owner.
    let _ = writeln!(o, "## {}\n", text(&t(lang, "page.heading.details")));
    field(&mut o, lang, "page.label.code", &code(&w.code));
    if let Some(h) = d.hop {
        field(&mut o, lang, "page.label.hop", &text(&hop_name(h, lang)));
    }
    field(
        &mut o,
        lang,
        "page.label.layer",
        &text(&layer_name(d, lang)),
    );
    if let Some(v) = d.vendor_code.as_deref() {
        field(
            &mut o,
            lang,
            "page.label.vendor_code",
            &code(&clean(v, SHORT)),
        );
    }
    field(
        &mut o,
        lang,
        "page.label.confidence",
        &text(&t(lang, &format!("confidence.{}", d.confidence.name()))),
    );
    o.push('\n');
    if !w.causes.is_empty() {
        let _ = writeln!(o, "### {}\n", text(&t(lang, "page.heading.causes")));
        for c in &w.causes {
            let _ = writeln!(o, "- {}", text(c));
        }
        o.push('\n');
    }
    if let Some(note) = &w.note {
        let _ = writeln!(o, "{}\n", text(note));
    }
    let _ = writeln!(o, "### {}\n", text(&t(lang, "page.heading.owner")));
    if let Some(owner) = &w.owner {
        let _ = writeln!(o, "{}\n", text(owner));
    }
    advice(&mut o, &w.owner_advice);
    let logs = words::gateway_logs(d, ctx);
    if !logs.is_empty() {
        let list: Vec<String> = logs.iter().map(|l| code(l)).collect();
        let line = i18n::fill(
            &text(&t(lang, "page.owner.logs")),
            &[
                ("layer", &text(&layer_name(d, lang))),
                ("logs", &list.join(&text(&t(lang, "page.list_separator")))),
            ],
        );
        let _ = writeln!(o, "\n{line}");
    }
    if w.developer.is_some() || !w.developer_advice.is_empty() {
        let _ = writeln!(o, "\n### {}\n", text(&t(lang, "page.heading.developer")));
        if let Some(dev) = &w.developer {
            let _ = writeln!(o, "{}\n", text(dev));
        }
        advice(&mut o, &w.developer_advice);
    }
    if ctx.owner_details && (d.detail.is_some() || !d.evidence.is_empty()) {
        let _ = writeln!(o, "\n### {}\n", text(&t(lang, "page.heading.evidence")));
        if let Some(detail) = &d.detail {
            let line = i18n::fill(
                &text(&t(lang, "page.owner.detail")),
                &[("detail", &code(&clean(detail, LONG)))],
            );
            let _ = writeln!(o, "{line}\n");
        }
        for e in d.evidence.iter().take(MAX_ITEMS) {
            let line = i18n::fill(
                &text(&t(lang, "page.join.evidence")),
                &[
                    (
                        "source",
                        &text(&t(lang, &format!("page.source.{}", e.source.name()))),
                    ),
                    ("fact", &code(&clean(&e.fact, LONG))),
                ],
            );
            let _ = writeln!(o, "- {line}");
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_anything() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a\nb"), "`a b`");
        assert_eq!(text("*a* [b](c) <i>"), "\\*a\\* \\[b\\](c) \\<i\\>");
        assert_eq!(yaml_string("a\"b\n"), "\"a\\\"b\\n\"");
    }
}
