//! Pruners: whether a running trial should stop early.

mod nop;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use nop::NopPruner;

use crate::error::{Error, Result};
use crate::trial::FrozenTrial;
use crate::view::StudyView;

/// The pruner interface, shaped like Optuna's `BasePruner`.
pub trait Pruner: Send {
    /// True when `trial`, given its intermediate values so far, should be pruned.
    fn prune(&self, view: &StudyView<'_>, trial: &FrozenTrial) -> bool;
}

/// Which pruner a study uses, with its options. Serialized as `{"type": "none"}`;
/// Optuna's class names are accepted as aliases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum PrunerConfig {
    /// Never prunes ([`NopPruner`]).
    #[serde(alias = "NopPruner", alias = "nop")]
    None {},
}

impl Default for PrunerConfig {
    fn default() -> Self {
        PrunerConfig::None {}
    }
}

impl PrunerConfig {
    /// The canonical name, such as `none`.
    pub fn name(&self) -> &'static str {
        match self {
            PrunerConfig::None {} => "none",
        }
    }

    /// Builds the pruner.
    pub fn build(&self) -> Box<dyn Pruner> {
        match self {
            PrunerConfig::None {} => Box::new(NopPruner),
        }
    }

    /// Parses a pruner given by name (`"none"`, `"NopPruner"`) or as an object
    /// `{"type": ..., ...options}`. Errors name the `pruner` field.
    pub fn parse(value: &Value) -> Result<PrunerConfig> {
        let (config, seed) = crate::samplers::parse_tagged(value, "pruner")?;
        if seed.is_some() {
            return Err(Error::config("pruner.seed", "pruners take no seed"));
        }
        Ok(config)
    }
}
