//! Costs and the budget: what each trial cost, what the study spent and has left,
//! the refused ask, and pruning for cost.
//!
//! A trial's cost is given as cost-so-far with its intermediate reports and in all
//! when it is told. The study spends the costs of its finished trials plus the
//! cost-so-far of its running ones. Both go through the journal, so a replayed study
//! spends the same.

use serde::{Deserialize, Serialize};

use super::Study;
use crate::error::{Error, Result};
use crate::trial::TrialState;

/// The trial system attribute that marks a trial told to stop for its cost.
pub const PRUNED_FOR_COST: &str = "edgetune:pruned_for_cost";

/// Which rule told a trial to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PruneReason {
    /// The study's pruner.
    Pruner,
    /// The budget: the trial pushed the spending past it, or is projected to cost
    /// more than what is left.
    Cost,
}

impl PruneReason {
    /// `"pruner"` or `"cost"`.
    pub fn as_str(self) -> &'static str {
        match self {
            PruneReason::Pruner => "pruner",
            PruneReason::Cost => "cost",
        }
    }
}

/// What a study has spent, against its budget.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spending {
    /// The costs of finished trials plus the cost-so-far of running ones.
    pub spent: f64,
    /// The budget, if the study has one.
    pub budget: Option<f64>,
    /// What is left of the budget (never below 0), if there is one.
    pub left: Option<f64>,
    /// The cost unit, if the study declared one.
    pub unit: Option<String>,
}

impl Spending {
    /// True once the spending reached the budget: asks are refused from then on.
    pub fn exhausted(&self) -> bool {
        self.budget.is_some_and(|b| self.spent >= b)
    }

    /// The cost-cooling exponent of cost-aware sampling (Lee et al. 2020): the share
    /// of the budget left, from 1 down to 0; 1 without a budget.
    pub fn cooling(&self) -> f64 {
        cooling(self.spent, self.budget)
    }
}

fn cooling(spent: f64, budget: Option<f64>) -> f64 {
    match budget {
        Some(b) => ((b - spent) / b).clamp(0.0, 1.0),
        None => 1.0,
    }
}

/// A cost must be a finite number >= 0 and, for a running trial, at least what it
/// already cost (costs accumulate).
pub(super) fn check_cost(cost: f64, so_far: Option<f64>) -> Result<()> {
    if !(cost.is_finite() && cost >= 0.0) {
        return Err(Error::invalid(
            "cost",
            format!("must be a finite number >= 0, got {cost}"),
        ));
    }
    if let Some(before) = so_far.filter(|b| cost < *b) {
        return Err(Error::invalid(
            "cost",
            format!("costs accumulate: {cost} is less than the {before} this trial already cost"),
        ));
    }
    Ok(())
}

/// The median of `values`, which is not empty.
fn median(values: &mut [f64]) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

impl Study {
    /// The costs of finished trials plus the cost-so-far of running ones. O(r).
    fn spent(&self) -> f64 {
        self.spent_finished + self.running_costs.values().sum::<f64>()
    }

    /// [`Spending::cooling`], for the sampler's view: O(1) without a budget, O(r) with.
    pub(super) fn cost_cooling(&self) -> f64 {
        match self.config.cost_budget {
            None => 1.0,
            budget => cooling(self.spent(), budget),
        }
    }

    /// What the study spent and has left. O(r) for r running trials with a cost.
    pub fn spending(&self) -> Spending {
        let spent = self.spent();
        let budget = self.config.cost_budget;
        Spending {
            spent,
            budget,
            left: budget.map(|b| (b - spent).max(0.0)),
            unit: self.config.cost_unit.clone(),
        }
    }

    /// How many trials were pruned because of the budget.
    pub fn n_pruned_for_cost(&self) -> usize {
        self.n_pruned_for_cost
    }

    /// Refuses an ask once the spending reached the budget.
    pub(super) fn check_budget(&self) -> Result<()> {
        let Some(budget) = self.config.cost_budget else {
            return Ok(());
        };
        let spent = self.spent();
        if spent < budget {
            return Ok(());
        }
        Err(Error::BudgetExhausted {
            spent,
            budget,
            unit: self.config.cost_unit.clone().unwrap_or_default(),
        })
    }

    /// Whether a RUNNING trial should stop for the budget: the spending is past it, or
    /// the trial's projected cost to finish is more than what is left. The projection
    /// scales the trial's cost at its last costed step by the median ratio of final
    /// cost to cost at that same step among COMPLETE trials. O(n + k log k) for the k
    /// trials that reported a cost at that step.
    pub(super) fn over_budget(&self, number: u64) -> bool {
        let Some(budget) = self.config.cost_budget else {
            return false;
        };
        let spent = self.spent();
        if spent > budget {
            return true;
        }
        let Some(trial) = self.slot(number).map(|i| &self.trials[i]) else {
            return false;
        };
        let Some((step, so_far)) = trial.step_costs.last_key_value() else {
            return false;
        };
        let mut ratios: Vec<f64> = self
            .trials
            .iter()
            .filter(|t| t.state == TrialState::Complete)
            .filter_map(|t| {
                let at_step = *t.step_costs.get(step)?;
                let total = t.cost()?;
                (at_step > 0.0).then(|| total / at_step)
            })
            .collect();
        if ratios.is_empty() {
            return false;
        }
        let to_finish = so_far * (median(&mut ratios) - 1.0).max(0.0);
        to_finish > budget - spent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn costs_are_finite_non_negative_and_accumulate() {
        assert!(check_cost(0.0, None).is_ok());
        assert!(check_cost(-1.0, None).is_err());
        assert!(check_cost(f64::INFINITY, None).is_err());
        assert!(check_cost(f64::NAN, None).is_err());
        assert!(check_cost(1.0, Some(2.0)).is_err());
        assert!(check_cost(2.0, Some(2.0)).is_ok());
    }

    #[test]
    fn cooling_falls_from_one_to_zero() {
        let mut s = Spending {
            spent: 0.0,
            budget: Some(4.0),
            left: Some(4.0),
            unit: None,
        };
        assert_eq!(s.cooling(), 1.0);
        s.spent = 1.0;
        assert_eq!(s.cooling(), 0.75);
        s.spent = 9.0;
        assert_eq!(s.cooling(), 0.0);
        s.budget = None;
        assert_eq!(s.cooling(), 1.0);
    }
}
