//! Exact outcomes of the retry policy, retry budget, backoff, `Retry-After`
//! and circuit breaker.

use std::time::Duration;

use gatewise_core::policy::{
    retry_after, Admission, Backoff, Breaker, BreakerConfig, BreakerState, OverMax, Reason,
    RetryBudget, RetryDecision, RetryPolicy, Schedule, SplitMix64, WaitSource, METHODS,
};
use gatewise_core::{Diagnosis, ErrorType, Layer, Reached, ERROR_TYPES};

fn diag(t: ErrorType) -> Diagnosis {
    Diagnosis::for_type(t, Layer::Nginx)
}

fn decide(method: &str, d: &Diagnosis, attempt: u32, body_replayable: bool) -> RetryDecision {
    RetryPolicy::default().decide(
        method,
        d,
        attempt,
        body_replayable,
        &mut SplitMix64::new(42),
    )
}

fn refused(reason: Reason) -> RetryDecision {
    RetryDecision::DontRetry(reason)
}

// ---------------------------------------------------------------- retry rules

#[test]
fn post_after_connection_refused_is_retried_with_backoff() {
    let d = diag(ErrorType::ConnectionRefused);
    assert_eq!(d.reached, Reached::No);
    let got = decide("POST", &d, 1, true);
    assert!(
        matches!(
            got,
            RetryDecision::Retry {
                source: WaitSource::Backoff,
                ..
            }
        ),
        "{got:?}"
    );
    let after = got.after().unwrap_or(Duration::MAX);
    assert!(after <= Backoff::default().ceiling(0), "{after:?}");
}

#[test]
fn post_after_a_possibly_delivered_request_is_never_retried() {
    for t in [
        ErrorType::ConnectionTerminated,
        ErrorType::HttpResponseTimeout,
    ] {
        assert_eq!(diag(t).reached, Reached::Maybe);
        for method in ["POST", "PATCH", "LOCK", "CONNECT"] {
            assert_eq!(
                decide(method, &diag(t), 1, true),
                refused(Reason::MayHaveReachedOrigin),
                "{method} after {t}"
            );
        }
    }
}

#[test]
fn post_after_the_origin_answered_is_not_idempotent() {
    let incomplete = diag(ErrorType::HttpResponseIncomplete);
    assert_eq!(
        decide("POST", &incomplete, 1, true),
        refused(Reason::NotIdempotent)
    );
    assert!(decide("GET", &incomplete, 1, true).is_retry());
    let busy = Diagnosis::for_status(503, Layer::OriginApp);
    assert_eq!(
        decide("POST", &busy, 1, true),
        refused(Reason::NotIdempotent)
    );
    assert!(decide("PUT", &busy, 1, true).is_retry());
}

#[test]
fn every_idempotent_method_is_retried_after_a_response_timeout() {
    let d = diag(ErrorType::HttpResponseTimeout);
    for method in ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"] {
        assert!(decide(method, &d, 1, true).is_retry(), "{method}");
    }
    let mut idempotent = 0;
    for m in METHODS {
        let got = decide(m.name, &d, 1, true);
        if m.idempotent {
            idempotent += 1;
            assert!(got.is_retry(), "{}", m.name);
        } else {
            assert_eq!(got, refused(Reason::MayHaveReachedOrigin), "{}", m.name);
        }
    }
    assert_eq!(idempotent, 12);
}

#[test]
fn methods_are_case_sensitive_and_unknown_ones_are_treated_like_post() {
    let d = diag(ErrorType::HttpResponseTimeout);
    for method in ["get", "Get", "BREW", "", "GET "] {
        assert_eq!(
            decide(method, &d, 1, true),
            refused(Reason::MayHaveReachedOrigin),
            "{method:?}"
        );
    }
    assert!(decide("get", &diag(ErrorType::ConnectionRefused), 1, true).is_retry());
}

#[test]
fn non_transient_failures_are_not_retried_for_any_method() {
    let mut checked = 0;
    for (t, info) in ERROR_TYPES.iter().filter(|(_, i)| !i.temporary) {
        for method in ["GET", "POST"] {
            assert_eq!(
                decide(method, &diag(*t), 1, true),
                refused(Reason::NotRetryable),
                "{t} {}",
                info.name
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} non-transient types");
    assert_eq!(
        decide(
            "GET",
            &Diagnosis::for_status(500, Layer::OriginApp),
            1,
            true
        ),
        refused(Reason::NotRetryable)
    );
}

#[test]
fn a_body_is_resent_only_when_it_was_kept() {
    let d = diag(ErrorType::ConnectionRefused);
    assert_eq!(
        decide("POST", &d, 1, false),
        refused(Reason::BodyNotReplayable)
    );
    assert_eq!(
        decide("PUT", &d, 1, false),
        refused(Reason::BodyNotReplayable)
    );
    assert!(decide("PUT", &d, 1, true).is_retry());
    // Idempotency is judged first: the body question never arises for a POST that may have arrived.
    let timeout = diag(ErrorType::HttpResponseTimeout);
    assert_eq!(
        decide("POST", &timeout, 1, false),
        refused(Reason::MayHaveReachedOrigin)
    );
}

#[test]
fn attempt_budget_counts_the_first_attempt() {
    let d = diag(ErrorType::ConnectionTimeout);
    let policy = RetryPolicy {
        max_attempts: 3,
        ..RetryPolicy::default()
    };
    let mut rng = SplitMix64::new(1);
    let outcomes: Vec<Option<Reason>> = (0..=4)
        .map(|a| policy.decide("GET", &d, a, true, &mut rng).reason())
        .collect();
    assert_eq!(
        outcomes,
        [
            None,
            None,
            None,
            Some(Reason::AttemptsExhausted),
            Some(Reason::AttemptsExhausted)
        ]
    );
    let once = RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    };
    assert_eq!(
        once.decide("GET", &d, 1, true, &mut rng),
        refused(Reason::AttemptsExhausted)
    );
    let zero = RetryPolicy {
        max_attempts: 0,
        ..RetryPolicy::default()
    };
    assert_eq!(
        zero.decide("GET", &d, 1, true, &mut rng),
        refused(Reason::AttemptsExhausted)
    );
}

#[test]
fn retry_after_is_honoured_up_to_the_max() {
    let mut d = diag(ErrorType::DestinationUnavailable);
    let mut rng = SplitMix64::new(9);
    let policy = RetryPolicy {
        max_retry_after: Duration::from_secs(30),
        ..RetryPolicy::default()
    };
    for secs in [0, 1, 29, 30] {
        d.retry_after = Some(secs);
        assert_eq!(
            policy.decide("GET", &d, 1, true, &mut rng),
            RetryDecision::Retry {
                after: Duration::from_secs(u64::from(secs)),
                source: WaitSource::RetryAfter
            }
        );
    }
    d.retry_after = Some(31);
    assert_eq!(
        policy.decide("GET", &d, 1, true, &mut rng),
        refused(Reason::RetryAfterTooLong)
    );
    let capped = RetryPolicy {
        over_max: OverMax::Cap,
        ..policy
    };
    d.retry_after = Some(u32::MAX);
    assert_eq!(
        capped.decide("GET", &d, 2, true, &mut rng),
        RetryDecision::Retry {
            after: Duration::from_secs(30),
            source: WaitSource::RetryAfterCapped
        }
    );
    // Retry-After never overrides the method rules.
    d = diag(ErrorType::HttpResponseTimeout);
    d.retry_after = Some(1);
    assert_eq!(
        policy.decide("POST", &d, 1, true, &mut rng),
        refused(Reason::MayHaveReachedOrigin)
    );
}

#[test]
fn backoff_wait_grows_with_the_attempt() {
    let d = diag(ErrorType::ConnectionRefused);
    let policy = RetryPolicy {
        max_attempts: 100,
        backoff: Backoff::new(Duration::from_millis(100), Duration::from_secs(2)),
        ..RetryPolicy::default()
    };
    let mut rng = SplitMix64::new(5);
    for attempt in 1..=20u32 {
        let ceiling = policy.backoff.ceiling(attempt - 1);
        for _ in 0..200 {
            let after = policy.decide("GET", &d, attempt, true, &mut rng).after();
            assert!(
                after.is_some_and(|a| a <= ceiling),
                "attempt {attempt}: {after:?}"
            );
        }
    }
}

// ---------------------------------------------------------------- retry budget

#[test]
fn budget_exhaustion_stops_retries_until_new_requests_arrive() {
    let d = diag(ErrorType::ConnectionRefused);
    let policy = RetryPolicy::default();
    let mut rng = SplitMix64::new(42);
    // No free reserve; one retry per five requests.
    let mut budget = RetryBudget::new(Duration::from_secs(10), 0, 200);
    for _ in 0..10 {
        budget.deposit(0);
    }
    let outcomes: Vec<Option<Reason>> = (0..3)
        .map(|_| {
            policy
                .decide("GET", &d, 1, true, &mut rng)
                .charge(&mut budget, 100)
                .reason()
        })
        .collect();
    assert_eq!(outcomes, [None, None, Some(Reason::BudgetExhausted)]);
    // A refusal costs nothing.
    for _ in 0..5 {
        budget.deposit(200);
    }
    let post = diag(ErrorType::HttpResponseTimeout);
    assert_eq!(
        policy
            .decide("POST", &post, 1, true, &mut rng)
            .charge(&mut budget, 200),
        refused(Reason::MayHaveReachedOrigin)
    );
    assert_eq!(budget.available(200), 1);
    assert!(policy
        .decide("GET", &d, 1, true, &mut rng)
        .charge(&mut budget, 200)
        .is_retry());
    assert_eq!(budget.available(200), 0);
}

#[test]
fn a_dead_origin_gets_at_most_the_reserve_plus_the_ratio() {
    // 1000 requests in 10 s, all failing, each asking for one retry.
    let mut budget = RetryBudget::new(Duration::from_secs(10), 1, 200);
    let mut retries = 0;
    for i in 0..1000u64 {
        let now = i * 10;
        budget.deposit(now);
        if budget.try_withdraw(now) {
            retries += 1;
        }
    }
    // Reserve 1/s × 10 s = 10, plus 20 % of 1000 = 200.
    assert_eq!(retries, 210);
    // After the window, only the reserve is left.
    assert_eq!(budget.available(20_000), 10);
}

// ---------------------------------------------------------------- backoff

#[test]
fn backoff_for_seed_42_is_reproducible() {
    let b = Backoff::new(Duration::from_millis(100), Duration::from_secs(10));
    let run = || {
        let mut rng = SplitMix64::new(42);
        (0..8)
            .map(|n| b.delay(n, &mut rng).as_millis())
            .collect::<Vec<_>>()
    };
    let first = run();
    assert_eq!(first, run());
    assert_eq!(first, GOLDEN_SEED_42);
    let mut other = SplitMix64::new(43);
    let different: Vec<u128> = (0..8).map(|n| b.delay(n, &mut other).as_millis()).collect();
    assert_ne!(first, different);
}

/// Backoff(100 ms, 10 s) delays for retries 0..8 drawn from `SplitMix64::new(42)`.
const GOLDEN_SEED_42: [u128; 8] = [74, 32, 111, 275, 60, 2779, 1398, 8007];

#[test]
fn full_jitter_is_uniform_between_zero_and_the_ceiling() {
    let b = Backoff::new(Duration::from_millis(100), Duration::from_secs(5));
    let mut rng = SplitMix64::new(42);
    for n in 0..8 {
        let ceiling = b.ceiling(n).as_millis() as u64;
        assert_eq!(ceiling, (100u64 << n).min(5_000));
        let draws: Vec<u64> = (0..10_000)
            .map(|_| b.delay(n, &mut rng).as_millis() as u64)
            .collect();
        assert!(draws.iter().all(|&d| d <= ceiling), "n = {n}");
        let mean = draws.iter().sum::<u64>() as f64 / draws.len() as f64;
        let half = ceiling as f64 / 2.0;
        assert!(
            (mean - half).abs() < ceiling as f64 * 0.02,
            "n = {n}: mean {mean}, half {half}"
        );
        let min = draws.iter().copied().min().unwrap_or(u64::MAX);
        let max = draws.iter().copied().max().unwrap_or(0);
        assert!(
            min <= ceiling / 100 && max >= ceiling - ceiling / 100,
            "n = {n}: {min}..{max}"
        );
    }
}

#[test]
fn chrome_like_schedule_matches_chromium_and_repeats_its_last_step() {
    let s = Schedule::chrome_like();
    let secs: Vec<u64> = (0..10).map(|n| s.delay(n).as_secs()).collect();
    assert_eq!(secs, [1, 5, 30, 60, 300, 600, 1800, 1800, 1800, 1800]);
}

// ---------------------------------------------------------------- Retry-After

/// Wed, 21 Oct 2015 07:28:00 GMT.
const NOW: u64 = 1_445_412_480;

#[test]
fn retry_after_delta_seconds() {
    assert_eq!(retry_after::parse("120", NOW), Some(120));
    assert_eq!(retry_after::parse("  7 ", NOW), Some(7));
    assert_eq!(retry_after::parse("0", NOW), Some(0));
}

#[test]
fn retry_after_http_date_relative_to_now() {
    assert_eq!(
        retry_after::parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW),
        Some(0)
    );
    assert_eq!(
        retry_after::parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW - 90),
        Some(90)
    );
    assert_eq!(
        retry_after::parse("Thu, 22 Oct 2015 07:28:00 GMT", NOW),
        Some(86_400)
    );
    // In the past: no wait.
    assert_eq!(
        retry_after::parse("Tue, 20 Oct 2015 07:28:00 GMT", NOW),
        Some(0)
    );
    assert_eq!(
        retry_after::parse("Thu, 01 Jan 1970 00:00:00 GMT", NOW),
        Some(0)
    );
}

#[test]
fn retry_after_rejects_or_clamps_hostile_values() {
    use retry_after::{parse_detailed, ParseError, MAX_DELAY_SECS};
    for bad in ["-1", "-0"] {
        assert_eq!(parse_detailed(bad, NOW), Err(ParseError::Negative), "{bad}");
    }
    for bad in [
        "abc",
        "1e9",
        "1.5",
        "+5",
        "5s",
        "0x10",
        "12 34",
        "120, 60",
        "Wed, 21 Oct 2015",
        "Wed, 32 Oct 2015 07:28:00 GMT",
    ] {
        assert_eq!(parse_detailed(bad, NOW), Err(ParseError::Invalid), "{bad}");
    }
    assert_eq!(parse_detailed("", NOW), Err(ParseError::Empty));
    let ten_kb = "1".repeat(10 * 1024);
    assert_eq!(parse_detailed(&ten_kb, NOW), Err(ParseError::TooLong));
    assert_eq!(retry_after::parse(&ten_kb, NOW), None);
    // Long but bounded digit strings are clamped, not rejected.
    assert_eq!(
        retry_after::parse("99999999999999999999999999", NOW),
        Some(MAX_DELAY_SECS)
    );
    assert_eq!(retry_after::parse("4294967296", NOW), Some(MAX_DELAY_SECS));
}

#[test]
fn retry_after_is_written_in_both_forms() {
    assert_eq!(retry_after::format_delta(120), "120");
    assert_eq!(
        retry_after::format_date(NOW, 0),
        "Wed, 21 Oct 2015 07:28:00 GMT"
    );
    assert_eq!(
        retry_after::format_date(NOW, 86_400 + 61),
        "Thu, 22 Oct 2015 07:29:01 GMT"
    );
}

// ---------------------------------------------------------------- breaker

fn cycle_config() -> BreakerConfig {
    BreakerConfig {
        consecutive_failures: 3,
        failure_ratio: None,
        cool_down_ms: 1_000,
        cool_down_growth: 2,
        max_cool_down_ms: 8_000,
        half_open_probes: 2,
        probe_timeout_ms: 500,
        successes_to_close: 1,
    }
}

fn rejected(ms: u64) -> Admission {
    Admission::Rejected {
        retry_in: Duration::from_millis(ms),
    }
}

#[test]
fn breaker_closed_open_half_open_closed() {
    let mut b = Breaker::new(cycle_config());
    assert_eq!(b.allow(0), Admission::Allowed);
    b.record_failure(0);
    b.record_failure(10);
    assert_eq!(b.state(), BreakerState::Closed);
    b.record_failure(20);
    assert_eq!(b.state(), BreakerState::Open);
    assert_eq!(b.allow(20), rejected(1_000));
    assert_eq!(b.allow(1_019), rejected(1));
    assert_eq!(b.state_at(1_019), BreakerState::Open);
    assert_eq!(b.state_at(1_020), BreakerState::HalfOpen);
    assert_eq!(b.allow(1_020), Admission::Probe);
    assert_eq!(b.state(), BreakerState::HalfOpen);
    assert_eq!(b.allow(1_021), Admission::Probe);
    // K = 2 probes in flight: the third waits until they are written off (1021 + 500).
    assert_eq!(b.allow(1_022), rejected(499));
    b.record_success(1_100);
    assert_eq!(b.state(), BreakerState::Closed);
    assert_eq!(b.allow(1_101), Admission::Allowed);
    // The late second probe's outcome counts as a normal Closed outcome.
    b.record_failure(1_150);
    assert_eq!(b.state(), BreakerState::Closed);
}

#[test]
fn breaker_half_open_failure_reopens_with_grown_cool_down() {
    let mut b = Breaker::new(cycle_config());
    (0..3).for_each(|t| b.record_failure(t));
    assert_eq!(b.allow(2), rejected(1_000));
    assert_eq!(b.allow(1_002), Admission::Probe);
    b.record_failure(1_050);
    assert_eq!(b.state(), BreakerState::Open);
    assert_eq!(b.allow(1_050), rejected(2_000));
    assert_eq!(b.allow(3_049), rejected(1));
    assert_eq!(b.allow(3_050), Admission::Probe);
    b.record_failure(3_060);
    assert_eq!(b.allow(3_060), rejected(4_000));
    assert_eq!(b.allow(7_060), Admission::Probe);
    b.record_failure(7_060);
    assert_eq!(b.allow(7_060), rejected(8_000));
    assert_eq!(b.allow(15_060), Admission::Probe);
    b.record_failure(15_060);
    assert_eq!(b.allow(15_060), rejected(8_000)); // capped
    assert_eq!(b.allow(23_060), Admission::Probe);
    b.record_success(23_070);
    assert_eq!(b.state(), BreakerState::Closed);
    // Closing resets the growth.
    (0..3).for_each(|t| b.record_failure(30_000 + t));
    assert_eq!(b.allow(30_002), rejected(1_000));
}

#[test]
fn breaker_lets_exactly_k_probes_through() {
    for k in 1..=5u32 {
        let mut b = Breaker::new(BreakerConfig {
            half_open_probes: k,
            ..cycle_config()
        });
        (0..3).for_each(|t| b.record_failure(t));
        let admitted: Vec<Admission> = (0..10).map(|i| b.allow(2_000 + i)).collect();
        let probes = admitted.iter().filter(|a| **a == Admission::Probe).count();
        assert_eq!(probes, k as usize, "k = {k}");
        assert!(
            admitted.iter().skip(k as usize).all(|a| !a.is_allowed()),
            "k = {k}"
        );
        // Probes that never report are written off 500 ms after the last one.
        let last = 2_000 + u64::from(k) - 1;
        assert_eq!(b.allow(last + 499), rejected(1));
        assert_eq!(b.allow(last + 500), Admission::Probe);
    }
}

#[test]
fn breaker_needs_the_configured_number_of_probe_successes() {
    let mut b = Breaker::new(BreakerConfig {
        half_open_probes: 1,
        successes_to_close: 3,
        ..cycle_config()
    });
    (0..3).for_each(|t| b.record_failure(t));
    for i in 0..3u64 {
        assert_eq!(b.state_at(2_000 + i), BreakerState::HalfOpen);
        assert_eq!(b.allow(2_000 + i), Admission::Probe, "probe {i}");
        assert!(!b.allow(2_000 + i).is_allowed());
        b.record_success(2_000 + i);
    }
    assert_eq!(b.state(), BreakerState::Closed);
}

#[test]
fn breaker_ignores_outcomes_while_open() {
    let mut b = Breaker::new(cycle_config());
    (0..3).for_each(|t| b.record_failure(t));
    b.record_success(10);
    b.record_failure(20);
    assert_eq!(b.allow(500), rejected(502));
}

#[test]
fn breaker_state_survives_serialization() {
    let mut b = Breaker::new(cycle_config());
    (0..3).for_each(|t| b.record_failure(t));
    assert_eq!(b.allow(1_002), Admission::Probe);
    let json = serde_json::to_value(&b).unwrap_or_default();
    assert_eq!(json.pointer("/phase/state"), Some(&"half_open".into()));
    assert_eq!(json.pointer("/phase/inFlight"), Some(&1.into()));
    assert_eq!(json.pointer("/config/halfOpenProbes"), Some(&2.into()));
    let mut back: Breaker =
        serde_json::from_value(json).unwrap_or_else(|_| Breaker::new(BreakerConfig::default()));
    assert_eq!(back, b);
    assert_eq!(back.allow(1_003), Admission::Probe);
    assert_eq!(back.allow(1_004), rejected(499));
}
