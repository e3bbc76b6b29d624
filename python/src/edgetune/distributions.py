"""Parameter distributions, with Optuna's class names and arguments."""

from __future__ import annotations

import math
from typing import Any, Sequence

CategoricalChoiceType = Any


class BaseDistribution:
    """A parameter's distribution."""

    def _to_json(self) -> dict:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._to_json() == other._to_json()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(repr(self._to_json()))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._to_json().items() if k != "type")
        return f"{type(self).__name__}({args})"


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name}: expected a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name}: must be finite, got {value!r}")
    return value


class FloatDistribution(BaseDistribution):
    """A float in [low, high], optionally on a log scale or a grid of `step`."""

    def __init__(self, low: float, high: float, log: bool = False, step: float | None = None) -> None:
        self.low = float(_number("low", low))
        self.high = float(_number("high", high))
        self.log = bool(log)
        self.step = None if step is None else float(_number("step", step))
        if self.log and self.step is not None:
            raise ValueError("step: a log distribution cannot have a step")
        if self.low > self.high:
            raise ValueError(f"low: must be <= high, got low={self.low} and high={self.high}")
        if self.log and self.low <= 0:
            raise ValueError(f"low: must be > 0 on a log scale, got {self.low}")
        if self.step is not None and self.step <= 0:
            raise ValueError(f"step: must be > 0, got {self.step}")

    def single(self) -> bool:
        return self.low == self.high


    def _to_json(self) -> dict:
        out: dict = {"type": "float", "low": self.low, "high": self.high}
        if self.log:
            out["log"] = True
        if self.step is not None:
            out["step"] = self.step
        return out


class IntDistribution(BaseDistribution):
    """An integer in [low, high], optionally on a log scale or a grid of `step`."""

    def __init__(self, low: int, high: int, log: bool = False, step: int = 1) -> None:
        for name, v in (("low", low), ("high", high), ("step", step)):
            if isinstance(v, bool) or not isinstance(v, int):
                raise TypeError(f"{name}: expected an int, got {v!r}")
        self.low, self.high, self.log, self.step = low, high, bool(log), step
        if self.step <= 0:
            raise ValueError(f"step: must be > 0, got {self.step}")
        if self.log and self.step != 1:
            raise ValueError("step: a log distribution needs step=1")
        if self.low > self.high:
            raise ValueError(f"low: must be <= high, got low={self.low} and high={self.high}")
        if self.log and self.low < 1:
            raise ValueError(f"low: must be >= 1 on a log scale, got {self.low}")

    def single(self) -> bool:
        return self.low == self.high or self.high - self.low < self.step


    def _to_json(self) -> dict:
        out: dict = {"type": "int", "low": self.low, "high": self.high, "step": self.step}
        if self.log:
            out["log"] = True
        return out


class CategoricalDistribution(BaseDistribution):
    """One of `choices` (bools, ints, floats or strs; Optuna also allows None, edgetune does not)."""

    def __init__(self, choices: Sequence[CategoricalChoiceType]) -> None:
        if isinstance(choices, (str, bytes)) or not isinstance(choices, Sequence):
            raise TypeError(f"choices: expected a sequence, got {choices!r}")
        if len(choices) == 0:
            raise ValueError("choices: must not be empty")
        for i, c in enumerate(choices):
            if not isinstance(c, (bool, int, float, str)):
                raise TypeError(f"choices[{i}]: must be a bool, int, float or str, got {c!r}")
        self.choices = tuple(choices)

    def single(self) -> bool:
        return len(self.choices) == 1


    def _to_json(self) -> dict:
        return {"type": "categorical", "choices": list(self.choices)}


def _from_json(d: dict) -> BaseDistribution:
    kind = d.get("type")
    if kind == "float":
        return FloatDistribution(d["low"], d["high"], d.get("log", False), d.get("step"))
    if kind == "int":
        return IntDistribution(d["low"], d["high"], d.get("log", False), d.get("step", 1))
    if kind == "categorical":
        return CategoricalDistribution(d["choices"])
    raise ValueError(f"distribution: unknown type {kind!r}")


def distribution_to_json(dist: BaseDistribution) -> str:
    """The JSON text of a distribution (Optuna's function name)."""
    import json

    return json.dumps(dist._to_json())


def json_to_distribution(text: str) -> BaseDistribution:
    """The distribution of `distribution_to_json`'s text."""
    import json

    return _from_json(json.loads(text))


def check_distribution_compatibility(a: BaseDistribution, b: BaseDistribution) -> None:
    """Raises ValueError when one parameter cannot have both distributions."""
    if type(a) is not type(b):
        raise ValueError("cannot set different distribution kind to the same parameter name")
    if isinstance(a, CategoricalDistribution) and a.choices != b.choices:  # type: ignore[attr-defined]
        raise ValueError("CategoricalDistribution does not support dynamic value space")
