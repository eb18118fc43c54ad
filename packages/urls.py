from django.urls import path

from . import views

app_name = "shop"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("orders/<str:token>/", views.order_status, name="order_status"),
    path("orders/<str:token>/cancelled/", views.order_cancelled, name="order_cancelled"),
    path("stand-in/checkout/<str:session_id>/", views.stand_in_checkout, name="stand_in_checkout"),
    path("<slug:kind>/<slug:slug>/", views.offer_detail, name="offer"),
]
