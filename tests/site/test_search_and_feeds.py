"""Search, sitemap, feeds and robots.txt: how people and crawlers find the content."""

import datetime
import xml.etree.ElementTree as ET

from django.db import connection
from django.template.loader import render_to_string
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from blog.factories import ArticlePageFactory
from home.factories import paragraph
from home.performance import views
from tests.conftest import SEARCH_WORD

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}


def test_search_finds_the_article_by_a_word_in_its_body(site_tree, client):
    response = client.get("/search/", {"q": SEARCH_WORD})
    assert response.status_code == 200
    assert [page.specific for page in response.context["search_results"]] == [site_tree.sciatica_article]
    assertContains(response, site_tree.sciatica_article.title)
    assertContains(response, site_tree.sciatica_article.url)


def test_search_indexes_on_publish(site_tree, client):
    # Wagtail 8 queues index updates as tasks; the test settings run them immediately.
    article = ArticlePageFactory(
        parent=site_tree.blog_index,
        title="Foam rolling basics",
        body=[paragraph("<p>Roll slowly over the quadratus lumborum.</p>")],
        live=False,
    )
    assert client.get("/search/", {"q": "lumborum"}).context["search_results"].paginator.count == 0
    article.save_revision().publish()
    results = client.get("/search/", {"q": "lumborum"}).context["search_results"]
    assert [page.specific for page in results] == [article]


def test_search_hides_drafts_and_private_pages(site_tree, client):
    response = client.get("/search/", {"q": "sciatica"})
    titles = {page.title for page in response.context["search_results"]}
    assert site_tree.sciatica_article.title in titles
    assert site_tree.draft_article.title not in titles
    assert site_tree.private_article.title not in titles


def test_search_without_query_and_with_no_match(site_tree, client):
    assert client.get("/search/").status_code == 200
    response = client.get("/search/", {"q": "xylophonist"})
    assert response.status_code == 200
    assert response.context["search_results"].paginator.count == 0


def test_sitemap_lists_live_public_pages(site_tree, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = {loc.text for loc in ET.fromstring(response.content).findall("sm:url/sm:loc", SITEMAP_NS)}
    expected = {page.get_full_url() for page in site_tree.live_public_pages}
    assert expected <= locations
    assert site_tree.draft_article.get_full_url() not in locations
    assert site_tree.private_article.get_full_url() not in locations


def test_the_sitemap_is_wagtails_own_from_two_queries(site_tree, client, settings, rf):
    """home/performance/views.py reads every page as its own type from the page table alone:
    the same XML as Wagtail's sitemap (one query per page type), in two queries."""
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    request = rf.get("/sitemap.xml", HTTP_HOST="localhost")
    wagtails = wagtail_sitemap(request)
    wagtails.render()
    with CaptureQueriesContext(connection) as ctx:
        ours = client.get("/sitemap.xml", HTTP_HOST="localhost")
    assert ours.status_code == 200
    assert ours.content == wagtails.content
    assert len(ET.fromstring(ours.content).findall("sm:url", SITEMAP_NS)) == len(site_tree.live_public_pages)
    # The Site (with the restricted paths), the page count, the pages.
    assert len(ctx.captured_queries) == 3, [q["sql"][:80] for q in ctx.captured_queries]


def test_the_sitemap_makes_no_page_instance(site_tree, client, settings, monkeypatch):
    """Each entry comes from the page's row (its path and dates): no Page is made for it."""
    from wagtail.models import Page

    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/", HTTP_HOST="localhost")  # the Site and its root, read once
    made = []
    original = Page.from_db.__func__
    monkeypatch.setattr(Page, "from_db", classmethod(lambda cls, *a: made.append(cls) or original(cls, *a)))
    response = client.get("/sitemap.xml", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert len(ET.fromstring(response.content).findall("sm:url", SITEMAP_NS)) == len(site_tree.live_public_pages)
    assert made == []


def test_a_sitemap_of_a_site_sharing_pages_with_another_is_wagtails(site_tree, client, settings, rf):
    """Pages in two sites: Wagtail chooses each URL by the request, so the sitemap asks it."""
    from wagtail.models import Site

    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "treatments.example"]
    Site.objects.create(hostname="treatments.example", port=80, root_page=site_tree.treatment_index)
    Site.clear_site_root_paths_cache()
    for host in ("treatments.example", "localhost"):
        request = rf.get("/sitemap.xml", HTTP_HOST=host)
        wagtails = wagtail_sitemap(request)
        wagtails.render()
        ours = client.get("/sitemap.xml", HTTP_HOST=host)
        assert ours.status_code == 200
        assert ours.content == wagtails.content, host
    assert b"http://treatments.example/" in client.get("/sitemap.xml", HTTP_HOST="treatments.example").content


def test_rss_feed_lists_live_articles(site_tree, client):
    response = client.get("/feeds/articles.rss")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(response.content).findall("channel/item")
    assert [item.findtext("title") for item in items] == [
        site_tree.sciatica_article.title,
        site_tree.piriformis_article.title,
    ]
    assert items[0].findtext("link").endswith(site_tree.sciatica_article.url)
    assert items[0].findtext("description") == site_tree.sciatica_article.summary
    assert [c.text for c in items[0].findall("category")] == ["Sciatica"]
    assertNotContains(response, site_tree.draft_article.title)
    assertNotContains(response, site_tree.private_article.title)


def test_atom_feed_lists_live_articles(site_tree, client):
    response = client.get("/feeds/articles.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert "Runway Massage Studio" in feed.findtext("atom:title", namespaces=ATOM_NS)
    entries = feed.findall("atom:entry", ATOM_NS)
    assert [entry.findtext("atom:title", namespaces=ATOM_NS) for entry in entries] == [
        site_tree.sciatica_article.title,
        site_tree.piriformis_article.title,
    ]
    assert entries[0].findtext("atom:author/atom:name", namespaces=ATOM_NS) == "Dana Reyes"


def test_robots_txt_links_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_pages_link_the_feeds(site_tree, client):
    response = client.get(site_tree.blog_index.url)
    assertContains(response, 'type="application/rss+xml"')
    assertContains(response, 'href="/feeds/articles.atom"')


def test_the_sitemap_xml_is_written_without_rendering_djangos_template(site_tree, client, settings):
    """home/performance/views.py ``urlset_xml``: the bytes Django's ``sitemap.xml`` renders, with
    what a page's entry may hold (dates in the current time zone, changefreq, priority, alternates,
    characters to escape), without rendering the template (half the uncached sitemap's time)."""
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    settings.TIME_ZONE = "America/New_York"
    late = datetime.datetime(2026, 3, 2, 2, 30, tzinfo=datetime.UTC)  # 1 March in New York
    urls = [
        {"location": "https://example.com/a?x=1&y=<2>", "lastmod": late},
        {"location": "https://example.com/b/", "lastmod": datetime.date(2026, 1, 9), "changefreq": "weekly"},
        {
            "location": "https://example.com/c/",
            "lastmod": None,
            "priority": "0.5",
            "alternates": [{"lang_code": "de", "location": "https://example.com/de/c/"}],
        },
        {"location": "https://example.com/d/", "changefreq": "", "priority": ""},
    ]
    with timezone.override("America/New_York"):
        assert views.urlset_xml(urls) == render_to_string("sitemap.xml", {"urlset": urls})
    assert views._template_is_djangos()

    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        response = client.get("/sitemap.xml", HTTP_HOST="localhost")
    finally:
        template_rendered.disconnect(record)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert "sitemap.xml" not in rendered
    assert len(ET.fromstring(response.content).findall("sm:url", SITEMAP_NS)) == len(site_tree.live_public_pages)
