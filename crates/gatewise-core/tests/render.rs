//! Renderers: structure and safety of the HTML page for every failure type in
//! a left-to-right and a right-to-left language, owner-only details, escaping
//! of hostile values, problem JSON members, the text body, content and
//! language negotiation, and a snapshot of one page.
//!
//! These tests use only the renderers' own `page.*` texts and structure, not
//! the taxonomy's, status registry's or advice's texts.
// A test may unwrap, index and panic: a failure is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use gatewise_core::i18n::{self, Lang};
use gatewise_core::render::negotiate::{self, Format};
use gatewise_core::render::{self, texts, PageContext};
use gatewise_core::{
    Diagnosis, ErrorType, Evidence, EvidenceSource, Layer, ProxyStatusEntry, Reached, Segment,
};

const SECRET_HOST: &str = "backend-7.internal.example";
const SECRET_WORDS: &str = "while connecting to upstream";

fn ar() -> Lang {
    Lang::from_tag("ar").unwrap()
}

/// A diagnosis of `t` carrying owner-only facts that name a secret host.
fn diagnosis(t: ErrorType) -> Diagnosis {
    let mut d = Diagnosis::for_type(t, Layer::Nginx)
        .with_received_status(502)
        .with_evidence(Evidence::new(
            EvidenceSource::Log,
            format!("upstream: http://{SECRET_HOST}:8080/"),
            Some("nginx.log"),
        ))
        .with_alternative(ErrorType::ConnectionTimeout);
    d.detail = Some(format!(
        "connect() failed (111) {SECRET_WORDS}, upstream: \"http://{SECRET_HOST}:8080/\""
    ));
    d.vendor_code = Some("ECONNREFUSED".into());
    d.chain.push(ProxyStatusEntry {
        proxy: "lb-1".into(),
        error: Some("connection_refused".into()),
        next_hop: Some(SECRET_HOST.into()),
        ..ProxyStatusEntry::default()
    });
    d
}

/// Every failure type, plus diagnoses naming no failure type (origin error,
/// unknown), plus one failing on the client segment.
fn all_diagnoses() -> Vec<Diagnosis> {
    let mut out: Vec<Diagnosis> = ErrorType::ALL.iter().map(|t| diagnosis(*t)).collect();
    out.push(Diagnosis::for_status(500, Layer::OriginApp));
    out.push(Diagnosis::for_status(503, Layer::Unknown));
    let mut client = diagnosis(ErrorType::TlsProtocolError);
    client.segment = Segment::Client;
    client.layer = Layer::Browser;
    out.push(client);
    let mut later = diagnosis(ErrorType::DestinationUnavailable);
    later.retry_after = Some(30);
    out.push(later);
    out
}

fn ctx(lang: Lang) -> PageContext {
    let mut c = PageContext::new(lang);
    c.request_id = Some("8a1b2c3d4e5f6a7b-AMS".into());
    c.time = Some("2025-01-31T12:00:00Z".into());
    c.site_name = Some("Example Shop".into());
    c.contact = Some("ops@shop.example".into());
    c.status_page = Some("https://status.shop.example/".into());
    c.url = Some("https://shop.example/cart".into());
    c
}

const VOID: &[&str] = &["meta", "br", "hr", "img", "input", "link"];

/// Checks that tags nest properly (a stack over every tag), returning the tag names in order.
fn assert_balanced(html: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("unclosed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name, "<{open}> closed by </{name}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(!name.is_empty(), "bad tag <{tag}>");
        seen.push(name.clone());
        if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
        if seen
            .last()
            .is_some_and(|n| n == "style" || n == "title" || n == "script")
        {
            // Raw text elements: their content holds no '<' (checked here).
            let close = rest.find("</").expect("raw text element not closed");
            assert!(!rest[..close].contains('<'));
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    seen
}

fn assert_page_structure(html: &str, lang: Lang, d: &Diagnosis) {
    let what = format!("{} {:?} {}", lang, d.error_type, d.status);
    assert!(html.starts_with("<!doctype html>"), "{what}");
    assert!(
        html.contains(&format!(
            r#"<html lang="{}" dir="{}">"#,
            lang.tag(),
            lang.dir()
        )),
        "{what}"
    );
    for meta in [
        r#"<meta charset="utf-8">"#,
        r#"<meta name="viewport" content="width=device-width,initial-scale=1">"#,
        r#"<meta name="color-scheme" content="light dark">"#,
    ] {
        assert!(html.contains(meta), "{what}: {meta}");
    }
    let tags = assert_balanced(html);
    let count = |n: &str| tags.iter().filter(|t| *t == n).count();
    assert_eq!(count("main"), 1, "{what}");
    assert_eq!(count("h1"), 1, "{what}");
    assert_eq!(count("title"), 2, "{what}: document title and SVG title");
    assert_eq!(count("style"), 1, "{what}");
    assert_eq!(count("svg"), 1, "{what}");
    assert_eq!(count("details"), 1, "{what}");
    assert_eq!(count("summary"), 1, "{what}");
    assert_eq!(
        count("script") + count("link") + count("img") + count("iframe"),
        0,
        "{what}"
    );
    let headings: Vec<&String> = tags
        .iter()
        .filter(|t| t.starts_with('h') && t.len() == 2)
        .collect();
    assert_eq!(
        headings.first().map(|s| s.as_str()),
        Some("h1"),
        "{what}: first heading"
    );
    assert!(
        headings.iter().all(|h| *h == "h1" || *h == "h2"),
        "{what}: {headings:?}"
    );
    // No external requests of any kind.
    for bad in [" src=", "url(", "@import", "http-equiv", "<link"] {
        assert!(!html.contains(bad), "{what}: {bad}");
    }
    // Content order (issue 14, item 4): the path picture first, the plain
    // headline, the status sent, the visitor's advice, the request id, then
    // the folded details holding the machine-readable code.
    let pos = |s: &str| html.find(s).unwrap_or_else(|| panic!("{what}: no {s}"));
    let status_line = i18n::format(lang, "page.code_line", &[("status", &d.status.to_string())]);
    let status_line = format!(r#"<p class="status">{status_line}</p>"#);
    // A failure a browser reported itself was answered with no status: none is shown.
    let shown = d.received_status.is_some() || !gatewise_core::advice::is_client_runtime(d.layer);
    assert_eq!(html.contains(&status_line), shown, "{what}");
    let order = [
        pos("<main"),
        pos(r#"<figure class="path">"#),
        pos("<svg"),
        pos("<h1>"),
        if shown {
            pos(&status_line)
        } else {
            pos("</h1>")
        },
        pos(&i18n::format(lang, "page.heading.visitor", &[])),
        pos("8a1b2c3d4e5f6a7b-AMS"),
        pos("<details"),
        pos(r#"<code class="code">"#),
        pos("</main>"),
        pos("<footer>"),
    ];
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "{what}: order {order:?}"
    );
    // The machine-readable code, in the details only.
    let code = match d.error_type {
        Some(t) => format!(r#"<code class="code">{} · {}</code>"#, d.status, t.name()),
        None => format!(r#"<code class="code">{}</code>"#, d.status),
    };
    assert!(html.contains(&code), "{what}: {code}");
    if let Some(t) = d.error_type {
        let token = format!("{} · {}", d.status, t.name());
        assert_eq!(html.matches(&token).count(), 1, "{what}: {token} once");
    }
    // The headline is a text, never a bare catalog key.
    let h1 = &html[pos("<h1>") + 4..pos("</h1>")];
    assert!(
        !h1.is_empty()
            && !h1.starts_with("type.")
            && !h1.starts_with("status.")
            && !h1.starts_with("page."),
        "{what}: {h1}"
    );
    // Diagnosis facts in the fold.
    for label in [
        "page.label.layer",
        "page.label.confidence",
        "page.label.reached",
        "page.heading.owner",
    ] {
        assert!(
            html.contains(&i18n::format(lang, label, &[])),
            "{what}: {label}"
        );
    }
    if d.hop.is_some() {
        assert!(
            html.contains(&i18n::format(lang, "page.label.hop", &[])),
            "{what}"
        );
    }
}

/// The SVG marks exactly the failing element, in colour (class `bad`) and
/// with a cross, and says so in its title.
fn assert_diagram(html: &str, lang: Lang, d: &Diagnosis) {
    let start = html.find("<svg").unwrap();
    let svg = &html[start..html.find("</svg>").unwrap()];
    assert!(svg.starts_with(r#"<svg role="img" aria-labelledby="gw-path""#));
    let lines: Vec<bool> = svg
        .match_indices("<line ")
        .map(|(i, _)| svg[i..].starts_with(r#"<line class="k bad""#))
        .collect();
    let nodes: Vec<bool> = svg
        .match_indices("<circle class=\"n")
        .map(|(i, _)| svg[i..].starts_with(r#"<circle class="n bad""#))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(nodes.len(), 3);
    let expected: ([bool; 2], [bool; 3]) = match d.segment {
        Segment::Client => ([true, false], [false; 3]),
        Segment::Upstream => ([false, true], [false; 3]),
        Segment::Proxy => ([false; 2], [false, true, false]),
        Segment::Origin => ([false; 2], [false, false, true]),
        Segment::Unknown => ([false; 2], [false; 3]),
    };
    assert_eq!(
        (lines.as_slice(), nodes.as_slice()),
        (&expected.0[..], &expected.1[..]),
        "{:?}",
        d.segment
    );
    assert_eq!(
        svg.contains(r#"<g class="x""#),
        d.segment != Segment::Unknown
    );
    let sentence = i18n::format(
        lang,
        &format!("page.diagram.failed.{}", d.segment.name()),
        &[],
    );
    let title = &svg[svg.find("<title").unwrap()..svg.find("</title>").unwrap()];
    assert!(title.contains(&sentence.replace('\'', "&#39;")), "{title}");
    // Right to left: "you" is drawn on the right.
    let first_cx = if lang.is_rtl() {
        r#"cx="400""#
    } else {
        r#"cx="80""#
    };
    assert!(svg[svg.find("<circle class=\"n").unwrap()..].contains(first_cx));
}

#[test]
fn every_page_is_structured_and_marks_the_failing_link() {
    let mut pages = 0;
    for lang in [Lang::EN, ar()] {
        for d in all_diagnoses() {
            let html = render::html(&d, &ctx(lang));
            assert_page_structure(&html, lang, &d);
            assert_diagram(&html, lang, &d);
            pages += 1;
        }
    }
    assert_eq!(pages, 2 * (ErrorType::ALL.len() + 4));
}

#[test]
fn the_failing_segment_follows_the_taxonomy_hop() {
    let html = render::html(&diagnosis(ErrorType::ConnectionRefused), &ctx(Lang::EN));
    let step = i18n::format(
        Lang::EN,
        "page.diagram.step",
        &[("hop", &i18n::format(Lang::EN, "hop.connect.name", &[]))],
    );
    assert!(html.contains(&step), "{step}");
    let html = render::html(&diagnosis(ErrorType::ProxyLoopDetected), &ctx(Lang::EN));
    assert!(html.contains(&i18n::format(Lang::EN, "page.diagram.failed.proxy", &[])));
}

#[test]
fn owner_details_only_when_asked() {
    for d in all_diagnoses().into_iter().filter(|d| d.detail.is_some()) {
        let mut c = ctx(Lang::EN);
        for body in [
            render::html(&d, &c),
            render::text(&d, &c),
            render::problem_json(&d, &c),
        ] {
            assert!(!body.contains(SECRET_HOST), "{:?}", d.error_type);
            assert!(!body.contains(SECRET_WORDS), "{:?}", d.error_type);
        }
        c.owner_details = true;
        let html = render::html(&d, &c);
        assert!(html.contains(SECRET_HOST) && html.contains(SECRET_WORDS));
        assert!(html.contains("<details open>"));
        assert!(html.contains(&i18n::format(Lang::EN, "page.heading.evidence", &[])));
        let text = render::text(&d, &c);
        assert!(text.contains(SECRET_HOST) && text.contains(SECRET_WORDS));
        let json: serde_json::Value = serde_json::from_str(&render::problem_json(&d, &c)).unwrap();
        assert!(json["upstreamDetail"]
            .as_str()
            .unwrap()
            .contains(SECRET_WORDS));
        assert_eq!(json["evidence"][0]["source"], "log");
        assert_eq!(json["chain"][0]["nextHop"], SECRET_HOST);
        assert!(!json["detail"].as_str().unwrap().contains(SECRET_WORDS));
    }
}

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
    "\u{1b}[2J\u{202e}evil",
];

fn hostile(payload: &str) -> (Diagnosis, PageContext) {
    let mut d = diagnosis(ErrorType::ConnectionRefused);
    d.detail = Some(payload.into());
    d.vendor_code = Some(payload.into());
    d.evidence
        .push(Evidence::new(EvidenceSource::Body, payload, Some(payload)));
    d.chain.push(ProxyStatusEntry {
        proxy: payload.into(),
        details: Some(payload.into()),
        ..ProxyStatusEntry::default()
    });
    let mut c = PageContext::new(Lang::EN);
    c.request_id = Some(payload.into());
    c.time = Some(payload.into());
    c.site_name = Some(payload.into());
    c.contact = Some(payload.into());
    c.status_page = Some(payload.into());
    c.url = Some(payload.into());
    c.script_nonce = Some(payload.into());
    c.checks_script = Some(payload.into());
    c.owner_details = true;
    (d, c)
}

#[test]
fn every_reflected_value_is_escaped() {
    for payload in PAYLOADS {
        let (d, c) = hostile(payload);
        let html = render::html(&d, &c);
        assert_balanced(&html);
        for raw in [
            "<script",
            "<img",
            "onerror=alert(1)>",
            "' onmouseover",
            "\u{1b}",
            "\u{202e}",
        ] {
            assert!(!html.contains(raw), "{payload}: {raw} unescaped");
        }
        for attr in [
            "href=\"javascript:",
            "href='javascript:",
            "src=\"javascript:",
            "onerror=\"",
            "onmouseover='",
        ] {
            assert!(!html.contains(attr), "{payload}: {attr}");
        }
        // The value was reflected (escaped), so the test is not vacuous.
        let escaped = render::escape::escape(&render::escape::clean(payload, 256));
        assert!(
            html.matches(&escaped).count() >= 5,
            "{payload} reflected {} times",
            html.matches(&escaped).count()
        );
        // Text: no terminal escapes, no bidi overrides.
        let text = render::text(&d, &c);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{payload}"
        );
        assert!(text.contains(&render::escape::clean(payload, 256)));
        // JSON: still JSON, the value kept as data (cleaned like every reflected value).
        let json: serde_json::Value = serde_json::from_str(&render::problem_json(&d, &c)).unwrap();
        assert_eq!(json["vendorCode"], render::escape::clean(payload, 256));
    }
}

#[test]
fn links_only_for_http_urls_and_script_only_when_asked() {
    let d = diagnosis(ErrorType::ConnectionTimeout);
    let mut c = ctx(Lang::EN);
    let html = render::html(&d, &c);
    assert!(html.contains(r#"<a href="mailto:ops@shop.example">ops@shop.example</a>"#));
    assert!(html.contains(r#"<a href="https://status.shop.example/">"#));
    assert!(html.contains(r#"<a class="go" href="https://shop.example/cart">"#));
    assert!(!html.contains("<script"));
    c.checks_script = Some("/__gatewise/checks.js".into());
    c.script_nonce = Some("r4nd0m".into());
    let html = render::html(&d, &c);
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html
        .contains(r#"<script src="/__gatewise/checks.js" nonce="r4nd0m" defer></script></body>"#));
    c.checks_script = Some("https://evil.example/x.js".into());
    c.script_nonce = None;
    assert!(
        render::html(&d, &c).contains(r#"<script src="https://evil.example/x.js" defer></script>"#)
    );
    for bad in [
        "http://plain.example/x.js",
        "//evil.example/x.js",
        "data:text/javascript,alert(1)",
    ] {
        c.checks_script = Some(bad.into());
        assert!(!render::html(&d, &c).contains("<script"), "{bad}");
    }
    // Not retryable: no "try again" link.
    let html = render::html(&diagnosis(ErrorType::TlsCertificateError), &ctx(Lang::EN));
    assert!(!html.contains(r#"class="go""#));
}

/// The members problem JSON must have: RFC 9457's, the diagnosis's own
/// (without raw upstream text unless asked), `requestId`, `instance`,
/// `ownerActionRequired` and `failure`; no visitor advice.
fn expected_members(d: &Diagnosis, c: &PageContext) -> BTreeSet<String> {
    let serde = serde_json::to_value(d).unwrap();
    let mut keys: BTreeSet<String> = serde.as_object().unwrap().keys().cloned().collect();
    keys.remove("detail");
    if !c.owner_details {
        keys.remove("evidence");
        keys.remove("chain");
    } else if d.detail.is_some() {
        keys.insert("upstreamDetail".into());
    }
    for k in [
        "type",
        "title",
        "status",
        "detail",
        "ownerActionRequired",
        "failure",
    ] {
        keys.insert(k.into());
    }
    if c.request_id.is_some() {
        keys.insert("instance".into());
        keys.insert("requestId".into());
    }
    keys
}

#[test]
fn problem_json_for_every_type() {
    let mut checked = 0;
    for lang in [Lang::EN, ar()] {
        for d in all_diagnoses() {
            for owner in [false, true] {
                let mut c = ctx(lang);
                c.owner_details = owner;
                let body = render::problem_json(&d, &c);
                let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                let members: BTreeSet<String> = v.as_object().unwrap().keys().cloned().collect();
                assert_eq!(
                    members,
                    expected_members(&d, &c),
                    "{:?} owner={owner}",
                    d.error_type
                );
                assert_eq!(v["status"], d.status);
                let ty = match d.error_type {
                    Some(t) => format!("https://gatewise.dev/problems/{}", t.name()),
                    None => "about:blank".into(),
                };
                assert_eq!(v["type"], ty);
                let title = v["title"].as_str().unwrap();
                assert!(
                    !title.is_empty() && !title.contains("type.") && !title.contains("page."),
                    "{title}"
                );
                assert!(!v["detail"].as_str().unwrap().is_empty());
                assert_eq!(v["instance"], "urn:gatewise:request:8a1b2c3d4e5f6a7b-AMS");
                assert_eq!(v["requestId"], "8a1b2c3d4e5f6a7b-AMS");
                assert_eq!(
                    v["ownerActionRequired"],
                    !d.retryable && d.segment != Segment::Client
                );
                assert!(!v["failure"].as_str().unwrap().is_empty());
                assert_eq!(v["layer"], d.layer.name());
                assert_eq!(v["retryable"], d.retryable);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 2 * 2 * (ErrorType::ALL.len() + 4));
    // No request id: no instance.
    let v: serde_json::Value = serde_json::from_str(&render::problem_json(
        &diagnosis(ErrorType::DnsError),
        &PageContext::new(Lang::EN),
    ))
    .unwrap();
    assert!(v.get("instance").is_none() && v.get("requestId").is_none());
}

#[test]
fn text_is_plain_short_and_complete() {
    for d in all_diagnoses() {
        let c = ctx(Lang::EN);
        let body = render::text(&d, &c);
        // No markup and no HTML escaping (commands may hold `<pod>` or `2>&1`).
        for html in [
            "</", "<p", "<li", "<code", "&lt;", "&amp;", "&#39;", "&quot;",
        ] {
            assert!(!body.contains(html), "{html} in {body}");
        }
        // The plain headline first, the code among the facts.
        let words = texts(&d, &c);
        let head = body.split("\n\n").next().unwrap_or("");
        let head = head.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(head.starts_with(&words.title), "{body}");
        let code = match d.error_type {
            Some(t) => format!("Error code: {} · {}\n", d.status, t.name()),
            None => format!("Error code: {}\n", d.status),
        };
        assert!(body.contains(&code), "{body}");
        for key in [
            "page.heading.visitor",
            "page.heading.owner",
            "page.heading.developer",
            "page.label.layer",
        ] {
            assert!(body.contains(&i18n::format(Lang::EN, key, &[])), "{key}");
        }
        assert!(body.contains("Request ID: 8a1b2c3d4e5f6a7b-AMS"));
        if let Some(h) = d.hop {
            assert!(body.contains(&i18n::format(
                Lang::EN,
                &format!("hop.{}.name", h.name()),
                &[]
            )));
        }
        // Prose is wrapped; only a single long word or a command line may be longer.
        let long =
            |l: &&str| l.chars().count() > 80 && l.trim().contains(' ') && !l.starts_with("      ");
        assert!(!body.lines().any(|l| long(&l)), "{body}");
    }
}

#[test]
fn generic_visitor_advice_follows_the_diagnosis() {
    let advice =
        |d: &Diagnosis| -> Vec<String> { texts(d, &PageContext::new(Lang::EN)).visitor_advice };
    let msg = |k: &str, s: &str| i18n::format(Lang::EN, k, &[("seconds", s)]);
    // These hold while the advice table has no visitor remedy for the diagnosis;
    // they check the generic fallback rows of the renderer.
    if gatewise_core::advice::remedies(
        &diagnosis(ErrorType::ConnectionTimeout),
        gatewise_core::Audience::Visitor,
    )
    .is_empty()
    {
        let temp = advice(&diagnosis(ErrorType::ConnectionTimeout));
        assert_eq!(
            temp,
            [
                msg("page.advice.retry", ""),
                msg("page.advice.tell_owner", "")
            ]
        );
        let cert = advice(&diagnosis(ErrorType::TlsCertificateError));
        assert_eq!(
            cert,
            [
                msg("page.advice.not_temporary", ""),
                msg("page.advice.tell_owner", "")
            ]
        );
    }
    let mut later = diagnosis(ErrorType::DestinationUnavailable);
    later.retry_after = Some(120);
    assert_eq!(
        advice(&later).first(),
        Some(&msg("page.advice.retry_after", "120"))
    );
}

#[test]
fn reached_and_alternatives_are_shown() {
    let mut d = diagnosis(ErrorType::ConnectionTerminated);
    d.reached = Reached::Maybe;
    let html = render::html(&d, &ctx(Lang::EN));
    assert!(html.contains(&i18n::format(Lang::EN, "page.reached.maybe", &[])));
    assert!(html.contains("<code>connection_timeout</code>"));
    assert!(html.contains(&i18n::format(Lang::EN, "page.label.alternatives", &[])));
}

// ---- negotiation ----

const CURL: Option<&str> = Some("curl/8.5.0");
const FIREFOX: Option<&str> =
    Some("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");

#[test]
fn accept_negotiation_table() {
    use Format::{Html, Markdown, ProblemJson, Text};
    let cases: &[(Option<&str>, Option<&str>, Format)] = &[
        // Agents asking for Markdown (Cloudflare's "Markdown for Agents").
        (Some("text/markdown"), None, Markdown),
        (Some("text/markdown"), CURL, Markdown),
        (
            Some("text/markdown, text/html;q=0.9, */*;q=0.8"),
            None,
            Markdown,
        ),
        (Some("text/markdown;q=0.5, text/html"), FIREFOX, Html),
        (
            Some("text/html;q=0, text/plain;q=0, text/*"),
            FIREFOX,
            Markdown,
        ),
        (None, None, Html),
        (None, CURL, Text),
        (None, Some("Wget/1.21.2"), Text),
        (None, Some("HTTPie/3.2.2"), Text),
        (Some(""), CURL, Text),
        (Some("*/*"), None, Html),
        (Some("*/*"), CURL, Text),
        (Some("*/*"), FIREFOX, Html),
        (
            Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            FIREFOX,
            Html,
        ),
        (
            Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            CURL,
            Html,
        ),
        (Some("application/json"), None, ProblemJson),
        (Some("application/problem+json"), CURL, ProblemJson),
        (Some("application/*"), None, ProblemJson),
        (Some("text/plain"), FIREFOX, Text),
        (Some("TEXT/PLAIN"), None, Text),
        (Some("text/*"), CURL, Text),
        (Some("text/*"), FIREFOX, Html),
        (
            Some("text/html;q=0.5, application/json;q=0.8"),
            None,
            ProblemJson,
        ),
        (Some("text/html;q=0.8, text/plain;q=0.8"), CURL, Html),
        (Some("text/plain;q=0.8, text/html;q=0.8"), None, Text),
        (
            Some("text/*;q=0.3, text/plain;q=0.2, */*;q=0.1"),
            None,
            Html,
        ),
        (Some("text/html;q=0, */*"), FIREFOX, ProblemJson),
        (Some("text/html;q=0, */*"), CURL, Text),
        (
            Some("application/json, */*;q=0.5"),
            Some("HTTPie/3.2.2"),
            ProblemJson,
        ),
        (
            Some("application/problem+json;q=0.1, application/json"),
            None,
            ProblemJson,
        ),
        (
            Some("application/problem+json;q=0, application/json"),
            None,
            Html,
        ),
        (Some("image/png"), FIREFOX, Html),
        (Some("image/png"), CURL, Text),
        (
            Some("text/html;q=0, text/plain;q=0, image/png"),
            FIREFOX,
            ProblemJson,
        ),
        (Some("text/plain;q=5, application/json"), None, ProblemJson),
        (Some("text/plain;q=abc"), CURL, Text),
        (Some("text/plain;q=abc"), FIREFOX, Html),
        (
            Some("application/json;q=0.1234, text/plain;q=0.5"),
            None,
            Text,
        ),
        (Some("*/html, text/plain"), None, Text),
        (Some("garbage"), CURL, Text),
        (Some(",,, ;;; ===="), FIREFOX, Html),
        (
            Some("text/plain ; q=0.9 ; charset=utf-8, application/json ; q=0.91"),
            None,
            ProblemJson,
        ),
        (
            Some("text/html;level=1;q=0.2, text/plain;q=0.3"),
            None,
            Text,
        ),
        (Some("\u{0}\u{ffff}/é"), None, Html),
    ];
    assert!(cases.len() >= 25);
    for (accept, ua, want) in cases {
        assert_eq!(
            negotiate::format(*accept, *ua),
            *want,
            "Accept {accept:?} UA {ua:?}"
        );
    }
}

#[test]
fn accept_negotiation_is_bounded() {
    // A preferred range past 64 members or 4 KB is not read.
    let many = format!("{}text/plain", "image/png, ".repeat(64));
    assert_eq!(negotiate::format(Some(&many), None), Format::Html);
    let few = format!("{}text/plain", "image/png, ".repeat(63));
    assert_eq!(negotiate::format(Some(&few), None), Format::Text);
    let long = format!("text/html;q=0.1, {}, application/json", "x".repeat(5000));
    assert_eq!(negotiate::format(Some(&long), CURL), Format::Html);
    let huge = "text/plain;q=0.1,".repeat(100_000);
    assert_eq!(negotiate::format(Some(&huge), None), Format::Text);
}

#[test]
fn content_types() {
    assert_eq!(Format::Html.content_type(), "text/html; charset=utf-8");
    assert_eq!(
        Format::ProblemJson.content_type(),
        "application/problem+json"
    );
    assert_eq!(Format::Text.content_type(), "text/plain; charset=utf-8");
    assert_eq!(
        Format::Markdown.content_type(),
        "text/markdown; charset=utf-8"
    );
}

#[test]
fn language_negotiation_table() {
    let cases: &[(Option<&str>, &str)] = &[
        (None, "en"),
        (Some(""), "en"),
        (Some("fr"), "fr"),
        (Some("fr-CA"), "fr"),
        (Some("fr-CA,fr;q=0.9,en;q=0.8"), "fr"),
        (Some("pt-BR"), "pt-BR"),
        (Some("PT-br"), "pt-BR"),
        (Some("pt"), "pt-BR"),
        (Some("pt-PT"), "pt-BR"),
        (Some("pt-AO, en;q=0.5"), "pt-BR"),
        (Some("de-DE-1996"), "de"),
        (Some("ja-JP"), "ja"),
        (Some("zh"), "zh-Hans"),
        (Some("zh-CN"), "zh-Hans"),
        (Some("zh-SG"), "zh-Hans"),
        (Some("zh-Hans"), "zh-Hans"),
        (Some("zh-Hans-CN"), "zh-Hans"),
        (Some("zh-hans-sg"), "zh-Hans"),
        (Some("zh-TW"), "zh-Hans"),
        (Some("zh-HK"), "zh-Hans"),
        (Some("zh-Hant"), "zh-Hans"),
        (Some("zh-Hant-TW"), "zh-Hans"),
        (Some("ar-EG"), "ar"),
        (Some("*"), "en"),
        (Some("ko-KR, ru;q=0.9"), "en"),
        (Some("ko-KR, es;q=0.5"), "es"),
        (Some("en;q=0.5, de"), "de"),
        (Some("de;q=0.5, es;q=0.5"), "de"),
        (Some("fr;q=0, es;q=0.1"), "es"),
        (Some("fr;q=2, es;q=0.1"), "es"),
        (Some("fr;q=abc"), "en"),
        (Some("*;q=0.5, ja"), "ja"),
        (Some("en-x-private"), "en"),
        (Some("x-klingon, pt"), "pt-BR"),
        (Some("es-419"), "es"),
        (Some("en_US"), "en"),
        (Some("fr_CA"), "fr"),
        (Some("verylonglanguage, fr"), "fr"),
        (Some("☃, de"), "de"),
        (Some(";;;,,,=q"), "en"),
    ];
    for (header, want) in cases {
        assert_eq!(
            negotiate::language(*header).tag(),
            *want,
            "Accept-Language {header:?}"
        );
    }
    let many = format!("{}fr", "ko, ".repeat(64));
    assert_eq!(negotiate::language(Some(&many)).tag(), "en");
    let few = format!("{}fr", "ko, ".repeat(63));
    assert_eq!(negotiate::language(Some(&few)).tag(), "fr");
}

#[test]
fn language_from_navigator_languages() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "en"),
        (&["pt-BR", "en-US"], "pt-BR"),
        (&["pt-PT", "en-US"], "pt-BR"),
        (&["ko", "zh-TW", "en"], "zh-Hans"),
        (&["ko", "ru"], "en"),
        (&["", "  ", "ar"], "ar"),
        (&["<script>", "de-AT"], "de"),
    ];
    for (list, want) in cases {
        assert_eq!(negotiate::language_from_list(list).tag(), *want, "{list:?}");
    }
    let long: Vec<&str> = std::iter::repeat_n("ko", 64).chain(["fr"]).collect();
    assert_eq!(negotiate::language_from_list(&long).tag(), "en");
}

// ---- snapshot and size ----

fn snapshot_diagnosis() -> (Diagnosis, PageContext) {
    let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx)
        .with_received_status(502)
        .with_evidence(Evidence::new(
            EvidenceSource::Body,
            "nginx/1.22.1",
            Some("nginx.default_page"),
        ));
    let mut c = ctx(Lang::EN);
    c.owner_details = false;
    (d, c)
}

#[test]
fn page_snapshot_en() {
    let (d, c) = snapshot_diagnosis();
    let html = render::html(&d, &c);
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/page_en.html");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &html).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if want != html {
        let new = path.with_extension("html.new");
        std::fs::write(&new, &html).unwrap();
        panic!(
            "{} differs: see {} (UPDATE_SNAPSHOTS=1 to accept)",
            path.display(),
            new.display()
        );
    }
}

#[test]
fn a_typical_page_is_small() {
    let (d, mut c) = snapshot_diagnosis();
    c.checks_script = Some("/__gatewise/checks.js".into());
    let html = render::html(&d, &c);
    // Written out so that its gzip size can be measured: gzip -c <file> | wc -c
    let out = std::env::temp_dir().join("gatewise_page_en.html");
    std::fs::write(&out, &html).unwrap();
    assert!(html.len() < 16 * 1024, "{} bytes", html.len());
}

#[test]
fn a_low_confidence_guess_is_not_headlined_as_fact() {
    use gatewise_core::Confidence;
    let workerd = gatewise_core::classify::TransportError {
        name: Some("Error".into()),
        message: "Network connection lost.".into(),
        retryable: Some(true),
        ..Default::default()
    };
    let d = gatewise_core::classify::transport(&workerd);
    assert_eq!(d.confidence, Confidence::Low);
    assert!(!d.alternatives.is_empty());
    let t = d.error_type.expect("a likeliest type");
    let title = i18n::format(Lang::EN, &format!("type.{}.title", t.name()), &[]);
    let html = render::html(&d, &PageContext::new(Lang::EN));
    let h1 = html
        .split("<h1")
        .nth(1)
        .and_then(|s| s.split("</h1>").next())
        .unwrap_or_default();
    assert!(
        !h1.contains(&title),
        "headline {h1:?} states the guess {title:?}"
    );
    // The owner still sees the likeliest type and what it cannot be told apart from.
    assert!(html.contains(t.name()));
    let sure = d.clone().with_confidence(Confidence::High);
    let html = render::html(&sure, &PageContext::new(Lang::EN));
    assert!(html.contains(&title));
}

// ---- the live-checks script's hooks ----

/// `<main data-gatewise-config="…">` as JSON (attribute unescaped).
fn page_config(html: &str) -> Option<serde_json::Value> {
    let start =
        html.find(r#"<main data-gatewise-config=""#)? + r#"<main data-gatewise-config=""#.len();
    let end = start + html[start..].find('"')?;
    let raw = html[start..end]
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    Some(serde_json::from_str(&raw).unwrap())
}

#[test]
fn the_checks_script_gets_its_config_and_ids_only_with_the_script() {
    use gatewise_core::checks::ChecksConfig;
    let d = diagnosis(ErrorType::ConnectionRefused);
    let mut c = ctx(Lang::EN);
    let html = render::html(&d, &c);
    assert!(html.contains("<main>") && page_config(&html).is_none());
    // The diagram's elements carry the ids the script redraws, with or without it.
    for id in [
        "gw-you",
        "gw-l1",
        "gw-edge",
        "gw-l2",
        "gw-origin",
        "gw-x",
        "gw-cap",
        "gw-path",
    ] {
        assert_eq!(html.matches(&format!(r#"id="{id}""#)).count(), 1, "{id}");
    }
    c.checks_script = Some("/__gatewise/checks.js".into());
    c.checks = Some(ChecksConfig {
        resolver: Some("https://dns.example/dns-query".into()),
        sites: Some(vec![
            "https://a.example/".into(),
            "javascript:alert(1)".into(),
        ]),
        timeout_ms: Some(99_999),
        auto_reload: Some(false),
        ..ChecksConfig::default()
    });
    let html = render::html(&d, &c);
    let cfg = page_config(&html).unwrap();
    assert_eq!(cfg["status"], 502);
    assert_eq!(cfg["errorType"], "connection_refused");
    assert_eq!(cfg["hop"], "connect");
    assert_eq!(cfg["segment"], "upstream");
    assert_eq!(cfg["requestId"], c.request_id.clone().unwrap());
    assert_eq!(
        cfg["checks"],
        serde_json::json!({"resolver": "https://dns.example/dns-query", "sites": ["https://a.example/"],
                           "timeoutMs": 2500, "autoReload": false})
    );
    // A script the renderer refuses gets no config either.
    c.checks_script = Some("//evil.example/x.js".into());
    assert!(page_config(&render::html(&d, &c)).is_none());
    // Hostile values stay data: escaped in the attribute, intact in the JSON.
    for payload in PAYLOADS {
        let (d, mut c) = hostile(payload);
        c.checks_script = Some("/__gatewise/checks.js".into());
        c.checks = Some(ChecksConfig {
            host: Some((*payload).into()),
            health: Some((*payload).into()),
            ..ChecksConfig::default()
        });
        let html = render::html(&d, &c);
        assert_balanced(&html);
        assert!(!html.contains("<script src=\"javascript"), "{payload}");
        let cfg = page_config(&html).unwrap();
        assert_eq!(cfg["requestId"], render::escape::clean(payload, 256));
        assert_eq!(cfg["checks"].get("health"), None, "{payload}");
        assert_eq!(cfg["checks"].get("host"), None, "{payload}");
    }
}
