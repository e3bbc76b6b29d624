//! Behaviour of the study: ask, suggest, report, tell, enqueue, attributes, journal.

use std::collections::BTreeMap;

use edgetune_core::{
    Direction, Distribution, Error, Event, Journal, Outcome, ParamValue, PrunerConfig,
    SamplerConfig, SearchSpace, Study, StudyConfig, TrialState,
};
use serde_json::json;

fn new_study() -> Study {
    Study::create(StudyConfig::new("t").with_seed(1)).unwrap()
}

fn x() -> Distribution {
    Distribution::float(-1.0, 1.0, false, None).unwrap()
}

#[test]
fn a_finished_trial_never_changes() {
    let mut s = new_study();
    let n = s.ask().unwrap();
    s.suggest(n, "x", &x()).unwrap();
    assert_eq!(
        s.tell(n, Outcome::value(1.0)).unwrap(),
        TrialState::Complete
    );
    let before = s.trial(n).unwrap().clone();
    let events = s.events().len();
    for outcome in [Outcome::value(0.0), Outcome::Pruned, Outcome::Fail(None)] {
        assert_eq!(
            s.tell(n, outcome),
            Err(Error::TrialNotRunning {
                number: n,
                state: TrialState::Complete
            })
        );
    }
    assert!(matches!(
        s.suggest(n, "y", &x()),
        Err(Error::TrialNotRunning { .. })
    ));
    assert!(matches!(
        s.report(n, 1, 0.5),
        Err(Error::TrialNotRunning { .. })
    ));
    assert!(s.set_trial_user_attr(n, "k", json!(1)).is_err());
    assert_eq!(s.trial(n).unwrap(), &before);
    assert_eq!(
        s.events().len(),
        events,
        "a failed operation stores nothing"
    );
}

#[test]
fn unknown_trials_are_not_found() {
    let mut s = new_study();
    assert_eq!(
        s.tell(3, Outcome::value(1.0)),
        Err(Error::TrialNotFound { number: 3 })
    );
    assert_eq!(
        s.trial(u64::MAX).err(),
        Some(Error::TrialNotFound { number: u64::MAX })
    );
}

#[test]
fn tell_checks_the_number_of_values_and_fails_nan() {
    let mut s = Study::create(
        StudyConfig::new("mo").with_directions(vec![Direction::Minimize, Direction::Maximize]),
    )
    .unwrap();
    let n = s.ask().unwrap();
    let err = s.tell(n, Outcome::value(1.0)).unwrap_err();
    assert_eq!(err.field(), Some("values"));
    assert_eq!(s.trial(n).unwrap().state, TrialState::Running);
    assert_eq!(
        s.tell(n, Outcome::Values(vec![1.0, f64::NAN])).unwrap(),
        TrialState::Fail
    );
    assert_eq!(
        s.trial(n).unwrap().fail_reason.as_deref(),
        Some("the objective value is NaN")
    );
    assert!(
        s.best_trial().is_err(),
        "best_trial is single-objective only"
    );
}

#[test]
fn best_trial_follows_the_direction() {
    for (direction, expected) in [(Direction::Minimize, -3.0), (Direction::Maximize, 4.0)] {
        let mut s = Study::create(StudyConfig::new("b").with_directions(vec![direction])).unwrap();
        assert!(matches!(s.best_trial(), Err(Error::NotAvailable(_))));
        for v in [1.0, -3.0, 4.0, -3.0, 0.0] {
            let n = s.ask().unwrap();
            s.tell(n, Outcome::value(v)).unwrap();
        }
        let n = s.ask().unwrap();
        s.tell(n, Outcome::Fail(None)).unwrap();
        let best = s.best_trial().unwrap();
        assert_eq!(best.value(), Some(expected));
        // The first of equal values wins.
        assert_eq!(best.number, if expected < 0.0 { 1 } else { 2 });
    }
}

#[test]
fn pruned_trials_keep_their_last_intermediate_value() {
    let mut s = new_study();
    let n = s.ask().unwrap();
    s.report(n, 3, 0.7).unwrap();
    s.report(n, 1, 0.9).unwrap();
    s.report(n, 3, 0.1).unwrap(); // ignored: step 3 is already reported
    assert!(!s.should_prune(n).unwrap());
    assert_eq!(s.tell(n, Outcome::Pruned).unwrap(), TrialState::Pruned);
    let t = s.trial(n).unwrap();
    assert_eq!(t.values, Some(vec![0.7]));
    assert_eq!(t.intermediate_values, BTreeMap::from([(1, 0.9), (3, 0.7)]));
}

#[test]
fn suggest_repeats_and_rejects_conflicts() {
    let mut s = new_study();
    let n = s.ask().unwrap();
    let a = s.suggest(n, "x", &x()).unwrap();
    assert_eq!(s.suggest(n, "x", &x()).unwrap(), a);
    let other = Distribution::float(0.0, 5.0, false, None).unwrap();
    assert_eq!(
        s.suggest(n, "x", &other).unwrap_err().field(),
        Some("distribution")
    );
    let bad = Distribution::Float {
        low: 2.0,
        high: 1.0,
        log: false,
        step: None,
    };
    assert_eq!(
        s.suggest(n, "y", &bad).unwrap_err().field(),
        Some("distribution.low")
    );
    assert_eq!(s.suggest(n, "", &x()).unwrap_err().field(), Some("name"));
}

#[test]
fn enqueued_params_are_used_first_and_checked() {
    let mut s = new_study();
    let first = s
        .enqueue(BTreeMap::from([("x".to_string(), ParamValue::Float(0.25))]))
        .unwrap();
    let second = s
        .enqueue(BTreeMap::from([("x".to_string(), ParamValue::Float(9.0))]))
        .unwrap();
    assert_eq!(s.trial(first).unwrap().state, TrialState::Waiting);
    assert_eq!(s.count(TrialState::Waiting), 2);
    let n = s.ask().unwrap();
    assert_eq!(n, first);
    assert_eq!(s.suggest(n, "x", &x()).unwrap(), ParamValue::Float(0.25));
    // 9.0 is outside [-1, 1]: ask_with_space refuses and stores nothing.
    let events = s.events().len();
    let space = SearchSpace(vec![edgetune_core::Param {
        name: "x".into(),
        distribution: x(),
    }]);
    let err = s.ask_with_space(&space).unwrap_err();
    assert_eq!(err.field(), Some("params.x"));
    assert_eq!(s.events().len(), events);
    assert_eq!(s.trial(second).unwrap().state, TrialState::Waiting);
}

#[test]
fn ask_with_space_sets_every_param() {
    let mut s = new_study();
    let space: SearchSpace = serde_json::from_value(json!([
        {"name": "lr", "type": "float", "low": 1e-4, "high": 0.1, "log": true},
        {"name": "batch", "type": "int", "low": 16, "high": 128, "step": 16},
        {"name": "opt", "type": "categorical", "choices": ["adam", "sgd"]}
    ]))
    .unwrap();
    let n = s.ask_with_space(&space).unwrap();
    let params = s.trial(n).unwrap().external_params();
    assert_eq!(params.len(), 3);
    assert!(matches!(params["batch"], ParamValue::Int(b) if b % 16 == 0));
}

#[test]
fn distributions_reject_bad_bounds_with_the_field() {
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (json!({"type": "float", "low": 1, "high": 0}), "low"),
        (
            json!({"type": "float", "low": 0, "high": 1, "log": true}),
            "low",
        ),
        (
            json!({"type": "float", "low": 1, "high": 2, "log": true, "step": 0.5}),
            "step",
        ),
        (
            json!({"type": "float", "low": 0, "high": 1, "step": -1}),
            "step",
        ),
        (
            json!({"type": "int", "low": 0, "high": 10, "log": true}),
            "low",
        ),
        (
            json!({"type": "int", "low": 1, "high": 10, "step": 0}),
            "step",
        ),
        (
            json!({"type": "int", "low": 1, "high": 10, "log": true, "step": 2}),
            "step",
        ),
        (json!({"type": "categorical", "choices": []}), "choices"),
        (
            json!({"type": "categorical", "choices": ["a", "b", "a"]}),
            "choices[2]",
        ),
        (
            json!({"type": "categorical", "choices": [1, 1.0]}),
            "choices[1]",
        ),
    ];
    for (value, field) in cases {
        let d: Distribution = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(d.validated().unwrap_err().field(), Some(field), "{value}");
    }
    assert!(serde_json::from_value::<Distribution>(json!({"type": "float", "low": 0})).is_err());
    assert!(serde_json::from_value::<Distribution>(json!({"type": "uniform"})).is_err());
    assert!(serde_json::from_value::<Distribution>(
        json!({"type": "int", "low": 0, "high": 1, "bogus": 1})
    )
    .is_err());
}

#[test]
fn stepped_highs_are_lowered_to_the_grid() {
    assert_eq!(
        Distribution::int(0, 10, false, 3).unwrap(),
        Distribution::Int {
            low: 0,
            high: 9,
            log: false,
            step: 3
        }
    );
    match Distribution::float(0.0, 1.0, false, Some(0.3)).unwrap() {
        Distribution::Float { high, .. } => assert!((high - 0.9).abs() < 1e-12),
        other => panic!("{other:?}"),
    }
}

#[test]
fn configs_parse_names_aliases_and_reject_unknowns() {
    let (random, seed) = SamplerConfig::parse(&json!("RandomSampler")).unwrap();
    assert_eq!((random, seed), (SamplerConfig::random(), None));
    let (_, seed) = SamplerConfig::parse(&json!({"type": "random", "seed": 42})).unwrap();
    assert_eq!(seed, Some(42));
    let err = SamplerConfig::parse(&json!("bogus")).unwrap_err();
    assert_eq!(err.field(), Some("sampler.type"));
    assert!(err.to_string().contains("bogus"), "{err}");
    let err = SamplerConfig::parse(&json!({"type": "random", "n_startup": 3})).unwrap_err();
    assert_eq!(err.field(), Some("sampler.n_startup"));
    assert_eq!(
        SamplerConfig::parse(&json!({"type": "random", "seed": -1}))
            .unwrap_err()
            .field(),
        Some("sampler.seed")
    );
    assert_eq!(
        PrunerConfig::parse(&json!("NopPruner")).unwrap(),
        PrunerConfig::none()
    );
    assert!(PrunerConfig::parse(&json!(7)).is_err());
    assert_eq!(
        StudyConfig::new("a/b").validated().unwrap_err().field(),
        Some("name")
    );
    assert_eq!(
        StudyConfig::new("x")
            .with_directions(vec![])
            .validated()
            .unwrap_err()
            .field(),
        Some("directions")
    );
}

#[test]
fn journals_round_trip_through_json_with_a_version() {
    let mut s = Study::create_with_clock(
        StudyConfig::new("j").with_seed(3),
        Some(Box::new(|| 1_700_000_000_000.0)),
    )
    .unwrap();
    s.set_user_attr("owner", json!({"team": "ml"})).unwrap();
    s.enqueue(BTreeMap::from([("x".to_string(), ParamValue::Float(0.5))]))
        .unwrap();
    for i in 0..6 {
        let n = s.ask().unwrap();
        s.suggest(n, "x", &x()).unwrap();
        s.report(n, 0, if i == 5 { f64::NAN } else { 0.5 }).unwrap();
        s.set_trial_user_attr(n, "i", json!(i)).unwrap();
        let outcome = match i {
            1 => Outcome::Pruned,
            2 => Outcome::Fail(Some("oom".into())),
            3 => Outcome::value(f64::INFINITY),
            _ => Outcome::value(i as f64),
        };
        s.tell(n, outcome).unwrap();
    }
    let text = s.to_journal().to_json();
    let again = Study::from_journal_json(&text).unwrap();
    // NaN != NaN, so the trial with the NaN report is compared through its JSON.
    assert_eq!(again.trials()[..5], s.trials()[..5]);
    assert!(again.trial(5).unwrap().intermediate_values[&0].is_nan());
    assert_eq!(again.to_journal().to_json(), text);
    assert_eq!(again.user_attrs(), s.user_attrs());
    assert_eq!(again.trial(3).unwrap().values, Some(vec![f64::INFINITY]));

    let mut journal: Journal = serde_json::from_str(&text).unwrap();
    journal.version = 99;
    let err = Study::from_journal(journal).unwrap_err();
    assert!(err.to_string().contains("version 99"), "{err}");
    assert!(Study::from_journal_json("{").is_err());
}

#[test]
fn replay_rejects_relative_params_outside_their_distribution() {
    let s = new_study();
    let mut events = s.events().to_vec();
    let choices = Distribution::categorical(vec!["a".into(), "b".into()]).unwrap();
    events.push(Event::Asked {
        number: 0,
        relative: BTreeMap::from([(
            "c".to_string(),
            edgetune_core::trial::RelativeParam {
                distribution: choices,
                value: 7.0,
            },
        )]),
        trial_attrs: BTreeMap::new(),
        study_attrs: BTreeMap::new(),
        at: None,
    });
    let err = Study::replay(events).unwrap_err();
    assert!(
        matches!(err, Error::InvalidJournal(ref m) if m.contains("relative")),
        "{err}"
    );
}

#[test]
fn replay_rejects_impossible_histories() {
    let s = new_study();
    let mut events = s.events().to_vec();
    events.push(Event::Told {
        number: 0,
        state: TrialState::Complete,
        values: None,
        fail_reason: None,
        cost: None,
        at: None,
    });
    let err = Study::replay(events).unwrap_err();
    assert!(
        matches!(err, Error::InvalidJournal(ref m) if m.contains("event 1")),
        "{err}"
    );
    assert!(Study::replay(vec![]).is_err());
}
