"""Starts the real Worker build under `wrangler dev` (workerd, Durable Objects with SQLite)
on a free loopback port, with its own persistence folder and API keys, as the end-to-end
tests of the service do."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"alpha": "key-alpha", "beta": "key-beta"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DevServer:
    """A running `wrangler dev`; `url` is its origin."""

    def __init__(self) -> None:
        self.persist = tempfile.mkdtemp(prefix="edgetune-py-")
        table = {hashlib.sha256(k.encode()).hexdigest(): tenant for tenant, k in KEYS.items()}
        self.env_file = os.path.join(self.persist, "test.env")
        with open(self.env_file, "w") as f:
            f.write(f"API_KEYS='{json.dumps(table)}'\nMAX_TRIALS_PER_STUDY=10000\n")
        self.proc: subprocess.Popen | None = None
        self.log_path = os.path.join(self.persist, "wrangler.log")

    def start(self) -> "DevServer":
        for attempt in range(3):
            port = _free_port()
            self.url = f"http://127.0.0.1:{port}"
            env = {**os.environ, "WRANGLER_SEND_METRICS": "false", "CI": "true"}
            env["PATH"] = f"{ROOT / '.tools' / 'bin'}:{env['PATH']}"
            log = open(self.log_path, "w")
            self.proc = subprocess.Popen(
                [str(ROOT / "node_modules" / ".bin" / "wrangler"), "dev", "--ip", "127.0.0.1", "--port", str(port),
                 "--persist-to", self.persist, "--env-file", self.env_file,
                 "--show-interactive-dev-session=false", "--log-level", "warn"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=2) as r:
                        if r.status == 200:
                            return self
                except OSError:
                    pass
                time.sleep(0.25)
            text = Path(self.log_path).read_text()
            self.stop()
            if "Address already in use" not in text or attempt == 2:
                raise RuntimeError(f"wrangler dev did not become healthy:\n{text[-4000:]}")
        raise AssertionError("unreachable")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
