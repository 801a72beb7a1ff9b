"""The home page's quota card: use and remaining development quota per committee this year."""

from django import template
from django.utils import timezone

from dangjian.membership.quotas import dashboard_quotas

register = template.Library()


@register.inclusion_tag("membership/quota_card.html", takes_context=True)
def quota_card(context):
    year = timezone.localdate().year
    rows, more = dashboard_quotas(context["request"].user, year=year)
    return {"rows": list(rows), "more": more, "year": year}
