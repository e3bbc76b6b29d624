//! What clients send: request bodies and query strings. Every body denies unknown
//! fields, and its schema closes the object the same way.

use std::collections::BTreeMap;

use edgetune_core::json_f64::JsonF64;
use edgetune_core::{ParamValue, SearchSpace, StudySpec};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::specs::{PrunerSpec, SamplerSpec};

/// Derives the JSON Schema of a shape when the `schema` feature is on.
macro_rules! shape {
    ($item:item) => {
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        $item
    };
}
pub(crate) use shape;

/// The body of `POST /api/v1/studies`: the core's study spec, which declares every
/// study option once for every surface.
pub type CreateStudy = StudySpec;

shape! {
/// The body of a suggest: an optional search space in place of the study's.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suggest {
    /// The space to sample.
    #[serde(default)]
    pub search_space: Option<SearchSpace>,
}
}

shape! {
/// The body of a define-by-run suggestion in a RUNNING trial, as Optuna's
/// `trial.suggest_*`: one or several parameters, each suggested in order; the same name
/// with the same distribution answers the same value. All of them, or on an error none.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestInTrial {
    /// The parameters to suggest, as in a search space.
    pub search_space: SearchSpace,
}
}

shape! {
/// The body of a user attribute, of a study or a trial.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetUserAttr {
    /// The attribute's key.
    pub key: String,
    /// Its value: any JSON.
    pub value: Value,
}
}

shape! {
/// The body of the objectives' names.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetMetricNames {
    /// One name per objective, in the order of the directions.
    pub metric_names: Vec<String>,
}
}

shape! {
/// The body of an enqueue: a WAITING trial with these parameters fixed, started by the
/// next ask (Optuna's `enqueue_trial`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enqueue {
    /// Parameter name → value (a number or a choice).
    pub params: BTreeMap<String, ParamValue>,
}
}

shape! {
/// The body of a complete: one value or one per objective.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complete {
    /// The objective value.
    #[serde(default)]
    pub value: Option<f64>,
    /// One value per objective.
    #[serde(default)]
    pub values: Option<Vec<f64>>,
    /// Constraint values (`<= 0` is feasible), for samplers that handle constraints.
    #[serde(default)]
    pub constraints: Option<Vec<f64>>,
    /// What the trial cost in all, in the study's cost unit (>= 0, at least its last
    /// reported cost); without it, the last reported cost stands.
    #[serde(default)]
    pub cost: Option<f64>,
}
}

shape! {
/// The body of a report: an intermediate value at a step (`"NaN"` and `"Infinity"` are
/// accepted as strings, JSON having no such numbers).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The value.
    pub value: JsonF64,
    /// The step, a whole number >= 0.
    pub step: u64,
    /// What the trial has cost so far, in the study's cost unit (>= 0, never less
    /// than an earlier cost).
    #[serde(default)]
    pub cost: Option<f64>,
}
}

shape! {
/// The body of a fail: why the trial failed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fail {
    /// The reason, at most 4096 bytes.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 4096)))]
    pub reason: Option<String>,
    /// What the trial cost in all; without it, the last reported cost stands.
    #[serde(default)]
    pub cost: Option<f64>,
}
}

shape! {
/// The body of the Ax API's evaluate.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluate {
    /// The study, if given, must be the one in the path.
    #[serde(default)]
    pub study_name: Option<String>,
    /// The trial.
    pub trial_number: u64,
    /// The objective value.
    pub value: f64,
    /// Intermediate values by step (`{"0": 0.1, "1": 0.3}`), reported in step order.
    #[serde(default)]
    pub intermediate_values: Option<BTreeMap<String, JsonF64>>,
}
}

shape! {
/// The body of the Ax API's `POST /optimize`: a job, which is a study with a trial
/// budget and a deadline.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Optimize {
    /// The study's name; default `job_<id>`.
    #[serde(default)]
    pub study_name: Option<String>,
    /// The search space.
    pub parameters: SearchSpace,
    /// What is optimized.
    pub objective: Objective,
    /// The trial budget, 1 to 10000.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 10000)))]
    pub n_trials: u64,
    /// Seconds until the job fails; default the deployment's `DEFAULT_TIMEOUT_SECONDS`.
    #[serde(default)]
    pub timeout: Option<f64>,
    /// The sampler, by name or with options.
    #[serde(default)]
    pub sampler: Option<SamplerSpec>,
    /// The pruner, by name or with options.
    #[serde(default)]
    pub pruner: Option<PrunerSpec>,
    /// Free-form metadata.
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
}
}

shape! {
/// The objective of a job.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Its name, kept in the study's metadata.
    #[serde(default)]
    pub name: Option<String>,
    /// `minimize` (default) or `maximize`.
    #[serde(default)]
    pub direction: Option<String>,
}
}

// Query strings are read as text and checked by the handler, which names the
// parameter at fault; their schemas say what the text must hold.

shape! {
/// `?offset=&limit=`: a page of a listing.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PageQuery {
    /// Skip this many.
    #[cfg_attr(feature = "schema", schemars(with = "Option<u64>"))]
    pub offset: Option<String>,
    /// At most this many (1 to 1000, default 100).
    #[cfg_attr(feature = "schema", schemars(with = "Option<u64>", range(min = 1, max = 1000)))]
    pub limit: Option<String>,
}
}

shape! {
/// `?state=&offset=&limit=&order=`: a page of a study's trials.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TrialsQuery {
    /// Comma-separated states: RUNNING, COMPLETE, PRUNED, FAIL, WAITING.
    pub state: Option<String>,
    /// Skip this many.
    #[cfg_attr(feature = "schema", schemars(with = "Option<u64>"))]
    pub offset: Option<String>,
    /// At most this many (1 to 1000, default 100).
    #[cfg_attr(feature = "schema", schemars(with = "Option<u64>", range(min = 1, max = 1000)))]
    pub limit: Option<String>,
    /// `asc` (default) or `desc` by number.
    #[cfg_attr(feature = "schema", schemars(with = "Option<Order>"))]
    pub order: Option<String>,
}
}

shape! {
/// The order of a listing.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Oldest first.
    Asc,
    /// Newest first.
    Desc,
}
}

shape! {
/// `?reference=&history=`: the Pareto front, its hypervolume, and its history.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ParetoQuery {
    /// The reference point, comma-separated, one number per objective.
    pub reference: Option<String>,
    /// The hypervolume after each of this many evenly spaced trials (1 to 1000).
    #[cfg_attr(feature = "schema", schemars(with = "Option<u64>", range(min = 1, max = 1000)))]
    pub history: Option<String>,
}
}

shape! {
/// `?evaluator=&target_quantile=&region_quantile=`: parameter importance.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ImportanceQuery {
    /// `ped_anova` (default), `fanova` or `mdi`.
    pub evaluator: Option<String>,
    /// PED-ANOVA's top quantile (0.1).
    #[cfg_attr(feature = "schema", schemars(with = "Option<f64>"))]
    pub target_quantile: Option<String>,
    /// PED-ANOVA's region quantile (1.0).
    #[cfg_attr(feature = "schema", schemars(with = "Option<f64>"))]
    pub region_quantile: Option<String>,
}
}

shape! {
/// `?format=`: the trials table as JSON or CSV.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TableQuery {
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}
}

shape! {
/// The body of `PUT /api/v1/studies/{study_name}/history_window`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetHistoryWindow {
    /// How many of the newest finished trials the sampler and the pruner see, 20 to
    /// 1,000,000.
    pub history_window: u64,
}
}

shape! {
/// `?format=`: a journal as edgetune's (JSON) or Optuna's (JSON lines).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct JournalQuery {
    /// `edgetune` (default) or `optuna`: the JSON lines of Optuna's `JournalStorage`
    /// (`JournalFileBackend`), one study.
    pub format: Option<String>,
    /// With `format=optuna`, on an import: the study of the Optuna journal to import
    /// (its only one when absent), under the name in the path.
    pub from_study_name: Option<String>,
}
}

shape! {
/// `?limit=`: the most recent jobs.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct JobsQuery {
    /// At most this many (default 100).
    #[cfg_attr(feature = "schema", schemars(with = "Option<u64>"))]
    pub limit: Option<String>,
}
}
