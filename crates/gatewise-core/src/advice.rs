//! Advice: remedies per audience (visitor, site owner, developer) for every failure type.
//!
//! STUB: the public signatures below are fixed; the bodies are filled by the advice work.

use crate::{Audience, Diagnosis, Lang};

/// One remedy: a catalog text (`remedy.<id>`), its audience, and an optional command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Remedy {
    /// Stable id; its text is the catalog key `remedy.<id>`.
    pub id: &'static str,
    /// Who the remedy is for.
    pub audience: Audience,
    /// A concrete command (may hold `{host}`, `{port}`, `{url}`, `{log}` placeholders).
    pub command: Option<&'static str>,
    /// Where the remedy comes from (seed article, vendor doc, RFC).
    pub source: &'static str,
}

impl Remedy {
    /// The remedy's text in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        crate::i18n::format(lang, &format!("remedy.{}", self.id), &[])
    }
}

/// The remedies for `d` addressed to `audience`, most relevant first.
pub fn remedies(d: &Diagnosis, audience: Audience) -> Vec<&'static Remedy> {
    let _ = (d, audience);
    Vec::new()
}
