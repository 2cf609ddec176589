//! The seam between the reading pipeline and the generic signal layer: a
//! line of free text (an error message of curl, Node, Go, Java, Python, PHP,
//! .NET, gRPC…) in, a diagnosis out when the text states a failure.
//!
//! This is the one place the pipeline asks "does this text say what
//! failed?": it asks the generic signal layer ([`crate::signals::read`]:
//! errno words, resolver words, TLS messages, the exceptions of clients and
//! runtimes, each row of `data/` with its source), line by line, each line
//! cut to [`MAX_SIGNAL_TEXT`].
//!
//! # Example
//! ```
//! use gatewise_core::explain::signal::read;
//! use gatewise_core::{ErrorType, Layer};
//! let d = read("curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused").unwrap();
//! assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
//! let d = read("Error: connect ECONNREFUSED 127.0.0.1:3000").unwrap();
//! assert_eq!((d.error_type, d.layer), (Some(ErrorType::ConnectionRefused), Layer::Node));
//! assert!(read("all systems nominal").is_none());
//! ```

use crate::{signals, Diagnosis};

/// Only this many bytes of a line are read for a signal.
pub const MAX_SIGNAL_TEXT: usize = 1024;

/// The failure a line of free text states, if any: the generic signal
/// layer's reading ([`crate::signals::read`]).
pub fn read(line: &str) -> Option<Diagnosis> {
    let text = super::cut(line.trim(), MAX_SIGNAL_TEXT);
    if text.len() < 4 {
        return None;
    }
    signals::read(text)
}
