//! The generated documents: every sampler and pruner has a schema (and so a TypeScript
//! type), every route is documented with closed bodies, and the document is the route
//! table's.
#![cfg(feature = "schema")]

use edgetune_api::openapi::{document, options_schema};
use edgetune_api::routes::ROUTES;
use edgetune_core::{PrunerConfig, SamplerConfig};
use serde_json::Value;

/// The titled alternative of `union` whose `type` takes `name`.
fn alternative<'a>(union: &'a Value, name: &str) -> Option<&'a Value> {
    union["oneOf"].as_array()?.iter().find(|a| {
        a["properties"]["type"]["enum"]
            .as_array()
            .is_some_and(|names| names.iter().any(|n| n == name))
    })
}

#[test]
fn every_sampler_and_pruner_variant_has_a_schema_with_its_names_and_a_type_title() {
    let schema = options_schema();
    for (union, names, kind) in [
        (&schema["$defs"]["Sampler"], SamplerConfig::NAMES, "Sampler"),
        (&schema["$defs"]["Pruner"], PrunerConfig::NAMES, "Pruner"),
    ] {
        assert!(names.len() >= 8, "{kind}: {} names", names.len());
        let by_name = &union["oneOf"][0]["enum"];
        for (name, aliases) in names {
            let alt =
                alternative(union, name).unwrap_or_else(|| panic!("{kind} {name} has no schema"));
            let title = alt["title"].as_str().unwrap_or_default();
            assert!(
                title.ends_with(&format!("{kind}Options")),
                "{name}: {title}"
            );
            assert_eq!(alt["additionalProperties"], false, "{name} is not closed");
            for alias in aliases.iter().chain([name]) {
                let listed = |v: &Value| v.as_array().is_some_and(|a| a.iter().any(|n| n == alias));
                assert!(
                    listed(&alt["properties"]["type"]["enum"]),
                    "{name}: {alias}"
                );
                assert!(listed(by_name), "{alias} is not a {kind} name");
            }
            assert_eq!(
                kind == "Sampler",
                alt["properties"].get("seed").is_some(),
                "{name}"
            );
        }
        // One alternative per variant, plus the names.
        assert_eq!(
            union["oneOf"].as_array().map(Vec::len),
            Some(names.len() + 1)
        );
    }
}

#[test]
fn the_document_has_every_route_of_the_table_with_closed_bodies() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let schemas = &doc["components"]["schemas"];
    let deref = |s: &Value| -> Value {
        match s["$ref"].as_str() {
            Some(r) => schemas[r.rsplit('/').next().unwrap_or_default()].clone(),
            None => s.clone(),
        }
    };
    let mut operations = 0;
    for route in ROUTES {
        let op = &doc["paths"][route.path][route.method.as_str()];
        assert!(
            op.is_object(),
            "{} {} is not documented",
            route.method.as_str(),
            route.path
        );
        assert_eq!(op["summary"], route.summary);
        let success = &op["responses"][route.status.to_string()];
        assert!(
            success.is_object(),
            "{}: no {} answer",
            route.path,
            route.status
        );
        if let Some(body) = op["requestBody"]["content"]["application/json"]["schema"].as_object() {
            let body = deref(&Value::Object(body.clone()));
            assert_eq!(
                body["additionalProperties"], false,
                "{}: open body",
                route.path
            );
        }
        operations += 1;
    }
    let documented: usize = doc["paths"]
        .as_object()
        .map(|p| {
            p.values()
                .map(|i| i.as_object().map_or(0, |o| o.len()))
                .sum()
        })
        .unwrap_or(0);
    assert_eq!(
        documented, operations,
        "the document has operations the table lacks"
    );
    // Every $ref resolves.
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap_or_default();
        assert!(schemas.get(name).is_some(), "dangling $ref {name}");
    }
    // Rust doc links do not leak into descriptions.
    assert!(!text.contains("([`"), "a rustdoc link in a description");
}
