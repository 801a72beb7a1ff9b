"""Models of the care app."""

import os
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangjian.care import fund_rules, station_rules
from dangjian.care.station_rules import validate_station_phone
from dangjian.core.choices import JobType

# --- Care fund (关爱基金) — part "carefund" ---------------------------------------------------
# A fund per managing committee and year, with a budget; categories with their caps, required
# documents and eligibility rules (rows the district edits in the admin); applications that go
# submitted -> reviewed by the street -> approved or rejected by the committee -> paid. Every
# decision is a row of its own (who, when, why), payments are rows too; neither is ever changed.


class CareCategoryKind(models.TextChoices):
    SERIOUS_ILLNESS = "serious_illness", _("serious illness")
    ACCIDENT = "accident", _("accident")
    FAMILY_HARDSHIP = "family_hardship", _("family hardship")
    DISASTER = "disaster", _("disaster")
    CHILD_EDUCATION = "child_education", _("child's education")
    OTHER = "other", _("other hardship")


class CareDocumentKind(models.TextChoices):
    ID_CARD = "id_card", _("copy of the ID card")
    MEDICAL_DIAGNOSIS = "medical_diagnosis", _("diagnosis or hospital discharge summary")
    MEDICAL_BILLS = "medical_bills", _("medical bills")
    ACCIDENT_REPORT = "accident_report", _("accident report or police record")
    HARDSHIP_CERTIFICATE = "hardship_certificate", _("hardship certificate from the community")
    DISASTER_CERTIFICATE = "disaster_certificate", _("certificate of disaster losses")
    SCHOOL_ADMISSION = "school_admission", _("child's school admission notice or enrolment certificate")
    HOUSEHOLD_REGISTER = "household_register", _("household register showing the relationship")
    OTHER = "other", _("other document")


class CareCategory(models.Model):
    """A kind of hardship the fund pays for, with its cap and the documents it needs."""

    kind = models.CharField(_("category"), max_length=24, choices=CareCategoryKind.choices, unique=True)
    cap_fen = models.PositiveBigIntegerField(_("cap (fen)"))
    required_documents = models.JSONField(
        _("required documents"),
        default=list,
        blank=True,
        help_text=_("Kinds of document an application in this category must attach."),
    )
    description = models.TextField(_("what it covers"), blank=True)
    source = models.TextField(_("source"), blank=True)
    active = models.BooleanField(_("open for applications"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("care fund category")
        verbose_name_plural = _("care fund categories")
        constraints = [models.CheckConstraint(condition=Q(cap_fen__gt=0), name="care_category_cap_positive")]

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        known = set(CareDocumentKind.values)
        if not isinstance(self.required_documents, list) or not set(self.required_documents) <= known:
            raise ValidationError({"required_documents": _("Unknown kind of document.")})

    @property
    def cap_yuan(self) -> str:
        return fund_rules.format_yuan(self.cap_fen)

    def required_document_labels(self) -> list[str]:
        return [str(CareDocumentKind(kind).label) for kind in self.required_documents]


class CareEligibilityRule(models.Model):
    """One eligibility rule with its number of months; empty category: every category. A rule
    set for one category replaces the general rule of the same kind."""

    class Kind(models.TextChoices):
        MIN_MONTHS_REGISTERED = (
            fund_rules.MIN_MONTHS_REGISTERED,
            _("registered at a district unit for N months"),
        )
        NO_RECENT_PAYMENT = fund_rules.NO_RECENT_PAYMENT, _("no payment from the fund within N months")
        WITHIN_CAP = fund_rules.WITHIN_CAP, _("amount within the category's cap")
        DOCUMENTS_COMPLETE = fund_rules.DOCUMENTS_COMPLETE, _("required documents attached")

    category = models.ForeignKey(
        CareCategory,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("category"),
        help_text=_("Empty: the rule applies to every category."),
    )
    kind = models.CharField(_("rule"), max_length=32, choices=Kind.choices)
    months = models.PositiveSmallIntegerField(_("months"), null=True, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    source = models.TextField(_("source"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category_id", "kind"]
        verbose_name = _("care fund eligibility rule")
        verbose_name_plural = _("care fund eligibility rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "kind"], name="care_rule_unique_per_category"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(category__isnull=True), name="care_rule_unique_general"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=fund_rules.MONTH_RULE_KINDS) | Q(months__gte=1),
                name="care_rule_months_given",
            ),
        ]

    def __str__(self):
        label = self.get_kind_display()
        if self.months:
            label = f"{label} (N={self.months})"
        return f"{self.category or _('all categories')} · {label}"

    def clean(self):
        if self.kind in fund_rules.MONTH_RULE_KINDS and not self.months:
            raise ValidationError({"months": _("This rule needs a number of months.")})

    def spec(self) -> fund_rules.RuleSpec:
        return fund_rules.RuleSpec(
            kind=self.kind, months=self.months, enabled=self.enabled, category_id=self.category_id
        )


class CareFund(models.Model):
    """A care fund's budget for one year, managed by a comprehensive committee or the two-new
    working committee."""

    MANAGING_KINDS = ("comprehensive_committee", "two_new_committee")

    name = models.CharField(_("name"), max_length=120)
    committee = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="care_funds",
        limit_choices_to={"kind__in": MANAGING_KINDS},
        verbose_name=_("managing committee"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    budget_fen = models.PositiveBigIntegerField(_("budget (fen)"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "committee__path", "id"]
        verbose_name = _("care fund")
        verbose_name_plural = _("care funds")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="care_fund_one_per_committee_year")
        ]

    def __str__(self):
        return f"{self.name}（{self.year}）"

    def clean(self):
        if self.committee_id and self.committee.kind not in self.MANAGING_KINDS:
            raise ValidationError(
                {
                    "committee": _(
                        "A care fund is managed by a comprehensive committee "
                        "or the two-new working committee."
                    )
                }
            )
        if self.pk is not None and self.budget_fen is not None:
            from dangjian.care.fund import committed_fen

            committed = committed_fen(self.pk)
            if self.budget_fen < committed:
                raise ValidationError(
                    {
                        "budget_fen": _(
                            "The budget cannot be less than what is already approved or paid (%(yuan)s yuan)."
                        )
                        % {"yuan": fund_rules.format_yuan(committed)}
                    }
                )

    @property
    def budget_yuan(self) -> str:
        return fund_rules.format_yuan(self.budget_fen)


class CareApplication(models.Model):
    """A worker's application to a care fund. The unit, its street and the job type are taken
    from the worker's employment when the application is made: the street that answers for the
    unit then reviews it, and reports count it there."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        REVIEWED = "reviewed", _("reviewed by the street")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        PAID = "paid", _("paid")

    OPEN_STATUSES = (Status.SUBMITTED, Status.REVIEWED, Status.APPROVED)

    fund = models.ForeignKey(
        CareFund, on_delete=models.PROTECT, related_name="applications", verbose_name=_("care fund")
    )
    category = models.ForeignKey(
        CareCategory, on_delete=models.PROTECT, related_name="applications", verbose_name=_("category")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="care_applications", verbose_name=_("worker")
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="care_applications", verbose_name=_("unit")
    )
    street = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_applications",
        verbose_name=_("street/town"),
    )
    job_type = models.CharField(_("job type"), max_length=24, choices=JobType.choices)
    amount_fen = models.PositiveBigIntegerField(_("amount requested (fen)"))
    approved_fen = models.PositiveBigIntegerField(_("amount approved (fen)"), null=True, blank=True)
    reason = models.TextField(_("what happened"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filed by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("care fund application")
        verbose_name_plural = _("care fund applications")
        indexes = [
            models.Index(fields=["fund", "status"]),
            models.Index(fields=["street", "status"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="care_application_amount_positive"),
            models.CheckConstraint(
                condition=Q(approved_fen__isnull=True)
                | (Q(approved_fen__gt=0) & Q(approved_fen__lte=models.F("amount_fen"))),
                name="care_application_approved_within_request",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"]) | Q(approved_fen__isnull=False),
                name="care_application_approved_has_amount",
            ),
            # One application at a time: a second one waits until the first is decided and paid.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["submitted", "reviewed", "approved"]),
                name="care_application_one_open_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.category} · {fund_rules.format_yuan(self.amount_fen)}"

    @property
    def amount_yuan(self) -> str:
        return fund_rules.format_yuan(self.amount_fen)

    @property
    def approved_yuan(self) -> str:
        return fund_rules.format_yuan(self.approved_fen)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class AppendOnly(models.Model):
    """Rows that are written once and never changed or deleted (decisions, payments)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self)._default_manager.filter(pk=self.pk).exists():
            raise ValidationError(_("This record cannot be changed once written."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("This record cannot be deleted."))


class CareDecision(AppendOnly):
    """One step of an application's workflow: who decided, when, what and why."""

    class Step(models.TextChoices):
        REVIEW = "review", _("street review")
        APPROVAL = "approval", _("committee decision")
        PAYMENT = "payment", _("payment")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("passed to the committee")
        REJECTED = "rejected", _("rejected")
        APPROVED = "approved", _("approved")
        PAID = "paid", _("paid")

    application = models.ForeignKey(
        CareApplication, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("application")
    )
    step = models.CharField(_("step"), max_length=12, choices=Step.choices)
    outcome = models.CharField(_("decision"), max_length=12, choices=Outcome.choices)
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    # Who decided: the account (kept unless the account itself is deleted) and the name shown then,
    # which stays with the row for good.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_by_name = models.CharField(_("decided by (name)"), max_length=150, blank=True, default="")
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("care fund decision")
        verbose_name_plural = _("care fund decisions")
        constraints = [
            # Each step is decided once: two reviewers clicking at once cannot both decide.
            models.UniqueConstraint(fields=["application", "step"], name="care_decision_one_per_step"),
            models.CheckConstraint(
                condition=(Q(step="review") & Q(outcome__in=["passed", "rejected"]))
                | (Q(step="approval") & Q(outcome__in=["approved", "rejected"]))
                | (Q(step="payment") & Q(outcome="paid")),
                name="care_decision_outcome_fits_step",
            ),
        ]

    def __str__(self):
        return f"{self.get_step_display()} · {self.get_outcome_display()}"

    @property
    def amount_yuan(self) -> str:
        return fund_rules.format_yuan(self.amount_fen)


class CarePayment(AppendOnly):
    """Money paid out for an approved application; the fund is kept for sums per fund."""

    application = models.ForeignKey(
        CareApplication, on_delete=models.PROTECT, related_name="payments", verbose_name=_("application")
    )
    fund = models.ForeignKey(
        CareFund, on_delete=models.PROTECT, related_name="payments", verbose_name=_("care fund")
    )
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_by_name = models.CharField(_("recorded by (name)"), max_length=150, blank=True, default="")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("care fund payment")
        verbose_name_plural = _("care fund payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="care_payment_amount_positive"),
            models.UniqueConstraint(fields=["application"], name="care_payment_one_per_application"),
        ]

    def __str__(self):
        return f"{self.application} · {self.paid_on} · {fund_rules.format_yuan(self.amount_fen)}"

    @property
    def amount_yuan(self) -> str:
        return fund_rules.format_yuan(self.amount_fen)


def care_document_path(document: "CareDocument", filename: str) -> str:
    """Stored under a random name (the worker's file name is kept in the row, not on disk)."""
    extension = os.path.splitext(filename)[1].lower()[:8]
    return f"care/fund/{document.application_id}/{uuid.uuid4().hex}{extension}"


class CareDocument(models.Model):
    """A document attached to an application. Kept in the private file storage and sent only
    through the scoped download view, never as public media."""

    application = models.ForeignKey(
        CareApplication, on_delete=models.PROTECT, related_name="documents", verbose_name=_("application")
    )
    kind = models.CharField(_("kind of document"), max_length=24, choices=CareDocumentKind.choices)
    file = models.FileField(_("file"), upload_to=care_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("care fund document")
        verbose_name_plural = _("care fund documents")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.original_name}"


# --- Legal aid (法律援助) — part "carefund" ---------------------------------------------------
# A worker's request for legal aid: the street checks economic hardship, refers the worker to the
# legal-aid centre, and records how it ended.


class LegalAidCentre(models.Model):
    """A legal-aid centre (法律援助中心) workers are referred to: public structure, kept by the district."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    active = models.BooleanField(_("accepting referrals"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("legal-aid centre")
        verbose_name_plural = _("legal-aid centres")

    def __str__(self):
        return self.name


class LegalAidRequest(models.Model):
    class Kind(models.TextChoices):
        WAGE_ARREARS = "wage_arrears", _("wage arrears")
        LABOUR_DISPUTE = "labour_dispute", _("labour dispute")
        TRAFFIC_ACCIDENT = "traffic_accident", _("traffic accident")
        WORK_INJURY = "work_injury", _("work injury")
        OTHER = "other", _("other legal matter")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        CHECKED = "checked", _("hardship checked")
        REFERRED = "referred", _("referred to the legal-aid centre")
        CLOSED = "closed", _("closed")

    class HardshipResult(models.TextChoices):
        EXEMPT = "exempt", _("exempt from the hardship check")
        MET = "met", _("in economic hardship")
        NOT_MET = "not_met", _("not in economic hardship")

    class Outcome(models.TextChoices):
        CONCLUDED = "concluded", _("case concluded with legal aid")
        SETTLED = "settled", _("settled by mediation")
        NOT_ACCEPTED = "not_accepted", _("not accepted by the centre")
        NOT_QUALIFIED = "not_qualified", _("does not qualify for legal aid")
        WITHDRAWN = "withdrawn", _("withdrawn by the worker")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="legal_aid_requests", verbose_name=_("worker")
    )
    unit = models.ForeignKey(
        "units.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_aid_requests",
        verbose_name=_("unit"),
    )
    street = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_aid_requests",
        verbose_name=_("responsible street/town"),
    )
    kind = models.CharField(_("kind of matter"), max_length=20, choices=Kind.choices)
    facts = models.TextField(_("facts"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filed by"),
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    hardship_checklist = models.JSONField(_("hardship checklist"), default=dict, blank=True)
    hardship_result = models.CharField(
        _("hardship check"), max_length=12, choices=HardshipResult.choices, blank=True
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    centre = models.ForeignKey(
        LegalAidCentre,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("legal-aid centre"),
    )
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("referred by"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("how it ended"), blank=True)
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
        ordering = ["-created_at", "-id"]
        verbose_name = _("legal-aid request")
        verbose_name_plural = _("legal-aid requests")
        indexes = [models.Index(fields=["street", "status"]), models.Index(fields=["person", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="referred") | (Q(centre__isnull=False) & Q(referred_on__isnull=False)),
                name="legal_aid_referral_has_centre_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                name="legal_aid_closed_has_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()}"


# --- Red rider stations (红色骑手驿站) — part "stations" ---------------------------------------
# Rest stops for riders and couriers in party-and-public service centres, office buildings,
# communities and property sites: services, weekly opening hours with holiday closures, photos,
# and check-ins counted per station and hour (counts only, nobody is identified). The station
# list is public (the finder at /stations/); managing it is for the street the station is in.


class StationService(models.Model):
    """A service a station may offer (drinking water, hot meals, ...): rows of their own kind,
    with defaults added after migrate, editable in the admin by the district."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("station service")
        verbose_name_plural = _("station services")

    def __str__(self):
        return self.name


def new_check_in_code() -> str:
    return secrets.token_urlsafe(12)


class Station(models.Model):
    class HostKind(models.TextChoices):
        SERVICE_CENTRE = "service_centre", _("party-and-public service centre")
        OFFICE_BUILDING = "office_building", _("office building")
        COMMUNITY = "community", _("community")
        PROPERTY_SITE = "property_site", _("property site")
        OTHER = "other", _("other host")

    name = models.CharField(_("name"), max_length=80)
    host_kind = models.CharField(_("host"), max_length=20, choices=HostKind.choices)
    host_name = models.CharField(
        _("host name"), max_length=120, blank=True, help_text=_("e.g. the building or the service centre.")
    )
    address = models.CharField(_("address"), max_length=200)
    street = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="stations",
        limit_choices_to={"kind__in": ["street", "town"]},
        verbose_name=_("street/town"),
    )
    community = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="community_stations",
        limit_choices_to={"kind": "community"},
        verbose_name=_("community"),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("WGS-84, as a phone reports it."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    services = models.ManyToManyField(
        StationService, blank=True, related_name="stations", verbose_name=_("services")
    )
    phone = models.CharField(
        _("station telephone"),
        max_length=20,
        blank=True,
        validators=[validate_station_phone],
        help_text=_("The station's public contact number, shown to workers."),
    )
    notes = models.CharField(
        _("notes for workers"), max_length=200, blank=True, help_text=_("e.g. where the entrance is.")
    )
    is_active = models.BooleanField(
        _("listed"), default=True, help_text=_("Only listed stations appear on the public finder.")
    )
    check_in_code = models.CharField(_("check-in code"), max_length=24, default=new_check_in_code)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["street__path", "name", "id"]
        verbose_name = _("red rider station")
        verbose_name_plural = _("red rider stations")
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="care_station_position"),
            models.Index(fields=["street", "is_active"], name="care_station_street"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="care_station_coordinates_in_range",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.community_id and self.street_id and self.community.parent_id != self.street_id:
            raise ValidationError({"community": _("The community is not in this street or town.")})


class StationPeriod(models.Model):
    """One opening period on one weekday; closing at or before the opening time means the next
    day (an overnight shift). See care/station_rules.py."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="periods", verbose_name=_("station")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    all_day = models.BooleanField(_("all day"), default=False)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)

    class Meta:
        ordering = ["station", "weekday", "opens", "id"]
        verbose_name = _("opening period")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="care_period_weekday"),
            models.CheckConstraint(
                condition=Q(all_day=True, opens__isnull=True, closes__isnull=True)
                | (
                    Q(all_day=False, opens__isnull=False, closes__isnull=False) & ~Q(opens=models.F("closes"))
                ),
                name="care_period_times_or_all_day",
            ),
        ]

    def __str__(self):
        return station_rules.describe_period(self.as_rule())

    def as_rule(self) -> station_rules.Period:
        return station_rules.Period(self.weekday, self.opens, self.closes, self.all_day)


class StationClosure(models.Model):
    """Dates the station is closed (holidays, repairs), both ends included."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="closures", verbose_name=_("station")
    )
    start_date = models.DateField(_("closed from"))
    end_date = models.DateField(_("closed until"))
    reason = models.CharField(_("reason"), max_length=100, blank=True)

    class Meta:
        ordering = ["station", "start_date", "id"]
        verbose_name = _("station closure")
        verbose_name_plural = _("station closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="care_closure_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.station} {self.start_date}–{self.end_date}"

    def as_rule(self) -> station_rules.Closure:
        return station_rules.Closure(self.start_date, self.end_date)


def station_photo_path(photo: "StationPhoto", filename: str) -> str:
    extension = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}.get(photo.content_type, "")
    return f"care/stations/{photo.station_id}/{uuid.uuid4().hex}{extension}"


class StationPhoto(models.Model):
    """A photo of the station (checked to be a JPEG, PNG or WebP image of limited size)."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="photos", verbose_name=_("station")
    )
    image = models.FileField(_("photo"), upload_to=station_photo_path, max_length=200)
    content_type = models.CharField(_("file type"), max_length=20)
    size = models.PositiveIntegerField(_("size (bytes)"))
    caption = models.CharField(_("caption"), max_length=80, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["station", "id"]
        verbose_name = _("station photo")
        verbose_name_plural = _("station photos")

    def __str__(self):
        return self.caption or f"{self.station} #{self.pk}"


class StationCheckIn(models.Model):
    """How many check-ins a station had in one hour: a counter, no personal data."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("station")
    )
    hour = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("check-ins"), default=0)

    class Meta:
        ordering = ["station", "hour"]
        verbose_name = _("station check-ins")
        verbose_name_plural = _("station check-ins")
        indexes = [models.Index(fields=["hour"], name="care_checkin_hour")]
        constraints = [
            models.UniqueConstraint(fields=["station", "hour"], name="care_checkin_one_row_per_hour"),
        ]

    def __str__(self):
        return f"{self.station} {self.hour:%Y-%m-%d %H}:00 ×{self.count}"
