//! Picking the language and the audience from flags and the environment.
//!
//! Without `--lang`, the language comes from `LC_ALL`, `LC_MESSAGES` or
//! `LANG` (in that order, as POSIX does), turned into an
//! `Accept-Language` value (`fr_FR.UTF-8` → `fr-FR`) and negotiated by the
//! core (`render::negotiate::language`).
//!
//! # Example
//! ```
//! use gatewise_cli::lang::posix_to_bcp47;
//! assert_eq!(posix_to_bcp47("fr_FR.UTF-8"), Some("fr-FR".to_owned()));
//! assert_eq!(posix_to_bcp47("de_DE@euro"), Some("de-DE".to_owned()));
//! assert_eq!(posix_to_bcp47("C.UTF-8"), None);
//! ```

use gatewise_core::render::negotiate;
use gatewise_core::Lang;

use crate::error::CliError;

/// The environment variables read, in precedence order (POSIX locale rules).
const LOCALE_VARS: &[&str] = &["LC_ALL", "LC_MESSAGES", "LANG"];

/// `fr_FR.UTF-8` → `fr-FR`; `C` and `POSIX` (no language) → `None`.
pub fn posix_to_bcp47(value: &str) -> Option<String> {
    let base = value.split(['.', '@']).next().unwrap_or("").trim();
    if base.is_empty() || base == "C" || base == "POSIX" {
        return None;
    }
    Some(base.replace('_', "-"))
}

/// The language for `--lang` (a catalog tag, or any tag the core's lookup
/// leads to a catalog, such as `fr-CA` or `pt-PT`), or from the environment
/// when absent.
pub fn pick(flag: Option<&str>) -> Result<Lang, CliError> {
    match flag {
        Some(tag) => negotiate::lookup_tag(tag)
            .filter(|_| tag != "*")
            .ok_or_else(|| CliError::UnknownLanguage(tag.to_owned())),
        None => Ok(from_env()),
    }
}

/// The language from the locale environment variables, English by default.
pub fn from_env() -> Lang {
    let value = LOCALE_VARS
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty());
    let accept = value.as_deref().and_then(posix_to_bcp47);
    negotiate::language(accept.as_deref())
}

/// Every language tag, for help texts and errors.
pub fn tags() -> Vec<&'static str> {
    Lang::all().map(Lang::tag).collect()
}
