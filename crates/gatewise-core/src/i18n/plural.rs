//! Plural messages: which text of a message a count selects, by CLDR's
//! plural rules (ICU4X `icu_plurals` and its compiled data).
//!
//! A catalog message that depends on a count names the placeholder that
//! holds it and gives one text per plural category of its language
//! (`catalogs/<lang>/*.toml`; `build.rs` checks the categories against the
//! same data):
//!
//! ```toml
//! seconds = { plural = "seconds", one = "{seconds} second", other = "{seconds} seconds" }
//! ```
//!
//! [`crate::i18n::format`] picks the text; [`crate::i18n::message`] gives the
//! `other` text. Browsers select with `Intl.PluralRules`, which reads the same
//! CLDR rules (a test in the npm package compares the two).
//!
//! # Example
//! ```
//! use gatewise_core::i18n::{self, plural, Lang};
//! let ar = Lang::from_tag("ar").unwrap();
//! assert_eq!(plural::category(ar, "3"), "few");
//! assert_eq!(plural::category(ar, "11"), "many");
//! assert_eq!(plural::category(Lang::EN, "1"), "one");
//! assert_eq!(plural::category(Lang::EN, "-1"), "one");
//! assert_eq!(plural::category(Lang::EN, "not a number"), "other");
//! assert_eq!(i18n::format(Lang::EN, "test.seconds", &[("seconds", "1")]), "1 second");
//! assert_eq!(i18n::format(Lang::EN, "test.seconds", &[("seconds", "2")]), "2 seconds");
//! ```

use icu_plurals::{PluralCategory, PluralRules};

use super::Lang;

/// The CLDR plural categories, in the order of [`PluralCategory`]'s discriminants
/// (the order of the forms in the generated `PLURALS` table).
pub const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// The longest count read (digits and sign); longer counts select `other`.
const MAX_COUNT: usize = 21;

/// A row of the generated plural table: a plural message's key index, the
/// placeholder holding its count, and its texts per language and category.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PluralRow {
    pub key: u16,
    pub select: &'static str,
    pub forms: &'static [[Option<&'static str>; 6]],
}

/// One language's plural message: the count's placeholder and the text of
/// each category the language has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plural {
    /// The placeholder that holds the count (`seconds` for `{seconds}`).
    pub select: &'static str,
    /// `(category, text)` for each CLDR category of the language, `other` last.
    pub forms: &'static [Option<&'static str>; 6],
}

impl Plural {
    /// The `(category, text)` pairs the language has.
    pub fn texts(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        CATEGORIES
            .iter()
            .zip(self.forms.iter())
            .filter_map(|(c, t)| t.map(|t| (*c, t)))
    }

    /// The text for `category`, else `other`'s.
    pub fn text(&self, category: &str) -> Option<&'static str> {
        let i = CATEGORIES.iter().position(|c| *c == category)?;
        self.forms
            .get(i)
            .copied()
            .flatten()
            .or_else(|| self.forms.get(5).copied().flatten())
    }
}

/// The CLDR rules of `lang` (cardinal numbers); `None` only if the compiled
/// data lacked the language, which `build.rs` rules out.
fn rules(lang: Lang) -> Option<PluralRules> {
    let id = super::generated::PLURAL_LOCALES.get(lang.index())?;
    PluralRules::try_new_cardinal(id.into()).ok()
}

/// The CLDR plural category (`zero`, `one`, `two`, `few`, `many`, `other`)
/// of `count` in `lang`. Counts are whole numbers as written (`3`, `-2`);
/// anything else (`1.5`, `many`) selects `other`: the catalogs count
/// seconds, bytes, attempts and processes, and a decimal parser would
/// only add to the wasm builds.
pub fn category(lang: Lang, count: &str) -> &'static str {
    let count = count.trim();
    let digits = count.strip_prefix('-').unwrap_or(count);
    let category = (count.len() <= MAX_COUNT && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse::<u64>().ok())
        .flatten()
        .and_then(|n| Some(rules(lang)?.category_for(n)))
        .unwrap_or(PluralCategory::Other);
    CATEGORIES
        .get(category as usize)
        .copied()
        .unwrap_or("other")
}

/// The categories CLDR gives `lang`, in [`CATEGORIES`] order.
pub fn categories(lang: Lang) -> Vec<&'static str> {
    let Some(rules) = rules(lang) else {
        return vec!["other"];
    };
    let mut out: Vec<&'static str> = rules
        .categories()
        .filter_map(|c| CATEGORIES.get(c as usize).copied())
        .collect();
    out.sort_by_key(|c| CATEGORIES.iter().position(|k| k == c));
    out
}
