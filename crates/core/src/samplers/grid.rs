//! Grid search, as Optuna's `GridSampler`: every combination of the given values,
//! each tried once, in a seeded random order.
//!
//! Trial k takes the k-th point of the shuffled grid while that point is free; after
//! that, a random free point. Points held by RUNNING, COMPLETE or PRUNED trials are
//! taken; a FAILed point is tried again. When no point is free the ask fails with
//! [`Error::NotAvailable`] rather than repeat a point (Optuna repeats one and stops
//! the study). The point is the trial's `grid_id` system attribute, stored with the
//! ask.
//!
//! # Cost of an ask
//! O(n log n) over the n trials to collect the taken points, plus O(G) to list the
//! free ones once trial numbers pass the grid size G. A suggestion is O(P) for P
//! gridded parameters.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::distributions::{validate_param_name, Distribution, ParamValue, SearchSpace};
use crate::error::{Error, Result};
use crate::rng::{self, Rng};
use crate::samplers::{Relative, Sampler};
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

/// The largest grid, in points.
pub const MAX_GRID_POINTS: usize = 10_000_000;

/// The trial system attribute that holds a trial's grid point.
const GRID_ID: &str = "grid_id";

/// Options of [`GridSampler`].
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridOptions {
    /// The values to try, per parameter name.
    pub search_space: BTreeMap<String, Vec<ParamValue>>,
}

impl GridOptions {
    /// Checks the grid; errors name the parameter.
    pub fn validated(self) -> Result<Self> {
        if self.search_space.is_empty() {
            return Err(Error::config(
                "search_space",
                "must name at least one parameter",
            ));
        }
        let mut points: usize = 1;
        for (name, values) in &self.search_space {
            validate_param_name(name).map_err(|e| e.within("search_space"))?;
            if values.is_empty() {
                return Err(Error::config(
                    format!("search_space.{name}"),
                    "must list at least one value",
                ));
            }
            points = points.saturating_mul(values.len());
        }
        if points > MAX_GRID_POINTS {
            return Err(Error::config(
                "search_space",
                format!("the grid has {points} points; at most {MAX_GRID_POINTS} are allowed"),
            ));
        }
        Ok(self)
    }

    /// The number of grid points.
    pub fn len(&self) -> usize {
        self.search_space.values().map(Vec::len).product()
    }

    /// True when the grid has no point (never, once validated).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The grid sampler. See the module documentation.
#[derive(Clone, Debug)]
pub struct GridSampler {
    options: GridOptions,
    /// Grid point order: position k holds the mixed-radix index of the k-th point.
    order: Vec<u32>,
    /// The points of finished trials that left the study's history window.
    archived: BTreeSet<u64>,
}

impl GridSampler {
    /// A grid sampler; `seed` shuffles the order of the points.
    pub fn new(options: GridOptions, seed: u64) -> Self {
        let n = options.len();
        let mut order: Vec<u32> = (0..n as u32).collect();
        let mut rng = rng::named_rng(seed, "grid");
        for i in (1..n).rev() {
            let j = ((rng::uniform01(&mut rng) * (i + 1) as f64) as usize).min(i);
            order.swap(i, j);
        }
        GridSampler {
            options,
            order,
            archived: BTreeSet::new(),
        }
    }

    /// The value of `name` at grid point `id`.
    fn value(&self, id: usize, name: &str) -> Option<&ParamValue> {
        // Mixed radix over the names in sorted order, the last name fastest.
        let mut rest = *self.order.get(id)? as usize;
        let mut found = None;
        for (n, values) in self.options.search_space.iter().rev() {
            let k = rest % values.len();
            rest /= values.len();
            if n == name {
                found = Some(&values[k]);
            }
        }
        found
    }
}

impl Sampler for GridSampler {
    fn sample_relative(
        &mut self,
        view: &StudyView<'_>,
        trial: &FrozenTrial,
        _space: &SearchSpace,
        rng: &mut Rng,
    ) -> Result<Relative> {
        if !trial.fixed_params.is_empty() || trial.system_attrs.contains_key(GRID_ID) {
            return Ok(Relative::default());
        }
        let n = self.order.len();
        let held = |t: &FrozenTrial| {
            matches!(
                t.state,
                TrialState::Running | TrialState::Complete | TrialState::Pruned
            )
        };
        let mut taken = crate::sort::collect_set(
            view.trials
                .iter()
                .filter(|t| held(t))
                .filter_map(|t| t.system_attrs.get(GRID_ID).and_then(Value::as_u64)),
        );
        taken.extend(&self.archived);
        let number = trial.number as usize;
        let id = if number < n && !taken.contains(&trial.number) {
            number
        } else {
            let free: Vec<usize> = (0..n).filter(|i| !taken.contains(&(*i as u64))).collect();
            if free.is_empty() {
                return Err(Error::NotAvailable(format!(
                    "the grid is exhausted: all {n} points are running or finished"
                )));
            }
            free[((rng::uniform01(rng) * free.len() as f64) as usize).min(free.len() - 1)]
        };
        Ok(Relative {
            trial_attrs: BTreeMap::from([(GRID_ID.to_string(), Value::from(id as u64))]),
            ..Relative::default()
        })
    }

    fn archive(&mut self, trial: &FrozenTrial) {
        if matches!(trial.state, TrialState::Complete | TrialState::Pruned) {
            if let Some(id) = trial.system_attrs.get(GRID_ID).and_then(Value::as_u64) {
                self.archived.insert(id);
            }
        }
    }

    fn memory(&self) -> Option<Value> {
        (!self.archived.is_empty()).then(|| Value::from_iter(self.archived.iter().copied()))
    }

    fn recall(&mut self, memory: Value) -> Result<()> {
        self.archived = serde_json::from_value(memory)
            .map_err(|e| Error::InvalidJournal(format!("the grid's visited points: {e}")))?;
        Ok(())
    }

    fn sample_independent(
        &mut self,
        _view: &StudyView<'_>,
        trial: &FrozenTrial,
        name: &str,
        distribution: &Distribution,
        _rng: &mut Rng,
    ) -> Result<f64> {
        let Some(id) = trial.system_attrs.get(GRID_ID).and_then(Value::as_u64) else {
            return Err(Error::invalid(
                name,
                "an enqueued trial must fix every parameter when the study uses the grid sampler",
            ));
        };
        let value = self.value(id as usize, name).ok_or_else(|| {
            Error::invalid(
                name,
                "this parameter is not in the grid sampler's search space",
            )
        })?;
        distribution.to_internal(value).map_err(|_| {
            Error::invalid(
                name,
                format!(
                    "the grid value {value} is not in the suggested {} distribution",
                    distribution.kind()
                ),
            )
        })
    }
}

impl crate::samplers::SamplerKind for GridOptions {
    fn build(&self, seed: u64) -> Box<dyn crate::samplers::Sampler> {
        Box::new(GridSampler::new(self.clone(), seed))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}
