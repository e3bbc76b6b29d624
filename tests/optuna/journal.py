"""Optuna's side of the journal round trips (tests/e2e/optuna-journal.test.mjs), run with
the bench venv's Optuna 5:

  journal.py dump PATH STUDY       a study of an Optuna journal file, field by field, as JSON
  journal.py write PATH            writes an Optuna study (TPE, pruning, attributes) to a journal file
  journal.py dashboard PATH        the studies optuna-dashboard's API lists from the file
"""
import io
import json
import math
import sys

import warnings

import optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)


def number(v):
    if v is None:
        return None
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def dump(path, name):
    storage = JournalStorage(JournalFileBackend(path))
    study = optuna.load_study(study_name=name, storage=storage)
    trials = []
    for t in study.get_trials(deepcopy=False):
        trials.append({
            "number": t.number,
            "state": t.state.name,
            "params": t.params,
            "distributions": {k: optuna.distributions.distribution_to_json(d) for k, d in t.distributions.items()},
            "values": [number(v) for v in t.values] if t.values is not None else None,
            "intermediate_values": {str(k): number(v) for k, v in t.intermediate_values.items()},
            "user_attrs": t.user_attrs,
            "constraints": t.system_attrs.get("constraints"),
            "system_attrs": {k: v for k, v in t.system_attrs.items() if k.startswith("edgetune:")},
            "datetime_start": t.datetime_start.isoformat() if t.datetime_start else None,
            "datetime_complete": t.datetime_complete.isoformat() if t.datetime_complete else None,
        })
    print(json.dumps({
        "study_name": study.study_name,
        "directions": [d.name for d in study.directions],
        "metric_names": study.metric_names,
        "user_attrs": study.user_attrs,
        "trials": trials,
    }))


def write(path):
    storage = JournalStorage(JournalFileBackend(path))
    study = optuna.create_study(
        study_name="optuna made", storage=storage, direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=3, n_startup_trials=5),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1),
    )
    study.set_user_attr("owner", {"team": "ml"})
    study.set_metric_names(["loss"])

    def objective(trial):
        x = trial.suggest_float("x", -3, 3)
        lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
        layers = trial.suggest_int("layers", 1, 4)
        act = trial.suggest_categorical("act", ["relu", "tanh", "gelu"])
        trial.set_user_attr("note", f"trial {trial.number}")
        if trial.number == 4:
            raise ValueError("diverged")
        for step in range(4):
            value = (x - 1) ** 2 + layers / 10 + (0.5 if act == "tanh" else 0) + 1.0 / (step + 1)
            trial.report(value, step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return value + math.log10(lr) ** 2 / 100

    study.optimize(objective, n_trials=20, catch=(ValueError,))
    print(json.dumps({"n_trials": len(study.trials), "best_value": study.best_value}))


def dashboard(path):
    from optuna_dashboard import wsgi

    app = wsgi(JournalStorage(JournalFileBackend(path)))
    captured = {}

    def call(url, query=""):
        def start(status, headers, exc_info=None):
            captured["status"] = status
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": url, "QUERY_STRING": query, "SERVER_NAME": "test",
                   "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "CONTENT_LENGTH": "0",
                   "wsgi.errors": sys.stderr}
        body = b"".join(app(environ, start))
        if not captured["status"].startswith("200"):
            raise SystemExit(f"{url}: {captured['status']}")
        return json.loads(body)

    listed = call("/api/studies")
    studies = listed["study_summaries"] if "study_summaries" in listed else listed["studies"]
    detail = call(f"/api/studies/{studies[0]['study_id']}", "after=0")
    print(json.dumps({"studies": [s["study_name"] for s in studies], "n_trials": len(detail["trials"])}))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"dump": dump, "write": write, "dashboard": dashboard}[command](*args)
