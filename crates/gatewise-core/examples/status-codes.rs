//! Prints the status registry as JSON to stdout: an array of
//! `{code, sub, reason, aliases, class, official, vendor, origin}`, one object per row.
//! `tests/statuses.test.mjs` compares it with the npm package `statuses`.
//!
//! Run with `cargo run -q -p gatewise-core --example status-codes`.

use gatewise_core::status::{self, Origin};
use serde_json::{json, Value};

fn main() {
    let rows: Vec<Value> = status::all()
        .iter()
        .map(|row| {
            let (origin, vendor) = match row.origin {
                Origin::Iana => ("iana", Value::Null),
                Origin::Vendor(layer) => ("vendor", Value::from(layer.name())),
                Origin::Informal(used_by) => ("informal", Value::from(used_by)),
            };
            json!({
                "code": row.code,
                "sub": row.sub,
                "reason": row.reason,
                "aliases": row.aliases,
                "class": row.class.name(),
                "official": row.is_official(),
                "vendor": vendor,
                "origin": origin,
            })
        })
        .collect();
    match serde_json::to_string_pretty(&rows) {
        Ok(text) => println!("{text}"),
        Err(e) => {
            eprintln!("status-codes: cannot serialize the registry: {e}");
            std::process::exit(1);
        }
    }
}
