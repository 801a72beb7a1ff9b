"""One-to-one help as spreadsheets: the pledge list and the members without a pledge."""

from dangjian.coverage.models import Pledge
from dangjian.organizations.models import CommitteeMember
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec

PLEDGE_SHEET = SheetSpec(
    name="一对一帮扶台账",
    columns=(
        Column("committee", "所在党委（工委）"),
        Column("member", "班子成员"),
        Column("post", "职务"),
        Column("target", "帮扶对象"),
        Column("target_street", "所在街道（镇）"),
        Column("pledged_on", "认领日期", Kind.DATE),
        Column("status", "状态", Kind.CHOICE, choices=tuple((c.value, c.label) for c in Pledge.Status)),
        Column("latest_progress", "最新进展"),
        Column("result", "建成党组织"),
        Column("result_on", "建成日期", Kind.DATE),
    ),
)

MISSING_SHEET = SheetSpec(
    name="未认领帮扶任务的班子成员",
    columns=(
        Column("committee", "所在党委（工委）"),
        Column("member", "班子成员"),
        Column("post", "职务", Kind.CHOICE, choices=tuple((c.value, c.label) for c in CommitteeMember.Post)),
        Column("start_date", "任职日期", Kind.DATE),
    ),
)


def pledge_rows(pledges):
    """Rows from ``pledge_queries.pledge_list`` (scoped), the latest progress note in one more query."""
    rows = []
    pledges = list(pledges.prefetch_related("progress"))
    for pledge in pledges:
        notes = list(pledge.progress.all())  # newest first (the model's ordering)
        street = pledge.target_unit.street if pledge.target_unit_id else pledge.target_region
        rows.append(
            {
                "committee": pledge.committee_member.organization.name,
                "member": pledge.committee_member.person.name,
                "post": pledge.committee_member.get_post_display(),
                "target": pledge.target_label,
                "target_street": str(street or ""),
                "pledged_on": pledge.pledged_on,
                "status": pledge.status,
                "latest_progress": f"{notes[0].noted_on:%Y-%m-%d} {notes[0].note}" if notes else "",
                "result": pledge.result_organization.name if pledge.result_organization_id else "",
                "result_on": pledge.result_on,
            }
        )
    return rows


def missing_rows(members):
    return [
        {
            "committee": member.organization.name,
            "member": member.person.name,
            "post": member.post,
            "start_date": member.start_date,
        }
        for member in members
    ]
