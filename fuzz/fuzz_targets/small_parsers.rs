//! The small functions that read outside text: status codes, WinHTTP codes,
//! Cloudflare codes in bodies, names and tags, URL targets and remedy
//! commands, the escaping helpers, placeholder filling, method names,
//! secret comparison.
#![no_main]

use gatewise_core::advice::{self, Address, Facts};
use gatewise_core::render::escape;
use gatewise_core::status::{self, cloudflare, winhttp};
use gatewise_core::taxonomy::Cause;
use gatewise_core::{i18n, policy, secret, ErrorType, Lang, Layer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let s = s.as_ref();
    if let Ok(key) = status::parse(s) {
        assert!((100..=999).contains(&key.code()));
        let _ = key.info();
    }
    let _ = winhttp::parse(s);
    if let Some(code) = cloudflare::code_in_body(s) {
        assert!((1000..2000).contains(&code));
    }
    let _ = (
        Lang::from_tag(s),
        Layer::from_name(s),
        ErrorType::from_name(s),
        Cause::from_id(s),
    );
    let _ = (
        policy::retry::method_info(s),
        policy::retry::is_idempotent(s),
    );
    let _ = advice::log_location(s);

    // Escaping: nothing special survives; cleaning bounds and neutralises.
    let escaped = escape::escape(s);
    assert!(!escaped.contains(['<', '>', '"', '\'']));
    for max in [0, 3, escape::SHORT] {
        let clean = escape::clean(s, max);
        assert!(clean.chars().count() <= max + 1);
        assert!(!clean.chars().any(char::is_control));
    }
    if let Some(u) = escape::http_url(s) {
        let lower = u.to_ascii_lowercase();
        assert!(lower.starts_with("http://") || lower.starts_with("https://"));
        assert!(!u.chars().any(|c| c.is_control() || c.is_whitespace()));
    }
    if let Some(u) = escape::script_src(s) {
        assert!(!u.starts_with("//") && !u.chars().any(char::is_whitespace));
    }
    if let Some(m) = escape::mailto(s) {
        assert!(m.starts_with("mailto:") && !m.contains(['<', '>', '"', '\'', '&', ' ']));
    }

    // Remedy commands filled from a URL are whole or absent, never half-filled.
    let site = Address::from_url(s);
    assert!(site.host.as_deref().is_none_or(|h| !h.contains(['\'', ' ', ';', '$', '`'])));
    let d = gatewise_core::Diagnosis::for_type(
        gatewise_core::ErrorType::ConnectionRefused,
        gatewise_core::Layer::Nginx,
    );
    let facts = Facts::gather(&d, Some(s));
    for a in advice::advise(&d, gatewise_core::Audience::Owner, &facts) {
        assert!(a.command.is_none_or(|c| !advice::has_placeholder(&c)));
    }
    let _ = i18n::fill(s, &[("host", s), ("x", "y")]);
    let half = data.len() / 2;
    let (a, b) = data.split_at(half);
    // An empty expected secret (a token not configured) matches nothing.
    assert_eq!(secret::constant_time_eq(a, b), !a.is_empty() && a == b);
});
