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
    assert_eq!(study.tell(n, JsValue::from_f64(x * x)).unwrap(), "COMPLETE");
    assert_eq!(study.n_trials(), 1.0);
    let again = WasmStudy::from_journal(&study.to_journal()).unwrap();
    assert_eq!(again.to_journal(), study.to_journal());
}

#[wasm_bindgen_test]
fn nan_is_a_failed_trial_not_a_crash() {
    let mut study = WasmStudy::new(JsValue::UNDEFINED).unwrap();
    let n = study.ask(JsValue::UNDEFINED).unwrap();
    assert_eq!(study.tell(n, JsValue::from_f64(f64::NAN)).unwrap(), "FAIL");
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
    let err = study.tell(-1.0, JsValue::from_f64(1.0)).err().unwrap();
    assert_eq!(field_of(&err).as_deref(), Some("number"));
    let err = study.tell(99.0, JsValue::from_f64(1.0)).err().unwrap();
    let code = js_sys::Reflect::get(&err, &"code".into())
        .unwrap()
        .as_string();
    assert_eq!(code.as_deref(), Some("trial_not_found"));
}

#[wasm_bindgen_test]
fn the_ts_sampler_options_list_exactly_the_core_options() {
    use edgetune_core::samplers::TpeOptions;
    use edgetune_wasm::interop::{snake_case_keys, TpeSamplerOptions};
    let mirror = TpeSamplerOptions {
        multivariate: Some(true),
        ..TpeSamplerOptions::default()
    };
    let mirror = snake_case_keys(serde_json::to_value(mirror).unwrap());
    let mut mirror_keys: Vec<String> = mirror.as_object().unwrap().keys().cloned().collect();
    mirror_keys.retain(|k| k != "type" && k != "seed");
    let core = TpeOptions {
        multivariate: Some(true),
        ..TpeOptions::default()
    };
    let core = serde_json::to_value(core).unwrap();
    let core_keys: Vec<String> = core.as_object().unwrap().keys().cloned().collect();
    mirror_keys.sort();
    assert_eq!(mirror_keys, core_keys);
}
