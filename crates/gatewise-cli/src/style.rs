//! Terminal styling: colours only when the stream is a terminal and
//! `NO_COLOR` is unset (<https://no-color.org>), and never for `TERM=dumb`.
//!
//! # Example
//! ```
//! use gatewise_cli::style::Style;
//! let plain = Style::plain();
//! assert_eq!(plain.bad("failed"), "failed");
//! let color = Style { color: true };
//! assert_eq!(color.bad("failed"), "\x1b[31mfailed\x1b[0m");
//! ```

use std::io::IsTerminal;

/// Whether to colour, and the colours used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Emit ANSI colour codes.
    pub color: bool,
}

/// Whether the environment forbids colour (`NO_COLOR` set and non-empty, or `TERM=dumb`).
pub fn color_forbidden() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

impl Style {
    /// No colour.
    pub fn plain() -> Style {
        Style { color: false }
    }

    /// Colour when stdout is a terminal and the environment allows it.
    pub fn for_stdout() -> Style {
        Style {
            color: std::io::stdout().is_terminal() && !color_forbidden(),
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    /// Success (green).
    pub fn good(&self, s: &str) -> String {
        self.paint("32", s)
    }

    /// Failure (red).
    pub fn bad(&self, s: &str) -> String {
        self.paint("31", s)
    }

    /// Caution (yellow).
    pub fn warn(&self, s: &str) -> String {
        self.paint("33", s)
    }

    /// Less important (dim).
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }

    /// Emphasis (bold).
    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
}

/// Removes control characters (escape sequences from a hostile server must
/// not reach the terminal) and bounds the length to `max` characters.
pub fn clean(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect();
    if s.chars().count() > max {
        out.push('…');
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn clean_strips_escapes_and_bounds() {
        assert_eq!(clean("a\x1b[31mb\r\n", 100), "a [31mb  ");
        assert_eq!(clean("abcdef", 3), "abc…");
    }
}
