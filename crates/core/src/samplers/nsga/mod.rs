//! The genetic samplers NSGA-II and NSGA-III, as Optuna's `NSGAIISampler` and
//! `NSGAIIISampler` with their defaults.
//!
//! Trials belong to generations of `population_size`: a new trial joins the newest
//! generation until that generation has `population_size` COMPLETE trials, then starts
//! the next (the generation is the trial's system attribute, stored with its ask). The
//! parents of generation g are the survivors of generation g-1 together with g-1's
//! parents: whole non-domination fronts (feasible trials first, as Optuna), the
//! boundary front cut by crowding distance (NSGA-II) or by niching around Das-Dennis
//! reference points (NSGA-III). They are chosen at the first ask of g and stored as a
//! study system attribute, so every later ask of g and a replayed study agree.
//!
//! A child takes, with probability `crossover_prob`, a uniform crossover of two
//! parents picked by binary tournament (each parameter from the second parent with
//! probability `swapping_prob`), else a copy of a random parent; each parameter is then
//! dropped with probability `mutation_prob` (1/d by default) and drawn at random. The
//! first generation, and parameters outside the intersection search space, are random.
//!
//! # Cost of an ask
//! O(d) for d parameters, plus the selection at the first ask of a generation:
//! O(R · N² · m) for N = 2 · population_size candidates in R fronts with m objectives
//! (NSGA-III adds O(N · P · m) for P reference points). Generations are counted
//! incrementally in `after_trial`.

mod survival;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::distributions::{Param, SearchSpace};
use crate::error::{Error, Result};
use crate::rng::{self, Rng};
use crate::samplers::{Relative, Sampler};
use crate::search_space::IntersectionSearchSpace;
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

use survival::Member;

/// The genetic options NSGA-II and NSGA-III share, with Optuna's defaults.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Nsga2Options {
    /// Trials per generation (50).
    pub population_size: usize,
    /// Probability to redraw each parameter of a child; absent: 1 / d.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutation_prob: Option<f64>,
    /// Probability that a child is a crossover of two parents (0.9).
    pub crossover_prob: f64,
    /// Probability that a parameter comes from the second parent (0.5).
    pub swapping_prob: f64,
}

impl Default for Nsga2Options {
    fn default() -> Self {
        Nsga2Options {
            population_size: 50,
            mutation_prob: None,
            crossover_prob: 0.9,
            swapping_prob: 0.5,
        }
    }
}

impl Nsga2Options {
    /// Checks the options; errors name the option.
    pub fn validated(self) -> Result<Self> {
        if !(2..=100_000).contains(&self.population_size) {
            return Err(Error::config(
                "population_size",
                format!("must be from 2 to 100000, got {}", self.population_size),
            ));
        }
        let probability = |name: &str, p: f64| {
            if (0.0..=1.0).contains(&p) {
                Ok(())
            } else {
                Err(Error::config(
                    name,
                    format!("must be within [0, 1], got {p}"),
                ))
            }
        };
        if let Some(p) = self.mutation_prob {
            probability("mutation_prob", p)?;
        }
        probability("crossover_prob", self.crossover_prob)?;
        probability("swapping_prob", self.swapping_prob)?;
        Ok(self)
    }
}

/// Options of NSGA-III: the genetic options plus the reference points.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Nsga3Options {
    /// Trials per generation (50).
    pub population_size: usize,
    /// Probability to redraw each parameter of a child; absent: 1 / d.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutation_prob: Option<f64>,
    /// Probability that a child is a crossover of two parents (0.9).
    pub crossover_prob: f64,
    /// Probability that a parameter comes from the second parent (0.5).
    pub swapping_prob: f64,
    /// Divisions per objective of the Das-Dennis reference points (3).
    pub dividing_parameter: usize,
    /// Reference points, one coordinate per objective; absent: Das-Dennis points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_points: Option<Vec<Vec<f64>>>,
}

impl Default for Nsga3Options {
    fn default() -> Self {
        let base = Nsga2Options::default();
        Nsga3Options {
            population_size: base.population_size,
            mutation_prob: base.mutation_prob,
            crossover_prob: base.crossover_prob,
            swapping_prob: base.swapping_prob,
            dividing_parameter: 3,
            reference_points: None,
        }
    }
}

impl Nsga3Options {
    /// The genetic part.
    fn genetic(&self) -> Nsga2Options {
        Nsga2Options {
            population_size: self.population_size,
            mutation_prob: self.mutation_prob,
            crossover_prob: self.crossover_prob,
            swapping_prob: self.swapping_prob,
        }
    }

    /// Checks the options; errors name the option.
    pub fn validated(self) -> Result<Self> {
        self.genetic().validated()?;
        if !(1..=64).contains(&self.dividing_parameter) {
            return Err(Error::config(
                "dividing_parameter",
                format!("must be from 1 to 64, got {}", self.dividing_parameter),
            ));
        }
        if let Some(points) = &self.reference_points {
            let m = points.first().map_or(0, Vec::len);
            if points.is_empty() || m == 0 {
                return Err(Error::config(
                    "reference_points",
                    "must list at least one point",
                ));
            }
            for (i, p) in points.iter().enumerate() {
                if p.len() != m {
                    return Err(Error::config(
                        format!("reference_points[{i}]"),
                        format!("has {} coordinates, the first point has {m}", p.len()),
                    ));
                }
                if p.iter().any(|v| !v.is_finite() || *v < 0.0) || p.iter().all(|v| *v == 0.0) {
                    return Err(Error::config(
                        format!("reference_points[{i}]"),
                        "coordinates must be finite and >= 0, not all 0",
                    ));
                }
            }
        }
        Ok(self)
    }
}

/// How the boundary front is cut.
#[derive(Clone, Debug)]
enum Survival {
    Crowding,
    ReferencePoints {
        dividing_parameter: usize,
        points: Option<Vec<Vec<f64>>>,
    },
}

/// NSGA-II or NSGA-III. See the module documentation.
#[derive(Clone, Debug)]
pub struct NsgaSampler {
    genetic: Nsga2Options,
    survival: Survival,
    /// `nsga2` or `nsga3`: the prefix of the system attributes.
    prefix: &'static str,
    intersection: IntersectionSearchSpace,
    /// COMPLETE trial numbers by generation.
    by_generation: BTreeMap<u64, Vec<u64>>,
}

impl NsgaSampler {
    /// NSGA-II.
    pub fn nsga2(options: Nsga2Options) -> Self {
        NsgaSampler {
            genetic: options,
            survival: Survival::Crowding,
            prefix: "nsga2",
            intersection: IntersectionSearchSpace::default(),
            by_generation: BTreeMap::new(),
        }
    }

    /// NSGA-III.
    pub fn nsga3(options: Nsga3Options) -> Self {
        NsgaSampler {
            genetic: options.genetic(),
            survival: Survival::ReferencePoints {
                dividing_parameter: options.dividing_parameter,
                points: options.reference_points,
            },
            prefix: "nsga3",
            intersection: IntersectionSearchSpace::default(),
            by_generation: BTreeMap::new(),
        }
    }

    fn generation_key(&self) -> String {
        format!("{}:generation", self.prefix)
    }

    fn parents_key(&self, generation: u64) -> String {
        format!("{}:parents:{generation}", self.prefix)
    }

    /// The generation a new trial joins.
    fn next_generation(&self) -> u64 {
        match self.by_generation.last_key_value() {
            None => 0,
            Some((&g, members)) if members.len() < self.genetic.population_size => g,
            Some((&g, _)) => g + 1,
        }
    }

    /// The parents of `generation`, from the study's cache or `fresh`, or selected now
    /// (and added to `fresh`).
    fn parents(
        &self,
        view: &StudyView<'_>,
        generation: u64,
        fresh: &mut BTreeMap<String, Value>,
        rng: &mut Rng,
    ) -> Result<Vec<u64>> {
        if generation == 0 {
            return Ok(Vec::new());
        }
        let key = self.parents_key(generation);
        if let Some(cached) = fresh.get(&key).or_else(|| view.system_attrs.get(&key)) {
            return Ok(serde_json::from_value(cached.clone()).unwrap_or_default());
        }
        let mut pool = self.parents(view, generation - 1, fresh, rng)?;
        pool.extend(
            self.by_generation
                .get(&(generation - 1))
                .into_iter()
                .flatten(),
        );
        pool.sort_unstable();
        pool.dedup();
        // With a history window, parents that left it are no longer candidates.
        let pool: Vec<&FrozenTrial> = pool.iter().filter_map(|&n| view.trial(n)).collect();
        let constrained = pool.iter().any(|t| t.constraints.is_some());
        let members: Vec<Member> = pool
            .iter()
            .map(|t| Member::of(view, t, constrained))
            .collect();
        let size = self.genetic.population_size;
        let chosen = match &self.survival {
            Survival::Crowding => survival::by_crowding(&members, size),
            Survival::ReferencePoints {
                dividing_parameter,
                points,
            } => {
                let m = view.directions.len();
                let points = match points {
                    Some(p) if p[0].len() != m => {
                        return Err(Error::invalid(
                            "sampler.reference_points",
                            format!(
                                "points have {} coordinates but the study has {m} objectives",
                                p[0].len()
                            ),
                        ))
                    }
                    Some(p) => p.clone(),
                    None => survival::das_dennis(m, *dividing_parameter),
                };
                survival::by_reference_points(&members, size, &points, rng)
            }
        };
        fresh.insert(key, Value::from(chosen.clone()));
        Ok(chosen)
    }

    /// A child of `parents` over `space`: internal values by name; mutated
    /// parameters are left out, to be drawn at random.
    fn child(
        &self,
        view: &StudyView<'_>,
        space: &SearchSpace,
        parents: &[u64],
        rng: &mut Rng,
    ) -> BTreeMap<String, f64> {
        let parents: Vec<&FrozenTrial> = parents.iter().filter_map(|&n| view.trial(n)).collect();
        if parents.is_empty() {
            // Every parent left the history window: the child is drawn at random.
            return BTreeMap::new();
        }
        let constrained = parents.iter().any(|t| t.constraints.is_some());
        let members: Vec<Member> = parents
            .iter()
            .map(|t| Member::of(view, t, constrained))
            .collect();
        let pick = |rng: &mut Rng, n: usize| ((rng::uniform01(rng) * n as f64) as usize).min(n - 1);
        let tournament = |rng: &mut Rng, pool: &[usize]| {
            let a = pool[pick(rng, pool.len())];
            let b = pool[pick(rng, pool.len())];
            if members[a].dominates(&members[b]) {
                a
            } else {
                b
            }
        };
        let all: Vec<usize> = (0..members.len()).collect();
        let (first, second) = if rng::uniform01(rng) < self.genetic.crossover_prob {
            let first = tournament(rng, &all);
            let rest: Vec<usize> = all.iter().copied().filter(|&i| i != first).collect();
            let second = if rest.is_empty() {
                first
            } else {
                tournament(rng, &rest)
            };
            (first, Some(second))
        } else {
            (pick(rng, all.len()), None)
        };
        let trial = |i: usize| parents[i];
        let mutation_prob = self
            .genetic
            .mutation_prob
            .unwrap_or(1.0 / (space.len().max(1) as f64));
        let mut out = BTreeMap::new();
        for Param { name, .. } in &space.0 {
            let from = match second {
                Some(second) if rng::uniform01(rng) >= self.genetic.swapping_prob => second,
                _ => first,
            };
            let mutate = rng::uniform01(rng) < mutation_prob;
            if let (false, Some(v)) = (mutate, trial(from).params.get(name)) {
                out.insert(name.clone(), v);
            }
        }
        out
    }
}

impl Sampler for NsgaSampler {
    fn infer_relative_search_space(
        &mut self,
        _view: &StudyView<'_>,
        _trial: &FrozenTrial,
    ) -> SearchSpace {
        self.intersection.sampled(|_| true)
    }

    fn sample_relative(
        &mut self,
        view: &StudyView<'_>,
        trial: &FrozenTrial,
        space: &SearchSpace,
        rng: &mut Rng,
    ) -> Result<Relative> {
        let key = self.generation_key();
        let generation = match trial.system_attrs.get(&key).and_then(Value::as_u64) {
            Some(g) => g,
            None => self.next_generation(),
        };
        let mut study_attrs = BTreeMap::new();
        let parents = self.parents(view, generation, &mut study_attrs, rng)?;
        let values = if parents.is_empty() || space.is_empty() {
            BTreeMap::new()
        } else {
            self.child(view, space, &parents, rng)
        };
        Ok(Relative {
            values,
            trial_attrs: BTreeMap::from([(key, Value::from(generation))]),
            study_attrs,
        })
    }

    fn after_trial(&mut self, _view: &StudyView<'_>, trial: &FrozenTrial) {
        if trial.state != TrialState::Complete {
            return;
        }
        self.intersection.add(trial);
        if let Some(g) = trial
            .system_attrs
            .get(&self.generation_key())
            .and_then(Value::as_u64)
        {
            self.by_generation.entry(g).or_default().push(trial.number);
        }
    }
}

impl crate::samplers::SamplerKind for Nsga2Options {
    fn build(&self, _seed: u64) -> Box<dyn crate::samplers::Sampler> {
        Box::new(NsgaSampler::nsga2(self.clone()))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}

impl crate::samplers::SamplerKind for Nsga3Options {
    fn build(&self, _seed: u64) -> Box<dyn crate::samplers::Sampler> {
        Box::new(NsgaSampler::nsga3(self.clone()))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}
