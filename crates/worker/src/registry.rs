//! The Durable Object that lists one tenant's studies. It is the gate for study names:
//! a name is taken here before its study object is created.

// `#[durable_object]` generates undocumented glue.
#![allow(missing_docs)]

use serde::Deserialize;
use serde_json::{json, Value};
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use edgetune_api::views::{StudyList, StudySummary};

use crate::http::{self, ok, ApiResult};
use edgetune_api::failure::Failure;
use edgetune_api::input;

/// One tenant's list of studies, named after the tenant.
#[durable_object]
pub struct Registry {
    state: State,
}

/// What the registry keeps of a study.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The study name.
    pub study_name: String,
    /// Its directions.
    pub directions: Value,
    /// Its sampler name.
    pub sampler: String,
}

#[derive(Deserialize)]
struct Row {
    study_name: String,
    directions: String,
    sampler: String,
    created_at: f64,
}

impl DurableObject for Registry {
    fn new(state: State, _env: Env) -> Self {
        Registry { state }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let path = req.path();
        let result = match (req.method(), path.as_str()) {
            (worker::Method::Post, "/add") => self.add(&mut req).await,
            (worker::Method::Post, "/remove") => self.remove(&mut req).await,
            (worker::Method::Get, "/list") => self.list(&req),
            (worker::Method::Get, "/ping") => self.ping(),
            (worker::Method::Post, "/jobs/add") => self.add_job(&mut req).await,
            (worker::Method::Get, "/jobs/get") => self.get_job(&req),
            (worker::Method::Get, "/jobs/list") => self.list_jobs(&req),
            (worker::Method::Get, "/jobs/unexpired") => self.unexpired_jobs(),
            _ => Err(Failure::not_found(format!("no registry operation {path}"))),
        };
        Ok(result.unwrap_or_else(|e| crate::http::error_response(&e)))
    }
}

impl Registry {
    fn sql(&self) -> ApiResult<worker::SqlStorage> {
        let sql = self.state.storage().sql();
        sql.exec(
            "CREATE TABLE IF NOT EXISTS studies (study_name TEXT PRIMARY KEY, directions TEXT NOT NULL, sampler TEXT NOT NULL, created_at REAL NOT NULL)",
            None,
        )?;
        Ok(sql)
    }

    async fn add(&self, req: &mut Request) -> ApiResult {
        let entry: Entry = input::body(&http::read_body(req).await?)?;
        let sql = self.sql()?;
        let existing: Vec<Value> = sql
            .exec(
                "SELECT study_name FROM studies WHERE study_name = ?",
                vec![entry.study_name.clone().into()],
            )?
            .to_array()?;
        if !existing.is_empty() {
            return Err(Failure::conflict(format!(
                "study {:?} already exists",
                entry.study_name
            )));
        }
        sql.exec(
            "INSERT INTO studies (study_name, directions, sampler, created_at) VALUES (?, ?, ?, ?)",
            vec![
                entry.study_name.into(),
                entry.directions.to_string().into(),
                entry.sampler.into(),
                http::now_ms().into(),
            ],
        )?;
        Ok(http::json_response(201, &json!({"added": true})))
    }

    async fn remove(&self, req: &mut Request) -> ApiResult {
        #[derive(Deserialize)]
        struct Body {
            study_name: String,
        }
        let body: Body = input::body(&http::read_body(req).await?)?;
        let cursor = self.sql()?.exec(
            "DELETE FROM studies WHERE study_name = ?",
            vec![body.study_name.into()],
        )?;
        let _ = cursor.to_array::<Value>()?;
        if cursor.rows_written() == 0 {
            return Err(Failure::not_found("study not found"));
        }
        ok(&json!({"removed": true}))
    }

    fn list(&self, req: &Request) -> ApiResult {
        #[derive(Deserialize)]
        struct Query {
            offset: Option<String>,
            limit: Option<String>,
        }
        // The router's parser checked both (edgetune_api::parse).
        let query: Query = input::query(req.url()?.query())?;
        let offset = input::parse_count(query.offset.as_deref(), "offset", 0, i64::MAX as usize)?;
        let limit = input::parse_count(query.limit.as_deref(), "limit", 100, 1000)?;
        let sql = self.sql()?;
        #[derive(Deserialize)]
        struct Count {
            n: f64,
        }
        let total = sql
            .exec("SELECT COUNT(*) AS n FROM studies", None)?
            .one::<Count>()?
            .n as u64;
        let rows: Vec<Row> = sql
            .exec(
                "SELECT study_name, directions, sampler, created_at FROM studies ORDER BY created_at, study_name LIMIT ? OFFSET ?",
                vec![(limit as i64).into(), (offset as i64).into()],
            )?
            .to_array()?;
        let studies = rows
            .into_iter()
            .map(|r| {
                Ok(StudySummary {
                    study_name: r.study_name,
                    directions: serde_json::from_str(&r.directions).map_err(|e| {
                        Failure::internal(format!("stored directions are unreadable: {e}"))
                    })?,
                    sampler: r.sampler,
                    created_at: http::iso(r.created_at),
                })
            })
            .collect::<ApiResult<Vec<_>>>()?;
        ok(&StudyList {
            studies,
            total: total as usize,
            offset,
            limit,
        })
    }

    fn jobs(&self) -> ApiResult<worker::SqlStorage> {
        let sql = self.sql()?;
        sql.exec(
            "CREATE TABLE IF NOT EXISTS jobs (job_id TEXT PRIMARY KEY, study_name TEXT NOT NULL, created_at REAL NOT NULL, deadline REAL NOT NULL)",
            None,
        )?;
        Ok(sql)
    }

    async fn add_job(&self, req: &mut Request) -> ApiResult {
        #[derive(Deserialize)]
        struct Body {
            job_id: String,
            study_name: String,
            deadline: f64,
        }
        let body: Body = input::body(&http::read_body(req).await?)?;
        self.jobs()?.exec(
            "INSERT INTO jobs (job_id, study_name, created_at, deadline) VALUES (?, ?, ?, ?)",
            vec![
                body.job_id.into(),
                body.study_name.into(),
                http::now_ms().into(),
                body.deadline.into(),
            ],
        )?;
        Ok(http::json_response(201, &json!({"added": true})))
    }

    fn get_job(&self, req: &Request) -> ApiResult {
        #[derive(Deserialize)]
        struct Query {
            job_id: String,
        }
        let q: Query = req
            .query()
            .map_err(|e| Failure::invalid("job_id", e.to_string()))?;
        let rows: Vec<Value> = self
            .jobs()?
            .exec(
                "SELECT job_id, study_name FROM jobs WHERE job_id = ?",
                vec![q.job_id.clone().into()],
            )?
            .to_array()?;
        match rows.into_iter().next() {
            Some(row) => ok(&row),
            None => Err(Failure::not_found(format!("job {:?} not found", q.job_id))),
        }
    }

    fn list_jobs(&self, req: &Request) -> ApiResult {
        #[derive(Deserialize)]
        struct Query {
            limit: Option<String>,
        }
        let q: Query = input::query(req.url()?.query())?;
        let limit = input::parse_count(q.limit.as_deref(), "limit", 10, 100)?;
        let rows: Vec<Value> = self
            .jobs()?
            .exec(
                "SELECT job_id, study_name FROM jobs ORDER BY created_at DESC, job_id LIMIT ?",
                vec![(limit as i64).into()],
            )?
            .to_array()?;
        ok(&json!({"jobs": rows}))
    }

    /// Jobs whose deadline has not passed: the only ones that can still be active.
    fn unexpired_jobs(&self) -> ApiResult {
        let rows: Vec<Value> = self
            .jobs()?
            .exec(
                "SELECT job_id, study_name FROM jobs WHERE deadline > ? ORDER BY created_at",
                vec![http::now_ms().into()],
            )?
            .to_array()?;
        ok(&json!({"jobs": rows}))
    }

    fn ping(&self) -> ApiResult {
        self.sql()?.exec("SELECT 1", None)?;
        ok(&json!({"storage": "ok"}))
    }
}
