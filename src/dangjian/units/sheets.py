"""The unit registry as a spreadsheet: the columns exports (and later imports) share."""

from dangjian.core.choices import Industry
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec
from dangjian.units.models import Unit

UNIT_SHEET = SheetSpec(
    name="单位名录",
    columns=(
        Column("name", "单位名称", required=True, aliases=("名称", "企业名称")),
        Column("uscc", "统一社会信用代码", Kind.USCC, aliases=("信用代码", "社会信用代码")),
        Column("kind", "单位类型", Kind.CHOICE, choices=tuple((c.value, c.label) for c in Unit.Kind)),
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
        Column("longitude", "经度"),
        Column("latitude", "纬度"),
        Column(
            "key_area",
            "重点区域",
            Kind.CHOICE,
            choices=tuple((c.value, c.label) for c in Unit.KeyArea if c.value),
        ),
        Column("industry_authority__name", "行业主管部门"),
    ),
)


def unit_rows(units):
    """Plain values for the sheet, fetched in one query (no per-row look-ups)."""
    return units.values(*(column.key for column in UNIT_SHEET.columns)).order_by("path")
