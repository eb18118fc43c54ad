"""A page's URL with Wagtail's serve pattern reversed once per path (home/performance/page_urls.py):
the same URLs as Wagtail's own ``Page.get_url_parts``, whatever the URLconf, script prefix or
slash setting, and Wagtail's own code where only it can choose."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import clear_script_prefix, set_script_prefix
from wagtail.models import Page, Site

from home.api.v2 import RequestPageHtmlUrlField
from home.factories import StandardPageFactory, paragraph
from home.performance import page_urls
from home.performance import wagtail_internals as internals
from home.performance.page_urls import ASK_WAGTAIL, MemoizedPageUrls


@pytest.fixture(autouse=True)
def fresh_memo():
    page_urls._reversed.cache_clear()
    page_urls._id_template.cache_clear()
    yield
    page_urls._reversed.cache_clear()
    page_urls._id_template.cache_clear()


def _pages(site_tree) -> list[Page]:
    return [page.specific for page in Page.objects.filter(depth__gt=1).order_by("path")]


def _wagtails(page, request=None):
    return Page.get_url_parts(page, request)  # Wagtail's own, past our mixin


def _assert_same_as_wagtails(site_tree, request=None):
    pages = _pages(site_tree)
    assert all(isinstance(page, MemoizedPageUrls) for page in pages)
    for page in pages:
        theirs = _wagtails(page, request)
        assert page.get_url_parts(request) == theirs, page.url_path
        assert page.get_full_url(request) == theirs[1] + theirs[2]
    return pages


def test_every_page_has_wagtails_url_with_and_without_a_request(site_tree, rf):
    request = rf.get("/", HTTP_HOST="localhost")
    pages = _assert_same_as_wagtails(site_tree, request)
    _assert_same_as_wagtails(site_tree)
    urls = {page.pk: page.get_url(request) for page in pages}
    assert urls[site_tree.home.pk] == "/"
    assert urls[site_tree.deep_tissue.pk] == f"/{site_tree.treatment_index.slug}/{site_tree.deep_tissue.slug}/"
    assert site_tree.about.specific.full_url == f"{site_tree.site.root_url}/{site_tree.about.slug}/"


def test_a_script_prefix_is_part_of_the_memo(site_tree):
    treatment = site_tree.deep_tissue.specific
    plain = treatment.get_url()
    set_script_prefix("/studio/")
    try:
        assert treatment.get_url_parts() == _wagtails(treatment)
        assert treatment.get_url() == "/studio" + plain
    finally:
        clear_script_prefix()
    assert treatment.get_url() == plain


def test_another_urlconf_is_part_of_the_memo(site_tree):
    treatment = site_tree.deep_tissue.specific
    plain = treatment.get_url()
    with override_settings(ROOT_URLCONF="tests.home.prefixed_urls"):
        assert treatment.get_url_parts() == _wagtails(treatment)
        assert treatment.get_url() == "/pages" + plain
    assert treatment.get_url() == plain


def test_without_wagtails_trailing_slash(site_tree, monkeypatch):
    import wagtail.models.pages

    monkeypatch.setattr(wagtail.models.pages, "WAGTAIL_APPEND_SLASH", False)
    monkeypatch.setattr(page_urls, "WAGTAIL_APPEND_SLASH", False)
    pages = _assert_same_as_wagtails(site_tree)
    assert {page.get_url() for page in pages if page.pk == site_tree.about.pk} == {f"/{site_tree.about.slug}"}
    assert site_tree.home.specific.get_url() == "/"


def test_the_serve_pattern_is_reversed_once_per_path(site_tree, rf, monkeypatch):
    calls = []
    original = page_urls.reverse
    monkeypatch.setattr(page_urls, "reverse", lambda *a, **kw: calls.append(a) or original(*a, **kw))
    request = rf.get("/", HTTP_HOST="localhost")
    pages = _pages(site_tree)
    first = [page.get_url(request) for page in pages]
    assert len(calls) == len(set(first))
    again = [page.get_url(rf.get("/", HTTP_HOST="localhost")) for page in _pages(site_tree)]
    assert again == first
    assert len(calls) == len(set(first))  # a new request, new instances: nothing reversed again


def test_wagtail_decides_with_internationalisation_on(site_tree, settings):
    settings.WAGTAIL_I18N_ENABLED = True
    treatment = site_tree.deep_tissue.specific
    assert page_urls.url_parts(treatment) is ASK_WAGTAIL
    assert treatment.get_url_parts() == _wagtails(treatment)


def test_wagtail_decides_for_a_page_in_two_sites(site_tree, rf):
    # A second site rooted at the treatment index: its pages are in both sites.
    Site.objects.create(hostname="treatments.example", port=80, root_page=site_tree.treatment_index)
    Site.clear_site_root_paths_cache()
    treatment = Page.objects.get(pk=site_tree.deep_tissue.pk).specific
    request = rf.get("/", HTTP_HOST="treatments.example")
    assert page_urls.url_parts(treatment, request) is ASK_WAGTAIL
    assert treatment.get_url_parts(request) == _wagtails(treatment, request)
    assert treatment.get_full_url(request) == f"http://treatments.example/{site_tree.deep_tissue.slug}/"
    # With no request to choose by, the first site, as Wagtail picks it.
    assert page_urls.url_parts(treatment) == _wagtails(treatment)


def test_a_pages_full_url_from_its_path_alone(site_tree, rf):
    request = rf.get("/", HTTP_HOST="localhost")
    for page in Page.objects.filter(depth__gt=1):
        assert type(page) is Page
        assert page_urls.path_full_url(page.url_path, request) == page.get_full_url(request)
        assert page_urls.path_full_url(page.url_path) == page.get_full_url()


def test_the_api_html_url_reads_the_site_root_paths_once_per_request(site_tree, rf, monkeypatch):
    reads = []
    original = Site.get_site_root_paths
    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(lambda: reads.append(1) or original()))
    request = rf.get("/api/v2/pages/", HTTP_HOST="localhost")
    field = RequestPageHtmlUrlField(read_only=True)
    field._context = {"request": request}
    pages = _pages(site_tree)
    assert [field.to_representation(page) for page in pages] == [page.full_url for page in pages]
    reads.clear()
    for page in _pages(site_tree):
        field.to_representation(page)
    assert len(reads) <= 1


def test_an_id_goes_where_reverse_puts_it(site_tree):
    from django.urls import reverse

    for object_id in (0, 7, 42, 1_000_000):
        assert page_urls.reverse_with_id("wagtailapi_v2:pages:detail", object_id) == reverse(
            "wagtailapi_v2:pages:detail", args=(object_id,)
        )
        assert page_urls.reverse_with_id("wagtailapi_v3:detail_page", object_id, kwarg="page_id") == reverse(
            "wagtailapi_v3:detail_page", kwargs={"page_id": object_id}
        )
    set_script_prefix("/studio/")
    try:
        assert page_urls.reverse_with_id("wagtailapi_v2:pages:detail", 5) == "/studio/api/v2/pages/5/"
    finally:
        clear_script_prefix()
    assert page_urls.reverse_with_id("wagtailapi_v2:pages:detail", 5) == "/api/v2/pages/5/"


def test_the_v2_listing_reverses_each_endpoints_detail_url_once(site_tree, client, monkeypatch):
    from django.urls import reverse

    calls = []
    original = page_urls.reverse
    monkeypatch.setattr(page_urls, "reverse", lambda *a, **kw: calls.append(a) or original(*a, **kw))
    response = client.get("/api/v2/pages/?type=blog.ArticlePage&fields=*", HTTP_HOST="localhost")
    items = response.json()["items"]
    assert len(items) >= 2
    for item in items:
        path = reverse("wagtailapi_v2:pages:detail", args=(item["id"],))
        assert item["meta"]["detail_url"].endswith(path) and path.endswith(f"/{item['id']}/")
    assert [name for (name, *_rest) in calls].count("wagtailapi_v2:pages:detail") == 1


def test_a_shop_offer_url_is_reversed_once(site_tree, monkeypatch):
    from django.urls import reverse

    from tests.packages.conftest import build_shop

    shop = build_shop(site_tree)
    offers = [value for value in vars(shop).values() if hasattr(value, "kind") and hasattr(value, "slug")]
    assert offers
    calls = []
    original = page_urls.reverse
    monkeypatch.setattr(page_urls, "reverse", lambda *a, **kw: calls.append(a) or original(*a, **kw))
    for offer in offers * 2:
        assert offer.get_absolute_url() == reverse("shop:offer", kwargs={"kind": offer.kind, "slug": offer.slug})
    assert len(calls) == len(offers)


def test_a_pattern_the_placeholder_does_not_fit_is_reversed_per_id(monkeypatch):
    from django.urls import NoReverseMatch

    real = page_urls.reverse

    def bounded(viewname, args=None, kwargs=None, urlconf=None):
        value = (args or [None])[0] if args else (kwargs or {}).get("pk")
        if value is not None and len(str(value)) > 6:
            raise NoReverseMatch("at most six digits")
        return real(viewname, args=args, kwargs=kwargs, urlconf=urlconf)

    monkeypatch.setattr(page_urls, "reverse", bounded)
    assert page_urls.reverse_with_id("wagtailapi_v2:pages:detail", 42) == real("wagtailapi_v2:pages:detail", args=(42,))


def _counting_root_paths(monkeypatch) -> list:
    reads = []
    original = Site.get_site_root_paths
    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(lambda: reads.append(1) or original()))
    return reads


def test_pages_asked_without_a_request_read_the_root_paths_once_per_request(site_tree, rf, monkeypatch):
    """wagtail_internals.RootPathsOnRequest: a rich text link's page, or an API's linked page, is
    asked for its URL with no request; Wagtail would read the root paths from the cache for each."""
    reads = _counting_root_paths(monkeypatch)
    expected = {page.pk: (page.get_url(), page.get_full_url()) for page in _pages(site_tree)}
    assert len(reads) == len(expected)  # Wagtail's own: once per page made
    reads.clear()
    request = rf.get("/", HTTP_HOST="localhost")
    with internals.serving(request):
        found = {page.pk: (page.get_url(), page.get_full_url()) for page in _pages(site_tree)}
    assert found == expected
    assert len(reads) == 1
    # Outside a request, each page keeps its own again.
    reads.clear()
    for page in _pages(site_tree)[:2]:
        page.get_url()
    assert len(reads) == 2


def test_a_request_being_served_does_not_choose_the_site_of_a_page_asked_without_one(site_tree, rf):
    # Two sites: a request-less URL stays the full one (Wagtail's current site comes only from a given request).
    other = Site.objects.create(hostname="other.example", port=80, root_page=site_tree.about)
    Site.clear_site_root_paths_cache()
    treatment = Page.objects.get(pk=site_tree.deep_tissue.pk).specific
    expected = Page.objects.get(pk=site_tree.deep_tissue.pk).specific.get_url()
    assert expected.startswith("http")
    with internals.serving(rf.get("/", HTTP_HOST="localhost")):
        assert treatment.get_url() == expected
    assert other.root_page_id == site_tree.about.pk


def test_a_page_with_rich_text_links_reads_the_root_paths_once(client, site_tree, settings, monkeypatch):
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    targets = [site_tree.deep_tissue, site_tree.sciatica_article, site_tree.treatment_index]
    links = "".join(f'<a linktype="page" id="{page.pk}">{page.title}</a> ' for page in targets)
    page = StandardPageFactory(parent=site_tree.home, slug="reading", body=[paragraph(f"<p>{links}</p>")])
    expected = [f'<a href="{target.url}">{target.title}</a>' for target in targets]
    assert client.get(page.url).status_code == 200
    reads = _counting_root_paths(monkeypatch)
    html = client.get(page.url).content.decode()
    assert len(reads) == 1
    assert all(link in html for link in expected)
