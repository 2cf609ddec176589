//! The core's advice for the CLI: `gatewise_core::advice::advise` with the
//! facts the CLI has — the URL it probed, and this machine's platform (a
//! command about a server on `127.0.0.1` runs here) — on top of what the
//! diagnosis' evidence says. The core leaves out a command it cannot fill
//! whole, so nothing half-filled is printed.
//!
//! # Example
//! ```
//! use gatewise_cli::advice::{items, Known};
//! use gatewise_core::{Audience, Diagnosis, ErrorType, Lang, Layer};
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::RustIo);
//! let known = Known { url: Some("http://127.0.0.1:3000/".into()), this_machine: true };
//! let owner = items(&d, Audience::Owner, Lang::EN, &known);
//! assert!(owner.len() <= 5);
//! assert!(owner.iter().all(|i| i.command.as_deref().is_none_or(|c| !c.contains('{'))));
//! ```

use gatewise_core::advice::{advise, Facts, Platform};
use gatewise_core::i18n::Lang;
use gatewise_core::{Audience, Diagnosis};

/// What the CLI knows besides the diagnosis.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// The URL probed, when there is one.
    pub url: Option<String>,
    /// Whether commands about this machine may be given (the probe runs
    /// here; `explain` reads a log from anywhere, so it does not).
    pub this_machine: bool,
}

/// One remedy, ready to print.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    /// The remedy id (`remedy.<id>` in the catalog).
    pub id: &'static str,
    /// The text.
    pub text: String,
    /// The command, whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// The remedies for `d` and `audience` in `lang`, most likely first, with
/// the commands the facts can fill.
pub fn items(d: &Diagnosis, audience: Audience, lang: Lang, known: &Known) -> Vec<Item> {
    let local = if known.this_machine {
        Platform::this_machine()
    } else {
        None
    };
    let facts = Facts::gather_on(d, known.url.as_deref(), local);
    advise(d, audience, &facts)
        .into_iter()
        .map(|a| Item {
            id: a.remedy.id,
            text: a.remedy.text(lang),
            command: a.command,
        })
        .collect()
}
