//! `raw::parse_response` on the bytes, then classification of what it parsed.
#![no_main]

use gatewise_core::classify;
use gatewise_core::raw::{self, MAX_HEADERS, MAX_INPUT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = raw::parse_response(data) {
        assert!(r.headers.len() <= MAX_HEADERS);
        assert!(r.body.len() <= MAX_INPUT);
        let pairs = r.header_pairs();
        if let Some((name, value)) = pairs.first() {
            assert_eq!(r.header(name).map(str::len).is_some(), true);
            let _ = value;
        }
        let d = classify::response(&r.view(&pairs));
        assert_eq!(d.received_status, Some(r.status));
    }
});
