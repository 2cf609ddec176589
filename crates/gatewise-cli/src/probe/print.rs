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

use gatewise_core::advice::is_client_runtime;
use gatewise_core::i18n::{self, Lang};
use gatewise_core::{Audience, Diagnosis, Hop};

use super::http::BodyEnd;
use super::{Detail, Report, StepReport};
use crate::advice::{self, Known};
use crate::style::{clean, Style};

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
            if let Some(first) = r.first_byte_ms {
                more.push(format!("first byte after {first:.1} ms"));
            }
            if let (Some(end), Some(at)) = (r.body_end, r.body_ms) {
                more.push(match end {
                    BodyEnd::NoBody => "no body (the status has none)".to_owned(),
                    BodyEnd::Length | BodyEnd::Chunked | BodyEnd::Close => {
                        format!("end of the body after {at:.1} ms")
                    }
                    BodyEnd::Prefix => format!(
                        "the first {} body bytes after {at:.1} ms (the rest was not read)",
                        r.body_bytes
                    ),
                    BodyEnd::Deadline => format!(
                        "the body had not ended after {at:.1} ms: the server keeps the connection open without saying the body's length"
                    ),
                    BodyEnd::Error => format!("reading the body failed after {at:.1} ms"),
                });
            }
            (head, more)
        }
    }
}

/// The catalog texts that explain `d` to `audience`: the status's own
/// (`status.<code>[.<sub>].<audience>`) when that status was received, then
/// the failure type's (`type.<name>.<audience>`), those that exist. A status
/// nobody sent (a probe whose connection failed) says nothing: its texts
/// speak of a proxy that may not exist; nor do the types' texts when this
/// program's own runtime saw the failure (they speak of a gateway).
pub fn audience_texts(d: &Diagnosis, audience: Audience, lang: Lang) -> Vec<&'static str> {
    if is_client_runtime(d.layer) {
        // The failure types' texts speak from a gateway's side; this program
        // connected to the server itself, so only the steps above speak.
        return Vec::new();
    }
    let mut keys = Vec::new();
    if let Some(code) = d.received_status {
        if let Some(sub) = d.sub_status {
            keys.push(format!("status.{code}.{sub}.{}", audience.name()));
        }
        keys.push(format!("status.{code}.{}", audience.name()));
    }
    if let Some(t) = d.error_type {
        keys.push(format!("type.{}.{}", t.name(), audience.name()));
    }
    keys.iter().filter_map(|k| i18n::message(lang, k)).collect()
}

/// A catalog text.
fn t(lang: Lang, key: &str) -> String {
    i18n::format(lang, key, &[])
}

/// A "label: value" line of the catalog's form.
fn field(lang: Lang, label_key: &str, value: &str) -> String {
    i18n::format(
        lang,
        "page.field",
        &[("label", &t(lang, label_key)), ("value", value)],
    )
}

/// The localized name of the layer that wrote the error (never its id).
pub fn layer_name(d: &Diagnosis, lang: Lang) -> String {
    i18n::message(lang, &format!("layer.{}", d.layer.name()))
        .map(str::to_owned)
        .unwrap_or_else(|| d.layer.info().display.to_owned())
}

/// Writes the diagnosis block, then what `audience` can do.
pub fn diagnosis_block(
    out: &mut String,
    d: &Diagnosis,
    audience: Audience,
    lang: Lang,
    known: &Known,
    style: &Style,
) {
    let title = d
        .error_type
        .and_then(|e| i18n::message(lang, &format!("type.{}.title", e.name())))
        .or_else(|| i18n::message(lang, &format!("status.{}.meaning", d.status)))
        .unwrap_or("");
    let _ = writeln!(out, "{}", style.bold(&style.bad(title)));
    let code = match d.error_type {
        Some(e) => i18n::format(
            lang,
            "page.code",
            &[("status", &d.status.to_string()), ("type", e.name())],
        ),
        None => d.status.to_string(),
    };
    let mut facts = vec![field(lang, "page.label.code", &code)];
    if let Some(h) = d.hop {
        facts.push(field(lang, "page.label.hop", &step_label(h, lang)));
    }
    facts.push(field(lang, "page.label.layer", &layer_name(d, lang)));
    facts.push(field(
        lang,
        "page.label.temporary",
        &t(
            lang,
            if d.retryable {
                "page.value.yes"
            } else {
                "page.value.no"
            },
        ),
    ));
    facts.push(field(
        lang,
        "page.label.confidence",
        &t(lang, &format!("confidence.{}", d.confidence.name())),
    ));
    if let Some(v) = &d.vendor_code {
        facts.push(field(lang, "page.label.vendor_code", &clean(v, 100)));
    }
    for f in facts {
        let _ = writeln!(out, "  {f}");
    }
    if let Some(s) = d
        .error_type
        .filter(|_| !is_client_runtime(d.layer))
        .and_then(|e| i18n::message(lang, &format!("type.{}.summary", e.name())))
    {
        let _ = writeln!(out, "  {s}");
    }
    if let Some(detail) = &d.detail {
        let _ = writeln!(
            out,
            "  {}",
            i18n::format(
                lang,
                "page.owner.detail",
                &[("detail", &clean(detail, 400))]
            )
        );
    }
    if !d.alternatives.is_empty() {
        let alts: Vec<&str> = d.alternatives.iter().map(|e| e.name()).collect();
        let _ = writeln!(
            out,
            "  {}",
            field(
                lang,
                "page.label.alternatives",
                &alts.join(&t(lang, "page.list_separator"))
            )
        );
    }
    let texts = audience_texts(d, audience, lang);
    let items = advice::items(d, audience, lang, known);
    if !items.is_empty() || !texts.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style.bold(&t(lang, &format!("audience.{}", audience.name())))
        );
        for text in texts {
            let _ = writeln!(out, "  {text}");
        }
        for i in items {
            let _ = writeln!(out, "  - {}", i.text);
            if let Some(c) = i.command {
                let _ = writeln!(out, "      $ {c}");
            }
        }
    }
}

/// The whole text report.
pub fn text(report: &Report, lang: Lang, known: &Known, style: &Style) -> String {
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
            let _ = writeln!(
                out,
                "\n{}\n",
                field(lang, "page.label.hop", &step_label(step, lang))
            );
            diagnosis_block(&mut out, d, Audience::Owner, lang, known, style);
        }
        (Some(d), None) => {
            // The failure is behind the server that answered.
            let status = report.status.unwrap_or(d.status);
            let _ = writeln!(
                out,
                "\n{}\n",
                field(lang, "page.label.received_status", &status.to_string())
            );
            diagnosis_block(&mut out, d, Audience::Owner, lang, known, style);
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
