"""One commit per webhook delivery: the event record, the handler's rows and its email task together.

With the database task backend (production's), a service enqueues its task inside the
business transaction (``services.outbox.enqueue``): the task row commits with the order,
or rolls back with it, and no worker can see it earlier. Any other backend (the test
suite's immediate one) still enqueues on commit. Commits are counted at the connection:
``connection.commit()`` calls plus writes run outside any transaction (autocommit).
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from packages import tasks
from packages.models import CreditGrant, Order, StripeEvent
from packages.payments import webhooks
from packages.services import outbox

from .conftest import EMAIL, checkout_session, event, make_order, post_webhook
from .test_webhooks import site_tree  # noqa: F401 - the small tree the shop fixture needs

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@contextmanager
def counting_commits():
    """``{"commits": n, "savepoints": n}`` for what runs inside: every COMMIT, explicit or autocommitted."""
    counted = {"commits": 0, "savepoints": 0}

    def wrapper(execute, sql, params, many, context):
        verb = sql.lstrip().split(None, 1)[0].upper()
        if verb == "SAVEPOINT":
            counted["savepoints"] += 1
        elif verb in WRITES and not connection.in_atomic_block and connection.get_autocommit():
            counted["commits"] += 1  # a write outside any transaction commits on its own
        return execute(sql, params, many, context)

    original = connection.commit

    def commit():
        counted["commits"] += 1
        return original()

    connection.commit = commit
    try:
        with connection.execute_wrapper(wrapper):
            yield counted
    finally:
        del connection.commit


@pytest.fixture
def database_tasks(settings, monkeypatch):
    """Production's task backend: tasks are rows in the same database, run by ``db_worker``."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes stale connections between tasks; here that would be the test's own.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def run_worker() -> None:
    call_command("db_worker", batch=True, reload=False, interval=0, startup_delay=False, verbosity=0)


def order_email_tasks(order) -> list[DBTaskResult]:
    return [
        row
        for row in DBTaskResult.objects.filter(task_path=tasks.send_order_emails.module_path)
        if row.args_kwargs["args"] == [order.pk]
    ]


def paid(order) -> dict:
    return event("checkout.session.completed", checkout_session(order))


@pytest.mark.django_db(transaction=True)
def test_a_delivery_commits_once_with_its_email_task(shop, database_tasks):
    client = Client()
    order = make_order(shop.series)
    with counting_commits() as counted:
        response = post_webhook(client, paid(order))
    assert response.status_code == 200, response.content
    assert counted["commits"] == 1, counted
    # The event is stored without a savepoint of its own (an insert that ignores a duplicate id);
    # the handler runs in one; the fulfilment and the credit it opens add none.
    assert counted["savepoints"] == 1, counted
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    assert len(order_email_tasks(order)) == 1

    run_worker()
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert order_email_tasks(order)[0].status == "SUCCESSFUL"


#: A paid series' delivery, statement by statement (transaction control aside): the budget of issue #15.
DELIVERY_STATEMENTS = [
    ("INSERT", "packages_stripeevent"),  # stored once: a duplicate id is ignored
    ("SELECT", "packages_stripeevent"),  # locked; its payload is not read back
    ("SELECT", "packages_order"),  # locked, with its customer
    ("UPDATE", "packages_order"),  # only the fields fulfilment sets
    ("SELECT", "packages_orderline"),
    ("INSERT", "packages_creditgrant"),
    ("INSERT", "packages_creditentry"),
    ("INSERT", "django_tasks_database_dbtaskresult"),  # the order's emails, in the same transaction
    ("UPDATE", "packages_stripeevent"),  # processed
]


def statement(sql: str) -> tuple[str, str] | None:
    """``(verb, first table)`` of a data statement; None for BEGIN, COMMIT and savepoints."""
    verb = sql.lstrip().split(None, 1)[0].upper()
    if verb not in ("SELECT", "INSERT", "UPDATE", "DELETE"):
        return None
    marker = {"SELECT": " FROM ", "INSERT": " INTO ", "UPDATE": "UPDATE ", "DELETE": " FROM "}[verb]
    return verb, sql.split(marker, 1)[1].split(None, 1)[0].strip('"')


def delivery_statements(client, order) -> list[tuple[str, str]]:
    delivery = paid(order)
    with CaptureQueriesContext(connection) as queries:
        response = post_webhook(client, delivery)
    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED and order.stripe_amount_total == order.amount_total_minor
    assert CreditGrant.objects.get(order=order).balance == 5
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if statement(s) == ("SELECT", "packages_stripeevent") and "payload" in s]
    assert not [s for s in sql if statement(s) == ("UPDATE", "packages_order") and "public_token" in s]
    return [s for s in map(statement, sql) if s]


@pytest.mark.django_db(transaction=True)
def test_a_delivery_runs_nine_statements_and_a_first_purchase_one_more(shop, database_tasks):
    client = Client()
    first, second = make_order(shop.series), make_order(shop.series)
    # The buyer's first paid order remembers their Stripe customer id, once.
    expected = [*DELIVERY_STATEMENTS[:4], ("UPDATE", "packages_customer"), *DELIVERY_STATEMENTS[4:]]
    assert delivery_statements(client, first) == expected
    assert delivery_statements(client, second) == DELIVERY_STATEMENTS


@pytest.mark.django_db(transaction=True)
def test_a_failed_handler_commits_its_error_and_no_task_then_a_redelivery_fulfils_once(
    shop, database_tasks, monkeypatch
):
    client = Client()
    order = make_order(shop.series)
    original = webhooks.HANDLERS["checkout.session.completed"]

    def fulfil_then_fail(evt):
        original(evt)  # fulfils and enqueues the order's emails in the handler's savepoint
        raise RuntimeError("after the work")

    monkeypatch.setitem(webhooks.HANDLERS, "checkout.session.completed", fulfil_then_fail)
    delivery = paid(order)
    with counting_commits() as counted:
        assert post_webhook(client, delivery).status_code == 500
    assert counted["commits"] == 1, counted
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and not CreditGrant.objects.filter(order=order).exists()
    assert order_email_tasks(order) == []
    assert "after the work" in StripeEvent.objects.get(event_id=delivery["id"]).error

    monkeypatch.setitem(webhooks.HANDLERS, "checkout.session.completed", original)
    assert post_webhook(client, delivery).status_code == 200
    assert post_webhook(client, delivery).json()["outcome"] == "duplicate"
    run_worker()
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    assert CreditGrant.objects.filter(order=order).count() == 1
    assert len(order_email_tasks(order)) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_duplicate_deliveries_fulfil_and_email_once(shop, database_tasks):
    client = Client()
    order = make_order(shop.series)
    delivery = paid(order)
    outcomes = [post_webhook(client, delivery).json()["outcome"] for _ in range(3)]
    assert outcomes == ["processed", "duplicate", "duplicate"]
    run_worker()
    assert CreditGrant.objects.filter(order=order).count() == 1
    assert len(order_email_tasks(order)) == 1
    assert len(mail.outbox) == 1


def test_enqueue_waits_for_the_commit_with_a_backend_outside_the_database(shop, django_capture_on_commit_callbacks):
    """The suite's immediate backend runs a task as it is enqueued: inside a transaction, only on commit."""
    order = make_order(shop.series)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.enqueue(tasks.send_order_emails, order.pk)
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert not DBTaskResult.objects.exists()


def test_enqueue_writes_the_task_row_inside_the_transaction_with_the_database_backend(shop, database_tasks):
    with transaction.atomic():
        waiting = len(connection.run_on_commit)
        outbox.enqueue(tasks.send_order_emails, 7)
        assert len(connection.run_on_commit) == waiting  # nothing left for the commit: the row is written
        assert DBTaskResult.objects.filter(task_path=tasks.send_order_emails.module_path).count() == 1
        transaction.set_rollback(True)
    assert not DBTaskResult.objects.exists()
