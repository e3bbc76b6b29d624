//! The read-only view of a study that samplers and pruners get.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::direction::Direction;
use crate::trial::{FrozenTrial, TrialState};

/// What samplers and pruners may read: the directions and every trial, RUNNING ones
/// included (for the constant liar). They never change the study.
#[derive(Clone, Copy, Debug)]
pub struct StudyView<'a> {
    /// The study name.
    pub study_name: &'a str,
    /// One direction per objective.
    pub directions: &'a [Direction],
    /// All trials, by number.
    pub trials: &'a [FrozenTrial],
    /// The study's system attributes (bookkeeping of samplers and pruners).
    pub system_attrs: &'a BTreeMap<String, Value>,
    /// The cost-cooling exponent of cost-aware samplers: the share of the cost budget
    /// left, 1 without a budget (see [`crate::study::Spending::cooling`]).
    pub cost_cooling: f64,
}

impl<'a> StudyView<'a> {
    /// Trials in any of `states`, in number order. O(n).
    pub fn trials_in(
        &self,
        states: &'a [TrialState],
    ) -> impl Iterator<Item = &'a FrozenTrial> + 'a {
        self.trials
            .iter()
            .filter(move |t| states.contains(&t.state))
    }

    /// COMPLETE trials, in number order. O(n).
    pub fn completed(&self) -> impl Iterator<Item = &'a FrozenTrial> + 'a {
        self.trials_in(&[TrialState::Complete])
    }

    /// True for a single-objective study.
    pub fn is_single_objective(&self) -> bool {
        self.directions.len() == 1
    }
}
