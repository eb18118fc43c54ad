"""``|truncatewords`` kept per text and length (home/performance/text_filters.py): Django's filter in
every template (a builtin), the same output, worked out once per text; and a treatment's pressure
label without Django's per-call choices dict (``TreatmentPage.get_intensity_display``)."""

from __future__ import annotations

import pytest
from django.db.models import Model
from django.db.models import base as model_base
from django.template import engines
from django.template.defaultfilters import truncatewords as djangos_truncatewords
from django.utils.safestring import SafeString, mark_safe

from home.models import TreatmentPage
from home.performance import text_filters

TEXTS = [
    "Piriformis syndrome can feel like sciatica: a deep ache in the buttock that runs down the leg.",
    "  Words\nacross   lines\tand tabs, more than four of them  ",
    "<b>Bold</b> & an ampersand, four words plus",
    "short",
    "",
]


@pytest.fixture(autouse=True)
def fresh_memo():
    text_filters._words.cache_clear()
    yield
    text_filters._words.cache_clear()


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("length", ["4", "32", "0", "-1", "x"])
def test_the_same_words_as_djangos_filter(text, length):
    for value in (text, mark_safe(text)):
        ours, theirs = text_filters.truncatewords(value, length), djangos_truncatewords(value, length)
        assert ours == theirs
        assert isinstance(ours, SafeString) == isinstance(theirs, SafeString)


def test_every_template_gets_it_and_escapes_as_django_does():
    text = TEXTS[2]
    assert _render("{{ text|truncatewords:3 }}", text=text) == "&lt;b&gt;Bold&lt;/b&gt; &amp; an …"
    assert _render("{{ text|truncatewords:3 }}", text=mark_safe(text)) == "<b>Bold</b> & an …"
    assert _render("{% autoescape off %}{{ text|truncatewords:3 }}{% endautoescape %}", text=text).startswith("<b>")
    assert text_filters._words.cache_info().currsize == 1  # the template's filter is this one


def test_each_text_is_truncated_once(monkeypatch):
    made = []
    original = text_filters.Truncator

    def counting(text):
        made.append(text)
        return original(text)

    monkeypatch.setattr(text_filters, "Truncator", counting)
    template = engines["django"].from_string("{{ a|truncatewords:5 }} {{ b|truncatewords:5 }} {{ a|truncatewords:6 }}")
    first = template.render({"a": TEXTS[0], "b": TEXTS[1]})
    assert template.render({"a": mark_safe(TEXTS[0]), "b": TEXTS[1]}) == first
    assert made == [TEXTS[0], TEXTS[1], TEXTS[0]]  # once per text and length, marked safe or not


@pytest.mark.parametrize("value", [*TreatmentPage.Intensity.values, "unknown"])
def test_the_pressure_label_is_djangos(db, value, monkeypatch):
    page = TreatmentPage(intensity=value)
    theirs = Model._get_FIELD_display(page, TreatmentPage._meta.get_field("intensity"))

    def refuse(*args, **kwargs):
        raise AssertionError("Django's get_FOO_display builds the choices' dict per call")

    monkeypatch.setattr(model_base, "make_hashable", refuse)  # what Django's method calls per call
    assert page.get_intensity_display() == theirs
