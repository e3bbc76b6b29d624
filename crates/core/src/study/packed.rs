//! The packed form of a run of journal events: what a store keeps once it compacts its
//! journal, so that a study wakes without parsing its whole history as JSON.
//!
//! A packed chunk is postcard (a compact binary serde format) of a table of the
//! distinct (parameter name, distribution) pairs, then the events. The events that make
//! up almost every journal (asked, param_set, reported, told) are packed field by field,
//! their parameters as indices into the table; any other event, and any field that
//! holds free JSON (attributes), is kept as its journal JSON. Unpacking gives back the
//! same events, bit for bit, so a replay of unpacked events is the replay of the
//! journal.
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

/// The packed format's version, the first field of every chunk.
pub const PACKED_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Chunk {
    version: u32,
    /// Each distinct (name, distribution) pair, the distribution as its JSON.
    params: Vec<(String, String)>,
    events: Vec<Packed>,
}

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

type Attrs = (BTreeMap<String, Value>, BTreeMap<String, Value>);

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
    let events = events.iter().map(|e| pack_event(e, &mut table)).collect();
    let chunk = Chunk {
        version: PACKED_VERSION,
        params: table.params,
        events,
    };
    // Strings, numbers and vectors only: postcard always encodes them.
    postcard::to_allocvec(&chunk).unwrap_or_default()
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
    let chunk: Chunk = postcard::from_bytes(bytes).map_err(|e| bad(e.to_string()))?;
    if chunk.version != PACKED_VERSION {
        return Err(bad(format!(
            "version {} is not supported; this build reads version {PACKED_VERSION}",
            chunk.version
        )));
    }
    let params = chunk
        .params
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
    events.reserve(chunk.events.len());
    for packed in chunk.events {
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
