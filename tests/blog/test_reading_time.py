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
