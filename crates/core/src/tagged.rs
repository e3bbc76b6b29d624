//! Sampler and pruner configurations given by name or as a tagged object: the one
//! parser both [`crate::SamplerConfig::parse`] and [`crate::PrunerConfig::parse`] use.

use serde_json::Value;

use crate::error::{Error, Result};

/// Parses `"name"` or `{"type": "name", "seed"?: u64, ...}` into a tagged config.
pub(crate) fn parse_tagged<T: serde::de::DeserializeOwned>(
    value: &Value,
    field: &str,
) -> Result<(T, Option<u64>)> {
    let mut object = match value {
        Value::String(name) => {
            let mut map = serde_json::Map::new();
            map.insert("type".into(), Value::String(name.clone()));
            map
        }
        Value::Object(map) => map.clone(),
        _ => {
            return Err(Error::config(
                field,
                "must be a name or an object with a \"type\"",
            ))
        }
    };
    let seed = match object.remove("seed") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| {
            Error::config(
                format!("{field}.seed"),
                format!("must be an integer from 0 to 2^64-1, got {v}"),
            )
        })?),
    };
    if !object.contains_key("type") {
        return Err(Error::config(format!("{field}.type"), "missing field"));
    }
    let config = serde_json::from_value(Value::Object(object.clone())).map_err(|e| {
        let message = e.to_string();
        // Name the option at fault: the type, an unknown option, or a bad value.
        let sub = if let Some(rest) = message.strip_prefix("unknown variant `") {
            // The sampler's type, or an option whose value is not one of its names.
            let variant = rest.split('`').next().unwrap_or_default();
            let wanted = Value::String(variant.to_string());
            object
                .iter()
                .find(|(k, v)| **v == wanted && k.as_str() != "type")
                .map(|(k, _)| k.clone())
                .or_else(|| Some("type".to_string()))
        } else if let Some(rest) = message
            .strip_prefix("unknown field `")
            .or_else(|| message.strip_prefix("missing field `"))
        {
            rest.split('`').next().map(str::to_string)
        } else {
            // "invalid value: integer `-1`, expected usize": the option holding that value.
            let shown = message.split('`').nth(1).unwrap_or_default();
            object
                .iter()
                .find(|(k, v)| k.as_str() != "type" && v.to_string().trim_matches('"') == shown)
                .map(|(k, _)| k.clone())
        };
        match sub {
            Some(sub) => Error::config(format!("{field}.{sub}"), message),
            None => Error::config(field, message),
        }
    })?;
    Ok((config, seed))
}
