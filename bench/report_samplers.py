"""Combines `bench/run samplers` results into bench/results/<name>.{md,json}: each
sampler beside its Optuna counterpart, measured in the same run. Quality: median regret
(single objective) or hypervolume (multi-objective) with a two-sided Mann-Whitney U
test; speed: ms per trial and the Optuna / edgetune ratio."""
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
# One file per library and speed round; the first of each holds the quality.
ours_rounds = [r for r in results if r["library"].startswith("edgetune")]
optuna_rounds = [r for r in results if r["library"].startswith("optuna")]
ours = ours_rounds[0]
optuna = optuna_rounds[0] if optuna_rounds else None
summary = {"so": {}, "mo": {}, "speed": {}}
lines = [
    "# Samplers: edgetune beside Optuna",
    "",
    f"One run of `bench/run samplers` on a shared 2-core VM ({optuna['library'] if optuna else 'edgetune only'}); "
    "every ratio compares numbers measured in that run. Speed runs in rounds, edgetune and Optuna in turn "
    f"in each ({len(ours_rounds)} here), and a cell is the median over rounds. p: two-sided Mann-Whitney U over seeds; "
    "'worse' or 'better' only when p < 0.05.",
    "",
]
for ours_name, theirs_name in (optuna or {}).get("substitutes", {}).items():
    lines += [f"The Optuna column of `{ours_name}` is Optuna's {theirs_name}.", ""]


def fmt(v):
    return "n/a" if v is None else f"{v:.3g}"


def compare(mine, theirs, lower_is_better):
    """(p, verdict) of edgetune's samples against Optuna's."""
    if not theirs or mannwhitneyu is None or mine == theirs:
        return None, "same" if theirs else ""
    p = float(mannwhitneyu(mine, theirs, alternative="two-sided").pvalue)
    if p >= 0.05:
        return p, "same"
    better = statistics.median(mine) < statistics.median(theirs)
    return p, "better" if better == lower_is_better else "worse"


so, mo = config.get("so", {}), config.get("mo", {})
for c in so.get("checkpoints", []):
    lines += [f"## Single objective after {c} trials: median regret, {so['seeds']} seeds", "",
              "| problem | sampler | edgetune | Optuna | p | verdict |", "|---|---|---|---|---|---|"]
    for prob in so["problems"]:
        for smp in so["samplers"]:
            if c > so.get("max_trials", {}).get(smp, c):
                continue
            mine = [r[str(c)]["regret"] for r in ours["so"][smp][prob]]
            theirs = [r[str(c)]["regret"] for r in optuna["so"][smp][prob]] if optuna else []
            p, verdict = compare(mine, theirs, lower_is_better=True)
            row = [prob, smp, fmt(statistics.median(mine)), fmt(statistics.median(theirs) if theirs else None), fmt(p), verdict]
            summary["so"].setdefault(str(c), {}).setdefault(prob, {})[smp] = {"edgetune": mine, "optuna": theirs, "p": p, "verdict": verdict}
            lines.append("| " + " | ".join(row) + " |")
    lines.append("")

for c in mo.get("checkpoints", []):
    lines += [f"## Multi-objective after {c} trials: median hypervolume (higher is better), {mo['seeds']} seeds", "",
              "| problem | sampler | edgetune | Optuna | p | verdict |", "|---|---|---|---|---|---|"]
    for prob in mo["problems"]:
        for smp in mo["samplers"]:
            if c > mo.get("max_trials", {}).get(smp, c):
                continue
            mine = [r[str(c)] for r in ours["mo"][smp][prob]]
            theirs = [r[str(c)] for r in optuna["mo"][smp][prob]] if optuna else []
            p, verdict = compare(mine, theirs, lower_is_better=False)
            row = [prob, smp, fmt(statistics.median(mine)), fmt(statistics.median(theirs) if theirs else None), fmt(p), verdict]
            summary["mo"].setdefault(str(c), {}).setdefault(prob, {})[smp] = {"edgetune": mine, "optuna": theirs, "p": p, "verdict": verdict}
            lines.append("| " + " | ".join(row) + " |")
    lines.append("")

sp = config.get("speed", {})
lines += [f"## Speed: ms per trial (ask + suggest + tell, objective excluded), median of trials n-50..n, {sp.get('dim')} parameters",
          "", "Single-objective samplers on a shifted sphere, multi-objective ones on ZDT1.", "",
          "| sampler | n | edgetune | Optuna | Optuna / edgetune |", "|---|---|---|---|---|"]
for kind in ("so", "mo"):
    for smp in sp.get(kind, []):
        for n in sp.get("checkpoints", []):
            def at(rounds):
                runs = [r["speed"][kind].get(smp, []) for r in rounds]
                medians = [statistics.median(t[n - 50:n]) * 1000 for t in runs if len(t) >= n]
                return statistics.median(medians) if medians else None
            mine, theirs = at(ours_rounds), at(optuna_rounds)
            ratio = theirs / mine if mine and theirs else None
            summary["speed"][f"{smp}@{n}"] = {"edgetune": mine, "optuna": theirs, "ratio": ratio}
            lines.append(f"| {smp} | {n} | {fmt(mine)} | {fmt(theirs)} | {fmt(ratio)} |")
lines += ["", "n/a: not measured at that n (`max_trials` in bench/run caps the slow Optuna samplers)."]

out.parent.mkdir(parents=True, exist_ok=True)
out.with_suffix(".md").write_text("\n".join(lines) + "\n")
out.with_suffix(".json").write_text(json.dumps({"config": config, "summary": summary}, indent=1))
print("\n".join(lines))
