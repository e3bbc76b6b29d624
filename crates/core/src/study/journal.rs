//! The journal: a study is the replay of its events.
//!
//! The same events are the Durable Object's SQLite rows, the npm package's
//! export/import, and how a study moves between the browser and the edge.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::distributions::{Distribution, ParamValue};
use crate::error::{Error, Result};
use crate::json_f64::JsonF64;
use crate::study::StudyConfig;
use crate::trial::{RelativeParam, TrialState};

/// The journal format's name, in every exported journal.
pub const JOURNAL_FORMAT: &str = "edgetune-journal";
/// The journal format version this build writes and reads.
pub const JOURNAL_VERSION: u32 = 1;

/// One change to a study. Every mutation of a [`crate::Study`] is exactly one event or
/// a batch of events applied together.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// The study was created.
    Created {
        /// Its configuration (boxed: the other events are much smaller).
        config: Box<StudyConfig>,
        /// When (ms since the Unix epoch), if a clock was set.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<f64>,
    },
    /// A trial started running: a new one, or the oldest WAITING one.
    Asked {
        /// The trial number.
        number: u64,
        /// Parameters the sampler drew jointly at ask time.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        relative: BTreeMap<String, RelativeParam>,
        /// System attributes the sampler gave the trial at ask time.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        trial_attrs: BTreeMap<String, Value>,
        /// Study system attributes the sampler set at ask time.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        study_attrs: BTreeMap<String, Value>,
        /// When, if a clock was set.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<f64>,
    },
    /// A parameter of a running trial was set.
    ParamSet {
        /// The trial number.
        number: u64,
        /// The parameter name.
        name: String,
        /// Its distribution.
        distribution: Distribution,
        /// The internal value.
        value: f64,
    },
    /// An intermediate value was reported.
    Reported {
        /// The trial number.
        number: u64,
        /// The step.
        step: u64,
        /// The value (may be NaN).
        value: JsonF64,
        /// What the trial has cost so far, in the study's cost unit.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cost: Option<f64>,
    },
    /// A trial finished.
    Told {
        /// The trial number.
        number: u64,
        /// COMPLETE, PRUNED or FAIL.
        state: TrialState,
        /// The objective values, for COMPLETE (and PRUNED with a last intermediate value).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        values: Option<Vec<JsonF64>>,
        /// Why it failed, for FAIL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fail_reason: Option<String>,
        /// What the trial cost in all, in the study's cost unit.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cost: Option<f64>,
        /// When, if a clock was set.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<f64>,
    },
    /// A user attribute was set on the study (`number` absent) or on a trial.
    UserAttrSet {
        /// The trial number, or none for the study.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        number: Option<u64>,
        /// The key.
        key: String,
        /// The value.
        value: Value,
    },
    /// A system attribute (sampler or pruner bookkeeping) was set on the study
    /// (`number` absent) or on a running trial.
    SystemAttrSet {
        /// The trial number, or none for the study.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        number: Option<u64>,
        /// The key.
        key: String,
        /// The value.
        value: Value,
    },
    /// The constraint values of a running trial were set.
    ConstraintsSet {
        /// The trial number.
        number: u64,
        /// One value per constraint; `<= 0` is feasible.
        values: Vec<f64>,
    },
    /// The study's history window was set or resized (see
    /// [`StudyConfig::history_window`]).
    HistoryWindowSet {
        /// How many of the newest finished trials the sampler and the pruner see.
        window: u64,
    },
    /// A WAITING trial with fixed parameters was enqueued.
    Enqueued {
        /// The new trial's number.
        number: u64,
        /// Its fixed parameters.
        params: BTreeMap<String, ParamValue>,
    },
}

impl Event {
    /// The trial the event changes, if it changes one.
    pub fn trial_number(&self) -> Option<u64> {
        match self {
            Event::Asked { number, .. }
            | Event::ParamSet { number, .. }
            | Event::Reported { number, .. }
            | Event::Told { number, .. }
            | Event::ConstraintsSet { number, .. }
            | Event::Enqueued { number, .. } => Some(*number),
            Event::UserAttrSet { number, .. } | Event::SystemAttrSet { number, .. } => *number,
            Event::Created { .. } | Event::HistoryWindowSet { .. } => None,
        }
    }
}

/// A whole journal as exported: format name, version and events.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Journal {
    /// Always [`JOURNAL_FORMAT`].
    pub format: String,
    /// The format version, [`JOURNAL_VERSION`] for this build.
    pub version: u32,
    /// The events, oldest first.
    pub events: Vec<Event>,
}

impl Journal {
    /// A journal of the current format holding `events`.
    pub fn new(events: Vec<Event>) -> Self {
        Journal {
            format: JOURNAL_FORMAT.to_string(),
            version: JOURNAL_VERSION,
            events,
        }
    }

    /// Parses and checks a JSON journal.
    pub fn from_json(text: &str) -> Result<Journal> {
        let journal: Journal = serde_json::from_str(text)
            .map_err(|e| Error::InvalidJournal(format!("not a valid journal: {e}")))?;
        journal.checked()
    }

    /// Checks format name and version.
    pub fn checked(self) -> Result<Journal> {
        if self.format != JOURNAL_FORMAT {
            return Err(Error::InvalidJournal(format!(
                "format must be {JOURNAL_FORMAT:?}, got {:?}",
                self.format
            )));
        }
        if self.version != JOURNAL_VERSION {
            return Err(Error::InvalidJournal(format!(
                "version {} is not supported; this build reads version {JOURNAL_VERSION}",
                self.version
            )));
        }
        Ok(self)
    }

    /// The same journal for a study called `name` (its creation event renamed), so
    /// that a study can move under another name. The name is validated.
    pub fn renamed(mut self, name: &str) -> Result<Journal> {
        match self.events.first_mut() {
            Some(Event::Created { config, .. }) => {
                config.name = name.to_string();
                **config = config.as_ref().clone().validated()?;
                Ok(self)
            }
            _ => Err(Error::InvalidJournal(
                "the first event must create the study".into(),
            )),
        }
    }

    /// The journal as JSON.
    pub fn to_json(&self) -> String {
        // A journal holds only strings, numbers, maps and JSON values: it always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }
}
