//! The history window: with a window of N, the sampler and the pruner see the newest N
//! finished trials, the incumbent and the unfinished trials. Older finished trials
//! leave memory (a store keeps them: the journal holds every event), while the study's
//! counters, spending, best trial and the sampler's memory of them stay.
//!
//! The incumbent is the best trial with one objective, and with several the Pareto
//! front of the COMPLETE trials within the budget: its newest [`MAX_PINNED_FRONT`]
//! members stay in memory when they leave the window, so `best_trials` is exact while
//! the front is no larger.
//!
//! The sampler's state is always what it would be if it were built now and fed the
//! finished trials in memory in the order they finished: new trials are fed as they
//! finish, and when a trial leaves memory the sampler is rebuilt before its next use,
//! so a study loaded from a snapshot suggests exactly what the live one does.
//!
//! Cost: a tell is O(1) plus, once trials leave the window, O(T) to drop one from
//! the T in memory and O(W) `after_trial` calls to rebuild the sampler at the next
//! ask, for a window of W; with several objectives, O(F·m) to keep a front of F
//! members.

use std::collections::BTreeSet;

use super::{Event, Study};
use crate::analysis::losses;
use crate::error::Result;
use crate::multi_objective::dominates;
use crate::trial::{FrozenTrial, TrialState};

/// The most members of the Pareto front that stay in memory outside the window.
pub const MAX_PINNED_FRONT: usize = 256;

impl Study {
    /// The history window, if the study has one.
    pub fn history_window(&self) -> Option<u64> {
        self.window.map(|w| w as u64)
    }

    /// Gives the study a history window of `window` trials, or a new size: recorded in
    /// the journal, so every replay agrees. Trials that fall out of it leave memory
    /// at once. See [`crate::StudyConfig::check_history_window`] for the sizes allowed.
    pub fn set_history_window(&mut self, window: u64) -> Result<()> {
        self.commit(Event::HistoryWindowSet { window })?;
        Ok(())
    }

    /// Applies a window of `window` trials.
    pub(super) fn apply_window(&mut self, window: u64) -> Result<()> {
        if window == 0 {
            return Err(crate::error::Error::config(
                "history_window",
                "a window is set or resized, never removed (0 opts out only when a study is created): give 20 to 1000000",
            ));
        }
        self.config.check_history_window(window)?;
        if self.window.is_none() && self.directions().len() > 1 {
            self.front = self.rebuilt_front();
        }
        self.window = Some(window as usize);
        self.settle();
        // The trials that left give their room back.
        let keep = |len: usize| len + len / 8;
        self.trials.shrink_to(keep(self.trials.len()));
        self.recent.shrink_to(keep(self.recent.len()));
        Ok(())
    }

    /// Trials created so far, those that left memory included: the next trial's
    /// number. O(1).
    pub fn n_trials(&self) -> u64 {
        self.n_numbers
    }

    /// Records that trial `number` finished (after its state and the best trial were
    /// updated), then lets trials that fell out of the window leave memory.
    pub(super) fn finished(&mut self, number: u64) {
        crate::grow::push_back(&mut self.recent, number);
        if self.window.is_some() && self.directions().len() > 1 {
            self.update_front(number);
        }
        self.settle();
    }

    /// Moves the oldest finished trials past the window out of it: out of memory,
    /// unless they are the incumbent. Incumbents that no longer are leave too.
    fn settle(&mut self) {
        let Some(window) = self.window else {
            return;
        };
        let mut gone = BTreeSet::new();
        while self.recent.len() > window {
            // The feed order (outside, then recent) does not change: no rebuild yet.
            if let Some(n) = self.recent.pop_front() {
                crate::grow::push(&mut self.outside, n);
            }
        }
        let (kept, left): (Vec<u64>, Vec<u64>) =
            self.outside.iter().partition(|&&n| self.pinned(n));
        if left.is_empty() {
            return;
        }
        self.outside = kept;
        gone.extend(left);
        let (left, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.trials)
            .into_iter()
            .partition(|t| gone.contains(&t.number));
        self.trials = kept;
        for trial in &left {
            self.sampler.archive(trial);
        }
        if let Some(outbox) = &mut self.outbox {
            outbox.extend(left);
        }
        self.stale = true;
    }

    /// Every trial, those that left memory included, by number. Borrowed while every
    /// trial is in memory; otherwise rebuilt by replaying the journal without the
    /// window, O(events). A study woken from a snapshot no longer holds the events
    /// before it: its store has those trials.
    pub fn all_trials(&self) -> Result<std::borrow::Cow<'_, [FrozenTrial]>> {
        if self.trials.len() as u64 == self.n_numbers {
            return Ok(std::borrow::Cow::Borrowed(&self.trials));
        }
        if self.events_base > 0 {
            return Err(crate::error::Error::NotAvailable(
                "this study was loaded from a snapshot: the trials that left its history window are in its store".into(),
            ));
        }
        let events = self
            .events
            .since(0)
            .into_iter()
            .filter(|e| !matches!(e, Event::HistoryWindowSet { .. }))
            .map(|mut e| {
                if let Event::Created { config, .. } = &mut e {
                    config.history_window = None;
                }
                e
            })
            .collect();
        Ok(std::borrow::Cow::Owned(Study::replay(events)?.trials))
    }

    /// From now on, keeps the trials that leave memory until [`Study::take_archived`]
    /// hands them over: a store that keeps every trial's final form (the service's
    /// trials table) collects them so.
    pub fn collect_archived(&mut self) {
        self.outbox.get_or_insert_with(Vec::new);
    }

    /// The trials that left memory since the last call, when
    /// [`Study::collect_archived`] was called; they are dropped then.
    pub fn take_archived(&mut self) -> Vec<FrozenTrial> {
        self.outbox.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Whether finished trial `n` stays in memory outside the window.
    fn pinned(&self, n: u64) -> bool {
        if self.directions().len() == 1 {
            return self.best == Some(n);
        }
        let from = self.front.len().saturating_sub(MAX_PINNED_FRONT);
        self.front[from..].iter().any(|(m, _)| *m == n)
    }

    /// Adds trial `number` to the Pareto front if it is on it, dropping the members it
    /// dominates. The front is kept by number. O(F·m).
    fn update_front(&mut self, number: u64) {
        let Some(trial) = self.slot(number).map(|i| &self.trials[i]) else {
            return;
        };
        if trial.state != TrialState::Complete || !trial.within_budget {
            return;
        }
        let l = losses(&self.config.directions, trial);
        if self.front.iter().any(|(_, q)| dominates(q, &l)) {
            return;
        }
        self.front.retain(|(_, q)| !dominates(&l, q));
        let at = self.front.partition_point(|(m, _)| *m < number);
        self.front.insert(at, (number, l));
    }

    /// The Pareto front of the trials in memory, for a window set on a study that had
    /// none: every trial is in memory then.
    fn rebuilt_front(&self) -> Vec<(u64, Vec<f64>)> {
        crate::analysis::pareto_front(&self.view())
            .into_iter()
            .map(|t| (t.number, losses(&self.config.directions, t)))
            .collect()
    }

    /// Rebuilds the sampler over the finished trials in memory, in the order they
    /// finished, with its memory of the others, if trials left memory since it was
    /// last built. O(W) `after_trial` calls.
    pub(super) fn refresh_sampler(&mut self) {
        if !self.stale {
            return;
        }
        let memory = self.sampler.memory();
        let mut sampler = self.config.sampler.build(self.config.seed);
        if let Some(memory) = memory {
            // A sampler takes back its own memory.
            let recalled = sampler.recall(memory);
            debug_assert!(recalled.is_ok(), "{recalled:?}");
        }
        let view = self.view();
        for &n in self.outside.iter().chain(&self.recent) {
            if let Some(trial) = view.trial(n) {
                sampler.after_trial(&view, trial);
            }
        }
        self.sampler = sampler;
        self.stale = false;
    }
}
