"""Spreadsheets of the membership app: exports only, so no aliases or notes."""

from dangjian.spreadsheets.columns import Column, Kind, SheetSpec

# Development quotas (发展党员指标) of one year.
QUOTA_SHEET = SheetSpec(
    name="发展党员指标",
    columns=(
        Column("year", "年度", Kind.INTEGER),
        Column("organization__name", "党组织"),
        Column("parent__organization__name", "指标来源"),
        Column("amount", "指标数", Kind.INTEGER),
        Column("onward", "已向下分配", Kind.INTEGER),
        Column("used", "已使用", Kind.INTEGER),
        Column("remaining", "剩余", Kind.INTEGER),
    ),
)


def quota_rows(quotas):
    """Rows for QUOTA_SHEET from ``quotas.quota_table``, in one query."""
    return quotas.values(*(column.key for column in QUOTA_SHEET.columns))
