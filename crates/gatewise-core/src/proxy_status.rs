//! RFC 9209 `Proxy-Status`: the entries intermediaries append, parsed from
//! and serialized to RFC 8941/9651 structured fields (with the `sfv` crate).
//!
//! The field is a List; each member names one intermediary (an sf-token or
//! an sf-string) and carries parameters. The first member is the
//! intermediary closest to the origin, the last the one closest to the
//! client (RFC 9209 §2), and [`parse`] keeps that order.
//!
//! Bounds (inputs are hostile):
//! - a field value longer than [`MAX_FIELD_LEN`] bytes is refused;
//! - a list with more than [`MAX_MEMBERS`] members keeps only the **last**
//!   [`MAX_MEMBERS`]: those were appended by the intermediaries nearest to
//!   us, which are the most trustworthy; an origin that stuffs the list
//!   cannot push them out;
//! - every text value is cut to [`MAX_TEXT_LEN`] characters.
//!
//! # Example
//! ```
//! use gatewise_core::proxy_status::{parse, serialize};
//! let entries = parse("ExampleCDN, CacheA; error=http_response_timeout").unwrap();
//! assert_eq!(entries.len(), 2);
//! assert_eq!(entries[0].proxy, "ExampleCDN");
//! assert_eq!(entries[1].error.as_deref(), Some("http_response_timeout"));
//! assert_eq!(serialize(&entries), "ExampleCDN, CacheA;error=http_response_timeout");
//! ```

use serde::{Deserialize, Serialize};
use sfv::{BareItem, Item, Key, ListEntry, ListSerializer, Parser};

/// The longest field value [`parse`] accepts, in bytes.
pub const MAX_FIELD_LEN: usize = 16 * 1024;
/// The most members [`parse`] keeps (the last ones).
pub const MAX_MEMBERS: usize = 64;
/// The longest text value kept for a name or parameter, in characters.
pub const MAX_TEXT_LEN: usize = 1024;

/// One member of a `Proxy-Status` list: an intermediary and what it saw.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProxyStatusEntry {
    /// The intermediary's name (a token or string in the list).
    pub proxy: String,
    /// The `error` parameter: an RFC 9209 type token (kept as text: unknown types are allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The `next-hop` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_hop: Option<String>,
    /// The `next-protocol` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_protocol: Option<String>,
    /// The `received-status` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_status: Option<u16>,
    /// The `details` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Any other parameters (`rcode`, `info-code`, `alert-id`, …), as text, in order.
    ///
    /// Strings and tokens are kept as their plain text; every other bare
    /// item (integer, decimal, boolean, byte sequence, date) in its
    /// structured-field form (`12`, `1.5`, `?1`, `:AQI=:`, `@1659578233`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<(String, String)>,
}

/// Why a `Proxy-Status` field value could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyStatusError(pub(crate) String);

impl std::fmt::Display for ProxyStatusError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid Proxy-Status: {}", self.0)
    }
}

impl std::error::Error for ProxyStatusError {}

/// Parameters RFC 9209 defines as sf-string: always serialized as strings.
const STRING_PARAMS: &[&str] = &[
    "rcode",
    "alert-message",
    "header-name",
    "trailer-name",
    "status-phrase",
];

fn cut(s: &str) -> String {
    s.chars().take(MAX_TEXT_LEN).collect()
}

/// The text of a bare item: plain for strings and tokens, SF form for the rest.
fn bare_text(item: &BareItem) -> String {
    match item {
        BareItem::String(s) => cut(s.as_str()),
        BareItem::Token(t) => cut(t.as_str()),
        BareItem::DisplayString(s) => cut(s),
        other => {
            let mut ser = ListSerializer::new();
            ser.bare_item(other);
            cut(&ser.finish().unwrap_or_default())
        }
    }
}

fn entry_from_item(item: &Item) -> Result<ProxyStatusEntry, ProxyStatusError> {
    let proxy = match &item.bare_item {
        BareItem::Token(t) => cut(t.as_str()),
        BareItem::String(s) => cut(s.as_str()),
        _ => {
            return Err(ProxyStatusError(
                "a member is neither a token nor a string".to_owned(),
            ))
        }
    };
    let mut entry = ProxyStatusEntry {
        proxy,
        ..ProxyStatusEntry::default()
    };
    for (key, value) in &item.params {
        let text = bare_text(value);
        match key.as_str() {
            "error" => entry.error = Some(text),
            "next-hop" => entry.next_hop = Some(text),
            "next-protocol" => entry.next_protocol = Some(text),
            "details" => entry.details = Some(text),
            "received-status" => match value.as_integer().map(i64::from) {
                Some(n) if (100..=999).contains(&n) => {
                    entry.received_status = u16::try_from(n).ok();
                }
                _ => {
                    return Err(ProxyStatusError(
                        "received-status is not a status code".to_owned(),
                    ))
                }
            },
            other => entry.params.push((other.to_owned(), text)),
        }
    }
    Ok(entry)
}

/// Parses a `Proxy-Status` field value (an RFC 8941 list) into entries, origin side first.
///
/// Errors on syntax errors, on inner lists and non-token/non-string
/// members, on a `received-status` that is not an integer in 100..=999,
/// and on values longer than [`MAX_FIELD_LEN`]. An empty value is an
/// empty list.
pub fn parse(value: &str) -> Result<Vec<ProxyStatusEntry>, ProxyStatusError> {
    if value.len() > MAX_FIELD_LEN {
        return Err(ProxyStatusError(format!(
            "longer than {MAX_FIELD_LEN} bytes"
        )));
    }
    let list: sfv::List = Parser::new(value)
        .parse_list()
        .map_err(|e| ProxyStatusError(e.to_string()))?;
    let skip = list.len().saturating_sub(MAX_MEMBERS);
    list.iter()
        .skip(skip)
        .map(|member| match member {
            ListEntry::Item(item) => entry_from_item(item),
            ListEntry::InnerList(_) => {
                Err(ProxyStatusError("a member is an inner list".to_owned()))
            }
        })
        .collect()
}

/// `s` as it can be written: its first [`MAX_TEXT_LEN`] characters (as
/// [`parse`] keeps them), printable ASCII kept, anything else `?`.
fn printable(s: &str) -> String {
    s.chars()
        .take(MAX_TEXT_LEN)
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .collect()
}

/// `s` as an sf-string (see [`printable`]).
fn sf_string(s: &str) -> BareItem {
    match sfv::String::from_string(printable(s)) {
        Ok(v) => BareItem::String(v),
        Err(_) => BareItem::String(sfv::String::default()),
    }
}

/// `s` (see [`printable`]) as an sf-token when it is a valid token, else as an sf-string.
fn token_or_string(s: &str) -> BareItem {
    let text = printable(s);
    match sfv::Token::from_string(text) {
        Ok(t) => BareItem::Token(t),
        Err((_, text)) => sf_string(&text),
    }
}

/// A stored parameter text (see [`printable`]) back as a bare item: a text
/// that is the exact form [`parse`] stores an integer, decimal, boolean,
/// byte sequence or date in (`12`, `1.5`, `?1`, `:AQI=:`, `@1659578233`)
/// becomes that item again, a valid token stays a token, anything else
/// becomes a string (so `012`, `1.50` or `"x"`, which only a string can have
/// carried, stay strings and parse back to the same text). The decision is
/// made on the text as written, so that what is written reads back the
/// same and is written again the same.
fn stored_value(name: &str, text: &str) -> BareItem {
    let text = printable(text);
    if STRING_PARAMS.contains(&name) {
        return sf_string(&text);
    }
    match Parser::new(&text).parse_item::<Item>() {
        Ok(item) if item.params.is_empty() && bare_text(&item.bare_item) == text => item.bare_item,
        _ => sf_string(&text),
    }
}

/// Serializes entries as a `Proxy-Status` field value (empty for no entries).
///
/// Names are sf-tokens when they are valid tokens and sf-strings
/// otherwise; `error` is a token (a string if it is not a valid token);
/// `next-hop` and `next-protocol` tokens where valid, `received-status` an
/// integer (only a status code, 100–999, as [`parse`] requires), `details` a string; other parameters as described on
/// [`ProxyStatusEntry::params`]. Parameters whose names are not valid keys
/// are dropped. Non-printable or non-ASCII characters in strings become `?`.
///
/// The value always parses back with [`parse`]: it holds the **last**
/// entries (those nearest to the client, as [`parse`] keeps them) that fit
/// within [`MAX_MEMBERS`] members and [`MAX_FIELD_LEN`] bytes; earlier ones
/// are dropped.
pub fn serialize(entries: &[ProxyStatusEntry]) -> String {
    let mut members: Vec<String> = Vec::new();
    let mut len = 0usize;
    for entry in entries.iter().rev().take(MAX_MEMBERS) {
        // A member that cannot fit ends the list, as one that does not fit would.
        let Some(member) = serialize_member(entry) else {
            break;
        };
        let added = if members.is_empty() { 0 } else { 2 };
        let total = len.saturating_add(member.len()).saturating_add(added);
        if total > MAX_FIELD_LEN {
            break;
        }
        len = total;
        members.push(member);
    }
    members.reverse();
    members.join(", ")
}

/// One entry as a list member (what a one-member list serializes to), or
/// `None` when its parameters alone need more than [`MAX_FIELD_LEN`] bytes:
/// it could not be sent. (Found reviewing issue 8: an entry with 10,000
/// parameters was serialized whole, its duplicate check quadratic, only to
/// be dropped.)
fn serialize_member(entry: &ProxyStatusEntry) -> Option<String> {
    let mut params: Vec<(Key, BareItem)> = Vec::new();
    let mut names = std::collections::HashSet::new();
    let mut push = |params: &mut Vec<(Key, BareItem)>, name: &str, value: BareItem| {
        if let Ok(key) = Key::from_string(name.to_owned()) {
            if names.insert(name.to_owned()) {
                params.push((key, value));
            }
        }
    };
    if let Some(e) = &entry.error {
        push(&mut params, "error", token_or_string(e));
    }
    if let Some(h) = &entry.next_hop {
        push(&mut params, "next-hop", token_or_string(h));
    }
    if let Some(p) = &entry.next_protocol {
        push(
            &mut params,
            "next-protocol",
            stored_value("next-protocol", p),
        );
    }
    if let Some(s) = entry.received_status.filter(|s| (100..=999).contains(s)) {
        push(
            &mut params,
            "received-status",
            BareItem::Integer(sfv::Integer::from(s)),
        );
    }
    if let Some(d) = &entry.details {
        push(&mut params, "details", sf_string(d));
    }
    // What the parameters take at least: `;name`, and `=` plus the text (as [`printable`]
    // keeps it) unless it is a true boolean (`?1`, written as the bare name).
    let mut at_least = 0usize;
    let mut counted = std::collections::HashSet::new();
    for (name, value) in &entry.params {
        if !counted.insert(name.as_str()) {
            continue; // a repeated name is written once
        }
        let text = if value == "?1" {
            0
        } else {
            value.chars().take(MAX_TEXT_LEN).count().saturating_add(1)
        };
        at_least = at_least.saturating_add(name.len().saturating_add(1).saturating_add(text));
        if at_least > MAX_FIELD_LEN {
            return None;
        }
        push(&mut params, name, stored_value(name, value));
    }
    let mut ser = ListSerializer::new();
    ser.bare_item(&token_or_string(&entry.proxy))
        .parameters(params.iter().map(|(k, v)| (k, v)));
    Some(ser.finish().unwrap_or_default())
}

/// The `Proxy-Status` value a gateway named `proxy` sends for `d`: the
/// upstream chain of `d` followed by this gateway's own entry.
///
/// The own entry carries `error=<type>` when `d` names a failure type and
/// `received-status` when a response was received. It never carries
/// `details`: [`crate::Diagnosis::detail`] is raw upstream text meant for
/// the site owner only, so it stays out of a header every client sees. The
/// upstream entries are forwarded as they came (RFC 9209 asks
/// intermediaries to preserve them), at most [`MAX_MEMBERS`]` - 1` of them
/// (the last ones).
pub fn header_value(d: &crate::Diagnosis, proxy: &str) -> String {
    header_value_of(&d.chain, d.error_type, d.received_status, proxy)
}

/// [`header_value`] from the only members of a diagnosis it reads: the
/// upstream `chain`, the failure type and the received status (for callers
/// that hold these without a whole [`crate::Diagnosis`], such as a binding
/// that should not convert the rest).
pub fn header_value_of(
    chain: &[ProxyStatusEntry],
    error_type: Option<crate::ErrorType>,
    received_status: Option<u16>,
    proxy: &str,
) -> String {
    let skip = chain.len().saturating_sub(MAX_MEMBERS.saturating_sub(1));
    let mut entries: Vec<ProxyStatusEntry> = chain.iter().skip(skip).cloned().collect();
    entries.push(ProxyStatusEntry {
        proxy: proxy.to_owned(),
        error: error_type.map(|t| t.name().to_owned()),
        received_status,
        ..ProxyStatusEntry::default()
    });
    serialize(&entries)
}
