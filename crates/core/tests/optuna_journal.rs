//! Optuna's journal files: a study written as one and read back is the same study, and
//! what is not a journal is refused with the line and the reason.

use std::sync::{Arc, Mutex};

use edgetune_core::{optuna, Direction, Outcome, SearchSpace, Study, StudyConfig, TrialState};
use serde_json::json;

fn space() -> SearchSpace {
    serde_json::from_value(json!([
        {"name": "x", "type": "float", "low": -3.0, "high": 3.0},
        {"name": "lr", "type": "float", "low": 1e-4, "high": 0.1, "log": true},
        {"name": "drop", "type": "float", "low": 0.0, "high": 0.5, "step": 0.1},
        {"name": "n", "type": "int", "low": 1, "high": 9, "step": 2},
        {"name": "units", "type": "int", "low": 1, "high": 1024, "log": true},
        {"name": "opt", "type": "categorical", "choices": ["sgd", "adam", 3, true, 0.5]}
    ]))
    .unwrap()
}

/// A study with every kind of trial: complete (some with constraints and costs),
/// pruned after reports, failed with a reason, one running and one waiting.
fn rich_study(directions: usize) -> Study {
    let config = StudyConfig::new("rich")
        .with_seed(4)
        .with_directions(vec![Direction::Minimize, Direction::Maximize][..directions].to_vec())
        .with_metric_names(
            ["loss", "acc"][..directions]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        );
    let clock = Arc::new(Mutex::new(1_733_326_565_123.0));
    let mut study = Study::create(config).unwrap();
    study.set_clock(Some(Box::new(move || {
        let mut now = clock.lock().unwrap();
        *now += 1234.5;
        *now
    })));
    study
        .set_user_attr("owner", json!({"team": "ml", "tags": [1, 2]}))
        .unwrap();
    let space = space();
    for i in 0..14u64 {
        let n = study.ask_with_space(&space).unwrap();
        study.set_trial_user_attr(n, "i", json!(i)).unwrap();
        let x = study.trial(n).unwrap().external_params()["x"]
            .as_f64()
            .unwrap();
        let values: Vec<f64> = [x * x, -x][..directions].to_vec();
        match i % 5 {
            1 if directions == 1 => {
                study.report_with_cost(n, 0, x, Some(0.5)).unwrap();
                study.report(n, 3, f64::NAN).unwrap();
                study.tell(n, Outcome::Pruned).unwrap();
            }
            2 => {
                study
                    .tell(n, Outcome::Fail(Some("out of memory".into())))
                    .unwrap();
            }
            3 => {
                study
                    .tell_with(
                        n,
                        Outcome::Values(values),
                        Some(vec![x - 1.0, -2.0]),
                        Some(2.5),
                    )
                    .unwrap();
            }
            _ => {
                study.tell(n, Outcome::Values(values)).unwrap();
            }
        }
    }
    study.ask_with_space(&space).unwrap();
    study
        .enqueue([("x".to_string(), 0.5.into())].into_iter().collect())
        .unwrap();
    study
}

#[test]
fn a_study_written_and_read_back_is_the_same_study() {
    for directions in [1, 2] {
        let study = rich_study(directions);
        let text = optuna::export(&study).unwrap();
        let back =
            optuna::import(&text, Some("rich"), StudyConfig::new("back").with_seed(4)).unwrap();
        assert_eq!(back.directions(), study.directions());
        assert_eq!(back.user_attrs(), study.user_attrs());
        assert_eq!(back.metric_names(), study.metric_names());
        assert_eq!(back.n_trials(), study.n_trials());
        for (a, b) in study.trials().iter().zip(back.trials()) {
            let what = format!("trial {} of {directions} objectives", a.number);
            assert_eq!((a.number, a.state), (b.number, b.state), "{what}");
            assert_eq!(a.params.to_values(), b.params.to_values(), "{what}");
            assert_eq!(
                a.params.to_distributions(),
                b.params.to_distributions(),
                "{what}"
            );
            assert_eq!(
                format!("{:?}", a.values),
                format!("{:?}", b.values),
                "{what}"
            );
            assert_eq!(
                format!("{:?}", a.intermediate_values),
                format!("{:?}", b.intermediate_values),
                "{what}"
            );
            assert_eq!(a.user_attrs, b.user_attrs, "{what}");
            assert_eq!(a.constraints, b.constraints, "{what}");
            assert_eq!(
                (a.cost(), &a.step_costs),
                (b.cost(), &b.step_costs),
                "{what}"
            );
            assert_eq!(a.fail_reason, b.fail_reason, "{what}");
            assert_eq!(a.fixed_params, b.fixed_params, "{what}");
            assert_eq!(
                (a.datetime_start(), a.datetime_complete()),
                (b.datetime_start(), b.datetime_complete()),
                "{what}"
            );
        }
        // Written again, the same file.
        assert_eq!(
            optuna::export(&back)
                .unwrap()
                .replace("\"back\"", "\"rich\""),
            text
        );
    }
}

#[test]
fn the_imported_study_goes_on_with_its_sampler() {
    let study = rich_study(1);
    let text = optuna::export(&study).unwrap();
    let mut back = optuna::import(&text, None, StudyConfig::new("back")).unwrap();
    let running = back
        .trials()
        .iter()
        .find(|t| t.state == TrialState::Running)
        .unwrap()
        .number;
    back.tell(running, Outcome::value(1.0)).unwrap();
    let waiting = back.ask_with_space(&space()).unwrap();
    assert_eq!(
        back.trial(waiting).unwrap().external_params()["x"],
        0.5.into()
    );
    back.tell(waiting, Outcome::value(0.25)).unwrap();
    let next = back.ask_with_space(&space()).unwrap();
    assert_eq!(next, study.n_trials());
}

#[test]
fn what_is_not_an_optuna_journal_names_the_line_and_the_reason() {
    let good = optuna::export(&rich_study(1)).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    let cases = [
        (
            format!("{}\n{{\"op_code\": 4, \"study_id\"", lines[0]),
            "line 2: not a JSON object",
        ),
        (
            format!("{}\n{{\"op_code\":42,\"worker_id\":\"w\"}}", lines[0]),
            "line 2: unknown op_code 42",
        ),
        (
            format!("{}\n{{\"worker_id\":\"w\"}}", lines[0]),
            "line 2: has no op_code",
        ),
        (
            format!(
                "{}\n{{\"op_code\":5,\"worker_id\":\"w\",\"trial_id\":0}}",
                lines[0]
            ),
            "line 2: op_code 5 needs \"param_name\"",
        ),
        (
            "{\"op_code\":0,\"worker_id\":\"w\",\"study_name\":\"s\",\"directions\":[0]}"
                .to_string(),
            "a direction must be 1",
        ),
    ];
    for (text, reason) in cases {
        let err = optuna::read_journal(&text, None).unwrap_err().to_string();
        assert!(err.contains(reason), "{err}");
    }
    let err = optuna::read_journal(&good, Some("other"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no study named \"other\"; it holds: \"rich\""),
        "{err}"
    );
    let two = format!("{good}{{\"op_code\":0,\"worker_id\":\"w\",\"study_name\":\"second\",\"directions\":[1]}}\n");
    let err = optuna::read_journal(&two, None).unwrap_err().to_string();
    assert!(
        err.contains("holds 2 studies (\"rich\", \"second\")"),
        "{err}"
    );
    assert_eq!(
        optuna::read_journal(&two, Some("second"))
            .unwrap()
            .n_trials(),
        0
    );
}
