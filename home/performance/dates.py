"""A calendar date formatted once per format and language.

Django's ``date`` filter looks the format up and builds a ``DateFormat`` for every call: a
listing of twenty articles formats each card's date twice (its ``datetime`` attribute and the
text), a twentieth of an uncached journal page. For a plain ``datetime.date`` (no time, so no
time zone) the answer depends only on the date, the format and the active language:
:func:`formatted_date` keeps it per process. Anything else (a ``datetime``, ``None``, text)
goes to Django's filter as it is.
"""

from __future__ import annotations

import datetime
import functools

from django.template.defaultfilters import date as django_date
from django.utils import translation

_MEMO_SIZE = 4096  # a studio's article dates times a few formats


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _formatted(value: datetime.date, fmt: str | None, language: str | None) -> str:
    return django_date(value, fmt)


def formatted_date(value, fmt: str | None = None) -> str:
    """``{{ value|date:fmt }}``, kept for a calendar date."""
    if type(value) is datetime.date:
        return _formatted(value, fmt, translation.get_language())
    return django_date(value, fmt)
