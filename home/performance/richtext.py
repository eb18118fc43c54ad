"""Internal page links in rich text, expanded with one query instead of two, compiled once.

Wagtail's ``PageLinkHandler`` loads the linked pages with ``.specific()``: the pages,
then each page type's table. A link needs only the page's URL, which the fields every
page has decide; ``specific_deferred`` gives each page its own type (whose URL methods
may differ) from the first query alone. The query is prepared (home/performance/prepared.py)
for each number of linked pages up to 16; a rich text linking more pages
(the API joins a whole listing's) builds it as usual. Registered through Wagtail's public
rich text feature hook, after Wagtail's own (home/wagtail_hooks.py).

A link to a page the request has loaded already (the nav's sections, the site's root page:
known.py) needs no query at all.
"""

from __future__ import annotations

from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

from . import known
from .prepared import PreparedIdsQuery


class PageLinkHandlerOneQuery(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list:
        ids = [attrs.get("id") for attrs in attrs_list]
        wanted = {int(id_) for id_ in ids if str(id_).isdigit()}
        loaded = known.pages()
        pages = {str(pk): loaded[pk] for pk in wanted if pk in loaded}
        missing = sorted(pk for pk in wanted if pk not in loaded)
        pages.update((str(page.pk), page.specific_deferred) for page in (_PAGES_BY_ID(missing) if missing else ()))
        return [pages.get(str(id_)) for id_ in ids]


_PAGES_BY_ID = PreparedIdsQuery(lambda ids: Page.objects.filter(id__in=ids))


def register(features) -> None:
    features.register_link_type(PageLinkHandlerOneQuery)
