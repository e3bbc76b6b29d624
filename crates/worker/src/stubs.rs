//! How the Worker reaches its Durable Objects: the stubs of a tenant's registry and of
//! a study, and the internal requests sent to them.

use edgetune_core::study::validate_study_name;
use serde::Serialize;
use worker::{Env, Method, Request, RequestInit};

use crate::http::ApiResult;
use crate::object_ops::{AutomationRequest, DirectoryOp};
use crate::study_object::ObjectOp;
use edgetune_api::failure::Failure;

/// The registry object of a tenant.
pub fn registry(env: &Env, tenant: &str) -> ApiResult<worker::Stub> {
    Ok(env
        .durable_object("REGISTRY")?
        .id_from_name(&format!("tenant:{tenant}"))?
        .get_stub()?)
}

/// The registry object that answers health checks.
pub fn health_registry(env: &Env) -> ApiResult<worker::Stub> {
    Ok(env
        .durable_object("REGISTRY")?
        .id_from_name("system:health")?
        .get_stub()?)
}

/// The object of study `name` of `tenant`.
pub fn study_object(env: &Env, tenant: &str, name: &str) -> ApiResult<worker::Stub> {
    Ok(env
        .durable_object("STUDY")?
        .id_from_name(&format!("{tenant}/{name}"))?
        .get_stub()?)
}

/// Sends one internal request to a Durable Object and returns its answer.
pub async fn call(
    stub: &worker::Stub,
    method: Method,
    path: &str,
    body: Option<String>,
) -> ApiResult {
    let mut init = RequestInit::new();
    init.with_method(method);
    if let Some(body) = body {
        init.with_body(Some(body.into()));
    }
    let req = Request::new_with_init(&format!("https://edgetune.internal{path}"), &init)?;
    Ok(stub.fetch_with_request(req).await?)
}

/// Sends `body` as JSON to `path` of the tenant's registry.
pub async fn registry_call<T: Serialize>(
    env: &Env,
    tenant: &str,
    method: Method,
    path: &str,
    body: Option<&T>,
) -> ApiResult {
    let body = body
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| Failure::internal(format!("registry request not serializable: {e}")))?;
    call(&registry(env, tenant)?, method, path, body).await
}

/// Runs `op` on study `name` of `tenant`; a name that cannot exist is simply not
/// found.
pub async fn study_call(env: &Env, tenant: &str, name: &str, op: &ObjectOp) -> ApiResult {
    if validate_study_name(name).is_err() {
        return Err(Failure::not_found(format!("study {name:?} not found")));
    }
    call_json(&study_object(env, tenant, name)?, op).await
}

/// Sends `body` as JSON to a Durable Object's `/op`.
async fn call_json<T: Serialize>(stub: &worker::Stub, body: &T) -> ApiResult {
    let body = serde_json::to_string(body)
        .map_err(|e| Failure::internal(format!("internal request not serializable: {e}")))?;
    call(stub, Method::Post, "/op", Some(body)).await
}

/// Sends a request to the tenant's automations object.
pub async fn automations_call(env: &Env, tenant: &str, req: &AutomationRequest) -> ApiResult {
    let stub = env
        .durable_object("AUTOMATIONS")?
        .id_from_name(&format!("tenant:{tenant}"))?
        .get_stub()?;
    call_json(&stub, req).await
}

/// Sends an operation to the deployment's directory of tenants with automations.
pub async fn directory_call(env: &Env, op: &DirectoryOp) -> ApiResult {
    let stub = env
        .durable_object("DIRECTORY")?
        .id_from_name("system:directory")?
        .get_stub()?;
    call_json(&stub, op).await
}
