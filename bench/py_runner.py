"""The Python peers' runner of bench/: Optuna or rustuna (argv[1]) on the config (JSON,
argv[2]), printed in the native runner's JSON form. Both are driven through the same
ask/tell loop as edgetune."""
import json
import sys
from importlib.metadata import version

from functions import shift
from py_runner_common import single_objective, timed_trial

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
    return timed_trial(lib_name, study, params, f)


quality = single_objective(config["quality"], make_study, trial)

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
