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
    let name = d
        .error_type
        .map(|t| t.name())
        .unwrap_or("no RFC 9209 error type (nothing says which step failed)");
    let title = d
        .error_type
        .and_then(|t| i18n::message(lang, &format!("type.{}.title", t.name())));
    let _ = writeln!(
        out,
        "{}{}",
        style.bold(&style.bad(name)),
        title.map(|t| format!(" — {t}")).unwrap_or_default()
    );
    let hop = d.hop.map(|h| h.name()).unwrap_or("unknown");
    let _ = writeln!(
        out,
        "  hop: {hop} · layer: {} · {} · a gateway would answer {}",
        d.layer.name(),
        if d.retryable {
            "retryable"
        } else {
            "not retryable"
        },
        d.status
    );
    if let Some(s) = d
        .error_type
        .and_then(|t| i18n::message(lang, &format!("type.{}.summary", t.name())))
    {
        let _ = writeln!(out, "  {s}");
    }
    if let Some(v) = &d.vendor_code {
        let _ = writeln!(out, "  code: {}", clean(v, 100));
    }
    if let Some(detail) = &d.detail {
        let _ = writeln!(out, "  detail: {}", clean(detail, 400));
    }
    if !d.alternatives.is_empty() {
        let alts: Vec<&str> = d.alternatives.iter().map(|t| t.name()).collect();
        let _ = writeln!(out, "  could also be: {}", alts.join(", "));
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
                style.dim(&format!("(and {more} more for the other possible causes)"))
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
            let _ = writeln!(out, "\nFailed at: {}\n", step_label(step, lang));
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
            let _ = writeln!(
                out,
                "\nThe server answered {status}; the error was written by {} ({}).\n",
                d.layer,
                i18n::format(lang, &format!("confidence.{}", d.confidence.name()), &[])
            );
            diagnosis_block(&mut out, d, Audience::Owner, lang, fill, style);
        }
        (None, _) => {
            let _ = writeln!(
                out,
                "\n{}",
                style.good("Every step of the HTTP cycle worked.")
            );
        }
    }
    out
}
