"""Queries of a fixed shape: built and compiled to SQL once per database connection, then run with new values.

On the hot path of an uncached page, building a queryset (filters, joins, ``select_related``)
and compiling it to SQL costs more than running it: the Site query with its root page and
settings joined took about 6 ms to build and compile on the benchmark's machine and a
fraction of a millisecond to run. A :class:`PreparedQuery` builds its queryset once, with
placeholders for the values, and keeps the SQL and the compiler that made it. Each call
swaps the values into the parameters, runs the SQL and makes the model instances as
Django's ``ModelIterable`` does (``select_related`` joins and annotations included); the
queryset's ``prefetch_related`` lookups then run as usual.

Only for queries whose SQL does not depend on the values: equality and ``__range``
lookups, ``Case``/``When``, an ``__in`` list of one value per item (so one query per number
of items) and the like. A query where Django rewrites a value (``__startswith`` adds a
``%``) or where the values shape the SQL is refused when it is first compiled. One that can
match nothing whatever the values (``__in=[]``) runs no SQL, as with Django.

What this uses of Django's internals is named here, nowhere else, and checked by
tests/home/test_prepared.py against the ORM's own results: the compiler's ``select``,
``klass_info``, ``annotation_col_map``, ``col_count``, ``has_extra_select`` and
``get_converters``, ``apply_converters``, ``has_composite_fields`` and
``composite_fields_to_tuples`` (what its ``results_iter`` does with the rows, the converters
worked out once here), ``get_related_populators`` and the queryset's ``_fetch_mode``; and, for
:class:`PreparedRelation`, the prefetch cache (``_prefetched_objects_cache``, a queryset's
``_result_cache`` and ``_prefetch_done``) as ``prefetch_related_objects`` fills it; :func:`given`
reads it back, and django-modelcluster's ``_cluster_related_objects`` (a page's unsaved children)
to leave those to the relation's manager.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import DEFERRED, Model, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable, get_related_populators
from django.db.transaction import TransactionManagementError


def _placeholder(kind: type, number: int, version: int) -> Any:
    """A value for the query's ``number``-th value, in one of two versions: where the two compiled
    queries' parameters differ, the value goes. Small enough for any integer field (Django
    compiles an out-of-range value to an empty query)."""
    if kind is str:
        return f"\x1fprepared-{version}-{number}\x1f"
    if kind is int:
        return 1000 * version + number
    raise ImproperlyConfigured(f"a prepared query's values are str or int, not {kind.__name__}")


@dataclass
class _Compiled:
    connection: Any
    compiler: Any
    sql: str
    params: tuple
    # Where each value goes, and the type Django gave it there (psycopg's ``Int4`` for an integer
    # on PostgreSQL, a subclass of ``int``).
    slots: tuple[tuple[int, str, type], ...]
    populators: list
    init_list: list[str]
    fields: slice
    fetch_mode: Any
    lookups: tuple
    # The database's and the fields' conversions of the selected columns (Django works them out per query).
    converters: dict
    columns: list
    composite: bool
    # Each page as its own type (``PreparedQuery(..., specific=True)``): where the content type is in
    # a row, and per type where each of its fields' values is (``_SPECIFIC_PK``, or None: deferred).
    content_type_at: int | None = None
    pk_at: int | None = None
    layouts: dict = dataclass_field(default_factory=dict)

    def run(self, values: dict[str, Any]) -> list[Model]:
        features = self.connection.features
        if (
            self.compiler.query.select_for_update
            and features.has_select_for_update
            and features.supports_transactions
            and self.connection.get_autocommit()
        ):
            # As Django's compiler refuses it: a lock outside a transaction would be let go at once.
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        params = list(self.params)
        for position, name, kind in self.slots:
            params[position] = kind(values[name])
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        compiler = self.compiler
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        model = compiler.klass_info["model"]
        db = self.connection.alias
        objects, peers = [], []
        if self.converters:
            rows = compiler.apply_converters(rows, self.converters)
        if self.composite:
            rows = compiler.composite_fields_to_tuples(rows, self.columns)
        for row in rows:
            if self.content_type_at is None:
                obj = model.from_db(db, self.init_list, row[self.fields], fetch_mode=self.fetch_mode)
            else:
                obj = self._specific(model, db, row[self.fields])
            if self.fetch_mode.track_peers:
                peers.append(weakref.ref(obj))
                obj._state.peers = peers
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in compiler.annotation_col_map.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        if self.lookups and objects:
            prefetch_related_objects(objects, *self.lookups)
        return objects

    def _specific(self, base: type[Model], db: str, values) -> Model:
        """The row as an instance of its own type with only ``base``'s fields loaded: what Wagtail's
        ``specific_deferred`` makes of a ``base`` instance, without making that instance first."""
        model = ContentType.objects.get_for_id(values[self.content_type_at]).model_class()
        if model is None or model is base or not issubclass(model, base):
            return base.from_db(db, self.init_list, values, fetch_mode=self.fetch_mode)
        layout = self.layouts.get(model)
        if layout is None:
            at = {name: i for i, name in enumerate(self.init_list)}
            # As Wagtail's get_specific(deferred=True): the primary key (the parent link) is the
            # base's, every field the base does not have is deferred.
            layout = self.layouts[model] = [
                at.get(f.attname, _SPECIFIC_PK if f.primary_key else None) for f in model._meta.concrete_fields
            ]
        pk = values[self.pk_at]  # type: ignore[index]
        args = [DEFERRED if i is None else pk if i is _SPECIFIC_PK else values[i] for i in layout]
        return model.from_db(db, None, args, fetch_mode=self.fetch_mode)


_SPECIFIC_PK = object()  # in a layout: the row's primary key goes here


@dataclass
class _Nothing:
    """A query that matches nothing whatever its values: Django runs no SQL for it either."""

    connection: Any
    sql: str = ""

    def run(self, values: dict[str, Any]) -> list[Model]:
        return []


class PreparedQuery:
    """A queryset made by ``build(**placeholders)`` once per connection, run as ``query(**values)``.

    ``values`` names each value and its type (``str`` or ``int``)::

        page_by_slug = PreparedQuery(lambda slug: Page.objects.filter(slug=slug), slug=str)
        page_by_slug(slug="about")  # a list of pages

    With ``specific=True`` (a query of Wagtail pages, or of any model with a ``content_type``), each
    row is made an instance of its own type with only the queried model's fields loaded, as
    ``page.specific_deferred`` would give, without making the plain page first.
    """

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        using: str = DEFAULT_DB_ALIAS,
        specific: bool = False,
        **values: type,
    ):
        self._build = build
        self._using = using
        self._specific = specific
        for kind in values.values():
            _placeholder(kind, 0, 0)  # a type it cannot stand in for is refused here
        self._kinds = dict(values)
        # Per thread, as Django's connections are: each compiler keeps the connection it was made for.
        self._local = threading.local()

    def __call__(self, **values: Any) -> list[Model]:
        if values.keys() != self._kinds.keys():
            raise TypeError(f"this query takes {sorted(self._kinds)}, given {sorted(values)}")
        for name, value in values.items():
            if type(value) is not self._kinds[name]:
                raise TypeError(f"{name}: expected {self._kinds[name].__name__}, got {value!r}")
        return self._for_connection().run(values)

    def sql(self) -> str:
        """The SQL this query runs (with placeholders), for tests and debugging."""
        return self._for_connection().sql

    def _for_connection(self) -> _Compiled | _Nothing:
        connection = connections[self._using]
        compiled = getattr(self._local, "compiled", None)
        if compiled is None or compiled.connection is not connection:
            compiled = self._local.compiled = self._compile()
        return compiled

    def _placeholders(self, version: int) -> dict[str, Any]:
        return {name: _placeholder(kind, n, version) for n, (name, kind) in enumerate(self._kinds.items(), 1)}

    def _compile(self) -> _Compiled | _Nothing:
        """Build and compile the query twice, with two sets of placeholders: the SQL must be the same,
        and the parameters that differ are where the values go."""
        first, second = self._placeholders(1), self._placeholders(2)
        queryset = self._build(**first).using(self._using)
        if queryset._iterable_class is not ModelIterable:
            raise ImproperlyConfigured("a prepared query returns model instances (no values(), specific() or the like)")
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Nothing(connections[queryset.db])
        other = self._build(**second).using(self._using)
        other_sql, other_params = other.query.get_compiler(using=queryset.db).as_sql()
        if other_sql != sql or len(other_params) != len(params):
            raise ImproperlyConfigured("this prepared query's SQL depends on its values")
        names = {(first[name], second[name]): name for name in first}
        slots = []
        for position, pair in enumerate(zip(params, other_params, strict=True)):
            if pair[0] == pair[1]:
                continue
            if pair not in names or not isinstance(pair[0], self._kinds[names[pair]]):
                raise ImproperlyConfigured(f"a value of this prepared query is rewritten by Django: {pair[0]!r}")
            slots.append((position, names[pair], type(pair[0])))
        missing = set(first) - {name for _, name, _ in slots}
        if missing:
            raise ImproperlyConfigured(f"these values do not reach the SQL: {sorted(missing)}")
        klass_info = compiler.klass_info
        select_fields = klass_info["select_fields"]
        fields = slice(select_fields[0], select_fields[-1] + 1)
        fetch_mode = queryset._fetch_mode
        columns = [column[0] for column in compiler.select[0 : compiler.col_count]]
        init_list = [column[0].target.attname for column in compiler.select[fields]]
        content_type_at = pk_at = None
        if self._specific:
            if "content_type_id" not in init_list:
                raise ImproperlyConfigured("a specific prepared query selects its rows' content_type")
            content_type_at = init_list.index("content_type_id")
            pk_at = init_list.index(queryset.model._meta.pk.attname)
        return _Compiled(
            connection=connections[queryset.db],
            compiler=compiler,
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            populators=get_related_populators(klass_info, compiler.select, queryset.db, fetch_mode),
            init_list=init_list,
            fields=fields,
            fetch_mode=fetch_mode,
            lookups=tuple(queryset._prefetch_related_lookups),
            converters=compiler.get_converters(columns),
            columns=columns,
            composite=compiler.has_composite_fields(columns),
            content_type_at=content_type_at,
            pk_at=pk_at,
        )


class PreparedIdsQuery:
    """A query over a list of ids (``build(ids)`` filters with ``__in``): its SQL depends on how
    many there are, so one :class:`PreparedQuery` per number of ids, up to ``up_to``; a longer
    list builds the query as usual.

    ::

        pages_by_id = PreparedIdsQuery(lambda ids: Page.objects.filter(id__in=ids))
        pages_by_id([3, 5])  # a list of pages
    """

    def __init__(self, build: Callable[[list[int]], QuerySet], *, up_to: int = 16):
        self._build = build
        self.up_to = up_to
        self._by_count: dict[int, PreparedQuery] = {}

    def __call__(self, ids: list[int]) -> list[Model]:
        if len(ids) > self.up_to:
            return list(self._build(list(ids)))
        query = self._by_count.get(len(ids))
        if query is None:
            query = self._by_count[len(ids)] = PreparedQuery(
                lambda **values: self._build(list(values.values())), **{f"id{n}": int for n in range(len(ids))}
            )
        return query(**{f"id{n}": id_ for n, id_ in enumerate(ids)})


class PreparedRelation:
    """An instance's child relation (a reverse foreign key, such as a page's orderable durations) or
    many-to-many field read by a :class:`PreparedQuery` and given to it as ``prefetch_related``
    gives it: ``instance.<name>.all()`` then answers without a query, in the related model's
    default order, and each child points back at the instance.

    ::

        durations = PreparedRelation(TreatmentPage, "durations")
        durations(treatment)
        treatment.durations.all()  # no query

    Uses Django's prefetch cache as ``prefetch_related_objects`` fills it: the relation's own
    queryset with its results set (``_result_cache``, ``_prefetch_done``), under the name its
    manager reads (a reverse relation's ``cache_name``, a many-to-many field's name).
    """

    def __init__(self, model: type[Model], name: str, *, up_to: int = 48):
        self._relation = relation = relation_of(model, name)
        related, links, source, target = relation.related, relation.links, relation.source, relation.target
        self._many = None
        if target is not None:  # a many-to-many field of the model
            # Several instances' objects at once: their links (the through table), each with its object
            # joined, in the related model's default order; told apart by the link's key.
            self._link = (links._meta.get_field(source).attname, target)
            order = related._meta.ordering
            if all(isinstance(name, str) for name in order):
                by = [f"-{target}__{name[1:]}" if name.startswith("-") else f"{target}__{name}" for name in order]
                self._many = PreparedIdsQuery(
                    lambda ids: (
                        links._default_manager.filter(**{f"{source}__in": ids})
                        .select_related(target)
                        .order_by(*by, "pk")
                    ),
                    up_to=up_to,
                )
        else:  # children pointing at the model
            self._link = None
            # Several instances' children at once (up to ``up_to`` instances prepared), told apart by their key.
            self._many = PreparedIdsQuery(
                lambda ids: related._default_manager.filter(**{f"{source}__in": ids}), up_to=up_to
            )
        self._name = name
        lookup = relation.lookup
        self._query = PreparedQuery(lambda pk: related._default_manager.filter(**{lookup: pk}), pk=int)

    def __call__(self, instance: Model) -> None:
        self._give(instance, self._query(pk=instance.pk))

    def for_all(self, instances: list[Model]) -> None:
        """The children or related objects of every one of ``instances`` in one query."""
        if self._many is None:
            raise ImproperlyConfigured(f"{self._name}: the related model's default order is not plain field names")
        found: dict[Any, list] = {instance.pk: [] for instance in instances}
        if found:
            for row in self._many(sorted(found)):
                if self._link is None:
                    found[getattr(row, self._relation.back.attname)].append(row)
                else:
                    key, target = self._link
                    found[getattr(row, key)].append(getattr(row, target))
        for instance in instances:
            self._give(instance, found[instance.pk])

    def _give(self, instance: Model, objects: list[Model]) -> None:
        give_prefetched(instance, self._relation, objects)


@dataclass(frozen=True)
class Relation:
    """A child relation (a reverse foreign key: a page's orderable durations) or many-to-many field
    (a page's topics) of a model: what reading it for an instance and giving it needs."""

    name: str
    related: type[Model]  # the model of the objects it holds
    lookup: str  # the related model's lookup back to the instance
    links: type[Model]  # the rows that point at the instance: the children, or the through table
    source: str  # their foreign key to the instance
    target: str | None  # the through table's foreign key to the related object (None for children)
    back: Any  # the children's foreign key field, set to the instance when given (None: many-to-many)
    cache_name: str  # where the manager looks for prefetched objects


@functools.cache
def relation_of(model: type[Model], name: str) -> Relation:
    field = model._meta.get_field(name)
    if field.many_to_many and not field.auto_created:
        return Relation(
            name=name,
            related=field.related_model,
            lookup=field.related_query_name(),
            links=field.remote_field.through,
            source=field.m2m_field_name(),
            target=field.m2m_reverse_field_name(),
            back=None,
            cache_name=field.name,
        )
    if field.one_to_many and field.auto_created:
        return Relation(
            name=name,
            related=field.related_model,
            lookup=field.field.name,
            links=field.related_model,
            source=field.field.name,
            target=None,
            back=field.field,
            cache_name=field.cache_name,
        )
    raise ImproperlyConfigured(f"{model.__name__}.{name} is not a child relation or a many-to-many field")


def _values_attr(name: str) -> str:
    return f"_given_values_{name}"


def keep_values(instance: Model, name: str, values: list[dict[str, Any]]) -> None:
    """Keep the relation ``name``'s rows on ``instance`` as ``{attname: value}`` (a folded column's,
    for a reader that needs only their fields: :func:`given_values`)."""
    instance.__dict__[_values_attr(name)] = values


def given_values(instance: Model, name: str) -> list[dict[str, Any]]:
    """The relation ``name`` of ``instance`` as ``{attname: value}`` per related object, in its order:
    the rows kept by :func:`keep_values`, else the objects :func:`given` reads (each field's value)."""
    kept = instance.__dict__.get(_values_attr(name))
    if kept is not None:
        return kept
    objects = given(instance, name)
    return [{field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields} for obj in objects]


def given(instance: Model, name: str) -> list[Model]:
    """``list(getattr(instance, name).all())``: read from what ``prefetch_related`` or
    :func:`give_prefetched` left on the instance without making the relation's manager (Django
    makes one per access, and django-modelcluster two: a tenth of the v2 listing went on them).
    An instance holding unsaved children for it (a preview's page) asks its manager. The list is
    the prefetched one: read it, do not change it."""
    relation = relation_of(type(instance), name)
    queryset = getattr(instance, "_prefetched_objects_cache", {}).get(relation.cache_name)
    cluster = getattr(instance, "_cluster_related_objects", ())
    if queryset is not None and queryset._result_cache is not None and name not in cluster:
        return queryset._result_cache
    kept = instance.__dict__.get(_values_attr(name))
    if kept is not None and name not in cluster:  # only their values were kept: made now, given
        db = instance._state.db
        objects = [relation.related.from_db(db, list(row), list(row.values())) for row in kept]
        give_prefetched(instance, relation, objects)
        return objects
    return list(getattr(instance, name).all())


def give_prefetched(instance: Model, relation: Relation, objects: list[Model]) -> None:
    """Give ``instance`` the ``objects`` of ``relation`` as ``prefetch_related`` would: the relation's
    queryset with its results set, under its ``cache_name``; each child's foreign key points at the
    instance."""
    if relation.back is not None:
        for obj in objects:
            relation.back.set_cached_value(obj, instance)
    queryset = getattr(instance, relation.name).get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[relation.cache_name] = queryset
