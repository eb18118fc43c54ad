"""A bare Django project: the yardstick the benchmark compares the site with.

No database, no sessions, no auth: the cheapest way Django can render a page.
Served exactly like the site (gunicorn with gunicorn.conf.py, DEBUG off).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "reference-app-only-serves-constants")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "refsite.urls"
WSGI_APPLICATION = "refsite.wsgi.application"
INSTALLED_APPS: list[str] = []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES: dict = {}
USE_TZ = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
