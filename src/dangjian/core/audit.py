"""Audit events: every service write records who changed what, in the same transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from dangjian.core.crypto import blind_index
from dangjian.core.fields import EncryptedTextField
from dangjian.core.models import AuditEvent

HIDDEN = "******"

# Fields never worth a timeline line: derived or internal.
_SKIPPED = {"id", "path", "id_number_index", "mobile_index", "password", "last_login"}


def _display(obj: models.Model, field: models.Field) -> tuple[str, str]:
    """(what to compare, what to show) for one field."""
    if isinstance(field, EncryptedTextField):
        # Personal data: the timeline says that it changed, never what it is; the comparison
        # uses a keyed digest so equal values are not reported as changes.
        value = getattr(obj, field.attname) or ""
        return (blind_index(value, "audit"), HIDDEN) if value else ("", "")
    shown = _shown(obj, field)
    return shown, shown


def _shown(obj: models.Model, field: models.Field) -> str:
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if field.is_relation:
        related = getattr(obj, field.name)
        return str(related) if related is not None else ""
    value = getattr(obj, field.attname)
    return "" if value is None else str(value)


def field_values(obj: models.Model) -> dict[str, tuple[str, str]]:
    return {
        f.name: _display(obj, f)
        for f in obj._meta.concrete_fields
        if f.name not in _SKIPPED and not f.name.startswith("history")
    }


def changes_between(before: dict, after: dict) -> dict[str, list[str]]:
    """{field name: [old shown, new shown]} for the fields whose value changed."""
    empty = ("", "")
    return {
        name: [before.get(name, empty)[1], shown]
        for name, (compared, shown) in after.items()
        if before.get(name, empty)[0] != compared
    }


def record_event(*, actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        changes=changes or {},
    )


def save_tracked(obj: models.Model, *, actor, validate: bool = True) -> AuditEvent | None:
    """Validate and save ``obj``, and write its audit event with the fields that changed.

    The one generic write path for plain record edits (services and the admin use it), so no
    edit escapes the timeline. Returns None when nothing changed.
    """
    model = obj._meta.model  # not type(obj): request.user is a lazy wrapper
    with transaction.atomic():
        created = obj.pk is None
        before = {} if created else field_values(model._default_manager.select_for_update().get(pk=obj.pk))
        if validate:
            obj.full_clean()
        after = field_values(obj)
        changes = changes_between(before, after)
        if not created and not changes:
            return None
        if actor is not None and actor.is_authenticated:
            obj._history_user = actor  # the row history says who too, outside a web request as well
        obj.save()
        return record_event(actor=actor, action="created" if created else "updated", obj=obj, changes=changes)


def timeline(user, obj: models.Model):
    """The audit events of one record, as the user may see them."""
    from dangjian.accounts.scope import visible_to

    events = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    return visible_to(user, events).select_related("actor")
