"""The shop's import layers (docs/architecture.md), checked on the source.

Bottom to top: models → payments (the Stripe gateways) → emails, tasks → services →
selectors and everything the user meets (customer views, the API, the webhook view,
staff screens, admin hooks, demo, factories, commands). A layer never imports one
above it; no module imports a project module inside a function; only
``packages.payments`` imports ``stripe``.
"""

from __future__ import annotations

import ast

import pytest

from tests.site.test_layers import GRAPH, SOURCES, _imports

SHOP = sorted(module for module in SOURCES if module.split(".")[0] == "packages")

# The shop's lower layers and what each may import from the shop (besides its own package).
LOWER = {
    "packages.models": set(),
    "packages.payments": {"packages.models"},
    "packages.emails": {"packages.models"},
    "packages.tasks": {"packages.models", "packages.payments", "packages.emails"},
    "packages.services": {"packages.models", "packages.payments", "packages.emails", "packages.tasks"},
    "packages.selectors": {"packages.models"},
}
TOP_OF_PAYMENTS = "packages.payments.webhooks"  # the webhook view sits above the services


def _area(module: str) -> str | None:
    if module == TOP_OF_PAYMENTS:
        return None
    return next((area for area in LOWER if module == area or module.startswith(area + ".")), None)


def test_no_project_import_inside_a_function():
    inside = [f"{m}:{line} -> {target}" for m in SHOP for target, line, in_function in _imports(m) if in_function]
    assert inside == []


@pytest.mark.parametrize("module", [m for m in SHOP if _area(m)])
def test_lower_layers_import_only_what_is_below_them(module):
    area = _area(module)
    allowed = LOWER[area] | {area}
    wrong = [
        target
        for target in sorted(GRAPH[module])
        if target.split(".")[0] == "packages" and target != "packages" and _area(target) not in allowed
    ]
    assert wrong == [], f"{module} reaches up to {wrong}"


def test_the_shop_reads_only_the_base_layer_of_home_below_its_top():
    base = {
        "home.money",
        "home.base_models",
        "home.content_cache",
        "home.performance.prepared",
        "home.performance.folded",
        "home.performance.page_urls",
    }
    wrong = [
        f"{m} -> {target}"
        for m in SHOP
        if _area(m)
        for target in sorted(GRAPH[m])
        if target.split(".")[0] in ("home", "blog") and target not in base
    ]
    assert wrong == []


def test_only_the_payments_package_imports_stripe():
    importers = []
    for module in SOURCES:
        tree = ast.parse(SOURCES[module].read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            if any(name == "stripe" or name.startswith("stripe.") for name in names):
                importers.append(module)
    assert importers and all(m.startswith("packages.payments") for m in importers), importers
