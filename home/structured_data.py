"""schema.org structured data (JSON-LD) for the studio and its articles, and its opening-hours format.

Plain functions of the models and of URLs the caller has worked out: the template
tags (home/templatetags/site_tags.py) gather those from the template context.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

# The same escapes Django's json_script uses, so text typed by editors can never
# close the <script> element or start an HTML comment inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict[str, Any]) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


# --- Opening hours in schema.org's "Mo-Fr 09:00-19:00" form ----------------------
_DAYS = {
    "mo": "Mo",
    "tu": "Tu",
    "we": "We",
    "th": "Th",
    "fr": "Fr",
    "sa": "Sa",
    "su": "Su",
}
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|mo|tu|we|th|fr|sa|su"
_DASH = r"\s*(?:-|–|—|to)\s*"
_DAY_SPEC = rf"(?:{_DAY})(?:{_DASH}(?:{_DAY}))?"
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?"
_HOURS_LINE = re.compile(
    rf"^(?P<days>{_DAY_SPEC}(?:\s*(?:,|&|and)\s*{_DAY_SPEC})*)\s*[:,]?\s*{_TIME}{_DASH}{_TIME}$",
    re.IGNORECASE,
)


def _clock(hour: str, minute: str | None, meridiem: str | None) -> str | None:
    h, m = int(hour), int(minute or 0)
    if meridiem:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if meridiem.lower() == "pm" else 0)
    if not (0 <= h <= 24 and 0 <= m < 60):
        return None
    return f"{h:02d}:{m:02d}"


def opening_hours_spec(line: str) -> str | None:
    """Read "Mon–Fri 9:00–19:00" as "Mo-Fr 09:00-19:00"; None for lines it cannot read ("Sunday closed")."""
    match = _HOURS_LINE.match(line.strip())
    if not match:
        return None
    groups = match.groups()
    opens, closes = _clock(*groups[1:4]), _clock(*groups[4:7])
    if not opens or not closes:
        return None
    ranges = []
    for part in re.split(r"\s*(?:,|&|\band\b)\s*", match["days"], flags=re.IGNORECASE):
        days = [_DAYS[d.strip().lower()[:2]] for d in re.split(_DASH, part) if d.strip()]
        ranges.append("-".join(days))
    return f"{','.join(ranges)} {opens}-{closes}"


def studio_data(studio, *, url: str, image_url: str = "") -> dict[str, Any]:
    """The studio (StudioSettings) as a schema.org HealthAndBeautyBusiness (a LocalBusiness)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "HealthAndBeautyBusiness",
        "name": studio.studio_name,
        "url": url,
    }
    if studio.tagline:
        data["description"] = studio.tagline
    address = {
        "@type": "PostalAddress",
        "streetAddress": studio.street_address,
        "addressLocality": studio.locality,
        "addressRegion": studio.region,
        "postalCode": studio.postal_code,
        "addressCountry": studio.country.upper(),
    }
    if any(value for key, value in address.items() if key != "@type"):
        data["address"] = {key: value for key, value in address.items() if value}
    if studio.phone:
        data["telephone"] = studio.phone
    if studio.email:
        data["email"] = studio.email
    structured = studio.opening_hours_specification
    hours = [spec for spec in map(opening_hours_spec, studio.opening_hours_lines) if spec]
    if structured:
        data["openingHoursSpecification"] = structured
    elif hours:
        data["openingHours"] = hours
    if studio.map_link:
        data["hasMap"] = studio.map_link
    same_as = [link for link in (studio.instagram_url, studio.facebook_url) if link]
    if same_as:
        data["sameAs"] = same_as
    if image_url:
        data["image"] = image_url
    return data


def article_data(
    page, *, url: str, description: str, publisher_name: str, publisher_url: str, image_url: str = ""
) -> dict[str, Any]:
    """An ArticlePage as a schema.org Article, published by the studio."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": Truncator(page.seo_title or page.title).chars(110),
        "description": description,
        "datePublished": page.date.isoformat(),
        "author": {"@type": "Person", "name": page.author},
        "publisher": {"@type": "Organization", "name": publisher_name, "url": publisher_url},
    }
    if url:
        data["url"] = url
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": url}
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    if image_url:
        data["image"] = [image_url]
    return data


def breadcrumb_data(items: list[tuple[str, str]]) -> dict[str, Any]:
    """A schema.org BreadcrumbList from (name, absolute URL) pairs, the home page first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(items, start=1)
        ],
    }


def faq_data(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """A schema.org FAQPage from (question, answer as plain text) pairs."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": question, "acceptedAnswer": {"@type": "Answer", "text": answer}}
            for question, answer in pairs
        ],
    }


def _price(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def service_data(
    page, *, durations: list, url: str, description: str, provider: dict[str, Any], offers: list, image_url: str = ""
) -> dict[str, Any]:
    """A TreatmentPage as a schema.org Service: one Offer per session length, and one per series or plan.

    ``offers`` are the shop's offers for the treatment (objects with ``title``,
    ``price_minor``, ``currency`` and an absolute ``url`` attribute set by the caller).
    """
    offer_list = [
        {
            "@type": "Offer",
            "name": f"{duration.minutes} minutes",
            "price": _price(duration.price_minor),
            "priceCurrency": duration.currency.upper(),
            "url": url,
        }
        for duration in durations
    ]
    offer_list += [
        {
            "@type": "Offer",
            "name": offer.title,
            "price": _price(offer.price_minor),
            "priceCurrency": offer.currency.upper(),
            "url": offer.url,
        }
        for offer in offers
        if getattr(offer, "price_minor", None)
    ]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": page.title,
        "serviceType": "Massage therapy",
        "description": description,
        "url": url,
        "provider": provider,
    }
    if offer_list:
        data["offers"] = offer_list
    if image_url:
        data["image"] = image_url
    return data
