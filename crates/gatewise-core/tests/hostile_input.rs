//! Bounded work on hostile input: 1 MB bodies, 1,000 headers, 64 KB header
//! values and names, invalid UTF-8, 10,000-entry Proxy-Status lists, absurd
//! q-values, 1 MB log lines, 10,000-line pastes, deep `cause` chains, huge
//! page contexts.
//!
//! Each test asserts on the *work*: the result is identical to the result
//! for the same input cut at the documented bound (the module constants named
//! in each test), so nothing past the bound was read; list lengths are
//! capped. A ceiling on the test thread's CPU time ([`within`]: 200 ms in
//! release, 2 s in debug) is only a backstop against accidental quadratic
//! work; CPU time rather than wall-clock time, so that other processes on a
//! busy machine cannot fail it.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::time::Duration;

use cpu_time::ThreadTime;

use gatewise_core::classify::{self, transport, ResponseView, TransportError};
use gatewise_core::diagnosis::{Evidence, EvidenceSource};
use gatewise_core::fingerprint::{self, Observed, MAX_BODY, MAX_HEADERS, MAX_HEADER_VALUE};
use gatewise_core::render::negotiate::{self, Format};
use gatewise_core::render::{self, escape, PageContext};
use gatewise_core::{
    cdn_loop, explain, logs, proxy_status, raw, Diagnosis, ErrorType, Lang, Layer, ProxyStatusEntry,
};

/// Runs `f`, failing if it takes more of this thread's CPU time than the backstop ceiling.
fn within<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let ceiling = if cfg!(debug_assertions) {
        Duration::from_secs(2)
    } else {
        Duration::from_millis(200)
    };
    let start = ThreadTime::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < ceiling, "{what} took {took:?} (ceiling {ceiling:?})");
    out
}

fn classify(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Diagnosis {
    classify::response(&ResponseView {
        status,
        headers,
        body,
    })
}

const NGINX_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";

// --- Responses -------------------------------------------------------------

#[test]
fn a_one_megabyte_body_is_read_to_max_body_only() {
    // The page past the bound is not seen…
    let mut late = vec![b' '; MAX_BODY];
    late.extend_from_slice(NGINX_502.as_bytes());
    late.resize(1 << 20, b'a');
    let d = within("1 MB body", || classify(502, &[], &late));
    assert_eq!(d, classify(502, &[], &late[..MAX_BODY]));
    assert_eq!(d.layer, Layer::Unknown);
    // …the page inside it is, whatever follows.
    let mut early = NGINX_502.as_bytes().to_vec();
    early.resize(1 << 20, b'<');
    let d = within("1 MB body", || classify(502, &[], &early));
    assert_eq!(d, classify(502, &[], &early[..MAX_BODY]));
    assert_eq!(d.layer, Layer::Nginx);
}

#[test]
fn only_the_first_max_headers_headers_are_read() {
    let mut headers: Vec<(&str, &str)> = vec![("X-Filler", "1"); 1000];
    // Squid's headers past the bound are not seen.
    headers[MAX_HEADERS] = ("Server", "squid/5.7");
    headers[MAX_HEADERS + 1] = ("X-Squid-Error", "ERR_CONNECT_FAIL 111");
    let d = within("1,000 headers", || classify(502, &headers, b""));
    assert_eq!(d, classify(502, &headers[..MAX_HEADERS], b""));
    assert_eq!(d.layer, Layer::Unknown);
    // Inside the bound they are.
    headers.swap(0, MAX_HEADERS);
    headers.swap(1, MAX_HEADERS + 1);
    let d = within("1,000 headers", || classify(502, &headers, b""));
    assert_eq!(d.layer, Layer::Squid);
    assert_eq!(d.vendor_code.as_deref(), Some("ERR_CONNECT_FAIL"));
    assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
}

#[test]
fn header_values_and_names_of_64_kb_are_cut() {
    let long_value = format!("squid/5.7{}", " x".repeat(32 * 1024));
    let cut = &long_value[..MAX_HEADER_VALUE];
    let d = within("64 KB value", || {
        classify(
            502,
            &[
                ("Server", &long_value),
                ("X-Squid-Error", "ERR_CONNECT_FAIL 111"),
            ],
            b"",
        )
    });
    assert_eq!(
        d,
        classify(
            502,
            &[("Server", cut), ("X-Squid-Error", "ERR_CONNECT_FAIL 111")],
            b""
        )
    );
    assert_eq!(d.layer, Layer::Squid);
    assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));

    // A 64 KB name is no known header, and is not copied whole.
    let long_name = "X".repeat(64 * 1024);
    let seen = within("64 KB name", || {
        Observed::new(502, &vec![(long_name.as_str(), "v"); MAX_HEADERS], b"")
    });
    assert!(seen
        .headers
        .iter()
        .all(|(n, _)| n.len() <= fingerprint::MAX_HEADER_NAME));
    let d = within("64 KB names", || {
        classify(502, &vec![(long_name.as_str(), "v"); 1000], b"")
    });
    assert_eq!(d, classify(502, &[], b""));
}

#[test]
fn invalid_utf8_is_read_lossily() {
    let mut body = NGINX_502.as_bytes().to_vec();
    body.splice(20..20, [0xFF, 0xC3, 0x28, 0xE2, 0x82, 0xF0, 0x9F, 0x92]);
    let d = classify(502, &[], &body);
    let lossy = String::from_utf8_lossy(&body).into_owned();
    assert_eq!(d, classify(502, &[], lossy.as_bytes()));
    assert_eq!(d.layer, Layer::Nginx);
    // A cut inside a character at the bound is no problem either.
    let accents = "é".repeat(MAX_BODY);
    let d = classify(502, &[], accents.as_bytes());
    assert_eq!(d.layer, Layer::Unknown);
    // Raw responses: header values are decoded lossily too.
    let raw = b"HTTP/1.1 502 Bad Gateway\r\nServer: ng\xffinx\r\n\r\nbody\xfe";
    let r = raw::parse_response(raw).unwrap();
    assert_eq!(r.header("server"), Some("ng\u{fffd}inx"));
    assert_eq!(r.body, b"body\xfe");
}

// --- Proxy-Status ----------------------------------------------------------

fn members(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("p{i}")).collect()
}

#[test]
fn ten_thousand_proxy_status_entries_are_refused_unread() {
    let value = members(10_000).join(", ");
    assert!(value.len() > proxy_status::MAX_FIELD_LEN);
    let err = within("10,000 entries", || proxy_status::parse(&value)).unwrap_err();
    assert!(err.to_string().contains("longer than"), "{err}");
    // In a response: ignored, with evidence saying so.
    let d = within("10,000 entries in a response", || {
        classify(502, &[("Proxy-Status", &value)], b"")
    });
    assert!(d.chain.is_empty());
    assert!(d
        .evidence
        .iter()
        .any(|e| e.source == EvidenceSource::ProxyStatus && e.fact.contains("longer than")));
}

#[test]
fn long_proxy_status_lists_keep_the_last_max_members() {
    // 2,500 members within the byte bound: only the last MAX_MEMBERS are kept.
    let all = members(2_500);
    let value = all.join(",");
    assert!(value.len() <= proxy_status::MAX_FIELD_LEN);
    let kept = within("2,500 members", || proxy_status::parse(&value)).unwrap();
    let tail =
        proxy_status::parse(&all[all.len() - proxy_status::MAX_MEMBERS..].join(",")).unwrap();
    assert_eq!(kept, tail);
    assert_eq!(kept.len(), proxy_status::MAX_MEMBERS);
}

#[test]
fn a_stuffed_proxy_status_cannot_push_out_the_nearest_entry() {
    // The origin side stuffs the list past the header-value bound of the
    // fingerprints (8 KB) but within Proxy-Status' own (16 KB): the entry
    // the nearest intermediary appended still decides.
    let stuffing = members(1_500).join(", ");
    assert!(stuffing.len() > MAX_HEADER_VALUE && stuffing.len() < proxy_status::MAX_FIELD_LEN - 64);
    let value = format!("{stuffing}, envoy; error=connection_refused");
    let d = within("stuffed Proxy-Status", || {
        classify(502, &[("Proxy-Status", &value)], b"")
    });
    assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
    assert_eq!(d.layer, Layer::Envoy);
    assert_eq!(d.chain.len(), proxy_status::MAX_MEMBERS);
    // The same when the intermediaries added their entries as separate field lines.
    let d = classify(
        502,
        &[
            ("Proxy-Status", stuffing.as_str()),
            ("proxy-status", "envoy; error=connection_refused"),
        ],
        b"",
    );
    assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
    assert_eq!(d.chain.last().map(|e| e.proxy.as_str()), Some("envoy"));
}

#[test]
fn the_proxy_status_a_gateway_writes_stays_parseable() {
    let mut d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Unknown);
    d.chain = members(10_000)
        .into_iter()
        .map(|p| ProxyStatusEntry {
            details: Some("d".repeat(5_000)),
            ..ProxyStatusEntry {
                proxy: p,
                ..ProxyStatusEntry::default()
            }
        })
        .collect();
    let header = within("header_value of 10,000 entries", || {
        proxy_status::header_value(&d, "gatewise")
    });
    assert!(header.len() <= proxy_status::MAX_FIELD_LEN);
    let back = proxy_status::parse(&header).unwrap();
    assert!(back.len() <= proxy_status::MAX_MEMBERS);
    assert_eq!(back.last().map(|e| e.proxy.as_str()), Some("gatewise"));
    assert_eq!(
        back.iter().rev().nth(1).map(|e| e.proxy.as_str()),
        Some("p9999")
    );
}

// --- Content negotiation -----------------------------------------------------

#[test]
fn absurd_q_values_drop_their_member() {
    for (accept, want) in [
        (
            "text/html;q=1e9, application/json;q=0.5",
            Format::ProblemJson,
        ),
        (
            "text/plain;q=-1, application/problem+json",
            Format::ProblemJson,
        ),
        ("application/json;q=NaN, text/plain;q=0.1", Format::Text),
        ("application/json;q=inf, text/plain;q=0.1", Format::Text),
        (
            "application/json;q=0.1234, text/plain;q=0.001",
            Format::Text,
        ),
        (
            "application/json;q=99999999999999999999, text/plain;q=1.000",
            Format::Text,
        ),
    ] {
        assert_eq!(negotiate::format(Some(accept), None), want, "{accept}");
    }
    for (al, want) in [
        ("de;q=1e9, fr;q=0.5", "fr"),
        ("de;q=-1, fr", "fr"),
        ("de;q=2, fr;q=0.001", "fr"),
    ] {
        assert_eq!(negotiate::language(Some(al)).tag(), want, "{al}");
    }
}

#[test]
fn ten_thousand_entry_accept_headers_read_the_first_max_entries() {
    let filler = vec!["x/y;q=0.1"; 10_000];
    let accept = format!("{}, application/json", filler.join(", "));
    let f = within("10,000-entry Accept", || {
        negotiate::format(Some(&accept), None)
    });
    assert_eq!(f, Format::Html, "the member past the bound is not read");
    let first = filler[..negotiate::MAX_ENTRIES].join(", ");
    assert_eq!(f, negotiate::format(Some(&first), None));
    // Within the bounds the same member decides.
    let near = format!("{}, application/json", filler[..10].join(", "));
    assert_eq!(negotiate::format(Some(&near), None), Format::ProblemJson);

    let langs = format!("{}, fr", vec!["xx;q=0.001"; 10_000].join(", "));
    assert_eq!(
        within("10,000-entry Accept-Language", || negotiate::language(
            Some(&langs)
        )),
        Lang::EN
    );
    let list: Vec<&str> = std::iter::repeat_n("xx", 10_000).chain(["fr"]).collect();
    assert_eq!(
        within("10,000 languages", || negotiate::language_from_list(&list)),
        Lang::EN
    );
    let huge = "fr".repeat(500_000);
    assert_eq!(negotiate::language_from_list(&[&huge, "de"]).tag(), "de");
    assert_eq!(
        within("1 MB Accept", || negotiate::format(Some(&huge), None)),
        Format::Html
    );
}

// --- Logs and pastes ---------------------------------------------------------

const NGINX_REFUSED: &str = r#"2026/11/21 06:18:31 [error] 17702#17702: *3 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:18101/", host: "127.0.0.1:18201""#;

#[test]
fn one_megabyte_log_lines_are_matched_on_their_first_max_line_bytes() {
    let line = format!("{NGINX_REFUSED}{}", " a".repeat(512 * 1024));
    let e = within("1 MB log line", || logs::explain(&line)).unwrap();
    assert_eq!(
        Some(&e),
        logs::explain(&line[..logs::MAX_LINE_BYTES]).as_ref()
    );
    assert_eq!(e.diagnosis.error_type, Some(ErrorType::ConnectionRefused));
    assert!(e
        .fields
        .iter()
        .all(|(_, v)| v.len() <= logs::MAX_FIELD_BYTES));
    // A JSON line longer than its bound is not parsed at all.
    let json = format!(
        r#"{{"level":"error","msg":"{}"}}"#,
        "x".repeat(logs::MAX_JSON_BYTES)
    );
    assert_eq!(within("oversized JSON line", || logs::explain(&json)), None);
    // A line of 1 MB without any format is unrecognised, quickly.
    assert_eq!(
        within("1 MB junk line", || logs::explain(&"(".repeat(1 << 20))),
        None
    );
}

#[test]
fn ten_thousand_line_pastes_read_max_lines() {
    let paste = vec![NGINX_REFUSED; 10_000].join("\n");
    let all = within("10,000-line paste", || logs::explain_all(&paste));
    assert_eq!(all.len(), logs::MAX_LINES);
    let first = vec![NGINX_REFUSED; logs::MAX_LINES].join("\n");
    assert_eq!(all, logs::explain_all(&first));
    // A line past the bound is not read.
    let late = format!("{}{NGINX_REFUSED}", "\n".repeat(logs::MAX_LINES));
    assert!(logs::explain_all(&late).is_empty());
    // …nor past the byte bound.
    let late = format!("{}\n{NGINX_REFUSED}", "x".repeat(logs::MAX_TOTAL_BYTES));
    assert!(within("paste over the byte bound", || logs::explain_all(&late)).is_empty());
}

#[test]
fn explain_reads_max_input() {
    let json = |e: &explain::Explanation| serde_json::to_value(e).unwrap();
    let paste = vec![NGINX_REFUSED; 10_000].join("\n");
    let e = within("explain 10,000 lines", || explain::explain(&paste)).unwrap();
    assert_eq!(e.kind, explain::InputKind::Log);
    // Read up to MAX_LINES lines; the failures beyond MAX_ARTEFACTS are counted.
    assert_eq!(e.artefacts.len(), explain::MAX_ARTEFACTS);
    assert_eq!(e.artefacts.len() + e.omitted, explain::MAX_LINES);
    // Junk of 1 MB: read to MAX_INPUT only.
    let junk = "<p>".repeat(1 << 20);
    let cut = &junk[..explain::MAX_INPUT];
    let a = within("explain 1 MB of junk", || explain::explain(&junk));
    let b = explain::explain(cut);
    assert_eq!(a.as_ref().map(json).ok(), b.as_ref().map(json).ok());
    assert_eq!(a.err(), b.err());
    // An error page followed by 1 MB of anything.
    let page = format!("{NGINX_502}{}", "z".repeat(1 << 20));
    let e = within("explain a page with 1 MB after it", || {
        explain::explain(&page)
    })
    .unwrap();
    assert_eq!(e.diagnosis.layer, Layer::Nginx);
}

#[test]
fn raw_responses_read_max_input_and_max_headers() {
    let mut big = b"HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\n\r\n".to_vec();
    big.resize(3 << 20, b'x');
    let r = within("3 MB raw response", || raw::parse_response(&big)).unwrap();
    assert_eq!(r, raw::parse_response(&big[..raw::MAX_INPUT]).unwrap());
    assert!(r.body.len() < raw::MAX_INPUT);

    // 1,000 headers: the first MAX_HEADERS are kept, the body is still found.
    let mut many = String::from("HTTP/1.1 503 Service Unavailable\r\n");
    for i in 0..1000 {
        many.push_str(&format!("X-H{i}: {i}\r\n"));
    }
    many.push_str("\r\nGuru Meditation");
    let r = within("1,000 raw headers", || raw::parse_response(many.as_bytes())).unwrap();
    assert_eq!(r.status, 503);
    assert_eq!(r.headers.len(), raw::MAX_HEADERS);
    assert_eq!(r.headers.last().map(|(n, _)| n.as_str()), Some("X-H255"));
    assert_eq!(r.body, b"Guru Meditation");
}

// --- Transport errors --------------------------------------------------------

/// A `cause` chain of `depth` errors: "fetch failed" wrappers, with `inner` at `at`.
fn chain(depth: usize, at: usize, inner: &TransportError) -> TransportError {
    let mut e = TransportError::default();
    for level in (0..depth).rev() {
        let mut parent = if level == at {
            inner.clone()
        } else {
            TransportError {
                name: Some("TypeError".into()),
                message: "fetch failed".into(),
                ..TransportError::default()
            }
        };
        if level + 1 < depth {
            parent.cause = Some(Box::new(e));
        }
        e = parent;
    }
    e
}

/// Drops a chain without recursing (the derived `Drop` would overflow the stack).
fn drop_chain(mut e: TransportError) {
    let mut next = e.cause.take();
    while let Some(mut b) = next {
        next = b.cause.take();
    }
}

#[test]
fn deep_cause_chains_are_read_to_max_depth() {
    let max = classify::transport::MAX_DEPTH;
    let refused = TransportError {
        code: Some("ECONNREFUSED".into()),
        message: "connect ECONNREFUSED 127.0.0.1:9".into(),
        ..TransportError::default()
    };
    // Within the bound, the system error decides.
    let d = transport(&chain(max, max - 1, &refused));
    assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
    // Past it, it is not read: the result is the one for the chain cut at MAX_DEPTH.
    let deep = chain(100_000, max, &refused);
    let d = within("100,000-deep chain", || transport(&deep));
    drop_chain(deep);
    assert_eq!(d, transport(&chain(max, max, &refused)));
    assert_ne!(d.error_type, Some(ErrorType::ConnectionRefused));
    // Texts are read to MAX_TEXT: a code past it is not seen.
    let long = TransportError {
        message: format!("{}ECONNREFUSED", "x ".repeat(512 * 1024)),
        ..TransportError::default()
    };
    let d = within("1 MB message", || transport(&long));
    let cut = TransportError {
        message: long.message[..classify::transport::MAX_TEXT].to_owned(),
        ..TransportError::default()
    };
    assert_eq!(d, transport(&cut));
    assert!(d.detail.as_ref().is_some_and(|s| s.len() <= 1024));
}

/// `depth` nested JSON errors ("fetch failed" wrappers) around `innermost`, as text.
fn json_chain(depth: usize, innermost: &str) -> String {
    let open =
        r#"{"name":"TypeError","message":"fetch failed","unknownField":[1,{"a":2}],"cause":"#;
    format!("{}{innermost}{}", open.repeat(depth), "}".repeat(depth))
}

/// Found reviewing issue 8: a deserialized `cause` chain had no bound, so a
/// 100,000-deep JSON (or JS object, through the npm package's binding)
/// chain reached the derived `Deserialize`, `Clone` and `Drop`, each
/// recursing once per level.
#[test]
fn deep_cause_chains_are_cut_to_max_depth_when_deserialized() {
    let max = classify::transport::MAX_DEPTH;
    let refused =
        r#"{"code":"ECONNREFUSED","message":"connect ECONNREFUSED 127.0.0.1:9","cause":null}"#;
    let depth = |e: &TransportError| std::iter::successors(Some(e), |e| e.cause.as_deref()).count();

    // 100,000 levels: read to MAX_DEPTH, the rest skipped; no crash anywhere after.
    let text = json_chain(100_000, refused);
    let e: TransportError =
        within("100,000-deep JSON chain", || serde_json::from_str(&text)).unwrap();
    assert_eq!(depth(&e), max);
    let plain = TransportError {
        name: Some("TypeError".into()),
        message: "fetch failed".into(),
        ..TransportError::default()
    };
    assert_eq!(
        e,
        chain(max, max, &plain),
        "exactly MAX_DEPTH wrappers, nothing else"
    );
    let copy = e.clone();
    assert_eq!(copy, e);
    let d = transport(&e);
    assert_eq!(d.error_type, None);
    assert_eq!(d, transport(&chain(max, max, &plain)));
    drop(copy);
    // It serializes back to a MAX_DEPTH-deep chain.
    let back = serde_json::to_string(&e).unwrap();
    assert_eq!(back.matches("fetch failed").count(), max);

    // Within the bound the innermost error is read and decides.
    let e: TransportError = serde_json::from_str(&json_chain(max - 1, refused)).unwrap();
    assert_eq!(depth(&e), max);
    assert_eq!(transport(&e).error_type, Some(ErrorType::ConnectionRefused));
    // One level more and it is cut: the same answer as for the wrappers alone.
    let e: TransportError = serde_json::from_str(&json_chain(max, refused)).unwrap();
    assert_eq!(depth(&e), max);
    assert_eq!(transport(&e), transport(&chain(max, max, &plain)));

    // Shapes the derived implementation accepted still read the same.
    let e: TransportError = serde_json::from_str(
        r#"{"runtime":"workerd","name":null,"message":"Network connection lost.","retryable":true,"cause":{"message":"inner"}}"#,
    )
    .unwrap();
    assert_eq!(e.runtime, Some(Layer::Workerd));
    assert_eq!(e.retryable, Some(true));
    assert_eq!(
        e.cause.as_deref().map(|c| c.message.as_str()),
        Some("inner")
    );
    assert_eq!(
        serde_json::from_str::<TransportError>("{}").unwrap(),
        TransportError::default()
    );
    assert!(serde_json::from_str::<TransportError>(r#""text""#).is_err());
    assert!(serde_json::from_str::<TransportError>(r#"{"message":5}"#).is_err());
}

// --- CDN-Loop ----------------------------------------------------------------

#[test]
fn cdn_loop_reads_the_nearest_members() {
    // A client stuffs the header; the id our gateway appended is still found.
    let stuffed = members(100_000).join(", ");
    let forwarded = cdn_loop::append(Some(&stuffed), "gatewise");
    assert!(within("100,000 CDN-Loop members", || cdn_loop::contains(
        &forwarded, "gatewise"
    )));
    assert!(cdn_loop::ids(&forwarded).count() <= cdn_loop::MAX_MEMBERS);
    assert_eq!(cdn_loop::ids(&forwarded).last(), Some("gatewise"));
    // What is read is the last MAX_VALUE bytes, cut at a member boundary.
    let cut_at = forwarded.len() - cdn_loop::MAX_VALUE;
    let tail = &forwarded[forwarded[cut_at..]
        .find(',')
        .map_or(cut_at, |i| cut_at + i + 1)..];
    assert_eq!(
        cdn_loop::ids(&forwarded).collect::<Vec<_>>(),
        cdn_loop::ids(tail).collect::<Vec<_>>()
    );
    assert!(
        !cdn_loop::contains(&stuffed, "p0"),
        "the far end is not read"
    );
}

// --- Rendering ---------------------------------------------------------------

#[test]
fn rendering_huge_contexts_and_evidence_is_bounded() {
    let mb = "<&\"'>".repeat(200_000);
    let mut d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
    d.detail = Some(mb.clone());
    d.vendor_code = Some(mb.clone());
    for i in 0..1_000 {
        d.evidence.push(Evidence::new(
            EvidenceSource::Body,
            format!("{i} {}", "y".repeat(10_000)),
            None,
        ));
    }
    let mut ctx = PageContext::new(Lang::EN);
    ctx.owner_details = true;
    for f in [
        &mut ctx.url,
        &mut ctx.request_id,
        &mut ctx.time,
        &mut ctx.site_name,
        &mut ctx.contact,
        &mut ctx.status_page,
        &mut ctx.script_nonce,
        &mut ctx.checks_script,
    ] {
        *f = Some(mb.clone());
    }
    let html = within("page of 1 MB fields", || render::html(&d, &ctx));
    // Each reflected value is cut (SHORT, URL, LONG characters, escaped to at
    // most 6 bytes each) and at most MAX_ITEMS pieces of evidence are shown.
    let bound = 64 * 1024 + (escape::MAX_ITEMS + 4) * escape::LONG * 6 + 8 * escape::URL * 6;
    assert!(html.len() < bound, "{} bytes", html.len());
    let mut shown = d.clone();
    shown.evidence.truncate(escape::MAX_ITEMS);
    assert_eq!(html, render::html(&shown, &ctx));
    let text = within("text of 1 MB fields", || render::text(&d, &ctx));
    assert!(text.len() < bound, "{} bytes", text.len());
    assert_eq!(text, render::text(&shown, &ctx));
    within("problem JSON of 1 MB fields", || {
        render::problem_json(&d, &ctx)
    });
}

/// Found reviewing issue 8: the HTML and text renderers showed at most
/// MAX_ITEMS pieces of evidence, but problem JSON with owner details wrote
/// every piece, every chain entry and every string whole.
#[test]
fn problem_json_with_owner_details_is_capped() {
    let max = escape::MAX_ITEMS;
    let mut d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
    d.detail = Some("d".repeat(100_000));
    d.vendor_code = Some("v".repeat(100_000));
    d.alternatives = vec![ErrorType::DnsTimeout; 10_000];
    for i in 0..10_000 {
        d.evidence.push(Evidence::new(
            EvidenceSource::Body,
            format!("fact{i} {}", "y".repeat(10_000)),
            Some(&format!("rule{i}{}", "r".repeat(1_000))),
        ));
        d.chain.push(ProxyStatusEntry {
            proxy: format!("p{i}"),
            error: Some("connection_refused".into()),
            details: Some(format!("details{i} {}", "z".repeat(10_000))),
            ..ProxyStatusEntry::default()
        });
    }
    if let Some(last) = d.chain.last_mut() {
        last.params = (0..10_000)
            .map(|i| (format!("k{i}"), "w".repeat(1_000)))
            .collect();
        last.next_hop = Some("h".repeat(10_000));
    }
    let mut ctx = PageContext::new(Lang::EN);
    ctx.owner_details = true;
    let body = within("problem JSON of 10,000 entries", || {
        render::problem_json(&d, &ctx)
    });
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let chars = |v: &serde_json::Value| v.as_str().map_or(0, |s| s.chars().count());

    // Evidence: the first MAX_ITEMS, facts cut to LONG characters (+ the ellipsis), rules to SHORT.
    let evidence = v["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), max);
    assert!(evidence[0]["fact"].as_str().unwrap().starts_with("fact0 "));
    assert!(evidence[max - 1]["fact"]
        .as_str()
        .unwrap()
        .starts_with(&format!("fact{} ", max - 1)));
    for e in evidence {
        assert_eq!(chars(&e["fact"]), escape::LONG + 1);
        assert_eq!(chars(&e["rule"]), escape::SHORT + 1);
    }
    // Chain: the last MAX_ITEMS (nearest to us), details cut to LONG, params to MAX_ITEMS of SHORT.
    let chain = v["chain"].as_array().unwrap();
    assert_eq!(chain.len(), max);
    assert_eq!(chain[0]["proxy"], format!("p{}", 10_000 - max));
    assert_eq!(chain[max - 1]["proxy"], "p9999");
    for c in chain {
        assert_eq!(chars(&c["details"]), escape::LONG + 1);
    }
    let last = &chain[max - 1];
    assert_eq!(chars(&last["nextHop"]), escape::SHORT + 1);
    let params = last["params"].as_array().unwrap();
    assert_eq!(params.len(), max);
    assert_eq!(params[0][0], "k0");
    assert_eq!(chars(&params[0][1]), escape::SHORT + 1);
    // The rest.
    assert_eq!(v["alternatives"].as_array().unwrap().len(), max);
    assert_eq!(chars(&v["upstreamDetail"]), escape::LONG + 1);
    assert_eq!(chars(&v["vendorCode"]), escape::SHORT + 1);
    assert_eq!(v["errorType"], "connection_refused");
    let bound = 3 * max * escape::LONG + max * max * 2 * escape::SHORT + 16 * 1024;
    assert!(body.len() < bound, "{} bytes (bound {bound})", body.len());

    // Without owner details: none of it, and still bounded.
    ctx.owner_details = false;
    let v: serde_json::Value = serde_json::from_str(&render::problem_json(&d, &ctx)).unwrap();
    for member in ["evidence", "chain", "upstreamDetail"] {
        assert!(v.get(member).is_none(), "{member} without owner details");
    }
    assert_eq!(chars(&v["vendorCode"]), escape::SHORT + 1);
    assert_eq!(v["alternatives"].as_array().unwrap().len(), max);

    // The other renderers, with owner details, stay within the same caps.
    ctx.owner_details = true;
    // The numbers of the facts a page shows, in order.
    let shown = |page: &str| -> Vec<usize> {
        page.match_indices("fact")
            .filter_map(|(at, _)| {
                let digits: String = page[at + 4..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                digits.parse().ok()
            })
            .collect()
    };
    let first: Vec<usize> = (0..max).collect();
    let html = within("page of 10,000 entries", || render::html(&d, &ctx));
    assert_eq!(
        shown(&html),
        first,
        "the first MAX_ITEMS pieces of evidence on the page"
    );
    let text = within("text of 10,000 entries", || render::text(&d, &ctx));
    assert_eq!(
        shown(&text),
        first,
        "the first MAX_ITEMS pieces of evidence in the text"
    );
    // And the Proxy-Status header the page quotes: the last MAX_MEMBERS - 1 upstream entries
    // that fit MAX_FIELD_LEN; the nearest (10,000 parameters, cannot be sent) ends the list.
    let header = within("Proxy-Status of 10,000 entries", || {
        proxy_status::header_value(&d, "gatewise")
    });
    assert_eq!(header, "gatewise;error=connection_refused");
}
