"""Party organizations as a spreadsheet: the export of the organization list."""

from dangjian.organizations.models import Organization
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec

ORGANIZATION_SHEET = SheetSpec(
    name="党组织名册",
    columns=(
        Column("name", "党组织名称"),
        Column("kind", "组织类别", Kind.CHOICE, choices=tuple((c.value, c.label) for c in Organization.Kind)),
        Column(
            "build_method",
            "组建方式",
            Kind.CHOICE,
            choices=tuple((c.value, c.label) for c in Organization.BuildMethod),
        ),
        Column("status", "状态", Kind.CHOICE, choices=tuple((c.value, c.label) for c in Organization.Status)),
        Column("parent__name", "上级党组织"),
        Column("street__name", "属地街道（镇）"),
        Column("secretary", "书记"),
        Column("founded_on", "成立日期", Kind.DATE),
        Column("term_start", "本届任期开始", Kind.DATE),
        Column("term_end", "本届任期届满", Kind.DATE),
        Column("unit_count", "覆盖单位数", Kind.INTEGER),
    ),
)


def organization_rows(organizations):
    """Rows for the sheet from ``queries.organization_list`` (which counts the visible covered
    units), with the sitting secretary in one more query for all rows."""
    from dangjian.organizations.queries import current_secretaries

    fields = [c.key for c in ORGANIZATION_SHEET.columns if c.key != "secretary"]
    rows = list(organizations.values("pk", *fields))
    secretaries = current_secretaries([row["pk"] for row in rows])
    for row in rows:
        row["secretary"] = secretaries.get(row["pk"], "")
    return rows
