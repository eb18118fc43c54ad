"""What studio sites have: Book on every page, the team, testimonials, hours, a map, an FAQ, JSON-LD."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains
from wagtail.blocks import StructBlockValidationError
from wagtail.images.models import Filter

from home import base_models, factories
from home.base_models import StudioSettings
from home.blocks import OpeningHoursBlock
from home.factories import ImageFactory, StandardPageFactory, TherapistFactory, faq, team
from tests.conftest import DISCLAIMER
from tests.packages.conftest import build_shop

BOOKING_URL = "https://book.example.com/runway"


def json_ld(response) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return [json.loads(block) for block in blocks]


def of_type(response, kind: str) -> dict:
    [found] = [data for data in json_ld(response) if data.get("@type") == kind]
    return found


HOURS = [
    {"type": "hours", "value": {"days": ["mo", "tu", "we", "th", "fr"], "opens": "09:00", "closes": "19:00"}},
    {"type": "hours", "value": {"days": ["sa"], "opens": "10:00", "closes": "14:00"}},
    {"type": "hours", "value": {"days": ["su"], "opens": None, "closes": None, "closed": True}},
]


# --- Book -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["home", "deep_tissue", "sciatica_article", "about", "/shop/", "/search/?q=back"])
def test_every_page_has_a_book_button_to_the_booking_tool(site_tree, client, path):
    site_tree.settings.booking_url = BOOKING_URL
    site_tree.settings.save()
    url = path if path.startswith("/") else getattr(site_tree, path).url
    response = client.get(url)
    assertContains(response, f'class="button site-book" href="{BOOKING_URL}"')


def test_without_a_booking_tool_book_calls_the_studio(site_tree, client):
    response = client.get("/")
    assertContains(response, 'class="button site-book" href="tel:+15550100" data-book="phone"')
    assertContains(response, 'Book<span class="visually-hidden"> a session: call +1 555 0100</span>')


def test_without_phone_book_emails_the_studio(site_tree, client):
    site_tree.settings.phone = ""
    site_tree.settings.save()
    assertContains(client.get("/"), 'href="mailto:hello@runway-massage.example" data-book="email"')


# --- Address, map and hours ----------------------------------------------------------------------


def test_footer_links_the_address_to_a_map_and_shows_structured_hours(site_tree, client):
    studio = site_tree.settings
    studio.street_address, studio.locality, studio.region, studio.postal_code = (
        "418 Alder Street",
        "Portland",
        "OR",
        "97205",
    )
    studio.country = "US"
    studio.hours = HOURS
    studio.save()
    response = client.get("/")
    assertContains(
        response, "https://www.openstreetmap.org/search?query=418+Alder+Street%2C+Portland%2C+OR+97205%2C+US"
    )
    assertContains(response, "Mon–Fri 9 a.m.–7 p.m.")
    assertContains(response, "Sat 10 a.m.–2 p.m.")
    assertContains(response, "Sun closed")
    business = of_type(response, "HealthAndBeautyBusiness")
    assert business["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [
                f"https://schema.org/{day}" for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
            ],
            "opens": "09:00",
            "closes": "19:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Saturday"],
            "opens": "10:00",
            "closes": "14:00",
        },
    ]
    assert business["hasMap"].startswith("https://www.openstreetmap.org/search?")
    assert business["address"]["addressRegion"] == "OR"


def test_an_editors_map_link_wins(site_tree, client):
    site_tree.settings.street_address, site_tree.settings.locality = "1 Main St", "Portland"
    site_tree.settings.map_url = "https://www.openstreetmap.org/node/123"
    site_tree.settings.save()
    assertContains(client.get("/"), 'href="https://www.openstreetmap.org/node/123"')


def test_hours_rows_need_times_unless_closed():
    block = OpeningHoursBlock()
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python({"days": ["mo"], "opens": None, "closes": None, "closed": False}))
    assert "opening and closing" in str(refused.value.block_errors["opens"])
    assert block.clean(block.to_python({"days": ["su"], "opens": None, "closes": None, "closed": True}))


# --- Team, testimonials, FAQ ----------------------------------------------------------------------


def test_team_page_shows_active_therapists_with_photo_bio_and_specialities(site_tree, client):
    photo = ImageFactory(title="Portrait")
    TherapistFactory(
        name="Maya Ortiz", photo=photo, bio="Leads first consultations.", specialities="Deep tissue\nSciatica"
    )
    TherapistFactory(name="Gone Away", active=False)
    page = StandardPageFactory(parent=site_tree.home, title="Our team", slug="team", body=[team()])
    response = client.get(page.url)
    assertContains(response, '<h3 class="therapist__name">Maya Ortiz</h3>', html=True)
    assertContains(response, "Leads first consultations.")
    assertContains(response, '<span class="tag">Sciatica</span>', html=True)
    assertContains(response, 'class="therapist__photo"')
    assertNotContains(response, "Gone Away")
    assertContains(client.get("/"), f'href="{page.url}">Our team</a>')  # the footer links it


def test_testimonials_block_and_home_page_show_what_clients_say(site_tree, client):
    chosen = factories.TestimonialFactory(name="Priya S.", quote="Ten sessions later my leg pain is mostly gone.")
    factories.TestimonialFactory(name="Tom W.", quote="Monthly visits keep my back calm.", show_on_home=True)
    page = StandardPageFactory(
        parent=site_tree.home, slug="kind-words", body=[factories.testimonials("Kind words", [chosen])]
    )
    response = client.get(page.url)
    assertContains(response, "Ten sessions later my leg pain is mostly gone.")
    assertNotContains(response, "Monthly visits keep my back calm.")
    home = client.get("/")
    assertContains(home, "What clients say")
    assertContains(home, "Monthly visits keep my back calm.")
    assertNotContains(home, "Ten sessions later")


def test_faq_page_has_faqpage_json_ld(site_tree, client):
    page = StandardPageFactory(
        parent=site_tree.home,
        slug="questions",
        body=[faq("Will it hurt?", "<p>Mild discomfort is normal; <b>sharp</b> pain is not.</p>")],
    )
    data = of_type(client.get(page.url), "FAQPage")
    assert data["mainEntity"] == [
        {
            "@type": "Question",
            "name": "Will it hurt?",
            "acceptedAnswer": {"@type": "Answer", "text": "Mild discomfort is normal; sharp pain is not."},
        }
    ]
    assert not [d for d in json_ld(client.get(site_tree.about.url)) if d["@type"] == "FAQPage"]


# --- JSON-LD for treatments and breadcrumbs; the disclaimer on listings ----------------------------


def test_treatment_is_a_service_with_its_prices_as_offers(site_tree, client):
    shop = build_shop(site_tree)
    response = client.get(site_tree.deep_tissue.url)
    service = of_type(response, "Service")
    assert service["name"] == site_tree.deep_tissue.title
    assert service["provider"]["name"] == site_tree.settings.studio_name
    offers = {offer["name"]: (offer["price"], offer["priceCurrency"]) for offer in service["offers"]}
    assert offers["60 minutes"] == ("95.00", "USD")
    assert offers["90 minutes"] == ("135.00", "USD")
    assert offers[shop.series.title] == ("425.00", "USD")
    assert all(offer["url"].startswith("http") for offer in service["offers"])


def test_breadcrumbs_are_json_ld_too(site_tree, client):
    crumbs = of_type(client.get(site_tree.sciatica_article.url), "BreadcrumbList")["itemListElement"]
    assert [item["name"] for item in crumbs] == ["Home", "Articles", site_tree.sciatica_article.title]
    assert [item["position"] for item in crumbs] == [1, 2, 3]
    topic = client.get(site_tree.blog_index.url + "topic/sciatica/")
    names = [item["name"] for item in of_type(topic, "BreadcrumbList")["itemListElement"]]
    assert names == ["Home", "Articles", "Sciatica"]


def test_the_disclaimer_is_on_the_articles_index_and_topic_listings(site_tree, client):
    assertContains(client.get(site_tree.blog_index.url), DISCLAIMER)
    assertContains(client.get(site_tree.blog_index.url + "topic/sciatica/"), DISCLAIMER)


def test_opening_hours_lines_fall_back_to_the_free_text(site_tree):
    studio = site_tree.settings
    assert studio.opening_hours_lines == ["Mon–Fri 9:00–19:00", "Sat 10:00–14:00"]
    studio.hours = HOURS
    studio.save()
    studio.refresh_from_db()
    assert studio.opening_hours_lines == ["Mon–Fri 9:00–19:00", "Sat 10:00–14:00", "Sun closed"]
    assert isinstance(studio.hours[0].value["opens"], datetime.time)


def test_an_articles_json_ld_image_is_its_share_rendition_made_with_a_shared_filter(
    site_tree, client, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = str(tmp_path)
    image = ImageFactory(title="Stretching on a mat", width=1600, height=900)
    article = site_tree.sciatica_article.specific
    article.hero_image = image
    article.save()
    expected = "http://testserver" + image.get_rendition("fill-1200x630|format-jpeg").url
    response = client.get(article.url)
    assert of_type(response, "Article")["image"] == [expected]
    assert f'<meta property="og:image" content="{expected}">' in response.content.decode()
    made = []
    original = Filter.__init__
    monkeypatch.setattr(Filter, "__init__", lambda self, *a, **k: made.append(k) or original(self, *a, **k))
    assert of_type(client.get(article.url), "Article")["image"] == [expected]
    assert made == []  # every spec's Filter is shared (home/performance/renditions.py)


def test_the_hours_lines_are_worked_out_once_per_stored_value(site_tree, monkeypatch):
    studio = site_tree.settings
    studio.hours = HOURS
    studio.save()
    calls = []
    original = base_models.opening_hours_line
    monkeypatch.setattr(base_models, "opening_hours_line", lambda value: calls.append(value) or original(value))
    base_models._hours_lines.cache_clear()
    expected = ["Mon–Fri 9:00–19:00", "Sat 10:00–14:00", "Sun closed"]
    for _ in range(3):  # a fresh instance per request, as the site's settings are read
        assert StudioSettings.objects.get(pk=studio.pk).opening_hours_lines == expected
    assert len(calls) == 3  # each row once, not once per request
    studio.hours = [HOURS[0]]  # another value: its own lines
    assert studio.opening_hours_lines == expected[:1]
    assert [original(block.value) for block in studio.hours] == expected[:1]
