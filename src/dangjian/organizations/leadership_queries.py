"""Reads of the secretaries-and-leadership part (measure 5), each starting from ``visible_to``.

- Leadership checks: the facts of each organization's leading group are counted in SQL (full
  members, sitting posts, people holding them, those not recorded as full members); the rules
  (``organizations.rules``) turn them into findings.
- Cross appointment (双向进入、交叉任职): a person holding a sitting post in the committee of an
  organization covering a unit and a current management post in that unit.
- The decision log of each unit.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dangjian.accounts.scope import visible_to
from dangjian.organizations.models import CommitteeMember, MajorDecision, ManagementPost, Organization
from dangjian.organizations.queries import current_secretaries, visible_organizations
from dangjian.organizations.rules import (
    CHECKED_KINDS,
    Facts,
    Finding,
    Limits,
    check_leadership,
    limits_from_rule_table,
    reelection_due_on,
)
from dangjian.people.models import Person
from dangjian.units.models import Unit

FULL = Person.PoliticalStatus.FULL_MEMBER
NOT_FULL = [status for status in Person.PoliticalStatus.values if status != FULL]
SITTING = Q(committee_members__end_date__isnull=True)
# A dissolved organization covers nothing any more.
LIVE = [Organization.Status.ACTIVE, Organization.Status.PREPARING]


# --- leadership checks -----------------------------------------------------------------------


def with_leadership_facts(organizations):
    """Organizations annotated with what the rules need, in one query: ``full_members``,
    ``seats`` (people in sitting posts), ``holders_not_full`` and ``post_<post>`` counts."""
    members = (
        Person.objects.filter(party_organization=OuterRef("pk"), political_status=FULL)
        .order_by()
        .values("party_organization")
        .annotate(n=Count("id"))
        .values("n")
    )
    posts = {
        f"post_{post}": Count("committee_members", filter=SITTING & Q(committee_members__post=post))
        for post in CommitteeMember.Post.values
    }
    return organizations.annotate(
        full_members=Coalesce(Subquery(members, output_field=IntegerField()), 0),
        seats=Count("committee_members__person", filter=SITTING, distinct=True),
        holders_not_full=Count(
            "committee_members__person",
            filter=SITTING & Q(committee_members__person__political_status__in=NOT_FULL),
            distinct=True,
        ),
        **posts,
    )


def facts_of(organization) -> Facts:
    """The rules' facts from an organization annotated by ``with_leadership_facts``."""
    return Facts(
        kind=organization.kind,
        active=organization.status == Organization.Status.ACTIVE,
        full_members=organization.full_members,
        posts={post: getattr(organization, f"post_{post}") for post in CommitteeMember.Post.values},
        seats=organization.seats,
        holders_not_full=organization.holders_not_full,
        term_start=organization.term_start,
        term_end=organization.term_end,
    )


def leadership_list(
    user,
    *,
    text: str = "",
    street_id: int | None = None,
    kind: str = "",
    severity: str = "",
    code: str = "",
    today: datetime.date | None = None,
    limits: Limits | None = None,
) -> list:
    """The visible active organizations whose leading group breaks a rule or needs attention,
    each with ``findings`` (breaches first), in tree order."""
    today = today or timezone.localdate()
    limits = limits or limits_from_rule_table()
    organizations = visible_organizations(user).filter(
        status=Organization.Status.ACTIVE, kind__in=CHECKED_KINDS
    )
    if text:
        organizations = organizations.filter(name__icontains=text)
    if street_id:
        organizations = organizations.filter(street_id=street_id)
    if kind:
        organizations = organizations.filter(kind=kind)
    rows = []
    for organization in with_leadership_facts(organizations.select_related("street")).order_by("path"):
        findings = check_leadership(facts_of(organization), limits, today)
        if severity:
            findings = [f for f in findings if f.severity == severity]
        if code:
            findings = [f for f in findings if f.code == code]
        if findings:
            organization.findings = findings
            organization.reelection_on = reelection_due_on(
                organization.term_start, organization.term_end, limits.term_years(organization.kind)
            )
            rows.append(organization)
    return rows


def with_secretaries(rows) -> list:
    """Attach ``secretary_name`` to a page of organizations, in one query."""
    rows = list(rows)
    names = current_secretaries([row.pk for row in rows])
    for row in rows:
        row.secretary_name = names.get(row.pk, "")
    return rows


@dataclass
class Leadership:
    """One organization's leading group as the rules see it, for its page."""

    facts: Facts
    findings: list[Finding]
    reelection_on: datetime.date | None
    term_years: int | None
    limits: Limits
    cross_appointments: list = field(default_factory=list)

    @property
    def checked(self) -> bool:
        """Whether the rules apply: an active organization of a kind they look at."""
        return self.facts.active and self.facts.kind in CHECKED_KINDS

    @property
    def breaches(self) -> list[Finding]:
        return [f for f in self.findings if f.is_breach]

    @property
    def notices(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_breach]


def organization_leadership(
    user, organization: Organization, *, today: datetime.date | None = None
) -> Leadership:
    today = today or timezone.localdate()
    limits = limits_from_rule_table()
    annotated = with_leadership_facts(visible_organizations(user).filter(pk=organization.pk)).get()
    facts = facts_of(annotated)
    years = limits.term_years(organization.kind)
    return Leadership(
        facts=facts,
        findings=check_leadership(facts, limits, today),
        reelection_on=reelection_due_on(organization.term_start, organization.term_end, years),
        term_years=years,
        limits=limits,
        cross_appointments=organization_cross_appointments(user, organization, today=today),
    )


# --- cross appointment (双向进入、交叉任职) ------------------------------------------------------


def current_posts(today: datetime.date) -> Q:
    """Management posts held on ``today``: not ended, or ending today or later."""
    return Q(end_date__isnull=True) | Q(end_date__gte=today)


def _cross_people(today: datetime.date):
    """Per unit (OuterRef), how many people hold a current management post there and a sitting
    committee post in an organization covering it."""
    return (
        ManagementPost.objects.filter(current_posts(today), unit=OuterRef("pk"))
        .filter(
            person__committee_posts__end_date__isnull=True,
            person__committee_posts__organization__covered_units=OuterRef("pk"),
            person__committee_posts__organization__status__in=LIVE,
        )
        .order_by()
        .values("unit")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )


def with_cross_appointment(units, *, today: datetime.date):
    """Units annotated with ``is_covered`` (a live organization covers it), ``managers`` (people
    in current management posts) and ``cross_people``."""
    covering = Organization.covered_units.through.objects.filter(
        unit_id=OuterRef("pk"), organization__status__in=LIVE
    )
    managers = (
        ManagementPost.objects.filter(current_posts(today), unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    return units.annotate(
        is_covered=Exists(covering),
        managers=Coalesce(Subquery(managers, output_field=IntegerField()), 0),
        cross_people=Coalesce(Subquery(_cross_people(today), output_field=IntegerField()), 0),
    )


def _units(user, *, street_id=None, industry=""):
    units = visible_to(user, Unit.objects.all())
    if street_id:
        units = units.filter(street_id=street_id)
    if industry:
        units = units.filter(industry=industry)
    return units


def cross_appointment_summary(user, *, street_id=None, industry="", today: datetime.date | None = None):
    """Per street/town: visible units, those covered by an organization, those with management
    posts recorded, and those with a cross appointment; plus the totals. Counted in SQL."""
    today = today or timezone.localdate()
    units = with_cross_appointment(_units(user, street_id=street_id, industry=industry), today=today)
    figures = {
        "units": Count("id"),
        "covered": Count("id", filter=Q(is_covered=True)),
        "with_managers": Count("id", filter=Q(is_covered=True, managers__gt=0)),
        "crossed": Count("id", filter=Q(is_covered=True, cross_people__gt=0)),
    }
    rows = list(
        units.values("street_id", "street__name").annotate(**figures).order_by("street__path", "street_id")
    )
    totals = units.aggregate(**figures)
    for row in [*rows, totals]:
        row["without"] = row["covered"] - row["crossed"]
        row["share"] = round(100 * row["crossed"] / row["covered"]) if row["covered"] else None
    return rows, totals


def cross_appointment_units(
    user, *, text="", street_id=None, industry="", crossed="", today: datetime.date | None = None
):
    """The covered units with their counts; ``crossed`` "yes"/"no" keeps those with/without."""
    today = today or timezone.localdate()
    units = _units(user, street_id=street_id, industry=industry)
    if text:
        units = units.filter(name__icontains=text)
    units = with_cross_appointment(units.select_related("street"), today=today).filter(is_covered=True)
    if crossed == "yes":
        units = units.filter(cross_people__gt=0)
    elif crossed == "no":
        units = units.filter(cross_people=0)
    return units.order_by("street__path", "path")


def with_unit_details(user, units) -> list:
    """Attach to a page of units the names of the visible live organizations covering each
    (``organization_names``) and the decisions recorded that the user may see (``decision_count``)."""
    units = list(units)
    ids = [unit.pk for unit in units]
    links = Organization.covered_units.through.objects.filter(
        unit_id__in=ids, organization__in=visible_organizations(user).filter(status__in=LIVE)
    ).values_list("unit_id", "organization__name")
    names: dict[int, list[str]] = {}
    for unit_id, name in links.order_by("organization__path"):
        names.setdefault(unit_id, []).append(name)
    decisions = dict(
        visible_to(user, MajorDecision.objects.filter(unit_id__in=ids))
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    for unit in units:
        unit.organization_names = names.get(unit.pk, [])
        unit.decision_count = decisions.get(unit.pk, 0)
    return units


def organization_cross_appointments(user, organization: Organization, *, today: datetime.date):
    """The organization's sitting committee members who hold a current management post in a
    unit it covers: [(person, [committee posts], [management posts])]."""
    members = list(
        visible_to(user, CommitteeMember.objects.filter(organization=organization, end_date__isnull=True))
        .select_related("person")
        .order_by("post", "start_date")
    )
    if not members:
        return []
    covered = visible_to(user, Unit.objects.filter(organizations=organization))
    posts = (
        visible_to(user, ManagementPost.objects.filter(current_posts(today)))
        .filter(unit__in=covered, person_id__in={m.person_id for m in members})
        .select_related("unit")
        .order_by("unit__path", "kind")
    )
    by_person: dict[int, list[ManagementPost]] = {}
    for post in posts:
        by_person.setdefault(post.person_id, []).append(post)
    rows, seen = [], set()
    for member in members:
        if member.person_id in by_person and member.person_id not in seen:
            seen.add(member.person_id)
            party = [m for m in members if m.person_id == member.person_id]
            rows.append((member.person, party, by_person[member.person_id]))
    return rows


# --- the unit page --------------------------------------------------------------------------------


def unit_management_posts(user, unit: Unit, *, today: datetime.date | None = None):
    """(current posts, past posts) of the unit; each current post has ``party_posts``: the sitting
    committee posts its holder has in organizations covering the unit (as the user may see them)."""
    today = today or timezone.localdate()
    posts = list(visible_to(user, ManagementPost.objects.filter(unit=unit)).select_related("person"))
    current = [p for p in posts if p.end_date is None or p.end_date >= today]
    past = sorted((p for p in posts if p not in current), key=lambda p: p.end_date, reverse=True)
    party = visible_to(
        user,
        CommitteeMember.objects.filter(
            end_date__isnull=True,
            organization__covered_units=unit,
            organization__status__in=LIVE,
            person_id__in={p.person_id for p in current},
        ),
    ).select_related("organization")
    by_person: dict[int, list[CommitteeMember]] = {}
    for member in party.order_by("organization__path", "post"):
        by_person.setdefault(member.person_id, []).append(member)
    for post in current:
        post.party_posts = by_person.get(post.person_id, [])
    return current, past


def unit_decisions(user, unit: Unit):
    return visible_to(user, MajorDecision.objects.filter(unit=unit)).select_related(
        "organization", "recorded_by"
    )


def covering_organizations(user, unit: Unit):
    """The visible live organizations covering the unit: who may give an opinion on its matters."""
    return visible_organizations(user).filter(covered_units=unit, status__in=LIVE).order_by("path")


def people_for_posts(user, unit: Unit):
    """People to choose from for a management post: those working at the unit and the committee
    members of organizations covering it, as the user may see them."""
    working = Q(employments__unit=unit, employments__end_date__isnull=True)
    leading = Q(committee_posts__organization__covered_units=unit, committee_posts__end_date__isnull=True)
    return visible_to(user, Person.objects.filter(working | leading)).distinct().order_by("name", "id")


def management_post_detail(user, pk: int) -> ManagementPost:
    return get_object_or_404(visible_to(user, ManagementPost.objects.select_related("unit", "person")), pk=pk)


def decision_detail(user, pk: int) -> MajorDecision:
    return get_object_or_404(
        visible_to(user, MajorDecision.objects.select_related("unit", "organization")), pk=pk
    )
