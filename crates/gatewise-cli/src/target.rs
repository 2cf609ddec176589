//! The URL a probe walks to: scheme, host, port and the request target.
//!
//! A bare host (`example.com`, `example.com:8080/x`) means `http://`.
//!
//! # Example
//! ```
//! use gatewise_cli::target::{Target, Scheme};
//! let t = Target::parse("https://[::1]:8443/a?b=1").unwrap();
//! assert_eq!(t.scheme, Scheme::Https);
//! assert_eq!(t.host, "::1");
//! assert_eq!(t.port, 8443);
//! assert_eq!(t.path, "/a?b=1");
//! assert_eq!(t.host_header(), "[::1]:8443");
//! assert_eq!(Target::parse("example.com").unwrap().url(), "http://example.com/");
//! ```

use std::net::IpAddr;

use crate::error::CliError;

/// The protocol spoken on the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Plain HTTP/1.1 over TCP.
    Http,
    /// HTTP/1.1 over TLS.
    Https,
}

impl Scheme {
    /// The port used when the URL names none.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }

    /// `http` or `https`.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// A parsed probe target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The scheme.
    pub scheme: Scheme,
    /// The host, without IPv6 brackets.
    pub host: String,
    /// The port (explicit or the scheme's default).
    pub port: u16,
    /// Whether the URL named the port.
    pub explicit_port: bool,
    /// The request target: path and query, at least `/`.
    pub path: String,
}

impl Target {
    /// Parses `input` (an `http`/`https` URL or a bare host).
    pub fn parse(input: &str) -> Result<Target, CliError> {
        let bad = |why: &str| CliError::BadUrl {
            url: input.to_owned(),
            why: why.to_owned(),
        };
        let trimmed = input.trim();
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else {
            format!("http://{trimmed}")
        };
        let uri: http::Uri = with_scheme
            .parse()
            .map_err(|e: http::uri::InvalidUri| bad(&e.to_string()))?;
        let scheme = match uri.scheme_str() {
            Some(s) if s.eq_ignore_ascii_case("http") => Scheme::Http,
            Some(s) if s.eq_ignore_ascii_case("https") => Scheme::Https,
            Some(s) => return Err(bad(&format!("scheme {s} is not http or https"))),
            None => return Err(bad("no scheme")),
        };
        let authority = uri.authority().ok_or_else(|| bad("no host"))?;
        if authority.as_str().contains('@') {
            return Err(bad("user information in URLs is not supported"));
        }
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let path = uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "/".to_owned());
        Ok(Target {
            scheme,
            port: authority.port_u16().unwrap_or(scheme.default_port()),
            explicit_port: authority.port_u16().is_some(),
            host,
            path,
        })
    }

    /// The host as an IP address, when it is a literal.
    pub fn ip_literal(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }

    /// The host with brackets around IPv6 literals.
    pub fn host_for_url(&self) -> String {
        match self.ip_literal() {
            Some(IpAddr::V6(_)) => format!("[{}]", self.host),
            _ => self.host.clone(),
        }
    }

    /// The `Host` header value (the port only when it is not the default).
    pub fn host_header(&self) -> String {
        if self.port == self.scheme.default_port() {
            self.host_for_url()
        } else {
            format!("{}:{}", self.host_for_url(), self.port)
        }
    }

    /// The URL, normalised.
    pub fn url(&self) -> String {
        format!(
            "{}://{}{}",
            self.scheme.name(),
            self.host_header(),
            self.path
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let t = Target::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("127.0.0.1", 8080, "/")
        );
        assert_eq!(Target::parse("HTTPS://example.com/x").unwrap().port, 443);
        for bad in [
            "ftp://x/",
            "http://",
            "http://u:p@host/",
            "http://exa mple.com/",
            "",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
