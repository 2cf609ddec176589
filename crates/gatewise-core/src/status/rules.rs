//! The one rule every surface asks about a received status: is it a
//! *gateway failure* (a gateway on the way to the application failed, so the
//! answer is diagnosed, retried when the method allows, and attributed), and
//! is it *retryable* (the same request may work later). Both are derived from
//! the registry's rows, never listed by hand anywhere else:
//!
//! - **gateway failure**: a plain 5xx row (no IIS sub-status) whose RFC 9209
//!   type, or one of its alternatives, is a failure beyond the gateway itself
//!   (a type whose hop is not [`Hop::Proxy`](crate::Hop::Proxy)): 502, 503,
//!   504, Cloudflare's 520–527 and 530, 529, 598, 599. A 500 is not one: its
//!   alternatives are a proxy's own internal or configuration error, and
//!   mostly it is the application's own answer. This is Envoy's "gateway
//!   error" (502, 503, 504, <https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/outlier>)
//!   widened to the vendor codes the registry knows;
//! - **retryable**: the row says the condition is temporary
//!   ([`Permanence::Temporary`]) and a client may send the request again
//!   ([`StatusInfo::retryable`]): 408, 421, 423, 425, 429, 502, 503, 504, …
//!   A code the registry does not know is neither.
//!
//! [`Diagnosis::for_status`](crate::Diagnosis::for_status) takes its
//! `retryable` from here; the worker decides which origin answers are
//! failures with [`gateway_failure`]; the npm package's `fetchWithRetry` (in
//! JavaScript) receives [`rules`] as data and a parity test compares its
//! answers with these for every code from 100 to 599.
//!
//! # Example
//! ```
//! use gatewise_core::status::rules::{self, gateway_failure, retryable};
//! assert!(gateway_failure(502) && retryable(502));
//! assert!(gateway_failure(526) && !retryable(526)); // an invalid certificate stays invalid
//! assert!(!gateway_failure(500) && !retryable(500));
//! assert!(!gateway_failure(429) && retryable(429));
//! assert!(!gateway_failure(587) && !retryable(587)); // not in the registry
//! assert!(rules::rules().iter().any(|r| r.code == 504 && r.gateway_failure && r.retryable));
//! ```

use serde::{Deserialize, Serialize};

use super::{lookup, Permanence, StatusClass, StatusInfo};
use crate::hop::Hop;

/// What the rule says of one status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct StatusRule {
    /// The status code.
    pub code: u16,
    /// The request may be sent again later and be expected to work.
    pub retryable: bool,
    /// A gateway on the way to the application failed.
    pub gateway_failure: bool,
}

fn gateway_row(row: &StatusInfo) -> bool {
    row.class == StatusClass::ServerError
        && row.sub.is_none()
        && row
            .error_type
            .iter()
            .chain(row.alternatives.iter())
            .any(|t| t.info().hop != Hop::Proxy)
}

fn retryable_row(row: &StatusInfo) -> bool {
    row.retryable && row.permanence == Permanence::Temporary
}

/// The rule for `code` (both `false` for a code the registry does not know).
pub fn rule(code: u16) -> StatusRule {
    let row = lookup(code);
    StatusRule {
        code,
        retryable: row.is_some_and(retryable_row),
        gateway_failure: row.is_some_and(gateway_row),
    }
}

/// Whether a response with `code` says a gateway on the origin's side failed.
pub fn gateway_failure(code: u16) -> bool {
    // Every gateway failure is a 5xx: the common answers need no table look-up.
    (500..600).contains(&code) && rule(code).gateway_failure
}

/// Whether a request answered with `code` may be tried again later.
pub fn retryable(code: u16) -> bool {
    rule(code).retryable
}

/// Every plain code of the registry for which either answer is yes, in
/// order: the data a surface that decides in JavaScript receives.
pub fn rules() -> Vec<StatusRule> {
    super::all()
        .iter()
        .filter(|r| r.sub.is_none())
        .map(|r| rule(r.code))
        .filter(|r| r.retryable || r.gateway_failure)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_failures_are_the_registry_s_upstream_5xx() {
        let gateway: Vec<u16> = (100..600).filter(|c| gateway_failure(*c)).collect();
        assert_eq!(
            gateway,
            [502, 503, 504, 520, 521, 522, 523, 524, 525, 526, 527, 529, 530, 598, 599]
        );
    }

    #[test]
    fn retryable_statuses_are_the_registry_s_temporary_retryable_rows() {
        let retry: Vec<u16> = (100..600).filter(|c| retryable(*c)).collect();
        assert_eq!(
            retry,
            [
                408, 421, 423, 425, 429, 502, 503, 504, 507, 509, 521, 522, 523, 524, 527, 529,
                530, 598, 599
            ]
        );
        // The exported data says the same for every code.
        let data = rules();
        for code in 100..600 {
            let r = data
                .iter()
                .find(|r| r.code == code)
                .copied()
                .unwrap_or(StatusRule {
                    code,
                    retryable: false,
                    gateway_failure: false,
                });
            assert_eq!(r, rule(code), "{code}");
        }
    }
}
