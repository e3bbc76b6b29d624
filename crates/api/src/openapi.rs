//! The OpenAPI 3.1 document, generated from the route table and the shapes' JSON
//! Schema (feature `schema`). The Worker's build script writes it; the Worker serves it
//! at `/openapi.json` and renders it with Swagger UI at `/docs`.

use schemars::generate::SchemaSettings;
use schemars::SchemaGenerator;
use serde_json::{json, Map, Value};

use crate::descriptions::tidy_descriptions;
use crate::routes::{path_params, Answer, Auth, RouteId, ROUTES};
use crate::views::ErrorBody;

/// A generator whose definitions land in `#/components/schemas/`.
pub fn generator() -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator()
}

/// The whole document.
pub fn document() -> Value {
    let mut generator = generator();
    let error = generator.subschema_for::<ErrorBody>();
    let mut paths = Map::new();
    for route in ROUTES {
        let schemas = route.id.schemas(&mut generator);
        let mut parameters: Vec<Value> = path_params(route.path)
            .map(|name| {
                let schema = match name {
                    "number" => json!({"type": "integer", "minimum": 0}),
                    _ => json!({"type": "string"}),
                };
                json!({"name": name, "in": "path", "required": true, "schema": schema,
                       "description": path_param_description(name)})
            })
            .collect();
        if let Some(query) = &schemas.query {
            for (name, schema) in query
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let mut schema = schema.clone();
                let description = schema
                    .as_object_mut()
                    .and_then(|o| o.remove("description"))
                    .unwrap_or_default();
                parameters.push(json!({
                    "name": name, "in": "query", "required": false,
                    "description": description, "schema": schema,
                }));
            }
        }
        let success = match (route.answer, &schemas.response) {
            (Answer::Html, _) => json!({"description": "An HTML page",
                                        "content": {"text/html": {"schema": {"type": "string"}}}}),
            (Answer::Json, Some(schema)) => json!({"description": route.summary,
                                        "content": {"application/json": {"schema": schema}}}),
            (Answer::Json | Answer::JsonRpc, None) => json!({"description": route.summary,
                                        "content": {"application/json": {"schema": {"type": "object"}}}}),
            (Answer::JsonRpc, Some(schema)) => json!({"description": "A JSON-RPC response",
                                        "content": {"application/json": {"schema": schema}}}),
        };
        let mut responses = Map::new();
        responses.insert(route.status.to_string(), success);
        if route.answer == Answer::JsonRpc {
            responses.insert(
                "202".into(),
                json!({"description": "A notification or a response, accepted (no body)"}),
            );
            let rpc = schemas
                .response
                .clone()
                .map(|s| s.to_value())
                .unwrap_or(json!({}));
            responses.insert(
                "4XX".into(),
                json!({"description": "A JSON-RPC error (unreadable message, unsupported protocol version), or an HTTP error (key, origin)",
                       "content": {"application/json": {"schema": {"oneOf": [error, rpc]}}}}),
            );
        } else if route.auth != Auth::Public || schemas.body.is_some() {
            responses.insert(
                "4XX".into(),
                json!({"description": "Error: the field and the reason",
                       "content": {"application/json": {"schema": error}}}),
            );
        }
        if route.id == RouteId::Recommendation {
            responses.insert(
                "304".into(),
                json!({"description": "Not modified: If-None-Match named the current ETag (no body)"}),
            );
            parameters.push(
                json!({"name": "If-None-Match", "in": "header", "required": false,
                                   "description": "The ETag of the recommendation you hold",
                                   "schema": {"type": "string"}}),
            );
        }
        let mut operation = json!({
            "operationId": operation_id(route.path, route.method.as_str()),
            "summary": route.summary,
            "tags": [route.tag],
            "responses": responses,
        });
        if !parameters.is_empty() {
            operation["parameters"] = Value::Array(parameters);
        }
        if let Some(body) = &schemas.body {
            operation["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": body}}});
        }
        operation["security"] = match route.auth {
            Auth::Bearer => json!([{"bearer": []}]),
            Auth::Public | Auth::PathKey => json!([]),
        };
        paths
            .entry(route.path)
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|item| item.insert(route.method.as_str().into(), operation));
    }
    let mut document = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "edgetune API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Hyperparameter optimization at the edge: Optuna's model, one Rust engine. \
                /api/v1 needs `Authorization: Bearer <key>`; the Ax-compatible routes carry the key \
                in the path. Errors are `{\"error\": {\"code\", \"message\", \"field\"}}` and name the field."
        },
        "tags": [
            {"name": "service", "description": "Health, readiness and these docs"},
            {"name": "studies", "description": "Create, list, export and delete studies"},
            {"name": "trials", "description": "Ask and tell: suggest, report, complete, prune, fail"},
            {"name": "analysis", "description": "Best trial, Pareto front, importance, the trials table"},
            {"name": "automations", "description": "Production observations, scheduled optimization runs and the recommendations they publish"},
            {"name": "ax", "description": "The Ax-compatible API (the Ax optimizer service's routes), for @ax-llm/ax up to 19.0.45"},
            {"name": "mcp", "description": "Agent tools over the Model Context Protocol"},
        ],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": generator.take_definitions(true),
        },
    });
    tidy_descriptions(&mut document);
    document
}

fn path_param_description(name: &str) -> &'static str {
    match name {
        "study_name" => "The study's name",
        "number" => "The trial number",
        "job_id" => "The job's id",
        "api_key" => "An API key (the Ax client sends no headers)",
        _ => "",
    }
}

/// `get_api_v1_studies_study_name_trials` and the like: unique, from method and path.
fn operation_id(path: &str, method: &str) -> String {
    let mut id = method.to_string();
    for part in path.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !part.is_empty() {
            id.push('_');
            id.push_str(part);
        }
    }
    id
}

/// The JSON Schema of the options the npm package's `createStudy` takes (snake_case,
/// as the core reads them; the package's build camel-cases the property names): the
/// study spec (`CreateStudy`), one definition per sampler and per pruner, the stopping
/// rules and the search space, under `$defs`.
///
/// ```
/// let schema = edgetune_api::openapi::options_schema();
/// assert!(edgetune_api::openapi::map_valued_options(&schema).contains(&"x0".to_string()));
/// ```
pub fn options_schema() -> Value {
    let mut generator = SchemaSettings::draft2020_12().into_generator();
    let sampler = generator.subschema_for::<crate::specs::SamplerSpec>();
    let pruner = generator.subschema_for::<crate::specs::PrunerSpec>();
    let space = generator.subschema_for::<edgetune_core::SearchSpace>();
    let study = generator.subschema_for::<edgetune_core::StudySpec>();
    let mut document = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "EdgetuneOptions",
        "type": "object",
        "properties": {"sampler": sampler, "pruner": pruner, "searchSpace": space, "study": study},
        "$defs": generator.take_definitions(true),
    });
    tidy_descriptions(&mut document);
    document
}

/// The option names whose values are maps keyed by the user's own names (a grid's
/// `search_space`, CMA-ES's `x0`, a source trial's `params`): the npm package
/// camel-cases option names but must keep those keys as written.
pub fn map_valued_options(schema: &Value) -> Vec<String> {
    fn is_map(schema: &Value) -> bool {
        let alternatives = schema.get("anyOf").and_then(Value::as_array);
        let candidates: Vec<&Value> = match alternatives {
            Some(list) => list.iter().collect(),
            None => vec![schema],
        };
        candidates.iter().any(|s| {
            s.get("additionalProperties").is_some_and(Value::is_object)
                && s.get("properties").is_none()
        })
    }
    fn walk(schema: &Value, out: &mut Vec<String>) {
        match schema {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    for (name, property) in properties {
                        if is_map(property) && !out.contains(name) {
                            out.push(name.clone());
                        }
                    }
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(schema, &mut out);
    out.sort();
    out
}
