"""Related rows as one column of the query that loads the instances: one query fewer per relation.

A page's topics, a treatment's durations or an image's renditions are each one more query
after the page or the image is loaded (``prefetch_related``, or a :class:`PreparedRelation`).
Folded in, they come as one text column of the loading query: a correlated subquery that
turns each related row into a JSON array and joins them by commas. After the query,
:meth:`Folded.give` parses the column and gives the instances what ``prefetch_related``
(renditions: Wagtail's ``prefetch_renditions``) would have given them.

::

    TOPICS = FoldedRelation(ArticlePage, "topics")
    pages = ArticlePage.objects.annotate(**TOPICS.column("pk"))
    for page in pages:
        TOPICS.give(page)
    page.topics.all()  # no query

The rows keep the related model's default order (the database's, collation included: each
row carries its ``ROW_NUMBER()`` in that order, sorted by here). Only fields whose JSON value
is the field's own value, or becomes it by the field's ``to_python`` (integers, text,
booleans, dates, file names, foreign keys), can be folded; any other type is refused when
the column is built. SQLite and PostgreSQL: on another database nothing is folded (``column``
gives no column, ``give`` leaves the instance as it is) and the relations are read as usual.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    F,
    FileField,
    ForeignKey,
    IntegerField,
    Model,
    OuterRef,
    Subquery,
    TextField,
    Value,
    Window,
)
from django.db.models.functions import JSONArray, RowNumber
from wagtail.images import get_image_model

from . import wagtail_internals as internals
from .prepared import give_prefetched, keep_values, relation_of

_NOT_FOLDED = object()
_VENDORS = ("sqlite", "postgresql")


def _taken(holder, attr: str):
    """The folded column's text, taken off the instance that carried it (a cached route or Site
    then holds the objects given, not their text as well); _NOT_FOLDED when it carried none."""
    return vars(holder).pop(attr, _NOT_FOLDED)


def supported(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the database folds rows (SQLite and PostgreSQL)."""
    return connections[using].vendor in _VENDORS


class _Rows(Subquery):
    """The rows of a queryset of one JSON array each (column ``r``), joined by commas, as one value."""

    output_field = TextField()
    template = "(SELECT GROUP_CONCAT(folded_rows.r, ',') FROM (%(subquery)s) folded_rows)"

    def as_postgresql(self, compiler, connection, **extra):
        template = "(SELECT STRING_AGG(folded_rows.r::text, ',') FROM (%(subquery)s) folded_rows)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sql(self, compiler, connection, template=None, **extra):
        if connection.vendor not in _VENDORS:
            raise NotSupportedError(f"folded rows need SQLite or PostgreSQL, not {connection.vendor}")
        return super().as_sql(compiler, connection, template=template, **extra)


def _converter(field):
    """How a field's JSON value becomes its value: None when it already is, else the field's to_python."""
    if isinstance(field, ForeignKey):
        return _converter(field.target_field)
    if isinstance(field, DateTimeField):
        raise ImproperlyConfigured(f"{field} cannot be folded: a date and time's JSON form differs by database")
    if isinstance(field, (IntegerField, CharField, TextField, FileField)):
        return None
    if isinstance(field, (BooleanField, DateField)):
        return field.to_python
    raise ImproperlyConfigured(f"{field} cannot be folded: {type(field).__name__} is not a plain JSON value")


class _RowsOf:
    """Instances of ``model`` from the folded column built on ``rows`` (a queryset of ``model``, or of
    links to it through ``prefix``), in ``order`` (the model's default order)."""

    def __init__(self, model: type[Model], prefix: str = ""):
        self.model = model
        self.prefix = prefix
        fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in fields]
        self.converters = [(n, c) for n, c in enumerate(map(_converter, fields)) if c is not None]
        order = [name for name in model._meta.ordering if isinstance(name, str)]
        if len(order) != len(model._meta.ordering):
            raise ImproperlyConfigured(f"{model.__name__}'s default order is not plain field names")
        self.order = [
            F(prefix + name[1:]).desc() if name.startswith("-") else F(prefix + name).asc() for name in order
        ] + [F(prefix + "pk").asc()]

    def column(self, rows) -> _Rows:
        values = [F(self.prefix + name) for name in self.attnames]
        rows = rows.order_by().annotate(r=JSONArray(Window(RowNumber(), order_by=self.order), *values))
        return _Rows(rows.values("r"))

    def _rows(self, text: str | None) -> list[list]:
        """Each row's field values (in ``attnames`` order, converted), in the related model's order."""
        if not text:
            return []
        rows = []
        for row in sorted(orjson.loads(f"[{text}]")):
            values = row[1:]
            for number, convert in self.converters:
                if values[number] is not None:
                    values[number] = convert(values[number])
            rows.append(values)
        return rows

    def values(self, text: str | None) -> list[dict[str, Any]]:
        """The rows as ``{attname: value}`` (what :meth:`read` makes instances of), in order."""
        return [dict(zip(self.attnames, values, strict=True)) for values in self._rows(text)]

    def read(self, text: str | None, using: str) -> list[Model]:
        return [self.model.from_db(using, self.attnames, values) for values in self._rows(text)]


class FoldedRelation:
    """A child relation (reverse foreign key, a page's orderable durations) or many-to-many field
    (a page's topics) of ``model`` as a column: :meth:`column` to annotate the loading query with,
    :meth:`give` for each instance it loaded."""

    def __init__(self, model: type[Model], name: str, *, attr: str = ""):
        self._relation = relation = relation_of(model, name)
        self._rows = _RowsOf(relation.related, prefix=f"{relation.target}__" if relation.target else "")
        self.name = name
        self.attr = f"_folded_{attr or name}"

    def column(self, outer: str = "pk") -> dict[str, _Rows]:
        """``{attribute: expression}`` for ``annotate``: the relation of the instance whose key is at
        ``outer`` (nothing on a database that does not fold)."""
        if not supported():
            return {}
        links = self._relation.links._default_manager.filter(**{self._relation.source: OuterRef(outer)})
        return {self.attr: self._rows.column(links)}

    def give(self, instance: Model, *, holder: Model | None = None) -> None:
        """Give ``instance`` its related objects from the column, on ``instance`` or on ``holder`` (the
        instance the query loaded, when ``instance`` came joined to it); nothing when that query did
        not have the column."""
        text = _taken(holder if holder is not None else instance, self.attr)
        if text is _NOT_FOLDED:
            return  # that query did not fold it in
        objects = self._rows.read(text, instance._state.db)
        give_prefetched(instance, self._relation, objects)

    def keep_values(self, instance: Model) -> bool:
        """Keep the related rows on ``instance`` as field values, no instance made (``given_values``
        reads them); False, and nothing kept, when its query did not have the column."""
        text = _taken(instance, self.attr)
        if text is _NOT_FOLDED:
            return False
        keep_values(instance, self.name, self._rows.values(text))
        return True


class FoldedKeys:
    """The primary keys a many-to-many field of ``model`` links an instance to (a treatment's topics'
    ids), as a column: :meth:`column` to annotate the loading query with, :meth:`read` for each
    instance it loaded. For grouping by the related objects without making them."""

    def __init__(self, model: type[Model], name: str):
        self._relation = found = relation_of(model, name)
        if found.target is None:
            raise ImproperlyConfigured(f"{model.__name__}.{name}: only a many-to-many field's keys are folded")
        self._key = found.links._meta.get_field(found.target)
        self.attr = f"_folded_keys_{name}"

    def column(self, outer: str = "pk") -> dict[str, _Rows]:
        """``{attribute: expression}`` for ``annotate`` (nothing on a database that does not fold)."""
        if not supported():
            return {}
        links = self._relation.links._default_manager.filter(**{self._relation.source: OuterRef(outer)})
        return {self.attr: _Rows(links.order_by().annotate(r=F(self._key.attname)).values("r"))}

    def read(self, instance: Model) -> list | None:
        """The keys (in no particular order), taken off ``instance``; None when its query did not
        have the column."""
        text = _taken(instance, self.attr)
        if text is _NOT_FOLDED:
            return None
        if not text:
            return []
        return [self._key.target_field.to_python(key) for key in str(text).split(",")]


class FoldedFirst:
    """The first related row of a child relation of ``model`` in the order ``order_by`` (a
    treatment's cheapest duration), as a column: :meth:`column` to annotate the loading query with,
    :meth:`give` sets it (or None: no related row) as the instance's attribute ``name``. The
    relation itself is not given: only the one row is read (a listing that shows the lowest price
    makes one duration per treatment, not all of them)."""

    def __init__(self, model: type[Model], relation: str, order_by: tuple[str, ...], *, name: str):
        self._relation = found = relation_of(model, relation)
        if found.back is None:
            raise ImproperlyConfigured(f"{model.__name__}.{relation}: only a child relation's first row is folded")
        self._rows = _RowsOf(found.related)
        self.order_by = (*order_by, *(name for name in found.related._meta.ordering), "pk")
        self.name = name
        self.attr = f"_folded_first_{name}"

    def column(self, outer: str = "pk") -> dict[str, _Rows]:
        """``{attribute: expression}`` for ``annotate`` (nothing on a database that does not fold)."""
        if not supported():
            return {}
        values = [F(name) for name in self._rows.attnames]
        first = (
            self._relation.links._default_manager.filter(**{self._relation.source: OuterRef(outer)})
            .annotate(r=JSONArray(Value(1), *values))
            .order_by(*self.order_by)
            .values("r")[:1]
        )
        return {self.attr: _Rows(first)}

    def give(self, instance: Model) -> None:
        """Set the attribute ``name`` of ``instance`` from the column (nothing when its query did not
        have the column); the row's foreign key points at the instance."""
        text = _taken(instance, self.attr)
        if text is _NOT_FOLDED:
            return
        found = self._rows.read(text, instance._state.db)
        first = found[0] if found else None
        if first is not None:
            self._relation.back.set_cached_value(first, instance)
        setattr(instance, self.name, first)


class FoldedRenditions:
    """The renditions ``specs`` of an image as a column: :meth:`column` names the image's key in the
    loading query (``hero_image_id``), :meth:`give` gives them to the image as Wagtail's
    ``prefetch_renditions`` would."""

    def __init__(self, specs: tuple[str, ...], attr: str):
        self.specs = tuple(specs)
        self.attr = f"_folded_renditions_{attr}"
        self._rows = _RowsOf(get_image_model().get_rendition_model())

    def column(self, image_key: str) -> dict[str, _Rows]:
        """``{attribute: expression}`` for ``annotate`` (nothing on a database that does not fold)."""
        if not supported():
            return {}
        model = self._rows.model
        rows = model.objects.filter(image_id=OuterRef(image_key), filter_spec__in=self.specs)
        return {self.attr: self._rows.column(rows)}

    def give(self, image, *, holder: Model | None = None) -> None:
        """Give ``image`` (None: nothing to do) its renditions from the column, on ``image`` or on
        ``holder`` (the instance the query loaded, with the image joined); nothing when that query
        did not have the column."""
        if image is None:
            return
        text = _taken(holder if holder is not None else image, self.attr)
        if text is _NOT_FOLDED:
            return  # that query did not fold them in
        renditions = self._rows.read(text, image._state.db)
        for rendition in renditions:
            rendition.image = image
        internals.set_prefetched_renditions(image, renditions)
        setattr(image, FOLDED_SPECS, frozenset(self.specs))


# On an image given its renditions here: the specs they were read for (``attach_renditions`` reads
# the others, where an image with renditions prefetched some other way is taken as complete).
FOLDED_SPECS = "_folded_rendition_specs"
