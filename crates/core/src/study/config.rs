//! A study's configuration: name, directions, sampler, pruner, seed, search space.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::direction::Direction;
use crate::distributions::SearchSpace;
use crate::error::{Error, Result};
use crate::pruners::PrunerConfig;
use crate::samplers::SamplerConfig;
use crate::stopping::StoppingConfig;

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
    /// The most the study may spend on trials, in `cost_unit`: asks are refused once
    /// it is spent, and running trials that would overrun it are pruned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_budget: Option<f64>,
    /// The unit of trial costs and of the budget ("USD", "s", "tokens", ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_unit: Option<String>,
    /// A stopping rule: when it fires, `optimize` stops and the study is converged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopping: Option<StoppingConfig>,
    /// How many of the newest finished trials the sampler and the pruner see, beside
    /// the incumbent and the unfinished trials; older ones leave memory. `0` turns the
    /// window off for good (automations then never set one); absent: no window yet.
    /// See [`MIN_HISTORY_WINDOW`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_window: Option<u64>,
    /// The objectives' names, one per direction. Not part of the journal's creation
    /// event: [`Study::create`](crate::Study::create) sets them as the next event.
    #[serde(skip)]
    pub metric_names: Option<Vec<String>>,
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
            cost_budget: None,
            cost_unit: None,
            stopping: None,
            history_window: None,
            metric_names: None,
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

    /// Sets the cost budget.
    pub fn with_cost_budget(mut self, budget: f64) -> Self {
        self.cost_budget = Some(budget);
        self
    }

    /// Names the objectives, one per direction.
    pub fn with_metric_names(mut self, names: Vec<String>) -> Self {
        self.metric_names = Some(names);
        self
    }

    /// Sets the history window (see [`StudyConfig::history_window`]).
    pub fn with_history_window(mut self, window: u64) -> Self {
        self.history_window = Some(window);
        self
    }

    /// Sets the stopping rule.
    pub fn with_stopping(mut self, stopping: StoppingConfig) -> Self {
        self.stopping = Some(stopping);
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
        if let Some(budget) = self.cost_budget {
            if !(budget.is_finite() && budget > 0.0) {
                return Err(Error::config(
                    "cost_budget",
                    format!("must be a finite number > 0, got {budget}"),
                ));
            }
        }
        if let Some(unit) = &self.cost_unit {
            if unit.is_empty() || unit.len() > 32 {
                return Err(Error::config("cost_unit", "must be 1 to 32 bytes long"));
            }
        }
        if let Some(stopping) = self.stopping.take() {
            if self.directions.len() != 1 {
                return Err(Error::config(
                    "stopping",
                    "stopping rules watch one objective; this study has several",
                ));
            }
            self.stopping = Some(stopping.validated().map_err(|e| e.within("stopping"))?);
        }
        if let Some(names) = &self.metric_names {
            validate_metric_names(names, self.directions.len())?;
        }
        if let Some(window) = self.history_window.filter(|w| *w > 0) {
            self.check_history_window(window)?;
        }
        Ok(self)
    }

    /// Whether this study may see only its newest `window` finished trials: at least
    /// [`MIN_HISTORY_WINDOW`], at most [`MAX_HISTORY_WINDOW`], twice a genetic
    /// sampler's generation, and not with the brute-force sampler, which must see
    /// every trial to know what is left.
    pub fn check_history_window(&self, window: u64) -> Result<()> {
        let field = "history_window";
        if !(MIN_HISTORY_WINDOW..=MAX_HISTORY_WINDOW).contains(&window) {
            return Err(Error::config(
                field,
                format!(
                    "must be 0 (no window) or {MIN_HISTORY_WINDOW} to {MAX_HISTORY_WINDOW}, got {window}"
                ),
            ));
        }
        let generation = match &self.sampler {
            SamplerConfig::BruteForce(_) => {
                return Err(Error::config(
                    field,
                    "the brute_force sampler must see every trial to know which combinations are left; it cannot have a history window",
                ))
            }
            SamplerConfig::Nsga2(o) => Some(o.population_size),
            SamplerConfig::Nsga3(o) => Some(o.population_size),
            // CMA-ES's own popsize, 4 + 3 ln d, is under 25 below a thousand dimensions.
            SamplerConfig::Cmaes(o) => Some(o.popsize.unwrap_or(25)),
            _ => None,
        };
        match generation {
            Some(size) if window < 2 * size as u64 => Err(Error::config(
                field,
                format!(
                    "must hold two generations of the {} sampler: at least {}, got {window}",
                    self.sampler.name(),
                    2 * size
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// The smallest history window.
pub const MIN_HISTORY_WINDOW: u64 = 20;
/// The largest history window.
pub const MAX_HISTORY_WINDOW: u64 = 1_000_000;

/// Metric names are one per objective, 1 to 128 bytes each, all different.
pub fn validate_metric_names(names: &[String], n_objectives: usize) -> Result<()> {
    if names.len() != n_objectives {
        return Err(Error::invalid(
            "metric_names",
            format!(
                "give one name per objective: {n_objectives}, got {}",
                names.len()
            ),
        ));
    }
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() || name.len() > 128 {
            return Err(Error::invalid(
                format!("metric_names[{i}]"),
                "must be 1 to 128 bytes long",
            ));
        }
        if names[..i].contains(name) {
            return Err(Error::invalid(
                format!("metric_names[{i}]"),
                format!("{name:?} names two objectives"),
            ));
        }
    }
    Ok(())
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
