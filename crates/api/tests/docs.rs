//! Docs that cannot drift: the hand-written reference must name everything the code has.
//!
//! - every route of [`ROUTES`] is a row of docs/http.md's route table, and every row
//!   there is a route (the docs write `{name}` for a study's or automation's name, join
//!   methods as `GET|DELETE` and may show a query string);
//! - every sampler and pruner is a row of its table in docs/http.md, naming every option
//!   of its JSON Schema (`options_schema`, feature `schema`);
//! - every MCP tool of [`TOOL_NAMES`] is a row of docs/mcp.md's tool table, and every
//!   "N tools" in README.md and docs/mcp.md says how many there are.

use std::collections::BTreeSet;

use edgetune_api::mcp::tools::TOOL_NAMES;
use edgetune_api::routes::{Route, ROUTES};

/// A file of the repository, by its path from the root.
fn read(path: &str) -> String {
    let file = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The rows of the Markdown table whose header starts with `header`: each row's first
/// code span (`\|` read as `|`), with the whole row.
fn table<'a>(doc: &'a str, path: &str, header: &str) -> Vec<(String, &'a str)> {
    let mut lines = doc.lines().skip_while(|l| !l.starts_with(header));
    assert!(
        lines.next().is_some(),
        "{path} has no table headed `{header}`"
    );
    let rows: Vec<_> = lines
        .skip(1) // |---|---|
        .take_while(|l| l.starts_with('|'))
        .map(|row| {
            let cell = row.split('`').nth(1);
            let cell = cell.unwrap_or_else(|| panic!("{path}: a row without a code span: {row}"));
            (cell.replace("\\|", "|"), row)
        })
        .collect();
    assert!(!rows.is_empty(), "{path}: the table `{header}` is empty");
    rows
}

/// What is in `a` and not in `b`, one per line.
fn missing<T: Ord + std::fmt::Display>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> String {
    a.difference(b).map(|x| format!("\n  {x}")).collect()
}

/// A route as the docs write it: `GET /api/v1/studies/{name}/best`.
fn documented(route: &Route) -> String {
    let path = route.path.replace("{study_name}", "{name}");
    format!(
        "{} {}",
        route.method.as_str().to_ascii_uppercase(),
        path.replace("{automation_name}", "{name}")
    )
}

#[test]
fn every_route_is_in_the_http_route_table_and_every_row_is_a_route() {
    let doc = read("docs/http.md");
    let mut rows = BTreeSet::new();
    for (cell, row) in table(&doc, "docs/http.md", "| route |") {
        let (methods, path) = cell
            .split_once(' ')
            .unwrap_or_else(|| panic!("not `METHOD path`: {row}"));
        let path = path.split('?').next().unwrap_or_default();
        rows.extend(methods.split('|').map(|method| format!("{method} {path}")));
    }
    let code: BTreeSet<String> = ROUTES.iter().map(documented).collect();
    let (undocumented, unknown) = (missing(&code, &rows), missing(&rows, &code));
    assert!(
        undocumented.is_empty(),
        "docs/http.md's route table (`| route | what it does |`) lacks these routes of \
         crates/api/src/routes.rs; add a row `| \\`METHOD path\\` | what it does |` for each:{undocumented}"
    );
    assert!(
        unknown.is_empty(),
        "docs/http.md's route table has routes that crates/api/src/routes.rs lacks:{unknown}"
    );
}

#[cfg(feature = "schema")]
#[test]
fn every_sampler_and_pruner_is_in_its_http_table_with_every_option() {
    use edgetune_core::{PrunerConfig, SamplerConfig};
    let doc = read("docs/http.md");
    let schema = edgetune_api::openapi::options_schema();
    let mut problems = Vec::new();
    for (kind, def, names) in [
        ("sampler", "Sampler", SamplerConfig::NAMES),
        ("pruner", "Pruner", PrunerConfig::NAMES),
    ] {
        let rows = table(&doc, "docs/http.md", &format!("| {kind} |"));
        let alternatives = schema["$defs"][def]["oneOf"]
            .as_array()
            .expect("a oneOf of options");
        for (cell, _) in &rows {
            let name = cell.trim_matches('"');
            if !names.iter().any(|(n, _)| *n == name) {
                problems.push(format!(
                    "the {kind} table has `{cell}`, which is no {kind} name of the code"
                ));
            }
        }
        for (name, _) in names {
            let Some((_, row)) = rows.iter().find(|(cell, _)| *cell == format!("\"{name}\""))
            else {
                problems.push(format!("the {kind} table has no row `\"{name}\"`"));
                continue;
            };
            let alternative = alternatives.iter().find(|a| {
                a["properties"]["type"]["enum"]
                    .as_array()
                    .is_some_and(|e| e.iter().any(|n| n == name))
            });
            let properties = alternative.and_then(|a| a["properties"].as_object());
            let properties =
                properties.unwrap_or_else(|| panic!("{kind} {name} has no options schema"));
            for option in properties.keys().filter(|o| *o != "type") {
                if !row.contains(&format!("`{option}`")) {
                    problems.push(format!(
                        "the {kind} row `\"{name}\"` does not name its option `{option}`"
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "docs/http.md, sampler and pruner tables:\n  {}",
        problems.join("\n  ")
    );
}

/// Every number written as "N tools" (or "N MCP tools") in `text`.
fn tool_counts(text: &str) -> Vec<usize> {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..words.len())
        .filter(|&i| words[i].trim_end_matches(|c: char| !c.is_alphanumeric()) == "tools")
        .filter_map(|i| {
            words[..i]
                .iter()
                .rev()
                .find(|w| !matches!(**w, "MCP" | "agent"))
        })
        .filter_map(|w| w.parse().ok())
        .collect()
}

#[test]
fn every_mcp_tool_is_in_the_tool_table_and_counted_right() {
    let doc = read("docs/mcp.md");
    let rows: BTreeSet<String> = table(&doc, "docs/mcp.md", "| tool |")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    let code: BTreeSet<String> = TOOL_NAMES.iter().map(|n| n.to_string()).collect();
    let (undocumented, unknown) = (missing(&code, &rows), missing(&rows, &code));
    assert!(
        undocumented.is_empty(),
        "docs/mcp.md's tool table (`| tool | what it does |`) lacks these tools of TOOL_NAMES \
         (crates/api/src/mcp/tools/mod.rs):{undocumented}"
    );
    assert!(
        unknown.is_empty(),
        "docs/mcp.md's tool table has tools that TOOL_NAMES lacks:{unknown}"
    );
    for path in ["README.md", "docs/mcp.md"] {
        for count in tool_counts(&read(path)) {
            assert_eq!(
                count,
                TOOL_NAMES.len(),
                "{path} says \"{count} tools\", but TOOL_NAMES has {}",
                TOOL_NAMES.len()
            );
        }
    }
}
