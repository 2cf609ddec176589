//! The typography of what the renderers write, not only of the catalogs: the
//! code joins pieces of text (a sentence and the failed step, a label and its
//! value, a title and its token) with the catalogs' own templates
//! (`page.join.*`, `page.field`), so a rendered page keeps each language's
//! rules. Every failure type, in every language, as HTML, text and Markdown:
//!
//! - Japanese and Chinese: no ASCII space after a full-width sign (`。 `),
//!   as an ASCII space joining two sentences would leave.
//! - French: no plain space before `: ; ? !` (U+202F is the rule).
//!
//! Text in `<code>` (tokens, commands) and reflected values are left out.

// A test: a failed expectation panics with its context.
#![allow(clippy::panic, clippy::indexing_slicing, clippy::unwrap_used)]

use gatewise_core::render::{self, PageContext};
use gatewise_core::{Diagnosis, Lang, Layer, ERROR_TYPES};

/// The visible text of an HTML page: tags, `<code>` elements, `<style>` and the SVG drawing's
/// attributes removed, entities left as they are.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open..).unwrap_or("");
        let skip_to = |end: &str| after.find(end).map(|i| i + end.len());
        let next = if after.starts_with("<code") {
            skip_to("</code>")
        } else if after.starts_with("<style") {
            skip_to("</style>")
        } else {
            after.find('>').map(|i| i + 1)
        };
        // A tag ends a run of text as a line break would.
        out.push('\n');
        rest = after.get(next.unwrap_or(after.len())..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn problems(lang: &str, text: &str) -> Vec<String> {
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, w) in c.windows(2).enumerate() {
        let bad = match lang {
            "ja" | "zh-Hans" => {
                matches!(w[0], '。' | '、' | '，' | '：' | '；' | '！' | '？' | '）') && w[1] == ' '
            }
            "fr" => {
                w[0] == ' '
                    && matches!(w[1], ':' | ';' | '?' | '!')
                    && c.get(i + 2).is_none_or(|n| n.is_whitespace())
            }
            _ => false,
        };
        if bad {
            let from = i.saturating_sub(12);
            out.push(c[from..(i + 14).min(c.len())].iter().collect());
        }
    }
    out
}

#[test]
fn rendered_pages_keep_each_languages_typography() {
    let mut checked = 0;
    let mut found = Vec::new();
    for lang in Lang::all() {
        let mut ctx = PageContext::new(lang);
        ctx.owner_details = true;
        ctx.request_id = Some("abc".into());
        ctx.time = Some("2026-12-06 06:12 UTC".into());
        for (t, _) in ERROR_TYPES {
            let d = Diagnosis::for_type(*t, Layer::Nginx);
            for (kind, body) in [
                ("html", visible_text(&render::html(&d, &ctx))),
                ("text", render::text(&d, &ctx)),
                ("markdown", render::markdown(&d, &ctx)),
            ] {
                checked += 1;
                for p in problems(lang.tag(), &body) {
                    found.push(format!("{lang} {} {kind}: …{p}…", t.name()));
                }
            }
        }
    }
    assert_eq!(checked, 8 * 32 * 3);
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_check_finds_what_it_is_for() {
    assert_eq!(problems("ja", "失敗しました。 段階：接続。").len(), 1);
    assert!(problems("ja", "失敗しました。段階：接続。").is_empty());
    assert_eq!(problems("fr", "Étape : connexion").len(), 1);
    assert!(problems("fr", "Étape\u{202f}: connexion").is_empty());
    assert_eq!(visible_text("<p>a<code>x。 y</code>b</p>"), "\na\nb\n");
}
