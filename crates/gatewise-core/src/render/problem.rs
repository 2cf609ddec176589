//! RFC 9457 `application/problem+json`.
//!
//! Members:
//! - `type`: [`TYPE_BASE`] followed by the RFC 9209 error type
//!   (`https://gatewise.dev/problems/connection_refused`), so that clients
//!   can branch on one URI per failure kind and a person can open it; when
//!   no gateway failure was named (the origin's own error passed through)
//!   it is `about:blank`, which RFC 9457 §4.2.1 reserves for "nothing more
//!   than the status code".
//! - `title`: the localized short title; `status`: the status to answer with.
//! - `detail`: the localized one-line summary. Never raw upstream text.
//! - `instance`: `urn:gatewise:request:<request id>` (percent-encoded),
//!   omitted when there is no request id.
//! - Extension members: the [`Diagnosis`] fields as serde writes them
//!   (camelCase: `errorType`, `hop`, `segment`, `layer`, `retryable`,
//!   `retryAfter`, …) except the raw upstream ones; with
//!   [`PageContext::owner_details`], `evidence`, `chain` and the upstream's own
//!   words as `upstreamDetail` (renamed: `detail` is RFC 9457's). Plus
//!   `requestId` and `advice` (the visitor advice texts).
//!
//! Built as a `serde_json` value, never by concatenating strings.
//!
//! # Example
//! ```
//! use gatewise_core::{render, Diagnosis, ErrorType, Lang, Layer};
//! let d = Diagnosis::for_type(ErrorType::DnsError, Layer::Cloudflare);
//! let mut ctx = render::PageContext::new(Lang::EN);
//! ctx.request_id = Some("abc 123".into());
//! let v: serde_json::Value = serde_json::from_str(&render::problem_json(&d, &ctx)).unwrap();
//! assert_eq!(v["type"], "https://gatewise.dev/problems/dns_error");
//! assert_eq!(v["status"], 502);
//! assert_eq!(v["instance"], "urn:gatewise:request:abc%20123");
//! assert_eq!(v["errorType"], "dns_error");
//! ```

use serde_json::{Map, Value};

use crate::render::escape::{clean, clean_opt, LONG, SHORT};
use crate::render::words::Words;
use crate::render::PageContext;
use crate::Diagnosis;

/// The base of every gatewise problem type URI; the error type's token follows.
pub const TYPE_BASE: &str = "https://gatewise.dev/problems/";

/// The `type` URI for `d`.
pub fn type_uri(d: &Diagnosis) -> String {
    match d.error_type {
        Some(t) => format!("{TYPE_BASE}{}", t.name()),
        None => "about:blank".to_owned(),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn pct_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Renders the problem document (see the module docs).
pub(crate) fn render(d: &Diagnosis, ctx: &PageContext) -> String {
    // The problem says what the visitor reads; the owner's texts are the page's.
    let w = Words::visitor(d, ctx);
    let mut m = match serde_json::to_value(d) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let upstream_detail = m.remove("detail");
    if ctx.owner_details {
        if let Some(Value::String(s)) = upstream_detail {
            m.insert("upstreamDetail".into(), Value::String(clean(&s, LONG)));
        }
    } else {
        m.remove("evidence");
        m.remove("chain");
    }
    m.insert("type".into(), Value::String(type_uri(d)));
    m.insert("title".into(), Value::String(w.title));
    m.insert("status".into(), Value::from(d.status));
    m.insert("detail".into(), Value::String(w.summary));
    if let Some(id) = clean_opt(ctx.request_id.as_deref(), SHORT) {
        m.insert(
            "instance".into(),
            Value::String(format!("urn:gatewise:request:{}", pct_encode(&id))),
        );
        m.insert("requestId".into(), Value::String(id));
    }
    m.insert(
        "advice".into(),
        Value::Array(w.visitor_advice.into_iter().map(Value::String).collect()),
    );
    serde_json::to_string(&Value::Object(m)).unwrap_or_else(|_| String::from("{}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pct_encoding_keeps_unreserved_only() {
        assert_eq!(pct_encode("a-Z_0.9~"), "a-Z_0.9~");
        assert_eq!(pct_encode("a b/é"), "a%20b%2F%C3%A9");
    }
}
