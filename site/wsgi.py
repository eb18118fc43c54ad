"""WSGI entry point: ``gunicorn site.wsgi`` (gunicorn.conf.py installs the bootstrap first)."""

import os
import sys
from pathlib import Path

# A server that imports this file by path still needs ``site/`` to be a package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import site_bootstrap  # noqa: E402

site_bootstrap.install()

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")

application = get_wsgi_application()
