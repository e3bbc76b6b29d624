//! Search spaces inferred from finished trials, kept up to date one trial at a time
//! (samplers feed them from `after_trial`), as Optuna's `IntersectionSearchSpace` and
//! `_GroupDecomposedSearchSpace`.

use std::collections::BTreeMap;

use crate::distributions::{Distribution, Param, SearchSpace};
use crate::trial::{FrozenTrial, Params};

/// The parameters every finished trial has, with the same distribution. O(d) per trial.
#[derive(Clone, Debug, Default)]
pub struct IntersectionSearchSpace {
    space: Option<BTreeMap<String, Distribution>>,
    /// The parameters of a trial that has exactly the intersection, when the last
    /// trial added had: a trial with the same shared definitions leaves it as it is,
    /// which pointer compares tell (a replay of 100,000 trials adds each).
    same: Option<Params>,
}

impl IntersectionSearchSpace {
    /// Narrows the intersection by one finished trial.
    pub fn add(&mut self, trial: &FrozenTrial) {
        if self
            .same
            .as_ref()
            .is_some_and(|same| same.same_defs(&trial.params))
        {
            return;
        }
        let space = match &mut self.space {
            None => self.space.insert(trial.params.to_distributions()),
            Some(space) => {
                space.retain(|name, d| trial.params.distribution(name) == Some(d));
                space
            }
        };
        self.same = (space.len() == trial.params.len()).then(|| trial.params.clone());
    }

    /// The intersection, by name (empty before the first trial).
    pub fn get(&self) -> BTreeMap<String, Distribution> {
        self.space.clone().unwrap_or_default()
    }

    /// The parameters worth sampling jointly: the intersection without single-value
    /// distributions, those `keep` accepts.
    pub fn sampled(&self, keep: impl Fn(&Distribution) -> bool) -> SearchSpace {
        SearchSpace(
            self.space
                .iter()
                .flatten()
                .filter(|(_, d)| !d.is_single() && keep(d))
                .map(|(name, d)| Param {
                    name: name.clone(),
                    distribution: d.clone(),
                })
                .collect(),
        )
    }
}

/// A partition of every parameter seen into groups that are always suggested
/// together: for each finished trial, a group lies wholly inside or wholly outside the
/// trial's parameters. O(d) per trial.
#[derive(Clone, Debug, Default)]
pub struct GroupDecomposedSearchSpace {
    groups: Vec<BTreeMap<String, Distribution>>,
}

impl GroupDecomposedSearchSpace {
    /// Splits the groups by one finished trial's parameters.
    pub fn add(&mut self, trial: &FrozenTrial) {
        let mut unseen: BTreeMap<&str, &Distribution> =
            crate::sort::collect_map(trial.params.distributions());
        let mut next = Vec::with_capacity(self.groups.len() * 2 + 1);
        for group in self.groups.drain(..) {
            let (inside, outside): (BTreeMap<_, _>, BTreeMap<_, _>) = group
                .into_iter()
                .partition(|(name, _)| trial.params.contains_key(name));
            for name in inside.keys() {
                unseen.remove(name.as_str());
            }
            next.push(inside);
            next.push(outside);
        }
        next.push(
            unseen
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        );
        next.retain(|g| !g.is_empty());
        self.groups = next;
    }

    /// The groups.
    pub fn groups(&self) -> &[BTreeMap<String, Distribution>] {
        &self.groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trial::TrialState;

    fn trial(params: &[(&str, Distribution)]) -> FrozenTrial {
        let mut t = FrozenTrial::new(0, TrialState::Complete);
        for (name, d) in params {
            t.params
                .insert(crate::trial::ParamDef::new(name, d.clone()), 0.0);
        }
        t
    }

    #[test]
    fn groups_split_by_co_occurrence() {
        let f = Distribution::float(0.0, 1.0, false, None).unwrap();
        let c = Distribution::categorical(vec!["A".into(), "B".into()]).unwrap();
        let mut g = GroupDecomposedSearchSpace::default();
        g.add(&trial(&[("x", c.clone()), ("y", f.clone())]));
        g.add(&trial(&[("x", c.clone()), ("z", f.clone())]));
        let names: Vec<Vec<&String>> = g.groups().iter().map(|g| g.keys().collect()).collect();
        assert_eq!(names, vec![vec!["x"], vec!["y"], vec!["z"]]);

        let mut i = IntersectionSearchSpace::default();
        i.add(&trial(&[("x", c.clone()), ("y", f.clone())]));
        i.add(&trial(&[("x", c), ("z", f)]));
        assert_eq!(i.get().keys().collect::<Vec<_>>(), vec!["x"]);
    }

    #[test]
    fn the_intersection_narrows_after_trials_that_share_its_definitions() {
        let f = Distribution::float(0.0, 1.0, false, None).unwrap();
        let g = Distribution::float(0.0, 2.0, false, None).unwrap();
        let mut table = crate::trial::ParamTable::default();
        let shared = |params: &[(&str, &Distribution)], table: &mut crate::trial::ParamTable| {
            let mut t = FrozenTrial::new(0, TrialState::Complete);
            for (name, d) in params {
                t.params.insert(table.intern(name, d), 0.0);
            }
            t
        };
        let mut i = IntersectionSearchSpace::default();
        let both = [("x", &f), ("y", &f)];
        // The same shared definitions again and again: the skip path.
        for _ in 0..3 {
            i.add(&shared(&both, &mut table));
        }
        assert_eq!(i.get().keys().collect::<Vec<_>>(), vec!["x", "y"]);
        // Then a trial with y under another distribution: y leaves.
        i.add(&shared(&[("x", &f), ("y", &g)], &mut table));
        assert_eq!(i.get().keys().collect::<Vec<_>>(), vec!["x"]);
        // And trials like the first ones no longer bring it back.
        i.add(&shared(&both, &mut table));
        assert_eq!(i.get().keys().collect::<Vec<_>>(), vec!["x"]);
    }
}
