//! # gatewise-wasm
//!
//! The thin wasm-bindgen binding behind the npm package `gatewise`
//! (`packages/gatewise`). Each exported function reads its arguments
//! ([`convert::arg`]), calls one `gatewise-core` entry point, and writes the
//! result in the core's documented JSON shape ([`convert::out`]); failures
//! become JavaScript exceptions in one place ([`convert::Failure`]). The
//! knowledge, the classification and the policy all stay in the core: this
//! crate only maps option objects onto core types ([`api`]).
//!
//! The JavaScript names are camelCase (`explainStatus`, `classifyResponse`,
//! …). The package's own JavaScript wraps them: it turns a `Response`,
//! `Headers` or a thrown error into plain values, bounds what it passes
//! to the core's [`limits`], and runs `fetchWithRetry`'s loop on
//! [`retry_decision`].
//!
//! Built by `scripts/build-npm.sh` (`wasm-bindgen --target web`).
//!
//! # Example
//! The option types are plain Rust and work natively too:
//! ```
//! use gatewise_wasm::api::{pick_lang, LangPreference, RetryPolicyOptions};
//! let prefs = LangPreference::Many(vec!["fr-CA".into(), "en".into()]);
//! assert_eq!(pick_lang(Some(&prefs)).tag(), "fr");
//! let policy = RetryPolicyOptions { max_attempts: Some(5), ..Default::default() }.policy();
//! assert_eq!(policy.max_attempts, 5);
//! assert_eq!(policy.backoff.base.as_millis(), 100);
//! ```

pub mod api;
pub mod convert;

use std::time::Duration;

use gatewise_core::classify::{self, ResponseView, TransportError};
use gatewise_core::policy::{retry_after, SplitMix64};
use gatewise_core::{checks, i18n};
use gatewise_core::{explain as core_explain, fingerprint, logs, proxy_status, render, status};
use gatewise_core::{Diagnosis, Lang};
use wasm_bindgen::prelude::*;

use crate::api::{
    CheckVerdict, ExplainedArtefact, ExplainedDiagnosis, Explanation, LanguageInfo, Limits,
    LogLineExplanation, Messages, PageOptions, PluralMessage, ProxyStatusFacts, ResponseHead,
    RetryAnswer, RetryPolicyOptions, RetryQuestion, TextOptions,
};
use crate::convert::{arg, options, out, Failure};

/// The name this gateway gives itself in `Proxy-Status` unless told otherwise.
pub const DEFAULT_PROXY_NAME: &str = "gatewise";

/// `explainStatus(code, options)`: the diagnosis a bare status code
/// (`"502"`, `"502.3"`, `"524"`) supports ([`classify::status()`]), with its texts.
#[wasm_bindgen(js_name = explainStatus)]
pub fn explain_status(code: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    let opts: TextOptions = options("options", opts)?;
    let key = status::parse(code).map_err(|e| Failure::Input("invalid_status", e.to_string()))?;
    let diagnosis = classify::status(key);
    let texts = render::texts(&diagnosis, &opts.context());
    Ok(out(&ExplainedDiagnosis { diagnosis, texts })?)
}

/// `describe(diagnosis, options)`: the texts the core writes for any diagnosis ([`render::texts()`]).
#[wasm_bindgen]
pub fn describe(diagnosis: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    let d: Diagnosis = arg("diagnosis", diagnosis)?;
    let opts: TextOptions = options("options", opts)?;
    Ok(out(&render::texts(&d, &opts.context()))?)
}

/// `classifyResponse({ status, headers }, bodyPrefix)`: a response as a
/// client saw it, with the layer that wrote it ([`classify::response()`]).
#[wasm_bindgen(js_name = classifyResponse)]
pub fn classify_response(head: JsValue, body: &[u8]) -> Result<JsValue, JsValue> {
    let head: ResponseHead = arg("response", head)?;
    let headers: Vec<(&str, &str)> = head
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let d = classify::response(&ResponseView {
        status: head.status,
        headers: &headers,
        body,
    });
    Ok(out(&d)?)
}

/// `classifyError({ runtime, name, message, code, retryable, cause })`: a
/// thrown transport error ([`classify::transport()`]).
#[wasm_bindgen(js_name = classifyError)]
pub fn classify_error(error: JsValue) -> Result<JsValue, JsValue> {
    let e: TransportError = arg("error", error)?;
    Ok(out(&classify::transport(&e))?)
}

/// `explainLog(line, options)`: one log line explained ([`logs::explain`]), or `null`.
#[wasm_bindgen(js_name = explainLog)]
pub fn explain_log(line: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    let opts: TextOptions = options("options", opts)?;
    let lang = api::pick_lang(opts.lang.as_ref());
    let e = logs::explain(line).map(|e| LogLineExplanation::new(1, &e, lang));
    Ok(out(&e)?)
}

/// `explainLogs(text, options)`: every recognised line of a paste ([`logs::explain_all`]).
#[wasm_bindgen(js_name = explainLogs)]
pub fn explain_logs(text: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    let opts: TextOptions = options("options", opts)?;
    let lang = api::pick_lang(opts.lang.as_ref());
    let lines: Vec<LogLineExplanation> = logs::explain_all(text)
        .iter()
        .map(|l| LogLineExplanation::new(l.line, &l.explanation, lang))
        .collect();
    Ok(out(&lines)?)
}

/// `explain(text, options)`: anything pasted — a status code, a raw
/// response or `curl -v` output, log lines in their envelopes, an error page
/// or its text, a header dump, an error message, a HAR file, or several of
/// these ([`core_explain::explain`]).
#[wasm_bindgen]
pub fn explain(text: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    let opts: TextOptions = options("options", opts)?;
    let ctx = opts.context();
    let e = core_explain::explain(text).map_err(|e| Failure::Input(e.code(), e.to_string()))?;
    let artefacts =
        e.artefacts
            .into_iter()
            .map(|a| {
                let t = render::texts(&a.diagnosis, &ctx);
                ExplainedArtefact {
                    kind: a.kind,
                    failure: a.failure,
                    title: t.title,
                    summary: t.summary,
                    lines: a.lines,
                    wrappers: a.wrappers,
                    source: a.source,
                    excerpt: a.excerpt,
                    log: a.log.as_ref().map(|l| {
                        LogLineExplanation::new(a.lines.map_or(1, |r| r.first), l, ctx.lang)
                    }),
                    exchange: a.exchange,
                    diagnosis: a.diagnosis,
                }
            })
            .collect();
    let texts = render::texts(&e.diagnosis, &ctx);
    Ok(out(&Explanation {
        kind: e.kind,
        diagnosis: e.diagnosis,
        texts,
        headline: e.headline,
        artefacts,
        not_failed: e.not_failed,
        omitted: e.omitted,
    })?)
}

/// `renderPage(diagnosis, options)`: the self-contained HTML error page ([`render::html`]).
#[wasm_bindgen(js_name = renderPage)]
pub fn render_page(diagnosis: JsValue, opts: JsValue) -> Result<String, JsValue> {
    let d: Diagnosis = arg("diagnosis", diagnosis)?;
    let opts: PageOptions = options("options", opts)?;
    Ok(render::html(&d, &opts.context()))
}

/// `problemDetails(diagnosis, options)`: the RFC 9457 problem document
/// ([`render::problem_json`]), as an object.
#[wasm_bindgen(js_name = problemDetails)]
pub fn problem_details(diagnosis: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    let d: Diagnosis = arg("diagnosis", diagnosis)?;
    let opts: PageOptions = options("options", opts)?;
    let json = render::problem_json(&d, &opts.context());
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| Failure::Output(e.to_string()))?;
    Ok(out(&value)?)
}

/// `proxyStatus(diagnosis, proxy)`: the `Proxy-Status` value a gateway
/// named `proxy` (default [`DEFAULT_PROXY_NAME`]) sends ([`proxy_status::header_value`]).
#[wasm_bindgen(js_name = proxyStatus)]
pub fn proxy_status_value(diagnosis: JsValue, proxy: Option<String>) -> Result<String, JsValue> {
    let d: ProxyStatusFacts = arg("diagnosis", diagnosis)?;
    let proxy = proxy.as_deref().unwrap_or(DEFAULT_PROXY_NAME);
    Ok(proxy_status::header_value_of(
        &d.chain,
        d.error_type,
        d.received_status,
        proxy,
    ))
}

/// `retryDecision({ method, diagnosis, attempt, bodyReplayable, policy, seed })`:
/// whether and when to try a failed request again ([`gatewise_core::policy::RetryPolicy::decide`]).
#[wasm_bindgen(js_name = retryDecision)]
pub fn retry_decision(question: JsValue) -> Result<JsValue, JsValue> {
    let q: RetryQuestion = arg("question", question)?;
    let mut rng = SplitMix64::new(q.seed);
    let decision = q.policy.policy().decide(
        &q.method,
        &q.diagnosis,
        q.attempt,
        q.body_replayable,
        &mut rng,
    );
    Ok(out(&RetryAnswer::from(decision))?)
}

/// `backoffDelay(retry, policy, seed)`: the full-jitter wait before retry
/// `retry` (counting from 0), in milliseconds ([`gatewise_core::policy::Backoff::delay`]).
#[wasm_bindgen(js_name = backoffDelay)]
pub fn backoff_delay(retry: u32, policy: JsValue, seed: f64) -> Result<JsValue, JsValue> {
    let p: RetryPolicyOptions = options("policy", policy)?;
    let mut rng = SplitMix64::new(whole_number(seed));
    let wait: Duration = p.backoff().delay(retry, &mut rng);
    Ok(out(&u64::try_from(wait.as_millis()).unwrap_or(u64::MAX))?)
}

/// `parseRetryAfter(value, nowMs)`: seconds to wait per a `Retry-After`
/// value (delay-seconds or HTTP-date), or `undefined` ([`retry_after::parse`]).
#[wasm_bindgen(js_name = parseRetryAfter)]
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u32> {
    retry_after::parse(value, whole_number(now_ms / 1000.0))
}

/// `messages(prefix, options)`: every catalog message whose key starts with
/// `prefix` (at least 3 characters, e.g. `"checks."`), in the language the
/// options ask for ([`gatewise_core::i18n::message`], English where missing).
#[wasm_bindgen]
pub fn messages(prefix: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    if prefix.len() < 3 {
        return Err(Failure::Argument("prefix", "at least 3 characters".into()).into());
    }
    let opts: TextOptions = options("options", opts)?;
    let lang = api::pick_lang(opts.lang.as_ref());
    let messages = i18n::keys()
        .iter()
        .filter(|k| k.starts_with(prefix))
        .filter_map(|k| i18n::message(lang, k).map(|m| ((*k).to_owned(), m.to_owned())))
        .collect();
    let plurals = i18n::plural_keys()
        .filter(|k| k.starts_with(prefix))
        .filter_map(|k| {
            let p = i18n::plural_message(lang, k)?;
            let forms = p.texts().map(|(c, t)| (c.to_owned(), t.to_owned()));
            Some((
                k.to_owned(),
                PluralMessage {
                    select: p.select.to_owned(),
                    forms: forms.collect(),
                },
            ))
        })
        .collect();
    Ok(out(&Messages {
        lang: lang.tag().to_owned(),
        dir: lang.dir().to_owned(),
        messages,
        plurals,
    })?)
}

/// `pluralCategory(count, options)`: the CLDR plural category (`zero`, `one`,
/// `two`, `few`, `many`, `other`) of `count` (a whole number as written:
/// `3`; anything else is `other`) in the language the options ask for
/// ([`gatewise_core::i18n::plural::category`]); what `Intl.PluralRules` says too.
#[wasm_bindgen(js_name = pluralCategory)]
pub fn plural_category(count: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    let opts: TextOptions = options("options", opts)?;
    let lang = api::pick_lang(opts.lang.as_ref());
    Ok(out(&i18n::plural::category(lang, count))?)
}

/// `checksModel()`: the live checks' verdict table, reload schedule and
/// limits as data ([`checks::model`]), for a page script that decides like the core.
#[wasm_bindgen(js_name = checksModel)]
pub fn checks_model() -> Result<JsValue, JsValue> {
    Ok(out(&checks::model())?)
}

/// `checksVerdict(results, options)`: what the live checks' outcomes mean
/// ([`checks::verdict`]), with the verdict's texts.
#[wasm_bindgen(js_name = checksVerdict)]
pub fn checks_verdict(results: JsValue, opts: JsValue) -> Result<JsValue, JsValue> {
    let r: checks::Results = arg("results", results)?;
    let opts: TextOptions = options("options", opts)?;
    let lang = api::pick_lang(opts.lang.as_ref());
    let row = checks::verdict(&r);
    let text = |key: String| i18n::message(lang, &key).unwrap_or_default().to_owned();
    Ok(out(&CheckVerdict {
        verdict: row.verdict,
        who: row.who,
        reload: row.reload,
        wait_online: row.wait_online,
        title: text(row.verdict.title_key()),
        text: text(row.verdict.text_key()),
    })?)
}

/// `languages()`: the languages the catalogs speak, English first, each with
/// its aliases (the core's one alias table, for pages that pick a catalog in JS).
#[wasm_bindgen]
pub fn languages() -> Result<JsValue, JsValue> {
    let all: Vec<LanguageInfo> = Lang::all()
        .map(|l| LanguageInfo {
            tag: l.tag().to_owned(),
            name: l.native_name().to_owned(),
            dir: l.dir().to_owned(),
            aliases: l.aliases().iter().map(|a| (*a).to_owned()).collect(),
        })
        .collect();
    Ok(out(&all)?)
}

/// `limits()`: how much of each input the core reads.
#[wasm_bindgen]
pub fn limits() -> Result<JsValue, JsValue> {
    Ok(out(&Limits {
        max_body: fingerprint::MAX_BODY,
        max_headers: fingerprint::MAX_HEADERS,
        max_cause_depth: classify::transport::MAX_DEPTH,
        max_error_text: classify::transport::MAX_TEXT,
        max_input: core_explain::MAX_INPUT,
        max_har_input: core_explain::har::MAX_HAR_INPUT,
    })?)
}

/// `statusRules()`: every status the core's one status rule says is retryable
/// or a gateway failure ([`status::rules::rules`]), as data, for JavaScript
/// that decides without calling in (`fetchWithRetry`).
#[wasm_bindgen(js_name = statusRules)]
pub fn status_rules() -> Result<JsValue, JsValue> {
    Ok(out(&status::rules::rules())?)
}

/// `statusRule(code)`: what the core's status rule says of one code
/// ([`status::rules::rule`]); a code outside 0–65535 is neither.
#[wasm_bindgen(js_name = statusRule)]
pub fn status_rule(code: f64) -> Result<JsValue, JsValue> {
    let code = u16::try_from(whole_number(code)).unwrap_or(0);
    Ok(out(&status::rules::rule(code))?)
}

/// A JavaScript number as a whole number of `u64` (negative, NaN → 0; saturating).
fn whole_number(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        // Saturating float-to-int conversion; the fraction is dropped on purpose.
        x as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_never_wrap() {
        assert_eq!(whole_number(f64::NAN), 0);
        assert_eq!(whole_number(-5.0), 0);
        assert_eq!(whole_number(1.9), 1);
        assert_eq!(whole_number(1e300), u64::MAX);
        assert_eq!(whole_number(1_700_000_000_123.0 / 1000.0), 1_700_000_000);
    }
}
