//! What one isolate keeps between requests: the parsed configuration, the
//! circuit breakers (the core's [`Guard`]: the origin's and each path's), the retry budget, the random generator for jitter and
//! request ids, the drill-through cache and the origin-status rate limit.
//! Borrows never cross an `await`.

use std::cell::RefCell;
use std::rc::Rc;

use gatewise_core::drill::Step;
use gatewise_core::policy::{
    Admission, Breaker, BreakerState, Guard, OriginEvent, Rejection, RetryBudget, SplitMix64,
    Ticket, VisitOutcome,
};
use worker::Env;

use crate::config::{Config, ConfigError, VARS};
use crate::shared::Run;

/// How long drill-through results are reused, in ms.
pub const DRILL_CACHE_MS: u64 = 5_000;
/// How many paths' drill-through results are kept.
const DRILL_CACHE_ENTRIES: usize = 16;

pub struct Isolate {
    pub config: Result<Rc<Config>, ConfigError>,
    pub guard: Guard,
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
    /// Until when the origin breaker stays open on this isolate's own word (it opened on failures
    /// spread over many paths, which the shared object is not told): the object's state is not
    /// adopted meanwhile (ms; 0: none).
    pub own_open_until: u64,
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
    let guard = Guard::new(config.as_ref().map(|c| c.guard).unwrap_or_default());
    let seed = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64 ^ now_ms();
    Isolate {
        config: config.map(Rc::new),
        guard,
        budget: RetryBudget::default(),
        rng: SplitMix64::new(seed),
        drill: Vec::new(),
        origin_status: None,
        stored: Vec::new(),
        cache_down_until: 0,
        learned_at: 0,
        runs: Vec::new(),
        own_open_until: 0,
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

/// A ticket of a visit admitted while every breaker it meets is closed.
pub const PLAIN: Ticket = Ticket {
    origin_probe: false,
    path_probe: false,
};

/// Whether a visit to `url` can go straight through at `now`, taking no
/// probe slot and asking no shared object (the happy path then records with [`PLAIN`]).
pub fn admits_plainly(url: &str, now: u64) -> bool {
    with(None, |s| s.guard.admits_plainly(url, now)).unwrap_or(true)
}

/// The first half of [`Guard::admit`] ([`Guard::screen`]), once per visit before its first attempt: the path's breaker and
/// the half-open origin's known-good rule, before the (maybe shared) origin breaker is asked.
pub fn screen(url: &str, now: u64) -> Result<(), Rejection> {
    with(None, |s| s.guard.screen(url, now)).unwrap_or(Ok(()))
}

/// The second half of [`Guard::admit`] ([`Guard::admit_with`]), with the origin breaker's answer.
pub fn admit_with(url: &str, now: u64, origin: Admission) -> Result<Ticket, Rejection> {
    with(None, |s| s.guard.admit_with(url, now, origin)).unwrap_or(Ok(PLAIN))
}

/// The isolate's own origin breaker's answer at `now` (taking a probe slot when half-open).
pub fn origin_allow(now: u64) -> Admission {
    with(None, |s| {
        let mut origin = s.guard.origin().clone();
        let admission = origin.allow(now);
        s.guard.adopt_origin(origin);
        admission
    })
    .unwrap_or(Admission::Allowed)
}

/// What the isolate's own copy of the origin breaker decides at `now` when
/// it is recent enough (taken from the shared object less than
/// `staleness_ms` ago) or closed; `None`: ask the object (a probe needs its
/// lease, or the copy is stale).
pub fn decide_locally(now: u64, staleness_ms: u32) -> Option<Admission> {
    with(None, |s| {
        let origin = s.guard.origin();
        if origin.state_at(now) == BreakerState::Closed {
            return Some(Admission::Allowed);
        }
        let own = now < s.own_open_until;
        if !own && now.saturating_sub(s.learned_at) >= u64::from(staleness_ms) {
            return None;
        }
        match origin.clone().allow(now) {
            rejected @ Admission::Rejected { .. } => Some(rejected),
            Admission::Allowed | Admission::Probe => None,
        }
    })
    .flatten()
}

/// Takes the shared object's origin breaker as this isolate's copy, at `now`
/// (the paths' breakers stay the isolate's own).
pub fn adopt(breaker: Breaker, now: u64) {
    with(None, |s| {
        if now < s.own_open_until {
            return;
        }
        s.guard.adopt_origin(breaker);
        s.learned_at = now;
    });
}

/// The origin breaker's outcomes not yet reported to the object (emptied).
pub fn take_runs() -> Vec<Run> {
    with(None, |s| std::mem::take(&mut s.runs)).unwrap_or_default()
}

/// A breaker open for `url` at `now` (checked before each retry).
pub fn stopped(url: &str, now: u64) -> Option<Rejection> {
    with(None, |s| s.guard.stopped(url, now)).flatten()
}

/// Records how a visit to `url` ended, once, at `now` (ms); what the origin
/// breaker was told is kept for the shared object — only what a visitor
/// cannot cause: a success, or a failure to reach the origin at all (DNS,
/// refused, TLS) or of a half-open probe (a URL seen to answer well). A
/// client's or one path's failure never reaches it, nor an opening by
/// failures spread over many paths: a visitor can make any number of his
/// own URLs fail, and one location's attacker must not close the origin for
/// every other location (`tests/worker/shared-breaker.test.mjs`); that
/// opening stays this isolate's own.
pub fn record(url: &str, ticket: Ticket, outcome: VisitOutcome, now: u64) {
    with(None, |s| match s.guard.record(url, ticket, outcome, now) {
        OriginEvent::None => {}
        OriginEvent::Tripped => {
            let cool_down = u64::try_from(s.guard.origin().next_cool_down().as_millis());
            s.own_open_until = now.saturating_add(cool_down.unwrap_or(u64::MAX));
        }
        OriginEvent::Success => Run::push(&mut s.runs, true),
        OriginEvent::Failure => Run::push(&mut s.runs, false),
    });
}

/// Whether recording a success at `now` needs the visit's real URL (else `""` will do).
pub fn wants_url(now: u64) -> bool {
    with(None, |s| s.guard.wants_url(now)).unwrap_or(false)
}

/// The origin breaker's state now.
pub fn breaker_state() -> BreakerState {
    with(None, |s| s.guard.origin_state(now_ms())).unwrap_or(BreakerState::Closed)
}

/// How many paths are open, and how many the table holds.
pub fn paths() -> (usize, usize) {
    with(None, |s| (s.guard.open_paths(), s.guard.tracked_paths())).unwrap_or((0, 0))
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
