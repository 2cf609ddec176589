//! Classifying transport errors as runtimes report them: workerd, browsers,
//! Node/undici, Rust `std::io`, timeouts and aborts.
//!
//! STUB: signatures fixed; bodies filled by the transport work.

use serde::{Deserialize, Serialize};

use crate::{Diagnosis, ErrorType, Layer};

/// A thrown error as a runtime reported it (JS `Error`, undici error with
/// `cause`, Rust io error), in a form every binding can fill.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransportError {
    /// The runtime that reported it, when the caller knows (`workerd`, `browser`, `node`, `rust_io`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<Layer>,
    /// The error's name (`TypeError`, `AbortError`, `TimeoutError`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The error's message.
    #[serde(default)]
    pub message: String,
    /// The error's code (`ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`, `CERT_HAS_EXPIRED`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// workerd's `retryable` property, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retryable: Option<bool>,
    /// The error's `cause`, when present (undici puts the system error there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Box<TransportError>>,
}

/// Classifies a thrown transport error.
pub fn transport(e: &TransportError) -> Diagnosis {
    let _ = e;
    Diagnosis::for_type(ErrorType::ProxyInternalError, Layer::Unknown)
}

/// Classifies a Rust `std::io::ErrorKind` seen while talking to a next hop.
pub fn io_error(kind: std::io::ErrorKind, message: &str) -> Diagnosis {
    let _ = (kind, message);
    Diagnosis::for_type(ErrorType::ProxyInternalError, Layer::RustIo)
}
