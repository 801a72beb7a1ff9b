"""The care fund (关爱基金) as spreadsheets: the application list and the report (exports only)."""

from dangjian.care.fund_rules import fen_to_yuan
from dangjian.care.models import CareApplication, CareCategoryKind
from dangjian.core.choices import JobType
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec

APPLICATION_SHEET = SheetSpec(
    name="关爱基金申请",
    columns=(
        Column("pk", "申请编号", Kind.INTEGER),
        Column("person__name", "姓名"),
        Column("unit__name", "单位"),
        Column("street__name", "属地街道（镇）"),
        Column("job_type", "岗位类型", Kind.CHOICE, choices=tuple((c.value, c.label) for c in JobType)),
        Column("fund__name", "关爱基金"),
        Column("fund__year", "年度", Kind.INTEGER),
        Column(
            "category__kind",
            "救助类别",
            Kind.CHOICE,
            choices=tuple((c.value, c.label) for c in CareCategoryKind),
        ),
        Column("amount_yuan", "申请金额（元）", Kind.DECIMAL),
        Column("approved_yuan", "核准金额（元）", Kind.DECIMAL),
        Column(
            "status", "状态", Kind.CHOICE, choices=tuple((c.value, c.label) for c in CareApplication.Status)
        ),
        Column("submitted_on", "提交日期", Kind.DATE),
    ),
)


def application_rows(applications):
    """Plain values in one query; money as yuan with two decimals (exact, from integer fen)."""
    from django.utils import timezone

    keys = [
        c.key
        for c in APPLICATION_SHEET.columns
        if c.key not in ("amount_yuan", "approved_yuan", "submitted_on")
    ]
    for row in applications.values(*keys, "amount_fen", "approved_fen", "submitted_at").order_by(
        "-submitted_at", "-pk"
    ):
        row["amount_yuan"] = fen_to_yuan(row.pop("amount_fen"))
        approved = row.pop("approved_fen")
        row["approved_yuan"] = fen_to_yuan(approved) if approved is not None else None
        row["submitted_on"] = timezone.localdate(row.pop("submitted_at"))
        yield row


REPORT_SHEET = SheetSpec(
    name="关爱基金统计",
    columns=(
        Column("label", "分组"),
        Column("applications", "申请数", Kind.INTEGER),
        Column("in_progress", "办理中", Kind.INTEGER),
        Column("rejected", "未通过", Kind.INTEGER),
        Column("approved", "已核准", Kind.INTEGER),
        Column("paid", "已发放", Kind.INTEGER),
        Column("requested_yuan", "申请金额（元）", Kind.DECIMAL),
        Column("approved_yuan", "核准金额（元）", Kind.DECIMAL),
        Column("paid_yuan", "发放金额（元）", Kind.DECIMAL),
    ),
)


def report_rows(rows, totals):
    for row in [*rows, {**totals, "label": "合计"}]:
        yield {
            **{c.key: row.get(c.key) for c in REPORT_SHEET.columns},
            "requested_yuan": fen_to_yuan(row["requested_fen"]),
            "approved_yuan": fen_to_yuan(row["approved_fen"]),
            "paid_yuan": fen_to_yuan(row["paid_fen"]),
        }
