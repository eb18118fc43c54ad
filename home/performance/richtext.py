"""Internal page links in rich text, expanded with one query instead of two, compiled once.

Wagtail's ``PageLinkHandler`` loads the linked pages with ``.specific()``: the pages,
then each page type's table. A link needs only the page's URL, which the fields every
page has decide; ``specific_deferred`` gives each page its own type (whose URL methods
may differ) from the first query alone. The query is prepared (home/performance/prepared.py)
for each number of linked pages up to ``PREPARED_UP_TO``; a rich text linking more pages
(the API joins a whole listing's) builds it as usual. Registered through Wagtail's public
rich text feature hook, after Wagtail's own (home/wagtail_hooks.py).
"""

from __future__ import annotations

import functools

from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

from .prepared import PreparedQuery

PREPARED_UP_TO = 16


class PageLinkHandlerOneQuery(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list:
        ids = [attrs.get("id") for attrs in attrs_list]
        wanted = sorted({int(id_) for id_ in ids if str(id_).isdigit()})
        if len(wanted) <= PREPARED_UP_TO:
            found = _pages_by_id(len(wanted))(**{f"id{n}": pk for n, pk in enumerate(wanted)}) if wanted else []
        else:
            found = Page.objects.filter(id__in=wanted)
        pages = {str(page.pk): page.specific_deferred for page in found}
        return [pages.get(str(id_)) for id_ in ids]


@functools.cache
def _pages_by_id(count: int) -> PreparedQuery:
    return PreparedQuery(
        lambda **ids: Page.objects.filter(id__in=list(ids.values())),
        **{f"id{n}": int for n in range(count)},
    )


def register(features) -> None:
    features.register_link_type(PageLinkHandlerOneQuery)
