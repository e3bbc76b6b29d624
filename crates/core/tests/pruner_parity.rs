//! Every pruner makes the same decision as Optuna 5 on every report of a few hundred
//! seeded learning curves. tests/golden/pruners.json holds the curves and Optuna's
//! decisions (written by bench/pruner_parity.py), so this runs without Python.

use edgetune_core::{Direction, Outcome, PrunerConfig, Study, StudyConfig};
use serde_json::Value;

const GOLDEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/golden/pruners.json"
);

#[test]
fn every_decision_matches_optuna() {
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
    let curves: Vec<Vec<f64>> = golden["curves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let mut failures = Vec::new();
    for case in golden["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let pruner = PrunerConfig::parse(&case["pruner"]).unwrap();
        let direction = Direction::parse(case["direction"].as_str().unwrap()).unwrap();
        let config = StudyConfig::new(golden["study_name"].as_str().unwrap())
            .with_directions(vec![direction])
            .with_pruner(pruner)
            .with_sampler(edgetune_core::SamplerConfig::random());
        let mut study = Study::create(config).unwrap();
        let expected = case["decisions"].as_array().unwrap();
        for (i, curve) in curves.iter().enumerate() {
            let n = study.ask().unwrap();
            let mut row = Vec::new();
            let mut pruned = false;
            for (step, value) in curve.iter().enumerate() {
                study.report(n, step as u64, *value).unwrap();
                pruned = study.should_prune(n).unwrap();
                row.push(u64::from(pruned));
                if pruned {
                    study.tell(n, Outcome::Pruned).unwrap();
                    break;
                }
            }
            if !pruned {
                study
                    .tell(n, Outcome::value(curve[curve.len() - 1]))
                    .unwrap();
            }
            let want: Vec<u64> = expected[i]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            if row != want {
                failures.push(format!(
                    "{name}: trial {i}: edgetune {row:?}, optuna {want:?}"
                ));
                break;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} pruners disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
