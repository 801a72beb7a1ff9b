import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dangjian.core.choices import Industry
from dangjian.core.tree import PathTreeModel


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
        if not self.term_end or self.status == self.Status.DISSOLVED:
            return ""
        if self.term_end < today:
            return "overdue"
        if notice_days is not None and self.term_end <= today + datetime.timedelta(days=notice_days):
            return "due"
        return ""


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
