//! An `f64` that survives JSON: a leaf module every other module may use.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// An `f64` that survives JSON: non-finite values are written as the strings `"NaN"`,
/// `"Infinity"` and `"-Infinity"`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JsonF64(pub f64);

impl Serialize for JsonF64 {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let v = self.0;
        if v.is_nan() {
            s.serialize_str("NaN")
        } else if v == f64::INFINITY {
            s.serialize_str("Infinity")
        } else if v == f64::NEG_INFINITY {
            s.serialize_str("-Infinity")
        } else {
            s.serialize_f64(v)
        }
    }
}

impl JsonF64 {
    /// As a JSON value (a number, or a string for non-finite values).
    pub fn to_value(self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// From a JSON value written by [`JsonF64::to_value`].
    pub fn from_value(v: &Value) -> Option<JsonF64> {
        serde_json::from_value(v.clone()).ok()
    }
}

impl<'de> Deserialize<'de> for JsonF64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Number(f64),
            Text(String),
        }
        match Repr::deserialize(d)? {
            Repr::Number(v) => Ok(JsonF64(v)),
            Repr::Text(t) => match t.as_str() {
                "NaN" => Ok(JsonF64(f64::NAN)),
                "Infinity" => Ok(JsonF64(f64::INFINITY)),
                "-Infinity" => Ok(JsonF64(f64::NEG_INFINITY)),
                _ => Err(serde::de::Error::custom(format!("not a number: {t:?}"))),
            },
        }
    }
}

/// Serde for `Option<Vec<f64>>` whose values may be non-finite, as [`JsonF64`]s.
pub mod option_vec {
    use super::JsonF64;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes each value as a [`JsonF64`].
    pub fn serialize<S: Serializer>(v: &Option<Vec<f64>>, s: S) -> Result<S::Ok, S::Error> {
        v.as_ref()
            .map(|vs| vs.iter().map(|x| JsonF64(*x)).collect::<Vec<_>>())
            .serialize(s)
    }

    /// Reads what [`serialize`] wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<f64>>, D::Error> {
        let v = Option::<Vec<JsonF64>>::deserialize(d)?;
        Ok(v.map(|vs| vs.into_iter().map(|x| x.0).collect()))
    }
}

/// Serde for `BTreeMap<u64, f64>` whose values may be non-finite, as [`JsonF64`]s.
pub mod step_map {
    use std::collections::BTreeMap;

    use super::JsonF64;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes each value as a [`JsonF64`].
    pub fn serialize<S: Serializer>(m: &BTreeMap<u64, f64>, s: S) -> Result<S::Ok, S::Error> {
        m.iter()
            .map(|(k, v)| (*k, JsonF64(*v)))
            .collect::<BTreeMap<_, _>>()
            .serialize(s)
    }

    /// Reads what [`serialize`] wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<u64, f64>, D::Error> {
        let m = BTreeMap::<u64, JsonF64>::deserialize(d)?;
        Ok(m.into_iter().map(|(k, v)| (k, v.0)).collect())
    }
}
