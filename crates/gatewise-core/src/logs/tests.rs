#![allow(clippy::panic, clippy::indexing_slicing)] // tests: a failed expectation panics with context

use super::*;
use crate::diagnosis::Confidence;
use crate::hop::{Hop, Segment};
use crate::layer::Layer;
use crate::taxonomy::ErrorType;

fn ex(line: &str) -> LogExplanation {
    match explain(line) {
        Some(e) => e,
        None => panic!("not recognised: {line}"),
    }
}

fn check(line: &str, format: LogFormat, pattern: &str, t: Option<ErrorType>) -> LogExplanation {
    let e = ex(line);
    assert_eq!((e.format, e.pattern), (format, pattern), "{line}");
    assert_eq!(e.diagnosis.error_type, t, "{line}");
    assert_eq!(e.diagnosis.layer, format.info().layer);
    let text = e.text(Lang::EN);
    for name in placeholders(i18n::message(Lang::EN, e.key).unwrap_or("")) {
        assert!(!text.contains(&format!("{{{name}}}")), "{text}");
    }
    e
}

#[test]
fn every_regex_compiles_and_every_key_is_in_the_catalog() {
    let c = &*COMPILED;
    for (i, shape) in SHAPES.iter().enumerate() {
        if let ShapeKind::Regex { pattern, kv } = shape.kind {
            let re = c.shapes.get(i).and_then(Option::as_ref);
            assert!(
                re.is_some(),
                "shape {i} ({}) does not compile: {pattern}",
                shape.format
            );
            if let (Some(re), Some(kv)) = (re, kv) {
                assert!(
                    re.regex.capture_names().flatten().any(|n| n == kv),
                    "{}",
                    shape.format
                );
            }
        }
        for cond in shape.when {
            if let Some(p) = cond.test.regex() {
                assert!(crate::matcher::Pattern::new(p).is_some(), "{p}");
            }
        }
    }
    assert!(PATTERNS.len() >= 150, "{}", PATTERNS.len());
    for (i, p) in PATTERNS.iter().enumerate() {
        let row = &p.row;
        assert!(!row.when.is_empty(), "{} has no condition", row.id);
        for cond in row.when {
            if let Some(re) = cond.test.regex() {
                assert!(
                    crate::matcher::Pattern::new(re).is_some(),
                    "{}: {re}",
                    row.id
                );
            }
        }
        assert!(i18n::has_key(p.key()), "missing catalog key {}", p.key());
        assert!(!row.source.is_empty());
        assert!(!p.formats.is_empty());
        if p.kind() == LineKind::Failure {
            assert!(
                row.then.error_type.is_some() || row.then.segment == Some(Segment::Client),
                "{}",
                row.id
            );
        }
        for f in p.formats {
            let dup = PATTERNS
                .iter()
                .take(i)
                .any(|r| r.row.id == row.id && r.formats.contains(f));
            assert!(!dup, "duplicate id {} in {f}", row.id);
        }
    }
    for f in LogFormat::ALL {
        assert!(i18n::has_key(&format!("log.format.{}", f.name())), "{f}");
        assert!(
            PATTERNS.iter().any(|r| r.formats.contains(f)),
            "{f} has no pattern"
        );
    }
    for (_, key) in CONTEXTS {
        assert!(i18n::has_key(key));
    }
}

#[test]
fn every_template_placeholder_is_a_field_a_derived_value_or_has_a_fallback() {
    let derived = [
        "layer",
        "during",
        "event",
        "phase",
        "flag_meanings",
        "win32_meaning",
        "type_summary",
    ];
    for p in PATTERNS {
        let template = i18n::message(Lang::EN, p.key()).unwrap_or("");
        for name in placeholders(template) {
            let captured = p
                .row
                .when
                .iter()
                .filter_map(|c| c.test.regex())
                .any(|re| re.contains(&format!("<{name}>")));
            let known = derived.contains(&name) || i18n::has_key(&format!("log.fallback.{name}"));
            let in_shape = SHAPES
                .iter()
                .filter(|e| p.formats.contains(&e.format))
                .any(|e| match e.kind {
                    ShapeKind::Regex { pattern, .. } => pattern.contains(&format!("<{name}>")),
                    _ => true,
                })
                || p.formats
                    .iter()
                    .any(|f| f.info().fields.iter().any(|(c, _)| *c == name));
            let kv = [
                "code",
                "desc",
                "dyno",
                "service",
                "connect",
                "upstream_status",
                "host",
            ]
            .contains(&name);
            assert!(
                captured
                    || known
                    || in_shape
                    || kv
                    || ["method", "path", "request", "status"].contains(&name),
                "{}: {{{name}}} has no source",
                p.key()
            );
        }
    }
}

#[test]
fn glosses_cover_the_documented_codes() {
    for c in ["C", "S", "P", "L", "R", "I", "D", "U", "K", "c", "s", "-"] {
        assert!(i18n::has_key(&format!("log.haproxy_http.event.{c}")), "{c}");
    }
    for c in ["R", "Q", "C", "H", "D", "L", "T", "-"] {
        assert!(i18n::has_key(&format!("log.haproxy_http.phase.{c}")), "{c}");
    }
    for f in [
        "UH", "UF", "UO", "NR", "URX", "NC", "DT", "DC", "LH", "UT", "LR", "UR", "UC", "DI", "FI",
        "RL", "UAEX", "RLSE", "IH", "SI", "DPE", "UPE", "UMSDR", "RFCF", "NFCF", "OM", "DF", "DO",
        "DR",
    ] {
        assert!(i18n::has_key(&format!("log.envoy_access.flag.{f}")), "{f}");
    }
    for g in GLOSSES {
        assert!(SHAPES.iter().any(|e| e.format == g.format));
    }
}

#[test]
fn nginx_error_lines() {
    let tail = r#", client: 203.0.113.7, server: example.com, request: "GET /api HTTP/1.1", upstream: "http://127.0.0.1:8080/api", host: "example.com""#;
    let head = "2024/11/21 10:00:00 [error] 12#12: *3 ";
    let cases: &[(&str, &str, Option<ErrorType>)] = &[
        ("connect() failed (111: Connection refused) while connecting to upstream", "connect_refused", Some(ErrorType::ConnectionRefused)),
        ("connect() failed (113: No route to host) while connecting to upstream", "connect_unreachable", Some(ErrorType::DestinationIpUnroutable)),
        ("upstream timed out (110: Connection timed out) while connecting to upstream", "connect_timeout", Some(ErrorType::ConnectionTimeout)),
        ("upstream timed out (110: Connection timed out) while reading response header from upstream", "header_timeout", Some(ErrorType::HttpResponseTimeout)),
        ("upstream prematurely closed connection while reading response header from upstream", "closed_before_headers", Some(ErrorType::ConnectionTerminated)),
        ("recv() failed (104: Connection reset by peer) while reading response header from upstream", "reset_before_headers", Some(ErrorType::ConnectionTerminated)),
        ("upstream sent invalid header while reading response header from upstream", "invalid_header", Some(ErrorType::HttpProtocolError)),
        ("upstream sent too big header while reading response header from upstream", "too_big_header", Some(ErrorType::HttpResponseHeaderSectionSize)),
        ("no live upstreams while connecting to upstream", "no_live_upstreams", Some(ErrorType::DestinationUnavailable)),
        ("backend could not be resolved (3: Host not found)", "resolve_failed", Some(ErrorType::DnsError)),
        ("SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking to upstream", "ssl_handshake", Some(ErrorType::TlsProtocolError)),
        ("upstream SSL certificate verify error: (10:certificate has expired) while SSL handshaking to upstream", "ssl_verify", Some(ErrorType::TlsCertificateError)),
        ("connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream", "connect_no_socket", Some(ErrorType::ConnectionRefused)),
        ("connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream", "connect_socket_busy", Some(ErrorType::ConnectionLimitReached)),
        ("768 worker_connections are not enough", "worker_connections", Some(ErrorType::ConnectionLimitReached)),
        ("client intended to send too large body: 1048577 bytes", "body_too_large", Some(ErrorType::HttpRequestError)),
        (r#"limiting requests, excess: 0.500 by zone "one""#, "limiting_requests", Some(ErrorType::HttpRequestDenied)),
    ];
    for (msg, pattern, t) in cases {
        let e = check(
            &format!("{head}{msg}{tail}"),
            LogFormat::NginxError,
            pattern,
            *t,
        );
        assert_eq!(e.field("client"), Some("203.0.113.7"));
        assert_eq!(e.field("request"), Some("GET /api HTTP/1.1"));
        assert_eq!(e.field("upstream_addr"), Some("127.0.0.1:8080"));
        assert_eq!(e.diagnosis.confidence, Confidence::High);
    }
    let e = ex(&format!(
        "{head}connect() failed (111: Connection refused) while connecting to upstream{tail}"
    ));
    assert_eq!(
        e.text(Lang::EN),
        "nginx could not open a connection to the upstream 127.0.0.1:8080 (connection refused, errno 111) while handling GET /api from 203.0.113.7: nothing is listening on that address and port, or a firewall rejects the connection. Start the backend, or fix the address in proxy_pass / the upstream block."
    );
    let e = ex(&format!(
        "{head}client intended to send too large body: 1048577 bytes{tail}"
    ));
    assert_eq!(e.diagnosis.status, 413);
    // An unknown nginx message is not guessed at.
    assert!(explain(&format!("{head}something nginx never says{tail}")).is_none());
}

#[test]
fn nginx_access_with_upstream_variables_and_plain_combined() {
    let e = check(
        r#"203.0.113.7 - - [21/Nov/2024:10:00:00 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/8.0" rt=0.001 uct="-" uht="-" urt="0.001" us="502" ua="127.0.0.1:8080""#,
        LogFormat::NginxAccess,
        "upstream_status_50x",
        None,
    );
    assert_eq!(e.field("upstream_status"), Some("502"));
    assert_eq!(e.field("request_time"), Some("0.001"));
    assert_eq!(e.diagnosis.received_status, Some(502));
    assert_eq!(e.diagnosis.reached, Reached::Maybe);
    let e = check(
        r#"203.0.113.7 - - [21/Nov/2024:10:00:00 +0000] "GET /api HTTP/1.1" 504 167 "-" "curl/8.0""#,
        LogFormat::AccessCombined,
        "status_504",
        None,
    );
    assert_eq!(e.kind, LineKind::Status);
    assert_eq!(e.diagnosis.confidence, Confidence::Low);
    assert_eq!(
        e.diagnosis.alternatives,
        vec![ErrorType::HttpResponseTimeout, ErrorType::ConnectionTimeout]
    );
    assert_eq!(e.diagnosis.layer, Layer::Unknown);
}

#[test]
fn apache_error_lines() {
    let e = check(
        "[Thu Nov 21 10:00:00.123456 2024] [proxy:error] [pid 123:tid 456] (111)Connection refused: AH00957: http: attempt to connect to 127.0.0.1:8080 (127.0.0.1:8080) failed",
        LogFormat::ApacheError,
        "connect_refused",
        Some(ErrorType::ConnectionRefused),
    );
    assert_eq!(e.diagnosis.vendor_code.as_deref(), Some("AH00957"));
    assert_eq!(e.field("target"), Some("127.0.0.1:8080"));
    let e = check(
        "[Thu Nov 21 10:00:00.1 2024] [proxy_http:error] [pid 1:tid 2] (70007)The timeout specified has expired: [client 203.0.113.7:5555] AH01102: error reading status line from remote server 127.0.0.1:8080, referer: https://example.com/",
        LogFormat::ApacheError,
        "status_line_timeout",
        Some(ErrorType::HttpResponseTimeout),
    );
    assert_eq!(e.field("client"), Some("203.0.113.7:5555"));
    assert_eq!(e.field("referer"), Some("https://example.com/"));
    check(
        "[Thu Nov 21 10:00:00.1 2024] [proxy:error] [pid 1:tid 2] AH00959: ap_proxy_connect_backend disabling worker for (127.0.0.1:8080) for 60s",
        LogFormat::ApacheError,
        "worker_disabled",
        Some(ErrorType::DestinationUnavailable),
    );
    check(
        "[Thu Nov 21 10:00:00.1 2024] [proxy:error] [pid 1:tid 2] (EAI 2)Name or service not known: [client 1.2.3.4:5] AH00898: DNS lookup failure for: backend returned by /api",
        LogFormat::ApacheError,
        "dns_failure",
        Some(ErrorType::DnsError),
    );
}

#[test]
fn haproxy_termination_states() {
    let cases = [
        ("SC--", "server_refused", Some(ErrorType::ConnectionRefused)),
        (
            "sC--",
            "connect_timeout",
            Some(ErrorType::ConnectionTimeout),
        ),
        (
            "sH--",
            "header_timeout",
            Some(ErrorType::HttpResponseTimeout),
        ),
        (
            "SH--",
            "server_aborted_headers",
            Some(ErrorType::ConnectionTerminated),
        ),
        (
            "SD--",
            "server_aborted_data",
            Some(ErrorType::HttpResponseIncomplete),
        ),
        (
            "PH--",
            "blocked_response",
            Some(ErrorType::HttpProtocolError),
        ),
        ("PR--", "denied_request", Some(ErrorType::HttpRequestDenied)),
        (
            "sQ--",
            "queue_timeout",
            Some(ErrorType::ConnectionLimitReached),
        ),
        ("CD--", "client_aborted", None),
        ("cD--", "client_timeout", None),
    ];
    for (ts, pattern, t) in cases {
        let line = format!("Nov 21 10:00:00 lb haproxy[123]: 203.0.113.7:41234 [21/Nov/2024:10:00:00.123] www~ api/app1 0/0/0/-1/2001 504 198 - - {ts} 1/1/0/0/0 0/0 \"GET /api HTTP/1.1\"");
        let e = check(&line, LogFormat::HaproxyHttp, pattern, t);
        assert_eq!(e.diagnosis.vendor_code.as_deref(), Some(ts));
        assert_eq!(e.field("tc"), Some("0"));
        assert_eq!(e.field("ta"), Some("2001"));
        if t.is_none() {
            assert_eq!(e.diagnosis.segment, Segment::Client);
        }
    }
    let e = ex(
        r#"10.0.0.1:5 [21/Nov/2024:10:00:00.000] fe be/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1""#,
    );
    assert_eq!(e.pattern, "no_server");
    assert!(e.text(Lang::EN).contains("the server aborted or refused the connection, while waiting for the connection to the server"));
    // Normal termination falls through to the status rows.
    let e = ex(
        r#"10.0.0.1:5 [21/Nov/2024:10:00:00.000] fe be/app 0/0/0/0/0 500 171 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1""#,
    );
    assert_eq!(
        (e.pattern, e.diagnosis.vendor_code.clone()),
        ("status_500", None)
    );
}

#[test]
fn envoy_text_and_json() {
    let e = check(
        r#"[2024-11-21T10:00:00.000Z] "GET /api HTTP/1.1" 503 UF 0 91 30 - "-" "curl/8.0" "5f2f" "example.com" "10.0.0.1:8080""#,
        LogFormat::EnvoyAccess,
        "connect_failed",
        Some(ErrorType::ConnectionRefused),
    );
    assert_eq!(e.diagnosis.vendor_code.as_deref(), Some("UF"));
    assert!(e
        .text(Lang::EN)
        .contains("UF (upstream connection failure)"));
    check(
        r#"[2024-11-21T10:00:00.000Z] "GET /api HTTP/1.1" 503 UF,URX 0 91 30 - "-" "curl/8.0" "5f2f" "example.com" "10.0.0.1:8080""#,
        LogFormat::EnvoyAccess,
        "connect_failed",
        Some(ErrorType::ConnectionRefused),
    );
    check(
        r#"{"response_code":504,"response_flags":"UT","method":"GET","path":"/slow","upstream_host":"10.0.0.2:80","authority":"api"}"#,
        LogFormat::EnvoyAccess,
        "upstream_timeout",
        Some(ErrorType::HttpResponseTimeout),
    );
    check(
        r#"{"response_code":"503","response_flags":"UF","upstream_transport_failure_reason":"delayed connect error: 111","method":"GET","path":"/"}"#,
        LogFormat::EnvoyAccess,
        "connect_refused",
        Some(ErrorType::ConnectionRefused),
    );
}

#[test]
fn caddy_and_traefik() {
    check(
        r#"{"level":"error","logger":"http.log.error","msg":"dial tcp: lookup backend on 127.0.0.11:53: no such host","request":{"method":"GET","uri":"/"},"status":502}"#,
        LogFormat::CaddyJson,
        "dns_error",
        Some(ErrorType::DnsError),
    );
    check(
        r#"time="2024-11-21T10:00:00Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 10.0.0.5:8080: connect: connection refused""#,
        LogFormat::TraefikLog,
        "connect_refused",
        Some(ErrorType::ConnectionRefused),
    );
    check(
        r#"{"ClientHost":"203.0.113.7","DownstreamStatus":502,"OriginStatus":0,"RequestMethod":"GET","RequestPath":"/","ServiceURL":"http://10.0.0.5:8080"}"#,
        LogFormat::TraefikAccess,
        "no_origin_response_502",
        Some(ErrorType::ConnectionRefused),
    );
}

#[test]
fn heroku_codes_cover_the_documented_list() {
    for code in [
        "H10", "H11", "H12", "H13", "H14", "H15", "H17", "H18", "H19", "H20", "H21", "H22", "H23",
        "H24", "H25", "H26", "H27", "H28", "H31", "H32", "H80", "H81", "H82", "H83", "H99",
    ] {
        let line = format!(
            r#"2024-11-21T10:00:00.000000+00:00 heroku[router]: at=error code={code} desc="x" method=GET path="/" host=app.herokuapp.com request_id=1 fwd="203.0.113.7" dyno=web.1 connect=0ms service=30000ms status=503 bytes=0 protocol=https"#
        );
        let e = ex(&line);
        assert_eq!(e.format, LogFormat::HerokuRouter);
        assert_eq!(e.pattern, code.to_ascii_lowercase());
        assert_eq!(e.diagnosis.vendor_code.as_deref(), Some(code));
        assert_eq!(e.diagnosis.received_status, Some(503));
        assert_eq!(e.field("path"), Some("/"));
    }
}

#[test]
fn iis_default_fields_and_fields_directive() {
    let e = check(
        "2024-11-21 10:00:00 10.0.0.1 GET /api - 443 - 203.0.113.7 Mozilla/5.0 - 502 3 12002 30012",
        LogFormat::IisW3c,
        "arr_timeout",
        Some(ErrorType::HttpResponseTimeout),
    );
    assert_eq!(e.diagnosis.sub_status, Some(3));
    assert_eq!(e.diagnosis.vendor_code.as_deref(), Some("12002"));
    assert!(e.text(Lang::EN).contains("ERROR_WINHTTP_TIMEOUT"));
    let all = explain_all("#Software: Microsoft Internet Information Services 10.0\n#Fields: date time cs-method cs-uri-stem c-ip sc-status sc-substatus sc-win32-status time-taken\n2024-11-21 10:00:00 GET / 203.0.113.7 502 3 12029 15\n");
    assert_eq!(all.len(), 1);
    let first = all.first().map(|l| (l.line, l.explanation.pattern));
    assert_eq!(first, Some((3, "arr_cannot_connect")));
}

#[test]
fn app_servers() {
    check(
        "[2024-11-21 10:00:00 +0000] [1234] [CRITICAL] WORKER TIMEOUT (pid:1240)",
        LogFormat::Gunicorn,
        "worker_timeout",
        Some(ErrorType::HttpResponseTimeout),
    );
    check("[2024-11-21 10:00:00 +0000] [1234] [ERROR] Worker (pid:1240) was sent SIGKILL! Perhaps out of memory?", LogFormat::Gunicorn, "worker_oom", Some(ErrorType::ConnectionTerminated));
    let e = check(
        "[2024-11-21 10:00:00 +0000] [1240] [INFO] Booting worker with pid: 1240",
        LogFormat::Gunicorn,
        "booting_worker",
        None,
    );
    assert_eq!(e.kind, LineKind::Notice);
    check("[21-Nov-2024 10:00:00] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it", LogFormat::PhpFpm, "max_children", Some(ErrorType::ConnectionLimitReached));
    check(
        r#"*** uWSGI listen queue of socket "127.0.0.1:3031" (fd: 3) full !!! (101/100) ***"#,
        LogFormat::Uwsgi,
        "listen_queue_full",
        Some(ErrorType::ConnectionLimitReached),
    );
    let e = check("Thu Nov 21 10:00:00 2024 - uwsgi_response_writev_headers_and_body_do(): Broken pipe [core/writer.c line 306] during GET /api (203.0.113.7)", LogFormat::Uwsgi, "client_broken_pipe", None);
    assert_eq!(e.diagnosis.segment, Segment::Client);
    check(
        r#"Application '/LM/W3SVC/1/ROOT' with physical root 'C:\inetpub\app\' failed to start process with commandline '"dotnet" .\App.dll', ErrorCode = '0x80004005' : ff."#,
        LogFormat::Ancm,
        "process_start_failed",
        Some(ErrorType::DestinationUnavailable),
    );
}

#[test]
fn hop_and_segment_overrides_apply() {
    let e = ex("2024/11/21 10:00:00 [error] 1#1: *1 writev() failed (32: Broken pipe) while sending request to upstream, client: 1.2.3.4, server: , request: \"POST /up HTTP/1.1\", upstream: \"http://10.0.0.1:80/up\", host: \"x\"");
    assert_eq!(e.pattern, "send_failed");
    assert_eq!(e.diagnosis.hop, Some(Hop::Request));
}

#[test]
fn hostile_input_is_bounded() {
    // A 1 MB line: only a prefix is matched, and nothing panics.
    let long = format!(
        "2024/11/21 10:00:00 [error] 1#1: *1 upstream sent too big header{}",
        "x".repeat(1 << 20)
    );
    let started = std::time::Instant::now();
    let _ = explain(&long);
    let _ = explain(&"a".repeat(1 << 20));
    let _ = explain(&format!("{{\"msg\":\"{}\"}}", "b".repeat(1 << 20)));
    assert!(started.elapsed().as_secs() < 20);
    // Invalid UTF-8, converted lossily by the caller.
    let bytes = b"2024/11/21 10:00:00 [error] 1#1: *1 no live upstreams while connecting to upstream, client: \xff\xfe, server: , request: \"GET / HTTP/1.1\", host: \"x\"";
    let lossy = String::from_utf8_lossy(bytes);
    let e = ex(&lossy);
    assert_eq!(e.pattern, "no_live_upstreams");
    assert_eq!(e.field("client"), Some("\u{fffd}\u{fffd}"));
    // 10,000 lines: at most MAX_LINES are read.
    let line =
        r#"127.0.0.1 - - [21/Nov/2024:10:00:00 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.0""#;
    let many = vec![line; 10_000].join("\n");
    let all = explain_all(&many);
    assert_eq!(all.len(), MAX_LINES);
    assert_eq!(all.last().map(|l| l.line), Some(MAX_LINES));
    // Empty and whitespace-only input.
    assert!(explain("").is_none());
    assert!(explain("   \r\n").is_none());
    assert!(explain_all("").is_empty());
    // Field values and the field count are capped.
    let kv: String = (0..500).map(|i| format!(" k{i}=v")).collect();
    if let Some(e) = explain(&format!("heroku[router]: at=error code=H12{kv}")) {
        assert!(e.fields.len() <= MAX_FIELDS);
    }
    assert_eq!(prefix("é", 1), "");
}

#[test]
fn explanations_serialize() {
    let e = ex("[2024-11-21 10:00:00 +0000] [1234] [CRITICAL] WORKER TIMEOUT (pid:1240)");
    let json = serde_json::to_value(&e).unwrap_or_default();
    assert_eq!(json["format"], "gunicorn");
    assert_eq!(json["pattern"], "worker_timeout");
    assert_eq!(json["kind"], "failure");
    assert_eq!(json["diagnosis"]["errorType"], "http_response_timeout");
}

#[test]
fn varnish_and_squid() {
    check(
        "        12 FetchError     b first byte timeout",
        LogFormat::Varnishlog,
        "first_byte_timeout",
        Some(ErrorType::HttpResponseTimeout),
    );
    let e = check(
        "         3 FetchError     b backend b_app: fail errno 111 (Connection refused)",
        LogFormat::Varnishlog,
        "connect_refused",
        Some(ErrorType::ConnectionRefused),
    );
    assert_eq!(e.field("backend"), Some("b_app"));
    check(
        "2026/11/21 06:14:34| TCP connection to 127.0.0.1/18100 failed",
        LogFormat::SquidCache,
        "connect_failed",
        Some(ErrorType::ConnectionRefused),
    );
    let e = check(
        "1795241691.452      1 127.0.0.1 TCP_MISS/502 3466 GET http://does-not-exist.invalid/ - HIER_NONE/- text/html",
        LogFormat::SquidAccess,
        "no_server_contacted",
        None,
    );
    assert_eq!(e.diagnosis.alternatives.first(), Some(&ErrorType::DnsError));
    assert_eq!(e.diagnosis.vendor_code.as_deref(), Some("TCP_MISS"));
    check(
        "1795241691.452      1 127.0.0.1 TCP_DENIED/403 3466 GET http://blocked.example/ - HIER_NONE/- text/html",
        LogFormat::SquidAccess,
        "denied",
        Some(ErrorType::HttpRequestDenied),
    );
}

/// Found by the property tests (`tests/no_injection.rs`): the explanation
/// copied the line's fields as they were, so an escape sequence in a logged
/// request path reached the terminal of whoever ran `gatewise explain`.
#[test]
fn explanations_neutralize_control_characters_from_the_line() {
    let line = "2026/11/21 06:18:31 [error] 17702#17702: *3 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1\u{1b}[2J, server: _, request: \"GET /\u{202e}x\u{7} HTTP/1.1\", upstream: \"http://127.0.0.1:9/\u{1b}]8;;\", host: \"a\u{e}\"";
    let e = crate::logs::explain(line).unwrap();
    assert_eq!(
        e.field("client"),
        Some("10.0.0.1\u{1b}[2J"),
        "the fields stay as logged"
    );
    for lang in crate::Lang::all() {
        let text = e.text(lang);
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{text:?}"
        );
        assert!(text.contains("10.0.0.1\u{fffd}[2J"), "{text}");
    }
}

#[test]
fn records_are_read_by_field_name_in_any_order_and_subset() {
    use crate::taxonomy::ErrorType as T;
    // A pretty-printed JSON object, fields in another order than Cloud Logging writes them.
    let json = "{\n  \"jsonPayload\": {\"statusDetails\": \"backend_timeout\"},\n  \"httpRequest\": {\"status\": 502, \"requestMethod\": \"GET\"}\n}";
    let e = explain_record(json).unwrap();
    assert_eq!((e.format.name(), e.pattern), ("gcp_lb", "backend_timeout"));
    assert_eq!(e.diagnosis.error_type, Some(T::HttpResponseTimeout));
    // A table as a log viewer shows it: `key | value`, Markdown borders and all.
    let table = "| field | value |\n|---|---|\n| httpStatusCode | 503 |\n| errorInfo | OriginConnectionRefused |\n| requestUri | https://shop.example.com/ |";
    let e = explain_record(table).unwrap();
    assert_eq!(e.format.name(), "azure_front_door");
    assert_eq!(e.diagnosis.error_type, Some(T::ConnectionRefused));
    assert_eq!(e.diagnosis.layer, Layer::AzureFrontDoor);
    // Envoy's operators as `key: value` lines, a subset of them.
    let yaml = "response_code: 503\nresponse_code_details: upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111}";
    let e = explain_record(yaml).unwrap();
    assert_eq!(
        (e.format.name(), e.diagnosis.error_type),
        ("envoy_access", Some(T::ConnectionRefused))
    );
    // Not a record: prose, or a single pair.
    assert!(explain_record("The server is down: please retry later.").is_none());
    assert!(explain_record("status: 502").is_none());
}

#[test]
fn positional_fields_keep_what_a_cut_line_has() {
    // An ALB line cut after the target status: the fields it has are read.
    let line = "https 2024-05-14T09:12:01.123456Z app/prod-alb/50dc6c495c0c9188 203.0.113.7:51512 - -1 -1 -1 503 - 210 329";
    let e = ex(line);
    assert_eq!((e.format, e.pattern), (LogFormat::AwsAlb, "no_targets"));
    assert_eq!(e.field("target_status_code"), Some("-"));
    assert_eq!(e.field("request"), None);
}

#[test]
fn a_squid_format_line_names_squid_only_with_squid_words() {
    let squid = "1795242076.816      0 127.0.0.1 TCP_MISS/502 3466 GET http://does-not-exist.invalid/ - HIER_NONE/- text/html";
    assert_eq!(ex(squid).diagnosis.layer, Layer::Squid);
    let other = "1715678521.120      3 203.0.113.7 TCP_MISS/502 0 GET http://api.internal/v1 - DIRECT/10.0.0.7 text/html";
    let e = ex(other);
    assert_eq!(e.format, LogFormat::SquidAccess);
    assert_eq!(e.diagnosis.layer, Layer::Unknown);
}
