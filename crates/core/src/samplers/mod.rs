//! Samplers: how a study picks parameter values.
//!
//! A sampler is shaped like Optuna's `BaseSampler`. At ask time the study calls
//! [`Sampler::infer_relative_search_space`] and [`Sampler::sample_relative`] to draw
//! parameters jointly; every parameter outside that space is drawn by
//! [`Sampler::sample_independent`] when the trial suggests it. Samplers only read the
//! study through a [`StudyView`] and draw randomness from the RNG they are given.

mod random;
pub(crate) mod tpe;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

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

    /// Internal values for the parameters of `space`, drawn jointly.
    fn sample_relative(
        &mut self,
        _view: &StudyView<'_>,
        _trial: &FrozenTrial,
        _space: &SearchSpace,
        _rng: &mut Rng,
    ) -> BTreeMap<String, f64> {
        BTreeMap::new()
    }

    /// One internal value of `distribution` for parameter `name`. The value must lie
    /// in the distribution (the study checks, and treats a stray value as a bug).
    fn sample_independent(
        &mut self,
        view: &StudyView<'_>,
        trial: &FrozenTrial,
        name: &str,
        distribution: &Distribution,
        rng: &mut Rng,
    ) -> f64;

    /// Called after a trial finished, with the trial as stored.
    fn after_trial(&mut self, _view: &StudyView<'_>, _trial: &FrozenTrial) {}
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
        }
    }

    /// Builds the sampler.
    pub fn build(&self) -> Box<dyn Sampler> {
        match self {
            SamplerConfig::Random {} => Box::new(RandomSampler::new()),
            SamplerConfig::Tpe(options) => Box::new(TpeSampler::new(options.clone())),
        }
    }

    /// Checks the options; errors name the option under `sampler`.
    pub fn validated(self) -> Result<Self> {
        match self {
            SamplerConfig::Tpe(options) => Ok(SamplerConfig::Tpe(
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
    let config = serde_json::from_value(Value::Object(object)).map_err(|e| {
        let message = e.to_string();
        // Name the option at fault: the type, an unknown option, or a bad value.
        let sub = if message.starts_with("unknown variant") {
            Some("type".to_string())
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
