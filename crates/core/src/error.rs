//! The one error type of the engine.

use crate::trial::TrialState;

/// Everything that can go wrong in the engine. Messages are lowercase and name the
/// field that is wrong and why, so every surface (Rust, JS, HTTP) can show them as is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument of an operation is out of range or malformed.
    #[error("{field}: {reason}")]
    InvalidArgument {
        /// The argument, as a path such as `distribution.low` or `values[1]`.
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A study, sampler or pruner configuration is invalid.
    #[error("{field}: {reason}")]
    InvalidConfig {
        /// The option, as a path such as `sampler.type` or `directions[0]`.
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// No trial has this number.
    #[error("trial {number} does not exist")]
    TrialNotFound {
        /// The trial number asked for.
        number: u64,
    },
    /// The trial is finished (or not started) and cannot be changed this way.
    #[error("trial {number} is {state}; only a RUNNING trial can be changed")]
    TrialNotRunning {
        /// The trial number.
        number: u64,
        /// Its current state.
        state: TrialState,
    },
    /// The operation needs data the study does not have yet, such as a best trial.
    #[error("{0}")]
    NotAvailable(String),
    /// A journal could not be read or replayed.
    #[error("journal: {0}")]
    InvalidJournal(String),
    /// The study spent its cost budget, so it starts no more trials.
    #[error("the cost budget is exhausted: spent {spent} of {budget}{}", if unit.is_empty() { String::new() } else { format!(" {unit}") })]
    BudgetExhausted {
        /// What the study spent.
        spent: f64,
        /// Its budget.
        budget: f64,
        /// The cost unit, or empty.
        unit: String,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::InvalidArgument`] for `field`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::InvalidConfig`] for `field`.
    pub fn config(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidConfig {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The field this error is about, when it is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidArgument { field, .. } | Error::InvalidConfig { field, .. } => {
                Some(field)
            }
            _ => None,
        }
    }

    /// Prefixes the field path, e.g. `low` becomes `search_space[2].low`.
    pub fn within(self, prefix: &str) -> Self {
        let join = |field: String| {
            if field.is_empty() {
                prefix.to_string()
            } else if field.starts_with('[') {
                format!("{prefix}{field}")
            } else {
                format!("{prefix}.{field}")
            }
        };
        match self {
            Error::InvalidArgument { field, reason } => Error::InvalidArgument {
                field: join(field),
                reason,
            },
            Error::InvalidConfig { field, reason } => Error::InvalidConfig {
                field: join(field),
                reason,
            },
            other => other,
        }
    }
}
