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
