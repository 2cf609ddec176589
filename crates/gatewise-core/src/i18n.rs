//! Message catalogs. Every user-facing string lives in
//! `catalogs/<lang>/*.toml`; `build.rs` compiles them into static tables.
//! English is the reference: other languages must carry exactly its keys
//! (a test fails otherwise) and fall back to English at run time.
//!
//! Messages may hold `{name}` placeholders, filled by [`format`]. A message
//! that depends on a count has one text per CLDR plural category of its
//! language, and [`format`] picks the one the count selects ([`plural`]).
//!
//! # Example
//! ```
//! use gatewise_core::i18n::{self, Lang};
//! let fr = Lang::from_tag("fr").unwrap();
//! assert_eq!(fr.tag(), "fr");
//! assert!(Lang::from_tag("ar").unwrap().is_rtl());
//! assert_eq!(i18n::format(Lang::EN, "test.greeting", &[("name", "Ada")]), "Hello, Ada!");
//! assert_eq!(i18n::message(Lang::EN, "no.such.key"), None);
//! ```

use serde::{Deserialize, Serialize};

/// A row of `catalogs/languages.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LanguageRow {
    pub tag: &'static str,
    pub name: &'static str,
    pub rtl: bool,
    pub aliases: &'static [&'static str],
}

pub mod plural;

mod generated {
    use super::plural::PluralRow;
    use super::LanguageRow;
    include!(concat!(env!("OUT_DIR"), "/catalogs.rs"));
}

/// A language gatewise has a catalog for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(u8);

impl Lang {
    /// English, the reference catalog and the fallback.
    pub const EN: Lang = Lang(0);

    /// Every language, in `languages.toml` order.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..generated::LANGUAGES.len())
            .filter_map(|i| u8::try_from(i).ok())
            .map(Lang)
    }

    /// Finds a language by its exact tag (`zh-Hans`), case-insensitively.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::all().find(|l| l.tag().eq_ignore_ascii_case(tag))
    }

    /// The language's index in `languages.toml` (and in the generated tables).
    pub(crate) fn index(self) -> usize {
        usize::from(self.0)
    }

    fn row(self) -> LanguageRow {
        generated::LANGUAGES
            .get(usize::from(self.0))
            .copied()
            .unwrap_or(LanguageRow {
                tag: "en",
                name: "English",
                rtl: false,
                aliases: &[],
            })
    }

    /// The BCP 47 tag, e.g. `zh-Hans`.
    pub fn tag(self) -> &'static str {
        self.row().tag
    }

    /// The language's own name, e.g. `Français`.
    pub fn native_name(self) -> &'static str {
        self.row().name
    }

    /// The language tags (lowercase) that negotiation sends to this catalog
    /// when no catalog has them (`languages.toml`'s `aliases`: `pt` for
    /// `pt-BR`, `zh` and `cmn` for `zh-Hans`); see [`crate::render::negotiate`].
    pub fn aliases(self) -> &'static [&'static str] {
        self.row().aliases
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(self) -> bool {
        self.row().rtl
    }

    /// The HTML `dir` value: `rtl` or `ltr`.
    pub fn dir(self) -> &'static str {
        if self.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }
}

impl Default for Lang {
    fn default() -> Self {
        Lang::EN
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

impl Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.tag())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let tag = String::deserialize(d)?;
        Lang::from_tag(&tag)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown language {tag}")))
    }
}

mod key_hash;

/// A `KEY_SLOTS` slot that holds no key.
const EMPTY_SLOT: u16 = u16::MAX;

/// The index of `key` in `KEYS`, through `KEY_SLOTS` (see build.rs): a
/// binary search compared a dozen strings sharing long prefixes (`remedy.`,
/// `status.5`) per lookup, and a page makes about a hundred lookups.
fn key_index(key: &str) -> Option<usize> {
    let slots = generated::KEY_SLOTS;
    let mask = slots.len().checked_sub(1)?;
    // Truncation is the point: the low bits pick the slot.
    #[allow(clippy::cast_possible_truncation)]
    let mut slot = (key_hash::key_hash(key) as usize) & mask;
    for _ in 0..slots.len() {
        let index = *slots.get(slot)?;
        if index == EMPTY_SLOT {
            return None;
        }
        let index = usize::from(index);
        let candidate = generated::KEYS.get(index)?;
        if *candidate == key {
            return Some(index);
        }
        slot = slot.wrapping_add(1) & mask;
    }
    None
}

/// The message for `key` in `lang`, falling back to English; `None` if no catalog has it.
/// For a plural message, its `other` text ([`plural_message`] has them all).
pub fn message(lang: Lang, key: &str) -> Option<&'static str> {
    message_at(lang, key_index(key)?)
}

/// The message at key index `i` in `lang`, else English's.
fn message_at(lang: Lang, i: usize) -> Option<&'static str> {
    let in_lang = generated::MESSAGES
        .get(usize::from(lang.0))
        .and_then(|m| m.get(i))
        .copied()
        .flatten();
    in_lang.or_else(|| {
        generated::MESSAGES
            .first()
            .and_then(|m| m.get(i))
            .copied()
            .flatten()
    })
}

/// The plural message for `key` in `lang` (English's where `lang` lacks
/// it); `None` if `key` is not a plural message.
pub fn plural_message(lang: Lang, key: &str) -> Option<plural::Plural> {
    plural_at(lang, key_index(key)?).map(|(_, p)| p)
}

/// The plural message at key index `i`, with the language its texts are in.
fn plural_at(lang: Lang, i: usize) -> Option<(Lang, plural::Plural)> {
    let i = u16::try_from(i).ok()?;
    let row = generated::PLURALS
        .binary_search_by_key(&i, |r| r.key)
        .ok()
        .and_then(|at| generated::PLURALS.get(at))?;
    let has_other = |forms: &[Option<&str>; 6]| forms.get(5).is_some_and(Option::is_some);
    let (lang, forms) = match row.forms.get(usize::from(lang.0)) {
        Some(forms) if has_other(forms) => (lang, forms),
        _ => (Lang::EN, row.forms.first()?),
    };
    Some((
        lang,
        plural::Plural {
            select: row.select,
            forms,
        },
    ))
}

/// The text `format` fills for `key`: for a plural message, the one the
/// count in `args` selects (`other` without a count).
fn template(lang: Lang, key: &str, args: &[(&str, &str)]) -> Option<&'static str> {
    let i = key_index(key)?;
    match plural_at(lang, i) {
        Some((lang, p)) => {
            let category = args
                .iter()
                .find(|(k, _)| *k == p.select)
                .map_or("other", |(_, count)| plural::category(lang, count));
            p.text(category)
        }
        None => message_at(lang, i),
    }
}

/// Whether the English catalog has `key`.
pub fn has_key(key: &str) -> bool {
    key_index(key).is_some()
}

/// The message for `key` with its `{name}` placeholders filled from `args`
/// (for a plural message, the text its count selects).
/// An unknown key yields the key itself, so that a missing message is visible, never a panic.
pub fn format(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let template = template(lang, key, args).unwrap_or(key);
    if args.is_empty() {
        // What `fill` gives with nothing to fill: the template, placeholders and all.
        return template.to_owned();
    }
    fill(template, args)
}

/// Fills `{name}` placeholders in `template`; unknown placeholders stay as they are.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        match after.find('}') {
            Some(close) => {
                let name = after.get(1..close).unwrap_or("");
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(after.get(..=close).unwrap_or("")),
                }
                rest = after.get(close.saturating_add(1)..).unwrap_or("");
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// All keys of the reference catalog (sorted).
pub fn keys() -> &'static [&'static str] {
    generated::KEYS
}

/// The keys `lang` lacks (empty for a complete catalog).
pub fn missing_keys(lang: Lang) -> Vec<&'static str> {
    let Some(messages) = generated::MESSAGES.get(usize::from(lang.0)) else {
        return generated::KEYS.to_vec();
    };
    generated::KEYS
        .iter()
        .zip(messages.iter())
        .filter(|(_, m)| m.is_none())
        .map(|(k, _)| *k)
        .collect()
}

/// The keys `lang` has that the reference catalog does not (typos, stale keys).
pub fn extra_keys(lang: Lang) -> &'static [&'static str] {
    generated::EXTRA_KEYS
        .get(usize::from(lang.0))
        .copied()
        .unwrap_or(&[])
}

fn placeholders(s: &str) -> Vec<&str> {
    let mut out: Vec<&str> = s
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(name, _)| name))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Keys whose message in `lang` uses other placeholders than English's. A
/// plural message's texts may leave out the count (Arabic's "ثانيتان" is
/// "two seconds") but no other placeholder.
pub fn placeholder_mismatches(lang: Lang) -> Vec<&'static str> {
    generated::KEYS
        .iter()
        .filter(|k| {
            let en = message(Lang::EN, k).map(placeholders).unwrap_or_default();
            let local = generated::MESSAGES
                .get(usize::from(lang.0))
                .and_then(|m| key_index(k).and_then(|i| m.get(i)).copied().flatten())
                .map(placeholders);
            let forms_differ = plural_message(lang, k).is_some_and(|p| {
                p.texts().any(|(_, text)| {
                    let mut have = placeholders(text);
                    have.retain(|h| *h != p.select);
                    let mut want = en.clone();
                    want.retain(|w| *w != p.select);
                    have != want
                })
            });
            local.is_some_and(|l| l != en) || forms_differ
        })
        .copied()
        .collect()
}

/// The keys of the plural messages.
pub fn plural_keys() -> impl Iterator<Item = &'static str> {
    generated::PLURALS
        .iter()
        .filter_map(|r| generated::KEYS.get(usize::from(r.key)).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_found_at_its_index_and_no_other_key_is() {
        assert!(generated::KEYS.len() > 1000);
        for (i, k) in generated::KEYS.iter().enumerate() {
            assert_eq!(key_index(k), Some(i), "{k}");
        }
        // The table is at most half full: a miss ends at an empty slot.
        let empty = generated::KEY_SLOTS
            .iter()
            .filter(|s| **s == EMPTY_SLOT)
            .count();
        assert!(empty * 2 >= generated::KEY_SLOTS.len());
        for k in [
            "",
            "remedy.",
            "remedy.refresh_pag",
            "page.code ",
            "PAGE.CODE",
            "x",
        ] {
            assert_eq!(key_index(k), None, "{k:?}");
        }
        assert!(key_index("page.code").is_some());
    }

    #[test]
    fn there_are_at_least_eight_languages_with_one_rtl() {
        let tags: Vec<_> = Lang::all().map(Lang::tag).collect();
        for t in ["en", "es", "fr", "de", "pt-BR", "ja", "zh-Hans", "ar"] {
            assert!(tags.contains(&t), "missing language {t}");
        }
        assert_eq!(
            Lang::all()
                .filter(|l| l.is_rtl())
                .map(Lang::tag)
                .collect::<Vec<_>>(),
            ["ar"]
        );
    }

    #[test]
    fn every_catalog_has_every_key_and_no_other() {
        // Collect every language's gaps first, so one run reports them all.
        let problems: Vec<String> = Lang::all()
            .flat_map(|lang| {
                let missing = missing_keys(lang);
                let extra = extra_keys(lang);
                [
                    (!missing.is_empty())
                        .then(|| format!("{lang} lacks {} keys: {missing:?}", missing.len())),
                    (!extra.is_empty())
                        .then(|| format!("{lang} has keys English lacks: {extra:?}")),
                ]
            })
            .flatten()
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_translation_keeps_the_placeholders() {
        let problems: Vec<String> = Lang::all()
            .filter_map(|lang| {
                let bad = placeholder_mismatches(lang);
                (!bad.is_empty()).then(|| format!("{lang}: {bad:?}"))
            })
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_plural_message_has_the_cldr_categories_of_its_language() {
        let keys: Vec<&str> = plural_keys().collect();
        assert!(keys.contains(&"test.seconds"), "{keys:?}");
        let ar = Lang::from_tag("ar").unwrap();
        assert_eq!(
            plural::categories(ar),
            ["zero", "one", "two", "few", "many", "other"]
        );
        for lang in Lang::all() {
            let want = plural::categories(lang);
            for k in &keys {
                let p = plural_message(lang, k).unwrap();
                let have: Vec<&str> = p.texts().map(|(c, _)| c).collect();
                assert_eq!(have, want, "{lang} {k}");
            }
        }
    }

    #[test]
    fn a_count_selects_its_text() {
        let ar = Lang::from_tag("ar").unwrap();
        let fr = Lang::from_tag("fr").unwrap();
        let secs = |lang, n: &str| format(lang, "test.seconds", &[("seconds", n)]);
        assert_eq!(secs(Lang::EN, "1"), "1 second");
        assert_eq!(secs(Lang::EN, "0"), "0 seconds");
        assert_eq!(secs(Lang::EN, "1.5"), "1.5 seconds");
        assert_eq!(secs(Lang::EN, "+1"), "+1 seconds");
        assert_eq!(secs(Lang::EN, " 1 "), " 1  second");
        assert_eq!(secs(fr, "0"), "0 seconde");
        assert_eq!(secs(fr, "1000000"), "1000000 de secondes");
        assert_eq!(secs(ar, "1"), "ثانية واحدة");
        assert_eq!(secs(ar, "2"), "ثانيتان");
        for n in ["3", "10", "103", "110"] {
            assert_eq!(secs(ar, n), format!("{n} ثوانٍ"), "{n}");
        }
        for n in ["11", "99", "111"] {
            assert_eq!(secs(ar, n), format!("{n} ثانية"), "{n}");
        }
        // The catalogs' counts: no "1 seconds", Arabic's 3–10 and 11–99.
        let page = |lang, n: &str| format(lang, "page.value.seconds", &[("seconds", n)]);
        assert_eq!(page(Lang::EN, "1"), "1 second");
        assert_eq!(page(Lang::EN, "120"), "120 seconds");
        assert_eq!(page(ar, "3"), "3 ثوانٍ");
        assert_eq!(page(ar, "11"), "11 ثانية");
        assert_eq!(page(ar, "2"), "ثانيتان");
        // Without a count (or with something else), `other`.
        assert_eq!(format(Lang::EN, "test.seconds", &[]), "{seconds} seconds");
        assert_eq!(secs(Lang::EN, "one"), "one seconds");
        assert_eq!(
            secs(Lang::EN, &"9".repeat(100)),
            format!("{} seconds", "9".repeat(100))
        );
        assert_eq!(message(Lang::EN, "test.seconds"), Some("{seconds} seconds"));
    }

    #[test]
    fn format_without_arguments_is_fill_without_arguments() {
        for lang in Lang::all() {
            for k in keys() {
                let template = message(lang, k).unwrap_or(k);
                assert_eq!(format(lang, k, &[]), fill(template, &[]), "{lang} {k}");
            }
        }
        assert_eq!(format(Lang::EN, "no.such.key", &[]), "no.such.key");
    }

    #[test]
    fn fill_leaves_unknown_and_unclosed_placeholders() {
        assert_eq!(fill("{a} {b} {", &[("a", "1")]), "1 {b} {");
        assert_eq!(fill("", &[]), "");
        assert_eq!(fill("é{a}ü", &[("a", "→")]), "é→ü");
    }
}
