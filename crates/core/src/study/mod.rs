//! The study: ask, suggest, report, tell, enqueue, and the journal behind them.
//!
//! Every change goes through one path: the study builds an [`Event`], checks it against
//! the current state, applies it and appends it to the journal. [`Study::replay`] runs
//! the same path over a stored journal, so a replayed study is identical to the live
//! one, sampler state included.

mod config;
mod journal;
mod spec;
mod trial_handle;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

pub use config::{validate_study_name, Direction, StudyConfig, MAX_OBJECTIVES};
pub use journal::{Event, Journal, JsonF64, JOURNAL_FORMAT, JOURNAL_VERSION};
pub use spec::StudySpec;
pub use trial_handle::TrialHandle;

use crate::distributions::{validate_param_name, Distribution, ParamValue, SearchSpace};
use crate::error::{Error, Result};
use crate::pruners::Pruner;
use crate::rng;
use crate::samplers::Sampler;
use crate::transform;
use crate::trial::{FrozenTrial, RelativeParam, TrialState};
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
    /// Failed, with an optional reason.
    Fail(Option<String>),
}

impl Outcome {
    /// A single objective value.
    pub fn value(v: f64) -> Self {
        Outcome::Values(vec![v])
    }
}

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
    events: Vec<Event>,
    sampler: Box<dyn Sampler>,
    pruner: Box<dyn Pruner>,
    user_attrs: BTreeMap<String, Value>,
    system_attrs: BTreeMap<String, Value>,
    waiting: BTreeSet<u64>,
    best: Option<u64>,
    counts: [usize; 5],
    clock: Option<Clock>,
}

impl std::fmt::Debug for Study {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Study")
            .field("config", &self.config)
            .field("trials", &self.trials.len())
            .field("events", &self.events.len())
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
    pub fn create_with_clock(config: StudyConfig, clock: Option<Clock>) -> Result<Study> {
        let config = config.validated()?;
        let at = clock.as_ref().map(|c| c());
        let mut study = Study::empty(config.clone(), at);
        study.clock = clock;
        study.events.push(Event::Created { config, at });
        Ok(study)
    }

    fn empty(config: StudyConfig, created_at: Option<f64>) -> Study {
        Study {
            sampler: config.sampler.build(config.seed),
            pruner: config.pruner.build(),
            config,
            created_at,
            trials: Vec::new(),
            events: Vec::new(),
            user_attrs: BTreeMap::new(),
            system_attrs: BTreeMap::new(),
            waiting: BTreeSet::new(),
            best: None,
            counts: [0; 5],
            clock: None,
        }
    }

    /// Rebuilds a study from its events. Cost: O(events), plus the sampler's
    /// `after_trial` for each finished trial.
    pub fn replay(events: Vec<Event>) -> Result<Study> {
        let mut iter = events.into_iter();
        let mut study = match iter.next() {
            Some(Event::Created { config, at }) => {
                let config = config
                    .validated()
                    .map_err(|e| Error::InvalidJournal(format!("event 0: {e}")))?;
                let mut study = Study::empty(config.clone(), at);
                study.events.push(Event::Created { config, at });
                study
            }
            _ => {
                return Err(Error::InvalidJournal(
                    "the first event must be \"created\"".into(),
                ))
            }
        };
        for (i, event) in iter.enumerate() {
            study
                .commit(event)
                .map_err(|e| Error::InvalidJournal(format!("event {}: {e}", i + 1)))?;
        }
        Ok(study)
    }

    /// Rebuilds a study from an exported journal.
    pub fn from_journal(journal: Journal) -> Result<Study> {
        Study::replay(journal.checked()?.events)
    }

    /// Rebuilds a study from a journal's JSON text.
    pub fn from_journal_json(text: &str) -> Result<Study> {
        Study::replay(Journal::from_json(text)?.events)
    }

    /// The journal, for export.
    pub fn to_journal(&self) -> Journal {
        Journal::new(self.events.clone())
    }

    /// Every event so far, oldest first. A store appends the ones it has not written.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Sets the clock that timestamps later events.
    pub fn set_clock(&mut self, clock: Option<Clock>) {
        self.clock = clock;
    }

    fn now(&self) -> Option<f64> {
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

    /// All trials, by number.
    pub fn trials(&self) -> &[FrozenTrial] {
        &self.trials
    }

    /// One trial.
    pub fn trial(&self, number: u64) -> Result<&FrozenTrial> {
        usize::try_from(number)
            .ok()
            .and_then(|i| self.trials.get(i))
            .ok_or(Error::TrialNotFound { number })
    }

    /// Study user attributes.
    pub fn user_attrs(&self) -> &BTreeMap<String, Value> {
        &self.user_attrs
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

    /// The best trials: the Pareto front of the COMPLETE trials (with one objective,
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

    /// The flat trials table (Optuna's `trials_dataframe`), for CSV or JSON export.
    pub fn trials_table(&self) -> crate::analysis::TrialsTable {
        crate::analysis::TrialsTable::new(&self.trials, self.config.directions.len())
    }

    /// Starts a trial: the oldest WAITING one, or a new one. The sampler draws its
    /// relative parameters now; the rest are drawn as the trial suggests them.
    ///
    /// Cost: O(log W) for W waiting trials, plus the sampler's relative sampling
    /// (nothing for the random sampler).
    pub fn ask(&mut self) -> Result<u64> {
        let event = self.next_asked_event()?;
        self.commit(event)
    }

    /// Starts a trial and suggests every parameter of `space` at once. Nothing is
    /// stored when a parameter is invalid. Cost: [`Study::ask`] plus one independent
    /// sample per parameter outside the relative space.
    pub fn ask_with_space(&mut self, space: &SearchSpace) -> Result<u64> {
        let space = space
            .clone()
            .validated()
            .map_err(|e| e.within("search_space"))?;
        let asked = self.next_asked_event()?;
        let Event::Asked { number, .. } = asked else {
            unreachable!("next_asked_event builds an Asked event")
        };
        // Enqueued values must fit the space before anything is stored.
        if let Some(waiting) = self.trials.get(number as usize) {
            for p in &space.0 {
                if let Some(fixed) = waiting.fixed_params.get(&p.name) {
                    fixed_internal(&p.name, fixed, &p.distribution)?;
                }
            }
        }
        let mark = self.events.len();
        self.commit(asked)?;
        for p in &space.0 {
            if let Err(e) = self.suggest(number, &p.name, &p.distribution) {
                // A sampler refused a parameter (a grid value outside its distribution,
                // a float the brute-force sampler cannot enumerate): undo the ask.
                self.rewind(mark);
                return Err(e);
            }
        }
        Ok(number)
    }

    /// Drops every event from `mark` on by replaying the ones before it, so a failed
    /// compound operation stores nothing. O(events), on the error path only.
    fn rewind(&mut self, mark: usize) {
        let clock = self.clock.take();
        let events = self.events[..mark].to_vec();
        match Study::replay(events) {
            Ok(study) => *self = study,
            Err(e) => debug_assert!(false, "a prefix of a valid journal replays: {e}"),
        }
        self.clock = clock;
    }

    /// Starts a trial and returns a handle for define-by-run suggestions.
    pub fn ask_trial(&mut self) -> Result<TrialHandle<'_>> {
        let number = self.ask()?;
        Ok(TrialHandle::new(self, number))
    }

    /// A handle on a RUNNING trial, for define-by-run suggestions.
    pub fn trial_handle(&mut self, number: u64) -> Result<TrialHandle<'_>> {
        self.running(number)?;
        Ok(TrialHandle::new(self, number))
    }

    fn next_asked_event(&mut self) -> Result<Event> {
        let number = self
            .waiting
            .first()
            .copied()
            .unwrap_or(self.trials.len() as u64);
        let mut trial = match self.trials.get(number as usize) {
            Some(waiting) => waiting.clone(),
            None => FrozenTrial::new(number, TrialState::Running),
        };
        trial.state = TrialState::Running;
        let view = StudyView {
            study_name: &self.config.name,
            directions: &self.config.directions,
            trials: &self.trials,
            system_attrs: &self.system_attrs,
        };
        let space = self.sampler.infer_relative_search_space(&view, &trial);
        let mut rng = rng::trial_rng(self.config.seed, number);
        let sampled = self
            .sampler
            .sample_relative(&view, &trial, &space, &mut rng)?;
        let mut relative = BTreeMap::new();
        for p in space.0 {
            if let Some(&value) = sampled.values.get(&p.name) {
                if p.distribution.contains(value) {
                    relative.insert(
                        p.name,
                        RelativeParam {
                            distribution: p.distribution,
                            value,
                        },
                    );
                }
            }
        }
        Ok(Event::Asked {
            number,
            relative,
            trial_attrs: sampled.trial_attrs,
            study_attrs: sampled.study_attrs,
            at: self.now(),
        })
    }

    /// Suggests a value of `distribution` for parameter `name` of a RUNNING trial.
    /// Suggesting the same name again with the same distribution returns the same
    /// value; with another distribution it is an error.
    ///
    /// Cost: O(1) for a fixed or relative parameter, else the sampler's
    /// `sample_independent` (O(1) for the random sampler).
    pub fn suggest(
        &mut self,
        number: u64,
        name: &str,
        distribution: &Distribution,
    ) -> Result<ParamValue> {
        validate_param_name(name)?;
        let distribution = distribution
            .clone()
            .validated()
            .map_err(|e| e.within("distribution"))?;
        let trial = self.running(number)?;
        if let Some(&existing) = trial.params.get(name) {
            let known = &trial.distributions[name];
            if *known != distribution {
                return Err(Error::invalid(
                    "distribution",
                    format!(
                        "parameter {name:?} of trial {number} was already suggested with another distribution"
                    ),
                ));
            }
            return known.to_external(existing);
        }
        let value = self.draw(number, name, &distribution)?;
        let external = distribution.to_external(value)?;
        self.commit(Event::ParamSet {
            number,
            name: name.to_string(),
            distribution,
            value,
        })?;
        Ok(external)
    }

    /// The internal value for a parameter of a RUNNING trial: enqueued, relative,
    /// the only value, or a fresh independent sample.
    fn draw(&mut self, number: u64, name: &str, distribution: &Distribution) -> Result<f64> {
        let Study {
            config,
            trials,
            sampler,
            system_attrs,
            ..
        } = self;
        let trial = &trials[number as usize];
        if let Some(fixed) = trial.fixed_params.get(name) {
            return fixed_internal(name, fixed, distribution);
        }
        if let Some(rel) = trial.relative_params.get(name) {
            if rel.distribution == *distribution {
                return Ok(rel.value);
            }
        }
        if distribution.is_single() {
            let b = transform::bounds(distribution);
            return Ok(transform::untransform(distribution, b.low));
        }
        let view = StudyView {
            study_name: &config.name,
            directions: &config.directions,
            trials,
            system_attrs,
        };
        let mut rng = rng::param_rng(config.seed, number, name);
        let value = sampler.sample_independent(&view, trial, name, distribution, &mut rng)?;
        if distribution.contains(value) {
            Ok(value)
        } else {
            // A sampler must stay inside the distribution; snap a stray value back in.
            debug_assert!(false, "sampler returned {value} outside {distribution:?}");
            Ok(transform::untransform(
                distribution,
                transform::transform(distribution, value),
            ))
        }
    }

    /// Reports an intermediate value at `step` for a RUNNING trial. As in Optuna, a
    /// second report for the same step is ignored and the first value kept.
    pub fn report(&mut self, number: u64, step: u64, value: f64) -> Result<()> {
        if self.config.directions.len() != 1 {
            return Err(Error::NotAvailable(
                "intermediate values are for single-objective studies".into(),
            ));
        }
        let trial = self.running(number)?;
        if trial.intermediate_values.contains_key(&step) {
            return Ok(());
        }
        self.commit(Event::Reported {
            number,
            step,
            value: JsonF64(value),
        })
        .map(|_| ())
    }

    /// Asks the pruner whether a RUNNING trial should stop now. What the pruner records
    /// (successive halving's rung values, for one) is stored through the journal.
    ///
    /// Cost: the pruner's check, O(n) for most pruners.
    pub fn should_prune(&mut self, number: u64) -> Result<bool> {
        let trial = self.running(number)?;
        let pruning = self.pruner.prune(&self.view(), trial);
        for record in pruning.records {
            self.commit(Event::SystemAttrSet {
                number: record.trial,
                key: record.key,
                value: record.value,
            })?;
        }
        Ok(pruning.prune)
    }

    /// Sets a study system attribute (service bookkeeping, such as a job's cancellation).
    pub fn set_system_attr(&mut self, key: &str, value: Value) -> Result<()> {
        if key.is_empty() || key.len() > MAX_KEY_LEN {
            return Err(Error::invalid(
                "key",
                format!("must be 1 to {MAX_KEY_LEN} bytes long"),
            ));
        }
        self.commit(Event::SystemAttrSet {
            number: None,
            key: key.to_string(),
            value,
        })
        .map(|_| ())
    }

    /// Study system attributes (sampler and pruner bookkeeping).
    pub fn system_attrs(&self) -> &BTreeMap<String, Value> {
        &self.system_attrs
    }

    /// Finishes a RUNNING trial and returns its final state (FAIL when a value was NaN).
    /// A finished trial never changes: telling it again is an error.
    ///
    /// Cost: O(1) plus the sampler's `after_trial`.
    pub fn tell(&mut self, number: u64, outcome: Outcome) -> Result<TrialState> {
        let trial = self.running(number)?;
        let (state, values, fail_reason) = match outcome {
            Outcome::Values(values) => {
                self.check_value_count(&values)?;
                if values.iter().any(|v| v.is_nan()) {
                    (
                        TrialState::Fail,
                        None,
                        Some("the objective value is NaN".to_string()),
                    )
                } else {
                    (TrialState::Complete, Some(values), None)
                }
            }
            Outcome::Pruned => {
                let last = trial
                    .intermediate_values
                    .values()
                    .next_back()
                    .copied()
                    .filter(|v| !v.is_nan());
                (TrialState::Pruned, last.map(|v| vec![v]), None)
            }
            Outcome::Fail(reason) => (TrialState::Fail, None, reason),
        };
        self.commit(Event::Told {
            number,
            state,
            values: values.map(|vs| vs.into_iter().map(JsonF64).collect()),
            fail_reason,
            at: self.now(),
        })?;
        Ok(state)
    }

    /// Sets the constraint values and tells the outcome in one step: both are checked
    /// before anything is stored, so a bad request changes nothing.
    pub fn tell_with_constraints(
        &mut self,
        number: u64,
        outcome: Outcome,
        constraints: Vec<f64>,
    ) -> Result<TrialState> {
        self.running(number)?;
        check_constraints(&constraints)?;
        if let Outcome::Values(values) = &outcome {
            self.check_value_count(values)?;
        }
        self.set_constraints(number, constraints)?;
        self.tell(number, outcome)
    }

    /// Enqueues a WAITING trial whose parameters are fixed to `params`; the next ask
    /// starts it. Returns its number.
    pub fn enqueue(&mut self, params: BTreeMap<String, ParamValue>) -> Result<u64> {
        for (name, value) in &params {
            validate_param_name(name).map_err(|e| e.within("params"))?;
            if let ParamValue::Float(f) = value {
                if !f.is_finite() {
                    return Err(Error::invalid(
                        format!("params.{name}"),
                        "must be a finite number",
                    ));
                }
            }
        }
        let number = self.trials.len() as u64;
        self.commit(Event::Enqueued { number, params })
    }

    /// Sets the constraint values of a RUNNING trial (`<= 0` is feasible), as Optuna's
    /// `Trial.set_constraint`; samplers that handle constraints avoid infeasible regions.
    /// Setting them again replaces them.
    pub fn set_constraints(&mut self, number: u64, values: Vec<f64>) -> Result<()> {
        self.running(number)?;
        check_constraints(&values)?;
        self.commit(Event::ConstraintsSet { number, values })
            .map(|_| ())
    }

    /// Sets a study user attribute.
    pub fn set_user_attr(&mut self, key: &str, value: Value) -> Result<()> {
        self.commit(Event::UserAttrSet {
            number: None,
            key: key.to_string(),
            value,
        })
        .map(|_| ())
    }

    /// Sets a user attribute of a RUNNING or WAITING trial.
    pub fn set_trial_user_attr(&mut self, number: u64, key: &str, value: Value) -> Result<()> {
        self.commit(Event::UserAttrSet {
            number: Some(number),
            key: key.to_string(),
            value,
        })
        .map(|_| ())
    }

    /// Runs `objective` on `n_trials` new trials, telling each its outcome.
    pub fn optimize<F>(&mut self, n_trials: usize, mut objective: F) -> Result<()>
    where
        F: FnMut(&mut TrialHandle<'_>) -> Outcome,
    {
        for _ in 0..n_trials {
            let mut trial = self.ask_trial()?;
            let outcome = objective(&mut trial);
            let number = trial.number();
            self.tell(number, outcome)?;
        }
        Ok(())
    }

    /// One value per direction, or an error naming `values`.
    fn check_value_count(&self, values: &[f64]) -> Result<()> {
        let expected = self.config.directions.len();
        if values.len() != expected {
            return Err(Error::invalid(
                "values",
                format!(
                    "the study has {expected} objective(s), got {} value(s)",
                    values.len()
                ),
            ));
        }
        Ok(())
    }

    fn running(&self, number: u64) -> Result<&FrozenTrial> {
        let trial = self.trial(number)?;
        if trial.state != TrialState::Running {
            return Err(Error::TrialNotRunning {
                number,
                state: trial.state,
            });
        }
        Ok(trial)
    }

    /// Checks `event` against the current state, applies it and appends it to the
    /// journal. Returns the trial number the event concerns (0 for study events).
    fn commit(&mut self, event: Event) -> Result<u64> {
        let number = self.apply(&event)?;
        self.events.push(event);
        Ok(number)
    }

    /// Applies one event; nothing changes when it returns an error.
    fn apply(&mut self, event: &Event) -> Result<u64> {
        match event {
            Event::Created { .. } => Err(Error::InvalidJournal(
                "\"created\" may only be the first event".into(),
            )),
            Event::Asked {
                number,
                relative,
                trial_attrs,
                study_attrs,
                at,
            } => {
                let number = *number;
                // Relative parameters come from the sampler, or from an imported journal:
                // check them, as a stray value would reach the sampler's estimators later.
                for (name, rel) in relative {
                    validate_param_name(name)?;
                    let distribution = rel.distribution.clone().validated()?;
                    if distribution != rel.distribution || !distribution.contains(rel.value) {
                        return Err(Error::invalid(
                            "relative",
                            format!("{} is not in the distribution of {name:?}", rel.value),
                        ));
                    }
                }
                let fresh = number == self.trials.len() as u64;
                if !fresh && !self.waiting.contains(&number) {
                    return Err(Error::invalid(
                        "number",
                        format!("trial {number} is neither new nor waiting"),
                    ));
                }
                if fresh {
                    self.trials
                        .push(FrozenTrial::new(number, TrialState::Running));
                } else {
                    self.waiting.remove(&number);
                    self.counts[state_index(TrialState::Waiting)] -= 1;
                }
                self.counts[state_index(TrialState::Running)] += 1;
                let trial = &mut self.trials[number as usize];
                trial.state = TrialState::Running;
                trial.relative_params = relative.clone();
                trial
                    .system_attrs
                    .extend(trial_attrs.iter().map(|(k, v)| (k.clone(), v.clone())));
                trial.datetime_start = *at;
                self.system_attrs
                    .extend(study_attrs.iter().map(|(k, v)| (k.clone(), v.clone())));
                Ok(number)
            }
            Event::ParamSet {
                number,
                name,
                distribution,
                value,
            } => {
                self.running(*number)?;
                validate_param_name(name)?;
                let distribution = distribution.clone().validated()?;
                if !distribution.contains(*value) {
                    return Err(Error::invalid(
                        "value",
                        format!("{value} is not in the distribution of {name:?}"),
                    ));
                }
                let trial = &mut self.trials[*number as usize];
                if trial.params.contains_key(name) {
                    return Err(Error::invalid(
                        "name",
                        format!("parameter {name:?} of trial {number} is already set"),
                    ));
                }
                trial.params.insert(name.clone(), *value);
                trial.distributions.insert(name.clone(), distribution);
                trial.param_order.push(name.clone());
                Ok(*number)
            }
            Event::Reported {
                number,
                step,
                value,
            } => {
                self.running(*number)?;
                let trial = &mut self.trials[*number as usize];
                if trial.intermediate_values.contains_key(step) {
                    return Err(Error::invalid(
                        "step",
                        format!("step {step} of trial {number} is already reported"),
                    ));
                }
                trial.intermediate_values.insert(*step, value.0);
                Ok(*number)
            }
            Event::Told {
                number,
                state,
                values,
                fail_reason,
                at,
            } => {
                self.running(*number)?;
                let values: Option<Vec<f64>> =
                    values.as_ref().map(|vs| vs.iter().map(|v| v.0).collect());
                match state {
                    TrialState::Complete => {
                        let ok = values.as_ref().is_some_and(|vs| {
                            vs.len() == self.config.directions.len()
                                && vs.iter().all(|v| !v.is_nan())
                        });
                        if !ok {
                            return Err(Error::invalid(
                                "values",
                                "a COMPLETE trial needs one non-NaN value per direction",
                            ));
                        }
                    }
                    TrialState::Pruned | TrialState::Fail => {}
                    other => {
                        return Err(Error::invalid(
                            "state",
                            format!("a trial cannot be told {other}"),
                        ))
                    }
                }
                let trial = &mut self.trials[*number as usize];
                trial.state = *state;
                trial.values = values;
                trial.fail_reason = fail_reason.clone();
                trial.datetime_complete = *at;
                self.counts[state_index(TrialState::Running)] -= 1;
                self.counts[state_index(*state)] += 1;
                if *state == TrialState::Complete {
                    self.update_best(*number);
                }
                let view = StudyView {
                    study_name: &self.config.name,
                    directions: &self.config.directions,
                    trials: &self.trials,
                    system_attrs: &self.system_attrs,
                };
                self.sampler
                    .after_trial(&view, &self.trials[*number as usize]);
                Ok(*number)
            }
            Event::SystemAttrSet { number, key, value } => {
                match number {
                    None => {
                        self.system_attrs.insert(key.clone(), value.clone());
                    }
                    Some(n) => {
                        self.running(*n)?;
                        self.trials[*n as usize]
                            .system_attrs
                            .insert(key.clone(), value.clone());
                    }
                }
                Ok(number.unwrap_or(0))
            }
            Event::ConstraintsSet { number, values } => {
                self.running(*number)?;
                check_constraints(values)?;
                self.trials[*number as usize].constraints = Some(values.clone());
                Ok(*number)
            }
            Event::UserAttrSet { number, key, value } => {
                if key.is_empty() || key.len() > MAX_KEY_LEN {
                    return Err(Error::invalid(
                        "key",
                        format!("must be 1 to {MAX_KEY_LEN} bytes long"),
                    ));
                }
                match number {
                    None => {
                        self.user_attrs.insert(key.clone(), value.clone());
                        Ok(0)
                    }
                    Some(n) => {
                        let trial = self.trial(*n)?;
                        if trial.state.is_finished() {
                            return Err(Error::TrialNotRunning {
                                number: *n,
                                state: trial.state,
                            });
                        }
                        self.trials[*n as usize]
                            .user_attrs
                            .insert(key.clone(), value.clone());
                        Ok(*n)
                    }
                }
            }
            Event::Enqueued { number, params } => {
                if *number != self.trials.len() as u64 {
                    return Err(Error::invalid(
                        "number",
                        format!("an enqueued trial must be number {}", self.trials.len()),
                    ));
                }
                let mut trial = FrozenTrial::new(*number, TrialState::Waiting);
                trial.fixed_params = params.clone();
                self.trials.push(trial);
                self.waiting.insert(*number);
                self.counts[state_index(TrialState::Waiting)] += 1;
                Ok(*number)
            }
        }
    }

    fn update_best(&mut self, number: u64) {
        if self.config.directions.len() != 1 {
            return;
        }
        let direction = self.config.directions[0];
        let value = self.trials[number as usize].values.as_ref().map(|v| v[0]);
        let best = self
            .best
            .and_then(|b| self.trials[b as usize].values.as_ref().map(|v| v[0]));
        match (value, best) {
            (Some(v), Some(b)) if !direction.better(v, b) => {}
            (Some(_), _) => self.best = Some(number),
            (None, _) => {}
        }
    }
}

/// Constraint values are finite numbers, at most 64 of them.
fn check_constraints(values: &[f64]) -> Result<()> {
    if values.is_empty() || values.len() > 64 {
        return Err(Error::invalid("constraints", "give 1 to 64 values"));
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            format!("constraints[{i}]"),
            "must be a finite number",
        ));
    }
    Ok(())
}

/// The internal value of an enqueued parameter, or an error naming it.
fn fixed_internal(name: &str, fixed: &ParamValue, distribution: &Distribution) -> Result<f64> {
    distribution.to_internal(fixed).map_err(|_| {
        Error::invalid(
            format!("params.{name}"),
            format!(
                "the enqueued value {fixed} is not in the suggested {} distribution",
                distribution.kind()
            ),
        )
    })
}
