//! A collection that costs one pointer while empty, as most trials' attribute,
//! constraint and step maps are.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A collection with a shared empty value to read while nothing is stored.
pub trait Collection: Default + 'static {
    /// The empty value.
    const EMPTY: &'static Self;
    /// True when it holds nothing.
    fn is_empty(&self) -> bool;
}

impl<K: 'static, V: 'static> Collection for BTreeMap<K, V> {
    const EMPTY: &'static Self = &BTreeMap::new();
    fn is_empty(&self) -> bool {
        BTreeMap::is_empty(self)
    }
}

/// `T`, boxed only once something is stored: 8 bytes in the trial while empty. It reads
/// as `T` (through `Deref`); writing through `DerefMut` allocates it. Its serde form is
/// `T`'s.
#[derive(Clone, Default)]
pub struct Sparse<T>(Option<Box<T>>);

impl<T: Collection> Sparse<T> {
    /// Wraps `value`, unboxed when empty.
    pub fn new(value: T) -> Self {
        Sparse((!value.is_empty()).then(|| Box::new(value)))
    }

    /// The value, taken out (empty when nothing was stored).
    pub fn into_inner(self) -> T {
        self.0.map(|b| *b).unwrap_or_default()
    }
}

impl<T: Collection> Deref for Sparse<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.0.as_deref().unwrap_or(T::EMPTY)
    }
}

impl<T: Collection> DerefMut for Sparse<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: Collection> From<T> for Sparse<T> {
    fn from(value: T) -> Self {
        Sparse::new(value)
    }
}

impl<T: Collection + PartialEq> PartialEq for Sparse<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Collection + PartialEq> PartialEq<T> for Sparse<T> {
    fn eq(&self, other: &T) -> bool {
        **self == *other
    }
}

impl<T: Collection + fmt::Debug> fmt::Debug for Sparse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<'a, T: Collection> IntoIterator for &'a Sparse<T>
where
    &'a T: IntoIterator,
{
    type Item = <&'a T as IntoIterator>::Item;
    type IntoIter = <&'a T as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        (**self).into_iter()
    }
}

impl<T: Collection + Serialize> Serialize for Sparse<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'de, T: Collection + Deserialize<'de>> Deserialize<'de> for Sparse<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Sparse::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_costs_a_pointer_and_reads_as_empty() {
        assert_eq!(std::mem::size_of::<Sparse<BTreeMap<u64, f64>>>(), 8);
        let mut m: Sparse<BTreeMap<u64, f64>> = Sparse::default();
        assert!(m.is_empty() && m.get(&1).is_none());
        m.insert(1, 2.0);
        assert_eq!(m[&1], 2.0);
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"1":2.0}"#);
        assert_eq!(Sparse::new(BTreeMap::<u64, f64>::new()), Sparse::default());
    }
}
