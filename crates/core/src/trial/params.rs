//! A trial's parameters, compactly: 8 bytes each, with the names and distributions (the
//! trial's shape) shared by every trial of a study that sets the same ones.

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

/// The names and distributions of a trial's parameters, sorted by name, each with its
/// position in the order the trial set it. Trials that set the same definitions in the
/// same order share one shape ([`ParamTable`] keeps them), so a trial holds only its
/// values.
#[derive(Debug, PartialEq)]
struct Shape {
    entries: Box<[(Arc<ParamDef>, u32)]>,
}

impl Shape {
    /// `shape` (none for no parameter) with `def` added after the others, at `at` by
    /// name.
    fn grown(shape: Option<&Shape>, at: usize, def: Arc<ParamDef>) -> Shape {
        let old = shape.map_or(&[][..], |s| &s.entries);
        let mut entries = Vec::with_capacity(old.len() + 1);
        entries.extend_from_slice(&old[..at]);
        entries.push((def, old.len() as u32));
        entries.extend_from_slice(&old[at..]);
        Shape {
            entries: entries.into(),
        }
    }
}

/// A trial's parameters: an internal value and a distribution per name. They iterate by
/// name (as a `BTreeMap` would); [`Params::in_order`] gives the order they were set in.
/// Lookups by name are binary searches: O(log p). A trial of a study holds its values
/// (8 bytes each) and a pointer to its shape, shared with the trials that set the same
/// parameters.
#[derive(Clone, Default)]
pub struct Params {
    /// None for no parameter.
    shape: Option<Arc<Shape>>,
    /// By name, as the shape's entries.
    values: Vec<f64>,
}

impl PartialEq for Params {
    fn eq(&self, other: &Params) -> bool {
        self.entries_with_ranks().eq(other.entries_with_ranks())
    }
}

impl Params {
    fn defs(&self) -> &[(Arc<ParamDef>, u32)] {
        self.shape.as_deref().map_or(&[], |s| &s.entries)
    }

    fn entries_with_ranks(&self) -> impl Iterator<Item = (&ParamDef, f64, u32)> + '_ {
        self.defs()
            .iter()
            .zip(self.values.iter())
            .map(|((d, rank), v)| (&**d, *v, *rank))
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when the trial has no parameter yet.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.defs().binary_search_by(|(d, _)| (*d.name).cmp(name))
    }

    /// The internal value of `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.find(name).ok().map(|i| self.values[i])
    }

    /// The distribution of `name`.
    pub fn distribution(&self, name: &str) -> Option<&Distribution> {
        self.find(name).ok().map(|i| &self.defs()[i].0.distribution)
    }

    /// True when the trial has `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// (name, internal value), by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> + '_ {
        self.entries().map(|(n, _, v)| (n, v))
    }

    /// True when `other` holds the same definitions, the very same shared ones, by
    /// name: O(1) when both share a shape, else O(p) pointer compares, where comparing
    /// names and distributions reads them (a categorical one's every choice).
    pub fn same_defs(&self, other: &Params) -> bool {
        match (&self.shape, &other.shape) {
            (Some(a), Some(b)) if Arc::ptr_eq(a, b) => true,
            _ => {
                self.len() == other.len()
                    && self
                        .defs()
                        .iter()
                        .zip(other.defs())
                        .all(|(a, b)| Arc::ptr_eq(&a.0, &b.0))
            }
        }
    }

    /// The names, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.defs().iter().map(|(d, _)| &*d.name)
    }

    /// (name, distribution), by name.
    pub fn distributions(&self) -> impl Iterator<Item = (&str, &Distribution)> + '_ {
        self.defs().iter().map(|(d, _)| (&*d.name, &d.distribution))
    }

    /// (name, distribution, internal value), by name.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Distribution, f64)> + '_ {
        self.entries_with_ranks()
            .map(|(d, v, _)| (&*d.name, &d.distribution, v))
    }

    /// (name, distribution, internal value), in the order the trial set them. O(p log p).
    pub fn in_order(&self) -> impl Iterator<Item = (&str, &Distribution, f64)> + '_ {
        let mut order: Vec<(&ParamDef, f64, u32)> = self.entries_with_ranks().collect();
        order.sort_by_key(|e| e.2);
        order
            .into_iter()
            .map(|(d, v, _)| (&*d.name, &d.distribution, v))
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

    /// Sets a parameter the trial does not have yet, after the others, with a shape of
    /// its own. False, and nothing changes, when it has one of that name. O(p).
    pub fn insert(&mut self, def: Arc<ParamDef>, value: f64) -> bool {
        let Err(at) = self.find(&def.name) else {
            return false;
        };
        self.shape = Some(Arc::new(Shape::grown(self.shape.as_deref(), at, def)));
        self.values.insert(at, value);
        true
    }

    /// As [`Self::insert`], with the shape `table` shares among the trials that set the
    /// same definitions in the same order. O(p + log s) for s shapes in the table; the
    /// first parameter makes room for as many as the study's widest trial has.
    pub fn insert_shared(
        &mut self,
        def: Arc<ParamDef>,
        value: f64,
        table: &mut ParamTable,
    ) -> bool {
        let Err(at) = self.find(&def.name) else {
            return false;
        };
        let shape = table.next_shape(self.shape.as_ref(), at, &def);
        if self.values.len() == self.values.capacity() {
            let room = table.widest.max(self.values.len() + 1);
            self.values.reserve_exact(room - self.values.len());
        }
        self.shape = Some(shape);
        self.values.insert(at, value);
        table.widest = table.widest.max(self.values.len());
        true
    }

    /// Frees the room the values have beyond their number. O(p).
    pub fn shrink_to_fit(&mut self) {
        self.values.shrink_to_fit();
    }

    /// Shares the names and distributions of `table`, so equal ones are held once, and
    /// the shape of the trials that set them in the same order. O(p log p).
    pub fn intern(&mut self, table: &mut ParamTable) {
        let mut shared = Params::default();
        for (name, distribution, value) in self.in_order() {
            let def = table.intern(name, distribution);
            shared.insert_shared(def, value, table);
        }
        *self = shared;
    }
}

impl Index<&str> for Params {
    type Output = f64;
    /// Panics when the trial lacks the parameter, as a map's index does.
    fn index(&self, name: &str) -> &f64 {
        match self.find(name) {
            Ok(i) => &self.values[i],
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
    /// The shared shapes, by the shape a trial had (by address; none for no parameter)
    /// and the definition it set next (by address): [`Params::insert_shared`].
    next: BTreeMap<(usize, usize), Step>,
    /// The most parameters a trial has had.
    widest: usize,
}

/// A shared step from one shape to the next. It holds the shape it steps from, so no
/// other shape takes that address while the table holds the step.
#[derive(Clone, Debug)]
struct Step {
    _from: Option<Arc<Shape>>,
    to: Arc<Shape>,
}

/// The most shapes a table shares. A define-by-run study whose trials set ever new
/// combinations of parameters gets shapes of their own past it, as a trial outside a
/// study does: correct, only not shared.
const MAX_SHAPES: usize = 4096;

impl ParamTable {
    /// The shared definition of (`name`, `distribution`), if there is one.
    pub fn get(&self, name: &str, distribution: &Distribution) -> Option<Arc<ParamDef>> {
        self.by_name
            .get(name)?
            .iter()
            .find(|d| d.distribution == *distribution)
            .cloned()
    }

    /// The shape after `shape` (none for no parameter) gains `def` at `at`: shared with
    /// the trials that took the same step, made on first use. O(log s).
    fn next_shape(
        &mut self,
        shape: Option<&Arc<Shape>>,
        at: usize,
        def: &Arc<ParamDef>,
    ) -> Arc<Shape> {
        // The key's shape and definition stay alive while the table holds the entry
        // (it holds the shape it steps from, and the next shape holds the definition),
        // so no other takes their addresses meanwhile.
        let key = (
            shape.map_or(0, |s| Arc::as_ptr(s) as usize),
            Arc::as_ptr(def) as usize,
        );
        if let Some(step) = self.next.get(&key) {
            return step.to.clone();
        }
        let next = Arc::new(Shape::grown(shape.map(|s| &**s), at, def.clone()));
        if self.next.len() < MAX_SHAPES {
            let step = Step {
                _from: shape.cloned(),
                to: next.clone(),
            };
            self.next.insert(key, step);
        }
        next
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
        assert!(Arc::ptr_eq(&a.defs()[1].0, &b.defs()[0].0));
        assert!(!a.same_defs(&b));
        // Trials that set the same definitions in the same order share one shape; the
        // other order is another shape, with the same definitions and values.
        let shared = |names: [&str; 2], table: &mut ParamTable| {
            let mut p = Params::default();
            for name in names {
                let value = if name == "a" { 0.25 } else { 0.5 };
                assert!(p.insert_shared(table.intern(name, &d), value, table));
            }
            p
        };
        let (c, e) = (
            shared(["z", "a"], &mut table),
            shared(["z", "a"], &mut table),
        );
        let f = shared(["a", "z"], &mut table);
        let ptr = |p: &Params| Arc::as_ptr(p.shape.as_ref().unwrap());
        assert_eq!(ptr(&c), ptr(&e));
        assert_ne!(ptr(&c), ptr(&f));
        assert!(c.same_defs(&f) && c == a && c != f);
        a.intern(&mut table);
        assert_eq!(ptr(&a), ptr(&c));
        // A shape pointer and the values (16 bytes on wasm32).
        assert_eq!(std::mem::size_of::<Params>(), 32);
    }
}
