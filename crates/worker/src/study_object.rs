//! The Durable Object that owns one study. Its SQLite table `events` is the study's
//! journal; the in-memory study is rebuilt from it on a cold start and every change is
//! written to it before the answer leaves.

// `#[durable_object]` generates undocumented glue.
#![allow(missing_docs)]

use std::cell::{Cell, RefCell};

use edgetune_core::{Event, Outcome, SearchSpace, Study, StudyConfig, TrialState};
use serde::Deserialize;
use serde_json::{json, Value};
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use crate::http::{self, ok, ApiError, ApiResult};
use crate::views;

/// One study, named `{tenant}/{study}`.
#[durable_object]
pub struct StudyObject {
    state: State,
    env: Env,
    study: RefCell<Option<Study>>,
    persisted: Cell<usize>,
    /// Last heartbeat (ms since the epoch) of running trials, mirrored in SQLite.
    heartbeats: RefCell<std::collections::BTreeMap<u64, f64>>,
}

/// The metadata key of a study's heartbeat timeout, in seconds.
pub const HEARTBEAT_TIMEOUT: &str = "heartbeat_timeout_seconds";

/// The body of a suggest: an optional search space overriding the study's.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SuggestBody {
    /// The space to sample.
    #[serde(default)]
    pub search_space: Option<SearchSpace>,
}

/// The body of a complete: one value or one per objective.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompleteBody {
    /// The objective value.
    #[serde(default)]
    pub value: Option<f64>,
    /// One value per objective.
    #[serde(default)]
    pub values: Option<Vec<f64>>,
    /// Constraint values (`<= 0` is feasible), for samplers that handle constraints.
    #[serde(default)]
    pub constraints: Option<Vec<f64>>,
}

/// The body of a report: an intermediate value at a step (`"NaN"` and `"Infinity"`
/// are accepted as strings, JSON having no such numbers).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// The value.
    pub value: edgetune_core::study::JsonF64,
    /// The step, a whole number >= 0.
    pub step: u64,
}

/// The body of the Ax API's evaluate.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluateBody {
    /// The study, if given, must be the one in the path.
    #[serde(default)]
    pub study_name: Option<String>,
    /// The trial.
    pub trial_number: u64,
    /// The objective value.
    pub value: f64,
    /// Intermediate values by step (`{"0": 0.1, "1": 0.3}`), reported in step order.
    #[serde(default)]
    pub intermediate_values:
        Option<std::collections::BTreeMap<String, edgetune_core::study::JsonF64>>,
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
    fn status(&self, study: &Study) -> (&'static str, Option<String>) {
        use edgetune_core::TrialState::{Complete, Fail, Pruned};
        let finished = [Complete, Pruned, Fail]
            .iter()
            .map(|s| study.count(*s) as u64)
            .sum::<u64>();
        if study.system_attrs().get(JOB_CANCELLED) == Some(&json!(true)) {
            ("cancelled", None)
        } else if finished >= self.n_trials {
            ("completed", None)
        } else if http::now_ms() > self.created_at + self.timeout_seconds * 1000.0 {
            (
                "failed",
                Some(format!(
                    "the deadline of {} s passed with {finished} of {} trials finished",
                    self.timeout_seconds, self.n_trials
                )),
            )
        } else if study.trials().is_empty() {
            ("pending", None)
        } else {
            ("running", None)
        }
    }
}

fn job_view(study: &Study) -> Value {
    let Some(job) = Job::of(study) else {
        return json!({"error": "not a job"});
    };
    use edgetune_core::TrialState::{Complete, Fail, Pruned};
    let finished: usize = [Complete, Pruned, Fail]
        .iter()
        .map(|s| study.count(*s))
        .sum();
    let (status, error) = job.status(study);
    json!({
        "job_id": job.id,
        "study_name": study.name(),
        "status": status,
        "error": error,
        "created_at": http::iso(job.created_at),
        "n_trials": job.n_trials,
        "progress": {
            "completed_trials": finished,
            "n_trials": job.n_trials,
            "best_value": study.best_trial().ok().and_then(|t| t.value()),
        },
    })
}

fn ax_results(study: &Study) -> Value {
    let best = study.best_trials().into_iter().next();
    let brief = |t: &edgetune_core::FrozenTrial| {
        json!({
            "number": t.number,
            "value": t.value(),
            "values": t.values,
            "params": t.external_params(),
            "state": t.state,
            "intermediate_values": t.to_record().intermediate_values,
        })
    };
    json!({
        "study_name": study.name(),
        "best_trial": best.map(brief),
        "best_value": best.and_then(|t| t.value()),
        "best_params": best.map(|t| t.external_params()),
        "trials": study.trials().iter().map(brief).collect::<Vec<_>>(),
        "n_trials": study.trials().len(),
        "direction": study.directions()[0],
    })
}

/// Query of a trial listing.
#[derive(Deserialize)]
pub struct TrialsQuery {
    /// Comma-separated states.
    pub state: Option<String>,
    /// Skip this many.
    pub offset: Option<String>,
    /// At most this many (1 to 1000, default 100).
    pub limit: Option<String>,
    /// `asc` (default) or `desc` by number.
    pub order: Option<String>,
}

impl DurableObject for StudyObject {
    fn new(state: State, env: Env) -> Self {
        StudyObject {
            state,
            env,
            study: RefCell::new(None),
            persisted: Cell::new(0),
            heartbeats: RefCell::new(std::collections::BTreeMap::new()),
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
        let path = req.path();
        let result = match (req.method(), path.as_str()) {
            (worker::Method::Post, "/create") => self.create(&mut req).await,
            (worker::Method::Post, "/import") => {
                let imported = self.import(&mut req).await;
                self.armed(imported).await
            }
            (worker::Method::Get, "/journal") => self.with_study(|s| {
                let mut response = Response::ok(s.to_journal().to_json())?;
                let _ = response
                    .headers_mut()
                    .set("content-type", "application/json; charset=utf-8");
                Ok(response)
            }),
            (worker::Method::Get, "/study") => self.with_study(|s| ok(&views::study(s))),
            (worker::Method::Post, "/suggest") => self.armed(self.suggest(&mut req).await).await,
            (worker::Method::Post, p) if p.starts_with("/trial/") => {
                let mut parts = p["/trial/".len()..].splitn(2, '/');
                match (parts.next().map(str::parse::<u64>), parts.next()) {
                    (Some(Ok(number)), Some("complete")) => self.complete(&mut req, number).await,
                    (Some(Ok(number)), Some("report")) => self.report(&mut req, number).await,
                    (Some(Ok(number)), Some("prune")) => self.prune(number),
                    (Some(Ok(number)), Some("heartbeat")) => self.heartbeat(number),
                    (Some(Ok(number)), Some("fail")) => self.fail(&mut req, number).await,
                    _ => Err(ApiError::not_found("trial not found")),
                }
            }
            (worker::Method::Get, "/trials") => self.trials(&req),
            (worker::Method::Get, "/best") => self.with_study(best),
            (worker::Method::Get, "/pareto") => self.pareto(&req),
            (worker::Method::Get, "/table") => self.table(&req),
            (worker::Method::Get, "/importance") => self.importance(&req),
            (worker::Method::Post, "/delete") => self.delete().await,
            (worker::Method::Get, "/job") => self.with_study(|s| ok(&job_view(s))),
            (worker::Method::Post, "/job/cancel") => self.cancel_job(),
            (worker::Method::Post, "/ax/suggest") => self.armed(self.ax_suggest()).await,
            (worker::Method::Post, "/ax/evaluate") => self.ax_evaluate(&mut req).await,
            (worker::Method::Get, "/ax/results") => self.with_study(|s| ok(&ax_results(s))),
            _ => Err(ApiError::not_found(format!("no study operation {path}"))),
        };
        Ok(result.unwrap_or_else(|e| e.to_response()))
    }
}

impl StudyObject {
    fn sql(&self) -> worker::SqlStorage {
        self.state.storage().sql()
    }

    /// Loads the study from storage if it is not in memory. O(events) on a cold start.
    fn load(&self) -> ApiResult<()> {
        if self.study.borrow().is_some() {
            return Ok(());
        }
        let sql = self.sql();
        sql.exec(
            "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)",
            None,
        )?;
        #[derive(Deserialize)]
        struct Row {
            body: String,
        }
        sql.exec(
            "CREATE TABLE IF NOT EXISTS heartbeats (number INTEGER PRIMARY KEY, at REAL NOT NULL)",
            None,
        )?;
        #[derive(Deserialize)]
        struct Beat {
            number: f64,
            at: f64,
        }
        let beats: Vec<Beat> = sql
            .exec("SELECT number, at FROM heartbeats", None)?
            .to_array()?;
        *self.heartbeats.borrow_mut() =
            beats.into_iter().map(|b| (b.number as u64, b.at)).collect();
        let rows: Vec<Row> = sql
            .exec("SELECT body FROM events ORDER BY seq", None)?
            .to_array()?;
        if rows.is_empty() {
            return Ok(());
        }
        let events = rows
            .iter()
            .map(|r| serde_json::from_str::<Event>(&r.body))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ApiError::internal(format!("stored journal is unreadable: {e}")))?;
        let count = events.len();
        let mut study = Study::replay(events)?;
        study.set_clock(Some(Box::new(http::now_ms)));
        self.persisted.set(count);
        *self.study.borrow_mut() = Some(study);
        Ok(())
    }

    /// Runs `f` on the loaded study, or answers 404 when there is none.
    fn with_study<T>(&self, f: impl FnOnce(&Study) -> ApiResult<T>) -> ApiResult<T> {
        self.load()?;
        match self.study.borrow().as_ref() {
            Some(s) => f(s),
            None => Err(ApiError::not_found("study not found")),
        }
    }

    /// Runs `f` on the loaded study, then writes the events it added. If writing
    /// fails, the in-memory study is dropped so the next request reloads what storage
    /// really holds.
    fn mutate<T>(&self, f: impl FnOnce(&mut Study) -> ApiResult<T>) -> ApiResult<T> {
        self.load()?;
        let mut guard = self.study.borrow_mut();
        let study = guard
            .as_mut()
            .ok_or_else(|| ApiError::not_found("study not found"))?;
        let out = match f(study) {
            Ok(out) => out,
            Err(e) => {
                // A failed request stores nothing: if it got as far as adding events,
                // forget them by reloading what storage holds on the next request.
                if study.events().len() > self.persisted.get() {
                    *guard = None;
                }
                return Err(e);
            }
        };
        if let Err(e) = self.persist(study) {
            *guard = None;
            return Err(e);
        }
        Ok(out)
    }

    /// Appends the events not yet stored. No await between them: the Durable Object
    /// commits writes without an intervening await atomically.
    fn persist(&self, study: &Study) -> ApiResult<()> {
        let sql = self.sql();
        let events = study.events();
        for (seq, event) in events.iter().enumerate().skip(self.persisted.get()) {
            let body = serde_json::to_string(event)
                .map_err(|e| ApiError::internal(format!("event not serializable: {e}")))?;
            sql.exec(
                "INSERT INTO events (seq, body) VALUES (?, ?)",
                vec![(seq as i64).into(), body.into()],
            )?;
        }
        self.persisted.set(events.len());
        Ok(())
    }

    async fn create(&self, req: &mut Request) -> ApiResult {
        let config: StudyConfig = http::read_json(req, false)
            .await?
            .ok_or_else(|| ApiError::invalid("body", "a JSON body is required"))?;
        self.load()?;
        if self.study.borrow().is_some() {
            return Err(ApiError::conflict(format!(
                "study {:?} already exists",
                config.name
            )));
        }
        let study = Study::create_with_clock(config, Some(Box::new(http::now_ms)))?;
        self.persisted.set(0);
        self.persist(&study)?;
        let view = views::study(&study);
        *self.study.borrow_mut() = Some(study);
        Ok(http::json_response(201, &view))
    }

    /// Creates the study from a journal the router checked and renamed: every event is
    /// replayed, then stored, so the study continues exactly where the journal ends.
    async fn import(&self, req: &mut Request) -> ApiResult {
        let text = req.text().await.map_err(ApiError::from)?;
        let journal = edgetune_core::Journal::from_json(&text)
            .map_err(|e| ApiError::invalid("journal", e.to_string()))?;
        self.load()?;
        if self.study.borrow().is_some() {
            return Err(ApiError::conflict("the study already exists"));
        }
        let mut study = Study::replay(journal.events)
            .map_err(|e| ApiError::invalid("journal", e.to_string()))?;
        study.set_clock(Some(Box::new(http::now_ms)));
        self.persisted.set(0);
        self.persist(&study)?;
        let view = views::study(&study);
        *self.study.borrow_mut() = Some(study);
        Ok(http::json_response(201, &view))
    }

    async fn suggest(&self, req: &mut Request) -> ApiResult {
        let body: SuggestBody = http::read_json(req, true).await?.unwrap_or_default();
        self.mutate(|study| {
            self.check_trial_limit(study)?;
            let space = match body.search_space {
                Some(space) => space,
                None => study.config().search_space.clone().ok_or_else(|| {
                    ApiError::invalid(
                        "search_space",
                        "the study has no search space; create it with one or send one here",
                    )
                })?,
            };
            let number = study.ask_with_space(&space)?;
            let trial = study.trial(number)?;
            ok(&json!({
                "study_name": study.name(),
                "trial_number": number,
                "trial_id": number,
                "params": trial.external_params(),
            }))
        })
    }

    async fn complete(&self, req: &mut Request, number: u64) -> ApiResult {
        let body: CompleteBody = http::read_json(req, false)
            .await?
            .ok_or_else(|| ApiError::invalid("body", "a JSON body is required"))?;
        let values = match (body.value, body.values) {
            (Some(v), None) => vec![v],
            (None, Some(vs)) => vs,
            (Some(_), Some(_)) => {
                return Err(ApiError::invalid("value", "give value or values, not both"))
            }
            (None, None) => return Err(ApiError::invalid("value", "missing field")),
        };
        self.mutate(|study| {
            let outcome = Outcome::Values(values);
            match body.constraints {
                Some(c) => study.tell_with_constraints(number, outcome, c)?,
                None => study.tell(number, outcome)?,
            };
            ok(&views::trial(study.trial(number)?))
        })
    }

    async fn report(&self, req: &mut Request, number: u64) -> ApiResult {
        let body: ReportBody = http::read_json(req, false)
            .await?
            .ok_or_else(|| ApiError::invalid("body", "a JSON body is required"))?;
        self.mutate(|study| {
            study.report(number, body.step, body.value.0)?;
            let should_prune = study.should_prune(number)?;
            ok(&json!({"trial_number": number, "step": body.step, "should_prune": should_prune}))
        })
    }

    /// Records a heartbeat of a RUNNING trial.
    fn heartbeat(&self, number: u64) -> ApiResult {
        self.with_study(|study| {
            let trial = study.trial(number)?;
            if trial.state != edgetune_core::TrialState::Running {
                return Err(ApiError::from(edgetune_core::Error::TrialNotRunning {
                    number,
                    state: trial.state,
                }));
            }
            Ok(())
        })?;
        let now = http::now_ms();
        self.sql().exec(
            "INSERT INTO heartbeats (number, at) VALUES (?, ?) ON CONFLICT(number) DO UPDATE SET at = excluded.at",
            vec![(number as i64).into(), now.into()],
        )?;
        self.heartbeats.borrow_mut().insert(number, now);
        ok(&json!({"trial_number": number, "heartbeat_at": http::iso(now)}))
    }

    /// Fails a RUNNING trial, with an optional reason.
    async fn fail(&self, req: &mut Request, number: u64) -> ApiResult {
        #[derive(Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        struct FailBody {
            #[serde(default)]
            reason: Option<String>,
        }
        let body: FailBody = http::read_json(req, true).await?.unwrap_or_default();
        if body.reason.as_ref().is_some_and(|r| r.len() > 4096) {
            return Err(ApiError::invalid("reason", "must be at most 4096 bytes"));
        }
        self.mutate(|study| {
            study.tell(number, Outcome::Fail(body.reason))?;
            ok(&views::trial(study.trial(number)?))
        })
    }

    /// The study's heartbeat timeout in ms, if it has one.
    fn heartbeat_timeout_ms(&self) -> Option<f64> {
        let study = self.study.borrow();
        let seconds = study
            .as_ref()?
            .config()
            .metadata
            .get(HEARTBEAT_TIMEOUT)?
            .as_f64()?;
        Some(seconds * 1000.0)
    }

    /// `MAX_TRIALS_PER_STUDY` (default 10000): asks beyond it are refused.
    fn check_trial_limit(&self, study: &Study) -> ApiResult<()> {
        let max = crate::router::env_value(&self.env, "MAX_TRIALS_PER_STUDY", "10000")
            .as_u64()
            .unwrap_or(10_000);
        if study.trials().len() as u64 >= max {
            return Err(ApiError::conflict(format!(
                "the study holds MAX_TRIALS_PER_STUDY = {max} trials; no more can be asked"
            )));
        }
        Ok(())
    }

    /// After a successful ask, makes sure an alarm will check the trial's heartbeat.
    async fn armed(&self, result: ApiResult) -> ApiResult {
        if result.is_ok() {
            if let Some(timeout) = self.heartbeat_timeout_ms() {
                let storage = self.state.storage();
                if storage.get_alarm().await?.is_none() {
                    storage.set_alarm(timeout.ceil() as i64 + 50).await?;
                }
            }
        }
        result
    }

    async fn fail_stale_trials(&self) -> ApiResult<()> {
        self.load()?;
        let Some(timeout) = self.heartbeat_timeout_ms() else {
            return Ok(());
        };
        let now = http::now_ms();
        let mut next: Option<f64> = None;
        self.mutate(|study| {
            let beats = self.heartbeats.borrow();
            let running: Vec<(u64, f64)> = study
                .trials()
                .iter()
                .filter(|t| t.state == edgetune_core::TrialState::Running)
                .map(|t| {
                    (
                        t.number,
                        beats
                            .get(&t.number)
                            .copied()
                            .or(t.datetime_start)
                            .unwrap_or(now),
                    )
                })
                .collect();
            for (number, last) in running {
                if now - last > timeout {
                    let reason = format!(
                        "stale: no heartbeat for {} s (the study's heartbeat_timeout)",
                        timeout / 1000.0
                    );
                    study.tell(number, Outcome::Fail(Some(reason)))?;
                } else {
                    let due = last + timeout;
                    next = Some(next.map_or(due, |n: f64| n.min(due)));
                }
            }
            Ok(())
        })?;
        if let Some(due) = next {
            let offset = (due - now).max(0.0).ceil() as i64 + 50;
            self.state.storage().set_alarm(offset).await?;
        }
        Ok(())
    }

    fn prune(&self, number: u64) -> ApiResult {
        self.mutate(|study| {
            study.tell(number, Outcome::Pruned)?;
            ok(&views::trial(study.trial(number)?))
        })
    }

    fn trials(&self, req: &Request) -> ApiResult {
        let query: TrialsQuery = req
            .query()
            .map_err(|e| ApiError::invalid("query", e.to_string()))?;
        let states = match query.state.as_deref() {
            None | Some("") => TrialState::ALL.to_vec(),
            Some(list) => list
                .split(',')
                .map(|s| {
                    TrialState::parse(s.trim()).ok_or_else(|| {
                        ApiError::invalid(
                            "state",
                            format!("unknown state {s:?}; use RUNNING, COMPLETE, PRUNED, FAIL or WAITING"),
                        )
                    })
                })
                .collect::<ApiResult<Vec<_>>>()?,
        };
        let offset = parse_count(query.offset.as_deref(), "offset", 0, usize::MAX)?;
        let limit = parse_count(query.limit.as_deref(), "limit", 100, 1000)?;
        if limit == 0 {
            return Err(ApiError::invalid("limit", "must be from 1 to 1000"));
        }
        let descending = match query.order.as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(ApiError::invalid(
                    "order",
                    format!("must be asc or desc, got {other:?}"),
                ))
            }
        };
        self.with_study(|study| {
            let matching = |t: &&edgetune_core::FrozenTrial| states.contains(&t.state);
            let total = study.trials().iter().filter(matching).count();
            let page: Vec<Value> = if descending {
                let it = study.trials().iter().rev().filter(matching);
                it.skip(offset).take(limit).map(views::trial).collect()
            } else {
                let it = study.trials().iter().filter(matching);
                it.skip(offset).take(limit).map(views::trial).collect()
            };
            ok(&json!({"trials": page, "total": total, "offset": offset, "limit": limit}))
        })
    }

    fn pareto(&self, req: &Request) -> ApiResult {
        #[derive(Deserialize)]
        struct Query {
            reference: Option<String>,
            history: Option<String>,
        }
        let query: Query = req
            .query()
            .map_err(|e| ApiError::invalid("query", e.to_string()))?;
        let history = match query.history.as_deref() {
            None | Some("") => None,
            Some(text) => Some(parse_count(
                Some(text),
                "history",
                0,
                edgetune_core::analysis::MAX_HISTORY_POINTS,
            )?),
        };
        let reference = match query.reference.as_deref() {
            None | Some("") => None,
            Some(text) => Some(
                text.split(',')
                    .map(|v| v.trim().parse::<f64>())
                    .collect::<Result<Vec<f64>, _>>()
                    .map_err(|_| {
                        ApiError::invalid(
                            "reference",
                            "must be comma-separated numbers, one per objective",
                        )
                    })?,
            ),
        };
        self.with_study(|study| {
            let front: Vec<Value> = study.best_trials().into_iter().map(views::trial).collect();
            let mut body = json!({"study_name": study.name(), "directions": study.directions(), "trials": front});
            match (reference, history) {
                (Some(reference), history) => {
                    body["hypervolume"] = json!(study.hypervolume(&reference)?);
                    if let Some(points) = history {
                        body["hypervolume_history"] =
                            json!(study.hypervolume_history(&reference, points)?);
                    }
                    body["reference"] = json!(reference);
                }
                (None, Some(_)) => {
                    return Err(ApiError::invalid(
                        "reference",
                        "a hypervolume history needs a reference point",
                    ))
                }
                (None, None) => {}
            }
            ok(&body)
        })
    }

    fn importance(&self, req: &Request) -> ApiResult {
        #[derive(Deserialize)]
        struct Query {
            evaluator: Option<String>,
            target_quantile: Option<String>,
            region_quantile: Option<String>,
        }
        let q: Query = req
            .query()
            .map_err(|e| ApiError::invalid("query", e.to_string()))?;
        let number = |text: Option<&str>, field: &str, default: f64| -> ApiResult<f64> {
            match text {
                None | Some("") => Ok(default),
                Some(t) => t
                    .parse::<f64>()
                    .map_err(|_| ApiError::invalid(field, format!("must be a number, got {t:?}"))),
            }
        };
        let options = edgetune_core::analysis::PedAnovaOptions {
            target_quantile: number(q.target_quantile.as_deref(), "target_quantile", 0.1)?,
            region_quantile: number(q.region_quantile.as_deref(), "region_quantile", 1.0)?,
            ..Default::default()
        };
        let evaluator = q.evaluator.unwrap_or_else(|| "ped_anova".into());
        self.with_study(|study| {
            let ranked = study.importance(&evaluator, &options)?;
            let importances: serde_json::Map<String, Value> =
                ranked.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            let ranking: Vec<&String> = ranked.iter().map(|(k, _)| k).collect();
            ok(&json!({
                "study_name": study.name(),
                "evaluator": evaluator,
                "importances": importances,
                "ranking": ranking,
            }))
        })
    }

    fn table(&self, req: &Request) -> ApiResult {
        #[derive(Deserialize)]
        struct Query {
            format: Option<String>,
        }
        let query: Query = req
            .query()
            .map_err(|e| ApiError::invalid("query", e.to_string()))?;
        self.with_study(|study| match query.format.as_deref() {
            None | Some("json") => ok(&study.trials_table()),
            Some("csv") => {
                let mut response = worker::Response::ok(study.trials_table().to_csv())?;
                let _ = response
                    .headers_mut()
                    .set("content-type", "text/csv; charset=utf-8");
                Ok(response)
            }
            Some(other) => Err(ApiError::invalid(
                "format",
                format!("must be json or csv, got {other:?}"),
            )),
        })
    }

    fn cancel_job(&self) -> ApiResult {
        self.mutate(|study| {
            let job =
                Job::of(study).ok_or_else(|| ApiError::not_found("this study is not a job"))?;
            match job.status(study).0 {
                "completed" | "failed" => {
                    return Err(ApiError::conflict(format!(
                        "job {} is already {}",
                        job.id,
                        job.status(study).0
                    )))
                }
                _ => study.set_system_attr(JOB_CANCELLED, json!(true))?,
            }
            ok(&job_view(study))
        })
    }

    fn ax_suggest(&self) -> ApiResult {
        self.mutate(|study| {
            self.check_trial_limit(study)?;
            if let Some(job) = Job::of(study) {
                let (status, _) = job.status(study);
                if matches!(status, "cancelled" | "failed" | "completed")
                    || study.trials().len() as u64 >= job.n_trials
                {
                    return Err(ApiError::conflict(format!(
                        "job {} is {status}: no more trials are asked ({} of {} asked)",
                        job.id,
                        study.trials().len(),
                        job.n_trials
                    )));
                }
            }
            let space = study.config().search_space.clone().ok_or_else(|| {
                ApiError::invalid("search_space", "the study has no search space")
            })?;
            let number = study.ask_with_space(&space)?;
            let trial = study.trial(number)?;
            ok(&json!({
                "study_name": study.name(),
                "trial_number": number,
                "params": trial.external_params(),
            }))
        })
    }

    async fn ax_evaluate(&self, req: &mut Request) -> ApiResult {
        let body: EvaluateBody = http::read_json(req, false)
            .await?
            .ok_or_else(|| ApiError::invalid("body", "a JSON body is required"))?;
        let mut steps: Vec<(u64, f64)> = Vec::new();
        for (key, value) in body.intermediate_values.iter().flatten() {
            let step = key.parse::<u64>().map_err(|_| {
                ApiError::invalid(
                    format!("intermediate_values.{key}"),
                    "keys are steps: whole numbers >= 0",
                )
            })?;
            steps.push((step, value.0));
        }
        steps.sort_by_key(|s| s.0);
        self.mutate(|study| {
            if let Some(name) = &body.study_name {
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
            let number = body.trial_number;
            let state = study.trial(number)?.state;
            if state != edgetune_core::TrialState::Running {
                return Err(ApiError::from(edgetune_core::Error::TrialNotRunning {
                    number,
                    state,
                }));
            }
            // Checked above, reports cannot fail: nothing is half stored.
            let mut pruned = false;
            for (step, value) in &steps {
                study.report(number, *step, *value)?;
                if study.should_prune(number)? {
                    pruned = true;
                    break;
                }
            }
            let state = if pruned {
                study.tell(number, Outcome::Pruned)?
            } else {
                study.tell(number, Outcome::value(body.value))?
            };
            ok(&json!({
                "study_name": study.name(),
                "trial_number": number,
                "state": state,
                "pruned": pruned,
                "value": study.trial(number)?.value(),
            }))
        })
    }

    async fn delete(&self) -> ApiResult {
        self.load()?;
        if self.study.borrow().is_none() {
            return Err(ApiError::not_found("study not found"));
        }
        self.state.storage().delete_all().await?;
        self.state.storage().delete_alarm().await?;
        *self.study.borrow_mut() = None;
        self.heartbeats.borrow_mut().clear();
        self.persisted.set(0);
        ok(&json!({"deleted": true}))
    }
}

/// The best trial (single objective) or the first Pareto-optimal one (several), with
/// its parameters and value(s), as the seed Tuner service's `/best`.
fn best(study: &Study) -> ApiResult {
    let best = study
        .best_trials()
        .into_iter()
        .next()
        .ok_or_else(|| ApiError {
            status: 404,
            code: "no_completed_trials",
            message: "no trial is complete yet, so there is no best trial".into(),
            field: None,
        })?;
    let mut body = json!({
        "study_name": study.name(),
        "best_trial": views::trial(best),
        "best_params": best.external_params(),
        "best_values": best.values,
    });
    if study.directions().len() == 1 {
        body["best_value"] = json!(best.value());
    }
    ok(&body)
}

/// Parses a non-negative count from a query string, with a default and a maximum.
pub fn parse_count(
    value: Option<&str>,
    field: &str,
    default: usize,
    max: usize,
) -> ApiResult<usize> {
    match value {
        None | Some("") => Ok(default),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(ApiError::invalid(
                field,
                format!("must be a whole number from 0 to {max}, got {text:?}"),
            )),
        },
    }
}
