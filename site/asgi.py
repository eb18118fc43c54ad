"""ASGI entry point (e.g. ``uvicorn site.asgi:application`` after the bootstrap)."""

import os
import sys
from pathlib import Path

# A server that imports this file by path still needs ``site/`` to be a package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import site_bootstrap  # noqa: E402

site_bootstrap.install()

from django.core.asgi import get_asgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")

application = get_asgi_application()
