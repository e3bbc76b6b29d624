"""Writes tests/golden/tpe_parzen.json: Optuna's multivariate Parzen estimators on recorded
histories, for the parity test in crates/core/src/samplers/tpe/parzen.rs.

Each case is a study that Optuna's own TPE ran (multivariate, the default) over a mixed
space: float, log float, int, stepped int, log int and categorical parameters, with the
ties that discrete parameters bring. At the next ask, Optuna's split gives the good and
the bad trials; for each group the file holds the observations (internal values, as
both sides keep them), the mixture weights, the order Optuna's argsort put each
numerical parameter's values in (ties included: it decides which kernels get the
neighbour-gap bandwidths, and the test gives the same order to edgetune), and then the
log densities l(x) and g(x) of the candidates Optuna drew from l.

    bench/.venv/bin/python bench/tpe_parity.py > tests/golden/tpe_parzen.json
"""
import json
import math
from importlib.metadata import version

import numpy as np
import optuna
import optuna.samplers._tpe.parzen_estimator as pem
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

optuna.logging.set_verbosity(optuna.logging.WARNING)

SPACES = {
    "mixed": {
        "x": FloatDistribution(-5.0, 5.0),
        "lr": FloatDistribution(1e-5, 1e-1, log=True),
        "layers": IntDistribution(1, 6),
        "units": IntDistribution(16, 64, step=8),
        "batch": IntDistribution(1, 64, log=True),
        "opt": CategoricalDistribution(["adam", "sgd", "rmsprop"]),
    },
    "grid": {
        "a": IntDistribution(0, 9),
        "b": IntDistribution(0, 9),
        "c": IntDistribution(0, 2),
        "d": IntDistribution(0, 9),
        "act": CategoricalDistribution(["relu", "tanh"]),
    },
}


def objective(space):
    def f(trial):
        total = 0.0
        for i, (name, d) in enumerate(space.items()):
            v = trial._suggest(name, d)
            if isinstance(d, CategoricalDistribution):
                total += 0.7 * d.choices.index(v)
            elif d.log:
                total += (math.log(v) - math.log(d.low) - 0.3 * (math.log(d.high) - math.log(d.low))) ** 2
            else:
                total += ((v - d.low) / (d.high - d.low) - 0.2 * (i % 3)) ** 2
        return total

    return f


def as_edgetune(d):
    if isinstance(d, CategoricalDistribution):
        return {"type": "categorical", "n": len(d.choices)}
    kind = "int" if isinstance(d, IntDistribution) else "float"
    return {"type": kind, "low": d.low, "high": d.high, "log": d.log, "step": d.step}


class Recorder:
    """numpy for parzen_estimator, recording the argsort of each parameter's values."""

    def __init__(self):
        self.orders = []

    def __getattr__(self, k):
        return getattr(np, k)

    def argsort(self, a, *args, **kw):
        out = np.argsort(a, *args, **kw)
        if np.asarray(a).dtype.kind == "f":
            self.orders.append(out.tolist())
        return out


def estimator(sampler, study, space, trials, below, recorder):
    recorder.orders = []
    mpe = sampler._build_parzen_estimator(study, space, trials, handle_below=below)
    orders = list(recorder.orders)
    observations = {
        name: [d.to_internal_repr(t.params[name]) for t in trials] for name, d in space.items()
    }
    weights = sampler._parzen_estimator_parameters.weights(len(trials)).tolist() if trials else []
    numerical = [n for n, d in space.items() if not isinstance(d, CategoricalDistribution)]
    return mpe, {
        "observations": [observations[n] for n in space],
        "weights": weights,
        "orders": [orders[numerical.index(n)] if n in numerical else None for n in space],
    }


def case(name, space, n_trials, seed):
    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=True)
    study = optuna.create_study(sampler=sampler)
    study.optimize(objective(space), n_trials=n_trials)
    trials = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    n_below = optuna.samplers._tpe.sampler.default_gamma(len(trials))
    below, above = optuna.samplers._tpe.sampler._split_trials(study, trials, n_below)
    recorder = Recorder()
    pem.np = recorder
    try:
        l, good = estimator(sampler, study, space, below, True, recorder)
        g, bad = estimator(sampler, study, space, above, False, recorder)
    finally:
        pem.np = np
    samples = l.sample(np.random.RandomState(seed), sampler._n_ei_candidates)
    log_l, log_g = l.log_pdf(samples), g.log_pdf(samples)
    return {
        "name": f"{name}-{n_trials}",
        "params": [as_edgetune(d) for d in space.values()],
        "below": good,
        "above": bad,
        "candidates": [[float(samples[n][i]) for n in space] for i in range(len(log_l))],
        "log_l": log_l.tolist(),
        "log_g": log_g.tolist(),
    }


print(
    json.dumps(
        {
            "optuna": version("optuna"),
            "numpy": version("numpy"),
            "cases": [
                case("mixed", SPACES["mixed"], 12, 1),
                case("mixed", SPACES["mixed"], 60, 2),
                case("grid", SPACES["grid"], 40, 3),
                case("grid", SPACES["grid"], 120, 4),
            ],
        },
        indent=1,
    )
)
