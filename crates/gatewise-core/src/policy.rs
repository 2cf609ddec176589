//! Retry policy, backoff with jitter, `Retry-After`, circuit breaker. All pure.
