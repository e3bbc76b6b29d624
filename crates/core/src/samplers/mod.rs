//! Samplers: how a study picks parameter values.
//!
//! A sampler is shaped like Optuna's `BaseSampler`. At ask time the study calls
//! [`Sampler::infer_relative_search_space`] and [`Sampler::sample_relative`] to draw
//! parameters jointly; every parameter outside that space is drawn by
//! [`Sampler::sample_independent`] when the trial suggests it. Samplers only read the
//! study through a [`StudyView`] and draw randomness from the RNG they are given.

mod brute_force;
mod cmaes;
pub(crate) mod cost;
pub(crate) mod gp;
mod grid;
mod nsga;
pub(crate) mod qmc;
mod random;
pub(crate) mod tpe;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use brute_force::{BruteForceOptions, BruteForceSampler};
pub use cmaes::{CmaEsOptions, CmaEsSampler, RestartStrategy, SourceTrial};
pub use gp::{GpOptions, GpSampler};
pub use grid::{GridOptions, GridSampler, MAX_GRID_POINTS};
pub use nsga::{Nsga2Options, Nsga3Options, NsgaSampler};
pub use qmc::{QmcOptions, QmcSampler, QmcType};
pub(crate) use random::draw_uniform;
pub use random::{RandomOptions, RandomSampler};
pub use tpe::{TpeOptions, TpeSampler};

use crate::distributions::{Distribution, SearchSpace};
use crate::error::Result;
use crate::rng::Rng;
use crate::trial::FrozenTrial;
use crate::view::StudyView;

/// The sampler interface, shaped like Optuna's `BaseSampler`.
pub trait Sampler: Send {
    /// The space to sample jointly for `trial`. Empty by default (independent only).
    fn infer_relative_search_space(
        &mut self,
        _view: &StudyView<'_>,
        _trial: &FrozenTrial,
    ) -> SearchSpace {
        SearchSpace::default()
    }

    /// Internal values for the parameters of `space`, drawn jointly, with the
    /// bookkeeping to store beside them. Called at every ask, even when `space` is
    /// empty, so a sampler can record per-trial state (a grid point, a generation).
    /// An error stops the ask and nothing is stored.
    fn sample_relative(
        &mut self,
        _view: &StudyView<'_>,
        _trial: &FrozenTrial,
        _space: &SearchSpace,
        _rng: &mut Rng,
    ) -> Result<Relative> {
        Ok(Relative::default())
    }

    /// One internal value of `distribution` for parameter `name`. The value must lie
    /// in the distribution (the study checks, and treats a stray value as a bug).
    /// Uniform random by default, as Optuna samplers' default independent sampler.
    fn sample_independent(
        &mut self,
        _view: &StudyView<'_>,
        _trial: &FrozenTrial,
        _name: &str,
        distribution: &Distribution,
        rng: &mut Rng,
    ) -> Result<f64> {
        Ok(draw_uniform(distribution, rng))
    }

    /// A hint before a replay: the study will hold `trials` trials, so a sampler that
    /// keeps an entry per trial can make room for them at once instead of growing.
    fn reserve(&mut self, _trials: usize) {}

    /// Called after a trial finished, with the trial as stored.
    fn after_trial(&mut self, _view: &StudyView<'_>, _trial: &FrozenTrial) {}

    /// Called when a finished trial leaves the study's history window, before the
    /// study rebuilds the sampler over the trials left in memory: the sampler keeps
    /// what it must know of every trial (the grid's visited points), in its memory.
    fn archive(&mut self, _trial: &FrozenTrial) {}

    /// What the sampler knows of trials that are no longer in memory, carried into
    /// each rebuild and into snapshots. None for samplers that need nothing.
    fn memory(&self) -> Option<Value> {
        None
    }

    /// Takes back a [`Sampler::memory`], before any trial is fed to a rebuilt sampler.
    fn recall(&mut self, _memory: Value) -> Result<()> {
        Ok(())
    }
}

/// What a sampler decided at ask time. It is stored in the trial's `asked` event, so
/// a replayed study holds the same values and bookkeeping without asking again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Relative {
    /// Internal values of the relative parameters, by name.
    pub values: BTreeMap<String, f64>,
    /// System attributes of the new trial (such as its grid point or generation).
    pub trial_attrs: BTreeMap<String, Value>,
    /// System attributes of the study to set (such as a sequence index).
    pub study_attrs: BTreeMap<String, Value>,
}

impl Relative {
    /// Only parameter values, no bookkeeping.
    pub fn values(values: BTreeMap<String, f64>) -> Self {
        Relative {
            values,
            ..Relative::default()
        }
    }
}

/// What a sampler's options know: how to check themselves and how to build the
/// sampler. Each sampler implements it for its options type, in its own file.
pub trait SamplerKind: Sized {
    /// Builds the sampler (from checked options) for a study with this seed.
    fn build(&self, seed: u64) -> Box<dyn Sampler>;

    /// Checks the options; errors name the option itself.
    fn checked(self) -> Result<Self> {
        Ok(self)
    }
}

/// The sampler registry: one row per sampler, giving its variant and options type, its
/// name, the other names it answers to (Optuna's class name first) and whether it
/// optimizes several objectives. The enum, its serde names, [`SamplerConfig::NAMES`],
/// `name`, `build` and validation all come from these rows.
macro_rules! sampler_registry {
    ($(
        $(#[$meta:meta])*
        $variant:ident($options:ty) = $name:literal $(| $alias:literal)*, multi_objective: $multi:literal;
    )*) => {
        /// Which sampler a study uses, with its options. Serialized as
        /// `{"type": "random", ...options}`; Optuna's class names are accepted as aliases.
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "type", deny_unknown_fields)]
        #[non_exhaustive]
        pub enum SamplerConfig {
            $(
                $(#[$meta])*
                #[serde(rename = $name $(, alias = $alias)*)]
                $variant($options),
            )*
        }

        impl SamplerConfig {
            /// Every sampler's name, with the other names it answers to.
            pub const NAMES: &'static [(&'static str, &'static [&'static str])] =
                &[$(($name, &[$($alias),*])),*];

            /// The canonical name, such as `random`.
            pub fn name(&self) -> &'static str {
                match self {
                    $(SamplerConfig::$variant(_) => $name,)*
                }
            }

            /// False for samplers of one objective only (CMA-ES).
            pub fn supports_multi_objective(&self) -> bool {
                match self {
                    $(SamplerConfig::$variant(_) => $multi,)*
                }
            }

            /// Builds the sampler for a study with this seed.
            pub fn build(&self, seed: u64) -> Box<dyn Sampler> {
                match self {
                    $(SamplerConfig::$variant(options) => options.build(seed),)*
                }
            }

            /// Checks the options; errors name the option itself.
            fn checked(self) -> Result<Self> {
                match self {
                    $(SamplerConfig::$variant(options) => {
                        options.checked().map(SamplerConfig::$variant)
                    })*
                }
            }
        }
    };
}

sampler_registry! {
    /// Uniform random sampling ([`RandomSampler`]).
    Random(RandomOptions) = "random" | "RandomSampler", multi_objective: true;
    /// The Tree-structured Parzen Estimator ([`TpeSampler`]).
    Tpe(TpeOptions) = "tpe" | "TPESampler", multi_objective: true;
    /// Quasi-Monte Carlo: Sobol' or Halton points ([`QmcSampler`]).
    Qmc(QmcOptions) = "qmc" | "QMCSampler", multi_objective: true;
    /// The genetic algorithm NSGA-II ([`NsgaSampler::nsga2`]).
    Nsga2(Nsga2Options) = "nsga2" | "NSGAIISampler" | "nsgaii", multi_objective: true;
    /// The genetic algorithm NSGA-III ([`NsgaSampler::nsga3`]).
    Nsga3(Nsga3Options) = "nsga3" | "NSGAIIISampler" | "nsgaiii", multi_objective: true;
    /// Gaussian-process Bayesian optimisation ([`GpSampler`]).
    Gp(GpOptions) = "gp" | "GPSampler", multi_objective: true;
    /// CMA-ES ([`CmaEsSampler`]).
    Cmaes(CmaEsOptions) = "cmaes" | "CmaEsSampler" | "cma_es" | "cma", multi_objective: false;
    /// Every combination of a finite define-by-run space ([`BruteForceSampler`]).
    BruteForce(BruteForceOptions) = "brute_force" | "BruteForceSampler", multi_objective: true;
    /// Every combination of given values ([`GridSampler`]).
    Grid(GridOptions) = "grid" | "GridSampler", multi_objective: true;
}

/// TPE with Optuna's defaults, as Optuna's own default sampler.
impl Default for SamplerConfig {
    fn default() -> Self {
        SamplerConfig::Tpe(TpeOptions::default())
    }
}

impl SamplerConfig {
    /// The random sampler.
    pub fn random() -> Self {
        SamplerConfig::Random(RandomOptions {})
    }

    /// Checks the options; errors name the option under `sampler`.
    pub fn validated(self) -> Result<Self> {
        self.checked().map_err(|e| e.within("sampler"))
    }

    /// Parses a sampler given by name (`"random"`, `"RandomSampler"`) or as an object
    /// `{"type": ..., "seed": ..., ...options}`. Returns the config and the seed, if
    /// one was given. Errors name the `sampler` field.
    pub fn parse(value: &Value) -> Result<(SamplerConfig, Option<u64>)> {
        crate::tagged::parse_tagged(value, "sampler")
    }
}
