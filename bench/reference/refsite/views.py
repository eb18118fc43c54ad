"""Two views: a template with a base layout and a 20-item loop, and a constant."""

from django.http import HttpResponse
from django.shortcuts import render

ITEMS = [
    {
        "title": f"Item {n}",
        "summary": "A short line of text about this item, as a listing card would show it.",
        "url": f"/items/{n}/",
        "price": f"${40 + n}.00",
    }
    for n in range(1, 21)
]


def template_view(request):
    return render(request, "items.html", {"title": "Items", "items": ITEMS})


def constant_view(request):
    return HttpResponse(b"ok", content_type="text/plain")
