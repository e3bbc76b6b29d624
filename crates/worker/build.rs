//! Writes the OpenAPI document, generated from the route table and the shapes of
//! `edgetune-api`, for `src/docs.rs` to serve, and the MCP tool list (with the tools'
//! input and output schemas) for `src/mcp.rs`.

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let document = edgetune_api::openapi::document();
    let text = serde_json::to_string_pretty(&document).expect("a JSON value serializes");
    std::fs::write(std::path::Path::new(&out).join("openapi.json"), text)
        .expect("OUT_DIR is writable");
    let tools = edgetune_api::mcp::tools::definitions().to_string();
    std::fs::write(std::path::Path::new(&out).join("mcp_tools.json"), tools)
        .expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=build.rs");
}
