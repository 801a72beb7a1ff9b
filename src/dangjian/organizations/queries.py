import datetime

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dangjian.accounts.scope import visible_to
from dangjian.core.rules import rule_value
from dangjian.organizations.models import CommitteeMember, Office, Organization
from dangjian.units.models import Unit


def visible_organizations(user):
    return visible_to(user, Organization.objects.all())


def organization_list(user, *, kind="", status="", text=""):
    organizations = visible_organizations(user).select_related("street", "parent")
    if kind:
        organizations = organizations.filter(kind=kind)
    if status:
        organizations = organizations.filter(status=status)
    if text:
        organizations = organizations.filter(name__icontains=text)
    # Count only the covered units the user may see: a joint branch may reach into other streets.
    seen = Q(covered_units__in=visible_to(user, Unit.objects.all()))
    return organizations.annotate(unit_count=Count("covered_units", filter=seen, distinct=True)).order_by(
        "path"
    )


def organization_detail(user, pk: int) -> Organization:
    return get_object_or_404(visible_organizations(user).select_related("street", "parent"), pk=pk)


def children_of(user, organization: Organization):
    return visible_organizations(user).filter(parent=organization)


def current_committee(user, organization: Organization):
    """The sitting leading group: posts without an end date, secretary first."""
    members = visible_to(
        user, CommitteeMember.objects.filter(organization=organization, end_date__isnull=True)
    )
    return members.select_related("person").order_by("post", "start_date")


def current_secretaries(organizations) -> dict[int, str]:
    """{organization id: secretary's name} for a page of organizations, in one query."""
    rows = CommitteeMember.objects.filter(
        organization__in=organizations, post=CommitteeMember.Post.SECRETARY, end_date__isnull=True
    ).values_list("organization_id", "person__name")
    return dict(rows)


def reelection_notice_days() -> int | None:
    return rule_value("organization-reelection-notice-days")


def reelection_due(user, today: datetime.date | None = None):
    """Organizations whose term has run out or ends within the notice period (rule table)."""
    today = today or timezone.localdate()
    notice = reelection_notice_days() or 0
    return (
        visible_organizations(user)
        .exclude(status=Organization.Status.DISSOLVED)
        .filter(term_end__lte=today + datetime.timedelta(days=notice))
        .select_related("street")
        .order_by("term_end")
    )


def offices():
    return Office.objects.select_related("region")


def organization_counts(user):
    organizations = visible_organizations(user).exclude(kind__in=Organization.LEADING_KINDS)
    return organizations.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=Organization.Status.ACTIVE)),
        preparing=Count("id", filter=Q(status=Organization.Status.PREPARING)),
    )
