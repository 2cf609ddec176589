//! Real web servers in front of a refusing upstream, configured with the
//! files `gatewise pages` writes: the body they answer with must be the
//! exported page. Needs the `nginx`, `haproxy`, `caddy` and `apache2`
//! binaries; a missing one is installed with apt-get when possible
//! (nginx, haproxy), and its test prints SKIPPED loudly otherwise.
//! Servers run in the foreground as children and are stopped by PID.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

use common::{refused_port, run, temp_dir};

static APT: Once = Once::new();

/// Finds `name` in PATH or the sbin directories.
fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    let found = path
        .split(':')
        .chain(["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin"])
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file());
    found
}

/// The binary `name`, installing `package` with apt-get once if missing.
fn server_binary(name: &str, package: &str) -> Option<PathBuf> {
    if let Some(p) = which(name) {
        return Some(p);
    }
    APT.call_once(|| {
        if which("apt-get").is_some() {
            eprintln!("installing nginx and haproxy with apt-get…");
            let _ = Command::new("apt-get")
                .arg("update")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let _ = Command::new("apt-get")
                .args([
                    "install",
                    "-y",
                    "--no-install-recommends",
                    "nginx",
                    "haproxy",
                ])
                .env("DEBIAN_FRONTEND", "noninteractive")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    });
    let found = which(name);
    if found.is_none() {
        eprintln!("\n==================== SKIPPED ====================\n{name} is not installed and `apt-get install {package}` was not possible here.\n=================================================\n");
    }
    found
}

/// A free loopback port.
fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A child server, stopped by PID on drop.
struct Server {
    child: Child,
    name: &'static str,
    log: PathBuf,
}

impl Server {
    fn start(name: &'static str, mut cmd: Command, port: u16, log: PathBuf) -> Server {
        let out = std::fs::File::create(&log).unwrap();
        let child = cmd
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        let s = Server { child, name, log };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                panic!(
                    "{} did not listen on {port}: {}",
                    s.name,
                    std::fs::read_to_string(&s.log).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        s
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GET / with `accept_language`: status and body.
fn get(port: u16, accept_language: Option<&str>) -> (u16, Vec<u8>, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = String::from("GET / HTTP/1.1\r\nHost: test.local\r\nConnection: close\r\n");
    if let Some(al) = accept_language {
        req.push_str(&format!("Accept-Language: {al}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header section");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = gatewise_cli::probe::http::dechunk_prefix(&body);
    }
    (status, body, head)
}

fn export(dir: &Path, server: &str) {
    let out = run(&["pages", "--out", dir.to_str().unwrap(), "--for", server]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn page(dir: &Path, lang: &str, code: u16) -> Vec<u8> {
    std::fs::read(dir.join("gatewise").join(lang).join(format!("{code}.html"))).unwrap()
}

#[test]
fn nginx_serves_the_exported_502_page_in_the_visitors_language() {
    let Some(nginx) = server_binary("nginx", "nginx") else {
        return;
    };
    let dir = temp_dir("nginx");
    let pages = dir.join("pages");
    export(&pages, "nginx");
    let port = free_port();
    let upstream = refused_port();
    for t in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"] {
        std::fs::create_dir_all(dir.join(t)).unwrap();
    }
    let p = pages.display();
    let d = dir.display();
    let conf = format!(
        "worker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n  access_log off;\n  client_body_temp_path {d}/client_body;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  include {p}/gatewise-nginx-http.conf;\n  server {{\n    listen 127.0.0.1:{port};\n    include {p}/gatewise-nginx-server.conf;\n    location / {{ proxy_pass http://127.0.0.1:{upstream}; }}\n  }}\n}}\n"
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let test = Command::new(&nginx)
        .args(["-t", "-p", &d.to_string(), "-c", &format!("{d}/nginx.conf")])
        .output()
        .unwrap();
    assert!(
        test.status.success(),
        "nginx -t: {}",
        String::from_utf8_lossy(&test.stderr)
    );
    let mut cmd = Command::new(&nginx);
    cmd.args([
        "-p",
        &d.to_string(),
        "-c",
        &format!("{d}/nginx.conf"),
        "-g",
        "daemon off;",
    ]);
    let _server = Server::start("nginx", cmd, port, dir.join("nginx.out"));

    for (al, lang) in [
        (None, "en"),
        (Some("fr-CA,fr;q=0.9,en;q=0.5"), "fr"),
        (Some("zh-CN,zh;q=0.9"), "zh-Hans"),
        (Some("ar"), "ar"),
        // The core's negotiation: Traditional Chinese reads the Simplified catalog (the nearest).
        (Some("zh-TW"), "zh-Hans"),
        (Some("pt-PT,pt;q=0.9"), "pt-BR"),
        (Some("ko"), "en"),
    ] {
        let (status, body, head) = get(port, al);
        assert_eq!(status, 502, "{head}");
        assert_eq!(
            body,
            page(&pages, lang, 502),
            "Accept-Language {al:?} should get the {lang} page"
        );
        assert!(
            head.to_ascii_lowercase()
                .contains("cache-control: no-store"),
            "{head}"
        );
    }
    // And the probe sees the 502 the same way.
    let (code, report) = common::probe(&format!("http://127.0.0.1:{port}/"), &[]);
    assert_eq!(code, 15, "{report:#}");
    assert_eq!(report["status"], 502);
    println!("nginx: 502 pages served from {}", pages.display());
}

#[test]
fn haproxy_serves_the_exported_errorfile() {
    let Some(haproxy) = server_binary("haproxy", "haproxy") else {
        return;
    };
    let dir = temp_dir("haproxy");
    let pages = dir.join("pages");
    export(&pages, "haproxy");
    let port = free_port();
    let upstream = refused_port();
    let snippet = std::fs::read_to_string(pages.join("gatewise-haproxy.cfg")).unwrap();
    let errorfiles: String = snippet
        .lines()
        .filter(|l| l.starts_with("errorfile "))
        .map(|l| format!("  {l}\n"))
        .collect();
    assert_eq!(errorfiles.lines().count(), 4);
    let conf = format!(
        "global\n  maxconn 64\ndefaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n  retries 1\n{errorfiles}frontend fe\n  bind 127.0.0.1:{port}\n  default_backend be\nbackend be\n  server s1 127.0.0.1:{upstream}\n"
    );
    let cfg = dir.join("haproxy.cfg");
    std::fs::write(&cfg, conf).unwrap();
    let check = Command::new(&haproxy)
        .args(["-c", "-f", cfg.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "haproxy -c: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let mut cmd = Command::new(&haproxy);
    cmd.args(["-db", "-f", cfg.to_str().unwrap()]);
    let _server = Server::start("haproxy", cmd, port, dir.join("haproxy.out"));

    let (status, body, head) = get(port, Some("fr"));
    assert!(status == 503 || status == 502, "{head}");
    let file = std::fs::read(
        pages
            .join("haproxy")
            .join("en")
            .join(format!("{status}.http")),
    )
    .unwrap();
    let split = file.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    assert_eq!(
        body,
        &file[split + 4..],
        "the body is the exported errorfile's"
    );
    assert_eq!(
        body,
        page(&pages, "en", status),
        "which is the exported page"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("cache-control: no-store"),
        "{head}"
    );
    println!("haproxy: {status} page served from {}", pages.display());
}

#[test]
fn caddy_serves_the_exported_502_page() {
    let Some(caddy) = which("caddy") else {
        eprintln!("\n==================== SKIPPED ====================\ncaddy is not installed.\n=================================================\n");
        return;
    };
    let dir = temp_dir("caddy");
    let pages = dir.join("pages");
    export(&pages, "caddy");
    let port = free_port();
    let upstream = refused_port();
    let conf = format!(
        "{{\n  admin off\n  auto_https off\n  storage file_system {d}/data\n}}\nhttp://:{port} {{\n  bind 127.0.0.1\n  import {p}/gatewise.caddy\n  reverse_proxy 127.0.0.1:{upstream}\n}}\n",
        d = dir.display(),
        p = pages.display()
    );
    let file = dir.join("Caddyfile");
    std::fs::write(&file, conf).unwrap();
    let mut cmd = Command::new(&caddy);
    cmd.args([
        "run",
        "--adapter",
        "caddyfile",
        "--config",
        file.to_str().unwrap(),
    ])
    .env("HOME", &dir)
    .env("XDG_DATA_HOME", dir.join("data"))
    .env("XDG_CONFIG_HOME", dir.join("config"));
    let _server = Server::start("caddy", cmd, port, dir.join("caddy.out"));
    for (al, lang) in [
        (None, "en"),
        (Some("de-AT,de;q=0.8"), "de"),
        (Some("ja"), "ja"),
    ] {
        let (status, body, head) = get(port, al);
        assert_eq!(status, 502, "{head}");
        assert_eq!(body, page(&pages, lang, status), "Accept-Language {al:?}");
        assert!(
            head.to_ascii_lowercase()
                .contains("cache-control: no-store"),
            "{head}"
        );
    }
}

#[test]
fn apache_serves_the_exported_502_page() {
    let (Some(apache), true) = (
        which("apache2"),
        Path::new("/usr/lib/apache2/modules/mod_negotiation.so").is_file(),
    ) else {
        eprintln!("\n==================== SKIPPED ====================\napache2 (with mod_negotiation) is not installed.\n=================================================\n");
        return;
    };
    let dir = temp_dir("apache");
    let pages = dir.join("pages");
    export(&pages, "apache");
    let port = free_port();
    let upstream = refused_port();
    let modules = [
        "mpm_event",
        "authz_core",
        "alias",
        "mime",
        "negotiation",
        "proxy",
        "proxy_http",
        "headers",
    ];
    let loads: String = modules
        .iter()
        .map(|m| format!("LoadModule {m}_module /usr/lib/apache2/modules/mod_{m}.so\n"))
        .collect();
    let conf = format!(
        "{loads}ServerName test.local\nListen 127.0.0.1:{port}\nPidFile {d}/apache.pid\nErrorLog {d}/error.log\nTypesConfig /etc/mime.types\nMutex file:{d}\nDefaultRuntimeDir {d}\nInclude {p}/gatewise-apache.conf\nProxyPass / http://127.0.0.1:{upstream}/\n",
        d = dir.display(),
        p = pages.display()
    );
    let file = dir.join("apache.conf");
    std::fs::write(&file, conf).unwrap();
    let mut cmd = Command::new(&apache);
    cmd.args([
        "-X",
        "-d",
        dir.to_str().unwrap(),
        "-f",
        file.to_str().unwrap(),
    ]);
    let _server = Server::start("apache", cmd, port, dir.join("apache.out"));
    for (al, lang) in [
        (Some("pt-BR,pt;q=0.9"), "pt-BR"),
        (Some("pt-PT"), "pt-BR"),
        (Some("es"), "es"),
        (None, "en"),
    ] {
        let (status, body, head) = get(port, al);
        // mod_proxy answers 503 when the backend refuses the connection.
        assert_eq!(status, 503, "{head}");
        assert_eq!(body, page(&pages, lang, status), "Accept-Language {al:?}");
        assert!(
            head.to_ascii_lowercase()
                .contains("cache-control: no-store"),
            "{head}"
        );
    }
}
