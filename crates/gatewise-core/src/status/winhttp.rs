//! WinHTTP errors that IIS Application Request Routing (ARR) reports with a
//! `502.3 Bad Gateway: Forwarder Connection Error` page, e.g.
//! `Error Code 0x80072efd` (cannot connect) or `0x80072ee2` (timed out). The
//! HRESULT decides which RFC 9209 error type the ambiguous `502.3` stands for.
//!
//! # Example
//! ```
//! use gatewise_core::status::winhttp;
//! use gatewise_core::ErrorType;
//! let e = winhttp::parse("0x80072EFD").unwrap();
//! assert_eq!(e.name, "ERROR_WINHTTP_CANNOT_CONNECT");
//! assert_eq!(e.error_type, ErrorType::ConnectionRefused);
//! assert_eq!(winhttp::parse("12002").unwrap().hresult, 0x8007_2EE2);
//! ```

use crate::taxonomy::ErrorType;

/// One WinHTTP error as ARR reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WinHttpError {
    /// The HRESULT shown on the IIS error page, e.g. `0x80072EFD`.
    pub hresult: u32,
    /// The Win32 error number, e.g. 12029.
    pub code: u32,
    /// The constant's name in `winhttp.h`.
    pub name: &'static str,
    /// The RFC 9209 error type it most likely means behind ARR.
    pub error_type: ErrorType,
    /// Other types it may mean.
    pub alternatives: &'static [ErrorType],
    /// Where it is documented.
    pub source: &'static str,
}

const WINHTTP_DOC: &str = "https://learn.microsoft.com/en-us/windows/win32/winhttp/error-messages";
const ARR_DOC: &str = "https://learn.microsoft.com/en-us/iis/extensions/troubleshooting-application-request-routing/troubleshooting-502-errors-in-arr";

const fn w(
    code: u32,
    name: &'static str,
    error_type: ErrorType,
    alternatives: &'static [ErrorType],
    source: &'static str,
) -> WinHttpError {
    WinHttpError {
        hresult: 0x8007_0000 | code,
        code,
        name,
        error_type,
        alternatives,
        source,
    }
}

use ErrorType as E;

#[rustfmt::skip]
static ROWS: &[WinHttpError] = &[
    w(12002, "ERROR_WINHTTP_TIMEOUT", E::HttpResponseTimeout, &[E::ConnectionTimeout, E::ConnectionReadTimeout], ARR_DOC),
    w(12007, "ERROR_WINHTTP_NAME_NOT_RESOLVED", E::DnsError, &[], WINHTTP_DOC),
    w(12029, "ERROR_WINHTTP_CANNOT_CONNECT", E::ConnectionRefused, &[E::ConnectionTimeout], ARR_DOC),
    w(12030, "ERROR_WINHTTP_CONNECTION_ERROR", E::ConnectionTerminated, &[], WINHTTP_DOC),
    w(12152, "ERROR_WINHTTP_INVALID_SERVER_RESPONSE", E::HttpProtocolError, &[], WINHTTP_DOC),
    w(12157, "ERROR_WINHTTP_SECURE_CHANNEL_ERROR", E::TlsProtocolError, &[], WINHTTP_DOC),
    w(12175, "ERROR_WINHTTP_SECURE_FAILURE", E::TlsCertificateError, &[E::TlsProtocolError], WINHTTP_DOC),
];

/// Every known row, sorted by error number.
pub fn all() -> &'static [WinHttpError] {
    ROWS
}

/// The row for an HRESULT (`0x80072EFD`) or a plain error number (`12029`).
pub fn lookup(value: u32) -> Option<&'static WinHttpError> {
    ROWS.iter().find(|r| r.hresult == value || r.code == value)
}

/// Parses `0x80072efd` (any case) or `12029` and looks it up.
pub fn parse(text: &str) -> Option<&'static WinHttpError> {
    let text = text.trim();
    if text.len() > 10 {
        return None;
    }
    let value = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => text.parse().ok()?,
    };
    lookup(value)
}
