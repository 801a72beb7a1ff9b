"""The unit registry as a spreadsheet: the columns exports (and later imports) share."""

from dangjian.core.choices import Industry
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec
from dangjian.units.models import Unit
from dangjian.units.visits import days_overdue

UNIT_SHEET = SheetSpec(
    name="单位名录",
    columns=(
        Column("name", "单位名称", required=True, aliases=("名称", "企业名称")),
        Column("uscc", "统一社会信用代码", Kind.USCC, aliases=("信用代码", "社会信用代码")),
        Column(
            "kind",
            "单位类型",
            Kind.CHOICE,
            choices=tuple((c.value, c.label) for c in Unit.Kind),
            choice_aliases=(
                ("head_company", "总部"),
                ("outlet", "网点"),
                ("outlet", "站点"),
                ("chain_store", "门店"),
            ),
        ),
        Column(
            "industry",
            "行业",
            Kind.CHOICE,
            required=True,
            choices=tuple((c.value, c.label) for c in Industry),
        ),
        Column("parent__name", "总公司（上级单位）"),
        Column("street__name", "属地街道（镇）"),
        Column("community__name", "社区"),
        Column("address", "地址"),
        Column("longitude", "经度", Kind.DECIMAL),
        Column("latitude", "纬度", Kind.DECIMAL),
        Column(
            "key_area",
            "重点区域",
            Kind.CHOICE,
            choices=tuple((c.value, c.label) for c in Unit.KeyArea if c.value),
        ),
        Column("industry_authority__name", "行业主管部门"),
        # Five-clears ledger, part 1 (operations): kept with the registry, one sheet for the census.
        Column(
            "operating_status",
            "经营状态",
            Kind.CHOICE,
            choices=tuple((c.value, c.label) for c in Unit.OperatingStatus),
            choice_aliases=(
                ("operating", "在营"),
                ("operating", "存续"),
                ("suspended", "停业"),
                ("suspended", "歇业"),
                ("deregistered", "注销"),
            ),
        ),
        Column("business_scope", "经营范围", max_length=2000),
        Column("reported_outlet_count", "网点数量", Kind.INTEGER, aliases=("网点数",)),
        Column("platforms", "服务平台", aliases=("合作平台", "所属平台"), max_length=200),
    ),
)


def unit_rows(units):
    """Plain values for the sheet, fetched in one query (no per-row look-ups)."""
    return units.values(*(column.key for column in UNIT_SHEET.columns)).order_by("path")


# Return visits due or overdue (定期回访): an export only, so no aliases or notes.
VISIT_SHEET = SheetSpec(
    name="回访逾期名单",
    columns=(
        Column("name", "单位名称"),
        Column("kind", "单位类型", Kind.CHOICE, choices=tuple((c.value, c.label) for c in Unit.Kind)),
        Column("industry", "行业", Kind.CHOICE, choices=tuple((c.value, c.label) for c in Industry)),
        Column("street__name", "属地街道（镇）"),
        Column("last_visit", "上次回访日期", Kind.DATE),
        Column("visit_interval", "回访间隔（天）", Kind.INTEGER),
        Column("next_due", "应回访日期", Kind.DATE),
        Column("days_overdue", "逾期天数", Kind.INTEGER),
    ),
)


def visit_rows(units, *, today):
    """Rows for VISIT_SHEET from units annotated by ``queries.with_visit_schedule``, in one query."""
    fields = [c.key for c in VISIT_SHEET.columns if c.key != "days_overdue"]
    for row in units.values(*fields):
        yield {**row, "days_overdue": days_overdue(row["next_due"], today)}


# The columns that say which unit a row is, first in the exports of unit lists (the ledger here,
# the coverage list in coverage/status_sheets.py).
UNIT_ID_COLUMNS = (
    Column("name", "单位名称"),
    Column("uscc", "统一社会信用代码", Kind.USCC),
    Column("street__name", "属地街道（镇）"),
    Column("industry", "行业", Kind.CHOICE, choices=tuple((c.value, c.label) for c in Industry)),
)

# The five-clears ledger (五个清台账), one row per unit: an export only.
LEDGER_SHEET = SheetSpec(
    name="五个清台账",
    columns=(
        *UNIT_ID_COLUMNS,
        Column(
            "operating_status",
            "经营状态",
            Kind.CHOICE,
            choices=tuple((c.value, c.label) for c in Unit.OperatingStatus),
        ),
        Column("business_scope", "经营范围"),
        Column("reported_outlet_count", "网点数（单位报告）", Kind.INTEGER),
        Column("platforms", "服务平台"),
        Column("headcount", "在册职工人数", Kind.INTEGER),
        Column("full_members", "正式党员", Kind.INTEGER),
        Column("probationary_members", "预备党员", Kind.INTEGER),
        Column("investor_count", "出资人数", Kind.INTEGER),
        Column("organization_name", "覆盖党组织"),
        Column("organization_count", "覆盖党组织数", Kind.INTEGER),
        Column("instructor_name", "党建指导员"),
        Column("last_updated", "最近更新时间"),
    ),
)

# The annotations ``ledger.last_updated`` takes the latest of.
_LEDGER_CHANGES = (
    "operations_updated_at",
    "workforce_changed",
    "report_changed",
    "investors_changed",
    "instructors_changed",
)


def ledger_rows(units):
    """Rows for LEDGER_SHEET from ``ledger.ledger_table``: one query, no per-row look-ups."""
    from dangjian.units.ledger import last_updated

    fields = [c.key for c in LEDGER_SHEET.columns if c.key != "last_updated"]
    for row in units.values(*fields, *_LEDGER_CHANGES):
        yield {**row, "last_updated": last_updated(row)}
