//! The answers the worker writes itself: a failure rendered by the core in
//! the format and language the client asked for, with the headers every
//! such answer carries, and nothing the owner has not unlocked.
//!
//! One function turns a [`Diagnosis`] into a response ([`failure`]), as
//! pingora's `fail_to_proxy` does: status from the diagnosis, `Proxy-Status`
//! (the upstream chain plus this worker's entry), `Retry-After` when the
//! failure is temporary, `Cache-Control: private, no-store`, a strict CSP,
//! `X-Content-Type-Options`, `Referrer-Policy` and the request id.
//!
//! Without the owner's debug token the diagnosis is [`redact`]ed first: no
//! raw upstream text (`detail`), no evidence (it quotes runtime messages,
//! addresses and drill-through notes), no `details`/`next-hop`/extra
//! parameters in upstream `Proxy-Status` entries — so no origin host name,
//! address, port or upstream error text leaves the worker.
//!
//! # Example
//! ```
//! use gatewise_core::{Diagnosis, ErrorType, Layer, Lang};
//! use gatewise_core::render::negotiate::Format;
//! use gatewise_worker::answer::{failure, Viewer};
//! let mut d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Workerd);
//! d.detail = Some("connect ECONNREFUSED 10.0.0.7:8080".into());
//! let viewer = Viewer { format: Format::ProblemJson, lang: Lang::EN, owner: false };
//! let a = failure(&d, &viewer, &Default::default());
//! assert_eq!(a.status, 502);
//! assert!(!a.body.contains("10.0.0.7"));
//! assert!(a.header("proxy-status").unwrap().contains("error=connection_refused"));
//! assert_eq!(a.header("cache-control"), Some("private, no-store"));
//! assert!(a.header("retry-after").is_some());
//! ```

use gatewise_core::render::negotiate::Format;
use gatewise_core::render::{self, escape, PageContext};
use gatewise_core::{i18n, proxy_status, Diagnosis, Lang};

use crate::headers::{REQUEST_ID_HEADER, SECURITY_HEADERS};

/// Who asked, as far as the answer depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    /// HTML, problem JSON or text.
    pub format: Format,
    /// The language of the page.
    pub lang: Lang,
    /// Whether the request carried the owner's debug token.
    pub owner: bool,
}

/// Everything besides the diagnosis and the viewer that goes on the page.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The request id (`cf-ray`, or generated).
    pub request_id: Option<String>,
    /// When it happened (an HTTP-date).
    pub time: Option<String>,
    /// The URL the visitor asked for (the worker's, never the origin's).
    pub url: Option<String>,
    /// The site's name (or logo text).
    pub site_name: Option<String>,
    /// Contact for the owner.
    pub contact: Option<String>,
    /// Status page URL.
    pub status_page: Option<String>,
    /// The live-checks script the page loads (under the reserved prefix).
    pub checks_script: Option<String>,
    /// What the live-checks script is told: the edge's endpoints, the
    /// resolver, whether the page may reload itself.
    pub checks: Option<gatewise_core::checks::ChecksConfig>,
    /// The id this worker uses in `Proxy-Status`.
    pub proxy_name: String,
    /// Seconds for `Retry-After` when the diagnosis has none (a breaker's cool-down).
    pub retry_after_hint: Option<u32>,
    /// Facts for the owner only (attempts and their timings), added as evidence.
    pub owner_facts: Vec<String>,
    /// Where the explainer is (the reserved prefix): the owner's details link to it.
    pub explainer: Option<String>,
}

/// A response the worker writes itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// Headers, lowercase names.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: String,
}

impl Answer {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The viewer of a request: the format from `Accept` (and `User-Agent` when
/// `Accept` leaves it open), the language from `Accept-Language` among the
/// configured ones (else the configured default), and whether the debug
/// token presented (header, else cookie) is the owner's.
pub fn viewer(
    config: &crate::config::Config,
    accept: Option<&str>,
    user_agent: Option<&str>,
    accept_language: Option<&str>,
    debug_header: Option<&str>,
    cookie: Option<&str>,
) -> Viewer {
    use gatewise_core::render::negotiate;
    Viewer {
        format: negotiate::format(accept, user_agent),
        lang: negotiate::language_among(accept_language, &config.languages)
            .unwrap_or(config.default_lang),
        owner: crate::headers::is_owner(
            config.debug_token.as_deref(),
            crate::headers::presented_token(debug_header, cookie),
        ),
    }
}

/// The most owner facts (origin, attempts, drill-through steps) shown.
pub const MAX_OWNER_FACTS: usize = 16;

/// `Retry-After` seconds for a temporary failure that names none.
pub const DEFAULT_RETRY_AFTER: u32 = 5;

/// The diagnosis without anything only the owner may see.
pub fn redact(d: &Diagnosis) -> Diagnosis {
    let mut r = d.clone();
    r.detail = None;
    r.evidence.clear();
    for e in &mut r.chain {
        e.details = None;
        e.next_hop = None;
        e.params.clear();
    }
    r
}

/// The failure answer for `d` (see the module documentation).
pub fn failure(d: &Diagnosis, viewer: &Viewer, extras: &Extras) -> Answer {
    let mut shown = if viewer.owner { d.clone() } else { redact(d) };
    if viewer.owner {
        // The renderers show at most MAX_ITEMS pieces of evidence (the first): the diagnosis'
        // own make room for the worker's facts, so that those always show.
        let facts = extras.owner_facts.len().min(MAX_OWNER_FACTS);
        shown
            .evidence
            .truncate(escape::MAX_ITEMS.saturating_sub(facts));
        for f in extras.owner_facts.iter().take(MAX_OWNER_FACTS) {
            shown.evidence.push(gatewise_core::Evidence::new(
                gatewise_core::EvidenceSource::Runtime,
                f.clone(),
                None,
            ));
        }
    }
    let mut ctx = PageContext::new(viewer.lang);
    ctx.request_id.clone_from(&extras.request_id);
    ctx.time.clone_from(&extras.time);
    ctx.url.clone_from(&extras.url);
    ctx.site_name.clone_from(&extras.site_name);
    ctx.contact.clone_from(&extras.contact);
    ctx.status_page.clone_from(&extras.status_page);
    ctx.checks_script.clone_from(&extras.checks_script);
    ctx.checks.clone_from(&extras.checks);
    ctx.explainer.clone_from(&extras.explainer);
    ctx.owner_details = viewer.owner;
    // The Retry-After header and the body say the same: the diagnosis' own
    // wait, else the caller's hint (a breaker's cool-down), else the default.
    if shown.retryable {
        shown.retry_after = Some(
            shown
                .retry_after
                .or(extras.retry_after_hint)
                .unwrap_or(DEFAULT_RETRY_AFTER),
        );
    }
    let body = render::body(viewer.format, &shown, &ctx);
    let proxy = if extras.proxy_name.is_empty() {
        "gatewise"
    } else {
        extras.proxy_name.as_str()
    };
    let mut headers: Vec<(&'static str, String)> = Vec::with_capacity(12);
    headers.push(("content-type", viewer.format.content_type().to_owned()));
    headers.extend(SECURITY_HEADERS.iter().map(|(n, v)| (*n, (*v).to_owned())));
    headers.push(("proxy-status", proxy_status::header_value(&shown, proxy)));
    if let Some(secs) = shown.retry_after.filter(|_| shown.retryable) {
        headers.push(("retry-after", secs.to_string()));
    }
    // An error page is no content: search engines should not index it.
    headers.push(("x-robots-tag", "noindex".to_owned()));
    if viewer.format == Format::Markdown {
        // Cloudflare's Markdown for Agents convention: the size in tokens (~4 bytes each).
        headers.push(("x-markdown-tokens", body.len().div_ceil(4).to_string()));
    }
    if let Some(id) = &extras.request_id {
        headers.push((REQUEST_ID_HEADER, escape::clean(id, escape::SHORT)));
    }
    headers.push(("vary", "accept, accept-language".to_owned()));
    Answer {
        status: shown.status,
        headers,
        body,
    }
}

/// The notice put at the top of a stale HTML copy: a small banner in the
/// page's own flow, text from the catalog, escaped.
pub fn stale_notice(lang: Lang, stored_at: &str) -> String {
    let text = i18n::format(lang, "worker.stale_notice", &[("time", stored_at)]);
    format!(
        "<div role=\"status\" lang=\"{}\" dir=\"{}\" style=\"all:initial;display:block;\
padding:.5rem 1rem;background:#fef7e0;color:#202124;font:14px/1.4 system-ui,sans-serif;\
border-block-end:1px solid #f9ab00\">{}</div>",
        lang.tag(),
        lang.dir(),
        escape::escape(&text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use gatewise_core::{ErrorType, Layer, ProxyStatusEntry};

    fn leaky() -> Diagnosis {
        let mut d = Diagnosis::for_type(ErrorType::ConnectionTerminated, Layer::Workerd);
        d.detail = Some("Network connection lost. 127.0.0.1:4711".into());
        d.evidence.push(gatewise_core::Evidence::new(
            gatewise_core::EvidenceSource::Message,
            "message \"connect 127.0.0.1:4711\"",
            None,
        ));
        d.chain.push(ProxyStatusEntry {
            proxy: "edge".into(),
            error: Some("connection_refused".into()),
            next_hop: Some("127.0.0.1:4711".into()),
            details: Some("origin.internal:4711".into()),
            ..Default::default()
        });
        d
    }

    #[test]
    fn nothing_internal_without_the_token_in_any_format() {
        for format in [
            Format::Html,
            Format::ProblemJson,
            Format::Text,
            Format::Markdown,
        ] {
            let v = Viewer {
                format,
                lang: Lang::EN,
                owner: false,
            };
            let a = failure(
                &leaky(),
                &v,
                &Extras {
                    owner_facts: vec!["attempt 1 took 4711 ms".into()],
                    ..Default::default()
                },
            );
            let all = format!("{:?}{}", a.headers, a.body);
            for secret in [
                "127.0.0.1",
                "4711",
                "origin.internal",
                "Network connection lost",
            ] {
                assert!(!all.contains(secret), "{format:?} leaks {secret}");
            }
            assert_eq!(a.status, 502);
            assert!(a.header("proxy-status").unwrap().starts_with(
                "edge;error=connection_refused, gatewise;error=connection_terminated"
            ));
            let owner = failure(
                &leaky(),
                &Viewer { owner: true, ..v },
                &Extras {
                    owner_facts: vec!["attempt 1 took 4711 ms".into()],
                    ..Default::default()
                },
            );
            assert!(
                owner.body.contains("127.0.0.1"),
                "{format:?}: owner sees the detail"
            );
            assert!(
                owner.body.contains("4711 ms") || matches!(format, Format::Text | Format::Markdown),
                "{format:?}: owner sees timings"
            );
        }
    }

    /// Issue 8: with the owner's token, a diagnosis of 10,000 pieces of evidence and
    /// 10,000 Proxy-Status entries gives an answer of bounded size, in every format.
    #[test]
    fn the_owner_view_of_a_huge_diagnosis_is_capped() {
        let max = escape::MAX_ITEMS;
        let mut d = leaky();
        for i in 0..10_000 {
            d.evidence.push(gatewise_core::Evidence::new(
                gatewise_core::EvidenceSource::Body,
                format!("fact{i} {}", "y".repeat(5_000)),
                None,
            ));
            d.chain.push(ProxyStatusEntry {
                proxy: format!("p{i}"),
                details: Some("z".repeat(5_000)),
                ..Default::default()
            });
        }
        let extras = Extras {
            owner_facts: (0..40).map(|i| format!("owner fact {i}")).collect(),
            ..Default::default()
        };
        for format in [Format::Html, Format::ProblemJson, Format::Text] {
            let v = Viewer {
                format,
                lang: Lang::EN,
                owner: true,
            };
            let a = failure(&d, &v, &extras);
            assert!(
                a.body.len() < 256 * 1024,
                "{format:?}: {} bytes",
                a.body.len()
            );
            let ps = a.header("proxy-status").unwrap();
            assert!(ps.len() <= proxy_status::MAX_FIELD_LEN, "{format:?}");
            let members = proxy_status::parse(ps).unwrap();
            assert!(members.len() <= proxy_status::MAX_MEMBERS);
            assert_eq!(members.last().map(|m| m.proxy.as_str()), Some("gatewise"));
            // The worker's own facts come through (the first MAX_OWNER_FACTS), after the
            // first MAX_ITEMS - MAX_OWNER_FACTS of the diagnosis.
            assert!(
                a.body.contains("owner fact 15") && !a.body.contains("owner fact 16"),
                "{format:?}"
            );
            assert!(
                a.body.contains("fact14") && !a.body.contains("fact15"),
                "{format:?}"
            );
            if format == Format::ProblemJson {
                let p: serde_json::Value = serde_json::from_str(&a.body).unwrap();
                let evidence = p["evidence"].as_array().unwrap();
                assert_eq!(evidence.len(), max);
                assert_eq!(evidence[max - MAX_OWNER_FACTS]["fact"], "owner fact 0");
                assert_eq!(evidence[max - 1]["fact"], "owner fact 15");
                let chain = p["chain"].as_array().unwrap();
                assert_eq!(chain.len(), max);
                assert_eq!(chain[max - 1]["proxy"], "p9999");
            }
        }
    }

    #[test]
    fn headers_of_every_answer() {
        let v = Viewer {
            format: Format::Html,
            lang: Lang::from_tag("ar").unwrap(),
            owner: false,
        };
        let mut d = Diagnosis::for_type(ErrorType::HttpResponseTimeout, Layer::Gatewise);
        d.retry_after = Some(7);
        let a = failure(
            &d,
            &v,
            &Extras {
                request_id: Some("abc".into()),
                ..Default::default()
            },
        );
        assert_eq!(a.status, 504);
        assert_eq!(a.header("retry-after"), Some("7"));
        assert_eq!(a.header("x-request-id"), Some("abc"));
        assert_eq!(a.header("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(a.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(a.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(a.header("x-robots-tag"), Some("noindex"));
        assert!(a.body.contains(r#"<html lang="ar" dir="rtl">"#));
        let loop_d = Diagnosis::for_type(ErrorType::ProxyLoopDetected, Layer::Gatewise);
        let a = failure(&loop_d, &v, &Extras::default());
        assert_eq!((a.status, a.header("retry-after")), (502, None));
        // The problem document carries what an API client decides on, the same as the headers.
        let json = Viewer {
            format: Format::ProblemJson,
            ..v
        };
        let hinted = Extras {
            retry_after_hint: Some(30),
            ..Extras::default()
        };
        let refused = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Workerd);
        let a = failure(&refused, &json, &hinted);
        let p: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        assert_eq!(a.header("retry-after"), Some("30"));
        assert_eq!(p["retryAfter"], 30);
        assert_eq!(
            (p["retryable"].as_bool(), p["ownerActionRequired"].as_bool()),
            (Some(true), Some(false))
        );
        assert!(p.get("advice").is_none(), "no visitor advice for programs");
        let a = failure(&loop_d, &json, &hinted);
        let p: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        assert_eq!(p["ownerActionRequired"], true);
        assert!(p.get("retryAfter").is_none());
        // Agents asking for Markdown get it, with its size in tokens.
        let md = Viewer {
            format: Format::Markdown,
            ..v
        };
        let a = failure(&refused, &md, &hinted);
        assert_eq!(
            a.header("content-type"),
            Some("text/markdown; charset=utf-8")
        );
        assert!(a.body.starts_with("---\n"));
        let tokens: usize = a.header("x-markdown-tokens").unwrap().parse().unwrap();
        assert_eq!(tokens, a.body.len().div_ceil(4));
    }

    #[test]
    fn viewers() {
        let c = crate::config::Config::from_vars(|n| match n {
            "ORIGIN_URL" => Some("http://o.example".into()),
            "LANGUAGES" => Some("en,fr,ar".into()),
            "DEFAULT_LANG" => Some("fr".into()),
            "DEBUG_TOKEN" => Some("tok".into()),
            _ => None,
        })
        .unwrap();
        let v = viewer(
            &c,
            Some("application/json"),
            None,
            Some("de, ar;q=0.5"),
            None,
            Some("gatewise_debug=tok"),
        );
        assert_eq!(
            (v.format, v.lang.tag(), v.owner),
            (Format::ProblemJson, "ar", true)
        );
        let v = viewer(&c, None, Some("curl/8.5.0"), Some("ja"), Some("nope"), None);
        assert_eq!(
            (v.format, v.lang.tag(), v.owner),
            (Format::Text, "fr", false)
        );
        let v = viewer(&c, Some("text/html"), None, None, None, None);
        assert_eq!((v.format, v.lang.tag()), (Format::Html, "fr"));
        let v = viewer(
            &c,
            Some("text/markdown, text/html;q=0.9"),
            None,
            None,
            None,
            None,
        );
        assert_eq!(v.format, Format::Markdown);
    }

    #[test]
    fn notices_escape_what_they_show() {
        // Put into the page by the core (gatewise_core::stale::insert_notice, as ASCII).
        let n = stale_notice(Lang::EN, "<b>then</b>");
        assert!(n.contains("&lt;b&gt;then&lt;/b&gt;"));
        let de = gatewise_core::stale::ascii_html(&stale_notice(
            Lang::from_tag("de").unwrap(),
            "gestern",
        ));
        assert!(de.is_ascii());
    }
}
