//! fANOVA (Hutter et al. 2014; Optuna's `FanovaImportanceEvaluator`): a random forest
//! fitted to the COMPLETE trials, and for each tree the share of the variance of its
//! prediction over the whole search space that the marginal of one parameter
//! explains. A parameter's importance is that share averaged over the trees whose
//! prediction varies; a categorical's one-hot columns are marginalised jointly.
//!
//! The marginal of columns S is piecewise constant on the grid that the tree's split
//! thresholds on S cut. One pass over the tree adds each node that no longer splits
//! on S to the grid cells its box covers, so a numeric parameter costs O(N + s) per
//! tree of N nodes and s thresholds on it (where Optuna walks the tree once per grid
//! cell), and a categorical with k split choices O(N · 2^k). With the forest, a study
//! of n trials and m columns costs O(m · n log n + T · D · m · n + T · P · N) for T
//! trees of depth D and P parameters.

use crate::analysis::features::Features;
use crate::analysis::forest::{Forest, ForestOptions, Tree, LEAF};
use crate::error::{Error, Result};
use crate::view::StudyView;

/// Grid cells one tree may cut a categorical's one-hot cube into (2^20).
const MAX_CELLS: usize = 1 << 20;

/// The fANOVA importance of the parameters every COMPLETE trial has, normalised to
/// sum to 1 (equal when the forest predicts a constant), most important first. The
/// forest is seeded with `seed`, so the result is deterministic.
pub fn fanova(view: &StudyView<'_>, seed: u64) -> Result<Vec<(String, f64)>> {
    let features = Features::of(view, "fANOVA")?;
    let groups = features.groups();
    let mut scores = vec![0.0; groups.len()];
    if features.y.len() > 1 && !groups.is_empty() {
        let mut rng = crate::rng::trial_rng(seed, u64::MAX);
        let forest = Forest::fit(&features.x, &features.y, ForestOptions::default(), &mut rng);
        let mut counted = 0usize;
        for tree in &forest.trees {
            let tree = FanovaTree::new(tree, &features.bounds);
            if tree.variance <= 0.0 {
                continue;
            }
            counted += 1;
            for ((param, columns), score) in groups.iter().zip(&mut scores) {
                let variance = tree.marginal_variance(columns).map_err(|cells| {
                    Error::invalid(
                        "evaluator",
                        format!(
                            "fANOVA cannot integrate categorical {:?}: a tree splits its \
                             one-hot cube into {cells} cells (at most {MAX_CELLS}); use \
                             \"ped_anova\" or \"mdi\"",
                            features.params[*param].0
                        ),
                    )
                })?;
                *score += variance / tree.variance;
            }
        }
        if counted > 0 {
            scores.iter_mut().for_each(|s| *s /= counted as f64);
        }
    }
    Ok(features.ranking(groups.iter().map(|g| g.0).zip(scores)))
}

/// A tree with every node's volume-weighted mean prediction and volume, over the
/// search space scaled to the unit cube.
struct FanovaTree<'a> {
    tree: &'a Tree,
    /// Each split node's threshold, scaled to its column's unit interval.
    threshold: Vec<f64>,
    /// The volume-weighted mean of the leaves under each node.
    value: Vec<f64>,
    /// The volume of each node's box.
    volume: Vec<f64>,
    /// The variance of the prediction over the whole space.
    variance: f64,
}

impl<'a> FanovaTree<'a> {
    /// Cost: O(N) for N nodes.
    fn new(tree: &'a Tree, bounds: &[(f64, f64)]) -> Self {
        let nodes = &tree.nodes;
        let threshold: Vec<f64> = nodes
            .iter()
            .map(|node| match node.feature {
                LEAF => f64::NAN,
                f => {
                    let (low, high) = bounds[f];
                    ((node.threshold - low) / (high - low)).clamp(0.0, 1.0)
                }
            })
            .collect();
        // Volumes top-down: a child keeps the part of its parent's extent along the
        // split column on its side of the threshold.
        let mut volume = vec![0.0; nodes.len()];
        let mut extent = vec![(0.0, 1.0); bounds.len()];
        if !nodes.is_empty() {
            Self::volumes(tree, &threshold, 0, 1.0, &mut extent, &mut volume);
        }
        // Means bottom-up; children follow their parent.
        let mut value: Vec<f64> = nodes.iter().map(|n| n.value).collect();
        for i in (0..nodes.len()).rev() {
            let node = &nodes[i];
            if node.feature != LEAF {
                let (l, r) = (node.left, node.right);
                let w = volume[l] + volume[r];
                value[i] = if w > 0.0 {
                    (value[l] * volume[l] + value[r] * volume[r]) / w
                } else {
                    0.5 * (value[l] + value[r])
                };
            }
        }
        let (mut mean, mut total) = (0.0, 0.0);
        for (i, _) in nodes.iter().enumerate().filter(|n| n.1.feature == LEAF) {
            total += volume[i];
            mean += volume[i] * value[i];
        }
        let variance = if total > 0.0 {
            mean /= total;
            nodes
                .iter()
                .enumerate()
                .filter(|n| n.1.feature == LEAF)
                .map(|(i, _)| volume[i] * (value[i] - mean).powi(2))
                .sum::<f64>()
                / total
        } else {
            0.0
        };
        FanovaTree {
            tree,
            threshold,
            value,
            volume,
            variance,
        }
    }

    fn volumes(
        tree: &Tree,
        threshold: &[f64],
        i: usize,
        own: f64,
        extent: &mut [(f64, f64)],
        volume: &mut [f64],
    ) {
        volume[i] = own;
        let node = &tree.nodes[i];
        if node.feature == LEAF {
            return;
        }
        let f = node.feature;
        let (lo, hi) = extent[f];
        let t = threshold[i].clamp(lo, hi);
        let width = hi - lo;
        let share = |w: f64| if width > 0.0 { own * w / width } else { 0.0 };
        extent[f] = (lo, t);
        Self::volumes(tree, threshold, node.left, share(t - lo), extent, volume);
        extent[f] = (t, hi);
        Self::volumes(tree, threshold, node.right, share(hi - t), extent, volume);
        extent[f] = (lo, hi);
    }

    /// The variance, over the unit cube of `columns`, of the prediction averaged over
    /// every other column; `Err(cells)` when the grid would exceed [`MAX_CELLS`].
    fn marginal_variance(&self, columns: &[usize]) -> std::result::Result<f64, usize> {
        let nodes = &self.tree.nodes;
        let selected = |f: usize| columns.iter().position(|&c| c == f);
        // Whether a node's subtree splits on a selected column.
        let mut active = vec![false; nodes.len()];
        for i in (0..nodes.len()).rev() {
            let node = &nodes[i];
            active[i] = node.feature != LEAF
                && (selected(node.feature).is_some() || active[node.left] || active[node.right]);
        }
        // Each selected column's cell edges: its bounds and this tree's thresholds.
        let mut edges: Vec<Vec<f64>> = vec![vec![0.0, 1.0]; columns.len()];
        for (i, node) in nodes.iter().enumerate() {
            if let Some(j) = (node.feature != LEAF)
                .then(|| selected(node.feature))
                .flatten()
            {
                edges[j].push(self.threshold[i]);
            }
        }
        for e in &mut edges {
            crate::sort::sort_by(e, f64::total_cmp);
            e.dedup();
        }
        let shape: Vec<usize> = edges.iter().map(|e| e.len() - 1).collect();
        let cells = shape
            .iter()
            .try_fold(1usize, |acc, &s| {
                acc.checked_mul(s).filter(|&c| c <= MAX_CELLS)
            })
            .ok_or_else(|| {
                shape
                    .iter()
                    .fold(1usize, |acc, &s| acc.saturating_mul(s))
                    .max(MAX_CELLS + 1)
            })?;
        let mut grid = Grid::new(shape, cells);
        let mut ranges: Vec<(usize, usize)> = grid.shape.iter().map(|&s| (0, s)).collect();
        if !nodes.is_empty() {
            self.spread(0, &selected, &edges, &active, &mut ranges, &mut grid);
        }
        Ok(grid.variance(&edges))
    }

    /// Adds node `i`'s subtree to the cells within `ranges`.
    fn spread(
        &self,
        i: usize,
        selected: &dyn Fn(usize) -> Option<usize>,
        edges: &[Vec<f64>],
        active: &[bool],
        ranges: &mut [(usize, usize)],
        grid: &mut Grid,
    ) {
        let node = &self.tree.nodes[i];
        if !active[i] {
            // The node's prediction no longer depends on the selected columns: its
            // volume outside them weights its mean in every cell it covers.
            let extent: f64 = ranges
                .iter()
                .zip(edges)
                .map(|(&(a, b), e)| e[b] - e[a])
                .product();
            if extent > 0.0 {
                let weight = self.volume[i] / extent;
                grid.add(ranges, weight * self.value[i], weight);
            }
            return;
        }
        match selected(node.feature) {
            Some(j) => {
                let (a, b) = ranges[j];
                let p = edges[j]
                    .binary_search_by(|e| e.total_cmp(&self.threshold[i]))
                    .expect("thresholds are edges")
                    .clamp(a, b);
                for (child, range) in [(node.left, (a, p)), (node.right, (p, b))] {
                    if range.0 < range.1 {
                        ranges[j] = range;
                        self.spread(child, selected, edges, active, ranges, grid);
                    }
                }
                ranges[j] = (a, b);
            }
            None => {
                self.spread(node.left, selected, edges, active, ranges, grid);
                self.spread(node.right, selected, edges, active, ranges, grid);
            }
        }
    }
}

/// Weighted sums of predictions over the cells of a grid, row-major.
struct Grid {
    shape: Vec<usize>,
    sum: Vec<f64>,
    weight: Vec<f64>,
}

impl Grid {
    fn new(shape: Vec<usize>, cells: usize) -> Self {
        // One column keeps difference arrays (a range adds in O(1)); more fill boxes.
        let len = if shape.len() == 1 { cells + 1 } else { cells };
        Grid {
            shape,
            sum: vec![0.0; len],
            weight: vec![0.0; len],
        }
    }

    fn add(&mut self, ranges: &[(usize, usize)], sum: f64, weight: f64) {
        if let [(a, b)] = ranges {
            self.sum[*a] += sum;
            self.sum[*b] -= sum;
            self.weight[*a] += weight;
            self.weight[*b] -= weight;
            return;
        }
        let mut index: Vec<usize> = ranges.iter().map(|r| r.0).collect();
        'cells: loop {
            let cell = index
                .iter()
                .zip(&self.shape)
                .fold(0, |acc, (&k, &s)| acc * s + k);
            self.sum[cell] += sum;
            self.weight[cell] += weight;
            for d in (0..index.len()).rev() {
                index[d] += 1;
                if index[d] < ranges[d].1 {
                    continue 'cells;
                }
                index[d] = ranges[d].0;
            }
            break;
        }
    }

    /// The variance of the cells' means, each weighted by its size and weight.
    fn variance(mut self, edges: &[Vec<f64>]) -> f64 {
        if self.shape.len() == 1 {
            for k in 1..self.sum.len() {
                self.sum[k] += self.sum[k - 1];
                self.weight[k] += self.weight[k - 1];
            }
        }
        let cells = self.shape.iter().product::<usize>();
        let mut points = Vec::with_capacity(cells);
        for cell in 0..cells {
            let (mut rest, mut size) = (cell, 1.0);
            for (d, &s) in self.shape.iter().enumerate().rev() {
                let k = rest % s;
                rest /= s;
                size *= edges[d][k + 1] - edges[d][k];
            }
            if self.weight[cell] > 0.0 {
                points.push((self.sum[cell] / self.weight[cell], size * self.weight[cell]));
            }
        }
        let total: f64 = points.iter().map(|p| p.1).sum();
        if total <= 0.0 {
            return 0.0;
        }
        let mean = points.iter().map(|(v, w)| v * w).sum::<f64>() / total;
        let variance = points
            .iter()
            .map(|(v, w)| w * (v - mean).powi(2))
            .sum::<f64>()
            / total;
        variance.max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::forest::Node;

    fn split(feature: usize, threshold: f64, left: usize, right: usize) -> Node {
        Node {
            feature,
            threshold,
            left,
            right,
            value: -1.0,
            decrease: 0.0,
        }
    }

    fn leaf(value: f64) -> Node {
        Node {
            feature: LEAF,
            threshold: f64::NAN,
            left: LEAF,
            right: LEAF,
            value,
            decrease: 0.0,
        }
    }

    /// The tree of Optuna's `tests/importance_tests/fanova_tests/test_tree.py`, whose
    /// statistics and variances Optuna's `_FanovaTree` computes as asserted here.
    #[test]
    fn agrees_with_optuna_on_its_reference_tree() {
        let tree = Tree {
            nodes: vec![
                split(1, 0.5, 1, 4),
                split(2, 1.5, 2, 3),
                leaf(0.1),
                leaf(0.2),
                leaf(0.5),
            ],
        };
        let bounds = [(0.0, 1.0), (0.0, 1.0), (0.0, 2.0)];
        let t = FanovaTree::new(&tree, &bounds);
        // Leaf volumes 0.375, 0.125, 0.5 (Optuna's 0.75, 0.25, 1.0 over a space of 2).
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(t.volume[2], 0.375) && close(t.volume[3], 0.125) && close(t.volume[4], 0.5));
        let mean = 0.375 * 0.1 + 0.125 * 0.2 + 0.5 * 0.5;
        let variance = 0.375 * (0.1f64 - mean).powi(2)
            + 0.125 * (0.2f64 - mean).powi(2)
            + 0.5 * (0.5f64 - mean).powi(2);
        assert!(close(t.variance, variance) && close(variance, 0.036_093_75));
        // Values printed by Optuna 5.0.0's `_FanovaTree.get_marginal_variance`.
        let expected: [(&[usize], f64); 7] = [
            (&[0], 0.0),
            (&[1], 0.035_156_25),
            (&[2], 0.000_468_75),
            (&[0, 1], 0.035_156_25),
            (&[0, 2], 0.000_468_75),
            (&[1, 2], 0.036_093_75),
            (&[0, 1, 2], 0.036_093_75),
        ];
        for (columns, want) in expected {
            let got = t.marginal_variance(columns).unwrap();
            assert!(close(got, want), "{columns:?}: {got} vs {want}");
        }
    }

    /// Fully grown scikit-learn trees over three numeric columns and a one-hot
    /// categorical: the variances agree with Optuna's `_FanovaTree` to 1e-9
    /// (tests/golden/importance.json, from bench/importance_parity.py).
    #[test]
    fn agrees_with_optuna_on_scikit_learn_trees() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/golden/importance.json"
        );
        let golden: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let case = &golden["fanova_trees"];
        let bounds: Vec<(f64, f64)> = serde_json::from_value(case["bounds"].clone()).unwrap();
        let groups: Vec<Vec<usize>> = serde_json::from_value(case["groups"].clone()).unwrap();
        let trees = case["trees"].as_array().unwrap();
        assert_eq!(trees.len(), 3);
        for t in trees {
            let column =
                |key: &str| -> Vec<f64> { serde_json::from_value(t[key].clone()).unwrap() };
            let index = |v: f64| if v < 0.0 { LEAF } else { v as usize };
            let (feature, threshold) = (column("feature"), column("threshold"));
            let (left, right, value) = (column("left"), column("right"), column("value"));
            let tree = Tree {
                nodes: (0..feature.len())
                    .map(|i| Node {
                        feature: index(feature[i]),
                        threshold: threshold[i],
                        left: index(left[i]),
                        right: index(right[i]),
                        value: value[i],
                        decrease: 0.0,
                    })
                    .collect(),
            };
            let ours = FanovaTree::new(&tree, &bounds);
            let relative = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
            let variance = t["variance"].as_f64().unwrap();
            assert!(
                relative(ours.variance, variance),
                "{} vs {variance}",
                ours.variance
            );
            for (columns, want) in groups.iter().zip(column("marginal_variances")) {
                let got = ours.marginal_variance(columns).unwrap();
                assert!(relative(got, want), "{columns:?}: {got} vs Optuna {want}");
            }
        }
    }
}
