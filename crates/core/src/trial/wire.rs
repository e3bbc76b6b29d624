//! The serde form of a [`FrozenTrial`]: the one snapshots and the Worker's trials table
//! hold, with the parameters as name-keyed maps and the order they were set in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{FrozenTrial, ParamDef, Params, RelativeParam, TrialState};
use crate::distributions::{Distribution, ParamValue};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Trial {
    number: u64,
    state: TrialState,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::json_f64::option_vec"
    )]
    values: Option<Vec<f64>>,
    params: BTreeMap<String, f64>,
    distributions: BTreeMap<String, Distribution>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    param_order: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        with = "crate::json_f64::step_map"
    )]
    intermediate_values: BTreeMap<u64, f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    user_attrs: BTreeMap<String, Value>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    fixed_params: BTreeMap<String, ParamValue>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    relative_params: BTreeMap<String, RelativeParam>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    constraints: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    system_attrs: BTreeMap<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fail_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    datetime_start: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    datetime_complete: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cost: Option<f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    step_costs: BTreeMap<u64, f64>,
    within_budget: bool,
}

impl From<FrozenTrial> for Trial {
    fn from(t: FrozenTrial) -> Trial {
        Trial {
            number: t.number,
            state: t.state,
            values: t.values,
            params: t.params.to_values(),
            distributions: t.params.to_distributions(),
            param_order: t.params.in_order().map(|(n, ..)| n.to_string()).collect(),
            intermediate_values: t.intermediate_values.into_inner(),
            user_attrs: t.user_attrs.into_inner(),
            fixed_params: t.fixed_params.into_inner(),
            relative_params: t.relative_params.into_inner(),
            constraints: t.constraints,
            system_attrs: t.system_attrs.into_inner(),
            fail_reason: t.fail_reason,
            datetime_start: t.datetime_start.get(),
            datetime_complete: t.datetime_complete.get(),
            cost: t.cost.get(),
            step_costs: t.step_costs.into_inner(),
            within_budget: t.within_budget,
        }
    }
}

impl From<Trial> for FrozenTrial {
    /// Parameters go in `param_order` first, then any it does not name, by name; a value
    /// without a distribution is dropped.
    fn from(t: Trial) -> FrozenTrial {
        let mut params = Params::default();
        let named = t.param_order.iter().map(String::as_str);
        for name in named.chain(t.params.keys().map(String::as_str)) {
            if let (Some(&v), Some(d)) = (t.params.get(name), t.distributions.get(name)) {
                params.insert(ParamDef::new(name, d.clone()), v);
            }
        }
        FrozenTrial {
            number: t.number,
            state: t.state,
            within_budget: t.within_budget,
            values: t.values,
            params,
            intermediate_values: t.intermediate_values.into(),
            user_attrs: t.user_attrs.into(),
            fixed_params: t.fixed_params.into(),
            relative_params: t.relative_params.into(),
            constraints: t.constraints,
            system_attrs: t.system_attrs.into(),
            fail_reason: t.fail_reason,
            datetime_start: t.datetime_start.into(),
            datetime_complete: t.datetime_complete.into(),
            cost: t.cost.into(),
            step_costs: t.step_costs.into(),
        }
    }
}
