//! Optuna's `WilcoxonPruner`, with SciPy's `wilcoxon(d, alternative, zero_method="zsplit")`
//! p-value: the exact null distribution for n <= 50 without ties or zeros, an exact
//! sign-flip permutation test for n <= 13 otherwise, and the normal approximation (no
//! continuity correction, tie-corrected variance) beyond.

use serde::{Deserialize, Serialize};

use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::pruners::{Pruner, Pruning};
use crate::samplers::tpe::truncnorm::ndtr;
use crate::trial::FrozenTrial;
use crate::view::StudyView;

/// Options of the Wilcoxon pruner, with Optuna's defaults.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WilcoxonOptions {
    /// Prune when the p-value that the trial is no worse than the best is below this (0.1).
    pub p_threshold: f64,
    /// No pruning with fewer common steps than this (2; at least 2 in any case).
    pub n_startup_steps: u64,
}

impl Default for WilcoxonOptions {
    fn default() -> Self {
        WilcoxonOptions {
            p_threshold: 0.1,
            n_startup_steps: 2,
        }
    }
}

impl WilcoxonOptions {
    /// Checks the options.
    pub fn validated(self) -> Result<Self> {
        if !(0.0..=1.0).contains(&self.p_threshold) {
            return Err(Error::config(
                "p_threshold",
                format!("must be from 0 to 1, got {}", self.p_threshold),
            ));
        }
        Ok(self)
    }
}

/// Compares a trial's intermediate values step by step with the best trial's, by a
/// one-sided Wilcoxon signed-rank test (intermediate values are per-instance scores,
/// as in Optuna). Cost of a check: O(n) to find the best trial plus O(s log s) for s
/// common steps (O(2^s · s) for s <= 13 with ties).
#[derive(Clone, Debug)]
pub struct WilcoxonPruner {
    options: WilcoxonOptions,
}

impl WilcoxonPruner {
    /// A Wilcoxon pruner.
    pub fn new(options: WilcoxonOptions) -> Self {
        WilcoxonPruner { options }
    }
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    sum / n as f64
}

impl Pruner for WilcoxonPruner {
    fn prune(&self, view: &StudyView<'_>, trial: &FrozenTrial) -> Pruning {
        let own = &trial.intermediate_values;
        if own.is_empty() || own.values().any(|v| !v.is_finite()) {
            return Pruning::keep();
        }
        let direction = view.directions[0];
        let best = view
            .completed()
            .fold(None::<&FrozenTrial>, |best, t| match (best, t.value()) {
                (None, Some(_)) => Some(t),
                (Some(b), Some(v)) if direction.better(v, b.value().unwrap_or(v)) => Some(t),
                (b, _) => b,
            });
        let Some(best) = best else {
            return Pruning::keep();
        };
        let theirs = &best.intermediate_values;
        if theirs.is_empty() || theirs.values().any(|v| !v.is_finite()) {
            return Pruning::keep();
        }
        let diffs: Vec<f64> = own
            .iter()
            .filter_map(|(step, v)| theirs.get(step).map(|b| v - b))
            .collect();
        if (diffs.len() as u64) < self.options.n_startup_steps.max(2) {
            return Pruning::keep();
        }
        let (own_mean, best_mean) = (mean(own.values().copied()), mean(theirs.values().copied()));
        let (greater, average_is_best) = match direction {
            Direction::Maximize => (false, best_mean <= own_mean),
            Direction::Minimize => (true, best_mean >= own_mean),
        };
        let p = wilcoxon_p_value(&diffs, greater);
        let significant = p < self.options.p_threshold;
        Pruning::decide(significant && !average_is_best)
    }
}

/// The one-sided p-value of SciPy's `wilcoxon(d, alternative, zero_method="zsplit")`:
/// `greater` tests whether `d` tends to be positive, otherwise negative.
pub fn wilcoxon_p_value(d: &[f64], greater: bool) -> f64 {
    let n = d.len();
    if n == 0 {
        return f64::NAN;
    }
    // Average ranks of |d|, and the tie group sizes.
    let mut order: Vec<usize> = (0..n).collect();
    crate::sort::sort_by(&mut order, |&a, &b| {
        d[a].abs().total_cmp(&d[b].abs()).then(a.cmp(&b))
    });
    let mut ranks = vec![0.0; n];
    let mut tie_correction = 0.0;
    let mut has_ties = false;
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && d[order[j]].abs() == d[order[i]].abs() {
            j += 1;
        }
        let average = (i + 1 + j) as f64 / 2.0;
        for &k in &order[i..j] {
            ranks[k] = average;
        }
        let t = (j - i) as f64;
        has_ties |= j - i > 1;
        tie_correction += t * t * t - t;
        i = j;
    }
    let n_zero = d.iter().filter(|v| **v == 0.0).count();
    let r_plus_of = |signs: &dyn Fn(usize) -> f64| -> f64 {
        (0..n)
            .map(|k| {
                let v = signs(k) * d[k];
                if v > 0.0 {
                    ranks[k]
                } else if v == 0.0 {
                    ranks[k] / 2.0
                } else {
                    0.0
                }
            })
            .sum()
    };
    let r_plus = r_plus_of(&|_| 1.0);
    if n <= 50 && !has_ties && n_zero == 0 {
        let pmf = wilcoxon_pmf(n);
        let mean = (n * (n + 1)) as f64 / 4.0;
        // SciPy's WilcoxonDistribution: sums on the side of the mean, complements beyond.
        let sum = |from: usize, to: usize| -> f64 { pmf[from..to.min(pmf.len())].iter().sum() };
        let cdf = |k: i64| -> f64 {
            if k < 0 {
                0.0
            } else if (k as f64) <= mean {
                sum(0, k as usize + 1)
            } else {
                1.0 - sum(k as usize + 1, pmf.len())
            }
        };
        let sf = |k: i64| -> f64 {
            if k <= 0 {
                1.0
            } else if (k as f64) <= mean {
                sum(k as usize, pmf.len())
            } else {
                1.0 - sum(0, k as usize)
            }
        };
        return if greater {
            sf(libm::floor(r_plus) as i64)
        } else {
            cdf(libm::ceil(r_plus) as i64)
        };
    }
    if n <= 13 {
        let gamma = (f64::EPSILON * 100.0 * r_plus).abs();
        let total = 1usize << n;
        let count = (0..total)
            .filter(|mask| {
                let flipped = r_plus_of(&|k| if mask >> k & 1 == 1 { -1.0 } else { 1.0 });
                if greater {
                    flipped >= r_plus - gamma
                } else {
                    flipped <= r_plus + gamma
                }
            })
            .count();
        return count as f64 / total as f64;
    }
    let nf = n as f64;
    let mn = nf * (nf + 1.0) * 0.25;
    let se = ((nf * (nf + 1.0) * (2.0 * nf + 1.0) - tie_correction / 2.0) / 24.0).sqrt();
    let z = (r_plus - mn) / se;
    if greater {
        ndtr(-z)
    } else {
        ndtr(z)
    }
}

/// The null distribution of the signed-rank statistic for n pairs (SciPy's
/// `_get_wilcoxon_distr`): probabilities of r = 0 ..= n(n+1)/2.
fn wilcoxon_pmf(n: usize) -> Vec<f64> {
    let mut c = vec![1.0];
    for k in 1..=n {
        let mut next = vec![0.0; k * (k + 1) / 2 + 1];
        let m = c.len();
        for (i, v) in c.iter().enumerate() {
            next[i] += v * 0.5;
        }
        let offset = next.len() - m;
        for (i, v) in c.iter().enumerate() {
            next[offset + i] += v * 0.5;
        }
        c = next;
    }
    c
}

impl crate::pruners::PrunerKind for WilcoxonOptions {
    fn build(&self) -> Box<dyn crate::pruners::Pruner> {
        Box::new(WilcoxonPruner::new(self.clone()))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_match_scipy() {
        // scipy 1.17.1: stats.wilcoxon(d, alternative=..., zero_method="zsplit").pvalue
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        // Exact null distribution (n <= 50, no ties or zeros).
        let exact = [1.5, -0.3, 2.2, 0.7, 1.1, -0.9, 0.4];
        assert!(close(wilcoxon_p_value(&exact, true), 0.078125));
        assert!(close(wilcoxon_p_value(&exact, false), 0.9453125));
        // Sign-flip permutation (ties and a zero, n <= 13).
        let ties = [1.0, -1.0, 2.0, 0.0, 3.0, 1.0];
        assert!(close(wilcoxon_p_value(&ties, true), 0.125));
        assert!(close(wilcoxon_p_value(&ties, false), 0.96875));
        // Normal approximation (n > 50), tie-corrected.
        let big = [
            1.9243453636632417,
            -0.3117564136500754,
            -0.2281717522634557,
            1.1654076293246785,
            1.1654076293246785,
            -2.001538696880283,
            2.04481176421648,
            -0.4612069008951028,
            0.6190390960570986,
            0.0506296245225899,
            1.7621079370449741,
            -1.760140709497654,
            -0.022417204013507497,
            -0.08405435466841565,
            1.4337694423354375,
            -0.7998912673140308,
            0.12757179244956424,
            -0.5778584179213717,
            0.3422137467155928,
            0.8828152137158223,
            -0.8006191772129212,
            1.4447237098396142,
            1.2015907205927956,
            0.8024943389018682,
            1.2008559492644117,
            -0.3837278591743331,
            0.17710977448135182,
            -0.6357694342590687,
            0.03211192037398408,
            0.830355466738186,
            -0.39166075172530906,
            -0.09675352685597738,
            -0.3871727001195994,
            -0.5452056414987196,
            -0.37124613083681907,
            0.2873354010810986,
            -0.8173103486352777,
            0.5344156978170922,
            1.9598021771098706,
            1.0420441605773356,
            0.10816444763838506,
            -0.5876289640848362,
            -0.44715829375083765,
            1.9924546010277466,
            0.35080775477602893,
            -0.3369956465693534,
            0.49091548466746604,
            2.400255136478842,
            0.42015895248162916,
            0.9172031097074191,
            0.6001703199558275,
            -0.05224984649351866,
            -0.8425181980221401,
            -0.049342722412877515,
            0.09110576662522188,
            0.8866231911821976,
            1.138983413874505,
            1.2311020813035574,
            0.5855873252542587,
            1.1851411642707281,
        ];
        assert!((wilcoxon_p_value(&big, true) - 0.004780801785784163).abs() < 1e-10);
        assert!((wilcoxon_p_value(&big, false) - 0.9952191982142158).abs() < 1e-10);
    }
}
