"""Issue 12, item 8 (and the deploy checks): forwarded headers are believed only from configured proxies.

gunicorn bound 0.0.0.0 and Django believed X-Forwarded-Proto from any peer whenever
DEBUG was off. Now gunicorn listens on 127.0.0.1 unless HOST says otherwise, and both
gunicorn (FORWARDED_ALLOW_IPS) and Django (SECURE_PROXY_SSL_HEADER) trust the header
only when TRUSTED_PROXY_COUNT says proxies are in front. `check --deploy` refuses a
trust-everyone FORWARDED_ALLOW_IPS and a per-process cache.
"""

from __future__ import annotations

import runpy
import subprocess
import sys

import pytest

from tests.site.test_settings import PROJECT_DIR, production_env

GUNICORN_CONF = str(PROJECT_DIR / "gunicorn.conf.py")
ENV_NAMES = ["GUNICORN_BIND", "HOST", "PORT", "TRUSTED_PROXY_COUNT", "SHOP_TRUSTED_PROXY_COUNT", "FORWARDED_ALLOW_IPS"]


@pytest.fixture
def gunicorn_conf(monkeypatch):
    def load(**env: str) -> dict:
        for name in ENV_NAMES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(GUNICORN_CONF)

    return load


def test_gunicorn_listens_on_loopback_unless_told(gunicorn_conf):
    assert gunicorn_conf()["bind"] == "127.0.0.1:8000"
    assert gunicorn_conf(PORT="9000")["bind"] == "127.0.0.1:9000"
    assert gunicorn_conf(HOST="0.0.0.0", PORT="80")["bind"] == "0.0.0.0:80"  # noqa: S104 - deliberately, via HOST
    assert gunicorn_conf(GUNICORN_BIND="unix:/run/runway.sock")["bind"] == "unix:/run/runway.sock"


def test_gunicorn_believes_forwarded_headers_only_with_proxies(gunicorn_conf):
    assert gunicorn_conf()["forwarded_allow_ips"] == ""
    assert gunicorn_conf(FORWARDED_ALLOW_IPS="*")["forwarded_allow_ips"] == ""  # no proxy count: still nobody
    assert gunicorn_conf(TRUSTED_PROXY_COUNT="1")["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert gunicorn_conf(TRUSTED_PROXY_COUNT="1", FORWARDED_ALLOW_IPS="10.0.0.5")["forwarded_allow_ips"] == "10.0.0.5"


def django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=180
    )


def test_django_trusts_x_forwarded_proto_only_with_proxies():
    show = ("shell", "-c", "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)")
    assert django(production_env(), *show).stdout.strip().endswith("None")
    with_proxy = django(production_env(TRUSTED_PROXY_COUNT="1"), *show).stdout.strip()
    assert with_proxy.endswith("('HTTP_X_FORWARDED_PROTO', 'https')")


DEPLOY = ("check", "--deploy", "--fail-level", "WARNING")


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"TRUSTED_PROXY_COUNT": "1", "FORWARDED_ALLOW_IPS": "*"}, "site.E001"),
        ({"CACHE_URL": "locmemcache://"}, "site.E003"),
    ],
)
def test_check_deploy_refuses_unsafe_configurations(overrides, error):
    result = django(production_env(**overrides), *DEPLOY)
    assert result.returncode != 0
    assert error in result.stderr + result.stdout


def test_check_deploy_is_clean_behind_a_proxy():
    result = django(production_env(TRUSTED_PROXY_COUNT="1"), *DEPLOY)
    assert result.returncode == 0, result.stdout + result.stderr


def test_real_gunicorn_ignores_a_forged_forwarded_proto(production_server):
    """HSTS is sent only on HTTPS: a client on a plain connection claiming https gets none."""
    status, headers, _ = production_server.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
    assert status == 200
    assert "Strict-Transport-Security" not in headers
