"""Issue 12, point 4: staff two-factor sign-in (TOTP), required for the groups a setting names.

The codes are made here as an authenticator app makes them (django_otp.oath), from
the key the enrolment page created; nothing is mocked.
"""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SETUP, VERIFY = "/admin/two-factor/setup/", "/admin/two-factor/verify/"


def code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def make_staff(django_user_model):
    def make(username: str, group: str):
        user = django_user_model.objects.create_user(username=username, password=PASSWORD)
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302
    return client


def test_managers_must_enrol_when_the_setting_says_so(settings, make_staff):
    settings.STAFF_2FA_REQUIRED_GROUPS = ["Managers"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a right code straight after a wrong one (throttling: below)
    make_staff("boss", "Managers")
    client = sign_in("boss")
    for url in ("/admin/", "/admin/front-desk/", "/admin/reports/shop/sales/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(SETUP), url

    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "Your role needs two-factor sign-in" in page
    device = TOTPDevice.objects.get(user__username="boss", confirmed=False)
    key = re.search(r"Key: <code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
    assert len(key) == 32  # the same secret as the QR code, to type by hand

    wrong = client.post(SETUP, {"token": "000000", "next": "/admin/front-desk/"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    done = client.post(SETUP, {"token": code(device), "next": "/admin/front-desk/"})
    assert done.status_code == 302 and done["Location"] == "/admin/front-desk/"
    assert client.get("/admin/front-desk/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_an_enrolled_manager_needs_a_code_at_every_sign_in(settings, make_staff):
    settings.STAFF_2FA_REQUIRED_GROUPS = ["Managers"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    boss = make_staff("boss", "Managers")
    device = TOTPDevice.objects.create(user=boss, name="phone", confirmed=True)

    client = sign_in("boss")  # the password alone
    response = client.get("/admin/front-desk/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert "Key:" not in client.get(SETUP).content.decode()  # no second device for a password holder

    assert "not right" in client.post(VERIFY, {"token": "123456"}).content.decode()
    assert client.get("/admin/front-desk/").status_code == 302
    used = code(device)
    response = client.post(VERIFY, {"token": used, "next": "/admin/front-desk/"})
    assert response.status_code == 302 and response["Location"] == "/admin/front-desk/"
    assert client.get("/admin/front-desk/").status_code == 200

    other = sign_in("boss")  # a second session: the code just used does not work again
    assert "not right" in other.post(VERIFY, {"token": used}).content.decode()
    assert other.post(VERIFY, {"token": code(device, steps_ahead=1)}).status_code == 302
    assert other.get("/admin/").status_code == 200


def test_wrong_codes_are_throttled(make_staff):
    boss = make_staff("boss", "Managers")
    device = TOTPDevice.objects.create(user=boss, name="phone", confirmed=True)
    client = sign_in("boss")
    client.post(VERIFY, {"token": "000000"})
    refused = client.post(VERIFY, {"token": code(device)}).content.decode()  # even the right one, at once
    assert "Too many wrong codes" in refused
    assert client.get("/admin/").status_code == 302


def test_verify_never_redirects_off_site(make_staff):
    boss = make_staff("boss", "Managers")
    device = TOTPDevice.objects.create(user=boss, name="phone", confirmed=True)
    client = sign_in("boss")
    response = client.post(VERIFY, {"token": code(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_others_may_enrol_but_are_not_forced(settings, make_staff):
    settings.STAFF_2FA_REQUIRED_GROUPS = ["Managers"]
    make_staff("desk", "Front desk")
    client = sign_in("desk")
    assert client.get("/admin/front-desk/").status_code == 200
    account = client.get("/admin/account/").content.decode()
    assert SETUP in account and "Two-factor sign-in" in account
    client.get(SETUP)
    device = TOTPDevice.objects.get(user__username="desk")
    assert client.post(SETUP, {"token": code(device)}).status_code == 302
    # From now on this user too is asked for a code at sign-in.
    again = sign_in("desk")
    assert again.get("/admin/front-desk/")["Location"].startswith(VERIFY)


def test_without_the_setting_no_one_is_forced(settings, make_staff):
    settings.STAFF_2FA_REQUIRED_GROUPS = []
    make_staff("boss", "Managers")
    assert sign_in("boss").get("/admin/front-desk/").status_code == 200
