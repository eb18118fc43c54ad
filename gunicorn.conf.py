"""gunicorn configuration: ``gunicorn site.wsgi:application`` (the config is read first).

Safe by default: it listens on 127.0.0.1 only (a reverse proxy on the same host, or set
HOST=0.0.0.0 deliberately), believes no forwarded header unless TRUSTED_PROXY_COUNT says
proxies are in front, and writes an access log whose request lines, paths, query strings
and referrers have their secrets redacted (site/log_redaction.py).
"""

import gc
import os

import site_bootstrap  # makes site/ importable as "site" before gunicorn imports site.wsgi

site_bootstrap.install()

from site.log_redaction import gunicorn_logger_class  # noqa: E402 (needs the bootstrap above)

bind = os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))

# X-Forwarded-Proto (and gunicorn's other "secure scheme" headers) make a request count as
# HTTPS. Only a proxy of ours may say so: with no proxy (TRUSTED_PROXY_COUNT=0, the default)
# no peer is believed; with proxies, only the addresses in FORWARDED_ALLOW_IPS (the proxy's,
# loopback by default). Django's own check (site/checks.py) refuses "*".
_proxies = int(os.environ.get("TRUSTED_PROXY_COUNT") or os.environ.get("SHOP_TRUSTED_PROXY_COUNT") or "0")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1") if _proxies > 0 else ""

accesslog = "-"
logger_class = gunicorn_logger_class
# Apache's combined format plus the request time and the worker's pid (<1234>).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %(p)s'
# gunicorn 27 binds a shared control socket by default; several app servers on one
# host (and the benchmark) must not fight over it.
control_socket_disable = True


def post_worker_init(worker):
    """Once the worker has loaded the application: its objects (Django, Wagtail, the models, the
    URLconf) live as long as the worker, so they are moved out of the garbage collector's sight.
    A full collection walked all of them (about 250,000), a pause of up to 200 ms that showed as
    the p99 of uncached pages; now it walks only what the requests made since."""
    gc.collect()
    gc.freeze()
