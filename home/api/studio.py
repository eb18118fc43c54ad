"""The studio's own facts for the headless API: details, hours and booking, and the questions it answers.

Shapes (TypedDicts, which API v3 publishes in its OpenAPI schema) and the
functions that build them; API v2 (home/api/v2.py) and v3 (home/api/v3.py) serve
the same output. The team and the testimonials are in home/api/fields.py,
because page bodies (the team and testimonials blocks) show them too.

Beside home/api/fields.py in the layers: it imports that module and the shared
content models, never a page model.
"""

from __future__ import annotations

from typing import TypedDict

from home.api.fields import PageLinkDict, page_link, rich_text_html
from home.blocks import DAYS, opening_hours_line


class AddressDict(TypedDict):
    street_address: str
    locality: str
    region: str
    postal_code: str
    country: str


class OpeningHoursDict(TypedDict):
    days: list[str]  # English day names in week order: ["Monday", "Tuesday", …]
    opens: str | None  # "09:00"; null on closed days
    closes: str | None
    closed: bool
    text: str  # the row as the site shows it: "Mon–Fri 9:00–19:00", "Sun closed"


class BookingDict(TypedDict):
    url: str  # the booking tool, else tel: or mailto:
    how: str  # "online", "phone" or "email"
    detail: str  # in words: "book online", "call (503) 555-0142"


class MedicalDisclaimerDict(TypedDict):
    html: str
    version: str


class StudioSettingsDict(TypedDict):
    studio_name: str
    tagline: str
    phone: str
    email: str
    address: AddressDict
    map_url: str
    opening_hours: list[str]
    hours: list[OpeningHoursDict]
    booking_url: str
    booking_note: str
    booking: BookingDict | None
    instagram_url: str
    facebook_url: str
    medical_disclaimer: MedicalDisclaimerDict


def _time(value) -> str | None:
    return f"{value:%H:%M}" if value else None


def opening_hours_rows(studio) -> list[OpeningHoursDict]:
    """The structured hours, one row per group of days (none while the studio uses free text only)."""
    rows = []
    for block in studio.hours:
        value = block.value
        closed = bool(value["closed"]) or not (value["opens"] and value["closes"])
        rows.append(
            OpeningHoursDict(
                days=[name for code, name in DAYS if code in value["days"]],
                opens=None if closed else _time(value["opens"]),
                closes=None if closed else _time(value["closes"]),
                closed=closed,
                text=opening_hours_line(value),
            )
        )
    return rows


def studio_settings_representation(studio) -> StudioSettingsDict:
    booking = studio.booking
    return StudioSettingsDict(
        studio_name=studio.studio_name,
        tagline=studio.tagline,
        phone=studio.phone,
        email=studio.email,
        address=AddressDict(
            street_address=studio.street_address,
            locality=studio.locality,
            region=studio.region,
            postal_code=studio.postal_code,
            country=studio.country,
        ),
        map_url=studio.map_link,
        opening_hours=studio.opening_hours_lines,
        hours=opening_hours_rows(studio),
        booking_url=studio.booking_url,
        booking_note=studio.booking_note,
        booking=BookingDict(**booking) if booking else None,
        instagram_url=studio.instagram_url,
        facebook_url=studio.facebook_url,
        medical_disclaimer=MedicalDisclaimerDict(
            html=rich_text_html(studio.medical_disclaimer), version=studio.disclaimer_version
        ),
    )


# --- Questions and answers ------------------------------------------------------------------------


class QuestionDict(TypedDict):
    question: str
    answer: str  # front-end HTML


class PageQuestionsDict(TypedDict):
    page: PageLinkDict
    questions: list[QuestionDict]


def page_questions(pages, context: dict) -> list[PageQuestionsDict]:
    """Each page's "faq" blocks, in body order, with a link to the page (home.selectors.pages_with_questions)."""
    out = []
    for page in pages:
        questions = [
            QuestionDict(question=block.value["question"], answer=rich_text_html(block.value["answer"].source))
            for block in page.body
            if block.block_type == "faq"
        ]
        if questions:
            out.append(PageQuestionsDict(page=page_link(page, context), questions=questions))
    return out
