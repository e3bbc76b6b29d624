//! PED-ANOVA importance agrees with Optuna 5's `PedAnovaImportanceEvaluator` on the
//! same trials (tests/golden/importance.json, written by bench/importance_parity.py).

use std::collections::BTreeMap;

use edgetune_core::analysis::{ped_anova, PedAnovaOptions};
use edgetune_core::{
    Direction, Outcome, ParamValue, SamplerConfig, SearchSpace, Study, StudyConfig,
};
use serde_json::Value;

const GOLDEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/golden/importance.json"
);

#[test]
fn ped_anova_matches_optuna() {
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
    let space: SearchSpace = serde_json::from_value(golden["space"].clone()).unwrap();
    for case in golden["cases"].as_array().unwrap() {
        let direction = Direction::parse(case["direction"].as_str().unwrap()).unwrap();
        let mut study = Study::create(
            StudyConfig::new("importance")
                .with_directions(vec![direction])
                .with_sampler(SamplerConfig::Random {}),
        )
        .unwrap();
        for t in case["trials"].as_array().unwrap() {
            let params: BTreeMap<String, ParamValue> =
                serde_json::from_value(t["params"].clone()).unwrap();
            study.enqueue(params).unwrap();
            let n = study.ask_with_space(&space).unwrap();
            study
                .tell(n, Outcome::value(t["value"].as_f64().unwrap()))
                .unwrap();
        }
        let options = PedAnovaOptions {
            target_quantile: case["target_quantile"].as_f64().unwrap(),
            ..PedAnovaOptions::default()
        };
        let ours: BTreeMap<String, f64> = ped_anova(&study.view(), &options)
            .unwrap()
            .into_iter()
            .collect();
        let optuna: BTreeMap<String, f64> =
            serde_json::from_value(case["importances"].clone()).unwrap();
        for (name, expected) in &optuna {
            let got = ours[name];
            assert!(
                (got - expected).abs() < 1e-9,
                "{direction:?} q={}: {name}: {got} vs Optuna {expected}",
                options.target_quantile
            );
        }
        // The same ranking, most important first.
        let ranked: Vec<String> = ped_anova(&study.view(), &options)
            .unwrap()
            .into_iter()
            .map(|p| p.0)
            .collect();
        let mut expected: Vec<(&String, &f64)> = optuna.iter().collect();
        expected.sort_by(|a, b| b.1.total_cmp(a.1));
        assert_eq!(
            ranked,
            expected.iter().map(|p| p.0.clone()).collect::<Vec<_>>()
        );
        if direction == Direction::Minimize {
            // x1 carries the largest weight of the objective.
            assert_eq!(ranked[0], "x1");
        }
    }
}
