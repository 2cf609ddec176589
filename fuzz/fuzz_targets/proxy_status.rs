//! `proxy_status::parse`, and the round trip: what `serialize` writes parses
//! back, to the same entries when their texts are printable ASCII.
#![no_main]

use gatewise_core::proxy_status::{
    self, parse, serialize, ProxyStatusEntry, MAX_MEMBERS, MAX_TEXT_LEN,
};
use gatewise_core::{Diagnosis, ErrorType, Layer};
use libfuzzer_sys::fuzz_target;

fn texts(e: &ProxyStatusEntry) -> impl Iterator<Item = &str> {
    [&e.error, &e.next_hop, &e.next_protocol, &e.details]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .chain(std::iter::once(e.proxy.as_str()))
        .chain(e.params.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]))
}

fuzz_target!(|data: &[u8]| {
    let value = String::from_utf8_lossy(data);
    let Ok(entries) = parse(&value) else {
        return;
    };
    assert!(entries.len() <= MAX_MEMBERS);
    assert!(entries
        .iter()
        .all(|e| texts(e).all(|t| t.chars().count() <= MAX_TEXT_LEN)));
    let out = serialize(&entries);
    let back = parse(&out)
        .unwrap_or_else(|e| panic!("serialize wrote {out:?}, which does not parse: {e}"));
    // Canonical: serializing again gives the same text.
    assert_eq!(serialize(&back), out);
    let printable = entries
        .iter()
        .all(|e| texts(e).all(|t| t.chars().all(|c| (' '..='~').contains(&c))));
    if printable {
        // The same entries; when they do not all fit in MAX_FIELD_LEN once
        // written (rcode=X becomes rcode="X"), the last ones that fit.
        let kept = &entries[entries.len() - back.len()..];
        assert_eq!(back, kept, "round trip of {value:?} through {out:?}");
        assert!(back.len() == entries.len() || out.len() > proxy_status::MAX_FIELD_LEN - 2048);
    }
    // The header a gateway sends with this chain parses back, ending with its own entry.
    let mut d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Unknown);
    d.chain = entries;
    let header = proxy_status::header_value(&d, "gatewise");
    let own = parse(&header).expect("own header parses");
    assert_eq!(own.last().map(|e| e.proxy.as_str()), Some("gatewise"));
});
