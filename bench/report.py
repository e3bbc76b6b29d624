"""Combines the runners' JSON into bench/results/<name>.{md,json}: quality (median final
regret, area under the best-so-far curve, Mann-Whitney U against Optuna) and speed
(ms per trial at n, ratios), all measured in the same run."""
import json
import statistics
import sys
from pathlib import Path

try:
    from scipy.stats import mannwhitneyu
except ImportError:  # the smoke run needs no SciPy
    mannwhitneyu = None

config = json.loads(Path(sys.argv[1]).read_text())
out = Path(sys.argv[2])
results = [json.loads(Path(p).read_text()) for p in sys.argv[3:]]
# bench/run measures speed in rounds, every runner once per round: a library's later
# files add their speed runs (one per round) to its first, which holds the quality.
by_lib = {}
for r in results:
    first = by_lib.setdefault(r["library"], r)
    if first is not r:
        for dim, runs in r["speed"].items():
            first["speed"].setdefault(dim, []).extend(runs)
native = next(n for n in by_lib if n.startswith("edgetune (native)"))
node = next((n for n in by_lib if n.startswith("edgetune (npm")), None)
optuna = next((n for n in by_lib if n.startswith("optuna")), None)
rustuna = next((n for n in by_lib if n.startswith("rustuna")), None)
q, s = config["quality"], config["speed"]
summary = {"quality": {}, "speed": {}}
lines = [
    "# TPE: edgetune beside Optuna and rustuna",
    "",
    "One run of `bench/run` on a shared 2-core VM: every ratio compares numbers measured in that run. "
    "Speed runs in rounds, each runner once per round in turn (one speed seed each), and a cell is the median over rounds.",
    "",
]


def fmt(v):
    return "n/a" if v is None else f"{v:.3g}"


for c in q["checkpoints"]:
    lines += [
        f"## Quality after {c} trials: median regret (best - optimum) and mean best-so-far regret (AUC), {q['seeds']} seeds",
        "",
        "Lower is better. p: two-sided Mann-Whitney U of edgetune TPE against Optuna TPE (final regret); "
        "'worse' marks p < 0.05 with edgetune's median higher. The npm package's quality is the native one, "
        "bit for bit (determinism contract, tested).",
        "",
    ]
    cols = [(lib, smp) for lib in by_lib for smp in q["samplers"] if by_lib[lib]["quality"].get(smp)]
    header = ["problem"] + [f"{lib} {smp} regret / AUC" for lib, smp in cols] + ["edgetune / Optuna (regret)", "p", "verdict"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for prob in q["problems"]:
        row, medians, samples = [prob], {}, {}
        for lib, smp in cols:
            runs = by_lib[lib]["quality"][smp][prob]
            regrets = [r[str(c)]["regret"] for r in runs]
            aucs = [r[str(c)]["auc"] for r in runs]
            medians[(lib, smp)] = statistics.median(regrets)
            samples[(lib, smp)] = regrets
            row.append(f"{statistics.median(regrets):.3g} / {statistics.median(aucs):.3g}")
        ratio = p = None
        verdict = ""
        if optuna and (optuna, "tpe") in medians:
            base = medians[(optuna, "tpe")]
            ratio = medians[(native, "tpe")] / base if base > 0 else None
            if mannwhitneyu:
                p = float(mannwhitneyu(samples[(native, "tpe")], samples[(optuna, "tpe")], alternative="two-sided").pvalue)
                if p < 0.05:
                    verdict = "worse" if medians[(native, "tpe")] > base else "better"
                else:
                    verdict = "same"
        row += [fmt(ratio), fmt(p), verdict]
        summary["quality"].setdefault(str(c), {})[prob] = {
            "medians": {f"{k[0]} {k[1]}": v for k, v in medians.items()}, "ratio": ratio, "p": p, "verdict": verdict}
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")

lines += [
    f"## Speed: ms per trial (ask + suggest + tell, objective excluded), median of trials n-50..n, TPE on a shifted sphere",
    "",
]
header = ["space", "n"] + list(by_lib) + ["Optuna / native", "rustuna / native", "Node / native"]
lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
for dim in s["spaces"]:
    for n in s["checkpoints"]:
        per = {}
        for lib, r in by_lib.items():
            runs = r["speed"].get(str(dim), [])
            vals = [statistics.median(t[n - 50:n]) * 1000 for t in runs if len(t) >= n]
            per[lib] = statistics.median(vals) if vals else None
        ratio = lambda a: per[a] / per[native] if a and per.get(a) and per[native] else None
        row = [f"{dim} params", str(n)] + [fmt(per[lib]) for lib in by_lib]
        row += [fmt(ratio(optuna)), fmt(ratio(rustuna)), fmt(ratio(node))]
        summary["speed"][f"{dim}x{n}"] = per
        lines.append("| " + " | ".join(row) + " |")
lines += ["", "n/a: not measured at that n (see `max_trials` in bench/run: Optuna is too slow to run to 5000 in a bench)."]

out.parent.mkdir(parents=True, exist_ok=True)
out.with_suffix(".md").write_text("\n".join(lines) + "\n")
out.with_suffix(".json").write_text(json.dumps({"config": config, "summary": summary}, indent=1))
print("\n".join(lines))
