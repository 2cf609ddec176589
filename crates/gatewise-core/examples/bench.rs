//! Core micro-benchmarks (native): the operations the edge worker runs per failed request,
//! timed in a plain loop — ns per operation, median (min–max) of repeated batches.
//! `scripts/bench.sh` runs it in release mode and puts the figures in `bench/results/`.
//!
//! ```text
//! cargo run --release -q -p gatewise-core --example bench            # a table
//! cargo run --release -q -p gatewise-core --example bench -- --json  # one JSON object
//! cargo run -q -p gatewise-core --example bench -- --smoke           # a few ms per operation
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use gatewise_core::render::{self, negotiate, PageContext};
use gatewise_core::{classify, logs, proxy_status, Lang};

/// captured: nginx/1.22.1, upstream refused (the page nginx writes for a 502).
const NGINX_502_BODY: &[u8] = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
const NGINX_502_HEADERS: &[(&str, &str)] = &[
    ("server", "nginx/1.22.1"),
    ("date", "Sat, 21 Nov 2026 06:12:01 GMT"),
    ("content-type", "text/html"),
    ("content-length", "157"),
    ("connection", "keep-alive"),
];
/// An nginx error.log line (format of nginx 1.22).
const NGINX_LOG: &str = r#"2026/11/21 06:12:01 [error] 4242#4242: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.7, server: shop.example, request: "GET /cart HTTP/1.1", upstream: "http://10.0.0.5:8080/cart", host: "shop.example""#;
const ACCEPT_LANGUAGE: &str = "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5";

/// One named operation to time.
type Op<'a> = (&'static str, Box<dyn FnMut() + 'a>);

/// ns per call of `f`: batches sized to ~`target` each, `repeats` of them.
fn time(mut f: impl FnMut(), target: Duration, repeats: usize) -> (f64, f64, f64) {
    let mut n: u32 = 1;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        if t.elapsed() >= target / 4 || n >= 1 << 24 {
            break;
        }
        n = n.saturating_mul(2);
    }
    let mut per_op: Vec<f64> = (0..repeats)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed().as_secs_f64() * 1e9 / f64::from(n)
        })
        .collect();
    per_op.sort_by(f64::total_cmp);
    let median = per_op.get(per_op.len() / 2).copied().unwrap_or(f64::NAN);
    let min = per_op.first().copied().unwrap_or(f64::NAN);
    let max = per_op.last().copied().unwrap_or(f64::NAN);
    (median, min, max)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let smoke = args.iter().any(|a| a == "--smoke");
    let json = args.iter().any(|a| a == "--json");
    let (target, repeats) = if smoke {
        (Duration::from_millis(4), 1)
    } else {
        (Duration::from_millis(200), 7)
    };

    let view = classify::ResponseView {
        status: 502,
        headers: NGINX_502_HEADERS,
        body: NGINX_502_BODY,
    };
    let d = classify::response(&view);
    let ctx = PageContext::new(Lang::EN);
    let ops: Vec<Op> = vec![
        (
            "classify a captured nginx 502 response",
            Box::new(|| {
                black_box(classify::response(black_box(&view)));
            }),
        ),
        (
            "explain an nginx error.log line",
            Box::new(|| {
                black_box(logs::explain(black_box(NGINX_LOG)));
            }),
        ),
        (
            "negotiate Accept-Language",
            Box::new(|| {
                black_box(negotiate::language(black_box(Some(ACCEPT_LANGUAGE))));
            }),
        ),
        (
            "render the HTML page",
            Box::new(|| {
                black_box(render::html(black_box(&d), &ctx));
            }),
        ),
        (
            "render the problem JSON",
            Box::new(|| {
                black_box(render::problem_json(black_box(&d), &ctx));
            }),
        ),
        (
            "render Proxy-Status",
            Box::new(|| {
                black_box(proxy_status::header_value(black_box(&d), "gatewise"));
            }),
        ),
    ];

    let mut rows = Vec::new();
    for (name, mut f) in ops {
        let (median, min, max) = time(&mut f, target, repeats);
        rows.push((name, median, min, max));
    }
    if json {
        let items: Vec<String> = rows
            .iter()
            .map(|(name, median, min, max)| {
                format!(r#"{{"op":"{name}","ns":{{"median":{median:.0},"min":{min:.0},"max":{max:.0}}}}}"#)
            })
            .collect();
        println!(r#"{{"repeats":{repeats},"ops":[{}]}}"#, items.join(","));
    } else {
        println!("| operation | ns/op, median (min–max) of {repeats} |");
        println!("|---|---:|");
        for (name, median, min, max) in rows {
            println!("| {name} | {median:.0} ({min:.0}–{max:.0}) |");
        }
    }
}
