"""Make the project's ``site/`` folder importable as the ``site`` package.

Python imports the standard library's ``site`` module at start-up, before any
project code runs, so ``import site.settings`` normally fails with
"No module named 'site.settings'; 'site' is not a package". The layout is
fixed (the Django project lives in ``site/``), so instead of renaming the
folder we turn the already-imported stdlib module into a namespace for it:
giving a module a ``__path__`` makes Python treat it as a package and look for
submodules there. The stdlib module keeps working as before.

Every entry point calls :func:`install` before touching Django: ``manage.py``,
``site/wsgi.py`` and ``site/asgi.py`` (through this module being importable
from the project root), ``gunicorn.conf.py``, and pytest (``-p site_bootstrap``
in pyproject.toml, so it runs before pytest-django reads the settings).
"""

from __future__ import annotations

import sys
from pathlib import Path

import site as _stdlib_site

PROJECT_DIR = Path(__file__).resolve().parent
SITE_DIR = PROJECT_DIR / "site"


def install() -> None:
    """Extend the stdlib ``site`` module's ``__path__`` with ``site/`` (idempotent)."""
    path = getattr(_stdlib_site, "__path__", None)
    if path is None:
        _stdlib_site.__path__ = [str(SITE_DIR)]
    elif str(SITE_DIR) not in path:
        path.append(str(SITE_DIR))
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))


install()
