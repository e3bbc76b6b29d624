//! Distributions: the closed set of parameter kinds, and external parameter values.
//!
//! Every value is stored internally as an `f64`: the value itself for floats and ints,
//! the index of the choice for categoricals. [`Distribution::to_external`] and
//! [`Distribution::to_internal`] convert between the two forms.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A parameter value as users see it: a number, a string or a boolean.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A boolean categorical choice.
    Bool(bool),
    /// An integer (int distributions, or an integer categorical choice).
    Int(i64),
    /// A float (float distributions, or a numeric categorical choice).
    Float(f64),
    /// A string categorical choice.
    Str(String),
}

impl ParamValue {
    /// The value as a number, when it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            ParamValue::Int(i) => Some(*i as f64),
            ParamValue::Float(f) => Some(*f),
            _ => None,
        }
    }
}

/// Numbers compare by value, so `1` and `1.0` are the same choice.
impl PartialEq for ParamValue {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ParamValue::Bool(a), ParamValue::Bool(b)) => a == b,
            (ParamValue::Str(a), ParamValue::Str(b)) => a == b,
            (a, b) => match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            },
        }
    }
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Bool(b) => write!(f, "{b}"),
            ParamValue::Int(i) => write!(f, "{i}"),
            ParamValue::Float(x) => write!(f, "{x}"),
            ParamValue::Str(s) => write!(f, "{s:?}"),
        }
    }
}

impl From<f64> for ParamValue {
    fn from(v: f64) -> Self {
        ParamValue::Float(v)
    }
}
impl From<i64> for ParamValue {
    fn from(v: i64) -> Self {
        ParamValue::Int(v)
    }
}
impl From<bool> for ParamValue {
    fn from(v: bool) -> Self {
        ParamValue::Bool(v)
    }
}
impl From<&str> for ParamValue {
    fn from(v: &str) -> Self {
        ParamValue::Str(v.to_string())
    }
}

fn default_int_step() -> i64 {
    1
}
fn is_false(b: &bool) -> bool {
    !*b
}

/// The distribution of one parameter. Build it with [`Distribution::float`],
/// [`Distribution::int`] or [`Distribution::categorical`] (or deserialize it and call
/// [`Distribution::validated`]) so that it is always valid.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Distribution {
    /// A real number in `[low, high]`, optionally on a log scale or a grid of `step`.
    Float {
        /// Lower bound, inclusive.
        low: f64,
        /// Upper bound, inclusive.
        high: f64,
        /// Sample on a log scale (needs `low > 0`, and no step).
        #[serde(default, skip_serializing_if = "is_false")]
        log: bool,
        /// Grid spacing from `low`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<f64>,
    },
    /// An integer in `[low, high]`, optionally on a log scale or a grid of `step`.
    Int {
        /// Lower bound, inclusive.
        low: i64,
        /// Upper bound, inclusive.
        high: i64,
        /// Sample on a log scale (needs `low >= 1` and `step == 1`).
        #[serde(default, skip_serializing_if = "is_false")]
        log: bool,
        /// Grid spacing from `low`.
        #[serde(default = "default_int_step")]
        step: i64,
    },
    /// One of a list of distinct choices.
    Categorical {
        /// The choices, in order; stored internally as their index.
        choices: Vec<ParamValue>,
    },
}

impl Distribution {
    /// A float distribution.
    ///
    /// ```
    /// use edgetune_core::Distribution;
    /// let lr = Distribution::float(1e-5, 1e-1, true, None).unwrap();
    /// assert!(Distribution::float(1.0, 0.0, false, None).is_err());
    /// ```
    pub fn float(low: f64, high: f64, log: bool, step: Option<f64>) -> Result<Self> {
        Distribution::Float {
            low,
            high,
            log,
            step,
        }
        .validated()
    }

    /// An integer distribution with `step` (1 for every integer).
    ///
    /// ```
    /// use edgetune_core::Distribution;
    /// let batch = Distribution::int(16, 128, false, 16).unwrap();
    /// assert!(Distribution::int(0, 10, true, 1).is_err()); // log needs low >= 1
    /// ```
    pub fn int(low: i64, high: i64, log: bool, step: i64) -> Result<Self> {
        Distribution::Int {
            low,
            high,
            log,
            step,
        }
        .validated()
    }

    /// A categorical distribution.
    ///
    /// ```
    /// use edgetune_core::{Distribution, ParamValue};
    /// let opt = Distribution::categorical(vec!["adam".into(), "sgd".into()]).unwrap();
    /// assert!(Distribution::categorical(vec![]).is_err());
    /// ```
    pub fn categorical(choices: Vec<ParamValue>) -> Result<Self> {
        Distribution::Categorical { choices }.validated()
    }

    /// Checks the distribution and returns it normalised: as in Optuna, a `high` that is
    /// not on the step grid is lowered to the last grid point.
    pub fn validated(self) -> Result<Self> {
        match self {
            Distribution::Float {
                low,
                high,
                log,
                step,
            } => {
                if !low.is_finite() {
                    return Err(Error::invalid("low", format!("must be finite, got {low}")));
                }
                if !high.is_finite() {
                    return Err(Error::invalid(
                        "high",
                        format!("must be finite, got {high}"),
                    ));
                }
                if low > high {
                    return Err(Error::invalid(
                        "low",
                        format!("must be <= high, got low={low} > high={high}"),
                    ));
                }
                if !(high - low).is_finite() {
                    return Err(Error::invalid("high", "high - low must be a finite number"));
                }
                if log && low <= 0.0 {
                    return Err(Error::invalid(
                        "low",
                        format!("must be > 0 when log is true, got {low}"),
                    ));
                }
                let high = match step {
                    None => high,
                    Some(step) => {
                        if log {
                            return Err(Error::invalid("step", "cannot be used with log"));
                        }
                        if !(step.is_finite() && step > 0.0) {
                            return Err(Error::invalid(
                                "step",
                                format!("must be a finite number > 0, got {step}"),
                            ));
                        }
                        let n = libm::floor((high - low) / step + 1e-9);
                        if n > (1u64 << 53) as f64 {
                            return Err(Error::invalid(
                                "step",
                                "the grid may have at most 2^53 points",
                            ));
                        }
                        low + n * step
                    }
                };
                Ok(Distribution::Float {
                    low,
                    high,
                    log,
                    step,
                })
            }
            Distribution::Int {
                low,
                high,
                log,
                step,
            } => {
                if low > high {
                    return Err(Error::invalid(
                        "low",
                        format!("must be <= high, got low={low} > high={high}"),
                    ));
                }
                if step < 1 {
                    return Err(Error::invalid("step", format!("must be >= 1, got {step}")));
                }
                if log && step != 1 {
                    return Err(Error::invalid("step", "must be 1 when log is true"));
                }
                if log && low < 1 {
                    return Err(Error::invalid(
                        "low",
                        format!("must be >= 1 when log is true, got {low}"),
                    ));
                }
                // Bounds within 2^53 keep every value exact in the internal f64.
                const LIMIT: i64 = 1 << 53;
                if low < -LIMIT || high > LIMIT {
                    return Err(Error::invalid(
                        "high",
                        "int bounds must lie within ±2^53 so that values stay exact",
                    ));
                }
                let high = low + (high - low) / step * step;
                Ok(Distribution::Int {
                    low,
                    high,
                    log,
                    step,
                })
            }
            Distribution::Categorical { choices } => {
                if choices.is_empty() {
                    return Err(Error::invalid("choices", "must not be empty"));
                }
                for (i, c) in choices.iter().enumerate() {
                    if let ParamValue::Float(f) = c {
                        if !f.is_finite() {
                            return Err(Error::invalid(
                                format!("choices[{i}]"),
                                "must be a finite number",
                            ));
                        }
                    }
                    if choices[..i].contains(c) {
                        return Err(Error::invalid(
                            format!("choices[{i}]"),
                            format!("duplicate choice {c}"),
                        ));
                    }
                }
                Ok(Distribution::Categorical { choices })
            }
        }
    }

    /// The distribution's kind, as in the serialized `type` field.
    pub fn kind(&self) -> &'static str {
        match self {
            Distribution::Float { .. } => "float",
            Distribution::Int { .. } => "int",
            Distribution::Categorical { .. } => "categorical",
        }
    }

    /// The numeric view of a float or int distribution, in internal units:
    /// `(low, high, log, step)`, with an int's bounds and step as `f64` (its step is
    /// always present). `None` for a categorical.
    pub fn numeric_range(&self) -> Option<(f64, f64, bool, Option<f64>)> {
        match *self {
            Distribution::Float {
                low,
                high,
                log,
                step,
            } => Some((low, high, log, step)),
            Distribution::Int {
                low,
                high,
                log,
                step,
            } => Some((low as f64, high as f64, log, Some(step as f64))),
            Distribution::Categorical { .. } => None,
        }
    }

    /// True when the distribution holds exactly one value.
    pub fn is_single(&self) -> bool {
        match self {
            Distribution::Float { low, high, .. } => low == high,
            Distribution::Int { low, high, .. } => low == high,
            Distribution::Categorical { choices } => choices.len() == 1,
        }
    }

    /// True when `internal` is a value of this distribution.
    pub fn contains(&self, internal: f64) -> bool {
        if !internal.is_finite() {
            return false;
        }
        match self {
            Distribution::Float {
                low, high, step, ..
            } => {
                if internal < *low || internal > *high {
                    return false;
                }
                match step {
                    None => true,
                    Some(step) => {
                        let k = (internal - low) / step;
                        (k - libm::round(k)).abs() < 1e-8
                    }
                }
            }
            Distribution::Int {
                low, high, step, ..
            } => {
                internal.fract() == 0.0
                    && internal >= *low as f64
                    && internal <= *high as f64
                    && (internal as i64 - low) % step == 0
            }
            Distribution::Categorical { choices } => {
                internal.fract() == 0.0 && internal >= 0.0 && (internal as usize) < choices.len()
            }
        }
    }

    /// The user-facing value of an internal value.
    pub fn to_external(&self, internal: f64) -> Result<ParamValue> {
        if !self.contains(internal) {
            return Err(Error::invalid(
                "value",
                format!("{internal} is not in the {} distribution", self.kind()),
            ));
        }
        Ok(match self {
            Distribution::Float { .. } => ParamValue::Float(internal),
            Distribution::Int { .. } => ParamValue::Int(internal as i64),
            Distribution::Categorical { choices } => choices[internal as usize].clone(),
        })
    }

    /// The internal value of a user-facing value; an error when it is not in the
    /// distribution.
    pub fn to_internal(&self, value: &ParamValue) -> Result<f64> {
        let internal = match self {
            Distribution::Float { .. } | Distribution::Int { .. } => value.as_f64(),
            Distribution::Categorical { choices } => {
                choices.iter().position(|c| c == value).map(|i| i as f64)
            }
        };
        match internal {
            Some(v) if self.contains(v) => Ok(v),
            _ => Err(Error::invalid(
                "value",
                format!("{value} is not in the {} distribution", self.kind()),
            )),
        }
    }
}

/// A named parameter: one entry of a [`SearchSpace`]. It serializes flat, as
/// `{"name": "lr", "type": "float", "low": 0.001, "high": 0.1, "log": true}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The parameter name.
    pub name: String,
    /// Its distribution.
    pub distribution: Distribution,
}

impl Serialize for Param {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = match serde_json::to_value(&self.distribution) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => return Err(serde::ser::Error::custom("distribution is not an object")),
        };
        map.insert("name".into(), serde_json::Value::String(self.name.clone()));
        map.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Param {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        let name = match map.remove("name") {
            Some(serde_json::Value::String(name)) => name,
            Some(_) => return Err(D::Error::custom("name: must be a string")),
            None => return Err(D::Error::custom("name: missing field")),
        };
        let distribution: Distribution = serde_json::from_value(serde_json::Value::Object(map))
            .map_err(|e| D::Error::custom(format!("parameter {name:?}: {e}")))?;
        Ok(Param { name, distribution })
    }
}

/// An ordered list of named parameters, such as a study's fixed search space.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SearchSpace(pub Vec<Param>);

impl SearchSpace {
    /// Validates every distribution and that names are non-empty and distinct.
    /// Errors name the entry, as `[2].low`.
    pub fn validated(self) -> Result<Self> {
        let mut seen = BTreeMap::new();
        let mut params = Vec::with_capacity(self.0.len());
        for (i, p) in self.0.into_iter().enumerate() {
            let at = format!("[{i}]");
            validate_param_name(&p.name).map_err(|e| e.within(&at))?;
            if seen.insert(p.name.clone(), i).is_some() {
                return Err(Error::invalid(
                    format!("{at}.name"),
                    format!("duplicate parameter name {:?}", p.name),
                ));
            }
            let distribution = p.distribution.validated().map_err(|e| e.within(&at))?;
            params.push(Param {
                name: p.name,
                distribution,
            });
        }
        Ok(SearchSpace(params))
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The distribution of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&Distribution> {
        self.0
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.distribution)
    }
}

/// Parameter names are non-empty and at most 256 bytes.
pub fn validate_param_name(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::invalid("name", "must not be empty"));
    }
    if name.len() > 256 {
        return Err(Error::invalid("name", "must be at most 256 bytes"));
    }
    Ok(())
}
