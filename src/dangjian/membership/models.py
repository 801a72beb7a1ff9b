"""Models of the membership app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# --- Quotas (发展党员指标, measure 5) ------------------------------------------------------------
# Written by the quota part (membership/quotas.py); the pipeline uses one unit per admission.


class DevelopmentQuota(models.Model):
    """How many probationary members a committee may admit in a year (发展党员指标).

    The district's own total sits on the two-new working committee (the tree's root, no parent
    quota); it allocates to committees, and committees onward (``parent``: the quota it came
    from). Units allocated onward leave the giver: a committee may admit ``amount`` minus what it
    allocated onward minus what it used (``quotas.remaining``). The sum allocated onward never
    exceeds the giver's amount; ``quotas.allocate_quota`` checks it under a row lock."""

    # The bodies that hold quotas: the district's working committee and the committees below it
    # (branches and general branches admit through the committee above them).
    HOLDER_KINDS = (
        "two_new_committee",
        "comprehensive_committee",
        "street_committee",
        "town_committee",
        "committee",
    )

    year = models.PositiveSmallIntegerField(_("year"))
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="development_quotas",
        limit_choices_to={"kind__in": HOLDER_KINDS},
        verbose_name=_("committee"),
    )
    amount = models.PositiveIntegerField(_("quota"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("allocated from"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "organization__path"]
        verbose_name = _("development quota")
        verbose_name_plural = _("development quotas")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="quota_one_per_committee_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="quota_year_plausible"
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.year}"

    def clean(self):
        super().clean()
        errors = {}
        if self.organization_id and self.organization.kind not in self.HOLDER_KINDS:
            errors["organization"] = _("Only the district's working committee and committees hold quotas.")
        if self.parent_id and self.organization_id:
            if self.parent.year != self.year:
                errors["parent"] = _("A quota is allocated from a quota of the same year.")
            elif self.parent.organization_id == self.organization_id or not self.organization.path.startswith(
                self.parent.organization.path
            ):
                errors["parent"] = _("A quota is allocated to a committee below the giver.")
        if not self.parent_id and self.organization_id and self.organization.parent_id is not None:
            errors["parent"] = _("Only the district's own quota has no giver.")
        if errors:
            raise ValidationError(errors)


class QuotaUse(models.Model):
    """One admission (接收预备党员) counted against a committee's quota: one row per person."""

    quota = models.ForeignKey(
        DevelopmentQuota, on_delete=models.PROTECT, related_name="uses", verbose_name=_("development quota")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="quota_uses", verbose_name=_("person")
    )
    # The branch that admitted the person (the quota is its committee's).
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="quota_uses",
        verbose_name=_("admitting organization"),
    )
    used_on = models.DateField(_("admission date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # An admission undone (e.g. entered in error): the unit goes back to the quota, the row stays.
    released_on = models.DateField(_("released on"), null=True, blank=True)
    release_reason = models.CharField(_("reason for release"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-used_on", "-id"]
        verbose_name = _("quota use")
        verbose_name_plural = _("quota uses")
        constraints = [
            # One admission per person and quota: a retried approval cannot use two units.
            models.UniqueConstraint(
                fields=["quota", "person"],
                condition=models.Q(released_on__isnull=True),
                name="quota_use_one_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.quota} · {self.person} · {self.used_on}"


# --- The development pipeline (发展党员, measure 5) ----------------------------------------------
# Written by the pipeline part (membership/rules.py, services.py, queries.py, views.py): one
# record per person in development, one dated row per step, and the time rules as data.


class DevelopmentRecord(models.Model):
    """One person's way into the party (发展党员): applicant -> activist -> development target ->
    probationary member -> full member, developed by one organization (usually a branch).

    ``stage`` and ``stage_since`` are kept by ``membership.services`` from the steps; the steps
    are the record of what happened and when."""

    class Stage(models.TextChoices):
        APPLICANT = "applicant", _("applicant")
        ACTIVIST = "activist", _("activist")
        DEVELOPMENT_TARGET = "development_target", _("development target")
        PROBATIONARY_MEMBER = "probationary_member", _("probationary member")
        FULL_MEMBER = "full_member", _("full member")
        CANCELLED = "cancelled", _("probationary membership cancelled")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # The stages on the way, in order; the last three end a record.
    OPEN_STAGES = (
        Stage.APPLICANT,
        Stage.ACTIVIST,
        Stage.DEVELOPMENT_TARGET,
        Stage.PROBATIONARY_MEMBER,
    )
    CLOSED_STAGES = (Stage.FULL_MEMBER, Stage.CANCELLED, Stage.WITHDRAWN)

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="development_records",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="development_records",
        verbose_name=_("developing organization"),
    )
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices, default=Stage.APPLICANT)
    stage_since = models.DateField(_("in this stage since"))
    applied_on = models.DateField(_("application date"))
    # The person's political status before the branch admitted them, put back if the probationary
    # membership is cancelled.
    status_before_admission = models.CharField(
        _("political status before admission"), max_length=24, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("development record")
        verbose_name_plural = _("development records")
        indexes = [models.Index(fields=["organization", "stage"])]
        constraints = [
            # One person is in development once at a time: a withdrawn applicant may apply again.
            models.UniqueConstraint(
                fields=["person"],
                condition=~models.Q(stage__in=["cancelled", "withdrawn"]),
                name="development_one_record_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(stage_since__gte=models.F("applied_on")),
                name="development_stage_after_application",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_stage_display()}"

    @property
    def is_open(self) -> bool:
        return self.stage in self.OPEN_STAGES


class DevelopmentStep(models.Model):
    """One dated step of a development record, with who recorded it.

    A step that breaks an active rule of the rule table is refused; a district administrator may
    record it all the same with a reason, kept here with the rules it broke."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("application for membership")
        FIRST_TALK = "first_talk", _("first talk")
        ACTIVIST = "activist", _("activist designation")
        CONTACTS = "contacts", _("contacts assigned")
        REVIEW = "review", _("half-year review")
        TARGET = "target", _("development-target designation")
        PLAN = "plan", _("inclusion in the development plan")
        POLITICAL_REVIEW = "political_review", _("political review")
        TRAINING = "training", _("concentrated training")
        INTRODUCERS = "introducers", _("introducers")
        VOTE = "vote", _("branch general meeting vote")
        APPROVAL = "approval", _("higher committee approval")
        PROBATION_START = "probation_start", _("probation start")
        EXTENSION = "extension", _("probation extension")
        FULL_MEMBERSHIP = "full_membership", _("full membership")
        CANCELLATION = "cancellation", _("cancellation of probationary membership")
        WITHDRAWAL = "withdrawal", _("withdrawal from development")

    record = models.ForeignKey(
        DevelopmentRecord,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("development record"),
    )
    kind = models.CharField(_("step"), max_length=24, choices=Kind.choices)
    on = models.DateField(_("date"))
    # Concentrated training: class hours and/or days.
    hours = models.PositiveSmallIntegerField(_("class hours"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    # Probation extension: months.
    months = models.PositiveSmallIntegerField(_("months"), null=True, blank=True)
    # Contacts (培养联系人) and introducers (入党介绍人): full members.
    people = models.ManyToManyField(
        "people.Person", blank=True, related_name="development_duties", verbose_name=_("people")
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # A district administrator's override of the rules the step breaks: [{"rule": key, "message": text}].
    overridden_rules = models.JSONField(_("rules overridden"), default=list, blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("overridden by"),
    )

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("development step")
        verbose_name_plural = _("development steps")
        indexes = [models.Index(fields=["record", "kind", "on"])]
        constraints = [
            # No override without its reason.
            models.CheckConstraint(
                condition=models.Q(overridden_by__isnull=True) | ~models.Q(override_reason=""),
                name="development_override_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.record.person} · {self.get_kind_display()} · {self.on}"


class DevelopmentRule(models.Model):
    """A time limit or condition of member development (中国共产党发展党员工作细则, 2014), as data.

    Seeded with the national defaults (and two local practices, off) after every migrate
    (``membership.pipeline_defaults``); the district edits values and switches rules in the
    admin; an organization (and its subtree) may switch a rule or change its values with a
    ``DevelopmentRuleOverride``."""

    class Check(models.TextChoices):
        INTERVAL = "interval", _("interval between two steps")
        EVERY = "every", _("at most this long between reviews")
        AGE = "age", _("minimum age at application")
        COUNT = "count", _("number of full members named")
        TRAINING = "training", _("training length")
        EXTENSION = "extension", _("extension length, once")

    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        MONTHS = "months", _("months")
        YEARS = "years", _("years")
        HOURS = "hours", _("class hours")
        PEOPLE = "people", _("people")

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("check"), max_length=16, choices=Check.choices)
    from_step = models.CharField(
        _("from step"), max_length=24, choices=DevelopmentStep.Kind.choices, blank=True
    )
    to_step = models.CharField(_("to step"), max_length=24, choices=DevelopmentStep.Kind.choices)
    min_value = models.PositiveIntegerField(_("minimum"), null=True, blank=True)
    max_value = models.PositiveIntegerField(_("maximum"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    # The defaults as seeded: the national rule, or a local practice (off by default).
    national = models.BooleanField(_("national rule"), default=True)
    default_min = models.PositiveIntegerField(_("default minimum"), null=True, blank=True)
    default_max = models.PositiveIntegerField(_("default maximum"), null=True, blank=True)
    default_unit = models.CharField(_("default unit"), max_length=8, choices=Unit.choices)
    default_enabled = models.BooleanField(_("enabled by default"), default=True)
    source = models.TextField(_("source"), blank=True)
    history = HistoricalRecords()

    # Which units make sense for each check.
    UNITS_FOR = {
        Check.INTERVAL: (Unit.DAYS, Unit.MONTHS, Unit.YEARS),
        Check.EVERY: (Unit.DAYS, Unit.MONTHS),
        Check.AGE: (Unit.YEARS,),
        Check.COUNT: (Unit.PEOPLE,),
        Check.TRAINING: (Unit.HOURS,),
        Check.EXTENSION: (Unit.MONTHS,),
    }

    class Meta:
        ordering = ["pk"]
        verbose_name = _("development rule")
        verbose_name_plural = _("development rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_value__isnull=True)
                | models.Q(max_value__isnull=True)
                | models.Q(max_value__gte=models.F("min_value")),
                name="development_rule_min_not_above_max",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.kind and self.unit and self.unit not in self.UNITS_FOR.get(self.kind, ()):
            errors["unit"] = _("This unit does not fit the rule's check.")
        if self.min_value is None and self.max_value is None:
            errors["min_value"] = _("Give a minimum, a maximum or both.")
        if self.min_value is not None and self.max_value is not None and self.max_value < self.min_value:
            errors["max_value"] = _("The maximum is below the minimum.")
        if errors:
            raise ValidationError(errors)


class DevelopmentRuleOverride(models.Model):
    """An organization's own setting of a development rule: switched on or off, and optionally
    its own minimum and maximum. Applies to the organization and its subtree; the nearest
    organization's override wins."""

    rule = models.ForeignKey(
        DevelopmentRule,
        on_delete=models.CASCADE,
        related_name="overrides",
        verbose_name=_("development rule"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="development_rule_overrides",
        verbose_name=_("organization"),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    min_value = models.PositiveIntegerField(
        _("minimum"), null=True, blank=True, help_text=_("Empty: the district's value.")
    )
    max_value = models.PositiveIntegerField(
        _("maximum"), null=True, blank=True, help_text=_("Empty: the district's value.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["rule", "organization__path"]
        verbose_name = _("development rule for an organization")
        verbose_name_plural = _("development rules for organizations")
        constraints = [
            models.UniqueConstraint(fields=["rule", "organization"], name="development_rule_override_unique")
        ]

    def __str__(self):
        return f"{self.rule} · {self.organization}"


# --- Mobile members (流动党员, measure 5) ---------------------------------------------------------
# Written by the mobile-member part (membership/mobile.py): one affiliation, organizational life
# in several (一方隶属、参加多重组织生活).


class MobileMember(models.Model):
    """A party member away from the organization they belong to (流动党员).

    The affiliation is ``person.party_organization`` when it is in the district, else
    ``outside_affiliation`` names it (e.g. a branch in the member's home county). Where they take
    part in organizational life meanwhile are the ``participations``. Flags (``mobile.flags_for``):
    away 6 months or more at a fixed place (the relation should be transferred), out of contact 6
    months or more; the months are rule-table values."""

    class EndReason(models.TextChoices):
        RETURNED = "returned", _("returned to the affiliated organization")
        TRANSFERRED = "transferred", _("organization relation transferred")
        OTHER = "other", _("other")

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="mobile_member", verbose_name=_("person")
    )
    outside_affiliation = models.CharField(
        _("affiliated organization outside the district"),
        max_length=120,
        blank=True,
        help_text=_("Only when the member's organization relation is outside the district."),
    )
    certificate_number = models.CharField(_("mobile member certificate number"), max_length=40, blank=True)
    away_since = models.DateField(_("away since"))
    stay_place = models.CharField(_("fixed place of stay"), max_length=200, blank=True)
    stay_since = models.DateField(_("at the fixed place since"), null=True, blank=True)
    last_contact_on = models.DateField(
        _("last contact with the affiliated organization"), null=True, blank=True
    )
    ended_on = models.DateField(_("no longer mobile since"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=16, choices=EndReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__name", "id"]
        verbose_name = _("mobile party member")
        verbose_name_plural = _("mobile party members")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stay_since__isnull=True)
                | models.Q(stay_since__gte=models.F("away_since")),
                name="mobile_stay_after_away",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("away_since")),
                name="mobile_end_after_away",
            ),
        ]

    def __str__(self):
        return str(self.person)

    def clean(self):
        super().clean()
        errors = {}
        if self.stay_place.strip() and self.stay_since is None:
            errors["stay_since"] = _("Say since when the member stays at this place.")
        if self.stay_since and self.away_since and self.stay_since < self.away_since:
            errors["stay_since"] = _("The stay cannot start before the member went away.")
        if self.ended_on and self.away_since and self.ended_on < self.away_since:
            errors["ended_on"] = _("The end cannot be before the member went away.")
        if bool(self.ended_on) != bool(self.end_reason):
            errors["end_reason"] = _("Give both the end date and the reason, or neither.")
        if errors:
            raise ValidationError(errors)

    @property
    def affiliation_label(self) -> str:
        organization = self.person.party_organization
        return organization.name if organization is not None else self.outside_affiliation


class Participation(models.Model):
    """A mobile member taking part in the organizational life of an organization other than their
    own (the inflow organization). A holder of the mobile member certificate (流动党员活动证)
    takes part and pays dues there, but does not vote or stand for election there."""

    mobile_member = models.ForeignKey(
        MobileMember,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("mobile party member"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="mobile_participations",
        verbose_name=_("organization taking part in"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    # The follow-up of a disclosure at entry registration that brought the member here, if any.
    follow_up = models.ForeignKey(
        "people.DisclosureFollowUp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
        verbose_name=_("disclosure follow-up"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("participation in organizational life")
        verbose_name_plural = _("participations in organizational life")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="participation_end_after_start",
            ),
            # Entered once: one open participation per member and organization.
            models.UniqueConstraint(
                fields=["mobile_member", "organization"],
                condition=models.Q(end_date__isnull=True),
                name="participation_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.mobile_member} · {self.organization}"

    def clean(self):
        super().clean()
        if (
            self.mobile_member_id
            and self.organization_id
            and self.mobile_member.person.party_organization_id == self.organization_id
        ):
            raise ValidationError(
                {"organization": _("This is the member's own organization: record other organizations here.")}
            )
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
