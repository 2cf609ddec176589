//! `npm start` (until the worker lands): explain a status code, a log line,
//! a raw response or an error page from the command line.
//!
//! ```text
//! cargo run -p gatewise-core --example explain -- 502.3
//! cargo run -p gatewise-core --example explain -- --lang fr 524
//! cargo run -p gatewise-core --example explain -- --json tests/fixtures/responses/nginx/refused.http
//! tail -n1 /var/log/nginx/error.log | cargo run -p gatewise-core --example explain -- -
//! cargo run -p gatewise-core --example explain            # a short tour
//! ```

use std::io::Read;
use std::process::ExitCode;

use gatewise_core::explain::{explain, Explanation};
use gatewise_core::render::{self, negotiate, PageContext};
use gatewise_core::{classify, Lang};

const TOUR: &[(&str, &str)] = &[
    ("a status code", "502"),
    ("an IIS sub-status", "502.3"),
    ("a Cloudflare status", "524"),
    ("an nginx error.log line", r#"2026/11/21 06:12:01 [error] 4242#4242: *1 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.7, server: shop.example, request: "GET /cart HTTP/1.1", upstream: "http://10.0.0.5:8080/cart", host: "shop.example""#),
    ("a Heroku router line", r#"at=error code=H12 desc="Request timeout" method=GET path="/" host=app.example request_id=4f1c fwd="203.0.113.7" dyno=web.1 connect=0ms service=30000ms status=503 bytes=0 protocol=https"#),
    ("an HAProxy error page", "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/html\r\n\r\n<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>"),
];

struct Args {
    json: bool,
    lang: Lang,
    input: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        json: false,
        lang: negotiate::language(
            std::env::var("LANG")
                .ok()
                .map(|l| l.replace('_', "-"))
                .as_deref(),
        ),
        input: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => args.json = true,
            "--lang" => {
                let tag = it.next().ok_or("--lang needs a language tag")?;
                args.lang = negotiate::language(Some(&tag));
            }
            "-h" | "--help" => return Err(String::new()),
            _ if args.input.is_none() => args.input = Some(a),
            _ => return Err(format!("unexpected argument {a:?}")),
        }
    }
    Ok(args)
}

fn read_input(arg: &str) -> Result<String, String> {
    if arg == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("stdin: {e}"))?;
        return Ok(s);
    }
    let path = std::path::Path::new(arg);
    if path.is_file() {
        let bytes = std::fs::read(path).map_err(|e| format!("{arg}: {e}"))?;
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    Ok(arg.to_owned())
}

fn show(e: &Explanation, lang: Lang, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&e.diagnosis).unwrap_or_default()
        );
        return;
    }
    for l in &e.lines {
        println!("line {}: {}\n", l.line, l.explanation.text(lang));
    }
    print!("{}", render::text(&e.diagnosis, &PageContext::new(lang)));
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("explain: {msg}");
            }
            eprintln!("usage: explain [--json] [--lang TAG] <status | log line | file | ->");
            return ExitCode::from(2);
        }
    };
    let Some(arg) = args.input else {
        println!("gatewise explains gateway failures. A short tour (try `npm start -- 502.3`):\n");
        for (what, input) in TOUR {
            println!("━━ {what}: {}\n", input.lines().next().unwrap_or_default());
            match explain(input) {
                Ok(e) => show(&e, args.lang, false),
                Err(err) => println!("({err})"),
            }
            println!();
        }
        let workerd = classify::TransportError {
            name: Some("Error".into()),
            message: "Network connection lost.".into(),
            retryable: Some(true),
            ..Default::default()
        };
        println!("━━ a Worker's fetch error: Network connection lost.\n");
        print!(
            "{}",
            render::text(&classify::transport(&workerd), &PageContext::new(args.lang))
        );
        return ExitCode::SUCCESS;
    };
    let text = match read_input(&arg) {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("explain: {msg}");
            return ExitCode::from(1);
        }
    };
    match explain(&text) {
        Ok(e) => {
            show(&e, args.lang, args.json);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("explain: {err}");
            ExitCode::from(1)
        }
    }
}
