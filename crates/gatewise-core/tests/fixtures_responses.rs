//! Every response fixture under `tests/fixtures/responses/<dir>/*.http`
//! (captured from real servers, or transcribed from vendor documentation)
//! is parsed as a raw HTTP/1.x response, classified, and compared with the
//! expectation in `<dir>/expect.toml`:
//!
//! ```toml
//! [refused]
//! layer = "nginx"
//! error_type = "connection_refused"   # absent: no failure type
//! status = 502                        # the status to send
//! confidence = "low"
//! alternatives = ["dns_error", ...]   # absent: none (compared as a set)
//! vendor_code = "ERR_CONNECT_FAIL"    # absent: none
//! sub_status = 3                      # absent: none
//! note = "free text"                  # ignored
//! ```
//!
//! A fixture without an expectation, an expectation without a fixture, or
//! a fixture without a `manifest.toml` row fails the test.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gatewise_core::classify::{response, ResponseView};
use gatewise_core::{Diagnosis, ErrorType, Layer};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/responses")
}

/// A raw response split into status, headers and (de-chunked) body.
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes a chunked body; a truncated one yields what arrived.
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = find(data, b"\r\n") {
        let size_line = String::from_utf8_lossy(&data[..eol]);
        let size_hex = size_line.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_hex, 16) else {
            break;
        };
        data = &data[eol + 2..];
        if size == 0 {
            break;
        }
        let take = size.min(data.len());
        out.extend_from_slice(&data[..take]);
        data = &data[take..];
        if data.starts_with(b"\r\n") {
            data = &data[2..];
        }
    }
    out
}

/// Parses a raw response. Bytes that do not start with `HTTP/` are an
/// HTTP/0.9-style answer (what a client sees when a proxy relays a
/// non-HTTP upstream): status 200, no headers, all bytes as body.
fn parse_http(bytes: &[u8]) -> Raw {
    if !bytes.starts_with(b"HTTP/") {
        return Raw {
            status: 200,
            headers: Vec::new(),
            body: bytes.to_vec(),
        };
    }
    let (head_end, sep) = match (find(bytes, b"\r\n\r\n"), find(bytes, b"\n\n")) {
        (Some(a), Some(b)) if b < a => (b, 2),
        (Some(a), _) => (a, 4),
        (None, Some(b)) => (b, 2),
        (None, None) => (bytes.len(), 0),
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]);
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let rest = &bytes[(head_end + sep).min(bytes.len())..];
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked")
    });
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Raw {
        status,
        headers,
        body,
    }
}

fn classify_file(path: &Path) -> (Raw, Diagnosis) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let raw = parse_http(&bytes);
    let headers: Vec<(&str, &str)> = raw
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let d = response(&ResponseView {
        status: raw.status,
        headers: &headers,
        body: &raw.body,
    });
    (raw, d)
}

fn load_toml(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const KNOWN_KEYS: &[&str] = &[
    "layer",
    "error_type",
    "status",
    "confidence",
    "alternatives",
    "vendor_code",
    "sub_status",
    "note",
];

/// Compares one diagnosis with its expectation; returns the mismatches.
fn check(d: &Diagnosis, received: u16, want: &toml::Table) -> Vec<String> {
    let mut bad = Vec::new();
    for k in want.keys() {
        if !KNOWN_KEYS.contains(&k.as_str()) {
            bad.push(format!("unknown key {k}"));
        }
    }
    let s = |k: &str| want.get(k).and_then(|v| v.as_str());
    match s("layer").map(|l| (l, Layer::from_name(l))) {
        Some((_, Some(l))) if l == d.layer => {}
        Some((l, _)) => bad.push(format!("layer: want {l}, got {}", d.layer.name())),
        None => bad.push("no layer in expectation".to_owned()),
    }
    let got_type = d.error_type.map(ErrorType::name);
    if s("error_type") != got_type {
        bad.push(format!(
            "error_type: want {:?}, got {got_type:?}",
            s("error_type")
        ));
    }
    match want.get("status").and_then(|v| v.as_integer()) {
        Some(st) if i64::from(d.status) == st => {}
        other => bad.push(format!("status: want {other:?}, got {}", d.status)),
    }
    if d.received_status != Some(received) {
        bad.push(format!(
            "received_status: want {received}, got {:?}",
            d.received_status
        ));
    }
    if s("confidence") != Some(d.confidence.name()) {
        bad.push(format!(
            "confidence: want {:?}, got {}",
            s("confidence"),
            d.confidence.name()
        ));
    }
    let want_alts: BTreeSet<String> = want
        .get("alternatives")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let got_alts: BTreeSet<String> = d.alternatives.iter().map(|t| t.name().to_owned()).collect();
    if want_alts != got_alts {
        bad.push(format!(
            "alternatives: want {want_alts:?}, got {got_alts:?}"
        ));
    }
    if s("vendor_code") != d.vendor_code.as_deref() {
        bad.push(format!(
            "vendor_code: want {:?}, got {:?}",
            s("vendor_code"),
            d.vendor_code
        ));
    }
    let want_sub = want.get("sub_status").and_then(|v| v.as_integer());
    if want_sub != d.sub_status.map(i64::from) {
        bad.push(format!(
            "sub_status: want {want_sub:?}, got {:?}",
            d.sub_status
        ));
    }
    bad
}

fn dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .unwrap_or_else(|e| panic!("{}: {e}", root().display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn http_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "http"))
        .collect();
    files.sort();
    files
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_fixture_is_classified_as_expected() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut summary = String::new();
    for dir in dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let files = http_files(&dir);
        if files.is_empty() {
            continue;
        }
        let expect_path = dir.join("expect.toml");
        let expect = if expect_path.exists() {
            load_toml(&expect_path)
        } else {
            failures.push(format!("{name}: no expect.toml"));
            toml::Table::new()
        };
        for f in &files {
            let scenario = stem(f);
            let (raw, d) = classify_file(f);
            summary.push_str(&format!(
                "{name}/{scenario}: {} {} {:?} -> {} alts={:?} {} {:?}\n",
                raw.status,
                d.layer.name(),
                d.error_type.map(ErrorType::name),
                d.status,
                d.alternatives.iter().map(|t| t.name()).collect::<Vec<_>>(),
                d.confidence.name(),
                d.vendor_code
            ));
            let Some(want) = expect.get(&scenario).and_then(|v| v.as_table()) else {
                failures.push(format!("{name}/{scenario}: no expectation in expect.toml"));
                continue;
            };
            for problem in check(&d, raw.status, want) {
                failures.push(format!("{name}/{scenario}: {problem}"));
            }
            checked += 1;
        }
        for key in expect.keys() {
            if !files.iter().any(|f| stem(f) == *key) {
                failures.push(format!("{name}: expectation [{key}] has no {key}.http"));
            }
        }
    }
    eprintln!("{summary}");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 60, "only {checked} fixtures were checked");
}

#[test]
fn every_fixture_has_a_manifest_row_with_its_provenance() {
    let mut problems = Vec::new();
    let mut transcribed = 0;
    for dir in dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let files = http_files(&dir);
        if files.is_empty() {
            continue;
        }
        let manifest_path = dir.join("manifest.toml");
        if !manifest_path.exists() {
            problems.push(format!("{name}: no manifest.toml"));
            continue;
        }
        let manifest = load_toml(&manifest_path);
        for f in &files {
            let scenario = stem(f);
            let Some(row) = manifest.get(&scenario).and_then(|v| v.as_table()) else {
                problems.push(format!("{name}/{scenario}: no manifest row"));
                continue;
            };
            match row.get("source").and_then(|v| v.as_str()) {
                Some("captured") => {}
                Some("transcribed") => {
                    transcribed += 1;
                    for key in ["url", "note"] {
                        if row
                            .get(key)
                            .and_then(|v| v.as_str())
                            .is_none_or(str::is_empty)
                        {
                            problems.push(format!("{name}/{scenario}: transcribed without {key}"));
                        }
                    }
                }
                other => problems.push(format!("{name}/{scenario}: source {other:?}")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(transcribed >= 17, "only {transcribed} transcribed fixtures");
}

#[test]
fn raw_parser_handles_chunked_http09_and_truncated_bodies() {
    let r = parse_http(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n13\r\nSSH-2.0-OpenSSH_9.2\r\n0\r\n\r\n");
    assert_eq!(
        (r.status, r.body.as_slice()),
        (200, &b"SSH-2.0-OpenSSH_9.2"[..])
    );
    let r = parse_http(b"SSH-2.0-OpenSSH_9.2\r\n");
    assert_eq!((r.status, r.headers.len()), (200, 0));
    let r = parse_http(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n0123456789");
    assert_eq!(r.body, b"0123456789");
    let r = parse_http(b"HTTP/1.1 522 \r\nServer: cloudflare\r\n\r\n");
    assert_eq!((r.status, r.headers.len(), r.body.len()), (522, 1, 0));
}

/// Adding a fingerprint is one row plus one fixture: every generator row
/// must be the best match of at least one fixture (a response, or for the
/// rows of an error page's visible text, a paste of it in `pastes/page_text`).
#[test]
fn every_generator_row_is_the_best_match_of_a_fixture() {
    use gatewise_core::fingerprint::{matches, Observed, Role, FINGERPRINTS};
    let mut won = BTreeSet::new();
    for dir in dirs() {
        for f in http_files(&dir) {
            let raw = parse_http(&std::fs::read(&f).unwrap());
            let headers: Vec<(&str, &str)> = raw
                .headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let seen = Observed::new(raw.status, &headers, &raw.body);
            if let Some(best) = matches(&seen).first() {
                won.insert(best.fingerprint.id);
            }
        }
    }
    // The rows for an error page's visible text win on what people copy of it.
    let pages = root().join("../pastes/page_text");
    for f in std::fs::read_dir(&pages).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        if let Ok(e) = gatewise_core::explain::explain(&text) {
            won.extend(
                e.diagnosis
                    .evidence
                    .iter()
                    .filter_map(|ev| ev.rule.as_deref())
                    .filter_map(|r| FINGERPRINTS.iter().find(|f| f.id == r).map(|f| f.id)),
            );
        }
    }
    let missing: Vec<&str> = FINGERPRINTS
        .iter()
        .filter(|f| f.then.role == Role::Generator && !won.contains(f.id))
        .map(|f| f.id)
        .collect();
    assert!(
        missing.is_empty(),
        "generator rows without a fixture: {missing:?}"
    );
}
