"""Studies and Optuna's importances of them, and scikit-learn trees with Optuna's fANOVA
variances of them, for tests/golden/importance.json (checked by
crates/core/tests/importance.rs and crates/core/src/analysis/fanova.rs without Python):
    bench/.venv/bin/python bench/importance_parity.py tests/golden/importance.json
"""
import json
import math
import sys
import warnings

import numpy as np
import optuna
from optuna.importance import (FanovaImportanceEvaluator, MeanDecreaseImpurityImportanceEvaluator,
                               PedAnovaImportanceEvaluator, get_param_importances)
from optuna.importance._fanova._tree import _FanovaTree
from sklearn.tree import DecisionTreeRegressor

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore")

SPACE = [
    {"name": "x1", "type": "float", "low": -10.0, "high": 10.0},
    {"name": "x2", "type": "float", "low": -10.0, "high": 10.0},
    {"name": "lr", "type": "float", "low": 1e-4, "high": 1.0, "log": True},
    {"name": "n", "type": "int", "low": 1, "high": 20},
    {"name": "d", "type": "float", "low": 0.0, "high": 0.5, "step": 0.1},
    {"name": "c", "type": "categorical", "choices": ["a", "b", "c"]},
]


def objective(t):
    x1 = t.suggest_float("x1", -10, 10)
    x2 = t.suggest_float("x2", -10, 10)
    lr = t.suggest_float("lr", 1e-4, 1.0, log=True)
    n = t.suggest_int("n", 1, 20)
    d = t.suggest_float("d", 0.0, 0.5, step=0.1)
    c = t.suggest_categorical("c", ["a", "b", "c"])
    return 5 * x1 ** 2 + 0.5 * abs(x2) + 3 * (math.log10(lr) + 2) ** 2 + 0.1 * (n - 5) ** 2 + d + {"a": 0, "b": 4, "c": 8}[c]


cases = []
for seed, direction, tq in [(0, "minimize", 0.1), (1, "maximize", 0.1), (2, "minimize", 0.25)]:
    study = optuna.create_study(direction=direction, sampler=optuna.samplers.RandomSampler(seed=seed))
    study.optimize(objective, n_trials=200)
    imp = get_param_importances(study, evaluator=PedAnovaImportanceEvaluator(target_quantile=tq))
    mdi = get_param_importances(study, evaluator=MeanDecreaseImpurityImportanceEvaluator(seed=0))
    cases.append({
        "direction": direction,
        "target_quantile": tq,
        "trials": [{"params": t.params, "value": t.value} for t in study.trials],
        "importances": imp,
        "mdi_importances": mdi,
    })
# The quality case: f = sum w_i * x_i^2 with known, graded weights.
WEIGHTS = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0]
weighted = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=5))
weighted.optimize(lambda t: sum(w * t.suggest_float(f"w{i}", -1, 1) ** 2 for i, w in enumerate(WEIGHTS)), n_trials=300)
quality = {
    "weights": WEIGHTS,
    "space": [{"name": f"w{i}", "type": "float", "low": -1.0, "high": 1.0} for i in range(len(WEIGHTS))],
    "trials": [{"params": t.params, "value": t.value} for t in weighted.trials],
    "ped_anova": get_param_importances(weighted, evaluator=PedAnovaImportanceEvaluator()),
    "mdi": get_param_importances(weighted, evaluator=MeanDecreaseImpurityImportanceEvaluator(seed=0)),
    "fanova": get_param_importances(weighted, evaluator=FanovaImportanceEvaluator(seed=0)),
}

# fANOVA's variances of fully grown scikit-learn trees over 3 numeric columns and a
# 3-choice categorical (one-hot columns 3..5), as Optuna's `_FanovaTree` computes them.
rng = np.random.default_rng(11)
bounds = np.array([[-2.0, 2.0], [0.0, 10.0], [1.0, 20.0], [0, 1], [0, 1], [0, 1]], dtype=float)
groups = [[0], [1], [2], [3, 4, 5]]
trees = []
for seed in range(3):
    n = 120
    X = np.column_stack([
        rng.uniform(-2, 2, n), rng.uniform(0, 10, n), rng.integers(1, 21, n).astype(float),
        np.eye(3)[rng.integers(0, 3, n)],
    ])
    y = X[:, 0] ** 2 + 0.3 * X[:, 1] + 0.05 * X[:, 2] + X[:, 3:] @ np.array([0.0, 1.5, 3.0]) \
        + rng.normal(0, 0.3, n)
    t = DecisionTreeRegressor(random_state=seed).fit(X, y).tree_
    fanova_tree = _FanovaTree(t, bounds)
    trees.append({
        "feature": t.feature.tolist(),
        "threshold": t.threshold.tolist(),
        "left": t.children_left.tolist(),
        "right": t.children_right.tolist(),
        "value": t.value.reshape(-1).tolist(),
        "variance": float(fanova_tree.variance),
        "marginal_variances": [float(fanova_tree.get_marginal_variance(np.array(g))) for g in groups],
    })
fanova_trees = {"bounds": bounds.tolist(), "groups": groups, "trees": trees}
json.dump({"space": SPACE, "cases": cases, "weighted": quality, "fanova_trees": fanova_trees},
          open(sys.argv[1], "w"))
print(f"wrote {len(cases)} cases; first: {cases[0]['importances']}")
