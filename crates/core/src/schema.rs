//! JSON Schema of the types whose serde form is written by hand (feature `schema`);
//! every other configuration type derives its schema beside its serde derive.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use crate::distributions::{Distribution, Param};
use crate::json_f64::JsonF64;

/// A parameter is its distribution's object with a `name` beside `type`: each
/// alternative of [`Distribution`]'s schema gains the property.
impl JsonSchema for Param {
    fn schema_name() -> Cow<'static, str> {
        "Param".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut schema = Distribution::json_schema(generator);
        let name = json_schema!({"type": "string", "description": "The parameter name."});
        for key in ["oneOf", "anyOf"] {
            let Some(alternatives) = schema.get_mut(key).and_then(|v| v.as_array_mut()) else {
                continue;
            };
            for alternative in alternatives {
                let Some(object) = alternative.as_object_mut() else {
                    continue;
                };
                if let Some(properties) =
                    object.get_mut("properties").and_then(|p| p.as_object_mut())
                {
                    properties.insert("name".into(), name.clone().to_value());
                }
                if let Some(required) = object.get_mut("required").and_then(|r| r.as_array_mut()) {
                    required.insert(0, "name".into());
                }
            }
        }
        schema.insert(
            "description".into(),
            "A named parameter: its distribution with a `name`.".into(),
        );
        schema
    }
}

/// A number, or one of the strings that stand for the non-finite values.
impl JsonSchema for JsonF64 {
    fn schema_name() -> Cow<'static, str> {
        "JsonF64".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "oneOf": [
                {"type": "number"},
                {"enum": ["NaN", "Infinity", "-Infinity"]}
            ]
        })
    }
}
