//! Prints what is generated from the API's types: `openapi` (the OpenAPI document) or
//! `options` (the JSON Schema of the options the npm package takes, for its TypeScript
//! declarations).

fn main() {
    let what = std::env::args().nth(1).unwrap_or_default();
    let document = match what.as_str() {
        "openapi" => edgetune_api::openapi::document(),
        "options" => edgetune_api::openapi::options_schema(),
        _ => {
            eprintln!("usage: edgetune-schemas openapi|options");
            std::process::exit(2);
        }
    };
    println!("{document:#}");
}
