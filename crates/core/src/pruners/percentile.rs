//! Optuna's `PercentilePruner` and `MedianPruner` (the 50th percentile).

use serde::{Deserialize, Serialize};

use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::pruners::{is_first_in_interval_step, Pruner, Pruning};
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

/// Options of the median pruner, with Optuna's defaults.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MedianOptions {
    /// No pruning until this many trials completed (5).
    pub n_startup_trials: usize,
    /// No pruning before this step (0).
    pub n_warmup_steps: u64,
    /// Check every this many steps after the warmup (1).
    pub interval_steps: u64,
    /// Values of at least this many completed trials at the step are needed (1).
    pub n_min_trials: usize,
}

impl Default for MedianOptions {
    fn default() -> Self {
        MedianOptions {
            n_startup_trials: 5,
            n_warmup_steps: 0,
            interval_steps: 1,
            n_min_trials: 1,
        }
    }
}

impl MedianOptions {
    /// Checks the options.
    pub fn validated(self) -> Result<Self> {
        check_common(self.interval_steps, self.n_min_trials)?;
        Ok(self)
    }
}

/// Options of the percentile pruner, with Optuna's defaults.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PercentileOptions {
    /// Keep the best `percentile` percent (0 to 100). Required.
    pub percentile: f64,
    /// No pruning until this many trials completed (5).
    #[serde(default = "five")]
    pub n_startup_trials: usize,
    /// No pruning before this step (0).
    #[serde(default)]
    pub n_warmup_steps: u64,
    /// Check every this many steps after the warmup (1).
    #[serde(default = "one")]
    pub interval_steps: u64,
    /// Values of at least this many completed trials at the step are needed (1).
    #[serde(default = "one_usize")]
    pub n_min_trials: usize,
}

fn five() -> usize {
    5
}
fn one() -> u64 {
    1
}
fn one_usize() -> usize {
    1
}

impl PercentileOptions {
    /// Checks the options.
    pub fn validated(self) -> Result<Self> {
        if !(0.0..=100.0).contains(&self.percentile) {
            return Err(Error::config(
                "percentile",
                format!("must be from 0 to 100, got {}", self.percentile),
            ));
        }
        check_common(self.interval_steps, self.n_min_trials)?;
        Ok(self)
    }
}

fn check_common(interval_steps: u64, n_min_trials: usize) -> Result<()> {
    if interval_steps < 1 {
        return Err(Error::config("interval_steps", "must be at least 1"));
    }
    if n_min_trials < 1 {
        return Err(Error::config("n_min_trials", "must be at least 1"));
    }
    Ok(())
}

/// Prunes a trial whose best intermediate value is worse than the given percentile of
/// the completed trials' values at the same step.
///
/// Cost of a check: O(n) over the trials, plus sorting the values at the step.
#[derive(Clone, Debug)]
pub struct PercentilePruner {
    options: PercentileOptions,
}

impl PercentilePruner {
    /// A percentile pruner.
    pub fn new(options: PercentileOptions) -> Self {
        PercentilePruner { options }
    }

    /// The median pruner.
    pub fn median(o: MedianOptions) -> Self {
        PercentilePruner::new(PercentileOptions {
            percentile: 50.0,
            n_startup_trials: o.n_startup_trials,
            n_warmup_steps: o.n_warmup_steps,
            interval_steps: o.interval_steps,
            n_min_trials: o.n_min_trials,
        })
    }
}

/// NumPy's `nanpercentile` with linear interpolation (its `_lerp`, for equal results).
pub(crate) fn nan_percentile(values: &[f64], percentile: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    crate::sort::sort_by(&mut v, f64::total_cmp);
    let position = percentile / 100.0 * (v.len() - 1) as f64;
    let below = libm::floor(position);
    let t = position - below;
    let lo = below as usize;
    let hi = (lo + 1).min(v.len() - 1);
    let (a, b) = (v[lo], v[hi]);
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

/// The best of a trial's intermediate values (NaN when all are NaN).
pub(crate) fn best_intermediate(trial: &FrozenTrial, direction: Direction) -> f64 {
    let values = trial
        .intermediate_values
        .values()
        .copied()
        .filter(|v| !v.is_nan());
    match direction {
        Direction::Minimize => {
            values.fold(f64::NAN, |m, v| if m.is_nan() || v < m { v } else { m })
        }
        Direction::Maximize => {
            values.fold(f64::NAN, |m, v| if m.is_nan() || v > m { v } else { m })
        }
    }
}

impl Pruner for PercentilePruner {
    fn prune(&self, view: &StudyView<'_>, trial: &FrozenTrial) -> Pruning {
        let o = &self.options;
        let completed: Vec<&FrozenTrial> = view.trials_in(&[TrialState::Complete]).collect();
        if completed.is_empty() || completed.len() < o.n_startup_trials {
            return Pruning::keep();
        }
        let Some(step) = trial.last_step() else {
            return Pruning::keep();
        };
        if step < o.n_warmup_steps
            || !is_first_in_interval_step(step, trial, o.n_warmup_steps, o.interval_steps)
        {
            return Pruning::keep();
        }
        let direction = view.directions[0];
        let best = best_intermediate(trial, direction);
        if best.is_nan() {
            return Pruning::decide(true);
        }
        let at_step: Vec<f64> = completed
            .iter()
            .filter_map(|t| t.intermediate_values.get(&step).copied())
            .collect();
        if at_step.len() < o.n_min_trials {
            return Pruning::keep();
        }
        let percentile = match direction {
            Direction::Minimize => o.percentile,
            Direction::Maximize => 100.0 - o.percentile,
        };
        let p = nan_percentile(&at_step, percentile);
        if p.is_nan() {
            return Pruning::keep();
        }
        Pruning::decide(match direction {
            Direction::Minimize => best > p,
            Direction::Maximize => best < p,
        })
    }
}

impl crate::pruners::PrunerKind for MedianOptions {
    fn build(&self) -> Box<dyn crate::pruners::Pruner> {
        Box::new(PercentilePruner::median(self.clone()))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}

impl crate::pruners::PrunerKind for PercentileOptions {
    fn build(&self) -> Box<dyn crate::pruners::Pruner> {
        Box::new(PercentilePruner::new(self.clone()))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}
