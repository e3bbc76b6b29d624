//! What users write to create a study, before defaults and validation: every study
//! option, declared once. [`StudySpec`] is the Rust form and the body of `POST
//! /api/v1/studies`; the npm package's `createStudy` options are its camelCase; the
//! MCP `start_study` tool's arguments expand the same fields with
//! [`with_study_options!`](crate::with_study_options). A new option is one more field
//! in that macro, with its rule in [`StudySpec::into_config`] or
//! [`StudyConfig::validated`]; every surface then takes it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::direction::Direction;
use crate::error::{Error, Result};
use crate::pruners::PrunerConfig;
use crate::samplers::SamplerConfig;
use crate::study::StudyConfig;

/// The field names a struct's serde form takes (serde hands them to
/// `deserialize_struct`), aliases included: the surfaces' tests check with it that
/// each request type carries every study option.
///
/// ```
/// use edgetune_core::study::{deserialized_fields, StudySpec};
/// assert!(deserialized_fields::<StudySpec>().contains(&"cost_budget"));
/// ```
pub fn deserialized_fields<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};

    struct Fields<'a>(&'a mut &'static [&'static str]);

    impl<'de> serde::Deserializer<'de> for Fields<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(
            self,
            _: V,
        ) -> std::result::Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> std::result::Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("fields read"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Fields(&mut fields));
    fields
}

/// The metadata key a study's heartbeat timeout is kept under, in seconds.
pub const HEARTBEAT_TIMEOUT: &str = "heartbeat_timeout_seconds";

/// The longest heartbeat timeout, in seconds: a day.
pub const MAX_HEARTBEAT_TIMEOUT: f64 = 86_400.0;

/// Declares a struct with its own fields followed by every study option, each with its
/// serde form, its schema and its doc, and `fn to_spec(&self, name)`, the
/// [`StudySpec`] of those options. The struct must derive `Deserialize`, and deny
/// unknown fields. [`StudySpec`] is declared with it, and so is each surface's request
/// type that carries other fields beside the options (MCP's `start_study`).
///
/// ```
/// use serde::Deserialize;
/// edgetune_core::with_study_options! {
///     /// A request with the study options and one field of its own.
///     #[derive(Deserialize)]
///     #[serde(deny_unknown_fields)]
///     pub struct Start {
///         /// The study's name.
///         pub study_name: String,
///         /// How many trials to plan.
///         #[serde(default)]
///         pub n_trials: Option<u64>,
///     }
/// }
/// let start: Start = serde_json::from_str(r#"{"study_name": "s", "n_trials": 5, "cost_budget": 2}"#).unwrap();
/// let spec = start.to_spec(start.study_name.clone());
/// assert_eq!((spec.name.as_str(), spec.cost_budget), ("s", Some(2.0)));
/// assert!(serde_json::from_str::<Start>(r#"{"study_name": "s", "bogus": 1}"#).is_err());
/// ```
#[macro_export]
macro_rules! with_study_options {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$field_meta:meta])* $field_vis:vis $field:ident : $field_type:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$field_meta])* $field_vis $field: $field_type,)*
            /// One direction, for a single objective: `minimize` or `maximize`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "schema", schemars(with = "Option<::edgetune_core::Direction>"))]
            pub direction: ::std::option::Option<::std::string::String>,
            /// One direction per objective (`minimize` or `maximize`); default minimize.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<::edgetune_core::Direction>>"))]
            pub directions: ::std::option::Option<::std::vec::Vec<::std::string::String>>,
            /// The objectives' names, one per direction (Optuna's `metric_names`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub metric_names: ::std::option::Option<::std::vec::Vec<::std::string::String>>,
            /// The parameters every ask draws, unless an ask brings its own (alias `parameters`).
            #[serde(default, alias = "parameters", skip_serializing_if = "Option::is_none")]
            pub search_space: ::std::option::Option<::edgetune_core::SearchSpace>,
            /// The sampler, by name or with options; default TPE (a deployment may set
            /// another with `DEFAULT_SAMPLER`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub sampler: ::std::option::Option<::edgetune_core::study::SamplerSpec>,
            /// The pruner, by name or with options; default none (a deployment may set
            /// another with `DEFAULT_PRUNER`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub pruner: ::std::option::Option<::edgetune_core::study::PrunerSpec>,
            /// The seed of every random draw (also accepted as `sampler.seed`); default
            /// a random one.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub seed: ::std::option::Option<u64>,
            /// Free-form metadata, kept with the study.
            #[serde(default, skip_serializing_if = "::std::collections::BTreeMap::is_empty")]
            pub metadata: ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,
            /// Fail RUNNING trials that sent no heartbeat for this many seconds (more
            /// than 0, at most 86400), as Optuna's `heartbeat_interval` with
            /// `fail_stale_trials`. The service checks it; an in-process study has no
            /// heartbeats.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub heartbeat_timeout: ::std::option::Option<f64>,
            /// The most the study may spend on trials, in `cost_unit` (> 0): asks are
            /// refused once it is spent, and running trials that would overrun it are
            /// told to prune.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cost_budget: ::std::option::Option<f64>,
            /// The unit of costs and of the budget ("USD", "s", "tokens", ...), 1 to 32 bytes.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub cost_unit: ::std::option::Option<::std::string::String>,
            /// A stopping rule: `best_value_stagnation` or `regret_bound`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub stopping: ::std::option::Option<::edgetune_core::StoppingConfig>,
            /// How many of the newest finished trials the sampler and the pruner see
            /// (20 to 1,000,000), beside the best trial (or the Pareto front) and the
            /// running ones; older trials leave memory but stay in storage, exports and
            /// counts. `0` means never: automations then leave the study without one.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub history_window: ::std::option::Option<u64>,
        }

        impl $name {
            /// The study options of this value, as the spec of a study named `name`.
            pub fn to_spec(&self, name: ::std::string::String) -> ::edgetune_core::StudySpec {
                ::edgetune_core::StudySpec {
                    name,
                    direction: self.direction.clone(),
                    directions: self.directions.clone(),
                    metric_names: self.metric_names.clone(),
                    search_space: self.search_space.clone(),
                    sampler: self.sampler.clone(),
                    pruner: self.pruner.clone(),
                    seed: self.seed,
                    metadata: self.metadata.clone(),
                    heartbeat_timeout: self.heartbeat_timeout,
                    cost_budget: self.cost_budget,
                    cost_unit: self.cost_unit.clone(),
                    stopping: self.stopping.clone(),
                    history_window: self.history_window,
                }
            }
        }
    };
}

with_study_options! {
    /// A study as a user describes it: its name, directions by name, sampler and pruner
    /// by name or options object, an optional seed (also accepted as `sampler.seed`),
    /// and every other option. It is the body of `POST /api/v1/studies`.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[cfg_attr(feature = "schema", schemars(rename = "CreateStudy", transform = crate::study::spec_schema::study_name_aliases))]
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct StudySpec {
        /// The study name: 1 to 128 letters, digits and `_ - . :` (alias `name`).
        #[serde(rename = "study_name", alias = "name")]
        pub name: String,
    }
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
    /// use edgetune_core::study::{SamplerSpec, StudySpec};
    /// use serde_json::json;
    /// let mut spec = StudySpec::named("demo");
    /// spec.direction = Some("maximize".into());
    /// spec.sampler = Some(SamplerSpec(json!({"type": "RandomSampler", "seed": 42})));
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
            SamplerConfig::parse(self.sampler.as_ref().map_or(default_sampler, |s| &s.0))?;
        let pruner = PrunerConfig::parse(self.pruner.as_ref().map_or(default_pruner, |p| &p.0))?;
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
        if let Some(timeout) = self.heartbeat_timeout {
            if !(timeout.is_finite() && timeout > 0.0 && timeout <= MAX_HEARTBEAT_TIMEOUT) {
                return Err(Error::config(
                    "heartbeat_timeout",
                    "must be a number of seconds from 0 to 86400",
                ));
            }
            config
                .metadata
                .insert(HEARTBEAT_TIMEOUT.into(), timeout.into());
        }
        config.metric_names = self.metric_names;
        config.cost_budget = self.cost_budget;
        config.cost_unit = self.cost_unit;
        config.stopping = self.stopping;
        config.history_window = self.history_window;
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
