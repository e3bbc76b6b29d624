//! The packed form of a run of journal events: what a store keeps once it compacts its
//! journal, so that a study wakes without parsing its whole history as JSON.
//!
//! A packed chunk is postcard (a compact binary serde format) of its version, a table
//! of the distinct (parameter name, distribution) pairs, then the events. The events
//! that make up almost every journal (asked, param_set, reported, told) are packed field
//! by field, their parameters as indices into the table; any other event, and any field
//! that holds free JSON (attributes), is kept as its journal JSON. Unpacking gives back
//! the same events, bit for bit, so a replay of unpacked events is the replay of the
//! journal.
//!
//! Version 2 (written) holds each trial number as its difference from the event
//! before's, a whole number (an integer or categorical parameter's value, most times)
//! as a variable-length integer and a time as its difference in milliseconds from the
//! chunk's time before: about 70 bytes per trial of five parameters, where version 1
//! (still read) took about 90.
//!
//! Cost: O(events + distinct parameters) to pack and to unpack, plus the JSON of the
//! events without a packed form.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::journal::Event;
use crate::distributions::Distribution;
use crate::error::{Error, Result};
use crate::json_f64::JsonF64;
use crate::trial::{RelativeParam, TrialState};

/// The packed format's version that [`pack`] writes, the first field of every chunk.
/// [`unpack`] reads it and version 1.
pub const PACKED_VERSION: u32 = 2;

/// A chunk after its version: each distinct (name, distribution) pair, the
/// distribution as its JSON, then the events.
type Body<E> = (Vec<(String, String)>, Vec<E>);

/// An event as version 1 packs it, and as both versions unpack to before it becomes an
/// [`Event`]: numbers whole, values and times as they are.
#[derive(Serialize, Deserialize)]
enum Packed {
    /// An event without a packed form, as its journal JSON.
    Json(String),
    Asked {
        number: u64,
        /// (parameter index, internal value) of each relative parameter.
        relative: Vec<(u32, f64)>,
        /// The JSON of (trial attributes, study attributes), when either has any.
        attrs: Option<String>,
        at: Option<f64>,
    },
    ParamSet {
        number: u64,
        param: u32,
        value: f64,
    },
    Reported {
        number: u64,
        step: u64,
        value: f64,
        cost: Option<f64>,
    },
    Told {
        number: u64,
        state: TrialState,
        values: Option<Vec<f64>>,
        fail_reason: Option<String>,
        cost: Option<f64>,
        at: Option<f64>,
    },
}

/// An event as version 2 packs it: `number` is the difference from the number of the
/// chunk's event before (0 before the first), wrapping.
#[derive(Serialize, Deserialize)]
enum Compact {
    Json(String),
    Asked {
        number: i64,
        relative: Vec<(u32, Num)>,
        attrs: Option<String>,
        at: Time,
    },
    ParamSet {
        number: i64,
        param: u32,
        value: SetValue,
    },
    Reported {
        number: i64,
        step: u64,
        value: Num,
        cost: Option<Num>,
    },
    Told {
        number: i64,
        state: TrialState,
        values: Option<Vec<Num>>,
        fail_reason: Option<String>,
        cost: Option<Num>,
        at: Time,
    },
}

/// A float, as a variable-length integer when it is a whole number that converts back
/// bit for bit (not -0.0).
#[derive(Clone, Copy, Serialize, Deserialize)]
enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    fn of(v: f64) -> Num {
        const EXACT: f64 = (1u64 << 53) as f64;
        if v.fract() == 0.0 && v.abs() < EXACT && (v as i64 as f64).to_bits() == v.to_bits() {
            Num::Int(v as i64)
        } else {
            Num::Float(v)
        }
    }

    fn value(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(v) => v,
        }
    }
}

/// A parameter's value: as a [`Num`], or `Drawn`, the value the trial's asked event
/// (in the same chunk) holds for that parameter, bit for bit: a relative parameter is
/// set with the value drawn for it at ask.
#[derive(Serialize, Deserialize)]
enum SetValue {
    Drawn,
    Int(i64),
    Float(f64),
}

/// A time: a whole number of milliseconds as its difference from the chunk's whole
/// time before (0 before the first), any other as it is.
#[derive(Serialize, Deserialize)]
enum Time {
    None,
    Ms(i64),
    Float(f64),
}

/// What version 2 counts its differences from, packing and unpacking alike: the
/// number and time before, and the relative parameters of the trials asked in the chunk
/// and not yet told.
#[derive(Default)]
struct Before {
    number: u64,
    ms: i64,
    drawn: BTreeMap<u64, Vec<(u32, f64)>>,
}

impl Before {
    fn number(&mut self, number: u64) -> i64 {
        let delta = number.wrapping_sub(self.number) as i64;
        self.number = number;
        delta
    }

    fn unnumber(&mut self, delta: i64) -> u64 {
        self.number = self.number.wrapping_add(delta as u64);
        self.number
    }

    /// Notes what trial `number` drew at ask, for its parameters set as drawn.
    fn ask(&mut self, number: u64, relative: Vec<(u32, f64)>) {
        if relative.is_empty() {
            self.drawn.remove(&number);
        } else {
            self.drawn.insert(number, relative);
        }
    }

    /// The bits of the value trial `number` drew at ask for parameter `param`.
    fn drawn(&self, number: u64, param: u32) -> Option<u64> {
        let relative = self.drawn.get(&number)?;
        let (_, v) = relative.iter().find(|(i, _)| *i == param)?;
        Some(v.to_bits())
    }

    /// Parameter `param` of trial `number` set to `value`: `Drawn` when it is the value
    /// drawn for it at ask.
    fn set_value(&self, number: u64, param: u32, value: f64) -> SetValue {
        if self.drawn(number, param) == Some(value.to_bits()) {
            return SetValue::Drawn;
        }
        match Num::of(value) {
            Num::Int(i) => SetValue::Int(i),
            Num::Float(v) => SetValue::Float(v),
        }
    }

    /// The value [`Self::set_value`] wrote.
    fn unset_value(
        &self,
        number: u64,
        param: u32,
        value: SetValue,
    ) -> std::result::Result<f64, String> {
        Ok(match value {
            SetValue::Drawn => f64::from_bits(
                self.drawn(number, param)
                    .ok_or("a parameter is set as drawn, and was not drawn")?,
            ),
            SetValue::Int(i) => i as f64,
            SetValue::Float(v) => v,
        })
    }

    /// The difference of told trial `number`, which draws no more.
    fn tell(&mut self, number: u64) -> i64 {
        self.drawn.remove(&number);
        self.number(number)
    }

    /// The number [`Self::tell`] wrote.
    fn untell(&mut self, delta: i64) -> u64 {
        let number = self.unnumber(delta);
        self.drawn.remove(&number);
        number
    }

    fn time(&mut self, at: Option<f64>) -> Time {
        match at.map(Num::of) {
            None => Time::None,
            Some(Num::Int(ms)) => {
                let delta = ms - self.ms;
                self.ms = ms;
                Time::Ms(delta)
            }
            Some(Num::Float(v)) => Time::Float(v),
        }
    }

    fn untime(&mut self, time: Time) -> std::result::Result<Option<f64>, String> {
        Ok(match time {
            Time::None => None,
            Time::Ms(delta) => {
                self.ms = self.ms.checked_add(delta).ok_or("a time is out of range")?;
                Some(self.ms as f64)
            }
            Time::Float(v) => Some(v),
        })
    }

    fn compact(&mut self, packed: Packed) -> Compact {
        let nums = |vs: Vec<f64>| vs.into_iter().map(Num::of).collect();
        match packed {
            Packed::Json(json) => Compact::Json(json),
            Packed::Asked {
                number,
                relative,
                attrs,
                at,
            } => {
                let compact = relative.iter().map(|&(i, v)| (i, Num::of(v))).collect();
                self.ask(number, relative);
                Compact::Asked {
                    number: self.number(number),
                    relative: compact,
                    attrs,
                    at: self.time(at),
                }
            }
            Packed::ParamSet {
                number,
                param,
                value,
            } => Compact::ParamSet {
                value: self.set_value(number, param, value),
                number: self.number(number),
                param,
            },
            Packed::Reported {
                number,
                step,
                value,
                cost,
            } => Compact::Reported {
                number: self.number(number),
                step,
                value: Num::of(value),
                cost: cost.map(Num::of),
            },
            Packed::Told {
                number,
                state,
                values,
                fail_reason,
                cost,
                at,
            } => Compact::Told {
                number: self.tell(number),
                state,
                values: values.map(nums),
                fail_reason,
                cost: cost.map(Num::of),
                at: self.time(at),
            },
        }
    }

    fn uncompact(&mut self, compact: Compact) -> std::result::Result<Packed, String> {
        let floats = |vs: Vec<Num>| vs.into_iter().map(Num::value).collect();
        Ok(match compact {
            Compact::Json(json) => Packed::Json(json),
            Compact::Asked {
                number,
                relative,
                attrs,
                at,
            } => {
                let number = self.unnumber(number);
                let relative: Vec<(u32, f64)> =
                    relative.into_iter().map(|(i, v)| (i, v.value())).collect();
                self.ask(number, relative.clone());
                Packed::Asked {
                    number,
                    relative,
                    attrs,
                    at: self.untime(at)?,
                }
            }
            Compact::ParamSet {
                number,
                param,
                value,
            } => {
                let number = self.unnumber(number);
                Packed::ParamSet {
                    number,
                    param,
                    value: self.unset_value(number, param, value)?,
                }
            }
            Compact::Reported {
                number,
                step,
                value,
                cost,
            } => Packed::Reported {
                number: self.unnumber(number),
                step,
                value: value.value(),
                cost: cost.map(Num::value),
            },
            Compact::Told {
                number,
                state,
                values,
                fail_reason,
                cost,
                at,
            } => Packed::Told {
                number: self.untell(number),
                state,
                values: values.map(floats),
                fail_reason,
                cost: cost.map(Num::value),
                at: self.untime(at)?,
            },
        })
    }
}

type Attrs = (BTreeMap<String, Value>, BTreeMap<String, Value>);

/// A chunk's events being unpacked, one at a time (a chunk of version 2 is not held
/// twice, packed and plain).
enum Chunk {
    Plain(std::vec::IntoIter<Packed>),
    Compact(std::vec::IntoIter<Compact>, Before),
}

impl Chunk {
    fn len(&self) -> usize {
        match self {
            Chunk::Plain(events) => events.len(),
            Chunk::Compact(events, _) => events.len(),
        }
    }
}

impl Iterator for Chunk {
    type Item = std::result::Result<Packed, String>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Chunk::Plain(events) => events.next().map(Ok),
            Chunk::Compact(events, before) => events.next().map(|e| before.uncompact(e)),
        }
    }
}

/// Interns (name, distribution) pairs while packing.
#[derive(Default)]
struct Table {
    by_name: HashMap<String, Vec<(Distribution, u32)>>,
    params: Vec<(String, String)>,
}

impl Table {
    fn index(&mut self, name: &str, distribution: &Distribution) -> u32 {
        let mut seen = self.by_name.get(name).into_iter().flatten();
        if let Some((_, i)) = seen.find(|(d, _)| d == distribution) {
            return *i;
        }
        let i = self.params.len() as u32;
        // A distribution holds numbers and JSON values only: it always serializes.
        let json = serde_json::to_string(distribution).unwrap_or_default();
        self.params.push((name.to_string(), json));
        let entries = self.by_name.entry(name.to_string()).or_default();
        entries.push((distribution.clone(), i));
        i
    }
}

/// Packs `events` into one chunk.
///
/// ```
/// use edgetune_core::{packed, Outcome, Study, StudyConfig};
/// let mut study = Study::create(StudyConfig::new("s").with_seed(1)).unwrap();
/// for _ in 0..5 {
///     let mut trial = study.ask_trial().unwrap();
///     let x = trial.suggest_float("x", -1.0, 1.0).unwrap();
///     let n = trial.number();
///     study.tell(n, Outcome::value(x)).unwrap();
/// }
/// let bytes = packed::pack(&study.events());
/// let mut events = Vec::new();
/// packed::unpack(&bytes, &mut events).unwrap();
/// assert_eq!(events, study.events());
/// assert!(bytes.len() < study.to_journal().to_json().len() / 2);
/// ```
pub fn pack(events: &[Event]) -> Vec<u8> {
    let mut table = Table::default();
    let mut before = Before::default();
    let events: Vec<Compact> = events
        .iter()
        .map(|e| before.compact(pack_event(e, &mut table)))
        .collect();
    // Strings, numbers and vectors only: postcard always encodes them.
    postcard::to_allocvec(&(PACKED_VERSION, table.params, events)).unwrap_or_default()
}

fn pack_event(event: &Event, table: &mut Table) -> Packed {
    match event {
        Event::Asked {
            number,
            relative,
            trial_attrs,
            study_attrs,
            at,
        } => Packed::Asked {
            number: *number,
            relative: relative
                .iter()
                .map(|(name, r)| (table.index(name, &r.distribution), r.value))
                .collect(),
            attrs: (!trial_attrs.is_empty() || !study_attrs.is_empty())
                .then(|| serde_json::to_string(&(trial_attrs, study_attrs)).unwrap_or_default()),
            at: *at,
        },
        Event::ParamSet {
            number,
            name,
            distribution,
            value,
        } => Packed::ParamSet {
            number: *number,
            param: table.index(name, distribution),
            value: *value,
        },
        Event::Reported {
            number,
            step,
            value,
            cost,
        } => Packed::Reported {
            number: *number,
            step: *step,
            value: value.0,
            cost: *cost,
        },
        Event::Told {
            number,
            state,
            values,
            fail_reason,
            cost,
            at,
        } => Packed::Told {
            number: *number,
            state: *state,
            values: values.as_ref().map(|vs| vs.iter().map(|v| v.0).collect()),
            fail_reason: fail_reason.clone(),
            cost: *cost,
            at: *at,
        },
        other => Packed::Json(serde_json::to_string(other).unwrap_or_default()),
    }
}

/// Appends the events of a chunk that [`pack`] made to `events`. Bytes that are not
/// such a chunk give an error, never a panic.
pub fn unpack(bytes: &[u8], events: &mut Vec<Event>) -> Result<()> {
    let bad = |what: String| Error::InvalidJournal(format!("packed events: {what}"));
    let (version, body) =
        postcard::take_from_bytes::<u32>(bytes).map_err(|e| bad(e.to_string()))?;
    let (params, chunk) = match version {
        1 => {
            let (params, events): Body<Packed> =
                postcard::from_bytes(body).map_err(|e| bad(e.to_string()))?;
            (params, Chunk::Plain(events.into_iter()))
        }
        2 => {
            let (params, events): Body<Compact> =
                postcard::from_bytes(body).map_err(|e| bad(e.to_string()))?;
            (
                params,
                Chunk::Compact(events.into_iter(), Before::default()),
            )
        }
        other => {
            return Err(bad(format!(
                "version {other} is not supported; this build reads versions 1 and {PACKED_VERSION}"
            )))
        }
    };
    let params = params
        .into_iter()
        .map(|(name, json)| {
            serde_json::from_str::<Distribution>(&json)
                .map(|d| (name, d))
                .map_err(|e| bad(format!("distribution: {e}")))
        })
        .collect::<Result<Vec<_>>>()?;
    let param = |i: u32| {
        params
            .get(i as usize)
            .ok_or_else(|| bad(format!("parameter {i} is not in the table")))
    };
    events.reserve(chunk.len());
    for packed in chunk {
        let packed = packed.map_err(bad)?;
        events.push(match packed {
            Packed::Json(json) => {
                serde_json::from_str(&json).map_err(|e| bad(format!("event: {e}")))?
            }
            Packed::Asked {
                number,
                relative,
                attrs,
                at,
            } => {
                let relative = relative
                    .into_iter()
                    .map(|(i, value)| {
                        let (name, distribution) = param(i)?;
                        let distribution = distribution.clone();
                        Ok((
                            name.clone(),
                            RelativeParam {
                                distribution,
                                value,
                            },
                        ))
                    })
                    .collect::<Result<_>>()?;
                let (trial_attrs, study_attrs): Attrs = match attrs {
                    Some(json) => {
                        serde_json::from_str(&json).map_err(|e| bad(format!("attributes: {e}")))?
                    }
                    None => Default::default(),
                };
                Event::Asked {
                    number,
                    relative,
                    trial_attrs,
                    study_attrs,
                    at,
                }
            }
            Packed::ParamSet {
                number,
                param: i,
                value,
            } => {
                let (name, distribution) = param(i)?;
                Event::ParamSet {
                    number,
                    name: name.clone(),
                    distribution: distribution.clone(),
                    value,
                }
            }
            Packed::Reported {
                number,
                step,
                value,
                cost,
            } => Event::Reported {
                number,
                step,
                value: JsonF64(value),
                cost,
            },
            Packed::Told {
                number,
                state,
                values,
                fail_reason,
                cost,
                at,
            } => Event::Told {
                number,
                state,
                values: values.map(|vs| vs.into_iter().map(JsonF64).collect()),
                fail_reason,
                cost,
                at,
            },
        });
    }
    Ok(())
}
