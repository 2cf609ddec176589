//! Fingerprinting: `Observed::new` (the bounds), `matches`, `try_match`,
//! `decode_entities`, `lookup_vendor_code` and `code_key` on a decoded response.
#![no_main]

use gatewise_core::fingerprint::{self, Observed, Role, MAX_BODY, MAX_HEADERS, MAX_HEADER_VALUE};
use gatewise_core::Layer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let r = gatewise_fuzz::response(data);
    let headers = r.pairs();
    let seen = Observed::new(r.status, &headers, &r.body);
    assert!(seen.headers.len() <= MAX_HEADERS);
    assert!(seen
        .headers
        .iter()
        .all(|(_, v)| v.len() <= MAX_HEADER_VALUE));
    // Lossy decoding turns each invalid byte into U+FFFD (3 bytes).
    assert!(seen.body.len() <= 3 * MAX_BODY);
    let found = fingerprint::matches(&seen);
    let roles: Vec<Role> = found.iter().map(|m| m.fingerprint.then.role).collect();
    assert!(
        roles.windows(2).all(|w| w[0] <= w[1]),
        "generators come first"
    );
    for m in &found {
        assert_eq!(
            fingerprint::try_match(m.fingerprint, &seen).as_ref(),
            Some(m)
        );
        for code in [&m.captures.vendor_code, &m.captures.code_key]
            .into_iter()
            .flatten()
        {
            let _ = fingerprint::lookup_vendor_code(m.fingerprint.layer(), code, &m.captures.details);
            assert!(fingerprint::code_key(code)
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        }
    }
    let decoded = fingerprint::decode_entities(&seen.body);
    assert!(decoded.len() <= 200);
    let word = seen.body.split_whitespace().next().unwrap_or("");
    for layer in Layer::ALL {
        if let Some(v) = fingerprint::lookup_vendor_code(*layer, word, &[seen.body.clone()]) {
            assert_eq!(v.layer, *layer);
            let _ = v.catalog_key();
        }
    }
});
