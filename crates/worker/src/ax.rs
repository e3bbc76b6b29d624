//! The Ax-compatible API (the seed Ax Optimizer Service's routes), exactly as the
//! `@ax-llm/ax` <= 19.0.45 optimizer client calls them: `/health`, `/optimize`,
//! `/jobs[/{id}]` and `/studies[/{name}[/suggest|/evaluate|/results]]`.
//!
//! A job is a study whose (immutable) metadata holds its trial budget and deadline;
//! its status is computed from the study's real trials, never from background work.

use edgetune_core::{SearchSpace, StudySpec};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use worker::{Env, Method, Request};

use crate::http::{self, ok, ApiError, ApiResult};
use crate::router::{call, config_from_spec, env_value, forward, random_u64, registry};

/// The body of `POST /optimize`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptimizeBody {
    #[serde(default)]
    study_name: Option<String>,
    parameters: SearchSpace,
    objective: Objective,
    n_trials: u64,
    /// Seconds until the job fails if not completed.
    #[serde(default)]
    timeout: Option<f64>,
    #[serde(default)]
    sampler: Option<Value>,
    #[serde(default)]
    pruner: Option<Value>,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Objective {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    direction: Option<String>,
}

/// The most trials one job may ask for.
const MAX_JOB_TRIALS: u64 = 10_000;

/// Routes one Ax request for `tenant`; `rest` is the path below the Ax base.
pub async fn handle(
    mut req: Request,
    env: &Env,
    tenant: &str,
    rest: &[&str],
    query: Option<&str>,
) -> ApiResult {
    let method = req.method();
    match (method.clone(), rest) {
        (Method::Get, ["health"]) => {
            ok(&json!({"status": "healthy", "version": env!("CARGO_PKG_VERSION")}))
        }
        (Method::Post, ["optimize"]) => optimize(&mut req, env, tenant).await,
        (Method::Get, ["jobs"]) => {
            let path = match query {
                Some(q) => format!("/jobs/list?{q}"),
                None => "/jobs/list".into(),
            };
            let listed = call(&registry(env, tenant)?, Method::Get, &path, None).await?;
            if listed.status_code() != 200 {
                return Ok(listed);
            }
            let mut listed = listed;
            let jobs: Value = listed.json().await.map_err(ApiError::from)?;
            let out = job_views(env, tenant, &jobs).await?;
            ok(&json!({"jobs": out}))
        }
        (Method::Get | Method::Delete, ["jobs", job_id]) => {
            let found = call(
                &registry(env, tenant)?,
                Method::Get,
                &format!("/jobs/get?job_id={job_id}"),
                None,
            )
            .await?;
            if found.status_code() != 200 {
                return Ok(found);
            }
            let mut found = found;
            let job: Value = found.json().await.map_err(ApiError::from)?;
            let name = job["study_name"].as_str().unwrap_or_default().to_string();
            let path = if method == Method::Delete {
                format!("/job/cancel?job_id={job_id}")
            } else {
                format!("/job?job_id={job_id}")
            };
            let op = if method == Method::Delete {
                Method::Post
            } else {
                Method::Get
            };
            forward(env, tenant, &name, op, &path, None).await
        }
        (Method::Get, ["studies"]) => {
            let listed = call(
                &registry(env, tenant)?,
                Method::Get,
                "/list?limit=1000",
                None,
            )
            .await?;
            Ok(listed)
        }
        (Method::Delete, ["studies", name]) => crate::router::delete_study(env, tenant, name).await,
        (Method::Post, ["studies", name, op @ ("suggest" | "evaluate")]) => {
            let body = req.text().await.map_err(ApiError::from)?;
            forward(
                env,
                tenant,
                name,
                Method::Post,
                &format!("/ax/{op}"),
                Some(body),
            )
            .await
        }
        (Method::Get, ["studies", name, "results"]) => {
            forward(env, tenant, name, Method::Get, "/ax/results", None).await
        }
        _ => Err(ApiError::not_found("no such route in the Ax API")),
    }
}

/// The status views of the registry's `jobs` (jobs whose study is gone are skipped).
async fn job_views(env: &Env, tenant: &str, jobs: &Value) -> ApiResult<Vec<Value>> {
    let mut out = Vec::new();
    for job in jobs["jobs"].as_array().into_iter().flatten() {
        let id = job["job_id"].as_str().unwrap_or("");
        let name = job["study_name"].as_str().unwrap_or("");
        let path = format!("/job?job_id={id}");
        let mut status = forward(env, tenant, name, Method::Get, &path, None).await?;
        if status.status_code() == 200 {
            out.push(status.json::<Value>().await.map_err(ApiError::from)?);
        }
    }
    Ok(out)
}

/// `MAX_CONCURRENT_JOBS` (default 10) pending or running jobs per tenant.
async fn check_concurrent_jobs(env: &Env, tenant: &str) -> ApiResult<()> {
    let max = env_value(env, "MAX_CONCURRENT_JOBS", "10")
        .as_u64()
        .unwrap_or(10);
    let mut listed = call(
        &registry(env, tenant)?,
        Method::Get,
        "/jobs/unexpired",
        None,
    )
    .await?;
    let jobs: Value = listed.json().await.map_err(ApiError::from)?;
    let active = job_views(env, tenant, &jobs)
        .await?
        .iter()
        .filter(|v| matches!(v["status"].as_str(), Some("pending" | "running")))
        .count() as u64;
    if active >= max {
        return Err(ApiError {
            status: 429,
            code: "too_many_jobs",
            message: format!("the tenant has {active} active jobs; MAX_CONCURRENT_JOBS is {max}"),
            field: None,
        });
    }
    Ok(())
}

async fn optimize(req: &mut Request, env: &Env, tenant: &str) -> ApiResult {
    let body: OptimizeBody = http::read_json(req, false)
        .await?
        .ok_or_else(|| ApiError::invalid("body", "a JSON body is required"))?;
    if !(1..=MAX_JOB_TRIALS).contains(&body.n_trials) {
        return Err(ApiError::invalid(
            "n_trials",
            format!("must be from 1 to {MAX_JOB_TRIALS}, got {}", body.n_trials),
        ));
    }
    let default_timeout = env_value(env, "DEFAULT_TIMEOUT_SECONDS", "3600")
        .as_f64()
        .unwrap_or(3600.0);
    let timeout = body.timeout.unwrap_or(default_timeout);
    if !(timeout.is_finite() && timeout > 0.0 && timeout <= 31_536_000.0) {
        return Err(ApiError::invalid(
            "timeout",
            "must be a number of seconds from 0 to one year",
        ));
    }
    // Ax proposes instruction candidates with the AI and may send the same one twice;
    // Optuna accepts that, and a repeated string is the same choice: keep the first.
    let mut parameters = body.parameters;
    for p in &mut parameters.0 {
        if let edgetune_core::Distribution::Categorical { choices } = &mut p.distribution {
            let mut unique: Vec<edgetune_core::ParamValue> = Vec::with_capacity(choices.len());
            for c in choices.drain(..) {
                if !unique.contains(&c) {
                    unique.push(c);
                }
            }
            *choices = unique;
        }
    }
    let job_id = format!("{:016x}{:016x}", random_u64(), random_u64());
    let study_name = body
        .study_name
        .unwrap_or_else(|| format!("job_{}", &job_id[..16]));
    let created_at = http::now_ms();
    let mut metadata = body.metadata.unwrap_or_default();
    metadata.insert(
        "job".into(),
        json!({"job_id": job_id, "n_trials": body.n_trials, "timeout_seconds": timeout, "created_at": created_at}),
    );
    if let Some(name) = &body.objective.name {
        metadata.insert("objective_name".into(), json!(name));
    }
    let spec = StudySpec {
        name: study_name.clone(),
        direction: Some(
            body.objective
                .direction
                .unwrap_or_else(|| "minimize".into()),
        ),
        directions: None,
        sampler: body.sampler,
        pruner: body.pruner,
        seed: None,
        search_space: Some(parameters),
        metadata: metadata.into_iter().collect(),
    };
    let config = config_from_spec(env, spec).map_err(|e| match e.field.as_deref() {
        Some(f) if f.starts_with("search_space") => {
            let reason = e
                .message
                .strip_prefix(&format!("{f}: "))
                .unwrap_or(&e.message);
            ApiError::invalid(f.replacen("search_space", "parameters", 1), reason)
        }
        Some("direction") => {
            let reason = e.message.strip_prefix("direction: ").unwrap_or(&e.message);
            ApiError::invalid("objective.direction", reason)
        }
        _ => e,
    })?;
    check_concurrent_jobs(env, tenant).await?;
    let created = crate::router::create_from_config(env, tenant, config).await?;
    if created.status_code() != 201 {
        return Ok(created);
    }
    let deadline = created_at + timeout * 1000.0;
    let entry =
        json!({"job_id": job_id, "study_name": study_name, "deadline": deadline}).to_string();
    let added = call(
        &registry(env, tenant)?,
        Method::Post,
        "/jobs/add",
        Some(entry),
    )
    .await?;
    if added.status_code() != 201 {
        // Not listed as a job, it must not exist either: give the name back.
        let _ = crate::router::delete_study(env, tenant, &study_name).await;
        return Ok(added);
    }
    Ok(http::json_response(
        200,
        &json!({"job_id": job_id, "study_name": study_name, "status": "pending", "created_at": http::iso(created_at)}),
    ))
}
