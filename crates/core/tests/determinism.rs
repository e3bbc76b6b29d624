//! The cross-target determinism scenarios. The npm package (js/test) and the Worker
//! (tests/e2e) run the same scenarios and must produce the same golden file, bit for
//! bit. Regenerate with `UPDATE_GOLDEN=1 cargo test -p edgetune-core --test determinism`.

use std::collections::BTreeMap;

use edgetune_core::{
    Direction, Outcome, ParamValue, SamplerConfig, SearchSpace, Study, StudyConfig,
};
use serde_json::{json, Value};

const GOLDEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/golden/determinism.json"
);

/// What a trial gives, as tests/shared/determinism.mjs's `evaluate` computes it on the
/// other targets: its objective values (`x^2 + n` plus 1 for "sgd", and
/// `(x - 2)^2 + 10 - n` with two directions), its constraints `[x - 1, 3 - n]` when the
/// scenario has `constraints`, its cost `1 + n` when it has a `cost_budget`, and
/// whether it is pruned: every `prune_every`-th trial (numbers k - 1, 2k - 1, ...)
/// reports its value at step 0, with its cost so far, and is pruned.
struct Evaluation {
    values: Vec<f64>,
    constraints: Option<Vec<f64>>,
    cost: Option<f64>,
    pruned: bool,
}

fn evaluate(scenario: &Value, number: u64, params: &BTreeMap<String, ParamValue>) -> Evaluation {
    let x = params["x"].as_f64().unwrap();
    let n = params["n"].as_f64().unwrap();
    let penalty = if params["opt"] == ParamValue::from("sgd") {
        1.0
    } else {
        0.0
    };
    let mut values = vec![x * x + n + penalty];
    if scenario["directions"].as_array().map_or(0, Vec::len) == 2 {
        values.push((x - 2.0) * (x - 2.0) + 10.0 - n);
    }
    Evaluation {
        values,
        constraints: (scenario["constraints"] == true).then(|| vec![x - 1.0, 3.0 - n]),
        cost: scenario.get("cost_budget").map(|_| 1.0 + n),
        pruned: scenario["prune_every"]
            .as_u64()
            .is_some_and(|k| number % k == k - 1),
    }
}

/// The golden record of one trial: its number, parameters and value (or values).
fn record(number: u64, params: BTreeMap<String, ParamValue>, values: &[f64]) -> Value {
    match values {
        [value] => json!({"number": number, "params": params, "value": value}),
        _ => json!({"number": number, "params": params, "values": values}),
    }
}

/// Replays a scenario: asks `batch` trials (1 unless given), then tells them in order.
fn run(scenario: &Value) -> Value {
    let space: SearchSpace = serde_json::from_value(scenario["search_space"].clone()).unwrap();
    let (sampler, _) = SamplerConfig::parse(&scenario["sampler"]).unwrap();
    let mut config = StudyConfig::new("determinism")
        .with_sampler(sampler)
        .with_seed(scenario["seed"].as_u64().unwrap());
    if let Some(directions) = scenario.get("directions") {
        config.directions = serde_json::from_value::<Vec<Direction>>(directions.clone()).unwrap();
    }
    config.cost_budget = scenario["cost_budget"].as_f64();
    config.history_window = scenario["history_window"].as_u64();
    let mut study = Study::create(config).unwrap();
    // Every `snapshot_every` trials the study is replaced by one woken from its
    // snapshot, as a Durable Object wakes: the trials must not change.
    let snapshot_every = scenario["snapshot_every"].as_u64().unwrap_or(0) as usize;
    let n_trials = scenario["n_trials"].as_u64().unwrap() as usize;
    let batch = scenario["batch"].as_u64().unwrap_or(1) as usize;
    let mut trials = Vec::new();
    while trials.len() < n_trials {
        let size = batch.min(n_trials - trials.len());
        let asked: Vec<u64> = (0..size)
            .map(|_| study.ask_with_space(&space).unwrap())
            .collect();
        for n in asked {
            let params = study.trial(n).unwrap().external_params();
            let e = evaluate(scenario, n, &params);
            if e.pruned {
                study.report_with_cost(n, 0, e.values[0], e.cost).unwrap();
                study.tell(n, Outcome::Pruned).unwrap();
            } else {
                study
                    .tell_with(n, Outcome::Values(e.values.clone()), e.constraints, e.cost)
                    .unwrap();
            }
            trials.push(record(n, params, &e.values));
            if snapshot_every > 0 && trials.len() % snapshot_every == 0 {
                study = Study::from_snapshot(&study.snapshot()).unwrap();
            }
        }
    }
    json!(trials)
}

#[test]
fn a_study_woken_from_snapshots_runs_as_the_live_one() {
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
    let woken: Vec<&Value> = golden["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s.get("snapshot_every").is_some())
        .collect();
    assert!(woken.len() >= 2);
    for scenario in woken {
        let mut live = scenario.clone();
        live.as_object_mut().unwrap().remove("snapshot_every");
        assert_eq!(run(&live), run(scenario), "scenario {}", scenario["name"]);
    }
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
