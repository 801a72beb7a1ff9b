"""One-to-one help on the unit page: the pledges to help build an organization there.

One ``{% unit_pledges unit %}`` line in units/unit_detail.html; the section fetches its own rows.
"""

from django import template

from dangjian.coverage import pledge_queries
from dangjian.coverage.pledges import may_manage_pledges

register = template.Library()


@register.inclusion_tag("coverage/pledge_unit_section.html", takes_context=True)
def unit_pledges(context, unit):
    user = context["request"].user
    return {
        "unit": unit,
        "pledges": list(pledge_queries.unit_pledges(user, unit)),
        "may_manage": may_manage_pledges(user),
    }
