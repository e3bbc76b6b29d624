//! Analysis: Pareto front, hypervolume (against Optuna's), and the trials table.

use edgetune_core::multi_objective::hypervolume;
use edgetune_core::{Direction, Outcome, SamplerConfig, Study, StudyConfig, TrialState};
use serde_json::{json, Value};

const GOLDEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/golden/hypervolume.json"
);

#[test]
fn hypervolume_agrees_with_optuna_to_1e_9() {
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(GOLDEN).unwrap()).unwrap();
    for case in golden["cases"].as_array().unwrap() {
        let points: Vec<Vec<f64>> = serde_json::from_value(case["points"].clone()).unwrap();
        let reference: Vec<f64> = serde_json::from_value(case["reference"].clone()).unwrap();
        let expected = case["hypervolume"].as_f64().unwrap();
        let got = hypervolume(&points, &reference);
        assert!(
            (got - expected).abs() <= 1e-9 * expected.abs().max(1.0),
            "{} points in {}-D: {got} vs Optuna {expected}",
            points.len(),
            reference.len()
        );
    }
}

#[test]
fn hypervolume_edge_cases() {
    assert_eq!(hypervolume(&[], &[1.0, 1.0]), 0.0);
    assert_eq!(hypervolume(&[vec![2.0, 0.0]], &[1.0, 1.0]), 0.0);
    assert_eq!(
        hypervolume(&[vec![0.0, 0.0]], &[f64::INFINITY, 1.0]),
        f64::INFINITY
    );
}

fn two_objective_study() -> Study {
    let mut s = Study::create(
        StudyConfig::new("mo")
            .with_sampler(SamplerConfig::random())
            .with_directions(vec![Direction::Minimize, Direction::Maximize]),
    )
    .unwrap();
    for (a, b) in [
        (1.0, 1.0),
        (2.0, 3.0),
        (1.0, 1.0),
        (3.0, 2.0),
        (0.5, 0.5),
        (2.0, 3.0),
    ] {
        let n = s.ask().unwrap();
        s.tell(n, Outcome::Values(vec![a, b])).unwrap();
    }
    let n = s.ask().unwrap();
    s.tell(n, Outcome::Fail(None)).unwrap();
    s
}

#[test]
fn best_trials_are_the_pareto_front_with_ties() {
    let s = two_objective_study();
    let front: Vec<u64> = s.best_trials().iter().map(|t| t.number).collect();
    // (1,1) twice, (2,3) twice and (0.5,0.5) are not dominated; (3,2) is by (2,3).
    assert_eq!(front, vec![0, 1, 2, 4, 5]);
    // Minimize the first, maximize the second, reference (4, 0):
    // the union of [x, 4] x [0, y] for (0.5,0.5), (1,1), (2,3).
    let hv = s.hypervolume(&[4.0, 0.0]).unwrap();
    assert!(
        (hv - (3.5 * 0.5 + 3.0 * 0.5 + 2.0 * 2.0)).abs() < 1e-12,
        "{hv}"
    );
    assert_eq!(
        s.hypervolume(&[1.0]).unwrap_err().field(),
        Some("reference")
    );
}

#[test]
fn the_trials_table_is_flat_and_exports_csv() {
    let mut s = Study::create_with_clock(
        StudyConfig::new("t").with_sampler(SamplerConfig::random()),
        Some(Box::new(|| 1000.0)),
    )
    .unwrap();
    let n = s.ask().unwrap();
    s.suggest(
        n,
        "x",
        &edgetune_core::Distribution::float(0.0, 1.0, false, None).unwrap(),
    )
    .unwrap();
    s.set_trial_user_attr(n, "note", json!("a, \"quoted\" note"))
        .unwrap();
    s.tell(n, Outcome::value(0.5)).unwrap();
    let n = s.ask().unwrap();
    s.tell(n, Outcome::Pruned).unwrap();
    let table = s.trials_table().unwrap();
    assert_eq!(
        table.columns,
        vec![
            "number",
            "value",
            "datetime_start",
            "datetime_complete",
            "duration",
            "params_x",
            "user_attrs_note",
            "state"
        ]
    );
    assert_eq!(table.rows[0][1], json!(0.5));
    assert_eq!(table.rows[0][4], json!(0.0));
    assert_eq!(table.rows[1][5], Value::Null);
    assert_eq!(table.rows[1][7], json!(TrialState::Pruned));
    let csv = table.to_csv();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "number,value,datetime_start,datetime_complete,duration,params_x,user_attrs_note,state"
    );
    assert!(
        lines[1].ends_with(",\"a, \"\"quoted\"\" note\",COMPLETE"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("1,,1000.0,1000.0,0.0,,,PRUNED"),
        "{}",
        lines[2]
    );
}

#[test]
fn hypervolume_history_follows_the_trials() {
    let mut s = Study::create(
        StudyConfig::new("hv")
            .with_sampler(SamplerConfig::random())
            .with_directions(vec![Direction::Minimize, Direction::Maximize]),
    )
    .unwrap();
    // As losses: (1, -1), a failure, then (2, -3), against the reference (3, 1) (the
    // maximized objective's lower bound -1). Boxes [1,3]x[-1,1] = 4, then the union with
    // [2,3]x[-3,1] = 4 overlapping by 2: 6.
    let n = s.ask().unwrap();
    s.tell(n, Outcome::Values(vec![1.0, 1.0])).unwrap();
    let n = s.ask().unwrap();
    s.tell(n, Outcome::Fail(None)).unwrap();
    let n = s.ask().unwrap();
    s.tell(n, Outcome::Values(vec![2.0, 3.0])).unwrap();
    let reference = [3.0, -1.0];
    assert_eq!(
        s.hypervolume_history(&reference, 3).unwrap(),
        vec![(0, 4.0), (1, 4.0), (2, 6.0)]
    );
    assert_eq!(
        s.hypervolume_history(&reference, 2).unwrap(),
        vec![(1, 4.0), (2, 6.0)]
    );
    assert_eq!(s.hypervolume_history(&reference, 50).unwrap().len(), 3);
    assert_eq!(s.hypervolume(&reference).unwrap(), 6.0);
    for points in [0, 1001] {
        let e = s.hypervolume_history(&reference, points).unwrap_err();
        assert_eq!(e.field(), Some("history"), "{e}");
    }
    assert!(s.hypervolume_history(&[1.0], 5).is_err());
}
