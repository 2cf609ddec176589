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

fn explain_json(args: &[&str]) -> Value {
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
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d, core_diagnosis(NGINX_502));
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
    // The first line in the language asked for (`cli.kind.response`), and none of the
    // English labels the CLI once printed in every language.
    let first = [
        ("en", "502 · response written by nginx"),
        ("fr", "502 · réponse écrite par nginx"),
        ("ar", "502 · استجابة كتبها nginx"),
        ("zh-Hans", "502 · 由 nginx 写出的响应"),
    ];
    for audience in ["visitor", "owner", "developer"] {
        for (lang, want) in first {
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
            assert!(text.starts_with(want), "{audience} {lang}: {text}");
            if lang != "en" {
                for english in [
                    "written by",
                    "hop:",
                    "layer:",
                    "retryable",
                    "could also be",
                    "line:",
                    "more for the other",
                ] {
                    assert!(
                        !text.contains(english),
                        "{audience} {lang}: {english:?} in {text}"
                    );
                }
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
