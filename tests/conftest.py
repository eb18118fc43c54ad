"""Shared fixtures: a small but complete page tree, users, and Wagtail's test assertions.

``site_tree`` builds what a visitor sees: HomePage as the default Site's root
(replacing Wagtail's welcome page) → treatments with durations and prices, →
the journal with articles tagged with topics (plus a draft and a private one
that listings must hide), → an about page, and the studio settings with the
medical disclaimer. Tests assert on the constants below rather than repeating
strings.
"""

from __future__ import annotations

import contextlib
import datetime
import json
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections
from django.db.models.signals import post_init
from django.db.models.sql.compiler import SQLCompiler
from django.test import override_settings
from wagtail.coreutils import get_dummy_request
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.test.utils import WagtailPageTestCase

from blog.factories import ArticlePageFactory, BlogIndexPageFactory
from blog.models import ArticlePage, BlogIndexPage
from home.factories import (
    HomePageFactory,
    StandardPageFactory,
    TopicFactory,
    TreatmentIndexPageFactory,
    TreatmentPageFactory,
    bullet_list,
    doctor_callout,
    faq,
    heading,
    make_site_root,
    paragraph,
    quote,
    recommended_treatment,
)
from home.models import (
    HomePage,
    HomePageFeaturedTreatment,
    StandardPage,
    StudioSettings,
    Topic,
    TreatmentIndexPage,
    TreatmentPage,
)
from tests.shared_data import shared

# A word that appears in exactly one article's body and nowhere else, for the search test.
SEARCH_WORD = "zygapophyseal"
DISCLAIMER = "Massage is not a substitute for medical diagnosis or treatment."
STUDIO_NAME = "Runway Massage Studio"
HERO_HEADING = "Massage that gets you moving again"
CALLOUT_TITLE = "See your doctor first"
FAQ_QUESTION = "How often should I stretch?"
QUOTE_TEXT = "I can finally sit through a whole film."


@dataclass
class SiteTree:
    site: Site
    settings: StudioSettings
    home: HomePage
    treatment_index: TreatmentIndexPage
    deep_tissue: TreatmentPage
    swedish: TreatmentPage
    blog_index: BlogIndexPage
    sciatica_article: ArticlePage
    piriformis_article: ArticlePage
    draft_article: ArticlePage
    private_article: ArticlePage
    about: StandardPage
    sciatica: Topic
    piriformis: Topic

    @property
    def live_public_pages(self) -> list[Page]:
        return [
            self.home,
            self.treatment_index,
            self.deep_tissue,
            self.swedish,
            self.blog_index,
            self.sciatica_article,
            self.piriformis_article,
            self.about,
        ]


def build_site_tree() -> SiteTree:
    """Create the tree with the shared factories (home/factories.py, blog/factories.py)."""
    home = HomePageFactory(
        title=STUDIO_NAME,
        hero_heading=HERO_HEADING,
        hero_text="Deep tissue, sports and relaxing massage for back pain and sciatica.",
        intro="<p>A small studio with two treatment rooms.</p>",
    )
    welcome_pages = list(Page.objects.filter(depth=2).exclude(pk=home.pk))
    site = make_site_root(home, site_name=STUDIO_NAME)
    for page in welcome_pages:  # Wagtail's "Welcome to your new Wagtail site!" page
        page.delete()

    settings = StudioSettings.for_site(site)
    settings.studio_name = STUDIO_NAME
    settings.phone = "+1 555 0100"
    settings.email = "hello@runway-massage.example"
    settings.opening_hours = "Mon–Fri 9:00–19:00\nSat 10:00–14:00"
    settings.medical_disclaimer = f"<p>{DISCLAIMER}</p>"
    settings.save()

    sciatica = TopicFactory(name="Sciatica", description="Pain along the sciatic nerve.")
    piriformis = TopicFactory(name="Piriformis syndrome")

    treatment_index = TreatmentIndexPageFactory(parent=home, title="Treatments")
    deep_tissue = TreatmentPageFactory(
        parent=treatment_index,
        title="Deep Tissue Massage",
        intensity=TreatmentPage.Intensity.STRONG,
        prices=[(60, 9500), (90, 13500)],
        topics=[sciatica, piriformis],
        summary="Slow, firm pressure on the deeper layers of muscle.",
    )
    swedish = TreatmentPageFactory(
        parent=treatment_index,
        title="Relaxing Swedish Massage",
        intensity=TreatmentPage.Intensity.MILD,
        prices=[(60, 8000)],
        summary="Long, flowing strokes to calm the whole body.",
    )
    HomePageFeaturedTreatment.objects.create(page=home, treatment=deep_tissue, sort_order=0)
    HomePageFeaturedTreatment.objects.create(page=home, treatment=swedish, sort_order=1)

    blog_index = BlogIndexPageFactory(parent=home, title="Articles")
    sciatica_article = ArticlePageFactory(
        parent=blog_index,
        title="Five stretches for sciatica",
        author="Dana Reyes",
        date=datetime.date(2026, 3, 2),
        summary="Gentle stretches that ease sciatic pain between sessions.",
        topics=[sciatica],
        body=[
            heading("Why stretching helps"),
            paragraph(f"<p>Tight glutes can press on the nerve near the {SEARCH_WORD} joints.</p>"),
            bullet_list(["Knee to chest", "Figure four", "Seated twist"], style="ol"),
            doctor_callout(title=CALLOUT_TITLE),
            faq(FAQ_QUESTION, "<p>Daily, gently.</p>"),
            quote(QUOTE_TEXT, attribution="A client"),
            recommended_treatment(deep_tissue, text="Loosens the piriformis."),
        ],
    )
    piriformis_article = ArticlePageFactory(
        parent=blog_index,
        title="Understanding piriformis syndrome",
        author="Sam Okafor",
        date=datetime.date(2026, 2, 10),
        summary="What the piriformis muscle is and why it can mimic sciatica.",
        topics=[piriformis],
        body=[paragraph("<p>The piriformis sits deep in the buttock.</p>")],
    )
    # Newer than the live articles, so a listing that forgot .live()/.public() would show them first.
    draft_article = ArticlePageFactory(
        parent=blog_index,
        title="Unfinished draft about sciatica",
        date=datetime.date(2026, 3, 5),
        topics=[sciatica],
        live=False,
    )
    private_article = ArticlePageFactory(
        parent=blog_index,
        title="Staff only notes on sciatica",
        date=datetime.date(2026, 3, 6),
        topics=[sciatica],
    )
    PageViewRestriction.objects.create(
        page=private_article, restriction_type=PageViewRestriction.PASSWORD, password="staff-only"
    )
    about = StandardPageFactory(
        parent=home,
        title="About the studio",
        slug="about",
        intro="Two therapists, one mission: get you moving.",
        body=[heading("Our story"), paragraph("<p>Founded in 2019 by two physiotherapy graduates.</p>")],
    )
    return SiteTree(
        site=site,
        settings=settings,
        home=home,
        treatment_index=treatment_index,
        deep_tissue=deep_tissue,
        swedish=swedish,
        blog_index=blog_index,
        sciatica_article=sciatica_article,
        piriformis_article=piriformis_article,
        draft_article=draft_article,
        private_article=private_article,
        about=about,
        sciatica=sciatica,
        piriformis=piriformis,
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test using a process-starting fixture must be in its xdist group (tests/pytest_plugin.py)."""
    from tests.pytest_plugin import XDIST_GROUP_FIXTURES, xdist_group

    for item in items:
        for fixture, group in XDIST_GROUP_FIXTURES.items():
            if fixture in item.fixturenames and xdist_group(item.nodeid) != group:
                raise pytest.UsageError(
                    f"{item.nodeid} uses {fixture}: add it to XDIST_GROUPS ({group!r}) in tests/pytest_plugin.py"
                )


@pytest.fixture(autouse=True)
def _fresh_default_cache():
    """Rate-limit counters (checkouts, gift codes, sign-in links) must not carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Django's advice for test suites: PBKDF2's ~1M iterations cost ~0.3 s per user with a password."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _demo_pictures_drawn_once():
    """The demo loader draws its 13 pictures with Pillow (about 2 s, half of a load); tests load it often.

    ``art.picture`` is deterministic (same scene and size, same JPEG bytes), so the loader gets each
    picture drawn once per test process and a fresh file with the same bytes on every later call.
    Only the loader's reference is replaced: tests of ``art`` itself (test_demo_pictures) still draw.
    """
    import functools
    import types
    from io import BytesIO

    from django.core.files.images import ImageFile

    from home.demo import art, loader

    @functools.cache
    def drawn(scene: str, width: int, height: int, name: str) -> bytes:
        return art.picture(scene, width=width, height=height, name=name).read()

    def picture(scene: str, *, width: int, height: int, name: str) -> ImageFile:
        return ImageFile(BytesIO(drawn(scene, width, height, name)), name=name)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "art", types.SimpleNamespace(**{**vars(art), "picture": picture}))
        yield


shared.builders["site_tree"] = build_site_tree


@pytest.fixture
def site_tree(db) -> SiteTree:
    """The whole page tree: built once and shared, a fresh copy per test (tests/shared_data.py).

    Each test's changes are rolled back at its end. Building it takes about 0.3 s.
    """
    return shared.get("site_tree", build_site_tree)


@pytest.fixture
def editor(db, django_user_model):
    """A content editor: in Wagtail's "Editors" group (rights from home/migrations/0002), not staff."""
    # No password (hashing one costs ~0.3 s); tests log in with force_login.
    user = django_user_model.objects.create_user(username="editor", email="editor@runway-massage.example")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def wagtail_asserts(client) -> WagtailPageTestCase:
    """Wagtail's page assertions (assertCanCreate, assertPageIsRenderable…) for pytest-style tests.

    The instance shares the test's ``client``, so logging the client in as an editor
    makes ``assertCanCreate`` act as that editor.
    """
    case = WagtailPageTestCase(methodName="__init__")  # any existing attribute will do; no test method runs
    case.client = client
    case.dummy_request = get_dummy_request()  # what setUpClass would set
    return case


# --- Transactional tests (live_server, browser) -------------------------------------------
# A transactional test ends with a flush that empties every table, including what
# data migrations wrote (Wagtail's root page, default locale and site, root
# collection, the Editors group). The next transactional test would find no root
# page, and with --reuse-db the next run would too. So the migration data is
# snapshotted once, before the first transactional test, and loaded back before
# each later one and at the end of the session.


def _has_migration_data(alias: str) -> bool:
    return Page.objects.using(alias).filter(depth=1).exists()


def _restore(snapshot: dict[str, str]) -> None:
    for alias, data in snapshot.items():
        if _has_migration_data(alias):
            continue
        # A flush without serialized_rollback re-creates content types and permissions
        # (post_migrate) with new ids: empty the tables again without that, then load.
        connection = connections[alias]
        ContentType.objects.clear_cache()
        call_command(
            "flush", database=alias, interactive=False, inhibit_post_migrate=True, reset_sequences=False, verbosity=0
        )
        connection.creation.deserialize_db_from_string(data)
        # Rows came back with their ids: move PostgreSQL's sequences past them (as loaddata does).
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        # In-process caches still point at the ids the flush created.
        ContentType.objects.clear_cache()
        Site.clear_site_root_paths_cache()


@pytest.fixture(scope="session")
def _migration_data_snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        snapshot = {}
        for alias in connections:
            if not _has_migration_data(alias):
                pytest.exit(
                    f"The test database ({alias}) has no Wagtail root page: a run was interrupted during a "
                    "transactional test and left it flushed. Run pytest once with --create-db.",
                    returncode=1,
                )
            rows = json.loads(connections[alias].creation.serialize_db_to_string())
            # Content types first: building some instances (Wagtail's Task) looks one up, and
            # a miss would insert a duplicate of a row still to come.
            rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
            snapshot[alias] = json.dumps(rows)
    yield snapshot
    with django_db_blocker.unblock():
        _restore(snapshot)  # leave the (reused) test database as migrations made it


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _migration_data_for_transactional_tests(request, django_db_blocker):
    if _is_transactional(request):
        snapshot = request.getfixturevalue("_migration_data_snapshot")
        request.getfixturevalue("transactional_db")  # after pytest-django's set-up, not before
        with django_db_blocker.unblock():
            _restore(snapshot)


@pytest.fixture
def compiled_sql(monkeypatch):
    """The SQL Django compiles for SELECTs from now on (prepared queries compile before it starts
    recording; INSERT and UPDATE have compilers of their own): ``compiled_sql()`` starts recording."""
    compiled: list[str] = []
    as_sql = SQLCompiler.as_sql

    def recording(self, *args, **kwargs):
        sql, params = as_sql(self, *args, **kwargs)
        compiled.append(sql)
        return sql, params

    def start():
        monkeypatch.setattr(SQLCompiler, "as_sql", recording)
        return compiled

    return start


@contextlib.contextmanager
def instances_made():
    """The model instances made inside the ``with`` block (Django's ``post_init``), in order::

    with instances_made() as made:
        ...
    assert Topic not in {type(obj) for obj in made}
    """
    made: list = []

    def record(sender, instance, **kwargs):
        made.append(instance)

    post_init.connect(record, weak=False)
    try:
        yield made
    finally:
        post_init.disconnect(record)
