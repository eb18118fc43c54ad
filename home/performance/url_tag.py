"""``{% url %}`` with what it reverses kept per process: a template builtin (settings.TEMPLATES).

Django's ``{% url %}`` calls ``reverse`` on every render, about 50 µs for a namespaced name on
the benchmark's machine; the shell of every page has eight (the feeds, search, the shop's
account, gift card balance and catalogue), several per cent of an uncached page. What
``reverse`` returns depends only on the name and arguments, the URLconf, the script prefix,
the active language and the current application namespace, so this tag keeps it per process
for those (``page_urls.reverse_memo``). Arguments other than plain strings and integers (a model
instance, whose ``str()`` may change) are reversed every time; a name that does not reverse
raises Django's own error, or gives "" with ``as var``, as Django's tag does.

It is Django's tag (the same parsing and node) but for where the URL comes from, and it
replaces Django's in every template, the admin's included.
"""

from __future__ import annotations

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape

from .page_urls import reverse_memo

register = template.Library()


def _current_app(context) -> str | None:
    # As Django's URLNode finds it.
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


def _kept(value) -> bool:
    # Plain strings and integers only: a subclass (an enum member, a lazy or marked string) may
    # print otherwise than it compares, and is reversed every time.
    return type(value) is str or type(value) is int


class MemoURLNode(URLNode):
    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        current_app = _current_app(context)
        url = ""
        try:
            if isinstance(view_name, str) and all(map(_kept, args)) and all(map(_kept, kwargs.values())):
                url = reverse_memo(view_name, *args, current_app=current_app, **kwargs)
            else:
                url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return MemoURLNode(node.view_name, node.args, node.kwargs, node.asvar)
