//! Writes the MCP tool list (with the tools' input and output schemas, generated from
//! their Rust types) for the server to serve.

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let tools = edgetune_api::mcp::tools::definitions().to_string();
    std::fs::write(std::path::Path::new(&out).join("mcp_tools.json"), tools)
        .expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=build.rs");
}
