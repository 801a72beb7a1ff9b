"""The development record sheet (发展党员纪实表) as a spreadsheet: one row per dated step."""

from dangjian.membership.models import DevelopmentStep
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec

STEP_SHEET = SheetSpec(
    name="发展党员纪实表",
    columns=(
        Column("kind", "环节", Kind.CHOICE, choices=tuple((c.value, c.label) for c in DevelopmentStep.Kind)),
        Column("on", "日期", Kind.DATE),
        Column("details", "培训时长/延长期"),
        Column("people", "培养联系人/入党介绍人"),
        Column("notes", "备注"),
        Column("recorded_by", "记录人"),
        Column("override", "突破规则及理由"),
    ),
)
