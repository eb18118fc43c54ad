"""Writing data onto stored objects only where it differs: what makes the demo loader idempotent.

Everything is compared in the shape the data gives it (StreamField JSON without
block ids, many-to-many as sets of pks, inline rows by their key), and only
written when it differs, so a second run creates nothing, publishes no new
revisions and counts every object as unchanged in the :class:`Tally`.
"""

from __future__ import annotations

from collections import Counter

from django.db import models
from wagtail.fields import StreamField
from wagtail.models import Page

from home.models import HomePageFeaturedTreatment, TreatmentDuration

# Child relations (InlinePanels) the loader fills, with the field that identifies a row,
# so an existing row is updated in place instead of deleted and re-inserted.
CHILD_KEYS = {"durations": "minutes", "featured_treatments": "treatment"}
CHILD_MODELS = {"durations": TreatmentDuration, "featured_treatments": HomePageFeaturedTreatment}


class Tally(Counter):
    """Counts of (kind, outcome), e.g. ("pages", "created"), plus the extension modules that ran."""

    def __init__(self):
        super().__init__()
        self.extensions: list[str] = []

    def add(self, kind: str, outcome: str) -> None:
        self[(kind, outcome)] += 1

    def lines(self) -> list[str]:
        """One line per kind, in the order first counted: "pages: 2 created, 12 unchanged"."""
        order = ["created", "updated", "unchanged", "deleted"]
        by_kind: dict[str, dict[str, int]] = {}
        for (kind, outcome), count in self.items():
            by_kind.setdefault(kind, {})[outcome] = count
        lines = []
        for kind, outcomes in by_kind.items():
            parts = [f"{outcomes[o]} {o}" for o in sorted(outcomes, key=order.index)]
            lines.append(f"{kind}: {', '.join(parts)}")
        if self.extensions:
            lines.append(f"extensions run: {', '.join(self.extensions)}")
        return lines


# --- Comparing what is stored with what the data says ------------------------------------------


def _plain(value):
    return value.pk if isinstance(value, models.Model) else value


def _strip_block_ids(data):
    """StreamField JSON without the random block ids, so equal content compares equal."""
    if isinstance(data, list):
        return [_strip_block_ids(item) for item in data]
    if isinstance(data, dict):
        return {key: _strip_block_ids(value) for key, value in data.items() if key != "id"}
    return data


def _stored(obj: models.Model, name: str, wanted):
    """The stored value of ``name`` in the same shape as ``wanted`` (which :func:`_wanted` gives)."""
    if name in CHILD_KEYS:
        keys = list(wanted[0]) if wanted else [CHILD_KEYS[name]]
        rows = getattr(obj, name).all().order_by("sort_order")
        return [{key: _plain(getattr(row, key)) for key in keys} for row in rows]
    field = obj._meta.get_field(name)
    if isinstance(field, StreamField):
        return _strip_block_ids(field.get_prep_value(getattr(obj, name)))
    if field.many_to_many:
        return {item.pk for item in getattr(obj, name).all()}
    if field.is_relation:
        return getattr(obj, field.attname)
    return getattr(obj, name)


def _wanted(obj: models.Model, name: str, value):
    if name in CHILD_KEYS:
        return [{key: _plain(item) for key, item in row.items()} for row in value]
    field = obj._meta.get_field(name)
    if isinstance(field, StreamField):
        return _strip_block_ids(field.get_prep_value(field.to_python(value)))
    if field.many_to_many:
        return {item.pk for item in value}
    return _plain(value)


def _differences(obj: models.Model, fields: dict) -> list[str]:
    """Names of the ``fields`` whose stored value differs from the given one."""
    differences = []
    for name, value in fields.items():
        wanted = _wanted(obj, name, value)
        if _stored(obj, name, wanted) != wanted:
            differences.append(name)
    return differences


def _build_children(obj: models.Model | None, name: str, rows: list[dict]) -> list[models.Model]:
    """Child objects for ``rows``, reusing the stored row with the same key where there is one."""
    key = CHILD_KEYS[name]
    existing = {}
    if obj is not None and obj.pk:
        existing = {_plain(getattr(row, key)): row for row in getattr(obj, name).all()}
    children = []
    for index, row in enumerate(rows):
        child = existing.get(_plain(row[key])) or CHILD_MODELS[name]()
        for attr, value in row.items():
            setattr(child, attr, value)
        child.sort_order = index
        children.append(child)
    return children


# --- Pages -------------------------------------------------------------------------------------------


def sync_page(page: Page, fields: dict, tally: Tally) -> Page:
    """Publish ``fields`` on an existing page, unless it is already live with exactly that content."""
    if not _differences(page, fields) and page.live and not page.has_unpublished_changes:
        tally.add("pages", "unchanged")
        return page
    for name, value in fields.items():
        setattr(page, name, _build_children(page, name, value) if name in CHILD_KEYS else value)
    page.save_revision().publish()
    tally.add("pages", "updated")
    return page


def upsert_page(factory, *, parent: Page, slug: str, fields: dict, tally: Tally) -> Page:
    """Find the page with ``slug`` under ``parent`` and sync it, or create and publish it with ``factory``."""
    model = factory._meta.model
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is not None:
        return sync_page(page, fields, tally)
    values = {
        name: _build_children(None, name, value) if name in CHILD_KEYS else value for name, value in fields.items()
    }
    page = factory(parent=parent, slug=slug, **values)
    page.save_revision().publish()
    tally.add("pages", "created")
    return page


# --- Other objects --------------------------------------------------------------------------------


def sync_object(obj: models.Model, fields: dict, kind: str, tally: Tally, *, created: bool = False) -> None:
    if created:
        tally.add(kind, "created")
        return
    if not _differences(obj, fields):
        tally.add(kind, "unchanged")
        return
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    tally.add(kind, "updated")
