//! `explain::explain` on any paste (status code, raw response, log lines, error page).
#![no_main]

use gatewise_core::explain::{explain, ExplainError, InputKind};
use gatewise_core::logs::MAX_LINES;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match explain(&text) {
        Ok(e) => {
            assert!(e.lines.len() <= MAX_LINES);
            if e.kind != InputKind::Log {
                assert!(e.lines.is_empty());
            }
            serde_json::to_string(&e).expect("serialize");
        }
        Err(ExplainError::Empty) => {
            assert!(text.len() > gatewise_core::explain::MAX_INPUT || text.trim().is_empty())
        }
        Err(ExplainError::NotRecognised) => {}
    }
});
