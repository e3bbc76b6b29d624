"""Runs bench/'s config (JSON, argv[2]) with Optuna or rustuna (argv[1]) and prints
results in the same JSON form as edgetune's runners."""
import json
import sys
import time

from functions import FUNCTIONS, MIXED_CHOICES, mixed

lib_name = sys.argv[1]
config = json.loads(sys.argv[2])

if lib_name == "optuna":
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    lib = optuna
else:
    import rustuna as lib

SAMPLERS = {"tpe": "TPESampler", "random": "RandomSampler"}


def run(name, dim, sampler, seed, n_trials, checkpoint=lambda i: None):
    study = lib.create_study(sampler=getattr(lib.samplers, SAMPLERS[sampler])(seed=seed))
    if name == "mixed":
        def objective(t):
            x = t.suggest_float("x", -5, 5)
            lr = t.suggest_float("lr", 1e-5, 1, log=True)
            n = t.suggest_int("n", 1, 20)
            c = t.suggest_categorical("c", list(MIXED_CHOICES))
            return mixed(x, lr, n, c)
    else:
        low, high, _, f = FUNCTIONS[name]

        def objective(t):
            return f([t.suggest_float(f"x{j}", low, high) for j in range(dim)])

    # The same ask/tell loop as edgetune's runners (rustuna has no optimize callbacks).
    best = float("inf")
    for i in range(1, n_trials + 1):
        trial = study.ask()
        value = objective(trial)
        # rustuna tells by trial number; Optuna takes the trial (or its number).
        study.tell(trial.number if lib_name == "rustuna" else trial, value)
        best = min(best, value)
        checkpoint(i)
    return best


def optimum(name, dim):
    return FUNCTIONS[name][2](dim) if name in FUNCTIONS else 0.0


quality, speed = {}, {}
for sampler in config["samplers"]:
    q = config["quality"]
    quality[sampler] = {
        name: [run(name, q["dim"], sampler, seed, q["n_trials"]) - optimum(name, q["dim"]) for seed in q["seeds"]]
        for name in q["functions"]
    }
    s = config["speed"]
    runs = []
    for seed in s["seeds"]:
        marks = []
        start = time.perf_counter()

        def mark(i):
            if i in s["checkpoints"]:
                marks.append(time.perf_counter() - start)

        run(s["function"], s["dim"], sampler, seed, s["n_trials"], mark)
        runs.append(marks)
    speed[sampler] = runs

from importlib.metadata import version as dist_version

version = dist_version(lib_name)
print(json.dumps({"library": f"{lib_name} {version}", "quality": quality, "speed": speed}))
