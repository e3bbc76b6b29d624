//! Writes the OpenAPI document, generated from the route table and the shapes of
//! `edgetune-api`, for `src/docs.rs` to serve.

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let document = edgetune_api::openapi::document();
    let text = serde_json::to_string_pretty(&document).expect("a JSON value serializes");
    std::fs::write(std::path::Path::new(&out).join("openapi.json"), text)
        .expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=build.rs");
}
