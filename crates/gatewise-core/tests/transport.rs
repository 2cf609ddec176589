//! The transport classifier against the exact texts and codes runtimes report.

use gatewise_core::classify::transport::{note_key, verdict, Verdict, MAX_DEPTH, RULES};
use gatewise_core::classify::{io_error, transport, TransportError};
use gatewise_core::matcher::Test;
use gatewise_core::signals::is_runtime;
use gatewise_core::{Confidence, Diagnosis, ErrorType, Hop, Layer, Reached, Segment};

use Confidence::{High, Low, Medium};
use ErrorType as T;

fn e(
    runtime: Option<Layer>,
    name: Option<&str>,
    message: &str,
    code: Option<&str>,
) -> TransportError {
    TransportError {
        runtime,
        name: name.map(str::to_owned),
        message: message.to_owned(),
        code: code.map(str::to_owned),
        retryable: None,
        cause: None,
    }
}

fn caused(mut top: TransportError, cause: TransportError) -> TransportError {
    top.cause = Some(Box::new(cause));
    top
}

/// undici's `TypeError: fetch failed` around a system error.
fn fetch_failed(code: &str, message: &str) -> TransportError {
    caused(
        e(None, Some("TypeError"), "fetch failed", None),
        e(None, Some("Error"), message, Some(code)),
    )
}

fn rule_of(d: &Diagnosis) -> Option<&str> {
    d.evidence.iter().find_map(|ev| ev.rule.as_deref())
}

struct Case {
    label: &'static str,
    input: TransportError,
    error_type: Option<ErrorType>,
    alternatives: &'static [ErrorType],
    confidence: Confidence,
    retryable: bool,
    reached: Reached,
    layer: Layer,
    rule: &'static str,
}

const BROWSER_ALTS: &[ErrorType] = &[
    T::DnsError,
    T::ConnectionRefused,
    T::ConnectionTimeout,
    T::ConnectionTerminated,
    T::TlsCertificateError,
];

fn cases() -> Vec<Case> {
    let mut workerd_lost = e(
        Some(Layer::Workerd),
        Some("Error"),
        "Network connection lost.",
        None,
    );
    workerd_lost.retryable = Some(true);
    vec![
        // --- Node / undici ---
        Case {
            label: "undici ECONNREFUSED",
            input: fetch_failed("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:9"),
            error_type: Some(T::ConnectionRefused),
            alternatives: &[],
            confidence: High,
            retryable: true,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "node.econnrefused",
        },
        Case {
            label: "undici ENOTFOUND",
            input: fetch_failed("ENOTFOUND", "getaddrinfo ENOTFOUND nonexistent.invalid"),
            error_type: Some(T::DnsError),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "node.enotfound",
        },
        Case {
            label: "undici EAI_AGAIN (temporary DNS failure)",
            input: fetch_failed("EAI_AGAIN", "getaddrinfo EAI_AGAIN example.com"),
            error_type: Some(T::DnsError),
            alternatives: &[T::DnsTimeout],
            confidence: Medium,
            retryable: true,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "node.eai_again",
        },
        Case {
            label: "undici ECONNRESET",
            input: fetch_failed("ECONNRESET", "read ECONNRESET"),
            error_type: Some(T::ConnectionTerminated),
            alternatives: &[T::HttpResponseIncomplete],
            confidence: Medium,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Node,
            rule: "node.econnreset",
        },
        Case {
            label: "undici ETIMEDOUT",
            input: fetch_failed("ETIMEDOUT", "connect ETIMEDOUT 10.255.255.1:80"),
            error_type: Some(T::ConnectionTimeout),
            alternatives: &[T::ConnectionReadTimeout],
            confidence: Medium,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Node,
            rule: "node.etimedout",
        },
        Case {
            label: "undici EHOSTUNREACH",
            input: fetch_failed("EHOSTUNREACH", "connect EHOSTUNREACH 192.0.2.1:80"),
            error_type: Some(T::DestinationIpUnroutable),
            alternatives: &[],
            confidence: High,
            retryable: true,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "node.ehostunreach",
        },
        Case {
            label: "undici ENETUNREACH",
            input: fetch_failed("ENETUNREACH", "connect ENETUNREACH 2001:db8::1:80 - Local (:::0)"),
            error_type: Some(T::DestinationIpUnroutable),
            alternatives: &[],
            confidence: High,
            retryable: true,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "node.enetunreach",
        },
        Case {
            label: "Node EPIPE",
            input: e(None, Some("Error"), "write EPIPE", Some("EPIPE")),
            error_type: Some(T::ConnectionTerminated),
            alternatives: &[],
            confidence: Medium,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Node,
            rule: "node.epipe",
        },
        Case {
            label: "undici connect timeout",
            input: caused(
                e(None, Some("TypeError"), "fetch failed", None),
                e(
                    None,
                    Some("ConnectTimeoutError"),
                    "Connect Timeout Error (attempted address: example.com:443, timeout: 10000ms)",
                    Some("UND_ERR_CONNECT_TIMEOUT"),
                ),
            ),
            error_type: Some(T::ConnectionTimeout),
            alternatives: &[],
            confidence: High,
            retryable: true,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "undici.connect_timeout",
        },
        Case {
            label: "undici headers timeout",
            input: caused(
                e(None, Some("TypeError"), "fetch failed", None),
                e(None, Some("HeadersTimeoutError"), "Headers Timeout Error", Some("UND_ERR_HEADERS_TIMEOUT")),
            ),
            error_type: Some(T::HttpResponseTimeout),
            alternatives: &[],
            confidence: High,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Node,
            rule: "undici.headers_timeout",
        },
        Case {
            label: "undici body timeout (after the headers: terminated)",
            input: caused(
                e(None, Some("TypeError"), "terminated", None),
                e(None, Some("BodyTimeoutError"), "Body Timeout Error", Some("UND_ERR_BODY_TIMEOUT")),
            ),
            error_type: Some(T::ConnectionReadTimeout),
            alternatives: &[],
            confidence: High,
            retryable: true,
            reached: Reached::Yes,
            layer: Layer::Node,
            rule: "undici.body_timeout",
        },
        Case {
            label: "undici other side closed (before the response)",
            input: caused(
                e(None, Some("TypeError"), "fetch failed", None),
                e(None, Some("SocketError"), "other side closed", Some("UND_ERR_SOCKET")),
            ),
            error_type: Some(T::ConnectionTerminated),
            alternatives: &[T::HttpResponseIncomplete],
            confidence: Medium,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Node,
            rule: "undici.socket",
        },
        Case {
            label: "undici other side closed (during the body: terminated)",
            input: caused(
                e(None, Some("TypeError"), "terminated", None),
                e(None, Some("SocketError"), "other side closed", Some("UND_ERR_SOCKET")),
            ),
            error_type: Some(T::HttpResponseIncomplete),
            alternatives: &[T::ConnectionTerminated],
            confidence: Medium,
            retryable: true,
            reached: Reached::Yes,
            layer: Layer::Node,
            rule: "undici.terminated",
        },
        Case {
            label: "undici ResponseStatusCodeError (the server answered)",
            input: e(
                None,
                Some("ResponseStatusCodeError"),
                "Response status code 503: Service Unavailable",
                Some("UND_ERR_RESPONSE_STATUS_CODE"),
            ),
            error_type: None,
            alternatives: &[],
            confidence: High,
            retryable: true,
            reached: Reached::Yes,
            layer: Layer::Node,
            rule: "undici.response_status_code",
        },
        Case {
            label: "Node CERT_HAS_EXPIRED",
            input: fetch_failed("CERT_HAS_EXPIRED", "certificate has expired"),
            error_type: Some(T::TlsCertificateError),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "node.cert_has_expired",
        },
        Case {
            label: "Node DEPTH_ZERO_SELF_SIGNED_CERT",
            input: fetch_failed("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"),
            error_type: Some(T::TlsCertificateError),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "node.depth_zero_self_signed",
        },
        Case {
            label: "Node SELF_SIGNED_CERT_IN_CHAIN",
            input: fetch_failed("SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain"),
            error_type: Some(T::TlsCertificateError),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "node.self_signed_in_chain",
        },
        Case {
            label: "Node UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            input: fetch_failed("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"),
            error_type: Some(T::TlsCertificateError),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "node.unable_to_verify_leaf",
        },
        Case {
            label: "Node UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
            input: fetch_failed("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "unable to get local issuer certificate"),
            error_type: Some(T::TlsCertificateError),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "node.unable_to_get_issuer_locally",
        },
        Case {
            label: "Node ERR_TLS_CERT_ALTNAME_INVALID",
            input: fetch_failed(
                "ERR_TLS_CERT_ALTNAME_INVALID",
                "Hostname/IP does not match certificate's altnames: Host: wrong.host.badssl.com. is not in the cert's altnames: DNS:*.badssl.com, DNS:badssl.com",
            ),
            error_type: Some(T::TlsCertificateError),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "node.cert_altname_invalid",
        },
        Case {
            label: "Node ERR_SSL_WRONG_VERSION_NUMBER (TLS to a plain port)",
            input: fetch_failed(
                "ERR_SSL_WRONG_VERSION_NUMBER",
                "C0D7E2A5A67F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:355:\n",
            ),
            error_type: Some(T::TlsProtocolError),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "node.ssl_wrong_version_number",
        },
        Case {
            label: "older Node: EPROTO … wrong version number",
            input: fetch_failed(
                "EPROTO",
                "write EPROTO 140190191400896:error:1408F10B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:332:\n",
            ),
            error_type: Some(T::TlsProtocolError),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::No,
            layer: Layer::Node,
            rule: "openssl.wrong_version_number",
        },
        Case {
            label: "zlib: body labelled gzip but not gzip",
            input: caused(
                e(None, Some("TypeError"), "terminated", None),
                e(None, Some("Error"), "incorrect header check", Some("Z_DATA_ERROR")),
            ),
            error_type: Some(T::HttpResponseContentCoding),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::Yes,
            layer: Layer::Node,
            rule: "node.zlib_data_error",
        },
        Case {
            label: "Node http parser: Expected HTTP/",
            input: e(None, Some("Error"), "Parse Error: Expected HTTP/", Some("HPE_INVALID_CONSTANT")),
            error_type: Some(T::HttpProtocolError),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::Maybe,
            layer: Layer::Node,
            rule: "llhttp.parse_error",
        },
        Case {
            label: "undici HTTPParserError",
            input: caused(
                e(None, Some("TypeError"), "fetch failed", None),
                e(
                    None,
                    Some("HTTPParserError"),
                    "Response does not match the HTTP/1.1 protocol (Expected HTTP/, RTSP/ or ICE/)",
                    None,
                ),
            ),
            error_type: Some(T::HttpProtocolError),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::Maybe,
            layer: Layer::Node,
            rule: "undici.parser_error",
        },
        Case {
            label: "Node fetch failed without its cause",
            input: e(Some(Layer::Node), Some("TypeError"), "fetch failed", None),
            error_type: None,
            alternatives: &[T::DnsError, T::ConnectionRefused, T::ConnectionTimeout, T::ConnectionTerminated, T::TlsProtocolError],
            confidence: Low,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Node,
            rule: "undici.fetch_failed",
        },
        // --- workerd ---
        Case {
            label: "workerd Network connection lost (refused, closed or reset)",
            input: workerd_lost,
            error_type: Some(T::ConnectionRefused),
            alternatives: &[T::ConnectionTerminated, T::HttpResponseIncomplete],
            confidence: Low,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Workerd,
            rule: "workerd.connection_lost",
        },
        Case {
            label: "workerd internal error (garbage, DNS or TLS to a plain port)",
            input: e(Some(Layer::Workerd), Some("Error"), "internal error; reference = 6h4f0mbjgnb2eu4icm6dqa8c", None),
            error_type: Some(T::HttpProtocolError),
            alternatives: &[T::DnsError, T::TlsProtocolError, T::ProxyInternalError],
            confidence: Low,
            retryable: false,
            reached: Reached::Maybe,
            layer: Layer::Workerd,
            rule: "workerd.internal_error",
        },
        Case {
            label: "workerd AbortSignal.timeout",
            input: e(Some(Layer::Workerd), Some("TimeoutError"), "The operation was aborted due to timeout", None),
            error_type: Some(T::HttpResponseTimeout),
            alternatives: &[T::ConnectionTimeout, T::DnsTimeout],
            confidence: Medium,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Workerd,
            rule: "dom.timeout_error",
        },
        Case {
            label: "AbortError: the caller cancelled",
            input: e(Some(Layer::Browser), Some("AbortError"), "The user aborted a request.", None),
            error_type: None,
            alternatives: &[T::HttpResponseTimeout],
            confidence: Medium,
            retryable: false,
            reached: Reached::Maybe,
            layer: Layer::Browser,
            rule: "dom.abort_error",
        },
        // --- Browsers ---
        Case {
            label: "Chrome Failed to fetch",
            input: e(Some(Layer::Browser), Some("TypeError"), "Failed to fetch", None),
            error_type: None,
            alternatives: BROWSER_ALTS,
            confidence: Low,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Browser,
            rule: "browser.chrome_failed_to_fetch",
        },
        Case {
            label: "Firefox NetworkError",
            input: e(None, Some("TypeError"), "NetworkError when attempting to fetch resource.", None),
            error_type: None,
            alternatives: BROWSER_ALTS,
            confidence: Low,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Browser,
            rule: "browser.firefox_network_error",
        },
        Case {
            label: "Safari Load failed",
            input: e(None, Some("TypeError"), "Load failed", None),
            error_type: None,
            alternatives: BROWSER_ALTS,
            confidence: Low,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Browser,
            rule: "browser.safari_load_failed",
        },
        Case {
            label: "Chromium net error code in a message",
            input: e(Some(Layer::Browser), None, "GET https://shop.example/ net::ERR_CONNECTION_REFUSED", None),
            error_type: Some(T::ConnectionRefused),
            alternatives: &[],
            confidence: High,
            retryable: true,
            reached: Reached::No,
            layer: Layer::Browser,
            rule: "chromium.connection_refused",
        },
        // --- Other tools' texts ---
        Case {
            label: "curl 52",
            input: e(None, None, "curl: (52) Empty reply from server", None),
            error_type: Some(T::ConnectionTerminated),
            alternatives: &[],
            confidence: High,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Unknown,
            rule: "curl.empty_reply",
        },
        Case {
            label: "Go: HTTP answer to HTTPS",
            input: e(None, None, "Get \"https://127.0.0.1:8080/\": http: server gave HTTP response to HTTPS client", None),
            error_type: Some(T::TlsProtocolError),
            alternatives: &[],
            confidence: High,
            retryable: false,
            reached: Reached::No,
            layer: Layer::Unknown,
            rule: "go.http_response_to_https",
        },
        // --- Unknown and mismatched ---
        Case {
            label: "unknown error",
            input: e(None, Some("Error"), "Something odd happened", None),
            error_type: None,
            alternatives: &[],
            confidence: Low,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Unknown,
            rule: "fallback",
        },
        Case {
            label: "workerd's text reported by another runtime is not workerd's",
            input: e(Some(Layer::Browser), Some("Error"), "Network connection lost.", None),
            error_type: None,
            alternatives: &[],
            confidence: Low,
            retryable: true,
            reached: Reached::Maybe,
            layer: Layer::Browser,
            rule: "fallback",
        },
    ]
}

#[test]
fn real_runtime_errors_are_classified_exactly() {
    let cases = cases();
    assert!(cases.len() >= 35);
    for c in cases {
        let d = transport(&c.input);
        assert_eq!(d.error_type, c.error_type, "{}: error type", c.label);
        assert_eq!(d.alternatives, c.alternatives, "{}: alternatives", c.label);
        assert_eq!(d.confidence, c.confidence, "{}: confidence", c.label);
        assert_eq!(d.retryable, c.retryable, "{}: retryable", c.label);
        assert_eq!(d.reached, c.reached, "{}: reached", c.label);
        assert_eq!(d.layer, c.layer, "{}: layer", c.label);
        assert_eq!(rule_of(&d), Some(c.rule), "{}: rule", c.label);
        assert!(
            d.detail.is_some() || c.input.message.is_empty(),
            "{}: detail",
            c.label
        );
    }
}

#[test]
fn special_fields_of_notable_cases() {
    let d = transport(&fetch_failed(
        "ECONNREFUSED",
        "connect ECONNREFUSED 127.0.0.1:9",
    ));
    assert_eq!(d.vendor_code.as_deref(), Some("ECONNREFUSED"));
    assert_eq!(d.status, 502);
    assert_eq!(d.hop, Some(Hop::Connect));
    assert_eq!(d.segment, Segment::Upstream);
    assert_eq!(
        d.detail.as_deref(),
        Some("fetch failed ← connect ECONNREFUSED 127.0.0.1:9")
    );

    let epipe = transport(&e(None, None, "write EPIPE", Some("EPIPE")));
    assert_eq!(epipe.hop, Some(Hop::Request));

    let abort = transport(&e(
        None,
        Some("AbortError"),
        "This operation was aborted",
        None,
    ));
    assert_eq!(
        (abort.status, abort.segment, abort.hop),
        (499, Segment::Client, None)
    );
    assert_eq!(
        note_key(&abort).as_deref(),
        Some("transport.note.caller_aborted")
    );

    let status = transport(&e(
        None,
        Some("ResponseStatusCodeError"),
        "Response status code 503: Service Unavailable",
        Some("UND_ERR_RESPONSE_STATUS_CODE"),
    ));
    assert_eq!((status.received_status, status.status), (Some(503), 503));

    let mut lost = e(
        Some(Layer::Workerd),
        Some("Error"),
        "Network connection lost.",
        None,
    );
    lost.retryable = Some(true);
    let d = transport(&lost);
    assert_eq!(
        note_key(&d).as_deref(),
        Some("transport.note.workerd_connection_lost")
    );
    assert!(d.evidence.iter().any(|ev| ev.fact == "retryable: true"));
    assert!(d.evidence.iter().any(|ev| ev.fact == "reported by workerd"));
    assert_eq!(d.segment, Segment::Upstream);

    let chrome = transport(&e(
        Some(Layer::Browser),
        Some("TypeError"),
        "Failed to fetch",
        None,
    ));
    assert_eq!(chrome.segment, Segment::Unknown);
    assert_eq!(
        note_key(&chrome).as_deref(),
        Some("transport.note.browser_opaque")
    );

    let offline = transport(&e(
        Some(Layer::Browser),
        None,
        "net::ERR_INTERNET_DISCONNECTED",
        None,
    ));
    assert_eq!(
        (offline.error_type, offline.segment, offline.reached),
        (None, Segment::Client, Reached::No)
    );

    // A runtime-provided `retryable: false` wins over the table.
    let mut not_again = e(
        Some(Layer::Workerd),
        Some("Error"),
        "Network connection lost.",
        None,
    );
    not_again.retryable = Some(false);
    assert!(!transport(&not_again).retryable);
}

#[test]
fn io_error_kinds_map_to_types() {
    use std::io::ErrorKind as K;
    let table: &[(K, Option<ErrorType>, Confidence, Reached)] = &[
        (
            K::ConnectionRefused,
            Some(T::ConnectionRefused),
            High,
            Reached::No,
        ),
        (
            K::ConnectionReset,
            Some(T::ConnectionTerminated),
            Medium,
            Reached::Maybe,
        ),
        (
            K::ConnectionAborted,
            Some(T::ConnectionTerminated),
            Medium,
            Reached::Maybe,
        ),
        (K::TimedOut, Some(T::ConnectionTimeout), Low, Reached::Maybe),
        (
            K::NotConnected,
            Some(T::ConnectionTerminated),
            Low,
            Reached::Maybe,
        ),
        (
            K::AddrNotAvailable,
            Some(T::ProxyInternalError),
            Medium,
            Reached::Maybe,
        ),
        (
            K::AddrInUse,
            Some(T::ProxyInternalError),
            Medium,
            Reached::Maybe,
        ),
        (
            K::HostUnreachable,
            Some(T::DestinationIpUnroutable),
            High,
            Reached::No,
        ),
        (
            K::NetworkUnreachable,
            Some(T::DestinationIpUnroutable),
            High,
            Reached::No,
        ),
        (
            K::NetworkDown,
            Some(T::DestinationIpUnroutable),
            Medium,
            Reached::No,
        ),
        (
            K::BrokenPipe,
            Some(T::ConnectionTerminated),
            Medium,
            Reached::Maybe,
        ),
        (
            K::WriteZero,
            Some(T::ConnectionTerminated),
            Low,
            Reached::Maybe,
        ),
        (
            K::UnexpectedEof,
            Some(T::HttpResponseIncomplete),
            Medium,
            Reached::Maybe,
        ),
        (
            K::InvalidData,
            Some(T::HttpProtocolError),
            Low,
            Reached::Maybe,
        ),
        (
            K::WouldBlock,
            Some(T::ConnectionReadTimeout),
            Low,
            Reached::Maybe,
        ),
        (
            K::InvalidInput,
            Some(T::ProxyConfigurationError),
            Low,
            Reached::No,
        ),
        (
            K::PermissionDenied,
            Some(T::DestinationIpProhibited),
            Low,
            Reached::No,
        ),
        (K::NotFound, Some(T::ConnectionRefused), Low, Reached::No),
        (
            K::Interrupted,
            Some(T::ProxyInternalError),
            Low,
            Reached::Maybe,
        ),
        (
            K::OutOfMemory,
            Some(T::ProxyInternalError),
            Medium,
            Reached::Maybe,
        ),
        (
            K::Unsupported,
            Some(T::ProxyConfigurationError),
            Low,
            Reached::No,
        ),
        (K::Other, None, Low, Reached::Maybe),
    ];
    for (kind, t, conf, reached) in table {
        let d = io_error(*kind, "os error");
        assert_eq!(d.error_type, *t, "{kind:?}");
        assert_eq!(d.confidence, *conf, "{kind:?}");
        assert_eq!(d.reached, *reached, "{kind:?}");
        assert_eq!(d.layer, Layer::RustIo, "{kind:?}");
    }
    assert_eq!(
        io_error(K::BrokenPipe, "Broken pipe (os error 32)").hop,
        Some(Hop::Request)
    );
    // An unknown kind still reads the message.
    let d = io_error(K::Other, "Connection refused (os error 111)");
    assert_eq!(d.error_type, Some(T::ConnectionRefused));
    assert_eq!(d.layer, Layer::RustIo);
    let timed_out = io_error(K::TimedOut, "connection timed out");
    assert_eq!(
        timed_out.alternatives,
        [T::ConnectionReadTimeout, T::HttpResponseTimeout]
    );
}

/// Builds an error from a rule's own matchers: every row must win for the
/// input it describes (no row is shadowed by an earlier one).
#[test]
fn no_rule_is_shadowed_by_an_earlier_one() {
    /// The text a row's condition on `field` looks for, as an input would carry it.
    fn sample(r: &gatewise_core::table::Row, field: &str) -> Option<String> {
        let c = r.when.iter().find(|c| c.fields.first() == Some(&field))?;
        match c.test {
            Test::WordPrefix(s) => Some(format!("{s}X")),
            t => t.literal().map(str::to_owned),
        }
    }
    let mut checked = 0;
    for r in RULES {
        // Rows read only from pasted text, or whose words are a pattern, are checked by
        // their samples (tests/data_samples.rs).
        let synthesizable = r
            .when
            .iter()
            .all(|c| !c.fields.contains(&"text") && c.test.regex().is_none());
        if !synthesizable {
            continue;
        }
        let input = TransportError {
            runtime: r.then.layer.filter(|l| is_runtime(*l)),
            name: sample(r, "name"),
            message: sample(r, "message").unwrap_or_default(),
            code: sample(r, "code"),
            retryable: None,
            cause: None,
        };
        let d = transport(&input);
        assert_eq!(rule_of(&d), Some(r.id), "row {} is shadowed", r.id);
        match verdict(r) {
            Verdict::Type(t) => assert_eq!(d.error_type, Some(t), "{}", r.id),
            _ => assert_eq!(d.error_type, None, "{}", r.id),
        }
        checked += 1;
    }
    assert!(checked > 140, "only {checked} rules checked");
}

#[test]
fn hostile_inputs_are_bounded() {
    // 1 MB message: only a prefix is read, the code at its end is never seen.
    let mut huge = "x".repeat(1 << 20);
    huge.push_str(" ECONNREFUSED");
    let d = transport(&e(None, None, &huge, None));
    assert_eq!(rule_of(&d), Some("fallback"));
    assert!(d.detail.as_ref().is_some_and(|s| s.len() <= 200));

    // A prefix cut must respect character boundaries.
    let wide = "é".repeat(1 << 19);
    let d = transport(&e(
        Some(Layer::Browser),
        Some("TypeError"),
        &format!("Failed to fetch {wide}"),
        None,
    ));
    assert_eq!(rule_of(&d), Some("browser.chrome_failed_to_fetch"));

    // 1000-deep cause chain: only MAX_DEPTH levels are walked.
    let mut chain = e(
        None,
        Some("Error"),
        "connect ECONNREFUSED 127.0.0.1:9",
        Some("ECONNREFUSED"),
    );
    for i in 0..1000 {
        chain = caused(e(None, Some("Error"), &format!("wrapper {i}"), None), chain);
    }
    let d = transport(&chain);
    assert_eq!(rule_of(&d), Some("fallback"));
    let parts = d.detail.as_deref().map_or(0, |s| s.split(" ← ").count());
    assert_eq!(parts, MAX_DEPTH);

    // … while a cause within reach is found.
    let mut near = e(
        None,
        Some("Error"),
        "connect ECONNREFUSED 127.0.0.1:9",
        Some("ECONNREFUSED"),
    );
    for i in 0..(MAX_DEPTH - 1) {
        near = caused(e(None, Some("Error"), &format!("wrapper {i}"), None), near);
    }
    assert_eq!(transport(&near).error_type, Some(T::ConnectionRefused));

    // Empty and odd inputs never panic.
    let d = transport(&TransportError::default());
    assert_eq!(rule_of(&d), Some("fallback"));
    let d = transport(&e(
        Some(Layer::Unknown),
        Some(""),
        "\u{0}\u{FFFF}",
        Some(""),
    ));
    assert_eq!(d.error_type, None);

    // Deeply nested JSON is read to MAX_DEPTH errors, the rest skipped, not a crash
    // (tests/hostile_input.rs reads a 100,000-deep chain).
    let deep = format!(
        "{}{}",
        "{\"message\":\"x\",\"cause\":".repeat(1000),
        "null".to_owned() + &"}".repeat(1000)
    );
    let read = serde_json::from_str::<TransportError>(&deep).unwrap();
    assert_eq!(
        std::iter::successors(Some(&read), |e| e.cause.as_deref()).count(),
        MAX_DEPTH
    );
}

#[test]
fn transport_errors_round_trip_as_json() {
    let json = r#"{"runtime":"workerd","name":"Error","message":"Network connection lost.","retryable":true}"#;
    let parsed: Result<TransportError, _> = serde_json::from_str(json);
    let parsed = parsed.ok();
    assert_eq!(
        parsed.as_ref().and_then(|p| p.runtime),
        Some(Layer::Workerd)
    );
    assert_eq!(parsed.as_ref().and_then(|p| p.retryable), Some(true));
    let d = parsed.map(|p| transport(&p));
    assert_eq!(d.and_then(|d| d.error_type), Some(T::ConnectionRefused));
}
