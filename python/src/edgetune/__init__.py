"""edgetune: Optuna's API over a Rust core, in this process or against the edgetune
service (`storage="https://…"`). Most Optuna scripts run with `import edgetune as optuna`."""

from . import distributions, exceptions, importance, pruners, samplers, trial
from .exceptions import TrialPruned
from .study import Study, StudyDirection, create_study, load_journal, load_optuna_journal, load_study
from .trial import FrozenTrial, Trial, TrialState, create_trial
from ._migrate import migrate

__version__ = "0.1.0"

__all__ = [
    "FrozenTrial",
    "Study",
    "StudyDirection",
    "Trial",
    "TrialPruned",
    "TrialState",
    "create_study",
    "create_trial",
    "distributions",
    "exceptions",
    "importance",
    "load_journal",
    "load_optuna_journal",
    "load_study",
    "migrate",
    "pruners",
    "samplers",
    "trial",
]
