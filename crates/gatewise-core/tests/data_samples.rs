//! Runs every sample of `data/` (lnav-style: `data/README.md`) through the
//! reader that uses its row, and checks that the row decides it with the
//! row's outcome (or the `expect = { … }` the sample states):
//!
//! - a `[[fingerprint]]` sample (a fixture or an inline response) is best
//!   matched by a generator row (an on-path row: among the matches), and
//!   `classify::response` names the row's layer;
//! - a `[[log_pattern]]` sample line is explained by that row, in one of its
//!   formats, with its type; a `[[log_format]]` sample is read as that format;
//! - a `[[signal]]` text sample is read by `signals::scan` with that row first
//!   (and `signals::read` gives its type); an `error` sample is classified by
//!   `classify::transport` with that row.

#![allow(clippy::panic, clippy::indexing_slicing, clippy::unwrap_used)] // a test: a failed expectation panics with its context

use std::path::{Path, PathBuf};

use gatewise_core::classify::{self, ResponseView, TransportError};
use gatewise_core::fingerprint::{self, Observed, FINGERPRINTS};
use gatewise_core::logs::{self, PATTERNS};
use gatewise_core::signals::{self, SIGNALS};
use gatewise_core::table::Role;
use gatewise_core::{raw, Layer};
use toml::{Table, Value};

fn data_files() -> Vec<(String, Table)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut out = Vec::new();
    for dir in ["layers", "signals"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).unwrap();
            let rel = format!("{dir}/{}", p.file_name().unwrap().to_string_lossy());
            out.push((rel, toml::from_str(&text).unwrap()));
        }
    }
    out
}

fn rows<'t>(t: &'t Table, kind: &str) -> Vec<&'t Table> {
    t.get(kind)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_table).collect())
        .unwrap_or_default()
}

fn samples(row: &Table) -> Vec<&Value> {
    row.get("samples")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn expect<'v>(sample: &'v Value, key: &str) -> Option<&'v str> {
    sample
        .as_table()
        .and_then(|t| t.get("expect"))
        .and_then(Value::as_table)
        .and_then(|t| t.get(key))
        .and_then(Value::as_str)
}

fn id(row: &Table) -> &str {
    row.get("id").and_then(Value::as_str).unwrap_or_default()
}

/// A fingerprint sample as (status, headers, body).
fn response(sample: &Value, at: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let t = sample.as_table().unwrap_or_else(|| panic!("{at}: a table"));
    if let Some(f) = t.get("fixture").and_then(Value::as_str) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(f);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{at}: {f}: {e}"));
        let r = raw::parse_response(&bytes).unwrap_or_else(|e| panic!("{at}: {f}: {e}"));
        return (r.status, r.headers, r.body);
    }
    let status = t.get("status").and_then(Value::as_integer).unwrap_or(200);
    let headers = t
        .get("headers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_array)
                .map(|p| {
                    (
                        p[0].as_str().unwrap_or_default().to_owned(),
                        p[1].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let body = t.get("body").and_then(Value::as_str).unwrap_or_default();
    (
        u16::try_from(status).unwrap(),
        headers,
        body.as_bytes().to_vec(),
    )
}

fn check_fingerprint(at: &str, row_id: &str, sample: &Value) {
    let row = FINGERPRINTS
        .iter()
        .find(|r| r.id == row_id)
        .unwrap_or_else(|| panic!("{at}: not in FINGERPRINTS"));
    let (status, headers, body) = response(sample, at);
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let seen = Observed::new(status, &pairs, &body);
    let found = fingerprint::matches(&seen);
    let d = classify::response(&ResponseView {
        status,
        headers: &pairs,
        body: &body,
    });
    if expect(sample, "row") == Some("none") {
        // A counter-example: markup like the row's, from no known layer.
        let generator = found
            .iter()
            .find(|m| m.fingerprint.then.role == Role::Generator)
            .map(|m| m.fingerprint.id);
        assert_eq!(generator, None, "{at}: a generator row names this response");
        assert_eq!(d.layer, Layer::Unknown, "{at}: layer");
        return;
    }
    if row.then.role == Role::Generator {
        let best = found.first().map(|m| m.fingerprint.id);
        assert_eq!(
            best,
            Some(expect(sample, "row").unwrap_or(row_id)),
            "{at}: best match"
        );
        let layer = expect(sample, "layer").unwrap_or(row.layer().name());
        // A Proxy-Status entry from upstream may name another layer; the row decides otherwise.
        if !pairs
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("proxy-status"))
        {
            assert_eq!(d.layer.name(), layer, "{at}: layer");
        }
        let refined = found.first().is_some_and(|m| {
            m.captures.vendor_code.is_some()
                || row.then.code != gatewise_core::table::CodeSource::None
        });
        match expect(sample, "error_type") {
            Some(t) => assert_eq!(d.error_type.map(|t| t.name()), Some(t), "{at}: type"),
            None if !refined && status >= 400 => assert_eq!(
                d.error_type, row.then.error_type,
                "{at}: type (state `expect.error_type` when a vendor code refines it)"
            ),
            None => {}
        }
    } else {
        assert!(
            found.iter().any(|m| m.fingerprint.id == row_id),
            "{at}: not among the matches"
        );
    }
    if let Some(v) = expect(sample, "vendor_code") {
        assert_eq!(d.vendor_code.as_deref(), Some(v), "{at}: vendor code");
    }
}

fn line_of<'v>(sample: &'v Value, at: &str) -> &'v str {
    match sample {
        Value::String(s) => s,
        Value::Table(t) => t
            .get("line")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{at}: a line")),
        _ => panic!("{at}: a line"),
    }
}

fn check_pattern(at: &str, row_id: &str, formats: &[String], sample: &Value) {
    let line = line_of(sample, at);
    let e = logs::explain(line).unwrap_or_else(|| panic!("{at}: not recognised: {line}"));
    assert_eq!(
        e.pattern,
        expect(sample, "pattern").unwrap_or(row_id),
        "{at}: pattern of {line}"
    );
    let format = expect(sample, "format").map(str::to_owned);
    match format {
        Some(f) => assert_eq!(e.format.name(), f, "{at}: format"),
        None => assert!(
            formats.iter().any(|f| f == e.format.name()),
            "{at}: format {} is not one of {formats:?}",
            e.format
        ),
    }
    let row = PATTERNS
        .iter()
        .find(|p| p.row.id == e.pattern && p.formats.contains(&e.format))
        .unwrap_or_else(|| panic!("{at}: not in PATTERNS"));
    match expect(sample, "error_type") {
        Some(t) => assert_eq!(e.diagnosis.error_type.map(|t| t.name()), Some(t), "{at}"),
        None => assert_eq!(e.diagnosis.error_type, row.error_type(), "{at}: type"),
    }
    if let Some(l) = expect(sample, "layer") {
        assert_eq!(e.diagnosis.layer.name(), l, "{at}: layer");
    }
    if let Some(v) = expect(sample, "vendor_code") {
        assert_eq!(
            e.diagnosis.vendor_code.as_deref(),
            Some(v),
            "{at}: vendor code"
        );
    }
}

fn check_signal(at: &str, row_id: &str, sample: &Value) {
    let row = SIGNALS
        .iter()
        .find(|r| r.id == row_id)
        .unwrap_or_else(|| panic!("{at}: not in SIGNALS"));
    let want_row = expect(sample, "row").unwrap_or(row_id);
    let text = match sample {
        Value::String(s) => Some(s.as_str()),
        Value::Table(t) => t.get("text").and_then(Value::as_str),
        _ => None,
    };
    if let Some(text) = text {
        let found = signals::scan(text);
        assert_eq!(
            found.first().map(|s| s.row.id),
            Some(want_row),
            "{at}: first signal of {text:?}"
        );
        let d = signals::read(text);
        let want = expect(sample, "error_type").or(row.then.error_type.map(|t| t.name()));
        assert_eq!(
            d.as_ref().and_then(|d| d.error_type).map(|t| t.name()),
            want,
            "{at}: type read from {text:?}"
        );
        if let (Some(d), Some(l)) = (&d, expect(sample, "layer")) {
            assert_eq!(d.layer.name(), l, "{at}: layer");
        }
    }
    if let Some(err) = sample
        .as_table()
        .and_then(|t| t.get("error"))
        .and_then(Value::as_table)
    {
        let get = |k: &str| err.get(k).and_then(Value::as_str).map(str::to_owned);
        let e = TransportError {
            runtime: get("runtime").and_then(|r| Layer::from_name(&r)),
            name: get("name"),
            message: get("message").unwrap_or_default(),
            code: get("code"),
            retryable: None,
            cause: None,
        };
        let d = classify::transport(&e);
        let rule = d.evidence.iter().find_map(|e| e.rule.as_deref());
        assert_eq!(rule, Some(want_row), "{at}: transport rule of {e:?}");
        if let Some(t) = expect(sample, "error_type") {
            assert_eq!(d.error_type.map(|t| t.name()), Some(t), "{at}");
        }
    }
}

/// Runs `check`, keeping its failure message instead of stopping at the first one.
fn collect(failures: &mut Vec<String>, check: impl FnOnce()) {
    if let Err(e) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)) {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        failures.push(msg);
    }
}

#[test]
fn every_sample_is_decided_by_its_row() {
    let mut checked = [0usize; 4];
    let mut failures = Vec::new();
    for (file, t) in data_files() {
        let own_formats: Vec<String> = rows(&t, "log_format")
            .iter()
            .map(|f| id(f).to_owned())
            .collect();
        for row in rows(&t, "fingerprint") {
            for (i, s) in samples(row).into_iter().enumerate() {
                collect(&mut failures, || {
                    check_fingerprint(&format!("{file} {} sample {i}", id(row)), id(row), s);
                });
                checked[0] += 1;
            }
        }
        for row in rows(&t, "log_pattern") {
            let formats: Vec<String> = match row.get("formats") {
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                _ => own_formats.clone(),
            };
            for (i, s) in samples(row).into_iter().enumerate() {
                check_pattern(
                    &format!("{file} {} sample {i}", id(row)),
                    id(row),
                    &formats,
                    s,
                );
                checked[1] += 1;
            }
        }
        for f in rows(&t, "log_format") {
            for (i, s) in samples(f).into_iter().enumerate() {
                let at = format!("{file} format {} sample {i}", id(f));
                collect(&mut failures, || {
                    let line = line_of(s, &at);
                    let e = logs::explain(line).unwrap_or_else(|| panic!("{at}: not recognised"));
                    assert_eq!(e.format.name(), id(f), "{at}");
                });
                checked[2] += 1;
            }
        }
        for row in rows(&t, "signal") {
            for (i, s) in samples(row).into_iter().enumerate() {
                collect(&mut failures, || {
                    check_signal(&format!("{file} {} sample {i}", id(row)), id(row), s);
                });
                checked[3] += 1;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} sample(s) not decided by their row:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let [fingerprints, patterns, _formats, signals] = checked;
    assert!(fingerprints > 60, "{fingerprints} fingerprint samples");
    assert!(patterns > 100, "{patterns} log pattern samples");
    assert!(signals > 140, "{signals} signal samples");
}

/// Every signal row that can be read from text has a text sample or an
/// error sample; every fingerprint row a response sample.
#[test]
fn every_row_has_a_sample() {
    let mut missing = Vec::new();
    for (file, t) in data_files() {
        for kind in ["fingerprint", "signal"] {
            for row in rows(&t, kind) {
                let fallback = row
                    .get("when")
                    .and_then(Value::as_array)
                    .is_some_and(Vec::is_empty);
                if samples(row).is_empty() && !fallback {
                    missing.push(format!("{file} {kind} {}", id(row)));
                }
            }
        }
    }
    assert!(missing.is_empty(), "rows without a sample: {missing:#?}");
}
