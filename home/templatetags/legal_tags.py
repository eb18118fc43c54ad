"""``{% legal_links as links %}``: the studio's terms and privacy pages, for the footer and checkout forms.

They are standard pages directly under the home page with the slugs "terms" and
"privacy" (the demo content makes both). Read from the site sections the main
navigation already loads for the request, so the links cost no extra query.
"""

from django import template

from home import selectors

register = template.Library()

LEGAL_PAGES = (("terms", "Terms of sale"), ("privacy", "Privacy notice"))


@register.simple_tag(takes_context=True)
def legal_links(context) -> dict[str, dict[str, str]]:
    """{"terms": {"title", "url"}, "privacy": {...}} for whichever of the two pages is live and public."""
    request = context.get("request")
    if request is None:
        return {}
    pages = {page.slug: page for page in selectors.site_sections(request)}
    links = {}
    for slug, title in LEGAL_PAGES:
        page = pages.get(slug)
        url = page.get_url(request=request) if page is not None else None
        if url:
            links[slug] = {"title": title, "url": url}
    return links
