//! The router: finds the request's row in the route table
//! (`edgetune_api::routes::ROUTES`), authenticates it, parses its path, query and body
//! once, and hands the work to a Durable Object. The `match` on [`RouteId`] is
//! exhaustive: every row of the table has exactly one arm here.

use edgetune_api::routes::{find, Auth, Matched, Method, Params, RouteId};
use edgetune_api::views::{Health, Index, Readiness};
use serde::de::DeserializeOwned;
use worker::{Env, Request};

use crate::http::{self, ok, ApiResult};
use crate::lifecycle::{create_study, delete_study, import_journal, list_studies};
use crate::ops::{self, trial_number};
use crate::stubs::{call, health_registry, study_call};
use crate::study_object::StudyOp;
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
    let name = params.get("study_name");
    let automation = params.get("automation_name");
    let query = url.query();
    match route.id {
        RouteId::Index => ok(&Index::new()),
        RouteId::Health => health(&env).await,
        RouteId::Ready => ready(&env),
        RouteId::OpenApi => docs::openapi(),
        RouteId::Docs => docs::page(),
        RouteId::ListStudies | RouteId::AxListStudies => {
            let query = if route.id == RouteId::AxListStudies {
                Some("limit=1000")
            } else {
                query
            };
            list_studies(&env, tenant, query).await
        }
        RouteId::CreateStudy => create_study(body(&mut req).await?, &env, tenant).await,
        RouteId::GetStudy => study_call(&env, tenant, name, &StudyOp::Get).await,
        RouteId::DeleteStudy | RouteId::AxDeleteStudy => delete_study(&env, tenant, name).await,
        RouteId::ExportJournal => study_call(&env, tenant, name, &StudyOp::Journal).await,
        RouteId::ImportJournal => import_journal(&mut req, &env, tenant, name).await,
        RouteId::ListTrials => {
            let op = ops::trials(http::query(&req)?)?;
            study_call(&env, tenant, name, &op).await
        }
        RouteId::Suggest => {
            let body: Option<edgetune_api::requests::Suggest> =
                http::read_json(&mut req, true).await?;
            let search_space = body.and_then(|b| b.search_space);
            study_call(&env, tenant, name, &StudyOp::Suggest { search_space }).await
        }
        RouteId::Complete => {
            let number = trial_number(params.get("number"))?;
            let op = ops::complete(number, body(&mut req).await?)?;
            study_call(&env, tenant, name, &op).await
        }
        RouteId::Report => {
            let number = trial_number(params.get("number"))?;
            let op = ops::report(number, body(&mut req).await?);
            study_call(&env, tenant, name, &op).await
        }
        RouteId::Prune => trial_op(&env, tenant, &params, |number| StudyOp::Prune { number }).await,
        RouteId::Heartbeat => {
            trial_op(&env, tenant, &params, |number| StudyOp::Heartbeat {
                number,
            })
            .await
        }
        RouteId::Fail => {
            let number = trial_number(params.get("number"))?;
            let body = http::read_json(&mut req, true).await?.unwrap_or_default();
            study_call(&env, tenant, name, &ops::fail(number, body)?).await
        }
        RouteId::Table => {
            let op = ops::table(http::query(&req)?)?;
            study_call(&env, tenant, name, &op).await
        }
        RouteId::Best => study_call(&env, tenant, name, &StudyOp::Best).await,
        RouteId::Pareto => {
            let op = ops::pareto(http::query(&req)?)?;
            study_call(&env, tenant, name, &op).await
        }
        RouteId::Importance => {
            let op = ops::importance(http::query(&req)?)?;
            study_call(&env, tenant, name, &op).await
        }
        RouteId::Observe => {
            let body: edgetune_api::observations::Observe = body(&mut req).await?;
            let op = StudyOp::Observe {
                observations: body.observations,
            };
            study_call(&env, tenant, name, &op).await
        }
        RouteId::ListObservations => {
            let op = ops::observations(http::query(&req)?)?;
            study_call(&env, tenant, name, &op).await
        }
        RouteId::Recommendation => {
            let if_none_match = req.headers().get("if-none-match")?;
            study_call(
                &env,
                tenant,
                name,
                &StudyOp::Recommendation { if_none_match },
            )
            .await
        }
        RouteId::ListAutomations => schedule::list(&env, tenant).await,
        RouteId::PutAutomation => {
            let config = body(&mut req).await?;
            schedule::put(&env, tenant, automation, config).await
        }
        RouteId::GetAutomation => schedule::get(&env, tenant, automation).await,
        RouteId::DeleteAutomation => schedule::delete(&env, tenant, automation).await,
        RouteId::RunAutomation => schedule::run(&env, tenant, automation, &mut req).await,
        RouteId::ListRuns => schedule::runs(&env, tenant, automation, http::query(&req)?).await,
        RouteId::AxHealth => ok(&edgetune_api::ax::AxHealth {
            status: "healthy".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }),
        RouteId::AxOptimize => ax::optimize(body(&mut req).await?, &env, tenant).await,
        RouteId::AxListJobs => ax::list_jobs(&env, tenant, http::query(&req)?).await,
        RouteId::AxGetJob => ax::job(&env, tenant, params.get("job_id"), false).await,
        RouteId::AxCancelJob => ax::job(&env, tenant, params.get("job_id"), true).await,
        RouteId::AxSuggest => study_call(&env, tenant, name, &StudyOp::AxSuggest).await,
        RouteId::AxEvaluate => {
            let op = ops::evaluate(body(&mut req).await?)?;
            study_call(&env, tenant, name, &op).await
        }
        RouteId::AxResults => study_call(&env, tenant, name, &StudyOp::AxResults).await,
        RouteId::Mcp => crate::mcp::handle(&mut req, &env, tenant).await,
    }
}

/// The required JSON body of a request.
async fn body<T: DeserializeOwned>(req: &mut Request) -> ApiResult<T> {
    http::read_json(req, false)
        .await?
        .ok_or_else(|| Failure::invalid("body", "a JSON body is required"))
}

/// An operation on the trial in the path.
async fn trial_op(
    env: &Env,
    tenant: &str,
    params: &Params,
    op: impl FnOnce(u64) -> StudyOp,
) -> ApiResult {
    let number = trial_number(params.get("number"))?;
    study_call(env, tenant, params.get("study_name"), &op(number)).await
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
