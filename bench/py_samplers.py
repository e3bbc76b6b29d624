"""Optuna's side of `bench/run samplers`: the counterparts of edgetune's samplers on the
config (JSON, argv[1]), printed in the native samplers runner's JSON form."""
import json
import warnings
import sys
from importlib.metadata import version

import numpy as np
import optuna
from optuna._hypervolume import compute_hypervolume

from functions import MO_PROBLEMS, shift, zdt1
from py_runner_common import single_objective, timed_trial

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
config = json.loads(sys.argv[1])

try:
    import torch  # noqa: F401  Optuna's GPSampler needs it

    GP_SUBSTITUTE = None
except Exception:  # not installed, or installed without the CUDA libraries it loads
    GP_SUBSTITUTE = "TPESampler (PyTorch, which Optuna's GPSampler needs, is not installed)"

SAMPLERS = {
    "gp": lambda seed: optuna.samplers.TPESampler(seed=seed) if GP_SUBSTITUTE else optuna.samplers.GPSampler(seed=seed),
    "cmaes": lambda seed: optuna.samplers.CmaEsSampler(seed=seed),
    "qmc": lambda seed: optuna.samplers.QMCSampler(seed=seed, scramble=True),
    "random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
    "tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "nsga2": lambda seed: optuna.samplers.NSGAIISampler(seed=seed),
    "nsga3": lambda seed: optuna.samplers.NSGAIIISampler(seed=seed),
}


def study(sampler, seed, objectives):
    return optuna.create_study(sampler=SAMPLERS[sampler](seed), directions=["minimize"] * objectives)


def trial(s, params, f):
    """One ask + suggest + tell; returns (values, seconds in Optuna)."""
    return timed_trial("optuna", s, params, f)


def checkpoints(q):
    return q.get("checkpoints", [])


def dominates(a, b):
    return all(x <= y for x, y in zip(a, b)) and any(x < y for x, y in zip(a, b))


def multi_objective(q):
    out = {}
    n = max(checkpoints(q), default=0)
    for sampler in q.get("samplers", []):
        out[sampler] = {}
        cap = min(n, q.get("max_trials", {}).get(sampler, n))
        for name in q["problems"]:
            n_params, f, reference = MO_PROBLEMS[name]
            params = [("float", 0.0, 1.0, False)] * n_params
            runs = []
            for seed in range(q["seeds"]):
                s = study(sampler, seed, len(reference))
                front, at = [], {}
                for i in range(1, cap + 1):
                    v, _ = trial(s, params, f)
                    if not any(dominates(p, v) or p == v for p in front):
                        front = [p for p in front if not dominates(v, p)] + [v]
                    if i in checkpoints(q):
                        inside = [p for p in front if all(a <= r for a, r in zip(p, reference))]
                        hv = float(compute_hypervolume(np.array(inside), np.array(reference))) if inside else 0.0
                        at[str(i)] = hv
                runs.append(at)
            out[sampler][name] = runs
    return out


def speed(s):
    dim, n = s.get("dim", 5), s.get("n_trials", 0)
    limits = s.get("max_trials", {})
    out = {}
    for kind, objectives in (("so", 1), ("mo", 2)):
        out[kind] = {}
        low = -5.0 if objectives == 1 else 0.0
        params = [("float", low, low + (10.0 if objectives == 1 else 1.0), False)] * dim
        sphere = lambda x: sum((v - shift(i)) ** 2 for i, v in enumerate(x))
        for sampler in s.get(kind, []):
            st = study(sampler, 0, objectives)
            f = sphere if objectives == 1 else zdt1
            out[kind][sampler] = [trial(st, params, f)[1] for _ in range(min(n, limits.get(sampler, n)))]
    return out


print(json.dumps({
    "library": f"optuna {version('optuna')}",
    "substitutes": {"gp": GP_SUBSTITUTE} if GP_SUBSTITUTE else {},
    "so": single_objective(config.get("so", {}), lambda sampler, seed: study(sampler, seed, 1), trial),
    "mo": multi_objective(config.get("mo", {})),
    "speed": speed(config.get("speed", {})),
}))
