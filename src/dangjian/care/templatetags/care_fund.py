"""Template helpers of the care fund: money shown in yuan with two decimals."""

from django import template

from dangjian.care.fund_rules import format_yuan

register = template.Library()


@register.filter
def yuan(fen):
    """Integer fen as yuan: 300000 -> "3,000.00"; empty stays empty."""
    if fen is None or fen == "":
        return ""
    return format_yuan(int(fen))
