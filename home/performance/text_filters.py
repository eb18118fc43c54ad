"""``|truncatewords`` with each result kept per process: a template builtin (settings.TEMPLATES).

Every listing card shortens its summary to 32 words: Django's filter makes a ``Truncator`` (a lazy
object) and runs its regular expressions over the text on every render, about 10 µs a card, a
few per cent of an uncached listing. The words kept depend only on the text and the number, so
the result is kept per process for both (the last 4096). It is Django's filter otherwise: the
same code, the same handling of a number that is not one, of marked-safe text and of
autoescaping, and it replaces Django's in every template, the admin's included.
"""

from __future__ import annotations

import functools

from django import template
from django.template.defaultfilters import stringfilter
from django.utils.text import Truncator

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _words(text: str, length: int) -> str:
    return Truncator(text).words(length, truncate=" …")


@register.filter(is_safe=True)
@stringfilter
def truncatewords(value, arg):
    """Truncate a string after ``arg`` words (Django's ``truncatewords``)."""
    try:
        length = int(arg)
    except ValueError:  # Invalid literal for int().
        return value  # Fail silently.
    return _words(str.__str__(value), length)
