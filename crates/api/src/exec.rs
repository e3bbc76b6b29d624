//! Runs a [`StudyOp`] on a study: the one executor behind the Worker's study objects
//! and the local MCP server. It only computes: the caller loads the study, stores the
//! events the operation added, and owns what is not the study's (the object operations
//! of [`crate::study_op::ObjectOp`]: storage, heartbeats, creation and deletion).

use edgetune_core::analysis::PedAnovaOptions;
use edgetune_core::json_f64::JsonF64;
use edgetune_core::{FrozenTrial, Outcome, SearchSpace, Study, TrialState};
use serde::Serialize;
use serde_json::json;

use crate::ax::{AxResults, EvaluateAnswer, JobProgress, JobStatus, JobView};
use crate::failure::Failure;
use crate::study_op::{NewTrial, StudyOp};
use crate::time::iso8601;
use crate::views::{
    AddedTrials, BestView, Enqueued, ImportanceView, ParetoView, ReportAnswer, StudyView,
    Suggestion, TrialView, TrialsPage,
};

/// What the caller supplies: the time, and its limits.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    /// Now, in ms since the Unix epoch.
    pub now_ms: f64,
    /// Asks beyond this many trials are refused (409).
    pub max_trials: u64,
}

/// An answer's body.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// JSON text.
    Json(String),
    /// CSV text (the trials table).
    Csv(String),
    /// JSON lines (an Optuna journal).
    Lines(String),
}

fn json<T: Serialize>(value: &T) -> Result<Body, Failure> {
    serde_json::to_string(value)
        .map(Body::Json)
        .map_err(|e| Failure::internal(format!("answer not serializable: {e}")))
}

/// Runs `op` on `study`. Creating, importing and deleting a study and recording a
/// heartbeat are the store's, not the study's: they are refused here.
pub fn run(study: &mut Study, op: StudyOp, ctx: &Context) -> Result<Body, Failure> {
    match op {
        StudyOp::Get => json(&StudyView::of(study)),
        StudyOp::Journal => Ok(Body::Json(study.to_journal().to_json())),
        StudyOp::OptunaJournal => Ok(Body::Lines(edgetune_core::optuna::export(study)?)),
        StudyOp::Suggest { search_space } => suggest(study, search_space, ctx),
        StudyOp::SuggestInTrial {
            number,
            search_space,
        } => {
            let values = study.suggest_space(number, &search_space)?;
            let params = search_space.0.into_iter().map(|p| p.name).zip(values);
            json(&Suggestion {
                study_name: study.name().to_string(),
                trial_number: number,
                trial_id: Some(number),
                params: params.collect(),
                relative_params: Default::default(),
            })
        }
        StudyOp::Enqueue { params } => {
            check_trial_limit(study, ctx)?;
            let number = study.enqueue(params)?;
            json(&Enqueued {
                study_name: study.name().to_string(),
                trial_number: number,
            })
        }
        StudyOp::Complete {
            number,
            values,
            constraints,
            cost,
        } => {
            study.tell_with(number, Outcome::Values(values), constraints, cost)?;
            json(&TrialView::of(study.trial(number)?))
        }
        StudyOp::Report {
            number,
            step,
            value,
            cost,
        } => {
            study.report_with_cost(number, step, value.0, cost)?;
            let reason = study.prune_reason(number)?;
            json(&ReportAnswer {
                trial_number: number,
                step,
                should_prune: reason.is_some(),
                reason: reason.map(Into::into),
            })
        }
        StudyOp::Prune { number } => finish(study, number, Outcome::Pruned, None),
        StudyOp::Fail {
            number,
            reason,
            cost,
        } => finish(study, number, Outcome::Fail(reason), cost),
        StudyOp::SetTrialUserAttr { number, key, value } => {
            study.set_trial_user_attr(number, &key, value)?;
            json(&TrialView::of(study.trial(number)?))
        }
        StudyOp::Trials {
            states,
            offset,
            limit,
            descending,
        } => trials(study, &states, offset, limit, descending),
        StudyOp::Best => best(study),
        StudyOp::Pareto { reference, history } => pareto(study, reference, history),
        StudyOp::Importance {
            evaluator,
            target_quantile,
            region_quantile,
        } => {
            let options = PedAnovaOptions {
                target_quantile,
                region_quantile,
                ..Default::default()
            };
            let ranked = study.importance(&evaluator, &options)?;
            json(&ImportanceView {
                study_name: study.name().to_string(),
                evaluator,
                importances: ranked.iter().cloned().collect(),
                ranking: ranked.into_iter().map(|(name, _)| name).collect(),
            })
        }
        StudyOp::Table { csv: false } => json(&study.trials_table()?),
        StudyOp::Table { csv: true } => Ok(Body::Csv(study.trials_table()?.to_csv())),
        StudyOp::Job => json(&Job::of(study).ok_or_else(not_a_job)?.view(study, ctx)),
        StudyOp::CancelJob => cancel_job(study, ctx),
        StudyOp::AxSuggest => ax_suggest(study, ctx),
        StudyOp::AxEvaluate {
            study_name,
            number,
            value,
            steps,
        } => ax_evaluate(study, study_name, number, value, &steps),
        StudyOp::AxResults => json(&AxResults::of(study)),
        StudyOp::SetHistoryWindow { window } => {
            study.set_history_window(window)?;
            json(&StudyView::of(study))
        }
        StudyOp::SetUserAttr { key, value } => {
            study.set_user_attr(&key, value)?;
            json(&StudyView::of(study))
        }
        StudyOp::SetMetricNames { names } => {
            study.set_metric_names(names)?;
            json(&StudyView::of(study))
        }
        StudyOp::AddTrials { trials } => add_trials(study, trials, ctx),
    }
}

/// The most trials one call may record.
pub const MAX_ADDED_TRIALS: usize = 1000;

/// Records trials run elsewhere; all or none (the caller stores nothing on an error).
/// Like asks, they may not take the study past `MAX_TRIALS_PER_STUDY`.
fn add_trials(study: &mut Study, trials: Vec<NewTrial>, ctx: &Context) -> Result<Body, Failure> {
    if trials.is_empty() || trials.len() > MAX_ADDED_TRIALS {
        return Err(Failure::invalid(
            "trials",
            format!("give 1 to {MAX_ADDED_TRIALS} trials"),
        ));
    }
    let held = study.trials().len() as u64;
    if held + trials.len() as u64 > ctx.max_trials {
        return Err(Failure {
            field: Some("trials".into()),
            ..Failure::conflict(format!(
                "the study holds {held} trials in memory; {} more would pass MAX_TRIALS_PER_STUDY = {}. {}",
                trials.len(),
                ctx.max_trials,
                CAP_FIX
            ))
        });
    }
    let space = study.config().search_space.clone().ok_or_else(|| {
        Failure::invalid(
            "search_space",
            "the study has no search space to check the parameters against",
        )
    })?;
    let mut numbers = Vec::with_capacity(trials.len());
    for (i, trial) in trials.into_iter().enumerate() {
        let within = |e: Failure| Failure {
            field: Some(format!(
                "trials[{i}].{}",
                e.field.as_deref().unwrap_or("state")
            )),
            message: format!("trials[{i}]: {}", e.message),
            ..e
        };
        let outcome = match (trial.state, trial.value, trial.values) {
            (TrialState::Complete, Some(v), None) => Outcome::Values(vec![v]),
            (TrialState::Complete, None, Some(vs)) => Outcome::Values(vs),
            (TrialState::Complete, Some(_), Some(_)) => {
                return Err(within(Failure::invalid(
                    "value",
                    "give value or values, not both",
                )))
            }
            (TrialState::Complete, None, None) => {
                return Err(within(Failure::invalid(
                    "value",
                    "a complete trial needs value or values",
                )))
            }
            (TrialState::Pruned | TrialState::Fail, Some(_), _)
            | (TrialState::Pruned | TrialState::Fail, _, Some(_)) => {
                return Err(within(Failure::invalid(
                    "value",
                    "only a complete trial has values",
                )))
            }
            (TrialState::Pruned, None, None) => Outcome::Pruned,
            (TrialState::Fail, None, None) => Outcome::Fail(None),
            (state, _, _) => {
                return Err(within(Failure::invalid(
                    "state",
                    format!("must be COMPLETE, PRUNED or FAIL, got {}", state.as_str()),
                )))
            }
        };
        let number = study
            .add_trial(&trial.params, &space, outcome)
            .map_err(|e| within(e.into()))?;
        numbers.push(number);
    }
    json(&AddedTrials {
        study_name: study.name().to_string(),
        trial_numbers: numbers,
    })
}

/// What a user does when a study reaches `MAX_TRIALS_PER_STUDY`.
pub const CAP_FIX: &str = "MAX_TRIALS_PER_STUDY bounds the trials a study holds in memory; a study with a history_window keeps only its newest finished trials there and never reaches it";

/// `MAX_TRIALS_PER_STUDY` bounds the trials in memory: asks beyond it are refused.
fn check_trial_limit(study: &Study, ctx: &Context) -> Result<(), Failure> {
    if study.trials().len() as u64 >= ctx.max_trials {
        return Err(Failure::conflict(format!(
            "the study holds MAX_TRIALS_PER_STUDY = {} trials in memory; no more can be asked. {CAP_FIX}",
            ctx.max_trials
        )));
    }
    Ok(())
}

fn suggest(study: &mut Study, space: Option<SearchSpace>, ctx: &Context) -> Result<Body, Failure> {
    check_trial_limit(study, ctx)?;
    let space = match space {
        Some(space) => space,
        None => study.config().search_space.clone().ok_or_else(|| {
            Failure::invalid(
                "search_space",
                "the study has no search space; create it with one or send one here",
            )
        })?,
    };
    let number = study.ask_with_space(&space)?;
    json(&Suggestion::of(study, number, Some(number))?)
}

fn finish(
    study: &mut Study,
    number: u64,
    outcome: Outcome,
    cost: Option<f64>,
) -> Result<Body, Failure> {
    study.tell_with_cost(number, outcome, cost)?;
    json(&TrialView::of(study.trial(number)?))
}

/// A page of the trials in `states`. O(n) in trials.
fn trials(
    study: &Study,
    states: &[TrialState],
    offset: usize,
    limit: usize,
    descending: bool,
) -> Result<Body, Failure> {
    let matching = |t: &&FrozenTrial| states.contains(&t.state);
    // Every trial, those that left a history window included (rebuilt from the
    // journal then; the service reads its trials table instead).
    let all = study.all_trials()?;
    let total = all.iter().filter(matching).count();
    let trials: Vec<TrialView> = if descending {
        let it = all.iter().rev().filter(matching);
        it.skip(offset).take(limit).map(TrialView::of).collect()
    } else {
        let it = all.iter().filter(matching);
        it.skip(offset).take(limit).map(TrialView::of).collect()
    };
    json(&TrialsPage {
        trials,
        total,
        offset,
        limit,
    })
}

/// The best trial (single objective) or the first Pareto-optimal one (several), with
/// its parameters and value(s): the answer of `GET /api/v1/studies/{study_name}/best`.
fn best(study: &Study) -> Result<Body, Failure> {
    let best = study.best_trials().into_iter().next().ok_or_else(|| {
        Failure::plain(
            404,
            "no_completed_trials",
            "no trial is complete yet, so there is no best trial",
        )
    })?;
    json(&BestView {
        study_name: study.name().to_string(),
        best_trial: TrialView::of(best),
        best_params: best.external_params(),
        best_values: best.values.clone(),
        best_value: if study.directions().len() == 1 {
            best.value()
        } else {
            None
        },
    })
}

fn pareto(
    study: &Study,
    reference: Option<Vec<f64>>,
    history: Option<usize>,
) -> Result<Body, Failure> {
    let mut view = ParetoView {
        study_name: study.name().to_string(),
        directions: study.directions().to_vec(),
        trials: study.best_trials().into_iter().map(TrialView::of).collect(),
        reference: None,
        hypervolume: None,
        hypervolume_history: None,
    };
    if let Some(reference) = reference {
        view.hypervolume = Some(study.hypervolume(&reference)?);
        if let Some(points) = history {
            view.hypervolume_history = Some(study.hypervolume_history(&reference, points)?);
        }
        view.reference = Some(reference);
    }
    json(&view)
}

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
    fn status(&self, study: &Study, ctx: &Context) -> (JobStatus, Option<String>) {
        let finished = finished(study) as u64;
        if study.system_attrs().get(JOB_CANCELLED) == Some(&json!(true)) {
            (JobStatus::Cancelled, None)
        } else if finished >= self.n_trials {
            (JobStatus::Completed, None)
        } else if ctx.now_ms > self.created_at + self.timeout_seconds * 1000.0 {
            let reason = format!(
                "the deadline of {} s passed with {finished} of {} trials finished",
                self.timeout_seconds, self.n_trials
            );
            (JobStatus::Failed, Some(reason))
        } else if study.n_trials() == 0 {
            (JobStatus::Pending, None)
        } else {
            (JobStatus::Running, None)
        }
    }

    fn view(&self, study: &Study, ctx: &Context) -> JobView {
        let (status, error) = self.status(study, ctx);
        JobView {
            job_id: self.id.clone(),
            study_name: study.name().to_string(),
            status,
            error,
            created_at: iso8601(self.created_at),
            n_trials: self.n_trials,
            progress: JobProgress {
                completed_trials: finished(study),
                n_trials: self.n_trials,
                best_value: study.best_trial().ok().and_then(|t| t.value()),
            },
        }
    }
}

fn not_a_job() -> Failure {
    Failure::not_found("this study is not a job")
}

fn cancel_job(study: &mut Study, ctx: &Context) -> Result<Body, Failure> {
    let job = Job::of(study).ok_or_else(not_a_job)?;
    let (status, _) = job.status(study, ctx);
    if matches!(status, JobStatus::Completed | JobStatus::Failed) {
        return Err(Failure::conflict(format!(
            "job {} is already {}",
            job.id,
            status.as_str()
        )));
    }
    study.set_system_attr(JOB_CANCELLED, json!(true))?;
    json(&job.view(study, ctx))
}

fn ax_suggest(study: &mut Study, ctx: &Context) -> Result<Body, Failure> {
    check_trial_limit(study, ctx)?;
    if let Some(job) = Job::of(study) {
        let (status, _) = job.status(study, ctx);
        let over = matches!(
            status,
            JobStatus::Cancelled | JobStatus::Failed | JobStatus::Completed
        );
        if over || study.n_trials() >= job.n_trials {
            return Err(Failure::conflict(format!(
                "job {} is {}: no more trials are asked ({} of {} asked)",
                job.id,
                status.as_str(),
                study.n_trials(),
                job.n_trials
            )));
        }
    }
    let space = study
        .config()
        .search_space
        .clone()
        .ok_or_else(|| Failure::invalid("search_space", "the study has no search space"))?;
    let number = study.ask_with_space(&space)?;
    json(&Suggestion::of(study, number, None)?)
}

fn ax_evaluate(
    study: &mut Study,
    study_name: Option<String>,
    number: u64,
    value: f64,
    steps: &[(u64, JsonF64)],
) -> Result<Body, Failure> {
    if let Some(name) = &study_name {
        if name != study.name() {
            return Err(Failure::invalid(
                "study_name",
                format!("is {name:?} but the path names {:?}", study.name()),
            ));
        }
    }
    if study.directions().len() != 1 {
        return Err(Failure::invalid(
            "value",
            "this study has several objectives; use /api/v1",
        ));
    }
    let state = study.trial(number)?.state;
    if state != TrialState::Running {
        return Err(edgetune_core::Error::TrialNotRunning { number, state }.into());
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
    json(&EvaluateAnswer {
        study_name: study.name().to_string(),
        trial_number: number,
        state,
        pruned,
        value: study.trial(number)?.value(),
    })
}
