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
//!   what an API client or an agent decides on: `retryable` and, for a
//!   temporary failure, `retryAfter` (seconds); `ownerActionRequired`
//!   ([`owner_action_required`]: retrying will not help, someone running
//!   the site has to act); `failure` (the localized sentence saying which
//!   link of the path failed, at which step); and `requestId`. No visitor
//!   advice: a program does not reload pages.
//!
//! Bounded like the other renderers, owner details or not (a diagnosis may
//! come from a caller, e.g. the npm package's `problemDetails`): at most
//! [`MAX_ITEMS`] pieces of `evidence` (the first: they are in the order they
//! were used), `chain` entries (the **last**: those of the intermediaries
//! nearest to us, as [`crate::proxy_status`] keeps them), `alternatives` and
//! `params` per chain entry; every string [`clean`]ed to [`SHORT`]
//! characters, evidence facts, chain `details` and `upstreamDetail` to
//! [`LONG`].
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
//! assert_eq!(v["retryable"], true);
//! assert_eq!(v["ownerActionRequired"], false);
//! assert!(v.get("advice").is_none());
//! ```

use serde_json::{Map, Value};

use crate::diagnosis::Evidence;
use crate::proxy_status::ProxyStatusEntry;
use crate::render::escape::{clean, clean_opt, LONG, MAX_ITEMS, SHORT};
use crate::render::svg::failure_sentence;
use crate::render::words::Words;
use crate::render::PageContext;
use crate::{Diagnosis, Segment};

/// The base of every gatewise problem type URI; the error type's token follows.
pub const TYPE_BASE: &str = "https://gatewise.dev/problems/";

/// The `type` URI for `d`.
pub fn type_uri(d: &Diagnosis) -> String {
    match d.error_type {
        Some(t) => format!("{TYPE_BASE}{}", t.name()),
        None => "about:blank".to_owned(),
    }
}

/// Whether retrying cannot help and someone running the site has to act:
/// a failure that is not temporary, on the site's side of the path.
pub fn owner_action_required(d: &Diagnosis) -> bool {
    !d.retryable && d.segment != Segment::Client
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

/// A chain entry with its strings cleaned and at most [`MAX_ITEMS`] params.
fn bounded_entry(e: &ProxyStatusEntry) -> ProxyStatusEntry {
    let short = |s: &Option<String>| s.as_deref().map(|s| clean(s, SHORT));
    ProxyStatusEntry {
        proxy: clean(&e.proxy, SHORT),
        error: short(&e.error),
        next_hop: short(&e.next_hop),
        next_protocol: short(&e.next_protocol),
        received_status: e.received_status,
        details: e.details.as_deref().map(|s| clean(s, LONG)),
        params: e
            .params
            .iter()
            .take(MAX_ITEMS)
            .map(|(k, v)| (clean(k, SHORT), clean(v, SHORT)))
            .collect(),
    }
}

/// What of `d` the document shows (see the module docs for the bounds):
/// built field by field, so that nothing unbounded is copied first.
fn bounded(d: &Diagnosis, owner: bool) -> Diagnosis {
    let (evidence, chain, detail) = if owner {
        let skip = d.chain.len().saturating_sub(MAX_ITEMS);
        (
            d.evidence
                .iter()
                .take(MAX_ITEMS)
                .map(|e| Evidence {
                    source: e.source,
                    fact: clean(&e.fact, LONG),
                    rule: e.rule.as_deref().map(|r| clean(r, SHORT)),
                })
                .collect(),
            d.chain.iter().skip(skip).map(bounded_entry).collect(),
            d.detail.as_deref().map(|s| clean(s, LONG)),
        )
    } else {
        (Vec::new(), Vec::new(), None)
    };
    Diagnosis {
        error_type: d.error_type,
        hop: d.hop,
        segment: d.segment,
        layer: d.layer,
        received_status: d.received_status,
        sub_status: d.sub_status,
        vendor_code: clean_opt(d.vendor_code.as_deref(), SHORT),
        status: d.status,
        retryable: d.retryable,
        reached: d.reached,
        retry_after: d.retry_after,
        confidence: d.confidence,
        alternatives: d.alternatives.iter().take(MAX_ITEMS).copied().collect(),
        evidence,
        detail,
        chain,
    }
}

/// Renders the problem document (see the module docs).
pub(crate) fn render(d: &Diagnosis, ctx: &PageContext) -> String {
    // The problem says what the visitor reads; the owner's texts are the page's.
    let w = Words::visitor(d, ctx);
    let shown = bounded(d, ctx.owner_details);
    let mut m = match serde_json::to_value(&shown) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    if let Some(Value::String(s)) = m.remove("detail") {
        m.insert("upstreamDetail".into(), Value::String(s));
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
        "ownerActionRequired".into(),
        Value::Bool(owner_action_required(d)),
    );
    m.insert(
        "failure".into(),
        Value::String(failure_sentence(d, ctx.lang)),
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
