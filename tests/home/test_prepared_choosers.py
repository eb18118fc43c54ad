"""Chooser blocks converted by a prepared query (home/blocks.py ``PreparedChooserMixin``).

A page's figures and recommended treatments are converted all at once (``bulk_to_python``);
Wagtail reads them with ``in_bulk``, a query built and compiled every time. Ours answer as
Wagtail's blocks do, and are stored and migrated as Wagtail's own blocks.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import blocks as wagtail_blocks
from wagtail.images.blocks import ImageBlock, ImageChooserBlock

from home import blocks
from home.factories import ImageFactory, TreatmentPageFactory


def test_the_same_answer_as_wagtails_chooser(site_tree, settings, tmp_path, django_assert_num_queries):
    settings.MEDIA_ROOT = str(tmp_path)
    theirs = wagtail_blocks.PageChooserBlock(page_type="home.TreatmentPage")
    ours = blocks.PageChooserBlock(page_type="home.TreatmentPage")
    deep, swedish = site_tree.deep_tissue.pk, site_tree.swedish.pk
    values = [swedish, None, deep, swedish, 999_999]  # order kept, None and a missing page as None

    expected = theirs.bulk_to_python(values)
    with django_assert_num_queries(1):
        found = ours.bulk_to_python(values)

    assert [p and (type(p), p.pk) for p in found] == [p and (type(p), p.pk) for p in expected]
    assert found[0] is not found[3]  # chosen twice: two objects, as Wagtail gives
    image = ImageFactory()
    assert blocks.PreparedImageChooserBlock().bulk_to_python([image.pk]) == [image]
    with django_assert_num_queries(0):
        assert ours.bulk_to_python([]) == [] and ours.bulk_to_python([None]) == [None]


def test_more_ids_than_prepared_or_other_values_go_wagtails_way(site_tree, monkeypatch):
    ours = blocks.PageChooserBlock(page_type="home.TreatmentPage")
    extra = [TreatmentPageFactory(parent=site_tree.treatment_index, title=f"Extra {n}").pk for n in range(3)]
    monkeypatch.setattr(ours.prepared_query(), "up_to", 2)
    with CaptureQueriesContext(connection) as ctx:
        found = ours.bulk_to_python(extra)
    assert [page.pk for page in found] == extra
    assert len(ctx.captured_queries) == 1
    theirs = wagtail_blocks.PageChooserBlock(page_type="home.TreatmentPage")
    text = [str(extra[0])]  # not an id as stored: whatever Wagtail makes of it
    assert ours.bulk_to_python(text) == theirs.bulk_to_python(text)


def test_stored_and_migrated_as_wagtails_own_blocks():
    assert blocks.PageChooserBlock(page_type="home.TreatmentPage").deconstruct() == (
        wagtail_blocks.PageChooserBlock(page_type="home.TreatmentPage").deconstruct()
    )
    assert blocks.PreparedImageChooserBlock().deconstruct() == ImageChooserBlock().deconstruct()
    assert blocks.FigureImageBlock().deconstruct() == ImageBlock().deconstruct()
    figure = blocks.FigureBlock()
    assert isinstance(figure.child_blocks["image"].child_blocks["image"], blocks.FigureImageChooserBlock)
    assert blocks.FigureImageChooserBlock().deconstruct() == ImageChooserBlock().deconstruct()
    assert isinstance(blocks.RecommendedTreatmentBlock().child_blocks["treatment"], blocks.PageChooserBlock)


def test_compiled_once(site_tree, monkeypatch):
    from django.db.models.sql.compiler import SQLCompiler

    ours = blocks.PageChooserBlock(page_type="home.TreatmentPage")
    values = [site_tree.deep_tissue.pk, site_tree.swedish.pk]
    ours.bulk_to_python(values)
    compiled = []
    as_sql = SQLCompiler.as_sql

    def recording(self, *args, **kwargs):
        compiled.append(self)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", recording)
    assert [page.pk for page in ours.bulk_to_python(values[::-1])] == values[::-1]
    assert compiled == []


def test_a_chosen_treatment_comes_with_its_hero_image(site_tree, settings, tmp_path, django_assert_num_queries):
    """A recommended treatment's card (and the API's linked page) shows its hero image: joined."""
    settings.MEDIA_ROOT = str(tmp_path)
    image = ImageFactory()
    treatment = TreatmentPageFactory(parent=site_tree.treatment_index, title="With a hero", hero_image=image)
    ours = blocks.PageChooserBlock(page_type="home.TreatmentPage")
    with django_assert_num_queries(1):
        [found] = ours.bulk_to_python([treatment.pk])
        assert found.hero_image == image
    plain = blocks.PageChooserBlock()  # any page: no hero image to join
    with django_assert_num_queries(1):
        assert [page.pk for page in plain.bulk_to_python([treatment.pk])] == [treatment.pk]
