//! The MCP server, sans-IO: JSON-RPC over one HTTP POST (or one stdio line), the
//! protocol's lifecycle and its tools. A surface supplies a [`Backend`] (how studies
//! are stored and reached) and sends each message to [`handle`]; the tools
//! ([`tools`]) map a call to study operations and write the answer.
//!
//! Protocol versions: the `initialize` handshake generation (2025-06-18 and
//! 2025-11-25), and the stateless 2026-07-28, where every request carries its version
//! in `_meta` (and, over HTTP, in headers that must agree with the body) and
//! `server/discover` replaces the handshake. Either way the server keeps no session.

pub mod tools;

use serde::Deserialize;
use serde_json::{json, Value};

pub use tools::Backend;

/// The handshake-era protocol versions served, newest first.
pub const PROTOCOL_VERSIONS: &[&str] = &["2025-11-25", "2025-06-18"];

/// The stateless protocol versions served (per-request `_meta`, `server/discover`).
pub const MODERN_VERSIONS: &[&str] = &["2026-07-28"];

/// Every protocol version served, newest first.
pub const ALL_VERSIONS: &[&str] = &["2026-07-28", "2025-11-25", "2025-06-18"];

/// The `_meta` key of a request's protocol version (2026-07-28).
const VERSION_META: &str = "io.modelcontextprotocol/protocolVersion";

/// How long clients may cache the tool list and the discovery result, in ms: the
/// tools change only with a new deployment.
pub const TTL_MS: u64 = 3_600_000;

/// The HTTP headers of a message, when it came over HTTP (none over stdio).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers {
    /// `MCP-Protocol-Version`.
    pub protocol_version: Option<String>,
    /// `Mcp-Method` (2026-07-28).
    pub method: Option<String>,
    /// `Mcp-Name` (2026-07-28, `tools/call`).
    pub name: Option<String>,
}

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
    /// The HTTP headers disagree with the body, or a required one is missing.
    pub const HEADER_MISMATCH: i64 = -32020;
    /// The requested protocol version is not served.
    pub const UNSUPPORTED_PROTOCOL_VERSION: i64 = -32022;
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

/// Answers one message. `headers` are its HTTP headers, or `None` over stdio; `tools`
/// is the tool list (`tools::definitions`, generated at build time).
pub async fn handle<B: Backend>(
    backend: &B,
    body: &[u8],
    headers: Option<&Headers>,
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
    let Some(method) = message.method.clone() else {
        // A response to a request of ours: the server sends none, so there is nothing
        // to match it with; it is accepted and dropped.
        return Reply {
            status: 202,
            body: None,
        };
    };
    let params = message.params.clone().unwrap_or_else(|| json!({}));
    let meta_version = params
        .get("_meta")
        .and_then(|m| m.get(VERSION_META))
        .and_then(Value::as_str)
        .map(str::to_string);
    let header_version = headers.and_then(|h| h.protocol_version.clone());
    let modern = meta_version.is_some()
        || header_version
            .as_deref()
            .is_some_and(|v| MODERN_VERSIONS.contains(&v));
    if modern {
        if let Some(reply) = check_modern(&id, &method, &params, meta_version.as_deref(), headers) {
            return reply;
        }
    } else if let Some(version) = header_version.as_deref() {
        if !PROTOCOL_VERSIONS.contains(&version) {
            return unsupported(id, version);
        }
    }
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
    if !params.is_object() {
        return error(
            200,
            id,
            codes::INVALID_PARAMS,
            "params must be an object",
            None,
        );
    }
    let server_info = json!({"name": "edgetune", "title": "edgetune hyperparameter optimization", "version": env!("CARGO_PKG_VERSION")});
    let capabilities = json!({"tools": {"listChanged": false}});
    let mut answer = match (method.as_str(), modern) {
        ("initialize", false) => {
            let asked = params.get("protocolVersion").and_then(Value::as_str);
            let version = match asked {
                Some(v) if PROTOCOL_VERSIONS.contains(&v) => v,
                _ => PROTOCOL_VERSIONS[0],
            };
            json!({
                "protocolVersion": version,
                "capabilities": capabilities,
                "serverInfo": server_info,
                "instructions": INSTRUCTIONS,
            })
        }
        ("server/discover", _) => json!({
            "supportedVersions": ALL_VERSIONS,
            "capabilities": capabilities,
            "_meta": {"io.modelcontextprotocol/serverInfo": server_info},
            "instructions": INSTRUCTIONS,
            "ttlMs": TTL_MS,
            "cacheScope": "public",
        }),
        ("ping", _) => json!({}),
        ("tools/list", _) => {
            let mut list = json!({"tools": tools});
            if modern {
                list["ttlMs"] = json!(TTL_MS);
                list["cacheScope"] = json!("public");
            }
            list
        }
        ("tools/call", _) => {
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
                Some(answer) => answer,
                None => {
                    return error(
                        200,
                        id,
                        codes::INVALID_PARAMS,
                        format!("unknown tool {name:?}"),
                        None,
                    )
                }
            }
        }
        (other, _) => {
            // Over HTTP, a stateless client tells an unknown method by its 404.
            let status = if modern && headers.is_some() {
                404
            } else {
                200
            };
            return error(
                status,
                id,
                codes::METHOD_NOT_FOUND,
                format!("method {other:?} not found"),
                None,
            );
        }
    };
    if modern {
        answer["resultType"] = json!("complete");
    }
    result(id, answer)
}

fn unsupported(id: Value, requested: &str) -> Reply {
    let data = json!({"supported": ALL_VERSIONS, "requested": requested});
    error(
        400,
        id,
        codes::UNSUPPORTED_PROTOCOL_VERSION,
        "Unsupported protocol version",
        Some(data),
    )
}

/// The checks of a 2026-07-28 request: its version is served, and over HTTP its
/// headers are present and agree with the body.
fn check_modern(
    id: &Value,
    method: &str,
    params: &Value,
    meta_version: Option<&str>,
    headers: Option<&Headers>,
) -> Option<Reply> {
    let mismatch = |message: String| {
        Some(error(
            400,
            id.clone(),
            codes::HEADER_MISMATCH,
            message,
            None,
        ))
    };
    let Some(version) = meta_version else {
        let message = format!("params._meta[\"{VERSION_META}\"] is required with MCP-Protocol-Version 2026-07-28 and later");
        return Some(error(
            400,
            id.clone(),
            codes::INVALID_REQUEST,
            message,
            None,
        ));
    };
    if let Some(headers) = headers {
        match headers.protocol_version.as_deref() {
            None => return mismatch("Header mismatch: the MCP-Protocol-Version header is missing".into()),
            Some(h) if h != version => {
                return mismatch(format!("Header mismatch: MCP-Protocol-Version header value '{h}' does not match body value '{version}'"))
            }
            Some(_) => {}
        }
        match headers.method.as_deref() {
            None => return mismatch("Header mismatch: the Mcp-Method header is missing".into()),
            Some(h) if h != method => {
                return mismatch(format!("Header mismatch: Mcp-Method header value '{h}' does not match body value '{method}'"))
            }
            Some(_) => {}
        }
        if method == "tools/call" {
            let name = params
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            match headers.name.as_deref() {
                None => return mismatch("Header mismatch: the Mcp-Name header is missing".into()),
                Some(h) if decode_header(h) != name => {
                    return mismatch(format!("Header mismatch: Mcp-Name header value '{h}' does not match body value '{name}'"))
                }
                Some(_) => {}
            }
        }
    }
    if !MODERN_VERSIONS.contains(&version) {
        return Some(unsupported(id.clone(), version));
    }
    None
}

/// A header value as sent: plain, or in the Base64 sentinel form `=?base64?...?=`.
fn decode_header(value: &str) -> String {
    let Some(encoded) = value
        .strip_prefix("=?base64?")
        .and_then(|v| v.strip_suffix("?="))
    else {
        return value.to_string();
    };
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in encoded.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => continue,
        };
        bits = (bits << 6) | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the server tells the model about itself.
const INSTRUCTIONS: &str = "edgetune runs hyperparameter optimization studies (Optuna's model). \
Start or resume a study with start_study, then loop: ask for parameters, run the trial \
yourself, tell its value (report intermediate values to let the pruner stop bad trials). \
get_study_status, get_best_params and compare_trials summarise a study.";
