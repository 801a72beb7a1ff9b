"""The mobile-member list as a spreadsheet (流动党员名册): an export only."""

from dangjian.spreadsheets.columns import Column, Kind, SheetSpec

MOBILE_SHEET = SheetSpec(
    name="流动党员名册",
    columns=(
        Column("person__name", "姓名"),
        Column("affiliation", "隶属党组织"),
        Column("certificate_number", "流动党员活动证编号"),
        Column("away_since", "外出时间", Kind.DATE),
        Column("stay_place", "固定居住（工作）地点"),
        Column("stay_since", "在该地点起始时间", Kind.DATE),
        Column("contact_on", "最近联系时间", Kind.DATE),
        Column("participating_in", "参加组织生活的党组织"),
        Column("flags", "提示"),
    ),
)


def mobile_rows(members, *, user):
    """Rows for MOBILE_SHEET from ``mobile.mobile_member_list`` (annotated with the flags); the
    open participations in one more query."""
    from dangjian.accounts.scope import visible_to
    from dangjian.membership.mobile import OUT_OF_CONTACT, TRANSFER, Thresholds, flag_text
    from dangjian.membership.models import Participation

    thresholds = Thresholds.current()

    rows = list(
        members.values(
            "pk",
            "person__name",
            "person__party_organization__name",
            "outside_affiliation",
            "certificate_number",
            "away_since",
            "stay_place",
            "stay_since",
            "contact_on",
            "flag_transfer",
            "flag_out_of_contact",
        )
    )
    taking_part: dict[int, list[str]] = {}
    participations = visible_to(
        user,
        Participation.objects.filter(mobile_member_id__in=[row["pk"] for row in rows], end_date__isnull=True),
    )
    for member_id, name in participations.values_list("mobile_member_id", "organization__name"):
        taking_part.setdefault(member_id, []).append(name)
    for row in rows:
        flags = [flag_text(TRANSFER, thresholds)] if row["flag_transfer"] else []
        if row["flag_out_of_contact"]:
            flags.append(flag_text(OUT_OF_CONTACT, thresholds))
        yield {
            **row,
            "affiliation": row["person__party_organization__name"] or row["outside_affiliation"],
            "participating_in": "、".join(taking_part.get(row["pk"], [])),
            "flags": "；".join(flags),
        }
