"""The development pipeline's line on the organization page: a link to its board with counts."""

from django import template

from dangjian.accounts.scope import sees_party_member_names

register = template.Library()


@register.inclusion_tag("membership/development_org_summary.html", takes_context=True)
def development_summary(context, organization):
    from dangjian.membership.queries import stage_counts

    user = context["request"].user
    show = sees_party_member_names(user)
    return {
        "organization": organization,
        "show": show,
        "counts": stage_counts(user, organization=organization) if show else {},
    }


@register.inclusion_tag("membership/development_card.html", takes_context=True)
def development_card(context):
    """The dashboard's card: people at each stage and steps overdue, for party-work roles."""
    from dangjian.membership.queries import stage_counts, todo

    user = context["request"].user
    if not sees_party_member_names(user):
        return {"show": False}
    rows = todo(user)
    return {
        "show": True,
        "counts": stage_counts(user),
        "overdue": sum(1 for row in rows if row.item.overdue),
        "due": len(rows),
    }


@register.inclusion_tag("membership/development_mine.html", takes_context=True)
def my_development(context, person):
    """A worker's own application for membership, on their home page (read-only)."""
    from dangjian.accounts.scope import visible_to
    from dangjian.membership.models import DevelopmentRecord

    user = context["request"].user
    records = visible_to(user, DevelopmentRecord.objects.filter(person=person)).order_by("-applied_on", "-pk")
    return {"record": records.select_related("organization").first()}
