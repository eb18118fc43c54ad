"""A relation read as it was given to the instance (home/performance/prepared.py ``given``, the
``related`` template filter): the objects ``prefetch_related`` or a folded column left, without
making the relation's manager; a page holding unsaved children (a preview) asks its manager."""

from __future__ import annotations

from django.db import connection
from django.db.models import prefetch_related_objects
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from blog.models import ArticlePage
from home.models import TreatmentPage
from home.performance import queries
from home.performance.prepared import given


class NoManager:
    """Stands for a relation descriptor: reading the manager fails the test."""

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        raise AssertionError("the relation's manager was made")


def test_prefetched_objects_are_read_without_the_manager(site_tree, monkeypatch):
    article = ArticlePage.objects.get(pk=site_tree.sciatica_article.pk)
    prefetch_related_objects([article], "topics")
    expected = list(article.topics.all())
    assert expected
    monkeypatch.setattr(ArticlePage, "topics", NoManager())
    with CaptureQueriesContext(connection) as ctx:
        assert given(article, "topics") == expected
    assert len(ctx) == 0


def test_folded_objects_and_child_relations_are_read_without_the_manager(site_tree, monkeypatch):
    treatment = (
        TreatmentPage.objects.filter(pk=site_tree.deep_tissue.pk)
        .annotate(**queries.folded(TreatmentPage, "durations").column())
        .get()
    )
    queries.folded(TreatmentPage, "durations").give(treatment)
    expected = list(treatment.durations.all())
    assert expected
    monkeypatch.setattr(TreatmentPage, "durations", NoManager())
    assert given(treatment, "durations") == expected
    assert treatment.lowest_price == min(expected, key=lambda d: d.price_minor)


def test_without_objects_given_it_reads_them_as_the_manager_does(site_tree):
    article = ArticlePage.objects.get(pk=site_tree.sciatica_article.pk)
    with CaptureQueriesContext(connection) as ctx:
        topics = given(article, "topics")
    assert topics == list(ArticlePage.objects.get(pk=article.pk).topics.all()) and topics
    assert len(ctx) == 1


def test_a_preview_reads_its_unsaved_topics(site_tree):
    article = ArticlePage.objects.get(pk=site_tree.sciatica_article.pk)
    prefetch_related_objects([article], "topics")
    assert site_tree.piriformis not in given(article, "topics")
    article.topics = [site_tree.piriformis]  # an edit not saved yet, as a preview holds it
    assert given(article, "topics") == [site_tree.piriformis]


def test_the_card_template_shows_the_given_topics_without_a_query(site_tree):
    article = ArticlePage.objects.get(pk=site_tree.sciatica_article.pk)
    prefetch_related_objects([article], "topics", "hero_image")
    template = Template('{% include "includes/article_card.html" with article=article show_topics=True %}')
    with CaptureQueriesContext(connection) as ctx:
        html = template.render(Context({"article": article}))
    assert all("topic" not in query["sql"] for query in ctx.captured_queries), ctx.captured_queries
    for topic in article.topics.all():
        assert f'<span class="tag">{topic.name}</span>' in html
