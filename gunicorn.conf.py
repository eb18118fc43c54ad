"""gunicorn configuration: ``gunicorn site.wsgi:application`` (the config is read first)."""

import os

import site_bootstrap  # makes site/ importable as "site" before gunicorn imports site.wsgi

site_bootstrap.install()

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27 binds a shared control socket by default; several app servers on one
# host (and the benchmark) must not fight over it.
control_socket_disable = True
