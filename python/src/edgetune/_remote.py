"""A study in the edgetune service: the native study's methods over `/api/v1`, so the
Optuna-shaped `Study` runs unchanged on either. Several processes and machines share one
study this way, as with Optuna's RDB storage, with no database to run.

Only the standard library is used: `http.client`, with one keep-alive connection per
thread (so `optimize(n_jobs=k)` runs k requests at once)."""

from __future__ import annotations

import datetime
import http.client
import json
import math
import socket
import threading
import time
import urllib.parse
from typing import Any

from .distributions import _from_json
from .exceptions import DuplicatedStudyError, StorageInternalError

#: The trials listing's largest page.
_PAGE = 1000
#: A fail reason's limit on every surface, in bytes of UTF-8.
_MAX_REASON = 4096


def _reason(text: str | None) -> str | None:
    """`text` cut to the service's limit on a fail reason, on a character boundary."""
    if text is None:
        return None
    data = text.encode()
    if len(data) <= _MAX_REASON:
        return text
    return data[: _MAX_REASON - 3].decode(errors="ignore") + "..."


class Client:
    """Calls the service: JSON in and out, a bearer key, retries of network failures
    (never of an HTTP answer) with exponential backoff from 200 ms."""

    def __init__(self, url: str, api_key: str | None, timeout: float = 30.0, retries: int = 3) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"storage: expected the service's URL (http:// or https://), got {url!r}")
        if parts.query or parts.fragment:
            raise ValueError(f"storage: the service's URL takes no query or fragment, got {url!r}")
        self.url = url.rstrip("/")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._key = api_key
        self._timeout = timeout
        self._retries = retries
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            conn = kind(self._host, self._port, timeout=self._timeout)
            self._local.conn = conn
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def call(self, method: str, path: str, body: Any = None, *, query: dict[str, Any] | None = None, raw: str | None = None) -> Any:
        """The answer's JSON (or its text when it is not JSON); an HTTP error raises the
        Python exception of its kind, with the service's message, which names the field."""
        target = self._prefix + path
        if query:
            target += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        headers = {"accept": "application/json"}
        if self._key is not None:
            headers["authorization"] = f"Bearer {self._key}"
        data = None
        if raw is not None:
            data = raw.encode()
            headers["content-type"] = "application/x-ndjson"
        elif body is not None:
            data = json.dumps(body, allow_nan=False).encode()
            headers["content-type"] = "application/json"
        for attempt in range(self._retries + 1):
            try:
                conn = self._connection()
                conn.request(method, target, body=data, headers=headers)
                response = conn.getresponse()
                status, text = response.status, response.read().decode()
                break
            except (ConnectionError, socket.timeout, http.client.HTTPException, OSError) as e:
                self._drop()
                if attempt == self._retries:
                    raise StorageInternalError(f"{method} {self.url}{path}: {type(e).__name__}: {e}") from None
                time.sleep(0.2 * 2**attempt)
        kind = response.getheader("content-type", "")
        answer: Any = json.loads(text) if "json" in kind and "ndjson" not in kind and text else text
        if status < 400:
            return answer
        raise _error(status, answer, f"{method} {path}")


def _error(status: int, answer: Any, what: str) -> Exception:
    error = answer.get("error", {}) if isinstance(answer, dict) else {}
    message = error.get("message") or f"{what}: HTTP {status}"
    field = error.get("field")
    if field and field not in message:
        message = f"{field}: {message}"
    if status in (400, 413, 422):
        return ValueError(message)
    if status in (401, 403):
        return PermissionError(message)
    if status == 404:
        return KeyError(message)
    if status == 409:
        return RuntimeError(message)
    return StorageInternalError(f"{message} (HTTP {status})")


def _ms(iso: str | None) -> float | None:
    if iso is None:
        return None
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000.0


def _frozen(view: dict) -> dict:
    """A trial of the service in the native study's JSON form."""
    system_attrs = {}
    if view.get("constraints") is not None:
        system_attrs["constraints"] = view["constraints"]
    if view.get("fail_reason") is not None:
        system_attrs["fail_reason"] = view["fail_reason"]
    return {
        "number": view["number"],
        "state": view["state"],
        "values": view.get("values"),
        "params": view.get("params", {}),
        "distributions": view.get("distributions", {}),
        "user_attrs": view.get("user_attrs", {}),
        "system_attrs": system_attrs,
        "intermediate_values": {k: (math.nan if v is None else v) for k, v in view.get("intermediate_values", {}).items()},
        "datetime_start": _ms(view.get("datetime_start")),
        "datetime_complete": _ms(view.get("datetime_complete")),
    }


def _json_number(value: float) -> Any:
    """A float as the service reads it (`"NaN"` and `"Infinity"` as strings)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


class RemoteStudy:
    """A study of the service, with the native study's methods (see `_native.NativeStudy`).

    Each method is one request, except `trials` (one per 1000 trials), and a trial's
    suggestions cost none when the sampler drew them at ask: the ask's answer holds them
    (`relative_params`, as Optuna's `sample_relative`), so a suggestion with the same
    distribution answers at once and is recorded with the trial's next request (a
    suggestion the sampler did not draw, a report, a tell, an attribute or a read). A
    trial with d such parameters costs three requests, not d + 2. A trial's pruning
    answer comes with its report and is kept here for `should_prune`; its constraints
    are kept here until `tell`, which sends them with the values."""

    def __init__(self, client: Client, view: dict) -> None:
        self._client = client
        self._name = view["study_name"]
        self._directions = [d.lower() for d in view["directions"]]
        self._path = "/api/v1/studies/" + urllib.parse.quote(self._name, safe="")
        self._state = threading.Lock()
        self._prune: dict[int, bool] = {}
        self._constraints: dict[int, list[float]] = {}
        # Per RUNNING trial: what the sampler drew at ask, and the suggestions of it
        # answered here and not recorded yet.
        self._drawn: dict[int, dict[str, tuple[Any, Any]]] = {}
        self._unrecorded: dict[int, list[dict]] = {}

    @classmethod
    def create(cls, client: Client, spec: str, load_if_exists: bool) -> "RemoteStudy":
        body = json.loads(spec)
        try:
            return cls(client, client.call("POST", "/api/v1/studies", body))
        except RuntimeError as e:
            if "already exists" not in str(e):
                raise
            if not load_if_exists:
                raise DuplicatedStudyError(f"study_name: {e}") from None
            return cls.load(client, body["study_name"])

    @classmethod
    def load(cls, client: Client, name: str) -> "RemoteStudy":
        path = "/api/v1/studies/" + urllib.parse.quote(name, safe="")
        try:
            return cls(client, client.call("GET", path))
        except KeyError:
            raise KeyError(f"study_name: no study named {name!r} at {client.url}") from None

    def _view(self) -> dict:
        return self._client.call("GET", self._path)

    def _call(self, method: str, path: str, body: Any = None, **kw: Any) -> Any:
        return self._client.call(method, self._path + path, body, **kw)

    # -- identity and attributes ------------------------------------------------------
    def name(self) -> str:
        return self._name

    def directions(self) -> list[str]:
        return list(self._directions)

    def metric_names(self) -> list[str] | None:
        return self._view().get("metric_names")

    def set_metric_names(self, names: list[str]) -> None:
        self._call("PUT", "/metric_names", {"metric_names": names})

    def user_attrs(self) -> str:
        return json.dumps(self._view().get("user_attrs", {}))

    def set_user_attr(self, key: str, value: str) -> None:
        self._call("POST", "/user_attrs", {"key": key, "value": json.loads(value)})

    def set_trial_user_attr(self, number: int, key: str, value: str) -> None:
        self._record(number)
        self._call("POST", f"/trials/{number}/user_attrs", {"key": key, "value": json.loads(value)})

    # -- ask and tell ------------------------------------------------------------------
    def ask(self) -> int:
        # An empty space: the trial's parameters come one by one, as the objective asks.
        answer = self._call("POST", "/trials/suggest", {"search_space": []})
        number = answer["trial_number"]
        drawn = {name: (_from_json(d["distribution"]), d["value"]) for name, d in answer.get("relative_params", {}).items()}
        if drawn:
            with self._state:
                self._drawn[number] = drawn
        return number

    def suggest(self, number: int, name: str, distribution: str) -> str:
        return json.dumps(self._suggest(number, name, json.loads(distribution)))

    def suggest_float(self, number: int, name: str, low: float, high: float, log: bool = False, step: float | None = None) -> float:
        distribution: dict[str, Any] = {"type": "float", "low": low, "high": high, "log": log}
        if step is not None:
            distribution["step"] = step
        return self._number(name, self._suggest(number, name, distribution))

    def suggest_int(self, number: int, name: str, low: int, high: int, log: bool = False, step: int = 1) -> int:
        return int(self._number(name, self._suggest(number, name, {"type": "int", "low": low, "high": high, "log": log, "step": step})))

    @staticmethod
    def _number(name: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{name}: holds a non-numeric value in this trial")
        return value

    def _suggest(self, number: int, name: str, distribution: dict) -> Any:
        entry = {"name": name, **distribution}
        with self._state:
            drawn = self._drawn.get(number, {}).pop(name, None)
            if drawn is not None and drawn[0] == _from_json(distribution):
                self._unrecorded.setdefault(number, []).append(entry)
                return drawn[1]
            batch = self._unrecorded.pop(number, []) + [entry]
        try:
            return self._call("POST", f"/trials/{number}/suggest", {"search_space": batch})["params"][name]
        except Exception:
            # All or none: the suggestions answered here are still to record.
            with self._state:
                self._unrecorded.setdefault(number, [])[:0] = batch[:-1]
            raise

    def _record(self, number: int) -> None:
        """Records the suggestions of trial `number` answered here from what was drawn."""
        with self._state:
            batch = self._unrecorded.pop(number, None)
        if batch:
            self._call("POST", f"/trials/{number}/suggest", {"search_space": batch})

    def _record_all(self) -> None:
        with self._state:
            numbers = list(self._unrecorded)
        for number in numbers:
            self._record(number)

    def report(self, number: int, step: int, value: float) -> None:
        self._record(number)
        answer = self._call("POST", f"/trials/{number}/report", {"value": _json_number(value), "step": step})
        with self._state:
            self._prune[number] = bool(answer["should_prune"])

    def should_prune(self, number: int) -> bool:
        with self._state:
            return self._prune.get(number, False)

    def set_constraints(self, number: int, values: list[float]) -> None:
        if any(math.isnan(v) for v in values):
            raise ValueError("constraints: must be numbers, not NaN")
        with self._state:
            self._constraints[number] = list(values)

    def tell(self, number: int, state: str, values: list[float] | None = None, reason: str | None = None) -> str:
        self._record(number)
        with self._state:
            constraints = self._constraints.get(number)
        if state == "complete":
            if values is None:
                raise ValueError("values: a COMPLETE trial needs its values")
            body: dict[str, Any] = {"values": values}
            if constraints is not None:
                body["constraints"] = constraints
            answer = self._call("POST", f"/trials/{number}/complete", body)
        elif state == "pruned":
            answer = self._call("POST", f"/trials/{number}/prune")
        elif state == "fail":
            answer = self._call("POST", f"/trials/{number}/fail", {"reason": _reason(reason)} if reason else None)
        else:
            raise ValueError(f"state: {state!r} is not complete, pruned or fail")
        with self._state:
            self._prune.pop(number, None)
            self._constraints.pop(number, None)
            self._drawn.pop(number, None)
        return answer["state"].lower()

    def enqueue(self, params: str) -> int:
        return self._call("POST", "/trials/enqueue", {"params": json.loads(params)})["trial_number"]

    def add_trial(self, *_: Any) -> int:
        raise NotImplementedError(
            "add_trial: a study in the service records finished trials through its MCP tool add_trials "
            "or a journal import; in Python, add them to a local study and move it with to_journal"
        )

    # -- reads -------------------------------------------------------------------------
    def trials(self) -> str:
        self._record_all()
        out: list[dict] = []
        while True:
            page = self._call("GET", "/trials", query={"offset": len(out), "limit": _PAGE})
            out.extend(_frozen(t) for t in page["trials"])
            if not page["trials"] or len(out) >= page["total"]:
                return json.dumps(out)

    def trial(self, number: int) -> str:
        self._record(number)
        page = self._call("GET", "/trials", query={"offset": number, "limit": 1})
        if not page["trials"] or page["trials"][0]["number"] != number:
            raise KeyError(f"trial {number} not found in study {self._name!r}")
        return json.dumps(_frozen(page["trials"][0]))

    def n_trials(self) -> int:
        return self._view()["n_trials"]

    def best_trial(self) -> str:
        try:
            return json.dumps(_frozen(self._call("GET", "/best")["best_trial"]))
        except KeyError as e:
            raise RuntimeError(str(e).strip("'\"")) from None

    def best_trials(self) -> str:
        return json.dumps([_frozen(t) for t in self._call("GET", "/pareto")["trials"]])

    def importance(self, evaluator: str, target_quantile: float | None = None, region_quantile: float | None = None) -> str:
        query = {"evaluator": evaluator, "target_quantile": target_quantile, "region_quantile": region_quantile}
        view = self._call("GET", "/importance", query=query)
        return json.dumps([[name, view["importances"][name]] for name in view["ranking"]])

    def to_journal(self) -> str:
        answer = self._call("GET", "/journal")
        return answer if isinstance(answer, str) else json.dumps(answer)

    def to_optuna_journal(self) -> str:
        return self._call("GET", "/journal", query={"format": "optuna"})

    def delete(self) -> None:
        self._call("DELETE", "")
