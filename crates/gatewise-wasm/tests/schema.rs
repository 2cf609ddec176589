//! `api.schema.json` is the JSON Schema of the npm package's option and
//! result types (the `api` module); the package's TypeScript types are
//! generated from it and from `docs/diagnosis.schema.json` at build time.
//! It is generated from the Rust types; this test fails when the two drift.
//! Regenerate with
//! `UPDATE_SNAPSHOTS=1 cargo test -p gatewise-wasm --features schema --test schema`.
#![cfg(feature = "schema")]

use gatewise_core::classify::TransportError;
use gatewise_core::render::Texts;
use gatewise_core::Diagnosis;
use gatewise_wasm::api;
use schemars::generate::SchemaSettings;
use serde_json::{json, Value};

fn schema_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("api.schema.json")
}

/// The API types, by the names the TypeScript types get.
fn generated() -> Value {
    let mut g = SchemaSettings::draft2020_12().into_generator();
    g.subschema_for::<Diagnosis>();
    g.subschema_for::<Texts>();
    g.subschema_for::<TransportError>();
    g.subschema_for::<api::LangPreference>();
    g.subschema_for::<api::TextOptions>();
    g.subschema_for::<api::PageOptions>();
    g.subschema_for::<api::ResponseHead>();
    g.subschema_for::<api::ExplainedDiagnosis>();
    g.subschema_for::<api::LogLineExplanation>();
    g.subschema_for::<api::Explanation>();
    g.subschema_for::<api::RetryPolicyOptions>();
    g.subschema_for::<api::RetryQuestion>();
    g.subschema_for::<api::RetryAnswer>();
    g.subschema_for::<api::LanguageInfo>();
    g.subschema_for::<api::Limits>();
    g.subschema_for::<api::Messages>();
    g.subschema_for::<api::CheckVerdict>();
    g.subschema_for::<gatewise_core::checks::Results>();
    g.subschema_for::<gatewise_core::checks::Model>();
    g.subschema_for::<gatewise_core::status::rules::StatusRule>();
    let defs = g.take_definitions(true);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gatewise.dev/schemas/api.schema.json",
        "title": "GatewiseApi",
        "description": "The option and result types of the npm package `gatewise` (crates/gatewise-wasm/src/api.rs). \
            Diagnosis and its members are the ones of docs/diagnosis.schema.json.",
        "$defs": defs,
    })
}

#[test]
fn committed_schema_matches_the_rust_types() {
    let want = generated();
    let text = serde_json::to_string_pretty(&want).unwrap() + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(schema_path(), &text).unwrap();
    }
    let have = std::fs::read_to_string(schema_path()).expect("api.schema.json exists");
    assert_eq!(
        have, text,
        "crates/gatewise-wasm/api.schema.json is stale: rerun with UPDATE_SNAPSHOTS=1"
    );
}

#[test]
fn the_diagnosis_here_is_the_documented_one() {
    let api = generated();
    let documented: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../docs/diagnosis.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let here = &api["$defs"]["Diagnosis"];
    assert_eq!(here["properties"], documented["properties"]);
    assert_eq!(here["required"], documented["required"]);
    for (name, def) in documented["$defs"].as_object().unwrap() {
        assert_eq!(&api["$defs"][name], def, "{name}");
    }
}

#[test]
fn every_api_type_is_in_the_schema() {
    let api = generated();
    let defs = api["$defs"].as_object().unwrap();
    for name in [
        "Diagnosis",
        "Texts",
        "AdviceText",
        "Headings",
        "TransportError",
        "LangPreference",
        "TextOptions",
        "PageOptions",
        "ResponseHead",
        "ExplainedDiagnosis",
        "LogLineExplanation",
        "Explanation",
        "RetryPolicyOptions",
        "RetryQuestion",
        "RetryAnswer",
        "LanguageInfo",
        "Limits",
        "LogFormat",
        "LineKind",
        "InputKind",
        "OverMax",
        "Reason",
        "WaitSource",
    ] {
        assert!(defs.contains_key(name), "{name} missing");
    }
}
