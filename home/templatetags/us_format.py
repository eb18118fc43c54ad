"""US display formats for what editors type free-form: ``{{ line|us_hours }}``.

Dates use Django's ``date`` filter with US-ordered formats ("November 12, 2026"); listings use
``{{ article.date|day:"F j, Y" }}``, the same filter for a calendar date, kept per date and format
(home/performance/dates.py);
money is already "$1,250.50" (home/money.py). Opening hours are free text in the
studio settings, often typed on a 24-hour clock: this shows them the US way.
"""

import re

from django import template

from home.performance.dates import formatted_date

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def day(value, fmt=None):
    """Django's ``date`` filter (the same output), a calendar date's kept per format and language."""
    return formatted_date(value, fmt)


# "9:00", "19:00", "7:30" — a 24-hour clock time not already followed by am/pm.
_CLOCK = re.compile(r"\b([01]?\d|2[0-4]):([0-5]\d)\b(?!\s*(?:[ap]\.?m\b|[ap]\.m\.))", re.IGNORECASE)


def _twelve_hour(match: re.Match) -> str:
    hour, minute = int(match[1]), int(match[2])
    if minute == 0 and hour in (0, 12, 24):
        return "noon" if hour == 12 else "midnight"  # as Django's own "P" time format says it
    meridiem = "p.m." if 12 <= hour < 24 else "a.m."
    hour = hour % 12 or 12
    return f"{hour}:{minute:02d} {meridiem}" if minute else f"{hour} {meridiem}"


@register.filter
def us_hours(line: str) -> str:
    """ "Mon–Fri 9:00–19:00" → "Mon–Fri 9 a.m.–7 p.m." (lines without clock times are kept as typed)."""
    return _CLOCK.sub(_twelve_hour, str(line or ""))
