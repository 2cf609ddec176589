//! Why a diagnosed failure happens, and what explains its ambiguity: the
//! catalog keys a renderer shows next to a [`Diagnosis`].
//!
//! The causes are the rows of `data/causes.toml` ([`Cause`], text
//! `cause.<id>`); error types list their usual causes
//! ([`crate::taxonomy::ErrorTypeInfo::causes`]) and signal rows the causes
//! their words point to (`then.causes`). A signal row may also carry a note
//! explaining an ambiguity (`then.note`, e.g. `transport.note.browser_opaque`).
//!
//! # Example
//! ```
//! use gatewise_core::causes::{cause_keys, likely, note_key};
//! use gatewise_core::classify::{transport, TransportError};
//! use gatewise_core::taxonomy::Cause;
//! use gatewise_core::Layer;
//! let d = transport(&TransportError {
//!     runtime: Some(Layer::Browser),
//!     name: Some("TypeError".into()),
//!     message: "Failed to fetch".into(),
//!     ..Default::default()
//! });
//! assert_eq!(likely(&d).first(), Some(&Cause::ClientConnection));
//! assert_eq!(cause_keys(&d).first().map(String::as_str), Some("cause.client_connection"));
//! assert_eq!(note_key(&d), Some("transport.note.browser_opaque"));
//! ```

use crate::diagnosis::Diagnosis;
use crate::hop::Segment;
use crate::signals;
use crate::taxonomy::{Cause, CLIENT_CAUSES};

/// The signal rows (by evidence) that produced `d`.
fn rows_of(d: &Diagnosis) -> impl Iterator<Item = &'static crate::table::Row> + '_ {
    d.evidence
        .iter()
        .filter_map(|e| e.rule.as_deref().and_then(signals::row_by_id))
}

/// The likely causes of `d`, most likely first, without duplicates: for a
/// failure on the visitor's side, [`CLIENT_CAUSES`] lead; then the causes
/// named by the signal row that matched (if any), then those of the primary
/// type, then those of the alternatives.
pub fn likely(d: &Diagnosis) -> Vec<Cause> {
    let mut out: Vec<Cause> = Vec::new();
    let mut push_all = |cs: &[Cause]| {
        for c in cs {
            if !out.contains(c) {
                out.push(*c);
            }
        }
    };
    if d.segment == Segment::Client {
        push_all(CLIENT_CAUSES);
    }
    for row in rows_of(d) {
        push_all(row.then.causes);
    }
    if let Some(t) = d.error_type {
        push_all(t.info().causes);
    }
    for t in &d.alternatives {
        push_all(t.info().causes);
    }
    out
}

/// The catalog keys of [`likely`]'s causes (`cause.<id>`), in order.
pub fn cause_keys(d: &Diagnosis) -> Vec<String> {
    likely(d).into_iter().map(Cause::text_key).collect()
}

/// The catalog key of the note explaining the ambiguity or special meaning
/// of the signal row that produced `d` (`transport.note.<x>`), if any.
pub fn note_key(d: &Diagnosis) -> Option<&'static str> {
    rows_of(d).find_map(|r| r.then.note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorType, Layer};

    #[test]
    fn likely_causes_lead_with_the_primary_type_then_alternatives() {
        let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx)
            .with_alternative(ErrorType::ConnectionTerminated);
        let causes = likely(&d);
        assert_eq!(causes.first(), Some(&Cause::UpstreamDown));
        assert!(causes.contains(&Cause::KeepaliveRace));
        let mut client = Diagnosis::for_type(ErrorType::DnsError, Layer::Browser);
        client.segment = Segment::Client;
        assert_eq!(likely(&client).first(), Some(&Cause::ClientConnection));
    }

    #[test]
    fn every_cause_has_text() {
        for c in Cause::ALL {
            assert!(crate::i18n::has_key(&c.text_key()), "{c}");
        }
    }
}
