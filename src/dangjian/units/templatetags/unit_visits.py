"""The return-visit section of the unit page, loaded by the partial itself.

The unit page is shared with the five-clears ledger; fetching the visits here keeps that page's
view and template down to one ``{% include "units/_visits.html" %}`` line for this section.
"""

from django import template

from dangjian.units import queries
from dangjian.units.visits import may_record_visits

register = template.Library()


@register.simple_tag(takes_context=True)
def visit_section(context, unit):
    user = context["request"].user
    return {
        "schedule": queries.visit_schedule(user, unit),
        "visits": queries.unit_visits(user, unit),
        "may_record": may_record_visits(user, unit),
    }
