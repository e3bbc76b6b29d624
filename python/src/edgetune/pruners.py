"""Pruners, with Optuna's class names and arguments."""

from __future__ import annotations

from typing import Any

from ._options import _Named


class BasePruner(_Named):
    """A pruner: Optuna's arguments go to edgetune's core, which refuses unknown ones."""


def _pruner(name: str, doc: str) -> type:
    return type(name, (BasePruner,), {"_type": name, "__doc__": doc})


NopPruner = _pruner("NopPruner", "Never prunes.")
MedianPruner = _pruner("MedianPruner", "Prunes below the median of finished trials at the same step.")
PercentilePruner = _pruner("PercentilePruner", "Prunes outside the best `percentile` at the same step.")
SuccessiveHalvingPruner = _pruner("SuccessiveHalvingPruner", "Asynchronous successive halving.")
HyperbandPruner = _pruner("HyperbandPruner", "Hyperband: successive halving in several brackets.")
ThresholdPruner = _pruner("ThresholdPruner", "Prunes outside fixed bounds.")
WilcoxonPruner = _pruner("WilcoxonPruner", "Prunes by a Wilcoxon signed-rank test against the best trial.")


class PatientPruner(BasePruner):
    """Prunes after `patience` steps without improvement, asking `wrapped_pruner` then."""

    _type = "PatientPruner"

    def __init__(self, wrapped_pruner: BasePruner | None, patience: int, min_delta: float = 0.0) -> None:
        super().__init__(wrapped_pruner=wrapped_pruner, patience=patience, min_delta=min_delta)
