//! `gatewise probe <url>`: the HTTP cycle one visible step at a time —
//! DNS lookup → connect → TLS handshake (https) → send the request →
//! receive the response — each with its time, stopping at the first step
//! that fails. The failure becomes the core's [`Diagnosis`] (through the
//! step table in [`steps`]); a response is handed to
//! `gatewise_core::classify::response`, so that a 502 written by nginx is
//! recognised as nginx's.
//!
//! Exit codes say which hop failed ([`EXIT_CODES`]): 0 a response below
//! 500, 10 DNS, 11 connect, 12 TLS, 13 request, 14 response, 15 a response
//! of 500 or more (the failure is behind the server that answered).
//!
//! # Example
//! ```
//! use gatewise_cli::probe::{exit_code, EXIT_SERVER_ERROR};
//! use gatewise_core::Hop;
//! assert_eq!(exit_code(Some(Hop::Dns), None), 10);
//! assert_eq!(exit_code(Some(Hop::Response), None), 14);
//! assert_eq!(exit_code(None, Some(502)), EXIT_SERVER_ERROR);
//! assert_eq!(exit_code(None, Some(200)), 0);
//! ```

pub mod connect;
pub mod dns;
pub mod http;
pub mod print;
pub mod steps;
pub mod tls;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use gatewise_core::classify::{self, ResponseView};
use gatewise_core::{Diagnosis, Evidence, EvidenceSource, Hop};
use serde::Serialize;

use crate::error::CliError;
use crate::target::{Scheme, Target};
use crate::ticker::Ticker;
use steps::Outcome;

/// Exit code per failing step.
pub const EXIT_CODES: &[(Hop, u8)] = &[
    (Hop::Dns, 10),
    (Hop::Connect, 11),
    (Hop::Tls, 12),
    (Hop::Request, 13),
    (Hop::Response, 14),
];
/// Exit code: a response arrived with status 500 or more.
pub const EXIT_SERVER_ERROR: u8 = 15;

/// The exit code for a probe that failed at `step`, or received `status`.
pub fn exit_code(step: Option<Hop>, status: Option<u16>) -> u8 {
    match step {
        Some(s) => EXIT_CODES
            .iter()
            .find(|(h, _)| *h == s)
            .map(|(_, c)| *c)
            .unwrap_or(crate::error::EXIT_OTHER),
        None if status.is_some_and(|s| s >= 500) => EXIT_SERVER_ERROR,
        None => 0,
    }
}

/// Milliseconds, rounded to 0.1.
pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

/// What one step saw (its JSON form is the step's `detail`).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Detail {
    /// The DNS step.
    Dns(dns::DnsDetail),
    /// The connect step.
    Connect(connect::ConnectDetail),
    /// The TLS step.
    Tls(tls::TlsDetail),
    /// The request step.
    Request(http::RequestDetail),
    /// The response step.
    Response(http::ResponseDetail),
}

/// A step that failed: what happened, the error's text, and what it saw.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The outcome, for the step table.
    pub outcome: Outcome,
    /// The error's text.
    pub message: String,
    /// What the step saw.
    pub detail: Box<Detail>,
}

/// One step of the report.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    /// The step (`dns`, `connect`, `tls`, `request`, `response`).
    pub step: Hop,
    /// Whether it succeeded.
    pub ok: bool,
    /// How long it took, in milliseconds (the response step: until its
    /// header section was complete; see its detail for the first byte and
    /// the end of the body).
    pub ms: f64,
    /// What it saw.
    pub detail: Detail,
}

/// The whole probe.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The URL probed.
    pub url: String,
    /// The diagnosis: of the failing step, or of a response of 400 or more; `null` otherwise.
    pub diagnosis: Option<Diagnosis>,
    /// The steps, in order, up to the first failure.
    pub steps: Vec<StepReport>,
    /// The step that failed.
    pub failed_step: Option<Hop>,
    /// The status received.
    pub status: Option<u16>,
    /// The process exit code.
    pub exit_code: u8,
}

/// Per-step time limits.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// The DNS lookup.
    pub dns: Duration,
    /// Each connection attempt.
    pub connect: Duration,
    /// The TLS handshake.
    pub tls: Duration,
    /// Writing the request and reading the header section.
    pub response: Duration,
}

/// What to probe and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The target.
    pub target: Target,
    /// The time limits.
    pub timeouts: Timeouts,
    /// Extra trust anchors (PEM).
    pub cacert: Option<PathBuf>,
    /// The DNS server to ask instead of the system's resolvers.
    pub dns_server: Option<std::net::SocketAddr>,
    /// Labels of the steps for the spinner (`None`: no spinner).
    pub spinner: Option<fn(Hop) -> String>,
}

struct Run<'a> {
    opts: &'a Options,
    steps: Vec<StepReport>,
}

impl Run<'_> {
    /// Runs one step with a spinner and records it.
    fn step<T>(
        &mut self,
        hop: Hop,
        f: impl FnOnce() -> Result<(T, Detail), Failure>,
    ) -> Result<T, (Hop, Failure)> {
        let label = self.opts.spinner.map(|l| l(hop)).unwrap_or_default();
        let ticker = Ticker::start(&label, self.opts.spinner.is_some());
        let start = Instant::now();
        let result = f();
        let elapsed = ms(start.elapsed());
        drop(ticker);
        match result {
            Ok((value, detail)) => {
                self.steps.push(StepReport {
                    step: hop,
                    ok: true,
                    ms: elapsed,
                    detail,
                });
                Ok(value)
            }
            Err(failure) => {
                self.steps.push(StepReport {
                    step: hop,
                    ok: false,
                    ms: elapsed,
                    detail: (*failure.detail).clone(),
                });
                Err((hop, failure))
            }
        }
    }
}

/// The diagnosis of a failed step.
pub fn diagnose_failure(hop: Hop, failure: &Failure) -> Diagnosis {
    let mut d = steps::diagnose(hop, &failure.outcome, &failure.message);
    if let Detail::Dns(dns) = &*failure.detail {
        if let Some(rcode) = &dns.rcode {
            d.vendor_code = Some(rcode.clone());
            d.evidence.push(Evidence::new(
                EvidenceSource::Probe,
                format!("rcode {rcode}"),
                None,
            ));
        }
    }
    d
}

/// Walks the HTTP cycle to `opts.target`.
pub fn run(opts: &Options) -> Result<Report, CliError> {
    let roots = match opts.target.scheme {
        Scheme::Https => Some(tls::roots(opts.cacert.as_deref())?),
        Scheme::Http => None,
    };
    let mut run = Run {
        opts,
        steps: Vec::new(),
    };
    let outcome = walk(&mut run, roots);
    // The response step took until its header section was complete; the
    // body's end is reported apart (its `bodyMs`), so that a server keeping
    // the connection open does not make the answer look slow.
    for step in &mut run.steps {
        if let Detail::Response(r) = &step.detail {
            if let Some(h) = r.headers_ms {
                step.ms = h;
            }
        }
    }
    let (diagnosis, failed_step, status) = match outcome {
        Err((hop, failure)) => (Some(diagnose_failure(hop, &failure)), Some(hop), None),
        Ok(received) => {
            let headers: Vec<(&str, &str)> = received
                .headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let d = (received.status >= 400).then(|| {
                classify::response(&ResponseView {
                    status: received.status,
                    headers: &headers,
                    body: &received.body,
                })
            });
            (d, None, Some(received.status))
        }
    };
    Ok(Report {
        url: opts.target.url(),
        diagnosis,
        exit_code: exit_code(failed_step, status),
        steps: run.steps,
        failed_step,
        status,
    })
}

fn walk(
    run: &mut Run<'_>,
    roots: Option<rustls::RootCertStore>,
) -> Result<http::Received, (Hop, Failure)> {
    let t = run.opts.target.clone();
    let to = run.opts.timeouts;
    let dns_server = run.opts.dns_server;
    let ips = run.step(Hop::Dns, || {
        dns::resolve(&t.host, to.dns, dns_server).map(|(ips, d)| (ips, Detail::Dns(d)))
    })?;
    let tcp = run.step(Hop::Connect, || {
        connect::connect(&ips, t.port, to.connect).map(|(s, d)| (s, Detail::Connect(d)))
    })?;
    let mut conn = match roots {
        Some(roots) => run.step(Hop::Tls, || {
            tls::handshake(tcp, &t.host, roots, to.tls)
                .map(|(s, d)| (http::Conn::Tls(Box::new(s)), Detail::Tls(d)))
        })?,
        None => http::Conn::Plain(tcp),
    };
    run.step(Hop::Request, || {
        http::send(&mut conn, &t.path, &t.host_header(), to.response)
            .map(|d| ((), Detail::Request(d)))
    })?;
    run.step(Hop::Response, || {
        http::receive(&mut conn, to.response).map(|r| {
            let d = Detail::Response(r.detail.clone());
            (r, d)
        })
    })
}
