"""Combines the runners' JSON results into bench/results/<name>.{md,json}: medians and
ratios against Optuna, all measured in the same run."""
import json
import statistics
import sys
from pathlib import Path

config = json.loads(Path(sys.argv[1]).read_text())
results = [json.loads(Path(p).read_text()) for p in sys.argv[3:]]
out = Path(sys.argv[2])
by_lib = {r["library"]: r for r in results}
optuna_name = next((n for n in by_lib if n.startswith("optuna")), None)
ours = [n for n in by_lib if n.startswith("edgetune")]

lines = ["# TPE: edgetune beside Optuna and rustuna", ""]
q, s = config["quality"], config["speed"]
lines += [
    f"Machine: shared 2-core VM; every number below comes from one run (`bench/run`).",
    "",
    f"## Quality: median regret (best found - optimum) after {q['n_trials']} trials, "
    f"{q['dim']}-D, {len(q['seeds'])} seeds (lower is better)",
    "",
]
header = ["function"] + [f"{lib} {sampler}" for lib in by_lib for sampler in config["samplers"]]
if optuna_name:
    header += [f"{o} tpe / {optuna_name} tpe" for o in ours]
lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
summary = {"quality": {}, "speed": {}}
for fn in q["functions"]:
    row = [fn]
    medians = {}
    for lib, r in by_lib.items():
        for sampler in config["samplers"]:
            m = statistics.median(r["quality"][sampler][fn])
            medians[(lib, sampler)] = m
            row.append(f"{m:.4g}")
    if optuna_name:
        for o in ours:
            base = medians[(optuna_name, "tpe")]
            ratio = medians[(o, "tpe")] / base if base > 0 else float("nan")
            row.append(f"{ratio:.2f}")
    summary["quality"][fn] = {f"{k[0]} {k[1]}": v for k, v in medians.items()}
    lines.append("| " + " | ".join(row) + " |")

lines += [
    "",
    f"## Speed: milliseconds per trial (ask + suggest + tell + objective), TPE, "
    f"{s['function']} {s['dim']}-D, median of {len(s['seeds'])} seeds",
    "",
]
cps = s["checkpoints"]
windows = [f"trials {a + 1}-{b}" for a, b in zip([0] + cps[:-1], cps)]
lines += ["| library | " + " | ".join(windows) + " | total s | speed-up vs Optuna |", "|" + "---|" * (len(windows) + 3)]
totals = {}
for lib, r in by_lib.items():
    runs = r["speed"]["tpe"]
    per_window = []
    for k, (a, b) in enumerate(zip([0] + cps[:-1], cps)):
        per_window.append(statistics.median(
            ((run[k] - (run[k - 1] if k else 0.0)) / (b - a)) * 1000 for run in runs))
    totals[lib] = statistics.median(run[-1] for run in runs)
    summary["speed"][lib] = {"ms_per_trial": dict(zip(windows, per_window)), "total_s": totals[lib]}
for lib in by_lib:
    speedup = totals[optuna_name] / totals[lib] if optuna_name else float("nan")
    ms = [f"{v:.3f}" for v in summary["speed"][lib]["ms_per_trial"].values()]
    lines.append(f"| {lib} | " + " | ".join(ms) + f" | {totals[lib]:.2f} | {speedup:.1f}x |")

out.with_suffix(".md").write_text("\n".join(lines) + "\n")
out.with_suffix(".json").write_text(json.dumps({"config": config, "summary": summary, "raw": results}, indent=1))
print("\n".join(lines))
