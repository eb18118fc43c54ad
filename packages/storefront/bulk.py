"""Gift cards in bulk: the order page (a CSV of recipients, or codes for the buyer), its CSV template,
and the one-time download of the codes.

Codes exist in clear only in the download's response: never in a page, a log or an error.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from home.base_models import StudioSettings

from .. import services
from ..models import BULK_MAX_CARDS, BulkGiftCardOffer, Order
from .forms import BulkGiftCardForm
from .ratelimit import checkout_rate_limited, gift_code_rate_limited, too_many
from .shop import checkout_redirect

TEMPLATE = "shop/gift_cards_bulk.html"


def _offer(slug: str) -> BulkGiftCardOffer:
    offer = services.offer_get(kind=BulkGiftCardOffer.kind, slug=slug)
    if offer is None:
        raise Http404("No such gift card.")
    return offer


def _forget_gift_code(form: BulkGiftCardForm) -> None:
    if form.is_bound:
        form.data = form.data.copy()
        form.data["gift_card"] = ""


@sensitive_post_parameters("gift_card")
@require_http_methods(["GET", "POST"])
def gift_cards_bulk(request, slug: str):
    """Up to 100 cards of one amount; every row of the recipients' list is checked before any payment."""
    offer = _offer(slug)
    studio = StudioSettings.for_request(request)
    form = BulkGiftCardForm(request.POST or None, request.FILES or None, offer=offer)
    context = {"offer": offer, "form": form, "studio": studio, "max_cards": BULK_MAX_CARDS}
    if request.method == "POST" and form.is_valid():
        retry_after = checkout_rate_limited(request, form.cleaned_data["email"])
        if form.cleaned_data.get("gift_card"):
            retry_after = max(retry_after, gift_code_rate_limited(request, form.cleaned_data["gift_card"]))
        if retry_after:
            _forget_gift_code(form)
            return too_many(request, TEMPLATE, context, retry_after)
        try:
            order = services.bulk_order_create(offer=offer, **form.service_kwargs())
        except services.ShopValidationError as error:
            form.add_service_errors(error.errors)
        else:
            response = checkout_redirect(request, order)
            if response is not None:
                return response
    _forget_gift_code(form)
    return TemplateResponse(request, TEMPLATE, context, status=400 if request.method == "POST" else 200)


def gift_cards_bulk_template(request):
    """A CSV to fill in: the header row and two example rows (dates in the next weeks)."""
    today = timezone.localdate()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(services.CSV_COLUMNS)
    writer.writerow(["Sam Rivera", "sam@example.com", "Thank you for a great year!", f"{today + timedelta(7)}"])
    writer.writerow(["Alex Chen", "alex@example.com", "For a well-earned rest.", ""])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gift-card-recipients.csv"'
    return response


@sensitive_variables("codes", "body")
@never_cache
@require_POST
def bulk_codes_download(request, token: str):
    """The buyer's one-time download of a paid bulk order's codes (a POST, so link scanners never spend it)."""
    order = get_object_or_404(Order, public_token=token)
    try:
        codes = services.bulk_codes_issue(order_id=order.pk)
    except services.BulkError as error:
        messages.error(request, str(error))
        return redirect(order.get_absolute_url())
    body = services.bulk_codes_csv(order, codes)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gift-card-codes-{token[:8]}.csv"'
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "same-origin"
    return response
