//! `classify::response` on a response decoded from the bytes (a raw HTTP
//! response, leniently split): never panics, and what it returns holds together.
#![no_main]

use gatewise_core::classify::{self, ResponseView};
use gatewise_core::{proxy_status, Diagnosis};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let r = gatewise_fuzz::response(data);
    let headers = r.pairs();
    let d = classify::response(&ResponseView {
        status: r.status,
        headers: &headers,
        body: &r.body,
    });
    assert_eq!(d.received_status, Some(r.status));
    if r.status < 400 {
        assert_eq!(d.error_type, None, "a response below 400 is no failure");
    }
    assert!(d.chain.len() <= proxy_status::MAX_MEMBERS);
    // The JSON form round-trips.
    let json = serde_json::to_string(&d).expect("serialize");
    let back: Diagnosis = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, d);
    // The Proxy-Status a gateway sends for it parses back.
    let header = proxy_status::header_value(&d, "gatewise");
    let parsed = proxy_status::parse(&header).expect("own Proxy-Status parses");
    assert_eq!(parsed.last().map(|e| e.proxy.as_str()), Some("gatewise"));
});
