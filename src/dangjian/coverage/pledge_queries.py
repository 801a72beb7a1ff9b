"""Reads for one-to-one help (一对一帮扶): pledges, and the committee members still without one.

Every read starts from ``visible_to``; counts are done in SQL.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dangjian.accounts.scope import visible_to
from dangjian.coverage.models import Pledge, PledgeProgress
from dangjian.organizations.models import CommitteeMember, Organization

# A withdrawn pledge does not count: the member must pledge again.
_STANDING = ~Q(status=Pledge.Status.WITHDRAWN)


def visible_pledges(user):
    return visible_to(user, Pledge.objects.all())


def pledge_list(user, *, text="", status="", committee_id=None, street_id=None):
    pledges = visible_pledges(user).select_related(
        "committee_member__person",
        "committee_member__organization",
        "target_unit__street",
        "target_region",
        "result_organization",
    )
    if text:
        pledges = pledges.filter(
            Q(committee_member__person__name__icontains=text)
            | Q(target_unit__name__icontains=text)
            | Q(target_description__icontains=text)
        )
    if status:
        pledges = pledges.filter(status=status)
    if committee_id:
        pledges = pledges.filter(committee_member__organization_id=committee_id)
    if street_id:
        pledges = pledges.filter(
            Q(target_unit__street_id=street_id)
            | Q(target_region_id=street_id)
            | Q(target_region__parent_id=street_id)
        )
    return pledges.order_by("-pledged_on", "-id")


def pledge_detail(user, pk: int) -> Pledge:
    progress = visible_to(user, PledgeProgress.objects.all()).select_related("recorded_by")
    return get_object_or_404(
        visible_pledges(user)
        .select_related(
            "committee_member__person",
            "committee_member__organization",
            "target_unit__street",
            "target_region",
            "result_organization",
            "created_by",
        )
        .prefetch_related(Prefetch("progress", queryset=progress)),
        pk=pk,
    )


def unit_pledges(user, unit):
    """The pledges to help build an organization in ``unit``, newest first, with their progress."""
    return pledge_list(user).filter(target_unit=unit).prefetch_related("progress")


def _sitting(today: datetime.date) -> Q:
    return Q(end_date__isnull=True) | Q(end_date__gte=today)


def pledging_committees(user):
    """The party committees and working committees the user can see."""
    return visible_to(user, Organization.objects.filter(kind__in=Pledge.COMMITTEE_KINDS)).exclude(
        status=Organization.Status.DISSOLVED
    )


def sitting_members(user, *, today: datetime.date | None = None):
    """Sitting members of those committees (the ones who pledge)."""
    today = today or timezone.localdate()
    return visible_to(
        user,
        CommitteeMember.objects.filter(_sitting(today), organization__in=pledging_committees(user)),
    ).select_related("person", "organization")


def members_without_pledge(user, *, committee_id=None, today: datetime.date | None = None):
    """Sitting committee members with no standing pledge, committee by committee."""
    standing = Pledge.objects.filter(_STANDING, committee_member_id=OuterRef("pk"))
    members = sitting_members(user, today=today).filter(~Exists(standing))
    if committee_id:
        members = members.filter(organization_id=committee_id)
    return members.order_by("organization__path", "post", "person__name", "pk")


def committee_pledge_counts(user, *, today: datetime.date | None = None) -> list[dict]:
    """Per committee with sitting members: {organization, members, pledged, without}, in the
    committee tree's order (one grouped query, one for the committees)."""
    standing = Pledge.objects.filter(_STANDING, committee_member_id=OuterRef("pk"))
    rows = (
        sitting_members(user, today=today)
        .annotate(has_pledge=Exists(standing))
        .order_by()
        .values("organization_id")
        .annotate(members=Count("pk"), pledged=Count("pk", filter=Q(has_pledge=True)))
    )
    counts = {row["organization_id"]: row for row in rows}
    committees = pledging_committees(user).filter(pk__in=counts).select_related("street").order_by("path")
    return [
        {
            "organization": committee,
            "members": counts[committee.pk]["members"],
            "pledged": counts[committee.pk]["pledged"],
            "without": counts[committee.pk]["members"] - counts[committee.pk]["pledged"],
        }
        for committee in committees
    ]
