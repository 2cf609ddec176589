//! Test helpers: run the built binary, start real loopback servers.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_gatewise");

/// Runs the binary with `args`, stdin closed, no colours.
pub fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run gatewise")
}

/// Runs `gatewise probe --json <url> <extra>`: exit code and JSON report.
pub fn probe(url: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["probe", "--json", url];
    args.extend_from_slice(extra);
    let out = run(&args);
    let code = out.status.code().expect("exit code");
    let text = String::from_utf8_lossy(&out.stdout);
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): stdout={text} stderr={}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, json)
}

/// The last step of a report.
pub fn last_step(report: &Value) -> &Value {
    report["steps"]
        .as_array()
        .and_then(|s| s.last())
        .expect("a step")
}

/// Starts a server on 127.0.0.1 that hands every accepted connection to `f`
/// (in its own thread); returns the port.
pub fn serve<F>(f: F) -> u16
where
    F: Fn(TcpStream) + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let f = Arc::new(f);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let f = Arc::clone(&f);
            std::thread::spawn(move || f(stream));
        }
    });
    port
}

/// Reads the request's header section (up to the blank line).
pub fn read_request(s: &mut TcpStream) -> Vec<u8> {
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::new();
    let mut b = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut b) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&b[..n]),
        }
    }
    buf
}

/// A server that answers every request with `response`.
pub fn respond(response: &'static [u8]) -> u16 {
    serve(move |mut s| {
        read_request(&mut s);
        let _ = s.write_all(response);
        let _ = s.flush();
    })
}

/// A port nothing listens on (bound, then closed).
pub fn refused_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    port
}

/// The nginx 1.22.1 502 page, as captured.
pub const NGINX_502: &[u8] = b"HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\nDate: Sat, 22 Nov 2025 10:00:00 GMT\r\nContent-Type: text/html\r\nContent-Length: 157\r\nConnection: close\r\n\r\n<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";

/// Splits a raw response into status, headers and body (for comparing with the core).
pub fn split_response(raw: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let text = std::str::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.to_owned(), v.trim().to_owned())
        })
        .collect();
    (status, headers, body.as_bytes().to_vec())
}

/// TLS certificates made with rcgen at test time.
pub mod certs {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

    /// A leaf certificate, its key, and the PEM of the CA that signed it (if any).
    pub struct Leaf {
        pub chain: Vec<CertificateDer<'static>>,
        pub key: PrivateKeyDer<'static>,
        pub ca_pem: Option<String>,
    }

    fn key_der(k: &KeyPair) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(k.serialize_der()))
    }

    /// A self-signed certificate for 127.0.0.1.
    pub fn self_signed() -> Leaf {
        let key = KeyPair::generate().unwrap();
        let mut p =
            CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
        p.distinguished_name
            .push(DnType::CommonName, "gatewise self-signed test");
        let cert = p.self_signed(&key).unwrap();
        Leaf {
            chain: vec![cert.der().clone()],
            key: key_der(&key),
            ca_pem: None,
        }
    }

    /// A certificate for `names`, valid `from`..`to` (y, m, d), signed by a fresh CA.
    pub fn ca_signed(names: &[&str], from: (i32, u8, u8), to: (i32, u8, u8)) -> Leaf {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "gatewise test CA");
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::from_params(&ca, &ca_key);
        let key = KeyPair::generate().unwrap();
        let mut p =
            CertificateParams::new(names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
                .unwrap();
        p.distinguished_name
            .push(DnType::CommonName, names.first().copied().unwrap_or("leaf"));
        p.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
        p.not_after = rcgen::date_time_ymd(to.0, to.1, to.2);
        let cert = p.signed_by(&key, &issuer).unwrap();
        Leaf {
            chain: vec![cert.der().clone()],
            key: key_der(&key),
            ca_pem: Some(ca_cert.pem()),
        }
    }
}

/// Starts a TLS server (rustls) with `leaf` that answers `response` after the handshake.
pub fn serve_tls(leaf: certs::Leaf, response: &'static [u8]) -> u16 {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(leaf.chain, leaf.key)
        .unwrap();
    let config = Arc::new(config);
    serve(move |tcp| {
        let Ok(conn) = rustls::ServerConnection::new(Arc::clone(&config)) else {
            return;
        };
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        let _ = tls.sock.set_read_timeout(Some(Duration::from_secs(5)));
        let mut buf = Vec::new();
        let mut b = [0u8; 1024];
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            match tls.read(&mut b) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&b[..n]),
            }
        }
        let _ = tls.write_all(response);
        tls.conn.send_close_notify();
        let _ = tls.flush();
    })
}

/// Writes `content` to a fresh temporary file and returns its path.
pub fn temp_file(name: &str, content: &[u8]) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// A fresh temporary directory.
pub fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "gatewise-test-{}-{tag}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
