//! TPE behaviour: each mode changes what is suggested the way it should.

use edgetune_core::samplers::TpeOptions;
use edgetune_core::{
    Direction, Distribution, Outcome, SamplerConfig, Study, StudyConfig, TrialState,
};

fn tpe(f: impl FnOnce(&mut TpeOptions)) -> SamplerConfig {
    let mut o = TpeOptions::default();
    f(&mut o);
    SamplerConfig::Tpe(o)
}

fn study(sampler: SamplerConfig, seed: u64) -> Study {
    Study::create(
        StudyConfig::new("tpe")
            .with_sampler(sampler)
            .with_seed(seed),
    )
    .unwrap()
}

fn float(low: f64, high: f64) -> Distribution {
    Distribution::float(low, high, false, None).unwrap()
}

/// Best value after `n` trials of a shifted sphere in 3-D.
fn best_on_sphere(sampler: SamplerConfig, seed: u64, n: usize) -> f64 {
    let mut s = study(sampler, seed);
    s.optimize(n, |t| {
        let v: f64 = ["a", "b", "c"]
            .iter()
            .map(|p| (t.suggest_float(p, -5.0, 5.0).unwrap() - 1.0).powi(2))
            .sum();
        Outcome::value(v)
    })
    .unwrap();
    s.best_trial().unwrap().value().unwrap()
}

#[test]
fn tpe_beats_random_search() {
    let seeds = 0..8;
    let mean = |sampler: &SamplerConfig| {
        seeds
            .clone()
            .map(|seed| best_on_sphere(sampler.clone(), seed, 80))
            .sum::<f64>()
            / 8.0
    };
    let tpe_mean = mean(&tpe(|_| {}));
    let uni_mean = mean(&tpe(|o| o.multivariate = Some(false)));
    let random_mean = mean(&SamplerConfig::random());
    assert!(
        tpe_mean < random_mean / 3.0,
        "tpe {tpe_mean} vs random {random_mean}"
    );
    assert!(
        uni_mean < random_mean / 2.0,
        "univariate {uni_mean} vs random {random_mean}"
    );
}

#[test]
fn maximize_is_the_mirror_of_minimize() {
    let mut s = Study::create(
        StudyConfig::new("max")
            .with_sampler(tpe(|_| {}))
            .with_directions(vec![Direction::Maximize])
            .with_seed(3),
    )
    .unwrap();
    s.optimize(60, |t| {
        Outcome::value(-(t.suggest_float("x", -10.0, 10.0).unwrap() - 3.0).powi(2))
    })
    .unwrap();
    let best = s.best_trial().unwrap().value().unwrap();
    assert!(best > -0.5, "best {best}");
}

/// Suggestions of 8 trials asked at once, after 20 finished ones.
fn concurrent_spread(liar: bool) -> f64 {
    let mut total = 0.0;
    for seed in 0..6 {
        let mut s = study(tpe(|o| o.constant_liar = liar), seed);
        s.optimize(20, |t| {
            Outcome::value(t.suggest_float("x", -5.0, 5.0).unwrap().powi(2))
        })
        .unwrap();
        let xs: Vec<f64> = (0..8)
            .map(|_| {
                let n = s.ask().unwrap();
                s.suggest(n, "x", &float(-5.0, 5.0))
                    .unwrap()
                    .as_f64()
                    .unwrap()
            })
            .collect();
        let mean = xs.iter().sum::<f64>() / 8.0;
        total += (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 8.0).sqrt();
    }
    total / 6.0
}

#[test]
fn the_constant_liar_spreads_concurrent_asks() {
    let with = concurrent_spread(true);
    let without = concurrent_spread(false);
    assert!(
        with > 1.5 * without,
        "spread with liar {with}, without {without}"
    );
}

#[test]
fn infeasible_regions_are_avoided() {
    // The unconstrained optimum x = 2 is infeasible (x > 0 violates the constraint).
    let feasible_share = |constrained: bool| {
        let mut feasible = 0;
        for seed in 0..4 {
            let mut s = study(tpe(|_| {}), seed);
            for i in 0..60 {
                let n = s.ask().unwrap();
                let x = s
                    .suggest(n, "x", &float(-5.0, 5.0))
                    .unwrap()
                    .as_f64()
                    .unwrap();
                if constrained {
                    s.set_constraints(n, vec![x]).unwrap();
                }
                if i >= 30 && x <= 0.0 {
                    feasible += 1;
                }
                s.tell(n, Outcome::value((x - 2.0).powi(2))).unwrap();
            }
        }
        feasible as f64 / 120.0
    };
    let with = feasible_share(true);
    let without = feasible_share(false);
    // The constrained optimum lies on the boundary x = 0, so about half of the samples
    // around it fall just outside; without constraints TPE heads for x = 2 instead.
    assert!(with > 0.4, "feasible share with constraints {with}");
    assert!(with > 3.0 * without, "with {with}, without {without}");
}

#[test]
fn log_and_step_parameters_are_respected() {
    let mut s = study(tpe(|_| {}), 5);
    let lr = Distribution::float(1e-6, 1.0, true, None).unwrap();
    let units = Distribution::int(16, 256, false, 16).unwrap();
    let drop = Distribution::float(0.0, 0.5, false, Some(0.1)).unwrap();
    let mut late_lrs = Vec::new();
    for i in 0..60 {
        let n = s.ask().unwrap();
        let l = s.suggest(n, "lr", &lr).unwrap().as_f64().unwrap();
        let u = s.suggest(n, "units", &units).unwrap().as_f64().unwrap();
        let d = s.suggest(n, "drop", &drop).unwrap().as_f64().unwrap();
        let t = s.trial(n).unwrap();
        assert!(lr.contains(t.params["lr"]) && units.contains(t.params["units"]));
        assert!(drop.contains(t.params["drop"]));
        assert_eq!(u % 16.0, 0.0);
        if i >= 40 {
            late_lrs.push(l);
        }
        // Optimum at lr = 1e-4 in log space, units = 64, drop = 0.2.
        let v = (libm::log10(l) + 4.0).powi(2) + ((u - 64.0) / 16.0).powi(2) + (d - 0.2).powi(2);
        s.tell(n, Outcome::value(v)).unwrap();
    }
    // In log space the search concentrates around 1e-4, not around the linear middle.
    let median = {
        late_lrs.sort_by(f64::total_cmp);
        late_lrs[late_lrs.len() / 2]
    };
    assert!((1e-6..1e-2).contains(&median), "median late lr {median}");
}

#[test]
fn categoricals_converge_to_the_best_choice() {
    let mut s = study(tpe(|_| {}), 8);
    let c =
        Distribution::categorical(vec!["a".into(), "b".into(), "c".into(), "d".into()]).unwrap();
    let mut late_c = 0;
    for i in 0..60 {
        let n = s.ask().unwrap();
        let v = s.suggest(n, "c", &c).unwrap();
        let x = s
            .suggest(n, "x", &float(0.0, 1.0))
            .unwrap()
            .as_f64()
            .unwrap();
        let is_c = v == "c".into();
        if i >= 30 && is_c {
            late_c += 1;
        }
        s.tell(n, Outcome::value(if is_c { 0.0 } else { 1.0 } + x))
            .unwrap();
    }
    assert!(late_c >= 18, "choice c in {late_c} of the last 30 trials");
}

#[test]
fn group_mode_handles_conditional_spaces() {
    let mut s = study(tpe(|o| o.group = true), 2);
    let kind = Distribution::categorical(vec!["A".into(), "B".into()]).unwrap();
    for _ in 0..50 {
        let n = s.ask().unwrap();
        let k = s.suggest(n, "kind", &kind).unwrap();
        let v = if k == "A".into() {
            s.suggest(n, "y", &float(-10.0, 10.0))
                .unwrap()
                .as_f64()
                .unwrap()
                .powi(2)
        } else {
            let z = Distribution::int(-10, 10, false, 1).unwrap();
            s.suggest(n, "z", &z).unwrap().as_f64().unwrap().abs() + 1.0
        };
        s.tell(n, Outcome::value(v)).unwrap();
    }
    let last = s.trial(49).unwrap();
    // Relative sampling covered the whole conditional space in groups.
    assert!(!last.relative_params.is_empty());
    assert!(s.best_trial().unwrap().value().unwrap() < 1.0);
}

#[test]
fn multi_objective_tpe_finds_a_spread_front() {
    let mut s = Study::create(
        StudyConfig::new("mo")
            .with_sampler(tpe(|_| {}))
            .with_directions(vec![Direction::Minimize, Direction::Minimize])
            .with_seed(4),
    )
    .unwrap();
    s.optimize(80, |t| {
        let x = t.suggest_float("x", 0.0, 1.0).unwrap();
        let y = t.suggest_float("y", 0.0, 1.0).unwrap();
        Outcome::Values(vec![x + y * y, 1.0 - x + y * y])
    })
    .unwrap();
    assert_eq!(s.count(TrialState::Complete), 80);
    let good = s.trials()[40..]
        .iter()
        .filter(|t| t.params["y"] < 0.3)
        .count();
    assert!(good >= 25, "{good} of the last 40 trials near the front");
}

#[test]
fn pruned_trials_inform_the_split() {
    let mut s = study(tpe(|o| o.n_startup_trials = 4), 6);
    for i in 0..30 {
        let n = s.ask().unwrap();
        let x = s
            .suggest(n, "x", &float(-5.0, 5.0))
            .unwrap()
            .as_f64()
            .unwrap();
        s.report(n, 1, x * x).unwrap();
        let outcome = if i % 2 == 0 {
            Outcome::Pruned
        } else {
            Outcome::value(x * x)
        };
        s.tell(n, outcome).unwrap();
    }
    assert_eq!(s.count(TrialState::Pruned), 15);
    assert!(s.best_trial().unwrap().value().unwrap() < 1.0);
}

#[test]
fn options_are_validated_with_the_field() {
    for (options, field) in [
        (
            TpeOptions {
                n_ei_candidates: 0,
                ..TpeOptions::default()
            },
            "sampler.n_ei_candidates",
        ),
        (
            TpeOptions {
                prior_weight: -1.0,
                ..TpeOptions::default()
            },
            "sampler.prior_weight",
        ),
        (
            TpeOptions {
                group: true,
                multivariate: Some(false),
                ..TpeOptions::default()
            },
            "sampler.group",
        ),
    ] {
        let err = StudyConfig::new("x")
            .with_sampler(SamplerConfig::Tpe(options))
            .validated()
            .unwrap_err();
        assert_eq!(err.field(), Some(field));
    }
    let (parsed, seed) = SamplerConfig::parse(&serde_json::json!({
        "type": "TPESampler", "n_startup_trials": 3, "multivariate": false, "seed": 9
    }))
    .unwrap();
    assert_eq!(seed, Some(9));
    assert_eq!(
        parsed,
        SamplerConfig::Tpe(TpeOptions {
            n_startup_trials: 3,
            multivariate: Some(false),
            ..TpeOptions::default()
        })
    );
}
