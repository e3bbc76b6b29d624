//! Mean decrease in impurity (Optuna's `MeanDecreaseImpurityImportanceEvaluator`): a
//! random forest fitted to the COMPLETE trials, each parameter's importance being how
//! much its splits reduce the squared error. Floats and ints enter as they are (no log
//! transform, as Optuna), categoricals one-hot, their columns summed back.
//!
//! Cost: that of the forest, O(T · D · m · n log n).

use std::collections::BTreeMap;

use crate::analysis::forest::{impurity_importances, ForestOptions};
use crate::distributions::Distribution;
use crate::error::{Error, Result};
use crate::search_space::IntersectionSearchSpace;
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

/// The mean-decrease-impurity importance of the parameters every COMPLETE trial has,
/// normalised to sum to 1 (equal when nothing can be told apart), most important
/// first. The forest is seeded with `seed`, so the result is deterministic.
pub fn mean_decrease_impurity(view: &StudyView<'_>, seed: u64) -> Result<Vec<(String, f64)>> {
    if view.directions.len() != 1 {
        return Err(Error::invalid(
            "evaluator",
            "mean decrease impurity needs a single objective",
        ));
    }
    let mut space = IntersectionSearchSpace::default();
    for t in view.trials_in(&[TrialState::Complete]) {
        space.add(t);
    }
    let params: Vec<(String, Distribution)> = space.get().into_iter().collect();
    let trials: Vec<&FrozenTrial> = view
        .trials_in(&[TrialState::Complete])
        .filter(|t| t.value().is_some_and(f64::is_finite))
        .collect();
    let mut importances: BTreeMap<String, f64> =
        params.iter().map(|(n, _)| (n.clone(), 0.0)).collect();
    if trials.len() > 1 && !params.is_empty() {
        let mut column_of = Vec::new();
        for (i, (_, d)) in params.iter().enumerate() {
            let width = match d {
                Distribution::Categorical { choices } => choices.len(),
                _ => 1,
            };
            column_of.extend(std::iter::repeat_n(i, width));
        }
        let x: Vec<Vec<f64>> = trials
            .iter()
            .map(|t| {
                let mut row = Vec::with_capacity(column_of.len());
                for (name, d) in &params {
                    let v = t.params[name];
                    match d {
                        Distribution::Categorical { choices } => {
                            row.extend((0..choices.len()).map(|c| {
                                if c == v as usize {
                                    1.0
                                } else {
                                    0.0
                                }
                            }));
                        }
                        _ => row.push(v),
                    }
                }
                row
            })
            .collect();
        let y: Vec<f64> = trials.iter().map(|t| t.value().unwrap_or(0.0)).collect();
        let mut rng = crate::rng::trial_rng(seed, u64::MAX);
        let per_column = impurity_importances(&x, &y, ForestOptions::default(), &mut rng);
        for (column, value) in per_column.iter().enumerate() {
            *importances
                .get_mut(&params[column_of[column]].0)
                .expect("known param") += value;
        }
    }
    Ok(crate::analysis::normalized_ranking(importances))
}
