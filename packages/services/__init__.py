"""Every write the shop makes, each in one transaction with row locks.

One module per sub-domain, one import surface: callers write
``from packages import services`` and ``services.order_create(...)``.

Layers inside (each imports only those before it): ``errors``, ``common``,
``ledger``, ``outbox`` → ``signin``, ``wallet``, ``giftcards``, ``expiry`` → ``orders``,
``memberships`` → ``fulfilment``, ``refunds``. Services import ``packages.tasks``
at their top and enqueue through ``outbox.enqueue`` (in the transaction with the
database task backend, else on commit); the gateway and the models never enqueue work
or send mail.
"""

from .common import (
    GIFT_CODE_ALPHABET,
    GIFT_CODE_LENGTH,
    add_months,
    customer_get_or_create,
    format_gift_code,
    from_timestamp,
    gift_code_hash,
    gift_expiry,
    new_gift_code,
    normalise_email,
    normalise_gift_code,
    valid_email,
)
from .disputes import dispute_closed, dispute_opened
from .errors import BalanceError, FulfilmentError, ShopError, ShopValidationError
from .expiry import ExpiryRun, balances_expire, credits_expire, gift_cards_expire
from .fulfilment import FULFILMENT, membership_invoice_paid, order_fulfil, order_sync_from_session, session_problem
from .giftcards import (
    REDEEM_OVERRIDE_PERMISSION,
    gift_card_adjust,
    gift_card_capture,
    gift_card_create,
    gift_card_deliver,
    gift_card_find,
    gift_card_for_payment,
    gift_card_hold,
    gift_card_redeem,
    gift_card_release,
    gift_card_resend,
    gift_card_void,
    gift_cards_deliver_due,
)
from .memberships import (
    SUBSCRIPTION_STATUS,
    membership_cancel,
    membership_cancel_at_period_end,
    membership_cancel_date,
    membership_grant_month,
    membership_invoice_failed,
    membership_pause,
    membership_sync_subscription,
)
from .orders import (
    GiftDetails,
    offer_get,
    order_create,
    order_expire,
    order_for_session,
    order_payment_failed,
    order_start_checkout,
    stand_in_checkout_pay,
)
from .privacy import Erasure, customer_forget, erased_email, is_erased, stripe_events_prune
from .reconcile import ReconcileRun, stripe_reconcile
from .refunds import membership_month_refund, order_refund, refund_apply, refund_preview, sessions_for_refund
from .reviews import review_open
from .signin import magic_link_consume, magic_link_hash, magic_link_is_open, magic_link_issue, magic_links_purge
from .spending import order_pay
from .stand_in_demo import stand_in_advance_month, stand_in_change_plan, stand_in_dispute
from .wallet import (
    credit_adjust,
    credit_expiry_reminders_send,
    credit_extend,
    credit_grant_create,
    credit_redeem,
    credit_to_use,
)

__all__ = [
    "FULFILMENT",
    "GIFT_CODE_ALPHABET",
    "GIFT_CODE_LENGTH",
    "REDEEM_OVERRIDE_PERMISSION",
    "SUBSCRIPTION_STATUS",
    "BalanceError",
    "ExpiryRun",
    "FulfilmentError",
    "GiftDetails",
    "ShopError",
    "ShopValidationError",
    "add_months",
    "balances_expire",
    "credit_adjust",
    "credit_expiry_reminders_send",
    "credit_extend",
    "credit_grant_create",
    "credit_redeem",
    "credit_to_use",
    "credits_expire",
    "customer_get_or_create",
    "dispute_closed",
    "dispute_opened",
    "format_gift_code",
    "from_timestamp",
    "gift_card_adjust",
    "gift_card_create",
    "gift_card_deliver",
    "gift_card_find",
    "gift_card_redeem",
    "gift_card_resend",
    "gift_card_void",
    "gift_cards_deliver_due",
    "gift_card_for_payment",
    "gift_card_hold",
    "gift_card_capture",
    "gift_card_release",
    "gift_cards_expire",
    "gift_code_hash",
    "gift_expiry",
    "magic_link_consume",
    "magic_link_hash",
    "magic_link_is_open",
    "magic_link_issue",
    "magic_links_purge",
    "membership_cancel",
    "membership_cancel_at_period_end",
    "membership_cancel_date",
    "membership_grant_month",
    "membership_invoice_failed",
    "membership_invoice_paid",
    "membership_month_refund",
    "membership_pause",
    "membership_sync_subscription",
    "new_gift_code",
    "normalise_email",
    "normalise_gift_code",
    "offer_get",
    "order_create",
    "order_expire",
    "order_for_session",
    "order_fulfil",
    "order_pay",
    "order_payment_failed",
    "order_refund",
    "order_start_checkout",
    "order_sync_from_session",
    "refund_apply",
    "refund_preview",
    "sessions_for_refund",
    "review_open",
    "session_problem",
    "stand_in_advance_month",
    "stand_in_change_plan",
    "stand_in_checkout_pay",
    "stand_in_dispute",
    "Erasure",
    "customer_forget",
    "erased_email",
    "is_erased",
    "stripe_events_prune",
    "stripe_reconcile",
    "ReconcileRun",
    "valid_email",
]
