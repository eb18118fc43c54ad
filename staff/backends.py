"""The django-axes authentication backend, for logins that come with a request."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


class RequestAxesBackend(AxesStandaloneBackend):
    """Throttle every login attempt made over HTTP; let request-less ones through to the next backend.

    Axes refuses ``authenticate()`` without a request. The only callers without one are
    code on the server itself (management commands, ``Client.login`` in tests), which a
    password guesser cannot reach; every web login form (Wagtail's admin, Django's)
    passes the request, so it is counted and locked out as configured.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        # A session may name this backend (tools such as Wagtail's test helpers log in with the
        # first AUTHENTICATION_BACKENDS entry): find the user as the model backend does.
        return ModelBackend().get_user(user_id)
