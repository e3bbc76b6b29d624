//! The MCP layer without a network: the protocol's answers and the tools' dispatch,
//! over a backend that holds no study.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use edgetune_api::mcp::{self, tools, Backend, Headers};
use edgetune_api::study_op::StudyOp;
use edgetune_core::StudySpec;
use serde_json::{json, Value};

/// A backend without studies: every study is unknown.
struct Empty;

impl Backend for Empty {
    async fn study(&self, name: &str, _op: StudyOp) -> Result<String, tools::Failure> {
        Err(tools::Failure::not_found(format!(
            "study {name:?} not found"
        )))
    }
    async fn create(&self, _spec: StudySpec) -> Result<String, tools::Failure> {
        Err(tools::Failure::conflict("read-only"))
    }
    async fn list(&self) -> Result<String, tools::Failure> {
        Ok(json!({"studies": [], "total": 0, "offset": 0, "limit": 1}).to_string())
    }
    async fn delete(&self, name: &str) -> Result<(), tools::Failure> {
        Err(tools::Failure::not_found(name))
    }
    fn dashboard_url(&self, name: &str) -> Result<String, tools::Failure> {
        Ok(format!("https://example.test/dashboard/#/study/{name}"))
    }
}

fn ready<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("the empty backend never waits"),
    }
}

fn send(message: Value, headers: Option<&Headers>) -> mcp::Reply {
    let tools = json!([]);
    ready(mcp::handle(
        &Empty,
        message.to_string().as_bytes(),
        headers,
        &tools,
    ))
}

fn code(reply: &mcp::Reply) -> i64 {
    reply.body.as_ref().unwrap()["error"]["code"]
        .as_i64()
        .unwrap()
}

#[test]
fn the_handshake_generation() {
    let init = send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}),
        None,
    );
    assert_eq!(init.status, 200);
    assert_eq!(
        init.body.unwrap()["result"]["protocolVersion"],
        "2025-06-18"
    );
    let old = send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2024-11-05"}}),
        None,
    );
    assert_eq!(old.body.unwrap()["result"]["protocolVersion"], "2025-11-25");
    let note = send(
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        None,
    );
    assert_eq!((note.status, note.body), (202, None));
    let unknown = send(
        json!({"jsonrpc": "2.0", "id": 2, "method": "prompts/list"}),
        None,
    );
    assert_eq!((unknown.status, code(&unknown)), (200, -32601));
    let header = Headers {
        protocol_version: Some("1999-01-01".into()),
        ..Headers::default()
    };
    let bad = send(
        json!({"jsonrpc": "2.0", "id": 3, "method": "ping"}),
        Some(&header),
    );
    assert_eq!((bad.status, code(&bad)), (400, -32022));
}

#[test]
fn malformed_messages() {
    let tools = json!([]);
    let parse = ready(mcp::handle(&Empty, b"{", None, &tools));
    assert_eq!((parse.status, code(&parse)), (400, -32700));
    let batch = send(json!([{"jsonrpc": "2.0", "id": 1, "method": "ping"}]), None);
    assert_eq!(code(&batch), -32600);
    let extra = send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "ping", "extra": 1}),
        None,
    );
    assert_eq!(code(&extra), -32600);
    let version = send(json!({"jsonrpc": "1.0", "id": 1, "method": "ping"}), None);
    assert_eq!(code(&version), -32600);
    let id = send(
        json!({"jsonrpc": "2.0", "id": {"x": 1}, "method": "ping"}),
        None,
    );
    assert_eq!(code(&id), -32600);
    let unknown_tool = send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "nope"}}),
        None,
    );
    assert_eq!(code(&unknown_tool), -32602);
}

#[test]
fn the_stateless_generation_checks_headers_against_the_body() {
    let meta = json!({"io.modelcontextprotocol/protocolVersion": "2026-07-28"});
    let call = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"_meta": meta, "name": "list_studies", "arguments": {}}});
    let good = Headers {
        protocol_version: Some("2026-07-28".into()),
        method: Some("tools/call".into()),
        name: Some("=?base64?bGlzdF9zdHVkaWVz?=".into()),
    };
    let ok = send(call.clone(), Some(&good));
    assert_eq!(ok.status, 200);
    let result = &ok.body.unwrap()["result"];
    assert_eq!(
        (result["resultType"].as_str(), result["isError"].as_bool()),
        (Some("complete"), Some(false))
    );
    for wrong in [
        Headers {
            name: Some("delete_study".into()),
            ..good.clone()
        },
        Headers {
            method: Some("tools/list".into()),
            ..good.clone()
        },
        Headers {
            protocol_version: None,
            ..good.clone()
        },
    ] {
        let reply = send(call.clone(), Some(&wrong));
        assert_eq!((reply.status, code(&reply)), (400, -32020), "{wrong:?}");
    }
    // Over stdio there are no headers to check.
    assert_eq!(send(call, None).status, 200);
    let future = send(
        json!({"jsonrpc": "2.0", "id": 2, "method": "server/discover",
        "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2099-01-01"}}}),
        None,
    );
    assert_eq!(code(&future), -32022);
    let discover = send(
        json!({"jsonrpc": "2.0", "id": 3, "method": "server/discover", "params": {"_meta": meta}}),
        None,
    );
    let result = &discover.body.unwrap()["result"];
    assert_eq!(
        result["supportedVersions"],
        json!(["2026-07-28", "2025-11-25", "2025-06-18"])
    );
    assert!(result["ttlMs"].as_u64().is_some());
}

#[test]
fn every_tool_is_dispatched_and_failures_name_the_field() {
    for name in tools::TOOL_NAMES {
        let answer = ready(tools::call(&Empty, name, json!({"study_name": "s"})));
        let answer = answer.unwrap_or_else(|| panic!("{name} is not dispatched"));
        assert!(answer["content"][0]["text"].is_string(), "{name}");
    }
    let missing = ready(tools::call(&Empty, "ask", json!({}))).unwrap();
    assert_eq!(missing["isError"], true);
    assert_eq!(missing["_meta"][tools::ERROR_META]["field"], "study_name");
    assert!(missing.get("structuredContent").is_none());
    let unknown = ready(tools::call(
        &Empty,
        "get_study_status",
        json!({"study_name": "s"}),
    ))
    .unwrap();
    assert_eq!(unknown["_meta"][tools::ERROR_META]["code"], "not_found");
    let listed = ready(tools::call(&Empty, "list_studies", json!({}))).unwrap();
    assert_eq!(listed["isError"], false);
    assert_eq!(listed["structuredContent"]["total"], 0);
    assert!(ready(tools::call(&Empty, "no_such_tool", json!({}))).is_none());
}
