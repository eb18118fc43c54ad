"""Issue 12, item 3: bearer secrets in URLs never reach the logs.

Order, sign-in, gift-card print and stand-in checkout links carry their secret in the
path, and query strings carry Stripe session ids, preview tokens and search terms.
gunicorn's access log (read from a real gunicorn) and Django's request logging
("Not Found: …") show them redacted.
"""

from __future__ import annotations

import logging

import pytest

from site.log_redaction import RedactPathsFilter, redact_path, redact_request_line, redact_url

# Fixed (xdist collects the same test ids in every worker), shaped like secrets.token_urlsafe(18).
TOKEN = "Zq8uSrvrv_tEQcIU7JL6gMWlV86x"
SECRET_URLS = [
    f"/shop/orders/{TOKEN}/",
    f"/shop/orders/{TOKEN}/cancelled/",
    f"/shop/account/sign-in/{TOKEN}/",
    f"/shop/gift-cards/print/{TOKEN}/",
    f"/shop/stand-in/checkout/cs_test_{TOKEN}/",
    f"/api/shop/orders/{TOKEN}",
    f"/admin/password_reset/confirm/MQ/{TOKEN}/",
    f"/shop/orders/?session_id={TOKEN}",
    f"/api/v2/page_preview/?content_type=home.homepage&token={TOKEN}",
    f"/some/future/route/{TOKEN}/",
]


@pytest.mark.parametrize("url", SECRET_URLS)
def test_redact_path_removes_the_secret(url):
    redacted = redact_path(url)
    assert TOKEN not in redacted
    assert "[redacted]" in redacted
    assert redacted.split("/")[1] == url.split("/")[1]  # the route stays readable


@pytest.mark.parametrize("url", ["/", "/articles/five-stretches-for-sciatica/", "/shop/series/ten-sessions-2026/"])
def test_ordinary_paths_stay_as_they_are(url):
    assert redact_path(url) == url


def test_request_lines_and_referrers():
    assert redact_request_line(f"GET /shop/orders/{TOKEN}/ HTTP/1.1") == "GET /shop/orders/[redacted]/ HTTP/1.1"
    assert redact_url(f"https://example.com/shop/account/sign-in/{TOKEN}/?next=/x") == (
        "https://example.com/shop/account/sign-in/[redacted]/?next=[redacted]"
    )
    assert redact_path("/search/?q=back+pain&page=2") == "/search/?q=[redacted]&page=[redacted]"


def test_django_request_log_records_are_redacted():
    args = ("Not Found", SECRET_URLS[0])
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "%s: %s", args, None)
    RedactPathsFilter().filter(record)
    assert TOKEN not in record.getMessage()
    assert record.getMessage() == "Not Found: /shop/orders/[redacted]/"


def test_django_logging_is_configured_with_the_filter(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert "redact_paths" in handler["filters"]


def test_gunicorn_access_log_has_no_secrets(production_server):
    for url in SECRET_URLS:
        production_server.request("GET", url, headers={"Referer": f"http://127.0.0.1{SECRET_URLS[2]}"})
    production_server.request("GET", f"/search/?q={TOKEN}")
    log = production_server.log_when("/search/?q=[redacted]")
    assert "/shop/orders/[redacted]/" in log  # the lines are there…
    assert "/search/?q=[redacted]" in log
    assert TOKEN not in log  # …without the secret, in the access log and in Django's "Not Found: …" lines
