//! `POST /mcp`: the MCP server of `edgetune-api` (protocol and tools, sans-IO) over
//! this Worker's studies. Each message is answered on its own (no session): the
//! tenant comes from the bearer key, the studies from their Durable Objects.

use std::sync::OnceLock;

use edgetune_api::mcp::{self, tools::Failure, Backend};
use edgetune_api::study_op::StudyOp;
use edgetune_api::views::ErrorBody;
use edgetune_core::StudySpec;
use serde_json::Value;
use worker::{Env, Request, Response};

use crate::http::{self, ApiResult};
use crate::lifecycle::{create_from_config, delete_study, list_studies};
use crate::settings::{config_from_spec, cors_allows};
use crate::stubs::study_call;

/// The tool list, generated at build time from the tools' types (`build.rs`).
const TOOLS: &str = include_str!(concat!(env!("OUT_DIR"), "/mcp_tools.json"));

fn tools() -> &'static Value {
    static PARSED: OnceLock<Value> = OnceLock::new();
    PARSED.get_or_init(|| serde_json::from_str(TOOLS).unwrap_or(Value::Array(Vec::new())))
}

/// The studies of one tenant, reached through this Worker.
struct WorkerBackend<'a> {
    env: &'a Env,
    tenant: &'a str,
    /// The service's origin, for dashboard links.
    origin: String,
}

/// An answer of the service as the tools see it: its body, or why it failed.
async fn outcome(result: ApiResult) -> Result<String, Failure> {
    let mut response = result?;
    let status = response.status_code();
    let text = response.text().await?;
    if (200..300).contains(&status) {
        return Ok(text);
    }
    let detail = serde_json::from_str::<ErrorBody>(&text).map(|b| b.error);
    Err(match detail {
        Ok(d) => Failure {
            status,
            code: d.code,
            message: d.message,
            field: d.field,
        },
        Err(_) => Failure {
            status,
            code: "internal".into(),
            message: text,
            field: None,
        },
    })
}

impl Backend for WorkerBackend<'_> {
    async fn study(&self, name: &str, op: StudyOp) -> Result<String, Failure> {
        outcome(study_call(self.env, self.tenant, name, &op.into()).await).await
    }

    async fn create(&self, spec: StudySpec) -> Result<String, Failure> {
        let config = config_from_spec(self.env, spec)?;
        outcome(create_from_config(self.env, self.tenant, config).await).await
    }

    async fn list(&self) -> Result<String, Failure> {
        outcome(list_studies(self.env, self.tenant, 0, 1000).await).await
    }

    async fn delete(&self, name: &str) -> Result<(), Failure> {
        outcome(delete_study(self.env, self.tenant, name).await)
            .await
            .map(|_| ())
    }

    fn dashboard_url(&self, name: &str) -> Result<String, Failure> {
        Ok(format!("{}/dashboard/#/study/{name}", self.origin))
    }
}

/// `POST /mcp` for `tenant`.
pub async fn handle(req: &mut Request, env: &Env, tenant: &str) -> ApiResult {
    if let Some(origin) = req.headers().get("origin").ok().flatten() {
        if !cors_allows(env, &origin) {
            return Err(Failure {
                status: 403,
                code: "forbidden_origin".into(),
                message: format!("origin {origin:?} is not in CORS_ORIGINS"),
                field: Some("origin".into()),
            });
        }
    }
    let body = req.bytes().await?;
    if body.len() > http::MAX_BODY_BYTES {
        return Err(Failure::too_large(http::MAX_BODY_BYTES));
    }
    let header = |name: &str| req.headers().get(name).ok().flatten();
    let headers = mcp::Headers {
        protocol_version: header("mcp-protocol-version"),
        method: header("mcp-method"),
        name: header("mcp-name"),
    };
    let url = req.url()?;
    let backend = WorkerBackend {
        env,
        tenant,
        origin: url.origin().ascii_serialization(),
    };
    let reply = mcp::handle(&backend, &body, Some(&headers), tools()).await;
    match reply.body {
        Some(body) => Ok(http::json_response(reply.status, &body)),
        None => Ok(Response::empty()?.with_status(reply.status)),
    }
}
