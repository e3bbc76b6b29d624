//! The Durable Object that holds one tenant's automations and runs them. The cron's
//! tick (through the [`Directory`](crate::directory::Directory)) only sets its alarm;
//! the alarm runs what is due, so a slow or failing tenant delays no other. Every
//! decision (conditions, schedule, retries) is `edgetune_api::automations`'; this
//! object stores, calls the study objects, and keeps the audit trail.
//!
//! At most one run of an automation is in progress: a run marks it running in storage
//! before its first await, and a manual run meanwhile is refused (409).

// `#[durable_object]` generates undocumented glue.
#![allow(missing_docs)]

use std::cell::Cell;

use edgetune_api::automations::{
    run_status, AutomationList, AutomationState, AutomationView, FoldAnswer, RunFacts, RunList,
    RunView, StudyRun, Trigger,
};
use edgetune_api::failure::Failure;
use edgetune_api::study_op::ObjectOp;
use edgetune_api::views::ErrorBody;
use serde::Deserialize;
use serde_json::json;
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use crate::http::{self, ok, ApiResult};
use crate::object_ops::{AutomationOp, AutomationRequest};
use crate::settings::random_u64;
use crate::stubs::study_call;

/// How long a due scheduled run waits for a manual run in progress to end.
const BUSY_RETRY_MS: f64 = 3000.0;

/// A tenant's automations, named `tenant:{tenant}`.
#[durable_object]
pub struct Automations {
    state: State,
    env: Env,
    /// Whether this instance has made its tables (once, not on every statement).
    schema: Cell<bool>,
}

#[derive(Deserialize)]
struct StateRow {
    name: String,
    state: String,
}

#[derive(Deserialize)]
struct BodyRow {
    body: String,
}

impl DurableObject for Automations {
    fn new(state: State, env: Env) -> Self {
        Automations {
            state,
            env,
            schema: Cell::new(false),
        }
    }

    /// Runs every due automation (a retry, or the schedule), then re-arms for the
    /// earliest pending retry.
    async fn alarm(&self) -> worker::Result<Response> {
        if let Err(e) = self.run_due().await {
            worker::console_error!("automations alarm: {}", e.message);
        }
        Response::ok("ok")
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let result = match req.json::<AutomationRequest>().await {
            Ok(r) => self.handle(r).await,
            Err(e) => Err(Failure::internal(format!(
                "unreadable automation request: {e}"
            ))),
        };
        Ok(result.unwrap_or_else(|e| crate::http::error_response(&e)))
    }
}

impl Automations {
    fn sql(&self) -> ApiResult<worker::SqlStorage> {
        http::sql_with_schema(
            &self.state.storage(),
            &self.schema,
            &[
                "CREATE TABLE IF NOT EXISTS automations (name TEXT PRIMARY KEY, state TEXT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, automation TEXT NOT NULL, body TEXT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS runs_by_automation ON runs (automation, seq)",
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ],
        )
    }

    async fn handle(&self, req: AutomationRequest) -> ApiResult {
        let sql = self.sql()?;
        sql.exec(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('tenant', ?)",
            vec![req.tenant.clone().into()],
        )?;
        let now = http::now_ms();
        match req.op {
            AutomationOp::Put { name, config } => {
                let state = match self.load(&name)? {
                    Some(mut state) => {
                        state.reconfigure(config, now);
                        state
                    }
                    None => AutomationState::new(config, now),
                };
                self.save(&name, &state)?;
                ok(&AutomationView::of(
                    &name,
                    &state,
                    self.last_run(&name)?,
                    now,
                ))
            }
            AutomationOp::List => {
                let mut automations = Vec::new();
                for (name, state) in self.all()? {
                    let last = self.last_run(&name)?;
                    automations.push(AutomationView::of(&name, &state, last, now));
                }
                ok(&AutomationList { automations })
            }
            AutomationOp::Get { name } => {
                let state = self.existing(&name)?;
                ok(&AutomationView::of(
                    &name,
                    &state,
                    self.last_run(&name)?,
                    now,
                ))
            }
            AutomationOp::Delete { name } => {
                self.existing(&name)?;
                sql.exec(
                    "DELETE FROM automations WHERE name = ?",
                    vec![name.clone().into()],
                )?;
                sql.exec("DELETE FROM runs WHERE automation = ?", vec![name.into()])?;
                let remaining = self.all()?.len();
                ok(&json!({"deleted": true, "remaining": remaining}))
            }
            AutomationOp::Run { name, force } => {
                let state = self.existing(&name)?;
                if state.running(now) {
                    return Err(Failure::plain(
                        409,
                        "run_in_progress",
                        format!(
                            "automation {name:?} has a run in progress; try again when it ends"
                        ),
                    ));
                }
                let run = self.run(&req.tenant, &name, Trigger::Manual, force).await?;
                ok(&run)
            }
            AutomationOp::Runs { name, limit } => {
                self.existing(&name)?;
                let rows: Vec<BodyRow> = sql
                    .exec(
                        "SELECT body FROM runs WHERE automation = ? ORDER BY seq DESC LIMIT ?",
                        vec![name.clone().into(), (limit as i64).into()],
                    )?
                    .to_array()?;
                let runs = rows
                    .iter()
                    .map(|r| parse_run(&r.body))
                    .collect::<ApiResult<Vec<_>>>()?;
                ok(&RunList {
                    automation_name: name,
                    runs,
                })
            }
            AutomationOp::Tick => {
                let due = self
                    .all()?
                    .iter()
                    .filter(|(_, s)| s.due(now).is_some())
                    .count();
                if due > 0 {
                    http::set_alarm_at(&self.state.storage(), now).await?;
                }
                ok(&json!({"due": due}))
            }
        }
    }

    fn load(&self, name: &str) -> ApiResult<Option<AutomationState>> {
        let rows: Vec<StateRow> = self
            .sql()?
            .exec(
                "SELECT name, state FROM automations WHERE name = ?",
                vec![name.into()],
            )?
            .to_array()?;
        rows.first().map(|r| parse_state(&r.state)).transpose()
    }

    fn existing(&self, name: &str) -> ApiResult<AutomationState> {
        self.load(name)?
            .ok_or_else(|| Failure::not_found(format!("automation {name:?} not found")))
    }

    fn all(&self) -> ApiResult<Vec<(String, AutomationState)>> {
        let rows: Vec<StateRow> = self
            .sql()?
            .exec("SELECT name, state FROM automations ORDER BY name", None)?
            .to_array()?;
        rows.into_iter()
            .map(|r| Ok((r.name, parse_state(&r.state)?)))
            .collect()
    }

    fn save(&self, name: &str, state: &AutomationState) -> ApiResult<()> {
        let text = serde_json::to_string(state)
            .map_err(|e| Failure::internal(format!("automation not serializable: {e}")))?;
        self.sql()?.exec(
            "INSERT OR REPLACE INTO automations (name, state) VALUES (?, ?)",
            vec![name.into(), text.into()],
        )?;
        Ok(())
    }

    fn last_run(&self, name: &str) -> ApiResult<Option<RunView>> {
        let rows: Vec<BodyRow> = self
            .sql()?
            .exec(
                "SELECT body FROM runs WHERE automation = ? ORDER BY seq DESC LIMIT 1",
                vec![name.into()],
            )?
            .to_array()?;
        rows.first().map(|r| parse_run(&r.body)).transpose()
    }

    /// The alarm's work: each due automation, one after another, then the next alarm.
    async fn run_due(&self) -> ApiResult<()> {
        #[derive(Deserialize)]
        struct Value {
            value: String,
        }
        let tenant: Vec<Value> = self
            .sql()?
            .exec("SELECT value FROM meta WHERE key = 'tenant'", None)?
            .to_array()?;
        let Some(tenant) = tenant.into_iter().next().map(|v| v.value) else {
            return Ok(());
        };
        let names: Vec<String> = self.all()?.into_iter().map(|(n, _)| n).collect();
        for name in names {
            // Loaded afresh: a run before it may have taken long.
            let Some(state) = self.load(&name)? else {
                continue;
            };
            if let Some(trigger) = state.due(http::now_ms()) {
                if let Err(e) = self.run(&tenant, &name, trigger, false).await {
                    worker::console_error!("automation {name}: {}", e.message);
                }
            }
        }
        self.arm_retries().await
    }

    /// Sets the alarm for the earliest pending retry, and a few seconds ahead for a
    /// scheduled run that found a manual one in progress.
    async fn arm_retries(&self) -> ApiResult<()> {
        let now = http::now_ms();
        let next = self
            .all()?
            .iter()
            .filter_map(|(_, s)| match &s.retry {
                Some(r) => Some(r.at_ms),
                None if s.running(now) && s.config.enabled && s.next_run_at <= now => {
                    Some(now + BUSY_RETRY_MS)
                }
                None => None,
            })
            .fold(None, |min: Option<f64>, at| {
                Some(min.map_or(at, |m| m.min(at)))
            });
        if let Some(at) = next {
            http::set_alarm_at(&self.state.storage(), at).await?;
        }
        Ok(())
    }

    /// One run: marks the automation running before the first await, checks each
    /// study's conditions, folds where they hold, then records the run (and a retry
    /// of the failed studies) on the automation as it is now, which a request may have
    /// changed meanwhile.
    async fn run(
        &self,
        tenant: &str,
        name: &str,
        trigger: Trigger,
        force: bool,
    ) -> ApiResult<RunView> {
        let started = http::now_ms();
        let mut state = self.existing(name)?;
        let (attempt, force, studies) = match (&state.retry, trigger) {
            (Some(retry), Trigger::Retry) => (retry.attempt, retry.force, retry.studies.clone()),
            _ => (0, force, state.config.studies.clone()),
        };
        let nonce = random_u64()? & 0xff_ffff;
        state.start(trigger, started);
        self.save(name, &state)?;
        let run_id = format!("{name}-{}-{nonce:06x}", started as u64);
        let config = state.config.clone();
        let mut results = Vec::with_capacity(studies.len());
        for study in &studies {
            let (conditions, skip) = state.conditions(study, started, force);
            if let Some(reason) = skip {
                results.push(StudyRun::skipped(study, conditions, reason));
                continue;
            }
            let op = ObjectOp::Fold {
                run_id: run_id.clone(),
                min_new_observations: config.min_new_observations,
                force,
                recommendations: config.recommendations,
            };
            let result = match fold(&self.env, tenant, study, &op).await {
                Ok(answer) => StudyRun::folded(
                    study,
                    conditions,
                    answer,
                    config.min_new_observations,
                    force,
                ),
                Err(error) => StudyRun::failed(study, conditions, error),
            };
            results.push(result);
        }
        let finished = http::now_ms();
        let facts = RunFacts {
            started_ms: started,
            finished_ms: finished,
            attempt,
            force,
        };
        let mut run = RunView {
            run_id,
            automation_name: name.into(),
            trigger,
            attempt,
            force,
            started_at: http::iso(started),
            finished_at: http::iso(finished),
            status: run_status(&results),
            studies: results,
            retry_at: None,
        };
        // Deleted meanwhile: the run happened, but nothing is left to record it on.
        let Some(mut state) = self.load(name)? else {
            return Ok(run);
        };
        run.retry_at = state.finish(&facts, &run.studies).map(http::iso);
        self.save(name, &state)?;
        self.record(name, &run, state.config.history_limit)?;
        if run.retry_at.is_some() {
            self.arm_retries().await?;
        }
        Ok(run)
    }

    /// Appends a run to the audit trail and drops the oldest beyond `limit`.
    fn record(&self, name: &str, run: &RunView, limit: u32) -> ApiResult<()> {
        let body = serde_json::to_string(run)
            .map_err(|e| Failure::internal(format!("run not serializable: {e}")))?;
        let sql = self.sql()?;
        sql.exec(
            "INSERT INTO runs (automation, body) VALUES (?, ?)",
            vec![name.into(), body.into()],
        )?;
        sql.exec(
            "DELETE FROM runs WHERE automation = ? AND seq NOT IN (SELECT seq FROM runs WHERE automation = ? ORDER BY seq DESC LIMIT ?)",
            vec![name.into(), name.into(), i64::from(limit).into()],
        )?;
        Ok(())
    }
}

/// Folds a study's observations; an error is the study's answer, in a sentence.
async fn fold(env: &Env, tenant: &str, study: &str, op: &ObjectOp) -> Result<FoldAnswer, String> {
    let mut response = study_call(env, tenant, study, op)
        .await
        .map_err(|e| e.message)?;
    let text = response.text().await.map_err(|e| e.to_string())?;
    if response.status_code() != 200 {
        return Err(match serde_json::from_str::<ErrorBody>(&text) {
            Ok(body) => format!("{} ({})", body.error.message, body.error.code),
            Err(_) => format!("status {}: {text}", response.status_code()),
        });
    }
    serde_json::from_str(&text).map_err(|e| format!("unreadable fold answer: {e}"))
}

fn parse_state(text: &str) -> ApiResult<AutomationState> {
    serde_json::from_str(text)
        .map_err(|e| Failure::internal(format!("a stored automation is unreadable: {e}")))
}

fn parse_run(text: &str) -> ApiResult<RunView> {
    serde_json::from_str(text)
        .map_err(|e| Failure::internal(format!("a stored run is unreadable: {e}")))
}
