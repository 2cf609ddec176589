//! # gatewise-core
//!
//! When a gateway fails, gatewise says exactly why. This crate is the pure
//! knowledge and logic behind every gatewise surface (edge worker, browser
//! page, npm package, CLI): no I/O, no wasm dependencies, no `unsafe`.
//!
//! - [`status`]: every HTTP status code users meet, official and not, with
//!   IIS sub-statuses, each row with its source.
//! - [`taxonomy`]: the 32 RFC 9209 Proxy-Status error types, tied to the
//!   hop of the HTTP cycle that failed.
//! - [`Diagnosis`]: the one type every part produces and consumes.
//! - [`classify`]: transport errors (workerd, browsers, Node, `std::io`) and
//!   responses (with [`fingerprint`]s of the layer that wrote them) become a
//!   [`Diagnosis`].
//! - [`drill`]: narrowing an ambiguous transport error with a step-by-step
//!   probe (DNS, connect, HTTP) a gateway ran.
//! - [`logs`]: a pasted log line becomes a [`Diagnosis`] plus an explanation.
//! - [`signals`]: the words every stack uses for the same failures (errno,
//!   resolver, TLS, runtimes and client libraries), read from any text.
//! - [`matcher`] and [`table`]: the one text-matcher vocabulary and the one
//!   row style of every table above; the rows are `data/` files compiled by
//!   `build.rs` (`data/README.md`).
//! - [`causes`]: the likely causes and the ambiguity note of a [`Diagnosis`].
//! - [`explain()`](explain::explain): anything pasted (status code, raw
//!   response, log lines, error page) becomes a [`Diagnosis`]; [`raw`] parses raw responses.
//! - [`advice`]: what the visitor, the site owner and the developer can do.
//! - [`render`]: HTML page, RFC 9457 problem JSON, plain text, `Proxy-Status`,
//!   and content negotiation.
//! - [`i18n`]: message catalogs and language negotiation.
//! - [`stale`]: which responses a gateway may keep to serve stale when the
//!   origin fails (RFC 9111, RFC 5861 `stale-if-error`).
//! - [`policy`]: retry decisions, backoff, `Retry-After`, circuit breaker.
//! - [`checks`]: what the error page's live checks mean ("is it me or the site?").
//!
//! # Example
//! ```
//! use gatewise_core::{classify, ErrorType, Layer};
//! let body = b"<html><head><title>502 Bad Gateway</title></head><body>\
//!   <center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.22.1</center></body></html>";
//! let d = classify::response(&classify::ResponseView {
//!     status: 502,
//!     headers: &[("server", "nginx/1.22.1"), ("content-type", "text/html")],
//!     body,
//! });
//! assert_eq!(d.layer, Layer::Nginx);
//! assert_eq!(d.status, 502);
//! ```

// The workspace lints deny unwrap, expect, panic!, unreachable! and unchecked
// indexing; the library also denies slicing a `str` by byte offsets (it
// panics inside a character) and arithmetic that can overflow (it panics in
// debug builds and wraps silently in release): inputs are hostile. Tests may.
#![cfg_attr(not(test), deny(clippy::string_slice, clippy::arithmetic_side_effects))]

pub mod advice;
pub mod audience;
pub mod causes;
pub mod cdn_loop;
pub mod checks;
pub mod classify;
pub mod diagnosis;
pub mod drill;
pub mod escape;
#[cfg(feature = "explain")]
pub mod explain;
pub mod fingerprint;
pub mod hop;
pub mod i18n;
pub mod incidents;
pub mod layer;
#[cfg(feature = "explain")]
pub mod logs;
pub mod matcher;
pub mod policy;
pub mod proxy_status;
pub mod raw;
pub mod render;
pub mod secret;
pub mod signals;
pub mod stale;
pub mod status;
pub mod table;
pub mod taxonomy;

pub use audience::Audience;
pub use diagnosis::{Confidence, Diagnosis, Evidence, EvidenceSource};
pub use hop::{Hop, Reached, Segment};
pub use i18n::Lang;
pub use layer::{Layer, LayerKind};
pub use proxy_status::ProxyStatusEntry;
pub use taxonomy::{ErrorType, ErrorTypeInfo, ERROR_TYPES};
