//! Explaining a bare status code (`502`, `502.3`, `524`): what the status
//! registry knows about it, as a [`Diagnosis`] with low confidence — a status
//! alone rarely tells the cause, and the diagnosis lists what it cannot rule out.

use crate::diagnosis::{Confidence, Evidence, EvidenceSource};
use crate::status::{Permanence, StatusKey};
use crate::{Diagnosis, Layer, Segment};

/// The diagnosis a status code alone supports.
///
/// A known sub-status (`502.3`) is used as is; an unknown one falls back to
/// its parent code; an unknown code gets only its class's facts.
///
/// # Example
/// ```
/// use gatewise_core::{classify, status, ErrorType, Layer};
/// let d = classify::status(status::parse("524").unwrap());
/// assert_eq!(d.layer, Layer::Cloudflare);
/// assert_eq!(d.error_type, Some(ErrorType::HttpResponseTimeout));
/// assert_eq!(d.received_status, Some(524));
///
/// let d = classify::status(status::parse("502").unwrap());
/// assert_eq!(d.error_type, None);
/// assert!(d.alternatives.contains(&ErrorType::ConnectionRefused));
/// ```
pub fn status(key: StatusKey) -> Diagnosis {
    let row = key.info().or_else(|| key.parent().info());
    let code = key.code();
    let Some(row) = row else {
        let mut d = Diagnosis::for_status(code, Layer::Unknown);
        d.sub_status = key.sub();
        return d.with_evidence(Evidence::new(
            EvidenceSource::Status,
            format!("status {key} (not in the registry)"),
            None,
        ));
    };
    let layer = row.vendor().unwrap_or(Layer::Unknown);
    let mut d = match row.error_type {
        Some(t) => {
            let mut d = Diagnosis::for_type(t, layer);
            d.status = code;
            d
        }
        None => Diagnosis::for_status(code, layer),
    };
    d.received_status = Some(code);
    d.sub_status = row.sub;
    d.retryable = row.retryable;
    d.retry_after = row.retry_after;
    d.confidence = if row.error_type.is_some() && row.alternatives.is_empty() {
        Confidence::Medium
    } else {
        Confidence::Low
    };
    if row.error_type.is_none() && row.permanence == Permanence::NotApplicable {
        d.segment = Segment::Unknown;
    }
    for t in row.alternatives {
        d = d.with_alternative(*t);
    }
    d.with_evidence(Evidence::new(
        EvidenceSource::Status,
        format!("status {} {}", row.key(), row.reason),
        Some(&row.catalog_prefix()),
    ))
}
