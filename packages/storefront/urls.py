"""The shop's pages under ``/shop/`` (namespace ``shop``)."""

from django.urls import path

from . import account, bulk, giftcards, shop

app_name = "shop"

urlpatterns = [
    path("", shop.catalog, name="catalog"),
    path("orders/<str:token>/", shop.order_status, name="order_status"),
    path("orders/<str:token>/cancelled/", shop.order_cancelled, name="order_cancelled"),
    path("orders/<str:token>/codes/", bulk.bulk_codes_download, name="bulk_codes_download"),
    path("stand-in/checkout/<str:session_id>/", shop.stand_in_checkout, name="stand_in_checkout"),
    # After the sale: before the offer pattern, which would match these too.
    path("account/", account.account, name="account"),
    path("account/check-email/", account.account_check_email, name="account_check_email"),
    path("account/sign-in/<str:token>/", account.account_link, name="account_link"),
    path("account/sign-out/", account.account_sign_out, name="account_sign_out"),
    path("account/memberships/<int:pk>/", account.account_membership, name="account_membership"),
    path("gift-cards/balance/", giftcards.gift_card_balance, name="gift_card_balance"),
    path("gift-cards/print/", giftcards.gift_card_print, name="gift_card_print"),
    path("gift-cards/print/<str:token>/", giftcards.gift_card_print_link, name="gift_card_print_link"),
    path("gift-cards/bulk/recipients-template.csv", bulk.gift_cards_bulk_template, name="gift_cards_bulk_template"),
    path("gift-cards/<slug:slug>/bulk/", bulk.gift_cards_bulk, name="gift_cards_bulk"),
    path("<slug:kind>/<slug:slug>/", shop.offer_detail, name="offer"),
]
