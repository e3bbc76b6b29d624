//! The native runner of `bench/run cost` (the cost-aware optimization benchmark), on
//! the config (JSON, first argument), printed as JSON.
//! - budget: per contender (`tpe`, `tpe-cost`, `gp`, `gp-cost`), problem and seed,
//!   a study with the problem's cost budget, run until an ask is refused: the best
//!   value within the budget, the amount spent, the trials, and those pruned (by the
//!   median pruner, or for cost). The training simulator reports its learning curve.
//! - stopping: per rule, problem and seed, TPE on a cost-free problem for `n_trials`
//!   trials: the trial at which the rule first fired, the best value then, and the
//!   best value at the end.

use edgetune_bench::distribution;
use edgetune_core::{
    Error, Outcome, ParamValue, PrunerConfig, SamplerConfig, StoppingConfig, Study, StudyConfig,
    TrialState,
};
use edgetune_testfunctions::{CostProblem, COST_PROBLEMS, PROBLEMS};
use serde_json::{json, Map, Value};

/// The most trials a budget run may take (a guard; no problem comes near it).
const MAX_TRIALS: usize = 5000;

fn sampler(contender: &str) -> SamplerConfig {
    let (name, cost_aware) = match contender.strip_suffix("-cost") {
        Some(name) => (name, true),
        None => (contender, false),
    };
    SamplerConfig::parse(&json!({"type": name, "cost_aware": cost_aware}))
        .expect("known sampler")
        .0
}

/// Asks and suggests every parameter; None once the budget is spent.
fn ask(s: &mut Study, names: &[String], problem: &CostProblem) -> Option<(u64, Vec<f64>)> {
    let n = match s.ask() {
        Ok(n) => n,
        Err(Error::BudgetExhausted { .. }) => return None,
        Err(e) => panic!("ask: {e}"),
    };
    let x = names
        .iter()
        .zip(problem.params)
        .map(
            |(name, p)| match s.suggest(n, name, &distribution(p)).expect("suggest") {
                ParamValue::Str(c) => c[1..].parse().expect("choice index"),
                v => v.as_f64().expect("number"),
            },
        )
        .collect();
    Some((n, x))
}

fn budget_run(contender: &str, problem: &CostProblem, seed: u64) -> Value {
    let multi_step = (problem.curve)(&midpoint(problem)).len() > 1;
    let pruner = if multi_step {
        PrunerConfig::parse(&json!("median")).expect("median")
    } else {
        PrunerConfig::none()
    };
    let mut s = Study::create(
        StudyConfig::new("cost")
            .with_seed(seed)
            .with_sampler(sampler(contender))
            .with_pruner(pruner)
            .with_cost_budget(problem.budget),
    )
    .expect("valid study");
    let names: Vec<String> = (0..problem.params.len()).map(|i| format!("x{i}")).collect();
    while s.trials().len() < MAX_TRIALS {
        let Some((n, x)) = ask(&mut s, &names, problem) else {
            break;
        };
        let curve = (problem.curve)(&x);
        let mut pruned = false;
        if multi_step {
            for (step, (value, cost)) in curve.iter().enumerate() {
                s.report_with_cost(n, step as u64, *value, Some(*cost))
                    .expect("report");
                if s.should_prune(n).expect("prune check") {
                    s.tell(n, Outcome::Pruned).expect("tell");
                    pruned = true;
                    break;
                }
            }
        }
        if !pruned {
            let (value, cost) = *curve.last().expect("one step at least");
            s.tell_with_cost(n, Outcome::value(value), Some(cost))
                .expect("tell");
        }
    }
    json!({
        "best": s.best_trial().ok().and_then(|t| t.value()),
        "spent": s.spending().spent,
        "n_trials": s.trials().len(),
        "n_pruned": s.count(TrialState::Pruned),
        "n_pruned_for_cost": s.n_pruned_for_cost(),
    })
}

/// The middle of each parameter's range, to tell single-step problems apart.
fn midpoint(problem: &CostProblem) -> Vec<f64> {
    problem
        .params
        .iter()
        .map(|p| match *p {
            edgetune_testfunctions::Param::Float { low, high, .. } => (low + high) / 2.0,
            edgetune_testfunctions::Param::Int { low, high } => ((low + high) / 2) as f64,
            edgetune_testfunctions::Param::Categorical { .. } => 0.0,
        })
        .collect()
}

fn stopping_run(rule: &str, problem: &str, seed: u64, n_trials: usize) -> Value {
    let p = PROBLEMS
        .iter()
        .find(|p| p.name == problem)
        .expect("known problem");
    let stopping = StoppingConfig::parse(&json!({"type": rule})).expect("known rule");
    let mut s = Study::create(
        StudyConfig::new("stop")
            .with_seed(seed)
            .with_stopping(stopping),
    )
    .expect("valid study");
    let names: Vec<String> = (0..p.params.len()).map(|i| format!("x{i}")).collect();
    let dists: Vec<_> = p.params.iter().map(distribution).collect();
    let mut stopped: Option<(usize, f64)> = None;
    for i in 1..=n_trials {
        edgetune_bench::trial(&mut s, &names, &dists, |x| vec![(p.eval)(x)]);
        let best = s
            .best_trial()
            .expect("a best trial")
            .value()
            .expect("a value");
        if stopped.is_none() && s.convergence().is_some_and(|c| c.converged()) {
            stopped = Some((i, best));
        }
    }
    let end = s
        .best_trial()
        .expect("a best trial")
        .value()
        .expect("a value");
    json!({
        "stopped_at": stopped.map(|s| s.0),
        "best_at_stop": stopped.map_or(end, |s| s.1) - p.optimum,
        "best_at_end": end - p.optimum,
    })
}

fn main() {
    let config: Value = serde_json::from_str(&std::env::args().nth(1).expect("a config argument"))
        .expect("config JSON");
    let b = &config["budget"];
    let seeds = b["seeds"].as_u64().unwrap_or(0);
    // Another set of seeds (`first_seed`), to check a result away from the usual ones.
    let first = b["first_seed"].as_u64().unwrap_or(0);
    let mut budget = Map::new();
    for contender in b["contenders"].as_array().into_iter().flatten() {
        let contender = contender.as_str().expect("a name");
        let mut per_problem = Map::new();
        for name in b["problems"].as_array().into_iter().flatten() {
            let problem = COST_PROBLEMS
                .iter()
                .find(|p| Some(p.name) == name.as_str())
                .expect("known problem");
            eprintln!("edgetune {contender} on {}", problem.name);
            let runs: Vec<Value> = (first..first + seeds)
                .map(|seed| budget_run(contender, problem, seed))
                .collect();
            per_problem.insert(problem.name.to_string(), json!(runs));
        }
        budget.insert(contender.to_string(), Value::Object(per_problem));
    }
    let st = &config["stopping"];
    let n_trials = st["n_trials"].as_u64().unwrap_or(0) as usize;
    let mut stopping = Map::new();
    for rule in st["rules"].as_array().into_iter().flatten() {
        let rule = rule.as_str().expect("a rule");
        let mut per_problem = Map::new();
        for problem in st["problems"].as_array().into_iter().flatten() {
            let problem = problem.as_str().expect("a problem");
            eprintln!("edgetune {rule} on {problem}");
            let runs: Vec<Value> = (0..st["seeds"].as_u64().unwrap_or(0))
                .map(|seed| stopping_run(rule, problem, seed, n_trials))
                .collect();
            per_problem.insert(problem.to_string(), json!(runs));
        }
        stopping.insert(rule.to_string(), Value::Object(per_problem));
    }
    println!(
        "{}",
        json!({"runner": "edgetune", "budget": budget, "stopping": stopping})
    );
}
