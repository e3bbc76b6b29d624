"""Gives Optuna the trials and fronts of `bench/run analysis` (edgetune's output, the
second argument) and writes bench/results/<name>.{md,json}: importance quality
(Spearman's rho against the known weights, and against Optuna's same evaluator on the
same trials), importance timings and hypervolume timings and agreement, all measured
in this run. With --no-optuna (the smoke run) it reports edgetune alone.

    python bench/report_analysis.py CONFIG OURS.json bench/results/analysis [--no-optuna]
"""
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

config = json.loads(Path(sys.argv[1]).read_text())
ours = json.loads(Path(sys.argv[2]).read_text())
out = Path(sys.argv[3])
with_optuna = "--no-optuna" not in sys.argv[4:]

EVALUATORS = ["ped_anova", "fanova", "mdi"]
NAMES = {"ped_anova": "PED-ANOVA", "fanova": "fANOVA", "mdi": "MDI"}

if with_optuna:
    import numpy as np
    import optuna
    from optuna._hypervolume import compute_hypervolume
    from optuna.distributions import FloatDistribution
    from optuna.importance import (FanovaImportanceEvaluator, MeanDecreaseImpurityImportanceEvaluator,
                                   PedAnovaImportanceEvaluator, get_param_importances)

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")

    def optuna_evaluator(name):
        return {"ped_anova": PedAnovaImportanceEvaluator(),
                "fanova": FanovaImportanceEvaluator(seed=0),
                "mdi": MeanDecreaseImpurityImportanceEvaluator(seed=0)}[name]

    def optuna_study(trials):
        study = optuna.create_study()
        dist = FloatDistribution(-1.0, 1.0)
        study.add_trials([optuna.trial.create_trial(params=t["params"], distributions={k: dist for k in t["params"]},
                                                    value=t["value"]) for t in trials])
        return study

    def optuna_importances(trials, timed=False):
        study = optuna_study(trials)
        result, seconds = {}, {}
        for name in EVALUATORS:
            start = time.perf_counter()
            result[name] = get_param_importances(study, evaluator=optuna_evaluator(name))
            seconds[name] = time.perf_counter() - start
        return (result, seconds) if timed else result


def spearman(a, b):
    """Spearman's rho of two importance maps over the same keys (ranks by value)."""
    keys = sorted(a)
    rank = lambda m: {k: r for r, k in enumerate(sorted(keys, key=lambda k: -m[k]))}
    ra, rb = rank(a), rank(b)
    n = len(keys)
    return 1.0 - 6.0 * sum((ra[k] - rb[k]) ** 2 for k in keys) / (n * (n * n - 1))


def mean(xs):
    return statistics.fmean(xs) if xs else float("nan")


summary = {"library": ours["library"], "quality": {}, "speed": [], "hypervolume": []}
q = config["quality"]
truth = {f"x{i}": w for i, w in enumerate(q["weights"])}
lines = [
    "# Analysis: edgetune beside Optuna",
    "",
    f"One run of `bench/run analysis` on a shared 2-core VM ({ours['library']}"
    + (f", optuna {optuna.__version__}" if with_optuna else ", edgetune only") + "): "
    "every ratio compares numbers measured in that run on the same trials.",
    "",
    f"## Importance quality: f = Σ wᵢ·xᵢ², w = {q['weights']}, {q['n_trials']} random trials, "
    f"{q['seeds']} seeds",
    "",
    "Mean Spearman ρ of the importance ranking against the order of the weights "
    "(1.0: every parameter in place), and against Optuna's same evaluator on the same trials.",
    "",
    "| evaluator | edgetune vs weights | Optuna vs weights | edgetune vs Optuna |",
    "|---|---|---|---|",
]
theirs_quality = [optuna_importances(run["trials"]) for run in ours["quality"]] if with_optuna else []
for name in EVALUATORS:
    mine = [spearman(run["importances"][name], truth) for run in ours["quality"]]
    theirs = [spearman(t[name], truth) for t in theirs_quality]
    agree = [spearman(run["importances"][name], t[name]) for run, t in zip(ours["quality"], theirs_quality)]
    summary["quality"][name] = {"ours_vs_weights": mine, "optuna_vs_weights": theirs, "ours_vs_optuna": agree}
    fmt = lambda xs: f"{mean(xs):.3f}" if xs else "n/a"
    lines.append(f"| {NAMES[name]} | {fmt(mine)} | {fmt(theirs)} | {fmt(agree)} |")

lines += ["", "## Importance speed: seconds per evaluation (edgetune: fastest of "
          f"{config['speed'].get('repeat', 1)}; Optuna: one run)", "",
          "| trials × params | evaluator | edgetune | Optuna | Optuna / edgetune |", "|---|---|---|---|---|"]
for run in ours["speed"]:
    theirs = optuna_importances(run["trials"], timed=True)[1] if with_optuna else {}
    for name in EVALUATORS:
        mine = run["seconds"][name]
        other = theirs.get(name)
        ratio = f"{other / mine:.0f}×" if other else "n/a"
        lines.append(f"| {run['n_trials']} × {run['n_params']} | {NAMES[name]} | {mine * 1e3:.1f} ms | "
                     + (f"{other * 1e3:.0f} ms" if other else "n/a") + f" | {ratio} |")
        summary["speed"].append({"n_trials": run["n_trials"], "n_params": run["n_params"], "evaluator": name,
                                 "ours_seconds": mine, "optuna_seconds": other})

lines += ["", "## Hypervolume: points on the unit sphere (all non-dominated), reference 1.1", "",
          "| objectives | points | edgetune | Optuna | Optuna / edgetune | relative difference |",
          "|---|---|---|---|---|---|"]
for front in ours["hypervolume"]:
    other, seconds = None, None
    if with_optuna:
        points, reference = np.array(front["points"]), np.array(front["reference"])
        start = time.perf_counter()
        other = float(compute_hypervolume(points, reference))
        seconds = time.perf_counter() - start
    diff = abs(front["hypervolume"] - other) / abs(other) if other else None
    lines.append(f"| {front['objectives']} | {len(front['points'])} | {front['seconds'] * 1e3:.2f} ms | "
                 + (f"{seconds * 1e3:.1f} ms | {seconds / front['seconds']:.0f}× | {diff:.1e}" if other else "n/a | n/a | n/a")
                 + " |")
    summary["hypervolume"].append({"objectives": front["objectives"], "points": len(front["points"]),
                                   "ours": front["hypervolume"], "optuna": other,
                                   "ours_seconds": front["seconds"], "optuna_seconds": seconds})

if ours.get("pruners"):
    theirs = {}
    if with_optuna:
        # A fresh run of Optuna's pruners on the same curves (bench/pruner_parity.py).
        import subprocess
        import tempfile
        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            start = time.perf_counter()
            subprocess.run([sys.executable, str(Path(__file__).with_name("pruner_parity.py")), f.name],
                           check=True, capture_output=True)
            optuna_seconds = time.perf_counter() - start
            fresh = json.loads(Path(f.name).read_text())
        theirs = {c["name"]: c["decisions"] for c in fresh["cases"]}
    total_reports = sum(p["reports"] for p in ours["pruners"])
    lines += ["", f"## Pruning: every decision on {len(ours['pruners'])} configurations × the golden's curves", "",
              "Each configuration is fed the same seeded learning curves, report by report, until it prunes; "
              "a decision agrees when both say prune or both say go on.", "",
              "| pruner | reports | edgetune µs per report | agreeing with Optuna |", "|---|---|---|---|"]
    agree_total = 0
    for p in ours["pruners"]:
        other = theirs.get(p["name"])
        agree = None
        if other is not None:
            agree = sum(1 for a, b in zip(p["decisions"], other) for x, y in zip(a, b) if x == y and len(a) == len(b))
            agree_total += agree
        lines.append(f"| {p['name']} | {p['reports']} | {1e6 * p['seconds'] / p['reports']:.1f} | "
                     + (f"{agree} of {p['reports']}" if agree is not None else "n/a") + " |")
    if theirs:
        lines += ["", f"In all: {agree_total} of {total_reports} decisions agree "
                  f"(Optuna's run of all configurations took {optuna_seconds:.1f} s)."]
    summary["pruners"] = {"reports": total_reports, "agreeing": agree_total if theirs else None}

out.with_suffix(".md").write_text("\n".join(lines) + "\n")
out.with_suffix(".json").write_text(json.dumps(summary, indent=1) + "\n")
print("\n".join(lines))
