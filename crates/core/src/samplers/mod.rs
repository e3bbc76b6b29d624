//! Samplers: how a study picks parameter values.
//!
//! A sampler is shaped like Optuna's `BaseSampler`. At ask time the study calls
//! [`Sampler::infer_relative_search_space`] and [`Sampler::sample_relative`] to draw
//! parameters jointly; every parameter outside that space is drawn by
//! [`Sampler::sample_independent`] when the trial suggests it. Samplers only read the
//! study through a [`StudyView`] and draw randomness from the RNG they are given.

mod brute_force;
mod cmaes;
mod gp;
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
pub use random::RandomSampler;
pub use tpe::{TpeOptions, TpeSampler};

use crate::distributions::{Distribution, SearchSpace};
use crate::error::{Error, Result};
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

    /// Called after a trial finished, with the trial as stored.
    fn after_trial(&mut self, _view: &StudyView<'_>, _trial: &FrozenTrial) {}
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

/// Which sampler a study uses, with its options. Serialized as
/// `{"type": "random", ...options}`; Optuna's class names are accepted as aliases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum SamplerConfig {
    /// Uniform random sampling ([`RandomSampler`]).
    #[serde(alias = "RandomSampler")]
    Random {},
    /// The Tree-structured Parzen Estimator ([`TpeSampler`]).
    #[serde(alias = "TPESampler")]
    Tpe(TpeOptions),
    /// Quasi-Monte Carlo: Sobol' or Halton points ([`QmcSampler`]).
    #[serde(alias = "QMCSampler")]
    Qmc(QmcOptions),
    /// The genetic algorithm NSGA-II ([`NsgaSampler::nsga2`]).
    #[serde(alias = "NSGAIISampler", alias = "nsgaii")]
    Nsga2(Nsga2Options),
    /// The genetic algorithm NSGA-III ([`NsgaSampler::nsga3`]).
    #[serde(alias = "NSGAIIISampler", alias = "nsgaiii")]
    Nsga3(Nsga3Options),
    /// Gaussian-process Bayesian optimisation ([`GpSampler`]).
    #[serde(alias = "GPSampler")]
    Gp(GpOptions),
    /// CMA-ES ([`CmaEsSampler`]).
    #[serde(alias = "CmaEsSampler", alias = "cma_es", alias = "cma")]
    Cmaes(CmaEsOptions),
    /// Every combination of a finite define-by-run space ([`BruteForceSampler`]).
    #[serde(alias = "BruteForceSampler")]
    BruteForce(BruteForceOptions),
    /// Every combination of given values ([`GridSampler`]).
    #[serde(alias = "GridSampler")]
    Grid(GridOptions),
}

/// TPE with Optuna's defaults, as Optuna's own default sampler.
impl Default for SamplerConfig {
    fn default() -> Self {
        SamplerConfig::Tpe(TpeOptions::default())
    }
}

impl SamplerConfig {
    /// The canonical name, such as `random`.
    pub fn name(&self) -> &'static str {
        match self {
            SamplerConfig::Random {} => "random",
            SamplerConfig::Tpe(_) => "tpe",
            SamplerConfig::Qmc(_) => "qmc",
            SamplerConfig::Gp(_) => "gp",
            SamplerConfig::Cmaes(_) => "cmaes",
            SamplerConfig::Nsga2(_) => "nsga2",
            SamplerConfig::Nsga3(_) => "nsga3",
            SamplerConfig::Grid(_) => "grid",
            SamplerConfig::BruteForce(_) => "brute_force",
        }
    }

    /// False for samplers of one objective only (CMA-ES).
    pub fn supports_multi_objective(&self) -> bool {
        !matches!(self, SamplerConfig::Cmaes(_))
    }

    /// Builds the sampler for a study with this seed.
    pub fn build(&self, seed: u64) -> Box<dyn Sampler> {
        match self {
            SamplerConfig::Random {} => Box::new(RandomSampler::new()),
            SamplerConfig::Tpe(options) => Box::new(TpeSampler::new(options.clone())),
            SamplerConfig::Qmc(options) => Box::new(QmcSampler::new(options.clone(), seed)),
            SamplerConfig::Grid(options) => Box::new(GridSampler::new(options.clone(), seed)),
            SamplerConfig::BruteForce(options) => Box::new(BruteForceSampler::new(options.clone())),
            SamplerConfig::Gp(options) => Box::new(GpSampler::new(options.clone())),
            SamplerConfig::Cmaes(options) => Box::new(CmaEsSampler::new(options.clone())),
            SamplerConfig::Nsga2(options) => Box::new(NsgaSampler::nsga2(options.clone())),
            SamplerConfig::Nsga3(options) => Box::new(NsgaSampler::nsga3(options.clone())),
        }
    }

    /// Checks the options; errors name the option under `sampler`.
    pub fn validated(self) -> Result<Self> {
        match self {
            SamplerConfig::Tpe(options) => Ok(SamplerConfig::Tpe(
                options.validated().map_err(|e| e.within("sampler"))?,
            )),
            SamplerConfig::Gp(options) => Ok(SamplerConfig::Gp(
                options.validated().map_err(|e| e.within("sampler"))?,
            )),
            SamplerConfig::Cmaes(options) => Ok(SamplerConfig::Cmaes(
                options.validated().map_err(|e| e.within("sampler"))?,
            )),
            SamplerConfig::Nsga2(options) => Ok(SamplerConfig::Nsga2(
                options.validated().map_err(|e| e.within("sampler"))?,
            )),
            SamplerConfig::Nsga3(options) => Ok(SamplerConfig::Nsga3(
                options.validated().map_err(|e| e.within("sampler"))?,
            )),
            SamplerConfig::Grid(options) => Ok(SamplerConfig::Grid(
                options.validated().map_err(|e| e.within("sampler"))?,
            )),
            other => Ok(other),
        }
    }

    /// Parses a sampler given by name (`"random"`, `"RandomSampler"`) or as an object
    /// `{"type": ..., "seed": ..., ...options}`. Returns the config and the seed, if
    /// one was given. Errors name the `sampler` field.
    pub fn parse(value: &Value) -> Result<(SamplerConfig, Option<u64>)> {
        parse_tagged(value, "sampler")
    }
}

/// Parses `"name"` or `{"type": "name", "seed"?: u64, ...}` into a tagged config.
pub(crate) fn parse_tagged<T: serde::de::DeserializeOwned>(
    value: &Value,
    field: &str,
) -> Result<(T, Option<u64>)> {
    let mut object = match value {
        Value::String(name) => {
            let mut map = serde_json::Map::new();
            map.insert("type".into(), Value::String(name.clone()));
            map
        }
        Value::Object(map) => map.clone(),
        _ => {
            return Err(Error::config(
                field,
                "must be a name or an object with a \"type\"",
            ))
        }
    };
    let seed = match object.remove("seed") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| {
            Error::config(
                format!("{field}.seed"),
                format!("must be an integer from 0 to 2^64-1, got {v}"),
            )
        })?),
    };
    if !object.contains_key("type") {
        return Err(Error::config(format!("{field}.type"), "missing field"));
    }
    let config = serde_json::from_value(Value::Object(object.clone())).map_err(|e| {
        let message = e.to_string();
        // Name the option at fault: the type, an unknown option, or a bad value.
        let sub = if let Some(rest) = message.strip_prefix("unknown variant `") {
            // The sampler's type, or an option whose value is not one of its names.
            let variant = rest.split('`').next().unwrap_or_default();
            let wanted = Value::String(variant.to_string());
            object
                .iter()
                .find(|(k, v)| **v == wanted && k.as_str() != "type")
                .map(|(k, _)| k.clone())
                .or_else(|| Some("type".to_string()))
        } else {
            message
                .strip_prefix("unknown field `")
                .or_else(|| message.strip_prefix("missing field `"))
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string)
        };
        match sub {
            Some(sub) => Error::config(format!("{field}.{sub}"), message),
            None => Error::config(field, message),
        }
    })?;
    Ok((config, seed))
}
