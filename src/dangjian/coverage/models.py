"""Models of the coverage app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangjian.units.models import Unit

# --- Joint-build planner (联合建/区域建): proposals, their groups, declined groupings -----------


class JointBuildProposal(models.Model):
    """One run of the joint-build planner over an area: a street, a key area (in one street or
    across the district) or the whole district, with the rule values it used."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("planning")
        READY = "ready", _("ready for review")
        FAILED = "failed", _("failed")

    street = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="joint_build_proposals",
        limit_choices_to={"kind__in": ["street", "town"]},
        verbose_name=_("street/town"),
        help_text=_("Empty for the whole district."),
    )
    key_area = models.CharField(
        _("key area"), max_length=20, choices=Unit.KeyArea.choices, blank=True, default=""
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    # The rule values the planner ran with (min full members, max units, max distance), as used.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    candidate_count = models.PositiveIntegerField(_("candidate units"), default=0)
    error = models.CharField(_("error"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("run by"),
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("joint-build proposal")
        verbose_name_plural = _("joint-build proposals")

    def __str__(self):
        return f"{self.area_label} · {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else self.area_label

    @property
    def area_label(self) -> str:
        place = str(self.street) if self.street_id else str(_("whole district"))
        return f"{place} · {self.get_key_area_display()}" if self.key_area else place


class ProposedGroup(models.Model):
    """A group of nearby units the planner proposes to cover with one joint branch; staff edit it,
    accept it (the branch is created, in preparation) or decline it (remembered)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    proposal = models.ForeignKey(
        JointBuildProposal, on_delete=models.CASCADE, related_name="groups", verbose_name=_("proposal")
    )
    number = models.PositiveIntegerField(_("number"))
    # Every group lies in one street (the planner's rule); the street answers for the new branch.
    street = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("street/town")
    )
    units = models.ManyToManyField("units.Unit", related_name="proposed_groups", verbose_name=_("units"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    # Sum of each unit's distance to the group's centre, in metres, as last planned or edited.
    distance_m = models.PositiveIntegerField(_("total distance to the centre (m)"), default=0)
    edited = models.BooleanField(_("edited by staff"), default=False)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organization created"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("proposed group")
        verbose_name_plural = _("proposed groups")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="proposed_group_number_unique"),
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(organization__isnull=False),
                name="proposed_group_accepted_has_organization",
            ),
        ]

    def __str__(self):
        return str(_("Group %(number)s") % {"number": self.number})


class DeclinedGrouping(models.Model):
    """A set of units staff declined to group, with the facts the planner saw then (each unit's
    full members and position). The planner does not propose the same set again while those
    facts hold; once they change (a member joins or leaves, a unit moves) it may."""

    street = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("street/town")
    )
    # The unit ids, sorted and comma-separated: one row per set (the latest decision).
    units_key = models.CharField(_("units"), max_length=400, unique=True)
    facts = models.JSONField(_("facts when declined"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    group = models.ForeignKey(
        ProposedGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("declined group"),
    )
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("declined by"),
    )
    declined_at = models.DateTimeField(_("declined at"), auto_now=True)

    class Meta:
        ordering = ["-declined_at"]
        verbose_name = _("declined grouping")
        verbose_name_plural = _("declined groupings")

    def __str__(self):
        return self.units_key

    @property
    def unit_ids(self) -> frozenset[int]:
        return frozenset(int(pk) for pk in self.units_key.split(",") if pk)


# --- One-to-one help (一对一帮扶): committee members' pledges ------------------------------


class Pledge(models.Model):
    """A committee member (班子成员) of a party committee or working committee pledges to help
    build a party organization in a unit or an area; progress notes follow, and the result is the
    organization built."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        BUILT = "built", _("organization built")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # The leading groups whose members pledge: the working committees and the party committees.
    COMMITTEE_KINDS = (
        "two_new_committee",
        "comprehensive_committee",
        "street_committee",
        "town_committee",
        "committee",
    )

    committee_member = models.ForeignKey(
        "organizations.CommitteeMember",
        on_delete=models.PROTECT,
        related_name="pledges",
        limit_choices_to={"organization__kind__in": COMMITTEE_KINDS},
        verbose_name=_("committee member"),
    )
    target_unit = models.ForeignKey(
        "units.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("target unit"),
    )
    target_region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("target street or community"),
    )
    target_key_area = models.CharField(
        _("target key area"), max_length=20, choices=Unit.KeyArea.choices, blank=True, default=""
    )
    target_description = models.CharField(
        _("target area"),
        max_length=120,
        blank=True,
        help_text=_("e.g. the name of the office building, business district or industrial park."),
    )
    pledged_on = models.DateField(_("pledged on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    result_organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization built"),
    )
    result_on = models.DateField(_("built on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-pledged_on", "-id"]
        verbose_name = _("one-to-one help pledge")
        verbose_name_plural = _("one-to-one help pledges")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_unit__isnull=False) | models.Q(target_region__isnull=False),
                name="pledge_has_a_target",
            ),
            models.CheckConstraint(
                condition=(models.Q(status="built") & models.Q(result_organization__isnull=False))
                | (~models.Q(status="built") & models.Q(result_organization__isnull=True)),
                name="pledge_built_has_organization",
            ),
        ]

    def __str__(self):
        return f"{self.committee_member.person} → {self.target_label}"

    def clean(self):
        super().clean()
        errors = {}
        if self.committee_member_id and self.committee_member.organization.kind not in self.COMMITTEE_KINDS:
            errors["committee_member"] = _("Only members of party committees and working committees pledge.")
        if not self.target_unit_id and not self.target_region_id:
            errors["target_unit"] = _("Name the unit, or the street or community, the pledge is for.")
        if self.target_region_id and self.target_region.kind == "district":
            errors["target_region"] = _("Choose a street, town or community, not the whole district.")
        if self.status == self.Status.BUILT and not self.result_organization_id:
            errors["result_organization"] = _("Name the organization that was built.")
        if self.result_on and self.result_on < self.pledged_on:
            errors["result_on"] = _("The organization cannot be built before the pledge was made.")
        if errors:
            raise ValidationError(errors)

    @property
    def target_label(self) -> str:
        if self.target_unit_id:
            return str(self.target_unit)
        parts = [str(self.target_region)]
        if self.target_key_area:
            parts.append(self.get_target_key_area_display())
        if self.target_description:
            parts.append(self.target_description)
        return " · ".join(parts)


class PledgeProgress(models.Model):
    """A dated note on how a pledge is going."""

    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="progress", verbose_name=_("pledge")
    )
    noted_on = models.DateField(_("date"))
    note = models.TextField(_("progress"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-noted_on", "-id"]
        verbose_name = _("pledge progress")
        verbose_name_plural = _("pledge progress")

    def __str__(self):
        return f"{self.pledge_id} · {self.noted_on}"


# --- Coverage status and campaign progress: monthly snapshots ---------------------------------


class CoverageSnapshot(models.Model):
    """The coverage counts of one month for one (street, industry, key area) group, kept so the
    campaign's trend survives later edits. Written by ``coverage.tasks.take_coverage_snapshot``
    (daily: it rewrites the current month's rows; a past month is never rewritten). The current
    month is shown live; these rows give the months before."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    taken_on = models.DateField(_("taken on"))
    street = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coverage_snapshots",
        verbose_name=_("street/town"),
    )
    industry = models.CharField(_("industry"), max_length=20)
    key_area = models.CharField(_("key area"), max_length=20, blank=True, default="")
    units = models.PositiveIntegerField(_("units"), default=0)
    org_covered = models.PositiveIntegerField(_("organizationally covered"), default=0)
    org_preparing = models.PositiveIntegerField(_("of which in preparation"), default=0)
    work_covered = models.PositiveIntegerField(_("work-covered only"), default=0)
    not_covered = models.PositiveIntegerField(_("not covered"), default=0)
    should_build_own = models.PositiveIntegerField(_("should build their own"), default=0)
    term_expired = models.PositiveIntegerField(_("term run out"), default=0)
    joint_over_max = models.PositiveIntegerField(_("in joint branches over the limit"), default=0)
    members_without_organization = models.PositiveIntegerField(_("members but no organization"), default=0)

    class Meta:
        ordering = ["month", "street", "industry", "key_area"]
        verbose_name = _("coverage snapshot")
        verbose_name_plural = _("coverage snapshots")
        indexes = [models.Index(fields=["street", "month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "street", "industry", "key_area"],
                name="coverage_snapshot_unique_group",
            ),
            models.UniqueConstraint(
                fields=["month", "industry", "key_area"],
                condition=models.Q(street__isnull=True),
                name="coverage_snapshot_unique_group_no_street",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    units=models.F("org_covered") + models.F("work_covered") + models.F("not_covered")
                ),
                name="coverage_snapshot_counts_add_up",
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} · {self.street or '—'} · {self.industry} · {self.key_area or '—'}"
