//! The status registry: every HTTP status code users meet, with sources.
//!
//! One declarative table ([`all`]) holds every code of the IANA HTTP Status
//! Code Registry (including the reserved `306 (Unused)` and `418 (Unused)`),
//! the unofficial codes people actually see (nginx 444/494–499, Cloudflare
//! 520–530, AWS ELB 460/463/464/561, 509, 529, 598, 599) and the Microsoft
//! IIS / ARR / ASP.NET Core Module sub-statuses (`502.3`, `500.30`, …). Each
//! row says what class it is, who defined it, whether it is temporary, whether
//! a client may retry, a default `Retry-After`, the RFC 9209 error type it
//! usually stands for (with the alternatives when that is ambiguous), how it
//! travels (sent, sent as another status, or only logged) and its source.
//!
//! Cloudflare's own `1xxx` error codes (shown in the body of a 403/409/429/
//! 503/530 response) are a second table: [`cloudflare`], looked up with
//! [`cloudflare_code`]. WinHTTP errors that IIS ARR reports with `502.3` are in
//! [`winhttp`].
//!
//! Texts for people (one-line meaning, and what the visitor, the site owner
//! and the developer should know) live in `catalogs/<lang>/status.toml`
//! under `status.<code>[.<sub>].{meaning,visitor,owner,developer}`.
//!
//! # Example
//! ```
//! use gatewise_core::status::{self, Permanence, StatusClass};
//! use gatewise_core::{Audience, ErrorType, Lang, Layer};
//!
//! let key = status::parse("502.3").unwrap();
//! let row = status::lookup_key(key).unwrap();
//! assert_eq!(row.reason, "Bad Gateway: Forwarder Connection Error");
//! assert_eq!(row.vendor(), Some(Layer::Iis));
//! assert!(row.alternatives.contains(&ErrorType::ConnectionTimeout));
//!
//! let too_many = status::lookup(429).unwrap();
//! assert!(too_many.retryable);
//! assert_eq!(too_many.retry_after, Some(60));
//! assert_eq!(too_many.permanence, Permanence::Temporary);
//! assert!(!too_many.explanation(Lang::EN, Audience::Visitor).is_empty());
//!
//! assert_eq!(status::reason(413), Some("Content Too Large"));
//! assert_eq!(status::lookup(524).unwrap().error_type, Some(ErrorType::HttpResponseTimeout));
//! assert_eq!(StatusClass::of(587), Some(StatusClass::ServerError));
//! assert_eq!(status::cloudflare_code(1016).unwrap().status, Some(530));
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::audience::Audience;
use crate::hop::named_enum;
use crate::i18n::{self, Lang};
use crate::layer::Layer;
use crate::taxonomy::ErrorType;

pub mod cloudflare;
pub mod rules;
mod table;
pub mod winhttp;

pub use cloudflare::{cloudflare_code, CloudflareCategory, CloudflareError};

named_enum! {
    /// The class of a status code, given by its first digit (RFC 9110 §15).
    StatusClass {
        /// 1xx: an interim response; the final one follows.
        Informational = "informational",
        /// 2xx: the request was received, understood and accepted.
        Success = "success",
        /// 3xx: the client must take another step (usually follow a link).
        Redirection = "redirection",
        /// 4xx: the request was wrong or not allowed.
        ClientError = "client_error",
        /// 5xx: the server, or a gateway on the way, failed.
        ServerError = "server_error",
    }
}

impl StatusClass {
    /// The class of any code in 100–599, known to the table or not.
    ///
    /// ```
    /// use gatewise_core::status::StatusClass;
    /// assert_eq!(StatusClass::of(299), Some(StatusClass::Success));
    /// assert_eq!(StatusClass::of(999), None);
    /// ```
    pub const fn of(code: u16) -> Option<StatusClass> {
        match code {
            100..=199 => Some(StatusClass::Informational),
            200..=299 => Some(StatusClass::Success),
            300..=399 => Some(StatusClass::Redirection),
            400..=499 => Some(StatusClass::ClientError),
            500..=599 => Some(StatusClass::ServerError),
            _ => None,
        }
    }

    /// Whether responses of this class report an error (4xx and 5xx).
    pub const fn is_error(self) -> bool {
        matches!(self, StatusClass::ClientError | StatusClass::ServerError)
    }

    /// The catalog key of the class's one-line meaning, e.g. `status.class.server_error.meaning`.
    pub fn meaning_key(self) -> String {
        format!("status.class.{}.meaning", self.name())
    }

    /// The catalog key of the class's text for `audience`.
    pub fn explanation_key(self, audience: Audience) -> String {
        format!("status.class.{}.{}", self.name(), audience.name())
    }

    /// What a status of this class means, in `lang` (used for codes the table does not know).
    pub fn meaning(self, lang: Lang) -> &'static str {
        i18n::message(lang, &self.meaning_key()).unwrap_or("")
    }

    /// What `audience` should know about a status of this class, in `lang`.
    pub fn explanation(self, lang: Lang, audience: Audience) -> &'static str {
        i18n::message(lang, &self.explanation_key(audience)).unwrap_or("")
    }
}

named_enum! {
    /// Whether the condition a status reports is expected to go away by itself.
    Permanence {
        /// It usually goes away by itself (overload, timeout, restart).
        Temporary = "temporary",
        /// It stays until someone changes the request, the content or the configuration.
        Permanent = "permanent",
        /// It can be either; the status alone does not tell.
        Unknown = "unknown",
        /// Not an error condition (1xx, 2xx and most 3xx).
        NotApplicable = "not_applicable",
    }
}

/// Who defined a status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Registered in the IANA HTTP Status Code Registry (RFC 9110 §16.2.1).
    Iana,
    /// Defined by one vendor's product, which is also the layer that emits it.
    Vendor(Layer),
    /// An informal convention with no single owner; the text names who uses it.
    Informal(&'static str),
}

impl Origin {
    /// Whether the code is in the IANA registry.
    pub const fn is_official(self) -> bool {
        matches!(self, Origin::Iana)
    }
}

/// How a status travels: sent to the client, sent as another status, or only logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wire {
    /// The client receives this status code.
    Response,
    /// The server logs this code but sends the client the given status (nginx 494–497 send 400).
    SentAs(u16),
    /// Only the server's log shows it; the client sees no status (nginx 444, 499; ALB 460).
    LogOnly,
}

/// One row of the status registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatusInfo {
    /// The three-digit status code.
    pub code: u16,
    /// The IIS sub-status (the `3` of `502.3`, the `30` of `500.30`), if this row is one.
    pub sub: Option<u16>,
    /// The reason phrase: the IANA registry's description exactly, or the vendor's own wording.
    pub reason: &'static str,
    /// Other phrases in use for the same code (older RFC wording, other products), accepted as equivalent.
    pub aliases: &'static [&'static str],
    /// The class (always the one of [`StatusInfo::code`]'s first digit).
    pub class: StatusClass,
    /// Who defined the code.
    pub origin: Origin,
    /// Whether the condition usually goes away by itself.
    pub permanence: Permanence,
    /// Whether a client may send the same request again later and expect it to work.
    pub retryable: bool,
    /// A sensible `Retry-After` in seconds when the response carries none (only for retryable rows).
    pub retry_after: Option<u32>,
    /// The RFC 9209 error type this status usually stands for, when there is one clear answer.
    pub error_type: Option<ErrorType>,
    /// The RFC 9209 error types this status may stand for when the status alone cannot tell.
    pub alternatives: &'static [ErrorType],
    /// How the status travels.
    pub wire: Wire,
    /// For rare 1xx/2xx/3xx rows: the id of the shared audience texts (`status.shared.<id>.*`).
    pub shared_texts: Option<&'static str>,
    /// Where the row comes from: an RFC section or a vendor documentation URL.
    pub source: &'static str,
}

impl StatusInfo {
    /// The key of this row (`502` or `502.3`).
    pub fn key(&self) -> StatusKey {
        StatusKey {
            code: self.code,
            sub: self.sub,
        }
    }

    /// Whether the code is in the IANA registry.
    pub fn is_official(&self) -> bool {
        self.origin.is_official()
    }

    /// The layer whose product defines the code (`None` for IANA and informal codes).
    pub fn vendor(&self) -> Option<Layer> {
        match self.origin {
            Origin::Vendor(layer) => Some(layer),
            Origin::Iana | Origin::Informal(_) => None,
        }
    }

    /// Whether `phrase` is this row's reason phrase or one of its aliases (ASCII case-insensitive).
    pub fn accepts_reason(&self, phrase: &str) -> bool {
        let phrase = phrase.trim();
        self.reason.eq_ignore_ascii_case(phrase)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(phrase))
    }

    /// The catalog prefix of this row: `status.502` or `status.502.3`.
    pub fn catalog_prefix(&self) -> String {
        match self.sub {
            Some(sub) => format!("status.{}.{}", self.code, sub),
            None => format!("status.{}", self.code),
        }
    }

    /// The catalog key of the one-line meaning, e.g. `status.502.3.meaning`.
    pub fn meaning_key(&self) -> String {
        format!("{}.meaning", self.catalog_prefix())
    }

    /// The catalog key of the text for `audience`: the row's own, or the shared one it points to.
    pub fn explanation_key(&self, audience: Audience) -> String {
        match self.shared_texts {
            Some(id) => format!("status.shared.{id}.{}", audience.name()),
            None => format!("{}.{}", self.catalog_prefix(), audience.name()),
        }
    }

    /// The one-line meaning in `lang` (English fallback, then the reason phrase).
    pub fn meaning(&self, lang: Lang) -> &'static str {
        i18n::message(lang, &self.meaning_key()).unwrap_or(self.reason)
    }

    /// What `audience` should know, in `lang` (English fallback, then the class's text).
    pub fn explanation(&self, lang: Lang, audience: Audience) -> &'static str {
        i18n::message(lang, &self.explanation_key(audience))
            .unwrap_or_else(|| self.class.explanation(lang, audience))
    }
}

/// A status code with an optional IIS sub-status: `502`, `502.3`, `500.30`.
///
/// ```
/// use gatewise_core::status::StatusKey;
/// let k: StatusKey = "500.30".parse().unwrap();
/// assert_eq!((k.code(), k.sub()), (500, Some(30)));
/// assert_eq!(k.to_string(), "500.30");
/// assert!("5023".parse::<StatusKey>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusKey {
    code: u16,
    sub: Option<u16>,
}

impl StatusKey {
    /// A key for a three-digit code (100–999); `None` otherwise.
    pub const fn new(code: u16) -> Option<StatusKey> {
        if code >= 100 && code <= 999 {
            Some(StatusKey { code, sub: None })
        } else {
            None
        }
    }

    /// A key for a code with a sub-status (0–999); `None` if either is out of range.
    pub const fn with_sub(code: u16, sub: u16) -> Option<StatusKey> {
        if code >= 100 && code <= 999 && sub <= 999 {
            Some(StatusKey {
                code,
                sub: Some(sub),
            })
        } else {
            None
        }
    }

    /// The three-digit status code.
    pub const fn code(self) -> u16 {
        self.code
    }

    /// The sub-status, if any.
    pub const fn sub(self) -> Option<u16> {
        self.sub
    }

    /// The key without its sub-status (`502.3` → `502`).
    pub const fn parent(self) -> StatusKey {
        StatusKey {
            code: self.code,
            sub: None,
        }
    }

    /// The class of the code (`None` for codes 600–999).
    pub const fn class(self) -> Option<StatusClass> {
        StatusClass::of(self.code)
    }

    /// The table row for this exact key.
    pub fn info(self) -> Option<&'static StatusInfo> {
        lookup_key(self)
    }
}

impl fmt::Display for StatusKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.sub {
            Some(sub) => write!(f, "{}.{}", self.code, sub),
            None => write!(f, "{}", self.code),
        }
    }
}

/// The error of [`parse`]: the text is not a status code like `502` or `502.3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidStatus {
    _private: (),
}

impl fmt::Display for InvalidStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a status code (expected three digits, optionally followed by .sub-status)")
    }
}

impl std::error::Error for InvalidStatus {}

fn digits(s: &str, max_len: usize) -> Option<u16> {
    if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses `"502"`, `"502.3"` or `"500.30"` (surrounding whitespace allowed).
///
/// The code must be three digits (100–999); the sub-status one to three digits
/// without a leading zero (`0` itself is allowed: IIS writes `500.0`).
///
/// ```
/// use gatewise_core::status;
/// assert_eq!(status::parse(" 524 ").unwrap().code(), 524);
/// assert_eq!(status::parse("502.3").unwrap().sub(), Some(3));
/// assert!(status::parse("502.03").is_err());
/// assert!(status::parse("99").is_err());
/// ```
pub fn parse(s: &str) -> Result<StatusKey, InvalidStatus> {
    let err = InvalidStatus { _private: () };
    let s = s.trim();
    if s.len() > 7 {
        return Err(err);
    }
    let (code_text, sub_text) = match s.split_once('.') {
        Some((c, sub)) => (c, Some(sub)),
        None => (s, None),
    };
    if code_text.len() != 3 {
        return Err(err);
    }
    let code = digits(code_text, 3).ok_or_else(|| err.clone())?;
    match sub_text {
        None => StatusKey::new(code).ok_or(err),
        Some(sub_text) => {
            if sub_text.len() > 1 && sub_text.starts_with('0') {
                return Err(err);
            }
            let sub = digits(sub_text, 3).ok_or_else(|| err.clone())?;
            StatusKey::with_sub(code, sub).ok_or(err)
        }
    }
}

impl FromStr for StatusKey {
    type Err = InvalidStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

impl Serialize for StatusKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for StatusKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Every row of the registry, sorted by code, then sub-status (a plain code before its sub-statuses).
pub fn all() -> &'static [StatusInfo] {
    table::ROWS
}

/// The row for `key` (exact match: `502.3` does not fall back to `502`).
pub fn lookup_key(key: StatusKey) -> Option<&'static StatusInfo> {
    let rows = table::ROWS;
    rows.binary_search_by(|row| (row.code, row.sub).cmp(&(key.code, key.sub)))
        .ok()
        .and_then(|i| rows.get(i))
}

/// The row for a plain status code.
pub fn lookup(code: u16) -> Option<&'static StatusInfo> {
    lookup_key(StatusKey { code, sub: None })
}

/// The row for an IIS sub-status such as `lookup_sub(502, 3)`.
pub fn lookup_sub(code: u16, sub: u16) -> Option<&'static StatusInfo> {
    lookup_key(StatusKey {
        code,
        sub: Some(sub),
    })
}

/// The sub-status rows of `code` (`502` → `502.1` … `502.7`).
pub fn subs_of(code: u16) -> impl Iterator<Item = &'static StatusInfo> {
    table::ROWS
        .iter()
        .filter(move |r| r.code == code && r.sub.is_some())
}

/// The reason phrase of a plain status code, e.g. `reason(502) == Some("Bad Gateway")`.
pub fn reason(code: u16) -> Option<&'static str> {
    lookup(code).map(|r| r.reason)
}

#[cfg(test)]
mod tests;
