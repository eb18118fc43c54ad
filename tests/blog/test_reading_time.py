"""An article's reading time counts the words Wagtail's search indexing sees, without its HTML parser."""

from __future__ import annotations

from home.factories import (
    ImageFactory,
    bullet_list,
    callout,
    figure,
    heading,
    paragraph,
    quote,
    recommended_treatment,
)
from home.performance import text


def wagtails_words(body) -> int:
    return len(" ".join(body.stream_block.get_searchable_content(body)).split())


def test_word_count_matches_wagtails_searchable_content(site_tree, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    article = site_tree.sciatica_article
    article.body = [
        heading("Why it helps"),
        paragraph("<p>Gentle <b>regular</b> work on the glu<i>tes</i>&nbsp;helps &amp; eases.</p><p>Two</p>"),
        paragraph('<p>A <a linktype="page" id="1">link</a> and a line<br/>break</p><ul><li>one</li><li>two</li></ul>'),
        bullet_list(["first item", "second <b>item</b>"]),
        quote("Loosen up, then strengthen.", attribution="A therapist"),
        callout("See your doctor", "<h3>First</h3><blockquote>always</blockquote>", kind="doctor"),
        recommended_treatment(site_tree.deep_tissue, text="A good start."),
        figure(ImageFactory(), caption="The stretch, step by step"),  # ImageBlock: a StructBlock valued as an image
    ]
    article.save()
    article.refresh_from_db()
    assert text.word_count(article.body) == wagtails_words(article.body) > 20


def test_every_article_of_the_tree_reads_the_same(site_tree):
    from blog.models import ArticlePage

    for article in ArticlePage.objects.all():
        assert text.word_count(article.body) == wagtails_words(article.body), article.slug
        assert article.reading_minutes == max(1, round(wagtails_words(article.body) / 220))


def test_the_count_is_stored_with_the_body_and_read_without_counting(site_tree, monkeypatch):
    from blog.models import ArticlePage

    article = site_tree.sciatica_article
    article.body = [paragraph("<p>" + " ".join(["word"] * 500) + "</p>")]
    article.save()
    stored = ArticlePage.objects.get(pk=article.pk)
    assert stored.body_words == 500 == wagtails_words(stored.body)

    article.body = [paragraph("<p>" + " ".join(["word"] * 900) + "</p>")]
    article.save(update_fields=["body"])  # the count goes with the body, even when only it is saved
    stored = ArticlePage.objects.get(pk=article.pk)
    assert stored.body_words == 900

    def no_counting(_body):
        raise AssertionError("counted on read")

    monkeypatch.setattr(text, "word_count", no_counting)
    assert stored.reading_minutes == round(900 / 220)


def test_a_draft_and_its_preview_read_their_own_count(site_tree):
    article = site_tree.sciatica_article
    live_words = article.body_words
    article.body = [paragraph("<p>" + " ".join(["draft"] * 700) + "</p>")]
    revision = article.save_revision()  # validates the page (full_clean), as the editor's form does

    draft = revision.as_object()
    assert draft.body_words == 700 and draft.reading_minutes == 3
    assert type(article).objects.get(pk=article.pk).body_words == live_words  # the live page keeps its own


def test_an_uncounted_article_is_counted_when_read_and_by_the_migration(site_tree):
    import importlib

    from django.apps import apps

    from blog.models import ArticlePage

    article = site_tree.sciatica_article
    ArticlePage.objects.filter(pk=article.pk).update(body_words=None)  # as before the field existed
    uncounted = ArticlePage.objects.get(pk=article.pk)
    assert uncounted.reading_minutes == max(1, round(wagtails_words(uncounted.body) / 220))

    migration = importlib.import_module("blog.migrations.0004_article_body_words")
    migration.count_words(apps, None)
    assert ArticlePage.objects.get(pk=article.pk).body_words == wagtails_words(uncounted.body)
