//! The cross-target determinism scenario. The npm package (tests in js/) and the Worker
//! (tests/e2e) run the same scenario and must produce the same golden file, bit for bit.
//! Regenerate with `UPDATE_GOLDEN=1 cargo test -p edgetune-core --test determinism`.

use edgetune_core::{Outcome, ParamValue, SearchSpace, Study, StudyConfig};
use serde_json::{json, Value};

const GOLDEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/golden/determinism.json"
);

fn scenario() -> Value {
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
    golden["scenario"].clone()
}

/// The objective every target computes: `x^2 + n` plus 1 for "sgd".
fn objective(params: &std::collections::BTreeMap<String, ParamValue>) -> f64 {
    let x = params["x"].as_f64().unwrap();
    let n = params["n"].as_f64().unwrap();
    let penalty = if params["opt"] == ParamValue::from("sgd") {
        1.0
    } else {
        0.0
    };
    x * x + n + penalty
}

#[test]
fn the_scenario_matches_the_golden_file() {
    let scenario = scenario();
    let space: SearchSpace = serde_json::from_value(scenario["search_space"].clone()).unwrap();
    let mut study = Study::create(
        StudyConfig::new("determinism").with_seed(scenario["seed"].as_u64().unwrap()),
    )
    .unwrap();
    let mut trials = Vec::new();
    for _ in 0..scenario["n_trials"].as_u64().unwrap() {
        let n = study.ask_with_space(&space).unwrap();
        let params = study.trial(n).unwrap().external_params();
        let value = objective(&params);
        study.tell(n, Outcome::value(value)).unwrap();
        trials.push(json!({"number": n, "params": params, "value": value}));
    }
    let actual = json!(trials);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let golden = json!({"scenario": scenario, "trials": actual});
        std::fs::write(
            GOLDEN,
            serde_json::to_string_pretty(&golden).unwrap() + "\n",
        )
        .unwrap();
    }
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
    assert_eq!(actual, golden["trials"]);
}
