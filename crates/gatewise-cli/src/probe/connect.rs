//! Step 2 of the HTTP cycle: opening the TCP connection, address by address
//! in the order the resolver gave, stopping at the first that connects.
//! Each attempt is reported with its time and OS error.
//!
//! # Example
//! ```
//! use std::net::{IpAddr, Ipv4Addr, TcpListener};
//! use std::time::Duration;
//! use gatewise_cli::probe::connect::connect;
//! let l = TcpListener::bind("127.0.0.1:0").unwrap();
//! let port = l.local_addr().unwrap().port();
//! let ips = [IpAddr::V4(Ipv4Addr::LOCALHOST)];
//! let (_stream, detail) = connect(&ips, port, Duration::from_secs(2)).unwrap();
//! assert_eq!(detail.attempts.len(), 1);
//! assert!(detail.attempts[0].ok);
//! ```

use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::steps::Outcome;
use super::{ms, Detail, Failure};

/// One connection attempt.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    /// The address tried.
    pub address: String,
    /// Whether it connected.
    pub ok: bool,
    /// How long it took, in milliseconds.
    pub ms: f64,
    /// The OS error, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The error's kind (`ConnectionRefused`, `TimedOut`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// What the connect step saw.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectDetail {
    /// Every attempt, in order.
    pub attempts: Vec<Attempt>,
    /// The address connected to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connected: Option<String>,
}

/// Connects to the first of `ips` that accepts on `port`, each attempt bounded by `timeout`.
pub fn connect(
    ips: &[IpAddr],
    port: u16,
    timeout: Duration,
) -> Result<(TcpStream, ConnectDetail), Failure> {
    let mut detail = ConnectDetail::default();
    let mut last: Option<std::io::Error> = None;
    for ip in ips {
        let addr = SocketAddr::new(*ip, port);
        let start = Instant::now();
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(stream) => {
                detail.attempts.push(Attempt {
                    address: addr.to_string(),
                    ok: true,
                    ms: ms(start.elapsed()),
                    error: None,
                    kind: None,
                });
                detail.connected = Some(addr.to_string());
                let _ = stream.set_nodelay(true);
                return Ok((stream, detail));
            }
            Err(e) => {
                detail.attempts.push(Attempt {
                    address: addr.to_string(),
                    ok: false,
                    ms: ms(start.elapsed()),
                    error: Some(e.to_string()),
                    kind: Some(format!("{:?}", e.kind())),
                });
                last = Some(e);
            }
        }
    }
    let (outcome, message) = match last {
        Some(e) => (Outcome::Io(e.kind()), e.to_string()),
        None => (
            Outcome::Io(std::io::ErrorKind::NotFound),
            "no address to connect to".to_owned(),
        ),
    };
    let message = match detail.attempts.len() {
        0 | 1 => message,
        n => format!("{message} (all {n} addresses failed)"),
    };
    Err(Failure {
        outcome,
        message,
        detail: Box::new(Detail::Connect(detail)),
    })
}
