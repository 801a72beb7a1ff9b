from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AuditEvent(models.Model):
    """One row per write a service makes, written in the same transaction as the write."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField(db_index=True)
    object_repr = models.CharField(_("record"), max_length=200)
    # {"field name": [old, new]}; personal data appears masked.
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def change_lines(self) -> list[tuple[str, str, str]]:
        """(field label in the reader's language, old, new) for the timeline."""
        model = self.content_type.model_class()
        lines = []
        for name, (old, new) in self.changes.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a field removed since the event was written
                label = name
            else:
                # Relations (e.g. committee members) are labelled by the related model's name.
                label = getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural
            lines.append((str(label), old, new))
        return lines


class Rule(models.Model):
    """A number the district may change: a time limit, a frequency, a threshold.

    Seeded with the national default (design/rules.md); ``value`` is what the code uses.
    """

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    value = models.IntegerField(_("value"))
    national_default = models.IntegerField(_("national default"))
    unit = models.CharField(_("unit"), max_length=20)
    source = models.TextField(_("source"), blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self):
        return f"{self.name} = {self.value} {self.unit}"


class Notification(models.Model):
    """An in-app inbox message (reminders for staff). ``key`` makes a reminder job idempotent:
    running it twice on a day does not send the same reminder twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    key = models.CharField(max_length=120)
    text = models.CharField(_("message"), max_length=300)
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key")]

    def __str__(self):
        return self.text
