//! Log expected hypervolume improvement for several objectives, as Optuna's `LogEHVI`:
//! the improvement region (what no observed point dominates, below the reference
//! point) is cut into boxes, and the improvement of a posterior sample is the volume
//! of the boxes it dominates. The expectation is a quasi-Monte-Carlo mean over fixed
//! normal samples, and every factor is floored at 1e-12 so the log stays smooth.
//!
//! Boxes come from slicing along the last objective and recursing (exact; O(F^(m-1))
//! boxes for F front points in m objectives). Optuna uses Lacour et al.'s algorithm.

use crate::fastexp::ln_all;
use crate::rng::Rng;

use super::regressor::Gp;

const FLOOR: f64 = 1e-12;
const STABILIZING_NOISE: f64 = 1e-12;

/// An axis-aligned box in loss space; `lower` may hold -inf.
#[derive(Clone, Debug, PartialEq)]
struct Box {
    lower: Vec<f64>,
    upper: Vec<f64>,
}

/// Boxes covering the region below `reference` that no point of `points` (losses)
/// weakly dominates.
fn improvement_boxes(points: &[Vec<f64>], reference: &[f64]) -> Vec<Box> {
    let m = reference.len();
    if m == 1 {
        let top = points.iter().map(|p| p[0]).fold(reference[0], f64::min);
        return vec![Box {
            lower: vec![f64::NEG_INFINITY],
            upper: vec![top],
        }];
    }
    let inside: Vec<&Vec<f64>> = points
        .iter()
        .filter(|p| p.iter().zip(reference).all(|(a, r)| a < r))
        .collect();
    let mut levels: Vec<f64> = inside.iter().map(|p| p[m - 1]).collect();
    crate::sort::sort_by(&mut levels, f64::total_cmp);
    levels.dedup();
    let mut boxes = Vec::new();
    // Below the lowest level nothing dominates: the whole projection is open.
    let first = levels.first().copied().unwrap_or(reference[m - 1]);
    let mut lower = vec![f64::NEG_INFINITY; m];
    let mut upper = reference.to_vec();
    upper[m - 1] = first;
    boxes.push(Box { lower, upper });
    for (i, &level) in levels.iter().enumerate() {
        let next = levels.get(i + 1).copied().unwrap_or(reference[m - 1]);
        let below: Vec<Vec<f64>> = inside
            .iter()
            .filter(|p| p[m - 1] <= level)
            .map(|p| p[..m - 1].to_vec())
            .collect();
        for b in improvement_boxes(&below, &reference[..m - 1]) {
            lower = b.lower;
            upper = b.upper;
            lower.push(level);
            upper.push(next);
            boxes.push(Box { lower, upper });
        }
    }
    boxes.retain(|b| b.lower.iter().zip(&b.upper).all(|(l, u)| l < u));
    boxes
}

/// Optuna's reference point: 1.1 × the worst loss (0.9 × when negative), nudged up.
fn reference_point(losses: &[Vec<f64>]) -> Vec<f64> {
    let m = losses[0].len();
    (0..m)
        .map(|j| {
            let worst = losses
                .iter()
                .map(|l| l[j])
                .fold(f64::NEG_INFINITY, f64::max);
            let r = (1.1 * worst).max(0.9 * worst);
            r + r.abs() * f64::EPSILON + f64::MIN_POSITIVE
        })
        .collect()
}

/// The improvement boxes of scores `y` (larger is better) below the loss `reference`,
/// in score space: (lower corner, side lengths) per box, sides possibly infinite.
pub(super) fn score_boxes(y: &[Vec<f64>], reference: &[f64]) -> Vec<(Vec<f64>, Vec<f64>)> {
    let losses: Vec<Vec<f64>> = y.iter().map(|r| r.iter().map(|v| -v).collect()).collect();
    // Loss box [l, u] is score box [-u, -l].
    improvement_boxes(&losses, reference)
        .into_iter()
        .map(|b| {
            let lower: Vec<f64> = b.upper.iter().map(|u| -u).collect();
            let interval = b
                .lower
                .iter()
                .zip(&lower)
                .map(|(l, lo)| (-l - lo).max(FLOOR))
                .collect();
            (lower, interval)
        })
        .collect()
}

/// Optuna's reference point for scores `y` (larger is better), as losses.
pub(super) fn score_reference(y: &[Vec<f64>]) -> Vec<f64> {
    let losses: Vec<Vec<f64>> = y.iter().map(|r| r.iter().map(|v| -v).collect()).collect();
    reference_point(&losses)
}

/// Log EHVI of one GP per objective (each predicting a score, larger is better).
pub(super) struct LogEhvi<'a> {
    gps: &'a [Gp],
    /// Boxes in score space: (lower, interval) per box, intervals possibly infinite.
    boxes: Vec<(Vec<f64>, Vec<f64>)>,
    /// Fixed standard normal samples, one row per sample, one column per objective.
    samples: Vec<Vec<f64>>,
}

impl<'a> LogEhvi<'a> {
    /// For observed scores `y` (rows) of the feasible trials, with `n_samples` QMC
    /// normal samples drawn with `rng`.
    pub fn new(gps: &'a [Gp], y: &[Vec<f64>], n_samples: usize, rng: &mut Rng) -> LogEhvi<'a> {
        let m = gps.len();
        let boxes = score_boxes(y, &score_reference(y));
        let samples = super::normal_sobol(m, n_samples, rng).expect("few objectives");
        LogEhvi {
            gps,
            boxes,
            samples,
        }
    }

    /// The value at `x`, and its gradient when `grad` is asked for.
    pub fn evaluate(&self, x: &[f64], grad: bool) -> (f64, Vec<f64>) {
        let m = self.gps.len();
        let d = x.len();
        let mut means = Vec::with_capacity(m);
        let mut sigmas = Vec::with_capacity(m);
        let mut dmeans = Vec::with_capacity(m);
        let mut dsigmas = Vec::with_capacity(m);
        for gp in self.gps {
            if grad {
                let (mean, var, dm, dv) = gp.posterior_grad(x);
                let sigma = (var + STABILIZING_NOISE).sqrt();
                means.push(mean);
                sigmas.push(sigma);
                dmeans.push(dm);
                dsigmas.push(dv.iter().map(|v| v / (2.0 * sigma)).collect::<Vec<f64>>());
            } else {
                let (mean, var) = gp.posterior(x);
                means.push(mean);
                sigmas.push((var + STABILIZING_NOISE).sqrt());
            }
        }
        // log Σ_{s,b} Π_j clamp(Y_sj - lower_bj, FLOOR, interval_bj), by log-sum-exp.
        // The logarithms of one sample's factors over every box go through one
        // vectorised `ln_all` pass (bit for bit `libm::log`).
        let mut terms = Vec::with_capacity(self.samples.len() * self.boxes.len());
        let mut sample_y = vec![0.0; m];
        let mut factors = Vec::with_capacity(self.boxes.len() * m);
        let mut logs = Vec::with_capacity(self.boxes.len() * m);
        for z in &self.samples {
            for j in 0..m {
                sample_y[j] = means[j] + sigmas[j] * z[j];
            }
            factors.clear();
            for (lower, interval) in &self.boxes {
                factors.extend((0..m).map(|j| (sample_y[j] - lower[j]).clamp(FLOOR, interval[j])));
            }
            ln_all(&factors, &mut logs);
            terms.extend(logs.chunks(m).map(|box_logs| box_logs.iter().sum::<f64>()));
        }
        let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = terms.iter().map(|t| libm::exp(t - top)).collect();
        let total: f64 = weights.iter().sum();
        let value = top + libm::log(total) - libm::log(self.samples.len() as f64);
        if !grad {
            return (value, Vec::new());
        }
        let mut g = vec![0.0; d];
        let mut at = 0;
        for z in &self.samples {
            for j in 0..m {
                sample_y[j] = means[j] + sigmas[j] * z[j];
            }
            for (lower, interval) in &self.boxes {
                let w = weights[at] / total;
                at += 1;
                if w == 0.0 {
                    continue;
                }
                for j in 0..m {
                    let diff = sample_y[j] - lower[j];
                    if diff > FLOOR && diff < interval[j] {
                        for (gk, (dm, ds)) in g.iter_mut().zip(dmeans[j].iter().zip(&dsigmas[j])) {
                            *gk += w / diff * (dm + z[j] * ds);
                        }
                    }
                }
            }
        }
        (value, g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volume(boxes: &[Box], y: &[f64]) -> f64 {
        boxes
            .iter()
            .map(|b| {
                b.upper
                    .iter()
                    .zip(&b.lower)
                    .zip(y)
                    .map(|((u, l), v)| (u - l.max(*v)).max(0.0))
                    .product::<f64>()
            })
            .sum()
    }

    #[test]
    fn box_volumes_are_hypervolume_improvements() {
        use crate::multi_objective::hypervolume;
        let front = vec![
            vec![1.0, 3.0, 2.0],
            vec![2.0, 1.0, 3.0],
            vec![3.0, 2.0, 1.0],
            vec![2.5, 2.5, 2.5],
        ];
        let reference = [4.0, 4.0, 4.0];
        let boxes = improvement_boxes(&front, &reference);
        let base = hypervolume(&front, &reference);
        for y in [
            [0.5, 0.5, 0.5],
            [1.5, 1.5, 1.5],
            [2.0, 2.0, 3.5],
            [3.5, 0.2, 3.9],
        ] {
            let mut with = front.clone();
            with.push(y.to_vec());
            let expected = hypervolume(&with, &reference) - base;
            assert!((volume(&boxes, &y) - expected).abs() < 1e-9, "{y:?}");
        }
        let two = improvement_boxes(&[vec![1.0, 2.0], vec![2.0, 1.0]], &[3.0, 3.0]);
        assert!((volume(&two, &[0.0, 0.0]) - (9.0 - 3.0)).abs() < 1e-12);
    }
}
