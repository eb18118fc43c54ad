"""StreamField blocks shared by every page type (one place, as in bakerydemo's base/blocks.py).

Also the studio's structured opening hours (a block of StudioSettings.hours) and the
team and testimonials blocks, which read their snippets (home.Therapist,
home.Testimonial) by label: this module sits below home/base_models.py.
"""

from __future__ import annotations

import copy
import functools

from django.apps import apps
from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from home.performance import renditions
from home.performance.folded import FoldedRenditions
from home.performance.prepared import PreparedIdsQuery

# --- Opening hours ---------------------------------------------------------------------------------

DAYS = [
    ("mo", "Monday"),
    ("tu", "Tuesday"),
    ("we", "Wednesday"),
    ("th", "Thursday"),
    ("fr", "Friday"),
    ("sa", "Saturday"),
    ("su", "Sunday"),
]
_DAY_ORDER = [code for code, _ in DAYS]
_DAY_NAMES = dict(DAYS)


class OpeningHoursBlock(blocks.StructBlock):
    """Days with the same hours: "Monday to Friday, 9:00 to 19:00", or closed."""

    days = blocks.MultipleChoiceBlock(choices=DAYS)
    opens = blocks.TimeBlock(required=False)
    closes = blocks.TimeBlock(required=False)
    closed = blocks.BooleanBlock(required=False, help_text="Tick for days the studio is closed (no times).")

    class Meta:
        icon = "time"
        label = "Opening hours"

    def clean(self, value):
        value = super().clean(value)
        if not value["closed"] and not (value["opens"] and value["closes"]):
            raise blocks.StructBlockValidationError(
                block_errors={"opens": ValidationError("Give opening and closing times, or tick closed.")}
            )
        return value


def _day_ranges(days) -> list[list[str]]:
    """Runs of consecutive days, in week order: ["mo","tu","we","fr"] → [["mo","tu","we"], ["fr"]]."""
    runs: list[list[str]] = []
    for code in sorted(set(days), key=_DAY_ORDER.index):
        if runs and _DAY_ORDER.index(code) == _DAY_ORDER.index(runs[-1][-1]) + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    return runs


def opening_hours_line(value) -> str:
    """ "Mon–Fri 9:00–19:00" or "Sun closed" (the us_hours filter shows it the US way)."""
    names = []
    for run in _day_ranges(value["days"]):
        first, last = _DAY_NAMES[run[0]][:3], _DAY_NAMES[run[-1]][:3]
        names.append(first if len(run) == 1 else f"{first}–{last}")
    days = ", ".join(names)
    if value["closed"] or not (value["opens"] and value["closes"]):
        return f"{days} closed"
    opens, closes = value["opens"], value["closes"]
    return f"{days} {opens.hour}:{opens.minute:02d}–{closes.hour}:{closes.minute:02d}"


def opening_hours_specification(value) -> list[dict]:
    """schema.org OpeningHoursSpecification for one row (none for closed days: closed is the default)."""
    if value["closed"] or not (value["opens"] and value["closes"]):
        return []
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [
                f"https://schema.org/{_DAY_NAMES[code]}" for code in sorted(value["days"], key=_DAY_ORDER.index)
            ],
            "opens": f"{value['opens']:%H:%M}",
            "closes": f"{value['closes']:%H:%M}",
        }
    ]


# --- Choosers whose blocks convert by a prepared query ----------------------------------------


@functools.cache
def _by_ids(model) -> PreparedIdsQuery:
    return PreparedIdsQuery(lambda ids: model.objects.filter(pk__in=ids), up_to=48)


class PreparedChooserMixin:
    """A chooser block whose ``bulk_to_python`` (all of a page's or a listing's chosen objects of one
    block type at once) reads them by a query prepared per model and number of ids
    (home/performance/prepared.py) instead of ``in_bulk``, built and compiled on every call: a tenth
    of an uncached article page. The same answer as Wagtail's (its order, None for a missing
    object, a copy for one chosen twice); ids that are not all integers, or more than the prepared
    number, go Wagtail's way. Stored and migrated as Wagtail's own block (``DECONSTRUCT_ALIASES``)."""

    def prepared_query(self) -> PreparedIdsQuery:
        return _by_ids(self.model_class)

    def loaded(self, objects: list) -> None:
        """Called with the objects the prepared query read (the figures' images take their renditions)."""

    def bulk_to_python(self, values):
        values = list(values)
        ids = {value for value in values if value is not None}
        query = self.prepared_query()
        if not ids or any(type(value) is not int for value in ids) or len(ids) > query.up_to:
            return super().bulk_to_python(values)
        found = query(sorted(ids))
        self.loaded(found)
        objects = {obj.pk: obj for obj in found}
        seen, result = set(), []
        for id_ in values:
            obj = objects.get(id_)
            if obj is not None and id_ in seen:
                obj = copy.copy(obj)
            else:
                seen.add(id_)
            result.append(obj)
        return result


@functools.cache
def _pages_by_ids(model) -> PreparedIdsQuery:
    """Chosen pages of one type by id, with their hero image when the type has one (a card shows it)."""
    if not any(field.name == "hero_image" for field in model._meta.concrete_fields):
        return _by_ids(model)
    return PreparedIdsQuery(lambda ids: model.objects.filter(pk__in=ids).select_related("hero_image"), up_to=48)


class PageChooserBlock(PreparedChooserMixin, blocks.PageChooserBlock):
    def prepared_query(self) -> PreparedIdsQuery:
        return _pages_by_ids(self.model_class)


class PreparedImageChooserBlock(PreparedChooserMixin, ImageChooserBlock):
    pass


# A figure's renditions, folded into the query reading its image (home/performance/folded.py).
_FIGURE_RENDITIONS = FoldedRenditions(renditions.FIGURE, "figure")


@functools.cache
def _figure_images_by_ids(model) -> PreparedIdsQuery:
    return PreparedIdsQuery(lambda ids: model.objects.filter(pk__in=ids).annotate(**_FIGURE_RENDITIONS.column("pk")))


class FigureImageChooserBlock(PreparedImageChooserBlock):
    """The figure's image chooser: each image comes with the renditions the figure shows."""

    def prepared_query(self) -> PreparedIdsQuery:
        return _figure_images_by_ids(self.model_class)

    def loaded(self, objects: list) -> None:
        for image in objects:
            _FIGURE_RENDITIONS.give(image)


class FigureImageBlock(ImageBlock):
    """Wagtail's ImageBlock (image, decorative, alt text) with its image converted by a prepared
    query that brings the figure's renditions too."""

    def __init__(self, required=True, **kwargs):
        super().__init__(required=required, **kwargs)
        chooser = FigureImageChooserBlock(required=required)
        chooser.set_name("image")
        self.child_blocks["image"] = chooser


DECONSTRUCT_ALIASES = {
    PageChooserBlock: "wagtail.blocks.PageChooserBlock",
    PreparedImageChooserBlock: "wagtail.images.blocks.ImageChooserBlock",
    FigureImageChooserBlock: "wagtail.images.blocks.ImageChooserBlock",
}


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading (H2)"), ("h3", "Sub-heading (H3)")],
        default="h2",
        help_text="Keep headings in order: an H3 belongs under an H2.",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class FigureBlock(blocks.StructBlock):
    """An image with alt text (from Wagtail's ImageBlock) and an optional caption."""

    image = FigureImageBlock()
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted box, e.g. "See your doctor first" before booking for back pain."""

    kind = blocks.ChoiceBlock(
        choices=[("doctor", "See your doctor first"), ("tip", "Tip"), ("warning", "Warning")],
        default="doctor",
    )
    title = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"


class FAQBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        template = "blocks/faq_block.html"


class ListBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(choices=[("ul", "Bullets"), ("ol", "Numbered")], default="ul")
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "blocks/list_block.html"


class RecommendedTreatmentBlock(blocks.StructBlock):
    """Links an article to a treatment (and, through it, to the offers that buy it)."""

    treatment = PageChooserBlock(page_type="home.TreatmentPage")
    text = blocks.TextBlock(
        required=False, help_text="Why this treatment fits the article. Defaults to the treatment's summary."
    )

    class Meta:
        icon = "pick"
        template = "blocks/recommended_treatment_block.html"


class TeamBlock(blocks.StructBlock):
    """The team (home.Therapist snippets): the ones chosen, or everyone active when none are."""

    heading = blocks.CharBlock(max_length=120, default="Our therapists")
    therapists = blocks.ListBlock(
        SnippetChooserBlock("home.Therapist"),
        required=False,
        help_text="Leave empty to show every active therapist, in their sort order.",
    )

    class Meta:
        icon = "group"
        template = "blocks/team_block.html"

    def therapists_to_show(self, value) -> list:
        """The active ones chosen, else every active therapist (the page and the API show the same)."""
        chosen = [therapist for therapist in value["therapists"] if therapist and therapist.active]
        if not chosen:
            chosen = list(apps.get_model("home", "Therapist").objects.filter(active=True).select_related("photo"))
        return chosen

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["therapists"] = self.therapists_to_show(value)
        return context


class TestimonialsBlock(blocks.StructBlock):
    """What clients say (home.Testimonial snippets, chosen by the editor)."""

    heading = blocks.CharBlock(max_length=120, default="What clients say")
    testimonials = blocks.ListBlock(SnippetChooserBlock("home.Testimonial"), min_num=1)

    class Meta:
        icon = "openquote"
        template = "blocks/testimonials_block.html"


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    list = ListBlock()
    figure = FigureBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
    faq = FAQBlock()
    recommended_treatment = RecommendedTreatmentBlock()
    team = TeamBlock()
    testimonials = TestimonialsBlock()
