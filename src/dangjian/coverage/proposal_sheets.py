"""A joint-build proposal as a spreadsheet: one row per unit of each group."""

from dangjian.coverage.models import ProposedGroup
from dangjian.coverage.queries import annotate_coverage
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec
from dangjian.units.models import Unit

PROPOSAL_SHEET = SheetSpec(
    name="联合组建方案",
    columns=(
        Column("group", "组号", Kind.INTEGER),
        Column("street", "街道（镇）"),
        Column(
            "status", "状态", Kind.CHOICE, choices=tuple((c.value, c.label) for c in ProposedGroup.Status)
        ),
        Column("unit", "单位名称"),
        Column("uscc", "统一社会信用代码", Kind.USCC),
        Column("address", "地址"),
        Column("full_members", "正式党员数", Kind.INTEGER),
        Column("key_area", "重点区域", Kind.CHOICE, choices=tuple((c.value, c.label) for c in Unit.KeyArea)),
        Column("distance_m", "组内到中心距离合计（米）", Kind.INTEGER),
        Column("organization", "已建党组织"),
    ),
)


def proposal_rows(groups):
    """Rows from ``proposal_queries.proposal_groups`` (scoped); full members in one query."""
    units = Unit.objects.filter(proposed_groups__in=groups.values("pk"))
    facts = dict(annotate_coverage(units).values_list("pk", "full_members"))
    details = {u.pk: u for u in units.only("pk", "uscc", "address")}
    for group in groups:
        for unit in group.units.all():
            yield {
                "group": group.number,
                "street": group.street.name,
                "status": group.status,
                "unit": unit.name,
                "uscc": details[unit.pk].uscc or "",
                "address": details[unit.pk].address,
                "full_members": facts.get(unit.pk, 0),
                "key_area": unit.key_area,
                "distance_m": group.distance_m,
                "organization": group.organization.name if group.organization_id else "",
            }
