//! Every concept the renderers name (hops, segments, layers, confidences,
//! audiences, error types) has its text in the reference catalog.

use gatewise_core::i18n::{self, Lang};
use gatewise_core::{Audience, Confidence, Hop, Layer, Segment};

#[test]
fn every_concept_has_a_name_in_the_catalog() {
    let mut missing = Vec::new();
    let keys = Hop::ALL
        .iter()
        .map(|h| format!("hop.{h}.name"))
        .chain(Segment::ALL.iter().map(|s| format!("segment.{s}.name")))
        .chain(Layer::ALL.iter().map(|l| format!("layer.{}", l.name())))
        .chain(Confidence::ALL.iter().map(|c| format!("confidence.{c}")))
        .chain(Audience::ALL.iter().map(|a| format!("audience.{a}")));
    for key in keys {
        if !i18n::has_key(&key) {
            missing.push(key);
        }
    }
    assert_eq!(missing, Vec::<String>::new());
    assert_eq!(
        i18n::format(Lang::EN, "hop.tls.name", &[]),
        "Secure connection (TLS)"
    );
    assert_eq!(
        i18n::format(Lang::EN, "layer.origin_app", &[]),
        "the site's application"
    );
}
