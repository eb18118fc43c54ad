from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from blog.feeds import LatestArticlesAtomFeed, LatestArticlesFeed
from home import views as home_views
from home.api import urls as content_api
from home.performance.views import sitemap
from packages.payments.webhooks import stripe_webhook
from packages.storefront import api as shop_api

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", home_views.search, name="search"),
    path("shop/", include("packages.storefront.urls")),
    path("stripe/webhook/", stripe_webhook, name="stripe_webhook"),
    path("api/shop/", shop_api.urls),
    # The headless content API (home/api/): Wagtail API v2 and v3, previews included.
    path("api/v2/", content_api.v2_urls),
    path("api/v3/", content_api.v3_urls),
    path("healthz", home_views.healthz, name="healthz"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("feeds/articles.rss", LatestArticlesFeed(), name="articles_rss"),
    path("feeds/articles.atom", LatestArticlesAtomFeed(), name="articles_atom"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# The 500 page keeps its self-contained inline styles under the site's strict CSP (site/security.py).
handler500 = "site.security.server_error"
