//! Criterion benchmarks of the core (native): the operations the edge worker and the npm
//! package run per failed request, and how their cost grows with the size of the input.
//!
//! ```text
//! cargo bench -p gatewise-core --bench core                  # everything (scripts/bench.sh)
//! cargo bench -p gatewise-core --bench core -- 'core/'       # only the per-operation group
//! GATEWISE_BENCH_SMOKE=1 cargo test -p gatewise-core --bench core -- --test   # each once, small sizes
//! ```
//!
//! Groups:
//! - `core/<op>`: classify a captured nginx 502 (`tests/fixtures/responses/nginx/refused.http`),
//!   and the same with its body padded to 16 KiB (`classify_16k`),
//!   fingerprint it, explain its log line (`tests/fixtures/logs/nginx/refused.log`), negotiate
//!   `Accept`, `Accept-Language` and a list of language tags, render the HTML page, the problem JSON and `Proxy-Status`.
//! - `scale_body/<op>/<bytes>`: the same response with its body padded to 1 KB … 1 MB.
//! - `scale_headers/<op>/<count>`: the same response with 10 … 1,000 headers.
//! - `scale_chain/<op>/<entries>`: an upstream `Proxy-Status` chain of 1 … 100 entries.
//!
//! The core reads bounded prefixes (`fingerprint::MAX_BODY`, `fingerprint::MAX_HEADERS`,
//! `proxy_status::MAX_MEMBERS`): beyond them the cost must stay flat. `bench/run.mjs` reads the
//! samples criterion writes (`$CRITERION_HOME`) and reports the growth per 10× of input.
//! With `GATEWISE_BENCH_SMOKE` set only the smallest sizes run (the `bench` gate's smoke).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gatewise_core::classify::{self, ResponseView};
use gatewise_core::fingerprint::{self, Observed};
use gatewise_core::render::{self, negotiate, PageContext};
use gatewise_core::{logs, proxy_status, raw, Lang};

/// captured: nginx/1.22.1 in front of a refused upstream (its own 502 page).
const NGINX_REFUSED: &[u8] = include_bytes!("../../../tests/fixtures/responses/nginx/refused.http");
/// captured: the error.log and access.log lines nginx wrote for that request.
const NGINX_REFUSED_LOG: &str = include_str!("../../../tests/fixtures/logs/nginx/refused.log");
/// What browsers send.
const ACCEPT: &str =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
const USER_AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
const ACCEPT_LANGUAGE: &str = "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5";

/// Status, headers and body of a parsed fixture.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn captured() -> Response {
        match raw::parse_response(NGINX_REFUSED) {
            Ok(r) => Response {
                status: r.status,
                headers: r.headers,
                body: r.body,
            },
            Err(e) => {
                eprintln!("tests/fixtures/responses/nginx/refused.http: {e}");
                std::process::exit(1);
            }
        }
    }

    fn pairs(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }
}

/// The page context the worker renders with: a language, a request id and the URL.
fn context(lang: Lang) -> PageContext {
    let mut ctx = PageContext::new(lang);
    ctx.request_id = Some("8f1033abc0de4a21".to_owned());
    ctx.url = Some("https://shop.example/cart?item=42".to_owned());
    ctx
}

fn smoke() -> bool {
    std::env::var_os("GATEWISE_BENCH_SMOKE").is_some()
}

/// The sizes to run: all of them, or only the smallest in smoke mode.
fn sizes(all: &[usize]) -> Vec<usize> {
    if smoke() {
        all.iter().take(1).copied().collect()
    } else {
        all.to_vec()
    }
}

fn core_ops(c: &mut Criterion) {
    let r = Response::captured();
    let headers = r.pairs();
    let view = ResponseView {
        status: r.status,
        headers: &headers,
        body: &r.body,
    };
    let d = classify::response(&view);
    let log_line = NGINX_REFUSED_LOG.lines().next().unwrap_or_default();
    let ctx = context(Lang::EN);

    let mut g = c.benchmark_group("core");
    g.bench_function("classify", |b| {
        b.iter(|| classify::response(black_box(&view)))
    });
    // The same response with its body padded to the prefix the core reads (16 KiB): the
    // body patterns' cost, which grew with the body before their literal prefilters.
    let long_body = padded_body(&r, fingerprint::MAX_BODY);
    let long_view = ResponseView {
        body: &long_body,
        ..view
    };
    g.bench_function("classify_16k", |b| {
        b.iter(|| classify::response(black_box(&long_view)))
    });
    g.bench_function("fingerprint", |b| {
        b.iter(|| {
            let seen = Observed::new(view.status, black_box(view.headers), black_box(view.body));
            fingerprint::matches(&seen).len()
        })
    });
    g.bench_function("explain_log", |b| {
        b.iter(|| logs::explain(black_box(log_line)))
    });
    g.bench_function("negotiate_accept", |b| {
        b.iter(|| negotiate::format(black_box(Some(ACCEPT)), black_box(Some(USER_AGENT))))
    });
    g.bench_function("negotiate_accept_language", |b| {
        b.iter(|| negotiate::language(black_box(Some(ACCEPT_LANGUAGE))))
    });
    // What the npm package negotiates (`navigator.languages`, a list of tags).
    g.bench_function("negotiate_language_list", |b| {
        b.iter(|| negotiate::language_from_list(black_box(&["fr-CH", "fr", "en", "de"])))
    });
    g.bench_function("render_html", |b| {
        b.iter(|| render::html(black_box(&d), &ctx))
    });
    g.bench_function("render_problem_json", |b| {
        b.iter(|| render::problem_json(black_box(&d), &ctx))
    });
    g.bench_function("render_proxy_status", |b| {
        b.iter(|| proxy_status::header_value(black_box(&d), "gatewise"))
    });
    g.finish();
}

/// The captured response with its body padded (inside the HTML comment nginx's page ends
/// with, as browsers' "padding" does) to `size` bytes.
fn padded_body(r: &Response, size: usize) -> Vec<u8> {
    let mut body = r.body.clone();
    body.extend_from_slice(b"<!-- ");
    while body.len() < size.saturating_sub(4) {
        body.extend_from_slice(b"a padding to disable MSIE and Chrome friendly error page ");
    }
    body.truncate(size.saturating_sub(4));
    body.extend_from_slice(b"-->\n");
    body
}

fn scale_body(c: &mut Criterion) {
    let r = Response::captured();
    let headers = r.pairs();
    let ctx = context(Lang::EN);
    let mut g = c.benchmark_group("scale_body");
    for size in sizes(&[1_000, 10_000, 100_000, 1_000_000]) {
        let body = padded_body(&r, size);
        let view = ResponseView {
            status: r.status,
            headers: &headers,
            body: &body,
        };
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_with_input(BenchmarkId::new("classify", size), &view, |b, v| {
            b.iter(|| classify::response(black_box(v)))
        });
        let d = classify::response(&view);
        g.bench_with_input(BenchmarkId::new("render_html", size), &d, |b, d| {
            b.iter(|| render::html(black_box(d), &ctx))
        });
    }
    g.finish();
}

fn scale_headers(c: &mut Criterion) {
    let r = Response::captured();
    let ctx = context(Lang::EN);
    let mut g = c.benchmark_group("scale_headers");
    for count in sizes(&[10, 100, 1_000]) {
        // The captured headers first, then `x-trace-<i>` headers up to `count`.
        let mut owned = r.headers.clone();
        let mut i = 0usize;
        while owned.len() < count {
            owned.push((format!("x-trace-{i}"), format!("span={i:016x}; sampled=1")));
            i = i.saturating_add(1);
        }
        let headers: Vec<(&str, &str)> = owned
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let view = ResponseView {
            status: r.status,
            headers: &headers,
            body: &r.body,
        };
        g.throughput(Throughput::Elements(count as u64));
        g.bench_with_input(BenchmarkId::new("classify", count), &view, |b, v| {
            b.iter(|| classify::response(black_box(v)))
        });
        let d = classify::response(&view);
        g.bench_with_input(BenchmarkId::new("render_html", count), &d, |b, d| {
            b.iter(|| render::html(black_box(d), &ctx))
        });
    }
    g.finish();
}

/// A `Proxy-Status` value of `n` upstream entries, the origin side first.
fn chain(n: usize) -> String {
    (0..n)
        .map(|i| format!("cdn-{i};error=http_response_timeout;received-status=504"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn scale_chain(c: &mut Criterion) {
    let r = Response::captured();
    // With owner details the page lists the chain (at most `render::escape::MAX_ITEMS` entries).
    let mut ctx = context(Lang::EN);
    ctx.owner_details = true;
    let mut g = c.benchmark_group("scale_chain");
    for n in sizes(&[1, 10, 100]) {
        let value = chain(n);
        let mut headers = r.pairs();
        headers.push(("proxy-status", value.as_str()));
        let view = ResponseView {
            status: r.status,
            headers: &headers,
            body: &r.body,
        };
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("classify", n), &view, |b, v| {
            b.iter(|| classify::response(black_box(v)))
        });
        let d = classify::response(&view);
        g.bench_with_input(BenchmarkId::new("render_html", n), &d, |b, d| {
            b.iter(|| render::html(black_box(d), &ctx))
        });
        g.bench_with_input(BenchmarkId::new("render_proxy_status", n), &d, |b, d| {
            b.iter(|| proxy_status::header_value(black_box(d), "gatewise"))
        });
    }
    g.finish();
}

/// Short runs: 20 samples of ~1 s per benchmark (the machine is shared; medians are robust).
fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
}

// `criterion_group!` defines a public function it cannot document.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group! {
        name = benches;
        config = config();
        targets = core_ops, scale_body, scale_headers, scale_chain
    }
}
criterion_main!(group::benches);
