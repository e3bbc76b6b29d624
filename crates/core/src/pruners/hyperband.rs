//! Optuna's `HyperbandPruner`: successive halving in brackets of different
//! aggressiveness, each trial assigned to a bracket by a hash of (study name, number).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::pruners::successive_halving::{prune_sha, Auto, Resource};
use crate::pruners::{Pruner, Pruning, Record};
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

/// Options of Hyperband, with Optuna's defaults.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HyperbandOptions {
    /// Steps of the first rung (1).
    pub min_resource: u64,
    /// Steps of a full trial; `"auto"` takes the longest completed trial + 1, once (default).
    pub max_resource: Resource,
    /// Keep the best 1/`reduction_factor` at each rung (3).
    pub reduction_factor: u64,
    /// Prune while at most this many trials reached a rung (0).
    pub bootstrap_count: usize,
}

impl Default for HyperbandOptions {
    fn default() -> Self {
        HyperbandOptions {
            min_resource: 1,
            max_resource: Resource::Auto(Auto::Auto),
            reduction_factor: 3,
            bootstrap_count: 0,
        }
    }
}

impl HyperbandOptions {
    /// Checks the options.
    pub fn validated(self) -> Result<Self> {
        if self.min_resource < 1 {
            return Err(Error::config("min_resource", "must be at least 1"));
        }
        if let Resource::Steps(m) = self.max_resource {
            if m < self.min_resource {
                return Err(Error::config(
                    "max_resource",
                    "must be at least min_resource",
                ));
            }
        }
        if self.reduction_factor < 2 {
            return Err(Error::config("reduction_factor", "must be at least 2"));
        }
        if self.bootstrap_count > 0 && matches!(self.max_resource, Resource::Auto(_)) {
            return Err(Error::config(
                "bootstrap_count",
                "bootstrap_count > 0 needs an explicit max_resource",
            ));
        }
        Ok(self)
    }
}

/// Hyperband. Cost of a check: O(n · name length) to place trials in brackets, plus
/// the bracket's successive-halving check.
#[derive(Clone, Debug)]
pub struct HyperbandPruner {
    options: HyperbandOptions,
}

impl HyperbandPruner {
    /// A Hyperband pruner.
    pub fn new(options: HyperbandOptions) -> Self {
        HyperbandPruner { options }
    }
}

const MAX_RESOURCE_KEY: &str = "hyperband:max_resource";

/// CRC-32 (IEEE), as Python's `binascii.crc32`.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

impl Pruner for HyperbandPruner {
    fn prune(&self, view: &StudyView<'_>, trial: &FrozenTrial) -> Pruning {
        let o = &self.options;
        let mut records = Vec::new();
        let max_resource = match o.max_resource {
            Resource::Steps(m) => m,
            Resource::Auto(_) => match view
                .system_attrs
                .get(MAX_RESOURCE_KEY)
                .and_then(Value::as_u64)
            {
                Some(m) => m,
                None => {
                    let longest = view
                        .trials_in(&[TrialState::Complete])
                        .filter_map(FrozenTrial::last_step)
                        .max();
                    let Some(longest) = longest else {
                        return Pruning::keep();
                    };
                    records.push(Record {
                        trial: None,
                        key: MAX_RESOURCE_KEY.into(),
                        value: (longest + 1).into(),
                    });
                    longest + 1
                }
            },
        };
        let rf = o.reduction_factor as f64;
        let n_brackets =
            (libm::floor(libm::log(max_resource as f64 / o.min_resource as f64) / libm::log(rf))
                + 1.0)
                .max(1.0) as u32;
        let budgets: Vec<u64> = (0..n_brackets)
            .map(|id| {
                let s = n_brackets - 1 - id;
                libm::ceil(f64::from(n_brackets) * libm::pow(rf, f64::from(s)) / f64::from(s + 1))
                    as u64
            })
            .collect();
        let total: u64 = budgets.iter().sum();
        let bracket = |t: &FrozenTrial| -> u32 {
            let mut n = i128::from(crc32(
                format!("{}_{}", view.study_name, t.number).as_bytes(),
            )) % i128::from(total);
            for (id, b) in budgets.iter().enumerate() {
                n -= i128::from(*b);
                if n < 0 {
                    return id as u32;
                }
            }
            n_brackets - 1
        };
        let id = bracket(trial);
        let mut pruning = prune_sha(
            view,
            trial,
            Some(o.min_resource),
            o.reduction_factor,
            id,
            o.bootstrap_count,
            &|t| bracket(t) == id,
        );
        records.append(&mut pruning.records);
        pruning.records = records;
        pruning
    }
}

impl crate::pruners::PrunerKind for HyperbandOptions {
    fn build(&self) -> Box<dyn crate::pruners::Pruner> {
        Box::new(HyperbandPruner::new(self.clone()))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn crc32_matches_python() {
        // binascii.crc32(b"study_0"), binascii.crc32(b"123456789")
        assert_eq!(super::crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(super::crc32(b""), 0);
    }
}
