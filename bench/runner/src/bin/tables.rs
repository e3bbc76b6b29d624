//! The native runner of `bench/run tables`: edgetune's samplers on the real HPO tables
//! that `bench/tables.py export` wrote (JSON, in the config's `dir`), each numeric grid
//! an ordinal integer and each string choice a categorical, as on Optuna's side. Prints,
//! per sampler, table and seed, the regret at each checkpoint.

use edgetune_bench::{checkpoints, list, study, trial};
use edgetune_core::{Distribution, ParamValue};
use serde_json::{json, Map, Value};

/// The sampler options of a name.
fn spec(sampler: &str) -> Value {
    match sampler {
        "tpe_univariate" => json!({"type": "tpe", "multivariate": false}),
        other => json!(other),
    }
}

/// The table `name` in `dir`: its parameters' names and distributions, every
/// configuration's loss in mixed-radix order, and the best loss.
fn table(dir: &str, name: &str) -> (Vec<String>, Vec<Distribution>, Vec<f64>, f64) {
    let path = format!("{dir}/{}.json", name.replace('/', "_"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let t: Value = serde_json::from_str(&text).expect("a table is JSON");
    let params = t["params"].as_array().expect("params");
    let names = params
        .iter()
        .map(|p| p["name"].as_str().expect("name").to_string())
        .collect();
    let dists = params
        .iter()
        .map(|p| {
            let n = p["n"].as_i64().expect("n");
            match p["kind"].as_str() {
                Some("int") => Distribution::int(0, n - 1, false, 1),
                _ => Distribution::categorical(
                    (0..n).map(|i| ParamValue::Str(format!("c{i}"))).collect(),
                ),
            }
            .expect("a table's space is valid")
        })
        .collect();
    let values = serde_json::from_value(t["values"].clone()).expect("values");
    (names, dists, values, t["best"].as_f64().expect("best"))
}

fn main() {
    let config: Value = serde_json::from_str(&std::env::args().nth(1).expect("config JSON"))
        .expect("the config is JSON");
    let dir = config["dir"].as_str().expect("dir");
    let cps = checkpoints(&config);
    let n = cps.iter().copied().max().unwrap_or(0);
    let first = config["first_seed"].as_u64().unwrap_or(0);
    let seeds = config["seeds"].as_u64().unwrap_or(0);
    let mut out = Map::new();
    for sampler in list(&config, "samplers") {
        let mut per_table = Map::new();
        for name in list(&config, "tables") {
            let (names, dists, values, best) = table(dir, name);
            let sizes: Vec<usize> = dists
                .iter()
                .map(|d| match d {
                    Distribution::Categorical { choices } => choices.len(),
                    Distribution::Int { low, high, .. } => (high - low + 1) as usize,
                    Distribution::Float { .. } => unreachable!("tables have no floats"),
                })
                .collect();
            let runs: Vec<Value> = (first..first + seeds)
                .map(|seed| {
                    let mut s = study(&spec(sampler), seed, 1);
                    let (mut low, mut at) = (f64::INFINITY, Map::new());
                    for i in 1..=n {
                        let (v, _) = trial(&mut s, &names, &dists, |x| {
                            let index = x
                                .iter()
                                .zip(&sizes)
                                .fold(0, |acc, (k, size)| acc * size + *k as usize);
                            vec![values[index]]
                        });
                        low = low.min(v[0]);
                        if cps.contains(&i) {
                            at.insert(i.to_string(), json!(low - best));
                        }
                    }
                    Value::Object(at)
                })
                .collect();
            per_table.insert(name.to_string(), json!(runs));
        }
        out.insert(sampler.to_string(), Value::Object(per_table));
    }
    println!("{}", Value::Object(out));
}
