//! Literal prefilters for the regular expressions of every table.
//!
//! `regex-lite` has no literal optimisations: an unanchored search steps its
//! NFA over every byte of the text, and a row whose pattern is absent from a
//! 16 KiB body cost milliseconds. [`Prefilter::of`] reads a pattern and
//! derives, from the pattern alone (no extra data in the table):
//!
//! - `required`: a literal that every match contains (the longest one it can
//!   prove), checked with a fast substring search before the regex runs; and
//! - `starts`: literals one of which every match starts with; the search then
//!   begins at the first occurrence of any of them instead of at byte 0.
//!
//! Both are facts about the *text of a match*, whatever the surrounding text,
//! so skipping a text without `required` and starting at the first of the
//! `starts` give the same leftmost match as a search of the whole text.
//!
//! The reader understands the syntax the table uses (literals, escaped
//! punctuation, classes, `.`, Perl classes, assertions, groups, alternation,
//! repetition). Anything else (inline flags such as `(?i)`, `\x` escapes,
//! `\b{…}`) gives an empty prefilter: the regex then runs on the whole text,
//! correct but unfiltered. `fingerprint::tests` asserts that every row's
//! pattern gets a literal, and that filtered and unfiltered searches agree on
//! every fixture.
//!
//! # Example
//! ```
//! use gatewise_core::matcher::Prefilter;
//! let p = Prefilter::of(r"Reason: <strong>(?P<detail>[^<]*)</strong>");
//! assert_eq!(p.required.as_deref(), Some("Reason: <strong>"));
//! assert_eq!(p.starts, Some(vec!["Reason: <strong>".to_owned()]));
//! let cf = Prefilter::of(r#"(?:class="code-label">Error code |class="cf-error-code">)(?P<code>\d{3,4})"#);
//! assert_eq!(
//!     cf.starts,
//!     Some(vec![r#"class="code-label">Error code "#.to_owned(), r#"class="cf-error-code">"#.to_owned()])
//! );
//! ```

use std::iter::Peekable;
use std::str::Chars;

use memchr::memmem::Finder;

/// At most this many literals in a set (an alternation's strings, the
/// starts); beyond it the set is dropped (no filter, never a wrong one).
const MAX_SET: usize = 16;
/// At most this many characters in a literal of a set.
const MAX_LITERAL: usize = 256;

/// What a pattern's matches must contain (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefilter {
    /// A literal every match contains (`None`: none known).
    pub required: Option<String>,
    /// Every match starts with one of these non-empty literals (`None`: not known).
    pub starts: Option<Vec<String>>,
}

impl Prefilter {
    /// Derives the prefilter of `pattern` (empty when its syntax is not understood).
    pub fn of(pattern: &str) -> Prefilter {
        let mut chars = pattern.chars().peekable();
        let Some(info) = parse_alternation(&mut chars, 0) else {
            return Prefilter::default();
        };
        if chars.next().is_some() {
            return Prefilter::default();
        }
        Prefilter {
            required: Some(info.required).filter(|r| !r.is_empty()),
            starts: info.starts,
        }
    }

    /// Whether it filters anything: a pattern without a required literal is
    /// searched whole.
    pub fn is_empty(&self) -> bool {
        self.required.is_none() && self.starts.is_none()
    }
}

/// A [`Prefilter`] with its substring searchers built once.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    required: Option<Finder<'static>>,
    starts: Vec<Finder<'static>>,
    /// The only start literal is the required one: its position is the start.
    start_is_required: bool,
}

impl Compiled {
    pub(crate) fn new(p: &Prefilter) -> Compiled {
        let finder = |s: &String| Finder::new(s.as_bytes()).into_owned();
        let starts = p.starts.as_deref().unwrap_or_default();
        Compiled {
            required: p.required.as_ref().map(finder),
            starts: starts.iter().map(finder).collect(),
            start_is_required: matches!((starts, &p.required), ([one], Some(r)) if one == r),
        }
    }

    /// Where a search of `text` must begin: `None` when no match is possible.
    pub(crate) fn start(&self, text: &str) -> Option<usize> {
        let hay = text.as_bytes();
        let required = match &self.required {
            Some(f) => Some(f.find(hay)?),
            None => None,
        };
        if self.start_is_required {
            return required;
        }
        if self.starts.is_empty() {
            return Some(0);
        }
        self.starts.iter().filter_map(|f| f.find(hay)).min()
    }
}

/// Facts about the strings a piece of a pattern matches.
#[derive(Debug, Clone)]
struct Info {
    /// Every match is one of these (`None`: not a small finite set).
    exact: Option<Vec<String>>,
    /// Every match starts with one of these non-empty literals.
    starts: Option<Vec<String>>,
    /// Every match starts with this literal (maybe empty).
    head: String,
    /// Every match ends with this literal (maybe empty).
    tail: String,
    /// Every match contains this literal (maybe empty; the longest known).
    required: String,
}

impl Info {
    /// The empty string: an assertion (`^`, `$`, `\b`) or an empty sequence.
    fn empty() -> Info {
        Info {
            exact: Some(vec![String::new()]),
            starts: None,
            head: String::new(),
            tail: String::new(),
            required: String::new(),
        }
    }

    /// One character of a class (`.`, `[a-z]`, `\d`): nothing known.
    fn any() -> Info {
        Info {
            exact: None,
            starts: None,
            head: String::new(),
            tail: String::new(),
            required: String::new(),
        }
    }

    fn literal(c: char) -> Info {
        let s = c.to_string();
        Info {
            exact: Some(vec![s.clone()]),
            starts: Some(vec![s.clone()]),
            head: s.clone(),
            tail: s.clone(),
            required: s,
        }
    }

    /// The single string every match is, if there is one.
    fn single(&self) -> Option<&str> {
        match self.exact.as_deref() {
            Some([one]) => Some(one.as_str()),
            _ => None,
        }
    }

    /// `self` followed by `next`.
    fn then(self, next: Info) -> Info {
        let exact = match (&self.exact, &next.exact) {
            (Some(a), Some(b)) => cross(a, b),
            _ => None,
        };
        let starts = match &self.exact {
            Some(a) => match &next.starts {
                Some(b) => cross(a, b),
                None => Some(a.clone()),
            },
            None => self.starts.clone(),
        }
        .filter(|s| s.iter().all(|l| !l.is_empty()));
        let head = match self.single() {
            Some(s) => format!("{s}{}", next.head),
            None => self.head.clone(),
        };
        let tail = match next.single() {
            Some(s) => format!("{}{s}", self.tail),
            None => next.tail.clone(),
        };
        let junction = format!("{}{}", self.tail, next.head);
        let required = longest([self.required, next.required, junction, tail.clone()]);
        Info {
            exact,
            starts,
            head,
            tail,
            required,
        }
    }

    /// Any one of `alternatives`.
    fn or(alternatives: Vec<Info>) -> Info {
        let mut all = alternatives.into_iter();
        let Some(first) = all.next() else {
            return Info::empty();
        };
        all.fold(first, |a, b| {
            let exact = match (a.exact, b.exact) {
                (Some(x), Some(y)) => union(x, y),
                _ => None,
            };
            let starts = match (a.starts, b.starts) {
                (Some(x), Some(y)) => union(x, y),
                _ => None,
            };
            let head = common_prefix(&a.head, &b.head);
            let tail = common_suffix(&a.tail, &b.tail);
            let required = longest([head.clone(), tail.clone()]);
            Info {
                exact,
                starts,
                head,
                tail,
                required,
            }
        })
    }

    /// `self` repeated `min` to `max` times.
    fn repeat(self, min: u32, max: Option<u32>) -> Info {
        if min == 0 {
            // Possibly absent: only "the empty string or one of self's strings".
            let exact = match (max, self.exact) {
                (Some(1), Some(mut x)) => {
                    x.push(String::new());
                    Some(x)
                }
                _ => None,
            };
            return Info {
                exact,
                ..Info::any()
            };
        }
        let exact = match (self.single(), max) {
            (Some(s), Some(m)) if m == min => usize::try_from(min)
                .ok()
                .and_then(|n| {
                    s.len()
                        .checked_mul(n)
                        .filter(|l| *l <= MAX_LITERAL)
                        .map(|_| n)
                })
                .map(|n| vec![s.repeat(n)]),
            _ => None,
        };
        let required = match exact.as_deref() {
            Some([s]) => s.clone(),
            _ => self.required,
        };
        Info {
            exact,
            starts: self.starts,
            head: self.head,
            tail: self.tail,
            required,
        }
    }
}

fn longest<const N: usize>(candidates: [String; N]) -> String {
    candidates.into_iter().fold(
        String::new(),
        |best, c| if c.len() > best.len() { c } else { best },
    )
}

/// Every `a` followed by every `b` (`None` when too many or too long).
fn cross(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len().saturating_mul(b.len()) > MAX_SET {
        return None;
    }
    let out: Vec<String> = a
        .iter()
        .flat_map(|x| b.iter().map(move |y| format!("{x}{y}")))
        .collect();
    out.iter()
        .all(|s| s.chars().count() <= MAX_LITERAL)
        .then_some(out)
}

fn union(mut a: Vec<String>, b: Vec<String>) -> Option<Vec<String>> {
    for s in b {
        if !a.contains(&s) {
            a.push(s);
        }
    }
    (a.len() <= MAX_SET).then_some(a)
}

fn common_prefix(a: &str, b: &str) -> String {
    a.chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

fn common_suffix(a: &str, b: &str) -> String {
    let rev: String = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect();
    rev.chars().rev().collect()
}

type Input<'a> = Peekable<Chars<'a>>;

/// Deepest group nesting read (deeper: no prefilter).
const MAX_DEPTH: usize = 32;

/// `a|b|…` up to a closing `)` (not consumed) or the end.
fn parse_alternation(chars: &mut Input<'_>, depth: usize) -> Option<Info> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut alternatives = vec![parse_sequence(chars, depth)?];
    while chars.peek() == Some(&'|') {
        chars.next();
        alternatives.push(parse_sequence(chars, depth)?);
    }
    Some(Info::or(alternatives))
}

/// Atoms (each maybe repeated) up to `|`, `)` or the end.
fn parse_sequence(chars: &mut Input<'_>, depth: usize) -> Option<Info> {
    let mut info = Info::empty();
    while let Some(&c) = chars.peek() {
        if c == '|' || c == ')' {
            break;
        }
        let atom = parse_atom(chars, depth)?;
        let atom = parse_repetition(chars, atom)?;
        info = info.then(atom);
    }
    Some(info)
}

fn parse_atom(chars: &mut Input<'_>, depth: usize) -> Option<Info> {
    match chars.next()? {
        '(' => {
            if chars.peek() == Some(&'?') {
                chars.next();
                match chars.next()? {
                    ':' => {}
                    'P' | '<' => {
                        // `(?P<name>` or `(?<name>`: skip the name.
                        if chars.peek() == Some(&'<') {
                            chars.next();
                        }
                        loop {
                            match chars.next()? {
                                '>' => break,
                                c if c.is_ascii_alphanumeric() || c == '_' => {}
                                _ => return None,
                            }
                        }
                    }
                    // Inline flags (`(?i)`, `(?s:…)`) change what a literal matches.
                    _ => return None,
                }
            }
            let inner = parse_alternation(chars, depth.saturating_add(1))?;
            (chars.next()? == ')').then_some(inner)
        }
        '[' => skip_class(chars).then(Info::any),
        '.' => Some(Info::any()),
        '^' | '$' => Some(Info::empty()),
        '\\' => match chars.next()? {
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => Some(Info::any()),
            // `\b{start}` and friends are not read.
            'b' | 'B' if chars.peek() == Some(&'{') => None,
            'b' | 'B' | 'A' | 'z' => Some(Info::empty()),
            'n' => Some(Info::literal('\n')),
            'r' => Some(Info::literal('\r')),
            't' => Some(Info::literal('\t')),
            c if c.is_ascii_punctuation() && c != '<' && c != '>' => Some(Info::literal(c)),
            _ => None,
        },
        '*' | '+' | '?' | '{' | ')' | '|' => None,
        c => Some(Info::literal(c)),
    }
}

/// Skips a class after its `[`, nested classes included; false when unclosed.
fn skip_class(chars: &mut Input<'_>) -> bool {
    let mut depth = 1usize;
    let mut first = true;
    while let Some(c) = chars.next() {
        match c {
            '^' if first => continue,
            ']' if first => {}
            '\\' => {
                chars.next();
            }
            '[' => depth = depth.saturating_add(1),
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return true;
                }
            }
            _ => {}
        }
        first = false;
    }
    false
}

/// A repetition operator after an atom, if any (a lazy `?` suffix is skipped).
fn parse_repetition(chars: &mut Input<'_>, atom: Info) -> Option<Info> {
    let (min, max) = match chars.peek() {
        Some('*') => (0, None),
        Some('+') => (1, None),
        Some('?') => (0, Some(1)),
        Some('{') => {
            chars.next();
            let mut spec = String::new();
            loop {
                match chars.next()? {
                    '}' => break,
                    c => spec.push(c),
                }
            }
            let (min, max) = match spec.split_once(',') {
                None => {
                    let n = spec.trim().parse().ok()?;
                    (n, Some(n))
                }
                Some((lo, hi)) if hi.trim().is_empty() => (lo.trim().parse().ok()?, None),
                Some((lo, hi)) => (lo.trim().parse().ok()?, Some(hi.trim().parse().ok()?)),
            };
            if chars.peek() == Some(&'?') {
                chars.next();
            }
            return parse_repetition(chars, atom.repeat(min, max));
        }
        _ => return Some(atom),
    };
    chars.next();
    if chars.peek() == Some(&'?') {
        chars.next();
    }
    parse_repetition(chars, atom.repeat(min, max))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pattern: &str) -> (Option<String>, Option<Vec<String>>) {
        let f = Prefilter::of(pattern);
        (f.required, f.starts)
    }

    fn v(items: &[&str]) -> Option<Vec<String>> {
        Some(items.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn literals_groups_and_repetitions() {
        assert_eq!(
            p(r"<hr><center>(?:nginx|openresty)(?:/[^<]*)?</center>"),
            (
                Some("<hr><center>".to_owned()),
                v(&["<hr><center>nginx", "<hr><center>openresty"])
            )
        );
        // A literal after a group joins the literal the group ends with.
        assert_eq!(
            p(r"HTTP Error (?P<c>500\.(?P<s>3\d)) - x"),
            (
                Some("HTTP Error 500.3".to_owned()),
                v(&["HTTP Error 500.3"])
            )
        );
        assert_eq!(
            p(r"^\s*error code: (?P<c>\d{3,4})\s*$"),
            (Some("error code: ".to_owned()), None)
        );
        // Escaped punctuation is literal; an exact repetition repeats.
        assert_eq!(
            p(r"a\.b(?:xy){2}c"),
            (Some("a.bxyxyc".to_owned()), v(&["a.bxyxyc"]))
        );
        // An optional atom breaks the literal.
        assert_eq!(
            p(r"abc?def"),
            (Some("def".to_owned()), v(&["abcdef", "abdef"]))
        );
        assert_eq!(p(r"ab*cd"), (Some("cd".to_owned()), v(&["a"])));
        assert_eq!(p(r"ab+c"), (Some("ab".to_owned()), v(&["ab"])));
        // Alternatives keep their common head and tail.
        assert_eq!(
            p(r"(?:foo-1|foo-22)z"),
            (Some("foo-".to_owned()), v(&["foo-1z", "foo-22z"]))
        );
    }

    #[test]
    fn unknown_syntax_gives_no_filter() {
        for pattern in [
            r"(?i)abc",
            r"(?s:.)abc",
            r"\x41bc",
            r"\b{start}abc",
            r"a(b",
            r"[abc",
            r"\<abc",
        ] {
            assert!(Prefilter::of(pattern).is_empty(), "{pattern}");
        }
        // A top-level alternation with an unfilterable branch filters nothing.
        assert_eq!(p(r"abc|\d"), (None, None));
        // A class is one unknown character, `]` first in it is literal.
        assert_eq!(p(r"[]x]yz"), (Some("yz".to_owned()), None));
    }

    #[test]
    fn start_is_the_first_of_the_starts() {
        let c = Compiled::new(&Prefilter::of(r"(?:bb|a)\d"));
        assert_eq!(c.start("xxbbxa1"), Some(2));
        assert_eq!(c.start("xxxa1bb"), Some(3));
        assert_eq!(c.start("none"), None);
        let c = Compiled::new(&Prefilter::of(r"^\s*error code: \d"));
        assert_eq!(c.start("x error code: 5"), Some(0));
        assert_eq!(c.start("x error 5"), None);
        let c = Compiled::new(&Prefilter::of(r"\d+"));
        assert_eq!(c.start("abc"), Some(0));
    }
}
