//! What visitors and owners read (issue 14, items 2–4), across every
//! renderer: no placeholder is ever shown raw, at most five remedies per
//! audience, one confidence vocabulary, static pages without commands, and
//! the Markdown answer for agents.

use gatewise_core::advice::{self, has_placeholder, MAX_PER_AUDIENCE};
use gatewise_core::i18n::{self, Lang};
use gatewise_core::render::{self, texts, PageContext};
use gatewise_core::{Confidence, Diagnosis, ErrorType, Evidence, EvidenceSource, Layer, Segment};

const LAYERS: &[Layer] = &[
    Layer::Nginx,
    Layer::Iis,
    Layer::Cloudflare,
    Layer::Heroku,
    Layer::Workerd,
    Layer::Browser,
    Layer::OriginApp,
    Layer::Unknown,
];

fn diagnoses() -> Vec<Diagnosis> {
    let mut out = Vec::new();
    for t in ErrorType::ALL {
        for layer in LAYERS {
            out.push(Diagnosis::for_type(*t, *layer));
        }
    }
    let mut guess = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Workerd)
        .with_alternative(ErrorType::ConnectionTerminated)
        .with_alternative(ErrorType::HttpProtocolError)
        .with_confidence(Confidence::Low);
    guess.segment = Segment::Upstream;
    out.push(guess);
    let mut client = Diagnosis::for_type(ErrorType::DnsError, Layer::Browser);
    client.segment = Segment::Client;
    out.push(client);
    for s in [500, 502, 503, 504] {
        out.push(Diagnosis::for_status(s, Layer::Nginx));
    }
    out
}

fn ctx(lang: Lang, url: Option<&str>) -> PageContext {
    let mut c = PageContext::new(lang);
    c.url = url.map(str::to_owned);
    c.request_id = Some("req-1".into());
    c
}

/// Issue 14, item 2: over every type × layer × language, with and without a
/// URL, no renderer shows a `{placeholder}`, and no audience gets more than
/// five remedies.
#[test]
fn no_raw_placeholder_and_at_most_five_everywhere() {
    let mut pages = 0;
    for lang in Lang::all() {
        for d in diagnoses() {
            for url in [None, Some("https://shop.example:8443/cart?id=1")] {
                let c = ctx(lang, url);
                let x = texts(&d, &c);
                assert!(
                    x.visitor_advice.len() <= MAX_PER_AUDIENCE,
                    "{lang} {:?}",
                    d.error_type
                );
                assert!(
                    x.owner_advice.len() <= MAX_PER_AUDIENCE,
                    "{lang} {:?}",
                    d.error_type
                );
                assert!(
                    x.developer_advice.len() <= MAX_PER_AUDIENCE,
                    "{lang} {:?}",
                    d.error_type
                );
                let json = serde_json::to_string(&x).unwrap_or_default();
                for body in [
                    render::html(&d, &c),
                    render::text(&d, &c),
                    render::markdown(&d, &c),
                    render::problem_json(&d, &c),
                    json,
                ] {
                    assert!(
                        !has_placeholder(&body),
                        "{lang} {:?} {}: {body}",
                        d.error_type,
                        d.layer
                    );
                    pages += 1;
                }
            }
        }
    }
    assert!(pages > 20_000, "{pages}");
}

/// Issue 14, item 3: the remedy counts per audience over every type × layer,
/// printed for the report; each at most five.
#[test]
fn remedy_counts_per_audience() {
    for a in gatewise_core::Audience::ALL {
        let counts: Vec<usize> = ErrorType::ALL
            .iter()
            .flat_map(|t| {
                Layer::ALL
                    .iter()
                    .map(move |l| advice::remedies(&Diagnosis::for_type(*t, *l), *a).len())
            })
            .collect();
        let max = counts.iter().copied().max().unwrap_or(0);
        let mean = counts.iter().sum::<usize>() as f64 / counts.len() as f64;
        println!(
            "{a}: max {max}, mean {mean:.2} over {} type × layer",
            counts.len()
        );
        assert!(max <= MAX_PER_AUDIENCE && mean >= 1.0, "{a}");
    }
}

/// Issue 14, item 2: a page written ahead of time (`gatewise pages`) holds
/// no owner command and no log location.
#[test]
fn static_pages_hold_no_commands() {
    for lang in Lang::all() {
        for layer in [
            Layer::Nginx,
            Layer::Apache,
            Layer::Iis,
            Layer::Haproxy,
            Layer::Caddy,
        ] {
            for status in [500, 502, 503, 504] {
                let d = Diagnosis::for_status(status, layer);
                let mut c = PageContext::new(lang);
                c.static_page = true;
                let html = render::html(&d, &c);
                assert!(
                    !html.contains("<li>") || !html.contains("</code></li>"),
                    "{lang} {layer}"
                );
                for command in [
                    "tail ",
                    "systemctl",
                    "journalctl",
                    "Get-",
                    "curl",
                    "/var/log",
                ] {
                    assert!(
                        !html.contains(command),
                        "{lang} {layer} {status}: {command}"
                    );
                }
                assert!(texts(&d, &c)
                    .owner_advice
                    .iter()
                    .all(|a| a.command.is_none()));
                let text = render::text(&d, &c);
                assert!(
                    !text.contains("/var/log") && !text.contains("systemctl"),
                    "{text}"
                );
            }
        }
    }
}

/// Issue 14, item 4: one confidence vocabulary — the page, the text and the
/// Markdown say the catalog's word, and in English that word is the JSON's.
#[test]
fn one_confidence_vocabulary() {
    for lang in Lang::all() {
        for conf in [Confidence::High, Confidence::Medium, Confidence::Low] {
            let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx)
                .with_confidence(conf);
            let c = ctx(lang, None);
            let word = i18n::format(lang, &format!("confidence.{}", conf.name()), &[]);
            let label = i18n::format(lang, "page.label.confidence", &[]);
            let line = i18n::format(lang, "page.field", &[("label", &label), ("value", &word)]);
            assert!(render::text(&d, &c).contains(&line), "{lang} {conf}");
            assert!(
                render::html(&d, &c).contains(&format!("<dd>{word}</dd>")),
                "{lang} {conf}"
            );
            assert!(render::markdown(&d, &c).contains(&word), "{lang} {conf}");
            let json: serde_json::Value =
                serde_json::from_str(&render::problem_json(&d, &c)).unwrap_or_default();
            assert_eq!(json["confidence"], conf.name());
            if lang == Lang::EN {
                assert_eq!(word, conf.name());
            }
        }
    }
}

/// `line` without its Markdown code spans (a run of n backticks up to the
/// next run of exactly n).
fn strip_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find('`') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let n = after.chars().take_while(|c| *c == '`').count();
        let body = &after[n..];
        let fence = "`".repeat(n);
        let mut search = 0;
        let close = loop {
            match body[search..].find(&fence) {
                Some(j) => {
                    let at = search + j;
                    if body[at + n..].starts_with('`') || (at > 0 && body[..at].ends_with('`')) {
                        search = at + body[at..].chars().take_while(|c| *c == '`').count();
                        continue;
                    }
                    break Some(at);
                }
                None => break None,
            }
        };
        match close {
            Some(at) => rest = &body[at + n..],
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Issue 14, item 4: the Markdown answer — facts in front matter, the same
/// words as the page, upstream text and reflected values only in code spans.
#[test]
fn markdown_for_agents() {
    let mut d = Diagnosis::for_type(ErrorType::ConnectionTerminated, Layer::Nginx);
    d.retry_after = Some(7);
    d.detail = Some("reset `by` peer <script>alert(1)</script> [x](javascript:alert(1))".into());
    d.evidence
        .push(Evidence::new(EvidenceSource::Log, "*bold* ```", None));
    let mut c = ctx(Lang::EN, Some("https://shop.example/a_b*c"));
    c.owner_details = true;
    c.request_id = Some("id`<b>".into());
    let md = render::markdown(&d, &c);
    let x = texts(&d, &c);
    let head = md.split("\n---\n").next().unwrap_or("");
    for line in [
        "status: 502",
        "error_type: connection_terminated",
        "retryable: true",
        "retry_after: 7",
        "owner_action_required: false",
        "confidence: medium",
    ] {
        assert!(head.lines().any(|l| l == line), "{line}: {head}");
    }
    assert!(md.contains(&format!("\n# {}\n", x.title)));
    for heading in [
        "page.heading.visitor",
        "page.heading.details",
        "page.heading.owner",
        "page.heading.developer",
        "page.heading.causes",
    ] {
        assert!(
            md.contains(&i18n::format(Lang::EN, heading, &[])),
            "{heading}"
        );
    }
    // Untrusted text is inside code spans, never live Markdown or HTML.
    assert!(md.contains("``id`<b>``"), "{md}");
    assert!(
        md.contains("``reset `by` peer <script>alert(1)</script> [x](javascript:alert(1))``"),
        "{md}"
    );
    assert!(md.contains("```` *bold* ``` ````"), "{md}");
    for line in md.lines() {
        let outside_code = strip_code_spans(line);
        assert!(!outside_code.contains("<script"), "{line}");
        assert!(!outside_code.contains("](javascript"), "{line}");
    }
}

/// Issue 14, item 4: problem JSON carries what a program decides on, and no
/// visitor advice.
#[test]
fn problem_json_for_programs() {
    let cert = Diagnosis::for_type(ErrorType::TlsCertificateError, Layer::Cloudflare);
    let v: serde_json::Value =
        serde_json::from_str(&render::problem_json(&cert, &ctx(Lang::EN, None)))
            .unwrap_or_default();
    assert_eq!(v["retryable"], false);
    assert_eq!(v["ownerActionRequired"], true);
    assert!(v.get("advice").is_none());
    assert!(v["failure"].as_str().is_some_and(|s| s.contains("gateway")));
    let mut busy = Diagnosis::for_type(ErrorType::DestinationUnavailable, Layer::Nginx);
    busy.retry_after = Some(120);
    let v: serde_json::Value =
        serde_json::from_str(&render::problem_json(&busy, &ctx(Lang::EN, None)))
            .unwrap_or_default();
    assert_eq!(
        (v["retryable"].as_bool(), v["retryAfter"].as_u64()),
        (Some(true), Some(120))
    );
    assert_eq!(v["ownerActionRequired"], false);
}

/// Issue 14, items 2 and 4: the explainer's and the element's texts for a
/// log line carry its upstream in the commands, the causes, and the code
/// only in the details.
#[test]
fn texts_of_a_log_line() {
    let line = r#"2026/11/21 06:12:01 [error] 1#1: *1 upstream prematurely closed connection while reading response header from upstream, client: 10.0.0.1, server: _, request: "GET /cart HTTP/1.1", upstream: "http://127.0.0.1:8080/cart", host: "shop.example""#;
    let e = gatewise_core::explain::explain(line).unwrap_or_else(|_| panic!("not recognised"));
    let x = texts(&e.diagnosis, &PageContext::new(Lang::EN));
    let commands: Vec<&str> = x
        .owner_advice
        .iter()
        .filter_map(|a| a.command.as_deref())
        .collect();
    assert!(
        commands.contains(&"curl -sv http://127.0.0.1:8080/cart"),
        "{commands:?}"
    );
    assert!(
        commands.contains(&"tail -n 50 /var/log/nginx/error.log"),
        "{commands:?}"
    );
    assert!(!x.causes.is_empty());
    assert_eq!(x.status_line.as_deref(), Some("Error code 502"));
    assert!(
        x.code.ends_with("connection_terminated") || x.code.contains(" · "),
        "{}",
        x.code
    );
}
