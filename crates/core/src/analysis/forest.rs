//! A seeded, deterministic random forest of regression trees (CART, squared error),
//! shaped like scikit-learn's `RandomForestRegressor` defaults that Optuna's
//! importance evaluators use: bootstrap samples, every feature considered at each
//! split, split thresholds at midpoints, trees grown to single-sample leaves. As there,
//! each node visits the features in a random order and keeps the first best split: near
//! the leaves many features separate the same few samples equally well, and a fixed
//! order would credit those ties to the first features.
//!
//! Each tree sorts its bootstrap sample once per feature (from one global sort) and
//! keeps every node's rows in that order by stable partitions, so growing a tree costs
//! O(D · m · n) for depth D over n samples and m features, and the forest
//! O(m · n log n + T · D · m · n) for T trees.

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

/// No split feature: the node is a leaf.
pub const LEAF: usize = usize::MAX;

/// One node of a tree. Nodes are stored in preorder, so children follow their parent.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The split feature, or [`LEAF`].
    pub feature: usize,
    /// Rows with `x[feature] <= threshold` go left.
    pub threshold: f64,
    pub left: usize,
    pub right: usize,
    /// The mean target of the node's samples.
    pub value: f64,
    /// The split's decrease of the summed squared error, over the tree's sample count.
    pub decrease: f64,
}

/// A regression tree.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

/// A fitted forest.
#[derive(Clone, Debug)]
pub struct Forest {
    pub trees: Vec<Tree>,
    pub n_features: usize,
}

impl Forest {
    /// Fits `options.n_trees` trees to the rows `x` (each of `m` features) and target
    /// `y`, drawing the bootstrap samples from `rng`.
    pub fn fit(x: &[Vec<f64>], y: &[f64], options: ForestOptions, rng: &mut Rng) -> Forest {
        let n = y.len();
        let m = x.first().map_or(0, Vec::len);
        let columns: Vec<Vec<f64>> = (0..m).map(|f| x.iter().map(|r| r[f]).collect()).collect();
        let sorted_rows: Vec<Vec<usize>> = columns
            .iter()
            .map(|c| {
                let mut rows: Vec<usize> = (0..n).collect();
                crate::sort::sort_by(&mut rows, |&a, &b| c[a].total_cmp(&c[b]).then(a.cmp(&b)));
                rows
            })
            .collect();
        let trees = (0..options.n_trees)
            .map(|_| {
                let sample: Vec<usize> = (0..n)
                    .map(|_| (crate::rng::uniform01(rng) * n as f64) as usize % n)
                    .collect();
                Grower::new(&columns, y, &sorted_rows, sample, options.max_depth).grow(rng)
            })
            .collect();
        Forest {
            trees,
            n_features: m,
        }
    }

    /// The mean decrease in impurity of each feature, normalised to sum to 1 per tree
    /// and averaged over the trees (scikit-learn's `feature_importances_`).
    pub fn impurity_importances(&self) -> Vec<f64> {
        let mut total = vec![0.0; self.n_features];
        for tree in &self.trees {
            let mut decrease = vec![0.0; self.n_features];
            for node in tree.nodes.iter().filter(|n| n.feature != LEAF) {
                decrease[node.feature] += node.decrease;
            }
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
}

/// Sum of squared deviations from the mean.
fn sse(sum: f64, sum_sq: f64, count: f64) -> f64 {
    (sum_sq - sum * sum / count).max(0.0)
}

/// Grows one tree. A node owns the same position range of every feature's `order`,
/// which lists the bootstrap slots sorted by that feature.
struct Grower<'a> {
    columns: &'a [Vec<f64>],
    y: &'a [f64],
    /// The data row of each bootstrap slot.
    sample: Vec<usize>,
    order: Vec<Vec<usize>>,
    goes_left: Vec<bool>,
    scratch: Vec<usize>,
    max_depth: usize,
    nodes: Vec<Node>,
}

impl<'a> Grower<'a> {
    fn new(
        columns: &'a [Vec<f64>],
        y: &'a [f64],
        sorted_rows: &[Vec<usize>],
        sample: Vec<usize>,
        max_depth: usize,
    ) -> Self {
        let n = sample.len();
        // The slots of each row, so that every feature's slot order follows from the
        // global row order in O(n).
        let mut start = vec![0usize; n + 1];
        for &r in &sample {
            start[r + 1] += 1;
        }
        for r in 0..n {
            start[r + 1] += start[r];
        }
        let mut slots_by_row = vec![0usize; n];
        let mut next = start.clone();
        for (slot, &r) in sample.iter().enumerate() {
            slots_by_row[next[r]] = slot;
            next[r] += 1;
        }
        let order = sorted_rows
            .iter()
            .map(|rows| {
                rows.iter()
                    .flat_map(|&r| slots_by_row[start[r]..start[r + 1]].iter().copied())
                    .collect()
            })
            .collect();
        Grower {
            columns,
            y,
            sample,
            order,
            goes_left: vec![false; n],
            scratch: Vec::with_capacity(n),
            max_depth,
            nodes: Vec::new(),
        }
    }

    fn grow(mut self, rng: &mut Rng) -> Tree {
        let n = self.sample.len();
        if n > 0 && !self.columns.is_empty() {
            self.node(0, n, 0, rng);
        }
        Tree { nodes: self.nodes }
    }

    fn x(&self, feature: usize, slot: usize) -> f64 {
        self.columns[feature][self.sample[slot]]
    }

    /// Adds the node for positions `lo..hi` and its subtree; returns its index.
    fn node(&mut self, lo: usize, hi: usize, depth: usize, rng: &mut Rng) -> usize {
        let count = hi - lo;
        let (sum, sum_sq) = self.order[0][lo..hi]
            .iter()
            .fold((0.0, 0.0), |(s, q), &slot| {
                let v = self.y[self.sample[slot]];
                (s + v, q + v * v)
            });
        let index = self.nodes.len();
        self.nodes.push(Node {
            feature: LEAF,
            threshold: f64::NAN,
            left: LEAF,
            right: LEAF,
            value: sum / count as f64,
            decrease: 0.0,
        });
        let parent = sse(sum, sum_sq, count as f64);
        if count < 2 || depth >= self.max_depth || parent <= 1e-12 * sum_sq.abs().max(1.0) {
            return index;
        }
        let Some((after, feature, split, threshold)) = self.best_split(lo, hi, sum, sum_sq, rng)
        else {
            return index;
        };
        self.partition(feature, lo, hi, split);
        let left = self.node(lo, split, depth + 1, rng);
        let right = self.node(split, hi, depth + 1, rng);
        let n_total = self.sample.len() as f64;
        self.nodes[index] = Node {
            feature,
            threshold,
            left,
            right,
            value: sum / count as f64,
            decrease: (parent - after) / n_total,
        };
        index
    }

    /// The split of `lo..hi` with the least summed squared error, the first found
    /// over the features in a random order: (that error, feature, first position of
    /// the right child, threshold).
    fn best_split(
        &self,
        lo: usize,
        hi: usize,
        sum: f64,
        sum_sq: f64,
        rng: &mut Rng,
    ) -> Option<(f64, usize, usize, f64)> {
        let count = hi - lo;
        let mut features: Vec<usize> = (0..self.order.len()).collect();
        for i in (1..features.len()).rev() {
            let j = (crate::rng::uniform01(rng) * (i + 1) as f64) as usize;
            features.swap(i, j.min(i));
        }
        let mut best: Option<(f64, usize, usize, f64)> = None;
        for f in features {
            let order = &self.order[f];
            let (mut ls, mut lq) = (0.0, 0.0);
            for i in lo..hi - 1 {
                let slot = order[i];
                let v = self.y[self.sample[slot]];
                ls += v;
                lq += v * v;
                let (here, next) = (self.x(f, slot), self.x(f, order[i + 1]));
                if here == next {
                    continue;
                }
                let left = (i + 1 - lo) as f64;
                let right = (count - (i + 1 - lo)) as f64;
                let after = sse(ls, lq, left) + sse(sum - ls, sum_sq - lq, right);
                if best.is_none_or(|b| after < b.0) {
                    let mid = 0.5 * (here + next);
                    // As scikit-learn: a midpoint rounded up to `next` falls back to `here`.
                    let threshold = if mid == next || !mid.is_finite() {
                        here
                    } else {
                        mid
                    };
                    best = Some((after, f, i + 1, threshold));
                }
            }
        }
        best
    }

    /// Moves the slots before `split` in `feature`'s order to the front of every other
    /// feature's `lo..hi`, keeping each order sorted.
    fn partition(&mut self, feature: usize, lo: usize, hi: usize, split: usize) {
        for i in lo..hi {
            let slot = self.order[feature][i];
            self.goes_left[slot] = i < split;
        }
        for f in (0..self.order.len()).filter(|&f| f != feature) {
            let order = &mut self.order[f];
            self.scratch.clear();
            let mut write = lo;
            for i in lo..hi {
                let slot = order[i];
                if self.goes_left[slot] {
                    order[write] = slot;
                    write += 1;
                } else {
                    self.scratch.push(slot);
                }
            }
            order[write..hi].copy_from_slice(&self.scratch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn data(n: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
        let mut rng = Rng::seed_from_u64(3);
        let x: Vec<Vec<f64>> = (0..n)
            .map(|_| (0..3).map(|_| crate::rng::uniform01(&mut rng)).collect())
            .collect();
        let y = x.iter().map(|r| 10.0 * r[1] + 0.5 * r[2]).collect();
        (x, y)
    }

    #[test]
    fn the_feature_that_drives_y_dominates() {
        let (x, y) = data(300);
        let options = ForestOptions {
            n_trees: 16,
            max_depth: 64,
        };
        let forest = Forest::fit(&x, &y, options, &mut Rng::seed_from_u64(1));
        let imp = forest.impurity_importances();
        assert!(imp[1] > 0.8 && imp[2] > imp[0], "{imp:?}");
        assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_fully_grown_tree_reproduces_its_bootstrap_sample() {
        let (x, y) = data(200);
        let options = ForestOptions {
            n_trees: 3,
            max_depth: 64,
        };
        let forest = Forest::fit(&x, &y, options, &mut Rng::seed_from_u64(7));
        for tree in &forest.trees {
            // Every data row lands in a leaf; rows that were drawn predict exactly.
            let mut exact = 0;
            for (row, target) in x.iter().zip(&y) {
                let mut i = 0;
                while tree.nodes[i].feature != LEAF {
                    let node = &tree.nodes[i];
                    i = if row[node.feature] <= node.threshold {
                        node.left
                    } else {
                        node.right
                    };
                }
                exact += usize::from((tree.nodes[i].value - target).abs() < 1e-12);
            }
            // A bootstrap draws about 1 - 1/e of the rows.
            assert!(exact > 110, "{exact} of 200 rows reproduced");
            // Children follow their parent (preorder).
            for (i, node) in tree.nodes.iter().enumerate() {
                if node.feature != LEAF {
                    assert!(node.left > i && node.right > node.left);
                }
            }
        }
    }
}
