"""What the "Editors" group (home/migrations/0002_editors_group.py) can and cannot do in the admin.

Editors write and publish content; they are not superusers and must not reach
user management, site settings or any of the shop's staff screens.
"""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from blog.models import ArticlePage

# The shop's staff admin (orders, gift cards, memberships, front desk, reports…).
# Every URL listed here must answer 302/403 to an editor; add each screen as it lands.
SHOP_ADMIN_URLS: list[str] = [
    "/admin/shop/orders/",
    "/admin/shop/credits/",
    "/admin/shop/memberships/",
    "/admin/shop/gift-cards/",
    "/admin/shop/stripe-events/",
    "/admin/snippets/packages/sessionseries/",
    "/admin/snippets/packages/sessionseries/add/",
    "/admin/snippets/packages/membershipplan/",
    "/admin/snippets/packages/membershipplan/add/",
    "/admin/snippets/packages/giftcardoffer/",
    "/admin/snippets/packages/giftcardoffer/add/",
]

USERS_ADMIN_URL = "/admin/users/"


def assert_denied(response, url):
    """Wagtail answers a permission failure with 403 or a redirect to the dashboard (not to the login)."""
    assert response.status_code in (302, 403), f"{url} answered {response.status_code} to an editor"
    if response.status_code == 302:
        assert reverse("wagtailadmin_login") not in response["Location"], f"{url}: the editor was logged out"


def test_editor_is_a_plain_member_of_editors(editor):
    assert not editor.is_superuser
    assert not editor.is_staff
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert editor.has_perm("wagtailadmin.access_admin")


def test_editor_reaches_the_admin_and_the_page_explorer(site_tree, editor_client):
    assert editor_client.get("/admin/").status_code == 200
    assert editor_client.get(reverse("wagtailadmin_explore", args=[site_tree.blog_index.pk])).status_code == 200
    add_url = reverse("wagtailadmin_pages:add", args=["blog", "articlepage", site_tree.blog_index.pk])
    assert editor_client.get(add_url).status_code == 200
    assert editor_client.get(reverse("wagtailsnippets_home_topic:list")).status_code == 200


def test_editor_creates_and_publishes_an_article(site_tree, editor, editor_client, wagtail_asserts):
    data = nested_form_data(
        {
            "title": "Sitting and sciatica",
            "slug": "sitting-and-sciatica",
            "author": "Dana Reyes",
            "date": "2026-04-01",
            "summary": "Why long hours in a chair make sciatica worse, and what helps.",
            "body": streamfield(
                [
                    ("heading", {"text": "Stand up every half hour", "level": "h2"}),
                    ("paragraph", rich_text("<p>A timer on your phone is the cheapest treatment there is.</p>")),
                    (
                        "callout",
                        {"kind": "doctor", "title": "See your doctor first", "text": rich_text("<p>Numbness?</p>")},
                    ),
                ]
            ),
            "comments": inline_formset([]),
        }
    )
    data["topics"] = [str(site_tree.sciatica.pk)]

    wagtail_asserts.assertCanCreate(site_tree.blog_index, ArticlePage, data)

    article = ArticlePage.objects.get(slug="sitting-and-sciatica")
    assert article.live
    assert article.get_parent().specific == site_tree.blog_index
    assert article.owner == editor
    assert [block.block_type for block in article.body] == ["heading", "paragraph", "callout"]
    assert list(article.topics.all()) == [site_tree.sciatica]
    assert article.latest_revision is not None

    editor_client.logout()
    response = editor_client.get("/articles/sitting-and-sciatica/")
    assert response.status_code == 200
    assert b"Stand up every half hour" in response.content
    assert b"Sitting and sciatica" in editor_client.get("/articles/").content
    assert b"Sitting and sciatica" in editor_client.get("/articles/topic/sciatica/").content


@pytest.mark.parametrize(
    "url",
    [
        USERS_ADMIN_URL,
        "/admin/groups/",
        "/admin/sites/",
        "/admin/redirects/",
        "/admin/workflows/list/",
    ],
)
def test_editors_cannot_reach_non_content_admin(site_tree, editor_client, url):
    assert_denied(editor_client.get(url), url)


def test_editors_cannot_change_studio_settings(site_tree, editor_client):
    url = f"/admin/settings/home/studiosettings/{site_tree.site.pk}/"
    assert_denied(editor_client.get(url), url)
    response = editor_client.post(url, {"studio_name": "Hijacked", "disclaimer_version": "9"})
    assert_denied(response, url)
    site_tree.settings.refresh_from_db()
    assert site_tree.settings.studio_name != "Hijacked"


def test_editors_cannot_reach_shop_admin(site_tree, editor_client):
    # Until the shop's admin screens are listed, check the user admin so this always asserts something.
    urls = SHOP_ADMIN_URLS or [USERS_ADMIN_URL]
    for url in urls:
        assert_denied(editor_client.get(url), url)


def test_shop_admin_urls_are_real(site_tree, admin_client):
    # A stale URL would "pass" for editors with a 404; a superuser must get the screen.
    for url in SHOP_ADMIN_URLS:
        assert admin_client.get(url).status_code == 200, url


def test_editors_see_no_shop_or_settings_menu_items(site_tree, editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert "/admin/users/" not in html
    assert "/admin/settings/" not in html
    for url in SHOP_ADMIN_URLS:
        assert url not in html
