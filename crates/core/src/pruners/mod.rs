//! Pruners: whether a running trial should stop early, with Optuna 5's semantics.
//!
//! A pruner only reads the study. Pruners that keep bookkeeping (successive halving's
//! rung values, the resources they estimate once) return it as records in
//! [`Pruning`]; the study stores them as system attributes through its journal, so a
//! replayed study prunes exactly as the live one.
//!
//! Steps reported twice keep their first value (Optuna's behaviour); steps may arrive
//! out of order, and every pruner reads the largest step as the current one. NaN
//! intermediate values are handled as Optuna does, per pruner.

mod hyperband;
mod nop;
mod patient;
mod percentile;
mod successive_halving;
mod threshold;
mod wilcoxon;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use hyperband::{HyperbandOptions, HyperbandPruner};
pub use nop::{NoneOptions, NopPruner};
pub use patient::{PatientOptions, PatientPruner};
pub use percentile::{MedianOptions, PercentileOptions, PercentilePruner};
pub use successive_halving::{SuccessiveHalvingOptions, SuccessiveHalvingPruner};
pub use threshold::{ThresholdOptions, ThresholdPruner};
pub use wilcoxon::{WilcoxonOptions, WilcoxonPruner};

use crate::error::{Error, Result};
use crate::trial::FrozenTrial;
use crate::view::StudyView;

/// A system attribute a pruner asks the study to store.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The trial it belongs to, or none for the study.
    pub trial: Option<u64>,
    /// The key.
    pub key: String,
    /// The value.
    pub value: Value,
}

/// A pruner's answer: whether to prune, and what to record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pruning {
    /// True to prune the trial now.
    pub prune: bool,
    /// System attributes to store.
    pub records: Vec<Record>,
}

impl Pruning {
    /// Keep the trial, record nothing.
    pub fn keep() -> Self {
        Pruning::default()
    }

    /// `prune`, recording nothing.
    pub fn decide(prune: bool) -> Self {
        Pruning {
            prune,
            records: Vec::new(),
        }
    }
}

/// The pruner interface, shaped like Optuna's `BasePruner`.
pub trait Pruner: Send {
    /// Whether `trial`, given its intermediate values so far, should be pruned.
    fn prune(&self, view: &StudyView<'_>, trial: &FrozenTrial) -> Pruning;
}

/// What a pruner's options know: how to check themselves and how to build the pruner.
/// Each pruner implements it for its options type, in its own file.
pub trait PrunerKind: Sized {
    /// Builds the pruner (from checked options).
    fn build(&self) -> Box<dyn Pruner>;

    /// Checks the options; errors name the option itself.
    fn checked(self) -> Result<Self> {
        Ok(self)
    }
}

/// The pruner registry: one row per pruner, giving its variant and options type, its
/// name and the other names it answers to (Optuna's class name first). The enum, its
/// serde names, [`PrunerConfig::NAMES`], `name`, `build` and validation all come from
/// these rows.
macro_rules! pruner_registry {
    ($(
        $(#[$meta:meta])*
        $variant:ident($options:ty) = $name:literal $(| $alias:literal)*;
    )*) => {
        /// Which pruner a study uses, with its options. Serialized as
        /// `{"type": "median", ...}`; Optuna's class names are accepted as aliases.
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "type", deny_unknown_fields)]
        #[non_exhaustive]
        pub enum PrunerConfig {
            $(
                $(#[$meta])*
                #[serde(rename = $name $(, alias = $alias)*)]
                $variant($options),
            )*
        }

        impl PrunerConfig {
            /// Every pruner's name, with the other names it answers to.
            pub const NAMES: &'static [(&'static str, &'static [&'static str])] =
                &[$(($name, &[$($alias),*])),*];

            /// The canonical name, such as `median`.
            pub fn name(&self) -> &'static str {
                match self {
                    $(PrunerConfig::$variant(_) => $name,)*
                }
            }

            /// Builds the pruner (from a validated config).
            pub fn build(&self) -> Box<dyn Pruner> {
                match self {
                    $(PrunerConfig::$variant(options) => options.build(),)*
                }
            }

            /// Checks the options; errors name the option itself.
            pub(crate) fn checked(self) -> Result<Self> {
                match self {
                    $(PrunerConfig::$variant(options) => {
                        options.checked().map(PrunerConfig::$variant)
                    })*
                }
            }
        }
    };
}

pruner_registry! {
    /// Never prunes ([`NopPruner`]).
    None(NoneOptions) = "none" | "NopPruner" | "nop";
    /// Prunes below the median of finished trials at the same step.
    Median(MedianOptions) = "median" | "MedianPruner";
    /// Prunes outside the best `percentile` of finished trials at the same step.
    Percentile(PercentileOptions) = "percentile" | "PercentilePruner";
    /// Asynchronous successive halving (ASHA).
    SuccessiveHalving(SuccessiveHalvingOptions) = "successive_halving" | "SuccessiveHalvingPruner" | "asha";
    /// Hyperband: successive halving in several brackets.
    Hyperband(HyperbandOptions) = "hyperband" | "HyperbandPruner";
    /// Prunes outside fixed bounds.
    Threshold(ThresholdOptions) = "threshold" | "ThresholdPruner";
    /// Prunes after `patience` steps without improvement (optionally asking another pruner).
    Patient(PatientOptions) = "patient" | "PatientPruner";
    /// Prunes by a Wilcoxon signed-rank test against the best trial.
    Wilcoxon(WilcoxonOptions) = "wilcoxon" | "WilcoxonPruner";
}

impl Default for PrunerConfig {
    fn default() -> Self {
        PrunerConfig::none()
    }
}

impl PrunerConfig {
    /// The pruner that never prunes.
    pub fn none() -> Self {
        PrunerConfig::None(NoneOptions {})
    }

    /// Checks the options; errors name the option under `pruner`.
    pub fn validated(self) -> Result<Self> {
        self.checked().map_err(|e| e.within("pruner"))
    }

    /// Parses a pruner given by name (`"median"`, `"MedianPruner"`) or as an object
    /// `{"type": ..., ...options}`. Errors name the `pruner` field.
    pub fn parse(value: &Value) -> Result<PrunerConfig> {
        let (config, seed): (PrunerConfig, _) = crate::tagged::parse_tagged(value, "pruner")?;
        if seed.is_some() {
            return Err(Error::config("pruner.seed", "pruners take no seed"));
        }
        config.validated()
    }
}

/// Optuna's `_is_first_in_interval_step`: true when `step` is the first reported step
/// at or after the latest pruning check point.
pub(crate) fn is_first_in_interval_step(
    step: u64,
    trial: &FrozenTrial,
    n_warmup_steps: u64,
    interval_steps: u64,
) -> bool {
    let nearest_lower = (step - n_warmup_steps) / interval_steps * interval_steps + n_warmup_steps;
    let second_last = trial
        .intermediate_values
        .keys()
        .filter(|s| **s != step)
        .max()
        .map_or(-1, |s| *s as i128);
    second_last < nearest_lower as i128
}

/// A JSON value for an f64 that may be infinite.
pub(crate) fn f64_value(v: f64) -> Value {
    crate::json_f64::JsonF64(v).to_value()
}

/// The f64 of a value written by [`f64_value`].
pub(crate) fn value_f64(v: &Value) -> Option<f64> {
    crate::json_f64::JsonF64::from_value(v).map(|x| x.0)
}
