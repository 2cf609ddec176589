//! Every paste under `tests/fixtures/pastes/<dir>/` (captured from real
//! programs by `scripts/capture-pastes/`, or written from a documented format
//! around a captured line) is fed to `explain::explain` and compared with the
//! expectation in `<dir>/expect.toml`, keyed by the file name without its last
//! extension:
//!
//! ```toml
//! [compose-v1]
//! kind = "log"                 # the headline's kind
//! layer = "nginx"              # the headline's layer
//! error_type = "connection_refused"   # or "none"
//! received_status = 0          # 0: nothing received
//! artefacts = 2                # how many are listed
//! headline = 0                 # which one is the headline
//! wrappers = ["compose"]       # the headline's envelopes, outermost first
//! not_failed = 1               # absent: 0
//! failed_phase = "connect"     # HAR entries only
//! error = "not_recognised"     # instead of all the above: explain must refuse
//! ```
//!
//! A paste without an expectation, an expectation without a paste, or a paste
//! without its `manifest.toml` row (its source) fails the test.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gatewise_core::explain::explain;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/pastes")
}

fn table(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn stem(p: &Path) -> String {
    let name = p.file_name().unwrap().to_str().unwrap();
    name.rsplit_once('.').map_or(name, |(s, _)| s).to_owned()
}

#[test]
fn every_paste_reads_as_expected() {
    let mut checked = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    for dir in dirs {
        let expect = table(&dir.join("expect.toml"));
        let manifest = table(&dir.join("manifest.toml"));
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x != "toml"))
            .collect();
        files.sort();
        let stems: BTreeSet<String> = files.iter().map(|p| stem(p)).collect();
        let keys: BTreeSet<String> = expect.keys().cloned().collect();
        assert_eq!(
            stems,
            keys,
            "{}: pastes and expect.toml differ",
            dir.display()
        );
        let sourced: BTreeSet<String> = manifest.keys().cloned().collect();
        assert_eq!(
            stems,
            sourced,
            "{}: pastes and manifest.toml differ",
            dir.display()
        );
        for file in &files {
            let name = format!(
                "{}/{}",
                dir.file_name().unwrap().to_str().unwrap(),
                stem(file)
            );
            let src = manifest[&stem(file)].as_table().unwrap();
            assert!(
                src.get("source")
                    .and_then(|s| s.as_str())
                    .is_some_and(|s| !s.is_empty()),
                "{name}: no source in manifest.toml"
            );
            let want = expect[&stem(file)].as_table().unwrap();
            let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
            checked += 1;
            let got = match explain(&text) {
                Err(e) => {
                    let code = e.code();
                    if want.get("error").and_then(|v| v.as_str()) != Some(code) {
                        failures.push(format!("{name}: refused ({code}), expected {want:?}"));
                    }
                    continue;
                }
                Ok(e) => e,
            };
            let head = got.headline().unwrap();
            let d = &got.diagnosis;
            let mut have = toml::Table::new();
            have.insert("kind".into(), got.kind.name().into());
            have.insert("layer".into(), d.layer.name().into());
            have.insert(
                "error_type".into(),
                d.error_type.map_or("none", |t| t.name()).into(),
            );
            have.insert(
                "received_status".into(),
                i64::from(d.received_status.unwrap_or(0)).into(),
            );
            have.insert("artefacts".into(), (got.artefacts.len() as i64).into());
            have.insert("headline".into(), (got.headline as i64).into());
            have.insert(
                "wrappers".into(),
                toml::Value::Array(head.wrappers.iter().map(|w| w.name().into()).collect()),
            );
            if got.not_failed > 0 {
                have.insert("not_failed".into(), (got.not_failed as i64).into());
            }
            if let Some(x) = &head.exchange {
                have.insert(
                    "failed_phase".into(),
                    x.failed_phase.map_or("none", |p| p.name()).into(),
                );
            }
            let mut want = want.clone();
            want.remove("note");
            if have != want {
                failures.push(format!("{name}:\n  expected {want}\n  got      {have}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 50, "only {checked} pastes");
}
