"""``{% url %}`` with what it reverses kept per process (home/performance/url_tag.py): Django's tag
everywhere (a builtin), the same URLs and errors, reversed once per name and arguments."""

from __future__ import annotations

import enum

import pytest
from django.template import Context, Template, engines
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from home.performance import page_urls, url_tag


@pytest.fixture(autouse=True)
def fresh_memo():
    page_urls._reversed.cache_clear()
    yield
    page_urls._reversed.cache_clear()


@pytest.fixture
def reversals(monkeypatch) -> list:
    calls = []
    original = page_urls.reverse

    def counting(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(page_urls, "reverse", counting)
    return calls


def _render(source: str, context: dict | None = None, request=None) -> str:
    template = engines["django"].from_string(source)
    return template.render(context or {}, request)


def test_every_template_gets_the_tag():
    node = Template("{% url 'search' %}").nodelist[0]
    assert isinstance(node, url_tag.MemoURLNode)


def test_the_same_urls_reversed_once_per_name_and_arguments(reversals):
    names = ["search", "shop:account", "shop:catalog", "articles_rss"]
    source = "".join(f"{{% url '{name}' %}}|" for name in names)
    expected = "".join(f"{reverse(name)}|" for name in names)
    assert _render(source) == expected
    assert _render(source) == expected
    assert sorted(reversals) == sorted(names)
    reversals.clear()
    offer = "{% url 'shop:offer' kind=kind slug=slug %}"
    assert _render(offer, {"kind": "series", "slug": "five"}) == reverse(
        "shop:offer", kwargs={"kind": "series", "slug": "five"}
    )
    assert _render(offer, {"kind": "series", "slug": "five"}) == _render(offer, {"kind": "series", "slug": "five"})
    assert _render(offer, {"kind": "series", "slug": "ten"}).endswith("/ten/")
    assert reversals == ["shop:offer", "shop:offer"]


def test_as_var_and_escaping_as_djangos():
    assert _render("{% url 'search' as where %}[{{ where }}]") == f"[{reverse('search')}]"
    assert _render("{% url 'no-such-view' as where %}[{{ where }}]") == "[]"
    with pytest.raises(NoReverseMatch, match="'no-such-view' is not a valid view function or pattern name"):
        _render("{% url 'no-such-view' %}")
    with override_settings(ROOT_URLCONF="tests.home.app_instance_urls"):
        raw = reverse("north:visit_one", kwargs={"slug": "a-b"})
        assert _render("{% url 'north:visit_one' slug='a-b' %}") == conditional_escape(raw)
        plain = Template("{% autoescape off %}{% url 'north:visit_one' slug='a-b' %}{% endautoescape %}")
        assert plain.render(Context()) == raw


def test_the_current_application_is_part_of_the_memo():
    with override_settings(ROOT_URLCONF="tests.home.app_instance_urls"):
        request = RequestFactory().get("/")
        request.current_app = "south"
        assert _render("{% url 'booth:visit' %}", request=request) == "/south/visit/"
        request.current_app = "north"
        assert _render("{% url 'booth:visit' %}", request=request) == "/north/visit/"


def test_the_script_prefix_and_urlconf_are_part_of_the_memo():
    plain = _render("{% url 'search' %}")
    set_script_prefix("/studio/")
    try:
        assert _render("{% url 'search' %}") == "/studio" + plain
    finally:
        clear_script_prefix()
    assert _render("{% url 'search' %}") == plain
    with override_settings(ROOT_URLCONF="tests.home.app_instance_urls"), pytest.raises(NoReverseMatch):
        _render("{% url 'search' %}")


def test_an_object_argument_is_reversed_every_time(reversals, monkeypatch):
    class Slug:
        def __init__(self, text):
            self.text = text

        def __str__(self):
            return self.text

    calls = []
    original = url_tag.reverse
    monkeypatch.setattr(url_tag, "reverse", lambda *a, **k: calls.append(a[0]) or original(*a, **k))
    with override_settings(ROOT_URLCONF="tests.home.app_instance_urls"):
        slug = Slug("first")
        source = "{% url 'north:visit_one' slug %}"
        assert _render(source, {"slug": slug}) == "/north/visit/first/"
        slug.text = "second"
        assert _render(source, {"slug": slug}) == "/north/visit/second/"
    assert calls == ["north:visit_one", "north:visit_one"]
    assert reversals == []

    class Kind(enum.IntEnum):
        FIRST = 1

    calls.clear()
    with override_settings(ROOT_URLCONF="tests.home.app_instance_urls"):
        # A subclass of int or str may print otherwise than it compares: reversed every time too.
        assert _render("{% url 'north:visit_one' slug %}", {"slug": Kind.FIRST}) == "/north/visit/1/"
        assert _render("{% url 'north:visit_one' slug %}", {"slug": mark_safe("safe")}) == "/north/visit/safe/"
    assert calls == ["north:visit_one", "north:visit_one"]
