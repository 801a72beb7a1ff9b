from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportLog(models.Model):
    """Who exported which list, with which filters, and how many rows left the system."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("user"))
    what = models.CharField(_("list"), max_length=60)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.what} ({self.rows})"


class ImportJob(models.Model):
    """One uploaded file on its way in: read and checked (preview), then committed in the background.

    The checked rows are kept (encrypted: they hold ID numbers) until the commit, so the commit
    applies exactly what the user previewed; afterwards only the rejected rows stay, for the
    downloadable error report.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("awaiting confirmation")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed, nothing imported")
        DISCARDED = "discarded", _("discarded")

    kind = models.CharField(_("import"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("user"))
    file_name = models.CharField(_("file"), max_length=200)
    payload = models.BinaryField(editable=False, default=b"")
    # The scope the rows were checked against, e.g. the liaison's unit; importers re-check it.
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PREVIEWED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    new_rows = models.PositiveIntegerField(_("new"), default=0)
    changed_rows = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_rows = models.PositiveIntegerField(_("rejected"), default=0)
    # File-level problems and the first rejected rows ({"row", "column", "message"}), in Chinese.
    problems = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"
