"""Every page type opens, saves and previews in Wagtail's admin (catches broken panels and blocks).

Wagtail can scrape a simple edit form for its POST data, but StreamField and
InlinePanel widgets are built by JavaScript, so those pages get their form data
written out with wagtail.test.utils.form_data.
"""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def _common(page):
    return {"title": page.title, "slug": page.slug, "comments": inline_formset([])}


def _treatment_data(page):
    durations = [{"id": d.pk, "minutes": d.minutes, "price_minor": d.price_minor} for d in page.durations.all()]
    data = nested_form_data(
        {
            **_common(page),
            "summary": page.summary,
            "intensity": page.intensity,
            "technique": rich_text(page.technique),
            "who_it_helps": rich_text(page.who_it_helps),
            "contraindications": rich_text(page.contraindications),
            "durations": inline_formset(durations, initial=len(durations), min=1),
        }
    )
    data["topics"] = [str(pk) for pk in page.topics.values_list("pk", flat=True)]
    return data


def _standard_data(page):
    return nested_form_data(
        {
            **_common(page),
            "intro": page.intro,
            "body": streamfield(
                [
                    ("heading", {"text": "Our story", "level": "h2"}),
                    ("paragraph", rich_text("<p>Founded in 2019.</p>")),
                ]
            ),
        }
    )


def _article_data(page):
    data = nested_form_data(
        {
            **_common(page),
            "author": page.author,
            "date": page.date.isoformat(),
            "summary": page.summary,
            "body": streamfield(
                [
                    ("heading", {"text": "Why stretching helps", "level": "h2"}),
                    ("paragraph", rich_text("<p>Gently, every day.</p>")),
                    ("quote", {"text": "It works.", "attribution": ""}),
                    ("list", {"style": "ul", "items": streamfield_list(["One", "Two"])}),
                    ("faq", {"question": "How often?", "answer": rich_text("<p>Daily.</p>")}),
                ]
            ),
        }
    )
    data["topics"] = [str(pk) for pk in page.topics.values_list("pk", flat=True)]
    return data


def streamfield_list(items):
    """ListBlock form data: the same shape as a StreamField without block types."""
    data = {str(i): {"value": item, "deleted": "", "order": str(i)} for i, item in enumerate(items)}
    data["count"] = str(len(items))
    return data


# None: Wagtail scrapes the form data from the edit view itself.
FORM_DATA = {
    "home": None,
    "treatment_index": None,
    "blog_index": None,
    "deep_tissue": _treatment_data,
    "about": _standard_data,
    "sciatica_article": _article_data,
}


@pytest.mark.parametrize("attr", FORM_DATA)
def test_page_type_is_editable_and_previewable(site_tree, wagtail_asserts, attr):
    page = getattr(site_tree, attr)
    build = FORM_DATA[attr]
    post_data = build(page) if build else None
    wagtail_asserts.assertPageIsRenderable(page)
    wagtail_asserts.assertPageIsEditable(page, post_data=post_data)
    wagtail_asserts.assertPageIsPreviewable(page, post_data=post_data)
