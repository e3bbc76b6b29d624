//! Stopping rules: when a study has found what it will find.
//!
//! - `best_value_stagnation` fires when more than `max_stagnation_trials` COMPLETE
//!   trials passed since the best value last improved (Optuna's
//!   `BestValueStagnationEvaluator` with its zero error).
//! - `regret_bound` is Optuna's `RegretBoundEvaluator` (Makarova et al. 2022) on our
//!   GP: it fits a GP to the top trials and bounds the regret of the best one by the
//!   largest upper confidence bound minus the largest lower confidence bound at the
//!   top points. It fires when the bound falls below the spread (standard deviation)
//!   of the top trials' values, the error term Optuna's Terminator compared it with.
//!   It is evaluated once the top share (`top_trials_ratio` of the COMPLETE trials)
//!   holds at least `min_n_trials` trials: before that the "top" trials would be all
//!   of them, and their spread the whole range of values, which any bound is below.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A stopping rule and its options.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum StoppingConfig {
    /// Stop when the best value has not improved for a number of COMPLETE trials.
    BestValueStagnation {
        /// COMPLETE trials without improvement allowed (30).
        #[serde(default = "default_stagnation")]
        max_stagnation_trials: usize,
    },
    /// Stop when the GP's regret bound falls below the spread of the top values.
    RegretBound {
        /// The share of COMPLETE trials the GP is fitted to (0.5).
        #[serde(default = "default_top_ratio")]
        top_trials_ratio: f64,
        /// The fewest top trials the rule is evaluated on (20).
        #[serde(default = "default_min_n_trials")]
        min_n_trials: usize,
    },
}

fn default_stagnation() -> usize {
    30
}

fn default_top_ratio() -> f64 {
    0.5
}

fn default_min_n_trials() -> usize {
    20
}

impl StoppingConfig {
    /// Parses a stopping rule from JSON; errors name the option.
    ///
    /// ```
    /// use edgetune_core::stopping::StoppingConfig;
    /// let rule = StoppingConfig::parse(&serde_json::json!({"type": "best_value_stagnation"})).unwrap();
    /// assert_eq!(rule, StoppingConfig::BestValueStagnation { max_stagnation_trials: 30 });
    /// assert!(StoppingConfig::parse(&serde_json::json!({"type": "never"})).is_err());
    /// ```
    pub fn parse(value: &serde_json::Value) -> Result<StoppingConfig> {
        let rule: StoppingConfig = serde_json::from_value(value.clone())
            .map_err(|e| Error::config("stopping", e.to_string()))?;
        rule.validated().map_err(|e| e.within("stopping"))
    }

    /// Checks the options; errors name the option.
    pub fn validated(self) -> Result<Self> {
        match &self {
            StoppingConfig::BestValueStagnation {
                max_stagnation_trials,
            } if *max_stagnation_trials > 1_000_000 => Err(Error::config(
                "max_stagnation_trials",
                "must be at most 1000000",
            )),
            StoppingConfig::RegretBound {
                top_trials_ratio, ..
            } if !(*top_trials_ratio > 0.0 && *top_trials_ratio <= 1.0) => Err(Error::config(
                "top_trials_ratio",
                format!("must be in (0, 1], got {top_trials_ratio}"),
            )),
            StoppingConfig::RegretBound { min_n_trials, .. }
                if !(2..=100_000).contains(min_n_trials) =>
            {
                Err(Error::config(
                    "min_n_trials",
                    format!("must be from 2 to 100000, got {min_n_trials}"),
                ))
            }
            _ => Ok(self),
        }
    }
}

/// Where a stopping rule stands, with the evaluator's numbers.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum Convergence {
    /// The `best_value_stagnation` rule.
    BestValueStagnation {
        /// True when the rule fired.
        converged: bool,
        /// COMPLETE trials since the best value last improved.
        stagnant_trials: usize,
        /// The most allowed.
        max_stagnation_trials: usize,
    },
    /// The `regret_bound` rule.
    RegretBound {
        /// True when the rule fired.
        converged: bool,
        /// The regret bound of the best trial, once the top share holds
        /// `min_n_trials` trials and the study has a parameter shared by all of them.
        regret_bound: Option<f64>,
        /// The standard deviation of the top trials' values it is compared with.
        error: Option<f64>,
        /// COMPLETE trials so far.
        n_complete: usize,
        /// Top trials needed before the rule is evaluated.
        min_n_trials: usize,
    },
}

impl Convergence {
    /// True when the rule fired.
    pub fn converged(&self) -> bool {
        match self {
            Convergence::BestValueStagnation { converged, .. }
            | Convergence::RegretBound { converged, .. } => *converged,
        }
    }
}

/// Why `optimize` stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// It ran the trials it was asked for.
    NTrials,
    /// The cost budget is spent.
    BudgetExhausted,
    /// The stopping rule fired.
    Converged,
}

impl StopReason {
    /// `"n_trials"`, `"budget_exhausted"` or `"converged"`.
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::NTrials => "n_trials",
            StopReason::BudgetExhausted => "budget_exhausted",
            StopReason::Converged => "converged",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_are_checked_and_named() {
        let bad = StoppingConfig::parse(&json!({"type": "regret_bound", "top_trials_ratio": 0}));
        assert_eq!(bad.unwrap_err().field(), Some("stopping.top_trials_ratio"));
        let unknown = StoppingConfig::parse(&json!({"type": "best_value_stagnation", "x": 1}));
        assert_eq!(unknown.unwrap_err().field(), Some("stopping"));
        let rule = StoppingConfig::parse(&json!({"type": "regret_bound"})).unwrap();
        assert_eq!(
            rule,
            StoppingConfig::RegretBound {
                top_trials_ratio: 0.5,
                min_n_trials: 20
            }
        );
    }
}
