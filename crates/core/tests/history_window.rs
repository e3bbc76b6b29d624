//! The history window: what stays in memory, what the study still knows of the trials
//! that left it, and snapshots that wake a study exactly as a full replay does.

use edgetune_core::{
    Direction, Outcome, ParamValue, SamplerConfig, SearchSpace, Study, StudyConfig, TrialState,
};
use serde_json::json;

fn space() -> SearchSpace {
    serde_json::from_value(json!([
        {"name": "x", "type": "float", "low": -3.0, "high": 3.0},
        {"name": "n", "type": "int", "low": 0, "high": 6},
        {"name": "opt", "type": "categorical", "choices": ["sgd", "adam", "rmsprop"]}
    ]))
    .unwrap()
}

fn config(sampler: serde_json::Value, directions: usize, window: u64) -> StudyConfig {
    let (sampler, _) = SamplerConfig::parse(&sampler).unwrap();
    StudyConfig::new("window")
        .with_sampler(sampler)
        .with_seed(11)
        .with_directions(vec![Direction::Minimize; directions])
        .with_history_window(window)
}

/// Runs `n` trials: every 7th is pruned (after a report, with one objective), every 11th fails, every 5th
/// carries constraints; the objective(s) come from x, n and opt.
fn run(study: &mut Study, n: usize) {
    let space = space();
    for _ in 0..n {
        let number = study.ask_with_space(&space).unwrap();
        let params = study.trial(number).unwrap().external_params();
        let x = params["x"].as_f64().unwrap();
        let k = params["n"].as_f64().unwrap();
        let penalty = if params["opt"] == ParamValue::from("sgd") {
            1.0
        } else {
            0.0
        };
        let mut values = vec![(x - 1.0).powi(2) + k + penalty];
        if study.directions().len() == 2 {
            values.push((x + 1.0).powi(2) + 6.0 - k);
        }
        let constraints = number.is_multiple_of(5).then(|| vec![x - 2.0]);
        let outcome = if number % 7 == 6 {
            if values.len() == 1 {
                study.report(number, 0, values[0]).unwrap();
            }
            Outcome::Pruned
        } else if number % 11 == 10 {
            Outcome::Fail(Some("diverged".into()))
        } else {
            Outcome::Values(values)
        };
        study.tell_with(number, outcome, constraints, None).unwrap();
    }
}

/// Snapshot after `first` trials, go on for `then` more; the snapshot plus the
/// journal's tail, and a full replay, must equal the live study and ask the same.
fn wakes_as_replayed(config: StudyConfig, first: usize, then: usize) {
    let mut live = Study::create(config).unwrap();
    run(&mut live, first);
    let snapshot = live.snapshot();
    let covered = live.journal_len();
    run(&mut live, then);
    let mut woken = Study::from_snapshot(&snapshot).unwrap();
    woken
        .apply_journal(live.events()[covered..].iter().cloned())
        .unwrap();
    let mut replayed = Study::replay(live.events().to_vec()).unwrap();
    assert_eq!(woken.snapshot(), live.snapshot());
    assert_eq!(replayed.snapshot(), live.snapshot());
    let space = space();
    for _ in 0..3 {
        let a = live.ask_with_space(&space).unwrap();
        let b = woken.ask_with_space(&space).unwrap();
        let c = replayed.ask_with_space(&space).unwrap();
        let params = live.trial(a).unwrap().external_params();
        assert_eq!(woken.trial(b).unwrap().external_params(), params);
        assert_eq!(replayed.trial(c).unwrap().external_params(), params);
        for study in [&mut live, &mut woken, &mut replayed] {
            study.tell(a, Outcome::Fail(None)).unwrap();
        }
    }
}

#[test]
fn a_snapshot_and_the_tail_equal_a_full_replay_for_every_sampler() {
    let samplers = [
        json!("tpe"),
        json!({"type": "tpe", "multivariate": false, "constant_liar": true}),
        json!("random"),
        json!("qmc"),
        json!({"type": "cmaes", "popsize": 8}),
        json!({"type": "gp", "n_startup_trials": 10}),
    ];
    for sampler in samplers {
        let window = 100;
        wakes_as_replayed(config(sampler.clone(), 1, window), 150, 40);
        // A snapshot before any trial left memory, and one long after.
        wakes_as_replayed(config(sampler.clone(), 1, window), 60, 80);
    }
}

#[test]
fn multi_objective_samplers_wake_as_replayed() {
    for sampler in [
        json!("tpe"),
        json!({"type": "nsga2", "population_size": 20}),
        json!("random"),
    ] {
        wakes_as_replayed(config(sampler, 2, 100), 160, 50);
    }
}

#[test]
fn the_grid_remembers_points_that_left_the_window() {
    let grid = json!({"type": "grid", "search_space": {
        "x": [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0],
        "n": [0, 1, 2, 3, 4, 5, 6],
        "opt": ["sgd", "adam", "rmsprop"]
    }});
    let mut study = Study::create(config(grid.clone(), 1, 100)).unwrap();
    run(&mut study, 147);
    // 147 points, 147 trials: each point once, though most left memory.
    let mut seen = std::collections::BTreeSet::new();
    for event in study.events() {
        if let edgetune_core::Event::Asked { trial_attrs, .. } = event {
            if let Some(id) = trial_attrs.get("grid_id") {
                assert!(seen.insert(id.to_string()), "point {id} visited twice");
            }
        }
    }
    let failed = study.count(TrialState::Fail);
    assert!(failed > 0 && study.trials().len() <= 101 + failed);
    wakes_as_replayed(config(grid, 1, 100), 120, 20);
}

#[test]
fn memory_holds_the_window_the_incumbent_and_running_trials() {
    let mut study = Study::create(config(json!("tpe"), 1, 100)).unwrap();
    run(&mut study, 400);
    let running = study.ask().unwrap();
    assert_eq!(study.n_trials(), 401);
    let finished: usize = [TrialState::Complete, TrialState::Pruned, TrialState::Fail]
        .iter()
        .map(|s| study.count(*s))
        .sum();
    assert_eq!(finished, 400);
    assert!(study.trials().len() <= 102, "{}", study.trials().len());
    assert!(study.trial(running).is_ok());
    let best = study.best_trial().unwrap().clone();
    let replayed_all = {
        let mut c = config(json!("tpe"), 1, 100);
        c.history_window = None;
        let mut events = study.events().to_vec();
        if let edgetune_core::Event::Created { config, .. } = &mut events[0] {
            **config = c;
        }
        Study::replay(events).unwrap()
    };
    // The best trial of all history, though the sampler sees only the window.
    assert_eq!(replayed_all.best_trial().unwrap(), &best);
    let old = (0..400).find(|n| study.trial(*n).is_err()).unwrap();
    let message = study.trial(old).unwrap_err().to_string();
    assert!(message.contains("history window"), "{message}");
}

#[test]
fn the_pareto_front_stays_whole() {
    let mut study = Study::create(config(json!("random"), 2, 100)).unwrap();
    run(&mut study, 500);
    let mut unwindowed = {
        let mut events = study.events().to_vec();
        if let edgetune_core::Event::Created { config, .. } = &mut events[0] {
            config.history_window = None;
        }
        Study::replay(events).unwrap()
    };
    let numbers = |s: &Study| s.best_trials().iter().map(|t| t.number).collect::<Vec<_>>();
    assert_eq!(numbers(&study), numbers(&unwindowed));
    assert!(study.trials().len() < unwindowed.trials().len());
    unwindowed.set_history_window(100).unwrap();
    assert_eq!(numbers(&unwindowed), numbers(&study));
}

#[test]
fn a_window_set_later_is_a_journal_event() {
    let mut c = config(json!("tpe"), 1, 100);
    c.history_window = None;
    let mut study = Study::create(c).unwrap();
    run(&mut study, 300);
    assert_eq!(study.trials().len(), 300);
    study.set_history_window(120).unwrap();
    assert!(study.trials().len() <= 121);
    assert_eq!(study.history_window(), Some(120));
    let replayed = Study::replay(study.events().to_vec()).unwrap();
    assert_eq!(replayed.snapshot(), study.snapshot());
    let err = study.set_history_window(10).unwrap_err().to_string();
    assert_eq!(study.history_window(), Some(120));
    assert!(err.contains("history_window"), "{err}");
}

#[test]
fn bad_windows_name_the_field_and_the_reason() {
    for (sampler, window, reason) in [
        (json!("tpe"), 19, "0 (no window) or 20 to 1000000"),
        (json!("tpe"), 1_000_001, "0 (no window) or 20 to 1000000"),
        (json!("cmaes"), 40, "at least 50"),
        (json!("brute_force"), 200, "must see every trial"),
        (
            json!({"type": "nsga2", "population_size": 60}),
            100,
            "at least 120",
        ),
        (json!({"type": "cmaes", "popsize": 80}), 150, "at least 160"),
    ] {
        let err = config(sampler, 1, window)
            .validated()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("history_window") && err.contains(reason),
            "{err}"
        );
    }
    assert!(config(json!("brute_force"), 1, 0).validated().is_ok());
}
