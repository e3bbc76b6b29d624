//! The regret bound of the best trial, as Optuna's `RegretBoundEvaluator` (Makarova
//! et al. 2022, "Automatic Termination for Hyperparameter Optimization").
//!
//! The top `max(⌊n · ratio⌋, min_n)` COMPLETE trials (all of them below that) are
//! standardized and fitted by the GP. With β = 2 ln(d · n² · π² / 6 / δ) / 5 and
//! δ = 0.1, the bound is max UCB (over the top points and 2048 scrambled-Sobol points)
//! minus max LCB (over the top points), scaled back by the top values' standard
//! deviation.
//!
//! Cost: O(I · n³) for the fit, then O(2048 · n · d).

use crate::distributions::Distribution;
use crate::rng;
use crate::samplers::qmc::Sobol;
use crate::search_space::IntersectionSearchSpace;
use crate::trial::FrozenTrial;
use crate::view::StudyView;

use super::regressor::Gp;
use super::{dim, normalize, EPS};

/// Optuna's UCB sample count.
const SAMPLES: usize = 2048;

/// The regret bound and the standard deviation of the top values, or None when no
/// parameter is shared by every COMPLETE trial.
pub(crate) fn regret_bound(
    view: &StudyView<'_>,
    top_trials_ratio: f64,
    min_n_trials: usize,
    seed: u64,
) -> Option<(f64, f64)> {
    let complete: Vec<&FrozenTrial> = view.completed().collect();
    let mut intersection = IntersectionSearchSpace::default();
    for trial in &complete {
        intersection.add(trial);
    }
    let space = intersection.sampled(|_| true);
    if space.is_empty() || complete.is_empty() {
        return None;
    }
    let sign = if view.directions[0].better(1.0, 0.0) {
        1.0
    } else {
        -1.0
    };
    let values: Vec<f64> = complete
        .iter()
        .map(|t| sign * t.value().unwrap_or(f64::NAN))
        .collect();
    let n = values.len();
    let top_n = ((n as f64 * top_trials_ratio) as usize).clamp(min_n_trials.min(n), n);
    let mut sorted = values.clone();
    sorted.sort_unstable_by(f64::total_cmp);
    let cut = sorted[n - top_n];
    let top: Vec<usize> = (0..n).filter(|&i| values[i] >= cut).collect();
    let params = &space.0;
    let x: Vec<Vec<f64>> = top
        .iter()
        .map(|&i| {
            params
                .iter()
                .map(|p| normalize(&p.distribution, complete[i].params[&p.name]))
                .collect()
        })
        .collect();
    let top_values: Vec<f64> = top.iter().map(|&i| values[i]).collect();
    let mean = top_values.iter().sum::<f64>() / top.len() as f64;
    let std = (top_values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / top.len() as f64)
        .sqrt()
        .max(EPS);
    let y: Vec<f64> = top_values.iter().map(|v| (v - mean) / std).collect();
    let categorical: Vec<bool> = params
        .iter()
        .map(|p| matches!(p.distribution, Distribution::Categorical { .. }))
        .collect();
    let (gp, _) = Gp::fit(x.clone(), y, categorical, None, false);
    let d = params.len() as f64;
    let pi2 = std::f64::consts::PI * std::f64::consts::PI;
    let beta = 2.0 * libm::log(d * (top.len() as f64).powi(2) * pi2 / 6.0 / 0.1) / 5.0;
    let bounds = |points: &[Vec<f64>]| -> (f64, f64) {
        gp.posteriors(points).into_iter().fold(
            (f64::NEG_INFINITY, f64::NEG_INFINITY),
            |(u, l), (m, var)| {
                let width = (beta * var).sqrt();
                (u.max(m + width), l.max(m - width))
            },
        )
    };
    let (ucb_top, lcb_top) = bounds(&x);
    let dims: Vec<_> = params.iter().map(|p| dim(&p.distribution)).collect();
    let mut rng = rng::named_rng(seed, "regret_bound");
    let samples: Vec<Vec<f64>> = match Sobol::new(dims.len().min(256), Some(&mut rng)) {
        Ok(sobol) if dims.len() <= 256 => sobol.points(SAMPLES),
        _ => (0..SAMPLES)
            .map(|_| dims.iter().map(|_| rng::uniform01(&mut rng)).collect())
            .collect(),
    };
    let samples: Vec<Vec<f64>> = samples
        .into_iter()
        .map(|u| dims.iter().zip(u).map(|(dim, u)| dim.snap(u)).collect())
        .collect();
    let (ucb_samples, _) = bounds(&samples);
    Some(((ucb_top.max(ucb_samples) - lcb_top) * std, std))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Outcome, Study, StudyConfig};

    fn study(values: impl Fn(f64) -> f64, n: usize) -> Study {
        let mut study = Study::create(StudyConfig::new("r").with_seed(3)).unwrap();
        study
            .optimize(n, |t| {
                Outcome::value(values(t.suggest_float("x", -1.0, 1.0).unwrap()))
            })
            .unwrap();
        study
    }

    #[test]
    fn the_bound_is_positive_and_tighter_on_a_flat_function() {
        let steep = study(|x| 100.0 * x * x, 30);
        let (bound, std) = regret_bound(&steep.view(), 0.5, 20, 0).unwrap();
        assert!(bound > 0.0 && std > 0.0, "{bound} {std}");
        let flat = study(|x| 1e-6 * x * x, 30);
        let (flat_bound, _) = regret_bound(&flat.view(), 0.5, 20, 0).unwrap();
        assert!(flat_bound < bound, "{flat_bound} !< {bound}");
    }
}
