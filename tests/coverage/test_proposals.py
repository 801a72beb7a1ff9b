"""The joint-build planner's review workflow: run it for an area, edit a group under the planner's
own rules, accept (the joint branch is created in preparation and its units turn covered), decline
(not proposed again unchanged, proposed again once a fact changes), and who may do what."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dangjian.core.models import AuditEvent
from dangjian.coverage import proposals
from dangjian.coverage.models import DeclinedGrouping, JointBuildProposal, ProposedGroup
from dangjian.coverage.queries import annotate_coverage
from dangjian.organizations.models import Organization
from dangjian.people.models import Person
from dangjian.units.models import Unit
from tests.world import person, unit

pytestmark = pytest.mark.django_db

# Around 中山街道 (Haikou): 0.001° of latitude is about 111 m.
LAT, LON = 20.0300, 110.3300


def small_unit(name, street, *, north_m=0, east_m=0, members=1, **fields):
    """A unit at a position (metres from the reference point) with ``members`` full members."""
    obj = unit(
        name,
        street,
        latitude=Decimal(f"{LAT + north_m / 111_000:.6f}"),
        longitude=Decimal(f"{LON + east_m / 104_000:.6f}"),
        **fields,
    )
    for i in range(members):
        add_full_member(obj, f"{name}党员{i}")
    return obj


def add_full_member(at: Unit, name: str) -> Person:
    worker = person(name, works_at=at)
    worker.political_status = Person.PoliticalStatus.FULL_MEMBER
    worker.save()
    return worker


@pytest.fixture
def cluster(world):
    """Four small units of 中山街道 within 600 m of each other, one full member each."""
    return [
        small_unit(f"中山小店{i}", world.street_a, north_m=200 * (i % 2), east_m=200 * (i // 2))
        for i in range(4)
    ]


def ids(units) -> frozenset[int]:
    return frozenset(u.pk for u in units)


def planned_sets(proposal) -> list[frozenset[int]]:
    return [frozenset(g.units.values_list("pk", flat=True)) for g in proposal.groups.all()]


def test_street_staff_plan_their_street_and_an_accepted_group_is_covered(client, world, cluster):
    staff = world.users["street_a"]
    client.force_login(staff)
    before = list(JointBuildProposal.objects.values_list("pk", flat=True))
    response = client.post(reverse("coverage:proposal_run"), {"street": world.street_a.pk, "key_area": ""})
    proposal = JointBuildProposal.objects.exclude(pk__in=before).get()
    assert response["Location"] == f"/coverage/planner/{proposal.pk}/"
    assert proposal.status == JointBuildProposal.Status.READY and proposal.street == world.street_a
    assert proposal.parameters == {"min_full_members": 3, "max_units": 5, "max_distance_m": 1500}
    assert planned_sets(proposal) == [ids(cluster)]  # all four fit in one group: 4 units, 4 members
    group = proposal.groups.get()
    assert group.distance_m > 0

    page = client.get(reverse("coverage:group_detail", kwargs={"proposedgroup_pk": group.pk}))
    assert page.status_code == 200 and page.context["state"]["problems"] == []
    response = client.post(
        reverse("coverage:group_accept", kwargs={"proposedgroup_pk": group.pk}),
        {"name": "中山小店联合党支部"},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    branch = group.organization
    assert group.status == ProposedGroup.Status.ACCEPTED and group.decided_by == staff
    assert (branch.name, branch.kind, branch.build_method, branch.status) == (
        "中山小店联合党支部",
        Organization.Kind.BRANCH,
        Organization.BuildMethod.JOINT,
        Organization.Status.PREPARING,
    )
    assert branch.parent == world.organizations["committee_a"] and branch.street == world.street_a
    assert ids(branch.covered_units.all()) == ids(cluster)
    assert AuditEvent.objects.filter(object_id=branch.pk, action="created", actor=staff).exists()

    covered = annotate_coverage(Unit.objects.filter(pk__in=ids(cluster)))
    assert {(u.coverage_status, u.org_preparing) for u in covered} == {("organizational", True)}
    # Covered now: a new run has nothing left to group here.
    again = proposals.start_proposal(actor=staff, street=world.street_a)
    assert planned_sets(again) == []


def test_edits_are_checked_with_the_planners_rules(world, cluster):
    staff = world.users["street_a"]
    far = small_unit("中山远处网点", world.street_a, north_m=5000)
    other_street = small_unit("滨海小店", world.street_b, east_m=300)
    big = small_unit("中山大店", world.street_a, east_m=100, members=3)  # can build its own
    proposal = proposals.start_proposal(actor=staff, street=world.street_a)
    group = proposal.groups.get()
    a, b, c, d = cluster

    state = proposals.remove_unit(actor=staff, group=group, unit=d)
    assert state["problems"] == [] and state["full_members"] == 3
    state = proposals.remove_unit(actor=staff, group=group, unit=c)
    assert state["problems"] == ["正式党员合计不足 3 名。"]  # in the user's language
    with pytest.raises(ValidationError):  # not acceptable as it is
        proposals.accept_group(actor=staff, group=group)
    state = proposals.add_unit(actor=staff, group=group, unit=far)
    assert "有单位彼此相距超过 1.5 公里。" in state["problems"]
    proposals.remove_unit(actor=staff, group=group, unit=far)
    for refused in (other_street, big):
        with pytest.raises(ValidationError):
            proposals.add_unit(actor=staff, group=group, unit=refused)
    state = proposals.add_unit(actor=staff, group=group, unit=c)
    assert state["problems"] == []
    group.refresh_from_db()
    assert group.edited and ids(group.units.all()) == ids([a, b, c])
    edits = AuditEvent.objects.filter(
        content_type__model="proposedgroup", object_id=group.pk, action="updated"
    )
    assert edits.count() == 5 and edits.first().changes["units"][1] == "中山小店0、中山小店1、中山小店2"
    proposals.remove_unit(actor=staff, group=group, unit=b)
    proposals.remove_unit(actor=staff, group=group, unit=c)
    with pytest.raises(ValidationError):  # the last unit stays: decline the group instead
        proposals.remove_unit(actor=staff, group=group, unit=a)


def test_a_unit_covered_meanwhile_stops_the_acceptance(world, cluster):
    staff = world.users["street_a"]
    first = proposals.start_proposal(actor=staff, street=world.street_a).groups.get()
    second = proposals.start_proposal(actor=staff, street=world.street_a).groups.get()
    proposals.accept_group(actor=staff, group=first, name="甲")
    with pytest.raises(ValidationError):
        proposals.accept_group(actor=staff, group=second, name="乙")
    assert not Organization.objects.filter(name="乙").exists()
    with pytest.raises(ValidationError):  # decided already
        proposals.decline_group(actor=staff, group=first)


def test_declined_is_not_proposed_again_unchanged_but_after_a_fact_changes(world, cluster):
    staff = world.users["street_a"]
    group = proposals.start_proposal(actor=staff, street=world.street_a).groups.get()
    declined = proposals.decline_group(actor=staff, group=group, reason="两家店即将搬迁")
    assert declined.unit_ids == ids(cluster) and declined.street == world.street_a
    assert declined.facts == {
        str(u.pk): [1, float(u.latitude), float(u.longitude)] for u in sorted(cluster, key=lambda u: u.pk)
    }

    # Unchanged: the four together are not proposed again (three of them still may be).
    again = planned_sets(proposals.start_proposal(actor=staff, street=world.street_a))
    assert ids(cluster) not in again
    assert [len(s) for s in again] == [3]

    # A member joins one of the units: the facts changed, so the four may be proposed again.
    add_full_member(cluster[0], "新入职党员")
    after = planned_sets(proposals.start_proposal(actor=staff, street=world.street_a))
    assert after == [ids(cluster)]
    # Declining again replaces the remembered facts, one row per set.
    latest = JointBuildProposal.objects.order_by("-pk").first().groups.get()
    proposals.decline_group(actor=staff, group=latest)
    assert DeclinedGrouping.objects.get().facts[str(cluster[0].pk)][0] == 2


def test_the_district_plans_the_whole_district_in_the_background(
    client, world, cluster, django_capture_on_commit_callbacks
):
    b_units = [small_unit(f"滨海小店{i}", world.street_b, north_m=3000 + 150 * i) for i in range(3)]
    client.force_login(world.users["district_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coverage:proposal_run"), {"street": "", "key_area": ""})
    proposal = JointBuildProposal.objects.order_by("-pk").first()
    assert response["Location"] == f"/coverage/planner/{proposal.pk}/"
    proposal.refresh_from_db()
    assert proposal.street is None and proposal.status == JointBuildProposal.Status.READY
    assert sorted(planned_sets(proposal), key=len) == [ids(b_units), ids(cluster)]
    assert {g.street_id for g in proposal.groups.all()} == {world.street_a.pk, world.street_b.pk}
    assert proposals.progress_of(proposal) == (2, 2)  # both streets with open units planned
    page = client.get(reverse("coverage:proposal_detail", kwargs={"jointbuildproposal_pk": proposal.pk}))
    assert page.context["summary"]["units"] == 7 and 'id="proposal-map-data"' in page.content.decode()


def test_a_key_area_run_plans_only_that_key_area(world, cluster):
    stations = [
        small_unit(f"中山配送站{i}", world.street_a, north_m=2500 + 100 * i, key_area="delivery_station")
        for i in range(3)
    ]
    proposal = proposals.start_proposal(
        actor=world.users["district_admin"], street=world.street_a, key_area="delivery_station"
    )
    assert planned_sets(proposal) == [ids(stations)]
    assert proposal.area_label == "中山街道 · 配送服务站"


@pytest.mark.parametrize("persona", ["street_b", "committee_staff", "branch_secretary", "liaison", "worker"])
def test_others_cannot_see_or_decide_a_streets_proposal(client, world, cluster, persona):
    proposal = proposals.start_proposal(actor=world.users["street_a"], street=world.street_a)
    group = proposal.groups.get()
    client.force_login(world.users[persona])
    assert (
        client.get(
            reverse("coverage:proposal_detail", kwargs={"jointbuildproposal_pk": proposal.pk})
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("coverage:group_detail", kwargs={"proposedgroup_pk": group.pk})).status_code == 404
    )
    accept = reverse("coverage:group_accept", kwargs={"proposedgroup_pk": group.pk})
    assert client.post(accept, {"name": "越权"}).status_code == 404
    # Nor run the planner for that street (or the district).
    for street in (world.street_a.pk, ""):
        assert client.post(reverse("coverage:proposal_run"), {"street": street}).status_code == 400
    assert JointBuildProposal.objects.filter(street=world.street_a).count() == 2  # the world's and this one
    with pytest.raises(PermissionDenied):
        proposals.start_proposal(actor=world.users[persona], street=world.street_a)
    with pytest.raises(PermissionDenied):
        proposals.accept_group(actor=world.users[persona], group=group)


def test_a_street_without_a_working_committee_cannot_accept(world):
    town = world.district.children.get(name="新坡镇")
    units = [small_unit(f"新坡小店{i}", town, north_m=100 * i) for i in range(3)]
    group = proposals.start_proposal(actor=world.users["district_admin"], street=town).groups.get()
    assert ids(group.units.all()) == ids(units)
    with pytest.raises(ValidationError, match="没有登记街道工委"):
        proposals.accept_group(actor=world.users["district_admin"], group=group)
    assert group.units.first().organizations.count() == 0


def test_suggested_name_is_the_place_and_what_the_units_share(world, cluster):
    group = proposals.start_proposal(actor=world.users["street_a"], street=world.street_a).groups.get()
    assert proposals.suggested_name(group) == "中山街道外卖联合党支部"
    Organization.objects.create(
        name="中山街道外卖联合党支部",
        kind=Organization.Kind.BRANCH,
        parent=world.organizations["committee_a"],
        path="x",
    )
    assert proposals.suggested_name(group) == "中山街道外卖联合党支部（2）"


def test_proposal_export_has_a_row_per_unit(client, world, cluster):
    from tests.spreadsheets.test_writer import first_sheet

    proposal = proposals.start_proposal(actor=world.users["street_a"], street=world.street_a)
    client.force_login(world.users["street_a"])
    rows = first_sheet(
        client.get(reverse("coverage:proposal_export", kwargs={"jointbuildproposal_pk": proposal.pk})).content
    )
    assert sorted(row[3] for row in rows[2:]) == sorted(u.name for u in cluster)
    assert {row[6] for row in rows[2:]} == {1}
