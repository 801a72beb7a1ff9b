"""The five-clears ledger (五个清台账): each part, who sees members' names, last-updated stamps,
the ledger as of a past date, the street's ledger table and its export."""

import datetime
import io
import re
import zoneinfo
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from dangjian.accounts.scope import sees_party_member_names
from dangjian.core.audit import save_tracked
from dangjian.core.models import AuditEvent
from dangjian.people.models import Employment, Investor, Person
from dangjian.people.services import find_or_create_person, remove_investor, save_investor
from dangjian.spreadsheets.models import ExportLog
from dangjian.units.ledger import (
    Part,
    five_clears,
    ledger_table,
    may_edit_ledger,
)
from dangjian.units.models import InstructorAssignment, Unit, WorkforceReport
from dangjian.units.services import (
    assign_instructor,
    end_instructor_assignment,
    report_workforce,
    save_unit,
    update_operations,
)
from tests.world import make_id_number, make_mobile, unit

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
FULL = Person.PoliticalStatus.FULL_MEMBER
PROBATIONARY = Person.PoliticalStatus.PROBATIONARY_MEMBER
MASSES = Person.PoliticalStatus.MASSES


@contextmanager
def at(year, month, day, hour=10):
    """Everything saved inside happens at this moment (history rows, audit events, reports)."""
    moment = datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def new_person(name, status=MASSES):
    person = Person(name=name, id_number=make_id_number(), mobile=make_mobile(), political_status=status)
    save_tracked(person, actor=None)
    return person


def employ(person, at_unit, job_type=Employment.JobType.RIDER, *, full_time=True, start=None, end=None):
    employment = Employment(
        person=person,
        unit=at_unit,
        job_type=job_type,
        full_time=full_time,
        start_date=start or datetime.date(2025, 1, 1),
        end_date=end,
    )
    save_tracked(employment, actor=None)
    return employment


def _cells(response):
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def _body_rows(rows, first_header):
    header_at = next(i for i, row in enumerate(rows) if first_header in row)
    return rows[header_at], [row for row in rows[header_at + 1 :] if any(row)]


# --- the parts -----------------------------------------------------------------------------------


def test_workforce_is_derived_from_registrations_with_the_reported_figures_beside(world):
    station = unit("东风配送站", world.street_a)
    today = timezone.localdate()
    p1, p2, p3, p4 = (new_person(n) for n in ("甲", "乙", "丙", "丁"))
    employ(p1, station)
    employ(p2, station)
    employ(p3, station, full_time=False)
    employ(p4, station, Employment.JobType.COURIER)
    employ(
        p1, station, Employment.JobType.COURIER, full_time=False, start=datetime.date(2025, 2, 1)
    )  # 2 jobs
    employ(
        new_person("已离职"),
        station,
        start=datetime.date(2024, 1, 1),
        end=today - datetime.timedelta(days=10),
    )
    employ(new_person("未入职"), station, start=today + datetime.timedelta(days=5))
    employ(new_person("别处"), world.units["shop_a"])
    admin_user = world.users["district_admin"]
    report_workforce(
        actor=admin_user, unit=station, reported_on=datetime.date(2025, 1, 5), figures={"rider": (3, 1)}
    )
    report_workforce(
        actor=admin_user,
        unit=station,
        reported_on=datetime.date(2025, 6, 1),
        figures={"rider": (5, 2), "courier": (1, 0)},
    )

    workforce = five_clears(station, admin_user).workforce
    rows = {row.job_type: row for row in workforce.rows}
    assert set(rows) == {"rider", "courier"}
    assert (rows["rider"].full_time, rows["rider"].part_time) == (2, 1)
    assert (rows["courier"].full_time, rows["courier"].part_time) == (1, 1)
    assert workforce.headcount == 4  # 甲 counted once though in two jobs
    assert (rows["rider"].reported_full_time, rows["rider"].reported_part_time) == (5, 2)
    assert rows["rider"].reported_on == datetime.date(2025, 6, 1)
    assert (rows["courier"].reported_full_time, rows["courier"].reported_part_time) == (1, 0)
    assert WorkforceReport.objects.filter(unit=station).count() == 3  # reports are appended


def test_workforce_counts_run_in_one_grouped_query_whatever_the_size(world):
    station = unit("东风配送站", world.street_a)
    user = world.users["street_a"]

    def queries_for_ledger():
        with CaptureQueriesContext(connection) as captured:
            five_clears(station, user)
        return len(captured)

    employ(new_person("一", FULL), station)
    few = queries_for_ledger()
    for i in range(25):
        employ(new_person(f"骑手{i}", FULL if i % 3 == 0 else MASSES), station, full_time=bool(i % 2))
    assert queries_for_ledger() <= few <= 25


def test_operations_part(world):
    hq = world.units["hq_a"]
    update_operations(
        actor=world.users["liaison"],
        unit=hq,
        operating_status=Unit.OperatingStatus.SUSPENDED,
        business_scope="餐饮配送",
        reported_outlet_count=5,
        platforms="美团，饿了么",
    )
    unit("甲外卖加盟店", world.street_a, kind=Unit.Kind.FRANCHISE_STORE, parent=hq)
    operations = five_clears(hq, world.users["district_admin"]).operations
    assert operations.status == Unit.OperatingStatus.SUSPENDED
    assert operations.business_scope == "餐饮配送"
    assert operations.reported_outlets == 5
    assert operations.registered_outlets == 3  # two outlets and the franchise store, all streets
    assert operations.platforms == ["美团", "饿了么"]
    assert operations.updated.by == "liaison"
    # Outlets are counted within the viewer's scope: street A does not count street B's outlet.
    assert five_clears(hq, world.users["street_a"]).operations.registered_outlets == 2


def test_party_members_are_counted_among_current_workers(world):
    outlet = world.units["outlet_a"]
    employ(new_person("党员甲", FULL), outlet)
    employ(new_person("预备乙", PROBATIONARY), outlet)
    employ(new_person("党员离职", FULL), outlet, end=datetime.date(2025, 2, 1))
    employ(new_person("群众丙", MASSES), outlet)
    members = five_clears(outlet, world.users["street_a"]).members
    assert (members.full, members.probationary) == (1, 1)
    assert sorted(name for name, _ in members.names) == ["党员甲", "预备乙"]


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("district_admin", True),
        ("street_a", True),
        ("street_b", True),
        ("committee_staff", True),
        ("branch_secretary", True),
        ("liaison", False),
        ("worker", False),
    ],
)
def test_only_party_work_roles_see_members_names(world, persona, sees):
    assert sees_party_member_names(world.users[persona]) is sees


def test_the_liaison_sees_member_counts_but_no_names(client, world):
    outlet = world.units["outlet_a"]
    employ(new_person("隐名党员", PROBATIONARY), outlet)
    client.force_login(world.users["liaison"])
    body = client.get(f"/units/{outlet.pk}/").content.decode()
    assert 'data-testid="probationary-members">1<' in body
    assert "隐名党员" not in body
    assert five_clears(outlet, world.users["liaison"]).members.names is None
    client.force_login(world.users["branch_secretary"])  # branch_a covers outlet_a
    assert "隐名党员" in client.get(f"/units/{outlet.pk}/").content.decode()


def test_investors_part_and_one_person_one_record(world):
    hq, shop = world.units["hq_a"], world.units["shop_a"]
    worker = world.people["worker"]
    actor = world.users["district_admin"]
    investor = save_investor(
        actor=actor,
        unit=shop,
        role=Investor.Role.SHAREHOLDER,
        id_number=worker.id_number.lower(),  # the same number, however typed
        name="王小明",
        political_status=PROBATIONARY,
        share_percent=30,
        representative_roles="政协委员",
    )
    assert investor.person == worker  # the worker's own record, not a second one
    again = save_investor(actor=actor, unit=hq, role=Investor.Role.SHAREHOLDER, id_number=worker.id_number)
    assert again.person == worker and Person.objects.filter(pk=worker.pk).count() == 1
    # Saving again for the same unit updates the one link.
    save_investor(
        actor=actor, unit=shop, role=Investor.Role.ACTUAL_CONTROLLER, person=worker, share_percent=40
    )
    assert Investor.objects.filter(unit=shop, person=worker).count() == 1

    part = five_clears(shop, actor).investors
    (row,) = part.rows
    assert (row.name, row.role, row.share_percent) == ("王小明", "actual_controller", 40)
    assert row.representative_roles == "" and row.political_status_label == str(
        Person.PoliticalStatus.PROBATIONARY_MEMBER.label
    )
    assert part.updated.by == "district_admin"

    remove_investor(actor=actor, investor=Investor.objects.get(unit=shop, person=worker))
    assert five_clears(shop, actor).investors.rows == []
    assert Person.objects.filter(pk=worker.pk).exists()
    assert AuditEvent.objects.filter(action="investor_removed", object_id=shop.pk).exists()


def test_party_organization_part(world):
    hq, outlet = world.units["hq_a"], world.units["outlet_a"]
    admin_user = world.users["district_admin"]
    organization = five_clears(outlet, admin_user).organization
    assert [(o.name, o.build_method_label) for o in organization.organizations] == [
        ("中山外卖联合党支部", str(world.organizations["branch_a"].get_build_method_display()))
    ]
    assert organization.covered and organization.instructors == []

    hq_part = five_clears(hq, admin_user).organization  # the world dispatches an instructor here
    assert not hq_part.covered
    assert [(i.name, i.dispatched_by) for i in hq_part.instructors] == [("孙指导", "中山街道工委")]
    assignment = InstructorAssignment.objects.get(unit=hq)
    end_instructor_assignment(actor=admin_user, assignment=assignment, end_date=timezone.localdate())
    assert five_clears(hq, admin_user).organization.instructors == []


def test_each_part_has_its_own_last_update_and_author(world):
    outlet = world.units["outlet_a"]
    update_operations(
        actor=world.users["street_a"], unit=outlet, operating_status=Unit.OperatingStatus.SUSPENDED
    )
    report_workforce(
        actor=world.users["liaison"], unit=outlet, reported_on=timezone.localdate(), figures={"rider": (4, 0)}
    )
    save_investor(
        actor=world.users["district_admin"],
        unit=outlet,
        role=Investor.Role.SHAREHOLDER,
        id_number=make_id_number("19700101"),
        name="钱出资",
    )
    worker = world.people["worker"]  # works at outlet_a
    find_or_create_person(
        actor=world.users["branch_secretary"], id_number=worker.id_number, political_status=FULL
    )
    instructor = find_or_create_person(actor=None, id_number=make_id_number("19810101"), name="周指导")
    assign_instructor(
        actor=world.users["street_a"], unit=outlet, instructor=instructor, start_date=timezone.localdate()
    )

    ledger = five_clears(outlet, world.users["district_admin"])
    assert ledger.operations.updated.by == "street_a"
    assert ledger.workforce.updated.by == "liaison"
    assert ledger.investors.updated.by == "district_admin"
    assert ledger.members.updated.by == "branch_secretary"
    assert ledger.organization.updated.by == "street_a"
    assert all(stamp.at is not None for stamp in ledger.stamps)
    assert ledger.members.full == 1


def test_the_operations_stamp_moves_only_when_an_operations_field_changes(rf, world):
    shop = world.units["shop_a"]
    stamped = shop.operations_updated_at
    update_operations(actor=world.users["street_a"], unit=shop, operating_status=shop.operating_status)
    shop.refresh_from_db()
    assert shop.operations_updated_at == stamped  # nothing changed, nothing stamped
    shop.address = "新地址 1 号"
    save_unit(actor=world.users["street_a"], unit=shop)
    shop.refresh_from_db()
    assert shop.operations_updated_at == stamped
    shop.platforms = "美团"
    save_unit(actor=world.users["street_a"], unit=shop)
    shop.refresh_from_db()
    assert shop.operations_updated_at > stamped and shop.operations_updated_by == world.users["street_a"]

    # The admin stamps the same way.
    request = rf.post("/admin/")
    request.user = world.users["district_admin"]
    model_admin = admin.site._registry[Unit]
    shop.operating_status = Unit.OperatingStatus.CLOSED
    model_admin.save_model(request, shop, form=None, change=True)
    shop.refresh_from_db()
    assert shop.operations_updated_by == world.users["district_admin"]


# --- as of a past date -----------------------------------------------------------------------------


@pytest.fixture
def changed_unit(world):
    """A unit registered on 2025-01-10 and changed on 2025-03-05."""
    admin_user = world.users["district_admin"]
    branch = world.organizations["branch_a"]
    with at(2025, 1, 10):
        station = unit("东风配送站", world.street_a)
        leaver = employ(new_person("后来离职"), station, start=datetime.date(2025, 1, 2))
        member = new_person("后来入党", MASSES)
        employ(member, station, start=datetime.date(2025, 1, 3))
        branch.covered_units.add(station)
    with at(2025, 3, 5):
        update_operations(actor=admin_user, unit=station, operating_status=Unit.OperatingStatus.SUSPENDED)
        leaver.end_date = datetime.date(2025, 3, 1)
        save_tracked(leaver, actor=admin_user)
        member.political_status = FULL
        save_tracked(member, actor=admin_user)
        # Registered now, with a start date back in January: not in January's ledger as it stood.
        employ(new_person("补录骑手"), station, start=datetime.date(2025, 1, 5))
        save_investor(
            actor=admin_user,
            unit=station,
            role=Investor.Role.LEGAL_REPRESENTATIVE,
            id_number=make_id_number("19720202"),
            name="后来出资",
        )
        branch.covered_units.remove(station)
        instructor = find_or_create_person(actor=None, id_number=make_id_number("19830303"), name="后来指导")
        assign_instructor(
            actor=admin_user, unit=station, instructor=instructor, start_date=datetime.date(2025, 3, 5)
        )
        report_workforce(
            actor=admin_user, unit=station, reported_on=datetime.date(2025, 3, 5), figures={"rider": (9, 9)}
        )
    return station


def test_the_ledger_as_it_stood_on_a_past_date(world, changed_unit):
    user = world.users["street_a"]
    then = five_clears(changed_unit, user, as_of=datetime.date(2025, 2, 1))
    assert then.existed
    assert then.operations.status == Unit.OperatingStatus.OPERATING
    assert then.operations.updated.at == datetime.datetime(2025, 1, 10, 10, tzinfo=SHANGHAI)
    assert then.workforce.headcount == 2  # the worker who left in March still counted
    assert [(r.job_type, r.full_time, r.reported_full_time) for r in then.workforce.rows] == [
        ("rider", 2, None)
    ]
    assert (then.members.full, then.members.names) == (0, [])
    assert then.investors.rows == []  # the investor added later is absent
    assert [o.name for o in then.organization.organizations] == ["中山外卖联合党支部"]
    assert then.organization.instructors == []

    later = five_clears(changed_unit, user, as_of=datetime.date(2025, 3, 10))
    assert later.operations.status == Unit.OperatingStatus.SUSPENDED
    assert later.operations.updated.by == "district_admin"
    assert later.workforce.headcount == 2  # the member and the back-dated registration
    assert later.workforce.rows[0].reported_full_time == 9
    assert (later.members.full, [n for n, _ in later.members.names]) == (1, ["后来入党"])
    assert [r.name for r in later.investors.rows] == ["后来出资"]
    assert later.organization.organizations == []
    assert [i.name for i in later.organization.instructors] == ["后来指导"]

    # Today's ledger counts the back-dated registration from its start date on.
    assert five_clears(changed_unit, user).workforce.headcount == 2
    before = five_clears(changed_unit, user, as_of=datetime.date(2025, 1, 9))
    assert not before.existed and not before.history_missing  # not registered yet, and known to be


def test_a_unit_written_without_history_says_its_past_is_unknown(world):
    (bulk,) = Unit.objects.bulk_create(
        [Unit(name="批量写入单位", kind=Unit.Kind.OUTLET, industry="express", street=world.street_a)]
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    user = world.users["district_admin"]
    ledger = five_clears(bulk, user, as_of=yesterday)
    assert (ledger.existed, ledger.history_missing, ledger.history_since) == (False, True, None)
    update_operations(actor=user, unit=bulk, operating_status=Unit.OperatingStatus.CLOSED)
    ledger = five_clears(bulk, user, as_of=yesterday)
    assert (ledger.history_missing, ledger.history_since) == (True, timezone.localdate())


def test_the_ledger_as_of_a_past_date_costs_a_bounded_number_of_queries(world, changed_unit):
    with CaptureQueriesContext(connection) as captured:
        five_clears(changed_unit, world.users["district_admin"], as_of=datetime.date(2025, 3, 10))
    assert len(captured) <= 30


def test_the_unit_page_as_of_a_past_date_is_labelled_and_read_only(client, world, changed_unit):
    client.force_login(world.users["street_a"])
    url = f"/units/{changed_unit.pk}/"
    today = client.get(url).content.decode()
    assert f"{url}ledger/operations/" in today  # street staff edit their street's units
    body = client.get(url, {"as_of": "2025-02-01"}).content.decode()
    assert 'data-testid="as-of-banner"' in body and "2025-02-01" in body
    assert f"{url}ledger/operations/" not in body and "/ledger/investors/new/" not in body
    with translation.override("zh-hans"):
        operating = str(Unit.OperatingStatus.OPERATING.label)
    assert f'data-testid="operating-status">{operating}<' in body
    assert "后来出资" in today and "后来出资" not in body
    # A future or malformed date shows today's ledger.
    assert 'data-testid="as-of-banner"' not in client.get(url, {"as_of": "2999-01-01"}).content.decode()
    assert client.get(url, {"as_of": "yesterday"}).status_code == 200


# --- who may edit, and the edit pages --------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "parts"),
    [
        ("district_admin", {"operations", "workforce", "investors", "organization"}),
        ("street_a", {"operations", "workforce", "investors", "organization"}),
        ("street_b", set()),
        ("committee_staff", set()),
        ("branch_secretary", set()),
        ("liaison", {"operations", "workforce", "investors"}),
        ("worker", set()),
    ],
)
def test_who_may_edit_which_part(world, persona, parts):
    outlet = world.units["outlet_a"]  # street A, food delivery, under the liaison's head company
    allowed = {p for p in (Part.OPERATIONS, Part.WORKFORCE, Part.INVESTORS, Part.ORGANIZATION)}
    assert {p for p in allowed if may_edit_ledger(world.users[persona], outlet, p)} == parts


def test_committee_staff_edit_the_units_of_their_industries(world):
    assert may_edit_ledger(world.users["committee_staff"], world.units["express_b"], Part.ORGANIZATION)


def test_the_liaison_edits_operations_and_workforce_of_their_unit(client, world):
    outlet = world.units["outlet_a"]
    client.force_login(world.users["liaison"])
    response = client.post(
        f"/units/{outlet.pk}/ledger/operations/",
        {
            "operating_status": "suspended",
            "business_scope": "配送",
            "reported_outlet_count": "",
            "platforms": "美团",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#ledger-operations")
    outlet.refresh_from_db()
    assert (outlet.operating_status, outlet.operations_updated_by) == ("suspended", world.users["liaison"])

    response = client.post(
        f"/units/{outlet.pk}/ledger/workforce/",
        {
            "reported_on": "2025-06-01",
            "full_rider": "7",
            "part_rider": "",
            "full_courier": "",
            "part_courier": "",
        },
    )
    assert response.status_code == 302
    report = WorkforceReport.objects.get(unit=outlet)
    assert (report.job_type, report.full_time, report.part_time, report.recorded_by) == (
        "rider",
        7,
        0,
        world.users["liaison"],
    )
    empty = client.post(f"/units/{outlet.pk}/ledger/workforce/", {"reported_on": "2025-06-01"})
    assert empty.status_code == 200 and WorkforceReport.objects.filter(unit=outlet).count() == 1

    # Instructors are the party bodies' business; another street's unit is not there at all.
    assert client.get(f"/units/{outlet.pk}/ledger/instructors/new/").status_code == 403
    assert client.post(f"/units/{world.units['shop_a'].pk}/ledger/operations/", {}).status_code == 404


def test_investor_pages(client, world):
    outlet = world.units["outlet_a"]
    client.force_login(world.users["street_a"])
    number = make_id_number("19660606")
    response = client.post(
        f"/units/{outlet.pk}/ledger/investors/new/",
        {
            "name": "新出资人",
            "id_number": number,
            "mobile": "",
            "political_status": "full_member",
            "role": "shareholder",
            "share_percent": "12.5",
            "representative_roles": "",
        },
    )
    assert response.status_code == 302
    investor = Investor.objects.get(unit=outlet)
    assert (investor.person.name, investor.person.political_status) == ("新出资人", "full_member")
    bad = client.post(
        f"/units/{outlet.pk}/ledger/investors/new/",
        {"name": "错号", "id_number": "460106199001011234", "role": "shareholder"},
    )
    assert bad.status_code == 200 and Investor.objects.filter(unit=outlet).count() == 1
    assert number not in bad.content.decode()

    edit_url = f"/units/investors/{investor.pk}/"
    response = client.post(
        edit_url, {"political_status": "full_member", "role": "actual_controller", "share_percent": "20"}
    )
    assert response.status_code == 302
    investor.refresh_from_db()
    assert (investor.role, str(investor.share_percent)) == ("actual_controller", "20.00")
    assert client.get(f"{edit_url}remove/").status_code == 405
    client.force_login(world.users["branch_secretary"])
    assert (
        client.post(f"{edit_url}remove/").status_code == 403
    )  # branch_a covers the outlet: seen, not edited
    client.force_login(world.users["street_a"])
    assert client.post(f"{edit_url}remove/").status_code == 302
    assert not Investor.objects.filter(pk=investor.pk).exists()
    timeline = client.get(f"/units/{outlet.pk}/").content.decode()
    assert "新出资人" in timeline  # the removal stays on the unit's timeline


def test_ledger_records_outside_the_scope_answer_404(client, world):
    from tests.world import add_intruders

    add_intruders(world)
    investor = Investor.objects.get(person__name="越界张出资")
    assignment = InstructorAssignment.objects.get(instructor__name="越界孙指导")
    client.force_login(world.users["street_a"])
    assert client.get(f"/units/investors/{investor.pk}/").status_code == 404
    assert client.get(f"/units/instructors/{assignment.pk}/end/").status_code == 404


def test_instructor_pages(client, world):
    shop = world.units["shop_a"]
    client.force_login(world.users["street_a"])
    response = client.post(
        f"/units/{shop.pk}/ledger/instructors/new/",
        {
            "name": "吴指导",
            "id_number": make_id_number("19850505"),
            "mobile": "",
            "dispatched_by": world.organizations["committee_a"].pk,
            "start_date": "2025-07-01",
        },
    )
    assert response.status_code == 302
    assignment = InstructorAssignment.objects.get(unit=shop)
    response = client.post(f"/units/instructors/{assignment.pk}/end/", {"end_date": "2025-06-01"})
    assert response.status_code == 200  # before the start: refused
    response = client.post(f"/units/instructors/{assignment.pk}/end/", {"end_date": "2025-09-01"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.end_date == datetime.date(2025, 9, 1)


# --- the street's ledger table ----------------------------------------------------------------------


def _table_names(client, **params):
    body = client.get("/units/ledger/", params).content.decode()
    return set(re.findall(r'<td><a href="/units/\d+/">([^<]+)</a></td>', body))


@pytest.mark.parametrize(
    ("persona", "names"),
    [
        ("street_a", {"甲外卖总公司", "甲外卖中山站", "中山便民配送店"}),
        ("street_b", {"甲外卖滨海站", "滨海直播工作室", "滨海快递网点"}),
        ("liaison", {"甲外卖总公司", "甲外卖中山站", "甲外卖滨海站"}),
        ("committee_staff", {"滨海快递网点"}),
        ("branch_secretary", {"甲外卖中山站", "中山便民配送店"}),
        ("worker", set()),
    ],
)
def test_the_ledger_table_lists_the_scope(client, world, persona, names):
    client.force_login(world.users[persona])
    assert _table_names(client) == names


def test_the_ledger_table_filters_and_summarizes(client, world):
    shop = world.units["shop_a"]
    update_operations(actor=None, unit=world.units["hq_a"], operating_status=Unit.OperatingStatus.SUSPENDED)
    employ(new_person("预备", PROBATIONARY), shop)
    client.force_login(world.users["street_a"])
    assert _table_names(client, operating_status="suspended") == {"甲外卖总公司"}
    assert _table_names(client, has_organization="yes") == {"甲外卖中山站", "中山便民配送店"}
    assert _table_names(client, has_organization="no") == {"甲外卖总公司"}
    assert _table_names(client, industry="express") == set()
    assert _table_names(client, street=world.street_b.pk) == set()
    partial = client.get("/units/ledger/", {"has_organization": "no"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "甲外卖总公司" in partial.content.decode()

    rows = {row.name: row for row in ledger_table(world.users["street_a"])}
    assert (rows["中山便民配送店"].headcount, rows["中山便民配送店"].full_members) == (2, 1)
    assert rows["中山便民配送店"].probationary_members == 1
    assert rows["中山便民配送店"].organization_name == "中山外卖联合党支部"
    assert (rows["甲外卖总公司"].investor_count, rows["甲外卖总公司"].instructor_name) == (1, "孙指导")
    assert rows["甲外卖总公司"].organization_count == 0


def test_the_ledger_table_costs_the_same_queries_for_many_units(client, world, django_assert_max_num_queries):
    client.force_login(world.users["street_a"])
    client.get("/units/ledger/")  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as few:
        client.get("/units/ledger/")
    for i in range(30):
        station = unit(f"批量站点{i}", world.street_a)
        employ(new_person(f"批量骑手{i}", FULL), station)
        save_investor(
            actor=None,
            unit=station,
            role="shareholder",
            id_number=make_id_number("19770707"),
            name=f"出资{i}",
        )
    with django_assert_max_num_queries(len(few)):
        response = client.get("/units/ledger/")
    assert "批量站点29" in response.content.decode()


# --- exports ---------------------------------------------------------------------------------------


def test_the_ledger_export_is_scoped_logged_and_defused(client, world):
    unit('=HYPERLINK("http://evil.example","点击")', world.street_a)
    client.force_login(world.users["street_a"])
    response = client.get("/units/ledger/export.xlsx", {"has_organization": "no"})
    assert response.status_code == 200
    header, rows = _body_rows(_cells(response), "单位名称")
    assert "正式党员" in header and "覆盖党组织" in header
    names = {row[0] for row in rows}
    assert names == {"甲外卖总公司", '\'=HYPERLINK("http://evil.example","点击")'}
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.rows, log.filters) == (
        world.users["street_a"],
        "five_clears_ledger",
        2,
        {"has_organization": "no"},
    )


def test_the_people_export_masks_numbers_and_keeps_to_the_scope(client, world):
    worker = world.people["worker"]
    client.force_login(world.users["liaison"])
    response = client.get("/people/export.xlsx")
    header, rows = _body_rows(_cells(response), "姓名")
    assert "政治面貌" not in header  # counts only for the employer
    by_name = {row[0]: row for row in rows}
    # The head company's people: outlet_a's worker, and the secretary of the branch covering it.
    assert set(by_name) == {"王小明", "李书记"}
    assert worker.id_number not in repr(rows) and worker.mobile not in repr(rows)
    assert by_name["王小明"][1] == worker.masked_id_number and "*" in by_name["王小明"][1]
    assert ExportLog.objects.get().what == "people"

    client.force_login(world.users["street_b"])
    header, rows = _body_rows(_cells(client.get("/people/export.xlsx")), "姓名")
    assert "政治面貌" in header
    assert {row[0] for row in rows} == {"符海燕", "陈快递"}


def test_the_people_list_is_scoped_and_masked(client, world):
    client.force_login(world.users["street_a"])
    body = client.get("/people/").content.decode()
    assert "王小明" in body and "符海燕" not in body
    assert world.people["worker"].id_number not in body and world.people["worker"].masked_id_number in body


def test_the_organization_export_is_scoped_and_logged(client, world):
    client.force_login(world.users["street_b"])
    response = client.get("/organizations/export.xlsx")
    header, rows = _body_rows(_cells(response), "党组织名称")
    assert {row[0] for row in rows} == {"滨海街道工委", "滨海直播党支部"}
    secretary = header.index("书记")
    assert all(row[secretary] == "" for row in rows)
    log = ExportLog.objects.get()
    assert (log.what, log.rows) == ("organizations", 2)
