//! The flat trials table, as Optuna's `trials_dataframe`: one row per trial with
//! `number`, `value` (or `values_0`, `values_1`, ...), `datetime_start`,
//! `datetime_complete`, `duration` (seconds), `params_<name>`, `user_attrs_<key>` and
//! `state`.

use serde::Serialize;
use serde_json::{json, Value};

use crate::trial::FrozenTrial;

/// A table of trials: column names and one row of JSON values per trial.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrialsTable {
    /// Column names.
    pub columns: Vec<String>,
    /// One row per trial, one value per column (null where a trial has none).
    pub rows: Vec<Vec<Value>>,
}

impl TrialsTable {
    /// The table of `trials` for a study with `n_objectives` objectives. O(n · columns).
    pub fn new(trials: &[FrozenTrial], n_objectives: usize) -> Self {
        let params = crate::sort::collect_set(trials.iter().flat_map(|t| t.params.keys()));
        let attrs = crate::sort::collect_set(trials.iter().flat_map(|t| t.user_attrs.keys()));
        let mut columns = vec!["number".to_string()];
        if n_objectives == 1 {
            columns.push("value".into());
        } else {
            columns.extend((0..n_objectives).map(|i| format!("values_{i}")));
        }
        columns.extend(["datetime_start", "datetime_complete", "duration"].map(String::from));
        columns.extend(params.iter().map(|p| format!("params_{p}")));
        columns.extend(attrs.iter().map(|a| format!("user_attrs_{a}")));
        columns.push("state".into());
        let rows = trials
            .iter()
            .map(|t| {
                let mut row = vec![json!(t.number)];
                for i in 0..n_objectives {
                    row.push(
                        t.values
                            .as_ref()
                            .and_then(|v| v.get(i))
                            .map_or(Value::Null, |v| json!(v)),
                    );
                }
                row.push(json!(t.datetime_start()));
                row.push(json!(t.datetime_complete()));
                row.push(match (t.datetime_start(), t.datetime_complete()) {
                    (Some(a), Some(b)) => json!((b - a) / 1000.0),
                    _ => Value::Null,
                });
                for p in &params {
                    row.push(t.param(p).map_or(Value::Null, |v| json!(v)));
                }
                for a in &attrs {
                    row.push(t.user_attrs.get(*a).cloned().unwrap_or(Value::Null));
                }
                row.push(json!(t.state));
                row
            })
            .collect();
        TrialsTable { columns, rows }
    }

    /// The table as CSV (RFC 4180): strings quoted when needed, nulls empty, other
    /// JSON values (lists, objects) written as their JSON text.
    pub fn to_csv(&self) -> String {
        fn cell(v: &Value) -> String {
            let text = match v {
                Value::Null => return String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if text.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", text.replace('"', "\"\""))
            } else {
                text
            }
        }
        let mut out = String::new();
        let header: Vec<String> = self
            .columns
            .iter()
            .map(|c| cell(&Value::String(c.clone())))
            .collect();
        out.push_str(&header.join(","));
        out.push_str("\r\n");
        for row in &self.rows {
            out.push_str(&row.iter().map(cell).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        out
    }
}
