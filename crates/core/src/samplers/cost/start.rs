//! A cost-effective initial design, after the one of CArBO (Lee et al. 2020, "Cost-aware
//! Bayesian Optimization"): while a cost-aware sampler is still in its startup phase,
//! its trials should cover the space, as the usual random ones do, but spend less on
//! doing so.
//!
//! Each startup point is the best of [`CANDIDATES`] uniform draws by the unexplored
//! volume it opens per unit of estimated cost: `d · ln r(x) − α · ln ĉ(x)`, with `r(x)`
//! the normalized distance to the nearest trial already asked (finished or running),
//! `d` the number of parameters, `ĉ` the [`CostModel`] estimate and `α` the cost
//! cooling (the share of the budget left). Without costs to fit (fewer than two
//! finished trials with one) the design is plain random, as before.
//!
//! Cost: O(C · (n + m) · d) for C candidates, n trials and m model points.

use std::collections::BTreeMap;

use crate::distributions::{Distribution, SearchSpace};
use crate::rng::Rng;
use crate::samplers::gp::normalize;
use crate::samplers::{draw_uniform, Relative};
use crate::trial::FrozenTrial;
use crate::view::StudyView;

use super::model::CostModel;

/// Uniform candidates drawn per startup point.
const CANDIDATES: usize = 32;

/// A cost-aware sampler's startup trial: the design's point over `space` as relative
/// values, or none where random startup stands (no costs to fit, or an empty space).
pub(crate) fn relative(
    view: &StudyView<'_>,
    trial: &FrozenTrial,
    space: &SearchSpace,
    rng: &mut Rng,
) -> Relative {
    let params: Vec<(&String, &Distribution)> =
        space.0.iter().map(|p| (&p.name, &p.distribution)).collect();
    cheap_spread(view, trial, &params, rng)
        .map(Relative::values)
        .unwrap_or_default()
}

/// The startup point over `space`, or None where random startup stands.
fn cheap_spread(
    view: &StudyView<'_>,
    trial: &FrozenTrial,
    space: &[(&String, &Distribution)],
    rng: &mut Rng,
) -> Option<BTreeMap<String, f64>> {
    if space.is_empty() {
        return None;
    }
    let model = CostModel::fit(view, space)?;
    let asked: Vec<Vec<f64>> = view
        .trials
        .iter()
        .filter(|t| t.number != trial.number)
        .filter_map(|t| {
            space
                .iter()
                .map(|(name, d)| Some(normalize(d, t.point_value(name)?)))
                .collect()
        })
        .collect();
    let dims = space.len() as f64;
    let mut best: Option<(f64, Vec<f64>)> = None;
    for _ in 0..CANDIDATES {
        let internal: Vec<f64> = space.iter().map(|(_, d)| draw_uniform(d, rng)).collect();
        let x: Vec<f64> = space
            .iter()
            .zip(&internal)
            .map(|((_, d), v)| normalize(d, *v))
            .collect();
        let nearest = asked
            .iter()
            .map(|p| squared_distance(space, p, &x))
            .fold(f64::INFINITY, f64::min);
        let score =
            dims * 0.5 * libm::log(nearest) - view.cost_cooling * model.log_cost(space, &internal);
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, internal));
        }
    }
    let (_, point) = best?;
    Some(crate::sort::collect_map(
        space
            .iter()
            .zip(point)
            .map(|((name, _), v)| ((*name).clone(), v)),
    ))
}

/// The squared distance of normalized points; differing categories count 1.
fn squared_distance(space: &[(&String, &Distribution)], a: &[f64], b: &[f64]) -> f64 {
    space
        .iter()
        .zip(a.iter().zip(b))
        .map(|((_, d), (x, y))| match d {
            Distribution::Categorical { .. } => f64::from(u8::from(x != y)),
            _ => (x - y) * (x - y),
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use crate::samplers::SamplerConfig;
    use crate::{Outcome, Study, StudyConfig};

    /// The mean x and the smallest distance between points of the startup trials of
    /// a cost-aware or plain sampler, on a cost of 1 + 99x.
    fn startup(kind: &str, cost_aware: bool, seed: u64) -> (f64, f64) {
        let sampler =
            SamplerConfig::parse(&serde_json::json!({"type": kind, "cost_aware": cost_aware}))
                .unwrap()
                .0;
        let mut study = Study::create(
            StudyConfig::new("start")
                .with_seed(seed)
                .with_sampler(sampler)
                .with_cost_budget(1e6),
        )
        .unwrap();
        let mut points: Vec<(f64, f64)> = Vec::new();
        for _ in 0..10 {
            let mut trial = study.ask_trial().unwrap();
            let x = trial.suggest_float("x", 0.0, 1.0).unwrap();
            let y = trial.suggest_float("y", 0.0, 1.0).unwrap();
            let n = trial.number();
            study
                .tell_with_cost(n, Outcome::value(y), Some(1.0 + 99.0 * x))
                .unwrap();
            points.push((x, y));
        }
        let later = &points[2..];
        let mean = later.iter().map(|p| p.0).sum::<f64>() / later.len() as f64;
        let mut nearest = f64::INFINITY;
        for (i, a) in points.iter().enumerate() {
            for b in &points[..i] {
                nearest = nearest.min(((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt());
            }
        }
        (mean, nearest)
    }

    #[test]
    fn cost_aware_startup_is_cheaper_and_still_spread() {
        for kind in ["tpe", "gp"] {
            let (mut cheap, mut plain) = (0.0, 0.0);
            for seed in 0..8 {
                let (mean, nearest) = startup(kind, true, seed);
                assert!(nearest > 0.01, "{kind} seed {seed}: points {nearest} apart");
                cheap += mean / 8.0;
                plain += startup(kind, false, seed).0 / 8.0;
            }
            assert!(
                cheap < plain - 0.1,
                "{kind}: mean x {cheap} against {plain}"
            );
        }
    }
}
