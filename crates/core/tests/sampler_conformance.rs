//! The conformance suite every sampler passes (as Optuna's `pytest_samplers.py`).
//! A new sampler adds its configurations to `samplers()`.

use std::collections::BTreeMap;

use edgetune_core::samplers::{
    CmaEsOptions, GpOptions, Nsga2Options, Nsga3Options, QmcOptions, QmcType, RestartStrategy,
    TpeOptions,
};
use edgetune_core::{
    Direction, Distribution, Outcome, ParamValue, SamplerConfig, Study, StudyConfig, TrialState,
};

fn samplers() -> Vec<SamplerConfig> {
    let tpe = |f: fn(&mut TpeOptions)| {
        let mut o = TpeOptions {
            n_startup_trials: 5,
            ..TpeOptions::default()
        };
        f(&mut o);
        SamplerConfig::Tpe(o)
    };
    vec![
        SamplerConfig::random(),
        tpe(|_| {}),
        tpe(|o| o.multivariate = Some(false)),
        tpe(|o| o.group = true),
        tpe(|o| o.constant_liar = false),
        tpe(|o| {
            o.consider_endpoints = true;
            o.consider_magic_clip = false;
            o.prior_weight = 0.5;
        }),
        SamplerConfig::Qmc(QmcOptions::default()),
        SamplerConfig::Qmc(QmcOptions {
            qmc_type: QmcType::Halton,
            scramble: true,
        }),
        SamplerConfig::Qmc(QmcOptions {
            qmc_type: QmcType::Sobol,
            scramble: true,
        }),
        SamplerConfig::Gp(GpOptions {
            n_startup_trials: 5,
            n_preliminary_samples: 32,
            n_local_search: 2,
            ..GpOptions::default()
        }),
        SamplerConfig::Cmaes(CmaEsOptions::default()),
        SamplerConfig::Cmaes(CmaEsOptions {
            use_separable_cma: true,
            restart_strategy: Some(RestartStrategy::Ipop),
            ..CmaEsOptions::default()
        }),
        SamplerConfig::Cmaes(CmaEsOptions {
            with_margin: true,
            popsize: Some(5),
            restart_strategy: Some(RestartStrategy::Bipop),
            ..CmaEsOptions::default()
        }),
        SamplerConfig::Nsga2(Nsga2Options {
            population_size: 6,
            ..Nsga2Options::default()
        }),
        SamplerConfig::Nsga3(Nsga3Options {
            population_size: 6,
            ..Nsga3Options::default()
        }),
    ]
}

fn distributions() -> Vec<(&'static str, Distribution)> {
    vec![
        (
            "float",
            Distribution::float(-3.0, 7.5, false, None).unwrap(),
        ),
        (
            "float_log",
            Distribution::float(1e-6, 10.0, true, None).unwrap(),
        ),
        (
            "float_step",
            Distribution::float(0.0, 1.0, false, Some(0.125)).unwrap(),
        ),
        ("int", Distribution::int(-4, 9, false, 1).unwrap()),
        ("int_log", Distribution::int(1, 1024, true, 1).unwrap()),
        ("int_step", Distribution::int(16, 128, false, 16).unwrap()),
        (
            "categorical",
            Distribution::categorical(vec!["a".into(), 2.into(), 3.5.into(), true.into()]).unwrap(),
        ),
    ]
}

fn study(sampler: &SamplerConfig, seed: u64, directions: Vec<Direction>) -> Study {
    Study::create(
        StudyConfig::new("conformance")
            .with_sampler(sampler.clone())
            .with_seed(seed)
            .with_directions(directions),
    )
    .unwrap()
}

/// Runs `n` trials over every distribution and returns the suggested params.
fn run(sampler: &SamplerConfig, seed: u64, n: usize) -> Vec<BTreeMap<String, ParamValue>> {
    let mut s = study(sampler, seed, vec![Direction::Minimize]);
    let dists = distributions();
    let mut out = Vec::new();
    for _ in 0..n {
        let number = s.ask().unwrap();
        let mut value = 0.0;
        for (name, d) in &dists {
            let v = s.suggest(number, name, d).unwrap();
            value += v.as_f64().unwrap_or(1.0).abs().min(1e3);
        }
        out.push(s.trial(number).unwrap().external_params());
        s.tell(number, Outcome::value(value)).unwrap();
    }
    out
}

#[test]
fn values_lie_inside_their_distributions() {
    for sampler in samplers() {
        let mut s = study(&sampler, 3, vec![Direction::Minimize]);
        for i in 0..60 {
            let number = s.ask().unwrap();
            let mut value = 0.0;
            for (name, d) in distributions() {
                s.suggest(number, name, &d).unwrap();
                let internal = s.trial(number).unwrap().params[name];
                assert!(
                    d.contains(internal),
                    "{sampler:?}: {name}={internal} outside {d:?}"
                );
                value += internal;
            }
            s.tell(number, Outcome::value(value + i as f64)).unwrap();
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_suggestions() {
    for sampler in samplers() {
        assert_eq!(run(&sampler, 11, 30), run(&sampler, 11, 30), "{sampler:?}");
        assert_ne!(run(&sampler, 11, 30), run(&sampler, 12, 30), "{sampler:?}");
    }
}

#[test]
fn an_empty_history_is_fine() {
    for sampler in samplers() {
        let mut s = study(&sampler, 0, vec![Direction::Maximize]);
        let number = s.ask().unwrap();
        for (name, d) in distributions() {
            s.suggest(number, name, &d).unwrap();
        }
        assert_eq!(s.trial(number).unwrap().params.len(), distributions().len());
    }
}

#[test]
fn a_single_value_distribution_gives_that_value() {
    let singles = [
        (Distribution::float(2.5, 2.5, false, None).unwrap(), 2.5),
        (Distribution::float(3.0, 3.0, true, None).unwrap(), 3.0),
        (Distribution::int(7, 7, false, 1).unwrap(), 7.0),
        (Distribution::int(4, 6, false, 3).unwrap(), 4.0),
        (Distribution::categorical(vec!["only".into()]).unwrap(), 0.0),
    ];
    for sampler in samplers() {
        let mut s = study(&sampler, 5, vec![Direction::Minimize]);
        for round in 0..15 {
            let number = s.ask().unwrap();
            for (i, (d, expected)) in singles.iter().enumerate() {
                s.suggest(number, &format!("p{i}"), d).unwrap();
                assert_eq!(s.trial(number).unwrap().params[&format!("p{i}")], *expected);
            }
            s.tell(number, Outcome::value(round as f64)).unwrap();
        }
    }
}

#[test]
fn running_trials_are_handled() {
    for sampler in samplers() {
        let mut s = study(&sampler, 9, vec![Direction::Minimize]);
        let mut open = Vec::new();
        for i in 0..40 {
            let number = s.ask().unwrap();
            for (name, d) in distributions() {
                s.suggest(number, name, &d).unwrap();
            }
            // Leave every third trial running, fail every fifth.
            if i % 3 == 0 {
                open.push(number);
            } else if i % 5 == 0 {
                s.tell(number, Outcome::Fail(Some("boom".into()))).unwrap();
            } else {
                s.tell(number, Outcome::value(i as f64)).unwrap();
            }
        }
        assert_eq!(s.count(TrialState::Running), open.len());
        for number in open {
            s.tell(number, Outcome::value(0.5)).unwrap();
        }
    }
}

#[test]
fn multi_objective_studies_are_handled() {
    for sampler in samplers() {
        if !sampler.supports_multi_objective() {
            let config = StudyConfig::new("mo")
                .with_sampler(sampler.clone())
                .with_directions(vec![Direction::Minimize, Direction::Maximize]);
            let err = Study::create(config).unwrap_err();
            assert_eq!(err.field(), Some("sampler.type"));
            continue;
        }
        let mut s = study(&sampler, 1, vec![Direction::Minimize, Direction::Maximize]);
        for i in 0..25 {
            let number = s.ask().unwrap();
            let x = s
                .suggest(
                    number,
                    "x",
                    &Distribution::float(0.0, 1.0, false, None).unwrap(),
                )
                .unwrap()
                .as_f64()
                .unwrap();
            s.tell(number, Outcome::Values(vec![x, i as f64 - x]))
                .unwrap();
        }
        assert_eq!(s.count(TrialState::Complete), 25);
    }
}

#[test]
fn define_by_run_order_does_not_change_values() {
    for sampler in samplers() {
        let a = Distribution::float(0.0, 1.0, false, None).unwrap();
        let b = Distribution::int(0, 100, false, 1).unwrap();
        let mut first = study(&sampler, 21, vec![Direction::Minimize]);
        let mut second = study(&sampler, 21, vec![Direction::Minimize]);
        let n1 = first.ask().unwrap();
        let n2 = second.ask().unwrap();
        let a1 = first.suggest(n1, "a", &a).unwrap();
        let b1 = first.suggest(n1, "b", &b).unwrap();
        let b2 = second.suggest(n2, "b", &b).unwrap();
        let a2 = second.suggest(n2, "a", &a).unwrap();
        assert_eq!((a1, b1), (a2, b2));
    }
}

#[test]
fn a_replayed_study_suggests_what_the_live_one_does() {
    for sampler in samplers() {
        for directions in [
            vec![Direction::Minimize],
            vec![Direction::Minimize, Direction::Maximize],
        ] {
            if directions.len() > 1 && !sampler.supports_multi_objective() {
                continue;
            }
            let mut live = study(&sampler, 4, directions.clone());
            let dists = distributions();
            for i in 0..40 {
                let number = live.ask().unwrap();
                let mut value = 0.0;
                for (name, d) in &dists {
                    value += live
                        .suggest(number, name, d)
                        .unwrap()
                        .as_f64()
                        .unwrap_or(1.0);
                }
                // Tell out of order: every fourth trial stays open for three more asks.
                if i % 4 != 3 {
                    let values = directions.iter().map(|_| value.sin() + i as f64 * 0.01);
                    live.tell(number, Outcome::Values(values.collect()))
                        .unwrap();
                }
            }
            let mut replayed =
                Study::from_journal_json(&serde_json::to_string(&live.to_journal()).unwrap())
                    .unwrap();
            for _ in 0..5 {
                let a = live.ask().unwrap();
                let b = replayed.ask().unwrap();
                assert_eq!(a, b);
                for (name, d) in &dists {
                    assert_eq!(
                        live.suggest(a, name, d).unwrap(),
                        replayed.suggest(b, name, d).unwrap(),
                        "{sampler:?} {directions:?}"
                    );
                }
                assert_eq!(live.trial(a).unwrap(), replayed.trial(b).unwrap());
                live.tell(a, Outcome::Values(directions.iter().map(|_| 1.0).collect()))
                    .unwrap();
                replayed
                    .tell(b, Outcome::Values(directions.iter().map(|_| 1.0).collect()))
                    .unwrap();
            }
            assert_eq!(live.system_attrs(), replayed.system_attrs());
        }
    }
}
