"""A URLconf that serves Wagtail's pages under /pages/ (tests/home/test_page_urls.py)."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [path("pages/", include(wagtail_urls))]
