//! `gatewise pages`: every file written, every page self-contained, the
//! HAProxy errorfiles full responses within tune.bufsize.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use gatewise_cli::pages::{HAPROXY_DEFAULT_MAXREWRITE, PAGE_STATUSES};
use gatewise_core::Lang;
use serde_json::Value;

const SERVERS: &[(&str, &[&str])] = &[
    (
        "nginx",
        &["gatewise-nginx-http.conf", "gatewise-nginx-server.conf"],
    ),
    (
        "apache",
        &[
            "gatewise-apache.conf",
            "gatewise/500.var",
            "gatewise/502.var",
            "gatewise/503.var",
            "gatewise/504.var",
        ],
    ),
    ("caddy", &["gatewise.caddy"]),
    ("haproxy", &["gatewise-haproxy.cfg"]),
    ("iis", &["web.config"]),
];

fn export(server: &str, extra: &[&str]) -> (std::path::PathBuf, Value) {
    let dir = temp_dir(server);
    let mut args = vec![
        "pages",
        "--json",
        "--out",
        dir.to_str().unwrap(),
        "--for",
        server,
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, serde_json::from_slice(&out.stdout).unwrap())
}

/// Issue 14, item 2: a public page written ahead of time gives the owner no
/// command, no log location and no placeholder (nothing is known yet).
fn assert_no_owner_commands(html: &str, what: &str) {
    assert!(
        !gatewise_core::advice::has_placeholder(html),
        "{what}: a placeholder"
    );
    for command in [
        "</code></li>",
        "tail ",
        "systemctl",
        "journalctl",
        "ss -",
        "Get-",
        "curl ",
        "sudo ",
        "/var/log",
        "inetpub",
    ] {
        assert!(!html.contains(command), "{what}: {command}");
    }
}

/// A page loads nothing from elsewhere: no external scripts, styles, images, fonts or frames.
fn assert_self_contained(html: &str, what: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(lower.starts_with("<!doctype html>"), "{what}");
    for bad in [
        "src=\"http",
        "src='http",
        "src=\"//",
        "href=\"http",
        "href=\"//",
        "@import",
        "url(http",
        "url(//",
        "<link rel=\"stylesheet\"",
        "<iframe",
    ] {
        assert!(
            !lower.contains(bad),
            "{what} loads something from elsewhere: {bad}"
        );
    }
    assert_no_owner_commands(html, what);
}

#[test]
fn every_page_and_snippet_is_written_for_every_server() {
    for (server, snippets) in SERVERS {
        let (dir, report) = export(server, &[]);
        let files = report["files"].as_array().unwrap();
        for code in PAGE_STATUSES {
            for lang in Lang::all() {
                let path = dir
                    .join("gatewise")
                    .join(lang.tag())
                    .join(format!("{code}.html"));
                let html = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{server}: {}: {e}", path.display()));
                assert_self_contained(&html, &path.display().to_string());
                assert!(
                    html.contains(&format!("lang=\"{}\"", lang.tag())),
                    "{}",
                    path.display()
                );
                assert!(
                    files
                        .iter()
                        .any(|f| f["path"] == path.to_str().unwrap() && f["bytes"] == html.len()),
                    "{server}: {} not reported",
                    path.display()
                );
            }
        }
        for s in *snippets {
            let text = std::fs::read_to_string(dir.join(s))
                .unwrap_or_else(|e| panic!("{server}: {s}: {e}"));
            assert!(!text.is_empty());
        }
        assert_eq!(
            report["snippets"].as_array().unwrap().len(),
            snippets.iter().filter(|s| !s.ends_with(".var")).count(),
            "{server}"
        );
    }
}

#[test]
fn snippets_name_every_status_and_the_root() {
    let (dir, _) = export("nginx", &["--root", "/srv/www/errors"]);
    let server = std::fs::read_to_string(dir.join("gatewise-nginx-server.conf")).unwrap();
    for code in PAGE_STATUSES {
        assert!(
            server.contains(&format!(
                "error_page {code} /gatewise/$gatewise_lang/{code}.html;"
            )),
            "{server}"
        );
    }
    assert!(
        server.contains("location ^~ /gatewise/ {\n    internal;\n    root /srv/www/errors;"),
        "{server}"
    );
    let http = std::fs::read_to_string(dir.join("gatewise-nginx-http.conf")).unwrap();
    assert!(http.contains("map $http_accept_language $gatewise_lang {"));
    for lang in Lang::all().filter(|l| *l != Lang::EN) {
        assert!(
            http.contains(&format!(" {};", lang.tag())),
            "{} missing from the map",
            lang.tag()
        );
    }

    let (dir, _) = export("iis", &["--root", "C:\\inetpub\\site"]);
    let web = std::fs::read_to_string(dir.join("web.config")).unwrap();
    assert!(web.contains("<httpErrors errorMode=\"Custom\" existingResponse=\"Replace\">"));
    for code in PAGE_STATUSES {
        assert!(web.contains(&format!("<error statusCode=\"{code}\" path=\"gatewise\\en\\{code}.html\" responseMode=\"File\" />")), "{web}");
    }

    let (dir, _) = export("apache", &[]);
    let conf = std::fs::read_to_string(dir.join("gatewise-apache.conf")).unwrap();
    for code in PAGE_STATUSES {
        assert!(conf.contains(&format!("ErrorDocument {code} /gatewise/{code}.var")));
        let map =
            std::fs::read_to_string(dir.join("gatewise").join(format!("{code}.var"))).unwrap();
        assert_eq!(
            map.matches("URI: ").count(),
            1 + Lang::all().count(),
            "{map}"
        );
    }
}

#[test]
fn haproxy_errorfiles_are_full_responses_within_the_buffer() {
    let (dir, report) = export("haproxy", &[]);
    let limit = 16384 - HAPROXY_DEFAULT_MAXREWRITE;
    for (code, reason) in [
        (500, "Internal Server Error"),
        (502, "Bad Gateway"),
        (503, "Service Unavailable"),
        (504, "Gateway Timeout"),
    ] {
        assert!(PAGE_STATUSES.contains(&code));
        for lang in Lang::all() {
            let path = dir
                .join("haproxy")
                .join(lang.tag())
                .join(format!("{code}.http"));
            let raw = std::fs::read(&path).unwrap();
            assert!(
                raw.len() <= limit,
                "{}: {} bytes",
                path.display(),
                raw.len()
            );
            let text = String::from_utf8(raw.clone()).unwrap();
            let (head, body) = text.split_once("\r\n\r\n").unwrap();
            let mut lines = head.split("\r\n");
            assert_eq!(lines.next().unwrap(), format!("HTTP/1.1 {code} {reason}"));
            let headers: Vec<&str> = lines.collect();
            for h in [
                "Content-Type: text/html; charset=utf-8",
                "Cache-Control: no-store",
                "Connection: close",
            ] {
                assert!(headers.contains(&h), "{}: no {h}", path.display());
            }
            assert!(headers.contains(&format!("Content-Length: {}", body.len()).as_str()));
            assert_self_contained(body, &path.display().to_string());
        }
    }
    let cfg = std::fs::read_to_string(dir.join("gatewise-haproxy.cfg")).unwrap();
    assert_eq!(
        cfg.lines().filter(|l| l.starts_with("errorfile ")).count(),
        PAGE_STATUSES.len()
    );
    // Full-size errorfiles carry the exported page itself.
    for f in report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "errorfile")
    {
        let path = std::path::PathBuf::from(f["path"].as_str().unwrap());
        let raw = std::fs::read_to_string(&path).unwrap();
        let body = raw.split_once("\r\n\r\n").unwrap().1;
        let lang = path.parent().unwrap().file_name().unwrap();
        let page = dir
            .join("gatewise")
            .join(lang)
            .join(path.file_name().unwrap())
            .with_extension("html");
        assert_eq!(body, std::fs::read_to_string(page).unwrap());
    }
}

#[test]
fn a_small_haproxy_buffer_gets_the_small_variant_and_a_note() {
    let (dir, report) = export("haproxy", &["--haproxy-bufsize", "400"]);
    let notes = report["notes"].as_array().unwrap();
    assert_eq!(
        notes.len(),
        PAGE_STATUSES.len() * Lang::all().count(),
        "{report:#}"
    );
    assert!(
        notes
            .iter()
            .all(|n| n.as_str().unwrap().contains("raise tune.bufsize")),
        "400 bytes cannot hold a page"
    );
    let files = report["files"].as_array().unwrap();
    assert!(files.iter().filter(|f| f["kind"] == "errorfile").count() == 0);
    assert_eq!(
        files
            .iter()
            .filter(|f| f["kind"] == "small_errorfile")
            .count(),
        notes.len()
    );
    let raw = std::fs::read_to_string(dir.join("haproxy/en/502.http")).unwrap();
    assert!(raw.starts_with("HTTP/1.1 502 Bad Gateway\r\n"));
}
