//! `classify::transport` (and `io_error`) on a `cause` chain decoded from the
//! bytes: control byte 0 picks the runtime, bytes 1–2 the `retryable` flags;
//! then fields `message`, `code`, `name` per error, separated by 0xFF.
#![no_main]

use gatewise_core::classify::{self, transport, TransportError};
use gatewise_core::{Diagnosis, Layer};
use gatewise_fuzz::{field, fields};
use libfuzzer_sys::fuzz_target;

/// At most this many errors are built (deeper than the classifier reads).
const BUILT: usize = 24;

fn chain(control: &[u8; 8], f: &[String], runtime: Option<Layer>, depth: usize) -> TransportError {
    let mut levels: Vec<TransportError> = (0..depth)
        .map(|i| {
            let flags = u16::from_le_bytes([control[1], control[2]]) >> (i % 8 * 2);
            TransportError {
                runtime: if i == 0 { runtime } else { None },
                message: field(f, 3 * i).unwrap_or("").to_owned(),
                code: field(f, 3 * i + 1).map(str::to_owned),
                name: field(f, 3 * i + 2).map(str::to_owned),
                retryable: (flags & 1 == 1).then_some(flags & 2 == 2),
                cause: None,
            }
        })
        .collect();
    let mut top = levels.pop().unwrap_or_default();
    while let Some(mut parent) = levels.pop() {
        parent.cause = Some(Box::new(top));
        top = parent;
    }
    top
}

fuzz_target!(|data: &[u8]| {
    let (control, f) = fields(data);
    let runtime = Layer::ALL
        .get(usize::from(control[0]) % (Layer::ALL.len() + 1))
        .copied();
    let depth = f.len().div_ceil(3).clamp(1, BUILT);
    let e = chain(&control, &f, runtime, depth);
    let d = transport(&e);
    let json = serde_json::to_string(&d).expect("serialize");
    let back: Diagnosis = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, d);
    let _ = classify::transport::note_key(&d);
    // Only the first MAX_DEPTH errors are read.
    let max = classify::transport::MAX_DEPTH;
    if depth > max {
        assert_eq!(transport(&chain(&control, &f, runtime, max)), d);
    }
    // The same text as a Rust io error.
    let message = field(&f, 0).unwrap_or("");
    for kind in [
        std::io::ErrorKind::ConnectionRefused,
        std::io::ErrorKind::TimedOut,
        std::io::ErrorKind::Other,
    ] {
        let d = classify::io_error(kind, message);
        assert_eq!(d.layer, Layer::RustIo);
    }
});
