"""The development rules' national defaults (design/rules.md), loaded into the rule table.

Source: 《中国共产党发展党员工作细则》（中共中央办公厅2014年6月印发）. The two local practices at the
end are not national rules: they are seeded switched off, for a district that follows them.
``sync_development_rules`` runs after every migrate (and after a test flush) and adds any rule
missing from the table; it never overwrites what the district has set.
"""

from dataclasses import dataclass

SOURCE = "《中国共产党发展党员工作细则》（2014）"


@dataclass(frozen=True)
class DevelopmentRuleDefault:
    key: str
    name: str
    kind: str  # DevelopmentRule.Check
    from_step: str
    to_step: str
    min_value: int | None
    max_value: int | None
    unit: str
    source: str
    national: bool = True
    enabled: bool = True


DEFAULTS = [
    DevelopmentRuleDefault(
        "applicant-minimum-age",
        "入党申请人年满18周岁",
        "age",
        "",
        "application",
        18,
        None,
        "years",
        f"{SOURCE}第二章 第五条：年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，"
        "承认党的纲领和章程……可以申请加入中国共产党。（年龄按身份证号码中的出生日期计算至申请日期）",
    ),
    DevelopmentRuleDefault(
        "first-talk-within-one-month",
        "收到入党申请书后一个月内谈话",
        "interval",
        "application",
        "first_talk",
        None,
        1,
        "months",
        f"{SOURCE}第二章：党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话，了解基本情况。",
    ),
    DevelopmentRuleDefault(
        "activist-contacts",
        "入党积极分子的培养联系人为一至两名正式党员",
        "count",
        "",
        "contacts",
        1,
        2,
        "people",
        f"{SOURCE}第二章：党组织应当指定一至两名正式党员作为入党积极分子的培养联系人。",
    ),
    DevelopmentRuleDefault(
        "activist-half-year-review",
        "每半年对入党积极分子考察一次",
        "every",
        "activist",
        "target",
        None,
        6,
        "months",
        f"{SOURCE}第二章：党支部每半年对入党积极分子进行一次考察。"
        "（确定为发展对象时检查：自确定为入党积极分子起，相邻两次考察及最后一次考察至确定为发展对象，"
        "间隔均不超过半年）",
    ),
    DevelopmentRuleDefault(
        "activist-one-year-before-target",
        "入党积极分子经过一年以上培养教育和考察方可列为发展对象",
        "interval",
        "activist",
        "target",
        1,
        None,
        "years",
        f"{SOURCE}第三章：对经过一年以上培养教育和考察、基本具备党员条件的入党积极分子，"
        "……支部委员会讨论同意并报上级党委备案后，可列为发展对象。",
    ),
    DevelopmentRuleDefault(
        "two-introducers",
        "发展对象有两名正式党员作入党介绍人",
        "count",
        "",
        "introducers",
        2,
        2,
        "people",
        f"{SOURCE}第三章：发展对象应当有两名正式党员作入党介绍人。",
    ),
    DevelopmentRuleDefault(
        "concentrated-training-length",
        "发展对象集中培训不少于3天（或24学时）",
        "training",
        "",
        "training",
        24,
        None,
        "hours",
        f"{SOURCE}第三章：基层党委或县级党委组织部门应当对发展对象进行短期集中培训。"
        "培训时间一般不少于3天（或不少于24个学时）。（按每天8学时折算）",
    ),
    DevelopmentRuleDefault(
        "approval-within-three-months",
        "支部大会通过后上级党委3个月内审批",
        "interval",
        "vote",
        "approval",
        None,
        3,
        "months",
        f"{SOURCE}第四章：上级党委审批发展党员，应当在3个月内审批……"
        "因特殊情况可适当延长审批时间，但不得超过6个月。",
    ),
    DevelopmentRuleDefault(
        "approval-at-most-six-months",
        "上级党委审批最长不超过6个月",
        "interval",
        "vote",
        "approval",
        None,
        6,
        "months",
        f"{SOURCE}第四章：因特殊情况可适当延长审批时间，但不得超过6个月。",
    ),
    DevelopmentRuleDefault(
        "probation-one-year",
        "预备期为一年",
        "interval",
        "probation_start",
        "full_membership",
        1,
        None,
        "years",
        f"{SOURCE}第五章：预备党员的预备期为一年，从支部大会通过其为预备党员之日算起。"
        "（延长预备期的，期满日期相应顺延）",
    ),
    DevelopmentRuleDefault(
        "probation-extension",
        "延长预备期6至12个月，且只能延长一次",
        "extension",
        "",
        "extension",
        6,
        12,
        "months",
        f"{SOURCE}第五章：预备党员需要继续教育和考察的，可以延长一次预备期。"
        "延长时间不能少于半年，最长不超过一年。",
    ),
    # Local practice seen elsewhere (rules.md): off unless the district or an organization turns it on.
    DevelopmentRuleDefault(
        "local-activist-at-least-15-days-after-application",
        "递交入党申请书15天后方可确定为入党积极分子（地方做法）",
        "interval",
        "application",
        "activist",
        15,
        None,
        "days",
        "地方做法（非全国统一规定，默认关闭）：部分地区规定入党申请人递交申请书15天以后方可确定为入党积极分子。",
        national=False,
        enabled=False,
    ),
    DevelopmentRuleDefault(
        "local-activist-within-13-months-of-application",
        "递交入党申请书后13个月内确定为入党积极分子（地方做法）",
        "interval",
        "application",
        "activist",
        None,
        13,
        "months",
        "地方做法（非全国统一规定，默认关闭）：部分地区规定入党申请人递交申请书后一般在13个月内确定为入党积极分子。",
        national=False,
        enabled=False,
    ),
    DevelopmentRuleDefault(
        "local-target-45-days-before-plan",
        "确定为发展对象满45天方可列入发展计划（地方做法）",
        "interval",
        "target",
        "plan",
        45,
        None,
        "days",
        "地方做法（非全国统一规定，默认关闭）：部分地区规定确定为发展对象满45天后方可列入发展党员计划。",
        national=False,
        enabled=False,
    ),
]


def sync_development_rules(**kwargs) -> None:
    """Add the rules missing from the table, with their defaults (never overwrite the district's)."""
    from dangjian.membership.models import DevelopmentRule

    existing = set(DevelopmentRule.objects.values_list("key", flat=True))
    DevelopmentRule.objects.bulk_create(
        DevelopmentRule(
            key=d.key,
            name=d.name,
            kind=d.kind,
            from_step=d.from_step,
            to_step=d.to_step,
            min_value=d.min_value,
            max_value=d.max_value,
            unit=d.unit,
            enabled=d.enabled,
            national=d.national,
            default_min=d.min_value,
            default_max=d.max_value,
            default_unit=d.unit,
            default_enabled=d.enabled,
            source=d.source,
        )
        for d in DEFAULTS
        if d.key not in existing
    )
