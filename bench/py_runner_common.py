"""What the Python runners of bench/ share."""
import time

from functions import PROBLEMS


def suggest(t, i, p):
    """Suggests parameter `x{i}` of kind `p` (see functions.PROBLEMS) on Optuna's or
    rustuna's trial `t`; categoricals come back as their index."""
    name = f"x{i}"
    if p[0] == "float":
        return t.suggest_float(name, p[1], p[2], log=p[3])
    if p[0] == "int":
        return t.suggest_int(name, p[1], p[2])
    return int(t.suggest_categorical(name, [f"c{k}" for k in range(p[1])])[1:])


def timed_trial(lib_name, study, params, f):
    """One ask + suggest + tell on `lib_name`'s study; returns (value, seconds in the
    library). rustuna tells by trial number; Optuna and edgetune take the trial."""
    start = time.perf_counter()
    t = study.ask()
    x = [suggest(t, i, p) for i, p in enumerate(params)]
    spent = time.perf_counter() - start
    value = f(x)
    start = time.perf_counter()
    study.tell(t.number if lib_name == "rustuna" else t, value)
    return value, spent + time.perf_counter() - start


def single_objective(q, make_study, trial):
    """The single-objective quality section: per sampler, problem and seed, the regret
    of the best value and the mean best-so-far regret (AUC) at each checkpoint, up to
    the sampler's `max_trials` when given. `make_study(sampler, seed)` builds a study;
    `trial(study, params, f)` runs one trial and returns (value, seconds)."""
    checkpoints = q.get("checkpoints", [])
    last = max(checkpoints, default=0)
    out = {}
    for sampler in q.get("samplers", []):
        out[sampler] = {}
        cap = min(last, q.get("max_trials", {}).get(sampler, last))
        for name in q["problems"]:
            params, f, optimum = PROBLEMS[name]
            runs = []
            for seed in range(q["seeds"]):
                study = make_study(sampler, seed)
                best, area, at = float("inf"), 0.0, {}
                for i in range(1, cap + 1):
                    v, _ = trial(study, params, f)
                    best = min(best, v)
                    area += best - optimum
                    if i in checkpoints:
                        at[str(i)] = {"regret": best - optimum, "auc": area / i}
                runs.append(at)
            out[sampler][name] = runs
    return out
