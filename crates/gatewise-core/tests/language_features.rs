//! Every language of `catalogs/languages.toml` but the reference one has a Cargo feature
//! `lang-<tag>` that `all-languages` (a default feature) turns on, so that a build can
//! leave catalogs out (the npm package's wasm: `GATEWISE_LANGUAGES=en,de`), and a default
//! build has every language.

use gatewise_core::Lang;

#[test]
fn every_language_has_a_feature_and_all_languages_lists_it() {
    let read = |path: &str| -> toml::Value {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
    };
    let manifest = read("Cargo.toml");
    let features = manifest["features"].as_table().unwrap();
    let all: Vec<&str> = features["all-languages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let default: Vec<&str> = features["default"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(default.contains(&"all-languages"));
    let languages = read("catalogs/languages.toml");
    let rows = languages["language"].as_array().unwrap();
    let mut wanted = Vec::new();
    for row in rows.iter().skip(1) {
        let tag = row["tag"].as_str().unwrap();
        let feature = format!("lang-{}", tag.to_ascii_lowercase());
        assert!(
            features.contains_key(&feature),
            "Cargo.toml lacks feature {feature}"
        );
        wanted.push(feature);
    }
    assert_eq!(
        all, wanted,
        "all-languages lists every lang-<tag>, in languages.toml order"
    );
    // This test builds with default features: every language is compiled in.
    assert_eq!(Lang::all().count(), rows.len());
}
