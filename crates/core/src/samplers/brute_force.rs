//! Exhaustive search of a finite define-by-run space, as Optuna's `BruteForceSampler`.
//!
//! Each suggestion builds the tree of what earlier trials explored below the current
//! trial's parameters so far (paths in the order parameters were set; finished trials
//! are leaves) and picks a value whose subtree still has unexplored combinations,
//! weighted half by how many it has and half uniformly, avoiding values only running
//! trials explore. Every parameter must be categorical, int or stepped float. Once
//! every combination is running or finished, ask fails with
//! [`Error::NotAvailable`] (Optuna stops the study then).
//!
//! # Cost
//! A suggestion or an ask is O(n · p) for n trials of p parameters (the tree is rebuilt
//! from the trials each time, as in Optuna).

use serde::{Deserialize, Serialize};

use crate::distributions::{Distribution, SearchSpace};
use crate::error::{Error, Result};
use crate::rng::{self, Rng};
use crate::samplers::{Relative, Sampler};
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

/// Options of [`BruteForceSampler`].
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BruteForceOptions {
    /// Also pick values only running trials explore, so a crashed worker cannot end
    /// the search early (false).
    pub avoid_premature_stop: bool,
}

/// The brute-force sampler. See the module documentation.
#[derive(Clone, Debug, Default)]
pub struct BruteForceSampler {
    options: BruteForceOptions,
}

/// The internal values of a finite distribution, or an error naming the parameter.
fn candidates(name: &str, d: &Distribution) -> Result<Vec<f64>> {
    match d {
        Distribution::Categorical { choices } => Ok((0..choices.len()).map(|i| i as f64).collect()),
        _ => match d.numeric_range() {
            Some((low, high, _, Some(step))) => {
                let n = libm::floor((high - low) / step + 1e-9) as usize + 1;
                if n > 1_000_000 {
                    return Err(Error::invalid(
                        name,
                        "has more than 1000000 values; too many to enumerate",
                    ));
                }
                Ok((0..n).map(|k| low + k as f64 * step).collect())
            }
            Some((_, _, true, None)) | Some((_, _, false, None)) | None => Err(Error::invalid(
                name,
                "the brute-force sampler needs a finite space: give this float a step",
            )),
        },
    }
}

/// What earlier trials explored: a node per parameter value, `None` where nothing was.
#[derive(Debug, Default)]
struct Node {
    /// The parameter decided here and its distribution, once known.
    param: Option<(String, Distribution)>,
    /// (value, subtree) per candidate; `Some(empty)` marks a finished trial's end.
    children: Option<Vec<(f64, Option<Node>)>>,
    running: bool,
}

impl Node {
    fn expand(&mut self, name: &str, d: &Distribution) -> Result<()> {
        match &self.param {
            None if self.children.is_none() => {
                self.children = Some(candidates(name, d)?.into_iter().map(|v| (v, None)).collect());
                self.param = Some((name.to_string(), d.clone()));
                Ok(())
            }
            Some((n, known)) if n == name && known == d => Ok(()),
            _ => Err(Error::invalid(
                name,
                "the brute-force sampler needs the same parameters, in the same order, for the same earlier choices",
            )),
        }
    }

    /// Follows (and creates) the path of a trial; None when a value is off the grid.
    fn add_path(&mut self, path: &[(&str, &Distribution, f64)]) -> Result<Option<&mut Node>> {
        let mut node = self;
        for &(name, d, value) in path {
            node.expand(name, d)?;
            let children = node.children.as_mut().expect("just expanded");
            let Some(slot) = children.iter_mut().find(|(v, _)| *v == value) else {
                return Ok(None);
            };
            node = slot.1.get_or_insert_with(Node::default);
        }
        Ok(Some(node))
    }

    fn set_leaf(&mut self) -> Result<()> {
        match &self.children {
            Some(c) if !c.is_empty() => Err(Error::invalid(
                self.param.as_ref().map_or("", |p| p.0.as_str()),
                "an earlier trial finished without this parameter at the same choices",
            )),
            _ => {
                self.children = Some(Vec::new());
                Ok(())
            }
        }
    }

    fn is_any_expandable(&self, exclude_running: bool) -> bool {
        match &self.children {
            None => !exclude_running || !self.running,
            Some(children) => children.iter().any(|(_, c)| match c {
                None => true,
                Some(node) => node.is_any_expandable(exclude_running),
            }),
        }
    }

    fn count_unexpanded(&self, exclude_running: bool) -> usize {
        match &self.children {
            None => usize::from(!(exclude_running && self.running)),
            Some(children) => children
                .iter()
                .map(|(_, c)| {
                    c.as_ref()
                        .map_or(1, |n| n.count_unexpanded(exclude_running))
                })
                .sum(),
        }
    }

    /// A child value: weights half by unexplored combinations, half uniform over
    /// values with any, without values only running trials explore when others remain.
    fn sample_child(&self, rng: &mut Rng, exclude_running: bool) -> f64 {
        let children = self.children.as_ref().expect("expanded");
        let counts: Vec<f64> = children
            .iter()
            .map(|(_, c)| {
                c.as_ref()
                    .map_or(1, |n| n.count_unexpanded(exclude_running)) as f64
            })
            .collect();
        let total: f64 = counts.iter().sum();
        let open = counts.iter().filter(|c| **c > 0.0).count() as f64;
        let mut weights: Vec<f64> = counts
            .iter()
            .map(|&c| 0.5 * c / total + if c > 0.0 { 0.5 / open } else { 0.0 })
            .collect();
        let running = |c: &Option<Node>| c.as_ref().is_some_and(|n| n.running);
        if children
            .iter()
            .zip(&weights)
            .any(|((_, c), w)| !running(c) && *w > 0.0)
        {
            for ((_, c), w) in children.iter().zip(weights.iter_mut()) {
                if running(c) {
                    *w = 0.0;
                }
            }
        }
        let sum: f64 = weights.iter().sum();
        let mut target = rng::uniform01(rng) * sum;
        for ((v, _), w) in children.iter().zip(&weights) {
            if target < *w {
                return *v;
            }
            target -= w;
        }
        children
            .iter()
            .zip(&weights)
            .rev()
            .find(|(_, w)| **w > 0.0)
            .map_or(children[0].0, |((v, _), _)| *v)
    }
}

impl BruteForceSampler {
    /// A brute-force sampler.
    pub fn new(options: BruteForceOptions) -> Self {
        BruteForceSampler { options }
    }

    /// The tree of trials (other than `current`) that agree with `current`'s
    /// parameters so far, rooted at the next parameter.
    fn tree(&self, view: &StudyView<'_>, current: &FrozenTrial, root: &mut Node) -> Result<()> {
        for t in view.trials {
            if t.number == current.number
                || !matches!(
                    t.state,
                    TrialState::Complete
                        | TrialState::Pruned
                        | TrialState::Fail
                        | TrialState::Running
                )
            {
                continue;
            }
            let agrees = current.params.entries().all(|(name, d, v)| {
                t.params.get(name) == Some(v) && t.params.distribution(name) == Some(d)
            });
            if !agrees {
                continue;
            }
            let path: Vec<(&str, &Distribution, f64)> = t
                .params
                .in_order()
                .filter(|(name, ..)| !current.params.contains_key(name))
                .collect();
            if let Some(leaf) = root.add_path(&path)? {
                if t.state.is_finished() {
                    leaf.set_leaf()?;
                } else {
                    leaf.running = true;
                }
            }
        }
        Ok(())
    }
}

impl Sampler for BruteForceSampler {
    /// Refuses the ask once nothing is left to explore.
    fn sample_relative(
        &mut self,
        view: &StudyView<'_>,
        trial: &FrozenTrial,
        _space: &SearchSpace,
        _rng: &mut Rng,
    ) -> Result<Relative> {
        if !trial.fixed_params.is_empty() || !view.trials.iter().any(|t| t.state.is_finished()) {
            return Ok(Relative::default());
        }
        let mut root = Node::default();
        self.tree(view, trial, &mut root)?;
        if !root.is_any_expandable(true) {
            return Err(Error::NotAvailable(format!(
                "the brute-force search is exhausted: all {} combinations are running or finished",
                root.count_unexpanded(false).max(view.trials.len())
            )));
        }
        Ok(Relative::default())
    }

    fn sample_independent(
        &mut self,
        view: &StudyView<'_>,
        trial: &FrozenTrial,
        name: &str,
        distribution: &Distribution,
        rng: &mut Rng,
    ) -> Result<f64> {
        let exclude_running = !self.options.avoid_premature_stop;
        let mut root = Node::default();
        root.expand(name, distribution)?;
        self.tree(view, trial, &mut root)?;
        if root.is_any_expandable(exclude_running) {
            Ok(root.sample_child(rng, exclude_running))
        } else {
            let all = candidates(name, distribution)?;
            Ok(all[((rng::uniform01(rng) * all.len() as f64) as usize).min(all.len() - 1)])
        }
    }
}

impl crate::samplers::SamplerKind for BruteForceOptions {
    fn build(&self, _seed: u64) -> Box<dyn crate::samplers::Sampler> {
        Box::new(BruteForceSampler::new(self.clone()))
    }
}
