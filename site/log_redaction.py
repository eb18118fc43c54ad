"""Keep secrets in URLs out of the logs: gunicorn's access log and Django's request logging.

Several URLs carry a bearer secret in the path: whoever has the link sees the order
(names, email), signs in to the customer's account, or prints the gift card. Query
strings carry more (Stripe's ``session_id``, preview ``token``, search terms). Logs are
read by more people and kept longer than the database, so a logged path shows only its
shape: ``/shop/orders/[redacted]/``, ``/search/?q=[redacted]``.

Plain Python with no Django import: ``gunicorn.conf.py`` loads it in the master process.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit, urlunsplit

REDACTED = "[redacted]"

# Every route whose path segment is a secret (packages/storefront/urls.py and api.py, Wagtail's
# password reset). Each pattern's group 1 is kept; the segment(s) after it are replaced.
SECRET_PATHS = [
    re.compile(r"^(/shop/orders/)[^/?#]+"),
    re.compile(r"^(/shop/account/sign-in/)[^/?#]+"),
    re.compile(r"^(/shop/gift-cards/print/)[^/?#]+"),
    re.compile(r"^(/shop/stand-in/checkout/)[^/?#]+"),
    re.compile(r"^(/api/shop/orders/)[^/?#]+"),
    re.compile(r"^(/admin/password_reset/confirm/)[^?#]+?(?=/?(?:$|[?#]))"),
]
# Anything else that looks like a generated token (mixed case and digits, long): a route
# added later without updating the list above still does not leak its links.
_TOKEN_LIKE = re.compile(r"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[A-Za-z0-9_\-:.=]{20,}$")


def _redact_query(query: str) -> str:
    if not query:
        return query
    parts = []
    for pair in query.split("&"):
        name, sep, _value = pair.partition("=")
        parts.append(f"{name}={REDACTED}" if sep else name)
    return "&".join(parts)


def redact_path(path: str) -> str:
    """A path (with or without query string), its secrets replaced by ``[redacted]``."""
    if not path:
        return path
    path, qmark, query = path.partition("?")
    for pattern in SECRET_PATHS:
        path, count = pattern.subn(lambda m: m.group(1) + REDACTED, path)
        if count:
            break
    else:
        path = "/".join(REDACTED if _TOKEN_LIKE.match(segment) else segment for segment in path.split("/"))
    return path + (qmark + _redact_query(query) if qmark else "")


def redact_url(url: str) -> str:
    """A full URL (a Referer) or a path, redacted the same way."""
    if not url or url == "-":
        return url
    if url.startswith("/"):
        return redact_path(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return REDACTED
    redacted = redact_path(parts.path + (f"?{parts.query}" if parts.query else ""))
    path, _, query = redacted.partition("?")
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def redact_request_line(line: str) -> str:
    """``GET /shop/orders/abc/ HTTP/1.1`` → ``GET /shop/orders/[redacted]/ HTTP/1.1``."""
    method, sep, rest = line.partition(" ")
    target, sep2, protocol = rest.rpartition(" ")
    if not sep or not sep2:
        return redact_path(line)
    return f"{method} {redact_url(target)} {protocol}"


class RedactPathsFilter(logging.Filter):
    """For Django's loggers: paths in a record's arguments (``Not Found: /shop/orders/…``) are redacted.

    django.request, django.security and django.server pass the path as an argument, never
    inside the format string, so rewriting string arguments that look like paths (or
    request lines) is enough; the ``request`` attribute is left for handlers that need it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(self._clean(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: self._clean(value) for key, value in record.args.items()}
        if isinstance(record.msg, str) and not record.args:
            record.msg = re.sub(r"(?<![\w/])(/[^\s\"']*)", lambda m: redact_path(m.group(1)), record.msg)
        return True

    @staticmethod
    def _clean(value):
        if isinstance(value, str):
            if value.startswith("/"):
                return redact_path(value)
            if re.match(r"^[A-Z]+ \S+ HTTP/[\d.]+$", value):
                return redact_request_line(value)
            if value.startswith(("http://", "https://")):
                return redact_url(value)
        return value


def gunicorn_logger_class():
    """gunicorn's Logger with the request line, path, query string and Referer redacted."""
    from gunicorn.glogging import Logger

    environ_keys = {"raw_uri", "path_info", "query_string", "http_referer", "request_uri"}

    class RedactingLogger(Logger):
        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            atoms["r"] = redact_request_line(atoms["r"])
            atoms["U"] = redact_path(atoms["U"] or "")
            atoms["q"] = _redact_query(atoms["q"] or "")
            atoms["f"] = redact_url(atoms["f"])
            atoms["{referer}i"] = redact_url(atoms.get("{referer}i", "-"))
            for key in environ_keys:
                name = f"{{{key}}}e"
                if name in atoms:
                    atoms[name] = redact_url(str(atoms[name]))
            return atoms

    return RedactingLogger
