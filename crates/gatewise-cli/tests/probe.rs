//! `gatewise probe` against real loopback servers, one per failure mode:
//! the failing step, the exit code and the RFC 9209 type, via `--json`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Write;
use std::time::Duration;

use common::*;
use gatewise_core::classify::{self, ResponseView};

/// Asserts the report failed at `step` with `exit` and `error_type`.
fn assert_failed(report: &serde_json::Value, code: i32, step: &str, exit: i32, error_type: &str) {
    assert_eq!(code, exit, "exit code; report: {report:#}");
    assert_eq!(report["exitCode"], exit);
    assert_eq!(report["failedStep"], step, "{report:#}");
    let last = last_step(report);
    assert_eq!(last["step"], step);
    assert_eq!(last["ok"], false);
    assert!(last["ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(report["diagnosis"]["errorType"], error_type, "{report:#}");
    assert_eq!(
        report["diagnosis"]["hop"], step,
        "the type belongs to the failing step"
    );
    // Every step before the failing one succeeded.
    let steps = report["steps"].as_array().unwrap();
    for s in &steps[..steps.len() - 1] {
        assert_eq!(s["ok"], true, "{s}");
    }
}

#[test]
fn refused_connection_fails_at_connect() {
    let port = refused_port();
    let (code, r) = probe(&format!("http://127.0.0.1:{port}/"), &[]);
    assert_failed(&r, code, "connect", 11, "connection_refused");
    let attempts = last_step(&r)["detail"]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0]["kind"], "ConnectionRefused");
    assert_eq!(r["diagnosis"]["retryable"], true);
    assert_eq!(r["diagnosis"]["reached"], "no");
}

#[test]
fn silent_server_times_out_waiting_for_the_response() {
    let port = serve(|mut s| {
        read_request(&mut s);
        std::thread::sleep(Duration::from_secs(5));
    });
    let (code, r) = probe(
        &format!("http://127.0.0.1:{port}/"),
        &["--response-timeout", "0.5"],
    );
    assert_failed(&r, code, "response", 14, "http_response_timeout");
    let ms = last_step(&r)["ms"].as_f64().unwrap();
    assert!((400.0..3000.0).contains(&ms), "waited {ms} ms");
}

#[test]
fn reset_after_the_request_is_connection_terminated() {
    let port = serve(|mut s| {
        read_request(&mut s);
        let sock = socket2::Socket::from(s);
        sock.set_linger(Some(Duration::ZERO)).unwrap();
        drop(sock); // SO_LINGER 0: close sends RST
    });
    let (code, r) = probe(&format!("http://127.0.0.1:{port}/"), &[]);
    assert_failed(&r, code, "response", 14, "connection_terminated");
    let err = last_step(&r)["detail"]["error"].as_str().unwrap();
    assert!(err.to_lowercase().contains("reset"), "{err}");
}

#[test]
fn ssh_banner_is_an_http_protocol_error() {
    let port = serve(|mut s| {
        let _ = s.write_all(b"SSH-2.0-OpenSSH\r\n");
        read_request(&mut s);
        std::thread::sleep(Duration::from_secs(2));
    });
    let (code, r) = probe(&format!("http://127.0.0.1:{port}/"), &[]);
    assert_failed(&r, code, "response", 14, "http_protocol_error");
    assert!(last_step(&r)["detail"]["firstBytes"]
        .as_str()
        .unwrap()
        .starts_with("SSH-2.0-OpenSSH"));
}

#[test]
fn close_without_a_byte_is_connection_terminated() {
    let port = serve(|mut s| {
        read_request(&mut s);
        drop(s); // FIN, no byte
    });
    let (code, r) = probe(&format!("http://127.0.0.1:{port}/"), &[]);
    assert_failed(&r, code, "response", 14, "connection_terminated");
    assert_eq!(last_step(&r)["detail"]["headerBytes"], 0);
}

#[test]
fn huge_header_section_is_rejected_at_64_kib() {
    let port = serve(|mut s| {
        read_request(&mut s);
        let mut resp = b"HTTP/1.1 200 OK\r\nX-Big: ".to_vec();
        resp.extend(std::iter::repeat_n(b'a', 70 * 1024));
        resp.extend_from_slice(b"\r\n\r\n");
        let _ = s.write_all(&resp);
        std::thread::sleep(Duration::from_secs(1));
    });
    let (code, r) = probe(&format!("http://127.0.0.1:{port}/"), &[]);
    assert_failed(
        &r,
        code,
        "response",
        14,
        "http_response_header_section_size",
    );
    assert!(last_step(&r)["detail"]["headerBytes"].as_u64().unwrap() > 64 * 1024);
}

#[test]
fn ok_server_passes_every_step() {
    let port = respond(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    let (code, r) = probe(&format!("http://127.0.0.1:{port}/health?x=1"), &[]);
    assert_eq!(code, 0, "{r:#}");
    assert!(r["diagnosis"].is_null());
    assert!(r["failedStep"].is_null());
    assert_eq!(r["status"], 200);
    let steps: Vec<&str> = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["dns", "connect", "request", "response"]);
    assert!(r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["ok"] == true));
    assert_eq!(r["steps"][2]["detail"]["line"], "GET /health?x=1 HTTP/1.1");
    assert_eq!(r["steps"][3]["detail"]["bodyBytes"], 2);
}

#[test]
fn nginx_502_is_handed_to_the_core_classifier() {
    let port = respond(NGINX_502);
    let (code, r) = probe(&format!("http://127.0.0.1:{port}/"), &[]);
    assert_eq!(code, 15, "{r:#}");
    assert_eq!(r["status"], 502);
    assert!(r["failedStep"].is_null());
    // The CLI passes status, headers and body to the core unchanged: its
    // diagnosis is exactly the core's for the same bytes.
    let (status, headers, body) = split_response(NGINX_502);
    let h: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let expected = classify::response(&ResponseView {
        status,
        headers: &h,
        body: &body,
    });
    assert_eq!(r["diagnosis"], serde_json::to_value(&expected).unwrap());
    assert_eq!(r["diagnosis"]["status"], 502);
    let detail = &last_step(&r)["detail"];
    assert_eq!(detail["status"], 502);
    assert_eq!(detail["bodyBytes"], 157);
}

#[test]
fn self_signed_certificate_is_a_certificate_error() {
    let port = serve_tls(
        certs::self_signed(),
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    );
    let (code, r) = probe(&format!("https://127.0.0.1:{port}/"), &[]);
    assert_failed(&r, code, "tls", 12, "tls_certificate_error");
    let d = &last_step(&r)["detail"];
    assert_eq!(d["reason"], "self_signed");
    assert_eq!(d["certificate"]["selfSigned"], true);
    assert_eq!(d["certificate"]["nameMatches"], true);
    assert!(d["certificate"]["san"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "127.0.0.1"));
}

#[test]
fn expired_certificate_is_a_certificate_error() {
    let leaf = certs::ca_signed(&["127.0.0.1"], (2019, 1, 1), (2020, 1, 1));
    let ca = temp_file("ca.pem", leaf.ca_pem.clone().unwrap().as_bytes());
    let port = serve_tls(leaf, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    let (code, r) = probe(
        &format!("https://127.0.0.1:{port}/"),
        &["--cacert", ca.to_str().unwrap()],
    );
    assert_failed(&r, code, "tls", 12, "tls_certificate_error");
    let d = &last_step(&r)["detail"];
    assert_eq!(d["reason"], "expired");
    assert_eq!(d["certificate"]["notAfter"], "2020-01-01 00:00 UTC");
    assert_eq!(d["certificate"]["selfSigned"], false);
}

#[test]
fn wrong_name_certificate_is_a_certificate_error() {
    let leaf = certs::ca_signed(&["other.example"], (2020, 1, 1), (2200, 1, 1));
    let ca = temp_file("ca.pem", leaf.ca_pem.clone().unwrap().as_bytes());
    let port = serve_tls(leaf, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    let (code, r) = probe(
        &format!("https://127.0.0.1:{port}/"),
        &["--cacert", ca.to_str().unwrap()],
    );
    assert_failed(&r, code, "tls", 12, "tls_certificate_error");
    let d = &last_step(&r)["detail"];
    assert_eq!(d["reason"], "wrong_name");
    assert_eq!(d["certificate"]["nameMatches"], false);
}

#[test]
fn valid_certificate_passes_and_reports_the_handshake() {
    let leaf = certs::ca_signed(&["127.0.0.1"], (2020, 1, 1), (2200, 1, 1));
    let ca = temp_file("ca.pem", leaf.ca_pem.clone().unwrap().as_bytes());
    let port = serve_tls(
        leaf,
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    );
    let (code, r) = probe(
        &format!("https://127.0.0.1:{port}/"),
        &["--cacert", ca.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{r:#}");
    let tls = &r["steps"][2];
    assert_eq!(tls["step"], "tls");
    assert_eq!(tls["ok"], true);
    assert_eq!(tls["detail"]["protocol"], "TLSv1_3");
    assert!(tls["detail"]["cipher"]
        .as_str()
        .unwrap()
        .starts_with("TLS13_"));
    assert!(
        tls["detail"]["alpn"].is_null(),
        "the test server offers no ALPN"
    );
    assert_eq!(r["status"], 200);
}

#[test]
fn plain_http_on_a_tls_port_is_a_tls_protocol_error() {
    let port = serve(|mut s| {
        let mut hello = [0u8; 512];
        let _ = std::io::Read::read(&mut s, &mut hello); // the ClientHello, unread
        let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        std::thread::sleep(Duration::from_millis(500));
    });
    let (code, r) = probe(
        &format!("https://127.0.0.1:{port}/"),
        &["--tls-timeout", "2"],
    );
    assert_failed(&r, code, "tls", 12, "tls_protocol_error");
}

/// A DNS server on loopback that answers every query with NXDOMAIN (so the
/// test never asks a resolver outside this machine). Returns its address.
fn nxdomain_server() -> std::net::SocketAddr {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let addr = sock.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        // A and AAAA, perhaps retried: a bounded number of answers.
        for _ in 0..8 {
            let Ok((n, from)) = sock.recv_from(&mut buf) else {
                return;
            };
            let q = &buf[..n];
            if q.len() < 12 {
                continue;
            }
            // The question: labels up to the root, then type and class.
            let mut end = 12;
            while end < q.len() && q[end] != 0 {
                end += 1 + usize::from(q[end]);
            }
            let end = (end + 5).min(q.len());
            let mut a = Vec::with_capacity(end);
            a.extend_from_slice(&q[..2]); // id
            a.push(0x80 | (q[2] & 0x01)); // QR, RD copied
            a.push(0x80 | 3); // RA, RCODE 3 = NXDOMAIN
            a.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]); // 1 question, no records
            a.extend_from_slice(&q[12..end]);
            let _ = sock.send_to(&a, from);
        }
    });
    addr
}

#[test]
fn a_name_that_does_not_resolve_fails_at_dns() {
    // `.invalid` never resolves (RFC 6761) and the resolver knows it without
    // asking; an ordinary name makes it ask our loopback server.
    let (code, r) = probe("http://does-not-exist.invalid/", &["--dns-timeout", "3"]);
    assert_eq!(
        (code, r["diagnosis"]["errorType"].as_str()),
        (10, Some("dns_error")),
        "{r:#}"
    );
    let server = nxdomain_server().to_string();
    let (code, r) = probe(
        "http://missing.example.com/",
        &["--dns-timeout", "3", "--dns-server", &server],
    );
    assert_eq!(code, 10, "{r:#}");
    assert_eq!(r["failedStep"], "dns");
    assert_eq!(r["diagnosis"]["errorType"], "dns_error");
    assert_eq!(last_step(&r)["detail"]["rcode"], "NXDOMAIN");
    assert_eq!(r["diagnosis"]["vendorCode"], "NXDOMAIN");
}

#[test]
fn a_dns_server_that_does_not_answer_is_a_dns_timeout() {
    // Bound, never read: the query goes unanswered.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let server = silent.local_addr().unwrap().to_string();
    let (code, r) = probe(
        "http://no-answer.example.com/",
        &["--dns-timeout", "1", "--dns-server", &server],
    );
    assert_eq!(code, 10, "{r:#}");
    assert_eq!(r["failedStep"], "dns");
    assert_eq!(r["diagnosis"]["errorType"], "dns_timeout");
}

#[test]
fn text_report_shows_each_step_and_the_diagnosis() {
    let port = refused_port();
    let out = run(&["probe", &format!("http://127.0.0.1:{port}/")]);
    assert_eq!(out.status.code(), Some(11));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("✓ DNS lookup"), "{text}");
    assert!(text.contains("✗ Connecting"), "{text}");
    assert!(text.contains("connection_refused"), "{text}");
    assert!(!text.contains('\x1b'), "no colours when not a terminal");
    assert!(
        out.stderr.is_empty(),
        "no spinner when stderr is not a terminal"
    );
}

#[test]
fn usage_errors_are_one_line_with_exit_2() {
    for args in [
        &["probe", "ftp://x/"][..],
        &["probe"],
        &["probe", "x", "--connect-timeout", "-1"],
        &["nope"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("gatewise: ") && err.trim_end().ends_with(')'),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// Issue 14, item 8: a server that keeps the connection open after its
/// answer (no length, no chunking) makes the body end late, not the first
/// byte: the step's time is the header section's, the body's end is apart.
#[test]
fn first_byte_and_end_of_body_are_reported_apart() {
    let port = serve(|mut s| {
        read_request(&mut s);
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\n\r\nhello",
        );
        let _ = s.flush();
        std::thread::sleep(Duration::from_secs(4));
    });
    let (code, r) = probe(
        &format!("http://127.0.0.1:{port}/"),
        &["--response-timeout", "1.5"],
    );
    assert_eq!(code, 0, "{r:#}");
    let step = last_step(&r);
    let d = &step["detail"];
    assert_eq!(d["bodyEnd"], "deadline");
    assert_eq!(d["bodyBytes"], 5);
    let (first, headers, body, ms) = (
        d["firstByteMs"].as_f64().unwrap(),
        d["headersMs"].as_f64().unwrap(),
        d["bodyMs"].as_f64().unwrap(),
        step["ms"].as_f64().unwrap(),
    );
    assert!(first <= headers && headers < body, "{d:#}");
    assert_eq!(
        ms, headers,
        "the step took until the header section was complete"
    );
    assert!(
        body >= 1400.0,
        "the body was waited for until the deadline: {body}"
    );
    let out = run(&[
        "probe",
        &format!("http://127.0.0.1:{port}/"),
        "--response-timeout",
        "1.5",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("first byte after "), "{text}");
    assert!(text.contains("the body had not ended after "), "{text}");
}

#[test]
fn bodies_end_by_length_by_last_chunk_and_by_close() {
    let cases: [(&'static [u8], &str, u64); 3] = [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", "length", 3),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n", "chunked", 3),
        (b"HTTP/1.1 204 No Content\r\n\r\n", "no_body", 0),
    ];
    for (response, end, bytes) in cases {
        // The server keeps the connection open: only the framing can end the body.
        let port = serve(move |mut s| {
            read_request(&mut s);
            let _ = s.write_all(response);
            let _ = s.flush();
            std::thread::sleep(Duration::from_secs(6));
        });
        let (code, r) = probe(
            &format!("http://127.0.0.1:{port}/"),
            &["--response-timeout", "5"],
        );
        assert_eq!(code, 0, "{r:#}");
        let d = &last_step(&r)["detail"];
        assert_eq!(
            (d["bodyEnd"].as_str(), d["bodyBytes"].as_u64()),
            (Some(end), Some(bytes)),
            "{d:#}"
        );
        assert!(
            d["bodyMs"].as_f64().unwrap() < 4000.0,
            "{end}: not waited for: {d:#}"
        );
    }
    let port = respond(b"HTTP/1.0 200 OK\r\n\r\nuntil close");
    let (_, r) = probe(&format!("http://127.0.0.1:{port}/"), &[]);
    assert_eq!(last_step(&r)["detail"]["bodyEnd"], "close");
}

/// Issue 14, items 3 and 8: the report names no internal id and no proxy
/// that is not there, and its commands are whole and aimed at this machine.
#[test]
fn the_report_speaks_plainly_of_a_refused_local_port() {
    let port = refused_port();
    let out = run(&["probe", &format!("http://127.0.0.1:{port}/")]);
    let text = String::from_utf8_lossy(&out.stdout);
    for internal in [
        "rust_io",
        "layer:",
        "load balancer or CDN",
        "{port}",
        "{host}",
        "{url}",
    ] {
        assert!(!text.contains(internal), "{internal}: {text}");
    }
    assert!(
        text.contains("Error written by: the operating system"),
        "{text}"
    );
    assert!(
        text.contains("Error code: 502 · connection_refused"),
        "{text}"
    );
    if cfg!(target_os = "linux") {
        assert!(
            text.contains(&format!("$ ss -ltnp 'sport = :{port}'")),
            "{text}"
        );
    }
    let remedies = text.lines().filter(|l| l.starts_with("  - ")).count();
    assert!((1..=5).contains(&remedies), "{remedies}: {text}");
}
