"""The Python peers' runner of bench/: Optuna or rustuna (argv[1]) on the config (JSON,
argv[2]), printed in the native runner's JSON form. Both are driven through the same
ask/tell loop as edgetune."""
import json
import sys
import time
from importlib.metadata import version

from functions import PROBLEMS, shift
from py_runner_common import suggest

lib_name = sys.argv[1]
config = json.loads(sys.argv[2])

if lib_name == "optuna":
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    lib = optuna
else:
    import rustuna as lib

SAMPLERS = {"tpe": "TPESampler", "random": "RandomSampler"}


def make_study(sampler, seed):
    return lib.create_study(sampler=getattr(lib.samplers, SAMPLERS[sampler])(seed=seed))


def trial(study, params, f):
    """One ask + suggest + tell; returns (value, seconds in the library)."""
    start = time.perf_counter()
    t = study.ask()
    x = [suggest(t, i, p) for i, p in enumerate(params)]
    spent = time.perf_counter() - start
    value = f(x)
    start = time.perf_counter()
    # rustuna tells by trial number; Optuna takes the trial.
    study.tell(t.number if lib_name == "rustuna" else t, value)
    return value, spent + time.perf_counter() - start


q = config["quality"]
checkpoints = q.get("checkpoints", [])
quality = {}
for sampler in q.get("samplers", []):
    quality[sampler] = {}
    for name in q["problems"]:
        params, f, optimum = PROBLEMS[name]
        runs = []
        for seed in range(q["seeds"]):
            study = make_study(sampler, seed)
            best, area, out = float("inf"), 0.0, {}
            for i in range(1, max(checkpoints) + 1):
                v, _ = trial(study, params, f)
                best = min(best, v)
                area += best - optimum
                if i in checkpoints:
                    out[str(i)] = {"regret": best - optimum, "auc": area / i}
            runs.append(out)
        quality[sampler][name] = runs

s = config["speed"]
speed = {}
for dim in s["spaces"]:
    params = [("float", -5.0, 5.0, False)] * dim
    sphere = lambda x: sum((v - shift(i)) ** 2 for i, v in enumerate(x))
    runs = []
    for seed in s["seeds"]:
        study = make_study("tpe", seed)
        times = []
        limit = s.get("max_trials", {}).get(lib_name, s["n_trials"])
        for n in range(s["n_trials"]):
            if n == limit:
                break
            times.append(trial(study, params, sphere)[1])
        runs.append(times)
    speed[str(dim)] = runs

print(json.dumps({"library": f"{lib_name} {version(lib_name)}", "quality": quality, "speed": speed}))
