//! The JSON Schema of the create-study body's aliases (feature `schema`).

use schemars::Schema;
use serde_json::{json, Value};

/// `POST /api/v1/studies` also takes `name` for `study_name` and `parameters` for
/// `search_space` (serde aliases, which a derived schema does not list).
pub(crate) fn study_name_aliases(schema: &mut Schema) {
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (alias, field) in [("name", "study_name"), ("parameters", "search_space")] {
        if let Some(mut property) = properties.get(field).cloned() {
            if let Some(object) = property.as_object_mut() {
                object.insert("description".into(), format!("Alias of `{field}`.").into());
            }
            properties.insert(alias.into(), property);
        }
    }
    schema.remove("required");
    schema.insert(
        "anyOf".into(),
        json!([{"required": ["study_name"]}, {"required": ["name"]}]),
    );
}
