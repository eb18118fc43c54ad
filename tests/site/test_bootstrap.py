"""Why site_bootstrap.py exists: the project's ``site/`` folder clashes with the stdlib ``site`` module.

Python imports the standard library's ``site`` at start-up, so ``import site.settings``
fails unless site_bootstrap has turned that module into a namespace for ``site/``.
"""

import os
import subprocess
import sys

from tests.site.test_settings import PROJECT_DIR, TEST_ONLY_VARIABLES


def run_python(code: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_settings_import_after_the_bootstrap():
    result = run_python("import site_bootstrap; import site.settings; print(site.settings.ROOT_URLCONF)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "site.urls"


def test_settings_do_not_import_without_the_bootstrap():
    result = run_python("import site.settings")
    assert result.returncode != 0
    assert "No module named 'site.settings'; 'site' is not a package" in result.stderr


def test_bootstrap_keeps_the_stdlib_site_module_working():
    result = run_python("import site_bootstrap, site; print(callable(site.getsitepackages), site.__path__[-1])")
    assert result.returncode == 0, result.stderr
    ok, path = result.stdout.split()
    assert ok == "True"
    assert path == str(PROJECT_DIR / "site")


def test_bootstrap_is_idempotent():
    result = run_python(
        "import site_bootstrap, site; site_bootstrap.install(); site_bootstrap.install(); print(len(site.__path__))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
