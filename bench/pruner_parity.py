"""Feeds the same seeded learning curves to Optuna's pruners and records every
decision in tests/golden/pruners.json, which `make test` replays against edgetune
(crates/core/tests/pruner_parity.rs) without Python. Run from bench/run --pruners or:
    bench/.venv/bin/python bench/pruner_parity.py tests/golden/pruners.json
"""
import json
import math
import random
import sys

import optuna
from optuna.pruners import (HyperbandPruner, MedianPruner, PatientPruner, PercentilePruner,
                            SuccessiveHalvingPruner, ThresholdPruner, WilcoxonPruner)

optuna.logging.set_verbosity(optuna.logging.ERROR)
N_TRIALS, N_STEPS = 200, 30
rng = random.Random(7)
curves = []
for i in range(N_TRIALS):
    a, b, c = rng.uniform(0.5, 2.0), rng.uniform(0.05, 0.4), rng.uniform(0.0, 1.0)
    noise = rng.uniform(0.0, 0.05)
    curve = [a * math.exp(-b * s) + c + rng.gauss(0.0, noise) for s in range(N_STEPS)]
    if i % 41 == 5:
        curve[7] = float("nan")
    if i % 53 == 11:
        curve[12] = curve[11]  # a tie, for the rank statistics
    curves.append(curve)

CASES = [
    ("median", {"type": "median"}, lambda: MedianPruner(), "minimize"),
    ("median-warmup-interval-max", {"type": "MedianPruner", "n_startup_trials": 3, "n_warmup_steps": 5, "interval_steps": 3},
     lambda: MedianPruner(3, 5, 3), "maximize"),
    ("percentile-25-min-trials", {"type": "percentile", "percentile": 25.0, "n_min_trials": 3},
     lambda: PercentilePruner(25.0, n_min_trials=3), "minimize"),
    ("successive-halving-auto", {"type": "successive_halving"}, lambda: SuccessiveHalvingPruner(), "minimize"),
    ("successive-halving-explicit-max", {"type": "SuccessiveHalvingPruner", "min_resource": 2, "reduction_factor": 3,
                                         "min_early_stopping_rate": 1, "bootstrap_count": 2},
     lambda: SuccessiveHalvingPruner(2, 3, 1, 2), "maximize"),
    ("hyperband-auto", {"type": "hyperband"}, lambda: HyperbandPruner(), "minimize"),
    ("hyperband-explicit-max", {"type": "HyperbandPruner", "min_resource": 1, "max_resource": 30, "reduction_factor": 2},
     lambda: HyperbandPruner(1, 30, 2), "maximize"),
    ("threshold", {"type": "threshold", "upper": 1.5, "n_warmup_steps": 2},
     lambda: ThresholdPruner(upper=1.5, n_warmup_steps=2), "minimize"),
    ("patient", {"type": "patient", "patience": 3, "min_delta": 0.01},
     lambda: PatientPruner(None, 3, 0.01), "minimize"),
    ("patient-median-max", {"type": "PatientPruner", "patience": 2, "wrapped_pruner": {"type": "median"}},
     lambda: PatientPruner(MedianPruner(), 2), "maximize"),
    ("wilcoxon", {"type": "wilcoxon"}, lambda: WilcoxonPruner(), "minimize"),
    ("wilcoxon-0.3-max", {"type": "WilcoxonPruner", "p_threshold": 0.3, "n_startup_steps": 5},
     lambda: WilcoxonPruner(p_threshold=0.3, n_startup_steps=5), "maximize"),
]

cases = []
for name, config, make, direction in CASES:
    study = optuna.create_study(study_name="parity", direction=direction, pruner=make(),
                                sampler=optuna.samplers.RandomSampler(seed=0))
    decisions = []
    for curve in curves:
        trial = study.ask()
        row = []
        for step, value in enumerate(curve):
            trial.report(value, step)
            pruned = trial.should_prune()
            row.append(int(pruned))
            if pruned:
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
                break
        else:
            study.tell(trial, curve[-1])
        decisions.append(row)
    cases.append({"name": name, "pruner": config, "direction": direction, "decisions": decisions})

nan_to_null = [[None if math.isnan(v) else v for v in c] for c in curves]
out = {"optuna": optuna.__version__, "study_name": "parity", "curves": nan_to_null, "cases": cases}
with open(sys.argv[1], "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"))
    f.write("\n")
print(f"wrote {sys.argv[1]}: {len(cases)} pruners x {N_TRIALS} curves")
