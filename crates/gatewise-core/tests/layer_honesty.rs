//! A layer is named only by a signal of its own: generic markup (an HTML 4.01
//! page with `<title>NNN …</title>`, Squid's access-log layout) never names one.
//! Regressions of two misnamings measured on proxies never captured here: a
//! forward proxy's HTML 4.01 pages were called Apache, and another proxy's
//! Squid-format access log was called Squid.
#![allow(clippy::panic, clippy::indexing_slicing)]

use gatewise_core::classify::{response, ResponseView};
use gatewise_core::logs;
use gatewise_core::Layer;

/// An HTML 4.01 status page as many servers write it (not Apache's layout).
const HTML401_503: &str = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n<html>\n<head><title>503 Service Unavailable</title></head>\n<body>\n<h1>Service Unavailable</h1>\n<p>Try again later.</p>\n</body>\n</html>\n";

/// The page Apache httpd writes (modules/http/http_protocol.c, ap_send_error_response).
const APACHE_503: &str = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>503 Service Unavailable</title>\n</head><body>\n<h1>Service Unavailable</h1>\n<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\nproblems. Please try again later.</p>\n</body></html>\n";

fn layer_of(headers: &[(&str, &str)], body: &str) -> Layer {
    response(&ResponseView {
        status: 503,
        headers,
        body: body.as_bytes(),
    })
    .layer
}

#[test]
fn an_html_401_page_alone_names_no_layer() {
    assert_eq!(layer_of(&[], HTML401_503), Layer::Unknown);
    assert_eq!(
        layer_of(&[("Content-Type", "text/html")], HTML401_503),
        Layer::Unknown
    );
}

#[test]
fn apache_is_named_by_its_own_layout_or_its_signature() {
    assert_eq!(layer_of(&[], APACHE_503), Layer::Apache);
    let signed = HTML401_503.replace(
        "</body>",
        "<hr>\n<address>Apache/2.4.62 (Unix) Server at shop.example Port 443</address>\n</body>",
    );
    assert_eq!(layer_of(&[], &signed), Layer::Apache);
}

#[test]
fn privoxy_pages_are_privoxy_not_apache() {
    let body = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n<html>\n<head>\n  <title>503 - Connect failed (Privoxy@localhost)</title>\n</head>\n<body>\n<h2>Connect failed</h2>\n</body>\n</html>\n";
    assert_eq!(layer_of(&[], body), Layer::Privoxy);
}

fn explain_line(line: &str) -> (String, Layer) {
    let all = logs::explain_all(line);
    let Some(first) = all.first() else {
        panic!("not explained: {line}");
    };
    (
        first.explanation.format.name().to_owned(),
        first.explanation.diagnosis.layer,
    )
}

#[test]
fn a_squid_format_line_names_squid_only_by_squid_codes() {
    // Squid 3+ hierarchy codes are Squid's own.
    let squid = "1763705521.101      2 127.0.0.1 TCP_MISS/502 3946 GET http://127.0.0.1/some/path - FIRSTUP_PARENT/127.0.0.1 text/html";
    assert_eq!(
        explain_line(squid),
        ("squid_access".to_owned(), Layer::Squid)
    );
    // Apache Traffic Server's squid.log: ERR_* result codes (Squid's are TCP_*, UDP_*, NONE).
    let ats = "1796537549.923 0 127.0.0.1 ERR_CONNECT_FAIL/502 455 GET http://127.0.0.1:18100/some/path?x=1 - DIRECT/127.0.0.1 text/html";
    assert_eq!(
        explain_line(ats),
        ("trafficserver_squid".to_owned(), Layer::Trafficserver)
    );
    // Neither: the layout alone names no proxy.
    let plain = "1796537598.068 3 127.0.0.1 TCP_MISS/500 252 GET http://127.0.0.1:18109/some/path?x=1 - DIRECT/127.0.0.1 text/html";
    assert_eq!(
        explain_line(plain),
        ("squid_access".to_owned(), Layer::Unknown)
    );
}

#[test]
fn generic_gateway_wording_names_kong_only_with_kongs_header() {
    let body = r#"{"message":"name resolution failed"}"#;
    let plain = response(&ResponseView {
        status: 503,
        headers: &[("Content-Type", "application/json")],
        body: body.as_bytes(),
    });
    assert_eq!(plain.layer, Layer::Unknown);
    let kong = response(&ResponseView {
        status: 503,
        headers: &[
            ("Content-Type", "application/json"),
            ("Server", "kong/3.4.2"),
        ],
        body: body.as_bytes(),
    });
    assert_eq!(kong.layer, Layer::Kong);
}

#[test]
fn java_and_dotnet_stack_frames_are_not_nodes() {
    // Only V8's frames (file:line:column) are read, and a frame names no layer: Chrome
    // writes the same ones.
    for frame in [
        "\tat java.base/java.net.Socket.connect(Socket.java:609)",
        "        at sun.nio.ch.SocketChannelImpl.checkConnect(Native Method)",
        "   at System.Net.Http.HttpConnectionPool.ConnectToTcpHostAsync(String host, Int32 port, HttpRequestMessage request, Boolean async, CancellationToken cancellationToken)",
        "}",
    ] {
        assert!(logs::explain_all(frame).is_empty(), "{frame}");
    }
    let v8 = "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)";
    assert_eq!(explain_line(v8), ("node_error".to_owned(), Layer::Unknown));
}

#[test]
fn vite_takes_the_cause_from_the_node_line_after_it() {
    use gatewise_core::{Confidence, ErrorType};
    // Vite prints its line, then the error's stack: Node's first line states the cause.
    for (paste, cause) in [
        (
            "9:36:42 PM [vite] http proxy error:\nError: connect ECONNREFUSED ::1:8000\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1532:16)",
            ErrorType::ConnectionRefused,
        ),
        (
            "7:04:05 AM [vite] http proxy error: /some/path?x=1\nError: getaddrinfo ENOTFOUND does-not-exist.invalid",
            ErrorType::DnsError,
        ),
    ] {
        let e = gatewise_core::explain::explain(paste).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.diagnosis.layer, Layer::Vite, "{paste}");
        assert_eq!(e.diagnosis.error_type, Some(cause), "{paste}");
        assert_eq!(e.diagnosis.confidence, Confidence::High, "{paste}");
    }
    // Alone, the line says only that the proxy failed: low confidence.
    let alone = gatewise_core::explain::explain("7:04:05 AM [vite] http proxy error: /x")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(alone.diagnosis.layer, Layer::Vite);
    assert_eq!(alone.diagnosis.confidence, Confidence::Low);
    // Not when another line comes between.
    let apart = logs::explain_all(
        "7:04:05 AM [vite] http proxy error: /x\n7:04:06 AM [vite] page reload src/App.vue\nError: getaddrinfo ENOTFOUND db",
    );
    assert_eq!(
        apart.first().map(|l| l.explanation.diagnosis.confidence),
        Some(Confidence::Low)
    );
}
