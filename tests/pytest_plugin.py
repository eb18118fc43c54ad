"""Loaded with ``-p tests.pytest_plugin`` (pyproject.toml), before pytest-django reads settings.

It does two things that must happen before Django starts:
- installs the ``site/`` bootstrap (see site_bootstrap.py), so ``site.settings`` imports;
- sets the test environment: tasks run immediately (Wagtail's index updates
  included), plain static storage, and the offline Stripe stand-in unless a
  test opts into real mode with its own settings.
"""

import os

import site_bootstrap

site_bootstrap.install()

os.environ["TESTING"] = "1"
os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
os.environ.setdefault("DEBUG", "1")
os.environ["STRIPE_SECRET_KEY"] = ""
os.environ["STRIPE_WEBHOOK_SECRET"] = ""
os.environ.setdefault("EMAIL_URL", "consolemail://")
