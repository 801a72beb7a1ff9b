"""One-to-one help (一对一帮扶): pledges by committee members, their progress and result, the members
still without a pledge, the pledge on the unit's page, and who sees and records what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dangjian.core.models import AuditEvent
from dangjian.coverage import pledge_queries
from dangjian.coverage.models import Pledge
from dangjian.coverage.pledges import add_progress, record_pledge, record_result, withdraw_pledge
from dangjian.organizations.models import Organization
from dangjian.organizations.services import appoint_committee_member
from tests.world import organization, person

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 8, 1)


def member_of(committee, name, post="member"):
    return appoint_committee_member(
        actor=None,
        organization=committee,
        person=person(name),
        post=post,
        start_date=datetime.date(2024, 1, 1),
    )


def existing_pledge(world) -> Pledge:
    return Pledge.objects.get(committee_member__person=world.people["committee_member"])


def test_committee_staff_record_a_pledge_that_shows_on_the_unit_page(client, world):
    member = member_of(world.organizations["committee"], "钱委员")
    staff = world.users["committee_staff"]
    client.force_login(staff)
    target = world.units["express_b"]  # an express unit: the committee leads express delivery
    response = client.post(
        reverse("coverage:pledge_new"),
        {"committee_member": member.pk, "pledged_on": "2025-07-01", "target_unit": target.uscc},
    )
    pledge = Pledge.objects.get(committee_member=member)
    assert response.status_code == 302 and response["Location"] == f"/coverage/pledges/{pledge.pk}/"
    assert (pledge.target_unit, pledge.status, pledge.created_by) == (
        target,
        Pledge.Status.IN_PROGRESS,
        staff,
    )
    assert AuditEvent.objects.filter(object_id=pledge.pk, action="created", actor=staff).exists()

    page = client.get(reverse("units:detail", kwargs={"unit_pk": target.pk})).content.decode()
    assert 'data-testid="unit-pledges"' in page and "钱委员" in page


def test_progress_and_the_organization_built(world):
    pledge = existing_pledge(world)
    staff = world.users["committee_staff"]
    add_progress(actor=staff, pledge=pledge, noted_on=DAY, note="指导企业摸排党员")
    assert [p.note for p in pledge.progress.all()] == ["指导企业摸排党员", "走访企业负责人"]  # newest first
    with pytest.raises(ValidationError):
        add_progress(actor=staff, pledge=pledge, noted_on=datetime.date(2025, 5, 1), note="早于认领")

    # The result must cover the target unit: an organization elsewhere is refused.
    with pytest.raises(ValidationError):
        record_result(actor=staff, pledge=pledge, organization=world.organizations["branch_a"], result_on=DAY)
    built = organization(
        "滨海快递联合党支部",
        Organization.Kind.BRANCH,
        world.organizations["committee"],
        street=world.street_b,
        covers=[world.units["express_b"]],
        build_method=Organization.BuildMethod.JOINT,
        status=Organization.Status.PREPARING,
    )
    record_result(actor=staff, pledge=pledge, organization=built, result_on=DAY)
    pledge.refresh_from_db()
    assert (pledge.status, pledge.result_organization, pledge.result_on) == (Pledge.Status.BUILT, built, DAY)
    with pytest.raises(ValidationError):
        withdraw_pledge(actor=staff, pledge=pledge, reason="已建成")


def test_only_members_of_committees_pledge_and_dates_are_checked(world):
    secretary = world.organizations["branch_a"].committee_members.get()  # a branch, not a committee
    admin = world.users["district_admin"]
    with pytest.raises(ValidationError):  # the model refuses it, whoever records it
        record_pledge(actor=None, committee_member=secretary, pledged_on=DAY, target_unit=world.units["hq_a"])
    with pytest.raises(PermissionDenied):  # and the service says no to people first
        record_pledge(
            actor=admin, committee_member=secretary, pledged_on=DAY, target_unit=world.units["hq_a"]
        )
    member = member_of(world.organizations["committee_a"], "周委员")
    with pytest.raises(ValidationError):
        record_pledge(
            actor=admin, committee_member=member, pledged_on=datetime.date(2999, 1, 1), target_unit=None
        )
    with pytest.raises(ValidationError):  # no target at all
        record_pledge(actor=admin, committee_member=member, pledged_on=DAY)
    area = record_pledge(
        actor=admin,
        committee_member=member,
        pledged_on=DAY,
        target_region=world.street_a,
        target_key_area="office_building",
        target_description="龙华互联网产业大厦",
    )
    assert area.target_label == "中山街道 · 楼宇商圈 · 龙华互联网产业大厦"  # Chinese, the default language


def test_members_without_a_pledge_per_committee(client, world):
    committee_a = world.organizations["committee_a"]
    first = member_of(committee_a, "吴书记", post="secretary")
    second = member_of(committee_a, "郑委员")
    member_of(world.organizations["branch_b"], "支部委员")  # a branch: not asked to pledge
    admin = world.users["district_admin"]
    record_pledge(actor=admin, committee_member=first, pledged_on=DAY, target_unit=world.units["hq_a"])

    missing = list(pledge_queries.members_without_pledge(admin))
    assert second in missing and first not in missing
    assert {m.person.name for m in missing} == {"郑委员"}  # 赵委员 of the express committee has one
    counts = {row["organization"].name: row for row in pledge_queries.committee_pledge_counts(admin)}
    assert (counts["中山街道工委"]["members"], counts["中山街道工委"]["without"]) == (2, 1)
    assert counts["快递物流行业综合党委"]["without"] == 0

    # A withdrawn pledge does not count: the member is listed again.
    withdraw_pledge(actor=admin, pledge=first.pledges.get(), reason="调离岗位")
    assert first in pledge_queries.members_without_pledge(admin)

    client.force_login(world.users["street_a"])
    page = client.get(reverse("coverage:pledges_missing")).content.decode()
    assert "吴书记" in page and "郑委员" in page
    assert "赵委员" not in page  # the express committee is outside street_a's scope


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("district_admin", True),
        ("committee_staff", True),  # the pledging member's committee
        ("street_b", True),  # the target unit's street
        ("street_a", False),
        ("branch_secretary", False),
        ("liaison", False),
        ("worker", False),
    ],
)
def test_who_sees_a_pledge(client, world, persona, sees):
    pledge = existing_pledge(world)
    client.force_login(world.users[persona])
    response = client.get(reverse("coverage:pledge_detail", kwargs={"pledge_pk": pledge.pk}))
    assert response.status_code == (200 if sees else 404)
    listed = client.get(reverse("coverage:pledges")).content.decode()
    assert ("赵委员" in listed) is sees


def test_street_staff_cannot_record_for_a_member_they_cannot_see(client, world):
    member = existing_pledge(world).committee_member
    client.force_login(world.users["street_a"])
    response = client.post(
        reverse("coverage:pledge_new"),
        {"committee_member": member.pk, "pledged_on": "2025-07-01", "target_unit": world.units["hq_a"].uscc},
    )
    assert response.status_code == 200 and "committee_member" in response.context["form"].errors
    assert Pledge.objects.filter(committee_member=member).count() == 1


def test_liaisons_and_workers_read_but_do_not_record(client, world):
    for persona in ("liaison", "worker"):
        client.force_login(world.users[persona])
        assert client.get(reverse("coverage:pledge_new")).status_code == 403
        pledge = existing_pledge(world)
        assert (
            client.post(reverse("coverage:pledge_progress", kwargs={"pledge_pk": pledge.pk})).status_code
            == 404
        )


def test_pledge_export_lists_the_scope_only(client, world):
    from tests.spreadsheets.test_writer import first_sheet

    client.force_login(world.users["street_b"])
    rows = first_sheet(client.get(reverse("coverage:pledge_export")).content)
    names = [row[1] for row in rows[2:]]
    assert names == ["赵委员"]
    client.force_login(world.users["street_a"])
    assert first_sheet(client.get(reverse("coverage:pledge_export")).content)[2:] == []


def test_unit_suggestions_are_the_users_units(client, world):
    client.force_login(world.users["street_b"])
    url = reverse("coverage:pledge_unit_options")
    options = client.get(url, {"target_unit": "滨海"}).content.decode()
    assert "滨海快递网点" in options and "滨海直播工作室" in options
    assert client.get(url, {"target_unit": "中山"}).content.decode().strip() == ""  # street_a's units
    assert client.get(url, {"target_unit": "滨"}).content.decode().strip() == ""  # two characters at least
