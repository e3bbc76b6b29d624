"""`migrate`: copy a study out of any storage Optuna opens into the edgetune service or
an edgetune journal file, and check the copy trial by trial before saying it is done."""

from __future__ import annotations

import json
import math
import os
import tempfile
import urllib.parse
from typing import Any

from ._remote import RemoteStudy
from .study import Study, _client, load_optuna_journal

#: The service's limit on a journal import's body.
MAX_IMPORT_BYTES = 16 * 1024 * 1024


def migrate(
    *,
    from_storage: Any,
    study_name: str,
    to: str,
    api_key: str | None = None,
    to_study_name: str | None = None,
) -> Study:
    """Copies Optuna study `study_name` from `from_storage` (anything `optuna.load_study`
    takes: `"postgresql://…"`, `"sqlite:///…"`, a `JournalStorage`) to `to`:

    - the edgetune service's URL (`"https://…"`, with `api_key` or `EDGETUNE_API_KEY`),
      where it is created as `to_study_name` (default: the same name);
    - or a file path, where the study is written as an edgetune journal
      (`edgetune.load_journal` and the npm package's `Study.fromJournal` continue it).

    Every trial is then read back and compared with Optuna's: numbers, states,
    parameters, values, intermediate values and user attributes. A difference raises
    `RuntimeError` and leaves nothing behind. Returns the copied study, ready to go on.
    Optuna must be installed."""
    try:
        import optuna
        from optuna.storages import JournalStorage
        from optuna.storages.journal import JournalFileBackend
    except ImportError:
        raise ImportError("migrate reads Optuna storages with Optuna: pip install optuna") from None
    if not isinstance(study_name, str):
        raise TypeError(f"study_name: expected a str, got {study_name!r}")
    if not isinstance(to, (str, os.PathLike)):
        raise TypeError(f"to: expected the service's URL or a file path, got {to!r}")
    target = to_study_name or study_name
    remote = isinstance(to, str) and to.startswith(("http://", "https://"))
    if not remote and os.path.exists(to):
        raise FileExistsError(f"to: {os.fspath(to)!r} exists already; migrate writes a new file")
    try:
        source = optuna.load_study(study_name=study_name, storage=from_storage)
    except KeyError:
        raise KeyError(f"study_name: no study named {study_name!r} in {from_storage!r}") from None
    expected = source.get_trials(deepcopy=False)

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "study.jsonl")
        optuna.copy_study(
            from_study_name=study_name,
            from_storage=from_storage,
            to_storage=JournalStorage(JournalFileBackend(path)),
            to_study_name=study_name,
        )
        with open(path, encoding="utf-8") as f:
            text = f.read()

    if remote:
        study = _to_service(text, study_name, target, to, api_key)
    else:
        study = load_optuna_journal(text, study_name, new_study_name=_file_name(target))
    try:
        _compare(expected, study.trials)
    except RuntimeError:
        if isinstance(study._native, RemoteStudy):
            study._native.delete()
        raise
    if not remote:
        with open(to, "x", encoding="utf-8") as f:
            f.write(study.to_journal())
    return study


def _file_name(name: str) -> str:
    """A name edgetune takes, for a study written to a file (Optuna allows any name)."""
    safe = "".join(c if c.isalnum() and c.isascii() or c in "_-.:" else "_" for c in name)[:128]
    return safe or "imported"


def _to_service(text: str, study_name: str, target: str, url: str, api_key: str | None) -> Study:
    size = len(text.encode())
    if size > MAX_IMPORT_BYTES:
        raise ValueError(
            f"from_storage: the study's journal is {size / 2**20:.1f} MiB, over the service's 16 MiB import limit; "
            "migrate it to a file, or copy its first trials and add the rest with the MCP tool add_trials"
        )
    client = _client(url, api_key)
    path = "/api/v1/studies/" + urllib.parse.quote(target, safe="") + "/journal"
    client.call("POST", path, query={"format": "optuna", "from_study_name": study_name}, raw=text)
    return Study(RemoteStudy.load(client, target))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def _compare(expected: list, copied: list) -> None:
    """Raises RuntimeError naming the first trial and field that differ."""
    if len(expected) != len(copied):
        raise RuntimeError(f"migrate: Optuna has {len(expected)} trials, the copy {len(copied)}")
    by_number = {t.number: t for t in copied}
    for want in expected:
        got = by_number.get(want.number)
        if got is None:
            raise RuntimeError(f"migrate: trial {want.number} is missing from the copy")
        checks = {
            "state": (want.state.name, got.state.name),
            "params": (want.params, got.params),
            "values": (want.values, got.values),
            "user_attrs": (json.loads(json.dumps(want.user_attrs)), got.user_attrs),
        }
        for field, (a, b) in checks.items():
            if a != b:
                raise RuntimeError(f"migrate: trial {want.number}'s {field} differ: Optuna {a!r}, copy {b!r}")
        ivs_a, ivs_b = want.intermediate_values, got.intermediate_values
        if set(ivs_a) != set(ivs_b) or not all(_same(float(ivs_a[k]), float(ivs_b[k])) for k in ivs_a):
            raise RuntimeError(f"migrate: trial {want.number}'s intermediate_values differ")
