"""Work a service leaves for later: tasks, and the events the offline stand-in says Stripe would send.

:func:`enqueue` is how every service queues a task. With a backend that keeps its
tasks as rows in our own database (``django_tasks_db``, production's), the row is
written inside the caller's transaction: it commits with the business rows (one commit,
not two: the webhook's rate on SQLite's single write lock) or rolls back with them,
and no worker can claim it before they are visible. Any other backend (the immediate
one of the tests, a broker) is called on commit, so a task never runs ahead of the
rows it reads, nor for work that rolled back.

Real Stripe sends its own webhooks, so its gateway answers no events. The stand-in
answers the events that would follow each call (a refund's ``charge.refunded``, a
cancellation's ``customer.subscription.updated``); the calling service hands them
here, and a task POSTs them, signed, to our webhook once the transaction commits.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.tasks import Task, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .. import tasks


def _stored_beside(task: Task, using: str) -> bool:
    """True when ``task``'s backend writes its rows to the database ``using``."""
    if not isinstance(task_backends[task.backend], DatabaseBackend):
        return False
    return router.db_for_write(DBTaskResult) == using


def enqueue(task: Task, *args: Any, using: str = DEFAULT_DB_ALIAS) -> None:
    """Queue ``task(*args)`` to run only once the current transaction on ``using`` has committed."""
    if _stored_beside(task, using):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args), using=using)


def deliver_on_commit(events: list[dict[str, Any]]) -> None:
    if events:
        enqueue(tasks.deliver_stand_in_events, events)
