"""Two-factor sign-in for staff: TOTP (an authenticator app) on top of the password, with django-otp.

* Any staff user may enrol (Account → Two-factor sign-in, ``/admin/two-factor/setup/``):
  scan the QR code, type one code to confirm.
* Once enrolled, every admin session asks for a current code after the password.
* Members of the groups in ``STAFF_2FA_REQUIRED_GROUPS`` (e.g. ``Managers``) must enrol:
  until they do, every admin page sends them to the enrolment page.

django-otp does the cryptography, replay protection (a code works once) and throttling
of wrong codes; this module is the small login step Wagtail 8 needs (wagtail-2fa stops
at Wagtail 4). The check is a middleware over ``/admin/``, so no admin URL (ours,
Wagtail's, a snippet's) is reachable half signed in.
"""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

ADMIN_PREFIX = "/admin/"
DEVICE_NAME = "Authenticator app"


def required_for(user) -> bool:
    """Whether this user must use two-factor sign-in (a member of a group the setting names)."""
    groups = settings.STAFF_2FA_REQUIRED_GROUPS
    return bool(groups) and user.groups.filter(name__in=groups).exists()


def _exempt(path: str) -> bool:
    exempt = (reverse("staff_two_factor_verify"), reverse("staff_two_factor_setup"), reverse("wagtailadmin_logout"))
    return path in exempt or path.startswith(reverse("wagtailadmin_login"))


class StaffTwoFactorMiddleware:
    """After the password: ask enrolled staff for a code, and send required staff to enrol."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path.startswith(ADMIN_PREFIX)
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not _exempt(request.path)
        ):
            query = urlencode({"next": request.get_full_path()})
            if user_has_device(user, confirmed=True):
                return redirect(f"{reverse('staff_two_factor_verify')}?{query}")
            if required_for(user):
                return redirect(f"{reverse('staff_two_factor_setup')}?{query}")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("wagtailadmin_home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return reverse("wagtailadmin_home")
    return target


def _render(request, template: str, context: dict):
    context = {"header_icon": "lock", "next": _next_url(request), **context}
    return TemplateResponse(request, f"staff/{template}", context)


def verify(request):
    """The second step of signing in: one current code from an enrolled device."""
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].replace(" ", "")
        allowed = [device for device in devices if device.verify_is_allowed()[0]]
        for device in allowed:
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_next_url(request))
        if allowed:
            form.add_error("token", "That code is not right, or was used already. Wait for the next one and try again.")
        else:  # django-otp doubles the wait after each wrong code (OTP_TOTP_THROTTLE_FACTOR)
            form.add_error("token", "Too many wrong codes: wait a little, then type the newest code.")
    return _render(request, "two_factor_verify.html", {"page_title": "Two-factor sign-in", "form": form})


def setup(request):
    """Enrol an authenticator app: scan the QR code, confirm with one code."""
    if user_has_device(request.user, confirmed=True):
        return _render(request, "two_factor_setup.html", {"page_title": "Two-factor sign-in", "enrolled": True})
    device, _ = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False, defaults={"name": DEVICE_NAME})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", "That code is not right. Check the app shows Runway's entry, and try the next code.")
    qr = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    context = {
        "page_title": "Set up two-factor sign-in",
        "form": form,
        "qr_svg": qr.to_string(encoding="unicode"),
        "secret": _grouped_secret(device),
        "required": required_for(request.user),
    }
    return _render(request, "two_factor_setup.html", context)


def _grouped_secret(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
