//! The study: ask, suggest, report, tell, enqueue, and the journal behind them.
//!
//! Every change goes through one path: the study builds an [`Event`], checks it against
//! the current state, applies it and appends it to the journal. [`Study::replay`] runs
//! the same path over a stored journal, so a replayed study is identical to the live
//! one, sampler state included.

mod ask;
mod config;
mod cost;
mod journal;
mod log;
mod named;
pub mod packed;
mod replay;
mod snapshot;
mod spec;
#[cfg(feature = "schema")]
mod spec_schema;
mod tell;
mod trial_handle;
mod window;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;

pub use crate::direction::Direction;
pub use crate::json_f64::JsonF64;
pub use config::validate_metric_names;
pub use config::{validate_study_name, StudyConfig, MAX_OBJECTIVES};
pub use config::{MAX_HISTORY_WINDOW, MIN_HISTORY_WINDOW};
pub use cost::{PruneReason, Spending, PRUNED_FOR_COST};
pub use journal::{Event, Journal, JOURNAL_FORMAT, JOURNAL_VERSION};
pub use named::{PrunerSpec, SamplerSpec};
pub use snapshot::{SNAPSHOT_FORMAT, SNAPSHOT_VERSION};
pub use spec::{deserialized_fields, StudySpec, HEARTBEAT_TIMEOUT, MAX_HEARTBEAT_TIMEOUT};
pub use trial_handle::TrialHandle;
pub use window::MAX_PINNED_FRONT;

use crate::error::{Error, Result};
use crate::pruners::Pruner;
use crate::samplers::Sampler;
use crate::stopping::Convergence;
use crate::trial::{FrozenTrial, ParamTable, TrialState};
use crate::view::StudyView;

/// A source of wall-clock time in ms since the Unix epoch. The core never reads a
/// clock itself; each surface injects one (`Date.now` in JS and Workers).
pub type Clock = Box<dyn Fn() -> f64 + Send>;

/// How a trial ended, for [`Study::tell`].
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Finished with one value per direction. A NaN value makes the trial FAIL, as in
    /// Optuna.
    Values(Vec<f64>),
    /// Stopped early. For a single-objective study the last intermediate value, if
    /// any, becomes the trial's value, as in Optuna.
    Pruned,
    /// Failed, with an optional reason of at most [`MAX_FAIL_REASON`] bytes.
    Fail(Option<String>),
}

/// The longest reason a failed trial may carry, in bytes.
pub const MAX_FAIL_REASON: usize = 4096;

impl Outcome {
    /// A single objective value.
    pub fn value(v: f64) -> Self {
        Outcome::Values(vec![v])
    }
}

/// The study system attribute of the objectives' names, as Optuna keeps them.
pub const METRIC_NAMES: &str = "study:metric_names";

/// The longest user attribute key.
const MAX_KEY_LEN: usize = 256;

/// A study: a sampler, a pruner and a history of trials, rebuilt from its journal.
///
/// ```
/// use edgetune_core::{Distribution, Outcome, Study, StudyConfig};
/// let mut study = Study::create(StudyConfig::new("demo").with_seed(7)).unwrap();
/// for _ in 0..20 {
///     let mut trial = study.ask_trial().unwrap();
///     let x = trial.suggest_float("x", -5.0, 5.0).unwrap();
///     let number = trial.number();
///     study.tell(number, Outcome::value(x * x)).unwrap();
/// }
/// assert!(study.best_trial().unwrap().value().unwrap() < 25.0);
/// let again = Study::replay(study.events().to_vec()).unwrap();
/// assert_eq!(again.trials(), study.trials());
/// ```
pub struct Study {
    config: StudyConfig,
    created_at: Option<f64>,
    trials: Vec<FrozenTrial>,
    events: log::EventLog,
    sampler: Box<dyn Sampler>,
    pruner: Box<dyn Pruner>,
    user_attrs: BTreeMap<String, Value>,
    system_attrs: BTreeMap<String, Value>,
    waiting: BTreeSet<u64>,
    best: Option<u64>,
    counts: [usize; 5],
    clock: Option<Clock>,
    /// The costs of finished trials, summed in the order they finished.
    spent_finished: f64,
    /// The cost-so-far of running trials that reported one.
    running_costs: BTreeMap<u64, f64>,
    n_pruned_for_cost: usize,
    /// How many COMPLETE trials there were when the best one finished.
    best_seen_at: usize,
    /// The last regret-bound evaluation, by COMPLETE trial count.
    regret_cache: std::cell::RefCell<Option<(usize, Convergence)>>,
    /// Trials created so far, those that left memory included.
    n_numbers: u64,
    /// The history window, when the study has one (see `window.rs`).
    window: Option<usize>,
    /// Finished trials in memory inside the window, in the order they finished.
    recent: VecDeque<u64>,
    /// Finished trials in memory outside the window (incumbents), in the order they
    /// finished.
    outside: Vec<u64>,
    /// With a window and several objectives: the Pareto front, as (number, losses), by
    /// number.
    front: Vec<(u64, Vec<f64>)>,
    /// Trials left memory since the sampler was built: rebuild it before its next use.
    stale: bool,
    /// How many journal events came before `events`: a study loaded from a snapshot
    /// holds only the events after it.
    events_base: usize,
    /// The snapshot at `events_base`, when there is one: what undoing starts from.
    base: Option<std::sync::Arc<str>>,
    /// Trials that left memory, kept for a store that asked for them.
    outbox: Option<Vec<FrozenTrial>>,
    /// The parameter names and distributions the trials share.
    param_table: ParamTable,
}

impl std::fmt::Debug for Study {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Study")
            .field("config", &self.config)
            .field("trials", &self.n_numbers)
            .field("in_memory", &self.trials.len())
            .field("events", &(self.events_base + self.events.len()))
            .finish()
    }
}

fn state_index(state: TrialState) -> usize {
    match state {
        TrialState::Running => 0,
        TrialState::Complete => 1,
        TrialState::Pruned => 2,
        TrialState::Fail => 3,
        TrialState::Waiting => 4,
    }
}

impl Study {
    /// Creates a study from a configuration, which is validated first.
    pub fn create(config: StudyConfig) -> Result<Study> {
        Study::create_with_clock(config, None)
    }

    /// Creates a study whose events carry times from `clock`.
    ///
    /// The config's `metric_names` become the study's (the event that sets them follows
    /// the creation in the journal, as if `set_metric_names` were called).
    pub fn create_with_clock(config: StudyConfig, clock: Option<Clock>) -> Result<Study> {
        let mut config = config.validated()?;
        let metric_names = config.metric_names.take();
        let at = clock.as_ref().map(|c| c());
        let mut study = Study::empty(config.clone(), at);
        study.clock = clock;
        study.events.push(Event::Created {
            config: Box::new(config),
            at,
        });
        if let Some(names) = metric_names {
            study.set_metric_names(names)?;
        }
        Ok(study)
    }

    fn empty(config: StudyConfig, created_at: Option<f64>) -> Study {
        let window = config
            .history_window
            .filter(|w| *w > 0)
            .and_then(|w| usize::try_from(w).ok());
        Study {
            sampler: config.sampler.build(config.seed),
            pruner: config.pruner.build(),
            config,
            created_at,
            trials: Vec::new(),
            events: log::EventLog::default(),
            user_attrs: BTreeMap::new(),
            system_attrs: BTreeMap::new(),
            waiting: BTreeSet::new(),
            best: None,
            counts: [0; 5],
            clock: None,
            spent_finished: 0.0,
            running_costs: BTreeMap::new(),
            n_pruned_for_cost: 0,
            best_seen_at: 0,
            regret_cache: std::cell::RefCell::new(None),
            n_numbers: 0,
            window,
            recent: VecDeque::new(),
            outside: Vec::new(),
            front: Vec::new(),
            stale: false,
            events_base: 0,
            base: None,
            outbox: None,
            param_table: ParamTable::default(),
        }
    }

    /// Sets the clock that timestamps later events.
    pub fn set_clock(&mut self, clock: Option<Clock>) {
        self.clock = clock;
    }

    pub(super) fn now(&self) -> Option<f64> {
        self.clock.as_ref().map(|c| c())
    }

    /// The configuration.
    pub fn config(&self) -> &StudyConfig {
        &self.config
    }

    /// The study name.
    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// The directions, one per objective.
    pub fn directions(&self) -> &[Direction] {
        &self.config.directions
    }

    /// When the study was created, if a clock was set.
    pub fn created_at(&self) -> Option<f64> {
        self.created_at
    }

    /// The trials in memory, by number: every trial, unless the study has a history
    /// window; then the newest finished ones, the incumbent and the unfinished ones
    /// (a store keeps the others). [`Study::n_trials`] counts them all.
    pub fn trials(&self) -> &[FrozenTrial] {
        &self.trials
    }

    /// One trial in memory (see [`Study::trials`]). O(1) without a window, else
    /// O(log n).
    pub fn trial(&self, number: u64) -> Result<&FrozenTrial> {
        match self.slot(number) {
            Some(i) => Ok(&self.trials[i]),
            None if number < self.n_numbers => Err(Error::NotAvailable(format!(
                "trial {number} left the study's history window: it is finished and no longer in memory"
            ))),
            None => Err(Error::TrialNotFound { number }),
        }
    }

    /// The position of trial `number` in [`Study::trials`].
    pub(super) fn slot(&self, number: u64) -> Option<usize> {
        let at = usize::try_from(number).ok()?;
        if self.trials.get(at).is_some_and(|t| t.number == number) {
            return Some(at);
        }
        self.trials.binary_search_by_key(&number, |t| t.number).ok()
    }

    /// Study user attributes.
    pub fn user_attrs(&self) -> &BTreeMap<String, Value> {
        &self.user_attrs
    }

    /// The objectives' names, if set (Optuna's `metric_names`).
    pub fn metric_names(&self) -> Option<Vec<String>> {
        let names = self.system_attrs.get(METRIC_NAMES)?.as_array()?;
        names
            .iter()
            .map(|n| n.as_str().map(str::to_string))
            .collect()
    }

    /// How many trials are in `state`. O(1).
    pub fn count(&self, state: TrialState) -> usize {
        self.counts[state_index(state)]
    }

    /// The read-only view samplers and pruners get.
    pub fn view(&self) -> StudyView<'_> {
        StudyView {
            study_name: &self.config.name,
            directions: &self.config.directions,
            trials: &self.trials,
            system_attrs: &self.system_attrs,
            cost_cooling: self.cost_cooling(),
        }
    }

    /// The best COMPLETE trial of a single-objective study (the first one, on ties).
    /// O(1): the study keeps it up to date on every tell.
    pub fn best_trial(&self) -> Result<&FrozenTrial> {
        if self.config.directions.len() != 1 {
            return Err(Error::NotAvailable(
                "best_trial is defined for single-objective studies; this one has several directions".into(),
            ));
        }
        match self.best {
            Some(n) => self.trial(n),
            None => Err(Error::NotAvailable(
                "no trial is complete yet, so there is no best trial".into(),
            )),
        }
    }

    /// The best trials: the Pareto front of the COMPLETE trials within the budget (with one objective,
    /// every trial with the best value), by number. See [`crate::analysis::pareto_front`].
    pub fn best_trials(&self) -> Vec<&FrozenTrial> {
        crate::analysis::pareto_front(&self.view())
    }

    /// The hypervolume of the COMPLETE trials against `reference` (one value per
    /// objective, in the study's own directions).
    pub fn hypervolume(&self, reference: &[f64]) -> Result<f64> {
        crate::analysis::study_hypervolume(&self.view(), reference)
    }

    /// The hypervolume after each of `points` evenly spaced trial numbers (at most
    /// [`crate::analysis::MAX_HISTORY_POINTS`]), as `(number, hypervolume)`.
    pub fn hypervolume_history(&self, reference: &[f64], points: usize) -> Result<Vec<(u64, f64)>> {
        crate::analysis::hypervolume_history(&self.view(), reference, points)
    }

    /// Parameter importance by `evaluator`: `"ped_anova"` (Optuna 5's default),
    /// `"fanova"` or `"mdi"` (mean decrease impurity), the last two over a random forest
    /// seeded with the study seed; normalised to sum to 1 and sorted from the most
    /// important.
    pub fn importance(
        &self,
        evaluator: &str,
        options: &crate::analysis::PedAnovaOptions,
    ) -> Result<Vec<(String, f64)>> {
        match evaluator {
            "ped_anova" | "PedAnovaImportanceEvaluator" => {
                crate::analysis::ped_anova(&self.view(), options)
            }
            "mdi" | "mean_decrease_impurity" | "MeanDecreaseImpurityImportanceEvaluator" => {
                crate::analysis::mean_decrease_impurity(&self.view(), self.config.seed)
            }
            "fanova" | "FanovaImportanceEvaluator" => {
                crate::analysis::fanova(&self.view(), self.config.seed)
            }
            other => Err(Error::invalid(
                "evaluator",
                format!(
                    "unknown evaluator {other:?}; available: \"ped_anova\", \"fanova\", \"mdi\""
                ),
            )),
        }
    }

    /// The flat trials table (Optuna's `trials_dataframe`) of every trial, for CSV or
    /// JSON export: see [`Study::all_trials`] for its cost with a history window.
    pub fn trials_table(&self) -> Result<crate::analysis::TrialsTable> {
        let trials = self.all_trials()?;
        Ok(crate::analysis::TrialsTable::new(
            &trials,
            self.config.directions.len(),
        ))
    }
}
