"""Exceptions, with Optuna's names."""


class OptunaError(Exception):
    """The base of edgetune's own errors (Optuna's name, so `except` clauses carry over)."""


class TrialPruned(OptunaError):
    """Raised by an objective to stop its trial early: the trial becomes PRUNED."""


class DuplicatedStudyError(OptunaError):
    """A study of that name exists already."""


class StorageInternalError(OptunaError):
    """The service could not be reached, or answered with a server error."""
