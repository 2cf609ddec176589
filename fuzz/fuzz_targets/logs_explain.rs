//! `logs::explain` (the whole input and each line) and `logs::explain_all`,
//! with every explanation's text in every language: never panics, bounded.
#![no_main]

use gatewise_core::logs::{self, MAX_FIELDS, MAX_FIELD_BYTES, MAX_LINES};
use gatewise_core::Lang;
use libfuzzer_sys::fuzz_target;

fn check(e: &logs::LogExplanation) {
    assert!(e.fields.len() <= MAX_FIELDS);
    assert!(e.fields.iter().all(|(_, v)| v.len() <= MAX_FIELD_BYTES));
    assert!(e.diagnosis.detail.as_ref().is_none_or(|d| d.len() <= 512));
    serde_json::to_string(e).expect("serialize");
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(e) = logs::explain(&text) {
        check(&e);
        for lang in Lang::all() {
            let _ = e.text(lang);
        }
    }
    for line in text.lines().take(8) {
        if let Some(e) = logs::explain(line) {
            check(&e);
            let _ = e.text(Lang::EN);
        }
    }
    let all = logs::explain_all(&text);
    assert!(all.len() <= MAX_LINES);
    assert!(all.windows(2).all(|w| w[0].line < w[1].line));
    for l in &all {
        assert!((1..=MAX_LINES).contains(&l.line));
        check(&l.explanation);
        let _ = l.explanation.text(Lang::EN);
    }
});
