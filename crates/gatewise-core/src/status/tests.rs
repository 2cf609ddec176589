#![allow(clippy::panic)] // tests report failures by panicking

use super::*;
use crate::i18n;

/// The IANA HTTP Status Code Registry as registered today (RFC 9110 §16.2.1 and later registrations).
const IANA: &[(u16, &str)] = &[
    (100, "Continue"),
    (101, "Switching Protocols"),
    (102, "Processing"),
    (103, "Early Hints"),
    (104, "Upload Resumption Supported"),
    (200, "OK"),
    (201, "Created"),
    (202, "Accepted"),
    (203, "Non-Authoritative Information"),
    (204, "No Content"),
    (205, "Reset Content"),
    (206, "Partial Content"),
    (207, "Multi-Status"),
    (208, "Already Reported"),
    (226, "IM Used"),
    (300, "Multiple Choices"),
    (301, "Moved Permanently"),
    (302, "Found"),
    (303, "See Other"),
    (304, "Not Modified"),
    (305, "Use Proxy"),
    (306, "(Unused)"),
    (307, "Temporary Redirect"),
    (308, "Permanent Redirect"),
    (400, "Bad Request"),
    (401, "Unauthorized"),
    (402, "Payment Required"),
    (403, "Forbidden"),
    (404, "Not Found"),
    (405, "Method Not Allowed"),
    (406, "Not Acceptable"),
    (407, "Proxy Authentication Required"),
    (408, "Request Timeout"),
    (409, "Conflict"),
    (410, "Gone"),
    (411, "Length Required"),
    (412, "Precondition Failed"),
    (413, "Content Too Large"),
    (414, "URI Too Long"),
    (415, "Unsupported Media Type"),
    (416, "Range Not Satisfiable"),
    (417, "Expectation Failed"),
    (418, "(Unused)"),
    (421, "Misdirected Request"),
    (422, "Unprocessable Content"),
    (423, "Locked"),
    (424, "Failed Dependency"),
    (425, "Too Early"),
    (426, "Upgrade Required"),
    (428, "Precondition Required"),
    (429, "Too Many Requests"),
    (431, "Request Header Fields Too Large"),
    (451, "Unavailable For Legal Reasons"),
    (500, "Internal Server Error"),
    (501, "Not Implemented"),
    (502, "Bad Gateway"),
    (503, "Service Unavailable"),
    (504, "Gateway Timeout"),
    (505, "HTTP Version Not Supported"),
    (506, "Variant Also Negotiates"),
    (507, "Insufficient Storage"),
    (508, "Loop Detected"),
    (510, "Not Extended"),
    (511, "Network Authentication Required"),
];

#[test]
fn every_row_is_complete_and_consistent() {
    let rows = all();
    assert!(rows.len() > 100, "only {} rows", rows.len());
    let mut previous: Option<(u16, Option<u16>)> = None;
    for row in rows {
        let id = row.key().to_string();
        // Sorted by (code, sub), hence unique.
        if let Some(prev) = previous {
            assert!(
                prev < (row.code, row.sub),
                "{id} is out of order or duplicated"
            );
        }
        previous = Some((row.code, row.sub));

        assert!(!row.reason.trim().is_empty(), "{id}: empty reason");
        assert_eq!(
            row.reason,
            row.reason.trim(),
            "{id}: reason has outer whitespace"
        );
        assert_eq!(
            StatusClass::of(row.code),
            Some(row.class),
            "{id}: class does not match the first digit"
        );
        assert!(!row.source.trim().is_empty(), "{id}: no source");
        assert_eq!(
            lookup_key(row.key()),
            Some(row),
            "{id}: lookup does not find the row"
        );

        // Texts: every row has its own meaning; audience texts are its own or shared.
        assert!(
            i18n::has_key(&row.meaning_key()),
            "{id}: no {}",
            row.meaning_key()
        );
        for audience in Audience::ALL {
            let key = row.explanation_key(*audience);
            assert!(i18n::has_key(&key), "{id}: no {key}");
            assert!(
                !row.explanation(Lang::EN, *audience).is_empty(),
                "{id}: empty {key}"
            );
        }
        let needs_own_texts = row.class.is_error() || !row.is_official() || row.sub.is_some();
        if needs_own_texts {
            assert_eq!(
                row.shared_texts, None,
                "{id}: error and vendor rows need their own audience texts"
            );
        }

        // Retry facts.
        if row.retry_after.is_some() {
            assert!(
                row.retryable,
                "{id}: Retry-After default on a row that is not retryable"
            );
        }
        if row.class.is_error() {
            assert_ne!(
                row.permanence,
                Permanence::NotApplicable,
                "{id}: an error must say whether it is temporary"
            );
        } else {
            assert!(!row.retryable, "{id}: only errors are retried");
        }

        // Error types: the primary one is not repeated among the alternatives.
        if let Some(t) = row.error_type {
            assert!(
                !row.alternatives.contains(&t),
                "{id}: {t} is both primary and alternative"
            );
        }

        // Aliases are real alternatives.
        for alias in row.aliases {
            assert!(!alias.trim().is_empty(), "{id}: empty alias");
            assert_ne!(*alias, row.reason, "{id}: alias repeats the reason");
            assert!(row.accepts_reason(alias), "{id}: alias not accepted");
        }

        // Origins.
        match row.origin {
            Origin::Iana => assert_eq!(row.sub, None, "{id}: IANA has no sub-statuses"),
            Origin::Vendor(layer) => {
                assert_ne!(layer, Layer::Unknown, "{id}: vendor row without a layer")
            }
            Origin::Informal(used_by) => {
                assert!(!used_by.is_empty(), "{id}: informal row without users")
            }
        }
        match row.wire {
            Wire::Response => {}
            Wire::SentAs(sent) => {
                assert!(
                    !row.is_official(),
                    "{id}: IANA codes are sent as themselves"
                );
                assert!(
                    lookup(sent).is_some_and(|r| r.is_official()),
                    "{id}: sent as unknown {sent}"
                );
            }
            Wire::LogOnly => assert!(!row.is_official(), "{id}: IANA codes are sent"),
        }

        // Sub-statuses point at an existing plain row of the same class.
        if let Some(sub) = row.sub {
            assert!(sub <= 999, "{id}: sub-status out of range");
            let parent =
                lookup(row.code).unwrap_or_else(|| panic!("{id}: no parent row {}", row.code));
            assert_eq!(parent.class, row.class);
            assert_eq!(
                row.vendor(),
                Some(Layer::Iis),
                "{id}: sub-statuses are IIS's"
            );
        }
    }
}

#[test]
fn the_whole_iana_registry_is_there_with_its_exact_reason_phrases() {
    for (code, reason) in IANA {
        let row = lookup(*code).unwrap_or_else(|| panic!("IANA code {code} missing"));
        assert_eq!(row.reason, *reason, "{code}");
        assert!(row.is_official(), "{code} must be marked IANA");
    }
    let official = all().iter().filter(|r| r.is_official()).count();
    assert_eq!(
        official,
        IANA.len(),
        "a row is marked IANA that the registry does not have"
    );
    // Codes the registry leaves unassigned are not official here.
    for code in [419, 420, 427, 430, 509] {
        assert!(
            lookup(code).is_none_or(|r| !r.is_official()),
            "{code} is not registered"
        );
    }
}

#[test]
fn the_unofficial_codes_users_meet_are_there_with_their_vendor() {
    let expected: &[(u16, Option<Layer>)] = &[
        (444, Some(Layer::Nginx)),
        (494, Some(Layer::Nginx)),
        (495, Some(Layer::Nginx)),
        (496, Some(Layer::Nginx)),
        (497, Some(Layer::Nginx)),
        (499, Some(Layer::Nginx)),
        (520, Some(Layer::Cloudflare)),
        (521, Some(Layer::Cloudflare)),
        (522, Some(Layer::Cloudflare)),
        (523, Some(Layer::Cloudflare)),
        (524, Some(Layer::Cloudflare)),
        (525, Some(Layer::Cloudflare)),
        (526, Some(Layer::Cloudflare)),
        (527, Some(Layer::Cloudflare)),
        (530, Some(Layer::Cloudflare)),
        (460, Some(Layer::AwsElb)),
        (463, Some(Layer::AwsElb)),
        (464, Some(Layer::AwsElb)),
        (561, Some(Layer::AwsElb)),
        (509, Some(Layer::Apache)),
        (529, None),
        (598, None),
        (599, None),
    ];
    for (code, layer) in expected {
        let row = lookup(*code).unwrap_or_else(|| panic!("{code} missing"));
        assert!(!row.is_official(), "{code}");
        assert_eq!(row.vendor(), *layer, "{code}");
    }
    let unofficial = all()
        .iter()
        .filter(|r| !r.is_official() && r.sub.is_none())
        .count();
    assert_eq!(unofficial, expected.len());
}

#[test]
fn the_iis_sub_statuses_are_there() {
    let subs: Vec<String> = all()
        .iter()
        .filter(|r| r.sub.is_some())
        .map(|r| r.key().to_string())
        .collect();
    for key in [
        "500.0", "500.11", "500.12", "500.13", "500.19", "500.30", "500.31", "500.32", "500.33",
        "500.34", "500.35", "500.36", "500.37", "500.38", "502.1", "502.2", "502.3", "502.4",
        "502.5", "502.6", "502.7", "503.0", "503.2", "503.3", "503.4",
    ] {
        assert!(subs.contains(&key.to_owned()), "{key} missing");
    }
    assert_eq!(subs.len(), 25);
    assert_eq!(subs_of(502).count(), 7);
    assert!(subs_of(502).all(|r| r.code == 502));
}

#[test]
fn known_facts() {
    let row = |code| lookup(code).unwrap_or_else(|| panic!("{code}"));
    let sub = |code, sub| lookup_sub(code, sub).unwrap_or_else(|| panic!("{code}.{sub}"));

    // 429 is temporary and retryable, with a default Retry-After.
    assert!(row(429).retryable);
    assert_eq!(row(429).permanence, Permanence::Temporary);
    assert_eq!(row(429).retry_after, Some(60));
    // 503 too.
    assert_eq!(row(503).retry_after, Some(30));
    // 501 is permanent and not retryable.
    assert_eq!(row(501).permanence, Permanence::Permanent);
    assert!(!row(501).retryable);
    // ANCM's 502.5, with ARR's meaning as an alias.
    assert_eq!(sub(502, 5).reason, "Process Failure");
    assert!(sub(502, 5).accepts_reason("WebSocket failure"));
    assert_eq!(sub(500, 30).reason, "ANCM In-Process Start Failure");
    // Cloudflare's 52x map onto RFC 9209 types.
    assert_eq!(row(521).error_type, Some(ErrorType::ConnectionRefused));
    assert_eq!(row(522).error_type, Some(ErrorType::ConnectionTimeout));
    assert_eq!(
        row(523).error_type,
        Some(ErrorType::DestinationIpUnroutable)
    );
    assert_eq!(row(524).error_type, Some(ErrorType::HttpResponseTimeout));
    assert_eq!(row(525).error_type, Some(ErrorType::TlsProtocolError));
    assert_eq!(row(526).error_type, Some(ErrorType::TlsCertificateError));
    assert_eq!(row(527).error_type, Some(ErrorType::ConnectionTerminated));
    assert_eq!(row(530).error_type, Some(ErrorType::DnsError));
    // 502.3 is ambiguous between refused and timed out.
    assert_eq!(sub(502, 3).error_type, None);
    assert!(sub(502, 3)
        .alternatives
        .contains(&ErrorType::ConnectionRefused));
    assert!(sub(502, 3)
        .alternatives
        .contains(&ErrorType::ConnectionTimeout));
    // 504 alone does not say which timeout.
    assert_eq!(row(504).error_type, None);
    assert!(row(504)
        .alternatives
        .contains(&ErrorType::HttpResponseTimeout));
    // nginx's codes.
    assert_eq!(row(444).vendor(), Some(Layer::Nginx));
    assert_eq!(row(444).wire, Wire::LogOnly);
    assert_eq!(row(494).wire, Wire::SentAs(400));
    assert_eq!(row(499).reason, "Client Closed Request");
    // The registry's current names, with the old ones accepted.
    assert_eq!(reason(413), Some("Content Too Large"));
    assert!(row(413).accepts_reason("Payload Too Large"));
    assert_eq!(reason(422), Some("Unprocessable Content"));
    assert!(row(422).accepts_reason("unprocessable entity"));
    assert_eq!(reason(418), Some("(Unused)"));
    assert!(row(418).accepts_reason("I'm a Teapot"));
    // AWS and informal codes.
    assert_eq!(row(460).wire, Wire::LogOnly);
    assert_eq!(row(599).error_type, Some(ErrorType::ConnectionTimeout));
    assert_eq!(
        row(599).origin,
        Origin::Informal("Microsoft HTTP proxies and others")
    );
    assert!(row(599).source.contains("seed"));
    // Sources are RFC sections or vendor pages.
    assert_eq!(row(502).source, "RFC 9110 §15.6.3");
    assert!(row(521)
        .source
        .starts_with("https://developers.cloudflare.com/"));
}

#[test]
fn unknown_codes_still_have_a_class_with_texts() {
    assert_eq!(lookup(587), None);
    assert_eq!(StatusClass::of(587), Some(StatusClass::ServerError));
    assert_eq!(StatusClass::of(100), Some(StatusClass::Informational));
    assert_eq!(StatusClass::of(399), Some(StatusClass::Redirection));
    assert_eq!(StatusClass::of(99), None);
    assert_eq!(StatusClass::of(600), None);
    for class in StatusClass::ALL {
        assert!(i18n::has_key(&class.meaning_key()), "{class}");
        for audience in Audience::ALL {
            assert!(
                i18n::has_key(&class.explanation_key(*audience)),
                "{class} {audience}"
            );
        }
    }
    assert_eq!(
        parse("587").map(|k| k.class()),
        Ok(Some(StatusClass::ServerError))
    );
}

#[test]
fn parse_accepts_codes_and_sub_statuses_only() {
    let ok = |s: &str| parse(s).unwrap_or_else(|_| panic!("{s} should parse"));
    assert_eq!((ok("502").code(), ok("502").sub()), (502, None));
    assert_eq!((ok("502.3").code(), ok("502.3").sub()), (502, Some(3)));
    assert_eq!(ok("500.30").sub(), Some(30));
    assert_eq!(ok("500.0").sub(), Some(0));
    assert_eq!(ok("400.606").sub(), Some(606));
    assert_eq!(ok(" 524\n").code(), 524);
    assert_eq!(ok("999").class(), None);
    for bad in [
        "", "5", "50", "5023", "099", "1016", "502.", ".3", "502.03", "502.1000", "502.3.1",
        "+502", "-502", "50a", "502 3", "٥٠٢", "502.x",
    ] {
        assert!(parse(bad).is_err(), "{bad:?} should not parse");
    }
    let long = "1".repeat(10_000);
    assert!(parse(&long).is_err());
    assert_eq!(ok("502.3").to_string(), "502.3");
    assert_eq!(ok("502.3").parent(), ok("502"));
    assert_eq!(
        ok("502.3").info().map(|r| r.reason),
        Some("Bad Gateway: Forwarder Connection Error")
    );
    assert_eq!(ok("502.9").info(), None);
    let json = serde_json::to_string(&ok("500.30")).unwrap_or_default();
    assert_eq!(json, "\"500.30\"");
    let back: StatusKey = serde_json::from_str("\"502.3\"").unwrap_or(ok("100"));
    assert_eq!(back, ok("502.3"));
    assert!(serde_json::from_str::<StatusKey>("\"nope\"").is_err());
}

#[test]
fn lookups_do_not_confuse_codes_and_sub_statuses() {
    assert_eq!(lookup(502).map(|r| r.reason), Some("Bad Gateway"));
    assert_eq!(
        lookup_sub(502, 3).map(|r| r.reason),
        Some("Bad Gateway: Forwarder Connection Error")
    );
    assert_eq!(lookup_sub(503, 1), None);
    assert_eq!(lookup_sub(404, 0), None);
    assert_eq!(reason(1016), None);
    assert_eq!(reason(0), None);
    assert_eq!(reason(u16::MAX), None);
}

#[test]
fn every_status_catalog_key_belongs_to_a_row() {
    for key in i18n::keys().iter().filter(|k| k.starts_with("status.")) {
        let known = all().iter().any(|r| {
            key.strip_prefix(&format!("{}.", r.catalog_prefix()))
                .is_some_and(|field| ["meaning", "visitor", "owner", "developer"].contains(&field))
        }) || StatusClass::ALL
            .iter()
            .any(|c| key.starts_with(&format!("status.class.{}.", c.name())))
            || all()
                .iter()
                .filter_map(|r| r.shared_texts)
                .any(|id| key.starts_with(&format!("status.shared.{id}.")));
        assert!(known, "catalog key {key} matches no status row");
    }
    // Shared texts are used only by rows whose own audience keys are absent.
    for row in all().iter().filter(|r| r.shared_texts.is_some()) {
        for audience in Audience::ALL {
            let own = format!("{}.{}", row.catalog_prefix(), audience.name());
            assert!(
                !i18n::has_key(&own),
                "{own} exists but {} uses shared texts",
                row.key()
            );
        }
    }
}

#[test]
fn cloudflare_rows_are_complete() {
    let rows = cloudflare::all();
    assert!(rows.len() >= 35);
    let mut previous = 0;
    for e in rows {
        let id = e.code;
        assert!(id > previous, "{id} out of order or duplicated");
        previous = id;
        assert!((1000..2000).contains(&id), "{id}");
        assert!(!e.title.trim().is_empty(), "{id}: no title");
        assert!(
            e.source.starts_with("https://developers.cloudflare.com/"),
            "{id}: source {}",
            e.source
        );
        assert!(
            i18n::has_key(&e.meaning_key()),
            "{id}: no {}",
            e.meaning_key()
        );
        assert!(i18n::has_key(&e.cause_key()), "{id}: no {}", e.cause_key());
        assert!(!e.meaning(Lang::EN).is_empty() && !e.cause(Lang::EN).is_empty());
        let text_row = cloudflare_code(e.texts)
            .unwrap_or_else(|| panic!("{id}: texts of unknown {}", e.texts));
        assert_eq!(
            text_row.title, e.title,
            "{id}: shares texts with a differently titled error"
        );
        match e.status {
            Some(status) => {
                assert!(
                    [403, 409, 429, 503, 530].contains(&status),
                    "{id}: unexpected status {status}"
                );
                assert!(
                    lookup(status).is_some(),
                    "{id}: status {status} not in the registry"
                );
                assert!(
                    !e.status_evidence.is_empty(),
                    "{id}: status without evidence"
                );
            }
            None => assert!(
                e.status_evidence.is_empty(),
                "{id}: evidence without a status"
            ),
        }
        if let Some(t) = e.error_type {
            assert!(!e.alternatives.contains(&t), "{id}");
        } else {
            assert!(
                !e.alternatives.is_empty()
                    || e.category == CloudflareCategory::Platform
                    || e.code == 1103,
                "{id}: no type at all"
            );
        }
        assert_eq!(cloudflare_code(id), Some(e));
    }
    for code in [
        1000, 1001, 1002, 1003, 1004, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015,
        1016, 1018, 1019, 1020, 1023, 1025, 1033, 1034, 1035, 1036, 1037, 1040, 1041, 1101, 1102,
        1104, 1200,
    ] {
        assert!(cloudflare_code(code).is_some(), "Cloudflare {code} missing");
    }
    assert_eq!(cloudflare_code(1017), None);
    assert_eq!(cloudflare_code(530), None);
}

#[test]
fn cloudflare_known_facts() {
    let cf = |code| cloudflare_code(code).unwrap_or_else(|| panic!("{code}"));
    assert_eq!(cf(1016).status, Some(530));
    assert_eq!(cf(1016).error_type, Some(ErrorType::DnsError));
    assert_eq!(cf(1033).status, Some(530));
    assert_eq!(cf(1033).category, CloudflareCategory::Tunnel);
    assert_eq!(cf(1033).error_type, Some(ErrorType::DestinationUnavailable));
    assert_eq!(cf(1020).status, Some(403));
    assert_eq!(cf(1020).category, CloudflareCategory::Blocked);
    assert!(!cf(1020).retryable);
    assert_eq!(cf(1015).status, Some(429));
    assert!(cf(1015).retryable);
    assert_eq!(cf(1018).status, Some(409));
    assert_eq!(cf(1023).status, Some(503));
    assert_eq!(
        cf(1000).error_type,
        Some(ErrorType::DestinationIpProhibited)
    );
    assert_eq!(cf(1019).error_type, Some(ErrorType::ProxyLoopDetected));
    assert_eq!(cf(1007).texts, 1006);
    assert_eq!(cf(1106).meaning(Lang::EN), cf(1006).meaning(Lang::EN));
}

#[test]
fn cloudflare_codes_are_found_in_bodies() {
    use cloudflare::code_in_body;
    assert_eq!(code_in_body("error code: 1020"), Some(1020));
    assert_eq!(
        code_in_body("<span class=\"cf-error-code\">1016</span>"),
        Some(1016)
    );
    assert_eq!(
        code_in_body("<title>Error 1033 | Cloudflare Tunnel error</title>"),
        Some(1033)
    );
    assert_eq!(
        code_in_body("{\"status\":530,\"error_code\": 1033}"),
        Some(1033)
    );
    assert_eq!(code_in_body("Error 502 Bad gateway"), None);
    assert_eq!(code_in_body("error code: 10001"), None);
    assert_eq!(code_in_body("Error 2000"), None);
    assert_eq!(code_in_body(""), None);
    // Only the start of a body is read; a code past 8 KiB is not seen, and multi-byte text does not break the cut.
    let padded = format!("{}error code: 1020", "é".repeat(5000));
    assert_eq!(code_in_body(&padded), None);
}

#[test]
fn winhttp_codes_resolve_502_3() {
    let refused = winhttp::parse("0x80072efd").map(|e| e.error_type);
    assert_eq!(refused, Some(ErrorType::ConnectionRefused));
    let timeout = winhttp::parse("0x80072EE2");
    assert_eq!(timeout.map(|e| e.name), Some("ERROR_WINHTTP_TIMEOUT"));
    assert_eq!(
        winhttp::parse("12007").map(|e| e.error_type),
        Some(ErrorType::DnsError)
    );
    assert_eq!(winhttp::parse("0x12345678"), None);
    assert_eq!(winhttp::parse("0xZZ"), None);
    assert_eq!(winhttp::parse("0x800000000000"), None);
    for e in winhttp::all() {
        assert_eq!(e.hresult, 0x8007_0000 | e.code);
        assert!(e.name.starts_with("ERROR_WINHTTP_"));
        assert!(e.source.starts_with("https://learn.microsoft.com/"));
        assert!(!e.alternatives.contains(&e.error_type));
        // Every type a WinHTTP code maps to is one 502.3 may stand for, or a finer reading of it.
        assert_eq!(winhttp::lookup(e.code), Some(e));
        assert_eq!(winhttp::lookup(e.hresult), Some(e));
    }
}
