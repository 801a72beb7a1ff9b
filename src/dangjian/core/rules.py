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
    # Return visits (定期回访, measure 3): no national text sets a frequency, so these are local
    # practice. Switching one off takes that kind of unit off the visit schedule.
    RuleDefinition(
        "visit-interval-days-head-company",
        "定期回访间隔（总公司）",
        90,
        "天",
        "地方做法：平台企业及总公司每季度回访一次（非国家规定，可调整或关闭）。",
    ),
    RuleDefinition(
        "visit-interval-days-branch",
        "定期回访间隔（分公司）",
        90,
        "天",
        "地方做法：分公司每季度回访一次（非国家规定，可调整或关闭）。",
    ),
    RuleDefinition(
        "visit-interval-days-chain-store",
        "定期回访间隔（连锁店）",
        180,
        "天",
        "地方做法：连锁店每半年回访一次（非国家规定，可调整或关闭）。",
    ),
    RuleDefinition(
        "visit-interval-days-franchise-store",
        "定期回访间隔（加盟店）",
        180,
        "天",
        "地方做法：加盟店每半年回访一次（非国家规定，可调整或关闭）。",
    ),
    RuleDefinition(
        "visit-interval-days-outlet",
        "定期回访间隔（基层网点）",
        180,
        "天",
        "地方做法：基层网点每半年回访一次（非国家规定，可调整或关闭）。",
    ),
    RuleDefinition(
        "visit-reminder-days-ahead",
        "回访到期提前提醒天数",
        7,
        "天",
        "地方做法：回访到期前提前提醒责任人员（非国家规定，可调整或关闭）。",
    ),
    # Entry registration (入职登记, measure 3): the seed text asks that workers be guided to
    # disclose membership; the follow-up and its time limit are the district's practice.
    RuleDefinition(
        "disclosure-follow-up-days",
        "亮明党员身份后联系跟进期限",
        30,
        "天",
        "地方做法：新就业群体入职登记时亮明党员身份后，由覆盖所在单位的党组织（无则属地街道、镇）"
        "在期限内联系并纳入组织生活（非国家规定，可调整）。",
    ),
    # Spreadsheet uploads hold ID numbers and phones: kept no longer than needed.
    RuleDefinition(
        "import-upload-retention-days",
        "导入表格数据保留天数",
        7,
        "天",
        "《个人信息保护法》第十九条：个人信息的保存期限应当为实现处理目的所必要的最短时间。"
        "未确认的上传在期限后作废，已完成导入的错误行在期限后删除。",
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
