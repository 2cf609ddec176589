//! Log lines from nginx, Apache, HAProxy, Envoy, Caddy, Traefik, Heroku,
//! IIS/ANCM, php-fpm, gunicorn, uWSGI, Varnish and Squid, explained.
//!
//! [`explain`] recognises one pasted line and returns a [`LogExplanation`]:
//! the format, the pattern row that matched, the parsed fields (client,
//! request, upstream, errno, flags, timings…), a [`Diagnosis`] and, through
//! [`LogExplanation::text`], a plain explanation of *that* line built from the
//! catalog template `log.<format>.<id>` with the line's fields filled in.
//! [`explain_all`] does the same for a multi-line paste.
//!
//! Everything is data (`data/`, one file per layer; `data/README.md`):
//! [`formats::SHAPES`] cut a line into fields, [`patterns::PATTERNS`] say what
//! the fields mean (conditions in the [matcher vocabulary](crate::matcher)),
//! [`glosses::GLOSSES`] explain codes inside a field. Work is bounded: only the first
//! [`MAX_LINE_BYTES`] of a line are matched (JSON lines are parsed up to
//! [`MAX_JSON_BYTES`]), and [`explain_all`] reads at most [`MAX_LINES`] lines
//! and [`MAX_TOTAL_BYTES`].
//!
//! # Example
//! ```
//! use gatewise_core::logs::{self, LogFormat};
//! use gatewise_core::{ErrorType, Lang, Layer};
//! let line = r#"2024/11/21 10:00:00 [error] 12#12: *3 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.7, server: example.com, request: "GET /api HTTP/1.1", upstream: "http://127.0.0.1:8080/api", host: "example.com""#;
//! let e = logs::explain(line).unwrap();
//! assert_eq!(e.format, LogFormat::NginxError);
//! assert_eq!(e.pattern, "connect_refused");
//! assert_eq!(e.field("errno"), Some("111"));
//! assert_eq!(e.diagnosis.error_type, Some(ErrorType::ConnectionRefused));
//! assert_eq!(e.diagnosis.layer, Layer::Nginx);
//! let text = e.text(Lang::EN);
//! assert!(text.contains("127.0.0.1:8080"));
//! assert!(text.contains("GET /api from 203.0.113.7"));
//!
//! let all = logs::explain_all("not a log line\n127.0.0.1:5 [21/Nov/2024:10:00:00.000] fe be/app 0/0/-1/-1/3005 503 217 - - SC-- 1/1/0/0/3 0/0 \"GET / HTTP/1.1\"");
//! assert_eq!(all.len(), 1);
//! assert_eq!(all[0].line, 2);
//! assert_eq!(all[0].explanation.diagnosis.vendor_code.as_deref(), Some("SC--"));
//! assert!(logs::explain("hello world").is_none());
//! ```

pub mod formats;
pub mod glosses;
pub mod patterns;

use std::sync::LazyLock;

use serde::Serialize;

use crate::diagnosis::{Diagnosis, Evidence, EvidenceSource};
use crate::hop::Reached;
use crate::i18n::{self, Lang};
use crate::layer::Layer;
use crate::matcher::{Pattern, PreparedTable, Subject};
use crate::table::CodeSource;

pub use formats::{FormatInfo, LogFormat, Shape, ShapeKind, SHAPES};
pub use glosses::{Gloss, GlossPart, GLOSSES};
pub use patterns::{LineKind, PatternRow, PATTERNS};

/// Only this many bytes of a line are matched against the patterns.
pub const MAX_LINE_BYTES: usize = 16 * 1024;
/// A line that is a JSON object is parsed up to this many bytes.
pub const MAX_JSON_BYTES: usize = 256 * 1024;
/// [`explain_all`] reads at most this many lines…
pub const MAX_LINES: usize = 200;
/// …and at most this many bytes of the paste.
pub const MAX_TOTAL_BYTES: usize = 256 * 1024;
/// At most this many fields are kept for a line.
pub const MAX_FIELDS: usize = 64;
/// A field value is cut to this many bytes.
pub const MAX_FIELD_BYTES: usize = 1024;

/// A recognised log line: what it is, what it says, and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LogExplanation {
    /// The format of the line.
    pub format: LogFormat,
    /// The id of the pattern row that matched (unique within the format).
    pub pattern: &'static str,
    /// What kind of line it is (failure, status only, notice).
    pub kind: LineKind,
    /// The parsed fields, in extraction order (envelope fields, pattern captures, derived fields).
    pub fields: Vec<(String, String)>,
    /// What the line means.
    pub diagnosis: Diagnosis,
    /// The catalog key of the explanation template.
    pub key: &'static str,
}

/// One recognised line of a multi-line paste.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LineExplanation {
    /// The 1-based line number in the paste.
    pub line: usize,
    /// The explanation of that line.
    pub explanation: LogExplanation,
}

impl LogExplanation {
    /// The value of a parsed field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A plain explanation of this line in `lang` (English fallback), built
    /// from the row's template with the line's fields as placeholders.
    ///
    /// The fields are the log's text, which an attacker may have put there
    /// (a request path, a header): their control and bidi-control characters
    /// (terminal escape sequences, line breaks) become U+FFFD, so the
    /// explanation is safe to print to a terminal.
    pub fn text(&self, lang: Lang) -> String {
        let template = i18n::message(lang, self.key).unwrap_or(self.key);
        let fields: Vec<(String, String)> = self
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), neutralized(v)))
            .collect();
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let mut args: Vec<(String, String)> = fields.clone();
        let layer = self.diagnosis.layer;
        let layer_name = i18n::message(lang, &format!("layer.{}", layer.name()))
            .map(str::to_owned)
            .unwrap_or_else(|| layer.info().display.to_owned());
        args.push(("layer".to_owned(), layer_name));
        args.push(("during".to_owned(), during(lang, &fields)));
        if let Some(t) = self.diagnosis.error_type {
            if let Some(summary) = i18n::message(lang, &t.text_key("summary")) {
                args.push(("type_summary".to_owned(), summary.to_owned()));
            }
        }
        for g in GLOSSES.iter().filter(|g| g.format == self.format) {
            if let Some(v) = field(g.field) {
                args.push((g.placeholder.to_owned(), gloss(lang, g, v)));
            }
        }
        for name in placeholders(template) {
            if !args.iter().any(|(k, _)| k == name) {
                let fallback = i18n::message(lang, &format!("log.fallback.{name}"))
                    .or_else(|| i18n::message(lang, "log.fallback.any"))
                    .unwrap_or("?");
                args.push((name.to_owned(), fallback.to_owned()));
            }
        }
        let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        i18n::fill(template, &refs)
    }
}

/// `s` with control and bidi-control characters replaced by U+FFFD.
fn neutralized(s: &str) -> String {
    s.chars()
        .map(|c| {
            if crate::escape::is_unsafe_char(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// The "while handling GET /x from 1.2.3.4" fragment, from the first context row whose fields are present.
fn during(lang: Lang, fields: &[(String, String)]) -> String {
    let has = |n: &str| fields.iter().any(|(k, v)| k == n && !v.is_empty());
    for (needs, key) in CONTEXTS {
        if needs.iter().all(|n| has(n)) {
            let template = i18n::message(lang, key).unwrap_or("");
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            return i18n::fill(template, &refs);
        }
    }
    String::new()
}

/// Context fragments for `{during}`: (fields needed, catalog key), first match wins.
const CONTEXTS: &[(&[&str], &str)] = &[
    (&["request_line", "client"], "log.during.request_client"),
    (&["request_line"], "log.during.request"),
    (&["client"], "log.during.client"),
];

fn gloss(lang: Lang, g: &Gloss, value: &str) -> String {
    let one = |code: &str| {
        i18n::message(lang, &format!("{}.{code}", g.key_prefix))
            .map(str::to_owned)
            .unwrap_or_else(|| code.to_owned())
    };
    match g.part {
        GlossPart::Whole => one(value),
        GlossPart::Char(n) => value
            .chars()
            .nth(n)
            .map(|c| one(&c.to_string()))
            .unwrap_or_default(),
        GlossPart::EachComma => value
            .split(',')
            .filter(|c| !c.is_empty() && *c != "-")
            .map(|c| format!("{c} ({})", one(c)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn placeholders(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(name, _)| name))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect()
}

/// Explains one log line; `None` when no format recognises it.
pub fn explain(line: &str) -> Option<LogExplanation> {
    explain_with(line, None)
}

/// [`explain`] for a line of a W3C extended log whose last `#Fields:`
/// directive named `w3c_fields` (IIS lines are read by those names).
pub fn explain_in(line: &str, w3c_fields: Option<&[String]>) -> Option<LogExplanation> {
    explain_with(line, w3c_fields)
}

/// The field names of a W3C `#Fields:` directive line, if `line` is one.
pub fn w3c_fields(line: &str) -> Option<Vec<String>> {
    let rest = line.strip_prefix("#Fields:")?;
    Some(
        rest.split_whitespace()
            .take(MAX_FIELDS)
            .map(str::to_owned)
            .collect(),
    )
}

/// Explains every recognised line of a multi-line paste (bounded by
/// [`MAX_LINES`] and [`MAX_TOTAL_BYTES`]). A W3C `#Fields:` directive sets the
/// field order for the IIS lines after it.
pub fn explain_all(text: &str) -> Vec<LineExplanation> {
    let text = prefix(text, MAX_TOTAL_BYTES);
    let mut w3c_fields: Option<Vec<String>> = None;
    let mut out = Vec::new();
    for (i, line) in text.lines().take(MAX_LINES).enumerate() {
        if let Some(fields) = self::w3c_fields(line) {
            w3c_fields = Some(fields);
            continue;
        }
        if let Some(explanation) = explain_with(line, w3c_fields.as_deref()) {
            out.push(LineExplanation {
                line: i.saturating_add(1),
                explanation,
            });
        }
    }
    take_causes_from_next(&mut out);
    out
}

/// A line whose row names `cause_from_next` formats (Vite's `http proxy error`, whose
/// cause Node.js prints on the next line) takes the failure of the very next line when
/// that line is a failure of one of those formats: its type, confidence, alternatives
/// and detail, keeping its own layer and status, with both lines as evidence.
fn take_causes_from_next(out: &mut [LineExplanation]) {
    for i in 0..out.len() {
        let Some(next) = out.get(i.saturating_add(1)).cloned() else {
            break;
        };
        let Some(cur) = out.get_mut(i) else {
            break;
        };
        if next.line == cur.line.saturating_add(1) {
            take_cause_from_next(&mut cur.explanation, &next.explanation);
        }
    }
}

/// `cur` takes the failure of `next`, the line that directly follows it, when `cur`'s
/// row names `next`'s format in `cause_from_next` (see [`explain_all`]). Returns whether
/// it did. `explain::explain` calls this for each pair of consecutive log lines.
pub fn take_cause_from_next(cur: &mut LogExplanation, next: &LogExplanation) -> bool {
    let Some(t) = next.diagnosis.error_type else {
        return false;
    };
    let wanted =
        row_of(cur).is_some_and(|r| r.row.then.cause_from_next.contains(&next.format.name()));
    if !wanted || next.kind != LineKind::Failure {
        return false;
    }
    let own = &cur.diagnosis;
    let mut d = Diagnosis::for_type(t, own.layer);
    d.received_status = own.received_status;
    d.confidence = next.diagnosis.confidence;
    for alt in &next.diagnosis.alternatives {
        d = d.with_alternative(*alt);
    }
    d.detail = next.diagnosis.detail.clone();
    d.vendor_code = own
        .vendor_code
        .clone()
        .or_else(|| next.diagnosis.vendor_code.clone());
    for e in own.evidence.iter().chain(&next.diagnosis.evidence) {
        d = d.with_evidence(e.clone());
    }
    cur.diagnosis = d;
    cur.kind = LineKind::Failure;
    true
}

/// The pattern row a line was explained by.
fn row_of(e: &LogExplanation) -> Option<&'static PatternRow> {
    PATTERNS
        .iter()
        .find(|p| p.row.id == e.pattern && p.formats.contains(&e.format))
}

/// Explains one record read by its field names: a JSON object (on one line
/// or pretty-printed over several), or a table of `key: value`, `key = value`,
/// `key | value`, `| key | value |` or tab-separated lines, as log viewers show
/// an entry. The formats whose shapes read fields by name (`json`, `kv`) are
/// tried, so any field order and any subset of a format's fields works.
/// `None` when the text is no such record, or no format recognises it.
///
/// ```
/// use gatewise_core::logs;
/// use gatewise_core::{ErrorType, Layer};
/// let table = "httpRequest.status: 502\njsonPayload.statusDetails: failed_to_connect_to_backend\nhttpRequest.requestUrl: https://shop.example.com/";
/// let e = logs::explain_record(table).unwrap();
/// assert_eq!(e.format.name(), "gcp_lb");
/// assert_eq!(e.diagnosis.error_type, Some(ErrorType::ConnectionRefused));
/// assert_eq!(e.diagnosis.layer, Layer::GoogleFrontend);
/// ```
pub fn explain_record(text: &str) -> Option<LogExplanation> {
    let text = prefix(text.trim(), MAX_JSON_BYTES);
    let fields = record_fields(text)?;
    let compiled = &*COMPILED;
    SHAPES.iter().enumerate().find_map(|(si, shape)| {
        if !matches!(shape.kind, ShapeKind::Json | ShapeKind::Kv) {
            return None;
        }
        read_fields(
            shape,
            si,
            fields.clone(),
            prefix(text, MAX_LINE_BYTES),
            compiled,
        )
    })
}

/// The fields of a record (see [`explain_record`]).
fn record_fields(text: &str) -> Option<Fields> {
    let mut fields = Fields::new();
    if text.starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        flatten("", &value, 0, &mut fields);
        return (!fields.is_empty()).then_some(fields);
    }
    let mut pairs = 0usize;
    let mut others = 0usize;
    for line in text.lines().take(MAX_LINES) {
        let line = line.trim().trim_matches('|').trim();
        if line.is_empty()
            || line
                .chars()
                .all(|c| matches!(c, '-' | ':' | '|' | ' ' | '='))
        {
            continue;
        }
        match table_pair(line) {
            Some((k, v)) => {
                pairs = pairs.saturating_add(1);
                push(&mut fields, k, v.trim_matches('"'));
            }
            None => others = others.saturating_add(1),
        }
    }
    // A table: two pairs or more, and pairs on most lines.
    (pairs >= 2 && others <= pairs / 4).then_some(fields)
}

/// One `key: value` / `key = value` / `key | value` / `key<TAB>value` line of a table.
fn table_pair(line: &str) -> Option<(&str, &str)> {
    let at = line.find([':', '=', '|', '\t'])?;
    let key = line.get(..at)?.trim();
    let value = line
        .get(at.saturating_add(1)..)?
        .trim()
        .trim_start_matches(['=', '|'])
        .trim();
    let is_key = !key.is_empty()
        && key.len() <= 128
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '@' | '[' | ']'));
    is_key.then_some((key, value))
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    s.get(..end).unwrap_or("")
}

struct Compiled {
    /// Each shape's regular expression with its literal prefilter (regex shapes only).
    shapes: Vec<Option<Pattern>>,
    /// Each shape's conditions.
    shape_when: PreparedTable,
    /// Each format's `layer_when` conditions, in [`LogFormat::ALL`] order.
    layer_when: PreparedTable,
    /// Each pattern's conditions.
    patterns: PreparedTable,
}

static COMPILED: LazyLock<Compiled> = LazyLock::new(|| Compiled {
    shapes: SHAPES
        .iter()
        .map(|e| match e.kind {
            ShapeKind::Regex { pattern, .. } => Pattern::new(pattern),
            _ => None,
        })
        .collect(),
    shape_when: PreparedTable::new(SHAPES.iter().map(|s| s.when)),
    layer_when: PreparedTable::new(LogFormat::ALL.iter().map(|f| f.info().layer_when)),
    patterns: PreparedTable::new(PATTERNS.iter().map(|p| p.row.when)),
});

type Fields = Vec<(String, String)>;

fn get<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn push(fields: &mut Fields, name: &str, value: &str) {
    if fields.len() >= MAX_FIELDS || value.is_empty() || get(fields, name).is_some() {
        return;
    }
    fields.push((name.to_owned(), prefix(value, MAX_FIELD_BYTES).to_owned()));
}

/// The fields as a subject for the matcher.
fn subject(fields: &Fields) -> Subject<'_> {
    let mut s = Subject::new();
    for (k, v) in fields {
        s.push(k, v);
    }
    s
}

/// Fills each canonical field of `format` from the first present field that carries the same fact.
fn alias(format: LogFormat, fields: &mut Fields) {
    for (canonical, sources) in format.info().fields {
        if get(fields, canonical).is_none() {
            if let Some(v) = sources
                .iter()
                .find_map(|s| get(fields, s))
                .map(str::to_owned)
            {
                push(fields, canonical, &v);
            }
        }
    }
}

fn explain_with(line: &str, w3c_fields: Option<&[String]>) -> Option<LogExplanation> {
    let raw = line.trim_end_matches(['\r', '\n']);
    if raw.trim().is_empty() {
        return None;
    }
    let short = prefix(raw, MAX_LINE_BYTES);
    let compiled = &*COMPILED;
    SHAPES.iter().enumerate().find_map(|(si, shape)| {
        let fields = extract(
            shape,
            compiled.shapes.get(si).and_then(Option::as_ref),
            raw,
            short,
            w3c_fields,
        )?;
        read_fields(shape, si, fields, short, compiled)
    })
}

/// The fields a shape cut, read: the format's aliases, the shape's conditions,
/// then the first pattern of the format that holds.
fn read_fields(
    shape: &Shape,
    si: usize,
    mut fields: Fields,
    line: &str,
    compiled: &Compiled,
) -> Option<LogExplanation> {
    alias(shape.format, &mut fields);
    if !compiled.shape_when.holds(si, shape.when, &subject(&fields)) {
        return None;
    }
    derive(&mut fields);
    let (p, captured) = {
        let s = subject(&fields);
        PATTERNS.iter().enumerate().find_map(|(pi, p)| {
            if !p.formats.contains(&shape.format) {
                return None;
            }
            let found = compiled.patterns.eval(pi, p.row.when, &s)?;
            let captured: Fields = found
                .iter()
                .flat_map(|f| f.captures.iter())
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            Some((p, captured))
        })?
    };
    for (k, v) in &captured {
        push(&mut fields, k, v);
    }
    derive(&mut fields);
    let diagnosis = diagnose(shape.format, p, &fields, line);
    Some(LogExplanation {
        format: shape.format,
        pattern: p.row.id,
        kind: p.kind(),
        fields,
        diagnosis,
        key: p.key(),
    })
}

fn extract(
    shape: &Shape,
    re: Option<&Pattern>,
    raw: &str,
    short: &str,
    w3c: Option<&[String]>,
) -> Option<Fields> {
    let mut fields = Fields::new();
    match shape.kind {
        ShapeKind::Regex { kv, .. } => {
            let caps = re?.captures(short)?;
            for name in re?.regex.capture_names().flatten() {
                if Some(name) == kv {
                    continue;
                }
                if let Some(m) = caps.name(name) {
                    push(&mut fields, name, m.as_str().trim());
                }
            }
            if let Some(kv_name) = kv {
                if let Some(m) = caps.name(kv_name) {
                    parse_kv(m.as_str(), &mut fields);
                }
            }
        }
        ShapeKind::Json => {
            let text = raw.trim();
            if !text.starts_with('{') || text.len() > MAX_JSON_BYTES {
                return None;
            }
            let value: serde_json::Value = serde_json::from_str(text).ok()?;
            flatten("", &value, 0, &mut fields);
        }
        ShapeKind::Kv => {
            // A logfmt line: two `key=value` pairs or more.
            parse_kv(short, &mut fields);
            if fields.len() < 2 {
                return None;
            }
        }
        ShapeKind::Fields { names } => {
            // Space-separated values, a `"quoted value"` being one; named in order.
            for (name, value) in names.iter().zip(tokens(short)) {
                push(&mut fields, name, value);
            }
            if fields.len() < 3 {
                return None;
            }
        }
        ShapeKind::W3c { default_fields } => {
            let first = short.chars().next()?;
            if !first.is_ascii_digit() {
                return None;
            }
            let tokens: Vec<&str> = short.split_whitespace().collect();
            let matched = match w3c {
                Some(names) if names.len() == tokens.len() => {
                    for (n, t) in names.iter().zip(&tokens) {
                        push(&mut fields, n, t);
                    }
                    true
                }
                _ => false,
            };
            if !matched {
                if tokens.len() != default_fields.len() {
                    return None;
                }
                for (n, t) in default_fields.iter().zip(&tokens) {
                    push(&mut fields, n, t);
                }
            }
        }
    }
    Some(fields)
}

/// The space-separated tokens of a line, a `"quoted value"` (with `\"` escapes) being one token (quotes removed).
fn tokens(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line.trim_start();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut escaped = false;
            let end = quoted.char_indices().find_map(|(i, c)| {
                if escaped {
                    escaped = false;
                    None
                } else if c == '\\' {
                    escaped = true;
                    None
                } else {
                    (c == '"').then_some(i)
                }
            });
            let (token, next) = match end {
                Some(i) => (
                    quoted.get(..i).unwrap_or(""),
                    quoted.get(i.saturating_add(1)..).unwrap_or(""),
                ),
                None => (quoted, ""),
            };
            rest = next.trim_start();
            Some(token)
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let (token, next) = rest.split_at(end);
            rest = next.trim_start();
            Some(token)
        }
    })
    .take(MAX_FIELDS)
}

/// Parses `key=value key="quoted value"` pairs (logfmt, Heroku router, nginx key=value tails).
fn parse_kv(text: &str, fields: &mut Fields) {
    let mut rest = text.trim_start();
    while !rest.is_empty() && fields.len() < MAX_FIELDS {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let (key, after) = rest.split_at(key_end);
        let Some(after_eq) = after.strip_prefix('=') else {
            rest = after.trim_start();
            continue;
        };
        let (value, next) = if let Some(quoted) = after_eq.strip_prefix('"') {
            let mut end = None;
            let mut escaped = false;
            for (i, c) in quoted.char_indices() {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    end = Some(i);
                    break;
                }
            }
            match end {
                Some(i) => (
                    quoted.get(..i).unwrap_or(""),
                    quoted.get(i.saturating_add(1)..).unwrap_or(""),
                ),
                None => (quoted, ""),
            }
        } else {
            let end = after_eq.find(char::is_whitespace).unwrap_or(after_eq.len());
            after_eq.split_at(end)
        };
        if !key.is_empty() {
            push(fields, key, value);
        }
        rest = next.trim_start();
    }
}

/// Flattens a JSON object into dotted keys (scalars only; header maps are skipped).
fn flatten(prefix_key: &str, value: &serde_json::Value, depth: usize, fields: &mut Fields) {
    let key = |k: &str| {
        if prefix_key.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix_key}.{k}")
        }
    };
    match value {
        serde_json::Value::Object(map) if depth < 3 => {
            for (k, v) in map {
                if k.ends_with("headers") {
                    continue;
                }
                flatten(&key(k), v, depth.saturating_add(1), fields);
            }
        }
        serde_json::Value::String(s) => push(fields, prefix_key, s),
        serde_json::Value::Number(n) => push(fields, prefix_key, &n.to_string()),
        serde_json::Value::Bool(b) => push(fields, prefix_key, if *b { "true" } else { "false" }),
        _ => {}
    }
}

/// Adds the derived fields the templates share: method, path, request_line, upstream_addr, next_hop.
fn derive(fields: &mut Fields) {
    if let Some(request) = get(fields, "request").map(str::to_owned) {
        let mut parts = request.split_whitespace();
        if let (Some(m), Some(p)) = (parts.next(), parts.next()) {
            if m.chars().all(|c| c.is_ascii_uppercase()) {
                push(fields, "method", m);
                push(fields, "path", p);
            }
        }
    }
    if get(fields, "request_line").is_none() {
        if let (Some(m), Some(p)) = (get(fields, "method"), get(fields, "path")) {
            let line = format!("{m} {p}");
            push(fields, "request_line", &line);
        }
    }
    if get(fields, "upstream_addr").is_none() {
        if let Some(up) = get(fields, "upstream").filter(|u| *u != "-") {
            let addr = upstream_addr(up);
            push(fields, "upstream_addr", &addr);
        }
    }
    if get(fields, "next_hop").is_none() {
        let hop = ["target", "upstream_addr", "backend", "listen"]
            .iter()
            .find_map(|k| get(fields, k).filter(|v| *v != "-"))
            .map(str::to_owned);
        if let Some(hop) = hop {
            push(fields, "next_hop", &hop);
        }
    }
}

/// `http://127.0.0.1:8080/api` → `127.0.0.1:8080`; `fastcgi://unix:/run/php.sock:` → `unix:/run/php.sock`.
fn upstream_addr(upstream: &str) -> String {
    let rest = upstream
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(upstream);
    if rest.starts_with("unix:") {
        return rest.trim_end_matches(':').to_owned();
    }
    rest.split('/').next().unwrap_or(rest).to_owned()
}

/// The layer a line of `format` names: the format's, when the line meets
/// the format's own signals (`layer_when`), else unknown.
fn layer_of(format: LogFormat, fields: &Fields) -> Layer {
    let info = format.info();
    let index = LogFormat::ALL.iter().position(|f| *f == format);
    let own = info.layer_when.is_empty()
        || index.is_some_and(|i| {
            COMPILED
                .layer_when
                .holds(i, info.layer_when, &subject(fields))
        });
    if own {
        info.layer
    } else {
        Layer::Unknown
    }
}

fn diagnose(format: LogFormat, p: &PatternRow, fields: &Fields, line: &str) -> Diagnosis {
    let row = &p.row;
    let then = &row.then;
    let layer = then.layer.unwrap_or_else(|| layer_of(format, fields));
    let received = get(fields, "status")
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..=599).contains(s));
    let mut d = match then.error_type {
        Some(t) => {
            let mut d = Diagnosis::for_type(t, layer);
            if let Some(s) = then.status {
                d.status = s;
            }
            d.received_status = received;
            d
        }
        None => {
            let status = then.status.or(received).unwrap_or(200);
            let mut d = Diagnosis::for_status(status, layer);
            d.received_status = received;
            if status >= 500 {
                d.reached = Reached::Maybe;
            }
            d
        }
    };
    if let Some(h) = then.hop {
        d.hop = Some(h);
        d.segment = h.segment();
    }
    if let Some(s) = then.segment {
        d.segment = s;
    }
    d.sub_status = get(fields, "sub_status").and_then(|s| s.parse().ok());
    d.vendor_code = format
        .info()
        .vendor_field
        .and_then(|f| get(fields, f))
        .filter(|v| !v.chars().all(|c| c == '-' || c == '0'))
        .map(str::to_owned);
    d.confidence = then.confidence;
    for alt in then.alternatives {
        d = d.with_alternative(*alt);
    }
    if then.code == CodeSource::Lookup {
        // The vendor's own code says which failure it is (Cloudflare's 52x, …).
        let known = d
            .vendor_code
            .as_deref()
            .and_then(|c| crate::fingerprint::lookup_vendor_code(layer, c, &[]));
        if let Some(v) = known {
            let mut typed = match v.error_type {
                Some(t) => Diagnosis::for_type(t, layer),
                None => Diagnosis::for_status(d.status, layer),
            };
            typed.received_status = d.received_status;
            typed.vendor_code = d.vendor_code.take();
            typed.sub_status = d.sub_status;
            typed.confidence = v.confidence;
            for alt in v.alternatives {
                typed = typed.with_alternative(*alt);
            }
            d = typed;
        }
    }
    d.detail = ["message", "detail", "desc"]
        .iter()
        .find_map(|k| get(fields, k))
        .map(|m| prefix(m, 512).to_owned());
    let rule = format!("{}.{}", format.name(), row.id);
    d.with_evidence(Evidence::new(
        EvidenceSource::Log,
        prefix(line, 512),
        Some(&rule),
    ))
}

#[cfg(test)]
mod tests;
