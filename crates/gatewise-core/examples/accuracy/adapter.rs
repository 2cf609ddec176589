//! The one place the benchmark calls gatewise: a paste in, the answer it is scored on out.
//!
//! A paste may hold several artefacts (a response and log lines, several HAR entries):
//! `explain` names the headline — the most informative failure — and `Explanation::diagnosis`
//! is the headline's. That is the one scored. When `explain`'s signature changes, change only
//! [`answer`].

use gatewise_core::explain::explain;
use gatewise_core::LayerKind;
use serde::{Deserialize, Serialize};

/// What gatewise answered for one paste, reduced to what is scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    /// `None`: `explain` rejected the paste ("cannot explain"); the reason otherwise in `rejected`.
    pub read: Option<Read>,
    /// Why `explain` rejected the paste.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<String>,
}

/// The scored facts of a diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Read {
    /// The generating layer's id (`Layer::name()`).
    pub layer: String,
    /// True when that layer names no one (its kind is `unknown`): "no generator named".
    pub generic: bool,
    /// The RFC 9209 type, if any.
    pub error_type: Option<String>,
    /// `high`, `medium` or `low`.
    pub confidence: String,
}

/// Feeds one paste to `gatewise_core::explain::explain`.
pub fn answer(text: &str) -> Answer {
    match explain(text) {
        Ok(e) => {
            let d = &e.diagnosis;
            Answer {
                read: Some(Read {
                    layer: d.layer.name().to_owned(),
                    generic: d.layer.info().kind == LayerKind::Unknown,
                    error_type: d.error_type.map(|t| t.name().to_owned()),
                    confidence: d.confidence.name().to_owned(),
                }),
                rejected: None,
            }
        }
        Err(err) => Answer {
            read: None,
            rejected: Some(err.to_string()),
        },
    }
}
