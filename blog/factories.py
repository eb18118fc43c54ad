"""Factories for the journal: the articles index and articles (see home/factories.py for block helpers)."""

from __future__ import annotations

import factory
import wagtail_factories
from django.utils import timezone

from home.factories import default_body

from .models import ArticlePage, BlogIndexPage


class BlogIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = BlogIndexPage

    title = "Articles"
    intro = "<p>Notes from our therapists on back pain, sciatica and staying mobile.</p>"


class ArticlePageFactory(wagtail_factories.PageFactory):
    """An article dated today, by the studio, with a two-block body; pass ``parent=`` a BlogIndexPage."""

    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Article {n}")
    author = "Runway Massage Studio"
    date = factory.LazyFunction(timezone.localdate)
    summary = "What helps, what doesn't, and when to see a doctor first."
    body = factory.LazyFunction(default_body)
