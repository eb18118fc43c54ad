"""{% offer_saving %}: what a series or a membership saves per session against single sessions."""

from home.templatetags.offer_tags import offer_saving
from tests.packages.conftest import build_shop


def test_series_and_membership_savings_per_session(site_tree):
    shop = build_shop(site_tree)  # deep tissue: 60 min at $95; the series is 5 × 60 min for $425
    assert offer_saving(shop.series) == {"per_session": "$10", "total": "$50", "single": "$95"}
    shop.plan.monthly_price_minor = 8000  # one 60-minute session a month
    assert offer_saving(shop.plan)["per_session"] == "$15"


def test_no_saving_no_claim(site_tree):
    shop = build_shop(site_tree)
    shop.series.price_minor = 50000  # dearer than five single sessions
    assert offer_saving(shop.series) == {}
    assert offer_saving(shop.gift) == {}
