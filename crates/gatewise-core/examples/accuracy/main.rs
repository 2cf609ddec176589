//! `npm run accuracy`: how well `explain` reads real error artefacts.
//!
//! Feeds every artefact of the corpus (`tests/corpus/`, `tests/fixtures/`) to
//! `gatewise_core::explain::explain` (through [`adapter::answer`], the one call), scores the
//! answers against the labels, and writes `accuracy.md` and `accuracy.json`.
//!
//! ```text
//! cargo run -q -p gatewise-core --example accuracy -- [--out DIR] [--commit SHA] [--check]
//!     [--answers-out FILE]
//! ```
//!
//! - `--out DIR`: where the report goes (default `bench/results`).
//! - `--check`: fail (exit 1) when the wild or captures accuracy is under `tests/corpus/floor.toml`.
//! - `--answers-out FILE`: also write every answer by id (how `accuracy-baseline.json` is made).
//! - `--commit SHA`: the commit named in the report.
//! - `--root DIR`: read the corpus and fixtures under DIR instead of this workspace (how an older
//!   core answers today's corpus for the baseline).

mod adapter;
mod corpus;
mod report;
mod score;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::{Deserialize, Serialize};

use adapter::Answer;
use corpus::Set;
use score::Tally;

/// The stored answers of one commit (`bench/results/accuracy-baseline.json`).
#[derive(Serialize, Deserialize)]
struct Answers {
    commit: String,
    answers: BTreeMap<String, Answer>,
}

/// `tests/corpus/floor.toml`: whole percents the gate enforces.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Floor {
    wild: FloorPair,
    captures: FloorPair,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FloorPair {
    generator: u32,
    cause: u32,
}

struct Args {
    root: PathBuf,
    out: PathBuf,
    commit: String,
    check: bool,
    answers_out: Option<PathBuf>,
}

fn parse_args(root: &Path) -> Result<Args, String> {
    let mut args = Args {
        root: root.to_path_buf(),
        out: root.join("bench/results"),
        commit: "unknown".to_owned(),
        check: false,
        answers_out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => args.out = PathBuf::from(it.next().ok_or("--out needs a directory")?),
            "--commit" => args.commit = it.next().ok_or("--commit needs a value")?,
            "--root" => args.root = PathBuf::from(it.next().ok_or("--root needs a directory")?),
            "--check" => args.check = true,
            "--answers-out" => {
                args.answers_out = Some(PathBuf::from(
                    it.next().ok_or("--answers-out needs a file")?,
                ));
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(args)
}

fn read_baseline(root: &Path) -> Option<Answers> {
    let path = root.join("bench/results/accuracy-baseline.json");
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// Checks one set against its floor; returns the failures.
fn below_floor(name: &str, t: &Tally, floor: &FloorPair) -> Vec<String> {
    let mut failures = Vec::new();
    for (what, right, min) in [
        ("generator", t.generator_right, floor.generator),
        ("cause", t.cause_right, floor.cause),
    ] {
        // right / n >= min / 100, in integers.
        if u64::from(right) * 100 < u64::from(min) * u64::from(t.n) {
            failures.push(format!(
                "{name}: {what} right {right}/{} ({}%) is below the floor of {min}%",
                t.n,
                score::percent(right, t.n).unwrap_or(0)
            ));
        }
    }
    failures
}

fn check(root: &Path, rows: &[report::Row<'_>]) -> Result<(), String> {
    let path = root.join("tests/corpus/floor.toml");
    let floor: Floor = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|s| toml::from_str(&s).map_err(|e| e.to_string()))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut wild = Tally::default();
    let mut captures = Tally::default();
    for r in rows {
        if r.artefact.set == Set::Captures {
            captures.add(r.outcome);
        } else {
            wild.add(r.outcome);
        }
    }
    let mut failures = below_floor("wild (dev + holdout)", &wild, &floor.wild);
    failures.extend(below_floor("captures", &captures, &floor.captures));
    for (name, t, f) in [
        ("wild", &wild, &floor.wild),
        ("captures", &captures, &floor.captures),
    ] {
        println!(
            "accuracy: {name}: generator {}% (floor {}%), cause {}% (floor {}%)",
            score::percent(t.generator_right, t.n).unwrap_or(0),
            f.generator,
            score::percent(t.cause_right, t.n).unwrap_or(0),
            f.cause
        );
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn run() -> Result<bool, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    let args = parse_args(&root)?;
    let root = args.root.clone();
    let corpus = corpus::load(&root);
    if !corpus.errors.is_empty() {
        return Err(format!(
            "the corpus has errors:\n{}",
            corpus.errors.join("\n")
        ));
    }
    let answers: Vec<Answer> = corpus
        .artefacts
        .iter()
        .map(|a| adapter::answer(&a.text))
        .collect();
    if let Some(path) = &args.answers_out {
        let stored = Answers {
            commit: args.commit.clone(),
            answers: corpus
                .artefacts
                .iter()
                .zip(&answers)
                .map(|(a, ans)| (a.id.clone(), ans.clone()))
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&stored).map_err(|e| e.to_string())?;
        text.push('\n');
        write(path, &text)?;
    }
    let baseline = read_baseline(&root);
    let empty = BTreeMap::new();
    let rows = report::rows(
        &corpus.artefacts,
        answers,
        baseline.as_ref().map_or(&empty, |b| &b.answers),
    );
    let summary = report::summarise(&rows);
    let info = report::RunInfo {
        commit: &args.commit,
        baseline_commit: baseline.as_ref().map(|b| b.commit.as_str()),
        unlabelled: &corpus.unlabelled,
    };
    write(
        &args.out.join("accuracy.md"),
        &report::markdown(&rows, &summary, &info),
    )?;
    write(
        &args.out.join("accuracy.json"),
        &report::json(&rows, &summary, &info),
    )?;
    for l in &summary.sets {
        println!(
            "accuracy: {:<26} n={:<4} generator {:>4} cause {:>4} cannot explain {:>4}",
            l.name,
            l.now.n,
            score::percent(l.now.generator_right, l.now.n)
                .map_or("–".into(), |p| format!("{p}%")),
            score::percent(l.now.cause_right, l.now.n).map_or("–".into(), |p| format!("{p}%")),
            score::percent(l.now.cannot_explain, l.now.n).map_or("–".into(), |p| format!("{p}%")),
        );
    }
    println!(
        "accuracy: report in {}",
        args.out.join("accuracy.md").display()
    );
    if !corpus.unlabelled.is_empty() {
        println!(
            "accuracy: {} fixtures have no label in tests/corpus/captures.toml (not scored)",
            corpus.unlabelled.len()
        );
    }
    if args.check {
        if let Err(e) = check(&root, &rows) {
            eprintln!("accuracy: FAILED\n{e}");
            return Ok(false);
        }
    }
    Ok(true)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("accuracy: {e}");
            ExitCode::from(2)
        }
    }
}
