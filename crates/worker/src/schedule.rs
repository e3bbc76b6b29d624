//! The automation routes and the cron trigger. A route checks its input here, once,
//! then hands it to the tenant's [`Automations`](crate::automations::Automations)
//! object; the cron's `scheduled` handler tells the [`Directory`](crate::directory::Directory)
//! to wake every tenant that has automations.

use edgetune_api::automations::{
    validate_name, AutomationConfig, AutomationDeleted, RunRequest, RunsQuery,
};
use serde::Deserialize;
use worker::{event, Env, Request, ScheduleContext, ScheduledEvent};

use crate::http::{self, ok, parse_count, ApiResult};
use crate::object_ops::{AutomationOp, AutomationRequest, DirectoryOp};
use crate::stubs::{automations_call, directory_call};
use edgetune_api::failure::Failure;

/// The cron trigger (`[triggers] crons` in wrangler.toml): wakes the directory, which
/// wakes each tenant's automations object on its own alarm.
#[event(scheduled)]
pub async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    match directory_call(&env, &DirectoryOp::Tick).await {
        Ok(r) if r.status_code() == 200 => {}
        Ok(r) => worker::console_error!(
            "cron {}: the directory answered {}",
            event.cron(),
            r.status_code()
        ),
        Err(e) => worker::console_error!("cron {}: {}", event.cron(), e.message),
    }
}

/// Sends `op` to the tenant's automations object.
async fn send(env: &Env, tenant: &str, op: AutomationOp) -> ApiResult {
    let req = AutomationRequest {
        tenant: tenant.into(),
        op,
    };
    automations_call(env, tenant, &req).await
}

/// Fails with the directory's error when it did not answer 200.
async fn directory(env: &Env, op: DirectoryOp) -> ApiResult<()> {
    let response = directory_call(env, &op).await?;
    if response.status_code() != 200 {
        return Err(Failure::internal(format!(
            "the automation directory answered {}",
            response.status_code()
        )));
    }
    Ok(())
}

/// `GET /api/v1/automations`.
pub async fn list(env: &Env, tenant: &str) -> ApiResult {
    send(env, tenant, AutomationOp::List).await
}

/// `PUT /api/v1/automations/{name}`: checked here; the tenant joins the directory
/// before the automation exists, so the cron cannot miss it.
pub async fn put(env: &Env, tenant: &str, name: &str, config: AutomationConfig) -> ApiResult {
    validate_name(name)?;
    config.validate()?;
    directory(
        env,
        DirectoryOp::Add {
            tenant: tenant.into(),
        },
    )
    .await?;
    let name = name.to_string();
    send(env, tenant, AutomationOp::Put { name, config }).await
}

/// `GET /api/v1/automations/{name}`.
pub async fn get(env: &Env, tenant: &str, name: &str) -> ApiResult {
    send(env, tenant, AutomationOp::Get { name: known(name)? }).await
}

/// `DELETE /api/v1/automations/{name}`: a tenant left without automations leaves the
/// directory.
pub async fn delete(env: &Env, tenant: &str, name: &str) -> ApiResult {
    let mut response = send(env, tenant, AutomationOp::Delete { name: known(name)? }).await?;
    if response.status_code() != 200 {
        return Ok(response);
    }
    #[derive(Deserialize)]
    struct Left {
        remaining: usize,
    }
    let left: Left = response
        .json()
        .await
        .map_err(|e| Failure::internal(format!("unreadable delete answer: {e}")))?;
    if left.remaining == 0 {
        directory(
            env,
            DirectoryOp::Remove {
                tenant: tenant.into(),
            },
        )
        .await?;
    }
    ok(&AutomationDeleted {
        deleted: true,
        automation_name: name.into(),
    })
}

/// `POST /api/v1/automations/{name}/run`, with an optional `{"force": true}`.
pub async fn run(env: &Env, tenant: &str, name: &str, req: &mut Request) -> ApiResult {
    let name = known(name)?;
    let body: Option<RunRequest> = http::read_json(req, true).await?;
    let force = body.unwrap_or_default().force;
    send(env, tenant, AutomationOp::Run { name, force }).await
}

/// `GET /api/v1/automations/{name}/runs?limit=`.
pub async fn runs(env: &Env, tenant: &str, name: &str, query: RunsQuery) -> ApiResult {
    let name = known(name)?;
    let limit = parse_count(query.limit.as_deref(), "limit", 20, 1000)?;
    if limit == 0 {
        return Err(Failure::invalid("limit", "must be from 1 to 1000"));
    }
    send(env, tenant, AutomationOp::Runs { name, limit }).await
}

/// A name that cannot exist is simply not found.
fn known(name: &str) -> ApiResult<String> {
    validate_name(name)
        .map(|_| name.to_string())
        .map_err(|_| Failure::not_found(format!("automation {name:?} not found")))
}
