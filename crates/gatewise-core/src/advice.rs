//! Advice: what the visitor, the site owner and the developer can do about
//! a diagnosis, aimed at the component that failed and written for the
//! platform its commands run on.
//!
//! Two declarative tables, in the manner of Chromium's `localized_error.cc`
//! ([`table`]): [`REMEDIES`] (one row per remedy: its audience, the
//! [`Component`] it acts on — the visitor's device, the network, the layer
//! that wrote the error, the server behind it, the site —, when it applies,
//! and its commands per [`Platform`] or layer) and [`ADVICE`] (one row per
//! error type, hop, segment, plus a generic row, listing remedy ids per
//! audience, most likely first). Texts live in the catalogs as
//! `remedy.<id>`.
//!
//! [`remedies`] picks, for a [`Diagnosis`] and an audience:
//! 1. the rows: the [`Segment::Client`] row when the failure is on the
//!    visitor's side, the primary type's row, the alternatives' rows (an
//!    ambiguous diagnosis gets advice for every type it cannot rule out);
//! 2. of each row, the remedies that apply ([`applies`], [`Need`]): no
//!    restart of the gateway when the server behind it failed, no work on
//!    the server behind it when the gateway or the visitor's side failed,
//!    nothing about a gateway's configuration when a browser reported the
//!    failure, no CDN status page for nginx; when nothing applies, the
//!    first of the hop's, the segment's and the generic row that has
//!    something that does;
//! 3. the first row's remedies first — interleaved with the others when the
//!    visitor's side leads or the primary type is only a best guess —, then
//!    the others', without duplicates, at most [`MAX_PER_AUDIENCE`].
//!
//! [`advise`] adds each remedy's command for the platform it runs on, filled
//! from [`Facts`] read from the evidence, or no command when a value is
//! missing: a placeholder is never shown.
//!
//! # Example
//! ```
//! use gatewise_core::advice::{self, Facts};
//! use gatewise_core::explain::explain;
//! use gatewise_core::Audience;
//! // nginx could not connect to the server behind it.
//! let line = r#"2026/11/21 06:12:01 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:9/", host: "shop.example""#;
//! let d = explain(line).unwrap().diagnosis;
//! let owner = advice::advise(&d, Audience::Owner, &Facts::gather(&d, None));
//! assert!(owner.len() <= advice::MAX_PER_AUDIENCE);
//! let commands: Vec<&str> = owner.iter().filter_map(|a| a.command.as_deref()).collect();
//! assert!(commands.contains(&"ss -ltnp 'sport = :9'"));
//! assert!(commands.contains(&"tail -n 50 /var/log/nginx/error.log"));
//! assert!(!commands.iter().any(|c| c.contains("restart nginx") || c.contains('{')));
//! ```

mod facts;
mod platform;
pub mod table;

pub use facts::{Address, Facts};
pub use platform::{
    failing_component, is_client_runtime, is_gateway, layer_platform, Component, LayerPlatform,
    Platform, LAYER_PLATFORMS,
};
pub use table::{AdviceRow, Command, Need, On, Remedy, When, ADVICE, REMEDIES};

use crate::{Audience, Diagnosis, ErrorType, Lang, Layer, Segment};

/// The most remedies given to one audience.
pub const MAX_PER_AUDIENCE: usize = 5;

impl Remedy {
    /// The remedy's text in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        crate::i18n::format(lang, &self.text_key(), &[])
    }

    /// The catalog key of the remedy's text, e.g. `remedy.refresh_page`.
    pub fn text_key(&self) -> String {
        format!("remedy.{}", self.id)
    }

    /// The remedy's command for `d`: the first of its commands that runs
    /// where the remedy's component is (the layer's own command, else one
    /// for its platform, else one for any machine) and whose placeholders
    /// `facts` can all fill. `None` when there is none.
    pub fn command(&self, d: &Diagnosis, facts: &Facts) -> Option<String> {
        let (layer, platform) = match self.component {
            Component::Reporter => (Some(d.layer), facts.reporter_platform),
            Component::Behind => (facts.behind_layer, facts.behind_platform),
            // The failing link starts at the layer that wrote the error.
            Component::Network => (None, facts.reporter_platform),
            Component::Site | Component::Client => (None, facts.local_platform),
            Component::Device => return None,
        };
        self.commands.iter().find_map(|c| {
            let fits = match c.on {
                On::Any => true,
                On::Platform(p) => platform.is_some_and(|x| x.runs(p)),
                On::Layer(l) => layer == Some(l),
            };
            if !fits {
                return None;
            }
            let powershell = matches!(
                c.on,
                On::Platform(Platform::Windows) | On::Layer(Layer::Iis)
            );
            fill(c.template, &values(layer, facts), powershell)
        })
    }
}

/// One remedy with its command filled for a diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advised {
    /// The remedy.
    pub remedy: &'static Remedy,
    /// Its command, filled; `None` when it has none for this platform or a value is missing.
    pub command: Option<String>,
}

/// Every remedy, in table order.
pub fn all_remedies() -> &'static [Remedy] {
    REMEDIES
}

/// The remedy with this id.
pub fn remedy(id: &str) -> Option<&'static Remedy> {
    // A page resolves a few dozen ids: a sorted index instead of a scan of every row.
    static BY_ID: std::sync::OnceLock<Vec<&'static Remedy>> = std::sync::OnceLock::new();
    let by_id = BY_ID.get_or_init(|| {
        let mut v: Vec<&'static Remedy> = REMEDIES.iter().collect();
        // Stable: of duplicate ids (a test forbids them) the first row wins, as a scan found it.
        v.sort_by_key(|r| r.id);
        v.dedup_by_key(|r| r.id);
        v
    });
    let i = by_id.binary_search_by(|r| r.id.cmp(id)).ok()?;
    by_id.get(i).copied()
}

fn row_for(when: When) -> Option<&'static AdviceRow> {
    ADVICE.iter().find(|r| r.when == when)
}

/// Every row of [`ADVICE`] with its ids resolved, per audience (visitor,
/// owner, developer), in table order: done once, not per page.
fn resolved_rows() -> &'static [[Vec<&'static Remedy>; 3]] {
    static CACHE: std::sync::OnceLock<Vec<[Vec<&'static Remedy>; 3]>> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| {
        ADVICE
            .iter()
            .map(|row| {
                [Audience::Visitor, Audience::Owner, Audience::Developer]
                    .map(|a| row.ids(a).iter().filter_map(|id| remedy(id)).collect())
            })
            .collect()
    })
}

/// The resolved remedies of `row` for `audience`.
fn resolved(row: &'static AdviceRow, audience: Audience) -> &'static [&'static Remedy] {
    let a = match audience {
        Audience::Visitor => 0,
        Audience::Owner => 1,
        Audience::Developer => 2,
    };
    ADVICE
        .iter()
        .position(|r| r.when == row.when)
        .and_then(|i| resolved_rows().get(i))
        .and_then(|r| r.get(a))
        .map_or(&[], Vec::as_slice)
}

/// Whether `rem` applies to `d` (see [`Need`]).
pub fn applies(rem: &Remedy, d: &Diagnosis) -> bool {
    let failing = failing_component(d);
    let gateway = is_gateway(d.layer);
    let platform = layer_platform(d.layer).own;
    let managed = matches!(platform, Some(Platform::Hosted | Platform::Cloudflare));
    // Work on the server behind the gateway does not help a failure on the
    // visitor's side, nor one of the gateway itself.
    if rem.audience == Audience::Owner
        && rem.component == Component::Behind
        && matches!(failing, Some(Component::Device | Component::Reporter))
    {
        return false;
    }
    match rem.need {
        Need::Nothing => true,
        Need::Gateway => gateway,
        Need::OwnGateway => gateway && !managed,
        Need::HostedGateway => gateway && platform == Some(Platform::Hosted),
        Need::GatewayLog => {
            gateway
                && (!matches!(d.layer, Layer::Gatewise | Layer::Workerd)
                    || failing == Some(Component::Reporter))
        }
        Need::GatewayFailed => gateway && matches!(failing, None | Some(Component::Reporter)),
    }
}

/// The rows that speak about `d`: the visitor's side and the types (used
/// together), then the fallbacks (the first that has something to say is
/// used): hop, segment, generic.
fn rows(d: &Diagnosis) -> (Vec<&'static AdviceRow>, Vec<&'static AdviceRow>) {
    let mut main: Vec<&'static AdviceRow> = Vec::new();
    if d.segment == Segment::Client {
        main.extend(row_for(When::Segment(Segment::Client)));
    }
    for t in d.error_type.iter().chain(d.alternatives.iter()) {
        main.extend(row_for(When::Type(*t)));
    }
    let fallbacks = [
        d.hop.map(When::Hop),
        Some(When::Segment(d.segment)),
        Some(When::Generic),
    ]
    .into_iter()
    .flatten()
    .filter_map(row_for)
    .collect();
    (main, fallbacks)
}

/// The remedies of `row` for `audience` that apply to `d`.
fn applicable(row: &'static AdviceRow, audience: Audience, d: &Diagnosis) -> Vec<&'static Remedy> {
    resolved(row, audience)
        .iter()
        .copied()
        .filter(|r| applies(r, d))
        .collect()
}

/// The remedies for `d` addressed to `audience`, most likely first, at most
/// [`MAX_PER_AUDIENCE`] (see the module docs for the order).
pub fn remedies(d: &Diagnosis, audience: Audience) -> Vec<&'static Remedy> {
    let (main, fallbacks) = rows(d);
    let mut lists: Vec<Vec<&'static Remedy>> = main
        .into_iter()
        .map(|row| applicable(row, audience, d))
        .filter(|l| !l.is_empty())
        .collect();
    if lists.is_empty() {
        lists.extend(
            fallbacks
                .into_iter()
                .map(|row| applicable(row, audience, d))
                .find(|l| !l.is_empty()),
        );
    }
    let interleave = d.segment == Segment::Client || is_best_guess(d);
    let mut order: Vec<&'static Remedy> = Vec::new();
    if interleave {
        let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..longest {
            order.extend(lists.iter().filter_map(|l| l.get(i)));
        }
    } else {
        order.extend(lists.iter().flatten());
    }
    let mut out: Vec<&'static Remedy> = Vec::with_capacity(MAX_PER_AUDIENCE);
    for rem in order {
        if out.len() == MAX_PER_AUDIENCE {
            break;
        }
        if !out.iter().any(|r| std::ptr::eq(*r, rem)) {
            out.push(rem);
        }
    }
    out
}

/// Whether `d` is a low-confidence pick among several failure types: its
/// primary type is only a best guess, so no type's advice should lead alone.
pub fn is_best_guess(d: &Diagnosis) -> bool {
    d.confidence == crate::Confidence::Low && !d.alternatives.is_empty()
}

/// [`remedies`] with their commands filled from `facts`.
pub fn advise(d: &Diagnosis, audience: Audience, facts: &Facts) -> Vec<Advised> {
    remedies(d, audience)
        .into_iter()
        .map(|remedy| Advised {
            remedy,
            command: remedy.command(d, facts),
        })
        .collect()
}

/// The remedies of failure type `t`'s own row (the generic row for
/// `None`), for `audience`, in table order: what a table of all types shows.
pub fn remedies_for_type(t: Option<ErrorType>, audience: Audience) -> Vec<&'static Remedy> {
    let row = match t {
        Some(t) => row_for(When::Type(t)).or_else(|| row_for(When::Hop(t.info().hop))),
        None => row_for(When::Generic),
    };
    row.map(|r| resolved(r, audience).to_vec())
        .unwrap_or_default()
}

/// What a layer's log entry (from [`crate::layer::LayerInfo::logs`]) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLocation {
    /// A file (`/var/log/nginx/error.log`, `/var/log/httpd/error_log`).
    File,
    /// A folder (`C:\inetpub\logs\LogFiles`).
    Folder,
    /// A command that shows the logs (`journalctl -u haproxy`, `heroku logs --tail`).
    Command,
    /// A place to look (a dashboard, a console, a setting).
    Place,
}

/// Programs whose invocation, as a layer's log entry, shows the logs.
const LOG_COMMANDS: &[&str] = &[
    "journalctl",
    "kubectl",
    "heroku",
    "vercel",
    "wrangler",
    "varnishlog",
];

/// Tells a file from a folder from a command from a place.
pub fn log_location(entry: &str) -> LogLocation {
    let b = entry.as_bytes();
    let windows_drive = b.get(1) == Some(&b':') && b.get(2) == Some(&b'\\');
    if entry.starts_with('/') || windows_drive {
        let name = entry.rsplit(['/', '\\']).next().unwrap_or("");
        return if name.contains('.') || name.ends_with("_log") {
            LogLocation::File
        } else {
            LogLocation::Folder
        };
    }
    let first = entry.split_whitespace().next().unwrap_or("");
    if LOG_COMMANDS.contains(&first) {
        LogLocation::Command
    } else {
        LogLocation::Place
    }
}

/// The systemd unit a layer usually runs as.
pub fn service_unit(layer: Layer) -> Option<&'static str> {
    layer_platform(layer).unit
}

/// The values of a command's placeholders, for a remedy acting on `layer`.
fn values(layer: Option<Layer>, f: &Facts) -> Vec<(&'static str, String)> {
    let logs = layer.map_or(&[][..], |l| l.info().logs);
    let first = |kind: LogLocation| {
        logs.iter()
            .find(|l| log_location(l) == kind)
            .map(|l| (*l).to_owned())
    };
    [
        ("url", f.site.url.clone()),
        ("host", f.site.host.clone()),
        ("port", f.site.port.clone()),
        ("upstream_url", f.upstream.url.clone()),
        ("upstream_host", f.upstream.host.clone()),
        ("upstream_port", f.upstream.port.clone()),
        ("log", first(LogLocation::File)),
        ("log_dir", first(LogLocation::Folder)),
        ("service", layer.and_then(service_unit).map(str::to_owned)),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect()
}

/// Quotes `v` for a POSIX shell (or PowerShell) unless it only holds
/// harmless characters.
fn shell_word(v: &str, powershell: bool) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "._:/@%+=,*~-".contains(c);
    if !v.is_empty() && v.chars().all(safe) {
        v.to_owned()
    } else if powershell {
        format!("'{}'", v.replace('\'', "''"))
    } else {
        format!("'{}'", v.replace('\'', "'\\''"))
    }
}

/// Fills `template`'s placeholders from `args`, each value quoted for the
/// shell; `None` when one of them has no value (a command is shown whole or not at all).
pub fn fill(template: &str, args: &[(&str, String)], powershell: bool) -> Option<String> {
    let quoted: Vec<(&str, String)> = args
        .iter()
        .map(|(k, v)| (*k, shell_word(v, powershell)))
        .collect();
    let refs: Vec<(&str, &str)> = quoted.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = crate::i18n::fill(template, &refs);
    (!has_placeholder(&out)).then_some(out)
}

/// Whether `s` still holds a `{name}` placeholder.
pub fn has_placeholder(s: &str) -> bool {
    s.split('{').skip(1).any(|rest| {
        rest.split_once('}').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    })
}

#[cfg(test)]
mod tests;
