"""Production settings: `check --deploy` is clean, and unsafe configurations refuse to start.

Each case is a `manage.py check` in a subprocess, because settings are read once
per process and the test environment (TESTING, DEBUG=1, immediate tasks) must
not leak in. Django's start-up dominates their cost, so all cases start together
(module fixture) and each test waits for its own.
"""

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]

# What tests/pytest_plugin.py and a developer's shell may have set; production has none of it.
TEST_ONLY_VARIABLES = {
    "TESTING",
    "DEBUG",
    "TASKS_BACKEND",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CACHE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "EMAIL_URL",
    "PYTEST_CURRENT_TEST",
    "PYTEST_XDIST_WORKER",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
STRIPE_KEY = "sk_test_" + "x" * 24
WEBHOOK_SECRET = "whsec_" + "y" * 24


# `check` opens the database: a file of its own, not an empty db.sqlite3 left in the checkout.
CHECK_DATABASE_URL = f"sqlite:///{tempfile.gettempdir()}/runway-settings-check-{os.getuid()}.sqlite3"


def clean_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
    return {**env, "DATABASE_URL": CHECK_DATABASE_URL}


def production_env(**overrides: str | None) -> dict[str, str]:
    env = clean_env()
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),  # 67 characters, high entropy
        ALLOWED_HOSTS="example.com",
        # Production sends real mail; without it check --deploy fails (see below).
        EMAIL_URL="smtp://mailer:app-password@smtp.example.com:587",
        # Production takes real payments: without keys it refuses to start (see below).
        STRIPE_SECRET_KEY=STRIPE_KEY,
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


DEPLOY = ("check", "--deploy", "--fail-level", "WARNING")
CASES = {
    "deploy": (DEPLOY, production_env()),
    "deploy_console_email": (DEPLOY, production_env(EMAIL_URL=None)),
    "no_secret_key": (("check",), production_env(SECRET_KEY=None)),
    "no_allowed_hosts": (("check",), production_env(ALLOWED_HOSTS=None)),
    "stripe_key_alone": (("check",), production_env(STRIPE_WEBHOOK_SECRET=None)),
    "no_stripe_keys": (("check",), production_env(STRIPE_SECRET_KEY=None, STRIPE_WEBHOOK_SECRET=None)),
    "offline_opt_in_deploy": (
        DEPLOY,
        production_env(STRIPE_SECRET_KEY=None, STRIPE_WEBHOOK_SECRET=None, STRIPE_OFFLINE_CHECKOUT="1"),
    ),
    "offline_secret_a": (
        ("shell", "-c", "from django.conf import settings; print(settings.STRIPE_WEBHOOK_SECRET)"),
        production_env(STRIPE_SECRET_KEY=None, STRIPE_WEBHOOK_SECRET=None, STRIPE_OFFLINE_CHECKOUT="1"),
    ),
    "offline_secret_b": (
        ("shell", "-c", "from django.conf import settings; print(settings.STRIPE_WEBHOOK_SECRET)"),
        production_env(STRIPE_SECRET_KEY=None, STRIPE_WEBHOOK_SECRET=None, STRIPE_OFFLINE_CHECKOUT="1"),
    ),
    "stripe_both_debug_off": (
        ("check",),
        production_env(STRIPE_SECRET_KEY=STRIPE_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET),
    ),
    "stripe_both_debug_on": (
        ("check",),
        production_env(DEBUG="1", STRIPE_SECRET_KEY=STRIPE_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET),
    ),
    # A fresh clone runs with no environment at all (DEBUG on, SQLite, offline Stripe).
    "development": (("check",), clean_env()),
    "redis_cache_url": (
        ("shell", "-c", "from django.conf import settings; print(sorted(settings.CACHES['default'].items()))"),
        {**clean_env(), "CACHE_URL": "redis://127.0.0.1:6379/1?key_prefix=run42&timeout=60"},
    ),
}


@pytest.fixture(scope="module")
def manage_check():
    processes = {
        name: subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, (args, env) in CASES.items()
    }
    results: dict[str, subprocess.CompletedProcess] = {}

    def result(name: str) -> subprocess.CompletedProcess:
        if name not in results:
            process = processes[name]
            stdout, stderr = process.communicate(timeout=180)
            results[name] = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        return results[name]

    yield result
    for process in processes.values():
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_check_deploy_is_clean_with_production_environment(manage_check):
    result = manage_check("deploy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_flags_console_email_in_production(manage_check):
    result = manage_check("deploy_console_email")
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_production_refuses_to_start_without_secret_key(manage_check):
    result = manage_check("no_secret_key")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set in the environment" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(manage_check):
    result = manage_check("no_allowed_hosts")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set in the environment" in result.stderr


def test_stripe_secret_key_requires_the_webhook_secret(manage_check):
    result = manage_check("stripe_key_alone")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET together" in result.stderr


def test_production_never_runs_the_offline_checkout_by_accident(manage_check):
    result = manage_check("no_stripe_keys")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET" in result.stderr
    assert "STRIPE_OFFLINE_CHECKOUT=1" in result.stderr


def test_offline_checkout_in_production_is_an_explicit_choice_that_check_deploy_warns_about(manage_check):
    result = manage_check("offline_opt_in_deploy")
    assert result.returncode != 0  # --fail-level WARNING
    assert "packages.W001" in result.stderr and "STRIPE_OFFLINE_CHECKOUT" in result.stderr


def test_the_offline_webhook_secret_is_per_deployment_not_a_constant(manage_check):
    first, second = manage_check("offline_secret_a"), manage_check("offline_secret_b")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    a, b = first.stdout.strip().splitlines()[-1], second.stdout.strip().splitlines()[-1]
    assert a.startswith("whsec_offline_") and b.startswith("whsec_offline_")
    assert a != b  # two deployments (two SECRET_KEYs) never share it
    assert "not_a_real_secret" not in a


@pytest.mark.parametrize("case", ["stripe_both_debug_off", "stripe_both_debug_on"])
def test_stripe_keys_together_are_accepted(manage_check, case):
    result = manage_check(case)
    assert result.returncode == 0, result.stderr


def test_development_defaults_need_no_environment(manage_check):
    result = manage_check("development")
    assert result.returncode == 0, result.stderr


def test_cache_url_options_reach_django(manage_check):
    # django-environ hands Django's Redis backend lower-case option names, which Django ignores.
    result = manage_check("redis_cache_url")
    assert result.returncode == 0, result.stderr
    assert "('KEY_PREFIX', 'run42')" in result.stdout
    assert "('TIMEOUT', 60)" in result.stdout
    assert "'LOCATION', 'redis://127.0.0.1:6379/1'" in result.stdout


def test_content_cache_defaults_off_in_production_without_a_shared_cache():
    """It also caches which pages are private: a per-process cache would keep that stale in other workers."""
    script = "from django.conf import settings; print(settings.CONTENT_CACHE_SECONDS)"
    base = {"DEBUG": "0", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "example.com", "TESTING": "0"}
    base["STRIPE_OFFLINE_CHECKOUT"] = "1"  # no Stripe keys in this environment

    def seconds(**extra):
        env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "REDIS_URL", "CONTENT_CACHE_SECONDS")}
        env.update(base, DJANGO_SETTINGS_MODULE="site.settings", **extra)
        out = subprocess.run(
            [sys.executable, "-c", "import site_bootstrap, django; django.setup(); " + script],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return int(out.stdout.strip().splitlines()[-1])

    # No CACHE_URL: production's embedded default is a file cache every worker shares (site/cache.py).
    assert seconds() == 300
    assert seconds(CACHE_URL="locmemcache://") == 0
    assert seconds(CACHE_URL="redis://127.0.0.1:6379/9") == 300
