"""`bench/run python`: the Python package beside Optuna 5 and rustuna, in one Python
process.

- Speed: TPE ask + suggest (5 floats) + tell, per trial, around n trials (the mean of the
  last tenth of the trials up to n), for each library.
- Remote: the same trials against the edgetune service (the real Worker build under
  `wrangler dev`, started here) beside Optuna with a SQLite RDB storage: the way to share
  one study among processes in each.
- Quality: TPE against Optuna's TPE on the bench's test functions (bench/functions.py),
  the best value after a number of trials over seeds, with a one-sided Mann-Whitney U
  test of "edgetune's regret is larger".

  python bench/python.py CONFIG OUT_PREFIX      (CONFIG: JSON; writes OUT_PREFIX.md/.json)
"""
import json
import sys
from importlib import import_module
from importlib.metadata import version

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from functions import PROBLEMS, shift  # noqa: E402
from py_runner_common import timed_trial as run_trial  # noqa: E402

config = json.loads(sys.argv[1])
out_prefix = sys.argv[2]

libs = {}
for name in ("edgetune", "optuna", "rustuna"):
    try:
        libs[name] = import_module(name)
    except ImportError:
        print(f"{name} is not installed here: left out", file=sys.stderr)
if "optuna" in libs:
    libs["optuna"].logging.set_verbosity(libs["optuna"].logging.WARNING)


def make_study(lib_name, seed):
    lib = libs[lib_name]
    return lib.create_study(sampler=lib.samplers.TPESampler(seed=seed))


def speed():
    s = config["speed"]
    n, dim = s["n_trials"], s["dim"]
    params = [("float", -5.0, 5.0, False)] * dim
    sphere = lambda x: sum((v - shift(i)) ** 2 for i, v in enumerate(x))  # noqa: E731
    out = {}
    for lib_name in libs:
        per_seed = []
        for seed in range(s["seeds"]):
            study = make_study(lib_name, seed)
            times = [run_trial(lib_name, study, params, sphere)[1] for _ in range(n)]
            tail = times[n - max(1, n // 10):]
            per_seed.append(sum(tail) / len(tail))
        out[lib_name] = sorted(per_seed)[len(per_seed) // 2]
        print(f"speed {lib_name}: {out[lib_name] * 1000:.3f} ms per ask+tell around n = {n}", file=sys.stderr)
    return out


def quality():
    from scipy.stats import mannwhitneyu

    q = config["quality"]
    rows = []
    for problem in q["problems"]:
        params, f, optimum = PROBLEMS[problem]
        regrets = {}
        for lib_name in ("edgetune", "optuna"):
            regrets[lib_name] = []
            for seed in range(q["seeds"]):
                study = make_study(lib_name, seed)
                best = min(run_trial(lib_name, study, params, f)[0] for _ in range(q["n_trials"]))
                regrets[lib_name].append(best - optimum)
        ours, theirs = regrets["edgetune"], regrets["optuna"]
        p = mannwhitneyu(ours, theirs, alternative="greater").pvalue if len(ours) > 1 else float("nan")
        med = lambda xs: sorted(xs)[len(xs) // 2]  # noqa: E731
        rows.append({"problem": problem, "edgetune": med(ours), "optuna": med(theirs), "p_worse": p})
        print(f"quality {problem}: median regret edgetune {med(ours):.4g}, Optuna {med(theirs):.4g}, p(worse) = {p:.3f}", file=sys.stderr)
    return rows


def remote():
    """Ask + suggest + tell per trial around n, over HTTP (edgetune) and on a SQLite RDB
    storage (Optuna), one seed each: both are one client of a shared study."""
    import tempfile

    sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/python/tests")
    from service import KEYS, DevServer

    r = config["remote"]
    n, dim = r["n_trials"], r["dim"]
    params = [("float", -5.0, 5.0, False)] * dim
    sphere = lambda x: sum((v - shift(i)) ** 2 for i, v in enumerate(x))  # noqa: E731
    server = DevServer().start()
    out = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            studies = {
                "edgetune (HTTP, wrangler dev)": libs["edgetune"].create_study(
                    storage=server.url, api_key=KEYS["alpha"], study_name="bench-remote",
                    sampler=libs["edgetune"].samplers.TPESampler(seed=0)),
            }
            if "optuna" in libs:
                studies["optuna (SQLite RDB)"] = libs["optuna"].create_study(
                    storage=f"sqlite:///{folder}/bench.db", sampler=libs["optuna"].samplers.TPESampler(seed=0))
            for name, study in studies.items():
                times = [run_trial("edgetune" if name.startswith("edgetune") else "optuna", study, params, sphere)[1] for _ in range(n)]
                tail = times[n - max(1, n // 10):]
                out[name] = sum(tail) / len(tail)
                print(f"remote {name}: {out[name] * 1000:.3f} ms per ask+tell around n = {n}", file=sys.stderr)
    finally:
        server.stop()
    return out


sp = speed()
rm = remote() if "remote" in config and "edgetune" in libs else {}
ql = quality() if "optuna" in libs else []
versions = {name: version(name) for name in libs}
lines = [
    "# The Python package beside Optuna and rustuna",
    "",
    f"One Python process; {', '.join(f'{k} {v}' for k, v in versions.items())}. Reproduce: `bench/run python`.",
    "",
    f"## Speed: TPE ask + suggest ({config['speed']['dim']} floats) + tell around n = {config['speed']['n_trials']}",
    "",
    f"The mean of the last tenth of the trials, the median over {config['speed']['seeds']} seeds.",
    "",
    "| library | ms per ask+tell | × edgetune |",
    "|---|---:|---:|",
    *[f"| {k} | {v * 1000:.3f} | {v / sp['edgetune']:.1f} |" for k, v in sp.items()],
    "",
    *([
        f"## Remote: TPE ask + suggest ({config['remote']['dim']} floats) + tell around n = {config['remote']['n_trials']}, one client of a shared study",
        "",
        "edgetune over HTTP to the real Worker build under `wrangler dev` on this machine (one keep-alive connection; three",
        "requests a trial once TPE draws at ask); Optuna on a SQLite RDB storage file. One seed; the mean of the last tenth of the trials.",
        "",
        "| study | ms per ask+tell | × edgetune |",
        "|---|---:|---:|",
        *[f"| {k} | {v * 1000:.3f} | {v / next(iter(rm.values())):.1f} |" for k, v in rm.items()],
        "",
    ] if rm else []),
    f"## Quality: TPE, best value after {config['quality']['n_trials']} trials, {config['quality']['seeds']} seeds",
    "",
    "One-sided Mann-Whitney U, \"edgetune's regret is larger\".",
    "",
    "| function | median regret, edgetune | Optuna | p (edgetune worse) |",
    "|---|---:|---:|---:|",
    *[f"| {r['problem']} | {r['edgetune']:.4g} | {r['optuna']:.4g} | {r['p_worse']:.3f} |" for r in ql],
    "",
]
open(f"{out_prefix}.md", "w").write("\n".join(lines))
open(f"{out_prefix}.json", "w").write(json.dumps({"config": config, "versions": versions, "speed_seconds": sp, "remote_seconds": rm, "quality": ql}, indent=2) + "\n")
print("\n".join(lines))
