"""Each compatibility test runs twice: with `import edgetune as optuna`, and unchanged with
Optuna itself, so the usage they follow is Optuna's."""

import importlib

import pytest


@pytest.fixture(params=["edgetune", "optuna"])
def optuna(request):
    module = importlib.import_module(request.param)
    if request.param == "optuna":
        module.logging.set_verbosity(module.logging.WARNING)
    return module
