//! The Durable Object that owns one study. Its SQLite tables `packed` and `events` are
//! the study's journal: compacted chunks of packed events, then the latest events as
//! JSON; `snapshot` holds a windowed study's latest snapshot, and `trials` every
//! trial's latest form. The in-memory study is rebuilt from them on a cold start (from
//! the snapshot, when there is one), and every change is written before the answer
//! leaves.
//!
//! The router parses and checks every request; the object receives one [`ObjectOp`]
//! per request. A study operation ([`StudyOp`]) runs with the executor of
//! `edgetune-api` (shared with the local MCP server); the rest is the object's own:
//! storage, creation, import and deletion, heartbeats, observations and automation runs.

// `#[durable_object]` generates undocumented glue.
#![allow(missing_docs)]

mod heartbeat;
mod journal;
mod observations;
mod reads;
mod storage;
mod trials;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

pub use edgetune_api::study_op::{ObjectOp, StudyOp};
use edgetune_core::Study;
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use edgetune_api::exec::{self, Body, Context};

use crate::http::{self, ApiResult};
use crate::settings::env_u64;
use edgetune_api::failure::Failure;

/// The default of `MAX_TRIALS_PER_STUDY`.
const DEFAULT_MAX_TRIALS: u64 = 100_000;

/// One study, named `{tenant}/{study}`.
#[durable_object]
pub struct StudyObject {
    state: State,
    env: Env,
    study: RefCell<Option<Study>>,
    /// Events of the in-memory study that storage holds.
    persisted: Cell<usize>,
    /// Events that storage holds packed (`packed`); the rest are JSON rows (`events`).
    packed: Cell<usize>,
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
            packed: Cell::new(0),
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
        let result = match req.json::<ObjectOp>().await {
            Ok(op) => self.run(op).await,
            Err(e) => Err(Failure::internal(format!(
                "unreadable study operation: {e}"
            ))),
        };
        Ok(result.unwrap_or_else(|e| crate::http::error_response(&e)))
    }
}

impl StudyObject {
    async fn run(&self, op: ObjectOp) -> ApiResult {
        match op {
            ObjectOp::Create {
                config,
                metric_names,
            } => self.create(*config, metric_names),
            ObjectOp::Import { journal } => {
                let imported = self.import(journal);
                self.armed(imported).await
            }
            ObjectOp::Delete => self.delete().await,
            ObjectOp::Heartbeat { number } => self.heartbeat(number),
            ObjectOp::Observe { observations } => self.observe(observations),
            ObjectOp::Observations {
                state,
                offset,
                limit,
            } => self.observations_page(state, offset, limit),
            ObjectOp::Fold {
                run_id,
                min_new_observations,
                force,
                recommendations,
            } => self.fold(&run_id, min_new_observations, force, recommendations),
            ObjectOp::Recommendation { if_none_match } => {
                self.recommendation(if_none_match.as_deref())
            }
            ObjectOp::Study(op @ (StudyOp::Suggest { .. } | StudyOp::AxSuggest)) => {
                let asked = self.execute(op);
                self.armed(asked).await
            }
            ObjectOp::Study(StudyOp::Trials {
                states,
                offset,
                limit,
                descending,
            }) => self.trials_page(&states, offset, limit, descending),
            ObjectOp::Study(StudyOp::Table { csv }) => self.table(csv),
            ObjectOp::Study(StudyOp::Journal) => self.export(),
            ObjectOp::Study(StudyOp::OptunaJournal) => self.export_optuna(),
            ObjectOp::Study(op) => self.execute(op),
        }
    }

    /// `MAX_TRIALS_PER_STUDY`: no ask, added trial, fold or import takes a study past it.
    fn max_trials(&self) -> u64 {
        env_u64(&self.env, "MAX_TRIALS_PER_STUDY", DEFAULT_MAX_TRIALS)
    }

    /// Runs `op` on the study with the shared executor, storing what it added.
    fn execute(&self, op: StudyOp) -> ApiResult {
        let ctx = Context {
            now_ms: http::now_ms(),
            max_trials: self.max_trials(),
        };
        let body = self.mutate(|study| exec::run(study, op, &ctx))?;
        let (text, content_type) = match body {
            Body::Json(text) => (text, "application/json; charset=utf-8"),
            Body::Csv(text) => (text, "text/csv; charset=utf-8"),
            Body::Lines(text) => (text, "application/x-ndjson; charset=utf-8"),
        };
        let mut response = Response::ok(text)?;
        let _ = response.headers_mut().set("content-type", content_type);
        Ok(response)
    }
}
