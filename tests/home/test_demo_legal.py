"""The demo terms of sale and privacy notice (home/demo/legal.py): real text, loaded, and linked."""

import pytest
from django.core.management import call_command

from home.demo import content as demo_content
from home.demo import legal as demo_legal
from home.models import StandardPage


def plain(blocks) -> str:
    parts = []
    for kind, value in blocks:
        if kind == "list":
            parts += value["items"]
        elif isinstance(value, dict):
            parts += [str(v) for v in value.values()]
        else:
            parts.append(str(value))
    return " ".join(parts)


def test_terms_and_privacy_replace_the_sample_text():
    specs = {spec["slug"]: spec for spec in demo_legal.standard_pages(demo_content.STANDARD_PAGES)}
    assert list(specs) == [spec["slug"] for spec in demo_content.STANDARD_PAGES]
    terms = plain(specs["terms"]["body"](demo_content.DemoContext()))
    privacy = plain(specs["privacy"]["body"](demo_content.DemoContext()))
    for text in (terms, privacy):
        assert "Sample text" not in text and "demo site" not in text
    for phrase in ("Gift cards", "CARD Act", "Refunds", "minimum term", "end of the month", "See your doctor"):
        assert phrase in terms, phrase
    for phrase in ("Stripe", "never sell", "My account", "30 days", "Portland, OR 97205"):
        assert phrase in privacy, phrase


@pytest.mark.django_db
def test_the_loader_publishes_them_and_every_page_links_them(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_content", stdout=None)
    terms, privacy = StandardPage.objects.get(slug="terms"), StandardPage.objects.get(slug="privacy")
    assert terms.live and "CARD Act" in str(terms.body) and "Sample text" not in str(terms.body)
    assert "Stripe" in str(privacy.body)
    footer = client.get("/").content.decode().split('<footer class="site-footer">', 1)[1]
    assert f'href="{terms.url}">Terms of sale<' in footer and f'href="{privacy.url}">Privacy notice<' in footer
    assert "Portland, OR 97205" in footer and "Mon–Fri 9 a.m.–7 p.m." in footer
