"""The demo terminal: readable emails, each log line once, quiet task workers, a quiet Ctrl-C."""

from __future__ import annotations

import io
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.mail import EmailMultiAlternatives

from site.demo_terminal import ReadableConsoleEmailBackend, TaskLogLevelFilter
from tests.migrated_db import copy_migrated_database

ROOT = Path(__file__).resolve().parents[2]
LONG_LINK = "http://127.0.0.1:8000/shop/account/sign-in/" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE" + "/"


def test_console_email_prints_headers_decoded_text_and_whole_links():
    message = EmailMultiAlternatives(
        subject="Your sign-in link for Runway Massage Studio",
        body=f"Hi Zoë,\n\nFollow this link — it works once:\n\n{LONG_LINK}\n",
        from_email="Runway Massage Studio <hello@runway-massage.example>",
        to=["zoe@example.com"],
        reply_to=["hello@runway-massage.example"],
    )
    message.attach_alternative("<p>Hi Zoë</p>", "text/html")
    stream = io.StringIO()
    ReadableConsoleEmailBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert "Subject:  Your sign-in link for Runway Massage Studio" in printed
    assert "To:       zoe@example.com" in printed
    assert "Hi Zoë," in printed and "Follow this link — it works once:" in printed  # decoded, not =C3=AB
    assert f"\n{LONG_LINK}\n" in printed  # whole, not broken with "=" at 76 characters
    assert "[also sent as text/html" in printed and "<p>" not in printed


def _settings_in_a_process(code: str, **env) -> str:
    script = "import site_bootstrap; site_bootstrap.install(); import django; django.setup()\n" + code
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "site.settings", **env}
    environment.pop("TESTING", None)
    environment.pop("TASKS_BACKEND", None)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def test_debug_console_mail_uses_the_readable_backend_and_logs_each_line_once():
    output = _settings_in_a_process(
        "from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])\n"
        "import logging\n"
        "logging.getLogger('django.request').warning('Not Found: /nowhere/')\n"
        "tasks = logging.getLogger('django.tasks'); tasks.setLevel(logging.INFO)  # what db_worker does\n"
        "tasks.info('Task id=1 state=RUNNING')\n"
        "logging.getLogger('django_tasks_db').error('Task id=2 failed unexpectedly')\n",
        DEBUG="1",
        EMAIL_URL="consolemail://",
    )
    assert "site.demo_terminal.ReadableConsoleEmailBackend" in output
    assert output.count("Not Found: /nowhere/") == 1
    assert "state=RUNNING" not in output
    assert output.count("failed unexpectedly") == 1


def test_task_filter_keeps_other_loggers_and_failures():
    keep = TaskLogLevelFilter("WARNING").filter
    assert not keep(logging.LogRecord("django.tasks", logging.INFO, "", 0, "started", None, None))
    assert not keep(logging.LogRecord("django_tasks_db", logging.INFO, "", 0, "started", None, None))
    assert keep(logging.LogRecord("django_tasks_db", logging.ERROR, "", 0, "failed", None, None))
    assert keep(logging.LogRecord("django_tasksish", logging.INFO, "", 0, "other", None, None))
    assert keep(logging.LogRecord("packages.emails", logging.INFO, "", 0, "other", None, None))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# `make demo` as a test runs it: on this interpreter, and never installing anything. "-o" (--old-file)
# tells make to treat .venv/.installed as up to date whatever the mtimes say: a fresh clone, a
# worktree whose .venv links to another checkout's (older than this requirements.txt), a CI run.
# The test then runs everywhere the suite runs, instead of skipping where make would pip-install.
DEMO = ["make", "--no-print-directory", "-o", ".venv/.installed", f"PY={sys.executable}", "demo"]


def _make_env(**extra) -> dict[str, str]:
    env = {**os.environ, **extra}
    for name in ("TESTING", "TASKS_BACKEND", "DJANGO_SETTINGS_MODULE", "SITE_URL", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    return env


def _dry_run(command: list[str]) -> str:
    # -n: print the recipes without running them; -W: as if requirements.txt had just changed.
    result = subprocess.run(
        [*command[:1], "-n", "-W", "requirements.txt", *command[1:]],
        cwd=ROOT,
        env=_make_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_demo_in_a_test_never_installs_requirements():
    assert "pip install" in _dry_run([arg for arg in DEMO if arg not in ("-o", ".venv/.installed")])
    run = _dry_run(DEMO)
    assert "pip install" not in run and "-m venv" not in run
    assert f"{sys.executable} manage.py runserver" in run


def test_ctrl_c_ends_make_demo_quietly(tmp_path):
    port = _free_port()
    # An already migrated database (a copy of the run's template, tests/migrated_db.py): make demo
    # still runs migrate on it (nothing left to apply), then loads the demo content and starts.
    database = copy_migrated_database(tmp_path / "demo.sqlite3")
    env = _make_env(DATABASE_URL=f"sqlite:///{database}", MEDIA_ROOT=str(tmp_path))
    demo = subprocess.Popen(
        [*DEMO, f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the "terminal" the Ctrl-C goes to
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).status == 200:  # noqa: S310
                    break
            except OSError:
                time.sleep(0.5)
        else:
            os.killpg(demo.pid, signal.SIGKILL)
            pytest.fail("make demo did not serve the site:\n" + demo.communicate(timeout=10)[0].decode())
        time.sleep(2)  # the worker and the scheduler are up too
        os.killpg(demo.pid, signal.SIGINT)
        output = demo.communicate(timeout=60)[0].decode()  # a loaded 2-core CI machine took over 30 s once
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
    # make itself re-raises the SIGINT it got once its recipe is done (silently, as in a terminal).
    assert demo.returncode in (0, -signal.SIGINT), output
    tail = output[output.index("Quit the server with CONTROL-C.") :]
    for noise in ("Traceback", "Segmentation fault", "Interrupt", "shutting down", "Error", "Terminated"):
        assert noise not in tail, tail
    assert tail.rstrip().endswith("Demo stopped.")
    assert subprocess.run(["pgrep", "-g", str(demo.pid)], capture_output=True).returncode == 1  # nothing left
