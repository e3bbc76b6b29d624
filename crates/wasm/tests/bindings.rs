//! The bindings under wasm-bindgen-test (run in Node): conversions and JS errors.
#![cfg(target_arch = "wasm32")]

use edgetune_wasm::WasmStudy;
use serde::Serialize;
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn js(value: serde_json::Value) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap()
}

fn field_of(error: &JsValue) -> Option<String> {
    js_sys::Reflect::get(error, &"field".into())
        .ok()?
        .as_string()
}

#[wasm_bindgen_test]
fn a_study_asks_suggests_and_tells() {
    let mut study = WasmStudy::new(js(json!({"studyName": "w", "seed": 42}))).unwrap();
    assert_eq!(study.seed(), 42.0);
    let n = study.ask(JsValue::UNDEFINED).unwrap();
    let x = study
        .suggest(
            n,
            "x",
            js(json!({"type": "float", "low": -1.0, "high": 1.0})),
        )
        .unwrap()
        .as_f64()
        .unwrap();
    assert!((-1.0..=1.0).contains(&x));
    assert_eq!(
        study.tell(n, JsValue::from_f64(x * x), None).unwrap(),
        "COMPLETE"
    );
    assert_eq!(study.n_trials(), 1.0);
    let again = WasmStudy::from_journal(&study.to_journal().unwrap()).unwrap();
    assert_eq!(again.to_journal(), study.to_journal());
}

#[wasm_bindgen_test]
fn nan_is_a_failed_trial_not_a_crash() {
    let mut study = WasmStudy::new(JsValue::UNDEFINED).unwrap();
    let n = study.ask(JsValue::UNDEFINED).unwrap();
    assert_eq!(
        study.tell(n, JsValue::from_f64(f64::NAN), None).unwrap(),
        "FAIL"
    );
}

#[wasm_bindgen_test]
fn errors_are_js_errors_naming_the_field() {
    let err = WasmStudy::new(js(json!({"directions": ["up"]})))
        .err()
        .unwrap();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(field_of(&err).as_deref(), Some("directions[0]"));

    let mut study = WasmStudy::new(JsValue::UNDEFINED).unwrap();
    let n = study.ask(JsValue::UNDEFINED).unwrap();
    let err = study
        .suggest(n, "x", js(json!({"type": "int", "low": 1, "high": 0})))
        .err()
        .unwrap();
    assert_eq!(field_of(&err).as_deref(), Some("distribution.low"));
    let err = study
        .tell(-1.0, JsValue::from_f64(1.0), None)
        .err()
        .unwrap();
    assert_eq!(field_of(&err).as_deref(), Some("number"));
    let err = study
        .tell(99.0, JsValue::from_f64(1.0), None)
        .err()
        .unwrap();
    let code = js_sys::Reflect::get(&err, &"code".into())
        .unwrap()
        .as_string();
    assert_eq!(code.as_deref(), Some("trial_not_found"));
}

#[wasm_bindgen_test]
fn option_names_are_snake_cased_but_keys_of_user_maps_are_kept() {
    use edgetune_wasm::interop::snake_case_keys;
    let grid = json!({"type": "grid", "searchSpace": {"learningRate": [0.1, 0.2]}});
    assert_eq!(
        snake_case_keys(grid),
        json!({"type": "grid", "search_space": {"learningRate": [0.1, 0.2]}})
    );
    let cmaes = json!({"type": "cmaes", "nStartupTrials": 3, "x0": {"myParam": 1},
                       "sourceTrials": [{"params": {"myParam": 2}, "value": 1}]});
    assert_eq!(
        snake_case_keys(cmaes),
        json!({"type": "cmaes", "n_startup_trials": 3, "x0": {"myParam": 1},
               "source_trials": [{"params": {"myParam": 2}, "value": 1}]})
    );
    let patient = json!({"type": "patient", "patience": 2, "wrappedPruner": {"type": "median", "nWarmupSteps": 1}});
    assert_eq!(
        snake_case_keys(patient),
        json!({"type": "patient", "patience": 2, "wrapped_pruner": {"type": "median", "n_warmup_steps": 1}})
    );
}

/// `createStudy` takes every study option, camel-cased, through the one declaration.
#[wasm_bindgen_test]
fn create_study_takes_every_study_option() {
    use edgetune_core::study::{deserialized_fields, StudySpec};
    use edgetune_wasm::interop::CreateStudyOptions;
    let js_fields = deserialized_fields::<CreateStudyOptions>();
    for option in deserialized_fields::<StudySpec>() {
        let camel: String = option
            .split('_')
            .enumerate()
            .map(|(i, part)| match i {
                0 => part.to_string(),
                _ => part[..1].to_uppercase() + &part[1..],
            })
            .collect();
        assert!(
            js_fields.contains(&camel.as_str()),
            "createStudy lacks {camel}"
        );
    }
}

#[wasm_bindgen_test]
fn create_study_refuses_an_unknown_option_by_name() {
    let error = WasmStudy::new(js(json!({"studyName": "w", "cost_budget": 1})))
        .err()
        .unwrap();
    let message = error.unchecked_ref::<js_sys::Error>().message();
    assert!(String::from(message).contains("unknown field `cost_budget`"));
    assert_eq!(field_of(&error).as_deref(), Some("options.cost_budget"));
}

#[wasm_bindgen_test]
fn metric_names_and_heartbeat_timeout_are_create_study_options() {
    let study = WasmStudy::new(js(json!({
        "directions": ["minimize", "maximize"], "metricNames": ["loss", "accuracy"],
        "heartbeatTimeout": 60
    })))
    .unwrap();
    let journal: serde_json::Value = serde_json::from_str(&study.to_journal().unwrap()).unwrap();
    let text = journal.to_string();
    assert!(text.contains("study:metric_names") && text.contains("heartbeat_timeout_seconds"));
    let error = WasmStudy::new(js(json!({"heartbeatTimeout": -1})))
        .err()
        .unwrap();
    assert_eq!(field_of(&error).as_deref(), Some("heartbeat_timeout"));
}
