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
    # Secretaries and leadership (measure 5): the size of a branch's leading group.
    RuleDefinition(
        "branch-committee-member-threshold",
        "设立支部委员会的党员人数",
        7,
        "人",
        "《中国共产党支部工作条例（试行）》（2018）第九条：党员7人以上的党支部，设立党支部委员会。"
        "党员不足7人的党支部，不设党支部委员会。（按正式党员计：预备党员没有选举权和被选举权）",
    ),
    RuleDefinition(
        "branch-committee-min-size",
        "支部委员会最少人数",
        3,
        "人",
        "《中国共产党支部工作条例（试行）》（2018）第九条：党支部委员会由3至5人组成，一般不超过7人。",
    ),
    RuleDefinition(
        "branch-committee-usual-max-size",
        "支部委员会一般人数上限",
        5,
        "人",
        "《中国共产党支部工作条例（试行）》（2018）第九条：党支部委员会由3至5人组成，一般不超过7人。",
    ),
    RuleDefinition(
        "branch-committee-max-size",
        "支部委员会最多人数",
        7,
        "人",
        "《中国共产党支部工作条例（试行）》（2018）第九条：党支部委员会由3至5人组成，一般不超过7人。",
    ),
    RuleDefinition(
        "branch-without-committee-max-deputies",
        "不设支委会的党支部副书记人数上限",
        1,
        "人",
        "《中国共产党支部工作条例（试行）》（2018）第九条：党员不足7人的党支部，不设党支部委员会，"
        "由党员大会选举产生书记1名，必要时可以选举产生副书记1名。",
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
    # Two coverages (measure 4): when a unit should build its own organization, how many units a
    # joint branch may cover, and how far apart the units of one joint build may lie.
    RuleDefinition(
        "standalone-build-min-full-members",
        "单独组建党支部的正式党员人数",
        3,
        "人",
        "《中国共产党支部工作条例（试行）》（2018）第五条：有正式党员3人以上的，应当成立党支部。",
    ),
    RuleDefinition(
        "joint-branch-max-units",
        "联合党支部覆盖单位数上限",
        5,
        "个",
        "《中国共产党支部工作条例（试行）》（2018）第五条：正式党员不足3人的单位，可以与邻近单位"
        "的党员联合成立党支部；联合党支部覆盖单位一般不超过5个。",
    ),
    RuleDefinition(
        "joint-build-max-distance-m",
        "联合组建单位之间的最大距离",
        1500,
        "米",
        "地方做法：联合党支部的党员要能就近参加组织生活，联合组建的单位彼此相距不超过1.5公里"
        "（非国家规定，可调整或关闭；关闭即不限距离）。",
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
    # Mobile party members (流动党员, measure 5).
    RuleDefinition(
        "mobile-member-transfer-months",
        "流动党员在固定地点居住满多少个月应转接组织关系",
        6,
        "个月",
        "《中国共产党党员教育管理工作条例》（2019）党员组织关系管理：党员工作单位、经常居住地发生变动的，"
        "或者外出学习、工作、生活6个月以上并且地点相对固定的，应当转移组织关系。",
    ),
    RuleDefinition(
        "mobile-member-out-of-contact-months",
        "流动党员失去联系多少个月应予处置",
        6,
        "个月",
        "《中国共产党党员教育管理工作条例》（2019）党籍管理：对与党组织失去联系6个月以上、"
        "通过各种方式查找仍然没有取得联系的党员，予以停止党籍。失联满期即提醒所属党组织查找联系。",
    ),
    # Member development (measure 5): how far ahead the to-do list and the reminders show a step
    # falling due (the time limits themselves are in the development rule table, membership app).
    RuleDefinition(
        "development-reminder-days-ahead",
        "发展党员环节到期提前提醒天数",
        30,
        "天",
        "地方做法：谈话、半年考察、审批、预备期满等环节到期前提前提醒党支部书记和街道（非国家规定，可调整或关闭）。",
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
