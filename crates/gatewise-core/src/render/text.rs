//! The `text/plain` body, for curl and terminals: the headline and the
//! status sent, the summary, where it failed, the machine-readable code,
//! who wrote the error, what to do (visitor; site owner with the likely
//! causes and commands; developers under their own heading), and the
//! request id. Lines are wrapped at 80
//! columns at spaces (text without spaces, such as Japanese, is not split).
//! Reflected values are cleaned of control characters, so a hostile
//! upstream cannot send escape sequences to a terminal.
//!
//! # Example
//! ```
//! use gatewise_core::{render, Diagnosis, ErrorType, Lang, Layer};
//! let d = Diagnosis::for_type(ErrorType::ConnectionReadTimeout, Layer::Haproxy);
//! let mut ctx = render::PageContext::new(Lang::EN);
//! ctx.request_id = Some("req-42".into());
//! let body = render::text(&d, &ctx);
//! assert!(body.starts_with("Server stopped responding\nError code 504\n"));
//! assert!(body.contains("504 · connection_read_timeout"));
//! assert!(body.contains("\nFor developers\n"));
//! assert!(body.contains("req-42"));
//! assert!(!body.contains('<'));
//! ```

use crate::i18n;
use crate::render::escape::{clean, clean_opt, LONG, MAX_ITEMS, SHORT};
use crate::render::svg::segment_sentence;
use crate::render::words::{self, hop_name, layer_name, t, type_title, Advice, Words};
use crate::render::PageContext;
use crate::Diagnosis;

/// The line width.
const WIDTH: usize = 80;

/// Appends `text` wrapped at [`WIDTH`], the first line prefixed by `first`,
/// the others by `rest`.
fn wrap(out: &mut String, text: &str, first: &str, rest: &str) {
    let mut line = String::from(first);
    let mut empty = true;
    // Words end at ASCII spaces, tabs and line breaks only: a no-break space (French
    // puts U+202F before `:` and inside « ») joins what it stands between.
    for word in text
        .split([' ', '\t', '\n', '\r'])
        .filter(|w| !w.is_empty())
    {
        let len = line.chars().count();
        if !empty && len.saturating_add(1).saturating_add(word.chars().count()) > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    if !empty {
        out.push_str(&line);
        out.push('\n');
    }
}

/// A `label: value` line.
fn field(out: &mut String, ctx: &PageContext, label_key: &str, value: &str) {
    let label = t(ctx.lang, label_key);
    wrap(
        out,
        &i18n::format(
            ctx.lang,
            "page.field",
            &[("label", &label), ("value", value)],
        ),
        "",
        "    ",
    );
}

/// Advice items, commands on their own indented line.
fn advice(out: &mut String, items: &[Advice]) {
    for a in items {
        wrap(out, &a.text, "  - ", "    ");
        if let Some(c) = &a.command {
            out.push_str("      ");
            out.push_str(&clean(c, LONG));
            out.push('\n');
        }
    }
}

/// Renders the text body (see the module docs).
pub(crate) fn render(d: &Diagnosis, ctx: &PageContext) -> String {
    let lang = ctx.lang;
    let w = Words::new(d, ctx);
    let mut o = String::with_capacity(2048);
    wrap(&mut o, &w.title, "", "");
    if let Some(line) = &w.status_line {
        wrap(&mut o, line, "", "");
    }
    o.push('\n');
    wrap(&mut o, &w.summary, "", "");
    wrap(&mut o, &segment_sentence(d, lang), "", "");
    o.push('\n');

    field(&mut o, ctx, "page.label.code", &w.code);
    if let Some(h) = d.hop {
        field(&mut o, ctx, "page.label.hop", &hop_name(h, lang));
    }
    field(&mut o, ctx, "page.label.layer", &layer_name(d, lang));
    if let Some(v) = d.vendor_code.as_deref() {
        field(&mut o, ctx, "page.label.vendor_code", &clean(v, SHORT));
    }
    field(
        &mut o,
        ctx,
        "page.label.confidence",
        &t(lang, &format!("confidence.{}", d.confidence.name())),
    );
    if !d.alternatives.is_empty() {
        let alts: Vec<String> = d
            .alternatives
            .iter()
            .take(MAX_ITEMS)
            .map(|a| match type_title(*a, lang) {
                Some(title) => i18n::format(
                    lang,
                    "page.join.titled_token_plain",
                    &[("title", &title), ("token", a.name())],
                ),
                None => a.name().to_owned(),
            })
            .collect();
        field(
            &mut o,
            ctx,
            "page.label.alternatives",
            &alts.join(&t(lang, "page.list_separator")),
        );
    }
    o.push('\n');

    o.push_str(&t(lang, "page.heading.visitor"));
    o.push('\n');
    for a in &w.visitor_advice {
        wrap(&mut o, a, "  - ", "    ");
    }
    o.push('\n');

    o.push_str(&t(lang, "page.heading.owner"));
    o.push('\n');
    if let Some(owner) = &w.owner {
        wrap(&mut o, owner, "  ", "  ");
    }
    if !w.causes.is_empty() {
        wrap(&mut o, &t(lang, "page.heading.causes"), "  ", "  ");
        for c in &w.causes {
            wrap(&mut o, c, "  - ", "    ");
        }
    }
    if let Some(note) = &w.note {
        wrap(&mut o, note, "  ", "  ");
    }
    advice(&mut o, &w.owner_advice);
    let logs = words::gateway_logs(d, ctx);
    if !logs.is_empty() {
        let text = i18n::format(
            lang,
            "page.owner.logs",
            &[
                ("layer", &layer_name(d, lang)),
                ("logs", &logs.join(&t(lang, "page.list_separator"))),
            ],
        );
        wrap(&mut o, &text, "  ", "  ");
    }
    if w.developer.is_some() || !w.developer_advice.is_empty() {
        o.push('\n');
        o.push_str(&t(lang, "page.heading.developer"));
        o.push('\n');
        if let Some(dev) = &w.developer {
            wrap(&mut o, dev, "  ", "  ");
        }
        advice(&mut o, &w.developer_advice);
    }

    if ctx.owner_details && (d.detail.is_some() || !d.evidence.is_empty()) {
        o.push('\n');
        o.push_str(&t(lang, "page.heading.evidence"));
        o.push('\n');
        if let Some(detail) = &d.detail {
            let text = i18n::format(
                lang,
                "page.owner.detail",
                &[("detail", &clean(detail, LONG))],
            );
            wrap(&mut o, &text, "  ", "  ");
        }
        for e in d.evidence.iter().take(MAX_ITEMS) {
            let source = t(lang, &format!("page.source.{}", e.source.name()));
            wrap(
                &mut o,
                &i18n::format(
                    lang,
                    "page.join.evidence",
                    &[("source", &source), ("fact", &clean(&e.fact, LONG))],
                ),
                "  - ",
                "    ",
            );
        }
    }

    let id = clean_opt(ctx.request_id.as_deref(), SHORT);
    let time = clean_opt(ctx.time.as_deref(), SHORT);
    if id.is_some() || time.is_some() {
        o.push('\n');
        if let Some(id) = id {
            field(&mut o, ctx, "page.label.request_id", &id);
        }
        if let Some(time) = time {
            field(&mut o, ctx, "page.label.time", &time);
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_within_80_columns() {
        let mut o = String::new();
        let long = "word ".repeat(40);
        wrap(&mut o, &long, "  - ", "    ");
        assert!(o.lines().count() >= 3);
        assert!(o.lines().all(|l| l.chars().count() <= WIDTH));
        assert!(o.starts_with("  - word"));
        assert!(o.lines().skip(1).all(|l| l.starts_with("    word")));
        let mut o = String::new();
        wrap(&mut o, "", "x", "y");
        assert_eq!(o, "");
        let mut o = String::new();
        wrap(&mut o, "Fiabilité\u{a0}: élevée", "", "");
        assert_eq!(o, "Fiabilité\u{a0}: élevée\n");
    }

    #[test]
    fn wrap_never_breaks_at_a_no_break_space() {
        // French: "Pourquoi ?" with U+202F stays one word, on one line, space and all.
        let word = "Pourquoi\u{202f}?";
        let mut o = String::new();
        wrap(&mut o, &format!("{} {word}", "x".repeat(WIDTH - 4)), "", "");
        assert_eq!(o.lines().nth(1), Some(word));
    }
}
