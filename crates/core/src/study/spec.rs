//! What users write to create a study, before defaults and validation: the shared
//! input of the JS `createStudy` options and the HTTP create-study body.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::direction::Direction;
use crate::distributions::SearchSpace;
use crate::error::{Error, Result};
use crate::pruners::PrunerConfig;
use crate::samplers::SamplerConfig;
use crate::stopping::StoppingConfig;
use crate::study::StudyConfig;

/// A study as a user describes it: directions by name, sampler and pruner by name or
/// options object, an optional seed (also accepted as `sampler.seed`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StudySpec {
    /// The study name.
    pub name: String,
    /// One direction (shorthand for `directions: [direction]`).
    pub direction: Option<String>,
    /// One direction per objective. Default: minimize.
    pub directions: Option<Vec<String>>,
    /// The sampler, by name or as `{"type": ..., ...options}`; `default_sampler` when absent.
    pub sampler: Option<Value>,
    /// The pruner, by name or as `{"type": ...}`; `default_pruner` when absent.
    pub pruner: Option<Value>,
    /// The seed.
    pub seed: Option<u64>,
    /// A fixed search space.
    pub search_space: Option<SearchSpace>,
    /// Free-form metadata.
    pub metadata: BTreeMap<String, Value>,
    /// The cost budget.
    pub cost_budget: Option<f64>,
    /// The cost unit.
    pub cost_unit: Option<String>,
    /// The stopping rule.
    pub stopping: Option<StoppingConfig>,
}

impl StudySpec {
    /// A spec with a name and every other field absent.
    pub fn named(name: impl Into<String>) -> Self {
        StudySpec {
            name: name.into(),
            ..StudySpec::default()
        }
    }

    /// Resolves defaults and validates. `random_seed` is the seed when none is given;
    /// `default_sampler` and `default_pruner` fill absent sampler and pruner.
    ///
    /// ```
    /// use edgetune_core::study::StudySpec;
    /// use serde_json::json;
    /// let mut spec = StudySpec::named("demo");
    /// spec.direction = Some("maximize".into());
    /// spec.sampler = Some(json!({"type": "RandomSampler", "seed": 42}));
    /// let config = spec.into_config(7, &json!("random"), &json!("none")).unwrap();
    /// assert_eq!(config.seed, 42);
    /// ```
    pub fn into_config(
        self,
        random_seed: u64,
        default_sampler: &Value,
        default_pruner: &Value,
    ) -> Result<StudyConfig> {
        let directions = match (self.direction, self.directions) {
            (Some(_), Some(_)) => {
                return Err(Error::config(
                    "direction",
                    "give either direction or directions, not both",
                ))
            }
            (Some(d), None) => vec![parse_direction(&d, "direction")?],
            (None, Some(ds)) => ds
                .iter()
                .enumerate()
                .map(|(i, d)| parse_direction(d, &format!("directions[{i}]")))
                .collect::<Result<_>>()?,
            (None, None) => vec![Direction::Minimize],
        };
        let (sampler, sampler_seed) =
            SamplerConfig::parse(self.sampler.as_ref().unwrap_or(default_sampler))?;
        let pruner = PrunerConfig::parse(self.pruner.as_ref().unwrap_or(default_pruner))?;
        let seed = match (self.seed, sampler_seed) {
            (Some(a), Some(b)) if a != b => {
                return Err(Error::config(
                    "seed",
                    "seed and sampler.seed disagree; give one",
                ))
            }
            (Some(s), _) | (None, Some(s)) => s,
            (None, None) => random_seed,
        };
        let mut config = StudyConfig::new(self.name)
            .with_directions(directions)
            .with_sampler(sampler)
            .with_pruner(pruner)
            .with_seed(seed);
        config.search_space = self.search_space;
        config.metadata = self.metadata;
        config.cost_budget = self.cost_budget;
        config.cost_unit = self.cost_unit;
        config.stopping = self.stopping;
        config.validated()
    }
}

fn parse_direction(name: &str, field: &str) -> Result<Direction> {
    Direction::parse(name).ok_or_else(|| {
        Error::config(
            field,
            format!("must be \"minimize\" or \"maximize\", got {name:?}"),
        )
    })
}
