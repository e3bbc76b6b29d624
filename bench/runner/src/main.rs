//! Runs bench/'s config (JSON, first argument) with the native engine and prints the
//! results as JSON: regrets per function and seed, and elapsed seconds at checkpoints.

use std::time::Instant;

use edgetune_core::{Distribution, Outcome, SamplerConfig, Study, StudyConfig};
use edgetune_testfunctions::{mixed, FUNCTIONS, MIXED_CHOICES};
use serde_json::{json, Value};

fn sampler(name: &str) -> SamplerConfig {
    SamplerConfig::parse(&json!(name))
        .unwrap_or_else(|e| panic!("bench config: {e}"))
        .0
}

/// Runs one study; calls `checkpoint(n)` after the n-th trial. Returns the best value.
fn run(
    name: &str,
    dim: usize,
    sampler_name: &str,
    seed: u64,
    n_trials: usize,
    mut checkpoint: impl FnMut(usize),
) -> f64 {
    let config = StudyConfig::new("bench")
        .with_sampler(sampler(sampler_name))
        .with_seed(seed);
    let mut study = Study::create(config).expect("valid config");
    if name == "mixed" {
        let x = Distribution::float(-5.0, 5.0, false, None).unwrap();
        let lr = Distribution::float(1e-5, 1.0, true, None).unwrap();
        let n = Distribution::int(1, 20, false, 1).unwrap();
        let c = Distribution::categorical(MIXED_CHOICES.iter().map(|(c, _)| (*c).into()).collect())
            .unwrap();
        for i in 1..=n_trials {
            let t = study.ask().unwrap();
            let xv = study.suggest(t, "x", &x).unwrap().as_f64().unwrap();
            let lv = study.suggest(t, "lr", &lr).unwrap().as_f64().unwrap();
            let nv = study.suggest(t, "n", &n).unwrap().as_f64().unwrap() as i64;
            let cv = study.suggest(t, "c", &c).unwrap();
            let cv = match &cv {
                edgetune_core::ParamValue::Str(s) => s.clone(),
                other => other.to_string(),
            };
            study
                .tell(t, Outcome::value(mixed(xv, lv, nv, &cv)))
                .unwrap();
            checkpoint(i);
        }
    } else {
        let f = FUNCTIONS
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("unknown function {name}"));
        let d = Distribution::float(f.low, f.high, false, None).unwrap();
        let names: Vec<String> = (0..dim).map(|i| format!("x{i}")).collect();
        let mut x = vec![0.0; dim];
        for i in 1..=n_trials {
            let t = study.ask().unwrap();
            for (j, p) in names.iter().enumerate() {
                x[j] = study.suggest(t, p, &d).unwrap().as_f64().unwrap();
            }
            study.tell(t, Outcome::value((f.eval)(&x))).unwrap();
            checkpoint(i);
        }
    }
    study.best_trial().unwrap().value().unwrap()
}

fn optimum(name: &str, dim: usize) -> f64 {
    FUNCTIONS
        .iter()
        .find(|f| f.name == name)
        .map_or(0.0, |f| (f.optimum)(dim))
}

fn main() {
    let config: Value = serde_json::from_str(
        &std::env::args()
            .nth(1)
            .expect("usage: edgetune-bench CONFIG_JSON"),
    )
    .expect("config is JSON");
    let samplers: Vec<String> = serde_json::from_value(config["samplers"].clone()).unwrap();
    let q = &config["quality"];
    let s = &config["speed"];
    let mut quality = serde_json::Map::new();
    let mut speed = serde_json::Map::new();
    for sampler_name in &samplers {
        let mut per_fn = serde_json::Map::new();
        for function in q["functions"].as_array().unwrap() {
            let name = function.as_str().unwrap();
            let dim = q["dim"].as_u64().unwrap() as usize;
            let regrets: Vec<f64> = q["seeds"]
                .as_array()
                .unwrap()
                .iter()
                .map(|seed| {
                    let best = run(
                        name,
                        dim,
                        sampler_name,
                        seed.as_u64().unwrap(),
                        q["n_trials"].as_u64().unwrap() as usize,
                        |_| {},
                    );
                    best - optimum(name, dim)
                })
                .collect();
            per_fn.insert(name.to_string(), json!(regrets));
        }
        quality.insert(sampler_name.clone(), Value::Object(per_fn));
        let checkpoints: Vec<usize> = serde_json::from_value(s["checkpoints"].clone()).unwrap();
        let runs: Vec<Vec<f64>> = s["seeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|seed| {
                let mut marks = Vec::new();
                let start = Instant::now();
                run(
                    s["function"].as_str().unwrap(),
                    s["dim"].as_u64().unwrap() as usize,
                    sampler_name,
                    seed.as_u64().unwrap(),
                    s["n_trials"].as_u64().unwrap() as usize,
                    |i| {
                        if checkpoints.contains(&i) {
                            marks.push(start.elapsed().as_secs_f64());
                        }
                    },
                );
                marks
            })
            .collect();
        speed.insert(sampler_name.clone(), json!(runs));
    }
    println!(
        "{}",
        json!({"library": "edgetune (native)", "quality": quality, "speed": speed})
    );
}
