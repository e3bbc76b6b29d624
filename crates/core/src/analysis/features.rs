//! The COMPLETE trials as a feature matrix for the forest-based evaluators (MDI and
//! fANOVA), encoded as Optuna's `_SearchSpaceTransform` with neither log nor step
//! transform: floats and ints as they are, each categorical as one-hot columns.
//! Parameters holding a single value are left out (their importance is 0).

use crate::distributions::Distribution;
use crate::error::{Error, Result};
use crate::search_space::IntersectionSearchSpace;
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

/// The encoded trials.
pub struct Features {
    /// Every parameter all COMPLETE trials have, by name.
    pub params: Vec<(String, Distribution)>,
    /// For each column, the index in `params` of the parameter it encodes.
    pub column_of: Vec<usize>,
    /// Each column's bounds.
    pub bounds: Vec<(f64, f64)>,
    /// One row per COMPLETE trial with a finite value.
    pub x: Vec<Vec<f64>>,
    pub y: Vec<f64>,
}

impl Features {
    /// Encodes the view's COMPLETE trials; `evaluator` names the caller in errors.
    pub fn of(view: &StudyView<'_>, evaluator: &str) -> Result<Features> {
        if view.directions.len() != 1 {
            return Err(Error::invalid(
                "evaluator",
                format!("{evaluator} needs a single objective"),
            ));
        }
        let mut space = IntersectionSearchSpace::default();
        for t in view.trials_in(&[TrialState::Complete]) {
            space.add(t);
        }
        let params: Vec<(String, Distribution)> = space.get().into_iter().collect();
        let mut column_of = Vec::new();
        let mut bounds = Vec::new();
        for (i, (_, d)) in params.iter().enumerate() {
            if d.is_single() {
                continue;
            }
            match (d, d.numeric_range()) {
                (_, Some((low, high, _, _))) => {
                    column_of.push(i);
                    bounds.push((low, high));
                }
                (Distribution::Categorical { choices }, None) => {
                    column_of.extend(std::iter::repeat_n(i, choices.len()));
                    bounds.extend(std::iter::repeat_n((0.0, 1.0), choices.len()));
                }
                _ => unreachable!("a numeric range exists for every non-categorical"),
            }
        }
        let trials: Vec<&FrozenTrial> = view
            .trials_in(&[TrialState::Complete])
            .filter(|t| t.value().is_some_and(f64::is_finite))
            .collect();
        let x = trials
            .iter()
            .map(|t| {
                let mut row = Vec::with_capacity(column_of.len());
                let mut c = 0;
                while c < column_of.len() {
                    let (name, d) = &params[column_of[c]];
                    let v = t.params[name];
                    match d {
                        Distribution::Categorical { choices } => {
                            row.extend((0..choices.len()).map(|k| f64::from(k == v as usize)));
                            c += choices.len();
                        }
                        _ => {
                            row.push(v);
                            c += 1;
                        }
                    }
                }
                row
            })
            .collect();
        let y = trials.iter().map(|t| t.value().unwrap_or(0.0)).collect();
        Ok(Features {
            params,
            column_of,
            bounds,
            x,
            y,
        })
    }

    /// The columns of each parameter that has any, as (index in `params`, columns).
    pub fn groups(&self) -> Vec<(usize, Vec<usize>)> {
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for (column, &param) in self.column_of.iter().enumerate() {
            match groups.last_mut() {
                Some((p, columns)) if *p == param => columns.push(column),
                _ => groups.push((param, vec![column])),
            }
        }
        groups
    }

    /// Sums `(index in params, score)` pairs into per-parameter importances,
    /// normalised to sum to 1, most important first.
    pub fn ranking(&self, scores: impl IntoIterator<Item = (usize, f64)>) -> Vec<(String, f64)> {
        let mut importances =
            crate::sort::collect_map(self.params.iter().map(|(n, _)| (n.clone(), 0.0)));
        for (param, value) in scores {
            *importances
                .get_mut(&self.params[param].0)
                .expect("known param") += value;
        }
        crate::analysis::normalized_ranking(importances)
    }
}
