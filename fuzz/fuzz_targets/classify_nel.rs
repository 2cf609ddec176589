//! `classify::nel` on lines `type`, `status_code`, `phase` (and every known
//! type with the fuzzed phase): never panics, evidence stays short.
#![no_main]

use gatewise_core::classify;
use gatewise_fuzz::lines;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let l = lines(data);
    let kind = l.first().map(String::as_str).unwrap_or("");
    let status = l.get(1).and_then(|s| s.trim().parse::<u16>().ok());
    let phase = l.get(2).map(String::as_str).unwrap_or(kind);
    let check = |d: gatewise_core::Diagnosis| {
        for e in &d.evidence {
            assert!(
                e.fact.len() <= 160,
                "evidence is bounded: {} bytes",
                e.fact.len()
            );
        }
    };
    if let Some(d) = classify::nel(kind, status, phase) {
        check(d);
    }
    for name in classify::nel::nel_types() {
        let d = classify::nel(name, status, phase).expect("a known NEL type classifies");
        check(d);
    }
});
