//! Finds, in the JSON Schema of the sampler and pruner options (the same source as the
//! OpenAPI document and the TypeScript declarations), the options whose values are
//! maps keyed by the user's names, which `interop::snake_case_keys` must not rename.

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let schema = edgetune_api::openapi::options_schema();
    let names = edgetune_api::openapi::map_valued_options(&schema);
    let list: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    let code = format!(
        "const MAP_VALUED_OPTIONS: &[&str] = &[{}];\n",
        list.join(", ")
    );
    std::fs::write(
        std::path::Path::new(&out).join("map_valued_options.rs"),
        code,
    )
    .expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=build.rs");
}
