"""Issue 12, item 4: no search input makes the site or the content API answer 500.

On SQLite, `/search/?q=%22`, `?q=%00` and `/api/v2/pages/?search=%22` raised inside
the FTS5 query; PostgreSQL's driver refuses NUL characters. Hypothesis throws quote
marks, control characters, FTS operators and arbitrary text at both entry points on
the configured database (SQLite, and PostgreSQL when DATABASE_URL points at one).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site.search import clean_query
from tests.conftest import SEARCH_WORD

pytestmark = pytest.mark.django_db

KNOWN_BAD = ['"', "\x00", 'a"b', '"unterminated', "sciatica\x00", '" OR "', "\\", "'", "*", "^", "NEAR(", "-", ":"]
FTS_PIECES = st.sampled_from(['"', "'", "*", "^", "(", ")", ":", "-", "+", "NEAR", "AND", "OR", "NOT", "\\", "\x00"])
QUERIES = st.lists(st.one_of(FTS_PIECES, st.text(max_size=8)), max_size=6).map(" ".join) | st.text(max_size=40)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("query", KNOWN_BAD)
def test_search_page_answers_known_bad_queries(site_tree, client, query):
    assert client.get("/search/", {"q": query}).status_code == 200


@pytest.mark.parametrize("query", KNOWN_BAD)
def test_content_api_answers_known_bad_queries(site_tree, client, query):
    assert client.get("/api/v2/pages/", {"search": query}).status_code == 200


@FUZZ
@given(query=QUERIES)
def test_search_page_never_fails(site_tree, client, query):
    assert client.get("/search/", {"q": query}).status_code == 200


@FUZZ
@given(query=QUERIES)
def test_content_api_search_never_fails(site_tree, client, query):
    response = client.get("/api/v2/pages/", {"search": query})
    assert response.status_code in (200, 400), response.content[:500]


def test_cleaning_keeps_real_searches_working(site_tree, client):
    response = client.get("/search/", {"q": f'"{SEARCH_WORD}"'})
    assert [page.specific for page in response.context["search_results"]] == [site_tree.sciatica_article]
    response = client.get("/api/v2/pages/", {"search": f'"{SEARCH_WORD}"'})
    assert [item["id"] for item in response.json()["items"]] == [site_tree.sciatica_article.pk]


def test_clean_query_strips_quotes_and_control_characters():
    assert clean_query('a"b\x00c\n d') == "a b c d"
    assert clean_query('"') == ""
