//! The automation routes and the cron trigger. A route's input was checked by its
//! parser (`edgetune_api::parse`); here it goes to the tenant's
//! [`Automations`](crate::automations::Automations) object, and the directory learns
//! which tenants have automations. The cron's `scheduled` handler tells the
//! [`Directory`](crate::directory::Directory) to wake every one of them.

use edgetune_api::automations::{AutomationConfig, AutomationDeleted};
use edgetune_api::parse::AutomationCall;
use serde::Deserialize;
use worker::{event, Env, ScheduleContext, ScheduledEvent};

use crate::http::{ok, ApiResult};
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

/// Does what a request asked of the tenant's automations.
pub async fn call(env: &Env, tenant: &str, call: AutomationCall) -> ApiResult {
    match call {
        AutomationCall::List => send(env, tenant, AutomationOp::List).await,
        AutomationCall::Put { name, config } => put(env, tenant, name, *config).await,
        AutomationCall::Get { name } => send(env, tenant, AutomationOp::Get { name }).await,
        AutomationCall::Delete { name } => delete(env, tenant, name).await,
        AutomationCall::Run { name, force } => {
            send(env, tenant, AutomationOp::Run { name, force }).await
        }
        AutomationCall::Runs { name, limit } => {
            send(env, tenant, AutomationOp::Runs { name, limit }).await
        }
    }
}

/// `PUT /api/v1/automations/{name}`: the tenant joins the directory before the
/// automation exists, so the cron cannot miss it.
async fn put(env: &Env, tenant: &str, name: String, config: AutomationConfig) -> ApiResult {
    directory(
        env,
        DirectoryOp::Add {
            tenant: tenant.into(),
        },
    )
    .await?;
    send(env, tenant, AutomationOp::Put { name, config }).await
}

/// `DELETE /api/v1/automations/{name}`: a tenant left without automations leaves the
/// directory.
async fn delete(env: &Env, tenant: &str, name: String) -> ApiResult {
    let automation_name = name.clone();
    let mut response = send(env, tenant, AutomationOp::Delete { name }).await?;
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
        automation_name,
    })
}
