"""The demo-data command: deterministic, valid identifiers, consistent trees, working demo accounts."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from dangjian.accounts.models import ROLE_SCOPE_FIELD, RoleAssignment, User
from dangjian.core.crypto import blind_index
from dangjian.core.demo.generate import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from dangjian.core.tree import child_path
from dangjian.core.validators import validate_id_number, validate_mobile, validate_uscc
from dangjian.organizations.models import CommitteeMember, Organization
from dangjian.people.models import Employment, Person
from dangjian.regions.models import Region
from dangjian.units.models import Unit

SMALL = {"units": 60, "workers": 300}

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    """The plain content of the demo: everything but ciphertexts and account ids."""
    return {
        "regions": list(Region.objects.order_by("pk").values_list("pk", "name", "kind", "path", "latitude")),
        "units": list(
            Unit.objects.order_by("pk").values_list(
                "pk", "name", "kind", "industry", "uscc", "path", "street_id", "community_id", "address"
            )
        ),
        "organizations": list(
            Organization.objects.order_by("pk").values_list(
                "pk", "name", "kind", "build_method", "status", "path", "street_id"
            )
        ),
        "covered": sorted(
            Organization.covered_units.through.objects.values_list("organization_id", "unit_id")
        ),
        "people": [
            (p.pk, p.name, p.gender, p.id_number, p.mobile, p.political_status)
            for p in Person.objects.order_by("pk")
        ],
        "employments": list(
            Employment.objects.order_by("pk").values_list(
                "person_id", "unit_id", "job_type", "full_time", "start_date", "end_date"
            )
        ),
        "members": list(
            CommitteeMember.objects.order_by("pk").values_list("organization_id", "person_id", "post")
        ),
        "accounts": sorted(User.objects.values_list("username", "first_name")),
    }


def _load_and_snapshot(seed: int) -> dict:
    with transaction.atomic():
        load_demo(seed=seed, **SMALL)
        snapshot = _snapshot()
        transaction.set_rollback(True)  # back to an empty database for the next run
    return snapshot


@pytest.fixture
def demo():
    return load_demo(**SMALL)


def test_same_seed_gives_the_same_data():
    first = _load_and_snapshot(7)
    assert not Region.objects.exists()
    second = _load_and_snapshot(7)
    assert first == second
    other = _load_and_snapshot(8)
    assert other["people"] != first["people"]
    assert other["units"] != first["units"]


def test_counts(demo):
    assert demo["units"] == Unit.objects.count() == SMALL["units"]
    assert Person.objects.count() == demo["people"] == SMALL["workers"] + demo["officials"]
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


def test_no_accounts_option():
    counts = load_demo(with_accounts=False, **SMALL)
    assert "users" not in counts
    assert not User.objects.filter(is_demo=True).exists()


def test_if_empty_skips_a_loaded_database(demo):
    units = Unit.objects.count()
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert Unit.objects.count() == units
    assert "已有数据" in out.getvalue()


def test_refuses_a_loaded_database(demo):
    with pytest.raises(CommandError, match="already has data"):
        call_command("load_demo", "--units", "60", "--workers", "300", stdout=io.StringIO())


def test_command_loads_an_empty_database():
    out = io.StringIO()
    call_command("load_demo", "--units", "40", "--workers", "120", "--no-accounts", "--if-empty", stdout=out)
    assert Unit.objects.count() == 40
    assert not User.objects.exists()
    assert "demo data loaded" in out.getvalue()


def test_too_small_is_refused():
    with pytest.raises(CommandError):
        call_command("load_demo", "--units", "5", "--workers", "10", stdout=io.StringIO())
