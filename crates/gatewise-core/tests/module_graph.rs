//! The core's modules form no cycle, and the leaf modules stay leaves: a
//! module's edges are the `crate::<module>` paths in its code (comments and
//! `#[cfg(test)] mod tests` left out), which is how the code reaches another
//! module (`use crate::…`, or a path inline).

#![allow(clippy::panic, clippy::unwrap_used, clippy::indexing_slicing)] // a test

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its code names.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("tests.rs") {
                continue;
            }
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let top = rel
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or_default();
            let targets = out.entry(top.clone()).or_default();
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for (at, _) in line.match_indices("crate::") {
                    let name: String = line[at + "crate::".len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != top {
                        targets.insert(name);
                    }
                }
            }
        }
    }
    out
}

/// A cycle through `start`, if any (depth-first search).
fn cycle_from(
    start: &str,
    at: &str,
    edges: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    for next in edges.get(at).into_iter().flatten() {
        if next == start {
            let mut c = path.clone();
            c.push(next.clone());
            return Some(c);
        }
        if seen.insert(next.clone()) {
            path.push(next.clone());
            if let Some(c) = cycle_from(start, next, edges, path, seen) {
                return Some(c);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn the_modules_form_no_cycle() {
    let edges = edges();
    assert!(edges.len() > 25, "{} modules", edges.len());
    for start in edges.keys() {
        let mut path = vec![start.clone()];
        let found = cycle_from(start, start, &edges, &mut path, &mut BTreeSet::new());
        assert_eq!(found, None, "module cycle");
    }
}

#[test]
fn leaf_modules_stay_leaves() {
    let edges = edges();
    for leaf in ["hop", "matcher", "escape", "secret"] {
        assert_eq!(
            edges.get(leaf).cloned().unwrap_or_default(),
            BTreeSet::new(),
            "{leaf} is a leaf"
        );
    }
    // The tables' vocabulary depends on the plain types only.
    let table: Vec<&str> = edges["table"].iter().map(String::as_str).collect();
    assert_eq!(table, ["diagnosis", "hop", "layer", "matcher", "taxonomy"]);
    assert_eq!(
        edges["taxonomy"]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["hop"]
    );
}
