"""The front desk's and managers' admin URLs, under ``/admin/front-desk/`` (namespace ``frontdesk``)."""

from django.urls import path

from . import frontdesk, manager, memberships, privacy, sell, stand_in, stripe_events

app_name = "frontdesk"
urlpatterns = [
    path("", frontdesk.search, name="search"),
    path("customers/<int:pk>/", frontdesk.customer_detail, name="customer"),
    path("customers/<int:pk>/redeem/", frontdesk.redeem_session, name="redeem_session"),
    path("customers/<int:pk>/sell-session/", sell.sell_session, name="sell_session"),
    path("customers/<int:pk>/forget/", privacy.forget_customer, name="forget_customer"),
    path("gift-cards/<int:pk>/", frontdesk.gift_card_detail, name="gift_card"),
    path("gift-cards/<int:pk>/redeem/", frontdesk.redeem_gift_card, name="redeem_gift_card"),
    path("credits/<int:pk>/adjust/", manager.adjust_credit, name="adjust_credit"),
    path("credits/<int:pk>/extend/", manager.extend_credit, name="extend_credit"),
    path("gift-cards/<int:pk>/adjust/", manager.adjust_gift_card, name="adjust_gift_card"),
    path("gift-cards/<int:pk>/void/", manager.void_gift_card, name="void_gift_card"),
    path("gift-cards/<int:pk>/resend/", manager.resend_gift_card, name="resend_gift_card"),
    path("orders/<int:pk>/refund/", manager.refund_order, name="refund"),
    path("orders/<int:pk>/new-codes/", manager.reissue_bulk_codes, name="reissue_bulk_codes"),
    path("memberships/<int:pk>/cancel/", manager.cancel_membership, name="cancel_membership"),
    path("stripe-events/<int:pk>/replay/", stripe_events.replay, name="replay_event"),
    path("stripe-stand-in/", stand_in.controls, name="stand_in"),
    path("memberships/<int:pk>/refund/", memberships.refund_month, name="refund_month"),
    path("memberships/<int:pk>/pause/", memberships.pause, name="pause_membership"),
]
