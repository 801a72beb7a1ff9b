"""Read access to the district's rule table (core.Rule)."""

from django.core.exceptions import ImproperlyConfigured

from dangjian.core.models import Rule


def rule_value(key: str) -> int | None:
    """The district's value for a rule, or None when the district switched the rule off."""
    try:
        rule = Rule.objects.only("value", "enabled").get(key=key)
    except Rule.DoesNotExist:
        raise ImproperlyConfigured(f"Rule {key!r} is missing from the rule table; run migrations.") from None
    return rule.value if rule.enabled else None
