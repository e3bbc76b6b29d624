//! The JSON shapes of the HTTP API (snake_case, as the seed services' clients expect).

use edgetune_core::{FrozenTrial, Study, TrialState};
use serde_json::{json, Map, Value};

use crate::http::iso;

fn time(ms: Option<f64>) -> Value {
    ms.map(|ms| Value::String(iso(ms))).unwrap_or(Value::Null)
}

/// A trial: number, state, value(s), params, distributions, intermediate values,
/// user attributes and times.
pub fn trial(t: &FrozenTrial) -> Value {
    let r = t.to_record();
    json!({
        "number": r.number,
        "trial_id": r.number,
        "state": r.state,
        "value": r.value,
        "values": r.values,
        "params": r.params,
        "distributions": r.distributions,
        "intermediate_values": r.intermediate_values,
        "user_attrs": r.user_attrs,
        "constraints": r.constraints,
        "fail_reason": r.fail_reason,
        "datetime_start": time(r.datetime_start),
        "datetime_complete": time(r.datetime_complete),
    })
}

/// A study: its configuration, counts by state, best trial and last activity. O(n).
pub fn study(s: &Study) -> Value {
    let c = s.config();
    let counts: Map<String, Value> = TrialState::ALL
        .iter()
        .map(|state| (state.as_str().to_string(), json!(s.count(*state))))
        .collect();
    let best = s.best_trial().ok().map(trial).unwrap_or(Value::Null);
    // The latest start or finish of any trial, else the creation.
    let last_activity = s
        .trials()
        .iter()
        .flat_map(|t| [t.datetime_start, t.datetime_complete])
        .flatten()
        .chain(s.created_at())
        .reduce(f64::max);
    let mut view = json!({
        "study_name": c.name,
        "directions": c.directions,
        "sampler": c.sampler,
        "pruner": c.pruner,
        "seed": c.seed,
        "search_space": c.search_space,
        "metadata": c.metadata,
        "user_attrs": s.user_attrs(),
        "n_trials": s.trials().len(),
        "trial_counts": counts,
        "best_trial": best,
        "created_at": time(s.created_at()),
        "last_activity": time(last_activity),
    });
    if let [direction] = c.directions.as_slice() {
        view["direction"] = json!(direction);
    }
    view
}
