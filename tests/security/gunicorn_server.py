"""A real gunicorn (gunicorn.conf.py, two worker processes, DEBUG off) on a free loopback port.

Per-process state only shows with several processes, and gunicorn's access log only
exists with gunicorn, so these tests run the site the way production does: a migrated
temporary SQLite database, the embedded cache defaults (no CACHE_URL), and stdout/stderr
(access and error log) in a file the tests read. Start-up and every request are bounded
in time, and the whole process group is killed at the end.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
# What the test run (tests/pytest_plugin.py) or a developer's shell may have set.
NOT_INHERITED = {
    "TESTING",
    "DEBUG",
    "TASKS_BACKEND",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CACHE_URL",
    "REDIS_URL",
    "CACHE_DIR",
    "PAGE_CACHE_SECONDS",
    "CONTENT_CACHE_SECONDS",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "PYTEST_CURRENT_TEST",
    "PYTEST_XDIST_WORKER",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "GUNICORN_BIND",
    "HOST",
    "PORT",
    "WEB_CONCURRENCY",
    "FORWARDED_ALLOW_IPS",
    "TRUSTED_PROXY_COUNT",
    "SHOP_TRUSTED_PROXY_COUNT",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(tmp: Path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{tmp / 'site.sqlite3'}",
        CACHE_DIR=str(tmp / "cache"),
        SECURE_SSL_REDIRECT="0",
        EMAIL_URL="consolemail://",
        TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
        # Plain static storage: the manifest storage would need a collectstatic first.
        TESTING="1",
        LOG_LEVEL="WARNING",
        # No Stripe keys in these runs: the offline checkout, asked for on purpose.
        STRIPE_OFFLINE_CHECKOUT="1",
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


class Gunicorn:
    def __init__(self, env: dict[str, str], log_path: Path, workers: int = 2):
        self.port = free_port()
        self.log_path = log_path
        self._log = log_path.open("wb")
        gunicorn = Path(sys.executable).parent / "gunicorn"
        cmd = [
            str(gunicorn),
            "-c",
            str(PROJECT_DIR / "gunicorn.conf.py"),
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--no-control-socket",
            "site.wsgi:application",
        ]
        self.process = subprocess.Popen(
            cmd, cwd=PROJECT_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def request(self, method: str, path: str, body=None, headers: dict | None = None, timeout: float = 20):
        """(status, headers, body) of one request on a new connection (so the kernel spreads them over workers)."""
        if isinstance(body, dict):
            body = json.dumps(body).encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log()}")
            with contextlib.suppress(OSError):
                if self.request("GET", "/healthz", timeout=5)[0] == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f}s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def log_when(self, text: str, timeout: float = 5) -> str:
        """The log once ``text`` is in it (a worker writes its access line after sending the response)."""
        deadline = time.monotonic() + timeout
        while text not in (log := self.log()) and time.monotonic() < deadline:
            time.sleep(0.05)
        return log

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self._log.close()
