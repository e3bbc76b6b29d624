//! The native edgetune runner of bench/: runs the config (JSON, first argument) and
//! prints JSON results. Quality: per sampler, problem and seed, the regret of the best
//! value at each checkpoint and the mean best-so-far regret up to it (the area under
//! the curve). Speed: seconds of each trial's ask + suggest + tell, per space and seed.

use edgetune_bench::{shifted_sphere, single_objective, study, trial};
use edgetune_core::Distribution;
use serde_json::{json, Map, Value};

fn main() {
    let config: Value = serde_json::from_str(
        &std::env::args()
            .nth(1)
            .expect("usage: edgetune-bench CONFIG"),
    )
    .expect("config is JSON");
    let quality = single_objective(&config["quality"], |name| json!(name));
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
                let mut st = study(&json!("tpe"), seed.as_u64().unwrap_or(0), 1);
                let times: Vec<f64> = (0..s["n_trials"].as_u64().unwrap_or(0))
                    .map(|_| trial(&mut st, &names, &dists, |x| vec![shifted_sphere(x)]).1)
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
