//! Mean decrease impurity (Optuna's `MeanDecreaseImpurityImportanceEvaluator`): a
//! random forest fitted to the COMPLETE trials, each parameter's importance being how
//! much its splits reduce the squared error. Floats and ints enter as they are (no log
//! transform, as Optuna), categoricals one-hot, their columns summed back.
//!
//! Cost: that of the forest, O(m · n log n + T · D · m · n).

use crate::analysis::features::Features;
use crate::analysis::forest::{Forest, ForestOptions};
use crate::error::Result;
use crate::view::StudyView;

/// The mean-decrease-impurity importance of the parameters every COMPLETE trial has,
/// normalised to sum to 1 (equal when nothing can be told apart), most important
/// first. The forest is seeded with `seed`, so the result is deterministic.
pub fn mean_decrease_impurity(view: &StudyView<'_>, seed: u64) -> Result<Vec<(String, f64)>> {
    let features = Features::of(view, "mean decrease impurity")?;
    let mut per_column = vec![0.0; features.bounds.len()];
    if features.y.len() > 1 && !per_column.is_empty() {
        let mut rng = crate::rng::trial_rng(seed, u64::MAX);
        let forest = Forest::fit(&features.x, &features.y, ForestOptions::default(), &mut rng);
        per_column = forest.impurity_importances();
    }
    Ok(features.ranking(
        per_column
            .into_iter()
            .enumerate()
            .map(|(c, v)| (features.column_of[c], v)),
    ))
}
