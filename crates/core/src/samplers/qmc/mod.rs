//! Quasi-Monte Carlo sampling, as Optuna's `QMCSampler`: points of a Sobol' or Halton
//! sequence over the search space of the study's first trial.
//!
//! The first trial (before any trial finished) is drawn at random and fixes the
//! space, as in Optuna; later trials take the next point of the sequence. The index
//! of the last point is a study system attribute written with each ask, so
//! concurrent askers of one study never get the same point and a replayed study
//! continues where it stopped. Parameters outside the space are drawn at random.
//!
//! # Cost of an ask
//! O(d · log i) for point i of a Sobol' sequence in d dimensions (O(d · 53) for
//! Halton), after building the sequence once per space: O(d · 30²) scrambled.

mod sequence;
mod sobol_table;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::distributions::{Distribution, Param, SearchSpace};
use crate::error::Result;
use crate::rng::{self, Rng};
use crate::samplers::{Relative, Sampler};
use crate::transform;
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

use sequence::Halton;
pub(crate) use sequence::Sobol;

/// Which low-discrepancy sequence.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QmcType {
    /// Sobol' (Optuna's default).
    #[default]
    Sobol,
    /// Halton.
    Halton,
}

/// Options of [`QmcSampler`], with Optuna's names and defaults.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QmcOptions {
    /// `"sobol"` (default) or `"halton"`.
    pub qmc_type: QmcType,
    /// Randomise the sequence with the study seed (false, as Optuna).
    pub scramble: bool,
}

/// The QMC sampler. See the module documentation.
#[derive(Clone, Debug)]
pub struct QmcSampler {
    options: QmcOptions,
    seed: u64,
    /// The earliest finished trial (number, distributions): its space is the space.
    first: Option<(u64, BTreeMap<String, Distribution>)>,
    /// The sequence built for the space of that key.
    engine: Option<(String, Engine)>,
}

#[derive(Clone, Debug)]
enum Engine {
    Sobol(Sobol),
    Halton(Halton),
}

impl Engine {
    fn point(&self, index: u64) -> Vec<f64> {
        match self {
            Engine::Sobol(s) => s.point(index),
            Engine::Halton(h) => h.point(index),
        }
    }
}

impl QmcSampler {
    /// A QMC sampler; `seed` keys the scrambling.
    pub fn new(options: QmcOptions, seed: u64) -> Self {
        QmcSampler {
            options,
            seed,
            first: None,
            engine: None,
        }
    }

    /// The study attribute holding the last point index used for `space`.
    fn key(&self, space: &SearchSpace) -> String {
        let described = serde_json::to_string(&space.0).unwrap_or_default();
        let kind = match self.options.qmc_type {
            QmcType::Sobol => "sobol",
            QmcType::Halton => "halton",
        };
        let scramble = if self.options.scramble {
            format!("scrambled:{}", self.seed)
        } else {
            "plain".to_string()
        };
        format!("qmc:{kind}:{scramble}:{:016x}", rng::hash_name(&described))
    }

    fn engine(&mut self, key: &str, d: usize) -> Result<&Engine> {
        if self.engine.as_ref().map(|(k, _)| k.as_str()) != Some(key) {
            let mut scramble_rng = rng::named_rng(self.seed, "qmc");
            let scramble = self.options.scramble.then_some(&mut scramble_rng);
            let engine = match self.options.qmc_type {
                QmcType::Sobol => Engine::Sobol(Sobol::new(d, scramble)?),
                QmcType::Halton => Engine::Halton(Halton::new(d, scramble)),
            };
            self.engine = Some((key.to_string(), engine));
        }
        Ok(&self.engine.as_ref().expect("engine was just built").1)
    }
}

impl Sampler for QmcSampler {
    /// The space of the earliest finished trial or, before any finished, the union of
    /// the running trials' spaces (O(n) then).
    fn infer_relative_search_space(
        &mut self,
        view: &StudyView<'_>,
        _trial: &FrozenTrial,
    ) -> SearchSpace {
        let space = match &self.first {
            Some((_, space)) => space.clone(),
            None => {
                let mut union = BTreeMap::new();
                for t in view.trials_in(&[TrialState::Running]) {
                    for (name, d) in t.params.distributions() {
                        union.entry(name.to_string()).or_insert_with(|| d.clone());
                    }
                }
                union
            }
        };
        SearchSpace(
            space
                .into_iter()
                .map(|(name, distribution)| Param { name, distribution })
                .collect(),
        )
    }

    fn sample_relative(
        &mut self,
        view: &StudyView<'_>,
        _trial: &FrozenTrial,
        space: &SearchSpace,
        _rng: &mut Rng,
    ) -> Result<Relative> {
        if space.is_empty() {
            return Ok(Relative::default());
        }
        let key = self.key(space);
        let index = match view.system_attrs.get(&key).and_then(Value::as_u64) {
            Some(last) => last + 1,
            None => 0,
        };
        let point = self.engine(&key, space.len())?.point(index);
        let values = crate::sort::collect_map(space.0.iter().zip(point).map(|(p, u)| {
            let b = transform::bounds(&p.distribution);
            let x = b.low + u * (b.high - b.low);
            (p.name.clone(), transform::untransform(&p.distribution, x))
        }));
        Ok(Relative {
            values,
            study_attrs: BTreeMap::from([(key, Value::from(index))]),
            ..Relative::default()
        })
    }

    fn memory(&self) -> Option<Value> {
        let first = self.first.as_ref()?;
        serde_json::to_value(first).ok()
    }

    fn recall(&mut self, memory: Value) -> Result<()> {
        self.first = Some(serde_json::from_value(memory).map_err(|e| {
            crate::error::Error::InvalidJournal(format!("the QMC sampler's first trial: {e}"))
        })?);
        Ok(())
    }

    fn after_trial(&mut self, _view: &StudyView<'_>, trial: &FrozenTrial) {
        let earlier = self.first.as_ref().is_none_or(|(n, _)| trial.number < *n);
        if matches!(trial.state, TrialState::Complete | TrialState::Pruned) && earlier {
            self.first = Some((trial.number, trial.params.to_distributions()));
        }
    }
}

impl crate::samplers::SamplerKind for QmcOptions {
    fn build(&self, seed: u64) -> Box<dyn crate::samplers::Sampler> {
        Box::new(QmcSampler::new(self.clone(), seed))
    }
}
