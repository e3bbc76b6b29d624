//! The operations of a study: what the Worker's router and the MCP tools send to a
//! study's Durable Object. [`StudyOp`]s are what the executor ([`crate::exec::run`])
//! runs on the in-memory study; [`ObjectOp`]s are what the object does around them
//! with its storage (create, import, delete, heartbeats, observations, automation runs).

use edgetune_core::json_f64::JsonF64;
use std::collections::BTreeMap;

use edgetune_core::{Journal, ParamValue, SearchSpace, StudyConfig, TrialState};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::observations::{Observation, ObservationState};

/// What a study's Durable Object is asked: an operation of its own, or a study
/// operation for the executor. The wire form is the operation's own (`{"op": ...}`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ObjectOp {
    /// Create the study from a validated configuration, with its objectives' names
    /// (a config's serde form leaves them out).
    Create {
        config: Box<StudyConfig>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metric_names: Option<Vec<String>>,
    },
    /// Create the study by replaying a journal (already renamed).
    Import { journal: Journal },
    /// Delete the study and its storage.
    Delete,
    /// Record a heartbeat.
    Heartbeat { number: u64 },
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
    /// A study operation, run by the executor.
    #[serde(untagged)]
    Study(StudyOp),
}

impl From<StudyOp> for ObjectOp {
    fn from(op: StudyOp) -> Self {
        ObjectOp::Study(op)
    }
}

/// One operation the executor runs on a study, as the router (or a tool) parsed and
/// checked it. Each variant's fields are named as the fields of the request it comes
/// from.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum StudyOp {
    /// The study view.
    Get,
    /// The journal.
    Journal,
    /// The study as an Optuna journal (JSON lines).
    OptunaJournal,
    /// Ask over the study's space, or `search_space`.
    Suggest { search_space: Option<SearchSpace> },
    /// Suggest parameters of a RUNNING trial, define-by-run.
    SuggestInTrial {
        number: u64,
        search_space: SearchSpace,
    },
    /// Enqueue a WAITING trial with fixed parameters.
    Enqueue {
        params: BTreeMap<String, ParamValue>,
    },
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
    /// Set a user attribute of the study.
    SetUserAttr { key: String, value: Value },
    /// Name the objectives.
    SetMetricNames { names: Vec<String> },
    /// Give the study a history window, or resize it.
    SetHistoryWindow { window: u64 },
    /// Record trials run elsewhere, over the study's search space.
    AddTrials { trials: Vec<NewTrial> },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_study_operation_travels_to_the_object_in_its_own_form() {
        let op = ObjectOp::from(StudyOp::Prune { number: 3 });
        let text = serde_json::to_string(&op).unwrap();
        assert_eq!(text, r#"{"op":"prune","number":3}"#);
        let back: ObjectOp = serde_json::from_str(&text).unwrap();
        assert!(matches!(
            back,
            ObjectOp::Study(StudyOp::Prune { number: 3 })
        ));
        let own: ObjectOp = serde_json::from_str(r#"{"op":"heartbeat","number":2}"#).unwrap();
        assert!(matches!(own, ObjectOp::Heartbeat { number: 2 }));
        assert!(serde_json::from_str::<ObjectOp>(r#"{"op":"nothing"}"#).is_err());
    }
}
