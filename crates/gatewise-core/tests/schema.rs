//! `docs/diagnosis.schema.json` is the documented JSON form of a Diagnosis.
//! It is generated from the Rust types; this test fails when the two drift.
//! Regenerate with `UPDATE_SNAPSHOTS=1 cargo test -p gatewise-core --features schema --test schema`.
#![cfg(feature = "schema")]

use gatewise_core::{
    Confidence, Diagnosis, ErrorType, Evidence, EvidenceSource, Layer, ProxyStatusEntry,
};

fn schema_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnosis.schema.json")
}

fn generated() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(Diagnosis)).unwrap();
    schema["$id"] = "https://gatewise.dev/schemas/diagnosis.schema.json".into();
    schema["description"] = "What went wrong at a gateway, where, who said so, and what may be done about it. \
        Produced by gatewise-core; used by the npm package and by the worker's problem+json responses."
        .into();
    schema
}

#[test]
fn committed_schema_matches_the_rust_types() {
    let want = generated();
    let text = serde_json::to_string_pretty(&want).unwrap() + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(schema_path(), &text).unwrap();
    }
    let have = std::fs::read_to_string(schema_path()).expect("docs/diagnosis.schema.json exists");
    assert_eq!(
        have, text,
        "docs/diagnosis.schema.json is stale: rerun with UPDATE_SNAPSHOTS=1"
    );
}

#[test]
fn a_full_diagnosis_uses_exactly_the_documented_properties() {
    let schema = generated();
    let mut d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx)
        .with_received_status(502)
        .with_confidence(Confidence::High)
        .with_alternative(ErrorType::ConnectionTerminated)
        .with_evidence(Evidence::new(
            EvidenceSource::Header,
            "server: nginx",
            Some("nginx.server"),
        ));
    d.sub_status = Some(3);
    d.vendor_code = Some("AH01114".into());
    d.retry_after = Some(5);
    d.detail = Some("connect() failed (111: Connection refused)".into());
    d.chain = vec![ProxyStatusEntry {
        proxy: "origin-lb".into(),
        ..Default::default()
    }];
    let json = serde_json::to_value(&d).unwrap();
    let mut have: Vec<&String> = json.as_object().unwrap().keys().collect();
    let props = schema["properties"].as_object().unwrap();
    let mut documented: Vec<&String> = props.keys().collect();
    have.sort();
    documented.sort();
    assert_eq!(have, documented);
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for field in [
        "errorType",
        "hop",
        "segment",
        "layer",
        "status",
        "retryable",
        "reached",
        "confidence",
    ] {
        assert!(required.contains(&field), "{field} must be required");
    }
    // a diagnosis that names no failure writes `errorType` and `hop` as null: the schema allows it
    let none = serde_json::to_value(Diagnosis::for_status(500, Layer::OriginApp)).unwrap();
    assert_eq!(none["errorType"], serde_json::Value::Null);
    assert_eq!(none["hop"], serde_json::Value::Null);
    for field in ["errorType", "hop"] {
        let text = serde_json::to_string(&props[field]).unwrap();
        assert!(
            text.contains(r#""type":"null""#),
            "{field} must allow null: {text}"
        );
    }
    // and it deserializes back to the same value
    let back: Diagnosis = serde_json::from_value(json).unwrap();
    assert_eq!(back, d);
}
