"""Optuna's tutorial topics, written here, run on both edgetune and Optuna."""

import pytest


def test_first_optimization(optuna):
    def objective(trial):
        x = trial.suggest_float("x", -10, 10)
        return (x - 2) ** 2

    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=10))
    study.optimize(objective, n_trials=40)
    assert abs(study.best_params["x"] - 2) < 1.5
    assert study.best_value == pytest.approx((study.best_params["x"] - 2) ** 2)
    assert len(study.trials) == 40


def test_conditional_configurations(optuna):
    def objective(trial):
        model = trial.suggest_categorical("model", ["linear", "tree"])
        if model == "linear":
            alpha = trial.suggest_float("alpha", 1e-4, 1.0, log=True)
            return alpha
        depth = trial.suggest_int("depth", 1, 8)
        return 1.0 / depth

    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=3))
    study.optimize(objective, n_trials=30)
    for t in study.trials:
        expected = {"model", "alpha"} if t.params["model"] == "linear" else {"model", "depth"}
        assert set(t.params) == expected


def test_pruning_an_sklearn_model(optuna):
    from sklearn.datasets import load_iris
    from sklearn.linear_model import SGDClassifier
    from sklearn.model_selection import train_test_split

    X, y = load_iris(return_X_y=True)
    X_train, X_valid, y_train, y_valid = train_test_split(X, y, random_state=0)
    classes = sorted(set(y))

    def objective(trial):
        alpha = trial.suggest_float("alpha", 1e-5, 1e-1, log=True)
        clf = SGDClassifier(alpha=alpha, random_state=0)
        for step in range(20):
            clf.partial_fit(X_train, y_train, classes=classes)
            accuracy = clf.score(X_valid, y_valid)
            trial.report(accuracy, step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return accuracy

    study = optuna.create_study(direction="maximize", pruner=optuna.pruners.MedianPruner(n_startup_trials=3), sampler=optuna.samplers.RandomSampler(seed=1))
    study.optimize(objective, n_trials=15)
    states = [t.state for t in study.trials]
    assert optuna.trial.TrialState.COMPLETE in states
    assert study.best_value > 0.5


def test_ask_and_tell_with_fixed_distributions(optuna):
    study = optuna.create_study(direction="maximize")
    distributions = {
        "lr": optuna.distributions.FloatDistribution(1e-4, 1e-1, log=True),
        "layers": optuna.distributions.IntDistribution(1, 4),
        "act": optuna.distributions.CategoricalDistribution(["relu", "tanh"]),
    }
    for _ in range(8):
        trial = study.ask(distributions)
        score = trial.params["layers"] - trial.params["lr"] + (trial.params["act"] == "relu")
        study.tell(trial, score)
    assert len(study.trials) == 8
    assert set(study.best_params) == {"lr", "layers", "act"}
    trial = study.ask()
    x = trial.suggest_float("x", 0, 1)
    study.tell(trial, x)
    assert study.trials[-1].state == optuna.trial.TrialState.COMPLETE


def test_multi_objective(optuna):
    def objective(trial):
        x = trial.suggest_float("x", 0, 5)
        y = trial.suggest_float("y", 0, 3)
        return 4 * x**2 + 4 * y**2, (x - 5) ** 2 + (y - 5) ** 2

    study = optuna.create_study(directions=["minimize", "minimize"], sampler=optuna.samplers.NSGAIISampler(seed=4))
    study.optimize(objective, n_trials=60)
    front = study.best_trials
    assert front
    for a in front:
        assert not any(b.values[0] < a.values[0] and b.values[1] < a.values[1] for b in study.trials if b.values)


def test_specifying_parameters_by_hand(optuna):
    def objective(trial):
        x = trial.suggest_float("x", 0, 10)
        n = trial.suggest_int("n", 1, 5)
        return x * n

    study = optuna.create_study()
    study.enqueue_trial({"x": 1.5, "n": 2})
    study.optimize(objective, n_trials=1)
    assert study.trials[0].params == {"x": 1.5, "n": 2}
    study.add_trial(
        optuna.trial.create_trial(
            params={"x": 0.5, "n": 1},
            distributions={"x": optuna.distributions.FloatDistribution(0, 10), "n": optuna.distributions.IntDistribution(1, 5)},
            value=0.5,
        )
    )
    assert study.best_trial.params == {"x": 0.5, "n": 1}
    study.optimize(objective, n_trials=3)
    assert len(study.trials) == 5


def test_callbacks_with_study_stop(optuna):
    seen = []

    def stop_when_good(study, trial):
        seen.append(trial.number)
        if trial.state == optuna.trial.TrialState.COMPLETE and trial.value < 0.5:
            study.stop()

    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=2))
    study.optimize(lambda t: t.suggest_float("x", 0, 10), n_trials=200, callbacks=[stop_when_good])
    assert len(study.trials) == len(seen) < 200
    assert study.trials[-1].value < 0.5


def test_user_attributes_and_trials_dataframe(optuna):
    study = optuna.create_study()
    study.set_user_attr("contributors", ["ann", "bo"])

    def objective(trial):
        trial.set_user_attr("accuracy", 1 - trial.number / 10)
        return trial.suggest_float("x", 0, 1)

    study.optimize(objective, n_trials=4)
    assert study.user_attrs["contributors"] == ["ann", "bo"]
    assert study.trials[2].user_attrs["accuracy"] == pytest.approx(0.8)
    df = study.trials_dataframe(attrs=("number", "value", "params", "user_attrs", "state"))
    assert set(df.columns) == {"number", "value", "params_x", "user_attrs_accuracy", "state"}
    assert list(df["state"]) == ["COMPLETE"] * 4
