//! Rendering (`render::html`, `problem_json`, `text`) of a diagnosis built
//! from the bytes, with any text in every field of `PageContext` and in the
//! diagnosis' raw upstream fields (`detail`, `vendor_code`, evidence, the
//! Proxy-Status chain).
//!
//! Control bytes: 0 error type (or none), 1 layer, 2–3 status, 4 language,
//! 5 flags (owner details, retryable, Retry-After), 6 segment and hop,
//! 7 confidence. Fields (0xFF-separated): url, request id, time, site name,
//! contact, status page, script nonce, checks script, detail, vendor code,
//! then evidence facts, chain proxy / error / next-hop / details / a parameter.
//!
//! Asserts: the HTML passes the shared oracle (only the renderer's own tags
//! and attributes, every reflected value escaped, hrefs http(s)/mailto), no
//! marked field appears raw, the problem JSON parses and carries the
//! diagnosis, and the text has no control character but `\n`.
#![no_main]

use gatewise_core::diagnosis::{Confidence, Evidence, EvidenceSource};
use gatewise_core::render::{self, PageContext};
use gatewise_core::{Diagnosis, ErrorType, Hop, Lang, Layer, ProxyStatusEntry, Segment};
use gatewise_fuzz::{field, fields, html_audit, pick};
use libfuzzer_sys::fuzz_target;

/// Wraps a value between letters, so that finding it raw in the page is meaningful.
fn marked(i: usize, v: &str) -> String {
    format!("Zq{i}{v}{i}qZ")
}

fuzz_target!(|data: &[u8]| {
    let (c, f) = fields(data);
    let langs: Vec<Lang> = Lang::all().collect();
    let layer = pick(Layer::ALL, c[1]);
    let mut d = match ErrorType::ALL.get(usize::from(c[0])) {
        Some(t) => Diagnosis::for_type(*t, layer),
        None => Diagnosis::for_status(u16::from_le_bytes([c[2], c[3]]), layer),
    };
    if c[0] & 0x80 != 0 {
        d.received_status = Some(u16::from_le_bytes([c[2], c[3]]));
    }
    d.retryable = c[5] & 2 != 0;
    d.retry_after = (c[5] & 4 != 0).then_some(u32::from(c[3]) * 60);
    d.segment = pick(Segment::ALL, c[6]);
    d.hop = Hop::ALL.get(usize::from(c[6] >> 4)).copied();
    d.confidence = pick(Confidence::ALL, c[7]);
    for t in ErrorType::ALL.iter().skip(usize::from(c[7] >> 2)).take(3) {
        d = d.with_alternative(*t);
    }
    // The raw upstream fields, marked where the oracle looks for them raw.
    let mut hostile: Vec<String> = Vec::new();
    d.detail = field(&f, 8).map(|v| marked(8, v));
    d.vendor_code = field(&f, 9).map(|v| marked(9, v));
    hostile.extend(d.detail.clone());
    hostile.extend(d.vendor_code.clone());
    for (i, fact) in f.iter().enumerate().skip(17) {
        let fact = marked(i, fact);
        hostile.push(fact.clone());
        d.evidence.push(Evidence::new(
            pick(EvidenceSource::ALL, c[7].wrapping_add(i as u8)),
            fact,
            Some("x"),
        ));
    }
    if let Some(fact) = field(&f, 10) {
        d.evidence
            .push(Evidence::new(EvidenceSource::Body, fact, field(&f, 11)));
    }
    if let Some(proxy) = field(&f, 12) {
        d.chain.push(ProxyStatusEntry {
            proxy: proxy.to_owned(),
            error: field(&f, 13).map(str::to_owned),
            next_hop: field(&f, 14).map(str::to_owned),
            details: field(&f, 15).map(str::to_owned),
            params: field(&f, 16)
                .map(|v| vec![("info".to_owned(), v.to_owned())])
                .unwrap_or_default(),
            ..ProxyStatusEntry::default()
        });
    }
    let mut ctx = PageContext::new(pick(&langs, c[4]));
    ctx.owner_details = c[5] & 1 != 0;
    ctx.url = field(&f, 0).map(str::to_owned);
    ctx.request_id = field(&f, 1).map(|v| marked(1, v));
    ctx.time = field(&f, 2).map(|v| marked(2, v));
    ctx.site_name = field(&f, 3).map(|v| marked(3, v));
    ctx.contact = field(&f, 4).map(str::to_owned);
    ctx.status_page = field(&f, 5).map(str::to_owned);
    ctx.script_nonce = field(&f, 6).map(|v| marked(6, v));
    ctx.checks_script = field(&f, 7).map(str::to_owned);
    hostile.extend(
        [
            &ctx.request_id,
            &ctx.time,
            &ctx.site_name,
            &ctx.script_nonce,
        ]
        .into_iter()
        .flatten()
        .cloned(),
    );

    let html = render::html(&d, &ctx);
    if let Err(e) = html_audit::audit(&html) {
        panic!("{e}\n--- page ---\n{html}");
    }
    for v in &hostile {
        if v.contains(['<', '>', '"', '\'', '&']) {
            assert!(!html.contains(v.as_str()), "{v:?} appears unescaped");
        }
    }

    let json = render::problem_json(&d, &ctx);
    let v: serde_json::Value = serde_json::from_str(&json).expect("problem JSON parses");
    assert_eq!(v["status"], serde_json::json!(d.status));
    assert_eq!(v["layer"], serde_json::json!(layer.name()));
    if !ctx.owner_details {
        assert!(
            v.get("evidence").is_none()
                && v.get("chain").is_none()
                && v.get("upstreamDetail").is_none()
        );
    }

    let text = render::text(&d, &ctx);
    if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n') {
        panic!("control character {c:?} in the text body:\n{text}");
    }
});
