//! # gatewise-worker
//!
//! The gatewise edge worker: a Cloudflare Worker (workers-rs) that a site
//! owner puts in front of an origin. On the happy path it is invisible: it
//! forwards the request (method, headers, streamed body, query; adds
//! `X-Forwarded-*`, `Forwarded` and `CDN-Loop`; redirects are not followed)
//! and streams the response back. When the origin fails it answers with the
//! core's diagnosis instead of a bare 502: HTML in the visitor's language,
//! RFC 9457 problem JSON for API clients, text for curl, with `Proxy-Status`,
//! `Retry-After` and strict security headers.
//!
//! The worker is a thin shell: everything it knows comes from
//! `gatewise-core` (classification, rendering, negotiation, retry policy,
//! breaker, `CDN-Loop`, drill-through narrowing, serve-stale rules). This
//! crate holds only plumbing:
//!
//! - pure parts, built and tested on the host: [`config`] (the `[vars]`),
//!   [`headers`] (what is added and removed), [`answer`] (turning a
//!   diagnosis into a response, redacted unless the owner's token is
//!   presented), [`route`] (the reserved endpoints), [`reports`] (the NEL
//!   collector's parsing) and [`log`] (the structured log line);
//! - the runtime glue (`edge`, only on `wasm32`): the fetch handler,
//!   timeouts, retries, the circuit breaker and serve-stale state per
//!   isolate, the drill-through (DNS over HTTPS, a TCP connect with the
//!   sockets API, a raw HTTP request) and the endpoints.
//!
//! # Example
//! ```
//! use gatewise_worker::config::Config;
//! use gatewise_worker::route::{route, Route};
//! let config = Config::from_vars(|n| (n == "ORIGIN_URL").then(|| "https://origin.example".into())).unwrap();
//! assert_eq!(route("/__gatewise/health", &config.reserved_prefix), Route::Health);
//! assert_eq!(route("/shop?page=2", &config.reserved_prefix), Route::Proxy);
//! ```

pub mod answer;
pub mod config;
pub mod headers;
pub mod log;
pub mod recheck;
pub mod reports;
pub mod route;
pub mod shared;

#[cfg(target_arch = "wasm32")]
mod edge;
