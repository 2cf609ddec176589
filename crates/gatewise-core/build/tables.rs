//! Reads `data/` (format: `data/README.md`), validates every row and writes
//! the static tables the crate includes from `$OUT_DIR`. A mistake is
//! reported with its file and row id, and fails the build.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

/// The kinds a layer can be (`LayerKind` in `src/layer.rs`).
const LAYER_KINDS: &[&str] = &[
    "server",
    "proxy",
    "cdn",
    "load_balancer",
    "platform",
    "app_server",
    "application",
    "runtime",
    "client",
    "unknown",
];
const HOPS: &[&str] = &["dns", "connect", "tls", "request", "response", "proxy"];
const SEGMENTS: &[&str] = &["client", "proxy", "upstream", "origin", "unknown"];
const REACHED: &[&str] = &["no", "maybe", "yes"];
const CONFIDENCES: &[&str] = &["high", "medium", "low"];
const LINE_KINDS: &[&str] = &["failure", "status", "notice"];
/// What a probe step saw (`drill::Outcome`).
const OUTCOMES: &[&str] = &[
    "ok",
    "skipped",
    "no_address",
    "resolver_failed",
    "refused",
    "timeout",
    "closed_before_response",
    "not_http",
    "headers_too_large",
    "failed",
];
const VERDICTS: &[&str] = &["unclassified", "aborted", "answered"];
const SEEDS: &[&str] = &[
    "taimane",
    "checkupdown",
    "wikipedia",
    "fix_guide",
    "languages",
];
const SIDES: &[&str] = SEGMENTS;
/// Fields every log format has once a line is read (see `logs::derive`).
const DERIVED_FIELDS: &[&str] = &[
    "method",
    "path",
    "request_line",
    "upstream_addr",
    "next_hop",
];
const DEFAULT_RANK: i64 = 50;

/// `connection_refused` → `ConnectionRefused`.
pub fn camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// A Rust string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

struct Ctx {
    errors: Vec<String>,
    catalog: BTreeSet<String>,
    error_types: BTreeSet<String>,
    layers: BTreeSet<String>,
    causes: BTreeSet<String>,
    formats: BTreeMap<String, FormatDef>,
    fixtures: PathBuf,
}

impl Ctx {
    fn err(&mut self, at: &str, msg: impl AsRef<str>) {
        self.errors.push(format!("{at}: {}", msg.as_ref()));
    }
}

#[derive(Clone, Default)]
struct FormatDef {
    file: String,
    layer: String,
    /// Fields a pattern of this format may test.
    fields: BTreeSet<String>,
}

/// One data file.
struct File {
    /// `layers/nginx.toml`.
    rel: String,
    /// The layer of a `layers/` file.
    layer: Option<String>,
    table: Table,
}

fn read_dir_sorted(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(_) => Vec::new(),
    };
    v.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    v.sort();
    v
}

fn load(path: &Path, rel: &str, errors: &mut Vec<String>) -> Option<Table> {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            errors.push(format!("{rel}: {e}"));
            return None;
        }
    };
    match toml::from_str::<Table>(&text) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(format!("{rel}: {e}"));
            None
        }
    }
}

/// The RFC 9209 type names, read from the `error_types!` rows of `src/taxonomy.rs`.
fn error_type_names(root: &Path) -> BTreeSet<String> {
    let path = root.join("src/taxonomy.rs");
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let (_, rest) = l.split_once(" = \"")?;
            let (name, tail) = rest.split_once('"')?;
            tail.starts_with(", status:").then(|| name.to_owned())
        })
        .collect()
}

fn rows<'t>(t: &'t Table, kind: &str) -> Vec<&'t Table> {
    match t.get(kind) {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_table).collect(),
        _ => Vec::new(),
    }
}

fn s<'t>(t: &'t Table, k: &str) -> Option<&'t str> {
    t.get(k).and_then(Value::as_str)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn check_keys(ctx: &mut Ctx, at: &str, t: &Table, allowed: &[&str]) {
    for k in t.keys() {
        if !allowed.contains(&k.as_str()) {
            ctx.err(
                at,
                format!("unknown key `{k}` (allowed: {})", allowed.join(", ")),
            );
        }
    }
}

// ------------------------------------------------------------------ sources

fn sources(ctx: &mut Ctx, at: &str, v: Option<&Value>, named: &Table) -> String {
    let Some(v) = v else {
        ctx.err(at, "no source (every row needs one)");
        return "&[]".into();
    };
    // A name of [sources], a table, or a list of either (a named entry may itself be a list).
    let resolve = |ctx: &mut Ctx, item: &Value| -> Vec<Value> {
        match item {
            Value::String(name) => match named.get(name) {
                Some(Value::Array(a)) => a.clone(),
                Some(t @ Value::Table(_)) => vec![t.clone()],
                _ => {
                    ctx.err(at, format!("source `{name}` is not in [sources]"));
                    Vec::new()
                }
            },
            t @ Value::Table(_) => vec![t.clone()],
            _ => {
                ctx.err(at, "source: a table, a [sources] name, or a list of them");
                Vec::new()
            }
        }
    };
    let list: Vec<Value> = match v {
        Value::Array(a) => a.iter().flat_map(|item| resolve(ctx, item)).collect(),
        other => resolve(ctx, other),
    };
    if list.is_empty() {
        ctx.err(at, "empty source");
    }
    let mut out = String::from("&[");
    for item in &list {
        let Some(t) = item.as_table() else {
            ctx.err(at, "a source is a table");
            continue;
        };
        let kinds = [
            ("url", "Url"),
            ("rfc", "Rfc"),
            ("file", "File"),
            ("seed", "Seed"),
            ("captured", "Captured"),
        ];
        let found: Vec<_> = kinds.iter().filter(|(k, _)| t.contains_key(*k)).collect();
        let [(key, variant)] = found.as_slice() else {
            ctx.err(
                at,
                "a source has exactly one of url, rfc, file, seed, captured",
            );
            continue;
        };
        check_keys(ctx, at, t, &[key, "note"]);
        let text = s(t, key).unwrap_or_default();
        if *key == "url" && !text.starts_with("https://") && !text.starts_with("http://") {
            ctx.err(at, format!("url source is not a URL: {text}"));
        }
        if *key == "seed" && !SEEDS.contains(&text) {
            ctx.err(
                at,
                format!("unknown seed `{text}` (one of {})", SEEDS.join(", ")),
            );
        }
        if text.is_empty() {
            ctx.err(at, "empty source text");
        }
        let note = match s(t, "note") {
            Some(n) => format!("Some({})", lit(n)),
            None => "None".into(),
        };
        let _ = write!(
            out,
            "crate::table::Source {{ kind: crate::table::SourceKind::{variant}, text: {}, note: {note} }},",
            lit(text)
        );
    }
    out.push(']');
    out
}

/// The display text of a source list (for `LayerInfo::source` and `CauseInfo::source`).
fn source_text(v: Option<&Value>) -> String {
    let list: Vec<Value> = match v {
        Some(Value::Array(a)) => a.clone(),
        Some(t @ Value::Table(_)) => vec![t.clone()],
        _ => Vec::new(),
    };
    list.iter()
        .filter_map(Value::as_table)
        .map(|t| {
            let base = if let Some(u) = s(t, "url") {
                u.to_owned()
            } else if let Some(r) = s(t, "rfc") {
                format!("RFC {r}")
            } else if let Some(f) = s(t, "file") {
                f.to_owned()
            } else if let Some(c) = s(t, "captured") {
                format!("captured: {c}")
            } else if let Some(seed) = s(t, "seed") {
                format!("seed: {seed}")
            } else {
                String::new()
            };
            match s(t, "note") {
                Some(n) => format!("{base} {n}"),
                None => base,
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

// ------------------------------------------------------------------ conditions

/// Which fields a condition may name.
enum Fields<'a> {
    Fingerprint,
    VendorCode,
    Signal,
    /// A probe step: its `hop` and what it saw (`outcome`).
    Probe,
    /// A runtime's socket error: its `message`.
    Socket,
    /// A log format's fields.
    Log(&'a BTreeSet<String>),
}

impl Fields<'_> {
    fn allows(&self, f: &str) -> bool {
        match self {
            Fields::Fingerprint => {
                f == "status"
                    || f == "body"
                    || f.strip_prefix("header:").is_some_and(|h| {
                        !h.is_empty()
                            && h.chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    })
            }
            Fields::VendorCode => f == "code" || f == "detail",
            Fields::Signal => ["message", "code", "name", "text"].contains(&f),
            Fields::Log(known) => known.contains(f),
            Fields::Probe => f == "hop" || f == "outcome",
            Fields::Socket => f == "message",
        }
    }
}

const TESTS: &[&str] = &[
    "contains",
    "word",
    "word_prefix",
    "prefix",
    "equals",
    "regex",
    "in",
    "range",
    "present",
    "empty",
];

/// One condition as Rust, and the names its regex captures.
fn cond(
    ctx: &mut Ctx,
    at: &str,
    v: &Value,
    fields: &Fields<'_>,
    captured: &mut BTreeSet<String>,
) -> String {
    let Some(t) = v.as_table() else {
        ctx.err(at, "a condition is an inline table");
        return String::new();
    };
    let mut allowed = vec!["field", "cased", "not"];
    allowed.extend_from_slice(TESTS);
    check_keys(ctx, at, t, &allowed);
    let names = strings(t.get("field"));
    if names.is_empty() {
        ctx.err(at, "a condition names a field");
    }
    for f in &names {
        if !fields.allows(f) {
            ctx.err(at, format!("unknown field `{f}`"));
        }
    }
    let tests: Vec<&&str> = TESTS.iter().filter(|k| t.contains_key(**k)).collect();
    let [test] = tests.as_slice() else {
        ctx.err(
            at,
            format!("a condition has exactly one test ({})", TESTS.join(", ")),
        );
        return String::new();
    };
    let value = t.get(**test);
    let text = |ctx: &mut Ctx| match value.and_then(Value::as_str) {
        Some(s) if !s.is_empty() => lit(s),
        _ => {
            ctx.err(at, format!("`{test}` takes a non-empty string"));
            lit("")
        }
    };
    let test_code = match **test {
        "contains" => format!("Contains({})", text(ctx)),
        "word" => format!("Word({})", text(ctx)),
        "word_prefix" => format!("WordPrefix({})", text(ctx)),
        "prefix" => format!("Prefix({})", text(ctx)),
        "equals" => match value {
            Some(Value::Integer(n)) => format!("Number(&[({n}, {n})])"),
            _ => {
                let v = value.and_then(Value::as_str).unwrap_or_default();
                let known: Option<&[&str]> = match names.as_slice() {
                    [f] if f == "hop" && matches!(fields, Fields::Probe) => Some(HOPS),
                    [f] if f == "outcome" && matches!(fields, Fields::Probe) => Some(OUTCOMES),
                    _ => None,
                };
                if let Some(known) = known {
                    if !known.contains(&v) {
                        ctx.err(
                            at,
                            format!("unknown value `{v}` (one of {})", known.join(", ")),
                        );
                    }
                }
                format!("Equals({})", text(ctx))
            }
        },
        "regex" => {
            let p = value.and_then(Value::as_str).unwrap_or_default();
            match regex_lite::Regex::new(p) {
                Ok(re) => {
                    for n in re.capture_names().flatten() {
                        captured.insert(n.to_owned());
                    }
                }
                Err(e) => ctx.err(at, format!("regex does not compile: {e}: {p}")),
            }
            format!("Regex({})", lit(p))
        }
        "in" => {
            let ns: Vec<i64> = value
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_integer).collect())
                .unwrap_or_default();
            if ns.is_empty() {
                ctx.err(at, "`in` takes a list of numbers");
            }
            let ranges: Vec<String> = ns.iter().map(|n| format!("({n}, {n})")).collect();
            format!("Number(&[{}])", ranges.join(", "))
        }
        "range" => {
            let ns: Vec<i64> = value
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_integer).collect())
                .unwrap_or_default();
            match ns.as_slice() {
                [lo, hi] if lo <= hi => format!("Number(&[({lo}, {hi})])"),
                _ => {
                    ctx.err(at, "`range` takes [low, high]");
                    "Present".into()
                }
            }
        }
        "present" | "empty" => {
            if value.and_then(Value::as_bool) != Some(true) {
                ctx.err(at, format!("`{test}` takes true"));
            }
            if **test == "present" {
                "Present".into()
            } else {
                "Empty".into()
            }
        }
        _ => String::new(),
    };
    let flag = |k: &str| t.get(k).and_then(Value::as_bool).unwrap_or(false);
    let fields_code: Vec<String> = names.iter().map(|n| lit(n)).collect();
    format!(
        "crate::matcher::Cond {{ fields: &[{}], test: crate::matcher::Test::{test_code}, cased: {}, not: {} }}",
        fields_code.join(", "),
        flag("cased"),
        flag("not")
    )
}

fn conds(
    ctx: &mut Ctx,
    at: &str,
    v: Option<&Value>,
    fields: &Fields<'_>,
    captured: &mut BTreeSet<String>,
) -> (String, usize) {
    let list = match v {
        Some(Value::Array(a)) => a.clone(),
        None => Vec::new(),
        _ => {
            ctx.err(at, "`when` is a list of conditions");
            Vec::new()
        }
    };
    let mut out = String::from("&[");
    for c in &list {
        let code = cond(ctx, at, c, fields, captured);
        out.push_str(&code);
        out.push(',');
    }
    out.push(']');
    (out, list.len())
}

// ------------------------------------------------------------------ then

fn enum_value(ctx: &mut Ctx, at: &str, key: &str, v: &str, allowed: &[&str], path: &str) -> String {
    if !allowed.contains(&v) {
        ctx.err(
            at,
            format!("`{key}`: unknown `{v}` (one of {})", allowed.join(", ")),
        );
    }
    format!("{path}::{}", camel(v))
}

fn error_type(ctx: &mut Ctx, at: &str, v: &str) -> String {
    if !ctx.error_types.contains(v) {
        ctx.err(at, format!("unknown error type `{v}`"));
    }
    format!("crate::taxonomy::ErrorType::{}", camel(v))
}

fn catalog_key(ctx: &mut Ctx, at: &str, key: &str) {
    if !ctx.catalog.contains(key) {
        ctx.err(at, format!("catalog key `{key}` is not in catalogs/en"));
    }
}

/// `then` as Rust; `allowed` are the keys this kind accepts.
fn then(
    ctx: &mut Ctx,
    at: &str,
    v: Option<&Value>,
    allowed: &[&str],
    default_layer: Option<&str>,
) -> (String, Option<String>) {
    let empty = Table::new();
    let t = match v {
        Some(Value::Table(t)) => t,
        None => &empty,
        _ => {
            ctx.err(at, "`then` is a table");
            &empty
        }
    };
    check_keys(ctx, at, t, allowed);
    let mut f: Vec<String> = Vec::new();
    let str_of = |ctx: &mut Ctx, k: &str| -> Option<String> {
        match t.get(k) {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                ctx.err(at, format!("`{k}` is a string"));
                None
            }
        }
    };
    let mut type_name = None;
    if let Some(e) = str_of(ctx, "error_type") {
        f.push(format!("error_type: Some({})", error_type(ctx, at, &e)));
        type_name = Some(e);
    }
    if let Some(v) = str_of(ctx, "verdict") {
        if type_name.is_some() {
            ctx.err(at, "`verdict` is for rows without an `error_type`");
        }
        let code = enum_value(ctx, at, "verdict", &v, VERDICTS, "crate::table::Verdict");
        f.push(format!("verdict: Some({code})"));
    }
    let alts = strings(t.get("alternatives"));
    if !alts.is_empty() {
        let mut codes = Vec::new();
        for a in &alts {
            if Some(a) == type_name.as_ref() {
                ctx.err(at, format!("lists its own type `{a}` as an alternative"));
            }
            codes.push(error_type(ctx, at, a));
        }
        f.push(format!("alternatives: &[{}]", codes.join(", ")));
    }
    if let Some(c) = str_of(ctx, "confidence") {
        let code = enum_value(
            ctx,
            at,
            "confidence",
            &c,
            CONFIDENCES,
            "crate::diagnosis::Confidence",
        );
        f.push(format!("confidence: {code}"));
    }
    let layer = match str_of(ctx, "layer") {
        Some(l) if l == "none" => None,
        Some(l) => Some(l),
        None => default_layer.map(str::to_owned),
    };
    if let Some(l) = &layer {
        if !ctx.layers.contains(l) {
            ctx.err(at, format!("unknown layer `{l}`"));
        }
        f.push(format!("layer: Some(crate::layer::Layer::{})", camel(l)));
    }
    if let Some(r) = str_of(ctx, "role") {
        let code = enum_value(
            ctx,
            at,
            "role",
            &r,
            &["generator", "on_path"],
            "crate::table::Role",
        );
        f.push(format!("role: {code}"));
    }
    if let Some(h) = str_of(ctx, "hop") {
        let code = enum_value(ctx, at, "hop", &h, HOPS, "crate::hop::Hop");
        f.push(format!("hop: Some({code})"));
    }
    if let Some(x) = str_of(ctx, "segment") {
        let code = enum_value(ctx, at, "segment", &x, SEGMENTS, "crate::hop::Segment");
        f.push(format!("segment: Some({code})"));
    }
    if let Some(x) = str_of(ctx, "reached") {
        let code = enum_value(ctx, at, "reached", &x, REACHED, "crate::hop::Reached");
        f.push(format!("reached: Some({code})"));
    }
    for (k, lo, hi) in [("status", 100, 999), ("sub_status", 0, 999)] {
        if let Some(v) = t.get(k) {
            match v.as_integer() {
                Some(n) if (lo..=hi).contains(&n) => f.push(format!("{k}: Some({n})")),
                _ => ctx.err(at, format!("`{k}` is a number from {lo} to {hi}")),
            }
        }
    }
    if let Some(v) = t.get("retryable") {
        match v.as_bool() {
            Some(b) => f.push(format!("retryable: Some({b})")),
            None => ctx.err(at, "`retryable` is true or false"),
        }
    }
    if let Some(c) = str_of(ctx, "code") {
        if c == "status" {
            f.push("code: crate::table::CodeSource::Status".into());
        } else if c == "lookup" {
            f.push("code: crate::table::CodeSource::Lookup".into());
        } else {
            f.push(format!(
                "code: crate::table::CodeSource::Fixed({})",
                lit(&c)
            ));
        }
    }
    if let Some(k) = str_of(ctx, "kind") {
        let code = enum_value(ctx, at, "kind", &k, LINE_KINDS, "crate::table::LineKind");
        f.push(format!("kind: Some({code})"));
    }
    if let Some(k) = str_of(ctx, "key") {
        catalog_key(ctx, at, &k);
        f.push(format!("key: Some({})", lit(&k)));
    }
    if let Some(k) = str_of(ctx, "note") {
        catalog_key(ctx, at, &k);
        f.push(format!("note: Some({})", lit(&k)));
    }
    let next = strings(t.get("cause_from_next"));
    if !next.is_empty() {
        for name in &next {
            if !ctx.formats.contains_key(name) {
                ctx.err(
                    at,
                    format!("`cause_from_next`: unknown log format `{name}`"),
                );
            }
        }
        let list: Vec<String> = next.iter().map(|n| lit(n)).collect();
        f.push(format!("cause_from_next: &[{}]", list.join(", ")));
    }
    let causes = strings(t.get("causes"));
    if !causes.is_empty() {
        let mut codes = Vec::new();
        for c in &causes {
            if !ctx.causes.contains(c) {
                ctx.err(at, format!("unknown cause `{c}` (causes.toml)"));
            }
            codes.push(format!("crate::taxonomy::Cause::{}", camel(c)));
        }
        f.push(format!("causes: &[{}]", codes.join(", ")));
    }
    f.push("..crate::table::Then::DEFAULT".into());
    (
        format!("crate::table::Then {{ {} }}", f.join(", ")),
        type_name,
    )
}

// ------------------------------------------------------------------ rows

struct RowOut {
    rank: i64,
    /// (file order, place in file, place in row): ties after rank.
    order: (usize, usize, usize),
    code: String,
}

struct Common<'a> {
    ctx_at: String,
    id: String,
    rank: i64,
    t: &'a Table,
}

fn common<'a>(
    ctx: &mut Ctx,
    file: &File,
    kind: &str,
    i: usize,
    t: &'a Table,
    extra: &[&str],
) -> Common<'a> {
    let id = s(t, "id").unwrap_or_default().to_owned();
    let at = format!(
        "{} [[{kind}]] {}",
        file.rel,
        if id.is_empty() {
            format!("#{i}")
        } else {
            id.clone()
        }
    );
    if id.is_empty() {
        ctx.err(&at, "no id");
    }
    let mut allowed = vec!["id", "when", "then", "source", "samples", "rank"];
    allowed.extend_from_slice(extra);
    check_keys(ctx, &at, t, &allowed);
    let rank = match t.get("rank") {
        None => DEFAULT_RANK,
        Some(v) => match v.as_integer() {
            Some(n) if (0..=255).contains(&n) => n,
            _ => {
                ctx.err(&at, "`rank` is a number from 0 to 255");
                DEFAULT_RANK
            }
        },
    };
    check_samples(ctx, &at, kind, t.get("samples"));
    Common {
        ctx_at: at,
        id,
        rank,
        t,
    }
}

fn check_samples(ctx: &mut Ctx, at: &str, kind: &str, v: Option<&Value>) {
    let Some(v) = v else { return };
    let Some(list) = v.as_array() else {
        ctx.err(at, "`samples` is a list");
        return;
    };
    for sample in list {
        match (kind, sample) {
            ("log_pattern" | "log_format" | "signal", Value::String(_)) => {}
            (_, Value::Table(t)) => {
                let allowed: &[&str] = match kind {
                    "fingerprint" => &["fixture", "status", "headers", "body", "expect"],
                    "signal" => &["text", "error", "expect"],
                    _ => &["line", "expect"],
                };
                check_keys(ctx, at, t, allowed);
                if let Some(f) = s(t, "fixture") {
                    if !ctx.fixtures.join(f).is_file() {
                        ctx.err(
                            at,
                            format!("sample fixture tests/fixtures/{f} does not exist"),
                        );
                    }
                }
            }
            _ => ctx.err(at, format!("a {kind} sample cannot be {sample}")),
        }
    }
}

fn row_code(c: &Common<'_>, file: &File, when: &str, then: &str, source: &str) -> String {
    format!(
        "crate::table::Row {{ id: {}, rank: {}, when: {when}, then: {then}, source: {source}, file: {} }}",
        lit(&c.id),
        c.rank,
        lit(&file.rel)
    )
}

fn sorted(mut rows: Vec<RowOut>) -> Vec<String> {
    rows.sort_by_key(|r| (r.rank, r.order));
    rows.into_iter().map(|r| r.code).collect()
}

fn unique(ctx: &mut Ctx, kind: &str, ids: impl Iterator<Item = (String, String)>) {
    let mut seen = BTreeMap::new();
    for (id, at) in ids {
        if let Some(first) = seen.insert(id.clone(), at.clone()) {
            ctx.err(&at, format!("duplicate {kind} id `{id}` (also {first})"));
        }
    }
}

// ------------------------------------------------------------------ log formats

const SHAPE_KINDS: &[&str] = &["regex", "json", "kv", "fields", "w3c"];

struct FormatOut {
    variant: String,
    name: String,
    layer: String,
    doc: String,
    source: String,
    vendor_field: Option<String>,
    layer_when: String,
    fields: Vec<(String, Vec<String>)>,
}

fn read_format(
    ctx: &mut Ctx,
    file: &File,
    (fi, i): (usize, usize),
    t: &Table,
    shapes: &mut Vec<RowOut>,
    glosses: &mut Vec<String>,
    named: &Table,
) -> Option<FormatOut> {
    let id = s(t, "id").unwrap_or_default().to_owned();
    let at = format!("{} [[log_format]] {id}", file.rel);
    check_keys(
        ctx,
        &at,
        t,
        &[
            "id",
            "doc",
            "source",
            "vendor_field",
            "layer_when",
            "fields",
            "shape",
            "gloss",
            "samples",
        ],
    );
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        ctx.err(&at, "`id` is a snake_case name");
        return None;
    }
    let def = ctx.formats.get(&id).cloned().unwrap_or_default();
    let known = def.fields.clone();
    let source = sources(ctx, &at, t.get("source"), named);
    if !source.contains("SourceKind::Url") {
        ctx.err(&at, "a log format's source includes its documentation URL");
    }
    let mut captured = BTreeSet::new();
    let (layer_when, _) = conds(
        ctx,
        &at,
        t.get("layer_when"),
        &Fields::Log(&known),
        &mut captured,
    );
    let mut fields = Vec::new();
    if let Some(v) = t.get("fields") {
        match v.as_table() {
            Some(ft) => {
                for (canon, aliases) in ft {
                    fields.push((canon.clone(), strings(Some(aliases))));
                }
            }
            None => ctx.err(&at, "`fields` is a table: canonical name = [field names]"),
        }
    }
    let variant = camel(&id);
    for (j, shape) in rows(t, "shape").iter().enumerate() {
        let sat = format!("{at} shape #{j}");
        check_keys(
            ctx,
            &sat,
            shape,
            &[
                "kind",
                "pattern",
                "kv",
                "when",
                "rank",
                "default_fields",
                "names",
            ],
        );
        let kind = s(shape, "kind").unwrap_or_default();
        if !SHAPE_KINDS.contains(&kind) {
            ctx.err(
                &sat,
                format!(
                    "unknown shape kind `{kind}` (one of {})",
                    SHAPE_KINDS.join(", ")
                ),
            );
        }
        let kind_code = match kind {
            "regex" => {
                let p = s(shape, "pattern").unwrap_or_default();
                if let Err(e) = regex_lite::Regex::new(p) {
                    ctx.err(&sat, format!("pattern does not compile: {e}"));
                }
                let kv = match s(shape, "kv") {
                    Some(k) => {
                        if !regex_lite::Regex::new(p)
                            .is_ok_and(|re| re.capture_names().flatten().any(|n| n == k))
                        {
                            ctx.err(
                                &sat,
                                format!("`kv` names `{k}`, which the pattern does not capture"),
                            );
                        }
                        format!("Some({})", lit(k))
                    }
                    None => "None".into(),
                };
                format!(
                    "crate::logs::formats::ShapeKind::Regex {{ pattern: {}, kv: {kv} }}",
                    lit(p)
                )
            }
            "json" => "crate::logs::formats::ShapeKind::Json".into(),
            "kv" => "crate::logs::formats::ShapeKind::Kv".into(),
            "fields" => {
                let names = strings(shape.get("names"));
                if names.len() < 3 {
                    ctx.err(
                        &sat,
                        "a `fields` shape names its fields in order (`names`, three or more)",
                    );
                }
                let list: Vec<String> = names.iter().map(|n| lit(n)).collect();
                format!(
                    "crate::logs::formats::ShapeKind::Fields {{ names: &[{}] }}",
                    list.join(", ")
                )
            }
            "w3c" => {
                let names = strings(shape.get("default_fields"));
                let list: Vec<String> = names.iter().map(|n| lit(n)).collect();
                format!(
                    "crate::logs::formats::ShapeKind::W3c {{ default_fields: &[{}] }}",
                    list.join(", ")
                )
            }
            _ => "crate::logs::formats::ShapeKind::Json".into(),
        };
        let mut cap = BTreeSet::new();
        let (when, _) = conds(ctx, &sat, shape.get("when"), &Fields::Log(&known), &mut cap);
        let rank = shape
            .get("rank")
            .and_then(Value::as_integer)
            .unwrap_or(DEFAULT_RANK);
        shapes.push(RowOut {
            rank,
            order: (fi, i, j),
            code: format!(
                "crate::logs::formats::Shape {{ format: crate::logs::formats::LogFormat::{variant}, kind: {kind_code}, when: {when}, rank: {rank} }}"
            ),
        });
    }
    if rows(t, "shape").is_empty() {
        ctx.err(&at, "a log format has at least one [[log_format.shape]]");
    }
    for g in rows(t, "gloss") {
        let gat = format!("{at} gloss");
        check_keys(
            ctx,
            &gat,
            g,
            &["field", "part", "placeholder", "key_prefix", "source"],
        );
        let part = s(g, "part").unwrap_or_default();
        let part_code = match part {
            "whole" => "crate::logs::glosses::GlossPart::Whole".to_owned(),
            "each_comma" => "crate::logs::glosses::GlossPart::EachComma".to_owned(),
            p => match p.strip_prefix("char").and_then(|n| n.parse::<usize>().ok()) {
                Some(n) => format!("crate::logs::glosses::GlossPart::Char({n})"),
                None => {
                    ctx.err(
                        &gat,
                        format!("unknown part `{p}` (whole, each_comma, char<N>)"),
                    );
                    String::new()
                }
            },
        };
        let field = s(g, "field").unwrap_or_default();
        if !known.contains(field) {
            ctx.err(&gat, format!("unknown field `{field}`"));
        }
        let src = source_text(g.get("source"));
        glosses.push(format!(
            "crate::logs::glosses::Gloss {{ format: crate::logs::formats::LogFormat::{variant}, field: {}, part: {part_code}, placeholder: {}, key_prefix: {}, source: {} }}",
            lit(field),
            lit(s(g, "placeholder").unwrap_or_default()),
            lit(s(g, "key_prefix").unwrap_or_default()),
            lit(&src)
        ));
    }
    check_samples(ctx, &at, "log_format", t.get("samples"));
    Some(FormatOut {
        variant,
        name: id,
        layer: def.layer,
        doc: s(t, "doc").unwrap_or_default().to_owned(),
        source: source_text(t.get("source")),
        vendor_field: s(t, "vendor_field").map(str::to_owned),
        layer_when,
        fields,
    })
}

/// The fields of each log format, known before patterns are read (patterns of one
/// format may sit in another file).
fn collect_formats(ctx: &mut Ctx, files: &[File]) {
    for file in files {
        for t in rows(&file.table, "log_format") {
            let Some(id) = s(t, "id") else { continue };
            let mut known: BTreeSet<String> =
                DERIVED_FIELDS.iter().map(|s| (*s).to_owned()).collect();
            for shape in rows(t, "shape") {
                if let Some(p) = s(shape, "pattern") {
                    if let Ok(re) = regex_lite::Regex::new(p) {
                        known.extend(re.capture_names().flatten().map(str::to_owned));
                    }
                }
                known.extend(strings(shape.get("default_fields")));
                known.extend(strings(shape.get("names")));
            }
            if let Some(ft) = t.get("fields").and_then(Value::as_table) {
                for (canon, aliases) in ft {
                    known.insert(canon.clone());
                    known.extend(strings(Some(aliases)));
                }
            }
            let layer = file.layer.clone().unwrap_or_else(|| "unknown".into());
            if ctx.formats.contains_key(id) {
                ctx.err(&file.rel, format!("log format `{id}` is defined twice"));
            }
            ctx.formats.insert(
                id.to_owned(),
                FormatDef {
                    file: file.rel.clone(),
                    layer,
                    fields: known,
                },
            );
        }
    }
}

// ------------------------------------------------------------------ main

/// Reads `data/`, validates it against the English catalog keys, and writes
/// the generated tables into `out_dir`. Returns the errors (empty: success).
pub fn generate(root: &Path, catalog: BTreeSet<String>, out_dir: &Path) -> Vec<String> {
    let data = root.join("data");
    println!("cargo:rerun-if-changed={}", data.display());
    let mut errors = Vec::new();
    let mut ctx = Ctx {
        errors: Vec::new(),
        catalog,
        error_types: error_type_names(root),
        layers: BTreeSet::new(),
        causes: BTreeSet::new(),
        formats: BTreeMap::new(),
        fixtures: root.join("../../tests/fixtures"),
    };
    if ctx.error_types.len() != 32 {
        ctx.err(
            "src/taxonomy.rs",
            format!("read {} RFC 9209 types, expected 32", ctx.error_types.len()),
        );
    }

    // Causes.
    let causes_path = data.join("causes.toml");
    let causes_table = load(&causes_path, "causes.toml", &mut errors).unwrap_or_default();
    let mut causes_code = String::from("causes! {\n");
    for (i, c) in rows(&causes_table, "cause").iter().enumerate() {
        let id = s(c, "id").unwrap_or_default().to_owned();
        let at = format!("causes.toml [[cause]] {id}");
        check_keys(&mut ctx, &at, c, &["id", "side", "doc", "source"]);
        if id.is_empty() {
            ctx.err(&format!("causes.toml #{i}"), "no id");
        }
        if !ctx.causes.insert(id.clone()) {
            ctx.err(&at, "duplicate cause");
        }
        let side = s(c, "side").unwrap_or_default();
        if !SIDES.contains(&side) {
            ctx.err(&at, format!("unknown side `{side}`"));
        }
        let _ = sources(&mut ctx, &at, c.get("source"), &Table::new());
        catalog_key(&mut ctx, &at, &format!("cause.{id}"));
        // A seed article is cited by its constant (`taxonomy::seed`), as the seed rows always were.
        let seed = c
            .get("source")
            .and_then(Value::as_table)
            .and_then(|t| s(t, "seed"));
        let src_expr = match seed {
            Some(seed) => format!("seed::{}", seed.to_ascii_uppercase()),
            None => lit(&source_text(c.get("source"))),
        };
        let _ = writeln!(
            causes_code,
            "    /// {}\n    {} = {}, side: {}, source: {};",
            s(c, "doc").unwrap_or_default(),
            camel(&id),
            lit(&id),
            camel(side),
            src_expr
        );
    }
    causes_code.push_str("}\n");

    // Files.
    let mut files = Vec::new();
    for (dir, is_layer) in [("layers", true), ("signals", false)] {
        for path in read_dir_sorted(&data.join(dir)) {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            let rel = format!("{dir}/{stem}.toml");
            if !stem
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                errors.push(format!("{rel}: a data file's name is snake_case"));
            }
            if let Some(table) = load(&path, &rel, &mut errors) {
                if is_layer {
                    ctx.layers.insert(stem.clone());
                }
                files.push(File {
                    rel,
                    layer: is_layer.then_some(stem),
                    table,
                });
            }
        }
    }
    collect_formats(&mut ctx, &files);

    // Layers (unknown last; the rest by name).
    let mut layers_code = String::from("layers! {\n");
    let mut layer_files: Vec<&File> = files.iter().filter(|f| f.layer.is_some()).collect();
    layer_files.sort_by_key(|f| (f.layer.as_deref() == Some("unknown"), f.layer.clone()));
    for file in &layer_files {
        let name = file.layer.clone().unwrap_or_default();
        let at = format!("{} [layer]", file.rel);
        let Some(info) = file.table.get("layer").and_then(Value::as_table) else {
            ctx.err(&file.rel, "a layer file starts with a [layer] table");
            continue;
        };
        check_keys(
            &mut ctx,
            &at,
            info,
            &["display", "kind", "doc", "source", "logs"],
        );
        let kind = s(info, "kind").unwrap_or_default();
        if !LAYER_KINDS.contains(&kind) {
            ctx.err(
                &at,
                format!("unknown kind `{kind}` (one of {})", LAYER_KINDS.join(", ")),
            );
        }
        if name != "unknown" {
            let _ = sources(&mut ctx, &at, info.get("source"), &Table::new());
        }
        catalog_key(&mut ctx, &at, &format!("layer.{name}"));
        let logs: Vec<String> = strings(info.get("logs")).iter().map(|l| lit(l)).collect();
        let _ = writeln!(
            layers_code,
            "    /// {}\n    {} = {}, {}, {}, {}, [{}];",
            s(info, "doc").unwrap_or_default(),
            camel(&name),
            lit(&name),
            lit(s(info, "display").unwrap_or_default()),
            camel(kind),
            lit(&source_text(info.get("source"))),
            logs.join(", ")
        );
    }
    layers_code.push_str("}\n");

    // Rows.
    let mut fingerprints = Vec::new();
    let mut vendor_codes = Vec::new();
    let mut signals = Vec::new();
    let mut patterns = Vec::new();
    let mut shapes = Vec::new();
    let mut glosses = Vec::new();
    let mut formats_out = Vec::new();
    let mut probe_steps = Vec::new();
    let mut socket_errors = Vec::new();
    let mut fp_ids = Vec::new();
    let mut vc_ids = Vec::new();
    let mut sig_ids = Vec::new();
    let mut pat_ids = Vec::new();
    for (fi, file) in files.iter().enumerate() {
        let top: Vec<&str> = file.table.keys().map(String::as_str).collect();
        for k in &top {
            let ok = [
                "layer",
                "sources",
                "fingerprint",
                "vendor_code",
                "log_format",
                "log_pattern",
                "signal",
                "probe_step",
                "socket_error",
            ];
            if !ok.contains(k) {
                ctx.err(
                    &file.rel,
                    format!("unknown table `{k}` (allowed: {})", ok.join(", ")),
                );
            }
        }
        if file.layer.is_some() && !file.table.contains_key("layer") {
            ctx.err(&file.rel, "a layer file starts with a [layer] table");
        }
        if file.layer.is_none() && file.table.contains_key("layer") {
            ctx.err(&file.rel, "[layer] belongs in data/layers/<layer>.toml");
        }
        let named = file
            .table
            .get("sources")
            .and_then(Value::as_table)
            .cloned()
            .unwrap_or_default();
        let layer = file.layer.as_deref();
        let own_formats: Vec<String> = rows(&file.table, "log_format")
            .iter()
            .filter_map(|t| s(t, "id").map(str::to_owned))
            .collect();

        for (i, t) in rows(&file.table, "fingerprint").into_iter().enumerate() {
            let c = common(&mut ctx, file, "fingerprint", i, t, &[]);
            if layer.is_none() {
                ctx.err(
                    &c.ctx_at,
                    "fingerprints name their layer: they belong in data/layers/",
                );
            }
            if !c.id.starts_with(&format!("{}.", layer.unwrap_or_default())) {
                ctx.err(
                    &c.ctx_at,
                    "a fingerprint's id starts with its layer name and a dot",
                );
            }
            let mut cap = BTreeSet::new();
            let (when, n) = conds(
                &mut ctx,
                &c.ctx_at,
                c.t.get("when"),
                &Fields::Fingerprint,
                &mut cap,
            );
            if n == 0 {
                ctx.err(
                    &c.ctx_at,
                    "a fingerprint with no condition matches everything",
                );
            }
            for name in &cap {
                if !["vendor_code", "code_key", "detail", "sub_status"].contains(&name.as_str()) {
                    ctx.err(
                        &c.ctx_at,
                        format!(
                            "unknown capture `{name}` (vendor_code, code_key, detail, sub_status)"
                        ),
                    );
                }
            }
            let (then_code, ty) = then(
                &mut ctx,
                &c.ctx_at,
                c.t.get("then"),
                &[
                    "error_type",
                    "alternatives",
                    "confidence",
                    "role",
                    "code",
                    "sub_status",
                    "layer",
                ],
                layer,
            );
            let on_path =
                c.t.get("then")
                    .and_then(Value::as_table)
                    .and_then(|t| s(t, "role"))
                    == Some("on_path");
            if on_path && ty.is_some() {
                ctx.err(&c.ctx_at, "on-path rows name no failure");
            }
            let src = sources(&mut ctx, &c.ctx_at, c.t.get("source"), &named);
            fp_ids.push((c.id.clone(), c.ctx_at.clone()));
            fingerprints.push(RowOut {
                rank: c.rank,
                order: (fi, i, 0),
                code: row_code(&c, file, &when, &then_code, &src),
            });
        }

        for (i, t) in rows(&file.table, "vendor_code").into_iter().enumerate() {
            let c = common(&mut ctx, file, "vendor_code", i, t, &[]);
            if layer.is_none() {
                ctx.err(&c.ctx_at, "vendor codes belong in data/layers/");
            }
            let mut cap = BTreeSet::new();
            let (when, _) = conds(
                &mut ctx,
                &c.ctx_at,
                c.t.get("when"),
                &Fields::VendorCode,
                &mut cap,
            );
            let codes: Vec<String> =
                c.t.get("when")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_table)
                            .filter(|w| s(w, "field") == Some("code"))
                            .filter_map(|w| s(w, "equals").map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
            match codes.as_slice() {
                [code] => {
                    if layer != Some("cloudflare") {
                        let key: String = code
                            .chars()
                            .map(|ch| {
                                if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' {
                                    ch
                                } else {
                                    '_'
                                }
                            })
                            .collect();
                        catalog_key(
                            &mut ctx,
                            &c.ctx_at,
                            &format!("vendor.{}.{key}", layer.unwrap_or_default()),
                        );
                    }
                }
                _ => ctx.err(
                    &c.ctx_at,
                    "a vendor code row has exactly one { field = \"code\", equals = \"…\" }",
                ),
            }
            let (then_code, _) = then(
                &mut ctx,
                &c.ctx_at,
                c.t.get("then"),
                &["error_type", "alternatives", "confidence"],
                layer,
            );
            let src = sources(&mut ctx, &c.ctx_at, c.t.get("source"), &named);
            vc_ids.push((c.id.clone(), c.ctx_at.clone()));
            vendor_codes.push(RowOut {
                rank: c.rank,
                order: (fi, i, 0),
                code: row_code(&c, file, &when, &then_code, &src),
            });
        }

        for (i, t) in rows(&file.table, "signal").into_iter().enumerate() {
            let c = common(&mut ctx, file, "signal", i, t, &[]);
            let mut cap = BTreeSet::new();
            let (when, _) = conds(
                &mut ctx,
                &c.ctx_at,
                c.t.get("when"),
                &Fields::Signal,
                &mut cap,
            );
            let (then_code, ty) = then(
                &mut ctx,
                &c.ctx_at,
                c.t.get("then"),
                &[
                    "error_type",
                    "verdict",
                    "alternatives",
                    "confidence",
                    "layer",
                    "hop",
                    "segment",
                    "status",
                    "reached",
                    "retryable",
                    "causes",
                    "note",
                ],
                layer,
            );
            let verdict =
                c.t.get("then")
                    .and_then(Value::as_table)
                    .and_then(|t| s(t, "verdict"))
                    .is_some();
            if ty.is_none() && !verdict {
                ctx.err(&c.ctx_at, "a signal names an `error_type` or a `verdict`");
            }
            let alts =
                c.t.get("then")
                    .and_then(Value::as_table)
                    .map(|t| strings(t.get("alternatives")))
                    .unwrap_or_default();
            let conf =
                c.t.get("then")
                    .and_then(Value::as_table)
                    .and_then(|t| s(t, "confidence"));
            if !alts.is_empty() && conf == Some("high") {
                ctx.err(&c.ctx_at, "ambiguous (alternatives) yet of high confidence");
            }
            let src = sources(&mut ctx, &c.ctx_at, c.t.get("source"), &named);
            sig_ids.push((c.id.clone(), c.ctx_at.clone()));
            signals.push(RowOut {
                rank: c.rank,
                order: (fi, i, 0),
                code: row_code(&c, file, &when, &then_code, &src),
            });
        }

        for (kind, fields, out) in [
            ("probe_step", Fields::Probe, &mut probe_steps),
            ("socket_error", Fields::Socket, &mut socket_errors),
        ] {
            for (i, t) in rows(&file.table, kind).into_iter().enumerate() {
                let c = common(&mut ctx, file, kind, i, t, &[]);
                let mut cap = BTreeSet::new();
                let (when, n) = conds(&mut ctx, &c.ctx_at, c.t.get("when"), &fields, &mut cap);
                if n == 0 {
                    ctx.err(&c.ctx_at, "a row without conditions matches everything");
                }
                let (then_code, ty) = then(
                    &mut ctx,
                    &c.ctx_at,
                    c.t.get("then"),
                    &["error_type", "confidence"],
                    None,
                );
                if ty.is_none() {
                    ctx.err(&c.ctx_at, "names the failure it shows (`error_type`)");
                }
                let src = sources(&mut ctx, &c.ctx_at, c.t.get("source"), &named);
                out.push(RowOut {
                    rank: c.rank,
                    order: (fi, i, 0),
                    code: row_code(&c, file, &when, &then_code, &src),
                });
            }
        }

        for (i, t) in rows(&file.table, "log_format").into_iter().enumerate() {
            if let Some(f) = read_format(
                &mut ctx,
                file,
                (fi, i),
                t,
                &mut shapes,
                &mut glosses,
                &named,
            ) {
                formats_out.push(f);
            }
        }

        for (i, t) in rows(&file.table, "log_pattern").into_iter().enumerate() {
            let c = common(&mut ctx, file, "log_pattern", i, t, &["formats"]);
            let fmts = match t.get("formats") {
                Some(v) => strings(Some(v)),
                None => own_formats.clone(),
            };
            if fmts.is_empty() {
                ctx.err(
                    &c.ctx_at,
                    "a log pattern names its `formats` (or sits in the file that defines them)",
                );
            }
            let mut known = BTreeSet::new();
            for f in &fmts {
                match ctx.formats.get(f) {
                    Some(def) => {
                        if known.is_empty() {
                            known = def.fields.clone();
                        } else {
                            known = known.intersection(&def.fields).cloned().collect();
                        }
                    }
                    None => ctx.err(&c.ctx_at, format!("unknown log format `{f}`")),
                }
            }
            let mut cap = BTreeSet::new();
            let (when, n) = conds(
                &mut ctx,
                &c.ctx_at,
                c.t.get("when"),
                &Fields::Log(&known),
                &mut cap,
            );
            if n == 0 {
                ctx.err(&c.ctx_at, "a log pattern has at least one condition");
            }
            let (then_code, _) = then(
                &mut ctx,
                &c.ctx_at,
                c.t.get("then"),
                &[
                    "error_type",
                    "alternatives",
                    "confidence",
                    "hop",
                    "segment",
                    "status",
                    "kind",
                    "key",
                    "layer",
                    "code",
                    "cause_from_next",
                ],
                None,
            );
            let has_key =
                c.t.get("then")
                    .and_then(Value::as_table)
                    .is_some_and(|t| t.contains_key("key"));
            if !has_key {
                ctx.err(
                    &c.ctx_at,
                    "a log pattern names its explanation template (`key`)",
                );
            }
            let src = sources(&mut ctx, &c.ctx_at, c.t.get("source"), &named);
            for f in &fmts {
                pat_ids.push((format!("{f}.{}", c.id), c.ctx_at.clone()));
            }
            let fmt_codes: Vec<String> = fmts
                .iter()
                .map(|f| format!("crate::logs::formats::LogFormat::{}", camel(f)))
                .collect();
            let row = row_code(&c, file, &when, &then_code, &src);
            patterns.push(RowOut {
                rank: c.rank,
                order: (fi, i, 0),
                code: format!(
                    "crate::logs::patterns::PatternRow {{ row: {row}, formats: &[{}] }}",
                    fmt_codes.join(", ")
                ),
            });
        }
    }
    unique(&mut ctx, "fingerprint", fp_ids.into_iter());
    unique(&mut ctx, "vendor code", vc_ids.into_iter());
    unique(&mut ctx, "signal", sig_ids.into_iter());
    unique(&mut ctx, "log pattern (per format)", pat_ids.into_iter());
    for f in &formats_out {
        let def = ctx.formats.get(&f.name).cloned().unwrap_or_default();
        if !def.file.is_empty() && def.layer != f.layer {
            ctx.err(&def.file, "internal: format layer mismatch");
        }
    }

    // Log formats.
    let mut formats_code = String::from("log_formats! {\n");
    for f in &formats_out {
        let vendor = match &f.vendor_field {
            Some(v) => format!("Some({})", lit(v)),
            None => "None".into(),
        };
        let fields: Vec<String> = f
            .fields
            .iter()
            .map(|(c, a)| {
                let list: Vec<String> = a.iter().map(|x| lit(x)).collect();
                format!("({}, &[{}])", lit(c), list.join(", "))
            })
            .collect();
        let _ = writeln!(
            formats_code,
            "    /// {}\n    {} = {}, {}, {}, {vendor}, {}, &[{}];",
            f.doc,
            f.variant,
            lit(&f.name),
            camel(&f.layer),
            lit(&f.source),
            f.layer_when,
            fields.join(", ")
        );
    }
    formats_code.push_str("}\n");

    errors.append(&mut ctx.errors);
    if !errors.is_empty() {
        return errors;
    }
    let write = |name: &str, body: String| -> Result<(), String> {
        let text = format!("// Generated by build.rs from data/. Do not edit.\n{body}");
        std::fs::write(out_dir.join(name), text).map_err(|e| format!("{name}: {e}"))
    };
    let static_list = |doc: &str, name: &str, ty: &str, items: Vec<String>| {
        format!(
            "/// {doc}\npub static {name}: &[{ty}] = &[\n    {}\n];\n",
            items.join(",\n    ")
        )
    };
    let results = [
        write("layers.rs", layers_code),
        write("causes.rs", causes_code),
        write(
            "log_formats.rs",
            formats_code
                + &static_list("How lines are recognised and cut into fields: every `[[log_format.shape]]` of `data/`, by rank.", "SHAPES", "crate::logs::formats::Shape", sorted(shapes))
                + &static_list("Every `[[log_format.gloss]]` of `data/`.", "GLOSSES", "crate::logs::glosses::Gloss", glosses),
        ),
        write("fingerprints.rs", static_list("Every `[[fingerprint]]` row of `data/layers/`, in file order (layer files by name).", "FINGERPRINTS", "crate::table::Row", sorted_by_file(fingerprints))),
        write("vendor_codes.rs", static_list("Every `[[vendor_code]]` row of `data/layers/`, in file order (rows with a detail before their code's generic row).", "VENDOR_CODE_ROWS", "crate::table::Row", sorted_by_file(vendor_codes))),
        write("signals.rs", static_list("Every `[[signal]]` row of `data/`, by rank, then file, then place in file.", "SIGNALS", "crate::table::Row", sorted(signals))),
        write("log_patterns.rs", static_list("Every `[[log_pattern]]` row of `data/`, by rank, then file, then place in file.", "PATTERNS", "crate::logs::patterns::PatternRow", sorted(patterns))),
        write(
            "probe.rs",
            static_list("Every `[[probe_step]]` row of `data/`: the failure a failing probe step shows.", "PROBE_STEPS", "crate::table::Row", sorted(probe_steps))
                + &static_list("Every `[[socket_error]]` row of `data/`, by rank: the failure a runtime's connect() error words name.", "SOCKET_ERRORS", "crate::table::Row", sorted(socket_errors)),
        ),
    ];
    results.into_iter().filter_map(Result::err).collect()
}

/// Rows in file order (fingerprints are scored; vendor codes are looked up by code).
fn sorted_by_file(mut rows: Vec<RowOut>) -> Vec<String> {
    rows.sort_by_key(|r| r.order);
    rows.into_iter().map(|r| r.code).collect()
}
