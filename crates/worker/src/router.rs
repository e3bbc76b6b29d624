//! The router: finds the request's row in the route table
//! (`edgetune_api::routes::ROUTES`), authenticates it, reads its body under the route's
//! limit, has the route's parser (`edgetune_api::parse`) turn path, query and body into
//! an operation, and forwards that to where it runs: a study's Durable Object, the
//! tenant's registry or automations, the Ax jobs, the MCP server. The parser's `match`
//! on [`RouteId`] is exhaustive, and so is the `match` on its operations here.

use edgetune_api::parse::{parse, Operation, Request as Parts, Service};
use edgetune_api::routes::{find, Auth, Matched, Method, RouteId};
use edgetune_api::views::{Health, Index, Readiness};
use worker::{Env, Request};

use crate::http::{self, ok, ApiResult};
use crate::lifecycle::{create_study, delete_study, import_journal, list_studies, JournalSource};
use crate::stubs::{call, health_registry, study_call};
use crate::{auth, ax, docs, schedule};
use edgetune_api::failure::Failure;

/// The paths of the Ax API that are also served at the root, for a deployment with an
/// `ANONYMOUS_TENANT`.
const AX_ROOTS: [&str; 4] = ["health", "optimize", "jobs", "studies"];

/// Routes a request. Every answer is JSON, errors included, except the docs page.
pub async fn handle(mut req: Request, env: Env) -> ApiResult {
    let url = req.url()?;
    let method_name = format!("{:?}", req.method()).to_uppercase();
    let mut path = url.path().to_string();
    let first = path.split('/').find(|s| !s.is_empty()).unwrap_or("");
    let anonymous_ax = AX_ROOTS.contains(&first);
    if anonymous_ax {
        // `/studies/...` is `/ax/{api_key}/studies/...` with the deployment's tenant.
        path = format!("/ax/-{path}");
    }
    let matched = match Method::parse(&method_name) {
        Some(method) => find(method, &path),
        None => Matched::MethodNotAllowed,
    };
    let (route, params) = match matched {
        Matched::Route(route, params) => (route, params),
        unmatched => {
            // An unknown path under a key-scoped prefix still needs the key first, so
            // a caller without one learns nothing of the routes.
            if path.starts_with("/api/v1/") {
                auth::tenant(&req, &env)?;
            }
            if anonymous_ax {
                anonymous_tenant(&env)?;
            }
            if let Some(key) = path.strip_prefix("/ax/").and_then(|r| r.split('/').next()) {
                if !anonymous_ax {
                    auth::tenant_of_key(key, &env)?;
                }
            }
            return Err(match unmatched {
                Matched::MethodNotAllowed => Failure::method_not_allowed(&method_name),
                _ if path.starts_with("/ax/") => Failure::not_found("no such route in the Ax API"),
                _ => Failure::not_found(format!("no route for {}", url.path())),
            });
        }
    };
    // Any route, before the key is even looked at: a body over the route's limit.
    let limit = if route.id == RouteId::ImportJournal {
        http::MAX_JOURNAL_BYTES
    } else {
        http::MAX_BODY_BYTES
    };
    http::check_declared_length(&req, limit)?;
    let tenant = match route.auth {
        Auth::Public => String::new(),
        Auth::Bearer => auth::tenant(&req, &env)?,
        Auth::PathKey if anonymous_ax => anonymous_tenant(&env)?,
        Auth::PathKey => auth::tenant_of_key(params.get("api_key"), &env)?,
    };
    let tenant = tenant.as_str();
    // The journal import reads its own, larger, body; MCP reads its message itself.
    let body = match route.id {
        RouteId::ImportJournal | RouteId::Mcp => Vec::new(),
        _ => http::read_body(&mut req).await?,
    };
    let if_none_match = req.headers().get("if-none-match")?;
    let parts = Parts {
        params: &params,
        query: url.query(),
        body: &body,
        if_none_match: if_none_match.as_deref(),
    };
    match parse(route.id, &parts)? {
        Operation::Service(id) => service(id, &env).await,
        Operation::ListStudies { offset, limit } => list_studies(&env, tenant, offset, limit).await,
        Operation::CreateStudy(spec) => create_study(*spec, &env, tenant).await,
        Operation::DeleteStudy { name } => delete_study(&env, tenant, &name).await,
        Operation::ImportJournal { name } => {
            import_journal(&mut req, &env, tenant, &name, JournalSource::Edgetune).await
        }
        Operation::ImportOptunaJournal {
            name,
            from_study_name,
        } => {
            let source = JournalSource::Optuna {
                from_study_name: from_study_name.as_deref(),
            };
            import_journal(&mut req, &env, tenant, &name, source).await
        }
        Operation::Study { name, op } => study_call(&env, tenant, &name, &op).await,
        Operation::Automation(call) => schedule::call(&env, tenant, call).await,
        Operation::AxOptimize(body) => ax::optimize(*body, &env, tenant).await,
        Operation::AxListJobs { limit } => ax::list_jobs(&env, tenant, limit).await,
        Operation::AxJob { job_id, cancel } => ax::job(&env, tenant, &job_id, cancel).await,
        Operation::Mcp => crate::mcp::handle(&mut req, &env, tenant).await,
    }
}

/// The routes the Worker answers from what it has.
async fn service(service: Service, env: &Env) -> ApiResult {
    match service {
        Service::Index => ok(&Index::new()),
        Service::Health => health(env).await,
        Service::Ready => ready(env),
        Service::OpenApi => docs::openapi(),
        Service::Docs => docs::page(),
        Service::AxHealth => ok(&edgetune_api::ax::AxHealth {
            status: "healthy".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }),
    }
}

/// The tenant of the Ax routes served at the root, or a 404 when there is none.
fn anonymous_tenant(env: &Env) -> ApiResult<String> {
    let anonymous = env
        .var("ANONYMOUS_TENANT")
        .map(|v| v.to_string())
        .unwrap_or_default();
    if anonymous.is_empty() {
        return Err(Failure::not_found(
            "the Ax routes are served under /ax/{api_key}/ (the root needs ANONYMOUS_TENANT)",
        ));
    }
    if !auth::valid_tenant(&anonymous) {
        return Err(Failure::internal(
            "ANONYMOUS_TENANT is not a valid tenant name",
        ));
    }
    Ok(anonymous)
}

async fn health(env: &Env) -> ApiResult {
    let storage = match call(&health_registry(env)?, worker::Method::Get, "/ping", None).await {
        Ok(r) if r.status_code() == 200 => "ok".to_string(),
        Ok(r) => format!("error: status {}", r.status_code()),
        Err(e) => format!("error: {}", e.message),
    };
    let healthy = storage == "ok";
    Ok(http::json_response(
        if healthy { 200 } else { 503 },
        &Health {
            status: if healthy { "ok" } else { "degraded" }.into(),
            storage,
            version: env!("CARGO_PKG_VERSION").into(),
        },
    ))
}

fn ready(env: &Env) -> ApiResult {
    match auth::key_table(env) {
        Ok(_) => ok(&Readiness {
            status: "ready".into(),
            reason: None,
        }),
        Err(reason) => Ok(http::json_response(
            503,
            &Readiness {
                status: "not_ready".into(),
                reason: Some(reason),
            },
        )),
    }
}
