//! The shapes people paste (issue 13's list), each read through `explain::explain`
//! as a whole paste: client libraries' error lines, structured log records read by
//! field name, and the copied text of error pages. Each input is the documented form
//! of that message or record (curl's libcurl-errors, Node's errors, Go's net package,
//! the JDK, urllib3/requests, Guzzle, .NET's SocketException, gRPC's status codes,
//! the vendors' log-field references); the data rows that read them carry the sources.

#![allow(clippy::panic, clippy::indexing_slicing, clippy::unwrap_used)] // a test: a failed expectation panics with its context

use gatewise_core::explain::{explain, InputKind};
use gatewise_core::{ErrorType, Layer};

use ErrorType::*;
use InputKind::{Log, Message, Page};

fn check(cases: &[(&str, InputKind, Layer, ErrorType)]) {
    let mut failures = Vec::new();
    for (input, kind, layer, t) in cases {
        match explain(input) {
            Ok(e) => {
                let got = (e.kind, e.diagnosis.layer, e.diagnosis.error_type);
                if got != (*kind, *layer, Some(*t)) {
                    failures.push(format!(
                        "{input}\n  expected {:?}\n  got      {got:?}",
                        (kind, layer, t)
                    ));
                }
            }
            Err(err) => failures.push(format!("{input}\n  not read: {err}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn curl_error_lines() {
    check(&[
        ("curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server", Message, Layer::Curl, ConnectionRefused),
        ("curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused", Message, Layer::Curl, ConnectionRefused),
        ("curl: (28) Failed to connect to 10.0.0.1 port 443 after 75003 ms: Connection timed out", Message, Layer::Curl, ConnectionTimeout),
        ("curl: (28) Operation timed out after 5001 milliseconds with 0 bytes received", Message, Layer::Curl, HttpResponseTimeout),
        ("curl: (6) Could not resolve host: api.internal", Message, Layer::Curl, DnsError),
        ("curl: (35) error:0A00010B:SSL routines::wrong version number", Message, Layer::Curl, TlsProtocolError),
        ("curl: (52) Empty reply from server", Message, Layer::Curl, ConnectionTerminated),
        ("curl: (56) Recv failure: Connection reset by peer", Message, Layer::Curl, ConnectionTerminated),
        ("curl: (60) SSL certificate problem: self-signed certificate", Message, Layer::Curl, TlsCertificateError),
    ]);
}

#[test]
fn runtime_and_library_errors() {
    check(&[
        ("Error: connect ECONNREFUSED 127.0.0.1:3000\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {\n  errno: -111,\n  code: 'ECONNREFUSED',\n  syscall: 'connect',\n  address: '127.0.0.1',\n  port: 3000\n}", Message, Layer::Node, ConnectionRefused),
        ("Error: getaddrinfo ENOTFOUND api.internal\n    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:107:26)", Message, Layer::Node, DnsError),
        ("Error: socket hang up\n    at connResetException (node:internal/errors:720:14)", Message, Layer::Node, ConnectionTerminated),
        ("Get \"http://127.0.0.1:8080/\": dial tcp 127.0.0.1:8080: connect: connection refused", Message, Layer::Go, ConnectionRefused),
        ("Get \"http://10.0.0.1:8080/\": dial tcp 10.0.0.1:8080: i/o timeout", Message, Layer::Go, ConnectionTimeout),
        ("Get \"http://api.internal/\": dial tcp: lookup api.internal on 127.0.0.11:53: no such host", Message, Layer::Go, DnsError),
        ("Get \"http://10.0.0.1:8080/\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", Message, Layer::Go, HttpResponseTimeout),
        ("Exception in thread \"main\" java.net.ConnectException: Connection refused\n\tat java.base/sun.nio.ch.Net.connect0(Native Method)", Message, Layer::Java, ConnectionRefused),
        ("java.net.SocketTimeoutException: Read timed out\n\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)", Message, Layer::Java, HttpResponseTimeout),
        ("java.net.UnknownHostException: api.internal: Name or service not known", Message, Layer::Java, DnsError),
        ("requests.exceptions.ConnectionError: HTTPConnectionPool(host='localhost', port=8000): Max retries exceeded with url: / (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f2b>: Failed to establish a new connection: [Errno 111] Connection refused'))", Message, Layer::Python, ConnectionRefused),
        ("requests.exceptions.ReadTimeout: HTTPConnectionPool(host='localhost', port=8000): Read timed out. (read timeout=5)", Message, Layer::Python, HttpResponseTimeout),
        ("GuzzleHttp\\Exception\\ConnectException: cURL error 28: Operation timed out after 30001 milliseconds with 0 bytes received (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for http://api.internal/", Message, Layer::Php, HttpResponseTimeout),
        ("System.Net.Http.HttpRequestException: No connection could be made because the target machine actively refused it. (localhost:5000)\n ---> System.Net.Sockets.SocketException (10061): No connection could be made because the target machine actively refused it.", Message, Layer::Dotnet, ConnectionRefused),
        ("Error: 14 UNAVAILABLE: No connection established", Message, Layer::Grpc, DestinationUnavailable),
        ("rpc error: code = DeadlineExceeded desc = context deadline exceeded", Message, Layer::Grpc, HttpResponseTimeout),
    ]);
}

#[test]
fn structured_log_records_by_field_name() {
    check(&[
        // Envoy: JSON access log, a logfmt line, a log viewer's `field | value` table.
        ("{\"response_code\":503,\"response_code_details\":\"upstream_reset_before_response_started{connection_failure}\",\"response_flags\":\"UF\",\"upstream_host\":\"10.0.3.17:8080\"}", Log, Layer::Envoy, ConnectionRefused),
        ("response_code=503 response_flags=UF upstream_transport_failure_reason=\"delayed connect error: 111\" upstream_host=10.0.3.17:8080", Log, Layer::Envoy, ConnectionRefused),
        ("response_code | 503\nresponse_flags | UF,URX\nupstream_host | 10.0.3.17:8080", Log, Layer::Envoy, ConnectionRefused),
        // AWS ALB, cut after the request.
        ("http 2024-05-14T09:14:01.123456Z app/prod-alb/50dc6c495c0c9188 203.0.113.7:51514 10.0.1.7:8080 0.000 -1 -1 504 - 210 277 \"GET http://shop.example.com:80/ HTTP/1.1\"", Log, Layer::AwsElb, HttpResponseTimeout),
        // Google Cloud load balancer, pretty-printed.
        ("{\n  \"httpRequest\": {\"status\": 502},\n  \"jsonPayload\": {\"statusDetails\": \"failed_to_pick_backend\"}\n}", Log, Layer::GoogleFrontend, DestinationUnavailable),
        // Cloudflare Logpush.
        ("{\"ClientRequestHost\":\"shop.example.com\",\"EdgeResponseStatus\":521,\"OriginResponseStatus\":0,\"RayID\":\"7c1b2a3d4e5f6790\"}", Log, Layer::Cloudflare, ConnectionRefused),
        // Traefik JSON access log.
        ("{\"DownstreamStatus\":504,\"OriginStatus\":0,\"RequestHost\":\"shop.example.com\",\"RequestMethod\":\"GET\",\"RequestPath\":\"/report\",\"ServiceURL\":\"http://172.18.0.5:8080\",\"Duration\":30001234567,\"OriginDuration\":30000987654,\"RouterName\":\"api@docker\"}", Log, Layer::Traefik, HttpResponseTimeout),
        // Azure Front Door.
        ("{\"category\":\"FrontDoorAccessLog\",\"properties\":{\"httpStatusCode\":\"503\",\"errorInfo\":\"OriginConnectionRefused\"}}", Log, Layer::AzureFrontDoor, ConnectionRefused),
        // HAProxy, cut before the client and after the termination state.
        ("be_app/web1 0/0/-1/-1/3005 503 217 - - SC--", Log, Layer::Haproxy, ConnectionRefused),
    ]);
}

#[test]
fn copied_page_text() {
    check(&[
        ("Error 1016 Ray ID: 7c1b2a3d4e5f6789 \u{2022} 2024-05-14 09:12:01 UTC\nOrigin DNS error\nWhat happened?", Page, Layer::Cloudflare, DnsError),
        ("Web server is down Error code 521\nVisit cloudflare.com for more information.\n2024-05-14 09:12:01 UTC\n\nCloudflare Ray ID: 7c1b2a3d4e5f6789", Page, Layer::Cloudflare, ConnectionRefused),
        ("upstream connect error or disconnect/reset before headers. reset reason: connection timeout", Page, Layer::Envoy, ConnectionTimeout),
    ]);
}
