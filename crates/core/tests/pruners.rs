//! The conformance suite of every pruner: both directions, steps out of order or
//! repeated, NaN and infinite values, and exact journal replay of what pruners record.

use edgetune_core::rng::{trial_rng, uniform01};
use edgetune_core::{Direction, Outcome, PrunerConfig, SamplerConfig, Study, StudyConfig};
use serde_json::json;

fn pruners() -> Vec<PrunerConfig> {
    [
        json!("none"),
        json!("median"),
        json!({"type": "percentile", "percentile": 10.0}),
        json!("successive_halving"),
        json!({"type": "successive_halving", "min_resource": 1, "bootstrap_count": 1}),
        json!("hyperband"),
        json!({"type": "hyperband", "max_resource": 9}),
        json!({"type": "threshold", "lower": -2.0, "upper": 2.0}),
        json!({"type": "patient", "patience": 2, "wrapped_pruner": {"type": "hyperband"}}),
        json!("wilcoxon"),
    ]
    .iter()
    .map(|v| PrunerConfig::parse(v).unwrap())
    .collect()
}

/// Runs 60 trials with messy reports; returns the study.
fn run(pruner: PrunerConfig, direction: Direction) -> Study {
    let config = StudyConfig::new("pruners")
        .with_directions(vec![direction])
        .with_pruner(pruner)
        .with_sampler(SamplerConfig::random());
    let mut study = Study::create(config).unwrap();
    for i in 0..60u64 {
        let n = study.ask().unwrap();
        let mut rng = trial_rng(99, i);
        let mut pruned = false;
        for k in 0..12u64 {
            let u = uniform01(&mut rng);
            // Mostly increasing steps, some repeated or out of order.
            let step = if u < 0.1 { k.saturating_sub(3) } else { k };
            let value = match (i + k) % 17 {
                3 => f64::NAN,
                7 => f64::INFINITY,
                11 => f64::NEG_INFINITY,
                _ => (u - 0.5) * 4.0 / (k + 1) as f64 + i as f64 * 0.01,
            };
            study.report(n, step, value).unwrap();
            if study.should_prune(n).unwrap() {
                study.tell(n, Outcome::Pruned).unwrap();
                pruned = true;
                break;
            }
        }
        if !pruned {
            study.tell(n, Outcome::value(i as f64 * 0.1)).unwrap();
        }
    }
    study
}

#[test]
fn every_pruner_handles_messy_reports_in_both_directions() {
    for pruner in pruners() {
        for direction in [Direction::Minimize, Direction::Maximize] {
            let study = run(pruner.clone(), direction);
            assert_eq!(study.trials().len(), 60, "{pruner:?}");
        }
    }
}

#[test]
fn replay_restores_what_pruners_recorded() {
    for pruner in pruners() {
        let study = run(pruner.clone(), Direction::Minimize);
        let again = Study::from_journal_json(&study.to_journal().to_json()).unwrap();
        assert_eq!(again.system_attrs(), study.system_attrs(), "{pruner:?}");
        for (a, b) in again.trials().iter().zip(study.trials()) {
            assert_eq!(a.system_attrs, b.system_attrs, "{pruner:?}");
            assert_eq!(a.state, b.state);
        }
    }
}

#[test]
fn options_are_validated_with_the_field() {
    let cases = [
        (
            json!({"type": "percentile", "percentile": 101.0}),
            "pruner.percentile",
        ),
        (json!({"type": "percentile"}), "pruner.percentile"),
        (
            json!({"type": "median", "interval_steps": 0}),
            "pruner.interval_steps",
        ),
        (
            json!({"type": "hyperband", "reduction_factor": 1}),
            "pruner.reduction_factor",
        ),
        (
            json!({"type": "successive_halving", "bootstrap_count": 2}),
            "pruner.bootstrap_count",
        ),
        (json!({"type": "threshold"}), "pruner.lower"),
        (
            json!({"type": "threshold", "lower": 2.0, "upper": 1.0}),
            "pruner.lower",
        ),
        (
            json!({"type": "patient", "patience": 1, "wrapped_pruner": {"type": "percentile", "percentile": -1.0}}),
            "pruner.wrapped_pruner.percentile",
        ),
        (
            json!({"type": "wilcoxon", "p_threshold": 2.0}),
            "pruner.p_threshold",
        ),
        (json!("bogus"), "pruner.type"),
        (json!({"type": "median", "n_warmup": 3}), "pruner.n_warmup"),
    ];
    for (value, field) in cases {
        let err = PrunerConfig::parse(&value).unwrap_err();
        assert_eq!(err.field(), Some(field), "{value}: {err}");
    }
    assert_eq!(
        PrunerConfig::parse(&json!("MedianPruner")).unwrap(),
        PrunerConfig::parse(&json!("median")).unwrap()
    );
}

#[test]
fn median_pruning_saves_steps() {
    // Curves that converge to their trial's level: the median pruner stops the bad ones.
    let config = StudyConfig::new("m")
        .with_pruner(PrunerConfig::parse(&json!("median")).unwrap())
        .with_sampler(SamplerConfig::random());
    let mut study = Study::create(config).unwrap();
    let mut steps = 0;
    for i in 0..40u64 {
        let n = study.ask().unwrap();
        // A permutation of 0..40, so good and bad trials alternate.
        let level = ((i * 17) % 40) as f64;
        let mut done = false;
        for step in 0..20u64 {
            study
                .report(n, step, level + 10.0 / (step + 1) as f64)
                .unwrap();
            steps += 1;
            if study.should_prune(n).unwrap() {
                study.tell(n, Outcome::Pruned).unwrap();
                done = true;
                break;
            }
        }
        if !done {
            study.tell(n, Outcome::value(level)).unwrap();
        }
    }
    assert!(steps < 40 * 20 * 2 / 3, "{steps} steps of 800 run");
    assert!(study.best_trial().unwrap().value().unwrap() <= 2.0);
}
