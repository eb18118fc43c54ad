"""The journal: the article index, articles with every body block, topic listings, pagination."""

import datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from blog.factories import ArticlePageFactory
from blog.models import ARTICLES_PER_PAGE
from tests.conftest import CALLOUT_TITLE, DISCLAIMER, FAQ_QUESTION, QUOTE_TEXT, SEARCH_WORD


def test_article_page_renders_every_body_block(site_tree, client):
    article = site_tree.sciatica_article
    response = client.get(article.url)
    assert response.status_code == 200
    assertContains(response, f"<h1>{article.title}</h1>", html=True)
    assertContains(response, "By Dana Reyes")
    assertContains(response, "March 2, 2026")
    assertContains(response, article.summary)
    assertContains(response, '<h2 id="why-stretching-helps">Why stretching helps</h2>', html=True)  # heading
    assertContains(response, SEARCH_WORD)  # paragraph
    assertContains(response, "<li>Figure four</li>", html=True)  # list
    assertContains(response, CALLOUT_TITLE)  # callout
    assertContains(response, FAQ_QUESTION)  # faq
    assertContains(response, QUOTE_TEXT)  # quote
    assertContains(response, "Loosens the piriformis.")  # recommended treatment…
    assertContains(response, site_tree.deep_tissue.url)  # …linking to the treatment
    assertContains(response, DISCLAIMER)


def test_article_page_lists_treatments_sharing_a_topic(site_tree, client):
    response = client.get(site_tree.piriformis_article.url)
    assert list(response.context["related_treatments"]) == [site_tree.deep_tissue]
    assertContains(response, site_tree.deep_tissue.title)
    assertNotContains(response, site_tree.swedish.title)


def test_blog_index_lists_only_live_public_articles_newest_first(site_tree, client):
    response = client.get(site_tree.blog_index.url)
    assert response.status_code == 200
    assert list(response.context["articles"]) == [site_tree.sciatica_article, site_tree.piriformis_article]
    assertContains(response, site_tree.sciatica_article.title)
    assertContains(response, site_tree.piriformis_article.title)
    assertNotContains(response, site_tree.draft_article.title)
    assertNotContains(response, site_tree.private_article.title)
    # Topic filter links to the topic routes.
    assertContains(response, site_tree.blog_index.url + "topic/sciatica/")


def test_draft_article_is_not_served_and_private_article_asks_for_a_password(site_tree, client):
    assert client.get("/articles/unfinished-draft/").status_code == 404
    response = client.get(site_tree.private_article.url)
    assertNotContains(response, site_tree.private_article.summary, status_code=response.status_code)
    assertContains(response, 'type="password"', status_code=response.status_code)


def test_topic_listing_shows_its_articles_and_treatments(site_tree, client):
    response = client.get("/articles/topic/sciatica/")
    assert response.status_code == 200
    assert response.context["topic"] == site_tree.sciatica
    assertContains(response, "<h1>Sciatica</h1>", html=True)
    assertContains(response, site_tree.sciatica_article.title)
    assertContains(response, site_tree.deep_tissue.title)  # a treatment tagged with the topic
    assertNotContains(response, site_tree.piriformis_article.title)  # another topic
    assertNotContains(response, site_tree.swedish.title)
    assertNotContains(response, site_tree.draft_article.title)
    assertNotContains(response, site_tree.private_article.title)


def test_topic_listing_hides_unpublished_treatments(site_tree, client):
    site_tree.deep_tissue.unpublish()
    response = client.get("/articles/topic/sciatica/")
    assertNotContains(response, site_tree.deep_tissue.title)


def test_unknown_topic_is_404(site_tree, client):
    assert client.get("/articles/topic/no-such-topic/").status_code == 404


@pytest.fixture
def many_articles(site_tree):
    """Enough sciatica articles for two pages of the index and of the topic listing."""
    start = datetime.date(2025, 1, 1)
    for n in range(ARTICLES_PER_PAGE):
        ArticlePageFactory(
            parent=site_tree.blog_index,
            title=f"Sciatica note {n}",
            date=start + datetime.timedelta(days=n),
            topics=[site_tree.sciatica],
        )
    return site_tree


@pytest.mark.parametrize("path", ["/articles/", "/articles/topic/sciatica/"])
def test_listing_pagination(many_articles, client, path):
    first = client.get(path)
    assert first.status_code == 200
    assert len(first.context["articles"]) == ARTICLES_PER_PAGE
    assertContains(first, 'rel="next"')

    second = client.get(path, {"page": 2})
    assert second.status_code == 200
    assert second.context["articles"].number == 2
    assert len(second.context["articles"]) >= 1
    assertContains(second, 'rel="prev"')

    assert client.get(path, {"page": 3}).status_code == 404
    assert client.get(path, {"page": 999}).status_code == 404
    assert client.get(path, {"page": "not-a-number"}).status_code == 200  # falls back to page 1


def test_a_page_of_cards_is_the_listings_own_slice(many_articles, client, rf):
    # The journal's and a topic's cards come from a prepared query (home/selectors.py): the same
    # articles, in the same order, as the listing's queryset, for every page, with or without a
    # topic, and without the restricted article.
    from home import selectors
    from home.performance import wagtail_internals as internals

    tree = many_articles
    request = rf.get("/articles/", HTTP_HOST="localhost")
    internals.set_request_site(request, tree.site)
    index = tree.blog_index.specific
    for topic in (None, tree.sciatica, tree.piriformis):
        expected = list(index.articles(request, topic))
        assert tree.private_article.pk not in [article.pk for article in expected]
        for start, stop in ((0, ARTICLES_PER_PAGE), (ARTICLES_PER_PAGE, 2 * ARTICLES_PER_PAGE), (3, 5)):
            page = selectors.articles_under(index, request, start, stop, topic.pk if topic else None)
            assert [article.pk for article in page] == [article.pk for article in expected[start:stop]], (topic, start)
            assert all("body" in article.get_deferred_fields() for article in page)
