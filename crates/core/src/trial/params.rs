//! A trial's parameters, compactly: 24 bytes each, with the name and distribution
//! shared by every trial of a study that has them.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Index;
use std::sync::Arc;

use crate::distributions::Distribution;

/// A parameter's name and distribution, held once per study ([`ParamTable`]) and shared
/// by the trials that use them.
#[derive(Debug, PartialEq)]
pub struct ParamDef {
    /// The name.
    pub name: Box<str>,
    /// The distribution.
    pub distribution: Distribution,
}

impl ParamDef {
    /// A definition of its own, for a trial outside a study.
    pub fn new(name: &str, distribution: Distribution) -> Arc<ParamDef> {
        Arc::new(ParamDef {
            name: name.into(),
            distribution,
        })
    }
}

#[derive(Clone, PartialEq)]
struct Entry {
    def: Arc<ParamDef>,
    value: f64,
    /// Position in the order the trial set its parameters.
    rank: u32,
}

/// A trial's parameters: an internal value and a distribution per name. They iterate by
/// name (as a `BTreeMap` would); [`Params::in_order`] gives the order they were set in.
/// Lookups by name are binary searches: O(log p).
#[derive(Clone, Default, PartialEq)]
pub struct Params {
    /// Sorted by name.
    entries: Vec<Entry>,
}

impl Params {
    /// How many.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the trial has no parameter yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|e| (*e.def.name).cmp(name))
    }

    /// The internal value of `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.find(name).ok().map(|i| self.entries[i].value)
    }

    /// The distribution of `name`.
    pub fn distribution(&self, name: &str) -> Option<&Distribution> {
        self.find(name)
            .ok()
            .map(|i| &self.entries[i].def.distribution)
    }

    /// True when the trial has `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// (name, internal value), by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> + '_ {
        self.entries.iter().map(|e| (&*e.def.name, e.value))
    }

    /// True when `other` holds the same definitions, the very same shared ones, by
    /// name: O(p) pointer compares, where comparing names and distributions reads
    /// them (a categorical one's every choice).
    pub fn same_defs(&self, other: &Params) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(&other.entries)
                .all(|(a, b)| Arc::ptr_eq(&a.def, &b.def))
    }

    /// The names, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().map(|e| &*e.def.name)
    }

    /// (name, distribution), by name.
    pub fn distributions(&self) -> impl Iterator<Item = (&str, &Distribution)> + '_ {
        self.entries
            .iter()
            .map(|e| (&*e.def.name, &e.def.distribution))
    }

    /// (name, distribution, internal value), by name.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Distribution, f64)> + '_ {
        self.entries
            .iter()
            .map(|e| (&*e.def.name, &e.def.distribution, e.value))
    }

    /// (name, distribution, internal value), in the order the trial set them. O(p log p).
    pub fn in_order(&self) -> impl Iterator<Item = (&str, &Distribution, f64)> + '_ {
        let mut order: Vec<&Entry> = self.entries.iter().collect();
        order.sort_by_key(|e| e.rank);
        order
            .into_iter()
            .map(|e| (&*e.def.name, &e.def.distribution, e.value))
    }

    /// The values as a map.
    pub fn to_values(&self) -> BTreeMap<String, f64> {
        self.iter().map(|(n, v)| (n.to_string(), v)).collect()
    }

    /// The distributions as a map.
    pub fn to_distributions(&self) -> BTreeMap<String, Distribution> {
        self.distributions()
            .map(|(n, d)| (n.to_string(), d.clone()))
            .collect()
    }

    /// Sets a parameter the trial does not have yet, after the others. False, and
    /// nothing changes, when it has one of that name. O(p).
    pub fn insert(&mut self, def: Arc<ParamDef>, value: f64) -> bool {
        match self.find(&def.name) {
            Ok(_) => false,
            Err(at) => {
                let rank = self.entries.len() as u32;
                self.entries.insert(at, Entry { def, value, rank });
                true
            }
        }
    }

    /// Frees the room the parameters grew beyond their number. O(p).
    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
    }

    /// Shares the names and distributions of `table`, so equal ones are held once.
    pub fn intern(&mut self, table: &mut ParamTable) {
        for e in &mut self.entries {
            e.def = table.intern(&e.def.name, &e.def.distribution);
        }
    }
}

impl Index<&str> for Params {
    type Output = f64;
    /// Panics when the trial lacks the parameter, as a map's index does.
    fn index(&self, name: &str) -> &f64 {
        match self.find(name) {
            Ok(i) => &self.entries[i].value,
            Err(_) => panic!("the trial has no parameter {name:?}"),
        }
    }
}

impl Index<&String> for Params {
    type Output = f64;
    fn index(&self, name: &String) -> &f64 {
        &self[name.as_str()]
    }
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries().map(|(n, d, v)| (n, (v, d))))
            .finish()
    }
}

/// A study's parameter names and distributions, each held once. A name may have several
/// distributions (Optuna allows a trial to suggest it differently). Cost of a lookup:
/// O(log names + distributions of that name).
#[derive(Clone, Debug, Default)]
pub struct ParamTable {
    by_name: BTreeMap<Box<str>, Vec<Arc<ParamDef>>>,
}

impl ParamTable {
    /// The shared definition of (`name`, `distribution`), if there is one.
    pub fn get(&self, name: &str, distribution: &Distribution) -> Option<Arc<ParamDef>> {
        self.by_name
            .get(name)?
            .iter()
            .find(|d| d.distribution == *distribution)
            .cloned()
    }

    /// The shared definition of (`name`, `distribution`), made on first use.
    pub fn intern(&mut self, name: &str, distribution: &Distribution) -> Arc<ParamDef> {
        if let Some(def) = self.get(name, distribution) {
            return def;
        }
        let def = ParamDef::new(name, distribution.clone());
        self.by_name
            .entry(name.into())
            .or_default()
            .push(def.clone());
        def
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iterates_by_name_keeps_the_set_order_and_shares_definitions() {
        let mut table = ParamTable::default();
        let d = Distribution::float(0.0, 1.0, false, None).unwrap();
        let mut a = Params::default();
        assert!(a.insert(table.intern("z", &d), 0.5));
        assert!(a.insert(table.intern("a", &d), 0.25));
        assert!(!a.insert(table.intern("a", &d), 0.75));
        assert_eq!(a.keys().collect::<Vec<_>>(), ["a", "z"]);
        assert_eq!(
            a.in_order().map(|(n, ..)| n).collect::<Vec<_>>(),
            ["z", "a"]
        );
        assert_eq!((a["a"], a.get("z"), a.get("y")), (0.25, Some(0.5), None));
        let mut b = Params::default();
        b.insert(ParamDef::new("z", d.clone()), 0.5);
        b.intern(&mut table);
        assert!(Arc::ptr_eq(&a.entries[1].def, &b.entries[0].def));
        assert_eq!(std::mem::size_of::<Entry>(), 24);
    }
}
