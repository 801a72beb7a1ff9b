"""The secretaries-and-leadership sections of the organization page and the unit page, loaded by
their partials, so each page's view and template need one ``{% include %}`` line."""

from django import template

from dangjian.organizations import leadership_queries as queries
from dangjian.organizations.leadership_services import may_edit_management_posts, may_record_decisions

register = template.Library()


@register.simple_tag(takes_context=True)
def leadership_section(context, organization):
    """The organization's leading group checked against the rules, and its cross appointments."""
    return queries.organization_leadership(context["request"].user, organization)


@register.simple_tag(takes_context=True)
def unit_leadership_section(context, unit):
    """The unit's management posts (marked where the holder also sits on a covering committee)
    and its decision log."""
    user = context["request"].user
    current, past = queries.unit_management_posts(user, unit)
    return {
        "current": current,
        "past": past[:10],
        "crossed": len({post.person_id for post in current if post.party_posts}),
        "decisions": queries.unit_decisions(user, unit)[:50],
        "may_edit_posts": may_edit_management_posts(user, unit),
        # Only where an organization the user sees covers the unit: it is whose opinion is logged.
        "may_record_decisions": may_record_decisions(user, unit)
        and queries.covering_organizations(user, unit).exists(),
    }
