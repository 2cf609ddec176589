//! `cdn_loop::{ids, contains, append}` on lines `value`, `id`: bounded, and an
//! id we append is always found again (loop detection cannot be pushed out).
#![no_main]

use gatewise_core::cdn_loop::{self, MAX_MEMBERS};
use gatewise_fuzz::lines;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let l = lines(data);
    let value = l.first().map(String::as_str).unwrap_or("");
    let id = l.get(1).map(String::as_str).unwrap_or("gatewise");
    assert!(cdn_loop::ids(value).count() <= MAX_MEMBERS);
    let _ = cdn_loop::contains(value, id);
    let is_id = !id.is_empty()
        && id.len() <= 255
        && id
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b',' && b != b';');
    if is_id {
        let forwarded = cdn_loop::append(Some(value), id);
        assert!(
            cdn_loop::contains(&forwarded, id),
            "{id:?} appended to {value:?} is not found"
        );
        assert!(cdn_loop::contains(&cdn_loop::append(None, id), id));
    }
});
