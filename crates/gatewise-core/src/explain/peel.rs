//! Envelopes around a pasted line, peeled before the line is read: what
//! `docker compose`, `kubectl logs`, the container runtime, syslog/journald
//! and `curl -v` put in front of the text a server wrote.
//!
//! Each wrapper is one row of [`WRAPPERS`] (a regular expression whose
//! `rest` capture is the text inside, and whose `source` capture, when
//! present, names where the line came from), with the document that
//! describes the format. JSON log records (docker's json-file driver,
//! journald's JSON export, Google Cloud's `LogEntry`) are read by field name
//! ([`JSON_MESSAGE_FIELDS`]); colour codes are removed everywhere.
//!
//! Peeling is bounded: at most [`MAX_PEELS`] wrappers per line, lines longer
//! than [`MAX_PEEL_LINE`] are left as they are, and every step is a
//! linear-time match of one line. Every intermediate text is kept
//! ([`PeeledLine::stages`]): a line that a log format reads *with* what looked
//! like an envelope (Traefik's own RFC 3339 timestamp, Heroku's
//! `heroku[router]:` tag) is read from the stage that format knows.
//!
//! # Example
//! ```
//! use gatewise_core::explain::peel::{peel_line, Wrapper};
//! let p = peel_line("web-1  | 2026/01/02 03:04:05 [error] 7#7: *1 connect() failed (111: Connection refused)");
//! assert_eq!(p.wrappers, vec![Wrapper::Compose]);
//! assert_eq!(p.source.as_deref(), Some("web-1"));
//! assert!(p.text().starts_with("2026/01/02 03:04:05 [error]"));
//! let p = peel_line(r#"{"log":"upstream connect error\n","stream":"stderr","time":"2026-01-02T03:04:05Z"}"#);
//! assert_eq!((p.wrappers.as_slice(), p.text()), (&[Wrapper::JsonLog][..], "upstream connect error"));
//! ```

use std::sync::LazyLock;

use regex_lite::Regex;
use serde::{Deserialize, Serialize};

use crate::hop::named_enum;

/// At most this many wrappers are peeled from one line.
pub const MAX_PEELS: usize = 6;
/// Lines longer than this are not peeled (no envelope makes a line this long).
pub const MAX_PEEL_LINE: usize = 64 * 1024;
/// A JSON record's message may hold at most this many lines.
pub const MAX_RECORD_LINES: usize = 64;

named_enum! {
    /// An envelope around a pasted line.
    Wrapper {
        /// ANSI colour and cursor codes (terminal output).
        Ansi = "ansi",
        /// `docker compose` / `docker-compose` service prefix (`web-1  | `, `web_1  | `).
        Compose = "compose",
        /// `kubectl logs --prefix` (`[pod/web-5d4f/app] `).
        KubectlPrefix = "kubectl_prefix",
        /// An RFC 3339 timestamp in front (`kubectl logs --timestamps`, `docker logs -t`).
        Timestamp = "timestamp",
        /// The CRI log format of Kubernetes nodes (`2026-…Z stderr F `).
        Cri = "cri",
        /// A JSON log record (docker json-file `{"log":…}`, journald `{"MESSAGE":…}`, Cloud Logging `textPayload`).
        JsonLog = "json_log",
        /// A syslog line (RFC 3164) or journald's short/short-iso/short-precise output.
        Syslog = "syslog",
        /// An RFC 5424 syslog line.
        Syslog5424 = "syslog_5424",
        /// A line of `curl -v` (`> ` request, `< ` response, `* ` information).
        CurlVerbose = "curl_verbose",
        /// A quotation marker (`> `) of an e-mail or Markdown quote.
        Quote = "quote",
        /// Markdown around a paste: code fences, headings, bold labels, backticks.
        Markdown = "markdown",
        /// A Procfile runner's prefix (foreman, forego, honcho: `web.1  | `).
        Procfile = "procfile",
        /// A line of PHP's `print_r` of an array (`[0] => HTTP/1.1 502 …`, `[Server] => nginx`).
        PrintR = "print_r",
        /// The whole paste was a quoted string (JSON, Python or PHP) and was unescaped.
        Quoted = "quoted",
        /// The paste held escaped line breaks (`\n`) and was unescaped.
        Escaped = "escaped",
    }
}

/// One wrapper format: a pattern whose `rest` capture is the inner text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WrapperRow {
    /// The wrapper this row peels.
    pub wrapper: Wrapper,
    /// A regular expression (regex-lite) anchored at the line's start, with a
    /// `rest` capture (the text inside) and optionally `source`.
    pub pattern: &'static str,
    /// The document that describes the format.
    pub source: &'static str,
}

/// An RFC 3339 timestamp as `kubectl`, docker and the CRI write it.
macro_rules! rfc3339 {
    () => {
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)"
    };
}

/// The line-prefix wrappers, tried in order at each step (the first that
/// matches is peeled, then the rows are tried again on what is inside).
pub const WRAPPERS: &[WrapperRow] = &[
    WrapperRow {
        wrapper: Wrapper::Compose,
        // Compose v1 names a container `service_1`, v2 `service-1`; the name is padded to a
        // common width, then `| `.
        pattern: r"^(?P<source>[A-Za-z0-9][A-Za-z0-9_.-]{0,127}[_-]\d{1,4})\s*\| ?(?P<rest>.*)$",
        source: "https://docs.docker.com/reference/cli/docker/compose/logs/ (\"--no-log-prefix: Don't print prefix in logs\"); docker/compose pkg/compose/printer.go",
    },
    WrapperRow {
        wrapper: Wrapper::Procfile,
        // `web.1  | line` (forego), `14:21:15 web.1  | line` (foreman, honcho).
        pattern: r"^(?:\d\d:\d\d:\d\d )?(?P<source>[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.\d{1,4})\s*\| ?(?P<rest>.*)$",
        source: "https://github.com/ddollar/foreman (README: \"14:21:15 web.1  | started with pid …\"); https://github.com/ddollar/forego; https://honcho.readthedocs.io/",
    },
    WrapperRow {
        wrapper: Wrapper::PrintR,
        // The values of `get_headers()` (`[0] => HTTP/1.1 200 OK`, `[1] => Server: …`); named
        // keys (`getallheaders()`) are turned into `Name: value` below.
        pattern: r"^\s*\[(?P<key>[^\]\s]{1,128})\] => ?(?P<rest>.*)$",
        source: "https://www.php.net/manual/en/function.print-r.php; https://www.php.net/manual/en/function.get-headers.php (example output)",
    },
    WrapperRow {
        wrapper: Wrapper::KubectlPrefix,
        pattern: r"^\[pod/(?P<source>[^\]\s]{1,253})\] (?P<rest>.*)$",
        source: "https://kubernetes.io/docs/reference/kubectl/generated/kubectl_logs/ (--prefix: \"Prefix each log line with the log source (pod name and container name)\")",
    },
    WrapperRow {
        wrapper: Wrapper::Cri,
        pattern: concat!(r"^", rfc3339!(), r" (?P<source>stdout|stderr) [FP] (?P<rest>.*)$"),
        source: "https://github.com/kubernetes/design-proposals-archive/blob/main/node/kubelet-cri-logging.md (\"2016-10-06T00:17:09.669794202Z stdout F log content\")",
    },
    WrapperRow {
        wrapper: Wrapper::Syslog5424,
        pattern: r"^<\d{1,3}>1 (?P<time>\S+) (?P<host>\S+) (?P<source>\S+) (?P<procid>\S+) (?P<msgid>\S+) (?:-|\[.*?\])(?: \x{FEFF}?(?P<rest>.*))?$",
        source: "RFC 5424 §6 (HEADER SP STRUCTURED-DATA [SP MSG])",
    },
    WrapperRow {
        wrapper: Wrapper::Syslog,
        // `Dec  6 05:52:55 host tag[pid]: msg` (RFC 3164, journalctl -o short, short-precise),
        // `2026-12-06T05:52:55+0000 host tag[pid]: msg` (journalctl -o short-iso, rsyslog's
        // RFC 3339 template); the host is absent in some relays (Heroku's `app[web.1]:`).
        pattern: concat!(
            r"^(?:<\d{1,3}>)?(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d{1,9})?|",
            rfc3339!(),
            r")(?: (?P<host>[^\s\[\]:/]{1,255}))? (?P<source>[A-Za-z][^\s\[\]:/]{0,127}(?:\[[^\]\s]{1,64}\])?): ?(?P<rest>.*)$"
        ),
        source: "RFC 3164 §4.1; https://www.freedesktop.org/software/systemd/man/latest/journalctl.html (-o short, short-iso, short-precise)",
    },
    WrapperRow {
        wrapper: Wrapper::Timestamp,
        pattern: concat!(r"^", rfc3339!(), r" (?P<rest>.*)$"),
        source: "https://kubernetes.io/docs/reference/kubectl/generated/kubectl_logs/ (--timestamps); https://docs.docker.com/reference/cli/docker/container/logs/ (--timestamps, RFC3339Nano)",
    },
];

/// JSON log records: the field holding the message, and the fields that say
/// where it came from (first present wins), with the document of the format.
pub const JSON_MESSAGE_FIELDS: &[(&str, &[&str], &str)] = &[
    (
        "log",
        &["stream"],
        "https://docs.docker.com/engine/logging/drivers/json-file/ ({\"log\":…,\"stream\":…,\"time\":…})",
    ),
    (
        "MESSAGE",
        &["SYSLOG_IDENTIFIER", "_SYSTEMD_UNIT", "_COMM"],
        "https://www.freedesktop.org/software/systemd/man/latest/systemd.journal-fields.html (journalctl -o json)",
    ),
    (
        "textPayload",
        &["logName"],
        "https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry (textPayload)",
    ),
];

/// What the whole paste is, which decides how ambiguous markers are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paste {
    /// `curl -v` output: `> `, `< `, `* `, `{ [`, `} [` are curl's markers.
    pub curl: bool,
    /// Markdown (it has code fences): headings and bold labels are furniture.
    pub markdown: bool,
}

impl Paste {
    /// Looks at the lines of a paste (bounded by the caller).
    pub fn of<'a>(lines: impl IntoIterator<Item = &'a str> + Clone) -> Paste {
        Paste {
            curl: is_curl_verbose(lines.clone()),
            markdown: lines.into_iter().any(|l| is_fence(l.trim())),
        }
    }
}

/// A Markdown code fence (CommonMark §4.5): three or more backticks or tildes.
fn is_fence(t: &str) -> bool {
    t.starts_with("```") || t.starts_with("~~~")
}

/// Where a line of `curl -v` output sits in the exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Not a `curl -v` line.
    None,
    /// `> `: the request curl sent.
    Request,
    /// `< `: the response curl received.
    Response,
    /// `* `: curl's own information and errors.
    Info,
}

/// A line with its envelopes peeled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeeledLine {
    /// The text after each step, the line itself (colour codes removed) first.
    pub stages: Vec<String>,
    /// The wrappers peeled, outermost first.
    pub wrappers: Vec<Wrapper>,
    /// Where the line came from, as the innermost wrapper naming it said
    /// (a compose service, a syslog tag, a container stream).
    pub source: Option<String>,
    /// The `curl -v` side, when the paste is `curl -v` output.
    pub side: Side,
}

impl PeeledLine {
    /// The innermost text.
    pub fn text(&self) -> &str {
        self.stages.last().map(String::as_str).unwrap_or_default()
    }
}

static COMPILED: LazyLock<Vec<Option<Regex>>> = LazyLock::new(|| {
    WRAPPERS
        .iter()
        .map(|w| Regex::new(w.pattern).ok())
        .collect()
});

/// Removes ANSI escape sequences (CSI `ESC [ … final`, and two-byte `ESC x`).
pub fn strip_ansi(s: &str) -> Option<String> {
    if !s.contains('\u{1b}') {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                // Parameters and intermediates, then one final byte in @–~.
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                // OSC: up to BEL or ESC \.
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' {
                        chars.next_if_eq(&'\\');
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    Some(out)
}

/// The message of a JSON log record, and where it came from.
fn json_record(line: &str) -> Option<(String, Option<String>)> {
    let t = line.trim();
    if !(t.starts_with('{') && t.ends_with('}')) {
        return None;
    }
    // serde_json stops at 128 levels of nesting: bounded on hostile input.
    let value: serde_json::Value = serde_json::from_str(t).ok()?;
    let obj = value.as_object()?;
    JSON_MESSAGE_FIELDS.iter().find_map(|(field, sources, _)| {
        let message = obj.get(*field)?.as_str()?;
        let source = sources
            .iter()
            .find_map(|s| obj.get(*s).and_then(serde_json::Value::as_str))
            .map(|s| super::cut(s, 128).to_owned());
        Some((message.trim_end_matches(['\r', '\n']).to_owned(), source))
    })
}

/// Peels one line of a paste of kind `paste` (for `curl -v` output, `> `,
/// `< ` and `* ` are curl's markers; otherwise `> ` is a quotation).
pub fn peel_line_in(line: &str, paste: Paste) -> PeeledLine {
    let mut p = PeeledLine {
        stages: Vec::new(),
        wrappers: Vec::new(),
        source: None,
        side: Side::None,
    };
    let first = match strip_ansi(line) {
        Some(clean) => {
            p.wrappers.push(Wrapper::Ansi);
            clean
        }
        None => line.to_owned(),
    };
    p.stages.push(first);
    if line.len() > MAX_PEEL_LINE {
        return p;
    }
    for _ in 0..MAX_PEELS {
        let mut side = p.side;
        let Some((wrapper, rest, source)) = peel_once(p.text(), paste, &mut side) else {
            break;
        };
        p.side = side;
        p.wrappers.push(wrapper);
        if source.is_some() {
            p.source = source;
        }
        p.stages.push(rest);
    }
    p
}

/// [`peel_line_in`] for a plain paste (not `curl -v` output, not Markdown).
pub fn peel_line(line: &str) -> PeeledLine {
    peel_line_in(line, Paste::default())
}

/// Markdown furniture (CommonMark): a fence or, in a Markdown paste, a
/// heading or a bold label become blank; backticks around a line go.
fn markdown(text: &str, paste: Paste) -> Option<String> {
    let t = text.trim();
    if is_fence(t) {
        return Some(String::new());
    }
    let heading =
        t.starts_with('#') && t.trim_start_matches('#').starts_with(' ') && t.len() <= 120;
    let bold = t.len() <= 120
        && t.starts_with("**")
        && t.trim_end_matches(':').ends_with("**")
        && t.matches("**").count() == 2;
    if paste.markdown && (heading || bold) {
        return Some(String::new());
    }
    let single = |s: &str| s.starts_with('`') && !s.starts_with("``");
    let open = single(t);
    let close = t.ends_with('`') && !t.ends_with("``");
    if !(open || close) {
        return None;
    }
    let mut inner = t;
    if open {
        inner = inner.get(1..).unwrap_or_default();
    }
    if close {
        inner = inner.strip_suffix('`').unwrap_or(inner);
    }
    Some(inner.to_owned())
}

fn peel_once(
    text: &str,
    paste: Paste,
    side: &mut Side,
) -> Option<(Wrapper, String, Option<String>)> {
    let curl = paste.curl;
    if let Some((message, source)) = json_record(text) {
        return Some((Wrapper::JsonLog, message, source));
    }
    if let Some(rest) = markdown(text, paste) {
        return Some((Wrapper::Markdown, rest, None));
    }
    if *side == Side::None {
        // `{ [157 bytes data]` / `} [5 bytes data]`: curl's notes on data received or sent.
        let marker = [
            ("> ", Side::Request),
            ("< ", Side::Response),
            ("* ", Side::Info),
            ("{ [", Side::Info),
            ("} [", Side::Info),
        ]
        .into_iter()
        .find(|(m, _)| text.starts_with(m) || text == m.trim_end());
        match marker {
            Some((_, s)) if curl => {
                *side = s;
                let rest = text.get(2..).unwrap_or_default();
                return Some((Wrapper::CurlVerbose, rest.to_owned(), None));
            }
            Some(("> ", _)) if !curl => {
                let rest = text.get(2..).unwrap_or_default();
                return Some((Wrapper::Quote, rest.to_owned(), None));
            }
            _ => {}
        }
    }
    for (row, re) in WRAPPERS.iter().zip(COMPILED.iter()) {
        let Some(caps) = re.as_ref().and_then(|re| re.captures(text)) else {
            continue;
        };
        let rest = caps.name("rest").map_or("", |m| m.as_str());
        let source = caps
            .name("source")
            .map(|m| super::cut(m.as_str(), 128).to_owned());
        // print_r: `[Server] => nginx` is the header `Server: nginx`; `[0] => …` is the value.
        let rest = match caps.name("key").map(|m| m.as_str()) {
            Some(key) if !key.bytes().all(|b| b.is_ascii_digit()) => format!("{key}: {rest}"),
            _ => rest.to_owned(),
        };
        return Some((row.wrapper, rest, source));
    }
    None
}

/// Whether a paste is `curl -v` output: a `< HTTP/` line, or `* ` lines
/// with curl's own words.
pub fn is_curl_verbose<'a>(lines: impl IntoIterator<Item = &'a str>) -> bool {
    const WORDS: &[&str] = &[
        "Trying ",
        "Connected to ",
        "connect to ",
        "Closing connection",
        "Connection #",
        "Failed to connect",
        "Could not resolve host",
        "TLSv1.",
        "SSL connection using",
        "Empty reply from server",
        "Recv failure",
        "Operation timed out",
        "Host ",
    ];
    lines.into_iter().any(|raw| {
        let clean = strip_ansi(raw);
        let l = clean.as_deref().unwrap_or(raw).trim_end();
        l.starts_with("< HTTP/")
            || l.strip_prefix("* ")
                .is_some_and(|rest| WORDS.iter().any(|w| rest.trim_start().starts_with(w)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_compiles_and_has_a_source() {
        for (row, re) in WRAPPERS.iter().zip(COMPILED.iter()) {
            assert!(re.is_some(), "{:?} does not compile", row.wrapper);
            assert!(!row.source.is_empty());
        }
    }
}
