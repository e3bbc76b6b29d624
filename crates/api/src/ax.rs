//! The answers of the Ax-compatible API (the Ax optimizer service's shapes, as
//! `@ax-llm/ax` up to 19.0.45 reads them).

use std::collections::BTreeMap;

use edgetune_core::{Direction, FrozenTrial, ParamValue, Study, TrialState};
use serde::{Deserialize, Serialize};

use crate::requests::shape;
use crate::views::json_intermediate_values;

shape! {
/// The Ax API's health.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxHealth {
    /// Always `healthy`.
    pub status: String,
    /// The service's version.
    pub version: String,
}
}

shape! {
/// A job just created.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobCreated {
    /// The job's id.
    pub job_id: String,
    /// Its study.
    pub study_name: String,
    /// Always `pending`.
    pub status: String,
    /// When it was created (ISO 8601).
    pub created_at: String,
}
}

shape! {
/// What a job is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// No trial asked yet.
    Pending,
    /// Trials are being asked and told.
    Running,
    /// `n_trials` trials finished.
    Completed,
    /// Cancelled by a client.
    Cancelled,
    /// The deadline passed first.
    Failed,
}
}

impl JobStatus {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Running => "running",
            JobStatus::Completed => "completed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Failed => "failed",
        }
    }
}

shape! {
/// A job's status and progress.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobView {
    /// The job's id.
    pub job_id: String,
    /// Its study.
    pub study_name: String,
    /// What it is doing.
    pub status: JobStatus,
    /// Why it failed.
    pub error: Option<String>,
    /// When it was created (ISO 8601).
    pub created_at: String,
    /// Its trial budget.
    pub n_trials: u64,
    /// Its progress.
    pub progress: JobProgress,
}
}

shape! {
/// How far a job got.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobProgress {
    /// Trials finished (complete, pruned or failed).
    pub completed_trials: usize,
    /// The trial budget.
    pub n_trials: u64,
    /// The best value so far.
    pub best_value: Option<f64>,
}
}

shape! {
/// Recent jobs.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobList {
    /// The jobs, newest first.
    pub jobs: Vec<JobView>,
}
}

shape! {
/// The answer to an evaluate.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluateAnswer {
    /// The study.
    pub study_name: String,
    /// The trial.
    pub trial_number: u64,
    /// Its final state.
    pub state: TrialState,
    /// Whether an intermediate value pruned it.
    pub pruned: bool,
    /// Its value (none when pruned).
    pub value: Option<f64>,
}
}

shape! {
/// A trial as the Ax API shows it.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxTrial {
    /// The trial number.
    pub number: u64,
    /// Its value.
    pub value: Option<f64>,
    /// Its values.
    pub values: Option<Vec<f64>>,
    /// Parameter name → value.
    pub params: BTreeMap<String, ParamValue>,
    /// Its state.
    pub state: TrialState,
    /// Step → intermediate value (`null` for NaN).
    pub intermediate_values: BTreeMap<String, Option<f64>>,
}
}

impl AxTrial {
    /// The Ax view of `trial`.
    pub fn of(trial: &FrozenTrial) -> Self {
        let r = trial.to_record();
        AxTrial {
            number: r.number,
            value: r.value,
            values: r.values,
            params: r.params,
            state: r.state,
            intermediate_values: json_intermediate_values(r.intermediate_values),
        }
    }
}

shape! {
/// A study's results: the best trial and every trial.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxResults {
    /// The study.
    pub study_name: String,
    /// The best trial.
    pub best_trial: Option<AxTrial>,
    /// Its value.
    pub best_value: Option<f64>,
    /// Its parameters.
    pub best_params: Option<BTreeMap<String, ParamValue>>,
    /// Every trial.
    pub trials: Vec<AxTrial>,
    /// How many.
    pub n_trials: usize,
    /// The direction.
    pub direction: Direction,
}
}

impl AxResults {
    /// The results of `study`. O(n) in trials.
    pub fn of(study: &Study) -> Self {
        let best = study.best_trials().into_iter().next();
        AxResults {
            study_name: study.name().to_string(),
            best_trial: best.map(AxTrial::of),
            best_value: best.and_then(|t| t.value()),
            best_params: best.map(|t| t.external_params()),
            trials: study.trials().iter().map(AxTrial::of).collect(),
            n_trials: study.n_trials() as usize,
            direction: study.directions()[0],
        }
    }
}
