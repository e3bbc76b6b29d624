//! The native runner of `bench/run samplers`: QMC, CMA-ES, GP, NSGA-II/III and
//! multi-objective TPE on the config (JSON, first argument), printed as JSON.
//! - so: per sampler, problem and seed, the regret and best-so-far AUC at checkpoints;
//! - mo: per sampler, problem and seed, the hypervolume of the Pareto front at
//!   checkpoints, bounded by the problem's reference point (up to the sampler's
//!   `max_trials`, when given);
//! - speed: seconds of each trial's ask + suggest + tell, per sampler, on a shifted
//!   sphere (`so`) or on ZDT1 (`mo`) in `dim` parameters.

use edgetune_bench::{capped, checkpoints, list, shifted_sphere, single_objective, study, trial};
use edgetune_core::multi_objective::{dominates, hypervolume};
use edgetune_core::Distribution;
use edgetune_testfunctions::{zdt1, MO_PROBLEMS};
use serde_json::{json, Map, Value};

/// The sampler options of a name: QMC is scrambled, so seeds differ.
fn spec(sampler: &str) -> Value {
    match sampler {
        "qmc" => json!({"type": "qmc", "scramble": true}),
        other => json!(other),
    }
}

fn multi_objective(q: &Value) -> Value {
    let cps = checkpoints(q);
    let n = cps.iter().copied().max().unwrap_or(0);
    let unit = Distribution::float(0.0, 1.0, false, None).expect("valid");
    let mut out = Map::new();
    for sampler in list(q, "samplers") {
        // A sampler may be capped below the last checkpoint (`max_trials`).
        let n = capped(q, sampler, n);
        let mut per_problem = Map::new();
        for name in list(q, "problems") {
            let p = MO_PROBLEMS
                .iter()
                .find(|p| p.name == name)
                .expect("known problem");
            let names: Vec<String> = (0..p.n_params).map(|i| format!("x{i}")).collect();
            let dists = vec![unit.clone(); p.n_params];
            let runs: Vec<Value> = (0..q["seeds"].as_u64().unwrap_or(0))
                .map(|seed| {
                    let mut s = study(&spec(sampler), seed, p.reference.len());
                    let mut front: Vec<Vec<f64>> = Vec::new();
                    let mut at = Map::new();
                    for i in 1..=n {
                        let (v, _) = trial(&mut s, &names, &dists, p.eval);
                        if !front.iter().any(|f| dominates(f, &v) || *f == v) {
                            front.retain(|f| !dominates(&v, f));
                            front.push(v);
                        }
                        if cps.contains(&i) {
                            at.insert(i.to_string(), json!(hypervolume(&front, p.reference)));
                        }
                    }
                    Value::Object(at)
                })
                .collect();
            per_problem.insert(name.to_string(), json!(runs));
        }
        out.insert(sampler.to_string(), Value::Object(per_problem));
    }
    Value::Object(out)
}

fn speed(s: &Value) -> Value {
    let dim = s["dim"].as_u64().unwrap_or(5) as usize;
    let n = s["n_trials"].as_u64().unwrap_or(0) as usize;
    let names: Vec<String> = (0..dim).map(|i| format!("x{i}")).collect();
    let mut out = Map::new();
    for (kind, objectives) in [("so", 1), ("mo", 2)] {
        let dists = if objectives == 1 {
            vec![Distribution::float(-5.0, 5.0, false, None).expect("valid"); dim]
        } else {
            vec![Distribution::float(0.0, 1.0, false, None).expect("valid"); dim]
        };
        let mut per = Map::new();
        for sampler in list(s, kind) {
            let mut st = study(&spec(sampler), 0, objectives);
            let n = capped(s, sampler, n);
            let times: Vec<f64> = (0..n)
                .map(|_| {
                    trial(&mut st, &names, &dists, |x| {
                        if objectives == 1 {
                            vec![shifted_sphere(x)]
                        } else {
                            zdt1(x)
                        }
                    })
                    .1
                })
                .collect();
            per.insert(sampler.to_string(), json!(times));
        }
        out.insert(kind.to_string(), Value::Object(per));
    }
    Value::Object(out)
}

fn main() {
    let config: Value =
        serde_json::from_str(&std::env::args().nth(1).expect("usage: samplers CONFIG"))
            .expect("config is JSON");
    println!(
        "{}",
        json!({
            "library": "edgetune (native)",
            "so": single_objective(&config["so"], spec),
            "mo": multi_objective(&config["mo"]),
            "speed": speed(&config["speed"]),
        })
    );
}
