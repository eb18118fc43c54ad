"""The site's URLs plus uploaded media, for browser tests (the live server runs with DEBUG off,
where site/urls.py serves no media): screenshots show the demo's pictures."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from site.urls import handler500  # noqa: F401 - handler500 is read by Django
from site.urls import urlpatterns as site_urlpatterns


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *site_urlpatterns]
