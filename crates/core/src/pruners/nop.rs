//! The pruner that never prunes, as Optuna's `NopPruner`.

use crate::pruners::{Pruner, Pruning};
use crate::trial::FrozenTrial;
use crate::view::StudyView;

/// Never prunes. Cost: O(1).
#[derive(Clone, Copy, Debug, Default)]
pub struct NopPruner;

impl Pruner for NopPruner {
    fn prune(&self, _view: &StudyView<'_>, _trial: &FrozenTrial) -> Pruning {
        Pruning::keep()
    }
}

/// The pruner that never prunes has no options.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoneOptions {}

impl crate::pruners::PrunerKind for NoneOptions {
    fn build(&self) -> Box<dyn crate::pruners::Pruner> {
        Box::new(NopPruner)
    }
}
