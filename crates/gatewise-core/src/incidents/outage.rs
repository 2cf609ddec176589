//! The monitoring robot's outages: a scheduled run drills through to the
//! origin (DNS, connect, TLS, a `HEAD` of each configured path); the first
//! run that fails opens an outage, before any visitor meets it, and the first
//! run that passes again closes it.
//!
//! | run | no outage open | an outage open |
//! |---|---|---|
//! | fails | opens one ([`Change::Opened`]) | counts the failed run ([`Change::Continues`]) |
//! | passes | nothing ([`Change::None`]) | closes it ([`Change::Closed`]) |
//!
//! # Example
//! ```
//! use gatewise_core::incidents::outage::{apply, Change, RobotRun};
//! use gatewise_core::{ErrorType, Hop};
//! let down = RobotRun::failed(1_000, "/", Some(ErrorType::ConnectionRefused), Some(Hop::Connect));
//! let (open, change) = apply(None, &down);
//! assert_eq!(change, Change::Opened);
//! let (closed, change) = apply(open, &RobotRun::passed(61_000));
//! assert_eq!(change, Change::Closed);
//! assert_eq!(closed.unwrap().ended, Some(61_000));
//! ```

use serde::{Deserialize, Serialize};

use crate::{ErrorType, Hop};

/// One outage seen by the robot (times in ms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outage {
    /// The run that first failed.
    pub started: u64,
    /// The run that passed again; `None` while open.
    #[serde(default)]
    pub ended: Option<u64>,
    /// The last run that failed.
    pub last_failed: u64,
    /// How many runs failed.
    pub failed_runs: u32,
    /// The first failure's RFC 9209 type.
    #[serde(default)]
    pub error_type: Option<ErrorType>,
    /// The first failure's hop.
    #[serde(default)]
    pub hop: Option<Hop>,
    /// The path whose check failed first.
    pub path: String,
}

/// What one run of the robot found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RobotRun {
    /// When it ran (ms).
    pub at: u64,
    /// The first failed check, if any: `None` means every check passed.
    #[serde(default)]
    pub failure: Option<RunFailure>,
}

/// The first failed check of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunFailure {
    /// The path checked (`/` for the connection steps).
    pub path: String,
    /// Its RFC 9209 type, when classified.
    #[serde(default)]
    pub error_type: Option<ErrorType>,
    /// The hop that failed, when known.
    #[serde(default)]
    pub hop: Option<Hop>,
}

impl RobotRun {
    /// A run whose every check passed.
    pub fn passed(at: u64) -> Self {
        RobotRun { at, failure: None }
    }

    /// A run whose check of `path` failed.
    pub fn failed(at: u64, path: &str, error_type: Option<ErrorType>, hop: Option<Hop>) -> Self {
        RobotRun {
            at,
            failure: Some(RunFailure {
                path: super::path_key(path).to_owned(),
                error_type,
                hop,
            }),
        }
    }
}

/// What a run changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Nothing was open and nothing failed.
    None,
    /// An outage began.
    Opened,
    /// The open outage goes on.
    Continues,
    /// The open outage ended.
    Closed,
}

/// Applies a run to the outage open before it (if any): returns the outage
/// after it (the closed one when it closed: store it, then forget it) and
/// what changed.
pub fn apply(open: Option<Outage>, run: &RobotRun) -> (Option<Outage>, Change) {
    match (open, &run.failure) {
        (None, None) => (None, Change::None),
        (None, Some(f)) => (
            Some(Outage {
                started: run.at,
                ended: None,
                last_failed: run.at,
                failed_runs: 1,
                error_type: f.error_type,
                hop: f.hop,
                path: f.path.clone(),
            }),
            Change::Opened,
        ),
        (Some(mut o), Some(_)) => {
            o.last_failed = run.at.max(o.last_failed);
            o.failed_runs = o.failed_runs.saturating_add(1);
            (Some(o), Change::Continues)
        }
        (Some(mut o), None) => {
            o.ended = Some(run.at.max(o.started));
            (Some(o), Change::Closed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_outage_counts_its_runs_and_keeps_its_first_cause() {
        let first = RobotRun::failed(0, "/", Some(ErrorType::DnsError), Some(Hop::Dns));
        let (o, _) = apply(None, &first);
        let later = RobotRun::failed(
            300_000,
            "/api",
            Some(ErrorType::ConnectionRefused),
            Some(Hop::Connect),
        );
        let (o, change) = apply(o, &later);
        assert_eq!(change, Change::Continues);
        let o = o.unwrap();
        assert_eq!(
            (o.failed_runs, o.last_failed, o.error_type),
            (2, 300_000, Some(ErrorType::DnsError))
        );
        assert_eq!(apply(None, &RobotRun::passed(1)), (None, Change::None));
    }
}
