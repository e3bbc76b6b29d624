//! The MCP server, sans-IO: JSON-RPC over one HTTP POST (or one stdio line), the
//! protocol's lifecycle and its tools. A surface supplies a [`Backend`] (how studies
//! are stored and reached) and sends each message to [`handle`]; the tools
//! ([`tools`]) map a call to study operations and write the answer.
//!
//! Protocol versions: the `initialize` handshake generation (2025-06-18 and
//! 2025-11-25). Every request stands alone: the server keeps no session.

pub mod tools;

use serde::Deserialize;
use serde_json::{json, Value};

pub use tools::Backend;

/// The protocol versions served, newest first.
pub const PROTOCOL_VERSIONS: &[&str] = &["2025-11-25", "2025-06-18"];

/// What the server answers: an HTTP status and a JSON-RPC message, if any (202 has
/// none).
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON-RPC response.
    pub body: Option<Value>,
}

/// JSON-RPC error codes.
pub mod codes {
    /// The message is not JSON.
    pub const PARSE_ERROR: i64 = -32700;
    /// The message is not a valid JSON-RPC request.
    pub const INVALID_REQUEST: i64 = -32600;
    /// The method does not exist.
    pub const METHOD_NOT_FOUND: i64 = -32601;
    /// The parameters are invalid.
    pub const INVALID_PARAMS: i64 = -32602;
}

/// One JSON-RPC message as a client posts it: a request (`id` and `method`), a
/// notification (`method` only) or a response (`id` with `result` or `error`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Always `"2.0"`.
    pub jsonrpc: String,
    /// The request's id (a string or a number); absent on notifications.
    #[serde(default)]
    pub id: Option<Value>,
    /// The method.
    #[serde(default)]
    pub method: Option<String>,
    /// The parameters.
    #[serde(default)]
    pub params: Option<Value>,
    /// A response's result.
    #[serde(default)]
    pub result: Option<Value>,
    /// A response's error.
    #[serde(default)]
    pub error: Option<Value>,
}

/// A JSON-RPC response, as the server answers a request (documentation of `/mcp`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Always `"2.0"`.
    pub jsonrpc: String,
    /// The request's id (null when the request could not be read).
    pub id: Value,
    /// The result: of `initialize`, `tools/list`, `tools/call` or `ping`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// The error: `{code, message, data?}` (-32700, -32600, -32601, -32602).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
}

/// A JSON-RPC error answer.
pub fn error(
    status: u16,
    id: Value,
    code: i64,
    message: impl Into<String>,
    data: Option<Value>,
) -> Reply {
    let mut error = json!({"code": code, "message": message.into()});
    if let Some(data) = data {
        error["data"] = data;
    }
    Reply {
        status,
        body: Some(json!({"jsonrpc": "2.0", "id": id, "error": error})),
    }
}

fn result(id: Value, result: Value) -> Reply {
    Reply {
        status: 200,
        body: Some(json!({"jsonrpc": "2.0", "id": id, "result": result})),
    }
}

/// Answers one posted message. `header_version` is the `MCP-Protocol-Version`
/// header, if sent; `tools` is the tool list (`tools::definitions`, generated at build
/// time).
pub async fn handle<B: Backend>(
    backend: &B,
    body: &[u8],
    header_version: Option<&str>,
    tools: &Value,
) -> Reply {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return error(
                400,
                Value::Null,
                codes::PARSE_ERROR,
                format!("parse error: {e}"),
                None,
            )
        }
    };
    if value.is_array() {
        return error(
            400,
            Value::Null,
            codes::INVALID_REQUEST,
            "batches are not supported",
            None,
        );
    }
    let id_of = |v: &Value| v.get("id").cloned().unwrap_or(Value::Null);
    let message: Message = match serde_json::from_value(value.clone()) {
        Ok(m) => m,
        Err(e) => {
            return error(
                400,
                id_of(&value),
                codes::INVALID_REQUEST,
                e.to_string(),
                None,
            )
        }
    };
    let id = message.id.clone().unwrap_or(Value::Null);
    if message.jsonrpc != "2.0" {
        return error(
            400,
            id,
            codes::INVALID_REQUEST,
            "jsonrpc must be \"2.0\"",
            None,
        );
    }
    if let Some(version) = header_version {
        if !PROTOCOL_VERSIONS.contains(&version) {
            let data = json!({"supported": PROTOCOL_VERSIONS, "requested": version});
            let message = format!("unsupported MCP-Protocol-Version {version:?}");
            return error(400, id, codes::INVALID_REQUEST, message, Some(data));
        }
    }
    let Some(method) = message.method.as_deref() else {
        // A response to a request of ours: the server sends none, so there is nothing
        // to match it with; it is accepted and dropped.
        return Reply {
            status: 202,
            body: None,
        };
    };
    if message.id.is_none() {
        // Notifications (initialized, cancelled, ...) need no answer.
        return Reply {
            status: 202,
            body: None,
        };
    }
    if !(id.is_string() || id.is_number()) {
        return error(
            400,
            Value::Null,
            codes::INVALID_REQUEST,
            "id must be a string or a number",
            None,
        );
    }
    let params = message.params.unwrap_or_else(|| json!({}));
    if !params.is_object() {
        return error(
            200,
            id,
            codes::INVALID_PARAMS,
            "params must be an object",
            None,
        );
    }
    match method {
        "initialize" => {
            let asked = params.get("protocolVersion").and_then(Value::as_str);
            let version = match asked {
                Some(v) if PROTOCOL_VERSIONS.contains(&v) => v,
                _ => PROTOCOL_VERSIONS[0],
            };
            result(
                id,
                json!({
                    "protocolVersion": version,
                    "capabilities": {"tools": {"listChanged": false}},
                    "serverInfo": {"name": "edgetune", "title": "edgetune hyperparameter optimization", "version": env!("CARGO_PKG_VERSION")},
                    "instructions": INSTRUCTIONS,
                }),
            )
        }
        "ping" => result(id, json!({})),
        "tools/list" => result(id, json!({"tools": tools})),
        "tools/call" => {
            let Some(name) = params.get("name").and_then(Value::as_str) else {
                return error(
                    200,
                    id,
                    codes::INVALID_PARAMS,
                    "params.name: the tool's name is required",
                    None,
                );
            };
            let arguments = params
                .get("arguments")
                .cloned()
                .unwrap_or_else(|| json!({}));
            match tools::call(backend, name, arguments).await {
                Some(answer) => result(id, answer),
                None => error(
                    200,
                    id,
                    codes::INVALID_PARAMS,
                    format!("unknown tool {name:?}"),
                    None,
                ),
            }
        }
        other => error(
            200,
            id,
            codes::METHOD_NOT_FOUND,
            format!("method {other:?} not found"),
            None,
        ),
    }
}

/// What the server tells the model about itself.
const INSTRUCTIONS: &str = "edgetune runs hyperparameter optimization studies (Optuna's model). \
Start or resume a study with start_study, then loop: ask for parameters, run the trial \
yourself, tell its value (report intermediate values to let the pruner stop bad trials). \
get_study_status, get_best_params and compare_trials summarise a study.";
