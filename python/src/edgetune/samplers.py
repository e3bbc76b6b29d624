"""Samplers, with Optuna's class names and arguments. `seed` seeds the study."""

from __future__ import annotations

from typing import Any

from ._options import _Named


class BaseSampler(_Named):
    """A sampler: Optuna's arguments go to edgetune's core, which refuses unknown ones."""

    def __init__(self, *, seed: int | None = None, **kwargs: Any) -> None:
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
            raise ValueError(f"seed: must be a non-negative int, got {seed!r}")
        self._seed = seed
        super().__init__(**kwargs)


def _sampler(name: str, type_name: str, doc: str) -> type:
    return type(name, (BaseSampler,), {"_type": type_name, "__doc__": doc})


TPESampler = _sampler("TPESampler", "TPESampler", "The Tree-structured Parzen Estimator (Optuna's default).")
RandomSampler = _sampler("RandomSampler", "RandomSampler", "Uniform random sampling.")
GPSampler = _sampler("GPSampler", "GPSampler", "Gaussian-process Bayesian optimization.")
CmaEsSampler = _sampler("CmaEsSampler", "CmaEsSampler", "CMA-ES.")
NSGAIISampler = _sampler("NSGAIISampler", "NSGAIISampler", "The genetic algorithm NSGA-II.")
NSGAIIISampler = _sampler("NSGAIIISampler", "NSGAIIISampler", "The genetic algorithm NSGA-III.")
QMCSampler = _sampler("QMCSampler", "QMCSampler", "Quasi-Monte Carlo (Sobol' or Halton).")
BruteForceSampler = _sampler("BruteForceSampler", "BruteForceSampler", "Every combination of a finite space.")


class GridSampler(BaseSampler):
    """Every combination of `search_space`'s values."""

    _type = "GridSampler"

    def __init__(self, search_space: dict[str, list[Any]], seed: int | None = None) -> None:
        if not isinstance(search_space, dict):
            raise TypeError(f"search_space: expected a dict of lists, got {search_space!r}")
        super().__init__(seed=seed, search_space={k: list(v) for k, v in search_space.items()})
