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
//! pasted text is only that runtime's when it has a shape no other program
//! prints (Chromium's `net::ERR_…`), so the layer is kept only then and is
//! otherwise left unknown: a Ruby `Errno::ECONNREFUSED` is not Node's, and
//! Node's `connect ECONNREFUSED` may be printed by any program built on it.
//!
//! # Example
//! ```
//! use gatewise_core::explain::signal::read;
//! use gatewise_core::{ErrorType, Layer};
//! let d = read("curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused").unwrap();
//! assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
//! let d = read("Error: connect ECONNREFUSED 127.0.0.1:3000").unwrap();
//! assert_eq!((d.error_type, d.layer), (Some(ErrorType::ConnectionRefused), Layer::Unknown));
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

/// Whether `text` has the shape of an error of runtime `layer`: Chromium's
/// `net::ERR_…` codes and workerd's own texts say who wrote them. Node's
/// system errors (`connect ECONNREFUSED 10.0.0.5:80`) do not: every program
/// built on Node prints them (Vite's and http-proxy-middleware's dev proxies,
/// gRPC's client), so the layer stays unknown until the text says more.
fn runtime_shape(layer: Layer, text: &str) -> bool {
    match layer {
        Layer::Browser => text.contains("net::ERR_") || text.starts_with("Failed to fetch"),
        Layer::Workerd => true,
        _ => false,
    }
}
