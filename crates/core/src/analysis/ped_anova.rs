//! PED-ANOVA parameter importance (Optuna 5's default evaluator): how much each
//! parameter's distribution among the top-`target_quantile` trials differs (Pearson
//! divergence) from its distribution among the `region_quantile` trials, each fitted
//! by a Scott's-rule Parzen estimator on a grid of at most 50 cells. Parameters that
//! occur under several distributions (conditional spaces) are split into regimes, as
//! Optuna's conditional PED-ANOVA.
//!
//! Cost: O(n log n) to pick the quantiles, then O(n + g·k) per parameter for a grid of
//! g cells and k occupied cells.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::direction::Direction;
use crate::distributions::Distribution;
use crate::error::{Error, Result};
use crate::samplers::tpe::truncnorm::log_gauss_mass;
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

/// Options of PED-ANOVA, with Optuna's defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PedAnovaOptions {
    /// The top share of trials whose parameters are compared (0.1).
    pub target_quantile: f64,
    /// The share of trials they are compared against (1.0: all).
    pub region_quantile: f64,
    /// Compare against the region's own distribution (true) or the uniform one.
    pub evaluate_on_local: bool,
}

impl Default for PedAnovaOptions {
    fn default() -> Self {
        PedAnovaOptions {
            target_quantile: 0.1,
            region_quantile: 1.0,
            evaluate_on_local: true,
        }
    }
}

const N_STEPS: usize = 50;
const PRIOR_WEIGHT: f64 = 1.0;
const MIN_TRIALS_IN_REGIME: usize = 2;

/// The importance of each parameter of the COMPLETE trials, normalised to sum to 1
/// (equal when nothing can be told apart), sorted from the most important.
pub fn ped_anova(view: &StudyView<'_>, options: &PedAnovaOptions) -> Result<Vec<(String, f64)>> {
    let (tq, rq) = (options.target_quantile, options.region_quantile);
    if !(0.0 < tq && tq < rq && rq <= 1.0) {
        return Err(Error::invalid(
            "target_quantile",
            "0 < target_quantile < region_quantile <= 1 must hold",
        ));
    }
    let complete: Vec<&FrozenTrial> = view
        .trials_in(&[TrialState::Complete])
        .filter(|t| {
            t.values
                .as_ref()
                .is_some_and(|v| v.iter().all(|x| x.is_finite()))
        })
        .collect();
    let params: Vec<String> = {
        let mut names: Vec<String> = view
            .trials_in(&[TrialState::Complete])
            .flat_map(|t| t.params.keys().map(str::to_string))
            .collect();
        crate::sort::sort_by(&mut names, Ord::cmp);
        names.dedup();
        names
    };
    let mut importances: BTreeMap<String, f64> =
        crate::sort::collect_map(params.iter().map(|p| (p.clone(), 0.0)));
    if complete.len() > 1 {
        let target = top_quantile(view, &complete, tq);
        let region = top_quantile(view, &complete, rq);
        if !target.is_empty() {
            let in_target = crate::sort::collect_set(target.iter().map(|t| t.number));
            let quantile = target.len() as f64 / region.len() as f64;
            for name in &params {
                let mut regimes: BTreeMap<
                    Option<String>,
                    (Option<&Distribution>, Vec<&FrozenTrial>),
                > = BTreeMap::new();
                for t in &region {
                    let d = t.params.distribution(name);
                    let key = d.map(|d| serde_json::to_string(d).unwrap_or_default());
                    regimes.entry(key).or_insert((d, Vec::new())).1.push(t);
                }
                let mut total = 0.0;
                for (dist, trials) in regimes.values() {
                    if trials.len() < MIN_TRIALS_IN_REGIME {
                        continue;
                    }
                    let Some(dist) = dist else { continue };
                    let top: Vec<&FrozenTrial> = trials
                        .iter()
                        .copied()
                        .filter(|t| in_target.contains(&t.number))
                        .collect();
                    if dist.is_single() || top.is_empty() {
                        continue;
                    }
                    let alpha = top.len() as f64 / target.len() as f64;
                    let beta = trials.len() as f64 / region.len() as f64;
                    total += alpha * alpha / beta
                        * pearson_divergence(name, dist, &top, trials, options.evaluate_on_local);
                }
                importances.insert(name.clone(), total * quantile * quantile);
            }
        }
    }
    Ok(crate::analysis::normalized_ranking(importances))
}

/// The best `quantile` share of `trials` (Optuna's `_QuantileFilter`; ties at the
/// cutoff are kept), or, with several objectives, the TPE split's good group.
fn top_quantile<'a>(
    view: &StudyView<'_>,
    trials: &[&'a FrozenTrial],
    quantile: f64,
) -> Vec<&'a FrozenTrial> {
    if quantile >= 1.0 {
        return trials.to_vec();
    }
    let n_below = (quantile * trials.len() as f64).ceil() as usize;
    if view.directions.len() > 1 {
        let numbers: Vec<u64> = trials.iter().map(|t| t.number).collect();
        let (below, _) = crate::samplers::tpe::split::split_multi(view, &numbers, n_below);
        let keep = crate::sort::collect_set(below);
        return trials
            .iter()
            .copied()
            .filter(|t| keep.contains(&t.number))
            .collect();
    }
    let sign = match view.directions[0] {
        Direction::Minimize => 1.0,
        Direction::Maximize => -1.0,
    };
    let losses: Vec<f64> = trials
        .iter()
        .map(|t| sign * t.values.as_ref().map_or(0.0, |v| v[0]))
        .collect();
    let mut sorted = losses.clone();
    crate::sort::sort_by(&mut sorted, f64::total_cmp);
    let cutoff = sorted[n_below.max(1) - 1];
    trials
        .iter()
        .zip(&losses)
        .filter(|(_, l)| **l <= cutoff)
        .map(|(t, _)| *t)
        .collect()
}

/// Occupancy counts of a parameter on its grid (Optuna's `_count_*_param_in_grid`).
fn grid_counts(name: &str, dist: &Distribution, trials: &[&FrozenTrial]) -> Vec<f64> {
    let values = trials.iter().filter_map(|t| t.params.get(name));
    match dist {
        Distribution::Categorical { choices } => {
            let mut counts = vec![0.0; choices.len()];
            for v in values {
                counts[v as usize] += 1.0;
            }
            counts
        }
        Distribution::Float { .. } | Distribution::Int { .. } => {
            let (low, high, log, step) = dist
                .numeric_range()
                .expect("float and int distributions are numeric");
            let mut n_steps = N_STEPS;
            if matches!(dist, Distribution::Int { log: true, .. }) {
                let log2_size = (libm::log(high - low + 1.0) / libm::log(2.0)).ceil() as usize + 1;
                n_steps = n_steps.min(log2_size);
            } else if let Some(step) = step {
                n_steps = n_steps.min(libm::round((high - low) / step) as usize + 1);
            }
            let (lo, hi) = if log {
                (libm::log(low), libm::log(high))
            } else {
                (low, high)
            };
            let step_size = (hi - lo) / (n_steps - 1) as f64;
            let mut counts = vec![0.0; n_steps];
            for v in values {
                let v = if log { libm::log(v) } else { v };
                let i = libm::ceil((v - lo) / step_size - 0.5).clamp(0.0, (n_steps - 1) as f64);
                counts[i as usize] += 1.0;
            }
            counts
        }
    }
}

/// Scott's-rule Parzen estimator on a grid: the probability of each cell.
fn grid_pdf(counts: &[f64], categorical: bool) -> Vec<f64> {
    let size = counts.len();
    let obs: Vec<(f64, f64)> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0.0)
        .map(|(i, c)| (i as f64, *c))
        .collect();
    let mut weights: Vec<f64> = obs.iter().map(|o| o.1).collect();
    if obs.is_empty() {
        weights = vec![1.0];
    } else {
        weights.push(PRIOR_WEIGHT);
    }
    let total: f64 = weights.iter().sum();
    weights.iter_mut().for_each(|w| *w /= total);
    let mut pdf = vec![0.0; size];
    if categorical {
        let n_kernels = obs.len() + 1;
        for (x, slot) in pdf.iter_mut().enumerate() {
            let mut p = 0.0;
            if obs.is_empty() {
                p = 1.0 / size as f64;
            } else {
                for k in 0..n_kernels {
                    let base = PRIOR_WEIGHT / n_kernels as f64;
                    let row_sum = base * size as f64 + if k < obs.len() { 1.0 } else { 0.0 };
                    let hit = if k < obs.len() && obs[k].0 as usize == x {
                        1.0
                    } else {
                        0.0
                    };
                    p += weights[k] * (base + hit) / row_sum;
                }
            }
            *slot = p;
        }
        return pdf;
    }
    let (low, high) = (0.0, (size - 1) as f64);
    let mut mus: Vec<f64> = obs.iter().map(|o| o.0).collect();
    let mut sigmas = Vec::with_capacity(mus.len() + 1);
    if !obs.is_empty() {
        let w_sum: f64 = obs.iter().map(|o| o.1).sum();
        let mean = obs.iter().map(|(x, w)| x * w).sum::<f64>() / w_sum;
        let var = obs
            .iter()
            .map(|(x, w)| (x - mean) * (x - mean) * w)
            .sum::<f64>()
            / (w_sum - 1.0).max(1.0);
        let mut cum = Vec::with_capacity(obs.len());
        let mut acc = 0.0;
        for (_, w) in &obs {
            acc += w;
            cum.push(acc);
        }
        let q1_target = libm::floor(w_sum / 4.0);
        let q3_target = libm::floor(w_sum * 3.0 / 4.0);
        let q1 = cum.partition_point(|c| *c < q1_target);
        let q3 = cum.partition_point(|c| *c <= q3_target);
        let iqr = obs[q3.min(obs.len() - 1)].0 - obs[q1.min(obs.len() - 1)].0;
        let sigma = 1.059 * (iqr / 1.34).min(var.sqrt()) * libm::pow(w_sum, -0.2);
        let sigma = sigma.max(0.5 / 1.64);
        sigmas.extend(std::iter::repeat_n(sigma, obs.len()));
    }
    mus.push((low + high) / 2.0);
    sigmas.push(high - low + 1.0);
    let (a_low, a_high) = (low - 0.5, high + 0.5);
    for (x, p) in pdf.iter_mut().enumerate() {
        let x = x as f64;
        *p = mus
            .iter()
            .zip(&sigmas)
            .zip(&weights)
            .map(|((mu, sigma), w)| {
                let mass = log_gauss_mass((x - 0.5 - mu) / sigma, (x + 0.5 - mu) / sigma)
                    - log_gauss_mass((a_low - mu) / sigma, (a_high - mu) / sigma);
                w * libm::exp(mass)
            })
            .sum();
    }
    pdf
}

fn pearson_divergence(
    name: &str,
    dist: &Distribution,
    top: &[&FrozenTrial],
    region: &[&FrozenTrial],
    evaluate_on_local: bool,
) -> f64 {
    let categorical = matches!(dist, Distribution::Categorical { .. });
    let top_pdf = grid_pdf(&grid_counts(name, dist, top), categorical);
    let size = top_pdf.len();
    let local: Vec<f64> = if evaluate_on_local {
        grid_pdf(&grid_counts(name, dist, region), categorical)
            .into_iter()
            .map(|p| p + 1e-12)
            .collect()
    } else {
        vec![1.0 / size as f64; size]
    };
    top_pdf
        .iter()
        .zip(&local)
        .map(|(t, l)| {
            let r = (t + 1e-12) / l - 1.0;
            l * r * r
        })
        .sum()
}
