//! Compiles the message catalogs (`catalogs/<lang>/*.toml`) into static
//! tables: one key list (English is the reference) and, per language, one
//! message per key (`None` where the language lacks it; a test fails then).
//! Only the languages the Cargo features ask for are compiled in: all of them
//! with `all-languages` (the default), else English and each `lang-<tag>`.
//!
//! A message that depends on a count is a table with a `plural` member naming
//! the placeholder that holds the count and one text per CLDR plural category:
//! `seconds = { plural = "seconds", one = "{seconds} second", other = "{seconds} seconds" }`.
//! The build fails unless each language gives exactly the categories CLDR has
//! for it (ICU4X's compiled data: Arabic six, Japanese and Chinese only
//! `other`) and plural messages are plural, on the same placeholder, in every
//! language.

#[path = "build/tables.rs"]
mod tables;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The CLDR plural categories, in the order of `icu_plurals::PluralCategory`'s discriminants.
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// A plural message: the placeholder holding the count and a text per category.
#[derive(Clone, Default)]
struct Plural {
    select: String,
    forms: BTreeMap<String, String>,
}

/// One language's catalog: plain messages (a plural message's `other` text
/// is here too) and plural messages.
#[derive(Clone, Default)]
struct Catalog {
    messages: BTreeMap<String, String>,
    plurals: BTreeMap<String, Plural>,
}

fn flatten(prefix: &str, value: &toml::Value, out: &mut Catalog, file: &Path) {
    match value {
        toml::Value::Table(t) if t.contains_key("plural") => {
            let plural = plural(prefix, t, file);
            let other = plural.forms.get("other").cloned().unwrap_or_default();
            if out.messages.insert(prefix.to_owned(), other).is_some() {
                fail(&format!("{}: key {prefix} defined twice", file.display()));
            }
            out.plurals.insert(prefix.to_owned(), plural);
        }
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out, file);
            }
        }
        toml::Value::String(s) => {
            if out.messages.insert(prefix.to_owned(), s.clone()).is_some() {
                fail(&format!("{}: key {prefix} defined twice", file.display()));
            }
        }
        other => fail(&format!(
            "{}: key {prefix} is not a string: {other:?}",
            file.display()
        )),
    }
}

/// Reads a plural message's table: `plural` and category names, strings only.
fn plural(key: &str, t: &toml::map::Map<String, toml::Value>, file: &Path) -> Plural {
    let mut p = Plural::default();
    for (k, v) in t {
        let Some(text) = v.as_str() else {
            fail(&format!("{}: {key}.{k} is not a string", file.display()));
        };
        if k == "plural" {
            p.select = text.to_owned();
        } else if CATEGORIES.contains(&k.as_str()) {
            p.forms.insert(k.clone(), text.to_owned());
        } else {
            fail(&format!(
                "{}: {key}.{k}: a plural message has `plural` and the CLDR categories {CATEGORIES:?} only",
                file.display()
            ));
        }
    }
    let placeholder = format!("{{{}}}", p.select);
    if !p
        .forms
        .get("other")
        .is_some_and(|o| o.contains(&placeholder))
    {
        fail(&format!(
            "{}: {key}: the `other` text must use the count's placeholder {placeholder}",
            file.display()
        ));
    }
    p
}

/// The plural categories CLDR gives the language `tag` (cardinal numbers).
fn cldr_categories(tag: &str) -> Vec<&'static str> {
    let id = icu_locale_core::LanguageIdentifier::try_from_str(tag)
        .unwrap_or_else(|e| fail(&format!("languages.toml: {tag} is not a BCP 47 tag: {e}")));
    let rules = icu_plurals::PluralRules::try_new_cardinal((&id).into())
        .unwrap_or_else(|e| fail(&format!("no CLDR plural rules for {tag}: {e}")));
    rules
        .categories()
        .filter_map(|c| CATEGORIES.get(c as usize).copied())
        .collect()
}

/// Fails unless `cat`'s plural messages have exactly CLDR's categories for
/// `tag` and are plural (on the same placeholder) exactly where English's are.
fn check_plurals(tag: &str, cat: &Catalog, reference: &Catalog) {
    let want = cldr_categories(tag);
    for (key, p) in &cat.plurals {
        let have: Vec<&str> = CATEGORIES
            .iter()
            .copied()
            .filter(|c| p.forms.contains_key(*c))
            .collect();
        if have != want {
            fail(&format!(
                "{tag}: {key}: the plural categories are {have:?}; CLDR gives {tag} {want:?}"
            ));
        }
        match reference.plurals.get(key) {
            Some(r) if r.select == p.select => {}
            Some(r) => fail(&format!(
                "{tag}: {key}: counts `{}` where English counts `{}`",
                p.select, r.select
            )),
            None => fail(&format!(
                "{tag}: {key} is a plural message but English's is not"
            )),
        }
    }
    for key in reference.plurals.keys() {
        if cat.messages.contains_key(key) && !cat.plurals.contains_key(key) {
            fail(&format!(
                "{tag}: {key} must be a plural message (English's is)"
            ));
        }
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("catalog error: {msg}");
    std::process::exit(1)
}

fn read_language(dir: &Path) -> Catalog {
    let mut out = Catalog::default();
    let mut files: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(_) => return out,
    };
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    for file in files {
        println!("cargo:rerun-if-changed={}", file.display());
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
        let value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
        flatten("", &value, &mut out, &file);
    }
    out
}

/// Whether the Cargo feature `lang-<tag>` (lowercase; `zh-Hans` → `lang-zh-hans`) or
/// `all-languages` is on.
fn language_enabled(tag: &str) -> bool {
    let feature = |name: &str| {
        let var = format!(
            "CARGO_FEATURE_{}",
            name.to_ascii_uppercase().replace('-', "_")
        );
        std::env::var_os(var).is_some()
    };
    feature("all-languages") || feature(&format!("lang-{tag}"))
}

/// The catalog areas that only a feature's code reads: `(feature, key prefix)`.
const FEATURE_AREAS: &[(&str, &str)] = &[
    ("explain", "log."),
    ("explain", "explain."),
    ("explain", "explainer."),
];

/// Whether the catalog key `key` is compiled in: every key, except those of an area whose
/// feature is off ([`FEATURE_AREAS`]).
fn key_enabled(key: &str) -> bool {
    FEATURE_AREAS.iter().all(|(feature, prefix)| {
        !key.starts_with(prefix)
            || std::env::var_os(format!("CARGO_FEATURE_{}", feature.to_ascii_uppercase())).is_some()
    })
}

include!("src/i18n/key_hash.rs");

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogs");
    println!("cargo:rerun-if-changed={}", root.display());
    let langs_file = root.join("languages.toml");
    println!("cargo:rerun-if-changed={}", langs_file.display());
    let langs_text = std::fs::read_to_string(&langs_file)
        .unwrap_or_else(|e| fail(&format!("languages.toml: {e}")));
    let langs: toml::Value =
        toml::from_str(&langs_text).unwrap_or_else(|e| fail(&format!("languages.toml: {e}")));
    let rows = langs
        .get("language")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default();
    if rows.is_empty() {
        fail("languages.toml lists no [[language]]");
    }

    let mut tags = Vec::new();
    let mut catalogs = Vec::new();
    let mut all_aliases: Vec<String> = Vec::new();
    let mut all_tags: Vec<String> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let field = |k: &str| {
            row.get(k)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .unwrap_or_else(|| fail(&format!("language row lacks {k}")))
        };
        let tag = field("tag");
        let aliases: Vec<String> = row
            .get("aliases")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        for alias in &aliases {
            let well_formed = !alias.is_empty()
                && alias.split('-').all(|p| {
                    (1..=8).contains(&p.len())
                        && p.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                });
            if !well_formed || all_aliases.contains(alias) {
                fail(&format!(
                    "languages.toml: alias {alias:?} of {tag} is not a lowercase tag, or is listed twice"
                ));
            }
            all_aliases.push(alias.clone());
        }
        if !aliases.is_empty() && row.get("why").and_then(|v| v.as_str()).is_none() {
            fail(&format!("languages.toml: {tag} has aliases but no `why`"));
        }
        all_tags.push(tag.to_ascii_lowercase());
        // The reference catalog always; the others with `all-languages` or their `lang-<tag>`.
        if i > 0 && !language_enabled(&tag) {
            continue;
        }
        println!("cargo:rerun-if-changed={}", root.join(&tag).display());
        catalogs.push(read_language(&root.join(&tag)));
        tags.push((tag, field("name"), field("dir") == "rtl", aliases));
    }
    if let Some(clash) = all_aliases.iter().find(|a| all_tags.contains(a)) {
        fail(&format!(
            "languages.toml: {clash} is a catalog's tag and an alias"
        ));
    }
    let reference = catalogs.first().cloned().unwrap_or_default();
    for ((tag, _, _, _), cat) in tags.iter().zip(&catalogs) {
        check_plurals(tag, cat, &reference);
    }
    // The texts of a feature that is off are left out (data/ is still checked against them all).
    let keys: Vec<&String> = reference
        .messages
        .keys()
        .filter(|k| key_enabled(k))
        .collect();

    let mut out = String::new();
    out.push_str("// Generated by build.rs from catalogs/. Do not edit.\n");
    let _ = writeln!(out, "pub(crate) const KEYS: &[&str] = &{keys:?};");
    // An open-addressing table (linear probing, at most half full) from a key's hash to
    // its index in KEYS: a lookup is one hash and, mostly, one string comparison.
    let size = keys.len().saturating_mul(2).next_power_of_two().max(2);
    let mask = size - 1;
    let mut slots = vec![u16::MAX; size];
    for (i, k) in keys.iter().enumerate() {
        // u16::MAX marks an empty slot.
        let index = u16::try_from(i)
            .ok()
            .filter(|i| *i != u16::MAX)
            .unwrap_or_else(|| fail("more than 65,534 catalog keys"));
        let mut slot = (key_hash(k) as usize) & mask;
        while slots.get(slot).is_some_and(|s| *s != u16::MAX) {
            slot = (slot + 1) & mask;
        }
        if let Some(s) = slots.get_mut(slot) {
            *s = index;
        }
    }
    let _ = writeln!(out, "pub(crate) const KEY_SLOTS: &[u16] = &{slots:?};");
    out.push_str("pub(crate) const LANGUAGES: &[LanguageRow] = &[\n");
    for (tag, name, rtl, aliases) in &tags {
        let _ = writeln!(
            out,
            "    LanguageRow {{ tag: {tag:?}, name: {name:?}, rtl: {rtl}, aliases: &{aliases:?} }},"
        );
    }
    out.push_str("];\n");
    // Each language's identifier for the plural rules, built at compile time (parsing tags
    // at run time would put ICU4X's tag parser into the wasm builds).
    out.push_str("pub(crate) const PLURAL_LOCALES: &[icu_locale_core::LanguageIdentifier] = &[\n");
    for (tag, _, _, _) in &tags {
        let _ = writeln!(out, "    icu_locale_core::langid!({tag:?}),");
    }
    out.push_str("];\n");
    out.push_str("pub(crate) const MESSAGES: &[&[Option<&str>]] = &[\n");
    for cat in &catalogs {
        out.push_str("    &[");
        for k in &keys {
            match cat.messages.get(*k) {
                Some(v) => {
                    let _ = write!(out, "Some({v:?}),");
                }
                None => out.push_str("None,"),
            }
        }
        out.push_str("],\n");
    }
    out.push_str("];\n");
    out.push_str("pub(crate) const EXTRA_KEYS: &[&[&str]] = &[\n");
    for cat in &catalogs {
        let extra: Vec<&String> = cat
            .messages
            .keys()
            .filter(|k| !reference.messages.contains_key(*k) && key_enabled(k))
            .collect();
        let _ = writeln!(out, "    &{extra:?},");
    }
    out.push_str("];\n");
    // The plural messages, by key index: the count's placeholder and, per
    // language, the text of each category (`None`: the language lacks it).
    out.push_str("pub(crate) const PLURALS: &[PluralRow] = &[\n");
    for (index, key) in keys.iter().enumerate() {
        let Some(p) = reference.plurals.get(*key) else {
            continue;
        };
        let _ = write!(
            out,
            "    PluralRow {{ key: {index}, select: {:?}, forms: &[",
            p.select
        );
        for cat in &catalogs {
            let forms: Vec<Option<&String>> = CATEGORIES
                .iter()
                .map(|c| cat.plurals.get(*key).and_then(|p| p.forms.get(*c)))
                .collect();
            let _ = write!(out, "{forms:?},");
        }
        out.push_str("] },\n");
    }
    out.push_str("];\n");

    let out_dir = std::path::PathBuf::from(
        std::env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR unset")),
    );
    let dest = out_dir.join("catalogs.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| fail(&format!("{}: {e}", dest.display())));

    // The tables of data/ (data/README.md), checked against the English catalog.
    let errors = tables::generate(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        reference.messages.keys().cloned().collect(),
        &out_dir,
    );
    if !errors.is_empty() {
        for e in &errors {
            eprintln!("data error: {e}");
        }
        fail(&format!("{} error(s) in data/", errors.len()));
    }
}
