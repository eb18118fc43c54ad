"""Issue 12, item 1: staff passwords cannot be guessed without limit at /admin/login/.

django-axes counts failures per client address and per username in the database
(shared by every worker); the lockout page explains what happened; Managers and
superusers read the records in the Wagtail admin, other staff cannot.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff_user(django_user_model):
    user = django_user_model.objects.create_user(username="therapist", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def attempt(client: Client, username: str, password: str, ip: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_wrong_password_locks_the_username_after_the_limit(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "therapist", "guess")
        assert response.status_code == 200  # the form again, with its error
    assert attempt(client, "therapist", "guess").status_code == 429  # the limit-th failure locks
    # Even the right password, and from another address: the username is locked.
    response = attempt(Client(), "therapist", PASSWORD, ip="198.51.100.20")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed sign-in attempts" in text
    assert "0:15:00" in text  # the cool-off, from AXES_COOLOFF_TIME
    assert "_auth_user_id" not in Client().session


def test_one_address_guessing_many_usernames_is_locked(client, staff_user, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"nobody{n}", "guess", ip="203.0.113.99")
    response = attempt(client, "therapist", PASSWORD, ip="203.0.113.99")
    assert response.status_code == 429
    # Another address still signs in with the right password.
    other = Client()
    response = attempt(other, "therapist", PASSWORD, ip="198.51.100.21")
    assert response.status_code == 302
    assert other.session.get("_auth_user_id") == str(staff_user.pk)


def test_forwarded_for_is_ignored_without_trusted_proxies(client, staff_user, settings):
    """Rotating X-Forwarded-For must not give a guesser fresh addresses."""
    assert settings.TRUSTED_PROXY_COUNT == 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        data = {"username": f"x{n}", "password": "g"}
        client.post(LOGIN, data, REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = attempt(client, "therapist", PASSWORD, ip="203.0.113.50")
    assert response.status_code == 429


def test_success_resets_the_count(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "therapist", "guess")
    assert attempt(client, "therapist", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "therapist", "guess")
    assert attempt(client, "therapist", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("role", "allowed"), [("superuser", True), ("Managers", True), ("Front desk", False), ("Editors", False)]
)
def test_sign_in_records_visible_to_managers_only(client, staff_user, django_user_model, role, allowed):
    for _ in range(2):
        attempt(Client(), "therapist", "guess")
    if role == "superuser":
        viewer = django_user_model.objects.create_superuser(username="boss", email="boss@example.com")
    else:
        viewer = django_user_model.objects.create_user(username="viewer", is_staff=True)
        viewer.groups.add(Group.objects.get(name=role))
    client.force_login(viewer)
    for url in ("/admin/staff/sign-in-attempts/", "/admin/staff/sign-in-failures/"):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
            assert "therapist" in response.content.decode()
            assert "203.0.113.7" in response.content.decode()
        else:
            assert response.status_code in (302, 403), url
    reports_menu = client.get("/admin/").content.decode()
    assert ("Staff sign-in attempts" in reports_menu) is allowed


def test_records_are_read_only(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(username="boss", email="boss@example.com"))
    assert client.post("/admin/staff/sign-in-attempts/").status_code == 405
