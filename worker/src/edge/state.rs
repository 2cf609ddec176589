//! What one isolate keeps between requests: the parsed configuration, the
//! circuit breaker, the retry budget, the random generator for jitter and
//! request ids, the drill-through cache and the origin-status rate limit.
//! Borrows never cross an `await`.

use std::cell::RefCell;
use std::rc::Rc;

use gatewise_core::drill::Step;
use gatewise_core::policy::{Admission, Breaker, BreakerState, RetryBudget, SplitMix64};
use worker::Env;

use crate::config::{Config, ConfigError, VARS};
use crate::shared::Run;

/// How long drill-through results are reused, in ms.
pub const DRILL_CACHE_MS: u64 = 5_000;
/// How many paths' drill-through results are kept.
const DRILL_CACHE_ENTRIES: usize = 16;

pub struct Isolate {
    pub config: Result<Rc<Config>, ConfigError>,
    pub breaker: Breaker,
    pub budget: RetryBudget,
    pub rng: SplitMix64,
    pub drill: Vec<(String, u64, Rc<Vec<Step>>)>,
    pub origin_status: Option<(u64, Rc<(String, String)>)>,
    /// Keys of copies stored for serving stale, and until when they need no refresh.
    pub stored: Vec<(String, u64)>,
    /// Until when the Cache API is left alone after it failed (ms; 0: it works).
    pub cache_down_until: u64,
    /// When the breaker was last taken from the origin's shared object (ms; 0: never).
    pub learned_at: u64,
    /// Breaker outcomes not yet reported to the shared object.
    pub runs: Vec<Run>,
}

/// How long the Cache API is left alone after a call to it failed (a runtime without a cache
/// service rejects every call: looking up a stale copy must not cost every failure an exception).
pub const CACHE_PAUSE_MS: u64 = 30_000;

/// How many stored keys the isolate remembers (older ones are stored again when seen).
const STORED_ENTRIES: usize = 256;

thread_local! {
    static ISOLATE: RefCell<Option<Isolate>> = const { RefCell::new(None) };
}

pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Reads the configuration from the environment's `[vars]` and secrets (every name of [`VARS`], once).
pub fn read_config(env: &Env) -> Result<Config, ConfigError> {
    let get = |name: &str| {
        if name == "DEBUG_TOKEN" {
            env.secret(name).ok().map(|s| s.to_string())
        } else {
            env.var(name).ok().map(|v| v.to_string())
        }
    };
    // Read every variable once; the getter is only called for names of VARS.
    let values: Vec<(&'static str, Option<String>)> =
        VARS.iter().map(|v| (v.name, get(v.name))).collect();
    Config::from_vars(|n| {
        values
            .iter()
            .find(|(k, _)| *k == n)
            .and_then(|(_, v)| v.clone())
    })
}

fn load(env: &Env) -> Isolate {
    let config = read_config(env);
    let breaker = Breaker::new(config.as_ref().map(|c| c.breaker).unwrap_or_default());
    let seed = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64 ^ now_ms();
    Isolate {
        config: config.map(Rc::new),
        breaker,
        budget: RetryBudget::default(),
        rng: SplitMix64::new(seed),
        drill: Vec::new(),
        origin_status: None,
        stored: Vec::new(),
        cache_down_until: 0,
        learned_at: 0,
        runs: Vec::new(),
    }
}

/// Runs `f` on the isolate's state (created on first use).
pub fn with<R>(env: Option<&Env>, f: impl FnOnce(&mut Isolate) -> R) -> Option<R> {
    ISOLATE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(load(env?));
        }
        slot.as_mut().map(f)
    })
}

pub fn config(env: &Env) -> Result<Rc<Config>, ConfigError> {
    with(Some(env), |s| s.config.clone()).unwrap_or_else(|| {
        Err(ConfigError {
            var: "ORIGIN_URL",
            problem: "could not be read".into(),
        })
    })
}

/// Whether the breaker lets a request through at `now` (ms; the caller's clock reading, so that
/// the happy path reads the clock once per attempt).
pub fn admit(now: u64) -> Admission {
    with(None, |s| s.breaker.allow(now)).unwrap_or(Admission::Allowed)
}

/// Whether the breaker is closed at `now`: a request goes straight through,
/// and there is nothing to ask the shared object.
pub fn admits_plainly(now: u64) -> bool {
    with(None, |s| s.breaker.state_at(now) == BreakerState::Closed).unwrap_or(true)
}

/// What the isolate's own copy decides at `now` when it is recent enough
/// (taken from the object less than `staleness_ms` ago) or closed; `None`:
/// ask the object (a probe needs its lease, or the copy is stale).
pub fn decide_locally(now: u64, staleness_ms: u32) -> Option<Admission> {
    with(None, |s| {
        if s.breaker.state_at(now) == BreakerState::Closed {
            return Some(s.breaker.allow(now));
        }
        if now.saturating_sub(s.learned_at) >= u64::from(staleness_ms) {
            return None;
        }
        match s.breaker.clone().allow(now) {
            rejected @ Admission::Rejected { .. } => Some(rejected),
            Admission::Allowed | Admission::Probe => None,
        }
    })
    .flatten()
}

/// Takes the shared object's breaker as this isolate's copy, at `now`.
pub fn adopt(breaker: Breaker, now: u64) {
    with(None, |s| {
        s.breaker = breaker;
        s.learned_at = now;
    });
}

/// The outcomes not yet reported to the object (emptied).
pub fn take_runs() -> Vec<Run> {
    with(None, |s| std::mem::take(&mut s.runs)).unwrap_or_default()
}

/// Records an outcome with the breaker at `now` (ms), and keeps it for the shared object.
pub fn record(success: bool, now: u64) {
    with(None, |s| {
        if success {
            s.breaker.record_success(now);
        } else {
            s.breaker.record_failure(now);
        }
        Run::push(&mut s.runs, success);
    });
}

pub fn breaker_state() -> BreakerState {
    with(None, |s| s.breaker.state_at(now_ms())).unwrap_or(BreakerState::Closed)
}

/// Adds one request's deposit to the retry budget at `now` (ms).
pub fn deposit(now: u64) {
    with(None, |s| s.budget.deposit(now));
}

pub fn next_u64() -> u64 {
    with(None, |s| s.rng.next_u64()).unwrap_or(0)
}

/// Runs `f` with the random generator and the retry budget.
pub fn with_policy<R>(f: impl FnOnce(&mut SplitMix64, &mut RetryBudget) -> R) -> Option<R> {
    with(None, |s| f(&mut s.rng, &mut s.budget))
}

/// The drill-through steps for `path` when they are fresh.
pub fn cached_drill(path: &str) -> Option<Rc<Vec<Step>>> {
    let now = now_ms();
    with(None, |s| {
        s.drill
            .iter()
            .find(|(p, until, _)| p == path && *until > now)
            .map(|(_, _, d)| d.clone())
    })
    .flatten()
}

pub fn store_drill(path: &str, steps: Rc<Vec<Step>>) {
    let now = now_ms();
    with(None, |s| {
        s.drill.retain(|(p, until, _)| p != path && *until > now);
        if s.drill.len() >= DRILL_CACHE_ENTRIES {
            s.drill.remove(0);
        }
        s.drill.push((path.to_owned(), now + DRILL_CACHE_MS, steps));
    });
}

/// The last origin-status answers (public, owner) when younger than `interval_ms`.
pub fn recent_origin_status(interval_ms: u32) -> Option<Rc<(String, String)>> {
    let now = now_ms();
    with(None, |s| {
        s.origin_status
            .as_ref()
            .filter(|(at, _)| now.saturating_sub(*at) < u64::from(interval_ms))
            .map(|(_, j)| j.clone())
    })
    .flatten()
}

pub fn store_origin_status(public: String, owner: String) {
    let now = now_ms();
    with(None, |s| {
        s.origin_status = Some((now, Rc::new((public, owner))))
    });
}

/// Whether a copy for `key` should be stored now: not when this isolate
/// stored one less than `interval_ms` ago (a busy page costs one cache write
/// per interval, not one per request).
pub fn should_store(key: &str, interval_ms: u64, now: u64) -> bool {
    with(None, |s| {
        if s.stored.iter().any(|(k, until)| k == key && *until > now) {
            return false;
        }
        s.stored.retain(|(k, until)| k != key && *until > now);
        if s.stored.len() >= STORED_ENTRIES {
            s.stored.remove(0);
        }
        s.stored.push((key.to_owned(), now + interval_ms));
        true
    })
    .unwrap_or(false)
}

/// Whether the Cache API may be used at `now` (not within [`CACHE_PAUSE_MS`] of a failure).
pub fn cache_usable(now: u64) -> bool {
    with(None, |s| now >= s.cache_down_until).unwrap_or(true)
}

/// Records a failed Cache API call at `now`; true when this starts a pause (log it once).
pub fn cache_failed(now: u64) -> bool {
    with(None, |s| {
        let starts = now >= s.cache_down_until;
        s.cache_down_until = now.saturating_add(CACHE_PAUSE_MS);
        starts
    })
    .unwrap_or(false)
}
