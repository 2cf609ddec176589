//! The core's remedies (`gatewise_core::advice::remedies`) with their
//! command placeholders filled in: `{host}`, `{port}`, `{url}` from the
//! target, `{log}` from the generating layer's usual log file. A command
//! that needs a value the CLI does not have is left out (the remedy's text
//! stays), rather than printed half-filled.
//!
//! # Example
//! ```
//! use gatewise_cli::advice::Fill;
//! let f = Fill { host: "example.com".into(), port: "443".into(), url: "https://example.com/".into(), log: "/var/log/nginx/error.log".into() };
//! assert_eq!(f.apply("curl -v {url} && tail {log}").as_deref(), Some("curl -v https://example.com/ && tail /var/log/nginx/error.log"));
//! assert_eq!(f.apply("dig {host} {other}").as_deref(), Some("dig example.com {other}"));
//! let no_port = Fill { port: String::new(), ..f };
//! assert_eq!(no_port.apply("ss -ltnp 'sport = :{port}'"), None);
//! ```

use gatewise_core::advice::{remedies, Remedy, Target};
use gatewise_core::i18n::{self, Lang};
use gatewise_core::{Audience, Diagnosis};

/// The values for command placeholders.
#[derive(Debug, Clone, Default)]
pub struct Fill {
    /// `{host}`
    pub host: String,
    /// `{port}`
    pub port: String,
    /// `{url}`
    pub url: String,
    /// `{log}`
    pub log: String,
}

impl Fill {
    /// Fills the placeholders of `template` (unknown ones stay visible);
    /// `None` when it uses one of ours that has no value.
    pub fn apply(&self, template: &str) -> Option<String> {
        let args = [
            ("host", self.host.as_str()),
            ("port", self.port.as_str()),
            ("url", self.url.as_str()),
            ("log", self.log.as_str()),
        ];
        let missing = args
            .iter()
            .any(|(k, v)| v.is_empty() && template.contains(&format!("{{{k}}}")));
        (!missing).then(|| i18n::fill(template, &args))
    }
}

/// One remedy, ready to print.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    /// The remedy id (`remedy.<id>` in the catalog).
    pub id: &'static str,
    /// The text.
    pub text: String,
    /// The command, filled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// The remedies for `d` and `audience` in `lang`, commands filled by the
/// core's [`Remedy::command_for`] (which shell-quotes values and knows each
/// layer's log files and systemd unit) from `fill`. A command that still
/// needs a value the CLI does not have is left out; the remedy's text stays.
pub fn items(d: &Diagnosis, audience: Audience, lang: Lang, fill: &Fill) -> Vec<Item> {
    let target = Target {
        host: given(&fill.host),
        port: fill.port.parse().ok(),
        url: given(&fill.url),
        log: given(&fill.log),
        ..Target::default()
    };
    remedies(d, audience)
        .into_iter()
        .map(|r: &Remedy| Item {
            id: r.id,
            text: r.text(lang),
            command: r
                .command_for(d, &target)
                .filter(|c| !PLACEHOLDERS.iter().any(|p| c.contains(p))),
        })
        .collect()
}

fn given(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// The placeholders remedy commands use.
const PLACEHOLDERS: &[&str] = &["{host}", "{port}", "{url}", "{log}", "{service}"];
