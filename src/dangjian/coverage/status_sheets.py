"""Exports of the coverage list and of the campaign's progress (measure 4)."""

from dangjian.coverage.queries import gap_list
from dangjian.coverage.rules import CoverageStatus, Gap
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec
from dangjian.units.models import Unit
from dangjian.units.sheets import UNIT_ID_COLUMNS

COVERAGE_SHEET = SheetSpec(
    name="两个覆盖情况",
    columns=(
        *UNIT_ID_COLUMNS,
        Column(
            "key_area",
            "重点区域",
            Kind.CHOICE,
            choices=tuple((c.value, c.label) for c in Unit.KeyArea if c.value),
        ),
        Column("full_members", "正式党员", Kind.INTEGER),
        Column("members", "党员（含预备党员）", Kind.INTEGER),
        Column(
            "coverage_status",
            "覆盖状态",
            Kind.CHOICE,
            choices=tuple((c.value, c.label) for c in CoverageStatus),
        ),
        Column("org_preparing", "党组织筹建中", Kind.BOOLEAN),
        Column("organization_name", "覆盖党组织"),
        Column("instructor_name", "党建指导员"),
        Column("gaps", "存在问题"),
    ),
)

_FIELDS = [c.key for c in COVERAGE_SHEET.columns if c.key != "gaps"]


def coverage_rows(units):
    """Rows for COVERAGE_SHEET from ``queries.coverage_list``, in one query."""
    for row in units:
        values = {key: _value(row, key) for key in _FIELDS}
        values["gaps"] = "；".join(str(Gap(gap).label) for gap in gap_list(row))
        yield values


def _value(row, key):
    if key == "street__name":
        return row.street.name if row.street_id else ""
    return getattr(row, key)


PROGRESS_SHEET = SheetSpec(
    name="两个覆盖推进情况",
    columns=(
        Column("month", "月份"),
        Column("group", "分组"),
        Column("units", "单位数", Kind.INTEGER),
        Column("org_covered", "组织覆盖", Kind.INTEGER),
        Column("org_preparing", "其中筹建中", Kind.INTEGER),
        Column("work_covered", "仅工作覆盖", Kind.INTEGER),
        Column("not_covered", "未覆盖", Kind.INTEGER),
        Column("org_rate", "组织覆盖率（%）", Kind.DECIMAL),
        Column("work_rate", "工作覆盖率（%）", Kind.DECIMAL),
        Column("should_build_own", "应单独组建未组建", Kind.INTEGER),
        Column("term_expired", "党组织任期届满", Kind.INTEGER),
        Column("joint_over_max", "联合党支部覆盖单位超限", Kind.INTEGER),
        Column("members_without_organization", "有党员无党组织", Kind.INTEGER),
    ),
)
