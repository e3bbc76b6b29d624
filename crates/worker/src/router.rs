//! The route table of the HTTP API, and the handlers: each parses, calls a Durable
//! Object (which calls the core), and answers.

use edgetune_core::study::validate_study_name;
use edgetune_core::{Journal, SearchSpace, StudyConfig, StudySpec};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use worker::{Env, Method, Request, RequestInit};

use crate::auth;
use crate::http::{self, ok, ApiError, ApiResult};

/// The OpenAPI 3.1 document of every route (`tests/e2e/openapi.test.mjs` checks it
/// against the route patterns of this file and of `ax.rs`).
const OPENAPI: &str = include_str!("openapi.json");

/// The interactive docs, a self-contained page that renders [`OPENAPI`].
const DOCS: &str = include_str!("docs.html");

/// The body of `POST /api/v1/studies`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateStudyBody {
    #[serde(alias = "name")]
    study_name: String,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    directions: Option<Vec<String>>,
    #[serde(default, alias = "parameters")]
    search_space: Option<SearchSpace>,
    #[serde(default)]
    sampler: Option<Value>,
    #[serde(default)]
    pruner: Option<Value>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
    /// Fail RUNNING trials without a heartbeat for this many seconds.
    #[serde(default)]
    heartbeat_timeout: Option<f64>,
}

/// Routes a request. Every answer is JSON, errors included.
pub async fn handle(mut req: Request, env: Env) -> ApiResult {
    let url = req.url()?;
    let segments: Vec<String> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let method = req.method();
    match segments.as_slice() {
        ["api", "v1", "health"] if method == Method::Get => health(&env).await,
        ["api", "v1", "ready"] if method == Method::Get => ready(&env),
        ["api", "v1", "health" | "ready"] => Err(method_not_allowed(&method)),
        ["api", "v1", rest @ ..] => {
            let tenant = auth::tenant(&req, &env)?;
            match (method.clone(), rest) {
                (Method::Get, ["studies"]) => list_studies(&env, &tenant, &url).await,
                (Method::Post, ["studies"]) => create_study(&mut req, &env, &tenant).await,
                (Method::Get, ["studies", name]) => {
                    forward(&env, &tenant, name, Method::Get, "/study", None).await
                }
                (Method::Delete, ["studies", name]) => delete_study(&env, &tenant, name).await,
                (Method::Get, ["studies", name, "journal"]) => {
                    forward(&env, &tenant, name, Method::Get, "/journal", None).await
                }
                (Method::Post, ["studies", name, "journal"]) => {
                    import_journal(&mut req, &env, &tenant, name).await
                }
                (Method::Post, ["studies", name, "trials", "suggest"]) => {
                    let body = req.text().await.map_err(ApiError::from)?;
                    forward(&env, &tenant, name, Method::Post, "/suggest", Some(body)).await
                }
                (
                    Method::Post,
                    ["studies", name, "trials", number, action @ ("complete" | "report" | "prune" | "heartbeat" | "fail")],
                ) => {
                    let number: u64 = number
                        .parse()
                        .map_err(|_| ApiError::not_found(format!("trial {number:?} not found")))?;
                    let body = req.text().await.map_err(ApiError::from)?;
                    let path = format!("/trial/{number}/{action}");
                    forward(&env, &tenant, name, Method::Post, &path, Some(body)).await
                }
                (
                    Method::Get,
                    ["studies", name, view @ ("trials" | "best" | "pareto" | "importance")],
                )
                | (Method::Get, ["studies", name, "trials", view @ "table"]) => {
                    let path = match url.query() {
                        Some(q) => format!("/{view}?{q}"),
                        None => format!("/{view}"),
                    };
                    forward(&env, &tenant, name, Method::Get, &path, None).await
                }
                (
                    _,
                    ["studies"]
                    | ["studies", _]
                    | ["studies", _, "journal"]
                    | ["studies", _, "trials", ..],
                ) => Err(method_not_allowed(&method)),
                _ => Err(ApiError::not_found(format!("no route for {}", url.path()))),
            }
        }
        ["openapi.json"] if method == Method::Get => {
            let mut response = worker::Response::ok(OPENAPI)?;
            let _ = response
                .headers_mut()
                .set("content-type", "application/json; charset=utf-8");
            Ok(response)
        }
        ["docs"] if method == Method::Get => Ok(worker::Response::from_html(DOCS)?),
        ["ax", key, rest @ ..] => {
            let tenant = auth::tenant_of_key(key, &env)?;
            crate::ax::handle(req, &env, &tenant, rest, url.query()).await
        }
        rest @ (["health"] | ["optimize"] | ["jobs", ..] | ["studies", ..]) => {
            let anonymous = env
                .var("ANONYMOUS_TENANT")
                .map(|v| v.to_string())
                .unwrap_or_default();
            if anonymous.is_empty() {
                return Err(ApiError::not_found(
                    "the Ax routes are served under /ax/{api_key}/ (the root needs ANONYMOUS_TENANT)",
                ));
            }
            if !auth::valid_tenant(&anonymous) {
                return Err(ApiError::internal(
                    "ANONYMOUS_TENANT is not a valid tenant name",
                ));
            }
            crate::ax::handle(req, &env, &anonymous, rest, url.query()).await
        }
        _ => Err(ApiError::not_found(format!("no route for {}", url.path()))),
    }
}

fn method_not_allowed(method: &Method) -> ApiError {
    ApiError {
        status: 405,
        code: "method_not_allowed",
        message: format!("{method:?} is not allowed on this route"),
        field: None,
    }
}

/// The registry object of a tenant.
pub(crate) fn registry(env: &Env, tenant: &str) -> ApiResult<worker::Stub> {
    Ok(env
        .durable_object("REGISTRY")?
        .id_from_name(&format!("tenant:{tenant}"))?
        .get_stub()?)
}

/// The object of study `name` of `tenant`.
pub(crate) fn study_object(env: &Env, tenant: &str, name: &str) -> ApiResult<worker::Stub> {
    Ok(env
        .durable_object("STUDY")?
        .id_from_name(&format!("{tenant}/{name}"))?
        .get_stub()?)
}

/// Sends one internal request to a Durable Object and returns its answer.
pub(crate) async fn call(
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

/// Forwards to the study's object; a name that cannot exist is simply not found.
pub(crate) async fn forward(
    env: &Env,
    tenant: &str,
    name: &str,
    method: Method,
    path: &str,
    body: Option<String>,
) -> ApiResult {
    if validate_study_name(name).is_err() {
        return Err(ApiError::not_found(format!("study {name:?} not found")));
    }
    call(&study_object(env, tenant, name)?, method, path, body).await
}

async fn health(env: &Env) -> ApiResult {
    let stub = env
        .durable_object("REGISTRY")?
        .id_from_name("system:health")?
        .get_stub()?;
    let storage = match call(&stub, Method::Get, "/ping", None).await {
        Ok(r) if r.status_code() == 200 => "ok".to_string(),
        Ok(r) => format!("error: status {}", r.status_code()),
        Err(e) => format!("error: {}", e.message),
    };
    let healthy = storage == "ok";
    Ok(http::json_response(
        if healthy { 200 } else { 503 },
        &json!({
            "status": if healthy { "ok" } else { "degraded" },
            "storage": storage,
            "version": env!("CARGO_PKG_VERSION"),
        }),
    ))
}

fn ready(env: &Env) -> ApiResult {
    match auth::key_table(env) {
        Ok(_) => ok(&json!({"status": "ready"})),
        Err(reason) => Ok(http::json_response(
            503,
            &json!({"status": "not_ready", "reason": reason}),
        )),
    }
}

pub(crate) fn env_value(env: &Env, name: &str, default: &str) -> Value {
    let text = env.var(name).map(|v| v.to_string()).unwrap_or_default();
    let text = if text.is_empty() {
        default.to_string()
    } else {
        text
    };
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

async fn create_study(req: &mut Request, env: &Env, tenant: &str) -> ApiResult {
    let body: CreateStudyBody = http::read_json(req, false)
        .await?
        .ok_or_else(|| ApiError::invalid("body", "a JSON body is required"))?;
    let mut metadata = body.metadata.unwrap_or_default();
    if let Some(timeout) = body.heartbeat_timeout {
        if !(timeout.is_finite() && timeout > 0.0 && timeout <= 86_400.0) {
            return Err(ApiError::invalid(
                "heartbeat_timeout",
                "must be a number of seconds from 0 to 86400",
            ));
        }
        metadata.insert(
            crate::study_object::HEARTBEAT_TIMEOUT.into(),
            timeout.into(),
        );
    }
    let spec = StudySpec {
        name: body.study_name,
        direction: body.direction,
        directions: body.directions,
        sampler: body.sampler,
        pruner: body.pruner,
        seed: body.seed,
        search_space: body.search_space,
        metadata: metadata.into_iter().collect(),
    };
    let config = config_from_spec(env, spec)?;
    create_from_config(env, tenant, config).await
}

/// Validates `spec` into a study config, with a fresh random seed for studies that
/// name none and the deployment's `DEFAULT_SAMPLER` / `DEFAULT_PRUNER`.
pub(crate) fn config_from_spec(env: &Env, spec: StudySpec) -> Result<StudyConfig, ApiError> {
    spec.into_config(
        random_u64() >> 11,
        &env_value(env, "DEFAULT_SAMPLER", "tpe"),
        &env_value(env, "DEFAULT_PRUNER", "none"),
    )
    .map_err(|e| rename_field(e.into()))
}

/// A random u64 from the platform's CSPRNG (seeds and job ids; not used by the engine).
pub(crate) fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    let ok = worker::js_sys::Reflect::get(&worker::js_sys::global(), &"crypto".into())
        .ok()
        .and_then(|c| {
            let array = worker::js_sys::Uint8Array::new_with_length(8);
            let get = worker::js_sys::Reflect::get(&c, &"getRandomValues".into()).ok()?;
            let get: worker::js_sys::Function = get.into();
            get.call1(&c, &array).ok()?;
            array.copy_to(&mut bytes);
            Some(())
        })
        .is_some();
    if !ok {
        let r = worker::js_sys::Math::random() * 9_007_199_254_740_992.0;
        return r as u64;
    }
    u64::from_le_bytes(bytes)
}

/// Registers and creates a study from a validated configuration: the registry takes the
/// name first, and gets it back if the study cannot be created.
pub(crate) async fn create_from_config(env: &Env, tenant: &str, config: StudyConfig) -> ApiResult {
    let config_json = serde_json::to_string(&config)
        .map_err(|e| ApiError::internal(format!("config not serializable: {e}")))?;
    register_then_store(env, tenant, &config, "/create", config_json).await
}

/// Lists study `config.name` in the tenant's registry, then sends `body` to `path` of
/// the study's object. If the object does not answer 201, the registry gets the name
/// back, so a failed create or import leaves nothing behind.
async fn register_then_store(
    env: &Env,
    tenant: &str,
    config: &StudyConfig,
    path: &str,
    body: String,
) -> ApiResult {
    let name = &config.name;
    let entry = json!({
        "study_name": name,
        "directions": config.directions,
        "sampler": config.sampler.name(),
    });
    let registry = registry(env, tenant)?;
    let added = call(&registry, Method::Post, "/add", Some(entry.to_string())).await?;
    if added.status_code() != 201 {
        return Ok(added);
    }
    let stored = call(
        &study_object(env, tenant, name)?,
        Method::Post,
        path,
        Some(body),
    )
    .await;
    match stored {
        Ok(r) if r.status_code() == 201 => Ok(r),
        other => {
            let undo = json!({"study_name": name}).to_string();
            let _ = call(&registry, Method::Post, "/remove", Some(undo)).await;
            other
        }
    }
}

/// Creates study `name` from an exported journal (the body, as `toJournal()` writes it):
/// the study continues exactly where the journal ends, under this name.
async fn import_journal(req: &mut Request, env: &Env, tenant: &str, name: &str) -> ApiResult {
    validate_study_name(name).map_err(|e| rename_field(e.into()))?;
    let bytes = req.bytes().await.map_err(ApiError::from)?;
    if bytes.len() > http::MAX_JOURNAL_BYTES {
        return Err(ApiError {
            status: 413,
            code: "payload_too_large",
            message: format!(
                "the journal is larger than {} bytes",
                http::MAX_JOURNAL_BYTES
            ),
            field: Some("body".into()),
        });
    }
    let text =
        std::str::from_utf8(&bytes).map_err(|_| ApiError::invalid("body", "must be UTF-8 JSON"))?;
    let journal = Journal::from_json(text)
        .and_then(|j| j.renamed(name))
        .map_err(|e| ApiError::invalid("journal", e.to_string()))?;
    let Some(edgetune_core::Event::Created { config, .. }) = journal.events.first() else {
        return Err(ApiError::invalid(
            "journal",
            "the first event must create the study",
        ));
    };
    // The study's object replays every event before it stores anything; if one is
    // wrong, it answers 400 and the registry gets the name back.
    register_then_store(env, tenant, config, "/import", journal.to_json()).await
}

/// Core errors say `name`; the HTTP body calls it `study_name`.
pub(crate) fn rename_field(mut e: ApiError) -> ApiError {
    if e.field.as_deref() == Some("name") {
        e.field = Some("study_name".into());
        e.message = e.message.replacen("name:", "study_name:", 1);
    }
    e
}

pub(crate) async fn delete_study(env: &Env, tenant: &str, name: &str) -> ApiResult {
    let deleted = forward(env, tenant, name, Method::Post, "/delete", None).await?;
    if deleted.status_code() != 200 {
        return Ok(deleted);
    }
    let body = json!({"study_name": name}).to_string();
    call(&registry(env, tenant)?, Method::Post, "/remove", Some(body)).await?;
    ok(&json!({"deleted": true, "study_name": name}))
}

async fn list_studies(env: &Env, tenant: &str, url: &worker::Url) -> ApiResult {
    let path = match url.query() {
        Some(q) => format!("/list?{q}"),
        None => "/list".to_string(),
    };
    call(&registry(env, tenant)?, Method::Get, &path, None).await
}
