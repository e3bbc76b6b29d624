//! The flat trials table, as Optuna's `trials_dataframe`: one row per trial with
//! `number`, `value` (or `values_0`, `values_1`, ...), `datetime_start`,
//! `datetime_complete`, `duration` (seconds), `params_<name>`, `user_attrs_<key>` and
//! `state`.

use std::collections::BTreeSet;

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

/// The columns of a trials table, gathered from its trials one at a time, so a table
/// of any size can be written a page of rows at a time ([`Self::row`], [`csv_line`])
/// without holding every trial.
#[derive(Clone, Debug, Default)]
pub struct TableLayout {
    n_objectives: usize,
    params: BTreeSet<String>,
    attrs: BTreeSet<String>,
}

impl TableLayout {
    /// A layout for a study with `n_objectives` objectives, before any trial.
    pub fn new(n_objectives: usize) -> Self {
        TableLayout {
            n_objectives,
            ..TableLayout::default()
        }
    }

    /// Takes the parameter and attribute names of `trial` into the columns. O(p + a)
    /// lookups.
    pub fn add(&mut self, trial: &FrozenTrial) {
        for name in trial.params.keys() {
            if !self.params.contains(name) {
                self.params.insert(name.to_string());
            }
        }
        for name in trial.user_attrs.keys() {
            if !self.attrs.contains(name) {
                self.attrs.insert(name.clone());
            }
        }
    }

    /// The column names.
    pub fn columns(&self) -> Vec<String> {
        let mut columns = vec!["number".to_string()];
        if self.n_objectives == 1 {
            columns.push("value".into());
        } else {
            columns.extend((0..self.n_objectives).map(|i| format!("values_{i}")));
        }
        columns.extend(["datetime_start", "datetime_complete", "duration"].map(String::from));
        columns.extend(self.params.iter().map(|p| format!("params_{p}")));
        columns.extend(self.attrs.iter().map(|a| format!("user_attrs_{a}")));
        columns.push("state".into());
        columns
    }

    /// The row of `trial`, one value per column (null where it has none).
    pub fn row(&self, t: &FrozenTrial) -> Vec<Value> {
        let mut row = vec![json!(t.number)];
        for i in 0..self.n_objectives {
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
        for p in &self.params {
            row.push(t.param(p).map_or(Value::Null, |v| json!(v)));
        }
        for a in &self.attrs {
            row.push(t.user_attrs.get(a).cloned().unwrap_or(Value::Null));
        }
        row.push(json!(t.state));
        row
    }
}

/// One line of the table as CSV (RFC 4180), with its `\r\n`: strings quoted when
/// needed, nulls empty, other JSON values (lists, objects) written as their JSON text.
pub fn csv_line(cells: &[Value]) -> String {
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
    let mut line = cells.iter().map(cell).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

impl TrialsTable {
    /// The table of `trials` for a study with `n_objectives` objectives. O(n · columns).
    pub fn new(trials: &[FrozenTrial], n_objectives: usize) -> Self {
        let mut layout = TableLayout::new(n_objectives);
        trials.iter().for_each(|t| layout.add(t));
        TrialsTable {
            columns: layout.columns(),
            rows: trials.iter().map(|t| layout.row(t)).collect(),
        }
    }

    /// The table as CSV (RFC 4180): [`csv_line`] of the header, then of each row.
    pub fn to_csv(&self) -> String {
        let header: Vec<Value> = self.columns.iter().map(|c| json!(c)).collect();
        let mut out = csv_line(&header);
        for row in &self.rows {
            out.push_str(&csv_line(row));
        }
        out
    }
}
