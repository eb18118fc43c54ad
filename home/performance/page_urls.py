"""A page's URL without reversing Wagtail's serve pattern each time.

Wagtail's ``Page.get_url_parts`` finds the page's site (from the site root paths the request
keeps) and then calls ``reverse("wagtail_serve", args=(path,))`` for the path below the site's
root: Django's ``reverse`` matches the arguments against every pattern of that name and
quotes the result, about 30 µs, for each link on a page (a listing's cards, the nav, the
breadcrumbs, the API's ``html_url``), a tenth of an uncached article and a fifth of the
sitemap. What it returns depends only on the path, the URLconf, the script prefix and the
active language, so :func:`serve_path` keeps it per process for those (:func:`reverse_memo`,
which the shop's offer URLs use too). :func:`reverse_with_id` does the same for a URL with an
object's id in it (the API's detail URLs): reversed once per view with a placeholder id, each id
put in its place.

:class:`MemoizedPageUrls` (a base of ``page_routing.OneQueryRouting``, so of every page model)
is Wagtail's ``get_url_parts`` with that memo, for the common case: internationalisation off
and the page in one site (or no request to choose among sites by). Anything else goes to
Wagtail's own ``get_url_parts``. ``tests/home/test_page_urls.py`` compares both for every page
of a tree, under a script prefix, another URLconf and ``WAGTAIL_APPEND_SLASH = False``.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from wagtail.coreutils import WAGTAIL_APPEND_SLASH

from . import wagtail_internals as internals

# Distinct page paths of a studio's sites: a few hundred to a few thousand.
_MEMO_SIZE = 8192


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _reversed(
    urlconf: str, prefix: str, language: str | None, app: str | None, viewname: str, args: tuple, kwargs: tuple
) -> str | None:
    try:
        return reverse(viewname, args=args or None, kwargs=dict(kwargs) or None, urlconf=urlconf, current_app=app)
    except NoReverseMatch:
        return None


def reverse_memo(viewname: str, *args, current_app: str | None = None, **kwargs) -> str:
    """``reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)`` kept per process (the
    arguments hashable); Django's own error where it does not reverse."""
    found = _reversed(
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        translation.get_language(),
        current_app,
        viewname,
        args,
        tuple(sorted(kwargs.items())),
    )
    if found is None:
        return reverse(viewname, args=args or None, kwargs=kwargs or None, current_app=current_app)
    return found


def serve_path(relative_path: str) -> str | None:
    """``reverse("wagtail_serve", args=(relative_path,))``, or None where it does not reverse."""
    try:
        return reverse_memo("wagtail_serve", relative_path)
    except NoReverseMatch:
        return None


# What url_parts returns when Wagtail's own get_url_parts must decide.
ASK_WAGTAIL = object()


def url_parts(page, request=None):
    """``page.get_url_parts(request)`` as Wagtail's ``Page`` works it out, with :func:`serve_path`;
    :data:`ASK_WAGTAIL` where only Wagtail's own can tell (internationalisation on, or a page in
    several sites and a request to choose by)."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return ASK_WAGTAIL
    return _parts(page.url_path, internals.relevant_site_root_paths(page, request), request)


def _parts(url_path: str, possible_sites, request):
    if not possible_sites:
        return None
    site_id, root_path, root_url, _language = possible_sites[0]
    if isinstance(request, HttpRequest) and any(values[0] != site_id for values in possible_sites):
        return ASK_WAGTAIL
    page_path = serve_path(url_path[len(root_path) :])
    if page_path is None:
        return (site_id, None, None)
    if not WAGTAIL_APPEND_SLASH and page_path != "/":  # read once, as Wagtail reads it
        page_path = page_path.rstrip("/")
    return (site_id, root_url, page_path)


def _full(parts) -> str | None:
    if parts is None or parts[1] is None and parts[2] is None:
        return None
    return parts[1] + parts[2]


def path_full_url(url_path: str, request=None):
    """The full URL Wagtail's ``Page`` gives the page at ``url_path``, worked out from the path alone
    (no page made); :data:`ASK_WAGTAIL` where only a page of Wagtail's can tell."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return ASK_WAGTAIL
    sites = tuple(srp for srp in internals.site_root_paths(request) if url_path.startswith(srp.root_path))
    parts = _parts(url_path, sites, request)
    return ASK_WAGTAIL if parts is ASK_WAGTAIL else _full(parts)


# An id no object has, reversed in its place to find where an id goes in a URL.
_PLACEHOLDER_ID = 987_654_321_012_345


@functools.lru_cache(maxsize=256)
def _id_template(urlconf: str, prefix: str, language: str | None, viewname: str, kwarg: str | None) -> str | None:
    placeholder = _PLACEHOLDER_ID
    kwargs = {kwarg: placeholder} if kwarg else None
    try:
        url = reverse(viewname, args=None if kwarg else (placeholder,), kwargs=kwargs, urlconf=urlconf)
    except NoReverseMatch:
        return None  # a pattern the placeholder does not fit (a bounded number of digits): reverse each id
    return url if url.count(str(placeholder)) == 1 else None


def reverse_with_id(viewname: str, object_id: int, kwarg: str | None = None) -> str:
    """``reverse(viewname, args=(object_id,))`` (or ``kwargs={kwarg: object_id}``) for an integer id,
    reversed once per view and the rest filled in: an API listing links every item's detail URL."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), translation.get_language(), viewname, kwarg)
    template = _id_template(*key)
    if template is None or not isinstance(object_id, int) or object_id < 0:
        kwargs = {kwarg: object_id} if kwarg else None
        return reverse(viewname, args=None if kwarg else (object_id,), kwargs=kwargs)
    return template.replace(str(_PLACEHOLDER_ID), str(object_id))


class MemoizedPageUrls(internals.RootPathsOnRequest):
    """Wagtail's ``get_url_parts`` with :func:`serve_path` (the same URLs), and the site root paths
    read once per request even where no request is given."""

    def get_url_parts(self, request=None):
        parts = url_parts(self, request)
        return super().get_url_parts(request) if parts is ASK_WAGTAIL else parts
