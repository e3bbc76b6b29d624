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
    /// The trials in memory, by number: every trial, or with a history window the
    /// newest finished ones, the incumbent and the unfinished ones. Numbers ascend but
    /// may skip; a trial's position is its *slot* ([`StudyView::slot`]).
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

    /// The position of trial `number` in `trials`. O(1) while no trial left memory
    /// (the slot is the number), else O(log n).
    pub fn slot(&self, number: u64) -> Option<usize> {
        let at = usize::try_from(number).ok()?;
        if self.trials.get(at).is_some_and(|t| t.number == number) {
            return Some(at);
        }
        self.trials.binary_search_by_key(&number, |t| t.number).ok()
    }

    /// Trial `number`, if it is in memory. See [`StudyView::slot`].
    pub fn trial(&self, number: u64) -> Option<&'a FrozenTrial> {
        self.slot(number).map(|i| &self.trials[i])
    }

    /// True for a single-objective study.
    pub fn is_single_objective(&self) -> bool {
        self.directions.len() == 1
    }
}
