//! Scoring one answer against one label, and adding outcomes up.
//!
//! - **Generator**: right when the answered layer is the labelled one. For `cannot_tell`,
//!   right when gatewise names no one (a layer whose kind is `unknown`); naming any layer is
//!   then "wrongly named". A labelled layer answered with an unknown one is "no generator
//!   named"; with another layer, "wrongly named".
//! - **Cause**: for a type, right when the answered type is it or one of `also_ok` (whatever
//!   the confidence). For `cannot_tell`, right unless gatewise claims a type at high
//!   confidence. For `none` (no gateway failed), right when gatewise names no type.
//! - A paste `explain` rejects ("cannot explain") is wrong on both counts, whatever the label.

use gatewise_core::ErrorType;
use serde::Serialize;

use crate::adapter::Answer;
use crate::corpus::{Artefact, Cause, Generator};

/// How the generator was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GenOutcome {
    Right,
    /// A layer was named, and it is not the labelled one (or the label is `cannot_tell`).
    WronglyNamed,
    /// No layer was named where the label names one.
    NoneNamed,
    CannotExplain,
}

/// How the cause was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CauseOutcome {
    Right,
    /// Another type, a high-confidence type where the label is `cannot_tell`, or a type
    /// where no gateway failed.
    Wrong,
    /// No type where the label names one.
    NoType,
    CannotExplain,
}

/// The scored outcome of one artefact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub generator: GenOutcome,
    pub cause: CauseOutcome,
}

/// Scores `answer` against the label of `a`.
pub fn score(a: &Artefact, answer: &Answer) -> Outcome {
    let Some(read) = &answer.read else {
        return Outcome {
            generator: GenOutcome::CannotExplain,
            cause: CauseOutcome::CannotExplain,
        };
    };
    let generator = match &a.generator {
        Generator::CannotTell if read.generic => GenOutcome::Right,
        Generator::CannotTell => GenOutcome::WronglyNamed,
        Generator::Layer(id) if *id == read.layer => GenOutcome::Right,
        Generator::Layer(_) if read.generic => GenOutcome::NoneNamed,
        Generator::Layer(_) => GenOutcome::WronglyNamed,
    };
    let answered = read.error_type.as_deref().and_then(ErrorType::from_name);
    let cause = match (&a.cause, answered) {
        (Cause::CannotTell, Some(_)) if read.confidence == "high" => CauseOutcome::Wrong,
        (Cause::CannotTell, _) | (Cause::NoFailure, None) => CauseOutcome::Right,
        (Cause::NoFailure, Some(_)) => CauseOutcome::Wrong,
        (Cause::Type(_), None) => CauseOutcome::NoType,
        (Cause::Type(_), Some(t)) if a.accepted().contains(&t) => CauseOutcome::Right,
        (Cause::Type(_), Some(_)) => CauseOutcome::Wrong,
    };
    Outcome { generator, cause }
}

/// Outcomes added up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    pub n: u32,
    pub generator_right: u32,
    pub wrongly_named: u32,
    pub none_named: u32,
    pub cause_right: u32,
    pub cause_wrong: u32,
    pub no_type: u32,
    pub cannot_explain: u32,
}

impl Tally {
    pub fn add(&mut self, o: Outcome) {
        self.n += 1;
        match o.generator {
            GenOutcome::Right => self.generator_right += 1,
            GenOutcome::WronglyNamed => self.wrongly_named += 1,
            GenOutcome::NoneNamed => self.none_named += 1,
            GenOutcome::CannotExplain => self.cannot_explain += 1,
        }
        match o.cause {
            CauseOutcome::Right => self.cause_right += 1,
            CauseOutcome::Wrong => self.cause_wrong += 1,
            CauseOutcome::NoType => self.no_type += 1,
            CauseOutcome::CannotExplain => {}
        }
    }
}

/// `part` of `n` as a whole percent, rounded down (`None` for an empty set).
pub fn percent(part: u32, n: u32) -> Option<u32> {
    (n > 0).then(|| part.saturating_mul(100) / n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapter::Read;
    use crate::corpus::Set;

    fn artefact(generator: Generator, cause: Cause, also_ok: Vec<ErrorType>) -> Artefact {
        Artefact {
            id: "t".into(),
            set: Set::WildDev,
            source: "https://example.com/".into(),
            source_type: "forum".into(),
            kind: "log".into(),
            generator,
            cause,
            also_ok,
            why: "test".into(),
            text: "x".into(),
        }
    }

    fn read(layer: &str, generic: bool, t: Option<&str>, confidence: &str) -> Answer {
        Answer {
            read: Some(Read {
                layer: layer.into(),
                generic,
                error_type: t.map(Into::into),
                confidence: confidence.into(),
            }),
            rejected: None,
        }
    }

    #[test]
    fn scoring_follows_the_documented_rules() {
        let nginx_refused = artefact(
            Generator::Layer("nginx".into()),
            Cause::Type(ErrorType::ConnectionRefused),
            vec![ErrorType::ConnectionTimeout],
        );
        let o = score(
            &nginx_refused,
            &read("nginx", false, Some("connection_timeout"), "low"),
        );
        assert_eq!(o.generator, GenOutcome::Right);
        assert_eq!(o.cause, CauseOutcome::Right);
        let o = score(&nginx_refused, &read("apache", false, None, "low"));
        assert_eq!(o.generator, GenOutcome::WronglyNamed);
        assert_eq!(o.cause, CauseOutcome::NoType);
        let o = score(
            &nginx_refused,
            &read("unknown", true, Some("dns_error"), "high"),
        );
        assert_eq!(o.generator, GenOutcome::NoneNamed);
        assert_eq!(o.cause, CauseOutcome::Wrong);

        let unclear = artefact(Generator::CannotTell, Cause::CannotTell, vec![]);
        let o = score(
            &unclear,
            &read("unknown", true, Some("dns_error"), "medium"),
        );
        assert_eq!(o.generator, GenOutcome::Right);
        assert_eq!(o.cause, CauseOutcome::Right);
        let o = score(&unclear, &read("nginx", false, Some("dns_error"), "high"));
        assert_eq!(o.generator, GenOutcome::WronglyNamed);
        assert_eq!(o.cause, CauseOutcome::Wrong);

        let passthrough = artefact(
            Generator::Layer("origin_app".into()),
            Cause::NoFailure,
            vec![],
        );
        let o = score(&passthrough, &read("origin_app", false, None, "medium"));
        assert_eq!(
            (o.generator, o.cause),
            (GenOutcome::Right, CauseOutcome::Right)
        );
        let o = score(
            &passthrough,
            &read("nginx", false, Some("proxy_internal_error"), "low"),
        );
        assert_eq!(o.cause, CauseOutcome::Wrong);

        let rejected = Answer {
            read: None,
            rejected: Some("no".into()),
        };
        let o = score(&unclear, &rejected);
        assert_eq!(
            (o.generator, o.cause),
            (GenOutcome::CannotExplain, CauseOutcome::CannotExplain)
        );
    }

    #[test]
    fn percentages_round_down() {
        assert_eq!(percent(2, 3), Some(66));
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(5, 5), Some(100));
    }
}
