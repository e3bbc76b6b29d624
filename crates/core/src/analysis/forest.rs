//! A seeded, deterministic random forest of regression trees (CART, squared error),
//! shaped like scikit-learn's `RandomForestRegressor` defaults that Optuna's
//! importance evaluators use: bootstrap samples, every feature considered at each
//! split, split thresholds at midpoints. It reports mean decrease in impurity per
//! feature.
//!
//! Cost: O(T · D · m · n log n) for T trees of depth D over n samples and m features.

use crate::rng::Rng;

/// Forest options.
#[derive(Clone, Copy, Debug)]
pub struct ForestOptions {
    /// Number of trees (64).
    pub n_trees: usize,
    /// Maximum depth (64).
    pub max_depth: usize,
}

impl Default for ForestOptions {
    fn default() -> Self {
        ForestOptions {
            n_trees: 64,
            max_depth: 64,
        }
    }
}

/// The mean decrease in impurity of each of the `m` features of `x` (n rows) for
/// target `y`, normalised to sum to 1 per tree and averaged over the trees.
pub fn impurity_importances(
    x: &[Vec<f64>],
    y: &[f64],
    options: ForestOptions,
    rng: &mut Rng,
) -> Vec<f64> {
    let n = y.len();
    let m = x.first().map_or(0, Vec::len);
    let mut total = vec![0.0; m];
    if n < 2 || m == 0 {
        return total;
    }
    for _ in 0..options.n_trees {
        let sample: Vec<usize> = (0..n)
            .map(|_| (crate::rng::uniform01(rng) * n as f64) as usize % n)
            .collect();
        let mut decrease = vec![0.0; m];
        grow(x, y, sample, 0, options.max_depth, &mut decrease, n as f64);
        let sum: f64 = decrease.iter().sum();
        if sum > 0.0 {
            for (t, d) in total.iter_mut().zip(&decrease) {
                *t += d / sum;
            }
        }
    }
    let sum: f64 = total.iter().sum();
    if sum > 0.0 {
        total.iter_mut().for_each(|t| *t /= sum);
    }
    total
}

/// Sum of squared deviations from the mean.
fn sse(sum: f64, sum_sq: f64, count: f64) -> f64 {
    (sum_sq - sum * sum / count).max(0.0)
}

/// Splits `rows` recursively, adding each split's weighted impurity decrease to its
/// feature.
// `f` indexes a column of every row (`x[row][f]`), which clippy mistakes for `x[f]`.
#[allow(clippy::needless_range_loop)]
fn grow(
    x: &[Vec<f64>],
    y: &[f64],
    rows: Vec<usize>,
    depth: usize,
    max_depth: usize,
    decrease: &mut [f64],
    n_total: f64,
) {
    let count = rows.len();
    if count < 2 || depth >= max_depth {
        return;
    }
    let (sum, sum_sq) = rows
        .iter()
        .fold((0.0, 0.0), |(s, q), &r| (s + y[r], q + y[r] * y[r]));
    let parent = sse(sum, sum_sq, count as f64);
    if parent <= 1e-12 * sum_sq.abs().max(1.0) {
        return;
    }
    // Best split over every feature: (impurity after, feature, threshold).
    let mut best: Option<(f64, usize, f64)> = None;
    let mut order = rows.clone();
    let n_features = x[0].len();
    for f in 0..n_features {
        order.sort_by(|&a, &b| x[a][f].total_cmp(&x[b][f]).then(a.cmp(&b)));
        let (mut ls, mut lq) = (0.0, 0.0);
        for i in 0..count - 1 {
            let r = order[i];
            ls += y[r];
            lq += y[r] * y[r];
            let (here, next) = (x[r][f], x[order[i + 1]][f]);
            if here == next {
                continue;
            }
            let left = (i + 1) as f64;
            let right = (count - i - 1) as f64;
            let after = sse(ls, lq, left) + sse(sum - ls, sum_sq - lq, right);
            if best.is_none_or(|b| after < b.0) {
                best = Some((after, f, 0.5 * (here + next)));
            }
        }
    }
    let Some((after, feature, threshold)) = best else {
        return;
    };
    decrease[feature] += (parent - after) / n_total;
    let (left, right): (Vec<usize>, Vec<usize>) =
        rows.into_iter().partition(|&r| x[r][feature] <= threshold);
    grow(x, y, left, depth + 1, max_depth, decrease, n_total);
    grow(x, y, right, depth + 1, max_depth, decrease, n_total);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn the_feature_that_drives_y_dominates() {
        let mut rng = Rng::seed_from_u64(3);
        let x: Vec<Vec<f64>> = (0..300)
            .map(|_| (0..3).map(|_| crate::rng::uniform01(&mut rng)).collect())
            .collect();
        let y: Vec<f64> = x.iter().map(|r| 10.0 * r[1] + 0.5 * r[2]).collect();
        let imp = impurity_importances(
            &x,
            &y,
            ForestOptions {
                n_trees: 16,
                max_depth: 64,
            },
            &mut Rng::seed_from_u64(1),
        );
        assert!(imp[1] > 0.8 && imp[2] > imp[0], "{imp:?}");
        assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}
