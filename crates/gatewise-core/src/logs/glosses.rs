//! Glosses: catalog texts for the codes inside a field (HAProxy's termination
//! state characters, Envoy's response flags, IIS's Win32 status), offered to
//! the explanation templates as extra placeholders. They are written with
//! their log format in `data/` (`[[log_format.gloss]]`).
//!
//! # Example
//! ```
//! use gatewise_core::logs::glosses::{GLOSSES, GlossPart};
//! let g = GLOSSES.iter().find(|g| g.placeholder == "event").unwrap();
//! assert_eq!(g.field, "termination_state");
//! assert_eq!(g.part, GlossPart::Char(0));
//! ```

use super::formats::LogFormat;

/// Which part of a field's value a gloss explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GlossPart {
    /// The whole value.
    Whole,
    /// The n-th character (0-based).
    Char(usize),
    /// Each item of a comma-separated list, glosses joined with "; ".
    EachComma,
}

/// One gloss row: `key_prefix.<value>` explains the value of `field`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Gloss {
    /// The format whose lines carry the field.
    pub format: LogFormat,
    /// The field holding the code(s).
    pub field: &'static str,
    /// Which part of the value is explained.
    pub part: GlossPart,
    /// The placeholder name the templates use.
    pub placeholder: &'static str,
    /// Catalog key prefix; the code is appended after a dot.
    pub key_prefix: &'static str,
    /// Where the meanings come from.
    pub source: &'static str,
}

/// Every gloss (the `[[log_format.gloss]]` rows of `data/`).
pub use super::formats::GLOSSES;
