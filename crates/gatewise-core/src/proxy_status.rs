//! RFC 9209 `Proxy-Status`: the entries intermediaries append, parsed from
//! and serialized to RFC 8941 structured fields.

use serde::{Deserialize, Serialize};

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

/// Parses a `Proxy-Status` field value (an RFC 8941 list) into entries, origin side first.
///
/// STUB: filled by the fingerprint work.
pub fn parse(value: &str) -> Result<Vec<ProxyStatusEntry>, ProxyStatusError> {
    let _ = value;
    Ok(Vec::new())
}

/// Serializes entries as a `Proxy-Status` field value.
///
/// STUB: filled by the fingerprint work.
pub fn serialize(entries: &[ProxyStatusEntry]) -> String {
    let _ = entries;
    String::new()
}

/// The `Proxy-Status` value a gateway named `proxy` sends for `d`: the
/// upstream chain of `d` followed by this gateway's own entry.
///
/// STUB: filled by the fingerprint work.
pub fn header_value(d: &crate::Diagnosis, proxy: &str) -> String {
    let _ = (d, proxy);
    String::new()
}
