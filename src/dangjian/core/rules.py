"""The district's rule table (core.Rule): every number a rule needs, with its national default.

The definitions below are the defaults from design/rules.md. ``sync_rule_table`` runs after every
migrate (and after a test flush) and adds any missing rule; it never overwrites a value the
district has set.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class RuleDefinition:
    key: str
    name: str
    default: int
    unit: str
    source: str
    enabled: bool = True


RULES = [
    RuleDefinition(
        "branch-term-years",
        "党支部（党总支）委员会任期",
        3,
        "年",
        "《中国共产党支部工作条例（试行）》（2018）：党支部委员会每届任期一般为3年。",
    ),
    RuleDefinition(
        "committee-term-years",
        "基层党委及工作机构任期",
        5,
        "年",
        "《中国共产党章程》：党的基层委员会每届任期3年至5年。",
    ),
    RuleDefinition(
        "organization-reelection-notice-days",
        "换届提前提醒天数",
        90,
        "天",
        "地方做法：任期届满前提前提醒做好换届准备（非国家规定，可调整或关闭）。",
    ),
]


def sync_rule_table(**kwargs) -> None:
    from dangjian.core.models import Rule

    existing = set(Rule.objects.values_list("key", flat=True))
    Rule.objects.bulk_create(
        Rule(
            key=d.key,
            name=d.name,
            value=d.default,
            national_default=d.default,
            unit=d.unit,
            source=d.source,
            enabled=d.enabled,
        )
        for d in RULES
        if d.key not in existing
    )


def rule_value(key: str) -> int | None:
    """The district's value for a rule, or None when the district switched the rule off."""
    from dangjian.core.models import Rule

    try:
        rule = Rule.objects.only("value", "enabled").get(key=key)
    except Rule.DoesNotExist:
        raise ImproperlyConfigured(f"Rule {key!r} is missing from the rule table; run migrations.") from None
    return rule.value if rule.enabled else None
