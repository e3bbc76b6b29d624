//! The Durable Object that owns one study. Its SQLite table `events` is the study's
//! journal; the in-memory study is rebuilt from it on a cold start and every change is
//! written to it before the answer leaves.
//!
//! The router parses and checks every request; the object receives one [`StudyOp`]
//! per request and only executes it.

// `#[durable_object]` generates undocumented glue.
#![allow(missing_docs)]

mod heartbeat;
mod jobs;
mod queries;
mod storage;
mod trials;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

pub use edgetune_api::study_op::StudyOp;
use edgetune_core::Study;
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use crate::http::{ApiError, ApiResult};

pub use heartbeat::HEARTBEAT_TIMEOUT;

/// One study, named `{tenant}/{study}`.
#[durable_object]
pub struct StudyObject {
    state: State,
    env: Env,
    study: RefCell<Option<Study>>,
    persisted: Cell<usize>,
    /// Last heartbeat (ms since the epoch) of running trials, mirrored in SQLite.
    heartbeats: RefCell<BTreeMap<u64, f64>>,
}

impl DurableObject for StudyObject {
    fn new(state: State, env: Env) -> Self {
        StudyObject {
            state,
            env,
            study: RefCell::new(None),
            persisted: Cell::new(0),
            heartbeats: RefCell::new(BTreeMap::new()),
        }
    }

    /// Fails RUNNING trials whose heartbeat expired (as Optuna's `fail_stale_trials`),
    /// then re-arms for the next expiry while trials run.
    async fn alarm(&self) -> worker::Result<Response> {
        if let Err(e) = self.fail_stale_trials().await {
            worker::console_error!("stale-trial alarm: {}", e.message);
        }
        Response::ok("ok")
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let result = match req.json::<StudyOp>().await {
            Ok(op) => self.run(op).await,
            Err(e) => Err(ApiError::internal(format!(
                "unreadable study operation: {e}"
            ))),
        };
        Ok(result.unwrap_or_else(|e| e.to_response()))
    }
}

impl StudyObject {
    async fn run(&self, op: StudyOp) -> ApiResult {
        match op {
            StudyOp::Create { config } => self.create(*config),
            StudyOp::Import { journal } => {
                let imported = self.import(journal);
                self.armed(imported).await
            }
            StudyOp::Get => self.view(),
            StudyOp::Journal => self.journal(),
            StudyOp::Delete => self.delete().await,
            StudyOp::Suggest { search_space } => {
                let suggested = self.suggest(search_space);
                self.armed(suggested).await
            }
            StudyOp::Complete {
                number,
                values,
                constraints,
            } => self.complete(number, values, constraints),
            StudyOp::Report {
                number,
                step,
                value,
            } => self.report(number, step, value.0),
            StudyOp::Prune { number } => self.prune(number),
            StudyOp::Heartbeat { number } => self.heartbeat(number),
            StudyOp::Fail { number, reason } => self.fail(number, reason),
            StudyOp::Trials {
                states,
                offset,
                limit,
                descending,
            } => self.trials(&states, offset, limit, descending),
            StudyOp::Best => self.best(),
            StudyOp::Pareto { reference, history } => self.pareto(reference, history),
            StudyOp::Importance {
                evaluator,
                target_quantile,
                region_quantile,
            } => self.importance(&evaluator, target_quantile, region_quantile),
            StudyOp::Table { csv } => self.table(csv),
            StudyOp::Job => self.job(),
            StudyOp::CancelJob => self.cancel_job(),
            StudyOp::AxSuggest => {
                let suggested = self.ax_suggest();
                self.armed(suggested).await
            }
            StudyOp::AxEvaluate {
                study_name,
                number,
                value,
                steps,
            } => self.ax_evaluate(study_name, number, value, &steps),
            StudyOp::AxResults => self.ax_results(),
            StudyOp::SetTrialUserAttr { number, key, value } => {
                self.set_trial_user_attr(number, &key, value)
            }
        }
    }
}
