"""The demo-data command: deterministic, valid identifiers, consistent trees, working demo accounts,
and the census of measure 3 (ledger, visits, follow-ups) with a history the ledger can go back in."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from dangjian.accounts.models import ROLE_SCOPE_FIELD, RoleAssignment, User
from dangjian.core.bulk import write_history
from dangjian.core.crypto import blind_index
from dangjian.core.demo import data
from dangjian.core.demo.generate import (
    CENSUS_DAYS_AGO,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    LAUNCH_DAYS_AGO,
    VISIT_WINDOW_DAYS,
    load_demo,
)
from dangjian.core.rules import rule_value
from dangjian.core.tree import child_path
from dangjian.core.validators import gender_from_id_number, validate_id_number, validate_mobile, validate_uscc
from dangjian.organizations.models import CommitteeMember, Organization
from dangjian.people.models import DisclosureFollowUp, Employment, Investor, Person
from dangjian.people.services import follow_up_days, responsible_for
from dangjian.regions.models import Region
from dangjian.units.ledger import five_clears
from dangjian.units.models import InstructorAssignment, Unit, Visit, VisitAction, WorkforceReport
from dangjian.units.queries import overdue_visits, with_visit_schedule
from dangjian.units.visits import INTERVAL_RULES

SMALL = {"units": 60, "workers": 300}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _loaded_demo(django_db_setup, django_db_blocker):
    """The demo is loaded once for this module, in a transaction rolled back at its end; each test
    runs inside it in its own savepoint (pytest-django's ``db``), so its writes are undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        counts = load_demo(**SMALL)
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def demo(_loaded_demo, db):
    return _loaded_demo


def test_counts(demo):
    assert demo["units"] == Unit.objects.count() == SMALL["units"]
    people = SMALL["workers"] + demo["officials"] + demo["investors"] + demo["instructors"]
    assert Person.objects.count() == demo["people"] == people
    assert Employment.objects.filter(end_date__isnull=True).count() >= SMALL["workers"]
    assert Region.objects.filter(kind=Region.Kind.DISTRICT, name="龙华区", code="460106").count() == 1
    assert Region.objects.filter(kind=Region.Kind.STREET).count() == 6
    assert Region.objects.filter(kind=Region.Kind.TOWN).count() == 5
    for township in Region.objects.filter(kind__in=Region.TOWNSHIP_KINDS):
        assert 3 <= township.children.count() <= 6


def test_identifiers_are_valid_and_unique(demo):
    people = list(Person.objects.all())
    for person in people:
        assert validate_id_number(person.id_number) == person.id_number
        assert validate_mobile(person.mobile) == person.mobile
    assert len({p.id_number for p in people}) == len(people)
    assert len({p.mobile for p in people}) == len(people)
    codes = list(Unit.objects.exclude(uscc=None).values_list("uscc", flat=True))
    assert codes
    for code in codes:
        assert validate_uscc(code) == code
        assert code.startswith("91460106")
    # Outlets may lack a code; every other unit has one.
    assert not Unit.objects.filter(uscc=None).exclude(kind=Unit.Kind.OUTLET).exists()


def test_blind_indexes_match(demo):
    for person in Person.objects.all():
        assert person.id_number_index == blind_index(person.id_number, "id_number")
        assert person.mobile_index == blind_index(person.mobile, "mobile")
    person = Person.objects.order_by("pk").last()
    assert Person.objects.get(id_number_index=blind_index(person.id_number, "id_number")) == person


@pytest.mark.parametrize("model", [Region, Organization, Unit])
def test_paths_are_consistent(demo, model):
    by_pk = {obj.pk: obj for obj in model.objects.all()}
    for obj in by_pk.values():
        parent_path = by_pk[obj.parent_id].path if obj.parent_id else None
        assert obj.path == child_path(parent_path, obj.pk)


def test_structure(demo):
    # Units: communities lie in the unit's street; a few units have no street at all.
    orphans = Unit.objects.filter(street=None)
    assert orphans.count() >= 3
    assert not orphans.exclude(community=None).exists()
    for unit in Unit.objects.exclude(street=None).select_related("community"):
        assert unit.community.parent_id == unit.street_id
        assert unit.industry_authority_id is not None
    assert not Unit.objects.filter(kind=Unit.Kind.HEAD_COMPANY).exclude(parent=None).exists()
    assert not Unit.objects.exclude(kind=Unit.Kind.HEAD_COMPANY).filter(parent=None).exists()
    # Organizations: a branch's street is its units' street; one sitting secretary per branch.
    for branch in Organization.objects.filter(kind=Organization.Kind.BRANCH).prefetch_related(
        "covered_units"
    ):
        streets = {u.street_id for u in branch.covered_units.all()}
        assert streets == {branch.street_id}
        assert branch.committee_members.filter(post="secretary", end_date=None).count() == 1
        if branch.term_start:
            assert branch.term_end > branch.term_start
    leading = Organization.objects.filter(kind__in=Organization.LEADING_KINDS)
    for committee in leading:
        assert committee.committee_members.filter(end_date=None).count() >= 3
    # Employment job types follow the unit's industry.
    jobs = {"express": "courier", "food_delivery": "rider", "livestreaming": "livestreamer"}
    for industry, job in jobs.items():
        assert not (
            Employment.objects.filter(unit__industry=industry)
            .exclude(job_type__in=[job, Employment.JobType.OTHER])
            .exists()
        )


def test_demo_accounts(demo):
    for username, role, _description in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.is_demo
        assert user.check_password(DEMO_PASSWORD)
        assignment = RoleAssignment.objects.get(user=user)
        assert assignment.role == role
        assert getattr(assignment, ROLE_SCOPE_FIELD[role]) is not None
    admin = User.objects.get(username="district_admin")
    assert admin.is_staff and admin.has_perm("units.change_unit")

    zhongshan = Region.objects.get(name="中山街道")
    branch = RoleAssignment.objects.get(user__username="branch_secretary").organization
    assert branch.street == zhongshan
    assert branch.build_method in (Organization.BuildMethod.STANDALONE, Organization.BuildMethod.JOINT)
    assert branch.covered_units.count() >= 2
    secretary = User.objects.get(username="branch_secretary").person
    assert branch.committee_members.get(post="secretary", end_date=None).person == secretary

    head = RoleAssignment.objects.get(user__username="enterprise_liaison").unit
    assert head.kind == Unit.Kind.HEAD_COMPANY and head.street == zhongshan
    below = head.subtree().exclude(pk=head.pk)
    assert below.count() >= 2
    assert below.exclude(street=zhongshan).exists()

    worker = User.objects.get(username="worker").person
    assert RoleAssignment.objects.get(user__username="worker").person == worker
    assert worker.employments.filter(end_date=None, unit__street=zhongshan).exists()


def test_if_empty_skips_a_loaded_database(demo):
    units = Unit.objects.count()
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert Unit.objects.count() == units
    assert "已有数据" in out.getvalue()


def test_refuses_a_loaded_database(demo):
    with pytest.raises(CommandError, match="already has data"):
        call_command("load_demo", "--units", "60", "--workers", "300", stdout=io.StringIO())


# --- the census (measure 3) -------------------------------------------------------------------

STAFF = {"district_admin", "zhongshan_staff", "binhai_staff", "express_committee", "enterprise_liaison"}


def _today():
    return timezone.localdate()


def _days_ago(days: int) -> datetime.date:
    return _today() - datetime.timedelta(days=days)


def test_operations(demo):
    units = list(Unit.objects.select_related("operations_updated_by"))
    surveyed = [u for u in units if u.operations_updated_by is not None]
    assert len(surveyed) == demo["units_surveyed"] >= 0.7 * len(units)
    statuses = Counter(u.operating_status for u in units)
    assert statuses[Unit.OperatingStatus.OPERATING] >= 0.85 * len(units)
    assert statuses[Unit.OperatingStatus.SUSPENDED] >= 1
    assert statuses[Unit.OperatingStatus.CLOSED] >= 1
    assert not [u for u in units if u.operating_status == "closed" and u.kind == Unit.Kind.HEAD_COMPANY]
    known = {name for platforms in data.PLATFORMS.values() for name, _ in platforms}
    now = timezone.now()
    for unit in surveyed:
        assert unit.operations_updated_by.username in STAFF and unit.operations_updated_by.is_demo
        assert _days_ago(CENSUS_DAYS_AGO) <= timezone.localdate(unit.operations_updated_at) < _today()
        assert unit.business_scope
        if unit.platforms:
            assert set(unit.platforms.split("、")) <= known
    for unit in units:
        if unit.operations_updated_by is None:  # not surveyed yet: as imported
            assert (unit.operating_status, unit.business_scope, unit.platforms) == ("operating", "", "")
            assert unit.operations_updated_at < now
    food = [u.platforms for u in surveyed if u.industry == "food_delivery"]
    assert any("美团" in p or "饿了么" in p for p in food)
    # Head companies report their outlets: some as registered, some not.
    heads = [u for u in surveyed if u.kind == Unit.Kind.HEAD_COMPANY]
    assert heads and all(u.reported_outlet_count is not None for u in heads)
    assert not [u for u in units if u.kind != Unit.Kind.HEAD_COMPANY and u.reported_outlet_count is not None]
    registered = {
        u.pk: u.subtree().filter(kind__in=["outlet", "chain_store", "franchise_store"]).count() for u in heads
    }
    assert any(u.reported_outlet_count != registered[u.pk] for u in heads)
    # The liaison's company was surveyed by the liaison or the street's staff.
    head = RoleAssignment.objects.get(user__username="enterprise_liaison").unit
    assert head.operations_updated_by.username in ("enterprise_liaison", "zhongshan_staff")


def test_workforce_reports(demo):
    reports = list(WorkforceReport.objects.select_related("recorded_by"))
    assert len(reports) == demo["workforce_reports"] > 0
    registered = Counter()
    for unit_id, job_type, full_time in Employment.objects.filter(end_date=None).values_list(
        "unit_id", "job_type", "full_time"
    ):
        registered[(unit_id, job_type, full_time)] += 1
    latest = {}
    for report in sorted(reports, key=lambda r: (r.reported_on, r.pk)):
        assert report.reported_on < _today()
        assert report.recorded_at < timezone.now()
        assert report.recorded_by is not None and report.recorded_by.username in STAFF
        latest[(report.unit_id, report.job_type)] = report
    same = different = 0
    for (unit_id, job_type), report in latest.items():
        assert registered[(unit_id, job_type, True)] + registered[(unit_id, job_type, False)] > 0
        if (report.full_time, report.part_time) == (
            registered[(unit_id, job_type, True)],
            registered[(unit_id, job_type, False)],
        ):
            same += 1
        else:
            different += 1
    assert same and different
    # Part of the units only, and none that is closed.
    assert len({r.unit_id for r in reports}) < Unit.objects.count()
    assert not WorkforceReport.objects.filter(unit__operating_status="closed").exists()


def test_investors(demo):
    heads = Unit.objects.filter(kind=Unit.Kind.HEAD_COMPANY)
    assert not Investor.objects.exclude(unit__kind=Unit.Kind.HEAD_COMPANY).exists()
    investors = list(Investor.objects.select_related("person"))
    assert len(investors) == demo["investors"]
    for head in heads:
        own = [i for i in investors if i.unit_id == head.pk]
        assert 1 <= len(own) <= 3
        assert [i.role for i in own].count(Investor.Role.LEGAL_REPRESENTATIVE) == 1
        shares = [i.share_percent for i in own if i.share_percent is not None]
        assert sum(shares) <= 100
    roles = Counter(i.role for i in investors)
    assert roles[Investor.Role.SHAREHOLDER] >= 1
    honours = [i.representative_roles for i in investors if i.representative_roles]
    assert honours
    allowed = {name for name, _ in data.REPRESENTATIVE_ROLES}
    assert all(set(h.split("、")) <= allowed for h in honours)
    liaison_head = RoleAssignment.objects.get(user__username="enterprise_liaison").unit
    assert liaison_head.investors.filter(representative_roles__contains="区人大代表").exists()
    # Investors are people: valid, unique, encrypted ID numbers with matching blind indexes.
    with connection.cursor() as cursor:
        for investor in investors:
            person = investor.person
            assert validate_id_number(person.id_number) == person.id_number
            assert person.gender == gender_from_id_number(person.id_number)
            assert person.id_number_index == blind_index(person.id_number, "id_number")
            assert Person.objects.get(id_number_index=blind_index(person.id_number, "id_number")) == person
            cursor.execute("SELECT id_number, mobile FROM people_person WHERE id = %s", [person.pk])
            stored_id, stored_mobile = cursor.fetchone()
            assert person.id_number not in stored_id and person.mobile not in stored_mobile
            assert not person.employments.exists()


def test_instructors(demo):
    assignments = list(InstructorAssignment.objects.select_related("instructor", "dispatched_by", "unit"))
    assert len(assignments) == demo["instructor_assignments"] > 0
    covered = set(Organization.covered_units.through.objects.values_list("unit_id", flat=True))
    running = Counter()
    for assignment in assignments:
        assert assignment.unit_id not in covered  # sent where there is no organization
        assert assignment.unit.street_id is not None
        assert assignment.instructor.political_status == Person.PoliticalStatus.FULL_MEMBER
        assert assignment.dispatched_by.kind in (
            Organization.Kind.STREET_COMMITTEE,
            Organization.Kind.TOWN_COMMITTEE,
            Organization.Kind.COMPREHENSIVE_COMMITTEE,
        )
        if assignment.dispatched_by.kind != Organization.Kind.COMPREHENSIVE_COMMITTEE:
            assert assignment.dispatched_by.street_id == assignment.unit.street_id
        assert assignment.start_date < _today()
        if assignment.end_date is None:
            running[assignment.unit_id] += 1
        else:
            assert assignment.start_date < assignment.end_date < _today()
    assert running and max(running.values()) == 1
    assert len({a.instructor_id for a in assignments}) < len(assignments)  # one instructor, several units


def test_visits_and_overdue_units(demo):
    today = _today()
    admin = User.objects.get(username="district_admin")
    visits = list(Visit.objects.select_related("recorded_by"))
    assert len(visits) == demo["visits"]
    for visit in visits:
        assert _days_ago(VISIT_WINDOW_DAYS) <= visit.visited_on < today
        assert visit.visitors and visit.findings
        assert visit.recorded_by.username in STAFF - {"enterprise_liaison"}
        assert timezone.localdate(visit.recorded_at) >= visit.visited_on
    # What was found fits the unit: no "no party members yet" where members work, and the reverse.
    with_members = set(
        Employment.objects.filter(
            end_date=None, person__political_status__in=["full_member", "probationary_member"]
        ).values_list("unit_id", flat=True)
    )
    for visit in visits:
        if visit.unit_id in with_members:
            assert "尚无党员" not in visit.problems and "暂无登记党员" not in visit.findings
        else:
            assert "流动党员" not in visit.problems and "现有党员" not in visit.findings
    # Most units were visited.
    visited = {v.unit_id for v in visits}
    assert len(visited) >= 0.7 * Unit.objects.count()
    # Against the rule table: some units are overdue although visited, some never visited, most
    # are not due.
    intervals = {kind: rule_value(key) for kind, key in INTERVAL_RULES.items()}
    overdue = list(overdue_visits(admin, today=today))
    assert overdue
    scheduled = with_visit_schedule(Unit.objects.exclude(operating_status="closed"), today=today)
    overdue_visited = not_due = 0
    for unit in scheduled:
        interval = unit.visit_interval_days or intervals[unit.kind]
        assert unit.visit_interval == interval
        if unit.last_visit is None:
            continue
        assert unit.next_due == unit.last_visit + datetime.timedelta(days=interval)
        if unit.next_due < today:
            overdue_visited += 1
        else:
            not_due += 1
    assert overdue_visited >= 1
    assert not_due > overdue_visited
    assert any(u.last_visit is None for u in overdue)
    assert not Visit.objects.filter(unit__operating_status="closed").exists()


def test_visit_actions(demo):
    today = _today()
    actions = list(VisitAction.objects.select_related("visit", "closed_by"))
    assert len(actions) == demo["visit_actions"] > 0
    closed = [a for a in actions if a.closed_on is not None]
    still_open = [a for a in actions if a.closed_on is None]
    assert len(still_open) == demo["visit_actions_open"]
    assert closed and still_open
    assert any(a.due_on < today for a in still_open)  # some are overdue
    for action in actions:
        assert action.visit.problems
        assert action.due_on > action.visit.visited_on
    for action in closed:
        assert action.visit.visited_on < action.closed_on < today
        assert action.closure_note and action.closed_by == action.visit.recorded_by
    for action in still_open:
        assert not action.closure_note and action.closed_by is None


def test_follow_ups(demo):
    today = _today()
    days = follow_up_days()
    follow_ups = list(
        DisclosureFollowUp.objects.select_related("person", "unit", "organization", "closed_by")
    )
    assert len(follow_ups) == demo["follow_ups"] >= 8
    assert len({f.person_id for f in follow_ups}) == len(follow_ups)
    officials = set(CommitteeMember.objects.values_list("person_id", flat=True))
    for follow_up in follow_ups:
        assert follow_up.person.political_status in ("full_member", "probationary_member")
        assert follow_up.person_id not in officials
        assert follow_up.person.employments.filter(unit=follow_up.unit, end_date=None).exists()
        # Exactly who answers for it: the nearest active organization covering the unit, or the street.
        assert (follow_up.organization, follow_up.street) == responsible_for(follow_up.unit)
        assert (follow_up.organization is None) != (follow_up.street is None)
        assert follow_up.due_on == timezone.localdate(follow_up.created_at) + datetime.timedelta(days=days)
        assert follow_up.created_at < timezone.now()
        if follow_up.status == DisclosureFollowUp.Status.DONE:
            assert follow_up.created_at < follow_up.closed_at < timezone.now()
            assert follow_up.note and follow_up.closed_by.is_demo
        else:
            assert follow_up.closed_at is None and follow_up.closed_by is None
    states = Counter(
        "done" if f.status == "done" else "overdue" if f.due_on < today else "open" for f in follow_ups
    )
    assert states["done"] and states["overdue"] and states["open"]
    assert states["open"] + states["overdue"] == demo["follow_ups_open"]
    assert any(f.organization for f in follow_ups) and any(f.street for f in follow_ups)
    # The demo accounts see some: the branch secretary's branch or Zhongshan's units come first.
    zhongshan = Region.objects.get(name="中山街道")
    assert any(f.unit.street_id == zhongshan.pk for f in follow_ups)


def test_history_dates(demo):
    now = timezone.now()
    launch = _days_ago(LAUNCH_DAYS_AGO)
    models = [Unit, Organization, Person, Employment, CommitteeMember, Investor, InstructorAssignment]
    models += [Visit, VisitAction, DisclosureFollowUp]
    for model in models:
        history = model.history.model.objects
        # Every row was recorded once ("+"), never in the future, never before the system went live.
        assert history.filter(history_type="+").count() == model.objects.count(), model
        assert set(history.values_list("history_type", flat=True)) <= {"+", "~"}
        assert not history.filter(history_date__gt=now).exists(), model
        first = history.order_by("history_date").values_list("history_date", flat=True).first()
        assert timezone.localdate(first) >= launch, model
    # A unit surveyed in the census changed once, by the one who surveyed it, then.
    changes = Unit.history.model.objects.filter(history_type="~")
    assert changes.count() == demo["units_surveyed"]
    for change in changes.select_related("history_user"):
        assert change.history_user_id == change.operations_updated_by_id
        assert change.history_date == change.operations_updated_at
    # Closed visit actions and follow-ups, ended instructor assignments: one change each.
    assert VisitAction.history.model.objects.filter(history_type="~").count() == len(
        [a for a in VisitAction.objects.all() if a.closed_on]
    )
    assert DisclosureFollowUp.history.model.objects.filter(history_type="~").count() == (
        DisclosureFollowUp.objects.filter(status="done").count()
    )
    assert InstructorAssignment.history.model.objects.filter(history_type="~").count() == (
        InstructorAssignment.objects.exclude(end_date=None).count()
    )
    # Nothing was recorded before what it belongs to.
    unit_recorded = dict(
        Unit.history.model.objects.filter(history_type="+").values_list("id", "history_date")
    )
    for model in (Employment, Visit, WorkforceReport, Investor, InstructorAssignment):
        if model is WorkforceReport:
            rows = model.objects.values_list("unit_id", "recorded_at")
        else:
            rows = model.history.model.objects.filter(history_type="+").values_list("unit_id", "history_date")
        for unit_id, recorded in rows:
            assert recorded >= unit_recorded[unit_id], model
    person_recorded = dict(
        Person.history.model.objects.values_list("id")
        .annotate(first=Min("history_date"))
        .values_list("id", "first")
    )
    for person_id, recorded in Employment.history.model.objects.values_list("person_id", "history_date"):
        assert person_recorded[person_id] <= recorded


def test_ledger_as_of_a_past_day(demo):
    """The ledger "as of" reads the history: before the system went live the unit is unknown,
    before the census its operations part is as imported, today it is as surveyed."""
    admin = User.objects.get(username="district_admin")
    head = RoleAssignment.objects.get(user__username="enterprise_liaison").unit
    surveyed_on = timezone.localdate(head.operations_updated_at)

    before = five_clears(head, admin, as_of=_days_ago(LAUNCH_DAYS_AGO + 1))
    assert not before.existed and not before.history_missing

    imported = five_clears(head, admin, as_of=surveyed_on - datetime.timedelta(days=1))
    assert imported.existed
    assert imported.operations.platforms == [] and imported.operations.reported_outlets is None
    assert imported.operations.updated.user_id is None
    assert imported.workforce.headcount > 0
    assert imported.investors.rows == []

    now = five_clears(head, admin)
    past = five_clears(head, admin, as_of=_days_ago(1))
    assert past.operations.platforms == now.operations.platforms != []
    assert past.operations.reported_outlets == now.operations.reported_outlets is not None
    assert past.operations.updated.user_id == head.operations_updated_by_id
    assert [r.name for r in past.investors.rows] == [r.name for r in now.investors.rows] != []
    assert past.workforce.headcount == now.workforce.headcount
    assert past.members.total == now.members.total
    names = [o.name for o in now.organization.organizations]
    assert [o.name for o in past.organization.organizations] == names


def test_history_rows_as_simple_history_writes_them(demo):
    """``write_history`` is a fast ``bulk_history_create``: the same row for the same object."""
    user = User.objects.get(username="binhai_staff")
    moment = timezone.now() - datetime.timedelta(days=3)
    for model in (Unit, Person, Visit, DisclosureFollowUp, Organization, InstructorAssignment):
        obj = model.objects.order_by("pk").last()
        obj._history_date, obj._history_user = moment, user
        history = model.history.model.objects
        known = set(history.values_list("history_id", flat=True))
        write_history(model, [obj], update=True)
        model.history.bulk_history_create([obj], update=True)
        ours, theirs = history.exclude(history_id__in=known).order_by("history_id")
        fields = [f.attname for f in model.history.model._meta.concrete_fields if f.attname != "history_id"]
        assert [getattr(ours, f) for f in fields] == [getattr(theirs, f) for f in fields], model
        assert ours.history_type == "~" and ours.history_user == user
