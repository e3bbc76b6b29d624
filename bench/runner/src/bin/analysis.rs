//! The native runner of `bench/run analysis`: parameter importance and hypervolume on
//! the config (JSON, first argument), printed as JSON with the trials and points, so
//! that bench/report_analysis.py can give Optuna the very same inputs.
//! - quality: per seed, `n_trials` random trials of f = Σ wᵢ·xᵢ² over xᵢ ∈ [-1, 1],
//!   and every evaluator's importances;
//! - speed: per study size, the seconds of each evaluator (the fastest of `repeat`);
//! - hypervolume: per (objectives, points), a front of points on the unit sphere (all
//!   mutually non-dominated), its hypervolume against 1.1 in every objective and the
//!   seconds to compute it;
//! - pruners: every pruner configuration of the golden file (`pruners`, a path) fed the
//!   golden learning curves, with every decision and the seconds it took, for the
//!   report to compare with a fresh Optuna run.

use std::time::Instant;

use edgetune_bench::study;
use edgetune_core::analysis::PedAnovaOptions;
use edgetune_core::multi_objective::hypervolume;
use edgetune_core::rng::{named_rng, uniform01};
use edgetune_core::{Direction, Outcome, PrunerConfig, SamplerConfig, Study, StudyConfig};
use serde_json::{json, Map, Value};

const EVALUATORS: [&str; 3] = ["ped_anova", "fanova", "mdi"];

/// A random-sampled study of f = Σ wᵢ·xᵢ²: (the study, its trials as JSON).
fn weighted_study(weights: &[f64], n_trials: usize, seed: u64) -> (edgetune_core::Study, Value) {
    let mut s = study(&json!("random"), seed, 1);
    let mut trials = Vec::with_capacity(n_trials);
    for _ in 0..n_trials {
        let mut t = s.ask_trial().expect("ask");
        let mut params = Map::new();
        let mut value = 0.0;
        for (i, w) in weights.iter().enumerate() {
            let x = t
                .suggest_float(&format!("x{i}"), -1.0, 1.0)
                .expect("suggest");
            params.insert(format!("x{i}"), json!(x));
            value += w * x * x;
        }
        let number = t.number();
        s.tell(number, edgetune_core::Outcome::value(value))
            .expect("tell");
        trials.push(json!({"params": params, "value": value}));
    }
    (s, Value::Array(trials))
}

/// Each evaluator's importances and the fastest of `repeat` timings.
fn evaluate(s: &edgetune_core::Study, repeat: usize) -> (Value, Value) {
    let (mut importances, mut seconds) = (Map::new(), Map::new());
    for evaluator in EVALUATORS {
        let mut best = f64::INFINITY;
        let mut ranked = Vec::new();
        for _ in 0..repeat.max(1) {
            let start = Instant::now();
            ranked = s
                .importance(evaluator, &PedAnovaOptions::default())
                .expect("importance");
            best = best.min(start.elapsed().as_secs_f64());
        }
        let map: Map<String, Value> = ranked.into_iter().map(|(k, v)| (k, json!(v))).collect();
        importances.insert(evaluator.into(), Value::Object(map));
        seconds.insert(evaluator.into(), json!(best));
    }
    (Value::Object(importances), Value::Object(seconds))
}

/// Every decision of every pruner case of the golden file at `path` on its curves: per
/// trial, one 0/1 per report until the first prune (as bench/pruner_parity.py records).
fn pruner_decisions(path: &str) -> Vec<Value> {
    let golden: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("golden file")).expect("JSON");
    let curves: Vec<Vec<f64>> = golden["curves"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            c.as_array()
                .into_iter()
                .flatten()
                .map(|v| v.as_f64().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    for case in golden["cases"].as_array().into_iter().flatten() {
        let pruner = PrunerConfig::parse(&case["pruner"]).expect("known pruner");
        let direction =
            Direction::parse(case["direction"].as_str().unwrap_or("minimize")).expect("direction");
        let config = StudyConfig::new("parity")
            .with_directions(vec![direction])
            .with_pruner(pruner)
            .with_sampler(SamplerConfig::random());
        let mut study = Study::create(config).expect("valid");
        let start = Instant::now();
        let mut reports = 0usize;
        let decisions: Vec<Vec<u8>> = curves
            .iter()
            .map(|curve| {
                let n = study.ask().expect("ask");
                let mut row = Vec::new();
                for (step, value) in curve.iter().enumerate() {
                    study.report(n, step as u64, *value).expect("report");
                    let pruned = study.should_prune(n).expect("should_prune");
                    reports += 1;
                    row.push(u8::from(pruned));
                    if pruned {
                        study.tell(n, Outcome::Pruned).expect("tell");
                        return row;
                    }
                }
                let last = curve.last().copied().unwrap_or(0.0);
                study.tell(n, Outcome::value(last)).expect("tell");
                row
            })
            .collect();
        out.push(json!({"name": case["name"], "decisions": decisions,
                        "reports": reports, "seconds": start.elapsed().as_secs_f64()}));
    }
    out
}

fn main() {
    let config: Value =
        serde_json::from_str(&std::env::args().nth(1).expect("config")).expect("JSON config");
    let q = &config["quality"];
    let weights: Vec<f64> = serde_json::from_value(q["weights"].clone()).unwrap_or_default();
    let quality: Vec<Value> = (0..q["seeds"].as_u64().unwrap_or(0))
        .map(|seed| {
            let (s, trials) =
                weighted_study(&weights, q["n_trials"].as_u64().unwrap() as usize, seed);
            let (importances, _) = evaluate(&s, 1);
            json!({"seed": seed, "trials": trials, "importances": importances})
        })
        .collect();
    let sp = &config["speed"];
    let speed: Vec<Value> = sp["studies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|size| {
            let (n_trials, n_params) = (size[0].as_u64().unwrap(), size[1].as_u64().unwrap());
            let weights: Vec<f64> = (1..=n_params).map(|w| w as f64).collect();
            let (s, trials) = weighted_study(&weights, n_trials as usize, 0);
            let repeat = sp["repeat"].as_u64().unwrap_or(1) as usize;
            let (importances, seconds) = evaluate(&s, repeat);
            json!({"n_trials": n_trials, "n_params": n_params, "trials": trials,
                   "importances": importances, "seconds": seconds})
        })
        .collect();
    let mut rng = named_rng(5, "fronts");
    let fronts: Vec<Value> = config["hypervolume"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|case| {
            let (m, n) = (
                case[0].as_u64().unwrap() as usize,
                case[1].as_u64().unwrap() as usize,
            );
            let points: Vec<Vec<f64>> = (0..n)
                .map(|_| {
                    let raw: Vec<f64> = (0..m).map(|_| uniform01(&mut rng) + 1e-3).collect();
                    let norm = raw.iter().map(|v| v * v).sum::<f64>().sqrt();
                    raw.iter().map(|v| v / norm).collect()
                })
                .collect();
            let reference = vec![1.1; m];
            let start = Instant::now();
            let value = hypervolume(&points, &reference);
            let seconds = start.elapsed().as_secs_f64();
            json!({"objectives": m, "points": points, "reference": reference,
                   "hypervolume": value, "seconds": seconds})
        })
        .collect();
    let pruners = config["pruners"]
        .as_str()
        .map(pruner_decisions)
        .unwrap_or_default();
    let out = json!({
        "library": format!("edgetune {}", env!("CARGO_PKG_VERSION")),
        "quality": quality,
        "speed": speed,
        "hypervolume": fronts,
        "pruners": pruners,
    });
    println!("{out}");
}
