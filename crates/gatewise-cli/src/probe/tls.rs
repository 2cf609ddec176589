//! Step 3 of the HTTP cycle (https only): the TLS handshake, with rustls
//! (ring) and the Mozilla root store (webpki-roots), plus any `--cacert`.
//!
//! The certificate is checked by rustls's own WebPKI verifier; a thin
//! wrapper only *records* the certificate the server presented, so that the
//! report can show its subject, issuer, names and validity even when the
//! check fails (expired, self-signed, wrong name).
//!
//! # Example
//! ```
//! use gatewise_cli::probe::tls::{certificate_reason, CertificateReason};
//! use rustls::CertificateError;
//! assert_eq!(certificate_reason(&CertificateError::Expired, false), CertificateReason::Expired);
//! assert_eq!(certificate_reason(&CertificateError::UnknownIssuer, true), CertificateReason::SelfSigned);
//! assert_eq!(CertificateReason::SelfSigned.text(), "the certificate is self-signed: no trusted authority vouches for it");
//! ```

use std::net::TcpStream;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore,
    SignatureScheme, StreamOwned,
};
use serde::Serialize;

use super::steps::Outcome;
use super::{Detail, Failure};
use crate::error::CliError;

/// Why a certificate was rejected, in words a site owner acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateReason {
    /// Past its notAfter date.
    Expired,
    /// Before its notBefore date.
    NotYetValid,
    /// Signed by itself, not by a trusted authority.
    SelfSigned,
    /// Signed by an authority the client does not trust (or a missing intermediate).
    UnknownIssuer,
    /// Not issued for the host name asked for.
    WrongName,
    /// Revoked by its issuer.
    Revoked,
    /// Its signature does not verify.
    BadSignature,
    /// Not a well-formed certificate.
    BadEncoding,
    /// Anything else the verifier rejected.
    Other,
}

/// Reason texts (one row per reason).
const REASON_TEXTS: &[(CertificateReason, &str)] = &[
    (CertificateReason::Expired, "the certificate has expired"),
    (CertificateReason::NotYetValid, "the certificate is not valid yet (check the server's clock and the notBefore date)"),
    (CertificateReason::SelfSigned, "the certificate is self-signed: no trusted authority vouches for it"),
    (CertificateReason::UnknownIssuer, "the certificate's issuer is not trusted (unknown authority or missing intermediate certificate)"),
    (CertificateReason::WrongName, "the certificate is not valid for this host name"),
    (CertificateReason::Revoked, "the certificate has been revoked"),
    (CertificateReason::BadSignature, "the certificate's signature does not verify"),
    (CertificateReason::BadEncoding, "the certificate is malformed"),
    (CertificateReason::Other, "the certificate was rejected"),
];

impl CertificateReason {
    /// The reason in plain English.
    pub fn text(self) -> &'static str {
        REASON_TEXTS
            .iter()
            .find(|(r, _)| *r == self)
            .map(|(_, t)| *t)
            .unwrap_or("the certificate was rejected")
    }
}

/// The reason for a rustls certificate error (`self_signed`: the presented
/// certificate's issuer is its subject).
pub fn certificate_reason(e: &CertificateError, self_signed: bool) -> CertificateReason {
    match e {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            CertificateReason::Expired
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            CertificateReason::NotYetValid
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            CertificateReason::WrongName
        }
        CertificateError::Revoked => CertificateReason::Revoked,
        // A self-signed certificate fails as UnknownIssuer, or as
        // CaUsedAsEndEntity when it carries CA:TRUE (as `openssl req -x509` makes).
        _ if self_signed => CertificateReason::SelfSigned,
        CertificateError::UnknownIssuer => CertificateReason::UnknownIssuer,
        CertificateError::BadSignature => CertificateReason::BadSignature,
        CertificateError::BadEncoding => CertificateReason::BadEncoding,
        _ => CertificateReason::Other,
    }
}

/// The presented certificate, as the report shows it.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateInfo {
    /// The subject distinguished name.
    pub subject: String,
    /// The issuer distinguished name.
    pub issuer: String,
    /// The subject alternative names (DNS names and IP addresses).
    pub san: Vec<String>,
    /// Valid from (ISO 8601, UTC: `2026-12-06 06:12 UTC`).
    pub not_before: String,
    /// Valid until (ISO 8601, UTC).
    pub not_after: String,
    /// Whether the certificate is valid for the host name asked for.
    pub name_matches: bool,
    /// Whether the issuer is the subject.
    pub self_signed: bool,
    /// How many certificates the server sent (leaf and intermediates).
    pub chain_length: usize,
}

/// What the TLS step saw.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsDetail {
    /// The server name sent (SNI), or the IP address checked.
    pub server_name: String,
    /// The protocol version negotiated (`TLSv1_3`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// The cipher suite negotiated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cipher: Option<String>,
    /// The application protocol negotiated (ALPN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpn: Option<String>,
    /// The certificate presented.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateInfo>,
    /// Why the certificate was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<CertificateReason>,
    /// The TLS alert received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// The error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A TLS stream after a successful handshake.
pub type TlsStream = StreamOwned<ClientConnection, TcpStream>;

/// The trust anchors: the Mozilla root store plus the PEM certificates in `cacert`.
pub fn roots(cacert: Option<&Path>) -> Result<RootCertStore, CliError> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = cacert {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|e| CliError::Read {
                path: path.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
            })?
            .filter_map(Result::ok)
            .collect();
        let (added, _) = roots.add_parsable_certificates(certs);
        if added == 0 {
            return Err(CliError::NoCertificate(path.to_owned()));
        }
    }
    Ok(roots)
}

/// The server's certificates, as presented.
type Seen = Arc<Mutex<Vec<CertificateDer<'static>>>>;

/// rustls's WebPKI verifier, recording what it was shown.
#[derive(Debug)]
struct Recording {
    inner: Arc<WebPkiServerVerifier>,
    seen: Seen,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.clear();
            seen.push(end_entity.clone().into_owned());
            seen.extend(intermediates.iter().map(|c| c.clone().into_owned()));
        }
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Formats a certificate time as ISO 8601 in UTC (`2026-12-06 06:12 UTC`): the
/// same in every language, with no English weekday or month name in it.
fn iso_date(t: x509_parser::time::ASN1Time) -> String {
    let d = t.to_datetime();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        d.year(),
        u8::from(d.month()),
        d.day(),
        d.hour(),
        d.minute()
    )
}

/// Reads the facts of the leaf certificate `der` for `name`.
fn describe(chain: &[CertificateDer<'static>], name: &ServerName<'_>) -> Option<CertificateInfo> {
    let der = chain.first()?;
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
    let san = cert
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|ext| {
            ext.value
                .general_names
                .iter()
                .filter_map(|g| match g {
                    x509_parser::extensions::GeneralName::DNSName(d) => Some((*d).to_owned()),
                    x509_parser::extensions::GeneralName::IPAddress(b) => ip_from_bytes(b),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let name_matches = rustls::server::ParsedCertificate::try_from(der)
        .ok()
        .is_some_and(|p| rustls::client::verify_server_name(&p, name).is_ok());
    Some(CertificateInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        san,
        not_before: iso_date(cert.validity().not_before),
        not_after: iso_date(cert.validity().not_after),
        name_matches,
        self_signed: cert.subject() == cert.issuer(),
        chain_length: chain.len(),
    })
}

fn ip_from_bytes(b: &[u8]) -> Option<String> {
    if let Ok(a) = <[u8; 4]>::try_from(b) {
        return Some(std::net::Ipv4Addr::from(a).to_string());
    }
    <[u8; 16]>::try_from(b)
        .ok()
        .map(|a| std::net::Ipv6Addr::from(a).to_string())
}

/// Performs the handshake with `host` over `tcp` within `timeout`.
pub fn handshake(
    tcp: TcpStream,
    host: &str,
    roots: RootCertStore,
    timeout: Duration,
) -> Result<(TlsStream, TlsDetail), Failure> {
    let mut detail = TlsDetail {
        server_name: host.to_owned(),
        ..TlsDetail::default()
    };
    let fail = |outcome, message: String, mut detail: TlsDetail| {
        detail.error = Some(message.clone());
        Failure {
            outcome,
            message,
            detail: Box::new(Detail::Tls(detail)),
        }
    };
    let name = match ServerName::try_from(host.to_owned()) {
        Ok(n) => n,
        Err(e) => {
            return Err(fail(
                Outcome::TlsOther,
                format!("invalid server name: {e}"),
                detail,
            ))
        }
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let inner =
        match WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
            .build()
        {
            Ok(v) => v,
            Err(e) => return Err(fail(Outcome::TlsOther, e.to_string(), detail)),
        };
    let seen: Seen = Arc::default();
    let verifier = Recording {
        inner,
        seen: Arc::clone(&seen),
    };
    let config = ClientConfig::builder_with_provider(Arc::clone(&provider) as Arc<CryptoProvider>)
        .with_safe_default_protocol_versions()
        .map(|b| {
            b.dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
                .with_no_client_auth()
        });
    let mut config = match config {
        Ok(c) => c,
        Err(e) => return Err(fail(Outcome::TlsOther, e.to_string(), detail)),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let mut conn = match ClientConnection::new(Arc::new(config), name.clone()) {
        Ok(c) => c,
        Err(e) => return Err(fail(Outcome::TlsOther, e.to_string(), detail)),
    };
    let mut tcp = tcp;
    let deadline = Instant::now() + timeout;
    let result = loop {
        if !conn.is_handshaking() {
            break Ok(());
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break Err((
                Outcome::Timeout,
                format!("no handshake within {} s", timeout.as_secs_f64()),
            ));
        }
        let _ = tcp.set_read_timeout(Some(left));
        let _ = tcp.set_write_timeout(Some(left));
        match conn.complete_io(&mut tcp) {
            Ok((0, 0)) if conn.is_handshaking() => {
                break Err((
                    Outcome::ClosedBeforeFirstByte,
                    "the server closed the connection during the handshake".into(),
                ))
            }
            Ok(_) => {}
            Err(e) => break Err(classify_io(&e, &mut detail, &seen, &name)),
        }
    };
    detail.certificate = seen.lock().ok().and_then(|c| describe(&c, &name));
    if let Err((outcome, message)) = result {
        return Err(fail(outcome, message, detail));
    }
    detail.protocol = conn.protocol_version().map(|v| format!("{v:?}"));
    detail.cipher = conn
        .negotiated_cipher_suite()
        .map(|s| format!("{:?}", s.suite()));
    detail.alpn = conn
        .alpn_protocol()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    Ok((StreamOwned::new(conn, tcp), detail))
}

/// The step outcome of a handshake I/O error (rustls errors travel inside
/// `io::Error`s of kind `InvalidData`).
fn classify_io(
    e: &std::io::Error,
    detail: &mut TlsDetail,
    seen: &Seen,
    name: &ServerName<'_>,
) -> (Outcome, String) {
    let Some(tls) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) else {
        return (Outcome::Io(e.kind()), e.to_string());
    };
    match tls {
        rustls::Error::InvalidCertificate(ce) => {
            let self_signed = seen
                .lock()
                .ok()
                .and_then(|c| describe(&c, name))
                .is_some_and(|c| c.self_signed);
            let reason = certificate_reason(ce, self_signed);
            detail.reason = Some(reason);
            (Outcome::TlsCertificate, format!("{}: {tls}", reason.text()))
        }
        rustls::Error::AlertReceived(alert) => {
            detail.alert = Some(format!("{alert:?} ({})", u8::from(*alert)));
            (Outcome::TlsAlert, tls.to_string())
        }
        other => (Outcome::TlsOther, other.to_string()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_a_text_and_self_signed_wins_over_issuer_errors() {
        for (r, t) in REASON_TEXTS {
            assert_eq!(r.text(), *t);
        }
        let ca_as_leaf = CertificateError::Other(rustls::OtherError(Arc::new(
            std::io::Error::other("CaUsedAsEndEntity"),
        )));
        assert_eq!(
            certificate_reason(&ca_as_leaf, true),
            CertificateReason::SelfSigned
        );
        assert_eq!(
            certificate_reason(&ca_as_leaf, false),
            CertificateReason::Other
        );
        assert_eq!(
            certificate_reason(&CertificateError::Expired, true),
            CertificateReason::Expired
        );
        assert_eq!(
            certificate_reason(&CertificateError::UnknownIssuer, false),
            CertificateReason::UnknownIssuer
        );
        assert_eq!(
            certificate_reason(&CertificateError::NotValidForName, true),
            CertificateReason::WrongName
        );
    }
}
