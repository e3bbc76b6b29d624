//! Optuna's `PatientPruner`.

use serde::{Deserialize, Serialize};

use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::pruners::{Pruner, PrunerConfig, Pruning};
use crate::trial::FrozenTrial;
use crate::view::StudyView;

/// Options of the patient pruner.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientOptions {
    /// Steps without improvement tolerated. Required.
    pub patience: u64,
    /// The least change that counts as an improvement (0).
    #[serde(default)]
    pub min_delta: f64,
    /// The pruner asked once patience ran out; none prunes directly.
    #[serde(default)]
    pub wrapped_pruner: Option<Box<PrunerConfig>>,
}

impl PatientOptions {
    /// Checks the options.
    pub fn validated(mut self) -> Result<Self> {
        if self.min_delta.is_nan() || self.min_delta < 0.0 {
            return Err(Error::config("min_delta", "must be a number >= 0"));
        }
        if let Some(inner) = self.wrapped_pruner.take() {
            let inner = inner.checked().map_err(|e| e.within("wrapped_pruner"))?;
            self.wrapped_pruner = Some(Box::new(inner));
        }
        Ok(self)
    }
}

/// Prunes when the best of the last `patience + 1` steps is no better than the best
/// before them by `min_delta` (then asks the wrapped pruner, if any).
pub struct PatientPruner {
    options: PatientOptions,
    wrapped: Option<Box<dyn Pruner>>,
}

impl PatientPruner {
    /// A patient pruner.
    pub fn new(options: PatientOptions) -> Self {
        let wrapped = options.wrapped_pruner.as_ref().map(|p| p.build());
        PatientPruner { options, wrapped }
    }
}

fn nan_min(values: &[f64]) -> f64 {
    values
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .fold(f64::NAN, |m, v| if m.is_nan() || v < m { v } else { m })
}

fn nan_max(values: &[f64]) -> f64 {
    values
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .fold(f64::NAN, |m, v| if m.is_nan() || v > m { v } else { m })
}

impl Pruner for PatientPruner {
    fn prune(&self, view: &StudyView<'_>, trial: &FrozenTrial) -> Pruning {
        let patience = self.options.patience as usize;
        let values: Vec<f64> = trial.intermediate_values.values().copied().collect();
        if values.len() <= patience + 1 {
            return Pruning::keep();
        }
        let (before, after) = values.split_at(values.len() - patience - 1);
        let delta = self.options.min_delta;
        // Comparisons with NaN are false, as NumPy's.
        let maybe_prune = match view.directions[0] {
            Direction::Minimize => nan_min(before) + delta < nan_min(after),
            Direction::Maximize => nan_max(before) - delta > nan_max(after),
        };
        if !maybe_prune {
            return Pruning::keep();
        }
        match &self.wrapped {
            Some(inner) => inner.prune(view, trial),
            None => Pruning::decide(true),
        }
    }
}

impl std::fmt::Debug for PatientPruner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatientPruner")
            .field("options", &self.options)
            .finish()
    }
}

impl crate::pruners::PrunerKind for PatientOptions {
    fn build(&self) -> Box<dyn crate::pruners::Pruner> {
        Box::new(PatientPruner::new(self.clone()))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}
