//! Walks every fixture under `tests/fixtures/logs/<dir>/<name>.log`, explains
//! each non-empty line, and checks it against `<dir>/expect.toml`:
//!
//! ```toml
//! [[refused]]                 # one entry per non-empty line of refused.log, in order
//! format = "nginx_error"
//! pattern = "connect_refused"
//! error_type = "connection_refused"   # absent: the line names no error type
//! layer = "nginx"
//! vendor_code = "AH00957"             # absent: no vendor code
//! status = 502                        # optional: the received status
//! [[refused]]
//! unrecognised = true                 # a line no format may recognise (e.g. a W3C directive)
//! ```
//!
//! An unrecognised line without `unrecognised = true`, a missing expectation, or
//! an expectation without a line all fail.

#![allow(clippy::panic)] // a test: a failed expectation panics with its context

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gatewise_core::logs::{self, LogExplanation};
use gatewise_core::{i18n, Lang};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/logs")
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

fn placeholders(s: &str) -> Vec<String> {
    s.split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect()
}

const KEYS: &[&str] = &[
    "format",
    "pattern",
    "error_type",
    "layer",
    "vendor_code",
    "status",
];

fn check_line(ctx: &str, e: &LogExplanation, want: &toml::Table) {
    let s = |k: &str| want.get(k).and_then(|v| v.as_str());
    assert_eq!(Some(e.format.name()), s("format"), "{ctx}: format");
    assert_eq!(Some(e.pattern), s("pattern"), "{ctx}: pattern");
    assert_eq!(
        e.diagnosis.error_type.map(|t| t.name()),
        s("error_type"),
        "{ctx}: error_type"
    );
    assert_eq!(Some(e.diagnosis.layer.name()), s("layer"), "{ctx}: layer");
    assert_eq!(
        e.diagnosis.vendor_code.as_deref(),
        s("vendor_code"),
        "{ctx}: vendor_code"
    );
    if let Some(status) = want.get("status").and_then(|v| v.as_integer()) {
        assert_eq!(
            e.diagnosis.received_status.map(i64::from),
            Some(status),
            "{ctx}: status"
        );
    }
    for key in want.keys() {
        assert!(
            KEYS.contains(&key.as_str()),
            "{ctx}: unknown expectation key {key}"
        );
    }
    let text = e.text(Lang::EN);
    assert!(text.len() > 40, "{ctx}: explanation too short: {text}");
    for name in placeholders(i18n::message(Lang::EN, e.key).unwrap_or("")) {
        assert!(
            !text.contains(&format!("{{{name}}}")),
            "{ctx}: unfilled {{{name}}} in {text}"
        );
    }
}

fn expectations(expect: &toml::Table, dir_name: &str, name: &str) -> Vec<toml::Table> {
    match expect.get(name) {
        Some(toml::Value::Array(a)) => a.iter().filter_map(|v| v.as_table().cloned()).collect(),
        Some(toml::Value::Table(t)) => vec![t.clone()],
        _ => panic!("{dir_name}/expect.toml has no [[{name}]]"),
    }
}

#[test]
fn every_log_fixture_is_explained_as_expected() {
    let root = fixtures_root();
    let mut per_dir: BTreeMap<String, usize> = BTreeMap::new();
    let mut lines_checked = 0;
    for dir in sorted_entries(&root).into_iter().filter(|p| p.is_dir()) {
        let dir_name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let expect_path = dir.join("expect.toml");
        let expect_text = std::fs::read_to_string(&expect_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expect_path.display()));
        let expect: toml::Table = toml::from_str(&expect_text)
            .unwrap_or_else(|e| panic!("{}: {e}", expect_path.display()));
        let logs: Vec<PathBuf> = sorted_entries(&dir)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "log"))
            .collect();
        assert!(!logs.is_empty(), "{dir_name} has no .log file");
        for name in expect.keys() {
            assert!(
                dir.join(format!("{name}.log")).is_file(),
                "{dir_name}/expect.toml: no {name}.log"
            );
        }
        for log in &logs {
            let name = log.file_stem().and_then(|n| n.to_str()).unwrap_or("");
            let bytes = std::fs::read(log).unwrap_or_else(|e| panic!("{}: {e}", log.display()));
            let text = String::from_utf8_lossy(&bytes);
            let wants = expectations(&expect, &dir_name, name);
            let explained = logs::explain_all(&text);
            let non_empty: Vec<(usize, &str)> = text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| (i + 1, l))
                .collect();
            assert_eq!(
                wants.len(),
                non_empty.len(),
                "{dir_name}/{name}.log: {} non-empty lines, {} expectations",
                non_empty.len(),
                wants.len()
            );
            for ((line_no, line), want) in non_empty.iter().zip(&wants) {
                let ctx = format!("{dir_name}/{name}.log:{line_no}");
                let got = explained
                    .iter()
                    .find(|l| l.line == *line_no)
                    .map(|l| &l.explanation);
                if want.get("unrecognised").and_then(|v| v.as_bool()) == Some(true) {
                    assert!(
                        got.is_none(),
                        "{ctx}: expected unrecognised, got {:?}",
                        got.map(|e| e.pattern)
                    );
                    continue;
                }
                let Some(e) = got else {
                    panic!(
                        "{ctx}: not recognised: {}",
                        line.chars().take(200).collect::<String>()
                    );
                };
                check_line(&ctx, e, want);
                // Single-line explain agrees, except where a #Fields: directive sets the
                // meaning, or the line takes its cause from the next (`cause_from_next`).
                let takes_next = logs::PATTERNS.iter().any(|p| {
                    p.row.id == e.pattern
                        && p.formats.contains(&e.format)
                        && !p.row.then.cause_from_next.is_empty()
                });
                if !text.contains("#Fields:") && !takes_next {
                    assert_eq!(
                        logs::explain(line).as_ref(),
                        Some(e),
                        "{ctx}: explain vs explain_all"
                    );
                }
                lines_checked += 1;
            }
            *per_dir.entry(dir_name.clone()).or_default() += 1;
        }
    }
    for dir in [
        "envoy", "traefik", "heroku", "iis", "ancm", "php_fpm", "gunicorn", "uwsgi",
    ] {
        assert!(
            per_dir.get(dir).copied().unwrap_or(0) >= 1,
            "no fixtures in {dir}"
        );
    }
    assert!(lines_checked >= 50, "only {lines_checked} lines checked");
    eprintln!("log fixtures per dir: {per_dir:?}; lines checked: {lines_checked}");
}
