"""Two instances of one application namespace, for ``{% url %}``'s current application
(tests/home/test_url_tag.py)."""

from django.http import HttpResponse
from django.urls import include, path


def _view(request, slug=""):
    return HttpResponse(slug)


booth = ([path("visit/", _view, name="visit"), path("visit/<slug:slug>/", _view, name="visit_one")], "booth")

urlpatterns = [path("north/", include(booth, namespace="north")), path("south/", include(booth, namespace="south"))]
