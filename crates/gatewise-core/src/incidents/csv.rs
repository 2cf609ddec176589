//! The record as CSV for export (RFC 4180: comma-separated, CRLF line ends,
//! fields with a comma, quote or line break quoted, quotes doubled). A field
//! that a spreadsheet would read as a formula (starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return) is prefixed with `'` (OWASP's CSV
//! injection advice); control and bidi characters become U+FFFD.
//!
//! # Example
//! ```
//! use gatewise_core::incidents::{csv, Incident, Served};
//! use gatewise_core::{Diagnosis, ErrorType, Layer};
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Workerd);
//! let mut row = Incident::observed(&d, Served::Page, "/a,b", 0, "gw-1");
//! assert!(csv::write(&[row.clone()]).contains(",\"/a,b\","));
//! row.path = "=HYPERLINK(\"http://evil.example\")".into(); // as a spreadsheet would read it
//! let text = csv::write(&[row]);
//! assert!(text.starts_with("time,source,served,path,"));
//! assert!(text.contains(r#","'=HYPERLINK(""http://evil.example"")","#));
//! ```

use super::Incident;
use crate::escape::clean;

/// The header line's fields, in order.
pub const COLUMNS: &[&str] = &[
    "time", "source", "served", "path", "type", "hop", "layer", "status", "received", "attempts",
    "retried", "stale", "colo", "country", "id", "ray",
];

/// One field, cleaned, guarded against formulas and quoted when needed.
fn field(out: &mut String, value: &str) {
    let v = clean(value, super::MAX_PATH);
    let guarded = matches!(v.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    let quoted = guarded || v.contains([',', '"', '\n', '\r']);
    if quoted {
        out.push('"');
    }
    if guarded {
        out.push('\'');
    }
    for c in v.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quoted {
        out.push('"');
    }
}

/// The rows as a CSV document with a header line.
pub fn write(rows: &[Incident]) -> String {
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for r in rows {
        let fields = [
            super::rfc3339(r.at),
            r.source.name().to_owned(),
            r.served.name().to_owned(),
            r.path.clone(),
            r.error_type.map_or(String::new(), |t| t.name().to_owned()),
            r.hop.map_or(String::new(), |h| h.name().to_owned()),
            r.layer.name().to_owned(),
            r.status.to_string(),
            r.received.map_or(String::new(), |s| s.to_string()),
            r.attempts.to_string(),
            u8::from(r.retried()).to_string(),
            u8::from(r.stale()).to_string(),
            r.colo.clone().unwrap_or_default(),
            r.country.clone().unwrap_or_default(),
            r.id.clone(),
            r.ray.clone().unwrap_or_default(),
        ];
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            field(&mut out, f);
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::Served;
    use crate::{Diagnosis, Layer};

    #[test]
    fn quotes_and_formulas() {
        let d = Diagnosis::for_status(502, Layer::Nginx);
        let mut row = Incident::observed(&d, Served::Origin, "/a,\"b\"", 0, "gw-1");
        row.path = "-2+3,\u{202e}x".into();
        let text = write(&[row]);
        let line = text.lines().nth(1).unwrap();
        assert!(line.contains(",\"'-2+3,\u{fffd}x\","), "{line}");
        assert_eq!(text.lines().count(), 2);
        assert_eq!(line.matches(',').count(), COLUMNS.len()); // one inside the quoted path
    }
}
