"""Inserting many new rows, with their history rows, at the speed the database allows.

``bulk_create_with_history`` goes through the ORM's insert compiler, which prepares every value
with several Python calls and, on SQLite, splits the rows into statements of at most 999
parameters: for a 100,000-row registration sheet that was most of the import's time. Here each
table gets one prepared ``executemany``; a value is prepared by its field only where the field
changes it (dates, encrypted and other custom fields), and the history rows are written the
same way, in the shape django-simple-history's own writer gives them.

For plain new rows only: no save() logic runs beyond the fields' ``pre_save`` (``auto_now``),
so callers set derived values (blind indexes) themselves.
"""

import operator
from collections.abc import Callable, Sequence
from functools import partial

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models

BATCH = 5000
# Django's own fields whose Python value is what the database driver takes.
_AS_IS_TYPES = frozenset(
    {
        "CharField",
        "TextField",
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "BooleanField",
        "ForeignKey",
    }
)


def _preparer(field: models.Field) -> Callable[[object], object] | None:
    """None when values go to the driver as they are; else the field's own preparation."""
    if field.get_internal_type() in _AS_IS_TYPES and type(field).__module__.startswith("django."):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _insert(table: str, columns: Sequence[str], rows: list) -> None:
    quote = connection.ops.quote_name
    # Table and column names come from model metadata, quoted; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _rows(
    objs: Sequence[models.Model], plan: list[tuple[str, Callable | None]], extra: tuple = ()
) -> list[tuple]:
    return [
        (*(getattr(obj, a) if prepare is None else prepare(getattr(obj, a)) for a, prepare in plan), *extra)
        for obj in objs
    ]


def insert_new(model: type[models.Model], objs: Sequence[models.Model], *, key: Sequence[str]) -> None:
    """Insert new ``objs`` and set their primary keys, found again by ``key`` (attnames of a
    unique key, the first one indexed)."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objs:
        for field in fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                field.pre_save(obj, True)
    plan = [(f.attname, _preparer(f)) for f in fields]
    _insert(model._meta.db_table, [f.column for f in fields], _rows(objs, plan))
    by_key = {tuple(getattr(obj, a) for a in key): obj for obj in objs}
    firsts = list({getattr(obj, key[0]) for obj in objs})
    for start in range(0, len(firsts), BATCH):
        rows = model._default_manager.filter(**{f"{key[0]}__in": firsts[start : start + BATCH]})
        for pk, *values in rows.values_list("pk", *key):
            obj = by_key.get(tuple(values))
            if obj is not None:
                obj.pk = pk
    if any(obj.pk is None for obj in objs):
        raise RuntimeError(f"inserted {model.__name__} rows were not all found again by {key}")


def write_history(model, objs, *, update: bool = False, reason: str = "") -> None:
    """Write the simple-history rows that ``bulk_history_create`` (and so
    ``bulk_create_with_history``) would write for ``objs``, but as one ``executemany`` of values
    prepared by the history table's own fields, without a model instance per row or a compiled
    bulk INSERT: that took as long as writing the rows themselves.

    Each object's ``_history_date`` (required) and ``_history_user`` (optional) are used, as
    simple-history does, and one change ``reason`` for all. tests/core/test_demo.py checks that
    the rows match ``bulk_history_create``'s.
    """
    history_model = model.history.model
    tracked = {field.name: field.attname for field in history_model.tracked_fields}
    fixed = {"history_change_reason": reason, "history_type": "~" if update else "+"}
    columns, getters = [], []
    for field in history_model._meta.concrete_fields:
        if field.primary_key:  # history_id
            continue
        if field.name in tracked:
            getter = operator.attrgetter(tracked[field.name])
        elif field.name == "history_date":
            getter = operator.attrgetter("_history_date")
        elif field.name == "history_user":
            getter = _history_user_id
        elif field.name in fixed:
            getter = partial(_constant, fixed[field.name])
        else:
            raise ImproperlyConfigured(
                f"{history_model.__name__}.{field.name}: no value for the demo's history"
            )
        columns.append(field)
        getters.append(getter)
    # The same preparation rule as new rows: only fields that change a value prepare it.
    adapted = [(i, prepare) for i, field in enumerate(columns) if (prepare := _preparer(field)) is not None]
    rows = []
    for obj in objs:
        row = [get(obj) for get in getters]
        for i, prepare in adapted:
            row[i] = prepare(row[i])
        rows.append(row)
    _insert(history_model._meta.db_table, [field.column for field in columns], rows)


def _constant(value, obj):
    return value


def _history_user_id(obj):
    user = getattr(obj, "_history_user", None)
    return user.pk if user is not None else None
