//! `explain::explain` on any paste: status code, raw response, `curl -v` output, log lines in
//! their envelopes, error page or text, header dump, error message, HAR file, several at once.
#![no_main]

use gatewise_core::explain::{explain, ExplainError, MAX_ARTEFACTS, MAX_INPUT};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match explain(&text) {
        Ok(e) => {
            assert!(!e.artefacts.is_empty() && e.artefacts.len() <= MAX_ARTEFACTS);
            let head = e.headline().expect("the headline is listed");
            assert_eq!(head.diagnosis, e.diagnosis);
            assert_eq!(head.kind, e.kind);
            if e.artefacts.iter().any(|a| a.failure) {
                assert!(head.failure, "a failure is the headline when there is one");
            }
            for a in &e.artefacts {
                if let Some(r) = a.lines {
                    assert!(r.first >= 1 && r.first <= r.last);
                }
            }
            serde_json::to_string(&e).expect("serialize");
        }
        Err(ExplainError::Empty) => {
            assert!(text.len() > MAX_INPUT || text.trim().is_empty())
        }
        Err(ExplainError::NotRecognised | ExplainError::NothingFailed { .. }) => {}
    }
});
