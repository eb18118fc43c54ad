"""``{{ value|day:"F j, Y" }}`` (home/templatetags/us_format.py, home/performance/dates.py): what
Django's ``date`` filter gives, a calendar date's kept per format and language."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from home.performance import dates

FORMATS = ["F j, Y", "Y-m-d", "D, N jS Y", "l", "M j, Y", None]


@pytest.fixture(autouse=True)
def fresh_memo():
    dates._formatted.cache_clear()
    yield
    dates._formatted.cache_clear()


def render(source: str, **context) -> str:
    return Template("{% load us_format %}" + source).render(Context(context))


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_text_as_djangos_date_filter(fmt):
    for value in (datetime.date(2026, 11, 2), datetime.date(1999, 2, 28), datetime.date(2024, 5, 1)):
        arg = f':"{fmt}"' if fmt else ""
        assert render("{{ v|day" + arg + " }}", v=value) == render("{{ v|date" + arg + " }}", v=value)


def test_another_language_is_not_served_from_the_memo(settings):
    settings.USE_I18N = True
    value = datetime.date(2026, 3, 9)
    english = render('{{ v|day:"F j, Y" }}', v=value)
    with translation.override("fr"):
        french = render('{{ v|day:"F j, Y" }}', v=value)
        assert french == render('{{ v|date:"F j, Y" }}', v=value)
    assert english == "March 9, 2026"
    assert french != english


def test_a_date_and_time_is_djangos_in_the_current_time_zone():
    moment = datetime.datetime(2026, 1, 1, 3, 30, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert render('{{ v|day:"F j, Y P" }}', v=moment) == render('{{ v|date:"F j, Y P" }}', v=moment)
        assert render('{{ v|day:"F j, Y" }}', v=moment) == "December 31, 2025"


def test_nothing_gives_nothing():
    assert render('{{ v|day:"F j, Y" }}', v=None) == ""
    assert render('{{ v|day:"F j, Y" }}', v="") == ""


def test_a_date_is_formatted_once_per_format(monkeypatch):
    calls = []
    original = dates.django_date
    monkeypatch.setattr(dates, "django_date", lambda *args: calls.append(args) or original(*args))
    value = datetime.date(2026, 11, 2)
    for _ in range(3):
        render('{{ v|day:"F j, Y" }} {{ v|day:"Y-m-d" }}', v=value)
    assert len(calls) == 2
