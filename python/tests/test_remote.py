"""The same API against the service: the real Worker build under `wrangler dev`, started
here. Several study handles (as several machines) share one study; `migrate` brings an
Optuna study in from a SQLite RDB storage and it goes on over HTTP."""

import json
import math
import threading

import optuna as real_optuna
import pytest

import edgetune as optuna
from edgetune.exceptions import DuplicatedStudyError, StorageInternalError
from edgetune.trial import TrialState
from service import KEYS, DevServer

KEY = KEYS["alpha"]


@pytest.fixture(scope="module")
def url():
    server = DevServer().start()
    yield server.url
    server.stop()


def objective(trial):
    x = trial.suggest_float("x", -10, 10)
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    k = trial.suggest_int("k", 1, 8)
    opt = trial.suggest_categorical("opt", ["adam", "sgd"])
    value = (x - 2) ** 2 + k + (0 if opt == "adam" else 1) + abs(math.log10(lr) + 3)
    for step in range(3):
        trial.report(value + 1.0 / (step + 1), step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return value


def test_optimize_in_the_service(url):
    study = optuna.create_study(
        storage=url, api_key=KEY, study_name="py-remote", sampler=optuna.samplers.TPESampler(seed=1),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=5),
    )
    study.optimize(objective, n_trials=40)
    trials = study.trials
    assert [t.number for t in trials] == list(range(40))
    assert {t.state for t in trials} <= {TrialState.COMPLETE, TrialState.PRUNED}
    assert any(t.state == TrialState.PRUNED for t in trials), "the service's pruner pruned"
    assert study.best_value == min(t.value for t in trials if t.state == TrialState.COMPLETE)
    assert set(study.best_params) == {"x", "lr", "k", "opt"}
    assert isinstance(study.best_params["k"], int)
    assert study.best_trial.intermediate_values[0] == pytest.approx(study.best_value + 1.0)
    assert study.best_value < 8, "TPE in the service improves on the start"
    # The same study, loaded by another client, sees every trial.
    other = optuna.load_study(study_name="py-remote", storage=url, api_key=KEY)
    assert len(other.trials) == 40 and other.best_trial.number == study.best_trial.number


def test_several_clients_share_one_study(url):
    first = optuna.create_study(storage=url, api_key=KEY, study_name="py-shared", sampler=optuna.samplers.TPESampler(seed=2))
    second = optuna.load_study(study_name="py-shared", storage=url, api_key=KEY)
    runs = [threading.Thread(target=s.optimize, args=(objective,), kwargs={"n_trials": 15, "n_jobs": 3}) for s in (first, second)]
    for r in runs:
        r.start()
    for r in runs:
        r.join()
    numbers = [t.number for t in first.trials]
    assert numbers == list(range(30)), "30 distinct trials, none lost"
    assert all(t.state.is_finished() for t in first.trials)


def test_ask_tell_enqueue_attributes_and_journals(url):
    study = optuna.create_study(storage=url, api_key=KEY, study_name="py-ask-tell", directions=["minimize", "maximize"])
    study.set_metric_names(["loss", "accuracy"])
    study.set_user_attr("team", {"name": "ranking"})
    study.enqueue_trial({"x": 0.25, "opt": "sgd"})
    trial = study.ask(fixed_distributions={"x": optuna.distributions.FloatDistribution(0, 1)})
    assert trial.params["x"] == 0.25
    assert trial.suggest_categorical("opt", ["adam", "sgd"]) == "sgd"
    assert trial.suggest_float("x", 0, 1) == 0.25, "the same suggestion again answers the same value"
    trial.set_user_attr("host", "gpu-1")
    trial.set_constraints([-1.0])
    frozen = study.tell(trial, [0.5, 0.9])
    assert (frozen.state, frozen.values, frozen.user_attrs) == (TrialState.COMPLETE, [0.5, 0.9], {"host": "gpu-1"})
    assert frozen.system_attrs["constraints"] == [-1.0]
    failed = study.ask()
    study.tell(failed, state=TrialState.FAIL)
    assert study.tell(failed, state=TrialState.FAIL, skip_if_finished=True).state == TrialState.FAIL
    assert study.metric_names == ["loss", "accuracy"]
    assert study.user_attrs == {"team": {"name": "ranking"}}
    assert [t.number for t in study.best_trials] == [0]
    assert list(study.trials_dataframe()["state"]) == ["COMPLETE", "FAIL"]
    assert len(study.get_trials(states=(TrialState.FAIL,))) == 1
    # The service's journals: edgetune's continues here, Optuna's opens in Optuna.
    local = optuna.load_journal(study.to_journal())
    assert [t.values for t in local.trials] == [[0.5, 0.9], None]
    lines = [json.loads(line) for line in study.to_optuna_journal().splitlines()]
    assert lines[0]["op_code"] == 0 and lines[0]["study_name"] == "py-ask-tell"


def test_bad_input_raises_python_errors_naming_the_field(url):
    with pytest.raises(ValueError, match="storage"):
        optuna.create_study(storage="sqlite:///x.db")
    with pytest.raises(ValueError, match="api_key"):
        optuna.create_study(api_key=KEY)
    with pytest.raises(PermissionError):
        optuna.create_study(storage=url, api_key="wrong-key", study_name="py-nope")
    with pytest.raises(KeyError, match="study_name"):
        optuna.load_study(study_name="py-missing", storage=url, api_key=KEY)
    with pytest.raises(ValueError, match="study_name"):
        optuna.create_study(storage=url, api_key=KEY, study_name="bad name!")
    with pytest.raises(ValueError, match="sampler"):
        optuna.create_study(storage=url, api_key=KEY, study_name="py-bad", sampler=optuna.samplers.TPESampler(n_startup_trials=-1))
    study = optuna.create_study(storage=url, api_key=KEY, study_name="py-strict")
    with pytest.raises(DuplicatedStudyError, match="study_name"):
        optuna.create_study(storage=url, api_key=KEY, study_name="py-strict")
    assert optuna.create_study(storage=url, api_key=KEY, study_name="py-strict", load_if_exists=True).study_name == "py-strict"
    trial = study.ask()
    with pytest.raises(ValueError, match="low"):
        trial.suggest_float("x", 2, 1)
    with pytest.raises(ValueError, match="distribution"):
        trial.suggest_int("k", 1, 3)
        trial.suggest_float("k", 1, 3)
    with pytest.raises(TypeError, match="value"):
        trial.report("high", 0)
    with pytest.raises(ValueError, match="params"):
        study.enqueue_trial({"x": [1, 2]})
    study.tell(trial, 1.0)
    with pytest.raises(RuntimeError, match="finished|COMPLETE"):
        study.tell(trial, 2.0)
    with pytest.raises(KeyError):
        study.tell(99, 1.0)
    assert [t.state for t in study.trials] == [TrialState.COMPLETE], "nothing half-stored"
    unreachable = optuna.samplers.RandomSampler()
    with pytest.raises(StorageInternalError):
        optuna.create_study(storage="http://127.0.0.1:9", api_key=KEY, sampler=unreachable)


def optuna_objective(trial):
    x = trial.suggest_float("x", -5, 5)
    n = trial.suggest_int("n", 1, 4)
    trial.set_user_attr("double", 2 * x)
    if n == 4 and x > 4:
        raise ValueError("a failed trial")
    for step in range(4):
        trial.report(x * x + n + 1.0 / (step + 1), step)
        if trial.should_prune():
            raise real_optuna.TrialPruned()
    return x * x + n


def optuna_study(tmp_path, name):
    real_optuna.logging.set_verbosity(real_optuna.logging.WARNING)
    storage = f"sqlite:///{tmp_path / 'optuna.db'}"
    study = real_optuna.create_study(
        study_name=name, storage=storage, sampler=real_optuna.samplers.TPESampler(seed=3),
        pruner=real_optuna.pruners.MedianPruner(n_startup_trials=3),
    )
    study.set_user_attr("origin", "postgres, really")
    study.optimize(optuna_objective, n_trials=30, catch=(ValueError,))
    study.enqueue_trial({"x": 1.0, "n": 2})
    return storage, study


def test_migrate_from_sqlite_into_the_service_and_go_on(url, tmp_path):
    storage, source = optuna_study(tmp_path, "ranker")
    study = optuna.migrate(from_storage=storage, study_name="ranker", to=url, api_key=KEY, to_study_name="py-ranker")
    assert study.study_name == "py-ranker"
    want = source.get_trials()
    got = study.trials
    assert [(t.number, t.state.name, t.params, t.values) for t in got] == [(t.number, t.state.name, t.params, t.values) for t in want]
    assert study.user_attrs == {"origin": "postgres, really"}
    # It goes on over HTTP, from another client: the enqueued trial first.
    again = optuna.load_study(study_name="py-ranker", storage=url, api_key=KEY)
    again.optimize(lambda t: t.suggest_float("x", -5, 5) ** 2 + t.suggest_int("n", 1, 4), n_trials=5)
    trials = again.trials
    assert [t.number for t in trials] == list(range(35))
    assert trials[30].params == {"x": 1.0, "n": 2}
    assert all(t.state == TrialState.COMPLETE for t in trials[30:])


def test_migrate_to_a_file_and_bad_input(url, tmp_path):
    storage, source = optuna_study(tmp_path, "with spaces é")
    path = tmp_path / "ranker.json"
    study = optuna.migrate(from_storage=storage, study_name="with spaces é", to=str(path))
    assert len(study.trials) == len(source.trials) == 31
    loaded = optuna.load_journal(path.read_text())
    assert [t.params for t in loaded.trials] == [t.params for t in source.trials]
    loaded.optimize(lambda t: t.suggest_float("x", -5, 5) ** 2 + t.suggest_int("n", 1, 4), n_trials=3)
    with pytest.raises(FileExistsError, match="to"):
        optuna.migrate(from_storage=storage, study_name="with spaces é", to=str(path))
    with pytest.raises(KeyError, match="study_name"):
        optuna.migrate(from_storage=storage, study_name="nowhere", to=url, api_key=KEY)
    # The service refuses the name: the error says so, and nothing is stored.
    with pytest.raises(ValueError, match="name"):
        optuna.migrate(from_storage=storage, study_name="with spaces é", to=url, api_key=KEY)
    with pytest.raises(KeyError):
        optuna.load_study(study_name="with spaces é", storage=url, api_key=KEY)


def test_drawn_parameters_cost_no_request_and_are_recorded(url):
    study = optuna.create_study(storage=url, api_key=KEY, study_name="py-drawn", sampler=optuna.samplers.TPESampler(seed=4, n_startup_trials=3))
    study.optimize(objective, n_trials=6)
    remote = study._native
    calls = []
    call = remote._client.call
    remote._client.call = lambda method, path, *a, **kw: (calls.append(path.rsplit("/", 1)[-1]), call(method, path, *a, **kw))[1]
    trial = study.ask()
    values = [trial.suggest_float("x", -10, 10), trial.suggest_float("lr", 1e-5, 1e-1, log=True), trial.suggest_int("k", 1, 8)]
    assert calls == ["suggest"], "the ask's drawn parameters answer without a request"
    assert trial.params == {"x": values[0], "lr": values[1], "k": values[2]}, "a read records them first"
    with pytest.raises(ValueError, match="distribution"):
        trial.suggest_float("x", 0, 1)
    study.tell(trial, 1.0)
    remote._client.call = call
    assert set(study.trials[-1].params) == {"x", "lr", "k"}
    # A refused suggestion leaves the ones answered here to record.
    trial = study.ask()
    x = trial.suggest_float("x", -10, 10)
    with pytest.raises(ValueError, match="low"):
        trial.suggest_float("y", 3, 1)
    study.tell(trial, 2.0)
    assert study.trials[-1].params == {"x": x}


def test_an_enqueued_trials_attributes_reach_whoever_asks_it(url):
    first = optuna.create_study(storage=url, api_key=KEY, study_name="py-enqueued")
    first.enqueue_trial({"x": 0.5}, user_attrs={"why": "a hunch"})
    with pytest.raises(ValueError, match="user_attrs"):
        first.enqueue_trial({"x": 0.6}, user_attrs={"": 1})
    other = optuna.load_study(study_name="py-enqueued", storage=url, api_key=KEY)
    trial = other.ask()
    assert trial.suggest_float("x", 0, 1) == 0.5
    assert other.tell(trial, 1.0).user_attrs == {"why": "a hunch"}
    assert len(other.trials) == 1, "the refused enqueue stored nothing"
