"""Demo one-to-one help pledges (一对一帮扶, measure 4): about half the sitting committee members of
the party committees and working committees have pledged to help build an organization.

A street or town committee's members pledge for units of their street, a comprehensive committee's
for units of the industries it leads, the two-new working committee's anywhere; most targets are
units not yet covered, some an area (a community's office buildings, industrial park or delivery
stations). About one pledge in four is kept already: its unit is covered by an organization founded
after the pledge (the result). Each pledge has one to three dated progress notes. Deterministic
from the seed; written with bulk_create (and the history rows unless the large size skips them).
"""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict

from django.utils import timezone

from dangjian.core.bulk import write_history
from dangjian.coverage.models import Pledge, PledgeProgress
from dangjian.organizations.models import CommitteeIndustry, CommitteeMember, Organization
from dangjian.regions.models import Region
from dangjian.units.models import Unit

SEED_OFFSET = 4_004  # measure 4 (pledges): a stream of its own, so other parts' data stay as they are
SHARE_PLEDGED = 0.5
SHARE_BUILT = 0.25
SHARE_AREA = 0.15
PRIMARY_KINDS = (Organization.Kind.BRANCH, Organization.Kind.GENERAL_BRANCH, Organization.Kind.COMMITTEE)

AREA_NAMES = {
    Unit.KeyArea.OFFICE_BUILDING: (
        "海口国贸商圈",
        "金龙路商务楼宇",
        "龙华路商圈",
        "滨海大道写字楼群",
        "明珠广场商圈",
    ),
    Unit.KeyArea.INDUSTRIAL_PARK: ("复兴城互联网创新创业园", "金盘工业区", "城西物流园", "龙华电商产业园"),
    Unit.KeyArea.DELIVERY_STATION: ("辖区外卖配送站点", "快递驿站集中区", "同城配送服务站群"),
}
NOTES = (
    "走访企业负责人，宣讲党建工作要求",
    "摸排从业人员中的党员，建立党员名册",
    "对接属地街道工委，商议组建方式",
    "推荐党建指导员人选",
    "组织党员骨干座谈，了解组建意愿",
    "帮助落实党组织活动场所",
    "指导培养入党积极分子",
    "协调周边单位联合组建事宜",
    "召开筹备会议，明确筹备组成员",
)


def _moment(day: datetime.date) -> datetime.datetime:
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    return min(at, timezone.now())


def _coverage():
    """({unit id: [covering primary organizations (pk, founded_on)]}, set of covered unit ids)."""
    through = Organization.covered_units.through
    links = through.objects.filter(
        organization__kind__in=PRIMARY_KINDS,
        organization__status__in=[Organization.Status.ACTIVE, Organization.Status.PREPARING],
    ).values_list("unit_id", "organization_id", "organization__founded_on")
    covering = defaultdict(list)
    for unit_id, organization_id, founded_on in links:
        covering[unit_id].append((organization_id, founded_on))
    return covering


def load(*, seed: int, large: bool, stdout) -> dict[str, int]:
    rng = random.Random(seed + SEED_OFFSET)
    today = timezone.localdate()
    committees = {
        o.pk: o
        for o in Organization.objects.filter(kind__in=Pledge.COMMITTEE_KINDS).exclude(
            status=Organization.Status.DISSOLVED
        )
    }
    members = list(
        CommitteeMember.objects.filter(organization_id__in=committees, end_date__isnull=True).order_by("pk")
    )
    industries = defaultdict(set)
    for committee_id, industry in CommitteeIndustry.objects.values_list("committee_id", "industry"):
        industries[committee_id].add(industry)
    units = list(
        Unit.objects.filter(street__isnull=False)
        .exclude(operating_status__in=[Unit.OperatingStatus.CLOSED, Unit.OperatingStatus.DEREGISTERED])
        .order_by("pk")
        .values_list("pk", "street_id", "industry")
    )
    covering = _coverage()
    by_street, by_industry = defaultdict(list), defaultdict(list)
    for pk, street_id, industry in units:
        by_street[street_id].append(pk)
        by_industry[industry].append(pk)
    communities = defaultdict(list)
    for pk, parent_id in Region.objects.filter(kind=Region.Kind.COMMUNITY).values_list("pk", "parent_id"):
        communities[parent_id].append(pk)
    all_units = [pk for pk, _, _ in units]

    def pool(committee: Organization) -> list[int]:
        if committee.kind == Organization.Kind.COMPREHENSIVE_COMMITTEE and industries[committee.pk]:
            return [pk for industry in sorted(industries[committee.pk]) for pk in by_industry[industry]]
        if committee.street_id:
            return by_street[committee.street_id]
        return all_units

    pledges: list[Pledge] = []
    notes: list[tuple[Pledge, list[tuple[datetime.date, str]]]] = []
    taken: set[int] = set()
    # Who pledged: half the sitting members of every committee (rounded up, so each committee's
    # list shows some), drawn first; the rest of the stream picks the targets.
    seats = defaultdict(list)
    for index, member in enumerate(members):
        seats[member.organization_id].append(index)
    pledging = {
        index
        for committee_id in sorted(seats)
        for index in rng.sample(seats[committee_id], math.ceil(len(seats[committee_id]) * SHARE_PLEDGED))
    }
    for index, member in enumerate(members):
        if index not in pledging:
            continue
        committee = committees[member.organization_id]
        candidates = pool(committee)
        if not candidates:
            continue
        roll = rng.random()
        built = []
        if roll < SHARE_BUILT:
            # Kept: a unit covered by an organization founded after the member took office.
            built = [
                (pk, org, founded)
                for pk in rng.sample(candidates, min(len(candidates), 2_000))
                for org, founded in covering.get(pk, ())
                if pk not in taken
                and founded
                and member.start_date + datetime.timedelta(days=30) < founded <= today
            ]
        if built:
            unit_id, organization_id, founded = built[0]
            earliest = max(member.start_date, founded - datetime.timedelta(days=365))
            pledged_on = earliest + datetime.timedelta(
                days=rng.randrange(max((founded - earliest).days - 14, 1))
            )
            pledge = Pledge(
                committee_member_id=member.pk,
                pledged_on=pledged_on,
                target_unit_id=unit_id,
                status=Pledge.Status.BUILT,
                result_organization_id=organization_id,
                result_on=founded,
            )
        else:
            start = max(member.start_date, today - datetime.timedelta(days=540))
            span = max((today - start).days - 20, 1)
            pledged_on = min(start + datetime.timedelta(days=rng.randrange(span)), today)
            pledge = Pledge(committee_member_id=member.pk, pledged_on=pledged_on)
        if pledge.target_unit_id is None and roll > 1 - SHARE_AREA and committee.street_id:
            key_area = rng.choice(list(AREA_NAMES))
            places = communities.get(committee.street_id) or [committee.street_id]
            pledge.target_region_id = rng.choice(places)
            pledge.target_key_area = key_area
            pledge.target_description = rng.choice(AREA_NAMES[key_area])
        if pledge.target_unit_id is None and pledge.target_region_id is None:
            sample = [pk for pk in rng.sample(candidates, min(len(candidates), 40)) if pk not in taken]
            open_units = [pk for pk in sample if pk not in covering]  # mostly units still to be covered
            pledge.target_unit_id = (open_units or sample or candidates)[0]
        if pledge.target_unit_id:
            taken.add(pledge.target_unit_id)
        pledge._history_date = _moment(pledged_on)
        pledges.append(pledge)
        last = min(pledge.result_on or today, today)
        days = max((last - pledged_on).days, 1)
        dates = sorted(
            {pledged_on + datetime.timedelta(days=rng.randrange(days)) for _ in range(rng.randint(1, 3))}
        )
        notes.append((pledge, [(day, rng.choice(NOTES)) for day in dates]))

    Pledge.objects.bulk_create(pledges, batch_size=2_000)  # sets the keys (RETURNING)
    progress = [
        PledgeProgress(pledge_id=pledge.pk, noted_on=day, note=text)
        for pledge, dated in notes
        for day, text in dated
    ]
    PledgeProgress.objects.bulk_create(progress, batch_size=5_000)
    if not large:
        write_history(Pledge, pledges)
    built = sum(1 for p in pledges if p.status == Pledge.Status.BUILT)
    if stdout is not None:
        stdout.write(
            f"  one-to-one help: {len(pledges):,} pledges of {len(members):,} committee members "
            f"({built:,} kept), {len(progress):,} progress notes"
        )
    return {"pledges": len(pledges), "pledge_progress": len(progress)}
