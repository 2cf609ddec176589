//! The probe's text report, in the spirit of `wget`'s trace of the HTTP
//! cycle ("Resolving google.com... 79.101.110.94, ...", "Connecting to
//! google.com|79.101.110.94|:80... connected.", "HTTP request sent, awaiting
//! response... 301 Moved Permanently"): one line per step with its time,
//! the details beneath, then the diagnosis and the site owner's advice.
//!
//! # Example
//! ```
//! use gatewise_cli::probe::print::step_label;
//! use gatewise_core::{Hop, Lang};
//! assert_eq!(step_label(Hop::Dns, Lang::EN), "DNS lookup");
//! ```

use std::fmt::Write as _;

use gatewise_core::i18n::{self, Lang};
use gatewise_core::{Audience, Diagnosis, Hop};

use super::{Detail, Report, StepReport};
use crate::advice::{self, Fill};
use crate::style::{clean, Style};

/// The most remedies printed (the core orders them most relevant first).
pub const MAX_REMEDIES: usize = 8;

/// The step's name from the catalog (`hop.<name>.name`).
pub fn step_label(hop: Hop, lang: Lang) -> String {
    i18n::format(lang, &format!("hop.{}.name", hop.name()), &[])
}

/// The name of the layer that wrote the error, in `lang` (`layer.<name>`),
/// else its display name: never an internal name such as `rust_io`.
pub fn layer_name(d: &Diagnosis, lang: Lang) -> String {
    i18n::message(lang, &format!("layer.{}", d.layer.name()))
        .unwrap_or(d.layer.info().display)
        .to_owned()
}

/// The step's one-line summary and the lines beneath it.
fn describe(step: &StepReport) -> (String, Vec<String>) {
    match &step.detail {
        Detail::Dns(d) => {
            let head = match (&d.error, d.resolver) {
                (Some(e), _) => format!("{} → {}", d.host, clean(e, 300)),
                (None, "literal") => format!("{} (IP address, no lookup)", d.host),
                (None, _) => format!("{} → {}", d.host, d.addresses.join(", ")),
            };
            let mut more = Vec::new();
            if !d.nameservers.is_empty() {
                more.push(format!("name servers: {}", d.nameservers.join(", ")));
            }
            (head, more)
        }
        Detail::Connect(c) => {
            let head = match &c.connected {
                Some(a) => format!("{a} connected"),
                None => "no address accepted the connection".to_owned(),
            };
            let single_success = c.attempts.len() == 1 && c.connected.is_some();
            let more = c
                .attempts
                .iter()
                .filter(|_| !single_success)
                .map(|a| match &a.error {
                    Some(e) => format!("{}: {} ({:.1} ms)", a.address, clean(e, 200), a.ms),
                    None => format!("{}: connected ({:.1} ms)", a.address, a.ms),
                })
                .collect();
            (head, more)
        }
        Detail::Tls(t) => {
            let head = match &t.error {
                Some(e) => clean(e, 300),
                None => [
                    t.protocol.as_deref(),
                    t.cipher.as_deref(),
                    t.alpn.as_deref().map(|a| if a.is_empty() { "" } else { a }),
                ]
                .iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · "),
            };
            let mut more = Vec::new();
            if let Some(c) = &t.certificate {
                more.push(format!(
                    "certificate: {} · issued by {}{}",
                    clean(&c.subject, 200),
                    clean(&c.issuer, 200),
                    if c.self_signed { " (self-signed)" } else { "" }
                ));
                more.push(format!("valid: {} → {}", c.not_before, c.not_after));
                more.push(format!(
                    "names: {} ({} {})",
                    clean(&c.san.join(", "), 300),
                    if c.name_matches {
                        "matches"
                    } else {
                        "does NOT match"
                    },
                    t.server_name
                ));
            }
            if let Some(a) = &t.alert {
                more.push(format!("alert: {a}"));
            }
            (head, more)
        }
        Detail::Request(r) => (
            match &r.error {
                Some(e) => clean(e, 300),
                None => format!("{} ({} bytes)", r.line, r.bytes),
            },
            Vec::new(),
        ),
        Detail::Response(r) => {
            let head = match (&r.error, r.status) {
                (Some(e), _) => clean(e, 300),
                (None, Some(s)) => format!(
                    "{} {s} {}",
                    r.version.as_deref().unwrap_or("HTTP/1.1"),
                    r.reason.as_deref().unwrap_or("")
                ),
                (None, None) => String::new(),
            };
            let mut more = Vec::new();
            if let Some(b) = &r.first_bytes {
                more.push(format!("first bytes: \"{}\"", clean(b, 300)));
            }
            for (n, v) in &r.headers {
                if [
                    "server",
                    "content-type",
                    "content-length",
                    "via",
                    "proxy-status",
                    "retry-after",
                    "cf-ray",
                    "x-cache",
                ]
                .iter()
                .any(|k| n.eq_ignore_ascii_case(k))
                {
                    more.push(format!("{n}: {v}"));
                }
            }
            if r.status.is_some() {
                more.push(format!(
                    "{} header bytes, {} body bytes read",
                    r.header_bytes, r.body_bytes
                ));
            }
            (head, more)
        }
    }
}

/// The catalog texts that explain `d` to `audience`: the status's own
/// (`status.<code>[.<sub>].<audience>`), then the failure type's
/// (`type.<name>.<audience>`), those that exist.
pub fn audience_texts(d: &Diagnosis, audience: Audience, lang: Lang) -> Vec<&'static str> {
    let code = d.received_status.unwrap_or(d.status);
    let mut keys = Vec::new();
    if let Some(sub) = d.sub_status {
        keys.push(format!("status.{code}.{sub}.{}", audience.name()));
    }
    keys.push(format!("status.{code}.{}", audience.name()));
    if let Some(t) = d.error_type {
        keys.push(format!("type.{}.{}", t.name(), audience.name()));
    }
    keys.iter().filter_map(|k| i18n::message(lang, k)).collect()
}

/// Writes the diagnosis block, then what `audience` can do.
pub fn diagnosis_block(
    out: &mut String,
    d: &Diagnosis,
    audience: Audience,
    lang: Lang,
    fill: &Fill,
    style: &Style,
) {
    // Every word, and the punctuation between them, comes from the catalogs (`cli.*`, `page.*`).
    let f = |key: &str, args: &[(&str, &str)]| i18n::format(lang, key, args);
    let field = |label_key: &str, value: &str| {
        f(
            "page.field",
            &[("label", &f(label_key, &[])), ("value", value)],
        )
    };
    let head = match d.error_type {
        Some(t) => {
            let token = style.bold(&style.bad(t.name()));
            match i18n::message(lang, &format!("type.{}.title", t.name())) {
                Some(title) => f("cli.type_title", &[("token", &token), ("title", title)]),
                None => token,
            }
        }
        None => style.bold(&style.bad(&f("cli.no_type", &[]))),
    };
    let _ = writeln!(out, "{head}");
    let hop = d
        .hop
        .map_or_else(|| f("cli.unknown", &[]), |h| step_label(h, lang));
    let retry = f(
        if d.retryable {
            "cli.retryable"
        } else {
            "cli.not_retryable"
        },
        &[],
    );
    let _ = writeln!(
        out,
        "  {}",
        f(
            "cli.facts",
            &[
                ("hop", &hop),
                ("layer", &layer_name(d, lang)),
                ("retry", &retry),
                ("status", &d.status.to_string()),
            ]
        )
    );
    if let Some(s) = d
        .error_type
        .and_then(|t| i18n::message(lang, &format!("type.{}.summary", t.name())))
    {
        let _ = writeln!(out, "  {s}");
    }
    if let Some(v) = &d.vendor_code {
        let _ = writeln!(out, "  {}", field("page.label.vendor_code", &clean(v, 100)));
    }
    if let Some(detail) = &d.detail {
        let _ = writeln!(
            out,
            "  {}",
            f("page.owner.detail", &[("detail", &clean(detail, 400))])
        );
    }
    if !d.alternatives.is_empty() {
        let alts: Vec<&str> = d.alternatives.iter().map(|t| t.name()).collect();
        let sep = f("page.list_separator", &[]);
        let _ = writeln!(
            out,
            "  {}",
            field("page.label.alternatives", &alts.join(&sep))
        );
    }
    let texts = audience_texts(d, audience, lang);
    let items = advice::items(d, audience, lang, fill);
    if !items.is_empty() || !texts.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style.bold(&i18n::format(
                lang,
                &format!("audience.{}", audience.name()),
                &[]
            ))
        );
        for t in texts {
            let _ = writeln!(out, "  {t}");
        }
        let more = items.len().saturating_sub(MAX_REMEDIES);
        for i in items.into_iter().take(MAX_REMEDIES) {
            let _ = writeln!(out, "  - {}", i.text);
            if let Some(c) = i.command {
                let _ = writeln!(out, "      $ {c}");
            }
        }
        if more > 0 {
            let _ = writeln!(
                out,
                "  {}",
                style.dim(&i18n::format(
                    lang,
                    "cli.more",
                    &[("count", &more.to_string())]
                ))
            );
        }
    }
}

/// The whole text report.
pub fn text(report: &Report, lang: Lang, fill: &Fill, style: &Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        style.bold(&format!("gatewise probe {}", report.url))
    );
    let width = Hop::ALL
        .iter()
        .map(|h| step_label(*h, lang).chars().count())
        .max()
        .unwrap_or(12);
    for step in &report.steps {
        let (head, more) = describe(step);
        let mark = if step.ok {
            style.good("✓")
        } else {
            style.bad("✗")
        };
        let label = step_label(step.step, lang);
        let pad = width.saturating_sub(label.chars().count());
        let _ = writeln!(
            out,
            "{mark} {label}{}  {head}  {}",
            " ".repeat(pad),
            style.dim(&format!("{:.1} ms", step.ms))
        );
        for line in more {
            let _ = writeln!(out, "    {}", style.dim(&line));
        }
    }
    match (&report.diagnosis, report.failed_step) {
        (Some(d), Some(step)) => {
            let step = step_label(step, lang);
            let _ = writeln!(
                out,
                "\n{}\n",
                i18n::format(lang, "cli.failed_at", &[("step", &step)])
            );
            diagnosis_block(&mut out, d, Audience::Owner, lang, fill, style);
        }
        (Some(d), None) => {
            // The failure is behind the server that answered: the target's
            // port is not the failing one.
            let fill = Fill {
                port: String::new(),
                ..fill.clone()
            };
            let fill = &fill;
            let status = report.status.unwrap_or(d.status);
            let confidence =
                i18n::format(lang, &format!("confidence.{}", d.confidence.name()), &[]);
            let _ = writeln!(
                out,
                "\n{}\n",
                i18n::format(
                    lang,
                    "cli.answered",
                    &[
                        ("status", &status.to_string()),
                        ("layer", &layer_name(d, lang)),
                        ("confidence", &confidence),
                    ]
                )
            );
            diagnosis_block(&mut out, d, Audience::Owner, lang, fill, style);
        }
        (None, _) => {
            let _ = writeln!(
                out,
                "\n{}",
                style.good(&i18n::format(lang, "cli.all_ok", &[]))
            );
        }
    }
    out
}
