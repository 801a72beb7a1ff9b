from django import template

from dangjian.core.inbox import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_unread(context) -> int:
    """The top bar's unread count: one query, only on pages that show the bar."""
    request = context.get("request")
    return unread_count(request.user) if request is not None else 0
