"""Return visits (定期回访): the schedule rules, the overdue list, the services, the pages and the
reminder job."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from python_calamine import CalamineWorkbook

from dangjian.core.models import AuditEvent, Notification, Rule
from dangjian.spreadsheets.models import ExportLog
from dangjian.units import queries, services
from dangjian.units.models import Unit, Visit, VisitAction
from dangjian.units.tasks import remind_about_visits
from dangjian.units.visits import (
    days_overdue,
    default_intervals,
    interval_for,
    may_record_visits,
    next_due,
    schedule_for,
)
from tests.world import add_visit, unit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def _names(units) -> list[str]:
    return [u.name for u in units]


# --- the rules ----------------------------------------------------------------------------


def test_a_units_own_interval_wins_over_the_default_for_its_kind():
    defaults = {Unit.Kind.HEAD_COMPANY: 90, Unit.Kind.OUTLET: 180}
    assert interval_for(Unit(kind=Unit.Kind.OUTLET), defaults) == 180
    assert interval_for(Unit(kind=Unit.Kind.OUTLET, visit_interval_days=30), defaults) == 30
    assert interval_for(Unit(kind=Unit.Kind.HEAD_COMPANY), defaults) == 90


def test_next_due_date():
    day = datetime.date(2026, 3, 1)
    assert next_due(None, 90, day) == day  # never visited: due now
    assert next_due(datetime.date(2026, 1, 1), 90, day) == datetime.date(2026, 4, 1)
    assert next_due(datetime.date(2026, 1, 1), None, day) is None  # no schedule
    assert days_overdue(datetime.date(2026, 2, 20), day) == 9
    assert days_overdue(datetime.date(2026, 3, 20), day) == 0


def test_defaults_come_from_the_rule_table_quarterly_and_half_yearly():
    assert default_intervals() == {
        Unit.Kind.HEAD_COMPANY: 90,
        Unit.Kind.BRANCH: 90,
        Unit.Kind.CHAIN_STORE: 180,
        Unit.Kind.FRANCHISE_STORE: 180,
        Unit.Kind.OUTLET: 180,
    }
    assert Rule.objects.get(key="visit-reminder-days-ahead").value == 7


def test_a_rule_changed_by_the_district_takes_effect(world):
    shop = world.units["shop_a"]  # a head company, visited on 2025-06-01
    before = queries.visit_schedule(world.users["street_a"], shop, today=datetime.date(2025, 7, 1))
    assert (before.interval, before.next_due, before.uses_default) == (90, datetime.date(2025, 8, 30), True)

    Rule.objects.filter(key="visit-interval-days-head-company").update(value=14)
    after = queries.visit_schedule(world.users["street_a"], shop, today=datetime.date(2025, 7, 1))
    assert (after.interval, after.next_due, after.days_overdue) == (14, datetime.date(2025, 6, 15), 16)
    # The list computed in SQL follows the same rule.
    overdue = queries.overdue_visits(world.users["street_a"], today=datetime.date(2025, 7, 1))
    assert shop in overdue


def test_a_rule_switched_off_takes_the_kind_off_the_schedule(world):
    Rule.objects.filter(key="visit-interval-days-outlet").update(enabled=False)
    outlet = world.units["outlet_a"]
    assert queries.visit_schedule(world.users["street_a"], outlet).next_due is None
    assert outlet not in queries.overdue_visits(world.users["street_a"])
    # A unit's own interval still schedules it.
    services.set_visit_interval(actor=world.users["street_a"], unit=outlet, days=60)
    assert outlet in queries.overdue_visits(world.users["street_a"])


# --- the overdue computation --------------------------------------------------------------


def test_overdue_never_visited_long_ago_and_recently(world):
    never = unit("从未回访的站点", world.street_a, kind=Unit.Kind.OUTLET)
    long_ago = unit("很久前回访的站点", world.street_a, kind=Unit.Kind.OUTLET)
    recently = unit("最近回访的站点", world.street_a, kind=Unit.Kind.OUTLET)
    soon = unit("即将到期的站点", world.street_a, kind=Unit.Kind.OUTLET)
    staff = world.users["street_a"]
    add_visit(long_ago, days_ago(200), by=staff)
    add_visit(long_ago, days_ago(400), by=staff)  # an older visit does not count
    add_visit(recently, days_ago(10), by=staff)
    add_visit(soon, days_ago(176), by=staff)

    overdue = list(queries.overdue_visits(staff, today=TODAY))
    assert never in overdue and long_ago in overdue
    assert recently not in overdue and soon not in overdue
    row = {u.pk: u for u in overdue}
    assert row[never.pk].last_visit is None and row[never.pk].next_due == TODAY
    assert row[long_ago.pk].last_visit == days_ago(200)
    assert row[long_ago.pk].next_due == days_ago(20)
    # Longest overdue first.
    assert overdue.index(long_ago) < overdue.index(never)

    assert list(queries.visits_due_soon(staff, today=TODAY)) == [soon]

    # The SQL agrees with the rule functions for every unit, visited or not.
    defaults = default_intervals()
    for u in queries.with_visit_schedule(Unit.objects.all(), today=TODAY):
        expected = schedule_for(u, u.last_visit, defaults=defaults, days_ahead=7, today=TODAY)
        assert (u.visit_interval, u.next_due) == (expected.interval, expected.next_due), u.name


def test_closed_units_are_not_scheduled(world):
    gone = unit("已注销站点", world.street_a, operating_status=Unit.OperatingStatus.DEREGISTERED)
    assert gone not in queries.overdue_visits(world.users["street_a"])
    assert queries.visit_schedule(world.users["street_a"], gone).next_due is None


def test_overdue_list_is_scoped_per_persona(world):
    expected = {
        "district_admin": {
            "甲外卖总公司",
            "甲外卖中山站",
            "甲外卖滨海站",
            "中山便民配送店",
            "滨海直播工作室",
            "滨海快递网点",
        },
        "street_a": {"甲外卖总公司", "甲外卖中山站", "中山便民配送店"},
        "street_b": {"甲外卖滨海站", "滨海直播工作室", "滨海快递网点"},
        "committee_staff": {"滨海快递网点"},
        "liaison": {"甲外卖总公司", "甲外卖中山站", "甲外卖滨海站"},
        "worker": set(),
    }
    for persona, names in expected.items():
        assert set(_names(queries.overdue_visits(world.users[persona]))) == names, persona


def test_overdue_list_filters_by_street_and_industry(world):
    admin = world.users["district_admin"]
    assert set(_names(queries.overdue_visits(admin, street_id=world.street_b.pk))) == {
        "甲外卖滨海站",
        "滨海直播工作室",
        "滨海快递网点",
    }
    assert _names(queries.overdue_visits(admin, street_id=world.street_b.pk, industry="express")) == [
        "滨海快递网点"
    ]
    # A street's staff cannot widen their list by asking for another street.
    assert not queries.overdue_visits(world.users["street_a"], street_id=world.street_b.pk).exists()


# --- who may record -----------------------------------------------------------------------


def test_who_may_record_visits(world):
    shop_a, express_b = world.units["shop_a"], world.units["express_b"]
    users = world.users
    assert may_record_visits(users["district_admin"], shop_a)
    assert may_record_visits(users["street_a"], shop_a)
    assert not may_record_visits(users["street_b"], shop_a)
    assert may_record_visits(users["committee_staff"], express_b)  # the industry it leads
    assert not may_record_visits(users["committee_staff"], shop_a)
    for persona in ("branch_secretary", "liaison", "worker"):
        assert not may_record_visits(users[persona], shop_a), persona
    assert not may_record_visits(users["liaison"], world.units["hq_a"])  # sees it, does not visit it


# --- services -----------------------------------------------------------------------------


def test_record_visit_with_actions_is_audited(world):
    staff, shop = world.users["street_a"], world.units["shop_a"]
    visit = services.record_visit(
        actor=staff,
        unit=shop,
        visited_on=days_ago(1),
        visitors="王五",
        findings="新增骑手12名",
        problems="未设党员活动室",
        actions=[
            {"description": "建立党员活动室", "due_on": TODAY + datetime.timedelta(days=30)},
            {"description": "摸清党员底数"},
        ],
    )
    assert visit.recorded_by == staff
    assert list(visit.actions.values_list("description", flat=True)) == ["建立党员活动室", "摸清党员底数"]
    events = AuditEvent.objects.filter(actor=staff, action="created")
    assert events.filter(content_type__model="visit", object_id=visit.pk).exists()
    actions = visit.actions.values("pk")
    assert events.filter(content_type__model="visitaction", object_id__in=actions).count() == 2
    assert queries.visit_schedule(staff, shop).last_visit == days_ago(1)


def test_record_visit_refusals_leave_nothing_behind(world):
    staff, shop = world.users["street_a"], world.units["shop_a"]
    before = Visit.objects.count(), VisitAction.objects.count()
    with pytest.raises(ValidationError) as future:
        services.record_visit(
            actor=staff, unit=shop, visited_on=TODAY + datetime.timedelta(days=1), visitors="王五"
        )
    assert set(future.value.error_dict) == {"visited_on"}
    with pytest.raises(ValidationError):
        services.record_visit(
            actor=staff,
            unit=shop,
            visited_on=days_ago(5),
            visitors="王五",
            actions=[{"description": "ok"}, {"description": "早于回访", "due_on": days_ago(6)}],
        )
    with pytest.raises(ValidationError):  # an action without a description fails its own validation
        services.record_visit(
            actor=staff, unit=shop, visited_on=days_ago(5), visitors="王五", actions=[{"description": ""}]
        )
    with pytest.raises(PermissionDenied):
        services.record_visit(
            actor=world.users["liaison"], unit=world.units["hq_a"], visited_on=days_ago(1), visitors="x"
        )
    assert (Visit.objects.count(), VisitAction.objects.count()) == before


def test_close_visit_action(world):
    staff = world.users["street_a"]
    visit = services.record_visit(
        actor=staff,
        unit=world.units["shop_a"],
        visited_on=days_ago(10),
        visitors="王五",
        actions=[{"description": "整改"}],
    )
    action = visit.actions.get()
    with pytest.raises(ValidationError):  # before the visit
        services.close_visit_action(actor=staff, action=action, closed_on=days_ago(11), closure_note="已整改")
    with pytest.raises(ValidationError):  # in the future
        services.close_visit_action(
            actor=staff, action=action, closed_on=TODAY + datetime.timedelta(days=1), closure_note="已整改"
        )
    with pytest.raises(ValidationError):  # without saying how
        services.close_visit_action(actor=staff, action=action, closed_on=TODAY, closure_note="  ")
    with pytest.raises(PermissionDenied):
        services.close_visit_action(
            actor=world.users["street_b"], action=action, closed_on=TODAY, closure_note="x"
        )
    action.refresh_from_db()
    assert action.closed_on is None

    services.close_visit_action(actor=staff, action=action, closed_on=days_ago(2), closure_note="已整改到位")
    action.refresh_from_db()
    assert (action.closed_on, action.closure_note, action.closed_by) == (days_ago(2), "已整改到位", staff)
    assert AuditEvent.objects.filter(
        content_type__model="visitaction", object_id=action.pk, action="updated"
    ).exists()
    with pytest.raises(ValidationError):  # already closed
        services.close_visit_action(actor=staff, action=action, closed_on=TODAY, closure_note="again")


def test_set_visit_interval(world):
    staff, shop = world.users["street_a"], world.units["shop_a"]
    services.set_visit_interval(actor=staff, unit=shop, days=30)
    shop.refresh_from_db()
    assert shop.visit_interval_days == 30
    event = AuditEvent.objects.filter(content_type__model="unit", object_id=shop.pk, action="updated").latest(
        "at"
    )
    assert "visit_interval_days" in event.changes
    with pytest.raises(ValidationError):
        services.set_visit_interval(actor=staff, unit=shop, days=0)
    services.set_visit_interval(actor=staff, unit=shop, days=None)  # back to the default
    shop.refresh_from_db()
    assert shop.visit_interval_days is None


# --- pages --------------------------------------------------------------------------------


def _visit_post(**extra):
    data = {
        "visited_on": days_ago(3).isoformat(),
        "visitors": "王五、赵六",
        "findings": "经营正常",
        "problems": "",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
        "actions-0-description": "建立党员名册",
        "actions-0-due_on": (TODAY + datetime.timedelta(days=20)).isoformat(),
        "actions-1-description": "",
        "actions-1-due_on": "",
        "actions-2-description": "",
        "actions-2-due_on": "",
    }
    data.update(extra)
    return data


def test_street_staff_record_a_visit_through_the_page(client, world):
    shop = world.units["shop_a"]
    client.force_login(world.users["street_a"])
    assert client.get(f"/units/{shop.pk}/visits/new/").status_code == 200
    response = client.post(f"/units/{shop.pk}/visits/new/", _visit_post())
    assert response.status_code == 302 and response["Location"].endswith(f"/units/{shop.pk}/#visits")
    visit = Visit.objects.get(unit=shop, visitors="王五、赵六")
    assert list(visit.actions.values_list("description", flat=True)) == ["建立党员名册"]

    page = client.get(f"/units/{shop.pk}/").content.decode()
    assert "王五、赵六" in page and "建立党员名册" in page
    assert f"/units/visit-actions/{visit.actions.get().pk}/close/" in page


def test_a_future_visit_is_refused_on_the_page(client, world):
    shop = world.units["shop_a"]
    client.force_login(world.users["street_a"])
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = client.post(f"/units/{shop.pk}/visits/new/", _visit_post(visited_on=tomorrow))
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert not Visit.objects.filter(visitors="王五、赵六").exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("liaison", 403), ("branch_secretary", 403), ("worker", 404), ("street_b", 404)]
)
def test_others_may_not_record_visits(client, world, persona, status):
    shop, hq = world.units["shop_a"], world.units["hq_a"]
    target = hq if persona == "liaison" else shop  # the liaison sees the head company, not the shop
    client.force_login(world.users[persona])
    assert client.get(f"/units/{target.pk}/visits/new/").status_code == status
    assert client.post(f"/units/{target.pk}/visits/new/", _visit_post()).status_code == status
    assert client.post(f"/units/{target.pk}/visits/interval/", {"days": "5"}).status_code == status
    assert not Visit.objects.filter(visitors="王五、赵六").exists()
    target.refresh_from_db()
    assert target.visit_interval_days is None


def test_unit_page_offers_recording_only_to_those_who_may(client, world):
    shop = world.units["shop_a"]
    client.force_login(world.users["branch_secretary"])
    page = client.get(f"/units/{shop.pk}/").content.decode()
    assert 'data-testid="visits"' in page and "协助建立党员名册" in page
    assert f"/units/{shop.pk}/visits/new/" not in page


def test_close_an_action_through_the_page(client, world):
    action = VisitAction.objects.get(visit__unit=world.units["shop_a"])
    url = f"/units/visit-actions/{action.pk}/close/"
    client.force_login(world.users["street_b"])
    assert client.post(url, {"closed_on": TODAY.isoformat(), "closure_note": "x"}).status_code == 404
    client.force_login(world.users["street_a"])
    response = client.post(url, {"closed_on": "2025-05-01", "closure_note": "已建立"})  # before the visit
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    response = client.post(url, {"closed_on": TODAY.isoformat(), "closure_note": "已建立"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.closed_on == TODAY and action.closed_by == world.users["street_a"]


def test_set_the_interval_through_the_page(client, world):
    shop = world.units["shop_a"]
    client.force_login(world.users["street_a"])
    assert client.post(f"/units/{shop.pk}/visits/interval/", {"days": "0"}).status_code == 200
    assert client.post(f"/units/{shop.pk}/visits/interval/", {"days": "45"}).status_code == 302
    shop.refresh_from_db()
    assert shop.visit_interval_days == 45
    assert client.post(f"/units/{shop.pk}/visits/interval/", {"days": ""}).status_code == 302
    shop.refresh_from_db()
    assert shop.visit_interval_days is None


def test_overdue_page_filters_with_htmx_and_exports(client, world):
    client.force_login(world.users["street_a"])
    add_visit(world.units["hq_a"], days_ago(1), by=world.users["street_a"])
    page = client.get("/units/visits/overdue/").content.decode()
    assert "甲外卖中山站" in page and "中山便民配送店" in page
    assert "甲外卖总公司" not in page  # just visited
    assert "滨海" not in page.split('data-testid="visit-table"')[1]  # other street's units

    partial = client.get("/units/visits/overdue/", {"industry": "express"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "甲外卖中山站" not in partial.content.decode()

    response = client.get("/units/visits/overdue/export.xlsx", {"street": world.street_a.pk})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    header = next(i for i, row in enumerate(rows) if "单位名称" in row)
    assert {row[0] for row in rows[header + 1 :]} == {"甲外卖中山站", "中山便民配送店"}
    shop_row = next(row for row in rows if row[0] == "中山便民配送店")
    assert shop_row[4] == datetime.date(2025, 6, 1)  # last visit
    log = ExportLog.objects.get()
    assert (log.what, log.rows, log.filters) == ("visits_overdue", 2, {"street_id": world.street_a.pk})


def test_due_soon_page(client, world):
    add_visit(world.units["shop_a"], days_ago(85), by=world.users["street_a"])
    client.force_login(world.users["street_a"])
    page = client.get("/units/visits/overdue/", {"when": "soon"}).content.decode()
    table = page.split('data-testid="visit-table"')[1]
    assert "中山便民配送店" in table and "甲外卖中山站" not in table


# --- reminders ----------------------------------------------------------------------------


def _inbox(user) -> set[str]:
    return set(Notification.objects.filter(user=user).values_list("key", flat=True))


def test_reminders_go_to_the_responsible_staff_once(world):
    units, users = world.units, world.users
    add_visit(units["hq_a"], TODAY - datetime.timedelta(days=85), by=users["street_a"])  # due in 5 days
    first = remind_about_visits(TODAY)

    shop_due = datetime.date(2025, 6, 1) + datetime.timedelta(days=90)
    assert _inbox(users["street_a"]) == {
        f"visit-overdue:{units['outlet_a'].pk}:never",
        f"visit-overdue:{units['shop_a'].pk}:{shop_due.isoformat()}",
        f"visit-due-soon:{units['hq_a'].pk}:{(TODAY + datetime.timedelta(days=5)).isoformat()}",
    }
    assert _inbox(users["street_b"]) == {
        f"visit-overdue:{units[name].pk}:never" for name in ("outlet_b", "plain_b", "express_b")
    }
    assert _inbox(users["district_admin"]) == {f"visit-summary:{TODAY.isoformat()}"}
    summary = Notification.objects.get(user=users["district_admin"])
    assert "5" in summary.text and summary.link == "/units/visits/overdue/"
    for persona in ("committee_staff", "branch_secretary", "liaison", "worker"):
        assert not _inbox(users[persona]), persona
    assert first == {"units_due": 5, "units_due_soon": 1, "messages": 7}

    # Idempotent: again today, and tomorrow for the same due dates, nothing new (but a new summary).
    count = Notification.objects.count()
    assert remind_about_visits(TODAY)["messages"] == 0
    assert Notification.objects.count() == count
    assert remind_about_visits(TODAY + datetime.timedelta(days=1))["messages"] == 1


def test_reminders_are_written_in_bulk(world, django_assert_max_num_queries):
    for i in range(30):
        unit(f"批量站点{i}", world.street_a, kind=Unit.Kind.OUTLET)
    with django_assert_max_num_queries(12):
        result = remind_about_visits(TODAY)
    assert result["messages"] == 33 + 3 + 1


def test_send_reminders_command(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = io.StringIO()
    call_command("send_reminders", "--now", stdout=out)
    assert "send_visit_reminders" in out.getvalue()
    count = Notification.objects.count()
    assert count > 0
    call_command("send_reminders", stdout=io.StringIO())  # queued; the immediate backend runs it
    assert Notification.objects.count() == count
