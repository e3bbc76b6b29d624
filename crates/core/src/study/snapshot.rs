//! Snapshots: a study's state in memory as one JSON document, so that a store wakes a
//! study from its latest snapshot and the events after it, without replaying the
//! trials that left the history window.
//!
//! A snapshot holds the trials in memory and everything replay derives from the
//! others: the trial counters, the spending, the best trial, the Pareto front, the
//! study's attributes (where the QMC index and the CMA-ES and NSGA generations live)
//! and the sampler's memory (the grid's visited points). The sampler itself is rebuilt
//! from the trials in memory, as it is when trials leave the window, so a study loaded
//! from a snapshot and the tail of its journal equals a full replay and suggests the
//! same next trial.
//!
//! Cost: O(T) to take and to load, for the T trials in memory.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Event, Study, StudyConfig};
use crate::error::{Error, Result};
use crate::trial::FrozenTrial;

/// The snapshot format's name, in every snapshot.
pub const SNAPSHOT_FORMAT: &str = "edgetune-snapshot";
/// The snapshot format version this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Snapshot {
    format: String,
    version: u32,
    /// How many journal events it covers: the next event's sequence number.
    events: usize,
    config: StudyConfig,
    created_at: Option<f64>,
    trials: Vec<FrozenTrial>,
    n_trials: u64,
    user_attrs: BTreeMap<String, Value>,
    system_attrs: BTreeMap<String, Value>,
    waiting: BTreeSet<u64>,
    best: Option<u64>,
    counts: [usize; 5],
    spent_finished: f64,
    running_costs: BTreeMap<u64, f64>,
    n_pruned_for_cost: usize,
    best_seen_at: usize,
    window: Option<usize>,
    recent: VecDeque<u64>,
    outside: Vec<u64>,
    front: Vec<(u64, Vec<f64>)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sampler_memory: Option<Value>,
}

impl Study {
    /// The study's state as a snapshot (JSON), covering [`Study::journal_len`] events.
    ///
    /// ```
    /// use edgetune_core::{Outcome, Study, StudyConfig};
    /// let config = StudyConfig::new("s").with_seed(3).with_history_window(100);
    /// let mut study = Study::create(config).unwrap();
    /// for _ in 0..150 {
    ///     let mut trial = study.ask_trial().unwrap();
    ///     let x = trial.suggest_float("x", -1.0, 1.0).unwrap();
    ///     let n = trial.number();
    ///     study.tell(n, Outcome::value(x * x)).unwrap();
    /// }
    /// // The newest 100 finished trials, and the best one if it is older.
    /// assert_eq!(study.n_trials(), 150);
    /// assert!(study.trials().len() <= 101);
    /// let mut woken = Study::from_snapshot(&study.snapshot()).unwrap();
    /// assert_eq!(woken.trials(), study.trials());
    /// assert_eq!(woken.ask().unwrap(), study.ask().unwrap());
    /// assert_eq!(woken.trials().last(), study.trials().last());
    /// ```
    pub fn snapshot(&self) -> String {
        let snapshot = Snapshot {
            format: SNAPSHOT_FORMAT.to_string(),
            version: SNAPSHOT_VERSION,
            events: self.journal_len(),
            config: self.config.clone(),
            created_at: self.created_at,
            trials: self.trials.clone(),
            n_trials: self.n_numbers,
            user_attrs: self.user_attrs.clone(),
            system_attrs: self.system_attrs.clone(),
            waiting: self.waiting.clone(),
            best: self.best,
            counts: self.counts,
            spent_finished: self.spent_finished,
            running_costs: self.running_costs.clone(),
            n_pruned_for_cost: self.n_pruned_for_cost,
            best_seen_at: self.best_seen_at,
            window: self.window,
            recent: self.recent.clone(),
            outside: self.outside.clone(),
            front: self.front.clone(),
            sampler_memory: self.sampler.memory(),
        };
        // Trials and attributes are JSON-safe (non-finite values are written as
        // strings): a snapshot always serializes.
        serde_json::to_string(&snapshot).unwrap_or_default()
    }

    /// A study from a snapshot that [`Study::snapshot`] took. It holds no events: a
    /// store appends the journal's events from the snapshot's
    /// [`Study::journal_len`] on with [`Study::apply_journal`].
    pub fn from_snapshot(text: &str) -> Result<Study> {
        let bad = |what: String| Error::InvalidJournal(format!("snapshot: {what}"));
        let s: Snapshot = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        if s.format != SNAPSHOT_FORMAT || s.version != SNAPSHOT_VERSION {
            return Err(bad(format!(
                "{:?} version {} is not {SNAPSHOT_FORMAT:?} version {SNAPSHOT_VERSION}",
                s.format, s.version
            )));
        }
        let config = s.config.validated().map_err(|e| bad(e.to_string()))?;
        let ascending = s.trials.windows(2).all(|w| w[0].number < w[1].number);
        if !ascending || s.trials.last().is_some_and(|t| t.number >= s.n_trials) {
            return Err(bad("its trials are not in order".into()));
        }
        let mut study = Study::empty(config, s.created_at);
        let memory = s.sampler_memory;
        if let Some(m) = memory {
            study.sampler.recall(m).map_err(|e| bad(e.to_string()))?;
        }
        study.trials = s.trials;
        for t in &mut study.trials {
            t.params.intern(&mut study.param_table);
        }
        study.n_numbers = s.n_trials;
        study.user_attrs = s.user_attrs;
        study.system_attrs = s.system_attrs;
        study.waiting = s.waiting;
        study.best = s.best;
        study.counts = s.counts;
        study.spent_finished = s.spent_finished;
        study.running_costs = s.running_costs;
        study.n_pruned_for_cost = s.n_pruned_for_cost;
        study.best_seen_at = s.best_seen_at;
        study.window = s.window;
        study.recent = s.recent;
        study.outside = s.outside;
        study.front = s.front;
        study.stale = true;
        study.events_base = s.events;
        study.base = Some(text.into());
        Ok(study)
    }

    /// Every journal event so far, those before a snapshot included. O(1).
    pub fn journal_len(&self) -> usize {
        self.events_base + self.events.len()
    }

    /// How many journal events come before [`Study::events`]: 0 unless the study was
    /// loaded from a snapshot or forgot its older events.
    pub fn events_base(&self) -> usize {
        self.events_base
    }

    /// Applies stored journal events that follow the study's last one (the tail after
    /// a snapshot), checking each as a replay does.
    pub fn apply_journal(&mut self, events: impl IntoIterator<Item = Event>) -> Result<()> {
        for event in events {
            let seq = self.journal_len();
            self.commit(event)
                .map_err(|e| Error::InvalidJournal(format!("event {seq}: {e}")))?;
        }
        Ok(())
    }

    /// Applies stored journal events as [`Study::apply_journal`] does, without keeping
    /// them: for a store that wakes a study chunk by chunk, so memory never holds the
    /// whole journal. The study must hold no events (see [`Study::forget_events`]).
    pub fn apply_stored(&mut self, events: impl IntoIterator<Item = Event>) -> Result<()> {
        debug_assert!(self.events.is_empty());
        self.base = None;
        for event in events {
            let seq = self.journal_len();
            self.apply(&event)
                .map_err(|e| Error::InvalidJournal(format!("event {seq}: {e}")))?;
            self.events_base += 1;
        }
        Ok(())
    }

    /// Makes room for `trials` trials in all, for a store about to wake a study whose
    /// size it knows: the vectors that hold an entry per trial are then allocated once
    /// instead of growing during the replay (see `grow.rs`), and the list of trials
    /// with an eighth more, so the study's next trials do not move it. Ignored with a
    /// history window, whose memory holds only the window; a hint beyond 2^24 trials
    /// is taken as 2^24. O(trials).
    pub fn reserve_trials(&mut self, trials: usize) {
        if self.window.is_some() {
            return;
        }
        let trials = trials.min(1 << 24);
        self.trials
            .reserve_exact((trials + trials / 8).saturating_sub(self.trials.len()));
        self.recent
            .reserve_exact(trials.saturating_sub(self.recent.len()));
        self.sampler.reserve(trials);
    }

    /// Drops every event the study holds, which a store has written: memory then keeps
    /// no copy of the journal. Undoing a failed compound operation (an ask whose
    /// sampler refuses a parameter) then leaves the study as the failure left it,
    /// ahead of its store, which must reload it; a store that forgets events does so
    /// whenever a request fails. O(events held).
    pub fn forget_events(&mut self) {
        self.events_base = self.journal_len();
        self.events.clear();
        self.base = None;
    }
}
