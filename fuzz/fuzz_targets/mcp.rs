//! The MCP JSON-RPC decoder and the tools behind it, over an in-memory store holding a
//! study: arbitrary request bodies, and calls of every tool with arbitrary arguments.
//! An answer or a JSON-RPC error, never a panic.
#![no_main]

use edgetune_api::mcp::{self, tools};
use edgetune_core::{Study, StudyConfig};
use edgetune_fuzz::{block_on, MemoryStore};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let store = MemoryStore::default();
    let mut study = Study::create(StudyConfig::new("s").with_seed(1)).expect("valid");
    edgetune_fuzz::drive(&mut study, &[0, 0, 2, 0, 3, 5, 0, 1]);
    store.studies.borrow_mut().insert("s".into(), study);
    static LIST: OnceLock<Value> = OnceLock::new();
    let list = LIST.get_or_init(tools::definitions);
    let body = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        // A tool call: the tool by the next byte, the arguments from the rest.
        let Some((&tool, args)) = rest.split_first() else {
            return;
        };
        let Ok(arguments) = serde_json::from_slice::<Value>(args) else {
            return;
        };
        let name = tools::TOOL_NAMES[usize::from(tool) % tools::TOOL_NAMES.len()];
        serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": name, "arguments": arguments}}))
        .expect("serializes")
    };
    let _ = block_on(mcp::handle(&store, &body, None, list));
});
