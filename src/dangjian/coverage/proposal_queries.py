"""Reads for the joint-build planner's review: proposals, their groups, each from ``visible_to``."""

from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404

from dangjian.accounts.scope import visible_to
from dangjian.coverage.models import DeclinedGrouping, JointBuildProposal, ProposedGroup
from dangjian.units.models import Unit

_GROUP_UNITS = Unit.objects.only(
    "pk", "name", "street_id", "community", "latitude", "longitude", "key_area", "industry"
).order_by("name")


def visible_proposals(user):
    return visible_to(user, JointBuildProposal.objects.all())


def proposal_list(user, *, street_id=None):
    proposals = visible_proposals(user).select_related("street", "created_by")
    if street_id:
        proposals = proposals.filter(street_id=street_id)
    return proposals.annotate(
        group_count=Count("groups", distinct=True),
        accepted_count=Count("groups", filter=Q(groups__status=ProposedGroup.Status.ACCEPTED), distinct=True),
        declined_count=Count("groups", filter=Q(groups__status=ProposedGroup.Status.DECLINED), distinct=True),
    ).order_by("-created_at", "-id")


def proposal_detail(user, pk: int) -> JointBuildProposal:
    return get_object_or_404(visible_proposals(user).select_related("street", "created_by"), pk=pk)


def proposal_summary(user, proposal: JointBuildProposal) -> dict:
    """Groups by status, the units they would cover, and their total distance, in SQL."""
    groups = visible_to(user, ProposedGroup.objects.filter(proposal=proposal))
    summary = groups.aggregate(
        groups=Count("pk"),
        proposed=Count("pk", filter=Q(status=ProposedGroup.Status.PROPOSED)),
        accepted=Count("pk", filter=Q(status=ProposedGroup.Status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=ProposedGroup.Status.DECLINED)),
        distance_m=Sum("distance_m", filter=~Q(status=ProposedGroup.Status.DECLINED)),
    )
    summary["units"] = (
        ProposedGroup.units.through.objects.filter(proposedgroup__in=groups)
        .exclude(proposedgroup__status=ProposedGroup.Status.DECLINED)
        .count()
    )
    summary["distance_m"] = summary["distance_m"] or 0
    return summary


def proposal_groups(user, proposal: JointBuildProposal, *, street_id=None, status=""):
    groups = visible_to(user, ProposedGroup.objects.filter(proposal=proposal)).select_related(
        "street", "organization", "decided_by"
    )
    if street_id:
        groups = groups.filter(street_id=street_id)
    if status:
        groups = groups.filter(status=status)
    return groups.prefetch_related(Prefetch("units", queryset=_GROUP_UNITS)).order_by("number")


def proposal_streets(user, proposal: JointBuildProposal):
    """The streets the proposal's groups lie in (a district run spans several)."""
    from dangjian.regions.models import Region

    street_ids = visible_to(user, ProposedGroup.objects.filter(proposal=proposal)).values("street_id")
    return Region.objects.filter(pk__in=street_ids).order_by("path")


def group_detail(user, pk: int) -> ProposedGroup:
    return get_object_or_404(
        visible_to(user, ProposedGroup.objects.all())
        .select_related("proposal__street", "proposal__created_by", "street", "organization", "decided_by")
        .prefetch_related(Prefetch("units", queryset=_GROUP_UNITS.select_related("community"))),
        pk=pk,
    )


def declined_for_group(user, group: ProposedGroup):
    """The remembered decline of this group, if it was declined."""
    return (
        visible_to(user, DeclinedGrouping.objects.filter(group=group)).select_related("declined_by").first()
    )
