//! The report: `accuracy.md` (for people) and `accuracy.json` (for tools), both deterministic
//! so that a rerun on the same code changes nothing in git.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::adapter::Answer;
use crate::corpus::{Artefact, Cause, Generator, Set};
use crate::score::{percent, score, CauseOutcome, GenOutcome, Outcome, Tally};

/// One artefact with its answer, its outcome and the baseline's.
pub struct Row<'a> {
    pub artefact: &'a Artefact,
    pub answer: Answer,
    pub outcome: Outcome,
    pub baseline: Option<Outcome>,
}

/// A row of a summary table: the figures now and, over the artefacts the baseline answered, then.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    pub name: String,
    pub now: Tally,
    /// The baseline's tally over the artefacts of this line it has answers for.
    pub baseline: Tally,
}

fn line<'a>(name: &str, rows: impl Iterator<Item = &'a Row<'a>>) -> Line {
    let mut l = Line {
        name: name.to_owned(),
        now: Tally::default(),
        baseline: Tally::default(),
    };
    for r in rows {
        l.now.add(r.outcome);
        if let Some(b) = r.baseline {
            l.baseline.add(b);
        }
    }
    l
}

fn is_wild(r: &Row<'_>) -> bool {
    r.artefact.set != Set::Captures
}

/// The summary lines: the sets, then the wild corpus by kind and by generator, the captures by
/// generator.
pub struct Summary {
    pub sets: Vec<Line>,
    pub kinds: Vec<Line>,
    pub wild_generators: Vec<Line>,
    pub capture_generators: Vec<Line>,
}

fn grouped<'a>(
    rows: &'a [Row<'a>],
    keep: impl Fn(&Row<'_>) -> bool,
    key: impl Fn(&Row<'_>) -> String,
) -> Vec<Line> {
    let mut keys: Vec<String> = rows.iter().filter(|r| keep(r)).map(&key).collect();
    keys.sort();
    keys.dedup();
    keys.iter()
        .map(|k| line(k, rows.iter().filter(|r| keep(r) && key(r) == *k)))
        .collect()
}

fn generator_name(g: &Generator) -> String {
    match g {
        Generator::Layer(id) => id.clone(),
        Generator::CannotTell => "cannot_tell".to_owned(),
    }
}

pub fn cause_name(c: &Cause) -> String {
    match c {
        Cause::Type(t) => t.name().to_owned(),
        Cause::NoFailure => "none".to_owned(),
        Cause::CannotTell => "cannot_tell".to_owned(),
    }
}

pub fn summarise<'a>(rows: &'a [Row<'a>]) -> Summary {
    let sets = vec![
        line("wild (dev + holdout)", rows.iter().filter(|r| is_wild(r))),
        line(
            "wild-dev",
            rows.iter().filter(|r| r.artefact.set == Set::WildDev),
        ),
        line(
            "wild-holdout",
            rows.iter().filter(|r| r.artefact.set == Set::WildHoldout),
        ),
        line(
            "vendor-doc (part of wild)",
            rows.iter()
                .filter(|r| is_wild(r) && r.artefact.source_type == "vendor-doc"),
        ),
        line(
            "captures",
            rows.iter().filter(|r| r.artefact.set == Set::Captures),
        ),
    ];
    Summary {
        sets,
        kinds: grouped(rows, is_wild, |r| r.artefact.kind.clone()),
        wild_generators: grouped(rows, is_wild, |r| generator_name(&r.artefact.generator)),
        capture_generators: grouped(
            rows,
            |r| !is_wild(r),
            |r| generator_name(&r.artefact.generator),
        ),
    }
}

fn answered_cause(a: &Answer) -> String {
    match &a.read {
        None => "(cannot explain)".to_owned(),
        Some(r) => r
            .error_type
            .clone()
            .unwrap_or_else(|| "(no type)".to_owned()),
    }
}

fn answered(a: &Answer) -> String {
    match &a.read {
        None => "cannot explain".to_owned(),
        Some(r) => format!(
            "{} · {} ({})",
            r.layer,
            r.error_type.as_deref().unwrap_or("no type"),
            r.confidence
        ),
    }
}

fn expected(a: &Artefact) -> String {
    let mut c = cause_name(&a.cause);
    for t in &a.also_ok {
        let _ = write!(c, "|{}", t.name());
    }
    format!("{} · {c}", generator_name(&a.generator))
}

/// Per labelled cause: how many, how many answered right, and the answered causes with counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ConfusionRow {
    pub n: u32,
    pub right: u32,
    pub answered: BTreeMap<String, u32>,
}

/// Labelled cause → its row.
pub fn confusion<'a>(rows: impl Iterator<Item = &'a Row<'a>>) -> BTreeMap<String, ConfusionRow> {
    let mut m: BTreeMap<String, ConfusionRow> = BTreeMap::new();
    for r in rows {
        let row = m.entry(cause_name(&r.artefact.cause)).or_default();
        row.n += 1;
        if r.outcome.cause == CauseOutcome::Right {
            row.right += 1;
        }
        *row.answered.entry(answered_cause(&r.answer)).or_default() += 1;
    }
    m
}

fn pct(part: u32, n: u32) -> String {
    percent(part, n).map_or_else(|| "–".to_owned(), |p| format!("{p}%"))
}

fn pct_of(part: u32, n: u32) -> String {
    percent(part, n).map_or_else(|| "–".to_owned(), |p| format!("{p}% ({part}/{n})"))
}

fn table(out: &mut String, title: &str, lines: &[Line]) {
    let _ = writeln!(out, "| {title} | n | generator right | before | cause right | before | wrongly named | no generator named | cannot explain |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for l in lines {
        let (n, b) = (&l.now, &l.baseline);
        let before_gen = if b.n == 0 {
            "–".to_owned()
        } else {
            pct(b.generator_right, b.n)
        };
        let before_cause = if b.n == 0 {
            "–".to_owned()
        } else {
            pct(b.cause_right, b.n)
        };
        let partial = if b.n > 0 && b.n < n.n {
            format!(" ({} of {})", b.n, n.n)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {before_gen}{partial} | {} | {before_cause} | {} | {} | {} |",
            l.name,
            n.n,
            pct_of(n.generator_right, n.n),
            pct_of(n.cause_right, n.n),
            n.wrongly_named,
            n.none_named,
            pct_of(n.cannot_explain, n.n),
        );
    }
    out.push('\n');
}

fn confusion_table(out: &mut String, m: &BTreeMap<String, ConfusionRow>) {
    let _ = writeln!(out, "| labelled cause | n | right | answered (count) |");
    let _ = writeln!(out, "|---|---:|---:|---|");
    for (label, row) in m {
        let mut cells: Vec<(&String, &u32)> = row.answered.iter().collect();
        cells.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let cells: Vec<String> = cells.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} |",
            row.n,
            row.right,
            cells.join(", ")
        );
    }
    out.push('\n');
}

fn misses(out: &mut String, rows: &[&Row<'_>]) {
    let _ = writeln!(
        out,
        "| id | kind | expected (generator · cause) | got | wrong on |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|");
    for r in rows {
        let mut on = Vec::new();
        if r.outcome.generator != GenOutcome::Right {
            on.push("generator");
        }
        if r.outcome.cause != CauseOutcome::Right {
            on.push("cause");
        }
        if on.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            r.artefact.id,
            r.artefact.kind,
            expected(r.artefact),
            answered(&r.answer).replace('|', "\\|"),
            on.join(", ")
        );
    }
    out.push('\n');
}

/// What the header of the report says about the run.
pub struct RunInfo<'a> {
    pub commit: &'a str,
    pub baseline_commit: Option<&'a str>,
    pub unlabelled: &'a [String],
}

pub fn markdown(rows: &[Row<'_>], s: &Summary, info: &RunInfo<'_>) -> String {
    let mut out = String::new();
    let wild = rows.iter().filter(|r| is_wild(r)).count();
    let captures = rows.len() - wild;
    let _ = writeln!(out, "# Accuracy of `explain` on real artefacts\n");
    let _ = writeln!(
        out,
        "Written by `npm run accuracy` (`scripts/accuracy.sh`) at commit `{}`: {wild} wild artefacts \
         from public issues, forums and vendor docs (`tests/corpus/wild/`) and {captures} captures \
         (`tests/fixtures/`, labelled in `tests/corpus/captures.toml`), each fed to \
         `gatewise_core::explain::explain` and compared with its label. How labels are written and \
         scored: `tests/corpus/README.md`. The `accuracy` gate of `npm test` fails below \
         `tests/corpus/floor.toml`.\n",
        info.commit
    );
    match info.baseline_commit {
        Some(c) => {
            let _ = writeln!(
                out,
                "\"before\" is the same corpus answered by the core at `{c}` (before the work of \
                 issue 13; `bench/results/accuracy-baseline.json`), scored with today's labels.\n"
            );
        }
        None => {
            let _ = writeln!(
                out,
                "No baseline answers were found: \"before\" is empty.\n"
            );
        }
    }
    let _ = writeln!(out, "## By set\n");
    table(&mut out, "set", &s.sets);
    let _ = writeln!(
        out,
        "Holdout: a third of the wild artefacts, chosen by a hash of the id (FNV-1a 64 of the id, \
         a multiple of 3). Nothing is tuned on them; their misses are not listed.\n"
    );
    let _ = writeln!(out, "## Wild corpus by kind\n");
    table(&mut out, "kind", &s.kinds);
    let _ = writeln!(out, "## Wild corpus by labelled generator\n");
    table(&mut out, "generator", &s.wild_generators);
    let _ = writeln!(out, "## Captures by labelled generator\n");
    table(&mut out, "generator", &s.capture_generators);
    let _ = writeln!(out, "## Labelled cause vs answered cause, wild corpus\n");
    confusion_table(&mut out, &confusion(rows.iter().filter(|r| is_wild(r))));
    let _ = writeln!(out, "## Labelled cause vs answered cause, captures\n");
    confusion_table(&mut out, &confusion(rows.iter().filter(|r| !is_wild(r))));
    let _ = writeln!(out, "## Misses, wild-dev\n");
    let dev: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| r.artefact.set == Set::WildDev)
        .collect();
    misses(&mut out, &dev);
    let _ = writeln!(out, "## Misses, captures\n");
    let cap: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| r.artefact.set == Set::Captures)
        .collect();
    misses(&mut out, &cap);
    if !info.unlabelled.is_empty() {
        let _ = writeln!(
            out,
            "## Fixtures without a label (not scored)\n\nAdd them to `tests/corpus/captures.toml`: {}\n",
            info.unlabelled
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonRow<'a> {
    id: &'a str,
    set: &'static str,
    kind: &'a str,
    source: &'a str,
    expected_generator: String,
    expected_cause: String,
    also_ok: Vec<&'static str>,
    why: &'a str,
    answer: &'a Answer,
    outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<Outcome>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonReport<'a> {
    commit: &'a str,
    baseline_commit: Option<&'a str>,
    sets: &'a [Line],
    kinds: &'a [Line],
    wild_generators: &'a [Line],
    capture_generators: &'a [Line],
    confusion_wild: BTreeMap<String, ConfusionRow>,
    confusion_captures: BTreeMap<String, ConfusionRow>,
    unlabelled: &'a [String],
    /// Every artefact but the holdout's (their answers stay out of sight).
    artefacts: Vec<JsonRow<'a>>,
}

pub fn set_name(s: Set) -> &'static str {
    match s {
        Set::WildDev => "wild-dev",
        Set::WildHoldout => "wild-holdout",
        Set::Captures => "captures",
    }
}

pub fn json(rows: &[Row<'_>], s: &Summary, info: &RunInfo<'_>) -> String {
    let report = JsonReport {
        commit: info.commit,
        baseline_commit: info.baseline_commit,
        sets: &s.sets,
        kinds: &s.kinds,
        wild_generators: &s.wild_generators,
        capture_generators: &s.capture_generators,
        confusion_wild: confusion(rows.iter().filter(|r| is_wild(r))),
        confusion_captures: confusion(rows.iter().filter(|r| !is_wild(r))),
        unlabelled: info.unlabelled,
        artefacts: rows
            .iter()
            .filter(|r| r.artefact.set != Set::WildHoldout)
            .map(|r| JsonRow {
                id: &r.artefact.id,
                set: set_name(r.artefact.set),
                kind: &r.artefact.kind,
                source: &r.artefact.source,
                expected_generator: generator_name(&r.artefact.generator),
                expected_cause: cause_name(&r.artefact.cause),
                also_ok: r.artefact.also_ok.iter().map(|t| t.name()).collect(),
                why: &r.artefact.why,
                answer: &r.answer,
                outcome: r.outcome,
                baseline: r.baseline,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
}

/// Scores every artefact (`baseline`: the stored answers of the baseline commit, by id).
pub fn rows<'a>(
    artefacts: &'a [Artefact],
    answers: Vec<Answer>,
    baseline: &BTreeMap<String, Answer>,
) -> Vec<Row<'a>> {
    artefacts
        .iter()
        .zip(answers)
        .map(|(a, answer)| Row {
            artefact: a,
            outcome: score(a, &answer),
            baseline: baseline.get(&a.id).map(|b| score(a, b)),
            answer,
        })
        .collect()
}
