//! No injection: property tests over arbitrary text in everything a page
//! reflects (URL, request id, time, site name, contact, status page, script
//! nonce and source, upstream `detail`, vendor code, evidence, Proxy-Status
//! chain), in upstream bodies and headers, and in log lines.
//!
//! - Every HTML page passes the oracle of `tests/support/html_audit.rs`: only
//!   the renderer's own tags and attributes, every `href` http(s) or mailto
//!   (never `javascript:`), every reflected `<`, `>`, `"`, `'`, `&` escaped;
//!   and no reflected value containing one of them appears raw.
//! - The problem JSON always parses and carries the diagnosis (its extension
//!   members deserialize back to it).
//! - The text body has no control character but `\n`, and no bidi control.
//! - `proxy_status::serialize` always writes a value that parses back, to
//!   the same entries when their texts are printable ASCII.
//!
//! 256 cases per property (the test gate stays fast); the fuzz targets
//! (`fuzz/`) run the same checks for minutes.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

#[path = "support/html_audit.rs"]
mod html_audit;

use gatewise_core::classify::{self, ResponseView};
use gatewise_core::diagnosis::{Confidence, Evidence, EvidenceSource};
use gatewise_core::proxy_status::{self, parse, serialize, MAX_FIELD_LEN};
use gatewise_core::render::{self, escape, PageContext};
use gatewise_core::{logs, Diagnosis, ErrorType, Hop, Lang, Layer, ProxyStatusEntry, Segment};
use proptest::prelude::*;
use proptest::sample::select;

/// Known XSS payloads (also the seeds of the `render` fuzz target).
const XSS: &str = include_str!("../../../fuzz/seeds/xss.txt");

fn payloads() -> Vec<&'static str> {
    XSS.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Text an attacker would send: arbitrary Unicode, markup-heavy ASCII,
/// known payloads, and payloads inside arbitrary text.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[<>\"'&=/:;a-z \\\\\u{0}\u{1b}\u{202e}\n]{0,40}",
        select(payloads()).prop_map(str::to_owned),
        (any::<String>(), select(payloads()), any::<String>())
            .prop_map(|(a, p, b)| format!("{a}{p}{b}")),
    ]
}

/// A URL-shaped hostile value: a scheme (or none) and hostile text after it.
fn hostile_url() -> impl Strategy<Value = String> {
    (
        select(vec![
            "https://",
            "http://",
            "HTTPS://shop.example/",
            "javascript:",
            " JaVaScRiPt:",
            "data:text/html,",
            "mailto:",
            "//",
            "/",
            "",
        ]),
        hostile(),
    )
        .prop_map(|(scheme, rest)| format!("{scheme}{rest}"))
}

/// Wraps a value between letters, so that finding it raw in a page is meaningful.
fn marked(tag: &str, v: &str) -> String {
    format!("Zq{tag}{v}{tag}qZ")
}

/// Everything a page can reflect, plus the choices of the diagnosis.
#[derive(Debug, Clone)]
struct Input {
    error_type: Option<ErrorType>,
    layer: Layer,
    status: u16,
    segment: Segment,
    hop: Option<Hop>,
    lang: Lang,
    owner_details: bool,
    retryable: bool,
    retry_after: Option<u32>,
    url: Option<String>,
    request_id: Option<String>,
    time: Option<String>,
    site_name: Option<String>,
    contact: Option<String>,
    status_page: Option<String>,
    script_nonce: Option<String>,
    checks_script: Option<String>,
    detail: Option<String>,
    vendor_code: Option<String>,
    evidence: Vec<String>,
    chain: Vec<(String, String, String)>,
}

fn input() -> impl Strategy<Value = Input> {
    let choices = (
        proptest::option::of(select(ErrorType::ALL.to_vec())),
        select(Layer::ALL.to_vec()),
        prop_oneof![
            select(vec![0u16, 200, 404, 429, 500, 502, 503, 504, 520, 524]),
            any::<u16>()
        ],
        select(Segment::ALL.to_vec()),
        proptest::option::of(select(Hop::ALL.to_vec())),
        select(Lang::all().collect::<Vec<_>>()),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(0u32..100_000),
    );
    let context = (
        proptest::option::of(hostile_url()),
        proptest::option::of(hostile()),
        proptest::option::of(hostile()),
        proptest::option::of(hostile()),
        proptest::option::of(prop_oneof![hostile_url(), hostile()]),
        proptest::option::of(hostile_url()),
        proptest::option::of(hostile()),
        proptest::option::of(hostile_url()),
    );
    let upstream = (
        proptest::option::of(hostile()),
        proptest::option::of(hostile()),
        proptest::collection::vec(hostile(), 0..4),
        proptest::collection::vec((hostile(), hostile(), hostile()), 0..3),
    );
    (choices, context, upstream).prop_map(|(c, x, u)| Input {
        error_type: c.0,
        layer: c.1,
        status: c.2,
        segment: c.3,
        hop: c.4,
        lang: c.5,
        owner_details: c.6,
        retryable: c.7,
        retry_after: c.8,
        url: x.0,
        request_id: x.1.map(|v| marked("id", &v)),
        time: x.2.map(|v| marked("time", &v)),
        site_name: x.3.map(|v| marked("site", &v)),
        contact: x.4,
        status_page: x.5,
        script_nonce: x.6.map(|v| marked("nonce", &v)),
        checks_script: x.7,
        detail: u.0.map(|v| marked("detail", &v)),
        vendor_code: u.1.map(|v| marked("code", &v)),
        evidence: u.2.into_iter().map(|v| marked("ev", &v)).collect(),
        chain: u.3,
    })
}

fn build(i: &Input) -> (Diagnosis, PageContext) {
    let mut d = match i.error_type {
        Some(t) => Diagnosis::for_type(t, i.layer).with_received_status(i.status),
        None => Diagnosis::for_status(i.status, i.layer),
    };
    d.segment = i.segment;
    d.hop = i.hop;
    d.retryable = i.retryable;
    d.retry_after = i.retry_after;
    d.confidence = Confidence::Medium;
    d.detail = i.detail.clone();
    d.vendor_code = i.vendor_code.clone();
    for fact in &i.evidence {
        d.evidence.push(Evidence::new(
            EvidenceSource::Body,
            fact.clone(),
            Some("rule"),
        ));
    }
    for (proxy, error, details) in &i.chain {
        d.chain.push(ProxyStatusEntry {
            proxy: proxy.clone(),
            error: Some(error.clone()),
            details: Some(details.clone()),
            ..ProxyStatusEntry::default()
        });
    }
    let mut ctx = PageContext::new(i.lang);
    ctx.owner_details = i.owner_details;
    ctx.url = i.url.clone();
    ctx.request_id = i.request_id.clone();
    ctx.time = i.time.clone();
    ctx.site_name = i.site_name.clone();
    ctx.contact = i.contact.clone();
    ctx.status_page = i.status_page.clone();
    ctx.script_nonce = i.script_nonce.clone();
    ctx.checks_script = i.checks_script.clone();
    (d, ctx)
}

/// The page passes the oracle, and no marked value with a special character appears raw.
fn assert_html_safe(html: &str, reflected: &[&str]) {
    if let Err(e) = html_audit::audit(html) {
        panic!("{e}\n--- page ---\n{html}");
    }
    for v in reflected {
        if v.contains(['<', '>', '"', '\'', '&']) {
            assert!(!html.contains(v), "{v:?} appears unescaped");
        }
    }
}

/// The text body: no control character but `\n`, no bidi control.
fn assert_text_clean(text: &str) {
    if let Some(c) = text.chars().find(|c| {
        (c.is_control() && *c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }) {
        panic!("{c:?} in the text body:\n{text}");
    }
}

/// The problem JSON parses, and its extension members are the diagnosis
/// (raw upstream fields only with owner details, `detail` then cleaned and
/// renamed `upstreamDetail`), every string cleaned and every list capped as
/// `render::problem` documents.
fn assert_problem_carries(json: &str, d: &Diagnosis, ctx: &PageContext) {
    let mut v: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    let m = v.as_object_mut().expect("an object");
    for member in ["type", "title", "detail", "instance", "requestId", "advice"] {
        m.remove(member);
    }
    if let Some(up) = m.remove("upstreamDetail") {
        m.insert("detail".into(), up);
    }
    let back: Diagnosis = serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}: {json}"));
    let mut want = d.clone();
    let (short, long, max) = (escape::SHORT, escape::LONG, escape::MAX_ITEMS);
    want.vendor_code = escape::clean_opt(d.vendor_code.as_deref(), short);
    want.alternatives.truncate(max);
    if ctx.owner_details {
        want.detail = d.detail.as_deref().map(|s| escape::clean(s, long));
        want.evidence.truncate(max);
        for e in &mut want.evidence {
            e.fact = escape::clean(&e.fact, long);
            e.rule = e.rule.as_deref().map(|r| escape::clean(r, short));
        }
        want.chain.drain(..d.chain.len().saturating_sub(max));
        for c in &mut want.chain {
            c.proxy = escape::clean(&c.proxy, short);
            for v in [&mut c.error, &mut c.next_hop, &mut c.next_protocol] {
                *v = v.as_deref().map(|s| escape::clean(s, short));
            }
            c.details = c.details.as_deref().map(|s| escape::clean(s, long));
            c.params.truncate(max);
            for (k, v) in &mut c.params {
                (*k, *v) = (escape::clean(k, short), escape::clean(v, short));
            }
        }
    } else {
        want.detail = None;
        want.evidence.clear();
        want.chain.clear();
    }
    assert_eq!(back, want);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn html_escapes_every_reflected_value(i in input()) {
        let (d, ctx) = build(&i);
        let html = render::html(&d, &ctx);
        let reflected: Vec<&str> = [&i.request_id, &i.time, &i.site_name, &i.script_nonce, &i.detail, &i.vendor_code]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .chain(i.evidence.iter().map(String::as_str))
            .collect();
        assert_html_safe(&html, &reflected);
    }

    #[test]
    fn problem_json_parses_and_carries_the_diagnosis(i in input()) {
        let (d, ctx) = build(&i);
        assert_problem_carries(&render::problem_json(&d, &ctx), &d, &ctx);
        // The diagnosis' own JSON form round-trips.
        let json = serde_json::to_string(&d).unwrap();
        prop_assert_eq!(serde_json::from_str::<Diagnosis>(&json).unwrap(), d);
    }

    #[test]
    fn text_has_no_control_characters(i in input()) {
        let (d, ctx) = build(&i);
        assert_text_clean(&render::text(&d, &ctx));
    }
}

// --- Upstream responses and log lines --------------------------------------

/// Error pages and headers of real layers with hostile text where the layer
/// puts its own words (the parts fingerprints capture as `detail` or code).
fn upstream() -> impl Strategy<Value = (u16, Vec<(String, String)>, String)> {
    (select(vec![0usize, 1, 2, 3, 4, 5]), hostile(), hostile()).prop_map(|(k, x, y)| {
        let h = |n: &str, v: &str| (n.to_owned(), v.to_owned());
        match k {
            0 => (503, vec![h("server", "envoy")], format!(
                "upstream connect error or disconnect/reset before headers. reset reason: {x}, transport failure reason: {y}"
            )),
            1 => (502, vec![h("Server", "Apache/2.4.57")], format!(
                "<html><head><title>502 Proxy Error</title></head><body><h1>Proxy Error</h1><p>The proxy server received an invalid\nresponse from an upstream server.<br />\nThe proxy server could not handle the request<p>Reason: <strong>{x}</strong></p></p><hr><address>{y}</address></body></html>"
            )),
            2 => (502, vec![h("Server", "squid/5.7"), h("X-Squid-Error", &format!("{x} {y}"))], String::new()),
            3 => {
                let entry = ProxyStatusEntry {
                    proxy: x.clone(),
                    error: Some("connection_refused".into()),
                    details: Some(y.clone()),
                    next_hop: Some(x),
                    ..ProxyStatusEntry::default()
                };
                (502, vec![h("Proxy-Status", &serialize(&[entry]))], y)
            }
            4 => (502, vec![h("Server", &x), h("Via", &y), h("Retry-After", &x)], format!("<h1>{x}</h1>{y}")),
            _ => (504, vec![h("Content-Type", "text/html")], format!(
                "<html><body><h1>504 Gateway Time-out</h1>\n{x}\n</body></html>\n{y}"
            )),
        }
    })
}

/// Real log lines of several formats with hostile text in their fields.
fn log_line() -> impl Strategy<Value = String> {
    (select(vec![0usize, 1, 2, 3, 4]), "[^\n\r]{0,60}", "[^\n\r\"]{0,40}").prop_map(|(k, x, y)| match k {
        0 => format!(r#"2026/11/21 06:18:31 [error] 17702#17702: *3 connect() failed (111: Connection refused) while connecting to upstream, client: {y}, server: {y}, request: "GET /{x} HTTP/1.1", upstream: "http://{y}/", host: "{y}""#),
        1 => format!(r#"127.0.0.1 - - [21/Nov/2026:06:18:42 +0000] "GET /{x} HTTP/1.1" 502 66 "{y}" "{y}""#),
        2 => format!(r#"[Sat Nov 21 06:18:31.123456 2026] [proxy:error] [pid 1:tid 2] (111)Connection refused: AH00957: http: attempt to connect to {y} (*) failed, referer: {x}"#),
        3 => format!(r#"2026-11-21T06:18:31.000000+00:00 heroku[router]: at=error code=H12 desc="{y}" method=GET path="/{x}" host={y} request_id={y} fwd="{y}" dyno=web.1 connect=0ms service=30000ms status=503 bytes=0 protocol=https"#),
        _ => format!(r#"{{"level":"error","ts":1,"logger":"http.log.error","msg":"{}","request":{{"method":"GET","uri":"/{}"}},"status":502}}"#, y, y),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn upstream_bodies_and_headers_render_safely((status, headers, body) in upstream(), lang in select(Lang::all().collect::<Vec<_>>())) {
        let pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let d = classify::response(&ResponseView { status, headers: &pairs, body: body.as_bytes() });
        for owner_details in [false, true] {
            let mut ctx = PageContext::new(lang);
            ctx.owner_details = owner_details;
            assert_html_safe(&render::html(&d, &ctx), &[]);
            assert_problem_carries(&render::problem_json(&d, &ctx), &d, &ctx);
            assert_text_clean(&render::text(&d, &ctx));
        }
    }

    #[test]
    fn log_lines_render_safely(line in log_line(), lang in select(Lang::all().collect::<Vec<_>>())) {
        let Some(e) = logs::explain(&line) else {
            return Ok(());
        };
        let mut ctx = PageContext::new(lang);
        ctx.owner_details = true;
        assert_html_safe(&render::html(&e.diagnosis, &ctx), &[]);
        assert_problem_carries(&render::problem_json(&e.diagnosis, &ctx), &e.diagnosis, &ctx);
        assert_text_clean(&render::text(&e.diagnosis, &ctx));
        // The explanation of the line is printed to terminals too (`gatewise explain`).
        let text = e.text(lang);
        prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{:?}", text);
        serde_json::to_string(&e).unwrap();
    }
}

// --- Proxy-Status --------------------------------------------------------------

/// Printable ASCII, the hostile characters of structured fields included.
fn sf_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,24}",
        "[\"\\\\;,=:?@%() a-z0-9.*_-]{0,24}",
        select(vec![
            "012",
            "1.50",
            "\"x\"",
            " 12",
            "?1",
            "?0",
            ":AQI=:",
            "@1659578233",
            "%\"x\"",
            "12",
            "1.5",
            "tok",
            ""
        ])
        .prop_map(str::to_owned),
    ]
}

/// A parameter name: a valid key that is none of the named parameters.
fn param_key() -> impl Strategy<Value = String> {
    "[a-z*][a-z0-9_.*-]{0,8}".prop_filter("a named parameter", |k| {
        ![
            "error",
            "next-hop",
            "next-protocol",
            "received-status",
            "details",
        ]
        .contains(&k.as_str())
    })
}

fn sf_entry() -> impl Strategy<Value = ProxyStatusEntry> {
    (
        sf_text(),
        proptest::option::of(sf_text()),
        proptest::option::of(sf_text()),
        proptest::option::of(sf_text()),
        proptest::option::of(100u16..=999),
        proptest::option::of(sf_text()),
        proptest::collection::vec((param_key(), sf_text()), 0..4),
    )
        .prop_map(
            |(proxy, error, next_hop, next_protocol, received_status, details, params)| {
                let mut unique: Vec<(String, String)> = Vec::new();
                for (k, v) in params {
                    if !unique.iter().any(|(u, _)| *u == k) {
                        unique.push((k, v));
                    }
                }
                ProxyStatusEntry {
                    proxy,
                    error,
                    next_hop,
                    next_protocol,
                    received_status,
                    details,
                    params: unique,
                }
            },
        )
}

fn any_entry() -> impl Strategy<Value = ProxyStatusEntry> {
    (
        any::<String>(),
        proptest::option::of(prop_oneof![any::<String>(), "[ -~]{900,1100}"]),
        proptest::option::of(any::<u16>()),
        proptest::collection::vec((any::<String>(), any::<String>()), 0..3),
    )
        .prop_map(
            |(proxy, details, received_status, params)| ProxyStatusEntry {
                error: Some(proxy.clone()),
                next_hop: details.clone(),
                next_protocol: Some(proxy.clone()),
                proxy,
                details,
                received_status,
                params,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn serialize_parses_back_to_the_same_entries(entries in proptest::collection::vec(sf_entry(), 0..8)) {
        let text = serialize(&entries);
        let back = parse(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        prop_assert_eq!(back, entries, "through {:?}", text);
    }

}

proptest! {
    // Long lists of long texts: fewer cases keep it as fast as the others.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn serialize_of_anything_parses_and_is_canonical(entries in proptest::collection::vec(any_entry(), 0..80)) {
        let text = serialize(&entries);
        prop_assert!(text.len() <= MAX_FIELD_LEN);
        let back = parse(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        prop_assert!(back.len() <= proxy_status::MAX_MEMBERS && back.len() <= entries.len());
        prop_assert_eq!(serialize(&back), text);
    }
}

// --- Known payloads --------------------------------------------------------------

/// Every known payload in every reflected field at once, in every
/// language, with and without owner details: nothing gets through.
#[test]
fn known_xss_payloads_are_all_escaped() {
    let all = payloads();
    assert!(all.len() >= 50, "{} payloads", all.len());
    for (n, p) in all.iter().enumerate() {
        for lang in Lang::all() {
            let owner_details = n % 2 == 0;
            let i = Input {
                error_type: ErrorType::ALL.get(n % ErrorType::ALL.len()).copied(),
                layer: Layer::ALL[n % Layer::ALL.len()],
                status: 502,
                segment: Segment::Upstream,
                hop: Some(Hop::Connect),
                lang,
                owner_details,
                retryable: true,
                retry_after: Some(30),
                url: Some(format!("https://shop.example/{p}")),
                request_id: Some(marked("id", p)),
                time: Some(marked("time", p)),
                site_name: Some(marked("site", p)),
                contact: Some((*p).to_owned()),
                status_page: Some((*p).to_owned()),
                script_nonce: Some(marked("nonce", p)),
                checks_script: Some((*p).to_owned()),
                detail: Some(marked("detail", p)),
                vendor_code: Some(marked("code", p)),
                evidence: vec![marked("ev", p)],
                chain: vec![((*p).to_owned(), (*p).to_owned(), (*p).to_owned())],
            };
            let (d, ctx) = build(&i);
            let html = render::html(&d, &ctx);
            let reflected: Vec<&str> = [
                &i.request_id,
                &i.time,
                &i.site_name,
                &i.script_nonce,
                &i.detail,
                &i.vendor_code,
            ]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .chain(i.evidence.iter().map(String::as_str))
            .collect();
            assert_html_safe(&html, &reflected);
            assert_problem_carries(&render::problem_json(&d, &ctx), &d, &ctx);
            assert_text_clean(&render::text(&d, &ctx));
        }
    }
}

/// The oracle is not vacuous: a real page passes, and each way an unescaped
/// value would break it out of its place is caught.
#[test]
fn the_oracle_catches_every_kind_of_breakout() {
    let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
    let mut ctx = PageContext::new(Lang::EN);
    ctx.owner_details = true;
    ctx.url = Some("https://shop.example/a?b=c&d=e".into());
    ctx.contact = Some("ops@example.com".into());
    ctx.status_page = Some("https://status.example.com/".into());
    ctx.checks_script = Some("/__gatewise/checks.js".into());
    ctx.script_nonce = Some("n0nce".into());
    let page = render::html(&d, &ctx);
    html_audit::audit(&page).unwrap();
    assert!(page.contains("<script src=") && page.contains("<a href=\"mailto:"));
    let at = page.find("<h1>").unwrap() + "<h1>".len();
    let broken = [
        ("an element", "<img src=x onerror=alert(1)>"),
        ("a second script", "<script src=\"/x.js\"></script>"),
        ("a raw quote", "it's"),
        ("a raw >", "a > b"),
        ("a bare &", "a & b"),
        ("an unknown reference", "&nbsp;"),
    ];
    for (what, insert) in broken {
        let mut bad = page.clone();
        bad.insert_str(at, insert);
        assert!(html_audit::audit(&bad).is_err(), "{what} is not caught");
    }
    // Breaking out of an attribute value.
    let bad = page.replacen(
        "href=\"https://",
        "href=\"https://x\" onclick=\"alert(1)\" data=\"",
        1,
    );
    assert!(
        html_audit::audit(&bad).is_err(),
        "an injected attribute is not caught"
    );
    let bad = page.replacen(
        "href=\"https://status.example.com/",
        "href=\"javascript:alert(1)",
        1,
    );
    assert!(
        html_audit::audit(&bad).is_err(),
        "a javascript: href is not caught"
    );
    let bad = page.replacen("src=\"/__gatewise", "src=\"//evil.example", 1);
    assert!(
        html_audit::audit(&bad).is_err(),
        "a foreign script is not caught"
    );
    let bad = page.replacen("</style>", "</style><style>x<b>", 1);
    assert!(
        html_audit::audit(&bad).is_err(),
        "markup inside a style element is not caught"
    );
    let bad = page.replacen("<title>", "<title>\"", 1);
    assert!(
        html_audit::audit(&bad).is_err(),
        "a raw quote in the title is not caught"
    );
}
