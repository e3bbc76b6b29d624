"""The Python package as installed: Optuna's API in-process, and its errors."""

import json
import math

import pytest

import edgetune as optuna
from edgetune.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from edgetune.trial import TrialState


def quadratic(trial):
    x = trial.suggest_float("x", -10, 10)
    y = trial.suggest_int("y", -5, 5)
    c = trial.suggest_categorical("c", ["a", "b"])
    return (x - 2) ** 2 + y**2 + (0 if c == "a" else 1)


def test_optimize_finds_the_minimum_and_reports_best():
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=1))
    study.optimize(quadratic, n_trials=60)
    assert len(study.trials) == 60
    assert study.best_value == study.best_trial.value
    assert study.best_value < 2.0
    assert set(study.best_params) == {"x", "y", "c"}
    assert isinstance(study.best_params["y"], int)
    assert study.direction == "minimize"


def test_same_seed_same_trials():
    a = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=7))
    b = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=7))
    a.optimize(quadratic, n_trials=25)
    b.optimize(quadratic, n_trials=25)
    assert [t.params for t in a.trials] == [t.params for t in b.trials]


def test_ask_tell_with_fixed_distributions_and_states():
    study = optuna.create_study(direction="maximize")
    trial = study.ask({"x": FloatDistribution(0, 1), "n": IntDistribution(1, 3)})
    assert set(trial.params) == {"x", "n"}
    frozen = study.tell(trial, trial.params["x"])
    assert frozen.state == TrialState.COMPLETE
    assert isinstance(frozen, optuna.trial.FrozenTrial) and frozen == study.trials[0]
    assert frozen.value == trial.params["x"] and "FrozenTrial(number=1" in repr(study.tell(study.ask(), 0.5))
    pruned = study.ask()
    assert study.tell(pruned, state=TrialState.PRUNED).state == TrialState.PRUNED
    failed = study.ask()
    assert study.tell(failed.number, float("nan")).state == TrialState.FAIL
    assert study.tell(failed.number, 1.0, skip_if_finished=True).state == TrialState.FAIL
    assert [t.number for t in study.get_trials(states=(TrialState.COMPLETE,))] == [0, 1]


def test_pruning_and_intermediate_values():
    study = optuna.create_study(pruner=optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=0), sampler=optuna.samplers.RandomSampler(seed=3))

    def objective(trial):
        x = trial.suggest_float("x", 0, 1)
        for step in range(10):
            trial.report(x + step, step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return x

    study.optimize(objective, n_trials=30)
    states = {t.state for t in study.trials}
    assert TrialState.PRUNED in states and TrialState.COMPLETE in states
    assert study.trials[0].intermediate_values[3] == pytest.approx(study.trials[0].params["x"] + 3)
    assert study.trials[0].last_step == 9


def test_multi_objective_best_trials_form_a_front():
    study = optuna.create_study(directions=["minimize", "maximize"], sampler=optuna.samplers.NSGAIISampler(seed=2, population_size=10))
    study.optimize(lambda t: (t.suggest_float("x", 0, 1), t.suggest_float("y", 0, 1)), n_trials=40)
    front = study.best_trials
    assert front
    for a in front:
        for b in front:
            assert not (b.values[0] < a.values[0] and b.values[1] > a.values[1])
    with pytest.raises(RuntimeError, match="best_trials"):
        study.best_trial


def test_enqueue_and_add_trial():
    study = optuna.create_study()
    study.enqueue_trial({"x": 0.25, "c": "b"}, user_attrs={"why": "a hunch"})
    study.optimize(lambda t: t.suggest_float("x", 0, 1) + (t.suggest_categorical("c", ["a", "b"]) == "b"), n_trials=1)
    assert study.trials[0].params == {"x": 0.25, "c": "b"}
    assert study.trials[0].user_attrs == {"why": "a hunch"}
    study.add_trial(optuna.create_trial(params={"x": 0.5}, distributions={"x": FloatDistribution(0, 1)}, value=0.5, user_attrs={"source": "hand"}))
    study.add_trials([optuna.create_trial(params={"x": 0.1}, distributions={"x": FloatDistribution(0, 1)}, value=0.1)])
    assert [t.value for t in study.trials] == [1.25, 0.5, 0.1]
    assert study.trials[1].user_attrs == {"source": "hand"}
    assert study.best_params == {"x": 0.1}


def test_callbacks_stop_and_catch():
    study = optuna.create_study()

    def stop_at_five(s, trial):
        if trial.number == 4:
            s.stop()

    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=100, callbacks=[stop_at_five])
    assert len(study.trials) == 5

    def flaky(trial):
        if trial.number % 2:
            raise KeyError("boom")
        return 1.0

    study2 = optuna.create_study()
    study2.optimize(flaky, n_trials=4, catch=(KeyError,))
    assert [t.state for t in study2.trials] == [TrialState.COMPLETE, TrialState.FAIL] * 2
    with pytest.raises(KeyError):
        optuna.create_study().optimize(flaky, n_trials=4)


def test_n_jobs_runs_every_trial():
    study = optuna.create_study()
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=20, n_jobs=2)
    assert len(study.trials) == 20 and all(t.state == TrialState.COMPLETE for t in study.trials)


def test_attributes_and_dataframe():
    study = optuna.create_study()
    study.set_user_attr("owner", "ml")
    study.set_metric_names(["loss"])

    def objective(trial):
        trial.set_user_attr("note", trial.number)
        return trial.suggest_float("x", 0, 1)

    study.optimize(objective, n_trials=3)
    assert study.user_attrs == {"owner": "ml"} and study.metric_names == ["loss"]
    df = study.trials_dataframe()
    assert list(df["number"]) == [0, 1, 2]
    assert "params_x" in df.columns and "user_attrs_note" in df.columns
    assert list(df["state"]) == ["COMPLETE"] * 3


def test_journals_round_trip():
    study = optuna.create_study(study_name="journaled", sampler=optuna.samplers.TPESampler(seed=5))
    study.optimize(quadratic, n_trials=15)
    again = optuna.load_journal(study.to_journal())
    assert [t.params for t in again.trials] == [t.params for t in study.trials]
    again.optimize(quadratic, n_trials=1)
    assert len(again.trials) == 16
    text = study.to_optuna_journal()
    assert all("op_code" in json.loads(line) for line in text.splitlines())
    imported = optuna.load_optuna_journal(text, "journaled", new_study_name="back")
    assert [t.params for t in imported.trials] == [t.params for t in study.trials]


def test_history_window_and_other_study_options():
    study = optuna.create_study(history_window=20, cost_budget=1000.0)
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=50)
    assert len(study.trials) == 50


def test_importance():
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    study.optimize(lambda t: 10 * t.suggest_float("a", 0, 1) + 0.01 * t.suggest_float("b", 0, 1), n_trials=60)
    imp = optuna.importance.get_param_importances(study)
    assert list(imp) == ["a", "b"] and math.isclose(sum(imp.values()), 1.0)


@pytest.mark.parametrize(
    "call, exc, field",
    [
        (lambda: optuna.create_study(direction="up"), ValueError, "direction"),
        (lambda: optuna.create_study(directions=[]), ValueError, "directions"),
        (lambda: optuna.create_study(storage="sqlite:///x.db"), ValueError, "storage"),
        (lambda: optuna.create_study(sampler="tpe"), TypeError, "sampler"),
        (lambda: optuna.create_study(sampler=optuna.samplers.TPESampler(n_startup_trials=-1)), ValueError, "n_startup_trials"),
        (lambda: optuna.create_study(sampler=optuna.samplers.TPESampler(gamma=lambda n: 1)), TypeError, "gamma"),
        (lambda: optuna.create_study(history_window=5), ValueError, "history_window"),
        (lambda: optuna.create_study(study_name="bad name!"), ValueError, "study_name"),
        (lambda: FloatDistribution(1, 0), ValueError, "low"),
        (lambda: IntDistribution(0, 1, step=0), ValueError, "step"),
        (lambda: CategoricalDistribution([]), ValueError, "choices"),
        (lambda: optuna.load_journal("{"), ValueError, "journal"),
        (lambda: optuna.load_study(study_name="nope"), KeyError, "study_name"),
    ],
)
def test_bad_input_raises_naming_the_field(call, exc, field):
    with pytest.raises(exc, match=field):
        call()


def test_bad_trial_input_raises_and_stores_nothing():
    study = optuna.create_study()
    trial = study.ask()
    with pytest.raises(ValueError, match="low"):
        trial.suggest_float("x", 1, 0)
    with pytest.raises(TypeError, match="step"):
        trial.report(1.0, "one")
    trial.suggest_float("x", 0, 1)
    with pytest.raises(ValueError, match="distribution"):
        trial.suggest_int("x", 0, 5)
    study.tell(trial, 1.0)
    with pytest.raises(ValueError, match="RUNNING|trial"):
        study.tell(trial, 2.0)
    with pytest.raises(KeyError):
        study.tell(99, 1.0)
    with pytest.raises(ValueError, match="params"):
        study.add_trial(optuna.create_trial(params={"x": 5.0}, distributions={"x": FloatDistribution(0, 1)}, value=1.0))
    with pytest.raises(ValueError, match="values"):
        study.tell(study.ask(), state=TrialState.COMPLETE)
    with pytest.raises(TypeError, match="value"):
        study.set_user_attr("k", object())
    assert study.trials[0].params == {"x": study.trials[0].params["x"]}
    assert len(study.trials) == 2


def test_optuna_opens_an_exported_journal_and_its_journals_import(tmp_path):
    real = pytest.importorskip("optuna")
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    study = optuna.create_study(study_name="to-optuna", directions=["minimize", "maximize"])

    def objective(trial):
        trial.set_user_attr("k", trial.number)
        x = trial.suggest_float("x", 0, 1)
        n = trial.suggest_int("n", 1, 3)
        return x, n

    study.optimize(objective, n_trials=6)
    path = tmp_path / "edgetune.log"
    path.write_text(study.to_optuna_journal())
    loaded = real.load_study(study_name="to-optuna", storage=JournalStorage(JournalFileBackend(str(path))))
    assert [t.params for t in loaded.trials] == [t.params for t in study.trials]
    assert [t.values for t in loaded.trials] == [t.values for t in study.trials]
    assert [t.user_attrs for t in loaded.trials] == [t.user_attrs for t in study.trials]

    written = tmp_path / "optuna.log"
    theirs = real.create_study(study_name="from-optuna", storage=JournalStorage(JournalFileBackend(str(written))), sampler=real.samplers.RandomSampler(seed=1))
    theirs.optimize(lambda t: t.suggest_float("y", -1, 1) ** 2, n_trials=5)
    ours = optuna.load_optuna_journal(written.read_text(), "from-optuna")
    assert [t.params for t in ours.trials] == [t.params for t in theirs.trials]
    ours.optimize(lambda t: t.suggest_float("y", -1, 1) ** 2, n_trials=2)
    assert len(ours.trials) == 7


def test_an_importance_option_edgetune_lacks_is_refused():
    with pytest.raises(ValueError, match="evaluate_on_local"):
        optuna.importance.PedAnovaImportanceEvaluator(evaluate_on_local=False)


def test_an_enqueued_trial_holds_its_attributes_while_it_waits():
    study = optuna.create_study()
    study.enqueue_trial({"x": 0.25}, user_attrs={"why": "a hunch"})
    waiting = optuna.load_journal(study.to_journal())
    assert waiting.trials[0].state == TrialState.WAITING
    assert waiting.trials[0].user_attrs == {"why": "a hunch"}
