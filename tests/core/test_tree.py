import pytest

from dangjian.core.tree import child_path
from dangjian.regions.models import Region
from dangjian.units.models import Unit
from tests.world import region, unit

pytestmark = pytest.mark.django_db


def test_paths_follow_the_tree_and_moves_re_root_descendants():
    district = region("龙华区", Region.Kind.DISTRICT)
    street_a = region("中山街道", Region.Kind.STREET, district)
    street_b = region("滨海街道", Region.Kind.STREET, district)
    head = unit("总公司", street_a)
    branch = unit("分公司", street_a, kind=Unit.Kind.BRANCH, parent=head)
    outlet = unit("网点", street_b, kind=Unit.Kind.OUTLET, parent=branch)
    assert outlet.path == child_path(child_path(child_path(None, head.pk), branch.pk), outlet.pk)
    assert set(head.subtree()) == {head, branch, outlet}
    assert outlet.ancestors() == [head, branch]

    other = unit("另一总公司", street_b)
    branch.parent = other
    branch.save()
    outlet.refresh_from_db()
    assert outlet.path == child_path(child_path(child_path(None, other.pk), branch.pk), outlet.pk)
    assert set(head.subtree()) == {head}


def test_ordering_by_path_keeps_siblings_in_creation_order():
    district = region("龙华区", Region.Kind.DISTRICT)
    streets = [region(f"街道{i}", Region.Kind.STREET, district) for i in range(12)]
    ordered = list(Region.objects.filter(kind=Region.Kind.STREET).order_by("path"))
    assert ordered == streets


def test_a_node_cannot_move_under_its_own_descendant():
    from django.core.exceptions import ValidationError

    district = region("龙华区", Region.Kind.DISTRICT)
    street = region("中山街道", Region.Kind.STREET, district)
    head = unit("总公司", street)
    branch = unit("分公司", street, kind=Unit.Kind.BRANCH, parent=head)
    head.parent = branch
    with pytest.raises(ValidationError):
        head.full_clean()


def test_tree_shapes_are_kept_by_the_database(world):
    from django.db import IntegrityError, transaction

    from dangjian.organizations.models import Organization

    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=world.units["shop_a"].pk).update(parent=world.units["hq_a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="无上级党支部", kind=Organization.Kind.BRANCH)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(
            name="第二个两新工委",
            kind=Organization.Kind.TWO_NEW_COMMITTEE,
            parent=world.organizations["root"],
        )
