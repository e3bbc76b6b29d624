//! Optuna's `ThresholdPruner`.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::pruners::{is_first_in_interval_step, Pruner, Pruning};
use crate::trial::FrozenTrial;
use crate::view::StudyView;

/// Options of the threshold pruner: at least one of `lower` and `upper`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdOptions {
    /// Prune below this value.
    #[serde(default)]
    pub lower: Option<f64>,
    /// Prune above this value.
    #[serde(default)]
    pub upper: Option<f64>,
    /// No pruning before this step (0).
    #[serde(default)]
    pub n_warmup_steps: u64,
    /// Check every this many steps after the warmup (1).
    #[serde(default = "one")]
    pub interval_steps: u64,
}

fn one() -> u64 {
    1
}

impl ThresholdOptions {
    /// Checks the options.
    pub fn validated(self) -> Result<Self> {
        if self.lower.is_none() && self.upper.is_none() {
            return Err(Error::config("lower", "give lower, upper or both"));
        }
        for (field, v) in [("lower", self.lower), ("upper", self.upper)] {
            if v.is_some_and(f64::is_nan) {
                return Err(Error::config(field, "must be a number"));
            }
        }
        if let (Some(l), Some(u)) = (self.lower, self.upper) {
            if l > u {
                return Err(Error::config("lower", "must not be larger than upper"));
            }
        }
        if self.interval_steps < 1 {
            return Err(Error::config("interval_steps", "must be at least 1"));
        }
        Ok(self)
    }
}

/// Prunes when the latest intermediate value is NaN or outside `[lower, upper]`.
/// Cost of a check: O(number of reported steps).
#[derive(Clone, Debug)]
pub struct ThresholdPruner {
    options: ThresholdOptions,
}

impl ThresholdPruner {
    /// A threshold pruner.
    pub fn new(options: ThresholdOptions) -> Self {
        ThresholdPruner { options }
    }
}

impl Pruner for ThresholdPruner {
    fn prune(&self, _view: &StudyView<'_>, trial: &FrozenTrial) -> Pruning {
        let o = &self.options;
        let Some(step) = trial.last_step() else {
            return Pruning::keep();
        };
        if step < o.n_warmup_steps
            || !is_first_in_interval_step(step, trial, o.n_warmup_steps, o.interval_steps)
        {
            return Pruning::keep();
        }
        let latest = trial.intermediate_values[&step];
        Pruning::decide(
            latest.is_nan()
                || latest < o.lower.unwrap_or(f64::NEG_INFINITY)
                || latest > o.upper.unwrap_or(f64::INFINITY),
        )
    }
}

impl crate::pruners::PrunerKind for ThresholdOptions {
    fn build(&self) -> Box<dyn crate::pruners::Pruner> {
        Box::new(ThresholdPruner::new(self.clone()))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}
