//! Splitting a paste into artefacts and reading each (steps 2–3 of the
//! pipeline in [`super`]).
//!
//! After peeling, the lines are walked once, in order:
//! - `> ` lines of `curl -v` (the request) are skipped;
//! - an HTTP status line starts a **response**: its header lines, a blank
//!   line, then the body up to the next status line, log line or change of
//!   envelope (for HTML, up to `</html>`; for other bodies, up to a blank line);
//! - a line a log format reads is a **log** artefact (from the innermost
//!   text a format reads, see [`super::peel`]);
//! - `Array (` … `)`, a Python dict, or `Name: value` lines with a known
//!   field name are a **header dump**;
//! - any other run of lines (an HTML page through `</html>`, else up to a
//!   blank line) is a **text block**, read first as page text by the
//!   fingerprints, then line by line for an error message ([`super::signal`]).
//!
//! Each line is peeled once and tried against the log formats once.

use crate::classify::{self, ResponseView};
use crate::diagnosis::{Evidence, EvidenceSource};
use crate::logs::{self, LogExplanation};
use crate::{raw, Confidence, Diagnosis, ErrorType, Layer, LayerKind};

use super::headers;
use super::peel::{self, PeeledLine, Side, Wrapper};
use super::visible::{looks_like_html, visible_text};
use super::{cut, first_max, signal, Artefact, InputKind, LineRange, MAX_LINES};

/// Status codes are looked for in this many leading bytes of a page's text.
const STATUS_SCAN: usize = 4096;
/// The statuses tried for an error page that names none.
const PAGE_STATUS_GUESSES: &[u16] = &[502, 503, 504, 500];
/// At most this many lines of a text block are read for an error message.
const MAX_SIGNAL_LINES: usize = 200;
/// At most this many lines of a Python dict or a PHP array are gathered.
const MAX_DICT_LINES: usize = 200;
/// At most this many blocks of text are read (as page text, for error messages).
const MAX_TEXT_BLOCKS: usize = 64;
/// Field names that make `Name: value` lines a header dump rather than prose.
const KNOWN_FIELDS: &[&str] = &[
    ":status",
    "status",
    "server",
    "date",
    "content-type",
    "content-length",
    "connection",
    "via",
    "cache-control",
    "location",
    "set-cookie",
    "host",
    "user-agent",
    "accept",
    "x-forwarded-for",
    "cf-ray",
    "cf-cache-status",
    "x-cache",
    "age",
    "etag",
    "vary",
    "transfer-encoding",
    "x-request-id",
    "retry-after",
    "proxy-status",
    "strict-transport-security",
    "alt-svc",
    "x-powered-by",
    "expires",
    "last-modified",
    "content-encoding",
    "x-amz-cf-id",
    "x-served-by",
    "x-envoy-upstream-service-time",
    "x-azure-ref",
    "x-squid-error",
    "x-vercel-error",
    "x-vercel-id",
    "cdn-loop",
    "x-real-ip",
    "x-forwarded-proto",
];

/// A line of the paste, peeled, with what the log formats make of it.
struct Line {
    /// 1-based number in the paste.
    no: usize,
    peeled: PeeledLine,
    log: Option<LogExplanation>,
    status_line: bool,
}

impl Line {
    fn text(&self) -> &str {
        self.peeled.text()
    }
    fn blank(&self) -> bool {
        self.text().trim().is_empty()
    }
    /// The envelopes that tell a line's origin apart (colour codes do not).
    fn envelope(&self) -> Vec<Wrapper> {
        self.peeled
            .wrappers
            .iter()
            .copied()
            .filter(|w| *w != Wrapper::Ansi)
            .collect()
    }
}

/// Every artefact of `text`, in order. `whole`: the paste was not cut to
/// [`super::MAX_INPUT`], so a response at its end has the body it was pasted with.
pub(super) fn artefacts(text: &str, whole: bool) -> Vec<Artefact> {
    let whole = whole && text.lines().nth(MAX_LINES).is_none();
    let lines = lines(text);
    let alone = lines.len() == 1 || all_one_block(&lines);
    let mut out = Vec::new();
    let mut text_blocks = 0usize;
    let mut i = 0usize;
    while let Some(line) = lines.get(i) {
        if line.blank() || line.peeled.side == Side::Request {
            i = i.saturating_add(1);
            continue;
        }
        // A status printed alone right before a header dump (`print(r.status_code)`,
        // `print(r.headers)`) is that dump's status.
        let bare_status = bare_status(line.text());
        let dump_at = if bare_status.is_some() {
            next_non_blank(&lines, i.saturating_add(1))
                .filter(|&j| lines.get(j).is_some_and(starts_dump))
        } else {
            None
        };
        if let Some(j) = dump_at {
            if let Some((artefact, next)) = header_dump(&lines, j, bare_status) {
                out.extend(artefact);
                i = next.max(j.saturating_add(1));
                continue;
            }
        }
        let (artefact, next) = if line.status_line {
            response(&lines, i, whole)
        } else if line.log.as_ref().is_some_and(context_only) {
            // A stack frame or a field of the error above: part of it, not an artefact.
            (None, i.saturating_add(1))
        } else if let Some(log) = &line.log {
            (Some(log_artefact(line, log)), i.saturating_add(1))
        } else if let Some(found) = header_dump(&lines, i, None) {
            found
        } else if text_blocks < MAX_TEXT_BLOCKS {
            text_blocks = text_blocks.saturating_add(1);
            text_block(&lines, i, alone)
        } else {
            (None, i.saturating_add(1))
        };
        if let Some(a) = artefact {
            push_merging(&mut out, a);
        }
        // Always move on, whatever a reader returned.
        i = next.max(i.saturating_add(1));
    }
    out
}

/// Adds `a`, or merges it into the previous artefact when both are error
/// messages saying the same (one exception told several times, as a Python
/// traceback's chained exceptions or curl's `*` lines and final `curl: (7)`
/// do): the one naming its writer is kept, else the surer one, else the
/// later one, over both line ranges.
fn push_merging(out: &mut Vec<Artefact>, a: Artefact) {
    if let Some(prev) = out.last_mut() {
        let (pl, al) = (prev.diagnosis.layer, a.diagnosis.layer);
        let same = prev.kind == InputKind::Message
            && a.kind == InputKind::Message
            && prev.diagnosis.error_type == a.diagnosis.error_type
            && (pl == al || pl == Layer::Unknown || al == Layer::Unknown);
        if same {
            let first = prev.lines.map(|r| r.first);
            // The one that names who wrote it, then the surer one, then the later one.
            let rank = |x: &Artefact| {
                (
                    x.diagnosis.layer != Layer::Unknown,
                    std::cmp::Reverse(x.diagnosis.confidence),
                )
            };
            let mut keep = if rank(prev) > rank(&a) {
                prev.clone()
            } else {
                a
            };
            if let (Some(first), Some(r)) = (first, keep.lines.as_mut()) {
                r.first = r.first.min(first);
            }
            *prev = keep;
            return;
        }
    }
    out.push(a);
}

/// A line that is only a status code (`502`).
fn bare_status(text: &str) -> Option<u16> {
    let t = text.trim();
    (t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
        .filter(|s| (100..=599).contains(s))
}

/// Whether a line starts a PHP `print_r` array or a Python dict of strings.
fn starts_dump(l: &Line) -> bool {
    let t = l.text().trim();
    t == "Array" || t.starts_with("{'") || t.contains("Dict({'")
}

fn next_non_blank(lines: &[Line], from: usize) -> Option<usize> {
    lines
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, l)| !l.blank())
        .map(|(i, _)| i)
}

/// Peels every line, reads it as a log line, and marks status lines.
fn lines(text: &str) -> Vec<Line> {
    let paste = peel::Paste::of(text.lines().take(MAX_LINES));
    let mut w3c: Option<Vec<String>> = None;
    let mut out = Vec::new();
    for (i, raw) in text.lines().take(MAX_LINES).enumerate() {
        let no = i.saturating_add(1);
        let peeled = peel::peel_line_in(raw, paste);
        // A JSON record may hold several lines: each is read on its own.
        let subs: Vec<PeeledLine> = if peeled.text().contains('\n') {
            peeled
                .text()
                .lines()
                .take(peel::MAX_RECORD_LINES)
                .map(|sub| PeeledLine {
                    stages: vec![sub.to_owned()],
                    ..peeled.clone()
                })
                .collect()
        } else {
            vec![peeled]
        };
        for peeled in subs {
            if let Some(fields) = logs::w3c_fields(peeled.text()) {
                w3c = Some(fields);
                out.push(Line {
                    no,
                    peeled,
                    log: None,
                    status_line: false,
                });
                continue;
            }
            let status_line = is_status_line(peeled.text());
            // The innermost text first; then the one around it (a format may know what looked
            // like an envelope: Traefik's own timestamp, Heroku's `heroku[router]:`), then the
            // line as pasted. At most three tries per line.
            let log = if status_line || peeled.text().trim().is_empty() {
                None
            } else {
                let n = peeled.stages.len();
                let mut tries = vec![n.saturating_sub(1), n.saturating_sub(2), 0];
                tries.dedup();
                tries
                    .into_iter()
                    .filter_map(|i| peeled.stages.get(i))
                    .find_map(|stage| logs::explain_in(stage, w3c.as_deref()))
            };
            out.push(Line {
                no,
                peeled,
                log,
                status_line,
            });
        }
    }
    take_causes_from_next(&mut out);
    out
}

/// A log line whose cause the next line states (Vite's `http proxy error`, then Node's
/// `Error: connect ECONNREFUSED …`: [`logs::take_cause_from_next`]) takes it.
fn take_causes_from_next(lines: &mut [Line]) {
    for i in 0..lines.len() {
        let Some((cur, rest)) = lines.get_mut(i..).and_then(|s| s.split_first_mut()) else {
            break;
        };
        let Some(next) = rest.first() else {
            break;
        };
        if next.no > cur.no.saturating_add(1) {
            continue;
        }
        if let (Some(c), Some(n)) = (cur.log.as_mut(), next.log.as_ref()) {
            logs::take_cause_from_next(c, n);
        }
    }
}

/// Whether the whole paste is one block of text (no log line, no response).
fn all_one_block(lines: &[Line]) -> bool {
    lines.iter().all(|l| l.log.is_none() && !l.status_line)
}

/// `HTTP/1.1 502 Bad Gateway`, `HTTP/2 502`, `HTTP/1.0 504`.
fn is_status_line(t: &str) -> bool {
    let Some(rest) = t.strip_prefix("HTTP/") else {
        return false;
    };
    let version_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let Some(after) = rest.get(version_len..).and_then(|r| r.strip_prefix(' ')) else {
        return false;
    };
    let code = after.as_bytes();
    version_len > 0
        && code.len() >= 3
        && code.iter().take(3).all(u8::is_ascii_digit)
        && code.get(3).is_none_or(|b| *b == b' ' || *b == b'\r')
}

fn range(lines: &[Line], from: usize, to_inclusive: usize) -> Option<LineRange> {
    let first = lines.get(from)?.no;
    let last = lines.get(to_inclusive).map_or(first, |l| l.no);
    Some(LineRange { first, last })
}

fn artefact(
    kind: InputKind,
    diagnosis: Diagnosis,
    failure: bool,
    lines: &[Line],
    from: usize,
    to: usize,
) -> Artefact {
    let first = lines.get(from);
    Artefact {
        kind,
        failure,
        lines: range(lines, from, to),
        wrappers: first.map(|l| l.peeled.wrappers.clone()).unwrap_or_default(),
        source: first.and_then(|l| l.peeled.source.clone()),
        excerpt: cut(first.map(Line::text).unwrap_or_default().trim(), 300).to_owned(),
        log: None,
        exchange: None,
        diagnosis,
    }
}

/// A line a format reads as a notice that names no layer and no status (a stack
/// frame, a field of an error object): context of the lines around it.
fn context_only(log: &LogExplanation) -> bool {
    log.kind == logs::LineKind::Notice
        && log.diagnosis.layer == Layer::Unknown
        && log.diagnosis.received_status.is_none()
}

/// Whether a diagnosis of a response, page or log line reports a failure.
fn fails(d: &Diagnosis) -> bool {
    d.error_type.is_some() || d.received_status.is_some_and(|s| s >= 500)
}

fn log_artefact(line: &Line, log: &LogExplanation) -> Artefact {
    let d = log.diagnosis.clone();
    let failure = log.kind == logs::LineKind::Failure && d.status != 499 || fails(&d);
    // A runtime's or a client's "log format" reads the error a program printed (Node's
    // `Error: connect ECONNREFUSED …`): an error message, like the other runtimes' ones.
    let printed = matches!(
        log.format.info().layer.info().kind,
        LayerKind::Runtime | LayerKind::Client
    );
    Artefact {
        kind: if printed {
            InputKind::Message
        } else {
            InputKind::Log
        },
        failure,
        lines: Some(LineRange {
            first: line.no,
            last: line.no,
        }),
        wrappers: line.peeled.wrappers.clone(),
        source: line.peeled.source.clone(),
        excerpt: cut(line.text().trim(), 300).to_owned(),
        log: Some(log.clone()),
        exchange: None,
        diagnosis: d,
    }
}

/// A response: the status line at `at`, its headers, and its body. `whole`:
/// the paste was read whole (see [`artefacts`]).
fn response(lines: &[Line], at: usize, whole: bool) -> (Option<Artefact>, usize) {
    let Some(start) = lines.get(at) else {
        return (None, at.saturating_add(1));
    };
    // `HTTP/2 502` (curl) reads like `HTTP/1.1 502`: httparse knows HTTP/1.x only.
    let status_line = match start.text().split_once(' ') {
        Some((_, rest)) => format!("HTTP/1.1 {rest}"),
        None => start.text().to_owned(),
    };
    let mut head = vec![status_line];
    let mut j = at.saturating_add(1);
    while let Some(l) = lines.get(j) {
        if l.blank() {
            j = j.saturating_add(1);
            break;
        }
        match headers::header_line(l.text()) {
            Some(_) if !l.status_line && l.log.is_none() => head.push(l.text().to_owned()),
            _ => break,
        }
        j = j.saturating_add(1);
    }
    if start.peeled.side == Side::Response {
        // curl -v: the body (stdout) follows curl's notes (`{ [157 bytes data]`, `* Connection #0 …`).
        while lines.get(j).is_some_and(|l| l.peeled.side == Side::Info) {
            j = j.saturating_add(1);
        }
    }
    // More blank lines (or Markdown furniture) between the head and the body.
    while lines.get(j).is_some_and(Line::blank) {
        j = j.saturating_add(1);
    }
    let mut body: Vec<&str> = Vec::new();
    let first_body = lines.get(j);
    let html = first_body.is_some_and(|l| l.text().trim_start().starts_with('<'));
    let envelope = first_body.map(Line::envelope).unwrap_or_default();
    while let Some(l) = lines.get(j) {
        // A text body runs to a blank line even through lines a log format would read
        // (the body of a Node proxy's error is the words it also logs).
        if l.status_line
            || (html && l.log.is_some())
            || matches!(l.peeled.side, Side::Info | Side::Request)
            || (!l.blank() && l.envelope() != envelope)
            || (!html && l.blank())
        {
            break;
        }
        body.push(l.text());
        j = j.saturating_add(1);
        if html && l.text().to_ascii_lowercase().contains("</html>") {
            break;
        }
    }
    let raw_text = format!("{}\r\n\r\n{}", head.join("\r\n"), body.join("\n"));
    let Ok(r) = raw::parse_response(raw_text.as_bytes()) else {
        return (None, at.saturating_add(1));
    };
    let pairs = r.header_pairs();
    let d = classify::response(&r.view(&pairs));
    // The body ran to the end of a paste read whole: its length is the length received.
    let to_the_end = lines
        .get(j..)
        .is_some_and(|rest| rest.iter().all(Line::blank));
    let d = if whole && to_the_end {
        cut_short(&r, d)
    } else {
        d
    };
    let failure = fails(&d);
    let last = j.saturating_sub(1).max(at);
    (
        Some(artefact(InputKind::Response, d, failure, lines, at, last)),
        j,
    )
}

/// A 2xx response whose body is shorter than the `Content-Length` it declares was cut
/// on its way: RFC 9112 §8, "a message that uses a valid Content-Length is incomplete
/// if the size of the message body received (in octets) is less than the value given
/// by Content-Length". A paste may have lost a carriage return per line break and its
/// final line break, so only a shortfall beyond those counts; an empty body (headers
/// only, as `curl -I` prints a HEAD answer) says nothing. The layer and the received
/// status stay as read.
fn cut_short(r: &raw::RawResponse, d: Diagnosis) -> Diagnosis {
    let Some(declared) = r.content_length else {
        return d;
    };
    if !(200..300).contains(&r.status) || r.body.is_empty() || d.error_type.is_some() {
        return d;
    }
    let received = u64::try_from(r.body.len()).unwrap_or(u64::MAX);
    let line_breaks = r.body.iter().filter(|b| **b == b'\n').count();
    let slack = u64::try_from(line_breaks)
        .unwrap_or(u64::MAX)
        .saturating_add(2);
    if received.saturating_add(slack) >= declared {
        return d;
    }
    let mut cut = Diagnosis::for_type(ErrorType::HttpResponseIncomplete, d.layer);
    cut.received_status = d.received_status.or(Some(r.status));
    cut.vendor_code = d.vendor_code;
    cut.confidence = Confidence::Medium;
    cut.evidence = d.evidence;
    cut.with_evidence(Evidence::new(
        EvidenceSource::Body,
        format!("Content-Length: {declared}, and {received} bytes of body"),
        Some("rfc9112.incomplete_content_length"),
    ))
}

/// A header dump starting at `at`, if there is one; `prior` is a status
/// printed just before it.
fn header_dump(lines: &[Line], at: usize, prior: Option<u16>) -> Option<(Option<Artefact>, usize)> {
    let first = lines.get(at)?.text().trim();
    let end = if first == "Array" {
        // PHP print_r: up to the closing `)`.
        let close = lines
            .iter()
            .skip(at)
            .take(MAX_DICT_LINES)
            .position(|l| l.text().trim() == ")")?;
        at.saturating_add(close)
    } else if first.starts_with('{') || first.contains("Dict({") {
        let close = lines.iter().skip(at).take(MAX_DICT_LINES).position(|l| {
            let t = l.text().trim_end();
            t.ends_with('}') || t.ends_with("})")
        })?;
        at.saturating_add(close)
    } else {
        let n = lines
            .iter()
            .skip(at)
            .take_while(|l| {
                !l.blank() && l.log.is_none() && headers::header_line(l.text()).is_some()
            })
            .count();
        let block_ends = lines.get(at.saturating_add(n)).is_none_or(Line::blank);
        let known = lines.iter().skip(at).take(n).any(|l| {
            headers::header_line(l.text())
                .is_some_and(|(name, _)| KNOWN_FIELDS.iter().any(|k| k.eq_ignore_ascii_case(name)))
        });
        if n < 2 || !block_ends || !known {
            return None;
        }
        at.saturating_add(n).saturating_sub(1)
    };
    // print_r's `Array`, `(` and `)` frame the `Name: value` lines peeled from `[Name] => value`.
    let text: Vec<&str> = lines
        .iter()
        .skip(at)
        .take(end.saturating_sub(at).saturating_add(1))
        .map(Line::text)
        .filter(|t| !matches!(t.trim(), "Array" | "(" | ")"))
        .collect();
    let h = headers::parse(&text.join("\n"))?;
    let next = end.saturating_add(1);
    let pairs: Vec<(&str, &str)> = h.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let d = match headers::status_of(&h).or(prior) {
        Some(status) => classify::response(&ResponseView {
            status,
            headers: &pairs,
            body: b"",
        }),
        None => {
            // No status: a layer that writes error responses may still show (`X-Squid-Error`,
            // `Server: awselb`); layers a response only passed through name no failure.
            let (d, _) = best_of(PAGE_STATUS_GUESSES, &[""], &pairs)?;
            if !generator(&d) {
                return Some((None, next));
            }
            without_received(d, "no status in the header dump")
        }
    };
    let failure = fails(&d);
    Some((
        Some(artefact(InputKind::Headers, d, failure, lines, at, end)),
        next,
    ))
}

/// A block of text from `at`: an HTML page through `</html>`, else up to a
/// blank line; read as page text, else for an error message. `alone`: the
/// block is the whole paste (then a status it names is enough).
fn text_block(lines: &[Line], at: usize, alone: bool) -> (Option<Artefact>, usize) {
    let Some(first) = lines.get(at) else {
        return (None, at.saturating_add(1));
    };
    let html = looks_like_html(first.text()) || first.text().trim_start().starts_with("<!");
    // Text copied from a page keeps its paragraphs apart with blank lines: a
    // paste that is nothing but text is one block.
    let through_blanks = html || alone;
    let envelope = first.envelope();
    let mut j = at;
    while let Some(l) = lines.get(j) {
        if j > at
            && (l.status_line
                || l.log.is_some()
                || starts_dump(l)
                || l.peeled.side != first.peeled.side
                || (!l.blank() && l.envelope() != envelope)
                || (!through_blanks && l.blank()))
        {
            break;
        }
        j = j.saturating_add(1);
        if html && l.text().to_ascii_lowercase().contains("</html>") {
            break;
        }
    }
    let last = j.saturating_sub(1).max(at);
    let block: Vec<&str> = lines
        .iter()
        .skip(at)
        .take(j.saturating_sub(at))
        .map(Line::text)
        .collect();
    let text = block.join("\n");
    // A log record read by its field names: a pretty-printed JSON object, or a
    // `key: value` / `key | value` table as log viewers show an entry.
    if !html && block.len() > 1 {
        if let Some(log) = logs::explain_record(&text) {
            let d = log.diagnosis.clone();
            let failure = log.kind == logs::LineKind::Failure && d.status != 499 || fails(&d);
            let mut a = artefact(InputKind::Log, d, failure, lines, at, last);
            a.log = Some(log);
            return (Some(a), j);
        }
    }
    let page = page(&text, html);
    if let Some((d, _)) = page.as_ref().filter(|(d, _)| generator(d)) {
        let failure = fails(d) || d.error_type.is_some();
        return (
            Some(artefact(
                InputKind::Page,
                d.clone(),
                failure,
                lines,
                at,
                last,
            )),
            j,
        );
    }
    if let Some((offset, d)) = message(&block) {
        let from = at.saturating_add(offset);
        return (
            Some(artefact(InputKind::Message, d, true, lines, from, from)),
            j,
        );
    }
    match page {
        Some((d, named)) if named && (alone || html) => {
            let failure = fails(&d);
            (
                Some(artefact(InputKind::Page, d, failure, lines, at, last)),
                j,
            )
        }
        _ => (None, j),
    }
}

/// Whether a layer that writes error responses was recognised.
fn generator(d: &Diagnosis) -> bool {
    !matches!(d.layer, Layer::Unknown | Layer::OriginApp)
}

/// The most telling error message among the lines of a block, with its offset.
fn message(block: &[&str]) -> Option<(usize, Diagnosis)> {
    let found: Vec<(usize, Diagnosis)> = block
        .iter()
        .take(MAX_SIGNAL_LINES)
        .enumerate()
        .filter_map(|(i, l)| signal::read(l).map(|d| (i, d)))
        .collect();
    let best = first_max(&found, |(_, d)| {
        (
            d.error_type.is_some(),
            super::confidence_rank(d.confidence),
            d.layer != Layer::Unknown,
        )
    })?;
    found.into_iter().nth(best)
}

/// An error page or its text without a status line: the status it names, or
/// the best of the usual gateway statuses (then nothing was received).
/// Returns the diagnosis and whether the text named the status.
fn page(text: &str, html: bool) -> Option<(Diagnosis, bool)> {
    let shown = if html {
        visible_text(text)
    } else {
        text.to_owned()
    };
    let mut named = statuses_named(cut(&shown, STATUS_SCAN));
    if named.is_empty() && only_a_reason_phrase(&shown) {
        // "Bad Gateway" alone names its status, and no layer.
        named.extend(
            crate::status::all()
                .iter()
                .filter(|r| r.code >= 400 && r.sub.is_none() && r.accepts_reason(shown.trim()))
                .map(|r| r.code)
                .take(1),
        );
        let status = *named.first()?;
        let mut d = Diagnosis::for_status(status, Layer::Unknown);
        d.evidence.push(Evidence::new(
            EvidenceSource::Body,
            format!("the text is the reason phrase of status {status}"),
            None,
        ));
        return Some((d, true));
    }
    let guessed = named.is_empty();
    let candidates: &[u16] = if guessed { PAGE_STATUS_GUESSES } else { &named };
    let bodies: Vec<&str> = if html { vec![text, &shown] } else { vec![text] };
    let (best, status) = best_of(candidates, &bodies, &[])?;
    if guessed {
        let fact = format!("no status in the page; {} fits it best", best.status);
        return Some((without_received(best, &fact), false));
    }
    let fact = format!("the page names status {status}");
    Some((
        best.with_evidence(Evidence::new(EvidenceSource::Body, fact, None)),
        true,
    ))
}

/// The best reading of the bodies under each candidate status (the first of equals).
fn best_of(
    candidates: &[u16],
    bodies: &[&str],
    headers: &[(&str, &str)],
) -> Option<(Diagnosis, u16)> {
    let tried: Vec<(Diagnosis, u16)> = candidates
        .iter()
        .flat_map(|&status| {
            bodies.iter().map(move |body| {
                (
                    classify::response(&ResponseView {
                        status,
                        headers,
                        body: body.as_bytes(),
                    }),
                    status,
                )
            })
        })
        .collect();
    let best = first_max(&tried, |(d, _)| {
        (
            generator(d),
            d.error_type.is_some(),
            super::confidence_rank(d.confidence),
        )
    })?;
    tried.into_iter().nth(best)
}

/// A reading under a guessed status: nothing was received, and the status to
/// send is the failure type's own.
fn without_received(mut d: Diagnosis, fact: &str) -> Diagnosis {
    d.received_status = None;
    if let Some(t) = d.error_type {
        d.status = t.status();
    }
    // `Confidence` orders from sure to unsure: at most medium without the status.
    d.confidence = d.confidence.max(Confidence::Medium);
    d.with_evidence(Evidence::new(EvidenceSource::Body, fact, None))
}

/// Words that, right before a number, make it a status code ("Error 502", "HTTP 504", "status: 503").
const STATUS_WORDS: &[&str] = &[
    "error", "status", "code", "http", "returned", "response", "got",
];

/// 4xx/5xx codes that `text` names, in order of appearance, at most 3: a
/// number standing alone that is the whole line, follows a word such as
/// "Error" or "status" (or `HTTP/1.1`), or is followed by its reason phrase
/// ("502 Bad Gateway", "522: Connection timed out"). A line number, a port or
/// a count is none of these.
fn statuses_named(text: &str) -> Vec<u16> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, w) in bytes.windows(3).enumerate() {
        let before = i.checked_sub(1).and_then(|j| bytes.get(j));
        let after = bytes.get(i.saturating_add(3));
        let standalone = !before.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.')
            && !after.is_some_and(|b| b.is_ascii_alphanumeric());
        if !standalone || !w.iter().all(u8::is_ascii_digit) {
            continue;
        }
        let Ok(code) = std::str::from_utf8(w).unwrap_or("0").parse::<u16>() else {
            continue;
        };
        if (400..600).contains(&code) && !out.contains(&code) && named_at(text, i, code) {
            out.push(code);
            if out.len() == 3 {
                break;
            }
        }
    }
    out
}

/// Whether the number `code` at byte `at` of `text` is named as a status (see [`statuses_named`]).
fn named_at(text: &str, at: usize, code: u16) -> bool {
    let line_start = text
        .get(..at)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |n| n.saturating_add(1));
    let line_end = text
        .get(at..)
        .and_then(|a| a.find('\n'))
        .map_or(text.len(), |n| at.saturating_add(n));
    let before = text.get(line_start..at).unwrap_or_default();
    let after = text.get(at.saturating_add(3)..line_end).unwrap_or_default();
    if before.trim().is_empty() && after.trim().is_empty() {
        return true;
    }
    let token = before
        .trim_end_matches([' ', '\t', ':', '#', '=', '('])
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default();
    let word = token
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_ascii_lowercase();
    if token.starts_with("HTTP/") || STATUS_WORDS.contains(&word.as_str()) {
        return true;
    }
    let after = after.trim_start_matches([' ', ':', '-']);
    crate::status::reason(code)
        .and_then(|r| r.split_whitespace().next())
        .is_some_and(|first| {
            after
                .get(..first.len())
                .is_some_and(|a| a.eq_ignore_ascii_case(first))
                && !after
                    .as_bytes()
                    .get(first.len())
                    .is_some_and(u8::is_ascii_alphanumeric)
        })
}

/// Whether `text` is no more than a reason phrase ("Bad Gateway"): then it
/// names no layer, whatever server answers with that bare phrase.
fn only_a_reason_phrase(text: &str) -> bool {
    let t = text.trim();
    t.len() <= 64 && crate::status::all().iter().any(|r| r.accepts_reason(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_found_standing_alone() {
        assert_eq!(
            statuses_named("Error 503 Backend fetch failed; XID: 5023"),
            vec![503]
        );
        assert_eq!(statuses_named("a502b error 404"), vec![404]);
        assert!(only_a_reason_phrase(" Bad Gateway\n"));
        assert!(!only_a_reason_phrase("Bad Gateway: upstream down"));
        assert_eq!(statuses_named("version 1.502 failed"), Vec::<u16>::new());
        assert_eq!(
            statuses_named("example.com | 522: Connection timed out"),
            vec![522]
        );
        assert_eq!(
            statuses_named("Error code 521\n502\nHTTP/1.1 504"),
            vec![521, 502, 504]
        );
        for not_a_status in [
            "at Get.main(HttpClientImpl.java:574)",
            "  File \"x.py\", line 534, in _make_request",
            "port 502 is closed",
            "sent 404 bytes",
        ] {
            assert_eq!(
                statuses_named(not_a_status),
                Vec::<u16>::new(),
                "{not_a_status}"
            );
        }
    }

    #[test]
    fn status_lines() {
        for ok in [
            "HTTP/1.1 502 Bad Gateway",
            "HTTP/2 502",
            "HTTP/2 522 ",
            "HTTP/1.0 504\r",
        ] {
            assert!(is_status_line(ok), "{ok}");
        }
        for no in [
            "HTTP/1.1",
            "HTTP/ 502",
            "HTTP/1.1 50",
            "HTTP/1.1 5020",
            "HTTPS/1.1 502",
        ] {
            assert!(!is_status_line(no), "{no}");
        }
    }
}
