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
