//! A sampler or a pruner as users name it: a name (`"tpe"`, `"TPESampler"`), or an
//! object with its `type` and options. The value goes to the core's parsers as it is;
//! its schema (feature `schema`) lists every alias of each `type` and the `seed` a
//! sampler object may carry.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A sampler by name (`"tpe"`, `"TPESampler"`) or as `{"type": ..., ...options}`,
/// as users write it; [`crate::SamplerConfig::parse`] reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SamplerSpec(pub Value);

/// A pruner by name (`"median"`, `"MedianPruner"`) or as `{"type": ..., ...options}`,
/// as users write it; [`crate::PrunerConfig::parse`] reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PrunerSpec(pub Value);

#[cfg(feature = "schema")]
mod schema {
    use std::borrow::Cow;

    use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
    use serde_json::{json, Value};

    use super::{PrunerSpec, SamplerSpec};
    use crate::{PrunerConfig, SamplerConfig};

    impl JsonSchema for SamplerSpec {
        fn schema_name() -> Cow<'static, str> {
            "Sampler".into()
        }

        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            let config = SamplerConfig::json_schema(generator);
            let seed = json!({
                "description": "The seed of every random draw (the study's `seed`).",
                "type": "integer", "minimum": 0
            });
            named_or_tagged(config, SamplerConfig::NAMES, Some(seed), "Sampler")
        }
    }

    impl JsonSchema for PrunerSpec {
        fn schema_name() -> Cow<'static, str> {
            "Pruner".into()
        }

        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            let config = PrunerConfig::json_schema(generator);
            named_or_tagged(config, PrunerConfig::NAMES, None, "Pruner")
        }
    }

    /// Every name a `type` answers to: the name, then its aliases.
    fn names_of(names: &[(&str, &[&str])], name: &str) -> Vec<Value> {
        names
            .iter()
            .filter(|(n, _)| *n == name)
            .flat_map(|(n, aliases)| std::iter::once(n).chain(aliases.iter()))
            .map(|n| Value::from(*n))
            .collect()
    }

    /// `brute_force` → `BruteForce`: the variant's name in the core's enum.
    fn pascal(name: &str) -> String {
        name.split('_')
            .map(|part| {
                let mut chars = part.chars();
                chars.next().map_or(String::new(), |c| {
                    c.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect()
    }

    /// `oneOf`: any name as a string, or one of the config's tagged objects whose
    /// `type` takes the name or an alias (and, for samplers, a `seed`). Each
    /// alternative is titled (`TpeSamplerOptions`, `SamplerName`), which names the
    /// npm package's TypeScript types.
    fn named_or_tagged(
        config: Schema,
        names: &[(&str, &[&str])],
        seed: Option<Value>,
        kind: &str,
    ) -> Schema {
        let mut alternatives = config
            .get("oneOf")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for alternative in &mut alternatives {
            let Some(properties) = alternative
                .get_mut("properties")
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            let name = properties
                .get("type")
                .and_then(|t| t.get("const"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            properties.insert("type".into(), json!({"enum": names_of(names, &name)}));
            if let Some(seed) = &seed {
                properties.insert("seed".into(), seed.clone());
            }
            if let Some(object) = alternative.as_object_mut() {
                object.insert(
                    "title".into(),
                    format!("{}{kind}Options", pascal(&name)).into(),
                );
            }
        }
        let every_name: Vec<Value> = names.iter().flat_map(|(n, _)| names_of(names, n)).collect();
        let what = kind.to_ascii_lowercase();
        let by_name = json!({
            "title": format!("{kind}Name"),
            "description": format!("A {what} with its defaults, by edgetune's name or Optuna's class name."),
            "type": "string",
            "enum": every_name,
        });
        let mut one_of = vec![by_name];
        one_of.extend(alternatives);
        json_schema!({
            "title": format!("{kind}Options"),
            "description": format!("The {what}: a name, or an object with its `type` and options (Optuna's names and defaults)."),
            "oneOf": one_of,
        })
    }
}
