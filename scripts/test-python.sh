#!/usr/bin/env bash
# The Python package's tests, on the installed wheel: a cached venv (python/.venv) holds
# pytest, maturin, Optuna 5, pandas and scikit-learn; each run builds the wheel with
# maturin and reinstalls only it, then runs pytest (python/tests; the compatibility tests
# in python/tests/optuna_compat run on edgetune and on Optuna; the remote ones start the
# Worker under wrangler dev). `--install` builds and installs the wheel only.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=python/.venv
if ! "$venv/bin/python" -c 'import pytest, maturin, optuna, pandas, sklearn; assert optuna.__version__.startswith("5.")' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pytest maturin "optuna>=5,<6" pandas scikit-learn
fi
rm -rf python/dist
(cd python && ../"$venv"/bin/maturin build --release --quiet --out dist)
"$venv/bin/pip" install -q --force-reinstall --no-deps python/dist/edgetune-*.whl
[ "${1:-}" = --install ] && exit 0
cd python/tests && ../../"$venv"/bin/python -m pytest -q -p no:cacheprovider .
