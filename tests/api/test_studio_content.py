"""The studio's own content in the headless API: team, testimonials, questions and answers, studio facts.

Each is served by v2 and v3 alike (v2 listings wrap the items in ``meta``/``items``,
v3 answers the list), follows the public API's rules (only live, public pages; HTML
rich text; images as renditions) and its caching (an ETag that changes when a
therapist, a testimonial, a page or the settings change).
"""

from __future__ import annotations

import datetime

from wagtail.models import PageViewRestriction

from blog.factories import ArticlePageFactory
from home import factories
from home.factories import ImageFactory, StandardPageFactory, TherapistFactory, faq, paragraph, team
from tests.conftest import FAQ_QUESTION

from .helpers import API_VERSIONS, IMAGE_SHAPE, ContentAPITestCase, assert_image, assert_link, assert_shape, get_json

THERAPIST_SHAPE = {"id": int, "name": str, "role": str, "photo": (dict, type(None)), "bio": str, "specialities": list}
TESTIMONIAL_SHAPE = {"id": int, "quote": str, "name": str, "detail": str, "show_on_home": bool}
BOOKING_URL = "https://booking.example/runway-massage-studio/"


def items(data):
    """v2's ``{"meta", "items"}`` or v3's plain list."""
    if isinstance(data, dict):
        assert data["meta"]["total_count"] == len(data["items"])
        return data["items"]
    return data


class TeamAndTestimonialsTests(ContentAPITestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.portrait = ImageFactory(
            title="Portrait of Maya", description="Maya Ortiz smiling in the studio", width=800, height=800
        )
        cls.maya = TherapistFactory(
            name="Maya Ortiz",
            role="Studio founder",
            photo=cls.portrait,
            bio="Leads most first consultations.",
            specialities="Deep tissue work\n\nTrigger-point release\n",
            sort_order=2,
        )
        cls.daniel = TherapistFactory(name="Daniel Reeves", sort_order=1)
        cls.gone = TherapistFactory(name="Gone Away", sort_order=0, active=False)
        cls.priya = factories.TestimonialFactory(
            name="Priya S.", quote="Ten sessions later I sit through meetings.", sort_order=2
        )
        cls.tom = factories.TestimonialFactory(
            name="Tom W.", quote="Monthly visits keep my back calm.", show_on_home=True
        )

    def test_team_lists_active_therapists_in_order_with_photo_bio_and_specialities(self):
        for api in API_VERSIONS:
            with self.subTest(api=api):
                team_members = items(get_json(self.client, f"/api/{api}/team/"))

                assert [t["name"] for t in team_members] == ["Daniel Reeves", "Maya Ortiz"]
                maya = team_members[1]
                assert_shape(maya, THERAPIST_SHAPE)
                assert (maya["id"], maya["role"], maya["bio"]) == (
                    self.maya.pk,
                    "Studio founder",
                    "Leads most first consultations.",
                )
                assert maya["specialities"] == ["Deep tissue work", "Trigger-point release"]
                assert_image(maya["photo"])
                assert maya["photo"]["alt"] == "Maya Ortiz smiling in the studio"
                assert [r["width"] for r in maya["photo"]["renditions"]] == [320, 640]
                assert team_members[0]["photo"] is None

    def test_testimonials_in_order_with_the_home_page_picks_marked(self):
        for api in API_VERSIONS:
            with self.subTest(api=api):
                said = items(get_json(self.client, f"/api/{api}/testimonials/"))

                assert [t["name"] for t in said] == ["Tom W.", "Priya S."]
                for testimonial in said:
                    assert_shape(testimonial, TESTIMONIAL_SHAPE)
                assert said[0]["show_on_home"] is True and said[1]["show_on_home"] is False
                assert said[1]["quote"] == "Ten sessions later I sit through meetings."

    def test_a_team_page_body_shows_whom_the_page_shows_not_snippet_ids(self):
        page = StandardPageFactory(
            parent=self.tree.home,
            slug="team",
            body=[
                team("Our therapists"),
                team("Ask for Maya", [self.maya, self.gone]),
                factories.testimonials("Kind", [self.tom]),
            ],
        )
        for api in API_VERSIONS:
            with self.subTest(api=api):
                body = get_json(self.client, f"/api/{api}/pages/{page.pk}/")["body"]

                everyone, chosen, kind = (block["value"] for block in body)
                assert everyone["heading"] == "Our therapists"
                assert [t["name"] for t in everyone["therapists"]] == ["Daniel Reeves", "Maya Ortiz"]
                assert [t["name"] for t in chosen["therapists"]] == ["Maya Ortiz"]  # the inactive one is left out
                assert_shape(chosen["therapists"][0]["photo"], IMAGE_SHAPE)
                assert kind["testimonials"] == [
                    {
                        "id": self.tom.pk,
                        "quote": "Monthly visits keep my back calm.",
                        "name": "Tom W.",
                        "detail": self.tom.detail,
                        "show_on_home": True,
                    }
                ]

    def test_editing_a_therapist_or_a_testimonial_changes_the_etag(self):
        for number, (url, change) in enumerate(
            [
                ("/api/v3/team/", lambda: TherapistFactory(name="Grace Lindqvist", sort_order=3)),
                ("/api/v2/testimonials/", lambda: self.tom.delete()),
            ]
        ):
            with self.subTest(url=url):
                first = self.client.get(url)
                assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
                assert self.client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304

                change()

                after = self.client.get(url, headers={"If-None-Match": first["ETag"]})
                assert after.status_code == 200, number
                assert after["ETag"] != first["ETag"]
        assert "Grace Lindqvist" in [t["name"] for t in get_json(self.client, "/api/v3/team/")]
        assert "Tom W." not in [t["name"] for t in items(get_json(self.client, "/api/v2/testimonials/"))]


class QuestionsTests(ContentAPITestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.questions = StandardPageFactory(
            parent=cls.tree.home,
            title="Questions and answers",
            slug="questions",
            body=[
                faq("Will it hurt?", "<p>Mild discomfort is normal; <b>sharp</b> pain is not.</p>"),
                paragraph("<p>Anything else? Call us.</p>"),
                faq(
                    "Do I need a doctor first?",
                    f'<p>Yes, see <a linktype="page" id="{cls.tree.about.pk}">about us</a>.</p>',
                ),
            ],
        )
        hidden = [faq("A question nobody may read yet?", "<p>Hidden.</p>")]
        ArticlePageFactory(parent=cls.tree.blog_index, title="Draft with questions", live=False, body=hidden)
        private = ArticlePageFactory(
            parent=cls.tree.blog_index, title="Private questions", date=datetime.date(2026, 1, 1), body=hidden
        )
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")

    def test_faq_lists_each_live_public_page_with_its_questions_in_order(self):
        for api in API_VERSIONS:
            with self.subTest(api=api):
                pages = items(get_json(self.client, f"/api/{api}/faq/"))

                by_title = {entry["page"]["title"]: entry for entry in pages}
                assert set(by_title) == {"Five stretches for sciatica", "Questions and answers"}
                article = by_title["Five stretches for sciatica"]
                assert article["questions"] == [{"question": FAQ_QUESTION, "answer": "<p>Daily, gently.</p>"}]
                entry = by_title["Questions and answers"]
                assert_link(entry["page"], api)
                assert entry["page"]["html_path"] == "/questions/"
                assert entry["questions"] == [
                    {
                        "question": "Will it hurt?",
                        "answer": "<p>Mild discomfort is normal; <b>sharp</b> pain is not.</p>",
                    },
                    {
                        "question": "Do I need a doctor first?",
                        "answer": '<p>Yes, see <a href="/about/">about us</a>.</p>',
                    },
                ]
                assert "nobody may read" not in str(pages)

    def test_faq_follows_publishing(self):
        etag = self.client.get("/api/v3/faq/")["ETag"]

        self.questions.unpublish()

        response = self.client.get("/api/v3/faq/", headers={"If-None-Match": etag})
        assert response.status_code == 200
        assert [entry["page"]["title"] for entry in response.json()] == ["Five stretches for sciatica"]


class StudioFactsTests(ContentAPITestCase):
    def use_structured_hours(self):
        studio = self.tree.settings
        studio.street_address, studio.locality, studio.region = "418 Alder Street", "Portland", "OR"
        studio.postal_code, studio.country = "97205", "US"
        studio.hours = [
            ("hours", {"days": ["mo", "tu", "we", "th", "fr"], "opens": "09:00", "closes": "19:00", "closed": False}),
            ("hours", {"days": ["su"], "opens": None, "closes": None, "closed": True}),
        ]
        studio.save()

    def test_structured_opening_hours_address_and_map(self):
        self.use_structured_hours()
        for api in API_VERSIONS:
            with self.subTest(api=api):
                data = get_json(self.client, f"/api/{api}/settings/")

                assert data["hours"] == [
                    {
                        "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                        "opens": "09:00",
                        "closes": "19:00",
                        "closed": False,
                        "text": "Mon–Fri 9:00–19:00",
                    },
                    {"days": ["Sunday"], "opens": None, "closes": None, "closed": True, "text": "Sun closed"},
                ]
                assert data["opening_hours"] == ["Mon–Fri 9:00–19:00", "Sun closed"]
                assert data["address"] == {
                    "street_address": "418 Alder Street",
                    "locality": "Portland",
                    "region": "OR",
                    "postal_code": "97205",
                    "country": "US",
                }
                assert data["map_url"].startswith("https://www.openstreetmap.org/search?query=418+Alder+Street")

    def test_free_text_hours_have_no_structured_rows(self):
        data = get_json(self.client, "/api/v3/settings/")

        assert data["hours"] == []
        assert data["opening_hours"] == ["Mon–Fri 9:00–19:00", "Sat 10:00–14:00"]

    def test_booking_is_the_booking_tool_else_a_call(self):
        for api in API_VERSIONS:
            with self.subTest(api=api, booking="phone"):
                data = get_json(self.client, f"/api/{api}/settings/")
                assert data["booking_url"] == ""
                assert data["booking"] == {"url": "tel:+15550100", "how": "phone", "detail": "call +1 555 0100"}

        self.tree.settings.booking_url = BOOKING_URL
        self.tree.settings.save()
        for api in API_VERSIONS:
            with self.subTest(api=api, booking="online"):
                data = get_json(self.client, f"/api/{api}/settings/")
                assert data["booking_url"] == BOOKING_URL
                assert data["booking"] == {"url": BOOKING_URL, "how": "online", "detail": "book online"}
