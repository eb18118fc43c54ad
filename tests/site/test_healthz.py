"""/healthz: what load balancers poll. 200 when the database answers, 503 when it does not."""

from unittest import mock

from django.core.cache import cache
from django.db import OperationalError, connection


def test_healthz_ok(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "cache": "ok", "status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_503_when_the_database_is_unreachable(db, client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("could not connect to server")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "error: OperationalError"
    assert body["status"] == "down"
    assert "could not connect" not in response.content.decode()  # no driver details leak out


def test_healthz_degraded_but_200_when_only_the_cache_fails(db, client):
    with mock.patch.object(cache, "set", side_effect=ConnectionError("redis down")):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["cache"] == "error: ConnectionError"
    assert response.json()["status"] == "degraded"


def test_healthz_only_answers_get(db, client):
    assert client.post("/healthz").status_code == 405
