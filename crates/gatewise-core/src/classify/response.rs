//! Classifying responses, with the fingerprints of the layer that wrote them.
//!
//! [`response`] reduces the response to a bounded [`Observed`] view, scores
//! every row of [`crate::fingerprint::FINGERPRINTS`] and builds a
//! [`Diagnosis`]:
//!
//! 1. The best **generator** row names the layer that wrote the response.
//!    Its captured vendor code, looked up in
//!    [`crate::fingerprint::VENDOR_CODE_ROWS`], refines the failure type; else
//!    the row's own outcome applies.
//! 2. With no generator row, a matching **on-path** row (a `Server`,
//!    `Via` or request-id header) means the response was written behind
//!    that layer and passed through: the layer is
//!    [`Layer::OriginApp`] and no gateway failure is named.
//! 3. With no row at all, the layer is [`Layer::Unknown`], low confidence.
//! 4. An upstream `Proxy-Status` header becomes the diagnosis' `chain`;
//!    when one of its entries names a registered error type (the one
//!    nearest the origin wins), that type is preferred, with high
//!    confidence. Its field lines (among the first
//!    [`fingerprint::MAX_HEADERS`] headers) are combined in order (RFC 9110
//!    §5.3) and read whole up to [`proxy_status::MAX_FIELD_LEN`], not cut
//!    at [`fingerprint::MAX_HEADER_VALUE`]: a list cut short would lose the
//!    entries the nearest intermediaries appended, which
//!    [`proxy_status::parse`] keeps when a list is too long.
//! 5. A response below 400 is never a failure (`error_type` is `None`).
//!
//! The status to send is the failure type's recommended status
//! ([`ErrorType::status`]), except that a received 4xx is kept (a CDN's
//! 429 rate limit stays 429), and so is the received status of a type
//! RFC 9209 recommends none for (`proxy_internal_response`: a maintenance
//! page stays 503); without a failure type it is the received status.
//!
//! # Example
//! ```
//! use gatewise_core::classify::{response, ResponseView};
//! use gatewise_core::{ErrorType, Layer};
//! let d = response(&ResponseView {
//!     status: 502,
//!     headers: &[("Server", "squid/5.7"), ("X-Squid-Error", "ERR_CONNECT_FAIL 111")],
//!     body: b"<html>...</html>",
//! });
//! assert_eq!(d.layer, Layer::Squid);
//! assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
//! assert_eq!(d.vendor_code.as_deref(), Some("ERR_CONNECT_FAIL"));
//! assert_eq!(d.status, 502);
//! ```

use crate::diagnosis::{Confidence, Evidence, EvidenceSource};
use crate::fingerprint::{self, CodeSource, Match, Observed, Role};
use crate::hop::Segment;
use crate::policy::retry_after;
use crate::proxy_status::{self, ProxyStatusEntry};
use crate::{Diagnosis, ErrorType, Layer};

/// A response as seen by a client: status, headers (any case, in order) and
/// the first bytes of the body (only a bounded prefix is ever read).
#[derive(Debug, Clone, Copy)]
pub struct ResponseView<'a> {
    /// The status code.
    pub status: u16,
    /// Header names and values.
    pub headers: &'a [(&'a str, &'a str)],
    /// The start of the body (a prefix is enough).
    pub body: &'a [u8],
}

/// The longest `Retry-After` delta accepted, in seconds (one day).
const MAX_RETRY_AFTER: u32 = 86_400;

/// The status a gateway should answer with for failure `t` after receiving `received`.
fn status_to_send(t: Option<ErrorType>, received: u16) -> u16 {
    match t {
        Some(_) if (400..500).contains(&received) => received,
        Some(t) if t.info().recommended_status.is_none() => received,
        Some(t) => t.status(),
        None => received,
    }
}

/// `Retry-After` in delta-seconds form, parsed by the policy's parser (an
/// HTTP-date needs the current time, which this pure function does not have:
/// callers with a clock use [`crate::policy::retry_after::parse`] on the header).
fn retry_after(seen: &Observed) -> Option<u32> {
    let v = seen.header("retry-after").next()?;
    // `now` is irrelevant for the delta form, which is all that is kept here.
    retry_after::parse_detailed(v, 0)
        .ok()
        .filter(|r| r.form == retry_after::Form::DelaySeconds)
        .map(|r| r.secs.min(MAX_RETRY_AFTER))
}

/// Applies a failure type (or none) with its alternatives to `d`.
fn set_type(
    d: &mut Diagnosis,
    t: Option<ErrorType>,
    alternatives: &[ErrorType],
    confidence: Confidence,
) {
    let received = d.received_status.unwrap_or(d.status);
    let mut next = match t {
        Some(t) => Diagnosis::for_type(t, d.layer).with_received_status(received),
        None => Diagnosis::for_status(received, d.layer),
    };
    next.confidence = confidence;
    for a in alternatives {
        next = next.with_alternative(*a);
    }
    next.status = status_to_send(t, received);
    next.evidence = std::mem::take(&mut d.evidence);
    next.vendor_code = d.vendor_code.take();
    next.sub_status = d.sub_status;
    next.detail = d.detail.take();
    next.chain = std::mem::take(&mut d.chain);
    next.retry_after = d.retry_after;
    *d = next;
}

fn from_generator(m: &Match, status: u16) -> Diagnosis {
    let fp = m.fingerprint;
    let mut d = Diagnosis::for_status(status, fp.layer());
    d.evidence.extend(m.evidence.iter().cloned());
    d.vendor_code = m
        .captures
        .vendor_code
        .clone()
        .or_else(|| match fp.then.code {
            CodeSource::None | CodeSource::Lookup => None,
            CodeSource::Status => Some(status.to_string()),
            CodeSource::Fixed(c) => Some(c.to_owned()),
        });
    d.sub_status = m.captures.sub_status.or(fp.then.sub_status);
    d.detail = m.captures.details.iter().max_by_key(|s| s.len()).cloned();
    let key = m
        .captures
        .code_key
        .clone()
        .or_else(|| d.vendor_code.clone());
    let vendor = key
        .as_deref()
        .and_then(|k| fingerprint::lookup_vendor_code(fp.layer(), k, &m.captures.details));
    match vendor {
        Some(v) => {
            d.evidence.push(Evidence::new(
                EvidenceSource::Code,
                format!("{} {}", fp.layer().name(), v.code),
                Some(fp.id),
            ));
            set_type(&mut d, v.error_type, v.alternatives, v.confidence);
        }
        None => set_type(
            &mut d,
            fp.then.error_type,
            fp.then.alternatives,
            fp.then.confidence,
        ),
    }
    d
}

/// The entry nearest the origin whose `error` names a registered type.
fn upstream_error(chain: &[ProxyStatusEntry]) -> Option<(&ProxyStatusEntry, ErrorType)> {
    chain.iter().find_map(|e| {
        let t = ErrorType::from_name(e.error.as_deref()?.trim())?;
        Some((e, t))
    })
}

/// The layer a Proxy-Status name refers to, when it names one (`Cloudflare`, `envoy`, …).
fn layer_named(proxy: &str) -> Option<Layer> {
    let lower = proxy.trim().to_ascii_lowercase();
    Layer::from_name(&lower).or_else(|| {
        Layer::ALL.iter().copied().find(|l| {
            !matches!(l, Layer::Unknown) && l.info().display.eq_ignore_ascii_case(proxy.trim())
        })
    })
}

/// Every `Proxy-Status` field line among the headers that are read, combined
/// in order with `, ` (empty lines skipped); `None` without one. The value is
/// not built past [`proxy_status::MAX_FIELD_LEN`]` + 1` bytes: `parse`
/// refuses a longer one unread anyway.
fn proxy_status_value(headers: &[(&str, &str)]) -> Option<String> {
    let limit = proxy_status::MAX_FIELD_LEN.saturating_add(1);
    let mut out: Option<String> = None;
    let lines = headers
        .iter()
        .take(fingerprint::MAX_HEADERS)
        .filter(|(n, _)| n.trim().eq_ignore_ascii_case("proxy-status"))
        .map(|(_, v)| v.trim());
    for v in lines {
        let s = out.get_or_insert_with(String::new);
        if v.is_empty() || s.len() >= limit {
            continue;
        }
        if !s.is_empty() {
            s.push_str(", ");
        }
        let mut end = limit.saturating_sub(s.len()).min(v.len());
        while !v.is_char_boundary(end) {
            end = end.saturating_sub(1);
        }
        s.push_str(v.get(..end).unwrap_or_default());
    }
    out
}

fn apply_proxy_status(d: &mut Diagnosis, headers: &[(&str, &str)]) {
    let Some(value) = proxy_status_value(headers) else {
        return;
    };
    match proxy_status::parse(&value) {
        Ok(chain) => {
            d.chain = chain;
            let Some((entry, t)) = upstream_error(&d.chain) else {
                return;
            };
            let fact = format!("{}; error={}", entry.proxy, t.name());
            let layer = layer_named(&entry.proxy);
            let details = entry.details.clone();
            d.evidence
                .insert(0, Evidence::new(EvidenceSource::ProxyStatus, fact, None));
            if d.layer == Layer::OriginApp {
                // The "passed through" guess came from headers only; the chain knows better.
                d.layer = layer.unwrap_or(Layer::Unknown);
            } else if let Some(l) = layer {
                d.layer = l;
            }
            if d.detail.is_none() {
                d.detail = details;
            }
            set_type(d, Some(t), &[], Confidence::High);
        }
        Err(e) => d.evidence.push(Evidence::new(
            EvidenceSource::ProxyStatus,
            format!("ignored: {e}"),
            None,
        )),
    }
}

/// Tells who generated `r` and, where that layer says why, the precise cause.
pub fn response(r: &ResponseView<'_>) -> Diagnosis {
    let seen = Observed::new(r.status, r.headers, r.body);
    let found = fingerprint::matches(&seen);
    let status_fact = Evidence::new(EvidenceSource::Status, format!("status {}", r.status), None);

    let mut d = match found.first() {
        Some(best) if best.fingerprint.then.role == Role::Generator => {
            from_generator(best, r.status)
        }
        Some(_) => {
            let mut d = Diagnosis::for_status(r.status, Layer::OriginApp);
            d.confidence = Confidence::Medium;
            d
        }
        None => Diagnosis::for_status(r.status, Layer::Unknown),
    };
    if d.evidence.is_empty() {
        d.evidence.push(status_fact);
    }
    // The on-path rows that matched: the layers this response went through.
    for m in found
        .iter()
        .filter(|m| m.fingerprint.then.role == Role::OnPath)
    {
        d.evidence.extend(m.evidence.iter().cloned());
    }
    if d.layer == Layer::OriginApp {
        d.segment = Segment::Origin;
    }
    d.retry_after = retry_after(&seen);
    apply_proxy_status(&mut d, r.headers);
    if r.status < 400 && d.error_type.is_some() {
        set_type(&mut d, None, &[], Confidence::Medium);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(status: u16, headers: &[(&str, &str)], body: &str) -> Diagnosis {
        response(&ResponseView {
            status,
            headers,
            body: body.as_bytes(),
        })
    }

    #[test]
    fn nginx_passing_an_app_error_through_is_the_origin() {
        let d = classify(
            500,
            &[
                ("Server", "nginx/1.22.1"),
                ("Content-Type", "application/json"),
            ],
            r#"{"error":"boom"}"#,
        );
        assert_eq!(d.layer, Layer::OriginApp);
        assert_eq!(d.error_type, None);
        assert_eq!(d.status, 500);
        assert_eq!(d.segment, Segment::Origin);
        assert!(d
            .evidence
            .iter()
            .any(|e| e.rule.as_deref() == Some("nginx.server_header")));
    }

    #[test]
    fn normal_responses_are_not_failures() {
        for status in [200, 204, 301, 304, 404, 410] {
            let d = classify(
                status,
                &[("Server", "cloudflare"), ("CF-RAY", "8f1033abc-AMS")],
                "hello",
            );
            assert_eq!(d.error_type, None, "{status}");
            assert_eq!(d.status, status);
            assert_eq!(d.layer, Layer::OriginApp);
        }
        let d = classify(200, &[], "");
        assert_eq!(
            (d.layer, d.error_type, d.confidence),
            (Layer::Unknown, None, Confidence::Low)
        );
    }

    #[test]
    fn unknown_5xx_is_unknown_and_unsure() {
        let d = classify(502, &[("Content-Type", "text/html")], "<p>oops</p>");
        assert_eq!(d.layer, Layer::Unknown);
        assert_eq!(d.confidence, Confidence::Low);
        assert_eq!(d.status, 502);
        assert_eq!(d.received_status, Some(502));
    }

    #[test]
    fn upstream_proxy_status_wins_with_high_confidence() {
        let d = classify(
            502,
            &[("Proxy-Status", "envoy; error=connection_timeout; details=\"connect 10.0.0.1:80\", ExampleCDN; received-status=502")],
            "",
        );
        assert_eq!(d.error_type, Some(ErrorType::ConnectionTimeout));
        assert_eq!(d.confidence, Confidence::High);
        assert_eq!(d.layer, Layer::Envoy);
        assert_eq!(d.status, 504);
        assert_eq!(d.chain.len(), 2);
        assert_eq!(d.detail.as_deref(), Some("connect 10.0.0.1:80"));
        assert_eq!(
            d.evidence.first().map(|e| e.source),
            Some(EvidenceSource::ProxyStatus)
        );
    }

    #[test]
    fn invalid_proxy_status_is_ignored_with_evidence() {
        let d = classify(502, &[("Proxy-Status", "(inner list)")], "");
        assert!(d.chain.is_empty());
        assert!(d
            .evidence
            .iter()
            .any(|e| e.source == EvidenceSource::ProxyStatus));
    }

    /// Found by tests/hostile_input.rs: the value was read from the
    /// fingerprints' view, cut at 8 KB, so a list stuffed on the origin side
    /// lost the entry the nearest intermediary appended (and only the first
    /// field line was read).
    #[test]
    fn proxy_status_is_read_whole_from_every_field_line() {
        let stuffing: Vec<String> = (0..1_500).map(|i| format!("p{i}")).collect();
        let stuffing = stuffing.join(", ");
        assert!(stuffing.len() > fingerprint::MAX_HEADER_VALUE);
        let value = format!("{stuffing}, envoy; error=connection_refused");
        let d = classify(502, &[("Proxy-Status", &value)], "");
        assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
        assert_eq!(d.layer, Layer::Envoy);
        let d = classify(
            502,
            &[
                ("Proxy-Status", "ExampleCDN"),
                ("X-Other", "1"),
                ("proxy-status ", ""),
                ("PROXY-STATUS", "envoy; error=dns_timeout"),
            ],
            "",
        );
        let names: Vec<&str> = d.chain.iter().map(|e| e.proxy.as_str()).collect();
        assert_eq!(names, ["ExampleCDN", "envoy"]);
        assert_eq!(d.error_type, Some(ErrorType::DnsTimeout));
        // Too long in total: refused unread, with evidence.
        let lines = vec![("Proxy-Status", stuffing.as_str()); 3];
        let d = classify(502, &lines, "");
        assert!(d.chain.is_empty());
        assert!(d
            .evidence
            .iter()
            .any(|e| e.source == EvidenceSource::ProxyStatus && e.fact.contains("longer than")));
        assert_eq!(
            proxy_status_value(&lines).map(|v| v.len()),
            Some(proxy_status::MAX_FIELD_LEN + 1)
        );
    }

    #[test]
    fn retry_after_delta_seconds_is_read_and_bounded() {
        let d = classify(503, &[("Retry-After", "120")], "");
        assert_eq!(d.retry_after, Some(120));
        let d = classify(503, &[("Retry-After", "99999999")], "");
        assert_eq!(d.retry_after, Some(MAX_RETRY_AFTER));
        let d = classify(503, &[("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")], "");
        assert_eq!(d.retry_after, None);
    }

    #[test]
    fn cloudflare_rate_limit_keeps_its_4xx() {
        let d = classify(429, &[("Server", "cloudflare")], "error code: 1015");
        assert_eq!(d.layer, Layer::Cloudflare);
        assert_eq!(d.error_type, Some(ErrorType::HttpRequestDenied));
        assert_eq!(d.status, 429);
        assert_eq!(d.vendor_code.as_deref(), Some("1015"));
    }

    #[test]
    fn envoy_reset_reason_and_errno_give_the_exact_type() {
        let body = "upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: delayed connect error: 111";
        let d = classify(503, &[("server", "envoy")], body);
        assert_eq!(d.layer, Layer::Envoy);
        assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
        assert_eq!(d.confidence, Confidence::High);
        assert_eq!(d.vendor_code.as_deref(), Some("connection failure"));
        assert_eq!(d.detail.as_deref(), Some("delayed connect error: 111"));
        assert_eq!(d.status, 502);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let junk: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        let long = "\u{1F600}".repeat(5000);
        let headers: Vec<(&str, &str)> =
            (0..500).map(|_| ("Proxy-Status", long.as_str())).collect();
        let d = response(&ResponseView {
            status: 502,
            headers: &headers,
            body: &junk,
        });
        assert_eq!(d.status, 502);
        let d = response(&ResponseView {
            status: 0,
            headers: &[],
            body: &[],
        });
        assert_eq!(d.status, 0);
    }
}
