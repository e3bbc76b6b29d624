//! Descriptions in generated schemas: the Rust doc comments, read as plain text.

use serde_json::Value;

/// Rust doc links read as plain names in the document: "([`TpeSampler`])" goes, and
/// "[`x`]" becomes "`x`".
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
