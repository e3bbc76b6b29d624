//! What the API answers: the views of studies and trials, and the answers of each
//! operation, built from the core's types. Every object is closed (no field beyond
//! those listed), so the OpenAPI document catches any drift.

use std::collections::BTreeMap;

use edgetune_core::analysis::TrialsTable;
use edgetune_core::{
    Convergence, Direction, Distribution, FrozenTrial, ParamValue, PrunerConfig, SamplerConfig,
    SearchSpace, Spending, StoppingConfig, Study, TrialState,
};
use serde::Serialize;
use serde_json::Value;

use crate::requests::shape;
use crate::time::iso8601;

shape! {
/// A trial: number, state, value(s), parameters, distributions, intermediate values,
/// user attributes and times.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrialView {
    /// The trial number, dense from 0.
    pub number: u64,
    /// The same as `number` (for clients that read `trial_id`).
    pub trial_id: u64,
    /// Its state.
    pub state: TrialState,
    /// The objective value, with one objective.
    pub value: Option<f64>,
    /// Every objective value.
    pub values: Option<Vec<f64>>,
    /// Parameter name → value (a number or a choice).
    pub params: BTreeMap<String, ParamValue>,
    /// Parameter name → distribution.
    pub distributions: BTreeMap<String, Distribution>,
    /// Step → intermediate value (`null` for NaN).
    pub intermediate_values: BTreeMap<String, Option<f64>>,
    /// User attributes.
    pub user_attrs: BTreeMap<String, Value>,
    /// Constraint values (`<= 0` is feasible).
    pub constraints: Option<Vec<f64>>,
    /// Why the trial failed.
    pub fail_reason: Option<String>,
    /// When it started (ISO 8601).
    pub datetime_start: Option<String>,
    /// When it finished (ISO 8601).
    pub datetime_complete: Option<String>,
    /// What the trial cost (so far, while it runs), in the study's cost unit.
    #[serde(default)]
    pub cost: Option<f64>,
}
}

impl TrialView {
    /// The view of `trial`.
    pub fn of(trial: &FrozenTrial) -> Self {
        let r = trial.to_record();
        TrialView {
            number: r.number,
            trial_id: r.number,
            state: r.state,
            value: r.value,
            values: r.values,
            params: r.params,
            distributions: r.distributions,
            intermediate_values: json_intermediate_values(r.intermediate_values),
            user_attrs: r.user_attrs,
            constraints: r.constraints,
            fail_reason: r.fail_reason,
            datetime_start: r.datetime_start.map(iso8601),
            datetime_complete: r.datetime_complete.map(iso8601),
            cost: r.cost,
        }
    }
}

/// Intermediate values by step as JSON has them: NaN, which JSON cannot hold, is null.
pub(crate) fn json_intermediate_values(
    values: BTreeMap<String, f64>,
) -> BTreeMap<String, Option<f64>> {
    values
        .into_iter()
        .map(|(step, v)| (step, (!v.is_nan()).then_some(v)))
        .collect()
}

shape! {
/// Trials in each state.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(non_snake_case)]
pub struct TrialCounts {
    /// Running.
    pub RUNNING: usize,
    /// Complete.
    pub COMPLETE: usize,
    /// Pruned.
    pub PRUNED: usize,
    /// Failed.
    pub FAIL: usize,
    /// Waiting (enqueued).
    pub WAITING: usize,
}
}

shape! {
/// A study: its configuration, counts by state, best trial and last activity.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyView {
    /// The name.
    pub study_name: String,
    /// The direction, with one objective.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// One direction per objective.
    pub directions: Vec<Direction>,
    /// The objectives' names, if set.
    pub metric_names: Option<Vec<String>>,
    /// The sampler and its options.
    pub sampler: SamplerConfig,
    /// The pruner and its options.
    pub pruner: PrunerConfig,
    /// The seed.
    pub seed: u64,
    /// The search space asks draw from, if the study has one.
    pub search_space: Option<SearchSpace>,
    /// Free-form metadata.
    pub metadata: BTreeMap<String, Value>,
    /// Study user attributes.
    pub user_attrs: BTreeMap<String, Value>,
    /// How many trials it has had, those that left its history window included.
    pub n_trials: usize,
    /// The history window: how many of the newest finished trials the sampler sees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_window: Option<u64>,
    /// How many trials are in memory (the window, the incumbent and the unfinished
    /// ones): what `MAX_TRIALS_PER_STUDY` bounds.
    pub n_trials_in_memory: usize,
    /// Trials in each state.
    pub trial_counts: TrialCounts,
    /// The best trial, with one objective once a trial completed.
    pub best_trial: Option<TrialView>,
    /// When it was created (ISO 8601).
    pub created_at: Option<String>,
    /// The latest start or finish of a trial, else the creation (ISO 8601).
    pub last_activity: Option<String>,
    /// What the study spent against its cost budget.
    pub cost: Spending,
    /// How many trials were pruned because of the budget.
    pub n_pruned_for_cost: usize,
    /// The stopping rule, if the study has one.
    pub stopping: Option<StoppingConfig>,
    /// True once the stopping rule fired.
    pub converged: bool,
    /// The stopping rule's evaluation, with the evaluator's numbers.
    pub convergence: Option<Convergence>,
}
}

impl StudyView {
    /// The view of `study`. O(n) in trials, for the last activity.
    pub fn of(study: &Study) -> Self {
        let c = study.config();
        let convergence = study.convergence();
        let last_activity = study
            .trials()
            .iter()
            .flat_map(|t| [t.datetime_start(), t.datetime_complete()])
            .flatten()
            .chain(study.created_at())
            .reduce(f64::max);
        StudyView {
            study_name: c.name.clone(),
            direction: match c.directions.as_slice() {
                [d] => Some(*d),
                _ => None,
            },
            directions: c.directions.clone(),
            metric_names: study.metric_names(),
            sampler: c.sampler.clone(),
            pruner: c.pruner.clone(),
            seed: c.seed,
            search_space: c.search_space.clone(),
            metadata: c.metadata.clone(),
            user_attrs: study.user_attrs().clone(),
            n_trials: study.n_trials() as usize,
            history_window: study.history_window(),
            n_trials_in_memory: study.trials().len(),
            trial_counts: TrialCounts {
                RUNNING: study.count(TrialState::Running),
                COMPLETE: study.count(TrialState::Complete),
                PRUNED: study.count(TrialState::Pruned),
                FAIL: study.count(TrialState::Fail),
                WAITING: study.count(TrialState::Waiting),
            },
            best_trial: study.best_trial().ok().map(TrialView::of),
            created_at: study.created_at().map(iso8601),
            last_activity: last_activity.map(iso8601),
            cost: study.spending(),
            n_pruned_for_cost: study.n_pruned_for_cost(),
            stopping: c.stopping.clone(),
            converged: convergence.as_ref().is_some_and(Convergence::converged),
            convergence,
        }
    }
}

shape! {
/// A study in a listing.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudySummary {
    /// The name.
    pub study_name: String,
    /// One direction per objective.
    pub directions: Vec<Direction>,
    /// The sampler's name.
    pub sampler: String,
    /// When it was created (ISO 8601).
    pub created_at: String,
}
}

shape! {
/// A page of the tenant's studies.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyList {
    /// The studies, oldest first.
    pub studies: Vec<StudySummary>,
    /// How many there are in all.
    pub total: usize,
    /// How many were skipped.
    pub offset: usize,
    /// The page size.
    pub limit: usize,
}
}

shape! {
/// A page of a study's trials.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrialsPage {
    /// The trials.
    pub trials: Vec<TrialView>,
    /// How many match the filter in all.
    pub total: usize,
    /// How many were skipped.
    pub offset: usize,
    /// The page size.
    pub limit: usize,
}
}

shape! {
/// A new trial and its parameters.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suggestion {
    /// The study.
    pub study_name: String,
    /// The trial number.
    pub trial_number: u64,
    /// The same as `trial_number` (for clients that read `trial_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trial_id: Option<u64>,
    /// Parameter name → value.
    pub params: BTreeMap<String, ParamValue>,
    /// What the sampler drew at ask for parameters the trial has not suggested yet
    /// (its relative search space, as Optuna's `sample_relative`), by name: suggesting
    /// one with this distribution (`POST …/trials/{number}/suggest`) answers this value,
    /// so a client may use it at once and record the suggestion later.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub relative_params: BTreeMap<String, RelativeParamView>,
}
}

impl Suggestion {
    /// The answer to an ask of trial `number`: its parameters and the relative ones it
    /// has not suggested yet.
    pub fn of(study: &Study, number: u64, trial_id: Option<u64>) -> edgetune_core::Result<Self> {
        let trial = study.trial(number)?;
        let params = trial.external_params();
        let mut relative_params = BTreeMap::new();
        for (name, rel) in trial.relative_params.iter() {
            if !params.contains_key(name) {
                let value = rel.distribution.to_external(rel.value)?;
                let distribution = rel.distribution.clone();
                relative_params.insert(
                    name.clone(),
                    RelativeParamView {
                        distribution,
                        value,
                    },
                );
            }
        }
        Ok(Suggestion {
            study_name: study.name().to_string(),
            trial_number: number,
            trial_id,
            params,
            relative_params,
        })
    }
}

shape! {
/// A parameter the sampler drew at ask, not suggested yet.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelativeParamView {
    /// The distribution it was drawn from.
    pub distribution: Distribution,
    /// The value (a number or a choice).
    pub value: ParamValue,
}
}

shape! {
/// An enqueued trial.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enqueued {
    /// The study.
    pub study_name: String,
    /// The WAITING trial's number: the next ask starts it.
    pub trial_number: u64,
}
}

shape! {
/// Trials recorded by `add_trials`.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddedTrials {
    /// The study.
    pub study_name: String,
    /// The new trials' numbers, in the order given.
    pub trial_numbers: Vec<u64>,
}
}

shape! {
/// The answer to an intermediate report.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportAnswer {
    /// The trial.
    pub trial_number: u64,
    /// The step reported.
    pub step: u64,
    /// Whether the pruner, or the cost budget, says to stop the trial now.
    pub should_prune: bool,
    /// Which rule said so: `pruner` or `cost` (absent when the trial goes on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<PruneReasonName>,
}
}

shape! {
/// Which rule told a trial to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PruneReasonName {
    /// The study's pruner.
    Pruner,
    /// The cost budget.
    Cost,
}
}

impl From<edgetune_core::PruneReason> for PruneReasonName {
    fn from(r: edgetune_core::PruneReason) -> Self {
        match r {
            edgetune_core::PruneReason::Pruner => PruneReasonName::Pruner,
            edgetune_core::PruneReason::Cost => PruneReasonName::Cost,
        }
    }
}

shape! {
/// The answer to a heartbeat.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatAnswer {
    /// The trial.
    pub trial_number: u64,
    /// When the heartbeat was recorded (ISO 8601).
    pub heartbeat_at: String,
}
}

shape! {
/// The answer to a delete.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deleted {
    /// Always true.
    pub deleted: bool,
    /// The study deleted.
    pub study_name: String,
}
}

shape! {
/// The best trial (the first Pareto-optimal one with several objectives).
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BestView {
    /// The study.
    pub study_name: String,
    /// The trial.
    pub best_trial: TrialView,
    /// Its parameters.
    pub best_params: BTreeMap<String, ParamValue>,
    /// Its values.
    pub best_values: Option<Vec<f64>>,
    /// Its value, with one objective.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_value: Option<f64>,
}
}

shape! {
/// The Pareto front, and its hypervolume against a reference point.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParetoView {
    /// The study.
    pub study_name: String,
    /// One direction per objective.
    pub directions: Vec<Direction>,
    /// The Pareto-optimal trials.
    pub trials: Vec<TrialView>,
    /// The reference point, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<Vec<f64>>,
    /// The front's hypervolume, when a reference point was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hypervolume: Option<f64>,
    /// `[trial number, hypervolume]` after evenly spaced trials, when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hypervolume_history: Option<Vec<(u64, f64)>>,
}
}

shape! {
/// Parameter importance.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportanceView {
    /// The study.
    pub study_name: String,
    /// The evaluator used.
    pub evaluator: String,
    /// Parameter name → importance (they sum to 1).
    pub importances: BTreeMap<String, f64>,
    /// The parameter names, most important first.
    pub ranking: Vec<String>,
}
}

shape! {
/// The answer of `GET /`: what this is, and where to go from here.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// `edgetune`.
    pub name: String,
    /// The service's version.
    pub version: String,
    /// The interactive API docs (Swagger UI).
    pub docs: String,
    /// The OpenAPI document.
    pub openapi: String,
    /// The dashboard.
    pub dashboard: String,
    /// The liveness check.
    pub health: String,
}
}

impl Index {
    /// The index of this version of the service.
    pub fn new() -> Index {
        Index {
            name: "edgetune".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            docs: "/docs".into(),
            openapi: "/openapi.json".into(),
            dashboard: "/dashboard/".into(),
            health: "/api/v1/health".into(),
        }
    }
}

impl Default for Index {
    fn default() -> Self {
        Index::new()
    }
}

shape! {
/// Liveness, with a storage round trip.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Health {
    /// `ok`, or `degraded` when storage does not answer.
    pub status: String,
    /// `ok`, or what went wrong.
    pub storage: String,
    /// The service's version.
    pub version: String,
}
}

shape! {
/// Readiness: ready once API keys are configured.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    pub status: String,
    /// Why it is not ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
}

shape! {
/// The body of every error: `{"error": {"code", "message", "field"?}}`.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}
}

shape! {
/// What went wrong, and where.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDetail {
    /// A machine-readable code, such as `invalid_argument`.
    pub code: String,
    /// What is wrong, naming the field.
    pub message: String,
    /// The field at fault, as a JSON path (`search_space[0].low`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
}

/// The trials table of a study (Optuna's `trials_dataframe`).
pub type TableView = TrialsTable;
