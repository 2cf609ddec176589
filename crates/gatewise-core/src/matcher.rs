//! The one text-matcher vocabulary of every table.
//!
//! A table row (fingerprint, vendor code, log format, log pattern, signal)
//! says *when* it applies as a list of [`Cond`]itions, all of which must
//! hold. A condition applies one [`Test`] to one named field of a
//! [`Subject`] (or to any of several fields): `message`, `status`, `body`,
//! `header:server`, a JSON or `key=value` field of a log line…
//!
//! | test | holds when the value… |
//! |---|---|
//! | [`Test::Contains`] | contains the text |
//! | [`Test::Word`] | contains the text as a whole token (not next to `[A-Za-z0-9_]`) |
//! | [`Test::WordPrefix`] | contains a token starting with the text |
//! | [`Test::Prefix`] | starts with the text |
//! | [`Test::Equals`] | is the text, once trimmed |
//! | [`Test::Regex`] | matches the regular expression (regex-lite); named captures are returned |
//! | [`Test::Number`] | is a number in one of the ranges |
//! | [`Test::Present`] | exists (a header that is present, even empty) |
//! | [`Test::Empty`] | does not exist or is only white space |
//!
//! Text tests are ASCII case-insensitive unless the condition is `cased`;
//! a regular expression is case-sensitive unless it says `(?i)`. A condition
//! can be negated (`not`).
//!
//! Matching is bounded and cheap on long texts: a text's lowercase form is
//! made at most once per subject, literals are searched with `memchr`'s
//! vectorised searchers built once per row ([`Prepared`]), and a regular
//! expression runs only where its required literal occurs ([`Prefilter`]).
//!
//! # Example
//! ```
//! use gatewise_core::matcher::{Cond, Prepared, Subject, Test};
//! let cond = Cond::new(&["code", "message"], Test::Word("ECONNREFUSED"));
//! let prepared = Prepared::new(&cond);
//! let mut s = Subject::new();
//! s.push("message", "connect econnrefused 127.0.0.1:9");
//! let found = cond.eval(&prepared, &s).unwrap();
//! assert_eq!(found.field, "message");
//! assert_eq!(found.span, (8, 20));
//!
//! let status = Cond::new(&["status"], Test::Number(&[(500, 599)]));
//! let mut r = Subject::new();
//! r.push("status", "502");
//! assert!(status.eval(&Prepared::new(&status), &r).is_some());
//!
//! let header = Cond::new(&["header:server"], Test::Regex(r"^(?P<product>nginx|openresty)/"));
//! let mut h = Subject::new();
//! h.push_in("header:", "server", "nginx/1.22.1");
//! let prepared = Prepared::new(&header);
//! let found = header.eval(&prepared, &h).unwrap();
//! assert_eq!(found.captures, [("product", "nginx")]);
//! ```

pub mod prefilter;

use std::cell::OnceCell;

use memchr::memmem::Finder;
use regex_lite::Regex;

pub use prefilter::Prefilter;

/// How a condition tests a value (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// The value contains the text.
    Contains(&'static str),
    /// The value contains the text as a whole token.
    Word(&'static str),
    /// The value contains a token that starts with the text.
    WordPrefix(&'static str),
    /// The value starts with the text.
    Prefix(&'static str),
    /// The trimmed value is the text.
    Equals(&'static str),
    /// The value matches the regular expression.
    Regex(&'static str),
    /// The trimmed value is a number within one of these inclusive ranges.
    Number(&'static [(i64, i64)]),
    /// The field exists.
    Present,
    /// The field does not exist, or is only white space.
    Empty,
}

/// One condition of a row: a test on one field, or on any of several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cond {
    /// The field(s) tested; the condition holds when any value of any of them passes.
    pub fields: &'static [&'static str],
    /// The test.
    pub test: Test,
    /// Text tests compare case-sensitively.
    pub cased: bool,
    /// The condition holds when the test does not.
    pub not: bool,
}

impl Cond {
    /// A case-insensitive, non-negated condition.
    pub const fn new(fields: &'static [&'static str], test: Test) -> Cond {
        Cond {
            fields,
            test,
            cased: false,
            not: false,
        }
    }

    /// The same condition, case-sensitive.
    pub const fn cased(mut self) -> Cond {
        self.cased = true;
        self
    }

    /// The same condition, negated.
    pub const fn negated(mut self) -> Cond {
        self.not = true;
        self
    }

    /// The first field name (for evidence and messages).
    pub fn field(&self) -> &'static str {
        self.fields.first().copied().unwrap_or("")
    }

    /// Tests `subject`: where the condition holds, what it found.
    pub fn eval<'s>(&self, prepared: &'s Prepared, subject: &'s Subject<'_>) -> Option<Found<'s>> {
        let found = self.find(prepared, subject);
        match (found, self.not) {
            (Some(f), false) => Some(f),
            (None, true) => Some(Found::nothing(self.field())),
            _ => None,
        }
    }

    fn find<'s>(&self, prepared: &'s Prepared, subject: &'s Subject<'_>) -> Option<Found<'s>> {
        if self.test == Test::Empty {
            let blank = self
                .fields
                .iter()
                .all(|f| subject.values(f).all(|v| v.raw.trim().is_empty()));
            return blank.then(|| Found::nothing(self.field()));
        }
        for field in self.fields {
            for (name, value) in subject.named_values(field) {
                if let Some((span, captures)) = self.test_one(prepared, value) {
                    return Some(Found {
                        field: name,
                        value: value.raw,
                        span,
                        captures,
                    });
                }
            }
        }
        None
    }

    fn test_one<'s>(
        &self,
        prepared: &'s Prepared,
        value: &'s Text<'_>,
    ) -> Option<((usize, usize), Captures<'s>)> {
        let text = if self.cased || !self.test.folds() {
            value.raw
        } else {
            value.lower()
        };
        let whole = (0, value.raw.len());
        match self.test {
            Test::Contains(needle) => {
                let at = match &prepared.finder {
                    Some(f) => f.find(text.as_bytes())?,
                    None => text.find(needle)?,
                };
                Some(((at, at.saturating_add(needle.len())), Vec::new()))
            }
            Test::Word(_) | Test::WordPrefix(_) => {
                let needle = prepared.needle.as_str();
                let whole_word = matches!(self.test, Test::Word(_));
                let finder = prepared.finder.as_ref()?;
                let bytes = text.as_bytes();
                finder
                    .find_iter(bytes)
                    .find(|&i| {
                        let end = i.saturating_add(needle.len());
                        let before = i
                            .checked_sub(1)
                            .and_then(|j| bytes.get(j))
                            .is_none_or(|b| !is_word(*b));
                        let after = !whole_word || bytes.get(end).is_none_or(|b| !is_word(*b));
                        before && after
                    })
                    .map(|i| ((i, i.saturating_add(needle.len())), Vec::new()))
            }
            Test::Prefix(_) => text
                .starts_with(prepared.needle.as_str())
                .then(|| ((0, prepared.needle.len()), Vec::new())),
            Test::Equals(_) => {
                let trimmed = text.trim();
                (trimmed == prepared.needle).then(|| (whole, Vec::new()))
            }
            Test::Number(ranges) => {
                let n = value.number()?;
                ranges
                    .iter()
                    .any(|(lo, hi)| (*lo..=*hi).contains(&n))
                    .then(|| (whole, Vec::new()))
            }
            Test::Present => Some((whole, Vec::new())),
            Test::Empty => None,
            Test::Regex(_) => {
                let pattern = prepared.pattern.as_ref()?;
                let caps = pattern.captures(value.raw)?;
                let span = caps.get(0).map_or(whole, |m| (m.start(), m.end()));
                let captures = pattern
                    .regex
                    .capture_names()
                    .flatten()
                    .filter_map(|name| caps.name(name).map(|m| (name, m.as_str())))
                    .collect();
                Some((span, captures))
            }
        }
    }
}

impl Test {
    /// Whether the test compares letters (and so folds case unless `cased`).
    fn folds(self) -> bool {
        matches!(
            self,
            Test::Contains(_)
                | Test::Word(_)
                | Test::WordPrefix(_)
                | Test::Prefix(_)
                | Test::Equals(_)
        )
    }

    /// The literal the test looks for, if any.
    pub fn literal(self) -> Option<&'static str> {
        match self {
            Test::Contains(s)
            | Test::Word(s)
            | Test::WordPrefix(s)
            | Test::Prefix(s)
            | Test::Equals(s) => Some(s),
            _ => None,
        }
    }

    /// The regular expression, if the test is one.
    pub fn regex(self) -> Option<&'static str> {
        match self {
            Test::Regex(p) => Some(p),
            _ => None,
        }
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Named captures of a regular expression: (name, text).
pub type Captures<'s> = Vec<(&'s str, &'s str)>;

/// Where a condition held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'s> {
    /// The name of the field that matched (as the subject names it).
    pub field: &'s str,
    /// The whole value that matched (empty for a negated or `Empty` condition).
    pub value: &'s str,
    /// The byte span of the match within the value.
    pub span: (usize, usize),
    /// The named captures of a regular expression, in pattern order.
    pub captures: Captures<'s>,
}

impl Found<'_> {
    fn nothing(field: &'static str) -> Found<'static> {
        Found {
            field,
            value: "",
            span: (0, 0),
            captures: Vec::new(),
        }
    }

    /// The matched part of the value.
    pub fn matched(&self) -> &str {
        self.value.get(self.span.0..self.span.1).unwrap_or_default()
    }
}

/// A value of a subject, with its lowercase form made on first use.
#[derive(Debug)]
pub struct Text<'a> {
    raw: &'a str,
    lower: OnceCell<Option<String>>,
    number: OnceCell<Option<i64>>,
}

impl<'a> Text<'a> {
    /// A value.
    pub fn new(raw: &'a str) -> Self {
        Text {
            raw,
            lower: OnceCell::new(),
            number: OnceCell::new(),
        }
    }

    /// The value as given.
    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// The value as a number (trimmed), parsed on first use.
    pub fn number(&self) -> Option<i64> {
        *self.number.get_or_init(|| self.raw.trim().parse().ok())
    }

    /// The value with ASCII letters lowercased (the same byte offsets).
    pub fn lower(&self) -> &str {
        self.lower
            .get_or_init(|| {
                self.raw
                    .bytes()
                    .any(|b| b.is_ascii_uppercase())
                    .then(|| self.raw.to_ascii_lowercase())
            })
            .as_deref()
            .unwrap_or(self.raw)
    }
}

/// What conditions are tested on: named values (a name may repeat, as headers do).
///
/// A value is pushed under a name, optionally inside a group (`header:`):
/// the field `header:server` is the value named `server` in the group
/// `header:`, without the caller building that string.
#[derive(Debug, Default)]
pub struct Subject<'a> {
    entries: Vec<(&'a str, &'a str, Text<'a>)>,
}

impl<'a> Subject<'a> {
    /// An empty subject.
    pub fn new() -> Self {
        Subject {
            entries: Vec::new(),
        }
    }

    /// Adds `value` under `name`.
    pub fn push(&mut self, name: &'a str, value: &'a str) {
        self.entries.push(("", name, Text::new(value)));
    }

    /// Adds `value` under `group` + `name` (e.g. `header:` and `server`).
    pub fn push_in(&mut self, group: &'a str, name: &'a str, value: &'a str) {
        self.entries.push((group, name, Text::new(value)));
    }

    /// Whether a field has any value.
    pub fn has(&self, field: &str) -> bool {
        self.values(field).next().is_some()
    }

    /// The first value of a field.
    pub fn get(&self, field: &str) -> Option<&'a str> {
        self.values(field).next().map(|t| t.raw)
    }

    /// The values of a field, in order.
    pub fn values<'s>(&'s self, field: &'s str) -> impl Iterator<Item = &'s Text<'a>> + 's {
        self.named_values(field).map(|(_, v)| v)
    }

    fn named_values<'s>(
        &'s self,
        field: &'s str,
    ) -> impl Iterator<Item = (&'s str, &'s Text<'a>)> + 's {
        self.entries
            .iter()
            .filter(move |(group, name, _)| {
                field.strip_prefix(*group).is_some_and(|rest| rest == *name)
            })
            .map(move |(_, _, v)| (field, v))
    }
}

/// A condition prepared once: the searcher for its literal (lowercased
/// unless cased) or its compiled regular expression with its prefilter.
#[derive(Debug, Clone)]
pub struct Prepared {
    needle: String,
    finder: Option<Finder<'static>>,
    pattern: Option<Pattern>,
}

impl Prepared {
    /// Prepares `cond`.
    pub fn new(cond: &Cond) -> Prepared {
        let needle = cond
            .test
            .literal()
            .map(|s| {
                if cond.cased {
                    s.to_owned()
                } else {
                    s.to_ascii_lowercase()
                }
            })
            .unwrap_or_default();
        let finder = match cond.test {
            Test::Contains(_) | Test::Word(_) | Test::WordPrefix(_) if !needle.is_empty() => {
                Some(Finder::new(needle.as_bytes()).into_owned())
            }
            _ => None,
        };
        let pattern = cond.test.regex().and_then(Pattern::new);
        Prepared {
            needle,
            finder,
            pattern,
        }
    }

    /// Whether the condition's regular expression (if any) compiled.
    pub fn compiled(&self) -> bool {
        self.pattern.is_some()
    }
}

/// A regular expression with its literal prefilter.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The compiled expression.
    pub regex: Regex,
    prefilter: prefilter::Compiled,
}

impl Pattern {
    /// Compiles `pattern` (`None` when it does not compile).
    pub fn new(pattern: &str) -> Option<Pattern> {
        Some(Pattern {
            regex: Regex::new(pattern).ok()?,
            prefilter: prefilter::Compiled::new(&Prefilter::of(pattern)),
        })
    }

    /// The leftmost match in `text`, as [`Regex::captures`] finds it; the
    /// prefilter only skips texts and bytes that cannot hold a match.
    pub fn captures<'t>(&self, text: &'t str) -> Option<regex_lite::Captures<'t>> {
        let start = self.prefilter.start(text)?;
        #[cfg(test)]
        tests::REGEX_RUNS.with(|runs| runs.borrow_mut().push(self.regex.as_str().to_owned()));
        self.regex.captures_at(text, start)
    }
}

/// Every condition of every row of a table, prepared (see [`Prepared`]).
#[derive(Debug)]
pub struct PreparedTable {
    rows: Vec<Vec<Prepared>>,
}

impl PreparedTable {
    /// Prepares the conditions of each row.
    pub fn new<'r>(rows: impl Iterator<Item = &'r [Cond]>) -> PreparedTable {
        PreparedTable {
            rows: rows
                .map(|when| when.iter().map(Prepared::new).collect())
                .collect(),
        }
    }

    /// Tests row `index` (whose conditions are `when`) on `subject`: every
    /// condition's finding, in order, when all hold.
    pub fn eval<'s>(
        &'s self,
        index: usize,
        when: &[Cond],
        subject: &'s Subject<'_>,
    ) -> Option<Vec<Found<'s>>> {
        let prepared = self.rows.get(index)?;
        when.iter()
            .zip(prepared)
            .map(|(c, p)| c.eval(p, subject))
            .collect()
    }

    /// Whether row `index` holds on `subject` (without collecting findings).
    pub fn holds(&self, index: usize, when: &[Cond], subject: &Subject<'_>) -> bool {
        self.rows.get(index).is_some_and(|prepared| {
            when.iter()
                .zip(prepared)
                .all(|(c, p)| c.eval(p, subject).is_some())
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    thread_local! {
        /// The regexes that ran (their prefilter let the text through), on this thread.
        pub(crate) static REGEX_RUNS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    fn holds(cond: Cond, field: &'static str, value: &str) -> bool {
        let mut s = Subject::new();
        s.push(field, value);
        cond.eval(&Prepared::new(&cond), &s).is_some()
    }

    #[test]
    fn each_test() {
        let m = &["message"];
        assert!(holds(
            Cond::new(m, Test::Contains("Refused")),
            "message",
            "connection refused"
        ));
        assert!(!holds(
            Cond::new(m, Test::Contains("Refused")).cased(),
            "message",
            "connection refused"
        ));
        assert!(holds(
            Cond::new(m, Test::Word("econnrefused")),
            "message",
            "connect ECONNREFUSED 1.2.3.4"
        ));
        assert!(!holds(
            Cond::new(m, Test::Word("ECONNREFUSED")),
            "message",
            "XECONNREFUSED"
        ));
        assert!(!holds(
            Cond::new(m, Test::Word("ECONN")),
            "message",
            "ECONNREFUSED"
        ));
        assert!(holds(
            Cond::new(m, Test::WordPrefix("HPE_")),
            "message",
            "Parse Error HPE_INVALID_CONSTANT"
        ));
        assert!(holds(
            Cond::new(m, Test::Prefix("network connection lost")),
            "message",
            "Network connection lost."
        ));
        assert!(holds(
            Cond::new(m, Test::Equals("load failed")),
            "message",
            " Load failed "
        ));
        assert!(!holds(
            Cond::new(m, Test::Equals("load failed")),
            "message",
            "Load failed!"
        ));
        assert!(holds(
            Cond::new(m, Test::Number(&[(500, 599)])),
            "message",
            "502"
        ));
        assert!(!holds(
            Cond::new(m, Test::Number(&[(500, 599)])),
            "message",
            "5o2"
        ));
        assert!(holds(Cond::new(m, Test::Present), "message", ""));
        assert!(holds(Cond::new(m, Test::Empty), "message", "  \n"));
        assert!(holds(Cond::new(&["other"], Test::Empty), "message", "x"));
        assert!(!holds(Cond::new(m, Test::Empty), "message", "x"));
        assert!(holds(Cond::new(m, Test::Present).negated(), "other", "x"));
        assert!(holds(Cond::new(m, Test::Regex(r"^\d+$")), "message", "42"));
        // A bad regex never matches.
        assert!(!holds(Cond::new(m, Test::Regex(r"(")), "message", "("));
        // Offsets are those of the raw text: lowercasing ASCII keeps them.
        let mut s = Subject::new();
        s.push("message", "Ünïcode: Connection REFUSED");
        let c = Cond::new(m, Test::Contains("connection refused"));
        let prepared = Prepared::new(&c);
        let f = c.eval(&prepared, &s).unwrap();
        assert_eq!(f.matched(), "Connection REFUSED");
    }

    #[test]
    fn any_of_several_fields_and_groups() {
        let c = Cond::new(&["code", "message"], Test::Word("EPIPE"));
        let mut s = Subject::new();
        s.push("code", "ECONNRESET");
        s.push("message", "write EPIPE");
        assert_eq!(
            c.eval(&Prepared::new(&c), &s).map(|f| f.field),
            Some("message")
        );
        let h = Cond::new(&["header:via"], Test::Contains("varnish"));
        let mut s = Subject::new();
        s.push_in("header:", "via", "1.1 proxy");
        s.push_in("header:", "via", "1.1 abc (Varnish/7.1)");
        s.push("via", "varnish");
        let prepared = Prepared::new(&h);
        let f = h.eval(&prepared, &s).unwrap();
        assert_eq!(f.value, "1.1 abc (Varnish/7.1)");
    }
}
