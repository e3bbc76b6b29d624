//! Costs, the budget, pruning for cost, cost-aware sampling and the stopping rules.

use edgetune_core::pruners::PrunerConfig;
use edgetune_core::samplers::{GpOptions, TpeOptions};
use edgetune_core::{
    Convergence, Distribution, Error, Outcome, ParamValue, PruneReason, SamplerConfig, StopReason,
    StoppingConfig, Study, StudyConfig, TrialState,
};

fn budgeted(budget: f64) -> Study {
    let mut config = StudyConfig::new("cost")
        .with_seed(5)
        .with_cost_budget(budget)
        .with_pruner(PrunerConfig::none());
    config.cost_unit = Some("USD".into());
    Study::create(config).unwrap()
}

#[test]
fn spending_counts_finished_costs_and_running_costs_so_far() {
    let mut study = budgeted(10.0);
    let a = study.ask().unwrap();
    let b = study.ask().unwrap();
    study.report_with_cost(a, 1, 0.5, Some(1.5)).unwrap();
    study.report_with_cost(b, 1, 0.7, Some(2.0)).unwrap();
    assert_eq!(study.spending().spent, 3.5);
    study
        .tell_with_cost(a, Outcome::value(0.4), Some(3.0))
        .unwrap();
    assert_eq!(study.spending().spent, 5.0);
    // Without a final cost, the last cost so far stands.
    study.tell(b, Outcome::value(0.6)).unwrap();
    let spending = study.spending();
    assert_eq!(
        (spending.spent, spending.left, spending.unit.as_deref()),
        (5.0, Some(5.0), Some("USD"))
    );
    assert_eq!(study.trial(b).unwrap().cost(), Some(2.0));
}

#[test]
fn bad_costs_are_refused_and_change_nothing() {
    let mut study = budgeted(10.0);
    let a = study.ask().unwrap();
    study.report_with_cost(a, 1, 0.5, Some(2.0)).unwrap();
    let events = study.events().len();
    for bad in [-1.0, f64::NAN, f64::INFINITY, 1.0] {
        let e = study.tell_with_cost(a, Outcome::value(1.0), Some(bad));
        assert_eq!(e.unwrap_err().field(), Some("cost"), "{bad}");
        let e = study.report_with_cost(a, 2, 0.5, Some(bad));
        assert_eq!(e.unwrap_err().field(), Some("cost"), "{bad}");
    }
    assert_eq!(study.events().len(), events);
    let mut config = StudyConfig::new("x").with_cost_budget(0.0);
    assert_eq!(
        Study::create(config.clone()).unwrap_err().field(),
        Some("cost_budget")
    );
    config.cost_budget = Some(1.0);
    config.cost_unit = Some(String::new());
    assert_eq!(
        Study::create(config).unwrap_err().field(),
        Some("cost_unit")
    );
}

#[test]
fn asks_are_refused_once_the_budget_is_spent() {
    let mut study = budgeted(3.0);
    for _ in 0..3 {
        let n = study.ask().unwrap();
        study
            .tell_with_cost(n, Outcome::value(1.0), Some(1.0))
            .unwrap();
    }
    match study.ask() {
        Err(Error::BudgetExhausted {
            spent,
            budget,
            unit,
        }) => assert_eq!((spent, budget, unit.as_str()), (3.0, 3.0, "USD")),
        other => panic!("expected budget_exhausted, got {other:?}"),
    }
    assert_eq!(study.trials().len(), 3, "a refused ask stores nothing");
}

#[test]
fn a_report_past_the_budget_prunes_for_cost_and_is_counted_apart() {
    let mut study = budgeted(4.0);
    let a = study.ask().unwrap();
    study.report_with_cost(a, 1, 0.3, Some(3.0)).unwrap();
    assert_eq!(study.prune_reason(a).unwrap(), None);
    study.report_with_cost(a, 2, 0.2, Some(4.5)).unwrap();
    assert_eq!(study.prune_reason(a).unwrap(), Some(PruneReason::Cost));
    study.tell(a, Outcome::Pruned).unwrap();
    assert_eq!(study.n_pruned_for_cost(), 1);
    assert_eq!(study.count(TrialState::Pruned), 1);
}

#[test]
fn the_projection_prunes_a_trial_that_cannot_finish_in_what_is_left() {
    let mut study = budgeted(20.0);
    // A finished trial cost 1 by step 1 and 8 in all.
    let a = study.ask().unwrap();
    study.report_with_cost(a, 1, 0.5, Some(1.0)).unwrap();
    study
        .tell_with_cost(a, Outcome::value(0.5), Some(8.0))
        .unwrap();
    // Another costs 2 by step 1: projected 16 in all, 14 more; 10 are left.
    let b = study.ask().unwrap();
    study.report_with_cost(b, 1, 0.4, Some(2.0)).unwrap();
    assert_eq!(study.prune_reason(b).unwrap(), Some(PruneReason::Cost));
    // A cheap one is projected to 8 in all: it fits.
    let c = study.ask().unwrap();
    study.report_with_cost(c, 1, 0.4, Some(1.0)).unwrap();
    assert_eq!(study.spending().spent, 11.0);
    assert_eq!(study.prune_reason(c).unwrap(), None);
}

#[test]
fn the_pruner_is_asked_first_and_named() {
    let pruner =
        PrunerConfig::parse(&serde_json::json!({"type": "threshold", "upper": 1.0})).unwrap();
    let mut study = Study::create(
        StudyConfig::new("p")
            .with_cost_budget(1.0)
            .with_pruner(pruner),
    )
    .unwrap();
    let a = study.ask().unwrap();
    study.report_with_cost(a, 1, 5.0, Some(2.0)).unwrap();
    assert_eq!(study.prune_reason(a).unwrap(), Some(PruneReason::Pruner));
    study.tell(a, Outcome::Pruned).unwrap();
    assert_eq!(study.n_pruned_for_cost(), 0);
}

#[test]
fn the_best_trial_comes_from_trials_within_the_budget() {
    let mut study = budgeted(3.0);
    let a = study.ask().unwrap();
    let b = study.ask().unwrap();
    study
        .tell_with_cost(a, Outcome::value(5.0), Some(2.0))
        .unwrap();
    // b finishes past the budget: its better value does not count.
    study
        .tell_with_cost(b, Outcome::value(1.0), Some(2.0))
        .unwrap();
    assert_eq!(study.best_trial().unwrap().number, a);
    assert_eq!(study.best_trials().len(), 1);
    assert!(!study.trial(b).unwrap().within_budget);
}

#[test]
fn costs_survive_journal_replay() {
    let mut study = budgeted(4.0);
    let a = study.ask().unwrap();
    study.report_with_cost(a, 1, 0.3, Some(4.5)).unwrap();
    assert!(study.should_prune(a).unwrap());
    study.tell(a, Outcome::Pruned).unwrap();
    let b = study.ask();
    assert!(matches!(b, Err(Error::BudgetExhausted { .. })));
    let json = study.to_journal().to_json();
    assert!(json.contains("\"cost\":4.5"), "{json}");
    let again = Study::from_journal_json(&json).unwrap();
    assert_eq!(again.spending(), study.spending());
    assert_eq!(again.n_pruned_for_cost(), 1);
    assert_eq!(again.trials(), study.trials());
}

#[test]
fn optimize_stops_when_the_budget_is_spent_and_says_so() {
    let mut study = budgeted(10.0);
    let stop = study
        .optimize(100, |t| {
            let x = t.suggest_float("x", 0.0, 1.0).unwrap();
            t.set_cost(1.0 + x).unwrap();
            Outcome::value(x)
        })
        .unwrap();
    assert_eq!(stop, StopReason::BudgetExhausted);
    assert!(study.spending().spent >= 10.0);
    assert!(study.trials().len() < 10);
    let mut free = Study::create(StudyConfig::new("free")).unwrap();
    let stop = free.optimize(3, |_| Outcome::value(1.0)).unwrap();
    assert_eq!(stop, StopReason::NTrials);
}

#[test]
fn stagnation_fires_after_the_allowed_trials_without_improvement() {
    let rule = StoppingConfig::BestValueStagnation {
        max_stagnation_trials: 5,
    };
    let mut study = Study::create(StudyConfig::new("s").with_stopping(rule)).unwrap();
    let mut values = vec![3.0, 2.0, 1.0];
    values.extend([4.0; 10]);
    let mut it = values.into_iter();
    let stop = study
        .optimize(50, |_| Outcome::value(it.next().unwrap()))
        .unwrap();
    assert_eq!(stop, StopReason::Converged);
    // The best came third; 6 trials later the stagnation (6) passes 5.
    assert_eq!(study.trials().len(), 9);
    assert_eq!(
        study.convergence().unwrap(),
        Convergence::BestValueStagnation {
            converged: true,
            stagnant_trials: 6,
            max_stagnation_trials: 5
        }
    );
}

#[test]
fn the_regret_bound_converges_on_a_flat_objective_and_not_before_min_trials() {
    let rule = StoppingConfig::RegretBound {
        top_trials_ratio: 0.5,
        min_n_trials: 20,
    };
    let mut study = Study::create(StudyConfig::new("r").with_seed(2).with_stopping(rule)).unwrap();
    study
        .optimize(19, |t| {
            Outcome::value(t.suggest_float("x", -1.0, 1.0).unwrap().powi(2))
        })
        .unwrap();
    let Some(Convergence::RegretBound {
        converged: false,
        regret_bound: None,
        n_complete: 19,
        ..
    }) = study.convergence()
    else {
        panic!(
            "not evaluated before min_n_trials: {:?}",
            study.convergence()
        )
    };
    let stop = study
        .optimize(200, |t| {
            Outcome::value(t.suggest_float("x", -1.0, 1.0).unwrap().powi(2))
        })
        .unwrap();
    assert_eq!(stop, StopReason::Converged, "{:?}", study.convergence());
    assert!(study.trials().len() < 219);
}

#[test]
fn stopping_rules_are_checked() {
    let config = StudyConfig::new("m")
        .with_directions(vec![
            edgetune_core::Direction::Minimize,
            edgetune_core::Direction::Minimize,
        ])
        .with_stopping(StoppingConfig::BestValueStagnation {
            max_stagnation_trials: 3,
        });
    assert_eq!(Study::create(config).unwrap_err().field(), Some("stopping"));
}

/// A cost that grows with x: the cost-aware samplers should spend less per trial.
fn mean_cost(sampler: SamplerConfig) -> f64 {
    let mut study = Study::create(
        StudyConfig::new("ca")
            .with_seed(11)
            .with_sampler(sampler)
            .with_cost_budget(1e9),
    )
    .unwrap();
    study
        .optimize(40, |t| {
            let x = t.suggest_float("x", 0.0, 1.0).unwrap();
            let y = t.suggest_float("y", 0.0, 1.0).unwrap();
            t.set_cost(libm_exp(4.0 * x)).unwrap();
            // Flat in x: only y matters, so the cheap x are as good.
            Outcome::value((y - 0.3).powi(2))
        })
        .unwrap();
    let late: Vec<f64> = study.trials()[20..]
        .iter()
        .filter_map(|t| t.cost())
        .collect();
    late.iter().sum::<f64>() / late.len() as f64
}

fn libm_exp(v: f64) -> f64 {
    v.exp()
}

#[test]
fn cost_aware_tpe_and_gp_prefer_cheap_points() {
    let tpe = |cost_aware| {
        SamplerConfig::Tpe(TpeOptions {
            cost_aware,
            ..TpeOptions::default()
        })
    };
    let gp = |cost_aware| {
        SamplerConfig::Gp(GpOptions {
            cost_aware,
            n_preliminary_samples: 256,
            ..GpOptions::default()
        })
    };
    let (plain, aware) = (mean_cost(tpe(false)), mean_cost(tpe(true)));
    assert!(aware < 0.7 * plain, "tpe: {aware} vs {plain}");
    let (plain, aware) = (mean_cost(gp(false)), mean_cost(gp(true)));
    assert!(aware < 0.7 * plain, "gp: {aware} vs {plain}");
}

/// The next x after complete trials on [0, 0.5] whose value falls to the right and trials
/// on [0.6, 1] that were pruned after a bad first report.
fn next_x_beside_a_pruned_region(cost_aware: bool) -> f64 {
    let mut study = Study::create(StudyConfig::new("pruned").with_seed(3).with_sampler(
        SamplerConfig::Gp(GpOptions {
            cost_aware,
            n_startup_trials: 5,
            n_preliminary_samples: 256,
            ..GpOptions::default()
        }),
    ))
    .unwrap();
    let d = Distribution::float(0.0, 1.0, false, None).unwrap();
    for k in 0..=10 {
        let x = k as f64 / 10.0;
        study
            .enqueue([("x".to_string(), ParamValue::Float(x))].into())
            .unwrap();
        let n = study.ask().unwrap();
        study.suggest(n, "x", &d).unwrap();
        if k <= 5 {
            study
                .tell_with_cost(n, Outcome::value(-x), Some(1.0))
                .unwrap();
        } else {
            study.report_with_cost(n, 0, 10.0, Some(0.5)).unwrap();
            study.tell(n, Outcome::Pruned).unwrap();
        }
    }
    // A pruned trial with no finite report is not learnt from (and breaks nothing).
    let n = study.ask().unwrap();
    study.suggest(n, "x", &d).unwrap();
    study.report(n, 0, f64::NAN).unwrap();
    study.tell(n, Outcome::Pruned).unwrap();
    let n = study.ask().unwrap();
    study.suggest(n, "x", &d).unwrap().as_f64().unwrap()
}

#[test]
fn cost_aware_gp_learns_from_pruned_trials() {
    // Optuna's GP (and our plain one) ignores pruned trials and follows the trend into
    // the region the budget already paid to see pruned; cost-aware, the GP does not.
    let (plain, aware) = (
        next_x_beside_a_pruned_region(false),
        next_x_beside_a_pruned_region(true),
    );
    assert!(plain > 0.6, "plain: {plain}");
    assert!(aware < 0.6, "aware: {aware}");
}
