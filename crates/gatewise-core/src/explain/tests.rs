use super::*;
use crate::ErrorType;

const NGINX_REFUSED: &str = r#"2026/11/21 06:18:29 [error] 17702#17702: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /some/path?x=1 HTTP/1.1", upstream: "http://127.0.0.1:18100/some/path?x=1", host: "127.0.0.1:18200""#;
const CF_522: &str = "HTTP/1.1 522 \r\nServer: cloudflare\r\nCF-RAY: 8a1b2c3d4e5f6789-FRA\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<!DOCTYPE html><html><head><title>example.com | 522: Connection timed out</title><style>b{font-weight:400}</style></head><body><span class=\"code-label\">Error code 522</span></body></html>";

#[test]
fn each_kind_is_recognised() {
    assert_eq!(explain("524").unwrap().kind, InputKind::Status);
    let e =
        explain("HTTP/1.1 503 Service Unavailable\nServer: varnish\n\nGuru Meditation").unwrap();
    assert_eq!(e.kind, InputKind::Response);
    assert_eq!(e.diagnosis.received_status, Some(503));
    let e = explain(
        "<h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n",
    )
    .unwrap();
    assert_eq!(
        (e.kind, e.diagnosis.layer),
        (InputKind::Page, Layer::Haproxy)
    );
    assert_eq!(e.diagnosis.received_status, Some(503));
    let e = explain("Error: connect ECONNREFUSED 127.0.0.1:3000").unwrap();
    assert_eq!(
        (e.kind, e.diagnosis.layer),
        (InputKind::Message, Layer::Node)
    );
    let e = explain(":status: 502\nserver: cloudflare\ncf-ray: 8a1b2c3d4e5f6789-FRA").unwrap();
    assert_eq!(e.kind, InputKind::Headers);
    assert_eq!(e.diagnosis.received_status, Some(502));
}

#[test]
fn the_received_status_is_kept_as_received() {
    // A pasted Cloudflare 522 stays 522; 504 is only what a gateway would send.
    let e = explain(CF_522).unwrap();
    assert_eq!(
        (e.diagnosis.layer, e.diagnosis.received_status),
        (Layer::Cloudflare, Some(522))
    );
    assert_eq!(e.diagnosis.error_type, Some(ErrorType::ConnectionTimeout));
    assert_eq!(e.diagnosis.status, 504);
    // Its HTML alone: the title names 522; the 400 of its CSS is no status.
    let html = CF_522.split_once("\r\n\r\n").unwrap().1;
    let e = explain(html).unwrap();
    assert_eq!(
        (e.kind, e.diagnosis.received_status),
        (InputKind::Page, Some(522))
    );
    assert_eq!(e.diagnosis.layer, Layer::Cloudflare);
}

#[test]
fn a_text_without_a_status_yields_its_type_and_no_received_status() {
    let e = explain("upstream connect error or disconnect/reset before headers. reset reason: connection timeout").unwrap();
    assert_eq!((e.kind, e.diagnosis.layer), (InputKind::Page, Layer::Envoy));
    assert_eq!(e.diagnosis.error_type, Some(ErrorType::ConnectionTimeout));
    assert_eq!(
        e.diagnosis.received_status, None,
        "500 was a guess, not received"
    );
    assert_eq!(e.diagnosis.status, 504);
    assert_eq!(e.diagnosis.confidence, Confidence::Medium);
    let e = explain("Bad Gateway").unwrap();
    assert_eq!(
        (e.diagnosis.layer, e.diagnosis.received_status),
        (Layer::Unknown, Some(502)),
        "a bare reason phrase names no layer"
    );
}

#[test]
fn several_artefacts_keep_their_own_diagnosis_and_the_most_informative_is_the_headline() {
    let paste = format!(
        "{CF_522}\n\nweb-1  | {NGINX_REFUSED}\nweb-1  | 127.0.0.1 - - [21/Nov/2026:06:18:29 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.0\""
    );
    let e = explain(&paste).unwrap();
    let kinds: Vec<_> = e
        .artefacts
        .iter()
        .map(|a| (a.kind, a.diagnosis.layer))
        .collect();
    assert_eq!(
        kinds,
        [
            (InputKind::Response, Layer::Cloudflare),
            (InputKind::Log, Layer::Nginx)
        ]
    );
    assert_eq!(
        e.not_failed, 1,
        "the 200 access line is counted, not listed"
    );
    assert_eq!(e.headline, 1);
    assert_eq!(e.artefacts[0].diagnosis.received_status, Some(522));
    assert_eq!(e.artefacts[1].wrappers, [Wrapper::Compose]);
    assert_eq!(e.artefacts[1].source.as_deref(), Some("web-1"));
    assert_eq!(e.artefacts[1].lines, Some(LineRange { first: 8, last: 8 }));
    // Nothing failed: the lines are listed anyway.
    let ok = explain(
        "127.0.0.1 - - [21/Nov/2026:06:18:29 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.0\"",
    )
    .unwrap();
    assert_eq!(
        (ok.artefacts.len(), ok.not_failed, ok.artefacts[0].failure),
        (1, 0, false)
    );
}

#[test]
fn one_exception_told_several_times_is_one_artefact() {
    let trace = "Traceback (most recent call last):\n  File \"x.py\", line 534, in connect\nConnectionRefusedError: [Errno 111] Connection refused\n\nThe above exception was the direct cause of the following exception:\n\nrequests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: / (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused'))";
    let e = explain(trace).unwrap();
    assert_eq!(e.artefacts.len(), 1);
    assert_eq!(e.kind, InputKind::Message);
    assert_eq!(e.diagnosis.error_type, Some(ErrorType::ConnectionRefused));
    assert_eq!(e.artefacts[0].lines, Some(LineRange { first: 3, last: 3 }));
    assert_eq!(e.diagnosis.received_status, None, "534 is a line number");
}

#[test]
fn nonsense_and_empty_are_errors_not_panics() {
    assert_eq!(explain("   ").unwrap_err(), ExplainError::Empty);
    assert_eq!(
        explain("hello world").unwrap_err(),
        ExplainError::NotRecognised
    );
    assert!(explain(&"€".repeat(300_000)).is_err());
    assert!(explain("HTTP/1.1 abc").is_err());
    assert_eq!(
        explain("{\"log\":{\"entries\":[]}}").unwrap_err(),
        ExplainError::NothingFailed { requests: 0 }
    );
}

/// Hostile pastes: every bound holds, and the work stays bounded (each of these
/// would take quadratic time or unbounded memory without its cap).
#[test]
fn hostile_pastes_stay_within_their_bounds() {
    // Thousands of artefacts: capped, the rest counted.
    let many = format!("{NGINX_REFUSED}\n").repeat(200);
    let e = explain(&many).unwrap();
    assert_eq!(e.artefacts.len(), MAX_ARTEFACTS);
    assert!(e.omitted > 0 && e.omitted + MAX_ARTEFACTS <= MAX_LINES);
    // Envelopes nested without end: peeled MAX_PEELS deep, then read as text.
    let deep = format!("{}{NGINX_REFUSED}", "> ".repeat(500));
    let e = explain(&deep);
    assert!(
        e.is_err()
            || e.unwrap()
                .artefacts
                .iter()
                .all(|a| a.wrappers.len() <= peel::MAX_PEELS + 1)
    );
    // A JSON record inside a JSON record inside…: each level is one peel, MAX_PEELS at most.
    let mut nested = NGINX_REFUSED.to_owned();
    for _ in 0..20 {
        nested = serde_json::to_string(&serde_json::json!({ "log": nested, "stream": "stderr" }))
            .unwrap();
    }
    let _ = explain(&nested);
    // JSON nested beyond serde_json's limit, a status line on every line, print_r openers
    // without an end, colour codes without an end, an HTML page that never closes.
    let brackets = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(explain(&brackets).is_err());
    let statuses = "HTTP/1.1 502 Bad Gateway\n".repeat(300);
    let e = explain(&statuses).unwrap();
    assert_eq!(e.artefacts.len(), MAX_ARTEFACTS);
    let arrays = "Array\n(\n".repeat(2000);
    assert!(explain(&arrays).is_err());
    let ansi = "\u{1b}[".repeat(60_000);
    assert!(explain(&ansi).is_err());
    let page = format!("<html><body>{}", "<p>Error 502 Bad Gateway\n".repeat(2000));
    assert!(explain(&page).is_ok());
    // A HAR file with more entries than are read.
    let entry = r#"{"request":{"method":"GET","url":"http://x/"},"response":{"status":0,"_error":"net::ERR_CONNECTION_REFUSED"},"timings":{}}"#;
    let har = format!(
        "{{\"log\":{{\"entries\":[{}]}}}}",
        vec![entry; har::MAX_ENTRIES + 5].join(",")
    );
    let e = explain(&har).unwrap();
    assert_eq!(
        (e.artefacts.len(), e.omitted),
        (MAX_ARTEFACTS, har::MAX_ENTRIES - MAX_ARTEFACTS)
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Pieces people paste, and noise, in any order.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(NGINX_REFUSED.to_owned()),
            Just(format!("web-1  | {NGINX_REFUSED}")),
            Just(format!("2026-11-21T06:18:29.1Z stderr F {NGINX_REFUSED}")),
            Just("HTTP/1.1 502 Bad Gateway".to_owned()),
            Just("Server: nginx".to_owned()),
            Just("< HTTP/2 522 ".to_owned()),
            Just("* connect to 127.0.0.1 port 9 failed: Connection refused".to_owned()),
            Just("curl: (7) Failed to connect".to_owned()),
            Just("{\"log\":\"x\\n\",\"stream\":\"stderr\"}".to_owned()),
            Just("Array".to_owned()),
            Just("(".to_owned()),
            Just("    [Server] => nginx".to_owned()),
            Just(")".to_owned()),
            Just("```".to_owned()),
            Just("<html><title>502 Bad Gateway</title>".to_owned()),
            Just("</html>".to_owned()),
            Just(String::new()),
            "[ -~]{0,40}",
            "\\PC{0,20}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn any_paste_reads_within_bounds(pieces in prop::collection::vec(piece(), 0..40)) {
            let paste = pieces.join("\n");
            match explain(&paste) {
                Ok(e) => {
                    prop_assert!(!e.artefacts.is_empty() && e.artefacts.len() <= MAX_ARTEFACTS);
                    let head = e.headline().expect("the headline is listed");
                    prop_assert_eq!(&head.diagnosis, &e.diagnosis);
                    if e.artefacts.iter().any(|a| a.failure) {
                        prop_assert!(head.failure);
                    }
                    let lines = paste.lines().count().max(1);
                    for a in &e.artefacts {
                        if let Some(r) = a.lines {
                            prop_assert!(1 <= r.first && r.first <= r.last && r.last <= lines, "{:?} of {}", r, lines);
                        }
                        prop_assert!(a.excerpt.len() <= 300);
                    }
                }
                Err(err) => prop_assert!(matches!(err, ExplainError::Empty | ExplainError::NotRecognised)),
            }
        }
    }
}

#[test]
fn a_2xx_cut_short_of_its_content_length_is_incomplete() {
    let cut = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 100000\r\n\r\n0123456789";
    let e = explain(cut).unwrap();
    assert_eq!(e.kind, InputKind::Response);
    assert_eq!(
        e.diagnosis.error_type,
        Some(ErrorType::HttpResponseIncomplete)
    );
    assert_eq!(e.diagnosis.received_status, Some(200));
    // Whole, or short only by what a paste loses (CR of CRLF, a last line break).
    for whole in [
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789",
        "HTTP/1.1 200 OK\nContent-Length: 14\n\nab\ncd\nef\ngh",
        // Headers only: curl -I.
        "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n",
        // An error status keeps its own reading.
        "HTTP/1.1 404 Not Found\r\nContent-Length: 100000\r\n\r\nnot here",
        // Chunked: a client shows the decoded body under the chunked header.
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nhello",
    ] {
        let e = explain(whole).unwrap();
        assert_ne!(
            e.diagnosis.error_type,
            Some(ErrorType::HttpResponseIncomplete),
            "{whole}"
        );
    }
    // A paste cut by the size limit says nothing of the body.
    let huge = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n{}",
        "a".repeat(MAX_INPUT)
    );
    assert_ne!(
        explain(&huge).unwrap().diagnosis.error_type,
        Some(ErrorType::HttpResponseIncomplete)
    );
}

#[test]
fn a_body_split_from_what_follows_it_is_not_taken_for_a_cut_one() {
    // The body stops at a blank line because other artefacts follow: nothing says it was cut.
    let paste = format!(
        "HTTP/1.1 200 OK\nServer: nginx/1.22.1\nContent-Length: 5000\n\nfirst paragraph\n\nsecond paragraph\n\n{NGINX_REFUSED}"
    );
    let e = explain(&paste).unwrap();
    assert!(e
        .artefacts
        .iter()
        .all(|a| a.diagnosis.error_type != Some(ErrorType::HttpResponseIncomplete)));
}

#[test]
fn a_log_line_takes_its_cause_from_the_next_line_that_states_it() {
    // Vite's proxy logs its failure, then Node.js prints the cause on the next line.
    let paste = "9:41:02 AM [vite] http proxy error at /api/users:\nError: getaddrinfo ENOTFOUND api.internal\n    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:107:26)";
    let e = explain(paste).unwrap();
    let head = e.headline().unwrap();
    assert_eq!(head.kind, InputKind::Log);
    assert_eq!(head.diagnosis.layer, Layer::Vite);
    assert_eq!(head.diagnosis.error_type, Some(ErrorType::DnsError));
}

#[test]
fn in_one_log_the_first_failure_is_the_headline_however_sure_a_later_line_is() {
    // Envoy's UF (connect failure, medium) then UH (no healthy upstream, high).
    let log = "[2024-05-14T09:12:01.532Z] \"GET /api HTTP/1.1\" 503 UF 0 91 2 - \"203.0.113.7\" \"curl/8.0.1\" \"8a3f0a1e\" \"shop.example.com\" \"10.0.3.17:8080\"\n[2024-05-14T09:12:02.108Z] \"GET /api HTTP/1.1\" 503 UH 0 19 0 - \"203.0.113.7\" \"curl/8.0.1\" \"2d1c4a9b\" \"shop.example.com\" \"-\"";
    let e = explain(log).unwrap();
    assert_eq!(e.artefacts.len(), 2);
    assert_eq!(e.headline, 0);
    assert_eq!(e.diagnosis.error_type, Some(ErrorType::ConnectionRefused));
    assert_eq!(
        e.artefacts[1].diagnosis.error_type,
        Some(ErrorType::DestinationUnavailable)
    );
}

#[test]
fn a_log_record_shown_as_a_table_or_pretty_json_is_read_by_its_field_names() {
    // An Envoy access-log entry as a log viewer shows it (`field | value`).
    let table = "response_code | 503\nresponse_flags | UF,URX\nupstream_transport_failure_reason | delayed connect error: 111\nupstream_host | 10.0.3.17:8080";
    let e = explain(table).unwrap();
    assert_eq!(e.kind, InputKind::Log);
    assert_eq!(e.diagnosis.layer, Layer::Envoy);
    assert_eq!(e.diagnosis.error_type, Some(ErrorType::ConnectionRefused));
    assert_eq!(e.diagnosis.received_status, Some(503));
    // A Google Cloud load balancer entry, pretty-printed as Logs Explorer copies it.
    let json = "{\n  \"httpRequest\": {\n    \"requestMethod\": \"GET\",\n    \"status\": 502\n  },\n  \"jsonPayload\": {\n    \"statusDetails\": \"backend_timeout\"\n  }\n}";
    let e = explain(json).unwrap();
    assert_eq!(e.kind, InputKind::Log);
    assert_eq!(e.diagnosis.layer, Layer::GoogleFrontend);
    assert_eq!(e.diagnosis.error_type, Some(ErrorType::HttpResponseTimeout));
    // Prose with colons is no record.
    assert!(explain("Note: the site was down\nCause: unknown\nFix: none").is_err());
}

#[test]
fn a_haproxy_line_cut_short_is_read_from_its_backend_to_its_termination_state() {
    // Cut before the client and date (a copied tail), and cut after the termination state.
    for (line, t) in [
        ("be_refused/app 0/0/-1/-1/3005 503 217 - - SC-- 1/1/0/0/3 0/0 \"GET / HTTP/1.1\"", ErrorType::ConnectionRefused),
        ("127.0.0.1:49406 [21/Nov/2026:06:19:23.090] fe_close be_close/app 0/0/0/-1/0 502 209 - - SH--", ErrorType::ConnectionTerminated),
    ] {
        let e = explain(line).unwrap();
        assert_eq!((e.kind, e.diagnosis.layer), (InputKind::Log, Layer::Haproxy), "{line}");
        assert_eq!(e.diagnosis.error_type, Some(t), "{line}");
    }
}

#[test]
fn an_nginx_error_line_cut_before_its_message_is_read_by_its_request_context() {
    for (line, t) in [
        ("upstream prematurely closed connection while reading response header from upstream, client: 172.31.13.240, server: example.com, request: \"POST /a HTTP/1.1\", upstream: \"uwsgi://unix:///tmp/app.sock:\", host: \"www.example.com\"", ErrorType::ConnectionTerminated),
        ("15:17:42 [error] 16319#16319: *129 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: _, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:9/\", host: \"example.com", ErrorType::ConnectionRefused),
    ] {
        let e = explain(line).unwrap();
        assert_eq!((e.kind, e.diagnosis.layer), (InputKind::Log, Layer::Nginx), "{line}");
        assert_eq!(e.diagnosis.error_type, Some(t), "{line}");
    }
    // Without nginx's request context the words alone are no nginx line.
    let alone =
        "upstream prematurely closed connection while reading response header from upstream";
    assert!(!explain(alone)
        .is_ok_and(|e| e.diagnosis.layer == Layer::Nginx && e.kind == InputKind::Log));
}
