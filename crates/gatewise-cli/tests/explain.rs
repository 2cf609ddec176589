//! `gatewise explain` on response files, stdin, status codes and bad input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::*;
use gatewise_core::classify::{self, ResponseView};
use serde_json::Value;

/// The whole JSON explanation.
fn explanation_json(args: &[&str]) -> Value {
    let mut all = vec!["explain", "--json"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The headline's diagnosis.
fn explain_json(args: &[&str]) -> Value {
    explanation_json(args)["diagnosis"].clone()
}

/// The core's diagnosis of a raw response, for comparison.
fn core_diagnosis(raw: &[u8]) -> Value {
    let (status, headers, body) = split_response(raw);
    let h: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    serde_json::to_value(classify::response(&ResponseView {
        status,
        headers: &h,
        body: &body,
    }))
    .unwrap()
}

const RESPONSES: &[(&str, &[u8])] = &[
    ("nginx_502.http", NGINX_502),
    ("haproxy_503.http", b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 107\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n"),
    ("cloudflare_522.http", b"HTTP/1.1 522 \r\nServer: cloudflare\r\nCF-RAY: 8a1b2c3d4e5f6789-FRA\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<title>example.com | 522: Connection timed out</title>"),
    ("apache_504.http", b"HTTP/1.1 504 Gateway Timeout\r\nServer: Apache/2.4.57 (Debian)\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>504 Gateway Timeout</title>\n</head><body>\n<h1>Gateway Timeout</h1>\n<p>The gateway did not receive a timely response\nfrom the upstream server or application.</p>\n</body></html>\n"),
];

#[test]
fn response_files_get_the_core_diagnosis() {
    for (name, raw) in RESPONSES {
        let path = temp_file(name, raw);
        let d = explain_json(&[path.to_str().unwrap()]);
        assert_eq!(d, core_diagnosis(raw), "{name}");
        let (status, _, _) = split_response(raw);
        assert_eq!(d["receivedStatus"], status, "{name}");
    }
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = Command::new(BIN)
        .args(["explain", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(NGINX_502).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["diagnosis"], core_diagnosis(NGINX_502));
}

#[test]
fn status_codes_give_a_diagnosis_of_that_status() {
    for (input, status, sub) in [
        ("502", 502, None),
        ("502.3", 502, Some(3)),
        ("524", 524, None),
        ("503", 503, None),
    ] {
        let d = explain_json(&[input]);
        assert_eq!(d["status"], status, "{input}");
        assert_eq!(d["receivedStatus"], status, "{input}");
        match sub {
            Some(s) => assert_eq!(d["subStatus"], s, "{input}"),
            None => assert!(d.get("subStatus").is_none(), "{input}"),
        }
        for field in [
            "errorType",
            "hop",
            "segment",
            "layer",
            "retryable",
            "reached",
            "confidence",
        ] {
            assert!(d.get(field).is_some(), "{input}: no {field}");
        }
    }
}

#[test]
fn every_audience_and_language_prints_text() {
    let path = temp_file("r.http", NGINX_502);
    for audience in ["visitor", "owner", "developer"] {
        for lang in ["en", "fr", "ar", "zh-Hans"] {
            let out = run(&[
                "explain",
                "--audience",
                audience,
                "--lang",
                lang,
                path.to_str().unwrap(),
            ]);
            assert_eq!(out.status.code(), Some(0), "{audience} {lang}");
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.starts_with("502 · "), "{audience} {lang}: {text}");
            if lang == "en" {
                assert!(
                    text.starts_with("502 · response written by nginx"),
                    "{audience} {lang}: {text}"
                );
            }
        }
    }
}

#[test]
fn unrecognised_input_is_a_one_line_error() {
    for (args, code) in [
        (&["explain", "this is not anything"][..], 1),
        (&["explain", "--lang", "tlh", "502"], 2),
        (&["explain", "--audience", "cat", "502"], 2),
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("gatewise: "), "{err}");
    }
}

#[test]
fn a_paste_of_several_artefacts_lists_each_with_the_headline() {
    let paste = "HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n\r\n<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n\r\nweb-1  | 2026/11/21 06:12:01 [error] 7#7: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.1, server: _, request: \"GET / HTTP/1.1\", upstream: \"http://172.18.0.3:8000/\", host: \"localhost\"\n";
    let path = temp_file("paste.txt", paste.as_bytes());
    let e = explanation_json(&[path.to_str().unwrap()]);
    let kinds: Vec<&str> = e["artefacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["response", "log"]);
    assert_eq!(e["headline"], 1);
    assert_eq!(e["diagnosis"]["errorType"], "connection_refused");
    assert_eq!(e["artefacts"][0]["diagnosis"]["receivedStatus"], 502);
    assert_eq!(e["artefacts"][1]["wrappers"][0], "compose");
    assert_eq!(e["artefacts"][1]["source"], "web-1");
    let out = run(&["explain", "--lang", "en", path.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("no status received · log line from nginx"),
        "{text}"
    );
    assert!(
        text.contains("[1] lines 1–11 · received 502 · response written by nginx"),
        "{text}"
    );
}

#[test]
fn a_har_file_shows_each_failed_request_on_the_http_cycle() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/pastes/har/chromium-failures.devtools.har"
    );
    let e = explanation_json(&[path]);
    let artefacts = e["artefacts"].as_array().unwrap();
    assert_eq!(artefacts.len(), 4);
    assert_eq!(e["notFailed"], 7);
    assert_eq!(
        artefacts[0]["exchange"]["error"],
        "net::ERR_CONNECTION_REFUSED"
    );
    assert_eq!(artefacts[0]["exchange"]["failedPhase"], "connect");
    let out = run(&["explain", "--lang", "en", path]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("queued 16.9 ms → DNS lookup — → connecting ✗ — → TLS handshake — → sending the request — → waiting for the answer — → receiving the answer —"),
        "{text}"
    );
    let ok = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/pastes/har/chromium-all-ok.devtools.har"
    );
    let out = run(&["explain", ok]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("gatewise: no request of this HAR file failed (2 read)"));
}
