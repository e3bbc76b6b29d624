//! The native edgetune runner of bench/: runs the config (JSON, first argument) and
//! prints JSON results. Quality: per sampler, problem and seed, the regret of the best
//! value at each checkpoint and the mean best-so-far regret up to it (the area under
//! the curve). Speed: seconds of each trial's ask + suggest + tell, per space and seed.

use edgetune_bench::{distribution, trial as run_trial};
use edgetune_core::{Distribution, SamplerConfig, Study, StudyConfig};
use edgetune_testfunctions::{shift, PROBLEMS};
use serde_json::{json, Map, Value};

fn study(sampler: &str, seed: u64) -> Study {
    let (config, _) = SamplerConfig::parse(&json!(sampler)).expect("known sampler");
    Study::create(
        StudyConfig::new("bench")
            .with_sampler(config)
            .with_seed(seed),
    )
    .expect("valid")
}

/// One single-objective trial: (value, seconds in the engine).
fn trial(
    s: &mut Study,
    names: &[String],
    dists: &[Distribution],
    f: impl Fn(&[f64]) -> f64,
) -> (f64, f64) {
    let (values, seconds) = run_trial(s, names, dists, |x| vec![f(x)]);
    (values[0], seconds)
}

fn main() {
    let config: Value = serde_json::from_str(
        &std::env::args()
            .nth(1)
            .expect("usage: edgetune-bench CONFIG"),
    )
    .expect("config is JSON");
    let q = &config["quality"];
    let checkpoints: Vec<usize> =
        serde_json::from_value(q["checkpoints"].clone()).unwrap_or_default();
    let n_quality = checkpoints.iter().copied().max().unwrap_or(0);
    let mut quality = Map::new();
    for sampler in q["samplers"].as_array().into_iter().flatten() {
        let sampler = sampler.as_str().expect("sampler name");
        let mut per_problem = Map::new();
        for name in q["problems"].as_array().into_iter().flatten() {
            let p = PROBLEMS
                .iter()
                .find(|p| p.name == name)
                .expect("known problem");
            let names: Vec<String> = (0..p.params.len()).map(|i| format!("x{i}")).collect();
            let dists: Vec<Distribution> = p.params.iter().map(distribution).collect();
            let runs: Vec<Value> = (0..q["seeds"].as_u64().unwrap_or(0))
                .map(|seed| {
                    let mut s = study(sampler, seed);
                    let (mut best, mut area) = (f64::INFINITY, 0.0);
                    let mut out = Map::new();
                    for i in 1..=n_quality {
                        let (v, _) = trial(&mut s, &names, &dists, p.eval);
                        best = best.min(v);
                        area += best - p.optimum;
                        if checkpoints.contains(&i) {
                            out.insert(
                                i.to_string(),
                                json!({"regret": best - p.optimum, "auc": area / i as f64}),
                            );
                        }
                    }
                    Value::Object(out)
                })
                .collect();
            per_problem.insert(name.as_str().unwrap_or_default().to_string(), json!(runs));
        }
        quality.insert(sampler.to_string(), Value::Object(per_problem));
    }
    let s = &config["speed"];
    let mut speed = Map::new();
    for dim in s["spaces"].as_array().into_iter().flatten() {
        let dim = dim.as_u64().expect("dimension") as usize;
        let names: Vec<String> = (0..dim).map(|i| format!("x{i}")).collect();
        let dists = vec![Distribution::float(-5.0, 5.0, false, None).expect("valid"); dim];
        let runs: Vec<Value> = s["seeds"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|seed| {
                let mut st = study("tpe", seed.as_u64().unwrap_or(0));
                let times: Vec<f64> = (0..s["n_trials"].as_u64().unwrap_or(0))
                    .map(|_| {
                        trial(&mut st, &names, &dists, |x| {
                            x.iter()
                                .enumerate()
                                .map(|(i, v)| (v - shift(i)).powi(2))
                                .sum()
                        })
                        .1
                    })
                    .collect();
                json!(times)
            })
            .collect();
        speed.insert(dim.to_string(), json!(runs));
    }
    println!(
        "{}",
        json!({"library": "edgetune (native)", "quality": quality, "speed": speed})
    );
}
