//! The seam between the reading pipeline and the generic signal layer: a
//! line of free text (an error message of curl, Node, Go, Java, Python, PHP,
//! .NET, gRPC…) in, a diagnosis out when the text states a failure.
//!
//! This is the one place the pipeline asks "does this text say what
//! failed?". Until the matcher vocabulary's free-text reader is on main, it
//! is an adapter over the transport table ([`crate::classify::transport`]):
//! the line is handed over as an error's message, and only a row that
//! actually matched counts (not the catch-all `fallback`).
//!
//! The transport table's rows name the runtime they were written for; a
//! pasted text is only that runtime's when it has the runtime's own shape
//! (Node's `connect ECONNREFUSED 10.0.0.5:80`, Chromium's `net::ERR_…`), so
//! the layer is kept only then and is otherwise left unknown: a Ruby
//! `Errno::ECONNREFUSED` is not Node's.
//!
//! # Example
//! ```
//! use gatewise_core::explain::signal::read;
//! use gatewise_core::{ErrorType, Layer};
//! let d = read("curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused").unwrap();
//! assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
//! let d = read("Error: connect ECONNREFUSED 127.0.0.1:3000").unwrap();
//! assert_eq!(d.layer, Layer::Node);
//! assert!(read("all systems nominal").is_none());
//! ```

use crate::classify::{self, TransportError};
use crate::{Diagnosis, Layer};

/// Only this many bytes of a line are read for a signal.
pub const MAX_SIGNAL_TEXT: usize = 1024;

/// The failure a line of free text states, if any.
pub fn read(line: &str) -> Option<Diagnosis> {
    let text = super::cut(line.trim(), MAX_SIGNAL_TEXT);
    if text.len() < 4 {
        return None;
    }
    let mut d = classify::transport(&TransportError {
        message: text.to_owned(),
        ..TransportError::default()
    });
    let rule = d.evidence.iter().find_map(|e| e.rule.as_deref())?;
    if rule == "fallback" {
        return None;
    }
    if !runtime_shape(d.layer, text) {
        d.layer = Layer::Unknown;
    }
    Some(d)
}

/// Whether `text` has the shape of an error of runtime `layer`.
fn runtime_shape(layer: Layer, text: &str) -> bool {
    match layer {
        // libuv/Node: `<syscall> E<CODE>` (connect, read, write, getaddrinfo, querySrv…),
        // undici's `UND_ERR_…` and `ERR_…` codes, llhttp's `HPE_…`.
        Layer::Node => {
            const SYSCALLS: &[&str] = &[
                "connect E",
                "read E",
                "write E",
                "getaddrinfo E",
                "queryA E",
                "querySrv E",
                "UND_ERR_",
                "HPE_",
                "ERR_SSL_",
                "ERR_TLS_",
                "socket hang up",
            ];
            SYSCALLS.iter().any(|s| text.contains(s))
        }
        // Chromium's `net::ERR_…`, the browsers' own fetch texts.
        Layer::Browser => text.contains("net::ERR_") || text.starts_with("Failed to fetch"),
        Layer::Workerd => true,
        _ => false,
    }
}
