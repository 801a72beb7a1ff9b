"""Mobile party members (流动党员): one affiliation, life in several; the two flags from the rule
table, with fixed dates; matching a disclosure at entry registration; who sees them."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.models import AuditEvent, Rule
from dangjian.membership import mobile
from dangjian.membership.mobile import (
    OUT_OF_CONTACT,
    TRANSFER,
    Thresholds,
    add_months,
    flag_conditions,
    flags_for,
    with_contact,
)
from dangjian.membership.models import MobileMember, Participation
from dangjian.people.models import DisclosureFollowUp, Person
from dangjian.people.services import close_follow_up
from tests.world import add_disclosed_member, person

SIX = Thresholds(transfer_months=6, contact_months=6)
TODAY = datetime.date(2026, 9, 15)


def _member(**fields):
    values = {
        "away_since": datetime.date(2025, 1, 1),
        "stay_place": "",
        "stay_since": None,
        "last_contact_on": None,
        "ended_on": None,
        "certificate_number": "",
    }
    values.update(fields)
    return SimpleNamespace(**values)


# --- the rules, with fixed dates ------------------------------------------------------------------


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime.date(2026, 8, 31), -6) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 8, 31), -6) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2026, 3, 15), -6) == datetime.date(2025, 9, 15)
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)


@given(
    st.dates(min_value=datetime.date(2001, 1, 1), max_value=datetime.date(2099, 12, 31)), st.integers(-60, 60)
)
def test_add_months_moves_whole_months(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day


def test_transfer_flag_after_six_months_at_a_fixed_place():
    at_place = {"stay_place": "海口市龙华区中山街道", "away_since": datetime.date(2026, 1, 1)}
    # Never contacted since leaving on 1 January: out of contact as well.
    never_contacted = _member(**at_place, stay_since=datetime.date(2026, 3, 15))
    assert flags_for(never_contacted, today=TODAY, thresholds=SIX) == [TRANSFER, OUT_OF_CONTACT]
    exactly = _member(**at_place, stay_since=datetime.date(2026, 3, 15), last_contact_on=TODAY)
    day_short = _member(**at_place, stay_since=datetime.date(2026, 3, 16), last_contact_on=TODAY)
    assert flags_for(exactly, today=TODAY, thresholds=SIX) == [TRANSFER]
    assert flags_for(day_short, today=TODAY, thresholds=SIX) == []
    # No fixed place (moving about): no transfer, however long away.
    assert flags_for(_member(last_contact_on=TODAY), today=TODAY, thresholds=SIX) == []


def test_out_of_contact_counts_from_the_last_contact_or_the_day_they_left():
    assert flags_for(_member(away_since=datetime.date(2026, 3, 15)), today=TODAY, thresholds=SIX) == [
        OUT_OF_CONTACT
    ]
    assert flags_for(_member(away_since=datetime.date(2026, 3, 16)), today=TODAY, thresholds=SIX) == []
    contacted = _member(away_since=datetime.date(2020, 1, 1), last_contact_on=datetime.date(2026, 4, 1))
    assert flags_for(contacted, today=TODAY, thresholds=SIX) == []
    assert flags_for(contacted, today=datetime.date(2026, 10, 1), thresholds=SIX) == [OUT_OF_CONTACT]


def test_the_rule_table_sets_the_months_and_switches_the_flags():
    member = _member(
        away_since=datetime.date(2026, 5, 1), stay_place="龙华区", stay_since=datetime.date(2026, 5, 15)
    )
    assert flags_for(member, today=TODAY, thresholds=SIX) == []
    assert flags_for(member, today=TODAY, thresholds=Thresholds(4, 4)) == [TRANSFER, OUT_OF_CONTACT]
    assert flags_for(member, today=TODAY, thresholds=Thresholds(None, 4)) == [OUT_OF_CONTACT]
    assert flags_for(member, today=TODAY, thresholds=Thresholds(None, None)) == []


def test_members_no_longer_mobile_are_not_flagged():
    member = _member(
        stay_place="龙华区", stay_since=datetime.date(2020, 1, 1), ended_on=datetime.date(2026, 1, 1)
    )
    assert flags_for(member, today=TODAY, thresholds=SIX) == []


@pytest.mark.django_db
def test_the_rule_table_values_are_the_national_defaults():
    assert Thresholds.current() == SIX
    Rule.objects.filter(key=mobile.TRANSFER_RULE).update(value=3)
    Rule.objects.filter(key=mobile.CONTACT_RULE).update(enabled=False)
    assert Thresholds.current() == Thresholds(3, None)


@pytest.mark.django_db
def test_sql_flags_agree_with_the_rules(world):
    cases = [
        {"stay_place": "龙华区", "stay_since": datetime.date(2026, 3, 15), "last_contact_on": TODAY},
        {"stay_place": "龙华区", "stay_since": datetime.date(2026, 3, 16), "last_contact_on": TODAY},
        {"away_since": datetime.date(2026, 3, 15)},
        {"away_since": datetime.date(2026, 3, 16)},
        {"away_since": datetime.date(2024, 1, 1), "last_contact_on": datetime.date(2026, 8, 1)},
        {
            "stay_place": "龙华区",
            "stay_since": datetime.date(2025, 1, 1),
            "ended_on": datetime.date(2026, 1, 1),
        },
    ]
    records = []
    for i, case in enumerate(cases):
        holder = person(f"流动{i}")
        holder.political_status = Person.PoliticalStatus.FULL_MEMBER
        holder.save()
        values = {"away_since": datetime.date(2025, 1, 1), **case}
        if values.get("ended_on"):
            values["end_reason"] = MobileMember.EndReason.RETURNED
        records.append(MobileMember.objects.create(person=holder, **values))
    conditions = flag_conditions(today=TODAY, thresholds=SIX)
    rows = with_contact(MobileMember.objects.filter(pk__in=[r.pk for r in records]))
    for flag in (TRANSFER, OUT_OF_CONTACT):
        in_sql = set(rows.filter(conditions[flag]).values_list("pk", flat=True))
        in_python = {r.pk for r in records if flag in flags_for(r, today=TODAY, thresholds=SIX)}
        assert in_sql == in_python, flag
    assert in_sql  # the cases do flag someone


# --- records --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_members_are_mobile_members_and_participation_is_elsewhere(world):
    with pytest.raises(ValidationError):
        mobile.save_mobile_member(
            actor=None, person=world.people["worker_b"], away_since=datetime.date(2025, 1, 1)
        )
    member = world.people["member"]
    member.party_organization = world.organizations["branch_b"]
    member.save()
    record = MobileMember.objects.get(person=member)
    with pytest.raises(ValidationError):
        mobile.add_participation(
            actor=None,
            member=record,
            organization=world.organizations["branch_b"],
            start_date=datetime.date(2025, 5, 1),
        )
    with pytest.raises(ValidationError):  # already taking part there
        mobile.add_participation(
            actor=None,
            member=record,
            organization=world.organizations["branch_a"],
            start_date=datetime.date(2025, 5, 1),
        )
    with pytest.raises(PermissionDenied):
        mobile.save_mobile_member(actor=world.users["liaison"], person=member, member=record, note="x")


@pytest.mark.django_db
def test_a_stay_needs_its_start_date(world):
    with pytest.raises(ValidationError) as refused:
        mobile.save_mobile_member(
            actor=world.users["street_a"], person=world.people["member"], stay_place="龙华区", stay_since=None
        )
    assert "stay_since" in refused.value.message_dict


# --- matching a disclosure at entry registration ------------------------------------------------


def _audited(obj) -> bool:
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, action="created"
    ).exists()


@pytest.mark.django_db
def test_bringing_in_a_disclosed_member_records_the_participation_and_closes_the_follow_up(world):
    newcomer = add_disclosed_member("黄新到", world.units["outlet_a"])
    follow_up = DisclosureFollowUp.objects.get(person=newcomer, status=DisclosureFollowUp.Status.OPEN)
    assert follow_up.organization == world.organizations["branch_a"]
    secretary = world.users["branch_secretary"]

    mobile.bring_in(
        actor=secretary,
        follow_up=follow_up,
        organization=world.organizations["branch_a"],
        how=mobile.BRING_IN_PARTICIPATION,
        note="电话联系，编入联合支部过组织生活",
        outside_affiliation="文昌市某镇党委",
        certificate_number="LD-2026-009",
    )
    follow_up.refresh_from_db()
    assert follow_up.status == DisclosureFollowUp.Status.DONE and follow_up.closed_by == secretary
    record = MobileMember.objects.get(person=newcomer)
    assert record.outside_affiliation == "文昌市某镇党委" and record.certificate_number == "LD-2026-009"
    participation = Participation.objects.get(mobile_member=record)
    assert (
        participation.organization == world.organizations["branch_a"] and participation.follow_up == follow_up
    )
    assert _audited(record) and _audited(participation)


@pytest.mark.django_db
def test_bringing_in_by_transfer_sets_the_affiliation_and_ends_the_mobile_record(world):
    follow_up = DisclosureFollowUp.objects.get(
        person=world.people["member"], status=DisclosureFollowUp.Status.OPEN
    )
    mobile.bring_in(
        actor=world.users["street_a"],
        follow_up=follow_up,
        organization=world.organizations["branch_a"],
        how=mobile.BRING_IN_AFFILIATION,
        note="组织关系已转入",
    )
    member = Person.objects.get(pk=world.people["member"].pk)
    assert member.party_organization == world.organizations["branch_a"]
    record = MobileMember.objects.get(person=member)
    assert record.ended_on == timezone.localdate() and record.end_reason == MobileMember.EndReason.TRANSFERRED
    assert record.outside_affiliation == ""


@pytest.mark.django_db
def test_a_failed_bring_in_changes_nothing(world):
    follow_up = DisclosureFollowUp.objects.get(
        person=world.people["member"], status=DisclosureFollowUp.Status.OPEN
    )
    with pytest.raises(ValidationError):
        mobile.bring_in(
            actor=world.users["street_a"],
            follow_up=follow_up,
            organization=world.organizations["branch_b"],
            how=mobile.BRING_IN_PARTICIPATION,
            note="  ",  # closing needs a note: the participation must not stay behind either
        )
    follow_up.refresh_from_db()
    assert follow_up.status == DisclosureFollowUp.Status.OPEN
    assert not Participation.objects.filter(organization=world.organizations["branch_b"]).exists()


@pytest.mark.django_db
def test_closing_a_follow_up_the_plain_way_matches_a_known_mobile_member(world):
    """The hook in people.services.close_follow_up: the record of the same person gets the
    participation in the responsible organization, in the closing transaction."""
    newcomer = add_disclosed_member("吴流动", world.units["shop_a"])
    record = mobile.save_mobile_member(
        actor=None, person=newcomer, outside_affiliation="定安县某支部", away_since=datetime.date(2025, 2, 1)
    )
    follow_up = DisclosureFollowUp.objects.get(person=newcomer, status=DisclosureFollowUp.Status.OPEN)
    close_follow_up(actor=world.users["branch_secretary"], follow_up=follow_up, note="已联系")
    participation = Participation.objects.get(mobile_member=record)
    assert (
        participation.organization == world.organizations["branch_a"] and participation.follow_up == follow_up
    )
    # Someone with no mobile-member record: closing records nothing here.
    other = add_disclosed_member("郑本地", world.units["shop_a"])
    close_follow_up(
        actor=world.users["branch_secretary"],
        follow_up=DisclosureFollowUp.objects.get(person=other, status=DisclosureFollowUp.Status.OPEN),
        note="已联系",
    )
    assert not MobileMember.objects.filter(person=other).exists()


# --- pages and scope ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_the_flags_in_scope_only(client, world):
    today = timezone.localdate()
    fresh = person("近期外出")
    fresh.political_status = Person.PoliticalStatus.PROBATIONARY_MEMBER
    fresh.party_organization = world.organizations["branch_a"]
    fresh.save()
    mobile.save_mobile_member(actor=None, person=fresh, away_since=today, last_contact_on=today)

    client.force_login(world.users["branch_secretary"])
    page = client.get("/membership/mobile/").content.decode()
    # 刘党员 (world): at a fixed place since 2025-04-01, last contact then: both flags.
    assert "刘党员" in page and "近期外出" in page
    assert (
        page.count('data-testid="flag-transfer"') == 1
        and page.count('data-testid="flag-out-of-contact"') == 1
    )
    flagged = client.get("/membership/mobile/?flag=any").content.decode()
    assert "刘党员" in flagged and "近期外出" not in flagged

    client.force_login(world.users["street_b"])
    assert "刘党员" not in client.get("/membership/mobile/").content.decode()
    record = MobileMember.objects.get(person=world.people["member"])
    assert client.get(f"/membership/mobile/{record.pk}/").status_code == 404
    for persona in ("liaison", "worker"):
        client.force_login(world.users[persona])
        assert client.get("/membership/mobile/").status_code == 403


@pytest.mark.django_db
def test_detail_shows_the_certificate_holders_rights(client, world):
    client.force_login(world.users["street_a"])
    record = MobileMember.objects.get(person=world.people["member"])
    page = client.get(f"/membership/mobile/{record.pk}/").content.decode()
    assert "中山外卖联合党支部" in page and "儋州市那大镇某村党支部" in page
    assert 'data-testid="mobile-flag"' in page
    assert str(mobile.rights_label(record)) in page


@pytest.mark.django_db
def test_pages_record_and_bring_in(client, world):
    client.force_login(world.users["street_a"])
    newcomer = add_disclosed_member("何新来", world.units["shop_a"])
    response = client.post(
        "/membership/mobile/new/",
        {"id_number": newcomer.id_number, "away_since": "2025-06-01", "outside_affiliation": "万宁市某支部"},
    )
    assert response.status_code == 302, response.content.decode()
    record = MobileMember.objects.get(person=newcomer)
    follow_up = DisclosureFollowUp.objects.get(person=newcomer, status=DisclosureFollowUp.Status.OPEN)
    assert "何新来" in client.get("/membership/mobile/follow-ups/").content.decode()
    response = client.post(
        f"/membership/mobile/follow-ups/{follow_up.pk}/",
        {"how": "participation", "organization": world.organizations["branch_a"].pk, "note": "已编入"},
    )
    assert response.status_code == 302
    assert Participation.objects.filter(
        mobile_member=record, organization=world.organizations["branch_a"]
    ).exists()
    participation = Participation.objects.get(mobile_member=record)
    response = client.post(
        f"/membership/participations/{participation.pk}/end/", {"end_date": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.end_date == timezone.localdate()
    export = client.get("/membership/mobile/export.xlsx")
    assert export.status_code == 200


# --- reminders ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reminders_reach_the_organizations_once_per_flag(world):
    from dangjian.core.models import Notification
    from dangjian.membership.mobile_tasks import remind_about_mobile_members

    # 刘党员 (world) belongs outside the district and takes part in branch_a: its secretary hears.
    result = remind_about_mobile_members(TODAY)
    assert result["to_transfer"] == 1 and result["out_of_contact"] == 1
    secretary = world.users["branch_secretary"]
    assert Notification.objects.filter(user=secretary, key__startswith="mobile-").count() == 2
    assert (
        Notification.objects.filter(
            user=world.users["district_admin"], key__startswith="mobile-summary"
        ).count()
        == 1
    )
    assert not Notification.objects.filter(user=world.users["street_b"]).exists()
    # Again the next day: nothing new for the secretary; a contact clears one flag.
    assert (
        remind_about_mobile_members(TODAY + datetime.timedelta(days=1))["messages"] == 1
    )  # the day's summary
    record = MobileMember.objects.get(person=world.people["member"])
    mobile.record_contact(actor=None, member=record, day=TODAY)
    assert remind_about_mobile_members(TODAY)["out_of_contact"] == 0
