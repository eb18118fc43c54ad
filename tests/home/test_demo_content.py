"""The demo seed (load_demo_content) and the demo admin (ensure_demo_admin).

Rendering of the demo pages is covered by the page tests; these check what the
commands put in the database and that running them again changes nothing.
"""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from pytest_django.asserts import assertContains
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from blog.models import ArticlePage, BlogIndexPage
from home.demo import loader as demo_loader
from home.models import (
    BodyArea,
    HomePage,
    HomePageFeaturedTreatment,
    StandardPage,
    StudioSettings,
    Topic,
    TreatmentDuration,
    TreatmentPage,
)

COUNTED = [Page, Revision, get_image_model(), Topic, BodyArea, TreatmentDuration, HomePageFeaturedTreatment, Site]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def block_types(article: ArticlePage) -> list[str]:
    return [block.block_type for block in article.body]


@pytest.mark.django_db
def test_load_demo_content_builds_the_site_and_a_second_run_changes_nothing(media_root, client):
    first_output = load_demo()
    after_first = counts()
    files_after_first = sorted(p.name for p in media_root.rglob("*") if p.is_file())

    second_run = demo_loader.load()  # what the command runs, returning the counts it prints

    assert counts() == after_first
    assert sorted(p.name for p in media_root.rglob("*") if p.is_file()) == files_after_first
    assert "pages: 16 created" in first_output and "images: 13 created" in first_output
    assert {outcome for _, outcome in second_run} == {"unchanged"}

    # The demo home page replaces Wagtail's welcome page as the default site's root.
    site = Site.objects.get(is_default_site=True)
    home = HomePage.objects.get()
    assert site.root_page_id == home.pk
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    assert home.live and home.hero_image and home.hero_cta_page.slug == "treatments"

    settings_ = StudioSettings.for_site(site)
    assert settings_.disclaimer_version == "1"
    for phrase in ("doctor", "herniated disc", "stenosis", "tell your therapist"):
        assert phrase in settings_.medical_disclaimer

    # "Book" opens the studio's booking tool: a placeholder on a reserved example domain, no real third party.
    booking = settings_.booking
    assert booking["how"] == "online"
    assert urlsplit(booking["url"]).scheme == "https"
    assert urlsplit(booking["url"]).hostname.endswith(".example")
    assert settings_.phone and settings_.email  # what the fallback would use without it
    for path in ("/", "/treatments/therapeutic-massage/", "/questions/"):
        assertContains(client.get(path), f'class="button site-book" href="{booking["url"]}" data-book="online"')

    treatments = TreatmentPage.objects.live().order_by("path")
    assert [t.slug for t in treatments] == ["therapeutic-massage", "classic-massage", "partial-massage"]
    assert [t.intensity for t in treatments] == ["strong", "mild", "medium"]
    for treatment in treatments:
        prices = list(treatment.durations.values_list("minutes", "price_minor"))
        assert 2 <= len(prices) <= 3 and all(isinstance(p, int) and p > 0 for _, p in prices)
        assert treatment.hero_image and treatment.topics.exists() and treatment.body_areas.exists()
        assert treatment.contraindications
    assert [f.treatment_id for f in home.featured_treatments.order_by("sort_order")] == [t.pk for t in treatments]

    articles = ArticlePage.objects.live().child_of(BlogIndexPage.objects.get(slug="articles"))
    assert articles.count() >= 4
    assert len({a.author for a in articles}) == articles.count()
    assert len({a.date for a in articles}) == articles.count()
    for article in articles:
        types = block_types(article)
        assert {"heading", "paragraph", "list", "figure", "quote", "faq"} <= set(types), article.slug
        assert any(b.block_type == "callout" and b.value["kind"] == "doctor" for b in article.body), article.slug
        recommended = [b.value["treatment"] for b in article.body if b.block_type == "recommended_treatment"]
        assert recommended and all(t.live for t in recommended), article.slug
        assert article.topics.exists() and article.hero_image
        assert article.reading_minutes >= 2, article.slug

    assert set(StandardPage.objects.live().values_list("slug", flat=True)) >= {"about", "terms", "privacy"}
    assert set(Topic.objects.values_list("slug", flat=True)) >= {
        "sciatica",
        "piriformis-syndrome",
        "herniated-disc",
        "spinal-stenosis",
        "posture",
        "lower-back-pain",
    }
    assert all(page.specific.live for page in Page.objects.filter(depth__gt=1))
    assert not Page.objects.filter(depth__gt=1, has_unpublished_changes=True).exists()


@pytest.mark.django_db
def test_load_demo_content_puts_back_what_was_changed(media_root):
    load_demo()
    treatment = TreatmentPage.objects.get(slug="therapeutic-massage")
    duration = treatment.durations.get(minutes=60)
    TreatmentDuration.objects.filter(pk=duration.pk).update(price_minor=1)
    ArticlePage.objects.get(slug="piriformis-syndrome").unpublish()
    revisions = Revision.objects.count()

    output = load_demo()

    assert "pages: 2 updated, 14 unchanged" in output
    duration.refresh_from_db()  # the same row, updated in place
    assert duration.price_minor == 12000
    assert ArticlePage.objects.get(slug="piriformis-syndrome").live
    assert Revision.objects.count() == revisions + 2


calls = []


def load_for_test(stdout):
    calls.append(stdout)


def test_extension_modules_run_when_present_and_are_skipped_when_missing(monkeypatch):
    monkeypatch.setattr(demo_loader, "EXTENSION_MODULES", ["no_such_package.demo", __name__])
    monkeypatch.setattr(f"{__name__}.load", load_for_test, raising=False)
    calls.clear()
    out = StringIO()

    assert demo_loader._load_extensions(out) == [__name__]
    assert calls == [out]


@pytest.fixture
def debug(settings):
    """pytest-django runs with DEBUG off; the demo admin is for DEBUG sites. A fast hasher keeps it quick."""
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
@pytest.mark.usefixtures("debug")
def test_ensure_demo_admin_is_idempotent_and_the_password_works(client, monkeypatch, django_user_model):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    first, second = StringIO(), StringIO()

    call_command("ensure_demo_admin", stdout=first)
    call_command("ensure_demo_admin", stdout=second)

    assert "created" in first.getvalue() and "unchanged" in second.getvalue()
    for output in (first.getvalue(), second.getvalue()):
        assert "admin" in output and "runway-demo-admin" in output and "http://127.0.0.1:8000/admin/" in output
    user = django_user_model.objects.get(username="admin")
    assert user.is_superuser and user.is_staff and user.is_active
    assert django_user_model.objects.count() == 1
    assert client.login(username="admin", password="runway-demo-admin")
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("debug")
def test_ensure_demo_admin_resets_the_password_from_the_environment(client, monkeypatch):
    call_command("ensure_demo_admin", stdout=StringIO())
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "another-demo-password")
    out = StringIO()

    call_command("ensure_demo_admin", stdout=out)

    assert "updated" in out.getvalue() and "another-demo-password" in out.getvalue()
    assert client.login(username="admin", password="another-demo-password")
    assert not client.login(username="admin", password="runway-demo-admin")


@pytest.mark.django_db
def test_ensure_demo_admin_refuses_without_debug_unless_forced(settings, django_user_model):
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("ensure_demo_admin", stdout=StringIO())
    assert not django_user_model.objects.filter(username="admin").exists()

    call_command("ensure_demo_admin", "--force", stdout=StringIO())
    assert django_user_model.objects.filter(username="admin", is_superuser=True).exists()
