//! Writing a study as an Optuna journal.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::lines::{number, string, value};
use crate::direction::Direction;
use crate::distributions::{Distribution, ParamValue};
use crate::study::METRIC_NAMES;
use crate::trial::{FrozenTrial, TrialState};

/// The `worker_id` of every line an export writes.
pub const OPTUNA_WORKER_ID: &str = "edgetune";

/// Optuna's `StudyDirection`: MINIMIZE is 1, MAXIMIZE 2.
fn direction_code(d: Direction) -> u8 {
    match d {
        Direction::Minimize => 1,
        Direction::Maximize => 2,
    }
}

/// Optuna's `TrialState`: RUNNING 0, COMPLETE 1, PRUNED 2, FAIL 3, WAITING 4.
pub(super) fn state_code(s: TrialState) -> u8 {
    match s {
        TrialState::Running => 0,
        TrialState::Complete => 1,
        TrialState::Pruned => 2,
        TrialState::Fail => 3,
        TrialState::Waiting => 4,
    }
}

fn head(op: u8) -> String {
    format!(
        "{{\"op_code\":{op},\"worker_id\":{}",
        string(OPTUNA_WORKER_ID)
    )
}

/// The lines that create study 0 of the journal: its name and directions, then its
/// user attributes and its metric names (Optuna's `study:metric_names`).
pub fn study_lines(
    name: &str,
    directions: &[Direction],
    user_attrs: &BTreeMap<String, Value>,
    metric_names: Option<&[String]>,
) -> Vec<String> {
    let codes: Vec<u8> = directions.iter().map(|d| direction_code(*d)).collect();
    let mut lines = vec![format!(
        "{},\"study_name\":{},\"directions\":{}}}",
        head(0),
        string(name),
        value(&json!(codes))
    )];
    for (key, v) in user_attrs {
        lines.push(format!(
            "{},\"study_id\":0,\"user_attr\":{}}}",
            head(2),
            value(&json!({ key: v }))
        ));
    }
    if let Some(names) = metric_names {
        lines.push(format!(
            "{},\"study_id\":0,\"system_attr\":{}}}",
            head(3),
            value(&json!({ METRIC_NAMES: names }))
        ));
    }
    lines
}

/// Optuna's JSON of a distribution (`distribution_to_json`), as the string a journal
/// holds.
pub(super) fn distribution_json(d: &Distribution) -> String {
    let v = match d {
        Distribution::Float {
            low,
            high,
            log,
            step,
        } => json!({"name": "FloatDistribution",
            "attributes": {"step": step, "low": low, "high": high, "log": log}}),
        Distribution::Int {
            low,
            high,
            log,
            step,
        } => json!({"name": "IntDistribution",
            "attributes": {"log": log, "step": step, "low": low, "high": high}}),
        Distribution::Categorical { choices } => {
            json!({"name": "CategoricalDistribution", "attributes": {"choices": choices}})
        }
    };
    value(&v)
}

/// A trial as one Optuna "create trial" line of study 0, as `add_trial` writes it:
/// state, values, parameters with their distributions, attributes, intermediate values
/// and times. Its cost, step costs and failure reason go into system attributes under
/// `edgetune:`, its constraints into Optuna's `constraints`. O(params + steps + attrs).
pub fn trial_line(trial: &FrozenTrial, n_objectives: usize) -> String {
    let time = |t: Option<f64>| match t {
        Some(ms) => string(&crate::time::iso8601_micros(ms)),
        None => "null".into(),
    };
    let list = |vs: &[f64]| {
        format!(
            "[{}]",
            vs.iter().map(|v| number(*v)).collect::<Vec<_>>().join(",")
        )
    };
    let (single, multi) = match &trial.values {
        Some(vs) if n_objectives == 1 && vs.len() == 1 => (number(vs[0]), "null".into()),
        Some(vs) => ("null".into(), list(vs)),
        None => ("null".into(), "null".into()),
    };
    let mut out = format!(
        "{},\"study_id\":0,\"datetime_start\":{},\"state\":{},\"value\":{single},\"values\":{multi}",
        head(4),
        time(trial.datetime_start()),
        state_code(trial.state)
    );
    if trial.datetime_complete().is_some() {
        out += &format!(",\"datetime_complete\":{}", time(trial.datetime_complete()));
    }
    let distributions: Vec<String> = trial
        .params
        .distributions()
        .map(|(name, d)| format!("{}:{}", string(name), string(&distribution_json(d))))
        .collect();
    let params: Vec<String> = trial
        .params
        .iter()
        .map(|(name, v)| format!("{}:{}", string(name), number(v)))
        .collect();
    out += &format!(
        ",\"distributions\":{{{}}},\"params\":{{{}}},\"user_attrs\":{}",
        distributions.join(","),
        params.join(","),
        value(&json!(trial.user_attrs))
    );
    let mut system = Vec::new();
    if let Some(c) = &trial.constraints {
        system.push(format!("\"constraints\":{}", list(c)));
    }
    if let Some(cost) = trial.cost() {
        system.push(format!("\"edgetune:cost\":{}", number(cost)));
    }
    if !trial.step_costs.is_empty() {
        let steps: Vec<String> = trial
            .step_costs
            .iter()
            .map(|(s, c)| format!("\"{s}\":{}", number(*c)))
            .collect();
        system.push(format!("\"edgetune:step_costs\":{{{}}}", steps.join(",")));
    }
    if let Some(reason) = &trial.fail_reason {
        system.push(format!("\"edgetune:fail_reason\":{}", string(reason)));
    }
    if trial.state == TrialState::Waiting {
        let fixed: BTreeMap<&String, &ParamValue> = trial.fixed_params.iter().collect();
        system.push(format!("\"fixed_params\":{}", value(&json!(fixed))));
    }
    let steps: Vec<String> = trial
        .intermediate_values
        .iter()
        .map(|(s, v)| format!("\"{s}\":{}", number(*v)))
        .collect();
    out += &format!(
        ",\"system_attrs\":{{{}}},\"intermediate_values\":{{{}}}}}",
        system.join(","),
        steps.join(",")
    );
    out
}
