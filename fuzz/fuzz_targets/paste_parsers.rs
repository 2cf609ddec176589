//! The parsers of `explain`'s reading pipeline on their own: envelope peeling (with and without
//! `curl -v` markers), unquoting, header dumps, an HTML page's visible text, HAR files. Each must
//! stay within its bounds and never panic.
#![no_main]

use gatewise_core::explain::{har, headers, peel, unquote, visible};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for line in text.lines().take(64) {
        for (curl, markdown) in [(false, false), (true, false), (false, true)] {
            let p = peel::peel_line_in(line, peel::Paste { curl, markdown });
            assert!(p.wrappers.len() <= peel::MAX_PEELS + 1, "{:?}", p.wrappers);
            assert_eq!(p.stages.len(), p.wrappers.len() + 1 - usize::from(p.wrappers.first() == Some(&peel::Wrapper::Ansi)));
        }
    }
    if let Some(inner) = unquote::unquote(&text) {
        assert!(inner.len() <= text.len().saturating_mul(3) + 8);
    }
    if let Some(h) = headers::parse(&text) {
        assert!(h.len() >= 2 && h.len() <= headers::MAX_DUMP_HEADERS);
        let _ = headers::status_of(&h);
    }
    let shown = visible::visible_text(&text);
    assert!(shown.len() <= text.len().saturating_mul(4) + 8);
    if let Some(h) = har::read(&text) {
        for e in &h.entries {
            assert_eq!(e.exchange.phases.len(), 7);
            assert!(e.exchange.phases.iter().filter(|p| p.failed).count() <= 1);
        }
    }
});
