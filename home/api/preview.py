"""Headless previews: the page mixin that sends Wagtail's Preview button to a headless
front end when one is configured, and the look-up of a preview token (API v2 and v3)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from wagtail_headless_preview.models import HeadlessPreviewMixin as LibraryHeadlessPreviewMixin
from wagtail_headless_preview.settings import headless_preview_settings


def headless_preview_enabled() -> bool:
    return bool(headless_preview_settings.CLIENT_URLS)


class HeadlessPreviewMixin(LibraryHeadlessPreviewMixin):
    """wagtail-headless-preview's mixin, active only when a front end is configured.

    With ``HEADLESS_PREVIEW_URL`` set, Preview stores the edited page under a
    signed token and shows the front end's preview URL with that token. Unset,
    the page previews as Wagtail renders it.
    """

    def serve_preview(self, request, preview_mode):
        if not headless_preview_enabled():
            # Skip the library's override: the next serve_preview in the MRO is Wagtail's own.
            return super(LibraryHeadlessPreviewMixin, self).serve_preview(request, preview_mode)
        return super().serve_preview(request, preview_mode)


class PreviewTokenError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def page_from_preview_token(*, content_type: str, token: str):
    """The previewed (unsaved) page for a token from the admin's Preview.

    Raises PreviewTokenError: 404 for an unknown page type or an unknown or forged
    token, 410 once the token is older than HEADLESS_PREVIEW_TOKEN_MAX_AGE.
    """
    app_label, _, model_name = content_type.partition(".")
    try:
        model = ContentType.objects.get_by_natural_key(app_label, model_name.lower()).model_class()
    except ContentType.DoesNotExist:
        model = None
    if model is None or not issubclass(model, LibraryHeadlessPreviewMixin):
        raise PreviewTokenError(404, "No previewable page type of that name.")
    try:
        model.get_preview_signer().unsign(token, max_age=settings.HEADLESS_PREVIEW_TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise PreviewTokenError(410, "This preview token has expired: press Preview again.") from error
    except signing.BadSignature as error:
        raise PreviewTokenError(404, "No preview for this token.") from error
    page = model.get_page_from_preview_token(token)
    if page is None:
        raise PreviewTokenError(404, "No preview for this token.")
    return page
