"""Optuna's side of `bench/run cost`: TPE and GP in a loop that stops once the amount
spent reaches the budget, with the MedianPruner on the training simulator; and Optuna
5's deprecated Terminator beside edgetune's stopping rules. Config: JSON, argv[1];
prints the native cost runner's JSON form."""
import json
import sys
import warnings

import optuna
from optuna.terminator import (BestValueStagnationEvaluator, MedianErrorEvaluator, RegretBoundEvaluator,
                               StaticErrorEvaluator, Terminator)

from functions import COST_PROBLEMS, PROBLEMS
from py_runner_common import suggest

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore")
config = json.loads(sys.argv[1])

SAMPLERS = {
    "optuna-tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "optuna-gp": lambda seed: optuna.samplers.GPSampler(seed=seed),
}


def budget_run(contender, name, seed):
    params, curve, _, budget = COST_PROBLEMS[name]
    multi_step = len(curve([(p[1] + p[2]) / 2 if p[0] != "categorical" else 0 for p in params])) > 1
    pruner = optuna.pruners.MedianPruner() if multi_step else optuna.pruners.NopPruner()
    study = optuna.create_study(sampler=SAMPLERS[contender](seed), pruner=pruner)
    spent, best, n_pruned = 0.0, None, 0
    while spent < budget:
        t = study.ask()
        x = [suggest(t, i, p) for i, p in enumerate(params)]
        steps = curve(x)
        pruned = False
        if multi_step:
            for step, (value, cost) in enumerate(steps):
                t.report(value, step)
                if t.should_prune():
                    study.tell(t, state=optuna.trial.TrialState.PRUNED)
                    pruned, n_pruned = True, n_pruned + 1
                    break
        else:
            value, cost = steps[-1]
        if not pruned:
            value, cost = steps[-1]
            study.tell(t, value)
        spent += cost
        # Only trials finished within the budget count, as in edgetune.
        if not pruned and spent <= budget and (best is None or value < best):
            best = value
    return {"best": best, "spent": spent, "n_trials": len(study.trials), "n_pruned": n_pruned, "n_pruned_for_cost": 0}


TERMINATORS = {
    "regret_bound": lambda: Terminator(improvement_evaluator=RegretBoundEvaluator(),
                                       error_evaluator=MedianErrorEvaluator(RegretBoundEvaluator())),
    "best_value_stagnation": lambda: Terminator(improvement_evaluator=BestValueStagnationEvaluator(),
                                                error_evaluator=StaticErrorEvaluator(0.0)),
}


def stopping_run(rule, name, seed, n_trials):
    params, f, optimum = PROBLEMS[name]
    terminator = TERMINATORS[rule]()
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    stopped = None
    for i in range(1, n_trials + 1):
        t = study.ask()
        study.tell(t, f([suggest(t, k, p) for k, p in enumerate(params)]))
        if stopped is None and terminator.should_terminate(study):
            stopped = (i, study.best_value)
    end = study.best_value
    return {"stopped_at": stopped and stopped[0], "best_at_stop": (stopped[1] if stopped else end) - optimum,
            "best_at_end": end - optimum}


def main():
    b = config["budget"]
    budget = {}
    for contender in b.get("optuna", []):
        budget[contender] = {}
        for name in b["problems"]:
            print(f"optuna {contender} on {name}", file=sys.stderr)
            seeds = range(b.get("first_seed", 0), b.get("first_seed", 0) + b["seeds"])
            budget[contender][name] = [budget_run(contender, name, seed) for seed in seeds]
    st = config["stopping"]
    stopping = {}
    for rule in st["rules"]:
        stopping[rule] = {}
        for name in st["problems"]:
            print(f"optuna terminator {rule} on {name}", file=sys.stderr)
            stopping[rule][name] = [stopping_run(rule, name, seed, st["n_trials"]) for seed in range(st["seeds"])]
    print(json.dumps({"runner": "optuna", "optuna": optuna.__version__, "budget": budget, "stopping": stopping}))


main()
