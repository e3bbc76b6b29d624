//! A study's configuration: name, directions, sampler, pruner, seed, search space.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::direction::Direction;
use crate::distributions::SearchSpace;
use crate::error::{Error, Result};
use crate::pruners::PrunerConfig;
use crate::samplers::SamplerConfig;

/// Everything a study is created with. It is the first event of the journal.
///
/// ```
/// use edgetune_core::{Direction, StudyConfig};
/// let config = StudyConfig::new("demo")
///     .with_directions(vec![Direction::Minimize])
///     .with_seed(42);
/// assert!(config.validated().is_ok());
/// assert!(StudyConfig::new("").validated().is_err());
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyConfig {
    /// The study name.
    pub name: String,
    /// One direction per objective.
    pub directions: Vec<Direction>,
    /// The sampler and its options.
    #[serde(default)]
    pub sampler: SamplerConfig,
    /// The pruner and its options.
    #[serde(default)]
    pub pruner: PrunerConfig,
    /// The seed every random draw derives from.
    #[serde(default)]
    pub seed: u64,
    /// A fixed search space that `ask_with_space` uses, if the study has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_space: Option<SearchSpace>,
    /// Free-form metadata.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, Value>,
}

/// The most objectives a study may have.
pub const MAX_OBJECTIVES: usize = 16;

impl StudyConfig {
    /// A single-objective minimizing study with the TPE sampler, no pruner and seed 0.
    pub fn new(name: impl Into<String>) -> Self {
        StudyConfig {
            name: name.into(),
            directions: vec![Direction::Minimize],
            sampler: SamplerConfig::default(),
            pruner: PrunerConfig::default(),
            seed: 0,
            search_space: None,
            metadata: BTreeMap::new(),
        }
    }

    /// Sets the directions.
    pub fn with_directions(mut self, directions: Vec<Direction>) -> Self {
        self.directions = directions;
        self
    }

    /// Sets the sampler.
    pub fn with_sampler(mut self, sampler: SamplerConfig) -> Self {
        self.sampler = sampler;
        self
    }

    /// Sets the pruner.
    pub fn with_pruner(mut self, pruner: PrunerConfig) -> Self {
        self.pruner = pruner;
        self
    }

    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets a fixed search space.
    pub fn with_search_space(mut self, space: SearchSpace) -> Self {
        self.search_space = Some(space);
        self
    }

    /// Checks every field; returns the config with its search space normalised.
    pub fn validated(mut self) -> Result<Self> {
        validate_study_name(&self.name)?;
        if self.directions.is_empty() {
            return Err(Error::config(
                "directions",
                "must name at least one direction",
            ));
        }
        if self.directions.len() > MAX_OBJECTIVES {
            return Err(Error::config(
                "directions",
                format!("at most {MAX_OBJECTIVES} objectives are supported"),
            ));
        }
        self.sampler = self.sampler.validated()?;
        if self.directions.len() > 1 && !self.sampler.supports_multi_objective() {
            return Err(Error::config(
                "sampler.type",
                format!(
                    "the {} sampler optimizes one objective; use tpe, gp, nsga2, nsga3, qmc, grid or random for {}",
                    self.sampler.name(),
                    self.directions.len()
                ),
            ));
        }
        self.pruner = self.pruner.validated()?;
        if let Some(space) = self.search_space.take() {
            self.search_space = Some(space.validated().map_err(|e| e.within("search_space"))?);
        }
        Ok(self)
    }
}

/// Study names are 1 to 128 bytes of letters, digits and `_ - . :`, so they are safe
/// in URLs and storage keys everywhere.
pub fn validate_study_name(name: &str) -> Result<()> {
    if name.is_empty() || name.len() > 128 {
        return Err(Error::config("name", "must be 1 to 128 characters long"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
    {
        return Err(Error::config(
            "name",
            format!("may hold only letters, digits and _ - . :, found {c:?}"),
        ));
    }
    Ok(())
}
