//! What the native bench runners share: the benchmark spaces as distributions, and one
//! timed ask + suggest + tell.

use std::time::Instant;

use edgetune_core::{Distribution, Outcome, ParamValue, Study};
use edgetune_testfunctions::Param;

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
