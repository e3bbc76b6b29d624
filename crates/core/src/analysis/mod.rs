//! Analysis of a study: its Pareto front (the best trials), hypervolume, and the flat
//! trials table (Optuna's `trials_dataframe`).

mod fanova;
mod features;
mod forest;
mod mdi;
mod ped_anova;
mod table;

pub use fanova::fanova;
pub use mdi::mean_decrease_impurity;
pub use ped_anova::{ped_anova, PedAnovaOptions};
pub use table::{csv_line, TableLayout, TrialsTable};

use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::multi_objective::{dominates, hypervolume};
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

/// Importances normalised to sum to 1 (equal when all are 0), most important first.
pub(crate) fn normalized_ranking(
    importances: std::collections::BTreeMap<String, f64>,
) -> Vec<(String, f64)> {
    let sum: f64 = importances.values().sum();
    let n = importances.len().max(1) as f64;
    let mut out: Vec<(String, f64)> = importances
        .into_iter()
        .map(|(k, v)| (k, if sum > 0.0 { v / sum } else { 1.0 / n }))
        .collect();
    crate::sort::sort_by(&mut out, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// A trial's values as losses (every objective minimized).
pub(crate) fn losses(directions: &[Direction], trial: &FrozenTrial) -> Vec<f64> {
    let values = trial.values.as_deref().unwrap_or(&[]);
    directions
        .iter()
        .zip(values)
        .map(|(d, v)| match d {
            Direction::Minimize => *v,
            Direction::Maximize => -*v,
        })
        .collect()
}

/// The COMPLETE trials no other COMPLETE trial dominates, by number (Optuna's
/// `best_trials`; with one objective, every trial with the best value). Trials with
/// equal values are all kept. Trials that finished past the cost budget are left out.
///
/// Cost: O(n log n + n · F · m) for n complete trials, a front of F and m objectives.
pub fn pareto_front<'a>(view: &StudyView<'a>) -> Vec<&'a FrozenTrial> {
    let mut complete: Vec<(Vec<f64>, &FrozenTrial)> = view
        .trials_in(&[TrialState::Complete])
        .filter(|t| t.within_budget)
        .map(|t| (losses(view.directions, t), t))
        .collect();
    crate::sort::sort_by(&mut complete, |a, b| {
        a.0.iter()
            .zip(&b.0)
            .map(|(x, y)| x.total_cmp(y))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.1.number.cmp(&b.1.number))
    });
    let mut front: Vec<(Vec<f64>, &FrozenTrial)> = Vec::new();
    for (l, t) in complete {
        // Lexicographic order: only an earlier point can dominate a later one.
        if !front.iter().any(|(q, _)| dominates(q, &l)) {
            front.push((l, t));
        }
    }
    let mut trials: Vec<&FrozenTrial> = front.into_iter().map(|(_, t)| t).collect();
    crate::sort::sort_by_key(&mut trials, |t| t.number);
    trials
}

/// The hypervolume of the COMPLETE trials against `reference`, in the study's own
/// directions (a maximized objective's reference is a lower bound). Trials not better
/// than the reference in every objective add nothing.
pub fn study_hypervolume(view: &StudyView<'_>, reference: &[f64]) -> Result<f64> {
    let reference = loss_reference(view, reference)?;
    let points: Vec<Vec<f64>> = view
        .trials_in(&[TrialState::Complete])
        .map(|t| losses(view.directions, t))
        .collect();
    Ok(hypervolume(&points, &reference))
}

/// At most this many points in a hypervolume history.
pub const MAX_HISTORY_POINTS: usize = 1000;

/// The hypervolume of the COMPLETE trials numbered up to each of `points` evenly
/// spaced trial numbers (the last being the newest trial), as `(number, hypervolume)`,
/// for plotting its progress.
///
/// Cost: `points` hypervolumes of growing prefixes: O(points · n log n) in 2-D,
/// O(points · n²) in 3-D, WFG's beyond; a live dashboard asks for at most 100.
pub fn hypervolume_history(
    view: &StudyView<'_>,
    reference: &[f64],
    points: usize,
) -> Result<Vec<(u64, f64)>> {
    if points == 0 || points > MAX_HISTORY_POINTS {
        return Err(Error::invalid(
            "history",
            format!("must be from 1 to {MAX_HISTORY_POINTS}, got {points}"),
        ));
    }
    let reference = loss_reference(view, reference)?;
    let Some(last) = view.trials.iter().map(|t| t.number).max() else {
        return Ok(Vec::new());
    };
    let mut complete: Vec<&FrozenTrial> = view.trials_in(&[TrialState::Complete]).collect();
    crate::sort::sort_by_key(&mut complete, |t| t.number);
    let numbers: Vec<u64> = complete.iter().map(|t| t.number).collect();
    let front_points: Vec<Vec<f64>> = complete
        .iter()
        .map(|t| losses(view.directions, t))
        .collect();
    let n = last + 1;
    let steps = (points as u64).min(n);
    let mut out = Vec::with_capacity(steps as usize);
    let mut upto = 0;
    for k in 1..=steps {
        let number = (k * n).div_ceil(steps) - 1;
        upto += numbers[upto..].iter().take_while(|&&m| m <= number).count();
        out.push((number, hypervolume(&front_points[..upto], &reference)));
    }
    Ok(out)
}

/// `reference` as losses, checked: one number per objective.
fn loss_reference(view: &StudyView<'_>, reference: &[f64]) -> Result<Vec<f64>> {
    if reference.len() != view.directions.len() {
        return Err(Error::invalid(
            "reference",
            format!(
                "needs one value per objective ({}), got {}",
                view.directions.len(),
                reference.len()
            ),
        ));
    }
    if let Some(i) = reference.iter().position(|r| r.is_nan()) {
        return Err(Error::invalid(
            format!("reference[{i}]"),
            "must be a number",
        ));
    }
    Ok(view
        .directions
        .iter()
        .zip(reference)
        .map(|(d, r)| match d {
            Direction::Minimize => *r,
            Direction::Maximize => -*r,
        })
        .collect())
}
