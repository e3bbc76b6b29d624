"""Samplers and pruners as options for the core: each is a name and Optuna's arguments."""

from __future__ import annotations

import json
from typing import Any


class _Named:
    """A sampler or pruner: its core type name and the arguments given, passed on as
    they are (the core checks them and names a wrong one)."""

    _type = ""

    def __init__(self, **kwargs: Any) -> None:
        self._kwargs = {k: v for k, v in kwargs.items() if v is not None}
        for key, value in self._kwargs.items():
            try:
                json.dumps(value, default=_nested)
            except (TypeError, ValueError):
                raise TypeError(
                    f"{type(self).__name__}: argument {key!r} ({value!r}) is not supported by edgetune"
                ) from None

    def _to_json(self) -> dict:
        out = {"type": self._type}
        for k, v in self._kwargs.items():
            out[k] = v._to_json() if isinstance(v, _Named) else v
        return out

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._kwargs.items())
        return f"{type(self).__name__}({args})"


def _nested(value: Any) -> Any:
    if isinstance(value, _Named):
        return value._to_json()
    raise TypeError(value)
