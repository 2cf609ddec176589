//! Content negotiation: lines `Accept`, `User-Agent`, `Accept-Language`, then
//! a language list (`navigator.languages`). A single line is tried in every role.
#![no_main]

use gatewise_core::render::negotiate::{format, language, language_from_list, Format};
use gatewise_core::Lang;
use gatewise_fuzz::lines;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let l = lines(data);
    let first = l.first().map(String::as_str).unwrap_or("");
    let (accept, ua, al) = match l.len() {
        0 | 1 => (first, first, first),
        _ => (
            first,
            l.get(1).map(String::as_str).unwrap_or(""),
            l.get(2).map(String::as_str).unwrap_or(first),
        ),
    };
    let f = format(Some(accept), Some(ua));
    assert!(matches!(
        f,
        Format::Html | Format::ProblemJson | Format::Text
    ));
    let _ = format(None, Some(ua));
    let _ = format(Some(accept), None);
    let lang = language(Some(al));
    assert!(Lang::from_tag(lang.tag()).is_some());
    let list: Vec<&str> = if l.len() > 3 {
        l.iter().skip(3).map(String::as_str).collect()
    } else {
        first.split(',').collect()
    };
    let lang = language_from_list(&list);
    assert!(Lang::from_tag(lang.tag()).is_some());
});
