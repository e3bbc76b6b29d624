//! The Ax-compatible API (the routes of the Ax optimizer service that `AxMiPRO` calls), exactly as the
//! `@ax-llm/ax` <= 19.0.45 optimizer client calls them: `/health`, `/optimize`,
//! `/jobs[/{id}]` and `/studies[/{name}[/suggest|/evaluate|/results]]`.
//!
//! A job is a study whose (immutable) metadata holds its trial budget and deadline;
//! its status is computed from the study's real trials, never from background work.

use edgetune_api::ax::{JobCreated, JobList, JobStatus, JobView};
use edgetune_api::requests::Optimize;
use edgetune_core::{Distribution, ParamValue, StudySpec};
use serde::Deserialize;
use serde_json::json;
use worker::{Env, Method};

use crate::http::{self, ApiResult};
use crate::lifecycle::{create_from_config, delete_study};
use crate::settings::{config_from_spec, env_u64, env_value, random_u64};
use crate::stubs::{registry_call, study_call};
use crate::study_object::StudyOp;
use edgetune_api::failure::Failure;

/// The largest trial budget of a job.
const MAX_JOB_TRIALS: u64 = 10_000;

/// A job as the registry lists it (its id, which the study's object knows too, and
/// its study).
#[derive(Deserialize)]
struct JobEntry {
    study_name: String,
}

/// The registry's list of jobs.
#[derive(Deserialize)]
struct JobEntries {
    jobs: Vec<JobEntry>,
}

/// The jobs listed at `path` of the registry, as the studies' objects see them.
async fn job_views(env: &Env, tenant: &str, path: &str) -> ApiResult<Vec<JobView>> {
    let mut listed = registry_call::<()>(env, tenant, Method::Get, path, None).await?;
    if listed.status_code() != 200 {
        return Err(Failure::internal("the registry did not list the jobs"));
    }
    let entries: JobEntries = listed.json().await?;
    let mut out = Vec::new();
    for entry in entries.jobs {
        let mut answer = study_call(env, tenant, &entry.study_name, &StudyOp::Job.into()).await?;
        if answer.status_code() == 200 {
            out.push(answer.json().await?);
        }
    }
    Ok(out)
}

/// `GET /jobs`: the most recent jobs.
pub async fn list_jobs(env: &Env, tenant: &str, limit: usize) -> ApiResult {
    let jobs = job_views(env, tenant, &format!("/jobs/list?limit={limit}")).await?;
    http::ok(&JobList { jobs })
}

/// `GET` or `DELETE /jobs/{job_id}`: a job's status, or its cancellation.
pub async fn job(env: &Env, tenant: &str, job_id: &str, cancel: bool) -> ApiResult {
    let path = format!("/jobs/get?job_id={}", url_encode(job_id));
    let mut found = registry_call::<()>(env, tenant, Method::Get, &path, None).await?;
    if found.status_code() != 200 {
        return Ok(found);
    }
    let entry: JobEntry = found.json().await?;
    let op = if cancel {
        StudyOp::CancelJob
    } else {
        StudyOp::Job
    };
    study_call(env, tenant, &entry.study_name, &op.into()).await
}

/// Percent-encodes a query value.
fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Refuses a new job while the tenant has `MAX_CONCURRENT_JOBS` active ones.
async fn check_concurrent_jobs(env: &Env, tenant: &str) -> ApiResult<()> {
    let max = env_u64(env, "MAX_CONCURRENT_JOBS", 10);
    let active = job_views(env, tenant, "/jobs/unexpired")
        .await?
        .iter()
        .filter(|v| matches!(v.status, JobStatus::Pending | JobStatus::Running))
        .count() as u64;
    if active >= max {
        return Err(Failure {
            status: 429,
            code: "too_many_jobs".into(),
            message: format!("the tenant has {active} active jobs; MAX_CONCURRENT_JOBS is {max}"),
            field: None,
        });
    }
    Ok(())
}

/// `POST /optimize`: creates a job.
pub async fn optimize(body: Optimize, env: &Env, tenant: &str) -> ApiResult {
    if !(1..=MAX_JOB_TRIALS).contains(&body.n_trials) {
        return Err(Failure::invalid(
            "n_trials",
            format!("must be from 1 to {MAX_JOB_TRIALS}, got {}", body.n_trials),
        ));
    }
    let default_timeout = env_value(env, "DEFAULT_TIMEOUT_SECONDS", "3600")
        .as_f64()
        .unwrap_or(3600.0);
    let timeout = body.timeout.unwrap_or(default_timeout);
    if !(timeout.is_finite() && timeout > 0.0 && timeout <= 31_536_000.0) {
        return Err(Failure::invalid(
            "timeout",
            "must be a number of seconds from 0 to one year",
        ));
    }
    // The Ax client may repeat a categorical choice; the core refuses duplicates.
    let mut parameters = body.parameters;
    for p in &mut parameters.0 {
        if let Distribution::Categorical { choices } = &mut p.distribution {
            let mut unique: Vec<ParamValue> = Vec::with_capacity(choices.len());
            for c in choices.drain(..) {
                if !unique.contains(&c) {
                    unique.push(c);
                }
            }
            *choices = unique;
        }
    }
    let job_id = format!("{:016x}{:016x}", random_u64()?, random_u64()?);
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
        ..StudySpec::default()
    };
    let config = config_from_spec(env, spec).map_err(|e| match e.field.as_deref() {
        Some(f) if f.starts_with("search_space") => {
            let reason = e
                .message
                .strip_prefix(&format!("{f}: "))
                .unwrap_or(&e.message);
            Failure::invalid(f.replacen("search_space", "parameters", 1), reason)
        }
        Some("direction") => {
            let reason = e.message.strip_prefix("direction: ").unwrap_or(&e.message);
            Failure::invalid("objective.direction", reason)
        }
        _ => e,
    })?;
    check_concurrent_jobs(env, tenant).await?;
    let created = create_from_config(env, tenant, config).await?;
    if created.status_code() != 201 {
        return Ok(created);
    }
    let deadline = created_at + timeout * 1000.0;
    let entry = json!({"job_id": job_id, "study_name": study_name, "deadline": deadline});
    let added = registry_call(env, tenant, Method::Post, "/jobs/add", Some(&entry)).await?;
    if added.status_code() != 201 {
        // Not listed as a job, it must not exist either: give the name back.
        let _ = delete_study(env, tenant, &study_name).await;
        return Ok(added);
    }
    http::ok(&JobCreated {
        job_id,
        study_name,
        status: JobStatus::Pending.as_str().into(),
        created_at: http::iso(created_at),
    })
}
