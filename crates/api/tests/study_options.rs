//! Every study option is one declaration (`edgetune_core::with_study_options!`): each
//! surface's request type carries every field of `StudySpec`, its schema lists it, and
//! each refuses a field it does not know, naming it. The npm package's options are
//! checked the same way in `crates/wasm/tests/`.

use edgetune_api::mcp::tools::StartStudy;
use edgetune_api::requests::CreateStudy;
use edgetune_core::study::{deserialized_fields, StudySpec};
use serde_json::{json, Value};

/// StudySpec's options: every field but the name (and its alias).
fn options() -> Vec<&'static str> {
    let fields = deserialized_fields::<StudySpec>();
    assert!(fields.len() > 10, "{fields:?}");
    fields
        .iter()
        .copied()
        .filter(|f| !matches!(*f, "study_name" | "name" | "parameters"))
        .collect()
}

#[test]
fn every_surface_takes_every_study_option() {
    let http = deserialized_fields::<CreateStudy>();
    let mcp = deserialized_fields::<StartStudy>();
    for option in options() {
        assert!(
            http.contains(&option),
            "POST /api/v1/studies lacks {option}"
        );
        assert!(mcp.contains(&option), "MCP start_study lacks {option}");
    }
}

#[cfg(feature = "schema")]
#[test]
fn every_surface_schema_lists_every_study_option() {
    let document = edgetune_api::openapi::document();
    let create = &document["components"]["schemas"]["CreateStudy"]["properties"];
    let tools: Value = edgetune_api::mcp::tools::definitions();
    let start = tools
        .as_array()
        .and_then(|tools| tools.iter().find(|t| t["name"] == "start_study"))
        .expect("start_study is listed");
    let start = &start["inputSchema"]["properties"];
    for option in options() {
        assert!(
            create.get(option).is_some(),
            "the OpenAPI CreateStudy lacks {option}"
        );
        assert!(
            start.get(option).is_some(),
            "start_study's inputSchema lacks {option}"
        );
    }
}

#[test]
fn every_surface_refuses_an_unknown_field_by_name() {
    let body = json!({"study_name": "s", "costBudget": 1});
    let http = serde_json::from_value::<CreateStudy>(body.clone()).unwrap_err();
    let mcp = serde_json::from_value::<StartStudy>(body).unwrap_err();
    for error in [http.to_string(), mcp.to_string()] {
        assert!(error.contains("unknown field `costBudget`"), "{error}");
    }
}

#[test]
fn metric_names_and_heartbeat_timeout_are_ordinary_options() {
    let spec: StudySpec = serde_json::from_value(json!({
        "study_name": "s", "directions": ["minimize", "maximize"],
        "metric_names": ["loss", "accuracy"], "heartbeat_timeout": 30
    }))
    .unwrap();
    let config = spec.into_config(1, &"tpe".into(), &"none".into()).unwrap();
    let study = edgetune_core::Study::create(config).unwrap();
    assert_eq!(
        study.metric_names(),
        Some(vec!["loss".to_string(), "accuracy".to_string()])
    );
    assert_eq!(
        study.config().metadata["heartbeat_timeout_seconds"],
        json!(30.0)
    );
    let bad: StudySpec =
        serde_json::from_value(json!({"study_name": "s", "heartbeat_timeout": 0})).unwrap();
    let error = bad
        .into_config(1, &"tpe".into(), &"none".into())
        .unwrap_err();
    assert_eq!(error.field(), Some("heartbeat_timeout"));
}
