"""Exports of the secretaries-and-leadership part: organizations out of rule, and the units with
and without cross appointment."""

from dangjian.core.choices import Industry
from dangjian.organizations.models import Organization
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec

LEADERSHIP_SHEET = SheetSpec(
    name="班子配备情况",
    columns=(
        Column("name", "党组织名称"),
        Column("kind", "组织类别", Kind.CHOICE, choices=tuple((c.value, c.label) for c in Organization.Kind)),
        Column("street", "属地街道（镇）"),
        Column("secretary", "书记"),
        Column("full_members", "正式党员数", Kind.INTEGER),
        Column("seats", "班子成员数", Kind.INTEGER),
        Column("term_end", "本届任期届满", Kind.DATE),
        Column("reelection_on", "应换届日期", Kind.DATE),
        Column("breaches", "不符合规定"),
        Column("notices", "需核实"),
    ),
)


def leadership_rows(organizations):
    """Rows from ``leadership_queries.leadership_list`` (with secretaries attached)."""
    for organization in organizations:
        yield {
            "name": organization.name,
            "kind": organization.kind,
            "street": organization.street.name if organization.street_id else "",
            "secretary": getattr(organization, "secretary_name", ""),
            "full_members": organization.full_members,
            "seats": organization.seats,
            "term_end": organization.term_end,
            "reelection_on": organization.reelection_on,
            "breaches": "；".join(f.message for f in organization.findings if f.is_breach),
            "notices": "；".join(f.message for f in organization.findings if not f.is_breach),
        }


CROSS_APPOINTMENT_SHEET = SheetSpec(
    name="双向进入交叉任职",
    columns=(
        Column("name", "单位名称"),
        Column("street", "属地街道（镇）"),
        Column("industry", "行业", Kind.CHOICE, choices=tuple((c.value, c.label) for c in Industry)),
        Column("organizations", "覆盖党组织"),
        Column("managers", "在任管理人员数", Kind.INTEGER),
        Column("cross_people", "交叉任职人数", Kind.INTEGER),
        Column("crossed", "已实现交叉任职", Kind.BOOLEAN),
        Column("decisions", "参与重大决策记录数", Kind.INTEGER),
    ),
)


def cross_appointment_rows(units):
    """Rows from ``leadership_queries.cross_appointment_units`` passed through ``with_unit_details``."""
    for unit in units:
        yield {
            "name": unit.name,
            "street": unit.street.name if unit.street_id else "",
            "industry": unit.industry,
            "organizations": "、".join(unit.organization_names),
            "managers": unit.managers,
            "cross_people": unit.cross_people,
            "crossed": unit.cross_people > 0,
            "decisions": unit.decision_count,
        }
