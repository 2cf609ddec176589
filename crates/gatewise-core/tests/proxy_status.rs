//! RFC 9209 `Proxy-Status`: parsing, serializing, bounds and the header a gateway emits.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use gatewise_core::proxy_status::{
    self, header_value, parse, serialize, MAX_FIELD_LEN, MAX_MEMBERS,
};
use gatewise_core::{Diagnosis, ErrorType, Layer, ProxyStatusEntry};

fn entry(proxy: &str) -> ProxyStatusEntry {
    ProxyStatusEntry {
        proxy: proxy.to_owned(),
        ..ProxyStatusEntry::default()
    }
}

fn parsed(value: &str) -> Vec<ProxyStatusEntry> {
    match parse(value) {
        Ok(v) => v,
        Err(e) => panic!("{value:?} should parse: {e}"),
    }
}

/// The examples of RFC 9209 §2 and §2.1–2.3, with what each must parse to.
#[test]
fn rfc_9209_examples() {
    let cases: Vec<(&str, Vec<ProxyStatusEntry>)> = vec![
        ("ExampleCDN", vec![entry("ExampleCDN")]),
        (
            "ExampleCDN, CacheA; error=http_response_timeout",
            vec![
                entry("ExampleCDN"),
                ProxyStatusEntry {
                    error: Some("http_response_timeout".into()),
                    ..entry("CacheA")
                },
            ],
        ),
        (
            "cdn.example.org; next-hop=backend.example.org:8001",
            vec![ProxyStatusEntry {
                next_hop: Some("backend.example.org:8001".into()),
                ..entry("cdn.example.org")
            }],
        ),
        (
            "\"proxy.example.org\"; next-protocol=h2",
            vec![ProxyStatusEntry {
                next_protocol: Some("h2".into()),
                ..entry("proxy.example.org")
            }],
        ),
        (
            "ExampleCDN; received-status=200",
            vec![ProxyStatusEntry {
                received_status: Some(200),
                ..entry("ExampleCDN")
            }],
        ),
        (
            "ExampleCDN; error=http_protocol_error; details=\"Malformed response header: space before colon\"",
            vec![ProxyStatusEntry {
                error: Some("http_protocol_error".into()),
                details: Some("Malformed response header: space before colon".into()),
                ..entry("ExampleCDN")
            }],
        ),
        (
            "ExampleCDN; error=dns_error; rcode=\"NXDOMAIN\"; info-code=15",
            vec![ProxyStatusEntry {
                error: Some("dns_error".into()),
                params: vec![("rcode".into(), "NXDOMAIN".into()), ("info-code".into(), "15".into())],
                ..entry("ExampleCDN")
            }],
        ),
        (
            "ExampleCDN; error=tls_alert_received; alert-id=40; alert-message=\"handshake_failure\"",
            vec![ProxyStatusEntry {
                error: Some("tls_alert_received".into()),
                params: vec![("alert-id".into(), "40".into()), ("alert-message".into(), "handshake_failure".into())],
                ..entry("ExampleCDN")
            }],
        ),
        (
            "ExampleCDN; error=http_response_header_size; header-name=\"X-Example\"; header-size=1024",
            vec![ProxyStatusEntry {
                error: Some("http_response_header_size".into()),
                params: vec![("header-name".into(), "X-Example".into()), ("header-size".into(), "1024".into())],
                ..entry("ExampleCDN")
            }],
        ),
    ];
    for (value, want) in &cases {
        assert_eq!(&parsed(value), want, "{value}");
        // Every error named in the examples is a registered type.
        for e in want.iter().filter_map(|e| e.error.as_deref()) {
            assert!(ErrorType::from_name(e).is_some(), "{e}");
        }
    }
}

#[test]
fn serialize_is_canonical_and_parses_back() {
    let cases = [
        (
            "ExampleCDN, CacheA; error=http_response_timeout",
            "ExampleCDN, CacheA;error=http_response_timeout",
        ),
        ("a;error=\"dns_timeout\",   b", "a;error=dns_timeout, b"),
        (
            "\"my proxy\"; received-status=502",
            "\"my proxy\";received-status=502",
        ),
        (
            "h2o/test; error=dns_error; rcode=NXDOMAIN",
            "h2o/test;error=dns_error;rcode=\"NXDOMAIN\"",
        ),
        (
            "p; details=\"q \\\"x\\\" y\"; error=http_protocol_error",
            "p;error=http_protocol_error;details=\"q \\\"x\\\" y\"",
        ),
        (
            "p; flag; ratio=1.5; blob=:AQI=:; when=@1659578233",
            "p;flag;ratio=1.5;blob=:AQI=:;when=@1659578233",
        ),
        ("", ""),
    ];
    for (input, want) in cases {
        let first = parsed(input);
        let text = serialize(&first);
        assert_eq!(text, want, "{input}");
        assert_eq!(
            parsed(&text),
            first,
            "{input} does not survive a round trip"
        );
    }
}

#[test]
fn round_trips_keep_every_field() {
    let entries = vec![
        ProxyStatusEntry {
            proxy: "origin-lb".into(),
            error: Some("connection_refused".into()),
            next_hop: Some("10.0.0.7:8080".into()),
            next_protocol: Some("h2".into()),
            received_status: None,
            details: Some("connect() failed (111: Connection refused)".into()),
            params: vec![
                ("info-code".into(), "15".into()),
                ("x-note".into(), "two words".into()),
            ],
        },
        ProxyStatusEntry {
            proxy: "ExampleCDN".into(),
            received_status: Some(502),
            ..ProxyStatusEntry::default()
        },
    ];
    let text = serialize(&entries);
    assert_eq!(parsed(&text), entries, "{text}");
}

#[test]
fn names_and_strings_are_made_valid() {
    let entries = vec![
        entry("proxy with spaces"),
        entry("café"),
        ProxyStatusEntry {
            details: Some("line\nbreak and ünicode".into()),
            params: vec![
                ("Not-A-Key".into(), "dropped".into()),
                ("ok".into(), "kept".into()),
            ],
            ..entry("p")
        },
    ];
    let text = serialize(&entries);
    assert_eq!(
        text,
        "\"proxy with spaces\", \"caf?\", p;details=\"line?break and ?nicode\";ok=kept"
    );
    assert_eq!(parsed(&text).len(), 3);
}

#[test]
fn invalid_values_are_errors() {
    let long = format!("p;details=\"{}\"", "x".repeat(MAX_FIELD_LEN));
    for bad in [
        "(",
        "a; error=",
        "(inner list)",
        "a, (b c)",
        "1, 2",
        "?1",
        "a;received-status=abc",
        "a;received-status=9999",
        "a;received-status=99",
        "a,",
        ",a",
        "a;;b",
        "café",
        "a; error=\"unterminated",
        long.as_str(),
    ] {
        assert!(parse(bad).is_err(), "{bad:?} should be refused");
    }
}

#[test]
fn long_lists_keep_the_last_members() {
    let names: Vec<String> = (0..100).map(|i| format!("p{i}")).collect();
    let list = parsed(&names.join(", "));
    assert_eq!(list.len(), MAX_MEMBERS);
    assert_eq!(list.first().map(|e| e.proxy.as_str()), Some("p36"));
    assert_eq!(list.last().map(|e| e.proxy.as_str()), Some("p99"));
}

#[test]
fn header_value_appends_the_gateways_own_entry_without_details() {
    let mut d =
        Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx).with_received_status(502);
    d.detail =
        Some("connect() failed (111: Connection refused) while connecting to upstream".into());
    d.chain = parsed("origin-lb; error=connection_refused; details=\"upstream said so\"");
    let value = header_value(&d, "gatewise");
    assert_eq!(
        value,
        "origin-lb;error=connection_refused;details=\"upstream said so\", gatewise;error=connection_refused;received-status=502"
    );
    assert!(!value.contains("while connecting"));
    let back = parsed(&value);
    assert_eq!(back.len(), 2);
    assert_eq!(back.last().and_then(|e| e.details.clone()), None);

    // A response that is not a failure: only the received status.
    let ok = Diagnosis::for_status(200, Layer::OriginApp);
    assert_eq!(
        header_value(&ok, "gatewise"),
        "gatewise;received-status=200"
    );
    // A proxy name that is not a token becomes a string.
    let t = Diagnosis::for_type(ErrorType::DnsError, Layer::Gatewise);
    assert_eq!(
        header_value(&t, "gate wise"),
        "\"gate wise\";error=dns_error"
    );
}

#[test]
fn header_value_stays_within_the_member_bound() {
    let mut d = Diagnosis::for_type(ErrorType::HttpResponseTimeout, Layer::Gatewise);
    d.chain = (0..200).map(|i| entry(&format!("p{i}"))).collect();
    let back = parsed(&header_value(&d, "gatewise"));
    assert_eq!(back.len(), MAX_MEMBERS);
    assert_eq!(back.last().map(|e| e.proxy.as_str()), Some("gatewise"));
    assert_eq!(back.first().map(|e| e.proxy.as_str()), Some("p137"));
}

/// Found by the `classify_response` fuzz target: a response with status 0
/// made the gateway write `received-status=0`, which `parse` refuses.
#[test]
fn received_status_outside_100_to_999_is_not_written() {
    for status in [0, 42, 1000, u16::MAX] {
        let e = ProxyStatusEntry {
            received_status: Some(status),
            ..entry("p")
        };
        assert_eq!(serialize(std::slice::from_ref(&e)), "p");
    }
    let d = Diagnosis::for_status(0, Layer::Unknown);
    assert_eq!(
        parsed(&header_value(&d, "gatewise")),
        vec![entry("gatewise")]
    );
}

/// Found by the `proxy_status` fuzz target: a string parameter
/// whose text looks like another item (`"012"`, `"1.50"`, `"\"x\""`) was
/// written back as that item, so the round trip changed the text.
#[test]
fn string_parameters_that_look_like_items_round_trip() {
    for value in [
        r#"p;a="012""#,
        r#"p;a="1.50""#,
        r#"p;a="\"x\"""#,
        r#"p;a=" 12""#,
        r#"p;a="12 ""#,
        r#"p;a="%\"x\"""#,
        r#"p;a="?1";b=?1;c=12;d="12";e=1.5;f=:AQI=:;g="tok""#,
    ] {
        let first = parsed(value);
        let text = serialize(&first);
        assert_eq!(parsed(&text), first, "{value} → {text}");
        assert_eq!(serialize(&parsed(&text)), text, "{value}: not canonical");
    }
    // Texts that are an item's own form are written as that item.
    assert_eq!(serialize(&parsed(r#"p;c="12";f=?0"#)), "p;c=12;f=?0");
}

/// Found by tests/hostile_input.rs: entries too long together made a value that
/// `parse` refuses; now the last entries that fit are kept.
#[test]
fn serialize_keeps_the_last_entries_that_fit() {
    let entries: Vec<ProxyStatusEntry> = (0..40)
        .map(|i| ProxyStatusEntry {
            details: Some("d".repeat(1000)),
            ..entry(&format!("p{i}"))
        })
        .collect();
    let text = serialize(&entries);
    assert!(text.len() <= MAX_FIELD_LEN, "{}", text.len());
    let back = parsed(&text);
    assert_eq!(back.last(), entries.last());
    assert_eq!(back, entries[entries.len() - back.len()..]);
    assert!(back.len() >= 15);
    let many: Vec<ProxyStatusEntry> = (0..500).map(|i| entry(&format!("p{i}"))).collect();
    assert_eq!(parsed(&serialize(&many)), many[500 - MAX_MEMBERS..]);
}

/// Found by the property tests (`tests/no_injection.rs`): a text whose `?`
/// replacements made it look like an item (`®0` → `"?0"`) was written as a
/// string once, then read back and written as the boolean `?0`, so the value
/// changed at every hop; a token longer than the kept length was written
/// whole once and cut the next time.
#[test]
fn serialize_is_stable_across_hops() {
    let long = "t".repeat(proxy_status::MAX_TEXT_LEN + 10);
    let entries = vec![ProxyStatusEntry {
        next_protocol: Some("®0".into()),
        error: Some(long.clone()),
        params: vec![("a".into(), "é12".into())],
        ..entry(&long)
    }];
    let once = serialize(&entries);
    let twice = serialize(&parsed(&once));
    assert_eq!(twice, once);
    assert!(once.starts_with(&format!("{};", "t".repeat(proxy_status::MAX_TEXT_LEN))));
}
