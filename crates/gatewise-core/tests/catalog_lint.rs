//! The catalogs' lint: every message of every file of every language
//! (`catalogs/<lang>/*.toml`, whoever added it) against the glossary
//! (`catalogs/glossary.toml`: one term per concept and language, and the
//! alternatives to avoid) and the typography of its language:
//!
//! - French: a narrow no-break space (U+202F) before `: ; ? !` and inside
//!   `« »`; a plain or no-break space there, or none, fails.
//! - Japanese: no space between Japanese text and Latin letters, digits or
//!   `{placeholders}` (the layout spaces scripts apart: W3C JLReq, CSS
//!   `text-autospace`); full-width punctuation next to Japanese text.
//! - Chinese: full-width punctuation next to Chinese text.
//! - Arabic: `، ؛ ؟` next to Arabic text, never `, ; ?`.
//! - Everywhere: no double space; a message starts or ends with a space
//!   only where English's does (fragments such as `log.during.*`).
//! - English: a count followed by a counted noun (`{seconds} seconds`) must
//!   be a plural message (`catalogs/README` in `i18n::plural`).
//!
//! German formal address, Spanish `usted`, Brazilian Portuguese only,
//! Japanese お客様 and Chinese 您 are glossary terms (`you (the reader)`,
//! `Brazilian Portuguese`). Placeholders and text quoted in `"…"` or `„…“`
//! (a server's own words) are not checked for terms.

// A test: a failed expectation panics with its context; TOML is read by key.
#![allow(clippy::panic, clippy::indexing_slicing, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex_lite::{Regex, RegexBuilder};

fn catalogs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogs")
}

fn read_toml(path: &Path) -> toml::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One message: a plural message's texts are `key#category`.
struct Message {
    file: String,
    key: String,
    text: String,
}

fn flatten(prefix: &str, v: &toml::Value, file: &str, out: &mut Vec<Message>) {
    match v {
        toml::Value::Table(t) if t.contains_key("plural") => {
            for (cat, text) in t.iter().filter(|(k, _)| *k != "plural") {
                out.push(Message {
                    file: file.to_owned(),
                    key: format!("{prefix}#{cat}"),
                    text: text.as_str().unwrap_or_default().to_owned(),
                });
            }
        }
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, file, out);
            }
        }
        toml::Value::String(s) => out.push(Message {
            file: file.to_owned(),
            key: prefix.to_owned(),
            text: s.clone(),
        }),
        _ => {}
    }
}

/// Every language tag of `languages.toml`, English first.
fn languages() -> Vec<String> {
    read_toml(&catalogs_dir().join("languages.toml"))["language"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|r| r["tag"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Every message of `lang`, from every file of its folder.
fn messages(lang: &str) -> Vec<Message> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(catalogs_dir().join(lang))
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        flatten("", &read_toml(&f), &name, &mut out);
    }
    out
}

/// One language's entry of a glossary term.
struct Entry {
    concept: String,
    keep: Vec<String>,
    avoid: Vec<(String, Regex)>,
}

struct Glossary {
    allow: Vec<String>,
    terms: BTreeMap<String, Vec<Entry>>,
    typography: BTreeMap<String, String>,
}

/// A glossary pattern. regex-lite's `\b` knows only ASCII letters (`\btú\b` would match
/// in `túnel`): here it is a boundary of Latin letters with their accents, at the cost of
/// taking the neighbouring character into the match.
fn regex(pattern: &str) -> Regex {
    let (pattern, insensitive) = match pattern.strip_prefix("(?i)") {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let pattern = pattern.replace("\\b", "(?:^|$|[^0-9A-Za-z_\u{c0}-\u{24f}])");
    RegexBuilder::new(&pattern)
        .case_insensitive(insensitive)
        .build()
        .unwrap_or_else(|e| panic!("glossary pattern {pattern:?}: {e}"))
}

fn glossary() -> Glossary {
    let g = read_toml(&catalogs_dir().join("glossary.toml"));
    let strings = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut terms: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for term in g["term"].as_array().into_iter().flatten() {
        let concept = term["concept"].as_str().unwrap_or_default().to_owned();
        assert!(
            term.get("note").and_then(|n| n.as_str()).is_some(),
            "glossary: {concept} has no note"
        );
        for (lang, e) in term.as_table().into_iter().flatten() {
            if !e.is_table() {
                continue;
            }
            assert!(
                e.get("use").and_then(|u| u.as_str()).is_some(),
                "glossary: {concept} {lang} has no `use`"
            );
            terms.entry(lang.clone()).or_default().push(Entry {
                concept: concept.clone(),
                keep: strings(e.get("keep")),
                avoid: strings(e.get("avoid"))
                    .into_iter()
                    .map(|p| {
                        let re = regex(&p);
                        (p, re)
                    })
                    .collect(),
            });
        }
    }
    let typography = g["typography"]
        .as_table()
        .map(|t| {
            t.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    Glossary {
        allow: strings(g["allow"].get("texts")),
        terms,
        typography,
    }
}

/// `text` with `{placeholders}` turned into `X` (a Latin letter, for the spacing rules).
fn placeholders_as_x(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        match after.find('}') {
            Some(close)
                if after.get(1..close).is_some_and(|n| {
                    !n.is_empty() && n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                }) =>
            {
                out.push('X');
                rest = after.get(close + 1..).unwrap_or("");
            }
            _ => {
                out.push('{');
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` with what is between `open` and `close` removed (quotes kept).
fn without_quoted(text: &str, open: char, close: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        if !inside && c == open {
            inside = true;
            out.push(c);
        } else if inside && c == close {
            inside = false;
            out.push(c);
        } else if !inside {
            out.push(c);
        }
    }
    out
}

/// What the term rules read: no placeholders, no quoted server text, no
/// allowed names, no file or directive names (`cache.log`, `error_log`).
fn prose(text: &str, allow: &[String]) -> String {
    let mut t = placeholders_as_x(text);
    t = without_quoted(&t, '"', '"');
    t = without_quoted(&t, '„', '“');
    for a in allow {
        t = t.replace(a.as_str(), "");
    }
    let names = Regex::new(r"[\w-]+(?:[._/=$][\w-]+)+").ok();
    match names {
        Some(re) => re.replace_all(&t, "").into_owned(),
        None => t,
    }
}

fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06ff}' | '\u{0750}'..='\u{077f}' | '\u{fb50}'..='\u{fdff}' | '\u{fe70}'..='\u{feff}')
}

fn latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// The few characters around index `i` of `chars`, for a readable report.
fn around(chars: &[char], i: usize) -> String {
    let from = i.saturating_sub(10);
    let to = (i + 10).min(chars.len());
    chars.get(from..to).unwrap_or_default().iter().collect()
}

/// The typography problems of one message in `lang`; `english` is the same key's English text.
fn typography(lang: &str, text: &str, english: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if text.contains("  ") {
        out.push("double space".to_owned());
    }
    // Fragments (`log.during.*`, `page.list_separator`) start or end with a space where
    // English's do; Japanese and Chinese put none between words.
    let en = english.unwrap_or("");
    let (starts, ends) = (
        text.starts_with(char::is_whitespace),
        text.ends_with(char::is_whitespace),
    );
    let (en_starts, en_ends) = (
        en.starts_with(char::is_whitespace),
        en.ends_with(char::is_whitespace),
    );
    let bad_edge = if matches!(lang, "ja" | "zh-Hans") {
        (starts && !en_starts) || (ends && !en_ends)
    } else {
        starts != en_starts || ends != en_ends
    };
    if bad_edge {
        out.push("starts or ends with a space where English does not (or the reverse)".to_owned());
    }
    let quoted = without_quoted(&placeholders_as_x(text), '"', '"');
    let c: Vec<char> = quoted.chars().collect();
    let at = |i: usize| c.get(i).copied();
    match lang {
        "fr" => {
            for (i, &ch) in c.iter().enumerate() {
                let before = i.checked_sub(1).and_then(at);
                let after = at(i + 1);
                if matches!(ch, ':' | ';' | '?' | '!') {
                    // A sign that ends a clause: followed by a space, the end, » or ).
                    let ends = after.is_none_or(|a| a.is_whitespace() || a == '»' || a == ')');
                    match before {
                        Some('\u{202f}') => {}
                        Some(' ' | '\u{a0}') if ends => out.push(format!(
                            "French: a plain or no-break space before {ch} (needs U+202F): …{}…",
                            around(&c, i)
                        )),
                        Some(b)
                            if ends
                                && (b.is_alphanumeric()
                                    || matches!(b, ')' | '»' | '"' | '\'' | 'X')) =>
                        {
                            out.push(format!(
                                "French: no narrow no-break space before {ch}: …{}…",
                                around(&c, i)
                            ))
                        }
                        _ => {}
                    }
                }
                if ch == '«' && after != Some('\u{202f}') {
                    out.push(format!(
                        "French: « without U+202F after it: …{}…",
                        around(&c, i)
                    ));
                }
                if ch == '»' && before != Some('\u{202f}') {
                    out.push(format!(
                        "French: » without U+202F before it: …{}…",
                        around(&c, i)
                    ));
                }
            }
        }
        "ja" => {
            for (i, &ch) in c.iter().enumerate() {
                let (Some(b), Some(a)) = (i.checked_sub(1).and_then(at), at(i + 1)) else {
                    continue;
                };
                if ch == ' '
                    && ((is_japanese(b)
                        && (latin(a) || matches!(a, '(' | '/' | '-' | '+' | '$' | '\'' | '`')))
                        || (is_japanese(a)
                            && (latin(b) || matches!(b, ')' | '%' | '.' | '\'' | '`'))))
                {
                    out.push(format!(
                        "Japanese: a space between Japanese and Latin text: …{}…",
                        around(&c, i)
                    ));
                }
                // `.NET`, `.conf`: a dot that starts a name is not punctuation.
                let name = ch == '.' && a.is_ascii_alphanumeric();
                if !name
                    && matches!(ch, ',' | '.' | ':' | ';' | '!' | '?' | '(' | ')')
                    && (is_japanese(b) || (is_japanese(a) && matches!(ch, '(' | ')')))
                {
                    out.push(format!(
                        "Japanese: ASCII {ch} next to Japanese text (full-width needed): …{}…",
                        around(&c, i)
                    ));
                }
            }
            if c.last()
                .is_some_and(|l| matches!(l, ',' | '.' | ':' | ';' | '!' | '?'))
                && c.iter().rev().nth(1).is_some_and(|p| is_japanese(*p))
            {
                out.push("Japanese: ends with ASCII punctuation".to_owned());
            }
        }
        "zh-Hans" => {
            for (i, &ch) in c.iter().enumerate() {
                let b = i.checked_sub(1).and_then(at);
                let a = at(i + 1);
                if matches!(ch, ',' | '.' | ':' | ';' | '!' | '?' | '(' | ')')
                    && (b.is_some_and(is_han) || (ch == '(' && a.is_some_and(is_han)))
                {
                    out.push(format!(
                        "Chinese: ASCII {ch} next to Chinese text (full-width needed): …{}…",
                        around(&c, i)
                    ));
                }
            }
        }
        "ar" => {
            for (i, &ch) in c.iter().enumerate() {
                if !matches!(ch, ',' | ';' | '?') {
                    continue;
                }
                let b = c.get(..i).and_then(|s| s.iter().rev().find(|x| **x != ' '));
                let a = c.get(i + 1..).and_then(|s| s.iter().find(|x| **x != ' '));
                if b.is_some_and(|x| is_arabic(*x)) || a.is_some_and(|x| is_arabic(*x)) {
                    out.push(format!(
                        "Arabic: Latin {ch} next to Arabic text (، ؛ ؟ needed): …{}…",
                        around(&c, i)
                    ));
                }
            }
        }
        _ => {}
    }
    out
}

/// The glossary problems of one message in `lang`.
fn terms(lang: &str, text: &str, g: &Glossary) -> Vec<String> {
    let prose = prose(text, &g.allow);
    let mut out = Vec::new();
    for e in g.terms.get(lang).into_iter().flatten() {
        let mut t = prose.clone();
        for k in &e.keep {
            t = t.replace(k.as_str(), "");
        }
        for (pattern, re) in &e.avoid {
            if let Some(m) = re.find(&t) {
                out.push(format!(
                    "{}: avoid /{pattern}/ ({:?})",
                    e.concept,
                    m.as_str()
                ));
            }
        }
    }
    out
}

/// English nouns that follow a count and take a plural form.
const COUNTED: &[&str] = &[
    "seconds",
    "minutes",
    "hours",
    "days",
    "bytes",
    "times",
    "attempts",
    "requests",
    "connections",
    "processes",
    "workers",
    "retries",
    "items",
    "lines",
    "errors",
];

/// An English message of `text`'s form `{count} seconds` that is not a plural message.
fn english_count(text: &str) -> Option<String> {
    let re = Regex::new(r"\{[a-z_]+\} ([a-z]+)").ok()?;
    let found = re.captures_iter(text).find_map(|c| {
        let noun = c.get(1)?.as_str();
        COUNTED
            .contains(&noun)
            .then(|| c.get(0).map(|m| m.as_str().to_owned()))
            .flatten()
    });
    found
}

#[test]
fn every_message_uses_its_glossary_terms_and_its_languages_typography() {
    let g = glossary();
    let langs = languages();
    let english: BTreeMap<String, String> = messages("en")
        .into_iter()
        .map(|m| (m.key, m.text))
        .collect();
    let english_of = |key: &str| {
        english
            .get(key)
            .or_else(|| english.get(&format!("{}#other", key.split('#').next().unwrap_or(key))))
            .map(String::as_str)
    };
    let mut problems = Vec::new();
    let mut checked = 0;
    for lang in &langs {
        for m in messages(lang) {
            checked += 1;
            let mut found = typography(lang, &m.text, english_of(&m.key));
            found.extend(terms(lang, &m.text, &g));
            if lang == "en" && !m.key.contains('#') {
                found.extend(
                    english_count(&m.text)
                        .map(|c| format!("a count ({c}) in a message that is not plural")),
                );
            }
            problems.extend(
                found
                    .into_iter()
                    .map(|p| format!("{lang} {} {}: {p}", m.file, m.key)),
            );
        }
    }
    assert!(checked > 8 * 1400, "{checked} messages");
    let mut by_lang: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &problems {
        *by_lang
            .entry(p.split(' ').next().unwrap_or(""))
            .or_default() += 1;
    }
    assert!(
        problems.is_empty(),
        "{} problems {by_lang:?} (catalogs/glossary.toml says which words; the test's doc, which typography):\n{}",
        problems.len(),
        problems.iter().take(200).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_glossary_speaks_of_every_language_and_states_each_typography_rule() {
    let g = glossary();
    for lang in languages().iter().skip(1) {
        assert!(
            g.terms.contains_key(lang),
            "glossary.toml has no term for {lang}"
        );
    }
    for lang in ["fr", "ja", "zh-Hans", "ar", "de", "es", "pt-BR"] {
        assert!(
            g.typography.contains_key(lang),
            "glossary.toml [typography] lacks {lang}"
        );
    }
    assert!(g.terms.values().flatten().any(|e| e.concept == "gateway"));
}

/// Each rule fails on what it is for and passes its correct form (so the lint can fail).
#[test]
fn each_rule_catches_what_it_is_for() {
    let g = glossary();
    let typo = |lang: &str, text: &str| typography(lang, text, Some("x"));
    let bad =
        |lang: &str, text: &str| !typo(lang, text).is_empty() || !terms(lang, text, &g).is_empty();
    let cases: &[(&str, &str, &str)] = &[
        // (language, wrong, right)
        (
            "fr",
            "Rechargez la page : c'est passager.",
            "Rechargez la page\u{202f}: c'est passager.",
        ),
        ("fr", "Pourquoi ?", "Pourquoi\u{202f}?"),
        ("fr", "Vraiment\u{a0}!", "Vraiment\u{202f}!"),
        (
            "fr",
            "Attendez; puis réessayez.",
            "Attendez\u{202f}; puis réessayez.",
        ),
        (
            "fr",
            "la zone « {zone} »",
            "la zone «\u{202f}{zone}\u{202f}»",
        ),
        ("fr", "votre demande est partie", "votre requête est partie"),
        (
            "ja",
            "Apache は {seconds} 秒待ちます。",
            "Apacheは{seconds}秒待ちます。",
        ),
        ("ja", "設定(例)を見る", "設定（例）を見る"),
        ("ja", "あなたにできること", "お客様にできること"),
        ("ja", "ヘッダを確認", "ヘッダーを確認"),
        ("zh-Hans", "服务器没有应答", "服务器没有响应"),
        ("zh-Hans", "请重新加载页面。", "请刷新页面。"),
        ("zh-Hans", "请稍后再试,谢谢", "请稍后再试，谢谢"),
        ("ar", "هل المشكلة عندك?", "هل المشكلة عندك؟"),
        ("ar", "الخادم, ثم", "الخادم، ثم"),
        ("ar", "ستُعاد تحميل الصفحة", "سيُعاد تحميل الصفحة"),
        ("ar", "اتصل الوكيل بالخادم", "اتصل الخادم الوكيل بالخادم"),
        ("ar", "عنوان الخادم الأصلي", "عنوان خادم المصدر"),
        (
            "de",
            "Kannst du es erneut versuchen?",
            "Können Sie es erneut versuchen?",
        ),
        (
            "de",
            "Ihre Anwendung: Sie ist ausgefallen.",
            "Ihre Anwendung ist ausgefallen.",
        ),
        (
            "de",
            "Lesen Sie das Fehler-Log.",
            "Lesen Sie das Fehlerprotokoll.",
        ),
        (
            "es",
            "Puedes volver a intentarlo.",
            "Puede volver a intentarlo.",
        ),
        ("es", "Si tú lo ves", "El túnel no está conectado"),
        (
            "es",
            "Revise la cabecera Server.",
            "Revise el encabezado Server.",
        ),
        (
            "pt-BR",
            "Abra o ficheiro de configuração.",
            "Abra o arquivo de configuração.",
        ),
        (
            "pt-BR",
            "O servidor está a responder.",
            "O servidor está respondendo.",
        ),
        ("pt-BR", "a requisição falhou", "a solicitação falhou"),
        (
            "en",
            "It did not answer its front door.",
            "The gateway got no answer.",
        ),
    ];
    for (lang, wrong, right) in cases {
        assert!(bad(lang, wrong), "{lang}: {wrong:?} passes");
        assert!(
            !bad(lang, right),
            "{lang}: {right:?} fails: {:?} {:?}",
            typo(lang, right),
            terms(lang, right, &g)
        );
    }
    // Quoted server text and allowed names are not checked for terms; placeholders never.
    assert!(terms(
        "de",
        "IIS (Application Request Routing) meldet „Request failed“.",
        &g
    )
    .is_empty());
    assert!(typo("ja", "{layer}のログ").is_empty());
    assert!(typo("ja", "壊れています。.NET Hostingが").is_empty());
    assert!(terms(
        "es",
        "Ejecute heroku logs o mire cache.log y error_log.",
        &g
    )
    .is_empty());
    assert!(english_count("wait {seconds} seconds").is_some());
    assert!(english_count("{status} · {title}").is_none());
}
