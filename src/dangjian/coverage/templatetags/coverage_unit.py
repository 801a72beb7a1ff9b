"""The unit page's coverage panel: status, why, gaps and the recommended next step.

One ``{% coverage_unit unit %}`` line in units/unit_detail.html; the panel reads its own data
(``queries.unit_coverage``), as the user may see it.
"""

from django import template

from dangjian.coverage.queries import unit_coverage

register = template.Library()


@register.inclusion_tag("coverage/unit_panel.html", takes_context=True)
def coverage_unit(context, unit):
    request = context["request"]
    if context.get("as_of"):  # the page as of a past day shows the ledger then; coverage is today's
        return {"coverage": None, "as_of": context["as_of"]}
    return {"coverage": unit_coverage(request.user, unit), "request": request}
