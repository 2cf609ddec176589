//! The error page's live checks: "is it me or the site?"
//!
//! With JavaScript, the error page runs a few checks from the visitor's
//! browser, in parallel, each with its own timeout: is the browser online,
//! do other sites answer, does the site's name resolve (DNS over HTTPS),
//! does the edge answer (its health endpoint), what does the edge see of
//! the origin right now (its origin-status endpoint), and does the very
//! address that failed answer now (the edge's re-check endpoint, which repeats
//! the failed request's path and query, bound to it by a token the page
//! carries). The browser does the
//! I/O; this module decides what the results *mean*: one table of
//! [`VERDICTS`], each row with the condition it needs, who the problem is
//! with, how the hop diagram is redrawn, and whether the page reloads.
//!
//! The script on the page does not carry its own rules: it receives the
//! table as data ([`Model`], built at build time through the wasm binding)
//! and evaluates it the way [`verdict`] does — first matching row wins; a
//! test in the browser page's suite runs every combination of outcomes
//! through both and compares. The words are catalog keys
//! (`checks.verdict.<id>.{title,text,diagram}`), so every language gets the
//! same verdict.
//!
//! [`ChecksConfig`] is what a page tells the script (the resolver, the other
//! sites, the endpoints); the HTML renderer writes it, cleaned, into the
//! page's `data-gatewise-config` attribute.
//!
//! # Example
//! ```
//! use gatewise_core::checks::{self, Outcome, Results, Verdict, Who};
//! let r = Results {
//!     browser: Outcome::Ok,
//!     sites: Outcome::Ok,
//!     dns: Outcome::Ok,
//!     edge: Outcome::Ok,
//!     origin: Outcome::Failed,
//!     ..Results::unknown()
//! };
//! let row = checks::verdict(&r);
//! assert_eq!(row.verdict, Verdict::OriginDown);
//! assert_eq!(row.who, Who::Site);
//! assert_eq!(row.verdict.title_key(), "checks.verdict.origin_down.title");
//!
//! // The site's server answers, but the address that failed still fails: no "works again".
//! let r = Results { origin: Outcome::Ok, page: Outcome::Failed, ..r };
//! assert_eq!(checks::verdict(&r).verdict, Verdict::PageFails);
//! assert!(!checks::verdict(&r).reload);
//! // Only that very address answering (below 500) is a recovery.
//! let r = Results { page: Outcome::Ok, ..r };
//! assert!(checks::verdict(&r).reload);
//!
//! let offline = Results { browser: Outcome::Failed, ..Results::unknown() };
//! assert_eq!(checks::verdict(&offline).verdict, Verdict::Offline);
//! ```

use serde::{Deserialize, Serialize};

use crate::escape::{clean, http_url, script_src, SHORT, URL};
use crate::hop::named_enum;
use crate::policy::Schedule;

named_enum! {
    /// One live check of the error page.
    Check {
        /// Is this browser online: `navigator.onLine`, and did any real request of the run answer?
        Browser = "browser",
        /// Do other sites answer (a configurable list, `no-cors` requests)?
        Sites = "sites",
        /// Does the site's name resolve (DNS over HTTPS, JSON API)?
        Dns = "dns",
        /// Does the edge answer (its health endpoint)? On the explainer, for a
        /// typed address: does the site answer at all?
        Edge = "edge",
        /// Does the origin answer the edge (the edge's origin-status endpoint)?
        Origin = "origin",
        /// Does the address that failed answer now, below 500 (the edge's
        /// re-check endpoint repeats its path and query)?
        Page = "page",
        /// On the explainer, for a typed address: does it answer at all? (A
        /// `no-cors` request: an answer from another site is opaque, its
        /// status hidden from the page, so "yes" says nothing about errors.)
        Site = "site",
    }
}

named_enum! {
    /// What one check found.
    Outcome {
        /// It answered as expected.
        Ok = "ok",
        /// It answered "no" (a network error, a failing status, a name that does not exist).
        Failed = "failed",
        /// No answer within the check's timeout.
        Timeout = "timeout",
        /// Not checked, or the answer says nothing (no endpoint, a resolver that is down).
        Unknown = "unknown",
    }
}

impl Default for Outcome {
    /// Not checked.
    fn default() -> Self {
        Outcome::Unknown
    }
}

named_enum! {
    /// Where the problem is, as the verdict sees it.
    Who {
        /// On the visitor's side (device, network).
        You = "you",
        /// On the site's side (edge, origin, DNS).
        Site = "site",
        /// Nowhere any more: the site answers again.
        Nobody = "nobody",
        /// The checks cannot tell.
        Unknown = "unknown",
    }
}

named_enum! {
    /// How one element of the hop diagram "you → edge → origin" is drawn.
    Mark {
        /// Works: the success colour.
        Ok = "ok",
        /// Fails: the failure colour, dashed or thick, with a cross.
        Bad = "bad",
        /// Not involved, or not known.
        Plain = "plain",
    }
}

named_enum! {
    /// The answer to "is it me or the site?", in plain words (catalog keys
    /// `checks.verdict.<name>.{title,text,diagram}`).
    Verdict {
        /// The browser reaches nothing: the visitor is offline.
        Offline = "offline",
        /// The address that failed answers again (below 500): reload.
        Recovered = "recovered",
        /// The site's name does not resolve.
        DnsFailed = "dns_failed",
        /// The edge answers, the origin does not.
        OriginDown = "origin_down",
        /// The edge answers, the origin is too slow to answer.
        OriginSlow = "origin_slow",
        /// The site answers, this address still fails (on the site's side).
        PageFails = "page_fails",
        /// The origin answers the edge again; this address could not be re-checked.
        OriginAnswers = "origin_answers",
        /// Other requests work, the edge does not answer.
        EdgeDown = "edge_down",
        /// The edge answers; what is behind it is not known.
        SiteSide = "site_side",
        /// A typed address answers (its status hidden from the page).
        SiteAnswers = "site_answers",
        /// No answer from a typed address reached the page (down, or refusing other pages).
        SiteNoAnswer = "site_no_answer",
        /// Nothing answered in time, not even other sites.
        SlowConnection = "slow_connection",
        /// The visitor's connection works; nothing more is known.
        ConnectionOk = "connection_ok",
        /// The checks cannot tell.
        Unclear = "unclear",
    }
}

impl Verdict {
    /// The catalog key of the verdict's headline.
    pub fn title_key(self) -> String {
        format!("checks.verdict.{}.title", self.name())
    }

    /// The catalog key of the verdict's explanation and advice.
    pub fn text_key(self) -> String {
        format!("checks.verdict.{}.text", self.name())
    }

    /// The catalog key of the redrawn diagram's caption.
    pub fn diagram_key(self) -> String {
        format!("checks.verdict.{}.diagram", self.name())
    }
}

/// The outcome of every check of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Results {
    /// [`Check::Browser`].
    pub browser: Outcome,
    /// [`Check::Sites`].
    pub sites: Outcome,
    /// [`Check::Dns`].
    pub dns: Outcome,
    /// [`Check::Edge`].
    pub edge: Outcome,
    /// [`Check::Origin`].
    pub origin: Outcome,
    /// [`Check::Page`] (absent in JSON: [`Outcome::Unknown`]).
    #[serde(default)]
    pub page: Outcome,
    /// [`Check::Site`] (absent in JSON: [`Outcome::Unknown`]).
    #[serde(default)]
    pub site: Outcome,
}

impl Results {
    /// Every check [`Outcome::Unknown`].
    pub const fn unknown() -> Self {
        Results {
            browser: Outcome::Unknown,
            sites: Outcome::Unknown,
            dns: Outcome::Unknown,
            edge: Outcome::Unknown,
            origin: Outcome::Unknown,
            page: Outcome::Unknown,
            site: Outcome::Unknown,
        }
    }

    /// The outcome of `check`.
    pub fn get(&self, check: Check) -> Outcome {
        match check {
            Check::Browser => self.browser,
            Check::Sites => self.sites,
            Check::Dns => self.dns,
            Check::Edge => self.edge,
            Check::Origin => self.origin,
            Check::Page => self.page,
            Check::Site => self.site,
        }
    }

    /// Every combination of outcomes (4⁷ = 16384), for tests that walk them all.
    pub fn all() -> impl Iterator<Item = Results> {
        let n = Outcome::ALL.len();
        let pick = move |i: usize, k: u32| {
            let digit = n
                .checked_pow(k)
                .and_then(|p| i.checked_div(p))
                .and_then(|q| q.checked_rem(n))
                .unwrap_or(0);
            Outcome::ALL.get(digit).copied().unwrap_or(Outcome::Unknown)
        };
        (0..n.saturating_pow(7)).map(move |i| Results {
            browser: pick(i, 0),
            sites: pick(i, 1),
            dns: pick(i, 2),
            edge: pick(i, 3),
            origin: pick(i, 4),
            page: pick(i, 5),
            site: pick(i, 6),
        })
    }
}

/// The outcomes one check may have for a row to apply.
pub type Condition = (Check, &'static [Outcome]);

/// One row of [`VERDICTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerdictRow {
    /// The verdict this row gives.
    pub verdict: Verdict,
    /// What the results must be: each listed check's outcome is one of its
    /// list; checks not listed may be anything. Empty: always applies.
    pub when: &'static [Condition],
    /// Where the problem is.
    pub who: Who,
    /// How the hop diagram is redrawn: you, link 1, edge, link 2, origin.
    pub marks: [Mark; 5],
    /// Whether the page reloads (the address that failed answers again).
    pub reload: bool,
    /// Whether to wait for the browser's `online` event instead of a timer.
    pub wait_online: bool,
    /// Why the row says what it says.
    pub source: &'static str,
}

impl VerdictRow {
    /// Whether the row applies to `r`.
    pub fn matches(&self, r: &Results) -> bool {
        self.when
            .iter()
            .all(|(check, allowed)| allowed.contains(&r.get(*check)))
    }
}

const OK: &[Outcome] = &[Outcome::Ok];
const FAILED: &[Outcome] = &[Outcome::Failed];
const TIMEOUT: &[Outcome] = &[Outcome::Timeout];
const NO_ANSWER: &[Outcome] = &[Outcome::Failed, Outcome::Timeout];

/// The verdicts, most specific first: the first row whose conditions hold
/// wins, and the last row holds always.
pub static VERDICTS: &[VerdictRow] = {
    use Mark::{Bad, Ok as Good, Plain};
    &[
        VerdictRow {
            verdict: Verdict::Offline,
            when: &[(Check::Browser, FAILED)],
            who: Who::You,
            marks: [Plain, Bad, Plain, Plain, Plain],
            reload: false,
            wait_online: true,
            source: "navigator.onLine is false, or every request of the run failed at once: \
                     nothing is reachable (Chromium's net-error page waits for `online` then)",
        },
        VerdictRow {
            verdict: Verdict::Recovered,
            when: &[(Check::Page, OK)],
            who: Who::Nobody,
            marks: [Plain, Good, Plain, Good, Plain],
            reload: true,
            wait_online: false,
            source: "the edge repeated this very request (its path and query) just now and \
                     the origin answered below 500: reloading will most likely work \
                     (Chromium's auto-reload; issue 14: never on the origin's root alone)",
        },
        VerdictRow {
            verdict: Verdict::SiteAnswers,
            when: &[(Check::Site, OK)],
            who: Who::Unknown,
            marks: [Plain, Good, Plain, Plain, Plain],
            reload: false,
            wait_online: false,
            source: "a `no-cors` request to another site got an answer, but browsers hide its \
                     status from the page (an opaque response, Fetch standard §3.1.4): an \
                     error page looks the same as the real one",
        },
        VerdictRow {
            verdict: Verdict::DnsFailed,
            when: &[(Check::Dns, FAILED)],
            who: Who::Site,
            marks: [Plain, Bad, Plain, Plain, Plain],
            reload: false,
            wait_online: false,
            source: "a public resolver answers NXDOMAIN or no address (RFC 8484 / DNS JSON \
                     `Status` 3): the name's DNS is the owner's to fix",
        },
        VerdictRow {
            verdict: Verdict::OriginDown,
            when: &[(Check::Edge, OK), (Check::Origin, FAILED)],
            who: Who::Site,
            marks: [Plain, Good, Plain, Bad, Plain],
            reload: false,
            wait_online: false,
            source: "the edge answers the visitor and reports that its probe of the origin \
                     failed (refused, reset, or an error status)",
        },
        VerdictRow {
            verdict: Verdict::OriginSlow,
            when: &[(Check::Edge, OK), (Check::Origin, TIMEOUT)],
            who: Who::Site,
            marks: [Plain, Good, Plain, Bad, Plain],
            reload: false,
            wait_online: false,
            source: "the edge answers at once, but its probe of the origin outlasts the \
                     check's timeout: the origin accepts and does not answer",
        },
        VerdictRow {
            verdict: Verdict::PageFails,
            when: &[(Check::Edge, OK), (Check::Page, NO_ANSWER)],
            who: Who::Site,
            marks: [Plain, Good, Plain, Good, Bad],
            reload: false,
            wait_online: false,
            source: "the edge answers and repeated this very request: the origin still fails \
                     it (an error status, a reset, no answer in time) while it is not down as \
                     a whole (issue 14: a failing path under a healthy root)",
        },
        VerdictRow {
            verdict: Verdict::OriginAnswers,
            when: &[(Check::Origin, OK)],
            who: Who::Unknown,
            marks: [Plain, Good, Plain, Good, Plain],
            reload: false,
            wait_online: false,
            source: "the edge's probe of the origin's root succeeded, but this address could \
                     not be repeated (no re-check for this page, or it was refused): the \
                     root answering says nothing about this path, so no reload",
        },
        VerdictRow {
            verdict: Verdict::EdgeDown,
            when: &[(Check::Browser, OK), (Check::Edge, NO_ANSWER)],
            who: Who::Site,
            marks: [Plain, Bad, Plain, Plain, Plain],
            reload: false,
            wait_online: false,
            source: "other requests of the same run answered, the site's edge did not",
        },
        VerdictRow {
            verdict: Verdict::SiteSide,
            when: &[(Check::Edge, OK)],
            who: Who::Site,
            marks: [Plain, Good, Plain, Plain, Plain],
            reload: false,
            wait_online: false,
            source: "the edge answers the visitor; this page exists because what is behind \
                     it failed",
        },
        VerdictRow {
            verdict: Verdict::SiteNoAnswer,
            when: &[(Check::Browser, OK), (Check::Site, NO_ANSWER)],
            who: Who::Unknown,
            marks: [Plain, Bad, Plain, Plain, Plain],
            reload: false,
            wait_online: false,
            source: "other requests answered, the typed address did not — or it refused to \
                     be asked from another page (Cross-Origin-Resource-Policy, mixed content \
                     end the same way: a network error is all the page sees)",
        },
        VerdictRow {
            verdict: Verdict::SlowConnection,
            when: &[(Check::Browser, TIMEOUT)],
            who: Who::You,
            marks: [Plain, Bad, Plain, Plain, Plain],
            reload: false,
            wait_online: false,
            source: "online by navigator.onLine, yet no request of the run answered in time, \
                     not even to other sites",
        },
        VerdictRow {
            verdict: Verdict::ConnectionOk,
            when: &[(Check::Browser, OK)],
            who: Who::Unknown,
            marks: [Plain, Plain, Plain, Plain, Plain],
            reload: false,
            wait_online: false,
            source: "something answered, but none of the site's own checks could be made",
        },
        VerdictRow {
            verdict: Verdict::Unclear,
            when: &[],
            who: Who::Unknown,
            marks: [Plain, Plain, Plain, Plain, Plain],
            reload: false,
            wait_online: false,
            source: "fallback: the results say nothing definite",
        },
    ]
};

/// The fallback row (the table's last).
const UNCLEAR: VerdictRow = VerdictRow {
    verdict: Verdict::Unclear,
    when: &[],
    who: Who::Unknown,
    marks: [Mark::Plain; 5],
    reload: false,
    wait_online: false,
    source: "fallback",
};

/// The verdict for `r`: the first row of [`VERDICTS`] that matches.
pub fn verdict(r: &Results) -> &'static VerdictRow {
    VERDICTS
        .iter()
        .find(|row| row.matches(r))
        .unwrap_or(&UNCLEAR)
}

/// The longest a single check may take, in ms: every check has timed out
/// by then, so a verdict is shown within [`VERDICT_WITHIN_MS`].
pub const MAX_TIMEOUT_MS: u32 = 2_500;
/// The shortest timeout a page may configure, in ms.
pub const MIN_TIMEOUT_MS: u32 = 250;
/// The promise the page makes: a verdict within this many ms of the checks' start.
pub const VERDICT_WITHIN_MS: u32 = 3_000;
/// Most other sites tried.
pub const MAX_SITES: usize = 6;
/// The DNS-over-HTTPS JSON resolver used when the page names none.
pub const DEFAULT_RESOLVER: &str = "https://cloudflare-dns.com/dns-query";
/// Other sites tried when the page names none: small answers from large,
/// independent networks, which allow `no-cors` requests from any page.
pub const DEFAULT_SITES: &[&str] = &[
    "https://www.google.com/generate_204",
    "https://www.cloudflare.com/cdn-cgi/trace",
    "https://www.wikipedia.org/static/favicon/wikipedia.ico",
];

/// What a page tells its check script. Every member is optional: the script
/// uses the endpoints beside its own URL (`health`, `origin-status`), the
/// [`DEFAULT_RESOLVER`], the [`DEFAULT_SITES`] and the page's own host.
///
/// # Example
/// ```
/// use gatewise_core::checks::ChecksConfig;
/// let c = ChecksConfig {
///     sites: Some(vec!["https://example.org/".into(), "javascript:alert(1)".into()]),
///     health: Some("//evil.example/h".into()),
///     timeout_ms: Some(60_000),
///     ..ChecksConfig::default()
/// }
/// .cleaned();
/// assert_eq!(c.sites, Some(vec!["https://example.org/".to_owned()]));
/// assert_eq!(c.health, None);
/// assert_eq!(c.timeout_ms, Some(2_500));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct ChecksConfig {
    /// The edge's health endpoint: an http(s) URL or a path on this origin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<String>,
    /// The edge's origin-status endpoint: an http(s) URL or a path on this origin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin_status: Option<String>,
    /// The edge's re-check of the address that failed, token included: a
    /// path on this origin only (`/__gatewise/recheck?t=…`). Absent: the
    /// page's own address is not re-checked, and the page never reloads by itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// A DNS-over-HTTPS resolver with the JSON API (`?name=…&type=A`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolver: Option<String>,
    /// Other sites to try (http(s) URLs); an empty list skips the check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sites: Option<Vec<String>>,
    /// The name to resolve (default: the page's own host).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Each check's timeout in ms (clamped to [`MIN_TIMEOUT_MS`]..=[`MAX_TIMEOUT_MS`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    /// Whether the page may reload itself when the address that failed
    /// answers again (default yes; a gateway answering a failed POST says no).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_reload: Option<bool>,
}

/// `s` if it is an http(s) URL or a path on the same origin.
fn endpoint(s: &str) -> Option<String> {
    let s = s.trim();
    let same_origin = script_src(s).filter(|p| p.starts_with('/'));
    same_origin.or_else(|| http_url(s)).map(str::to_owned)
}

/// `s` if it is a plain host name or IP literal.
fn host_name(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('.');
    let ok = !s.is_empty()
        && s.len() <= 253
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    ok.then(|| s.to_ascii_lowercase())
}

impl ChecksConfig {
    /// The configuration with every value the page may carry: URLs that
    /// are http(s) or same-origin paths, at most [`MAX_SITES`] sites, a plain
    /// host name, the timeout clamped. Anything else is dropped.
    pub fn cleaned(&self) -> ChecksConfig {
        let url = |v: &Option<String>| {
            v.as_deref()
                .map(|s| clean(s, URL))
                .and_then(|s| endpoint(&s))
        };
        ChecksConfig {
            health: url(&self.health),
            origin_status: url(&self.origin_status),
            page: self
                .page
                .as_deref()
                .and_then(|s| script_src(s).filter(|p| p.starts_with('/')))
                .map(str::to_owned),
            resolver: self
                .resolver
                .as_deref()
                .and_then(|s| http_url(s))
                .map(str::to_owned),
            sites: self.sites.as_ref().map(|list| {
                list.iter()
                    .filter_map(|s| http_url(s).map(str::to_owned))
                    .take(MAX_SITES)
                    .collect()
            }),
            host: self
                .host
                .as_deref()
                .map(|s| clean(s, SHORT))
                .and_then(|s| host_name(&s)),
            timeout_ms: self
                .timeout_ms
                .map(|t| t.clamp(MIN_TIMEOUT_MS, MAX_TIMEOUT_MS)),
            auto_reload: self.auto_reload,
        }
    }
}

/// One verdict row as data for the page's script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct VerdictData {
    /// The verdict (its catalog keys are `checks.verdict.<verdict>.*`).
    pub verdict: Verdict,
    /// Per listed check, the outcomes it may have; an unlisted check may be anything.
    pub when: Vec<(Check, Vec<Outcome>)>,
    /// Where the problem is.
    pub who: Who,
    /// The diagram: you, link 1, edge, link 2, origin.
    pub marks: Vec<Mark>,
    /// Whether the page reloads.
    pub reload: bool,
    /// Whether to wait for the browser's `online` event instead of a timer.
    pub wait_online: bool,
}

/// Everything the page's script needs to decide like the core: the
/// verdict table, the reload schedule and the limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Model {
    /// The checks, in the order the page lists them.
    pub checks: Vec<Check>,
    /// [`VERDICTS`], in order: the first row that matches wins.
    pub verdicts: Vec<VerdictData>,
    /// Waits between automatic re-checks, in ms ([`Schedule::chrome_like`]); the last repeats.
    pub schedule: Schedule,
    /// Each check's timeout unless the page sets one, in ms.
    pub timeout_ms: u32,
    /// The shortest timeout a page may set, in ms.
    pub min_timeout_ms: u32,
    /// The verdict is shown within this many ms of the start.
    pub verdict_within_ms: u32,
    /// The default DNS-over-HTTPS JSON resolver.
    pub resolver: String,
    /// The default other sites.
    pub sites: Vec<String>,
    /// Most other sites tried.
    pub max_sites: usize,
}

/// The [`Model`] for the page's script.
///
/// # Example
/// ```
/// let m = gatewise_core::checks::model();
/// assert_eq!(m.verdicts.len(), gatewise_core::checks::VERDICTS.len());
/// assert_eq!(m.schedule.as_millis().first(), Some(&1_000));
/// ```
pub fn model() -> Model {
    Model {
        checks: Check::ALL.to_vec(),
        verdicts: VERDICTS
            .iter()
            .map(|row| VerdictData {
                verdict: row.verdict,
                when: row
                    .when
                    .iter()
                    .map(|(c, allowed)| (*c, allowed.to_vec()))
                    .collect(),
                who: row.who,
                marks: row.marks.to_vec(),
                reload: row.reload,
                wait_online: row.wait_online,
            })
            .collect(),
        schedule: Schedule::chrome_like(),
        timeout_ms: MAX_TIMEOUT_MS,
        min_timeout_ms: MIN_TIMEOUT_MS,
        verdict_within_ms: VERDICT_WITHIN_MS,
        resolver: DEFAULT_RESOLVER.to_owned(),
        sites: DEFAULT_SITES.iter().map(|s| (*s).to_owned()).collect(),
        max_sites: MAX_SITES,
    }
}

/// What the error page tells its check script, as the JSON of
/// `<main data-gatewise-config="…">`: the failure the page shows (for the
/// "copy details" text and the diagram) and the cleaned [`ChecksConfig`].
///
/// # Example
/// ```
/// use gatewise_core::checks::{ChecksConfig, PageFacts};
/// use gatewise_core::render::PageContext;
/// use gatewise_core::{Diagnosis, ErrorType, Lang, Layer};
/// let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
/// let mut ctx = PageContext::new(Lang::EN);
/// ctx.request_id = Some("abc".into());
/// ctx.checks = Some(ChecksConfig { resolver: Some("https://dns.example/q".into()), ..Default::default() });
/// let json = PageFacts::new(&d, &ctx).to_json();
/// assert!(json.starts_with(r#"{"status":502,"errorType":"connection_refused","hop":"connect""#));
/// assert!(json.contains(r#""requestId":"abc""#));
/// assert!(json.contains(r#""checks":{"resolver":"https://dns.example/q"}"#));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PageFacts {
    /// The status the page is sent with.
    pub status: u16,
    /// The failure type, when known.
    pub error_type: Option<crate::ErrorType>,
    /// The failed step, when known.
    pub hop: Option<crate::Hop>,
    /// Where on the path it failed.
    pub segment: crate::Segment,
    /// Who wrote the error.
    pub layer: crate::Layer,
    /// Whether trying again may help.
    pub retryable: bool,
    /// The request id (cleaned), when the page shows one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// When it happened (cleaned), when the page shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The checks' configuration, cleaned.
    pub checks: ChecksConfig,
}

/// What a page tells its live checks besides the diagnosis (the renderer's
/// page context implements it): this module needs no renderer.
pub trait PageInfo {
    /// The request id the page shows, if any.
    fn request_id(&self) -> Option<&str>;
    /// When it happened, if the page shows it.
    fn time(&self) -> Option<&str>;
    /// The checks' configuration, if the page runs them.
    fn checks_config(&self) -> Option<&ChecksConfig>;
}

impl PageFacts {
    /// The facts of the page for `d` rendered with `ctx` (a [`crate::render::PageContext`]).
    pub fn new(d: &crate::Diagnosis, ctx: &impl PageInfo) -> Self {
        let short = |v: Option<&str>| v.map(|s| clean(s, SHORT)).filter(|s| !s.is_empty());
        PageFacts {
            status: d.status,
            error_type: d.error_type,
            hop: d.hop,
            segment: d.segment,
            layer: d.layer,
            retryable: d.retryable,
            request_id: short(ctx.request_id()),
            time: short(ctx.time()),
            checks: ctx
                .checks_config()
                .map(ChecksConfig::cleaned)
                .unwrap_or_default(),
        }
    }

    /// The JSON text (to be escaped into the attribute by the renderer).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{self, Lang};

    #[test]
    fn the_last_row_always_applies_and_every_row_is_reachable() {
        let last = VERDICTS.last().map(|r| r.when.len());
        assert_eq!(last, Some(0));
        for (i, row) in VERDICTS.iter().enumerate() {
            let wins = Results::all()
                .filter(|r| verdict(r).verdict == row.verdict)
                .count();
            assert!(wins > 0, "row {i} ({}) never wins", row.verdict);
        }
        assert_eq!(Results::all().count(), 16_384);
    }

    #[test]
    fn every_verdict_has_one_row_and_its_texts() {
        for v in Verdict::ALL {
            assert_eq!(
                VERDICTS.iter().filter(|r| r.verdict == *v).count(),
                1,
                "{v}"
            );
            for key in [v.title_key(), v.text_key(), v.diagram_key()] {
                assert!(i18n::has_key(&key), "{key}");
                for lang in Lang::all() {
                    let m = i18n::message(lang, &key).unwrap_or("");
                    assert!(!m.trim().is_empty(), "{lang} {key}");
                }
            }
        }
        for c in Check::ALL {
            assert!(i18n::has_key(&format!("checks.check.{}", c.name())), "{c}");
        }
        for o in Outcome::ALL {
            assert!(i18n::has_key(&format!("checks.state.{}", o.name())), "{o}");
        }
        for w in Who::ALL {
            assert!(i18n::has_key(&format!("checks.who.{}", w.name())), "{w}");
        }
    }

    #[test]
    fn rows_draw_at_most_one_failure_and_reload_only_when_the_page_answers() {
        for row in VERDICTS {
            let bad = row.marks.iter().filter(|m| **m == Mark::Bad).count();
            assert!(bad <= 1, "{}", row.verdict);
            assert_eq!(
                row.reload,
                row.when.contains(&(Check::Page, OK)),
                "{}",
                row.verdict
            );
            // "Solved" and an all-green path only when that very address answers again.
            assert_eq!(row.who == Who::Nobody, row.reload, "{}", row.verdict);
            assert!(!row.source.is_empty());
        }
    }

    #[test]
    fn the_plain_questions_get_the_plain_answers() {
        let base = Results {
            browser: Outcome::Ok,
            sites: Outcome::Ok,
            dns: Outcome::Ok,
            edge: Outcome::Ok,
            origin: Outcome::Ok,
            page: Outcome::Ok,
            site: Outcome::Unknown,
        };
        let cases = [
            (base, Verdict::Recovered, Who::Nobody),
            (
                Results {
                    page: Outcome::Failed,
                    ..base
                },
                Verdict::PageFails,
                Who::Site,
            ),
            (
                Results {
                    page: Outcome::Timeout,
                    ..base
                },
                Verdict::PageFails,
                Who::Site,
            ),
            (
                Results {
                    page: Outcome::Unknown,
                    ..base
                },
                Verdict::OriginAnswers,
                Who::Unknown,
            ),
            (
                Results {
                    origin: Outcome::Failed,
                    page: Outcome::Failed,
                    ..base
                },
                Verdict::OriginDown,
                Who::Site,
            ),
            // The explainer: a typed address, its answer opaque.
            (
                Results {
                    site: Outcome::Ok,
                    ..Results::unknown()
                },
                Verdict::SiteAnswers,
                Who::Unknown,
            ),
            (
                Results {
                    browser: Outcome::Ok,
                    sites: Outcome::Ok,
                    site: Outcome::Failed,
                    ..Results::unknown()
                },
                Verdict::SiteNoAnswer,
                Who::Unknown,
            ),
            (
                Results {
                    origin: Outcome::Failed,
                    page: Outcome::Unknown,
                    ..base
                },
                Verdict::OriginDown,
                Who::Site,
            ),
            (
                Results {
                    origin: Outcome::Timeout,
                    page: Outcome::Unknown,
                    ..base
                },
                Verdict::OriginSlow,
                Who::Site,
            ),
            (
                Results {
                    origin: Outcome::Unknown,
                    page: Outcome::Unknown,
                    edge: Outcome::Timeout,
                    ..base
                },
                Verdict::EdgeDown,
                Who::Site,
            ),
            (
                Results {
                    browser: Outcome::Failed,
                    ..Results::unknown()
                },
                Verdict::Offline,
                Who::You,
            ),
            (
                Results {
                    browser: Outcome::Timeout,
                    sites: Outcome::Timeout,
                    dns: Outcome::Timeout,
                    edge: Outcome::Timeout,
                    origin: Outcome::Timeout,
                    page: Outcome::Timeout,
                    site: Outcome::Timeout,
                },
                Verdict::SlowConnection,
                Who::You,
            ),
            (
                Results {
                    dns: Outcome::Failed,
                    origin: Outcome::Unknown,
                    page: Outcome::Unknown,
                    ..base
                },
                Verdict::DnsFailed,
                Who::Site,
            ),
            (Results::unknown(), Verdict::Unclear, Who::Unknown),
        ];
        for (r, v, who) in cases {
            let row = verdict(&r);
            assert_eq!((row.verdict, row.who), (v, who), "{r:?}");
        }
    }

    #[test]
    fn offline_always_wins_and_only_the_page_answering_again_reloads() {
        for r in Results::all() {
            let row = verdict(&r);
            if r.browser == Outcome::Failed {
                assert_eq!(row.verdict, Verdict::Offline, "{r:?}");
            } else if r.page == Outcome::Ok {
                assert_eq!(row.verdict, Verdict::Recovered, "{r:?}");
            } else {
                // Issue 14: the origin's root answering, or a typed site answering
                // (opaquely), is never "works again".
                assert!(!row.reload, "{r:?}");
                assert_ne!(row.who, Who::Nobody, "{r:?}");
            }
            // A site that answered is never blamed on the explainer.
            if r.site == Outcome::Ok && r.edge == Outcome::Unknown && r.origin == Outcome::Unknown {
                assert_ne!(row.who, Who::Site, "{r:?}");
            }
        }
    }

    #[test]
    fn a_failing_page_under_an_answering_origin_stays_a_failure() {
        for r in Results::all().filter(|r| {
            r.browser == Outcome::Ok
                && r.edge == Outcome::Ok
                && r.origin == Outcome::Ok
                && matches!(r.page, Outcome::Failed | Outcome::Timeout)
                && r.dns != Outcome::Failed
                // `site` is the explainer's check; the error page never runs it.
                && r.site == Outcome::Unknown
        }) {
            let row = verdict(&r);
            assert_eq!(row.verdict, Verdict::PageFails, "{r:?}");
            assert_eq!(row.who, Who::Site);
            assert_eq!(
                row.marks.get(4),
                Some(&Mark::Bad),
                "the site's server is marked"
            );
        }
    }

    #[test]
    fn the_model_is_the_table() {
        let m = model();
        let json = serde_json::to_value(&m).unwrap_or_default();
        assert_eq!(json["schedule"][1], 5_000);
        assert_eq!(json["verdicts"][0]["verdict"], "offline");
        assert_eq!(json["verdicts"][0]["when"][0][0], "browser");
        assert_eq!(json["verdicts"][0]["when"][0][1][0], "failed");
        assert_eq!(json["verdicts"][1]["marks"][1], "ok");
        assert_eq!(json["checks"].as_array().map(Vec::len), Some(7));
        assert_eq!(json["checks"][5], "page");
        for (data, row) in m.verdicts.iter().zip(VERDICTS) {
            assert_eq!(data.verdict, row.verdict);
            assert_eq!(data.when.len(), row.when.len());
        }
    }

    #[test]
    fn config_keeps_only_safe_values() {
        let c = ChecksConfig {
            health: Some("/__gatewise/health".into()),
            origin_status: Some("https://edge.example/__gatewise/origin-status".into()),
            page: Some("/__gatewise/recheck?t=1.G.99.L3g.AAAA".into()),
            resolver: Some("/dns".into()),
            sites: Some((0..10).map(|i| format!("https://s{i}.example/")).collect()),
            host: Some("Shop.Example.COM.".into()),
            timeout_ms: Some(1),
            auto_reload: Some(false),
        }
        .cleaned();
        assert_eq!(c.health.as_deref(), Some("/__gatewise/health"));
        assert!(c.origin_status.is_some());
        assert_eq!(
            c.page.as_deref(),
            Some("/__gatewise/recheck?t=1.G.99.L3g.AAAA")
        );
        assert_eq!(c.resolver, None, "a resolver must be an absolute URL");
        assert_eq!(c.sites.as_ref().map(Vec::len), Some(MAX_SITES));
        assert_eq!(c.host.as_deref(), Some("shop.example.com"));
        assert_eq!(c.timeout_ms, Some(MIN_TIMEOUT_MS));
        assert_eq!(c.auto_reload, Some(false));
        let hostile = ChecksConfig {
            host: Some("a\"b<c>".into()),
            health: Some("javascript:alert(1)".into()),
            page: Some("https://evil.example/recheck".into()),
            sites: Some(vec![]),
            ..ChecksConfig::default()
        }
        .cleaned();
        assert_eq!(hostile.host, None);
        assert_eq!(hostile.health, None);
        assert_eq!(
            hostile.page, None,
            "the re-check is the page's own edge only"
        );
        assert_eq!(hostile.sites, Some(vec![]));
    }
}
