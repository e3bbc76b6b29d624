//! The Ax API on a study: jobs (a study with a trial budget and a deadline), its
//! suggest, evaluate and results.

use edgetune_api::ax::{AxResults, EvaluateAnswer, JobProgress, JobStatus, JobView};
use edgetune_api::views::Suggestion;
use edgetune_core::json_f64::JsonF64;
use edgetune_core::{Outcome, Study, TrialState};
use serde_json::json;

use super::StudyObject;
use crate::http::{self, ok, ApiError, ApiResult};

/// The study system attribute that marks a job cancelled.
const JOB_CANCELLED: &str = "job:cancelled";

/// A job: a study with a trial budget and a deadline, from its metadata.
struct Job {
    id: String,
    n_trials: u64,
    created_at: f64,
    timeout_seconds: f64,
}

/// Trials that finished, whatever their state.
fn finished(study: &Study) -> usize {
    [TrialState::Complete, TrialState::Pruned, TrialState::Fail]
        .iter()
        .map(|s| study.count(*s))
        .sum()
}

impl Job {
    fn of(study: &Study) -> Option<Job> {
        let job = study.config().metadata.get("job")?;
        Some(Job {
            id: job["job_id"].as_str()?.to_string(),
            n_trials: job["n_trials"].as_u64()?,
            created_at: job["created_at"].as_f64()?,
            timeout_seconds: job["timeout_seconds"].as_f64()?,
        })
    }

    /// The status from the real trials, and the reason of a failure.
    fn status(&self, study: &Study) -> (JobStatus, Option<String>) {
        let finished = finished(study) as u64;
        if study.system_attrs().get(JOB_CANCELLED) == Some(&json!(true)) {
            (JobStatus::Cancelled, None)
        } else if finished >= self.n_trials {
            (JobStatus::Completed, None)
        } else if http::now_ms() > self.created_at + self.timeout_seconds * 1000.0 {
            let reason = format!(
                "the deadline of {} s passed with {finished} of {} trials finished",
                self.timeout_seconds, self.n_trials
            );
            (JobStatus::Failed, Some(reason))
        } else if study.trials().is_empty() {
            (JobStatus::Pending, None)
        } else {
            (JobStatus::Running, None)
        }
    }

    fn view(&self, study: &Study) -> JobView {
        let (status, error) = self.status(study);
        JobView {
            job_id: self.id.clone(),
            study_name: study.name().to_string(),
            status,
            error,
            created_at: http::iso(self.created_at),
            n_trials: self.n_trials,
            progress: JobProgress {
                completed_trials: finished(study),
                n_trials: self.n_trials,
                best_value: study.best_trial().ok().and_then(|t| t.value()),
            },
        }
    }
}

fn not_a_job() -> ApiError {
    ApiError::not_found("this study is not a job")
}

impl StudyObject {
    pub(super) fn job(&self) -> ApiResult {
        self.with_study(|study| ok(&Job::of(study).ok_or_else(not_a_job)?.view(study)))
    }

    pub(super) fn cancel_job(&self) -> ApiResult {
        self.mutate(|study| {
            let job = Job::of(study).ok_or_else(not_a_job)?;
            let (status, _) = job.status(study);
            if matches!(status, JobStatus::Completed | JobStatus::Failed) {
                return Err(ApiError::conflict(format!(
                    "job {} is already {}",
                    job.id,
                    status.as_str()
                )));
            }
            study.set_system_attr(JOB_CANCELLED, json!(true))?;
            ok(&job.view(study))
        })
    }

    pub(super) fn ax_suggest(&self) -> ApiResult {
        self.mutate(|study| {
            self.check_trial_limit(study)?;
            if let Some(job) = Job::of(study) {
                let (status, _) = job.status(study);
                let over = matches!(
                    status,
                    JobStatus::Cancelled | JobStatus::Failed | JobStatus::Completed
                );
                if over || study.trials().len() as u64 >= job.n_trials {
                    return Err(ApiError::conflict(format!(
                        "job {} is {}: no more trials are asked ({} of {} asked)",
                        job.id,
                        status.as_str(),
                        study.trials().len(),
                        job.n_trials
                    )));
                }
            }
            let space = study.config().search_space.clone().ok_or_else(|| {
                ApiError::invalid("search_space", "the study has no search space")
            })?;
            let number = study.ask_with_space(&space)?;
            ok(&Suggestion {
                study_name: study.name().to_string(),
                trial_number: number,
                trial_id: None,
                params: study.trial(number)?.external_params(),
            })
        })
    }

    pub(super) fn ax_evaluate(
        &self,
        study_name: Option<String>,
        number: u64,
        value: f64,
        steps: &[(u64, JsonF64)],
    ) -> ApiResult {
        self.mutate(|study| {
            if let Some(name) = &study_name {
                if name != study.name() {
                    return Err(ApiError::invalid(
                        "study_name",
                        format!("is {name:?} but the path names {:?}", study.name()),
                    ));
                }
            }
            if study.directions().len() != 1 {
                return Err(ApiError::invalid(
                    "value",
                    "this study has several objectives; use /api/v1",
                ));
            }
            let state = study.trial(number)?.state;
            if state != TrialState::Running {
                return Err(ApiError::from(edgetune_core::Error::TrialNotRunning {
                    number,
                    state,
                }));
            }
            // Checked above, reports cannot fail: nothing is half stored.
            let mut pruned = false;
            for (step, value) in steps {
                study.report(number, *step, value.0)?;
                if study.should_prune(number)? {
                    pruned = true;
                    break;
                }
            }
            let state = if pruned {
                study.tell(number, Outcome::Pruned)?
            } else {
                study.tell(number, Outcome::value(value))?
            };
            ok(&EvaluateAnswer {
                study_name: study.name().to_string(),
                trial_number: number,
                state,
                pruned,
                value: study.trial(number)?.value(),
            })
        })
    }

    pub(super) fn ax_results(&self) -> ApiResult {
        self.with_study(|study| ok(&AxResults::of(study)))
    }
}
