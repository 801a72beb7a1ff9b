from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangjian.core.choices import JOB_TYPE_CHOICES, Industry
from dangjian.core.tree import PathTreeModel
from dangjian.core.validators import validate_uscc


class Unit(PathTreeModel):
    """An enterprise or outlet; the head company guides its branches, stores and outlets (measure 1)."""

    class Kind(models.TextChoices):
        HEAD_COMPANY = "head_company", _("head company")
        BRANCH = "branch", _("branch company")
        CHAIN_STORE = "chain_store", _("chain store")
        FRANCHISE_STORE = "franchise_store", _("franchise store")
        OUTLET = "outlet", _("outlet")

    class KeyArea(models.TextChoices):
        NONE = "", _("none")
        OFFICE_BUILDING = "office_building", _("office building / business district")
        INDUSTRIAL_PARK = "industrial_park", _("industrial park")
        DELIVERY_STATION = "delivery_station", _("delivery station")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, db_index=True)
    is_platform = models.BooleanField(_("platform enterprise"), default=False)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_uscc],
        help_text=_("Outlets without their own registration may leave it empty."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    # Territorial and fallback responsibility: required in practice, nullable so a unit that
    # arrives without one is kept and listed on the "no responsible street" page.
    street = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        limit_choices_to={"kind__in": ["street", "town"]},
        verbose_name=_("territorial street/town"),
    )
    community = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="community_units",
        limit_choices_to={"kind": "community"},
        verbose_name=_("community"),
    )
    industry_authority = models.ForeignKey(
        "organizations.Office",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        limit_choices_to={"kind": "industry_authority"},
        verbose_name=_("industry authority"),
    )
    key_area = models.CharField(_("key area"), max_length=20, choices=KeyArea.choices, blank=True, default="")

    # Five-clears ledger, part 1: operations. The part's own "last updated / by whom" is kept
    # beside it, set by the service that changes any of these fields.
    class OperatingStatus(models.TextChoices):
        OPERATING = "operating", _("operating")
        SUSPENDED = "suspended", _("suspended")
        CLOSED = "closed", _("closed")
        DEREGISTERED = "deregistered", _("deregistered")

    operating_status = models.CharField(
        _("operating status"),
        max_length=16,
        choices=OperatingStatus.choices,
        default=OperatingStatus.OPERATING,
        db_index=True,
    )
    business_scope = models.TextField(_("business scope"), blank=True)
    # As the unit reports it; outlets registered in the system are counted beside it.
    reported_outlet_count = models.PositiveIntegerField(
        _("number of outlets (reported)"), null=True, blank=True
    )
    platforms = models.CharField(
        _("platforms served"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Meituan, Ele.me; separate with commas."),
    )
    operations_updated_at = models.DateTimeField(_("operations last updated"), null=True, blank=True)
    operations_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("operations updated by"),
    )
    # Return visits: empty means the rule table's default interval for the unit's kind.
    visit_interval_days = models.PositiveIntegerField(
        _("return visit interval (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the district's default for this kind of unit."),
    )
    history = HistoricalRecords(excluded_fields=["path"])

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["street", "industry"])]
        constraints = [
            # A head company heads its own tree; branches, stores and outlets may stand alone.
            models.CheckConstraint(
                condition=~models.Q(kind="head_company", parent__isnull=False),
                name="unit_head_company_is_a_root",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.community_id and self.street_id and self.community.parent_id != self.street_id:
            raise ValidationError({"community": _("The community is not in the chosen street or town.")})


class WorkforceReport(models.Model):
    """A headcount the unit reports for one job type, shown beside the figure derived from
    entry registrations. Append-only: the latest per job type is current, older ones are history."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="workforce_reports", verbose_name=_("unit")
    )
    job_type = models.CharField(_("job type"), max_length=24, choices=JOB_TYPE_CHOICES)
    full_time = models.PositiveIntegerField(_("full time"))
    part_time = models.PositiveIntegerField(_("part time"))
    reported_on = models.DateField(_("reported on"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["unit", "job_type", "-reported_on", "-id"]
        indexes = [models.Index(fields=["unit", "job_type", "-reported_on"])]
        verbose_name = _("workforce report")
        verbose_name_plural = _("workforce reports")

    def __str__(self):
        return f"{self.unit} · {self.get_job_type_display()} · {self.reported_on}"


class InstructorAssignment(models.Model):
    """A party-building instructor (党建指导员) dispatched to a unit, usually one without an organization."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="instructors", verbose_name=_("unit")
    )
    instructor = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="instructor_assignments",
        verbose_name=_("instructor"),
    )
    dispatched_by = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatched_instructors",
        verbose_name=_("dispatched by"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "-start_date"]
        verbose_name = _("instructor assignment")
        verbose_name_plural = _("instructor assignments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="instructor_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.instructor} → {self.unit}"


class Visit(models.Model):
    """A return visit (定期回访) to a unit: who went, what they found, what was raised."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="visits", verbose_name=_("unit"))
    visited_on = models.DateField(_("visit date"))
    visitors = models.CharField(_("visitors"), max_length=200)
    findings = models.TextField(_("findings"), blank=True)
    problems = models.TextField(_("problems raised"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["unit", "-visited_on"])]
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")

    def __str__(self):
        return f"{self.unit} · {self.visited_on}"


class VisitAction(models.Model):
    """A follow-up action agreed at a visit, open until someone records its closure."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="actions", verbose_name=_("visit")
    )
    description = models.CharField(_("action"), max_length=300)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_note = models.TextField(_("how it was closed"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self):
        return self.description
