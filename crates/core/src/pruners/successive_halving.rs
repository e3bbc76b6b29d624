//! Optuna's `SuccessiveHalvingPruner`: asynchronous successive halving (ASHA).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::pruners::{f64_value, value_f64, Pruner, Pruning, Record};
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

/// `"auto"`, or a number of steps.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Resource {
    /// A number of steps.
    Steps(u64),
    /// Estimated from the completed trials.
    Auto(Auto),
}

/// The `"auto"` marker.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Auto {
    /// `"auto"`.
    Auto,
}

/// Options of successive halving, with Optuna's defaults.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SuccessiveHalvingOptions {
    /// Steps of the first rung; `"auto"` estimates it as 1% of the longest completed
    /// trial, once, when a trial first completes (the default).
    pub min_resource: Resource,
    /// Keep the best 1/`reduction_factor` at each rung (4).
    pub reduction_factor: u64,
    /// Skip this many rungs (0).
    pub min_early_stopping_rate: u32,
    /// Prune while at most this many trials reached a rung (0).
    pub bootstrap_count: usize,
}

impl Default for SuccessiveHalvingOptions {
    fn default() -> Self {
        SuccessiveHalvingOptions {
            min_resource: Resource::Auto(Auto::Auto),
            reduction_factor: 4,
            min_early_stopping_rate: 0,
            bootstrap_count: 0,
        }
    }
}

impl SuccessiveHalvingOptions {
    /// Checks the options.
    pub fn validated(self) -> Result<Self> {
        if self.min_resource == Resource::Steps(0) {
            return Err(Error::config(
                "min_resource",
                "must be at least 1 or \"auto\"",
            ));
        }
        if self.reduction_factor < 2 {
            return Err(Error::config("reduction_factor", "must be at least 2"));
        }
        if self.bootstrap_count > 0 && matches!(self.min_resource, Resource::Auto(_)) {
            return Err(Error::config(
                "bootstrap_count",
                "bootstrap_count > 0 needs an explicit min_resource",
            ));
        }
        Ok(self)
    }
}

/// Asynchronous successive halving. Each time a trial reaches a rung's step, its value
/// is recorded for that rung; it is promoted when it is among the best
/// 1/`reduction_factor` of the values recorded at that rung so far.
///
/// Cost of a check: O(n) per rung crossed, plus sorting the rung's values.
#[derive(Clone, Debug)]
pub struct SuccessiveHalvingPruner {
    options: SuccessiveHalvingOptions,
}

impl SuccessiveHalvingPruner {
    /// A successive halving pruner.
    pub fn new(options: SuccessiveHalvingOptions) -> Self {
        SuccessiveHalvingPruner { options }
    }
}

/// Where the estimated `min_resource` is kept (a study system attribute).
const MIN_RESOURCE_KEY: &str = "successive_halving:min_resource";

fn rung_key(rung: u32) -> String {
    format!("completed_rung_{rung}")
}

/// The shared successive-halving step, for trials selected by `member` (all of them,
/// or one Hyperband bracket).
pub(crate) fn prune_sha(
    view: &StudyView<'_>,
    trial: &FrozenTrial,
    min_resource: Option<u64>,
    reduction_factor: u64,
    min_early_stopping_rate: u32,
    bootstrap_count: usize,
    member: &dyn Fn(&FrozenTrial) -> bool,
) -> Pruning {
    let Some(step) = trial.last_step() else {
        return Pruning::keep();
    };
    let mut records = Vec::new();
    let min_resource = match min_resource {
        Some(r) => r,
        None => match view
            .system_attrs
            .get(MIN_RESOURCE_KEY)
            .and_then(Value::as_u64)
        {
            Some(r) => r,
            None => {
                let longest = view
                    .trials
                    .iter()
                    .filter(|t| t.state == TrialState::Complete && member(t))
                    .filter_map(FrozenTrial::last_step)
                    .max();
                let Some(longest) = longest else {
                    return Pruning::keep();
                };
                let r = (longest / 100).max(1);
                records.push(Record {
                    trial: None,
                    key: MIN_RESOURCE_KEY.into(),
                    value: r.into(),
                });
                r
            }
        },
    };
    let mut rung = (0..)
        .find(|r| !trial.system_attrs.contains_key(&rung_key(*r)))
        .unwrap_or(0);
    let value = trial.intermediate_values[&step];
    let direction = view.directions[0];
    loop {
        let promotion_step = reduction_factor
            .checked_pow(min_early_stopping_rate + rung)
            .and_then(|f| f.checked_mul(min_resource))
            .unwrap_or(u64::MAX);
        if step < promotion_step {
            return Pruning {
                prune: false,
                records,
            };
        }
        if value.is_nan() {
            return Pruning {
                prune: true,
                records,
            };
        }
        let key = rung_key(rung);
        let mut competing: Vec<f64> = view
            .trials
            .iter()
            .filter(|t| member(t))
            .filter_map(|t| t.system_attrs.get(&key).and_then(value_f64))
            .collect();
        competing.push(value);
        records.push(Record {
            trial: Some(trial.number),
            key,
            value: f64_value(value),
        });
        if competing.len() <= bootstrap_count
            || !promotable(value, &mut competing, reduction_factor, direction)
        {
            return Pruning {
                prune: true,
                records,
            };
        }
        rung += 1;
    }
}

fn promotable(
    value: f64,
    competing: &mut [f64],
    reduction_factor: u64,
    direction: Direction,
) -> bool {
    let idx = (competing.len() / reduction_factor as usize).saturating_sub(1);
    crate::sort::sort_by(competing, f64::total_cmp);
    match direction {
        Direction::Maximize => value >= competing[competing.len() - 1 - idx],
        Direction::Minimize => value <= competing[idx],
    }
}

impl Pruner for SuccessiveHalvingPruner {
    fn prune(&self, view: &StudyView<'_>, trial: &FrozenTrial) -> Pruning {
        let o = &self.options;
        let min_resource = match o.min_resource {
            Resource::Steps(r) => Some(r),
            Resource::Auto(_) => None,
        };
        prune_sha(
            view,
            trial,
            min_resource,
            o.reduction_factor,
            o.min_early_stopping_rate,
            o.bootstrap_count,
            &|_| true,
        )
    }
}

impl crate::pruners::PrunerKind for SuccessiveHalvingOptions {
    fn build(&self) -> Box<dyn crate::pruners::Pruner> {
        Box::new(SuccessiveHalvingPruner::new(self.clone()))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}
