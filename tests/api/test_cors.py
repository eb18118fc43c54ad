"""CORS on /api/ only, for the origins listed in CORS_ALLOWED_ORIGINS (none by default)."""

from __future__ import annotations

import pytest

FRONT_END = "https://front.runway-massage.example"
ELSEWHERE = "https://evil.example"

pytestmark = pytest.mark.django_db


@pytest.fixture
def front_end_allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONT_END]


@pytest.mark.parametrize(
    "url",
    ["/api/v2/pages/", "/api/v3/pages/", "/api/v3/team/", "/api/v2/faq/", "/api/v3/openapi.json", "/api/shop/offers"],
)
def test_allowed_origin_may_read_the_api(client, front_end_allowed, url):
    response = client.get(url, headers={"Origin": FRONT_END})

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert "etag" in response["Access-Control-Expose-Headers"].lower()
    assert "origin" in response["Vary"].lower()


def test_other_origins_get_no_cors_headers(client, front_end_allowed):
    response = client.get("/api/v2/pages/", headers={"Origin": ELSEWHERE})

    assert response.status_code == 200  # the browser, not the server, withholds the body
    assert not response.has_header("Access-Control-Allow-Origin")


def test_no_origin_is_allowed_by_default(client, settings):
    assert settings.CORS_ALLOWED_ORIGINS == []

    response = client.get("/api/v2/pages/", headers={"Origin": FRONT_END})

    assert not response.has_header("Access-Control-Allow-Origin")


def test_preflight_from_the_front_end(client, front_end_allowed):
    response = client.options(
        "/api/v3/pages/",
        headers={"Origin": FRONT_END, "Access-Control-Request-Method": "GET"},
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_only_api_paths_get_cors_headers(client, front_end_allowed):
    response = client.get("/robots.txt", headers={"Origin": FRONT_END})

    assert not response.has_header("Access-Control-Allow-Origin")
