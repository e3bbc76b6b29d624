//! Descriptions and formats in generated schemas: the Rust doc comments read as plain
//! text, and Rust's integer and float formats dropped where clients expect JSON
//! Schema's own.

use serde_json::Value;

/// Rust doc links read as plain names in the document: a parenthesised link after a
/// sentence goes, and a bracketed code name loses its brackets.
pub fn tidy_descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(text) if key == "description" => *text = tidy(text),
                    _ => tidy_descriptions(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tidy_descriptions),
        _ => {}
    }
}

fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(" ([`") {
        match rest[start..].find("`])") {
            Some(end) => {
                out.push_str(&rest[..start]);
                rest = &rest[start + end + 3..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out.replace("[`", "`").replace("`]", "`").replace('\n', " ")
}

/// Drops `format` hints that only name a Rust number type (`uint64`, `double`, ...):
/// JSON Schema validators do not know them and warn.
pub fn drop_number_formats(value: &mut Value) {
    const RUST: [&str; 12] = [
        "uint", "uint8", "uint16", "uint32", "uint64", "int", "int8", "int16", "int32", "int64",
        "double", "float",
    ];
    match value {
        Value::Object(map) => {
            if map
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|f| RUST.contains(&f))
            {
                map.remove("format");
            }
            map.values_mut().for_each(drop_number_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_number_formats),
        _ => {}
    }
}
