//! Behaviour of the QMC, grid, NSGA-II and NSGA-III samplers: what each promises
//! beyond the conformance suite.

use std::collections::{BTreeMap, BTreeSet};

use edgetune_core::multi_objective::hypervolume;
use edgetune_core::samplers::{
    CmaEsOptions, GpOptions, GridOptions, Nsga2Options, Nsga3Options, QmcOptions, RestartStrategy,
    SourceTrial,
};
use edgetune_core::{
    Direction, Distribution, Error, Outcome, ParamValue, SamplerConfig, Study, StudyConfig,
    TrialState,
};
use edgetune_testfunctions::{MoProblem, MO_PROBLEMS};
use serde_json::json;

fn study(sampler: SamplerConfig, seed: u64, directions: usize) -> Study {
    Study::create(
        StudyConfig::new("samplers")
            .with_sampler(sampler)
            .with_seed(seed)
            .with_directions(vec![Direction::Minimize; directions]),
    )
    .unwrap()
}

fn unit() -> Distribution {
    Distribution::float(0.0, 1.0, false, None).unwrap()
}

#[test]
fn qmc_walks_the_sobol_sequence_after_the_first_trial() {
    let mut s = study(SamplerConfig::Qmc(QmcOptions::default()), 1, 1);
    let mut xs = Vec::new();
    for _ in 0..5 {
        let n = s.ask().unwrap();
        let x = s.suggest(n, "x", &unit()).unwrap().as_f64().unwrap();
        xs.push(x);
        s.tell(n, Outcome::value(x)).unwrap();
    }
    // Trial 0 is random and fixes the space; then SciPy's first Sobol' points.
    assert_eq!(xs[1..], [0.0, 0.5, 0.75, 0.25]);
    assert_eq!(
        s.system_attrs()
            .iter()
            .filter(|(k, _)| k.starts_with("qmc:sobol:"))
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>(),
        vec![json!(3)]
    );
}

#[test]
fn concurrent_qmc_askers_get_distinct_points() {
    let mut s = study(SamplerConfig::parse(&json!("QMCSampler")).unwrap().0, 2, 1);
    let n = s.ask().unwrap();
    s.suggest(n, "x", &unit()).unwrap();
    s.tell(n, Outcome::value(0.0)).unwrap();
    let open: Vec<u64> = (0..16).map(|_| s.ask().unwrap()).collect();
    let xs: BTreeSet<u64> = open
        .iter()
        .map(|&n| {
            s.suggest(n, "x", &unit())
                .unwrap()
                .as_f64()
                .unwrap()
                .to_bits()
        })
        .collect();
    assert_eq!(xs.len(), 16, "every open trial has its own point");
}

fn grid() -> SamplerConfig {
    SamplerConfig::Grid(GridOptions {
        search_space: BTreeMap::from([
            (
                "lr".to_string(),
                vec![0.1.into(), 0.01.into(), 0.001.into()],
            ),
            ("opt".to_string(), vec!["adam".into(), "sgd".into()]),
        ]),
    })
}

fn grid_trial(s: &mut Study) -> Result<(u64, (String, String)), Error> {
    let n = s.ask()?;
    let lr = s.suggest(
        n,
        "lr",
        &Distribution::float(1e-4, 1.0, true, None).unwrap(),
    )?;
    let opt = s.suggest(
        n,
        "opt",
        &Distribution::categorical(vec!["adam".into(), "sgd".into()]).unwrap(),
    )?;
    Ok((n, (lr.to_string(), opt.to_string())))
}

#[test]
fn grid_visits_every_point_once_then_refuses() {
    let mut s = study(grid(), 3, 1);
    let mut seen = BTreeSet::new();
    for _ in 0..6 {
        let (n, point) = grid_trial(&mut s).unwrap();
        assert!(seen.insert(point), "a point came twice");
        s.tell(n, Outcome::value(1.0)).unwrap();
    }
    assert_eq!(seen.len(), 6);
    let err = s.ask().unwrap_err();
    assert!(
        matches!(err, Error::NotAvailable(ref m) if m.contains("exhausted")),
        "{err}"
    );
    assert_eq!(s.trials().len(), 6, "a refused ask stores nothing");
}

#[test]
fn grid_retries_a_failed_point_and_skips_running_ones() {
    let mut s = study(grid(), 4, 1);
    let (failed, failed_point) = grid_trial(&mut s).unwrap();
    s.tell(failed, Outcome::Fail(None)).unwrap();
    let mut points = Vec::new();
    for _ in 0..6 {
        points.push(grid_trial(&mut s).unwrap().1); // all left running
    }
    assert!(points.contains(&failed_point));
    assert_eq!(points.iter().collect::<BTreeSet<_>>().len(), 6);
    assert!(s.ask().is_err());
}

#[test]
fn grid_errors_name_the_parameter() {
    let mut s = study(grid(), 5, 1);
    let n = s.ask().unwrap();
    let err = s.suggest(n, "momentum", &unit()).unwrap_err();
    assert_eq!(err.field(), Some("momentum"));
    // No grid value of lr lies in this distribution.
    let narrow = Distribution::float(0.5, 1.0, false, None).unwrap();
    let err = s.suggest(n, "lr", &narrow).unwrap_err();
    assert_eq!(err.field(), Some("lr"));
    assert!(
        err.to_string()
            .contains("not in the suggested float distribution"),
        "{err}"
    );
    let bad = SamplerConfig::parse(&json!({"type": "grid", "search_space": {"x": []}}))
        .unwrap()
        .0
        .validated()
        .unwrap_err();
    assert_eq!(bad.field(), Some("sampler.search_space.x"));
}

#[test]
fn sampler_names_and_aliases_parse_and_unknown_ones_fail() {
    for (name, canonical) in [
        ("qmc", "qmc"),
        ("QMCSampler", "qmc"),
        ("nsga2", "nsga2"),
        ("nsgaii", "nsga2"),
        ("NSGAIISampler", "nsga2"),
        ("nsga3", "nsga3"),
        ("NSGAIIISampler", "nsga3"),
    ] {
        let (config, _) = SamplerConfig::parse(&json!(name)).unwrap();
        assert_eq!(config.name(), canonical);
    }
    let err = SamplerConfig::parse(&json!("simulated_annealing")).unwrap_err();
    assert_eq!(err.field(), Some("sampler.type"));
    let err = SamplerConfig::parse(&json!({"type": "qmc", "qmc_type": "faure"})).unwrap_err();
    assert_eq!(err.field(), Some("sampler.qmc_type"));
    for (options, field) in [
        (
            json!({"type": "nsga2", "population_size": 1}),
            "sampler.population_size",
        ),
        (
            json!({"type": "nsga2", "crossover_prob": 1.5}),
            "sampler.crossover_prob",
        ),
        (
            json!({"type": "nsga3", "dividing_parameter": 0}),
            "sampler.dividing_parameter",
        ),
        (
            json!({"type": "nsga3", "reference_points": [[1, 0], [1]]}),
            "sampler.reference_points[1]",
        ),
    ] {
        let err = SamplerConfig::parse(&options)
            .unwrap()
            .0
            .validated()
            .unwrap_err();
        assert_eq!(err.field(), Some(field), "{options}");
    }
}

#[test]
fn nsga_generations_have_population_size_complete_trials() {
    let mut s = study(
        SamplerConfig::Nsga2(Nsga2Options {
            population_size: 4,
            ..Nsga2Options::default()
        }),
        6,
        2,
    );
    for i in 0..20 {
        let n = s.ask().unwrap();
        let x = s.suggest(n, "x", &unit()).unwrap().as_f64().unwrap();
        if i % 5 == 4 {
            s.tell(n, Outcome::Fail(None)).unwrap();
        } else {
            s.tell(n, Outcome::Values(vec![x, 1.0 - x])).unwrap();
        }
    }
    let mut per_generation: BTreeMap<u64, usize> = BTreeMap::new();
    for t in s
        .trials()
        .iter()
        .filter(|t| t.state == TrialState::Complete)
    {
        *per_generation
            .entry(t.system_attrs["nsga2:generation"].as_u64().unwrap())
            .or_default() += 1;
    }
    assert_eq!(
        per_generation.values().copied().collect::<Vec<_>>(),
        vec![4, 4, 4, 4]
    );
    // Each generation after the first has its parents stored once.
    for g in 1..4 {
        let parents = &s.system_attrs()[&format!("nsga2:parents:{g}")];
        assert_eq!(parents.as_array().unwrap().len(), 4);
    }
}

/// Hypervolume after `n` trials of `problem`.
fn hypervolume_after(problem: &MoProblem, sampler: SamplerConfig, seed: u64, n: usize) -> f64 {
    let m = problem.reference.len();
    let mut s = study(sampler, seed, m);
    let names: Vec<String> = (0..problem.n_params).map(|i| format!("x{i:02}")).collect();
    for _ in 0..n {
        let t = s.ask().unwrap();
        let x: Vec<f64> = names
            .iter()
            .map(|name| s.suggest(t, name, &unit()).unwrap().as_f64().unwrap())
            .collect();
        s.tell(t, Outcome::Values((problem.eval)(&x))).unwrap();
    }
    let front: Vec<Vec<f64>> = s
        .best_trials()
        .iter()
        .map(|t| t.values.clone().unwrap())
        .collect();
    hypervolume(&front, problem.reference)
}

#[test]
fn nsga2_beats_random_search_on_zdt1() {
    let problem = &MO_PROBLEMS[0];
    let (mut nsga, mut random) = (0.0, 0.0);
    for seed in 0..3 {
        nsga += hypervolume_after(
            problem,
            SamplerConfig::Nsga2(Nsga2Options::default()),
            seed,
            600,
        );
        random += hypervolume_after(problem, SamplerConfig::random(), seed, 600);
    }
    assert!(nsga > random * 1.02, "nsga2 {nsga} vs random {random}");
}

#[test]
fn nsga3_beats_random_search_on_dtlz2() {
    let problem = &MO_PROBLEMS[3];
    let (mut nsga, mut random) = (0.0, 0.0);
    for seed in 0..3 {
        nsga += hypervolume_after(
            problem,
            SamplerConfig::Nsga3(Nsga3Options::default()),
            seed,
            600,
        );
        random += hypervolume_after(problem, SamplerConfig::random(), seed, 600);
    }
    assert!(nsga > random * 1.01, "nsga3 {nsga} vs random {random}");
}

#[test]
fn enqueued_trials_keep_their_values_under_every_sampler() {
    for sampler in [grid(), SamplerConfig::Qmc(QmcOptions::default())] {
        let mut s = study(sampler, 8, 1);
        s.enqueue(BTreeMap::from([
            ("lr".to_string(), ParamValue::from(0.01)),
            ("opt".to_string(), ParamValue::from("sgd")),
        ]))
        .unwrap();
        let (_, point) = grid_trial(&mut s).unwrap();
        assert_eq!(point, ("0.01".to_string(), "\"sgd\"".to_string()));
    }
}

fn cmaes(f: impl FnOnce(&mut CmaEsOptions)) -> SamplerConfig {
    let mut o = CmaEsOptions::default();
    f(&mut o);
    SamplerConfig::Cmaes(o)
}

/// Best value of a shifted 4-D sphere after `n` trials, with an int coordinate.
fn best_on_sphere(sampler: SamplerConfig, seed: u64, n: usize) -> f64 {
    let mut s = study(sampler, seed, 1);
    s.optimize(n, |t| {
        let mut v: f64 = ["a", "b", "c"]
            .iter()
            .map(|p| (t.suggest_float(p, -5.0, 5.0).unwrap() - 1.3).powi(2))
            .sum();
        v += (t.suggest_int("k", -10, 10).unwrap() - 3).pow(2) as f64;
        Outcome::value(v)
    })
    .unwrap();
    s.best_trial().unwrap().value().unwrap()
}

#[test]
fn cmaes_variants_beat_random_search_on_a_sphere() {
    for sampler in [
        cmaes(|_| {}),
        cmaes(|o| o.use_separable_cma = true),
        cmaes(|o| o.with_margin = true),
        cmaes(|o| o.restart_strategy = Some(RestartStrategy::Bipop)),
    ] {
        let (mut cma, mut random) = (0.0, 0.0);
        for seed in 0..3 {
            cma += best_on_sphere(sampler.clone(), seed, 300);
            random += best_on_sphere(SamplerConfig::random(), seed, 300);
        }
        assert!(cma < random / 20.0, "{sampler:?}: {cma} vs random {random}");
    }
}

fn state(s: &Study) -> serde_json::Value {
    s.system_attrs()["cmaes:state"].clone()
}

#[test]
fn ipop_restarts_a_converged_run_with_a_larger_population() {
    let mut s = study(
        cmaes(|o| o.restart_strategy = Some(RestartStrategy::Ipop)),
        2,
        1,
    );
    // A flat objective converges at once by the flat-fitness test.
    s.optimize(400, |t| {
        t.suggest_float("a", 0.0, 1.0).unwrap();
        t.suggest_float("b", 0.0, 1.0).unwrap();
        Outcome::value(1.0)
    })
    .unwrap();
    let st = state(&s);
    assert!(st["restarts"]["count"].as_u64().unwrap() >= 1, "{st}");
    assert!(st["run"]["popsize"].as_u64().unwrap() >= 12, "{st}");
    // Without a strategy the run just goes on.
    let mut plain = study(cmaes(|_| {}), 2, 1);
    plain
        .optimize(400, |t| {
            t.suggest_float("a", 0.0, 1.0).unwrap();
            t.suggest_float("b", 0.0, 1.0).unwrap();
            Outcome::value(1.0)
        })
        .unwrap();
    assert_eq!(state(&plain)["run"]["popsize"], 6);
}

#[test]
fn cmaes_starts_at_x0_and_warm_starts_from_source_trials() {
    let mut s = study(
        cmaes(|o| {
            o.x0 = Some(BTreeMap::from([("a".to_string(), ParamValue::from(4.0))]));
            o.sigma0 = Some(0.01);
        }),
        3,
        1,
    );
    s.optimize(6, |t| {
        Outcome::value(t.suggest_float("a", -5.0, 5.0).unwrap().abs())
    })
    .unwrap();
    for t in &s.trials()[1..] {
        assert!((t.params["a"] - 4.0).abs() < 0.5, "{}", t.params["a"]);
    }
    // Source trials whose best tenth sits near a = -3.
    let source: Vec<SourceTrial> = (0..50)
        .map(|i| {
            let a = -5.0 + 10.0 * i as f64 / 49.0;
            SourceTrial {
                params: BTreeMap::from([("a".to_string(), ParamValue::from(a))]),
                value: (a + 3.0).abs(),
            }
        })
        .collect();
    let mut warm = study(cmaes(|o| o.source_trials = Some(source.clone())), 4, 1);
    warm.optimize(6, |t| {
        Outcome::value(t.suggest_float("a", -5.0, 5.0).unwrap().abs())
    })
    .unwrap();
    for t in &warm.trials()[1..] {
        assert!((t.params["a"] + 3.0).abs() < 1.5, "{}", t.params["a"]);
    }
    // Too few compatible source trials is an error naming the option.
    let mut cold = study(
        cmaes(|o| o.source_trials = Some(source[..5].to_vec())),
        4,
        1,
    );
    let n = cold.ask().unwrap();
    cold.suggest(
        n,
        "a",
        &Distribution::float(-5.0, 5.0, false, None).unwrap(),
    )
    .unwrap();
    cold.tell(n, Outcome::value(1.0)).unwrap();
    let err = cold.ask().unwrap_err();
    assert_eq!(err.field(), Some("sampler.source_trials"));
}

#[test]
fn cmaes_with_margin_records_raw_samples_and_finds_the_integer_optimum() {
    let mut s = study(cmaes(|o| o.with_margin = true), 5, 1);
    s.optimize(60, |t| {
        let k = t.suggest_int("k", 0, 40).unwrap();
        let x = t.suggest_float("x", 0.0, 1.0).unwrap();
        let step = t.suggest_float("s", 0.0, 1.0).unwrap();
        Outcome::value((k - 30).pow(2) as f64 + x + step)
    })
    .unwrap();
    assert!(s.trials()[2].system_attrs.contains_key("cmaes:x"));
    let best = s.best_trial().unwrap();
    assert!(
        (best.params["k"] - 30.0).abs() <= 3.0,
        "{}",
        best.params["k"]
    );
}

#[test]
fn gp_beats_random_search_and_respects_constraints() {
    let gp = SamplerConfig::Gp(GpOptions::default());
    let (mut g, mut random) = (0.0, 0.0);
    for seed in 0..2 {
        g += best_on_sphere(gp.clone(), seed, 40);
        random += best_on_sphere(SamplerConfig::random(), seed, 40);
    }
    assert!(g < random / 3.0, "gp {g} vs random {random}");
    // x > 0 is infeasible; the optimum of (x - 2)^2 under it is x = 0.
    let mut s = study(gp, 3, 1);
    s.optimize(30, |t| {
        let x = t.suggest_float("x", -5.0, 5.0).unwrap();
        let c = t
            .suggest_categorical("c", vec!["a".into(), "b".into()])
            .unwrap();
        t.set_constraints(vec![x]).unwrap();
        Outcome::value((x - 2.0).powi(2) + if c == ParamValue::from("b") { 0.0 } else { 1.0 })
    })
    .unwrap();
    // It converges on the boundary x = 0 with the better choice, from both sides.
    let late = &s.trials()[15..];
    assert!(late.iter().all(|t| t.params["x"] < 0.01), "{late:?}");
    let best = late
        .iter()
        .filter(|t| t.params["x"] <= 0.0)
        .map(|t| t.value().unwrap())
        .fold(f64::INFINITY, f64::min);
    assert!(best < 4.01, "{best}");
    assert!(s.system_attrs().contains_key("gp:kernel:constraint:0"));
}

fn brute() -> SamplerConfig {
    SamplerConfig::parse(&json!("BruteForceSampler")).unwrap().0
}

/// A conditional space: svm has c in {0.1, 1}, rf has depth in 1..=3: 5 leaves.
fn conditional_trial(s: &mut Study) -> Result<String, Error> {
    let mut t = s.ask_trial()?;
    let model = t.suggest_categorical("model", vec!["svm".into(), "rf".into()])?;
    let leaf = if model == ParamValue::from("svm") {
        format!(
            "svm/{}",
            t.suggest_float_with("c", 0.1, 1.0, false, Some(0.9))?
        )
    } else {
        format!("rf/{}", t.suggest_int("depth", 1, 3)?)
    };
    let number = t.number();
    s.tell(number, Outcome::value(1.0))?;
    Ok(leaf)
}

#[test]
fn brute_force_explores_a_conditional_space_once_then_refuses() {
    let mut s = study(brute(), 7, 1);
    let leaves: BTreeSet<String> = (0..5).map(|_| conditional_trial(&mut s).unwrap()).collect();
    assert_eq!(leaves.len(), 5, "{leaves:?}");
    let err = s.ask().unwrap_err();
    assert!(
        matches!(err, Error::NotAvailable(ref m) if m.contains("exhausted")),
        "{err}"
    );
    assert_eq!(s.trials().len(), 5);
}

#[test]
fn brute_force_needs_a_finite_space() {
    let mut s = study(brute(), 8, 1);
    let n = s.ask().unwrap();
    let err = s.suggest(n, "x", &unit()).unwrap_err();
    assert_eq!(err.field(), Some("x"));
    assert!(err.to_string().contains("step"), "{err}");
}

/// Asks `k` trials of `x` in [0, 1] and leaves them running; their values.
fn open_asks(s: &mut Study, k: usize) -> Vec<f64> {
    (0..k)
        .map(|_| {
            let n = s.ask().unwrap();
            s.suggest(n, "x", &unit()).unwrap().as_f64().unwrap()
        })
        .collect()
}

/// Every two of `xs` lie more than `gap` apart.
fn assert_apart(xs: &[f64], gap: f64) {
    for (i, a) in xs.iter().enumerate() {
        for b in &xs[i + 1..] {
            assert!((a - b).abs() > gap, "{xs:?}");
        }
    }
}

#[test]
fn concurrent_gp_askers_spread_out() {
    // After 15 trials of a parabola with its minimum at 0.3, four asks without a tell
    // (qLogEI over the running ones) land apart: the first near the minimum, and
    // none on top of another.
    let mut s = study(SamplerConfig::Gp(GpOptions::default()), 6, 1);
    for _ in 0..15 {
        let n = s.ask().unwrap();
        let x = s.suggest(n, "x", &unit()).unwrap().as_f64().unwrap();
        s.tell(n, Outcome::value((x - 0.3).powi(2))).unwrap();
    }
    let xs = open_asks(&mut s, 4);
    assert!((xs[0] - 0.3).abs() < 0.05, "{xs:?}");
    assert_apart(&xs, 1e-3);
}

#[test]
fn gp_asks_beside_two_running_trials_at_one_point() {
    // Their joint posterior covariance is singular but for Optuna's 1e-12 jitter,
    // which keeps qLogEI's conditioning well defined; the ask lands elsewhere.
    let mut s = study(SamplerConfig::Gp(GpOptions::default()), 9, 1);
    for _ in 0..12 {
        let n = s.ask().unwrap();
        let x = s.suggest(n, "x", &unit()).unwrap().as_f64().unwrap();
        s.tell(n, Outcome::value((x - 0.3).powi(2))).unwrap();
    }
    for _ in 0..2 {
        s.enqueue(BTreeMap::from([("x".to_string(), ParamValue::from(0.3))]))
            .unwrap();
        let n = s.ask().unwrap();
        assert_eq!(s.suggest(n, "x", &unit()).unwrap(), ParamValue::from(0.3));
    }
    let n = s.ask().unwrap();
    let x = s.suggest(n, "x", &unit()).unwrap().as_f64().unwrap();
    assert!((0.0..=1.0).contains(&x) && x != 0.3, "{x}");
}

#[test]
fn concurrent_constrained_gp_askers_spread_out_inside_the_feasible_side() {
    // (x - 0.8)^2 with x <= 0.6 feasible: the optimum sits on the boundary. Running
    // trials go through qLogCEI: three open asks stay near the boundary, none deep in
    // the infeasible side, and none repeats another.
    let mut s = study(SamplerConfig::Gp(GpOptions::default()), 7, 1);
    for _ in 0..20 {
        let n = s.ask().unwrap();
        let x = s.suggest(n, "x", &unit()).unwrap().as_f64().unwrap();
        s.tell_with_constraints(n, Outcome::value((x - 0.8).powi(2)), vec![x - 0.6])
            .unwrap();
    }
    let xs = open_asks(&mut s, 3);
    assert!(xs.iter().all(|x| (0.5..0.7).contains(x)), "{xs:?}");
    assert_apart(&xs, 1e-6);
}

#[test]
fn concurrent_two_objective_gp_askers_spread_out() {
    // x^2 and (x - 1)^2: every x in [0, 1] is Pareto-optimal. Running trials go through
    // qLogEHVI: three open asks land apart. (Fewer preliminary points keep the
    // unoptimised test build quick.)
    let gp = GpOptions {
        n_preliminary_samples: 256,
        ..GpOptions::default()
    };
    let mut s = study(SamplerConfig::Gp(gp), 8, 2);
    for _ in 0..15 {
        let n = s.ask().unwrap();
        let x = s.suggest(n, "x", &unit()).unwrap().as_f64().unwrap();
        s.tell(n, Outcome::Values(vec![x * x, (x - 1.0).powi(2)]))
            .unwrap();
    }
    let xs = open_asks(&mut s, 3);
    assert_apart(&xs, 1e-3);
}

#[test]
fn gp_handles_two_objectives_better_than_random_search() {
    let problem = MoProblem {
        name: "zdt1-4",
        n_params: 4,
        eval: edgetune_testfunctions::zdt1,
        reference: &[1.1, 11.0],
    };
    let gp = SamplerConfig::Gp(GpOptions {
        n_preliminary_samples: 128,
        n_local_search: 4,
        ..GpOptions::default()
    });
    let (mut g, mut random) = (0.0, 0.0);
    for seed in 0..2 {
        g += hypervolume_after(&problem, gp.clone(), seed, 30);
        random += hypervolume_after(&problem, SamplerConfig::random(), seed, 30);
    }
    assert!(g > random * 1.02, "gp {g} vs random {random}");
}

#[test]
fn a_refused_parameter_undoes_the_whole_ask() {
    let mut s = study(grid(), 9, 1);
    let space: edgetune_core::SearchSpace = serde_json::from_value(json!([
        {"name": "lr", "type": "float", "low": 0.5, "high": 1.0},
        {"name": "opt", "type": "categorical", "choices": ["adam", "sgd"]}
    ]))
    .unwrap();
    let before = s.events().len();
    let err = s.ask_with_space(&space).unwrap_err();
    assert_eq!(err.field(), Some("lr"));
    assert_eq!(s.events().len(), before);
    assert!(s.trials().is_empty());
    // The study goes on as if nothing happened.
    assert_eq!(grid_trial(&mut s).unwrap().0, 0);
}
