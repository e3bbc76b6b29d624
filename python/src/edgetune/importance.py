"""Parameter importances, as Optuna's `optuna.importance`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .study import Study


class PedAnovaImportanceEvaluator:
    """PED-ANOVA (Optuna's default evaluator)."""

    _name = "ped_anova"

    def __init__(self, *, target_quantile: float = 0.1, region_quantile: float = 1.0, evaluate_on_local: bool = True) -> None:
        if not evaluate_on_local:
            raise ValueError("evaluate_on_local: edgetune evaluates on the region's own distribution only (True)")
        self.target_quantile = target_quantile
        self.region_quantile = region_quantile


class FanovaImportanceEvaluator:
    """fANOVA over a random forest."""

    _name = "fanova"


class MeanDecreaseImpurityImportanceEvaluator:
    """Mean decrease in impurity of a random forest."""

    _name = "mdi"


def get_param_importances(
    study: "Study",
    *,
    evaluator: Any = None,
    params: list[str] | None = None,
    target: Any = None,
    normalize: bool = True,
) -> dict[str, float]:
    """Importance per parameter, most important first, summing to 1 when `normalize`."""
    if target is not None:
        raise ValueError("target: edgetune computes importances of the objective value only")
    if len(study.directions) > 1:
        raise ValueError("study: importances need a single-objective study (or a target, which edgetune does not take)")
    evaluator = evaluator or PedAnovaImportanceEvaluator()
    name = getattr(evaluator, "_name", None)
    if name is None:
        raise TypeError(f"evaluator: expected an edgetune importance evaluator, got {evaluator!r}")
    tq = getattr(evaluator, "target_quantile", None)
    rq = getattr(evaluator, "region_quantile", None)
    ranked = json.loads(study._native.importance(name, tq, rq))
    out = {k: float(v) for k, v in ranked}
    if params is not None:
        unknown = [p for p in params if p not in out]
        if unknown:
            raise ValueError(f"params: {unknown} are not parameters of the study's trials")
        out = {k: v for k, v in out.items() if k in params}
    if normalize:
        total = sum(out.values())
        if total > 0:
            out = {k: v / total for k, v in out.items()}
    return dict(sorted(out.items(), key=lambda kv: kv[1], reverse=True))
