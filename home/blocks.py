"""StreamField blocks shared by every page type (one place, as in bakerydemo's base/blocks.py)."""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock


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

    image = ImageBlock()
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

    treatment = blocks.PageChooserBlock(page_type="home.TreatmentPage")
    text = blocks.TextBlock(
        required=False, help_text="Why this treatment fits the article. Defaults to the treatment's summary."
    )

    class Meta:
        icon = "pick"
        template = "blocks/recommended_treatment_block.html"


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
