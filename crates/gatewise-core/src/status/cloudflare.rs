//! Cloudflare's `1xxx` error codes. They appear in the body of a response
//! whose status is 403, 409, 429, 503 or 530 ("Error 1016", "error code:
//! 1020"); the status alone cannot tell them apart (Cloudflare exposes the
//! code to rules as `cf.response.1xxx_code`).
//!
//! Each row: the code, Cloudflare's title, the HTTP status it comes with
//! (only where Cloudflare documents it or a captured response shows it), a
//! category, the RFC 9209 error type where one fits, whether a retry can
//! help, and the source. The meaning and the likely cause, for people, are in
//! the catalog under `vendor.cloudflare.<code>.{meaning,cause}`.
//!
//! # Example
//! ```
//! use gatewise_core::status::{cloudflare_code, CloudflareCategory};
//! use gatewise_core::{ErrorType, Lang};
//! let e = cloudflare_code(1016).unwrap();
//! assert_eq!(e.title, "Origin DNS error");
//! assert_eq!(e.status, Some(530));
//! assert_eq!(e.error_type, Some(ErrorType::DnsError));
//! assert_eq!(e.category, CloudflareCategory::Dns);
//! assert!(!e.meaning(Lang::EN).is_empty());
//! assert!(cloudflare_code(1017).is_none());
//! ```

use crate::hop::named_enum;
use crate::i18n::{self, Lang};
use crate::taxonomy::ErrorType;

use serde::{Deserialize, Serialize};

named_enum! {
    /// What kind of problem a Cloudflare 1xxx error reports, which says who can fix it.
    CloudflareCategory {
        /// Cloudflare could not resolve, or may not use, the origin's DNS records (the site owner fixes it).
        Dns = "dns",
        /// A security setting of the site blocked the visitor on purpose (only the site owner can lift it).
        Blocked = "blocked",
        /// A rate limit of the site or of Workers was hit (waiting helps).
        RateLimited = "rate_limited",
        /// The site's Cloudflare configuration (rules, rewrites, hostnames) is wrong.
        Configuration = "configuration",
        /// A Cloudflare Worker failed or hit a limit (the Worker's developer fixes it).
        Workers = "workers",
        /// A Cloudflare Tunnel (cloudflared) is not connected.
        Tunnel = "tunnel",
        /// Cloudflare's platform or the account (propagation, support, account settings).
        Platform = "platform",
    }
}

/// One Cloudflare 1xxx error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CloudflareError {
    /// The code, e.g. 1016.
    pub code: u16,
    /// Cloudflare's title for it, as shown on its error page or in its documentation.
    pub title: &'static str,
    /// The HTTP status it comes with, where documented or captured; `None` where neither confirms one.
    pub status: Option<u16>,
    /// Where the `status` value comes from (empty when `status` is `None`).
    pub status_evidence: &'static str,
    /// What kind of problem it is.
    pub category: CloudflareCategory,
    /// The RFC 9209 error type it corresponds to, where one fits.
    pub error_type: Option<ErrorType>,
    /// Other RFC 9209 types it may stand for.
    pub alternatives: &'static [ErrorType],
    /// Whether the same request may work later without anyone changing anything.
    pub retryable: bool,
    /// The code whose catalog texts this row uses (its own code, or the code it is documented with).
    pub texts: u16,
    /// Cloudflare's documentation of the code.
    pub source: &'static str,
}

impl CloudflareError {
    /// The catalog key of the one-line meaning, e.g. `vendor.cloudflare.1016.meaning`.
    pub fn meaning_key(&self) -> String {
        format!("vendor.cloudflare.{}.meaning", self.texts)
    }

    /// The catalog key of the likely-cause hint, e.g. `vendor.cloudflare.1016.cause`.
    pub fn cause_key(&self) -> String {
        format!("vendor.cloudflare.{}.cause", self.texts)
    }

    /// What the error means, in `lang` (English fallback, then the title).
    pub fn meaning(&self, lang: Lang) -> &'static str {
        i18n::message(lang, &self.meaning_key()).unwrap_or(self.title)
    }

    /// The most likely cause and where to look, in `lang` (English fallback, then empty).
    pub fn cause(&self, lang: Lang) -> &'static str {
        i18n::message(lang, &self.cause_key()).unwrap_or("")
    }
}

const WORKERS_DOC: &str = "https://developers.cloudflare.com/workers/observability/errors/#error-pages-generated-by-workers";

const PAGE_TYPES: &str = "Cloudflare Custom Errors, error page types: IP/Country block returns 403 (https://developers.cloudflare.com/rules/custom-errors/reference/error-page-types/)";

use CloudflareCategory as K;
use ErrorType as E;

#[allow(clippy::too_many_arguments)]
const fn cf(
    code: u16,
    title: &'static str,
    status: Option<u16>,
    status_evidence: &'static str,
    category: CloudflareCategory,
    error_type: Option<ErrorType>,
    retryable: bool,
    source: &'static str,
) -> CloudflareError {
    CloudflareError {
        code,
        title,
        status,
        status_evidence,
        category,
        error_type,
        alternatives: &[],
        retryable,
        texts: code,
        source,
    }
}

impl CloudflareError {
    const fn alts(mut self, alternatives: &'static [ErrorType]) -> Self {
        self.alternatives = alternatives;
        self
    }
    const fn texts_of(mut self, code: u16) -> Self {
        self.texts = code;
        self
    }
}

macro_rules! doc {
    ($code:literal) => {
        concat!("https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-1xxx-errors/error-", $code, "/")
    };
}

#[rustfmt::skip]
static ROWS: &[CloudflareError] = &[
    cf(1000, "DNS points to prohibited IP", Some(403), "captured: vercel/vercel#1462 (\"api calls to 403 with Error 1000\")", K::Dns, Some(E::DestinationIpProhibited), false, doc!("1000")),
    cf(1001, "DNS resolution error", None, "", K::Dns, Some(E::DnsError), true, doc!("1001")),
    cf(1002, "DNS points to Prohibited IP", None, "", K::Dns, Some(E::DestinationIpProhibited), false, doc!("1002")),
    cf(1003, "Access Denied: Direct IP Access Not Allowed", None, "", K::Configuration, Some(E::HttpRequestDenied), false, doc!("1003")),
    cf(1004, "Host Not Configured to Serve Web Traffic", None, "", K::Platform, Some(E::DestinationNotFound), true, doc!("1004")),
    cf(1005, "Access Denied: Autonomous System Number (ASN) banned", Some(403), PAGE_TYPES, K::Blocked, Some(E::HttpRequestDenied), false, doc!("1005")),
    cf(1006, "Access Denied: Your IP address has been banned", Some(403), PAGE_TYPES, K::Blocked, Some(E::HttpRequestDenied), false, doc!("1006")),
    cf(1007, "Access Denied: Your IP address has been banned", Some(403), PAGE_TYPES, K::Blocked, Some(E::HttpRequestDenied), false, doc!("1006")).texts_of(1006),
    cf(1008, "Access Denied: Your IP address has been banned", Some(403), PAGE_TYPES, K::Blocked, Some(E::HttpRequestDenied), false, doc!("1006")).texts_of(1006),
    cf(1009, "Access Denied: Country or region banned", Some(403), PAGE_TYPES, K::Blocked, Some(E::HttpRequestDenied), false, doc!("1009")),
    cf(1010, "The owner of this website has banned your access based on your browser's signature", None, "", K::Blocked, Some(E::HttpRequestDenied), false, doc!("1010")),
    cf(1011, "Access Denied (Hotlinking Denied)", None, "", K::Blocked, Some(E::HttpRequestDenied), false, doc!("1011")),
    cf(1012, "Access Denied", None, "", K::Blocked, Some(E::HttpRequestDenied), false, doc!("1012")),
    cf(1013, "HTTP hostname and TLS SNI hostname mismatch", None, "", K::Configuration, Some(E::HttpRequestError), false, doc!("1013")),
    cf(1014, "CNAME Cross-User Banned", None, "", K::Dns, Some(E::ProxyConfigurationError), false, doc!("1014")),
    cf(1015, "You are being rate limited", Some(429), "Cloudflare Custom Errors, error page types: rate limiting block returns 429 (https://developers.cloudflare.com/rules/custom-errors/reference/error-page-types/)", K::RateLimited, Some(E::HttpRequestDenied), true, doc!("1015")),
    cf(1016, "Origin DNS error", Some(530), "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-530/; captured: HTTP/1.1 530 with <title>Origin DNS error</title>", K::Dns, Some(E::DnsError), true, doc!("1016")),
    cf(1018, "Could not find host", Some(409), "Cloudflare docs: \"Error 1018 is returned via a HTTP 409 response code\"", K::Platform, Some(E::DestinationNotFound), true, doc!("1018")),
    cf(1019, "Compute server error", None, "", K::Workers, Some(E::ProxyLoopDetected), false, doc!("1019")),
    cf(1020, "Access denied", Some(403), "captured: HTTP/2 403 with body \"error code: 1020\" (hadoanngoc/php-bypass-cloudflare-challenge#2)", K::Blocked, Some(E::HttpRequestDenied), false, doc!("1020")),
    cf(1021, "Worker has requested a host it cannot access", None, "", K::Workers, None, false, WORKERS_DOC).alts(&[E::DestinationIpProhibited]),
    cf(1022, "Cloudflare has failed to route the request to the Worker", None, "", K::Workers, None, true, WORKERS_DOC).alts(&[E::ProxyInternalError]),
    cf(1023, "Could not find host", Some(503), "Cloudflare docs: \"Error 1023 is returned via a HTTP 503 response code\"", K::Platform, Some(E::DestinationNotFound), true, doc!("1023")),
    cf(1024, "Worker cannot make a subrequest to a Cloudflare-owned IP address", None, "", K::Workers, Some(E::DestinationIpProhibited), false, WORKERS_DOC),
    cf(1025, "Please check back later", None, "", K::Workers, None, false, doc!("1025")).alts(&[E::ProxyInternalResponse]),
    cf(1027, "Worker exceeded free tier daily request limit", None, "", K::Workers, None, false, WORKERS_DOC).alts(&[E::ProxyInternalResponse]),
    cf(1033, "Cloudflare Tunnel error", Some(530), "captured: Cloudflare problem+json {\"status\": 530, \"error_code\": 1033, \"error_name\": \"tunnel_error\"}", K::Tunnel, Some(E::DestinationUnavailable), true, doc!("1033")),
    cf(1034, "Edge IP Restricted", Some(403), "captured: curl shows HTTP 403 for error code 1034 (MortezaBashsiz/CFScanner#30)", K::Dns, Some(E::DestinationIpProhibited), false, doc!("1034")),
    cf(1035, "Invalid request rewrite (invalid URI path)", None, "", K::Configuration, Some(E::ProxyConfigurationError), false, doc!("1035")),
    cf(1036, "Invalid request rewrite (maximum length exceeded)", None, "", K::Configuration, Some(E::ProxyConfigurationError), false, doc!("1036")),
    cf(1037, "Invalid rewrite rule (failed to evaluate expression)", None, "", K::Configuration, Some(E::ProxyConfigurationError), false, doc!("1037")),
    cf(1040, "Invalid request rewrite (header modification not allowed)", None, "", K::Configuration, Some(E::ProxyConfigurationError), false, doc!("1040")),
    cf(1041, "Invalid request rewrite (invalid header value)", None, "", K::Configuration, Some(E::ProxyConfigurationError), false, doc!("1041")),
    cf(1042, "Worker tried to fetch from another Worker on the same zone", None, "", K::Workers, Some(E::ProxyConfigurationError), false, WORKERS_DOC),
    cf(1101, "Worker threw exception", None, "", K::Workers, Some(E::ProxyInternalError), false, doc!("1101")),
    cf(1102, "Worker exceeded resource limits", Some(503), "Cloudflare docs (error-1102: related Error 503 \"can be caused by Workers CPU or memory limits\"); captured: pnpm \"ERR_PNPM_FETCH_503\" on a 1102 page (xixu-me/xget#64)", K::Workers, Some(E::ProxyInternalError), true, doc!("1102")),
    cf(1103, "The owner of this worker needs to contact Cloudflare Support", None, "", K::Workers, None, false, WORKERS_DOC),
    cf(1104, "A variation of this email address is already taken in our system", None, "", K::Platform, None, false, doc!("1104")),
    cf(1106, "Access Denied: Your IP address has been banned", Some(403), PAGE_TYPES, K::Blocked, Some(E::HttpRequestDenied), false, doc!("1006")).texts_of(1006),
    cf(1200, "Cache connection limit", None, "", K::Platform, Some(E::ConnectionLimitReached), true, doc!("1200")),
];

/// Every Cloudflare 1xxx row, sorted by code.
pub fn all() -> &'static [CloudflareError] {
    ROWS
}

/// The Cloudflare 1xxx error with this code.
pub fn cloudflare_code(code: u16) -> Option<&'static CloudflareError> {
    ROWS.binary_search_by_key(&code, |r| r.code)
        .ok()
        .and_then(|i| ROWS.get(i))
}

/// Reads a Cloudflare 1xxx code out of the start of a response body: the plain-text
/// form `error code: 1020` or the HTML page's `Error 1016` heading or `<span class="cf-error-code">1016</span>`.
/// Only the first 8 KiB are searched.
///
/// ```
/// use gatewise_core::status::cloudflare;
/// assert_eq!(cloudflare::code_in_body("error code: 1020"), Some(1020));
/// assert_eq!(cloudflare::code_in_body("<h1><span class=\"cf-error-code\">1016</span></h1>"), Some(1016));
/// assert_eq!(cloudflare::code_in_body("<title>Error 1033</title>"), Some(1033));
/// assert_eq!(cloudflare::code_in_body("Error 502"), None);
/// ```
pub fn code_in_body(body: &str) -> Option<u16> {
    const LIMIT: usize = 8 * 1024;
    let mut end = body.len().min(LIMIT);
    while !body.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    let head = body.get(..end)?;
    for marker in [
        "error code: ",
        "cf-error-code\">",
        "Error ",
        "\"error_code\":",
        "error_code: ",
    ] {
        let mut rest = head;
        while let Some(at) = rest.find(marker) {
            let after = rest.get(at.saturating_add(marker.len())..).unwrap_or("");
            let digits: &str = after.trim_start().get(..4).unwrap_or("");
            let terminated = after
                .trim_start()
                .get(4..)
                .and_then(|t| t.chars().next())
                .is_none_or(|c| !c.is_ascii_digit());
            if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) && terminated {
                if let Ok(code) = digits.parse::<u16>() {
                    if (1000..2000).contains(&code) {
                        return Some(code);
                    }
                }
            }
            rest = after;
        }
    }
    None
}
