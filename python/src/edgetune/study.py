"""Studies: `create_study`, `load_study` and `Study`, with Optuna's names, signatures and
defaults, over edgetune's core in this process."""

from __future__ import annotations

import json
import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Container, Iterable, Sequence

from . import _native
from ._remote import Client, RemoteStudy, _reason
from .distributions import BaseDistribution
from .exceptions import TrialPruned
from .pruners import BasePruner
from .samplers import BaseSampler
from .trial import FrozenTrial, Trial, TrialState, _FinishedTrial, _json_value

ObjectiveFuncType = Callable[[Trial], "float | Sequence[float]"]

_DIRECTIONS = {"minimize": "minimize", "maximize": "maximize"}
#: The longest attribute key, in bytes of UTF-8 (the core's rule).
_MAX_KEY_BYTES = 256


def _direction(field: str, d: Any) -> str:
    name = getattr(d, "name", d)
    if not isinstance(name, str) or name.lower() not in _DIRECTIONS:
        raise ValueError(f"{field}: must be 'minimize' or 'maximize', got {d!r}")
    return name.lower()


class StudyDirection:
    """Optuna's `StudyDirection` names."""

    NOT_SET = "not_set"
    MINIMIZE = "minimize"
    MAXIMIZE = "maximize"


class Study:
    """A study: trials, their sampler and pruner, in this process or in the service
    (`create_study(storage=...)`): the same methods over either."""

    def __init__(self, native: Any, sampler: BaseSampler | None = None, pruner: BasePruner | None = None) -> None:
        self._native = native
        self.sampler = sampler
        self.pruner = pruner
        self._stop = threading.Event()

    # -- identity -----------------------------------------------------------------
    @property
    def study_name(self) -> str:
        return self._native.name()

    @property
    def directions(self) -> list[str]:
        return self._native.directions()

    @property
    def direction(self) -> str:
        directions = self.directions
        if len(directions) > 1:
            raise RuntimeError("direction: this study has several objectives; use directions")
        return directions[0]

    @property
    def metric_names(self) -> list[str] | None:
        return self._native.metric_names()

    def set_metric_names(self, metric_names: list[str]) -> None:
        if not isinstance(metric_names, list) or not all(isinstance(n, str) for n in metric_names):
            raise TypeError(f"metric_names: expected a list of str, got {metric_names!r}")
        self._native.set_metric_names(metric_names)

    # -- attributes ---------------------------------------------------------------
    @property
    def user_attrs(self) -> dict[str, Any]:
        return json.loads(self._native.user_attrs())

    def set_user_attr(self, key: str, value: Any) -> None:
        if not isinstance(key, str):
            raise TypeError(f"key: expected a str, got {key!r}")
        self._native.set_user_attr(key, _json_value("value", value))

    # -- trials -------------------------------------------------------------------
    @property
    def trials(self) -> list[FrozenTrial]:
        return self.get_trials()

    def get_trials(self, deepcopy: bool = True, states: Container[TrialState] | None = None) -> list[FrozenTrial]:
        trials = [FrozenTrial._from_json(t) for t in json.loads(self._native.trials())]
        if states is not None:
            trials = [t for t in trials if t.state in states]
        return trials

    @property
    def best_trial(self) -> FrozenTrial:
        if len(self.directions) > 1:
            raise RuntimeError("best_trial: this study has several objectives; use best_trials")
        try:
            return FrozenTrial._from_json(json.loads(self._native.best_trial()))
        except RuntimeError as e:
            raise ValueError(f"best_trial: {e}") from None

    @property
    def best_trials(self) -> list[FrozenTrial]:
        return [FrozenTrial._from_json(t) for t in json.loads(self._native.best_trials())]

    @property
    def best_params(self) -> dict[str, Any]:
        return self.best_trial.params

    @property
    def best_value(self) -> float:
        value = self.best_trial.value
        assert value is not None
        return value

    def trials_dataframe(
        self,
        attrs: tuple[str, ...] = ("number", "value", "datetime_start", "datetime_complete", "duration", "params", "user_attrs", "system_attrs", "state"),
        multi_index: bool = False,
    ) -> Any:
        """Optuna's `trials_dataframe`: a pandas DataFrame (pandas must be installed)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("trials_dataframe needs pandas: pip install pandas") from None
        multi = len(self.directions) > 1
        rows = []
        for t in self.trials:
            row: dict[Any, Any] = {}
            for attr in attrs:
                if attr == "value" and multi:
                    for i, v in enumerate(t.values or [None] * len(self.directions)):
                        row[("values", i) if multi_index else f"values_{i}"] = v
                    continue
                if attr == "value":
                    row[("value", "") if multi_index else "value"] = t.value if t.values else None
                elif attr == "state":
                    row[("state", "") if multi_index else "state"] = t.state.name
                elif attr in ("params", "user_attrs", "system_attrs"):
                    for k, v in getattr(t, attr).items():
                        name = "params" if attr == "params" else attr
                        row[(name, k) if multi_index else f"{name}_{k}"] = v
                else:
                    row[(attr, "") if multi_index else attr] = getattr(t, attr)
            rows.append(row)
        df = pd.DataFrame(rows)
        if multi_index and len(df.columns):
            df.columns = pd.MultiIndex.from_tuples(df.columns)
        return df

    # -- ask and tell -------------------------------------------------------------
    def ask(self, fixed_distributions: dict[str, BaseDistribution] | None = None) -> Trial:
        """Starts a trial; parameters of `fixed_distributions` are suggested at once."""
        trial = Trial(self, self._native.ask())
        for name, dist in (fixed_distributions or {}).items():
            if not isinstance(dist, BaseDistribution):
                raise TypeError(f"fixed_distributions[{name!r}]: expected a distribution, got {dist!r}")
            trial._suggest(name, dist)
        return trial

    def tell(
        self,
        trial: Trial | int,
        values: float | Sequence[float] | None = None,
        state: TrialState | None = None,
        skip_if_finished: bool = False,
    ) -> FrozenTrial:
        """Finishes a trial, as Optuna's `Study.tell`."""
        number = trial.number if isinstance(trial, Trial) else trial
        if isinstance(number, bool) or not isinstance(number, int):
            raise TypeError(f"trial: expected a Trial or a trial number, got {trial!r}")
        if skip_if_finished:
            current = self._frozen(number)
            if current.state.is_finished():
                return current
        self._tell(number, values, state)
        return _FinishedTrial(self._native, number)

    def _tell(self, number: int, values: Any, state: TrialState | None) -> None:
        if state is None:
            state = TrialState.COMPLETE if values is not None else TrialState.FAIL
        if state == TrialState.COMPLETE:
            if values is None:
                raise ValueError("values: a COMPLETE trial needs values")
            vs = _values(values, len(self.directions))
            if vs is None:
                self._native.tell(number, "fail", None, _reason(f"the objective returned {values!r}"))
            else:
                self._native.tell(number, "complete", vs, None)
        elif state == TrialState.PRUNED:
            self._native.tell(number, "pruned", None, None)
        elif state == TrialState.FAIL:
            self._native.tell(number, "fail", None, None)
        else:
            raise ValueError(f"state: must be COMPLETE, PRUNED or FAIL, got {state!r}")

    def stop(self) -> None:
        """Stops `optimize` after the trials running now."""
        self._stop.set()

    def enqueue_trial(self, params: dict[str, Any], user_attrs: dict[str, Any] | None = None, skip_if_exists: bool = False) -> None:
        if not isinstance(params, dict):
            raise TypeError(f"params: expected a dict, got {params!r}")
        if skip_if_exists:
            for t in self.trials:
                if t.params == params:
                    return
        attrs = {k: _json_value(f"user_attrs[{k!r}]", v) for k, v in (user_attrs or {}).items()}
        for key in attrs:
            # Checked before the trial exists, so a bad key enqueues nothing.
            if not isinstance(key, str) or not 1 <= len(key.encode()) <= _MAX_KEY_BYTES:
                raise ValueError(f"user_attrs: key {key!r} must be a str of 1 to {_MAX_KEY_BYTES} bytes")
        number = self._native.enqueue(json.dumps(params))
        for key, value in attrs.items():
            # A WAITING trial keeps its attributes when it is asked, here or elsewhere.
            self._native.set_trial_user_attr(number, key, value)

    def add_trial(self, trial: FrozenTrial) -> None:
        """Adds a finished trial made by `create_trial`: all of it or, on an error, nothing."""
        if not isinstance(trial, FrozenTrial):
            raise TypeError(f"trial: expected a FrozenTrial, got {trial!r}")
        if not trial.state.is_finished():
            raise ValueError(f"trial.state: must be COMPLETE, PRUNED or FAIL, got {trial.state!r}")
        if trial.intermediate_values:
            raise ValueError("trial.intermediate_values: edgetune adds finished trials without intermediate values")
        values = None
        if trial.state == TrialState.COMPLETE:
            values = _values(trial.values, len(self.directions))
            if values is None:
                raise ValueError(f"trial.values: expected {len(self.directions)} numbers, got {trial.values!r}")
        self._native.add_trial(
            json.dumps(trial.params),
            json.dumps({k: d._to_json() for k, d in trial.distributions.items()}),
            trial.state.name.lower(),
            values,
            _json_value("trial.user_attrs", trial.user_attrs),
        )

    def add_trials(self, trials: Iterable[FrozenTrial]) -> None:
        for t in trials:
            self.add_trial(t)

    # -- optimize -----------------------------------------------------------------
    def optimize(
        self,
        func: ObjectiveFuncType,
        n_trials: int | None = None,
        timeout: float | None = None,
        n_jobs: int = 1,
        catch: Iterable[type[Exception]] | type[Exception] = (),
        callbacks: Iterable[Callable[["Study", FrozenTrial], None]] | None = None,
        gc_after_trial: bool = False,
        show_progress_bar: bool = False,
    ) -> None:
        """Runs `func` on new trials until `n_trials`, `timeout` or `stop()`."""
        if not callable(func):
            raise TypeError(f"func: expected a callable, got {func!r}")
        if n_trials is not None and (isinstance(n_trials, bool) or not isinstance(n_trials, int) or n_trials < 0):
            raise ValueError(f"n_trials: must be a non-negative int, got {n_trials!r}")
        if timeout is not None and (not isinstance(timeout, (int, float)) or timeout < 0):
            raise ValueError(f"timeout: must be a non-negative number of seconds, got {timeout!r}")
        if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
            raise ValueError(f"n_jobs: must be a positive int or -1, got {n_jobs!r}")
        catch = (catch,) if isinstance(catch, type) else tuple(catch)
        callbacks = list(callbacks or [])
        self._stop.clear()
        deadline = None if timeout is None else time.monotonic() + timeout
        lock = threading.Lock()
        started = [0]

        def claim() -> bool:
            with lock:
                if self._stop.is_set() or (n_trials is not None and started[0] >= n_trials):
                    return False
                if deadline is not None and time.monotonic() >= deadline:
                    return False
                started[0] += 1
                return True

        def worker() -> None:
            while claim():
                number = self._run_trial(func, catch)
                if callbacks:
                    frozen = self._frozen(number)
                    for cb in callbacks:
                        cb(self, frozen)

        jobs = n_jobs if n_jobs > 0 else (__import__("os").cpu_count() or 1)
        if jobs == 1:
            worker()
            return
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for f in [pool.submit(worker) for _ in range(jobs)]:
                f.result()

    def _run_trial(self, func: ObjectiveFuncType, catch: tuple) -> int:
        """Runs one trial; returns its number."""
        trial = self.ask()
        try:
            result = func(trial)
        except TrialPruned:
            self._tell(trial.number, None, TrialState.PRUNED)
            return trial.number
        except Exception as e:
            self._native.tell(trial.number, "fail", None, _reason(f"{type(e).__name__}: {e}"))
            if catch and isinstance(e, catch):
                return trial.number
            raise
        self._tell(trial.number, result, None)
        return trial.number

    def _frozen(self, number: int) -> FrozenTrial:
        return FrozenTrial._from_json(json.loads(self._native.trial(number)))

    # -- journals -----------------------------------------------------------------
    def to_journal(self) -> str:
        """The study's journal (JSON text): `load_journal` continues it, and so does the npm
        package's `Study.fromJournal`."""
        return self._native.to_journal()

    def to_optuna_journal(self) -> str:
        """The study as an Optuna journal file's text, which Optuna 5's
        `JournalStorage(JournalFileBackend(path))` and optuna-dashboard open."""
        return self._native.to_optuna_journal()


def _values(values: Any, n: int) -> list[float] | None:
    """The objective's result as n floats, or None when it is not (a FAIL, as Optuna)."""
    if isinstance(values, (int, float)) and not isinstance(values, bool):
        vs = [float(values)]
    elif isinstance(values, Sequence) and not isinstance(values, str):
        try:
            vs = [float(v) for v in values]
        except (TypeError, ValueError):
            return None
    else:
        try:
            vs = [float(values)]  # numpy scalars and the like
        except (TypeError, ValueError):
            return None
    if len(vs) != n or any(math.isnan(v) for v in vs):
        return None
    return vs


_STUDIES: dict[str, Study] = {}
_NAMES = threading.Lock()


def _spec(study_name: str | None, directions: list[str], sampler: BaseSampler | None, pruner: BasePruner | None, options: dict[str, Any]) -> str:
    spec: dict[str, Any] = {"study_name": study_name or f"no-name-{time.time_ns():x}", "directions": directions}
    if sampler is not None:
        if not isinstance(sampler, BaseSampler):
            raise TypeError(f"sampler: expected an edgetune sampler, got {sampler!r}")
        spec["sampler"] = sampler._to_json()
        if sampler._seed is not None:
            spec["seed"] = sampler._seed
    if pruner is not None:
        if not isinstance(pruner, BasePruner):
            raise TypeError(f"pruner: expected an edgetune pruner, got {pruner!r}")
        spec["pruner"] = pruner._to_json()
    for key, value in options.items():
        if value is not None:
            spec[key] = value
    return json.dumps(spec)


def _client(storage: str, api_key: str | None) -> Client:
    """The service at `storage`, or a ValueError saying what `storage` may be."""
    if not isinstance(storage, str) or not storage.startswith(("http://", "https://")):
        raise ValueError(
            f"storage: expected None (a study in this process) or the edgetune service's URL "
            f"(http:// or https://), got {storage!r}; to bring a study from an Optuna storage, use edgetune.migrate"
        )
    if api_key is None:
        api_key = os.environ.get("EDGETUNE_API_KEY")
    if api_key is not None and not isinstance(api_key, str):
        raise TypeError(f"api_key: expected a str, got {api_key!r}")
    return Client(storage, api_key)


def create_study(
    *,
    storage: str | None = None,
    sampler: BaseSampler | None = None,
    pruner: BasePruner | None = None,
    study_name: str | None = None,
    direction: str | None = None,
    load_if_exists: bool = False,
    directions: Sequence[str] | None = None,
    api_key: str | None = None,
    **options: Any,
) -> Study:
    """A new study, as Optuna's `create_study`. Beyond Optuna's arguments it takes
    edgetune's study options by their names: `history_window`, `cost_budget`,
    `cost_unit`, `stopping`, `metric_names`, `metadata`, `heartbeat_timeout`,
    `search_space`.

    `storage=None` runs the study in this process. `storage="https://…"` creates it in
    the edgetune service, where every process that loads it shares its ask and tell;
    `api_key` (default: the `EDGETUNE_API_KEY` environment variable) is its bearer key."""
    if direction is not None and directions is not None:
        raise ValueError("direction: give direction or directions, not both")
    if directions is not None:
        if isinstance(directions, str) or not isinstance(directions, Sequence) or len(directions) == 0:
            raise ValueError(f"directions: expected a non-empty list, got {directions!r}")
        dirs = [_direction(f"directions[{i}]", d) for i, d in enumerate(directions)]
    else:
        dirs = [_direction("direction", direction or "minimize")]
    if storage is not None:
        client = _client(storage, api_key)
        remote = RemoteStudy.create(client, _spec(study_name, dirs, sampler, pruner, options), load_if_exists)
        return Study(remote, sampler, pruner)
    if api_key is not None:
        raise ValueError("api_key: is for a study in the service; give storage= its URL")
    with _NAMES:
        if study_name is not None and study_name in _STUDIES:
            if load_if_exists:
                return _STUDIES[study_name]
            from .exceptions import DuplicatedStudyError

            raise DuplicatedStudyError(f"study_name: a study named {study_name!r} exists already")
        study = Study(_native.NativeStudy.create(_spec(study_name, dirs, sampler, pruner, options)), sampler, pruner)
        if study_name is not None:
            _STUDIES[study_name] = study
        return study


def load_study(
    *,
    study_name: str | None,
    storage: str | None = None,
    sampler: BaseSampler | None = None,
    pruner: BasePruner | None = None,
    api_key: str | None = None,
) -> Study:
    """The study of that name, as Optuna's `load_study`: created in this process
    (`storage=None`), or in the edgetune service at `storage`. A study in the service
    keeps the sampler and pruner it was created with."""
    if storage is not None:
        if not isinstance(study_name, str):
            raise TypeError(f"study_name: expected a str, got {study_name!r}")
        if sampler is not None or pruner is not None:
            raise ValueError("sampler: a study in the service keeps the sampler and pruner it was created with")
        return Study(RemoteStudy.load(_client(storage, api_key), study_name))
    if api_key is not None:
        raise ValueError("api_key: is for a study in the service; give storage= its URL")
    with _NAMES:
        if study_name not in _STUDIES:
            raise KeyError(f"study_name: no study named {study_name!r} in this process")
        return _STUDIES[study_name]


def load_journal(journal: str) -> Study:
    """Continues a study from `Study.to_journal()`'s text (or the npm package's)."""
    if not isinstance(journal, str):
        raise TypeError(f"journal: expected the journal's JSON text, got {type(journal).__name__}")
    return Study(_native.NativeStudy.from_journal(journal))


def load_optuna_journal(text: str, study_name: str | None = None, **create_options: Any) -> Study:
    """The study `study_name` of an Optuna journal file's text, continued here."""
    if not isinstance(text, str):
        raise TypeError(f"text: expected the journal file's text, got {type(text).__name__}")
    sampler = create_options.pop("sampler", None)
    pruner = create_options.pop("pruner", None)
    new_name = create_options.pop("new_study_name", None)
    spec = _spec(new_name or study_name or "imported", ["minimize"], sampler, pruner, create_options)
    return Study(_native.NativeStudy.from_optuna_journal(text, study_name, spec), sampler, pruner)
