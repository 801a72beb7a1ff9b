import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangjian.core.choices import Industry
from dangjian.core.tree import PathTreeModel
from dangjian.organizations.rules import reelection_state


class Office(models.Model):
    """A government office with a part in the work: the organization department, industry authorities."""

    class Kind(models.TextChoices):
        ORGANIZATION_DEPARTMENT = "organization_department", _("organization department")
        INDUSTRY_AUTHORITY = "industry_authority", _("industry authority")
        OTHER = "other", _("other office")

    name = models.CharField(_("name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self):
        return self.name


class Organization(PathTreeModel):
    """A party body: the two-new working committee at the root, then comprehensive committees,
    street working committees and the town committee, then committees, general branches,
    branches and groups in the units."""

    class Kind(models.TextChoices):
        TWO_NEW_COMMITTEE = "two_new_committee", _("two-new working committee")
        COMPREHENSIVE_COMMITTEE = "comprehensive_committee", _("comprehensive (industry) party committee")
        STREET_COMMITTEE = "street_committee", _("street working committee")
        TOWN_COMMITTEE = "town_committee", _("town party committee")
        COMMITTEE = "committee", _("party committee")
        GENERAL_BRANCH = "general_branch", _("general branch")
        BRANCH = "branch", _("branch")
        GROUP = "group", _("party group")

    class BuildMethod(models.TextChoices):
        STANDALONE = "standalone", _("standalone build")
        JOINT = "joint", _("joint build")
        REGIONAL = "regional", _("regional build")
        DISPATCHED = "dispatched", _("dispatched build")
        INCUBATED = "incubated", _("incubated build")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        PREPARING = "preparing", _("preparing")
        DISSOLVED = "dissolved", _("dissolved")

    # Bodies that lead others; the rest are built in the units.
    LEADING_KINDS = (
        Kind.TWO_NEW_COMMITTEE,
        Kind.COMPREHENSIVE_COMMITTEE,
        Kind.STREET_COMMITTEE,
        Kind.TOWN_COMMITTEE,
    )

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    build_method = models.CharField(_("build method"), max_length=16, choices=BuildMethod.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    street = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
        limit_choices_to={"kind__in": ["street", "town"]},
        verbose_name=_("territorial street/town"),
        help_text=_("Empty for district-level bodies."),
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    covered_units = models.ManyToManyField(
        "units.Unit", blank=True, related_name="organizations", verbose_name=_("covered units")
    )
    # Which units an organization covers is part of its record: keep that history too.
    history = HistoricalRecords(excluded_fields=["path"], m2m_fields=[covered_units])

    class Meta:
        ordering = ["path"]
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        constraints = [
            # One tree: the two-new working committee is its only root.
            models.CheckConstraint(
                condition=models.Q(kind="two_new_committee", parent__isnull=True)
                | (~models.Q(kind="two_new_committee") & models.Q(parent__isnull=False)),
                name="organization_only_two_new_committee_is_root",
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_start__isnull=True)
                | models.Q(term_end__gt=models.F("term_start")),
                name="organization_term_end_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_leading_body(self) -> bool:
        return self.kind in self.LEADING_KINDS

    def reelection_state(self, today: datetime.date, notice_days: int | None) -> str:
        """'overdue' once the term has run out, 'due' within the notice period, else ''."""
        return reelection_state(
            self.term_end, today, notice_days, dissolved=self.status == self.Status.DISSOLVED
        )


class CommitteeIndustry(models.Model):
    """An industry a comprehensive (industry) party committee leads."""

    committee = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="industries",
        limit_choices_to={"kind": Organization.Kind.COMPREHENSIVE_COMMITTEE},
        verbose_name=_("committee"),
    )
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)

    class Meta:
        verbose_name = _("led industry")
        verbose_name_plural = _("led industries")
        constraints = [
            models.UniqueConstraint(fields=["committee", "industry"], name="committee_industry_unique")
        ]

    def __str__(self):
        return self.get_industry_display()


class CommitteeMember(models.Model):
    """A member of an organization's leading group (班子成员), with post and term."""

    class Post(models.TextChoices):
        SECRETARY = "secretary", _("secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")
        ORGANIZATION = "organization", _("organization member")
        PROPAGANDA = "propaganda", _("propaganda member")
        DISCIPLINE = "discipline", _("discipline member")
        MEMBER = "member", _("committee member")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="committee_members",
        verbose_name=_("organization"),
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="committee_posts", verbose_name=_("person")
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "post", "start_date"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            # One sitting secretary per organization.
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(post="secretary", end_date__isnull=True),
                name="one_current_secretary",
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_post_display()} · {self.person}"


# --- Secretaries and leadership (measure 5): management posts and the decision log -------------


class ManagementPost(models.Model):
    """A post in a unit's management (董事长, 总经理, 站长, 人事主管...) held by a person.

    Set beside the party posts (CommitteeMember) of the organizations covering the unit, it shows
    "two-way entry, cross appointment" (双向进入、交叉任职): the same people in both."""

    class Kind(models.TextChoices):
        CHAIRMAN = "chairman", _("chairman of the board")
        DIRECTOR = "director", _("board director")
        GENERAL_MANAGER = "general_manager", _("general manager")
        DEPUTY_GENERAL_MANAGER = "deputy_general_manager", _("deputy general manager")
        STATION_MANAGER = "station_manager", _("station manager")
        HR_HEAD = "hr_head", _("head of human resources")
        DEPARTMENT_HEAD = "department_head", _("department head")
        OTHER = "other", _("other management post")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="management_posts", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="management_posts", verbose_name=_("unit")
    )
    kind = models.CharField(_("management post"), max_length=24, choices=Kind.choices)
    title = models.CharField(
        _("title in the unit"),
        max_length=40,
        blank=True,
        help_text=_("As the unit calls it, if it differs from the post (e.g. 运营总监)."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("The last day in the post.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "end_date", "kind", "start_date", "id"]
        verbose_name = _("management post")
        verbose_name_plural = _("management posts")
        indexes = [models.Index(fields=["unit", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="management_post_end_after_start",
            ),
            # Entered once: one open post of a kind per person and unit.
            models.UniqueConstraint(
                fields=["person", "unit", "kind"],
                condition=models.Q(end_date__isnull=True),
                name="management_post_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.display_title} · {self.person}"

    @property
    def display_title(self) -> str:
        return self.title or self.get_kind_display()


class MajorDecision(models.Model):
    """A major matter of a unit on which its party organization gave its opinion before the
    decision (党组织参与重大问题决策), and what came of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("not yet decided")
        ADOPTED = "adopted", _("opinion adopted")
        PARTLY_ADOPTED = "partly_adopted", _("opinion partly adopted")
        NOT_ADOPTED = "not_adopted", _("opinion not adopted")

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="major_decisions", verbose_name=_("unit")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="major_decisions",
        verbose_name=_("party organization"),
    )
    decided_on = models.DateField(_("date"))
    matter = models.CharField(_("matter"), max_length=200)
    opinion = models.TextField(_("the organization's opinion"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.TextField(_("outcome details"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("major decision")
        verbose_name_plural = _("major decisions")
        indexes = [models.Index(fields=["unit", "-decided_on"])]

    def __str__(self):
        return f"{self.unit} · {self.decided_on} · {self.matter}"
