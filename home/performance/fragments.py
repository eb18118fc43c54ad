"""``{% contentcache "name" %}…{% endcontentcache %}``: Wagtail's ``{% wagtailpagecache %}`` plus the generation.

Wagtail's page fragment cache keys a fragment by the page's own state
(``page.cache_key``) and the Site, and renders afresh in previews. A page's main
content also shows other pages (cards, related treatments, offers, the disclaimer), so
the key here adds the content generation (home/performance/generation.py, bumped by any
publish, offer or settings change) and the full path (page numbers, topics and query
strings each get their own entry). Rendered afresh for signed-in users, for other
methods than GET/HEAD, outside Wagtail pages (no ``page`` in the context: the shop)
unless the view says its answer depends on its URL and the content alone
(``BY_URL`` in its context, as search does: keyed by the generation and full URL), and
when ``CONTENT_CACHE_SECONDS`` is 0. Never wrap CSRF tokens, CSP nonces, messages or
anything that differs per visitor in it.

Registered in home/templatetags/site_tags.py, so the templates keep ``{% load site_tags %}``.
"""

from __future__ import annotations

from django import template
from wagtail.models import PAGE_TEMPLATE_VAR
from wagtail.templatetags.wagtail_cache import WagtailCacheNode, WagtailPageCacheNode

from . import generation

_SECONDS = "contentcache_seconds"
_GENERATION = "contentcache_generation"
_URL = "contentcache_url"
# A view outside Wagtail's pages whose answer depends only on its URL and the content (search) puts
# this in its context as True: its fragments are then cached, keyed without a page.
BY_URL = "contentcache_by_url"


class ContentCacheNode(WagtailPageCacheNode):
    def __init__(self, nodelist, expire_time_var, fragment_name, vary_on, cache_name):
        # The same fragment keyed by the generation and URL only, for views that set BY_URL
        # (Wagtail's page node adds the page and the Site to its own copy of vary_on).
        self.by_url = WagtailCacheNode(nodelist, expire_time_var, fragment_name, list(vary_on), cache_name)
        super().__init__(nodelist, expire_time_var, fragment_name, vary_on, cache_name)

    def render(self, context):
        request = context.get("request")
        seconds = generation.content_timeout()
        on_page = context.get(PAGE_TEMPLATE_VAR) is not None
        if (
            seconds <= 0
            or request is None
            or not (on_page or context.get(BY_URL) is True)  # the shop: always fresh
            or request.method not in ("GET", "HEAD")
            or getattr(getattr(request, "user", None), "is_authenticated", False)
        ):
            return self.nodelist.render(context)
        values = {
            _SECONDS: seconds,
            _GENERATION: generation.generation(request),
            _URL: f"{request.get_host()}{request.get_full_path()}",
        }
        with context.push(values):
            return super().render(context) if on_page else self.by_url.render(context)


def contentcache(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Usage: {% contentcache "name" %}…{% endcontentcache %}')
    nodelist = parser.parse(("endcontentcache",))
    parser.delete_first_token()
    vary_on = [parser.compile_filter(_GENERATION), parser.compile_filter(_URL)]
    return ContentCacheNode(nodelist, parser.compile_filter(_SECONDS), bits[1][1:-1], vary_on, None)
