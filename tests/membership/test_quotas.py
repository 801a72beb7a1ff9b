"""Development quotas (发展党员指标): allocation down the tree, one unit per admission, no quota
left, no admission."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.membership.models import DevelopmentQuota, QuotaUse
from dangjian.membership.quotas import (
    NoQuota,
    QuotaError,
    QuotaExhausted,
    allocate_quota,
    holder_quota,
    quota_table,
    release_quota_use,
    remaining,
    use_quota,
)
from dangjian.organizations.models import Organization
from tests.world import organization, person

YEAR = 2031  # not the current year: the world holds this year's quotas
DAY = datetime.date(2031, 5, 20)


def _district_quota(world, amount=10):
    return allocate_quota(
        actor=world.users["district_admin"],
        organization=world.organizations["root"],
        year=YEAR,
        amount=amount,
    )


@pytest.mark.django_db
def test_admission_uses_the_nearest_committee_quota_and_is_refused_when_none_is_left(world):
    _district_quota(world, 10)
    committee_a = world.organizations["committee_a"]
    quota_a = allocate_quota(
        actor=world.users["district_admin"], organization=committee_a, year=YEAR, amount=2
    )
    branch = world.organizations["branch_a"]
    first, second, third = person("申请一"), person("申请二"), person("申请三")

    use = use_quota(
        organization=branch, year=YEAR, person=first, actor=world.users["branch_secretary"], used_on=DAY
    )
    assert use.quota == quota_a and use.organization == branch and use.used_on == DAY
    use_quota(organization=branch, year=YEAR, person=second, actor=None, used_on=DAY)
    assert remaining(quota_a) == 0

    with pytest.raises(QuotaExhausted) as refused:
        use_quota(organization=branch, year=YEAR, person=third, actor=None, used_on=DAY)
    assert isinstance(refused.value, ValidationError)  # views catch it like any refusal
    message = " ".join(refused.value.messages)
    assert "中山街道工委" in message and "2031" in message
    assert QuotaUse.objects.filter(quota=quota_a).count() == 2
    # The district's own units are not touched by the committee's admissions.
    assert remaining(DevelopmentQuota.objects.get(organization=world.organizations["root"], year=YEAR)) == 8


@pytest.mark.django_db
def test_committee_without_its_own_quota_admits_on_the_quota_above(world):
    _district_quota(world, 3)
    use = use_quota(
        organization=world.organizations["branch_b"], year=YEAR, person=person("申请四"), actor=None
    )
    assert use.quota.organization == world.organizations["root"]
    assert holder_quota(world.organizations["branch_b"], YEAR).pk == use.quota_id


@pytest.mark.django_db
def test_no_quota_for_the_year_means_no_admission(world):
    _district_quota(world, 3)
    with pytest.raises(NoQuota):
        use_quota(
            organization=world.organizations["branch_a"], year=YEAR + 1, person=person("申请五"), actor=None
        )
    assert not QuotaUse.objects.filter(quota__year=YEAR + 1).exists()


@pytest.mark.django_db
def test_one_person_uses_one_unit_per_year(world):
    _district_quota(world, 5)
    member = person("申请六")
    use_quota(organization=world.organizations["branch_a"], year=YEAR, person=member, actor=None)
    with pytest.raises(QuotaError):
        use_quota(organization=world.organizations["branch_a"], year=YEAR, person=member, actor=None)
    assert QuotaUse.objects.filter(person=member).count() == 1


@pytest.mark.django_db
def test_allocation_onward_never_exceeds_the_givers_amount(world):
    admin = world.users["district_admin"]
    root = _district_quota(world, 10)
    allocate_quota(actor=admin, organization=world.organizations["committee_a"], year=YEAR, amount=6)
    with pytest.raises(QuotaError) as refused:
        allocate_quota(actor=admin, organization=world.organizations["committee_b"], year=YEAR, amount=5)
    assert "4" in " ".join(refused.value.messages)  # what was left to allocate
    assert not DevelopmentQuota.objects.filter(
        organization=world.organizations["committee_b"], year=YEAR
    ).exists()
    allocate_quota(actor=admin, organization=world.organizations["committee_b"], year=YEAR, amount=4)
    assert remaining(root) == 0
    # Raising an existing allocation counts the rest only once (its own old amount is replaced).
    with pytest.raises(QuotaError):
        allocate_quota(actor=admin, organization=world.organizations["committee_a"], year=YEAR, amount=7)
    allocate_quota(actor=admin, organization=world.organizations["committee_a"], year=YEAR, amount=6)
    assert (
        DevelopmentQuota.objects.get(organization=world.organizations["committee_a"], year=YEAR).amount == 6
    )


@pytest.mark.django_db
def test_the_givers_own_uses_count_against_allocation(world):
    admin = world.users["district_admin"]
    _district_quota(world, 3)
    use_quota(organization=world.organizations["branch_b"], year=YEAR, person=person("申请七"), actor=None)
    with pytest.raises(QuotaError):
        allocate_quota(actor=admin, organization=world.organizations["committee_a"], year=YEAR, amount=3)
    allocate_quota(actor=admin, organization=world.organizations["committee_a"], year=YEAR, amount=2)


@pytest.mark.django_db
def test_a_quota_cannot_drop_below_what_it_gave_and_used(world):
    admin = world.users["district_admin"]
    _district_quota(world, 10)
    committee_a = world.organizations["committee_a"]
    allocate_quota(actor=admin, organization=committee_a, year=YEAR, amount=4)
    primary = organization("中山某公司党委", Organization.Kind.COMMITTEE, committee_a, street=world.street_a)
    allocate_quota(actor=world.users["street_a"], organization=primary, year=YEAR, amount=2)
    use_quota(organization=world.organizations["branch_a"], year=YEAR, person=person("申请八"), actor=None)
    with pytest.raises(QuotaError):
        allocate_quota(actor=admin, organization=committee_a, year=YEAR, amount=2)
    allocate_quota(actor=admin, organization=committee_a, year=YEAR, amount=3)
    with pytest.raises(QuotaError):
        _district_quota(world, 2)


@pytest.mark.django_db
def test_who_may_allocate(world):
    _district_quota(world, 10)
    committee_a = world.organizations["committee_a"]
    # Only the district sets its own total and allocates from it.
    with pytest.raises(PermissionDenied):
        _district_quota_by(world, "street_a")
    with pytest.raises(PermissionDenied):
        allocate_quota(actor=world.users["street_a"], organization=committee_a, year=YEAR, amount=2)
    allocate_quota(actor=world.users["district_admin"], organization=committee_a, year=YEAR, amount=5)
    primary = organization("中山某公司党委", Organization.Kind.COMMITTEE, committee_a, street=world.street_a)
    # The street allocates onward from its street committee's quota; the other street may not.
    with pytest.raises(PermissionDenied):
        allocate_quota(actor=world.users["street_b"], organization=primary, year=YEAR, amount=1)
    quota = allocate_quota(actor=world.users["street_a"], organization=primary, year=YEAR, amount=1)
    assert quota.parent.organization == committee_a


def _district_quota_by(world, persona):
    return allocate_quota(
        actor=world.users[persona], organization=world.organizations["root"], year=YEAR, amount=99
    )


@pytest.mark.django_db
def test_branches_hold_no_quota(world):
    _district_quota(world, 10)
    with pytest.raises(QuotaError):
        allocate_quota(actor=None, organization=world.organizations["branch_a"], year=YEAR, amount=1)


@pytest.mark.django_db
def test_a_released_unit_goes_back(world):
    _district_quota(world, 1)
    use = use_quota(
        organization=world.organizations["branch_a"], year=YEAR, person=person("申请九"), actor=None
    )
    with pytest.raises(QuotaExhausted):
        use_quota(
            organization=world.organizations["branch_a"], year=YEAR, person=person("申请十"), actor=None
        )
    with pytest.raises(QuotaError):
        release_quota_use(actor=None, use=use, reason=" ")
    release_quota_use(actor=world.users["district_admin"], use=use, reason="录入错误")
    use_quota(organization=world.organizations["branch_a"], year=YEAR, person=person("申请十一"), actor=None)


@pytest.mark.django_db
def test_the_table_figures_are_computed_in_sql(world, django_assert_max_num_queries):
    admin = world.users["district_admin"]
    _district_quota(world, 10)
    allocate_quota(actor=admin, organization=world.organizations["committee_a"], year=YEAR, amount=4)
    use_quota(organization=world.organizations["branch_a"], year=YEAR, person=person("申请十二"), actor=None)
    use_quota(organization=world.organizations["branch_b"], year=YEAR, person=person("申请十三"), actor=None)
    with django_assert_max_num_queries(3):
        rows = {
            row.organization.name: (row.amount, row.onward, row.used, row.remaining)
            for row in quota_table(admin, year=YEAR)
        }
    assert rows == {"两新工委": (10, 4, 1, 5), "中山街道工委": (4, 0, 1, 3)}
    # Scope: the street sees its street committee's quota only.
    assert [q.organization.name for q in quota_table(world.users["street_a"], year=YEAR)] == ["中山街道工委"]
    assert list(quota_table(world.users["street_b"], year=YEAR)) == []


@pytest.mark.django_db
def test_quota_pages(client, world):
    """This year's quotas of the world: the district 20, 中山街道工委 5 (one used)."""
    admin = world.users["district_admin"]
    year = timezone.localdate().year
    root = DevelopmentQuota.objects.get(organization=world.organizations["root"], year=year)
    client.force_login(admin)
    committee_b = world.organizations["committee_b"]
    response = client.post(
        f"/membership/quotas/{root.pk}/allocate/", {"organization": committee_b.pk, "amount": 16}
    )
    assert response.status_code == 200  # refused (15 left), shown on the form
    assert "15" in response.content.decode()
    assert not DevelopmentQuota.objects.filter(organization=committee_b).exists()
    response = client.post(
        f"/membership/quotas/{root.pk}/allocate/", {"organization": committee_b.pk, "amount": 3}
    )
    assert response.status_code == 302
    assert DevelopmentQuota.objects.get(organization=committee_b).amount == 3
    page = client.get(f"/membership/quotas/?year={year}").content.decode()
    assert "滨海街道工委" in page
    home = client.get("/").content.decode()
    assert 'data-testid="quota-card"' in home and "滨海街道工委" in home
    assert client.get(f"/membership/quotas/export.xlsx?year={year}").status_code == 200
    # The street sees its committee's quota, with the admission on it, and not the district's.
    client.force_login(world.users["street_a"])
    assert client.get(f"/membership/quotas/{root.pk}/").status_code == 404
    assert client.get(f"/membership/quotas/{root.pk}/allocate/").status_code == 404
    own = DevelopmentQuota.objects.get(organization=world.organizations["committee_a"], year=year)
    detail = client.get(f"/membership/quotas/{own.pk}/").content.decode()
    assert "李书记" in detail and 'data-testid="quota-remaining">4<' in detail
    # The liaison sees no admissions' names.
    client.force_login(world.users["liaison"])
    assert "李书记" not in client.get(f"/membership/quotas/?year={year}").content.decode()
    # Only the district sets its total.
    assert client.get("/membership/quotas/district/").status_code == 403
