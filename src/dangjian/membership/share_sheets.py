"""The members' share as a spreadsheet (党员占比): an export only, one row per group."""

from dangjian.spreadsheets.columns import Column, Kind, SheetSpec

SHARE_SHEET = SheetSpec(
    name="党员占比",
    columns=(
        Column("dimension", "分组方式"),
        Column("label", "分组"),
        Column("workers", "从业人员", Kind.INTEGER),
        Column("full", "正式党员", Kind.INTEGER),
        Column("probationary", "预备党员", Kind.INTEGER),
        Column("members", "党员合计", Kind.INTEGER),
        Column("share", "党员占比（%）", Kind.DECIMAL),
    ),
)


def share_rows(user, *, today):
    """The total, then every street, industry, job type and unit the user may see (all units)."""
    from dangjian.membership import share

    def row(dimension, r):
        return {
            "dimension": str(dimension),
            "label": r.label,
            "workers": r.workers,
            "full": r.full,
            "probationary": r.probationary,
            "members": r.members,
            "share": r.share,
        }

    total = share.share_total(user, today=today)
    yield row(total.label, total)
    for key in ("street", "industry", "job_type", "unit"):
        label = share.DIMENSIONS[key][0]
        for r in share.share_by(user, key, today=today):
            yield row(label, r)
