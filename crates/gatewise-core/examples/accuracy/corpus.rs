//! The corpus: the wild artefacts (`tests/corpus/wild/<id>.toml`, one file each) and the
//! captures (every fixture under `tests/fixtures/{responses,logs}`, labelled in
//! `tests/corpus/captures.toml`). See `tests/corpus/README.md` for the format and the labels.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gatewise_core::ErrorType;
use serde::Deserialize;

/// Longest wild artefact text, in bytes.
pub const MAX_TEXT: usize = 16 * 1024;
/// Longest artefact id.
const MAX_ID: usize = 80;

/// The kinds of artefact (what was pasted).
pub const KINDS: &[&str] = &[
    "response",
    "page-html",
    "page-text",
    "log",
    "client-error",
    "header-dump",
    "har",
    "mixed",
];
/// Where a wild artefact comes from (`capture` is the captures set's own).
pub const SOURCE_TYPES: &[&str] = &["public-issue", "forum", "vendor-doc", "blog", "capture"];

/// The label of the layer that wrote the error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Generator {
    /// A layer id: one of the core's (`Layer::name()`) or a new lowercase id.
    Layer(String),
    /// The artefact does not say who wrote it.
    CannotTell,
}

/// The label of the failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// An RFC 9209 error type.
    Type(ErrorType),
    /// No gateway failed: the error is the application's own, passed through.
    NoFailure,
    /// The artefact does not say what failed.
    CannotTell,
}

/// Which set an artefact belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Set {
    /// Collected from public sources, tuned on.
    WildDev,
    /// Collected from public sources, never tuned on (a third, by a hash of the id).
    WildHoldout,
    /// The project's own fixtures.
    Captures,
}

/// One labelled artefact.
#[derive(Debug, Clone)]
pub struct Artefact {
    /// The file stem (wild) or `responses/<dir>/<stem>`, `logs/<dir>/<stem>` (captures).
    pub id: String,
    pub set: Set,
    pub source: String,
    pub source_type: String,
    pub kind: String,
    pub generator: Generator,
    pub cause: Cause,
    pub also_ok: Vec<ErrorType>,
    pub why: String,
    pub text: String,
}

impl Artefact {
    /// Every type a right answer may name (the label and its `also_ok`).
    pub fn accepted(&self) -> Vec<ErrorType> {
        let mut v = self.also_ok.clone();
        if let Cause::Type(t) = self.cause {
            v.insert(0, t);
        }
        v
    }
}

/// A wild artefact file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WildFile {
    source: String,
    source_type: String,
    kind: String,
    generator: String,
    cause: String,
    #[serde(default)]
    also_ok: Vec<String>,
    why: String,
    #[serde(default)]
    note: Option<String>,
    text: String,
}

/// One row of `captures.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaptureLabel {
    generator: String,
    cause: String,
    #[serde(default)]
    also_ok: Vec<String>,
    why: String,
}

/// The corpus and what could not be read.
#[derive(Debug, Default)]
pub struct Corpus {
    pub artefacts: Vec<Artefact>,
    /// Fixtures without a row in `captures.toml` (reported, not scored).
    pub unlabelled: Vec<String>,
    /// Problems: a file that does not parse, a bad label, a row without its fixture.
    pub errors: Vec<String>,
}

/// FNV-1a (64 bit) of the id: an artefact is in the holdout when this is a multiple of 3.
pub fn in_holdout(id: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % 3 == 0
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id.len() <= MAX_ID
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A layer id: lowercase letters, digits and `_`, starting with a letter.
fn valid_layer_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && id.len() <= 40
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn parse_generator(s: &str) -> Result<Generator, String> {
    match s {
        "cannot_tell" => Ok(Generator::CannotTell),
        id if valid_layer_id(id) => Ok(Generator::Layer(id.to_owned())),
        other => Err(format!(
            "generator {other:?} is neither cannot_tell nor a layer id"
        )),
    }
}

fn parse_cause(s: &str) -> Result<Cause, String> {
    match s {
        "cannot_tell" => Ok(Cause::CannotTell),
        "none" => Ok(Cause::NoFailure),
        name => ErrorType::from_name(name)
            .map(Cause::Type)
            .ok_or_else(|| format!("cause {name:?} is not cannot_tell, none or an RFC 9209 type")),
    }
}

fn parse_also_ok(cause: &Cause, names: &[String]) -> Result<Vec<ErrorType>, String> {
    if !names.is_empty() && !matches!(cause, Cause::Type(_)) {
        return Err("also_ok needs a cause that is a type".to_owned());
    }
    let mut out = Vec::new();
    for n in names {
        let t = ErrorType::from_name(n)
            .ok_or_else(|| format!("also_ok {n:?} is not an RFC 9209 type"))?;
        if Cause::Type(t) == *cause || out.contains(&t) {
            return Err(format!("also_ok {n:?} repeats a type"));
        }
        out.push(t);
    }
    Ok(out)
}

fn sorted_dir(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    v.sort();
    Ok(v)
}

fn wild_artefact(path: &Path) -> Result<Artefact, String> {
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    if !valid_id(&id) {
        return Err(format!(
            "id {id:?}: lowercase letters, digits and '-', at most {MAX_ID}"
        ));
    }
    let raw = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let f: WildFile = toml::from_str(&raw).map_err(|e| e.to_string())?;
    let _ = f.note;
    if !(f.source.starts_with("https://") || f.source.starts_with("http://")) {
        return Err(format!("source {:?} is not a URL", f.source));
    }
    if !SOURCE_TYPES.contains(&f.source_type.as_str()) || f.source_type == "capture" {
        return Err(format!(
            "source_type {:?} unknown (or capture)",
            f.source_type
        ));
    }
    if !KINDS.contains(&f.kind.as_str()) {
        return Err(format!("kind {:?} unknown (one of {KINDS:?})", f.kind));
    }
    if f.text.trim().is_empty() || f.text.len() > MAX_TEXT {
        return Err(format!("text is empty or over {MAX_TEXT} bytes"));
    }
    if f.why.trim().is_empty() {
        return Err("why is empty".to_owned());
    }
    let cause = parse_cause(&f.cause)?;
    let also_ok = parse_also_ok(&cause, &f.also_ok)?;
    Ok(Artefact {
        set: if in_holdout(&id) {
            Set::WildHoldout
        } else {
            Set::WildDev
        },
        id,
        source: f.source,
        source_type: f.source_type,
        kind: f.kind,
        generator: parse_generator(&f.generator)?,
        cause,
        also_ok,
        why: f.why,
        text: f.text,
    })
}

fn load_wild(root: &Path, corpus: &mut Corpus) {
    let dir = root.join("tests/corpus/wild");
    let files = match sorted_dir(&dir) {
        Ok(f) => f,
        Err(e) => return corpus.errors.push(e),
    };
    for path in files {
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            corpus
                .errors
                .push(format!("{}: not a .toml file", path.display()));
            continue;
        }
        match wild_artefact(&path) {
            Ok(a) => corpus.artefacts.push(a),
            Err(e) => corpus.errors.push(format!("{}: {e}", path.display())),
        }
    }
}

fn capture_label(id: &str, l: &CaptureLabel) -> Result<(Generator, Cause, Vec<ErrorType>), String> {
    if l.why.trim().is_empty() {
        return Err(format!("{id}: why is empty"));
    }
    let cause = parse_cause(&l.cause).map_err(|e| format!("{id}: {e}"))?;
    let also_ok = parse_also_ok(&cause, &l.also_ok).map_err(|e| format!("{id}: {e}"))?;
    let generator = parse_generator(&l.generator).map_err(|e| format!("{id}: {e}"))?;
    Ok((generator, cause, also_ok))
}

fn load_captures(root: &Path, corpus: &mut Corpus) {
    let labels_path = root.join("tests/corpus/captures.toml");
    let mut labels: BTreeMap<String, CaptureLabel> = match std::fs::read_to_string(&labels_path)
        .map_err(|e| e.to_string())
        .and_then(|s| toml::from_str(&s).map_err(|e| e.to_string()))
    {
        Ok(l) => l,
        Err(e) => {
            return corpus
                .errors
                .push(format!("{}: {e}", labels_path.display()))
        }
    };
    for (folder, ext, kind) in [("responses", "http", "response"), ("logs", "log", "log")] {
        let dirs = match sorted_dir(&root.join("tests/fixtures").join(folder)) {
            Ok(d) => d,
            Err(e) => return corpus.errors.push(e),
        };
        for dir in dirs.iter().filter(|d| d.is_dir()) {
            let manifest = std::fs::read_to_string(dir.join("manifest.toml"))
                .ok()
                .and_then(|s| s.parse::<toml::Table>().ok())
                .unwrap_or_default();
            let files = sorted_dir(dir).unwrap_or_default();
            for file in files
                .iter()
                .filter(|f| f.extension().and_then(|e| e.to_str()) == Some(ext))
            {
                let dir_name = dir.file_name().and_then(|s| s.to_str()).unwrap_or_default();
                let stem = file
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default();
                let id = format!("{folder}/{dir_name}/{stem}");
                let Some(label) = labels.remove(&id) else {
                    corpus.unlabelled.push(id);
                    continue;
                };
                let (generator, cause, also_ok) = match capture_label(&id, &label) {
                    Ok(l) => l,
                    Err(e) => {
                        corpus.errors.push(e);
                        continue;
                    }
                };
                let bytes = match std::fs::read(file) {
                    Ok(b) => b,
                    Err(e) => {
                        corpus.errors.push(format!("{}: {e}", file.display()));
                        continue;
                    }
                };
                let entry = manifest.get(stem).and_then(|v| v.as_table());
                let how = entry
                    .and_then(|t| t.get("source"))
                    .and_then(|v| v.as_str())
                    .unwrap_or("captured");
                let source = entry
                    .and_then(|t| t.get("url"))
                    .and_then(|v| v.as_str())
                    .map_or_else(
                        || format!("tests/fixtures/{folder}/{dir_name}/{stem}.{ext} ({how})"),
                        |u| format!("{u} ({how})"),
                    );
                corpus.artefacts.push(Artefact {
                    id,
                    set: Set::Captures,
                    source,
                    source_type: "capture".to_owned(),
                    kind: kind.to_owned(),
                    generator,
                    cause,
                    also_ok,
                    why: label.why,
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                });
            }
        }
    }
    for id in labels.keys() {
        corpus
            .errors
            .push(format!("captures.toml: {id:?} names no fixture"));
    }
}

/// Reads the whole corpus under the workspace `root`.
pub fn load(root: &Path) -> Corpus {
    let mut corpus = Corpus::default();
    load_wild(root, &mut corpus);
    load_captures(root, &mut corpus);
    corpus
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// Every artefact file parses, has a source URL, a known kind and source type, and labels
    /// that are `cannot_tell`, `none`, an RFC 9209 type or a well-formed layer id; every row of
    /// captures.toml names a fixture.
    #[test]
    fn every_artefact_parses_and_is_labelled_well() {
        let c = load(&root());
        assert!(c.errors.is_empty(), "{}", c.errors.join("\n"));
        assert!(c.artefacts.iter().any(|a| a.set == Set::WildDev));
        assert!(c.artefacts.iter().any(|a| a.set == Set::Captures));
        for a in &c.artefacts {
            assert!(KINDS.contains(&a.kind.as_str()), "{}", a.id);
            assert!(SOURCE_TYPES.contains(&a.source_type.as_str()), "{}", a.id);
            if a.set != Set::Captures {
                assert!(a.source.starts_with("http"), "{}", a.id);
            }
        }
    }

    #[test]
    fn wild_ids_are_unique_and_the_split_is_fixed() {
        let c = load(&root());
        let mut ids: Vec<&str> = c.artefacts.iter().map(|a| a.id.as_str()).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n);
        // FNV-1a 64 of the id, known values: the split never moves.
        assert!(!in_holdout("a"));
        assert!(in_holdout("c"));
        assert!(in_holdout("envoy-istio-45910"));
    }

    #[test]
    fn labels_are_checked() {
        assert_eq!(parse_generator("cannot_tell"), Ok(Generator::CannotTell));
        assert_eq!(
            parse_generator("lighttpd"),
            Ok(Generator::Layer("lighttpd".into()))
        );
        assert!(parse_generator("Light HTTPd").is_err());
        assert_eq!(parse_cause("none"), Ok(Cause::NoFailure));
        assert_eq!(
            parse_cause("dns_error"),
            Ok(Cause::Type(ErrorType::DnsError))
        );
        assert!(parse_cause("dns_failure").is_err());
        assert!(parse_also_ok(&Cause::CannotTell, &["dns_error".into()]).is_err());
        assert!(parse_also_ok(&Cause::Type(ErrorType::DnsError), &["dns_error".into()]).is_err());
        assert!(valid_id("nginx-502-so-1234"));
        assert!(!valid_id("Nginx_502"));
    }
}
