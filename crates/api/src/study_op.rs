//! The operations of a study: what the Worker's router and the MCP tools send to a
//! study's Durable Object, which runs them against its in-memory study.

use edgetune_core::json_f64::JsonF64;
use std::collections::BTreeMap;

use edgetune_core::{Journal, ParamValue, SearchSpace, StudyConfig, TrialState};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::observations::{Observation, ObservationState};

/// One operation on a study, as the router (or a tool) parsed and checked it.
///
/// Each variant's fields are named as the fields of the request it comes from.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum StudyOp {
    /// Create the study from a validated configuration, with its objectives' names.
    Create {
        config: Box<StudyConfig>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metric_names: Option<Vec<String>>,
    },
    /// Create the study by replaying a journal (already renamed).
    Import { journal: Journal },
    /// The study view.
    Get,
    /// The journal.
    Journal,
    /// Delete the study and its storage.
    Delete,
    /// Ask over the study's space, or `search_space`.
    Suggest { search_space: Option<SearchSpace> },
    /// Tell values, with constraints.
    Complete {
        number: u64,
        values: Vec<f64>,
        constraints: Option<Vec<f64>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cost: Option<f64>,
    },
    /// Report an intermediate value and ask the pruner.
    Report {
        number: u64,
        step: u64,
        value: JsonF64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cost: Option<f64>,
    },
    /// Finish as PRUNED.
    Prune { number: u64 },
    /// Record a heartbeat.
    Heartbeat { number: u64 },
    /// Finish as FAIL.
    Fail {
        number: u64,
        reason: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cost: Option<f64>,
    },
    /// A page of trials.
    Trials {
        states: Vec<TrialState>,
        offset: usize,
        limit: usize,
        descending: bool,
    },
    /// The best trial.
    Best,
    /// The Pareto front, its hypervolume and history.
    Pareto {
        reference: Option<Vec<f64>>,
        history: Option<usize>,
    },
    /// Parameter importance.
    Importance {
        evaluator: String,
        target_quantile: f64,
        region_quantile: f64,
    },
    /// The trials table, as JSON or CSV.
    Table { csv: bool },
    /// The job's view.
    Job,
    /// Cancel the job.
    CancelJob,
    /// The Ax API's suggest.
    AxSuggest,
    /// The Ax API's evaluate: intermediate values in step order, then the value.
    AxEvaluate {
        study_name: Option<String>,
        number: u64,
        value: f64,
        steps: Vec<(u64, JsonF64)>,
    },
    /// The Ax API's results.
    AxResults,
    /// Set a user attribute of a RUNNING or WAITING trial.
    SetTrialUserAttr {
        number: u64,
        key: String,
        value: Value,
    },
    /// Name the objectives.
    SetMetricNames { names: Vec<String> },
    /// Record trials run elsewhere, over the study's search space.
    AddTrials { trials: Vec<NewTrial> },
    /// Store production observations (checked, idempotent by id).
    Observe { observations: Vec<Observation> },
    /// A page of the observations in `state`.
    Observations {
        state: ObservationState,
        offset: usize,
        limit: usize,
    },
    /// An automation's run: with at least `min_new_observations` pending (any number
    /// when forced), fold them in and publish `recommendations` next configurations.
    Fold {
        run_id: String,
        min_new_observations: u64,
        force: bool,
        recommendations: u32,
    },
    /// The published recommendation; 304 when `if_none_match` is its ETag.
    Recommendation { if_none_match: Option<String> },
}

crate::requests::shape! {
/// A trial run elsewhere, to record as it ended.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTrial {
    /// Its parameters, by name, each in the study's search space.
    pub params: BTreeMap<String, ParamValue>,
    /// `COMPLETE` (default), `PRUNED` or `FAIL`.
    #[serde(default = "complete")]
    pub state: TrialState,
    /// Its value, with one objective (COMPLETE only).
    #[serde(default)]
    pub value: Option<f64>,
    /// One value per objective (COMPLETE only).
    #[serde(default)]
    pub values: Option<Vec<f64>>,
}
}

fn complete() -> TrialState {
    TrialState::Complete
}
