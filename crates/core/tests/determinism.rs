//! The cross-target determinism scenarios. The npm package (js/test) and the Worker
//! (tests/e2e) run the same scenarios and must produce the same golden file, bit for
//! bit. Regenerate with `UPDATE_GOLDEN=1 cargo test -p edgetune-core --test determinism`.

use std::collections::BTreeMap;

use edgetune_core::{Outcome, ParamValue, SamplerConfig, SearchSpace, Study, StudyConfig};
use serde_json::{json, Value};

const GOLDEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/golden/determinism.json"
);

/// What a trial costs on every target, in scenarios with a `cost_budget`: `1 + n`.
fn cost(params: &BTreeMap<String, ParamValue>) -> f64 {
    1.0 + params["n"].as_f64().unwrap()
}

/// The objective every target computes: `x^2 + n` plus 1 for "sgd".
fn objective(params: &BTreeMap<String, ParamValue>) -> f64 {
    let x = params["x"].as_f64().unwrap();
    let n = params["n"].as_f64().unwrap();
    let penalty = if params["opt"] == ParamValue::from("sgd") {
        1.0
    } else {
        0.0
    };
    x * x + n + penalty
}

fn run(scenario: &Value) -> Value {
    let space: SearchSpace = serde_json::from_value(scenario["search_space"].clone()).unwrap();
    let (sampler, _) = SamplerConfig::parse(&scenario["sampler"]).unwrap();
    let mut config = StudyConfig::new("determinism")
        .with_sampler(sampler)
        .with_seed(scenario["seed"].as_u64().unwrap());
    config.cost_budget = scenario["cost_budget"].as_f64();
    let mut study = Study::create(config).unwrap();
    let mut trials = Vec::new();
    for _ in 0..scenario["n_trials"].as_u64().unwrap() {
        let n = study.ask_with_space(&space).unwrap();
        let params = study.trial(n).unwrap().external_params();
        let value = objective(&params);
        let cost = config_cost(scenario, &params);
        study
            .tell_with_cost(n, Outcome::value(value), cost)
            .unwrap();
        trials.push(json!({"number": n, "params": params, "value": value}));
    }
    json!(trials)
}

fn config_cost(scenario: &Value, params: &BTreeMap<String, ParamValue>) -> Option<f64> {
    scenario.get("cost_budget").map(|_| cost(params))
}

#[test]
fn every_scenario_matches_the_golden_file() {
    let mut golden: Value =
        serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for scenario in golden["scenarios"].as_array_mut().unwrap() {
        let actual = run(scenario);
        if update {
            scenario["trials"] = actual;
        } else {
            assert_eq!(actual, scenario["trials"], "scenario {}", scenario["name"]);
        }
    }
    if update {
        std::fs::write(
            GOLDEN,
            serde_json::to_string_pretty(&golden).unwrap() + "\n",
        )
        .unwrap();
    }
}
