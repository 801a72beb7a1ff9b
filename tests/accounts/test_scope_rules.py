import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError

from dangjian.accounts.models import Role, RoleAssignment, User
from dangjian.accounts.scope import can_see, visible_to
from dangjian.organizations.models import Organization
from dangjian.people.models import Person
from dangjian.units.models import Unit

pytestmark = pytest.mark.django_db


def _unit_names(user):
    return set(visible_to(user, Unit.objects.all()).values_list("name", flat=True))


def test_street_staff_see_their_streets_units(world):
    assert _unit_names(world.users["street_a"]) == {"甲外卖总公司", "甲外卖中山站", "中山便民配送店"}
    assert _unit_names(world.users["street_b"]) == {"甲外卖滨海站", "滨海直播工作室", "滨海快递网点"}


def test_committee_staff_see_the_industries_they_lead(world):
    assert _unit_names(world.users["committee_staff"]) == {"滨海快递网点"}
    organizations = visible_to(world.users["committee_staff"], Organization.objects.all())
    assert set(organizations.values_list("name", flat=True)) == {"快递物流行业综合党委"}


def test_secretary_sees_the_organization_subtree_and_its_covered_units(world):
    secretary = world.users["branch_secretary"]
    assert _unit_names(secretary) == {"甲外卖中山站", "中山便民配送店"}
    assert set(visible_to(secretary, Organization.objects.all()).values_list("name", flat=True)) == {
        "中山外卖联合党支部"
    }


def test_liaison_sees_the_head_company_and_everything_below_it(world):
    assert _unit_names(world.users["liaison"]) == {"甲外卖总公司", "甲外卖中山站", "甲外卖滨海站"}


def test_worker_sees_only_the_own_record(world):
    worker = world.users["worker"]
    assert _unit_names(worker) == set()
    assert list(visible_to(worker, Person.objects.all())) == [world.people["worker"]]


def test_people_follow_the_units_they_work_at(world):
    names = set(visible_to(world.users["street_b"], Person.objects.all()).values_list("name", flat=True))
    assert names == {"符海燕", "陈快递"}


def test_district_admin_and_superuser_see_everything(world):
    everything = Unit.objects.count()
    assert visible_to(world.users["district_admin"], Unit.objects.all()).count() == everything
    root = User.objects.create_superuser("root", password="x-very-long-pass")
    assert visible_to(root, Unit.objects.all()).count() == everything


def test_no_role_inactive_or_anonymous_means_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    nobody = User.objects.create_user("nobody", password="x-very-long-pass")
    assert not visible_to(nobody, Unit.objects.all()).exists()
    inactive = world.users["street_a"]
    inactive.is_active = False
    assert not visible_to(inactive, Unit.objects.all()).exists()
    assert not visible_to(AnonymousUser(), Unit.objects.all()).exists()


def test_a_model_without_a_rule_is_refused():
    with pytest.raises(ImproperlyConfigured, match="no scope rule"):
        visible_to(User(), Group.objects.all())


def test_can_see(world):
    assert can_see(world.users["street_a"], world.units["shop_a"])
    assert not can_see(world.users["street_a"], world.units["plain_b"])


def test_a_role_must_be_bound_to_its_own_kind_of_scope(world):
    user = User.objects.create_user("mixed", password="x-very-long-pass")
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=user, role=Role.STREET_STAFF, unit=world.units["shop_a"])


def test_the_scope_is_resolved_once_per_user_object(world, django_assert_num_queries):
    user = User.objects.get(username="street_a")
    visible_to(user, Unit.objects.all())
    with django_assert_num_queries(0):
        visible_to(user, Unit.objects.all())
