//! The option and result types of the JavaScript API: plain serde structs
//! that carry values across the boundary. They add no knowledge: each
//! maps its fields onto a core type ([`PageContext`], [`RetryPolicy`],
//! [`Lang`]) or wraps a core result with the texts the core renders for it.
//!
//! Their JSON Schema (`api.schema.json`, written by `tests/schema.rs` with
//! `--features schema`) is what the npm package's TypeScript types are
//! generated from.
//!
//! # Example
//! ```
//! use gatewise_wasm::api::{LangPreference, PageOptions, RetryPolicyOptions};
//! let ctx = PageOptions {
//!     lang: Some(LangPreference::One("ar-EG".into())),
//!     request_id: Some("abc".into()),
//!     ..Default::default()
//! }
//! .context();
//! assert_eq!(ctx.lang.dir(), "rtl");
//! assert_eq!(ctx.request_id.as_deref(), Some("abc"));
//! let options: RetryPolicyOptions = serde_json::from_str(r#"{"maxAttempts": 5, "overMax": "cap"}"#).unwrap();
//! assert_eq!(options.policy().max_attempts, 5);
//! ```

use std::time::Duration;

use gatewise_core::checks::{ChecksConfig, Verdict, Who};
use gatewise_core::explain::{Exchange, InputKind, LineRange, Wrapper};
use gatewise_core::logs::{LineKind, LogExplanation, LogFormat};
use gatewise_core::policy::{Backoff, OverMax, Reason, RetryDecision, RetryPolicy, WaitSource};
use gatewise_core::render::{negotiate, PageContext, Texts};
use gatewise_core::{Diagnosis, ErrorType, Lang, ProxyStatusEntry};
use serde::{Deserialize, Serialize};

/// A language preference: one tag (`"de-CH"`) or a list in order of
/// preference (`navigator.languages`). The core picks the best catalog;
/// English when none fits.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(untagged))]
pub enum LangPreference {
    /// One BCP 47 tag.
    One(String),
    /// Tags in order of preference.
    Many(Vec<String>),
}

// Read by looking at the value's type first (a string or an array), not with serde's
// `untagged`, which tried a string first and, for a list, built and dropped an error: in
// wasm a JavaScript `Error` with its stack, ~25× the cost of the whole call.
impl<'de> Deserialize<'de> for LangPreference {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Pref;
        impl<'de> serde::de::Visitor<'de> for Pref {
            type Value = LangPreference;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a language tag or a list of language tags")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<LangPreference, E> {
                Ok(LangPreference::One(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<LangPreference, E> {
                Ok(LangPreference::One(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<LangPreference, A::Error> {
                let mut tags = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(tag) = seq.next_element::<String>()? {
                    tags.push(tag);
                }
                Ok(LangPreference::Many(tags))
            }
        }
        d.deserialize_any(Pref)
    }
}

/// The language `pref` asks for, as the core negotiates it (English by default).
pub fn pick_lang(pref: Option<&LangPreference>) -> Lang {
    match pref {
        None => Lang::EN,
        Some(LangPreference::One(tag)) => negotiate::language_from_list(&[tag.as_str()]),
        Some(LangPreference::Many(tags)) => {
            let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
            negotiate::language_from_list(&tags)
        }
    }
}

/// Options of the functions that return texts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct TextOptions {
    /// The language of the texts (default English).
    pub lang: Option<LangPreference>,
}

/// What a rendered page or problem document may show besides the diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct PageOptions {
    /// The language to write in (default English).
    pub lang: Option<LangPreference>,
    /// A request id to quote to support.
    pub request_id: Option<String>,
    /// When it happened, as text chosen by the caller.
    pub time: Option<String>,
    /// The site's display name.
    pub site_name: Option<String>,
    /// Contact for the site owner (a mail address or URL).
    pub contact: Option<String>,
    /// A status page URL.
    pub status_page: Option<String>,
    /// Include owner-only details (raw upstream text, evidence). Default false.
    pub owner_details: bool,
    /// The URL of the failed request.
    pub url: Option<String>,
    /// A CSP nonce for the caller's inline scripts.
    pub script_nonce: Option<String>,
    /// The URL of a live-checks script to load after first paint.
    pub checks_script: Option<String>,
    /// What the live-checks script is told (endpoints, resolver, other sites); written,
    /// cleaned, into the page's `data-gatewise-config` when `checksScript` is set.
    pub checks: Option<ChecksConfig>,
}

impl PageOptions {
    /// The core's page context for these options.
    pub fn context(self) -> PageContext {
        let mut ctx = PageContext::new(pick_lang(self.lang.as_ref()));
        ctx.request_id = self.request_id;
        ctx.time = self.time;
        ctx.site_name = self.site_name;
        ctx.contact = self.contact;
        ctx.status_page = self.status_page;
        ctx.owner_details = self.owner_details;
        ctx.url = self.url;
        ctx.script_nonce = self.script_nonce;
        ctx.checks_script = self.checks_script;
        ctx.checks = self.checks;
        ctx
    }
}

impl TextOptions {
    /// The core's page context for these options.
    pub fn context(&self) -> PageContext {
        PageContext::new(pick_lang(self.lang.as_ref()))
    }
}

/// The members of a diagnosis that `proxyStatus` reads (the others are not
/// converted from JavaScript: reading a whole diagnosis, evidence and all, cost
/// ~25× the rendering).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProxyStatusFacts {
    /// The failure type (`errorType`).
    pub error_type: Option<ErrorType>,
    /// The status received from upstream (`receivedStatus`).
    pub received_status: Option<u16>,
    /// The upstream `Proxy-Status` entries (`chain`).
    pub chain: Vec<ProxyStatusEntry>,
}

/// A response's status line and headers (the body travels separately, as bytes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ResponseHead {
    /// The status code.
    pub status: u16,
    /// Header names and values, in order.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

/// A diagnosis with the texts the core writes for it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExplainedDiagnosis {
    /// The diagnosis, its members at the top level.
    #[serde(flatten)]
    pub diagnosis: Diagnosis,
    /// What the HTML page would say about it, as plain texts.
    pub texts: Texts,
}

/// One explained log line.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LogLineExplanation {
    /// The 1-based line number in the text given.
    pub line: usize,
    /// The log format recognised.
    pub format: LogFormat,
    /// The id of the pattern row that matched.
    pub pattern: String,
    /// What kind of line it is.
    pub kind: LineKind,
    /// The parsed fields as `[name, value]` pairs, in extraction order.
    pub fields: Vec<(String, String)>,
    /// What the line means.
    pub diagnosis: Diagnosis,
    /// The catalog key of the explanation.
    pub key: String,
    /// The plain explanation of this line in the requested language.
    pub text: String,
}

impl LogLineExplanation {
    /// Wraps the core's explanation of line `line` with its text in `lang`.
    pub fn new(line: usize, e: &LogExplanation, lang: Lang) -> Self {
        LogLineExplanation {
            line,
            format: e.format,
            pattern: e.pattern.to_owned(),
            kind: e.kind,
            fields: e.fields.clone(),
            diagnosis: e.diagnosis.clone(),
            key: e.key.to_owned(),
            text: e.text(lang),
        }
    }
}

/// One artefact of a paste, with its own diagnosis and texts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExplainedArtefact {
    /// What it is.
    pub kind: InputKind,
    /// What it says.
    pub diagnosis: Diagnosis,
    /// Whether it reports a failure.
    pub failure: bool,
    /// The headline of its explanation (the page's title).
    pub title: String,
    /// Its one-line summary.
    pub summary: String,
    /// Where it is in the paste (none for a HAR entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<LineRange>,
    /// The envelopes peeled to read it, outermost first.
    pub wrappers: Vec<Wrapper>,
    /// Where it came from, as an envelope said (a compose service, a syslog tag, a stream).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The line it was read from, or its first line.
    pub excerpt: String,
    /// For a log line: the log explainer's reading, with its text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log: Option<LogLineExplanation>,
    /// For a HAR entry: the request and its timings as the HTTP cycle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<Exchange>,
}

/// What [`crate::explain`] found in a paste: every artefact with its own
/// diagnosis, and the headline's diagnosis and texts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// What the headline artefact is.
    pub kind: InputKind,
    /// The headline artefact's diagnosis.
    pub diagnosis: Diagnosis,
    /// What the HTML page would say about the headline's diagnosis.
    pub texts: Texts,
    /// The index of the headline in `artefacts`: the most informative failure.
    pub headline: usize,
    /// Every artefact found, in the order of the paste.
    pub artefacts: Vec<ExplainedArtefact>,
    /// Artefacts read that report no failure and are not listed, because others did.
    pub not_failed: usize,
    /// Artefacts left out beyond the most that are listed.
    pub omitted: usize,
}

/// The retry rules of one request; every member is optional and defaults to
/// the core's `RetryPolicy::default()` (3 attempts, 100 ms base, 5 s cap,
/// `Retry-After` up to 10 s, give up above).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct RetryPolicyOptions {
    /// Attempts in all, the first included.
    pub max_attempts: Option<u32>,
    /// The ceiling of the first retry's backoff, in milliseconds.
    pub base_delay_ms: Option<u64>,
    /// No backoff wait is longer than this, in milliseconds.
    pub max_delay_ms: Option<u64>,
    /// The longest `Retry-After` honoured, in milliseconds.
    pub max_retry_after_ms: Option<u64>,
    /// What to do when `Retry-After` asks for longer: give up, or wait the maximum.
    pub over_max: Option<OverMax>,
}

impl RetryPolicyOptions {
    /// The core's policy: the given members over its defaults.
    pub fn policy(&self) -> RetryPolicy {
        let d = RetryPolicy::default();
        RetryPolicy {
            max_attempts: self.max_attempts.unwrap_or(d.max_attempts),
            backoff: self.backoff(),
            max_retry_after: self
                .max_retry_after_ms
                .map_or(d.max_retry_after, Duration::from_millis),
            over_max: self.over_max.unwrap_or(d.over_max),
        }
    }

    /// The core's backoff: the given members over its defaults.
    pub fn backoff(&self) -> Backoff {
        let d = Backoff::default();
        Backoff::new(
            self.base_delay_ms.map_or(d.base, Duration::from_millis),
            self.max_delay_ms.map_or(d.cap, Duration::from_millis),
        )
    }
}

fn yes() -> bool {
    true
}

/// The question "may this failed request be tried again?".
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RetryQuestion {
    /// The request method, as sent (`GET`, `POST`; tokens are case-sensitive).
    pub method: String,
    /// The diagnosis of the failed attempt.
    pub diagnosis: Diagnosis,
    /// How many attempts were made so far (1 after the first).
    pub attempt: u32,
    /// Whether the request body (if any) can be sent again. Default true.
    #[serde(default = "yes")]
    pub body_replayable: bool,
    /// The retry rules.
    #[serde(default)]
    pub policy: RetryPolicyOptions,
    /// The seed of the jitter's random generator (an integer below 2^53).
    #[serde(default)]
    pub seed: u64,
}

/// The core's answer to a [`RetryQuestion`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RetryAnswer {
    /// Whether to try again.
    pub retry: bool,
    /// How long to wait first, in milliseconds (when `retry`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_ms: Option<u64>,
    /// Where the wait comes from (when `retry`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<WaitSource>,
    /// Why not (when not `retry`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
}

impl From<RetryDecision> for RetryAnswer {
    fn from(d: RetryDecision) -> Self {
        match d {
            RetryDecision::Retry { after, source } => RetryAnswer {
                retry: true,
                after_ms: Some(u64::try_from(after.as_millis()).unwrap_or(u64::MAX)),
                source: Some(source),
                reason: None,
            },
            RetryDecision::DontRetry(reason) => RetryAnswer {
                retry: false,
                after_ms: None,
                source: None,
                reason: Some(reason),
            },
        }
    }
}

/// A language gatewise has a catalog for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LanguageInfo {
    /// The BCP 47 tag (`zh-Hans`).
    pub tag: String,
    /// The language's own name (`Français`).
    pub name: String,
    /// `ltr` or `rtl`.
    pub dir: String,
    /// Language tags (lowercase) that negotiation sends to this catalog when no
    /// catalog has them (`pt` for `pt-BR`; `pt-PT` reaches it by removing
    /// subtags, RFC 4647 lookup): the core's one alias table, as data.
    pub aliases: Vec<String>,
}

/// How much of each input the core reads (the JavaScript side passes no more).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Bytes of a response body read by `classifyResponse`.
    pub max_body: usize,
    /// Headers read by `classifyResponse`.
    pub max_headers: usize,
    /// Errors of a `cause` chain read by `classifyError`.
    pub max_cause_depth: usize,
    /// Bytes of an error's name, message or code read by `classifyError`.
    pub max_error_text: usize,
    /// Bytes of a paste read by `explain` and `explainLogs`.
    pub max_input: usize,
    /// Bytes of a HAR file read by `explain`.
    pub max_har_input: usize,
}

/// Messages of the catalogs whose keys start with a prefix, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Messages {
    /// The BCP 47 tag of the language the messages are in.
    pub lang: String,
    /// `ltr` or `rtl`.
    pub dir: String,
    /// Full catalog key → message (English where the language lacks one);
    /// for a plural message, its `other` text.
    pub messages: std::collections::BTreeMap<String, String>,
    /// Full catalog key → the texts of a plural message, to be chosen with
    /// `new Intl.PluralRules(lang).select(count)`.
    pub plurals: std::collections::BTreeMap<String, PluralMessage>,
}

/// A plural message: the placeholder holding the count, and a text per CLDR
/// plural category of the language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PluralMessage {
    /// The placeholder that holds the count (`seconds` for `{seconds}`).
    pub select: String,
    /// CLDR category (`zero`, `one`, `two`, `few`, `many`, `other`) → text.
    pub forms: std::collections::BTreeMap<String, String>,
}

/// The verdict of the live checks for one set of results, with its texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CheckVerdict {
    /// Which verdict (`checks.verdict.<verdict>.*` in the catalogs).
    pub verdict: Verdict,
    /// Where the problem is.
    pub who: Who,
    /// Whether the page should reload (the origin answers again).
    pub reload: bool,
    /// Whether to wait for the browser's `online` event instead of a timer.
    pub wait_online: bool,
    /// The headline, in the requested language.
    pub title: String,
    /// The explanation and advice.
    pub text: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_language_is_one_tag_or_a_list_and_nothing_else() {
        let read = |json: &str| serde_json::from_str::<TextOptions>(json).map(|o| o.lang);
        assert_eq!(
            read(r#"{"lang":"de-CH"}"#).unwrap(),
            Some(LangPreference::One("de-CH".into()))
        );
        assert_eq!(
            read(r#"{"lang":["xx-YY","ar-EG"]}"#).unwrap(),
            Some(LangPreference::Many(vec!["xx-YY".into(), "ar-EG".into()]))
        );
        assert_eq!(
            read(r#"{"lang":[]}"#).unwrap(),
            Some(LangPreference::Many(vec![]))
        );
        assert_eq!(read(r#"{"lang":null}"#).unwrap(), None);
        for bad in [r#"{"lang":42}"#, r#"{"lang":[1]}"#, r#"{"lang":{"a":"b"}}"#] {
            assert!(read(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn proxy_status_facts_give_the_header_of_the_whole_diagnosis() {
        let view = gatewise_core::classify::ResponseView {
            status: 502,
            headers: &[("Proxy-Status", "cdn-1;error=connection_timeout")],
            body: b"",
        };
        let d = gatewise_core::classify::response(&view);
        let json = serde_json::to_string(&d).unwrap();
        let facts: ProxyStatusFacts = serde_json::from_str(&json).unwrap();
        let header = gatewise_core::proxy_status::header_value_of(
            &facts.chain,
            facts.error_type,
            facts.received_status,
            "edge",
        );
        assert_eq!(
            header,
            gatewise_core::proxy_status::header_value(&d, "edge")
        );
        assert_eq!(
            header,
            "cdn-1;error=connection_timeout, edge;error=connection_timeout;received-status=502"
        );
    }
}
