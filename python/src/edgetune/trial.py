"""Trials: the live `Trial` an objective gets, the `FrozenTrial` record, `TrialState` and
`create_trial`, with Optuna's names."""

from __future__ import annotations

import datetime
import enum
import json
import math
from typing import TYPE_CHECKING, Any, Sequence

from .distributions import BaseDistribution, CategoricalDistribution, _from_json

if TYPE_CHECKING:
    from .study import Study


class TrialState(enum.IntEnum):
    """A trial's state, numbered as Optuna numbers them."""

    RUNNING = 0
    COMPLETE = 1
    PRUNED = 2
    FAIL = 3
    WAITING = 4

    def is_finished(self) -> bool:
        return self in (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)

    def __repr__(self) -> str:
        return f"TrialState.{self.name}"


def _time(ms: float | None) -> datetime.datetime | None:
    return None if ms is None else datetime.datetime.fromtimestamp(ms / 1000.0)


class FrozenTrial:
    """A trial's record: Optuna's `FrozenTrial`."""

    def __init__(
        self,
        number: int,
        state: TrialState,
        value: float | None,
        datetime_start: datetime.datetime | None,
        datetime_complete: datetime.datetime | None,
        params: dict[str, Any],
        distributions: dict[str, BaseDistribution],
        user_attrs: dict[str, Any],
        system_attrs: dict[str, Any],
        intermediate_values: dict[int, float],
        trial_id: int,
        *,
        values: Sequence[float] | None = None,
    ) -> None:
        if value is not None and values is not None:
            raise ValueError("value: give value or values, not both")
        self.number = number
        self.state = state
        self._values = [value] if value is not None else (list(values) if values is not None else None)
        self.datetime_start = datetime_start
        self.datetime_complete = datetime_complete
        self.params = dict(params)
        self.distributions = dict(distributions)
        self.user_attrs = dict(user_attrs)
        self.system_attrs = dict(system_attrs)
        self.intermediate_values = dict(intermediate_values)
        self._trial_id = trial_id

    @classmethod
    def _from_json(cls, d: dict) -> "FrozenTrial":
        return cls(**_frozen_args(d))

    @property
    def value(self) -> float | None:
        if self._values is None:
            return None
        if len(self._values) > 1:
            raise RuntimeError("value: this trial has several objective values; use values")
        return self._values[0]

    @property
    def values(self) -> list[float] | None:
        return self._values

    @property
    def duration(self) -> datetime.timedelta | None:
        if self.datetime_start is None or self.datetime_complete is None:
            return None
        return self.datetime_complete - self.datetime_start

    @property
    def last_step(self) -> int | None:
        return max(self.intermediate_values) if self.intermediate_values else None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FrozenTrial) and self.__dict__ == other.__dict__

    def __repr__(self) -> str:
        return (
            f"FrozenTrial(number={self.number}, state={self.state!r}, values={self._values}, "
            f"params={self.params}, user_attrs={self.user_attrs})"
        )


class _FinishedTrial(FrozenTrial):
    """The FrozenTrial that `Study.tell` returns, read from the study on first use: a
    finished trial never changes, so reading it later gives what it was at `tell`, and
    a loop that ignores it (as most do) pays nothing for it."""

    def __init__(self, native: Any, number: int) -> None:  # noqa: D107 (no FrozenTrial.__init__)
        object.__setattr__(self, "_native_study", native)
        object.__setattr__(self, "_lazy_number", number)

    def _load(self) -> None:
        d = json.loads(self.__dict__["_native_study"].trial(self.__dict__["_lazy_number"]))
        for k in ("_native_study", "_lazy_number"):
            del self.__dict__[k]
        FrozenTrial.__init__(self, **_frozen_args(d))

    def __getattr__(self, name: str) -> Any:
        if "_native_study" not in self.__dict__:
            raise AttributeError(name)
        self._load()
        return getattr(self, name)

    def __eq__(self, other: object) -> bool:
        if "_native_study" in self.__dict__:
            self._load()
        if isinstance(other, _FinishedTrial) and "_native_study" in other.__dict__:
            other._load()
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]


def _frozen_args(d: dict) -> dict:
    return dict(
        number=d["number"],
        state=TrialState[d["state"]],
        value=None,
        values=d.get("values"),
        datetime_start=_time(d.get("datetime_start")),
        datetime_complete=_time(d.get("datetime_complete")),
        params=d.get("params", {}),
        distributions={k: _from_json(v) for k, v in d.get("distributions", {}).items()},
        user_attrs=d.get("user_attrs", {}),
        system_attrs=d.get("system_attrs", {}),
        intermediate_values={int(k): v for k, v in d.get("intermediate_values", {}).items()},
        trial_id=d["number"],
    )


def create_trial(
    *,
    state: TrialState = TrialState.COMPLETE,
    value: float | None = None,
    values: Sequence[float] | None = None,
    params: dict[str, Any] | None = None,
    distributions: dict[str, BaseDistribution] | None = None,
    user_attrs: dict[str, Any] | None = None,
    system_attrs: dict[str, Any] | None = None,
    intermediate_values: dict[int, float] | None = None,
) -> FrozenTrial:
    """A finished trial to `Study.add_trial`, as Optuna's `create_trial`."""
    params = params or {}
    distributions = distributions or {}
    if set(params) != set(distributions):
        missing = sorted(set(params) ^ set(distributions))
        raise ValueError(f"params: {missing} must have both a value and a distribution")
    if state == TrialState.COMPLETE and value is None and values is None:
        raise ValueError("value: a COMPLETE trial needs value or values")
    return FrozenTrial(
        number=-1,
        state=state,
        value=value,
        values=values,
        datetime_start=datetime.datetime.now(),
        datetime_complete=datetime.datetime.now() if state.is_finished() else None,
        params=params,
        distributions=distributions,
        user_attrs=user_attrs or {},
        system_attrs=system_attrs or {},
        intermediate_values=intermediate_values or {},
        trial_id=-1,
    )


class Trial:
    """A running trial: what an objective suggests its parameters from."""

    def __init__(self, study: "Study", number: int) -> None:
        self.study = study
        self._number = number

    @property
    def number(self) -> int:
        return self._number

    def _suggest(self, name: str, distribution: BaseDistribution) -> Any:
        _check_name(name)
        text = self.study._native.suggest(self._number, name, json.dumps(distribution._to_json()))
        return json.loads(text)

    def suggest_float(self, name: str, low: float, high: float, *, step: float | None = None, log: bool = False) -> float:
        # The core checks the distribution as FloatDistribution would, naming the field.
        _check_name(name)
        _check_number("low", low)
        _check_number("high", high)
        if step is not None:
            _check_number("step", step)
        return self.study._native.suggest_float(self._number, name, low, high, bool(log), step)

    def suggest_int(self, name: str, low: int, high: int, *, step: int = 1, log: bool = False) -> int:
        _check_name(name)
        for field, v in (("low", low), ("high", high), ("step", step)):
            if isinstance(v, bool) or not isinstance(v, int):
                raise TypeError(f"{field}: expected an int, got {v!r}")
        return self.study._native.suggest_int(self._number, name, low, high, bool(log), step)

    def suggest_categorical(self, name: str, choices: Sequence[Any]) -> Any:
        return self._suggest(name, CategoricalDistribution(choices))

    def suggest_uniform(self, name: str, low: float, high: float) -> float:
        return self.suggest_float(name, low, high)

    def suggest_loguniform(self, name: str, low: float, high: float) -> float:
        return self.suggest_float(name, low, high, log=True)

    def report(self, value: float, step: int) -> None:
        if isinstance(step, bool) or not isinstance(step, int):
            raise TypeError(f"step: expected an int, got {step!r}")
        if step < 0:
            raise ValueError(f"step: must be >= 0, got {step}")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"value: expected a number, got {value!r}") from None
        self.study._native.report(self._number, step, value)

    def should_prune(self) -> bool:
        return self.study._native.should_prune(self._number)

    def set_user_attr(self, key: str, value: Any) -> None:
        self.study._native.set_trial_user_attr(self._number, key, _json_value("value", value))

    def set_constraints(self, constraints: Sequence[float]) -> None:
        """Constraint values, `<= 0` feasible (Optuna passes them via `constraints_func`)."""
        self.study._native.set_constraints(self._number, [float(c) for c in constraints])

    def _frozen(self) -> FrozenTrial:
        return FrozenTrial._from_json(json.loads(self.study._native.trial(self._number)))

    @property
    def params(self) -> dict[str, Any]:
        return self._frozen().params

    @property
    def distributions(self) -> dict[str, BaseDistribution]:
        return self._frozen().distributions

    @property
    def user_attrs(self) -> dict[str, Any]:
        return self._frozen().user_attrs

    @property
    def datetime_start(self) -> datetime.datetime | None:
        return self._frozen().datetime_start


def _check_name(name: Any) -> None:
    if not isinstance(name, str):
        raise TypeError(f"name: expected a str, got {name!r}")


def _check_number(field: str, v: Any) -> None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"{field}: expected a number, got {v!r}")


def _json_value(field: str, value: Any) -> str:
    try:
        return json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{field}: must be JSON-serializable ({e})") from None

