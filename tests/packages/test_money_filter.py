from django.template import Context, Template

from home.money import format_money


def render(source: str, **context) -> str:
    return Template("{% load money %}" + source).render(Context(context))


def test_money_filters_format_minor_units_with_their_sign():
    assert render("{{ a|money:'usd' }}", a=1250) == "$12.50"
    assert render("{{ a|money:'usd' }}", a=-3500) == "−$35"
    assert render("{{ a|signed_money:'usd' }}", a=10000) == "+$100"
    assert render("{{ a|signed_money:'eur' }}", a=-5) == "−€0.05"
    assert render("{{ a|money }}", a=None) == ""


def test_format_money_keeps_the_sign_of_negative_amounts():

    assert format_money(-4250) == "−$42.50"  # divmod on a negative once gave "$-43.50"
    assert format_money(-5, "eur") == "−€0.05"
    assert format_money(123456, "chf") == "1,234.56 CHF"
