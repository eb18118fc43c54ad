"""Internal page links in rich text, expanded with one query instead of two.

Wagtail's ``PageLinkHandler`` loads the linked pages with ``.specific()``: the pages,
then each page type's table. A link needs only the page's URL, which the fields every
page has decide; ``specific(defer=True)`` gives each page its own type (whose URL
methods may differ) from the first query alone. Registered through Wagtail's public
rich text feature hook, after Wagtail's own (home/wagtail_hooks.py).
"""

from __future__ import annotations

from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler


class PageLinkHandlerOneQuery(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list:
        ids = [attrs.get("id") for attrs in attrs_list]
        pages = {str(page.pk): page for page in Page.objects.filter(id__in=ids).specific(defer=True)}
        return [pages.get(str(id_)) for id_ in ids]


def register(features) -> None:
    features.register_link_type(PageLinkHandlerOneQuery)
