"""The studio's own pages render what a visitor needs: headings, prices, pressure, the disclaimer."""

from pytest_django.asserts import assertContains, assertNotContains

from home.models import TreatmentPage
from tests.conftest import DISCLAIMER, HERO_HEADING, STUDIO_NAME


def test_home_page_is_the_site_root(site_tree, client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["page"].specific == site_tree.home
    assertContains(response, HERO_HEADING)
    assertContains(response, STUDIO_NAME)
    assertNotContains(response, "Welcome to your new Wagtail site")


def test_home_page_lists_featured_treatments_and_latest_live_articles(site_tree, client):
    response = client.get("/")
    assertContains(response, site_tree.deep_tissue.title)
    assertContains(response, site_tree.deep_tissue.url)
    assertContains(response, site_tree.swedish.title)
    assertContains(response, site_tree.sciatica_article.title)
    assertContains(response, site_tree.piriformis_article.title)
    assertNotContains(response, site_tree.draft_article.title)
    assertNotContains(response, site_tree.private_article.title)


def test_home_page_hides_unpublished_featured_treatment(site_tree, client):
    site_tree.swedish.unpublish()
    response = client.get("/")
    assertContains(response, site_tree.deep_tissue.title)
    assertNotContains(response, site_tree.swedish.title)


def test_treatment_page_shows_prices_intensity_and_disclaimer(site_tree, client):
    response = client.get(site_tree.deep_tissue.url)
    assert response.status_code == 200
    assertContains(response, f"<h1>{site_tree.deep_tissue.title}</h1>", html=True)
    assertContains(response, site_tree.deep_tissue.summary)
    # Durations with single-session prices, from integer cents.
    assertContains(response, "60 min")
    assertContains(response, "$95")
    assertContains(response, "90 min")
    assertContains(response, "$135")
    # Pressure level and what it means for the client.
    assertContains(response, "Strong")
    assertContains(response, TreatmentPage.INTENSITY_NOTES["strong"])
    assertContains(response, "Ask your doctor first")  # contraindications
    assertContains(response, DISCLAIMER)
    # Topics link to the topic listings.
    assertContains(response, site_tree.blog_index.url + "topic/sciatica/")


def test_treatment_page_intensity_note_follows_the_intensity(site_tree, client):
    response = client.get(site_tree.swedish.url)
    assertContains(response, "$80")
    assertContains(response, TreatmentPage.INTENSITY_NOTES["mild"])
    assertNotContains(response, TreatmentPage.INTENSITY_NOTES["strong"])


def test_treatment_page_related_articles_are_live_and_public(site_tree, client):
    response = client.get(site_tree.deep_tissue.url)
    assertContains(response, site_tree.sciatica_article.title)
    assertContains(response, site_tree.piriformis_article.title)
    assertNotContains(response, site_tree.draft_article.title)
    assertNotContains(response, site_tree.private_article.title)


def test_treatment_index_lists_live_treatments_with_lowest_price(site_tree, client):
    hidden = TreatmentPage(title="Hot Stone Massage (draft)", summary="x", technique="<p>x</p>", live=False)
    site_tree.treatment_index.add_child(instance=hidden)
    response = client.get(site_tree.treatment_index.url)
    assert response.status_code == 200
    assertContains(response, "<h1>Treatments</h1>", html=True)
    assertContains(response, site_tree.deep_tissue.title)
    assertContains(response, "from $95")
    assertContains(response, site_tree.swedish.title)
    assertContains(response, "from $80")
    assertNotContains(response, hidden.title)
    assertContains(response, DISCLAIMER)


def test_standard_page_renders_intro_and_body(site_tree, client):
    response = client.get(site_tree.about.url)
    assert response.status_code == 200
    assertContains(response, "<h1>About the studio</h1>", html=True)
    assertContains(response, site_tree.about.intro)
    assertContains(response, "Our story")
    assertContains(response, "Founded in 2019")


def test_footer_shows_studio_settings(site_tree, client):
    response = client.get(site_tree.about.url)
    assertContains(response, site_tree.settings.phone)
    assertContains(response, site_tree.settings.email)
    assertContains(response, "Sat 10 a.m.–2 p.m.")  # typed as 10:00–14:00, shown the US way


def test_draft_page_is_not_served(site_tree, client):
    site_tree.about.unpublish()
    assert client.get("/about/").status_code == 404
