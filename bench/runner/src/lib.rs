//! What the native bench runners share: the benchmark spaces as distributions, one
//! timed ask + suggest + tell, and the single-objective quality section.

use std::time::Instant;

use edgetune_core::{
    Direction, Distribution, Outcome, ParamValue, SamplerConfig, Study, StudyConfig,
};
use edgetune_testfunctions::{shift, Param, PROBLEMS};
use serde_json::{json, Map, Value};

/// A study of `objectives` minimised objectives with the sampler `spec` (a name or an
/// options object).
pub fn study(spec: &Value, seed: u64, objectives: usize) -> Study {
    let (config, _) = SamplerConfig::parse(spec).expect("known sampler");
    Study::create(
        StudyConfig::new("bench")
            .with_sampler(config)
            .with_seed(seed)
            .with_directions(vec![Direction::Minimize; objectives]),
    )
    .expect("valid")
}

/// The strings listed under `key`.
pub fn list<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a str> {
    v[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// The checkpoints of a section.
pub fn checkpoints(v: &Value) -> Vec<usize> {
    serde_json::from_value(v["checkpoints"].clone()).unwrap_or_default()
}

/// `n`, or the section's `max_trials` for `sampler` when lower.
pub fn capped(v: &Value, sampler: &str, n: usize) -> usize {
    v["max_trials"][sampler]
        .as_u64()
        .map_or(n, |cap| n.min(cap as usize))
}

/// The shifted sphere of the speed sections.
pub fn shifted_sphere(x: &[f64]) -> f64 {
    x.iter()
        .enumerate()
        .map(|(i, v)| (v - shift(i)).powi(2))
        .sum()
}

/// The single-objective quality section: per sampler (made by `spec` from its name),
/// problem and seed, the regret of the best value and the mean best-so-far regret (the
/// area under the curve) at each checkpoint.
pub fn single_objective(q: &Value, spec: impl Fn(&str) -> Value) -> Value {
    let cps = checkpoints(q);
    let last = cps.iter().copied().max().unwrap_or(0);
    let mut out = Map::new();
    for sampler in list(q, "samplers") {
        let n = capped(q, sampler, last);
        let mut per_problem = Map::new();
        for name in list(q, "problems") {
            let p = PROBLEMS
                .iter()
                .find(|p| p.name == name)
                .expect("known problem");
            let names: Vec<String> = (0..p.params.len()).map(|i| format!("x{i}")).collect();
            let dists: Vec<Distribution> = p.params.iter().map(distribution).collect();
            let runs: Vec<Value> = (0..q["seeds"].as_u64().unwrap_or(0))
                .map(|seed| {
                    let mut s = study(&spec(sampler), seed, 1);
                    let (mut best, mut area, mut at) = (f64::INFINITY, 0.0, Map::new());
                    for i in 1..=n {
                        let (v, _) = trial(&mut s, &names, &dists, |x| vec![(p.eval)(x)]);
                        best = best.min(v[0]);
                        area += best - p.optimum;
                        if cps.contains(&i) {
                            at.insert(
                                i.to_string(),
                                json!({"regret": best - p.optimum, "auc": area / i as f64}),
                            );
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

/// The distribution of a benchmark parameter (categoricals as choices `c0`, `c1`, ...).
pub fn distribution(p: &Param) -> Distribution {
    match *p {
        Param::Float { low, high, log } => Distribution::float(low, high, log, None),
        Param::Int { low, high } => Distribution::int(low, high, false, 1),
        Param::Categorical { n } => {
            Distribution::categorical((0..n).map(|i| ParamValue::Str(format!("c{i}"))).collect())
        }
    }
    .expect("benchmark spaces are valid")
}

/// One trial: ask, suggest every parameter, tell the values of `f`. Returns (values,
/// seconds spent in the engine, objective excluded).
pub fn trial(
    s: &mut Study,
    names: &[String],
    dists: &[Distribution],
    f: impl Fn(&[f64]) -> Vec<f64>,
) -> (Vec<f64>, f64) {
    let start = Instant::now();
    let n = s.ask().expect("ask");
    let x: Vec<f64> = names
        .iter()
        .zip(dists)
        .map(|(name, d)| match s.suggest(n, name, d).expect("suggest") {
            ParamValue::Str(c) => c[1..].parse().expect("choice index"),
            v => v.as_f64().expect("number"),
        })
        .collect();
    let engine = start.elapsed().as_secs_f64();
    let values = f(&x);
    let start = Instant::now();
    s.tell(n, Outcome::Values(values.clone())).expect("tell");
    (values, engine + start.elapsed().as_secs_f64())
}
