"""The published OpenAPI schemas hold: schemathesis generates requests and checks every response, in process.

Both the content API (/api/v3/openapi.json) and the shop API
(/api/shop/openapi.json) are loaded from the WSGI application itself, so no
server runs. Examples are few and derandomized to keep the run short and
repeatable; the content API is also called with real ids and slugs, so that
successful responses of every page type are validated, not just 404s.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance, status_code_conformance

from home import factories

# Wagtail's v3 schema documents success responses only (its errors are problem+json); its
# public reads accept a bearer token without requiring one; and it cannot express which
# fields may be ordered by or which parameters combine (those get 400/422), nor that the
# public API refuses the database rich text formats its rich_text_format enum lists.
CONTENT_API_EXCLUDED_CHECKS = [status_code_conformance, ignored_auth, positive_data_acceptance]


@pytest.fixture
def wsgi_app(site_tree):
    # As Django's test client does: keep the test's transaction open across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def check(operation, *, max_examples: int, path_parameters: dict | None = None, **validate) -> str | None:
    @given(case=operation.as_strategy(path_parameters=path_parameters))
    @settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(**validate)

    try:
        run()
    except (Exception, BaseExceptionGroup) as error:  # report every operation, not just the first
        return f"{operation.method.upper()} {operation.path} {path_parameters or ''}: {error}"
    return None


def operations(schema) -> dict[str, object]:
    return {f"{op.method.upper()} {op.path}": op for op in (result.ok() for result in schema.get_all_operations())}


@pytest.fixture
def team_and_testimonials(site_tree):
    """So the team and testimonials responses are validated with items (a photo too), not as empty lists."""
    factories.TherapistFactory(
        name="Maya Ortiz", photo=factories.ImageFactory(title="Portrait"), specialities="Deep tissue work"
    )
    factories.TherapistFactory(name="Daniel Reeves")
    factories.TestimonialFactory(name="Priya S.", show_on_home=True)


def test_content_api_matches_its_schema(wsgi_app, site_tree, team_and_testimonials):
    schema = (
        schemathesis.openapi.from_wsgi("/api/v3/openapi.json", wsgi_app)
        .include(method="GET")
        # No snippet model keeps revisions, so Wagtail types {type} there as an empty enum.
        .exclude(path_regex=r"/snippets/.+/revisions/")
    )
    ops = operations(schema)
    validate = {"excluded_checks": CONTENT_API_EXCLUDED_CHECKS}
    studio = {"GET /api/v3/settings/", "GET /api/v3/team/", "GET /api/v3/testimonials/", "GET /api/v3/faq/"}
    assert studio <= ops.keys(), sorted(ops)

    failures = [check(op, max_examples=4, **validate) for op in ops.values()]
    failures += [
        check(ops["GET /api/v3/pages/{page_id}/"], max_examples=2, path_parameters={"page_id": page.pk}, **validate)
        for page in site_tree.live_public_pages
    ]
    failures.append(check(ops["GET /api/v3/topics/{slug}/"], max_examples=2, path_parameters={"slug": "sciatica"}))

    failures = [failure for failure in failures if failure]
    assert not failures, "\n\n".join(failures)


def test_shop_api_matches_its_schema(wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/shop/openapi.json", wsgi_app)

    failures = [check(op, max_examples=5) for op in operations(schema).values()]

    failures = [failure for failure in failures if failure]
    assert not failures, "\n\n".join(failures)
