"""Site-wide views that are not pages: search, health check, robots.txt."""

from django.core.cache import cache
from django.core.paginator import Page as ResultsPage
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from home import content_cache, selectors
from home.performance import fragments


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:200]

    def results() -> ResultsPage:
        pages, total, number = selectors.search_results(query, request.GET.get("page", 1), request)
        paginator = Paginator(range(total), selectors.SEARCH_RESULTS_PER_PAGE)  # the page links: only the total
        return ResultsPage(pages, number, paginator)

    # Read only if the results' fragment renders: with the content cache on, a search asked
    # before since the last publish is answered from its cached HTML (keyed by the full URL).
    context = {"search_query": query, "search_results": SimpleLazyObject(results), fragments.BY_URL: True}
    return TemplateResponse(request, "search/search.html", context)


@content_cache.reads_no_site  # answers even when the cache is down
@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness for load balancers: 200 when the database answers, else 503."""
    status = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        status["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("healthz", "1", 5)
        if cache.get("healthz") != "1":
            status["cache"] = "error: value not kept"
    except Exception as exc:
        status["cache"] = f"error: {exc.__class__.__name__}"
    healthy = status["database"] == "ok"
    status["status"] = "ok" if healthy and status["cache"] == "ok" else ("degraded" if healthy else "down")
    return JsonResponse(status, status=200 if healthy else 503)


@content_cache.reads_no_site
@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /shop/checkout/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
