"""Demo data for mobile party members (流动党员, measure 5).

Members' organizations (``Person.party_organization``) come from organizations/demo_leadership.py,
which runs before this part.

1. Mobile members, about one member in twelve: most came from their home county with their
   organization relation left there (``outside_affiliation``, most with a mobile member
   certificate) and take part in the life of the organization covering their unit; some belong to
   another organization in the district and take part where they work now. Most went away within
   the last five months; a few have stayed at a fixed place for more than six months (flag:
   transfer the relation), a few have not been in contact for more than six months (flag: out of
   contact), a few move about with no fixed place.
2. A few workers with an open disclosure follow-up get a mobile-member record without a
   participation: the organization brings them in from "Disclosures to bring in".

Deterministic from the seed; bulk inserts with their history rows (not for the large size).
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Max
from django.utils import timezone

from dangjian.core.bulk import write_history
from dangjian.membership.mobile import add_months
from dangjian.membership.models import MobileMember, Participation
from dangjian.organizations.models import Organization
from dangjian.people.models import DisclosureFollowUp, Employment, Person
from dangjian.units.models import Unit

SEED_OFFSET = 5_052
MEMBER_STATUSES = (Person.PoliticalStatus.FULL_MEMBER, Person.PoliticalStatus.PROBATIONARY_MEMBER)
UNIT_KINDS = (Organization.Kind.BRANCH, Organization.Kind.GENERAL_BRANCH, Organization.Kind.COMMITTEE)
SHARE = 1 / 12
MOST = 3_000  # at the large size too: a list, not a census

# Home counties of workers come from elsewhere in Hainan and the neighbouring provinces.
HOME_ORGANIZATIONS = (
    ("文昌市", ("文城镇", "会文镇", "东郊镇", "铺前镇")),
    ("琼海市", ("嘉积镇", "博鳌镇", "长坡镇")),
    ("万宁市", ("万城镇", "和乐镇", "后安镇")),
    ("定安县", ("定城镇", "岭口镇", "龙河镇")),
    ("屯昌县", ("屯城镇", "南坤镇")),
    ("澄迈县", ("金江镇", "老城镇", "永发镇")),
    ("临高县", ("临城镇", "博厚镇")),
    ("儋州市", ("那大镇", "白马井镇", "中和镇")),
    ("东方市", ("八所镇", "感城镇")),
    ("乐东黎族自治县", ("抱由镇", "黄流镇")),
    ("湛江市遂溪县", ("遂城镇", "黄略镇")),
    ("湛江市廉江市", ("罗州街道", "石城镇")),
    ("玉林市陆川县", ("温泉镇", "大桥镇")),
    ("邵阳市邵东市", ("两市塘街道", "廉桥镇")),
)
VILLAGES = ("东村", "南山村", "新坡村", "龙塘村", "上坡村", "田心村", "大园村", "排坡村")


def _moment() -> datetime.datetime:
    """When these rows are recorded: just after the people's latest history row, and not before
    today began. The same on every run with the same seed (the demo's own dates are), and after
    what earlier parts recorded, so a person's latest history row is their state now."""
    start_of_today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    latest = Person.history.model.objects.aggregate(latest=Max("history_date"))["latest"]
    return max(start_of_today, latest + datetime.timedelta(microseconds=1)) if latest else start_of_today


def _home_branch(rng: random.Random) -> str:
    county, towns = rng.choice(HOME_ORGANIZATIONS)
    return f"中共{county}{rng.choice(towns)}{rng.choice(VILLAGES)}支部委员会"


def load(*, seed: int, large: bool, stdout) -> dict[str, int]:
    rng = random.Random(seed + SEED_OFFSET)
    today = timezone.localdate()
    now = _moment()
    # History rows only when the census wrote them (not for the large size or ``with_history=False``).
    with_history = Unit.history.model.objects.exists()

    covering: dict[int, int] = {}
    for unit_id, organization_id in (
        Organization.covered_units.through.objects.filter(
            organization__status=Organization.Status.ACTIVE, organization__kind__in=UNIT_KINDS
        )
        .order_by("unit_id", "organization__path")
        .values_list("unit_id", "organization_id")
    ):
        covering.setdefault(unit_id, organization_id)
    branches = list(
        Organization.objects.filter(status=Organization.Status.ACTIVE, kind__in=UNIT_KINDS)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    # Members working now at a covered unit: (person, unit, start, organization, street name).
    rows = list(
        Employment.objects.filter(
            end_date__isnull=True, person__political_status__in=MEMBER_STATUSES, unit_id__in=list(covering)
        )
        .order_by("person_id", "start_date", "id")
        .values_list(
            "person_id", "unit_id", "start_date", "person__party_organization_id", "unit__street__name"
        )
    )
    seen, candidates = set(), []
    for person_id, unit_id, start, organization_id, street in rows:
        if person_id not in seen:
            seen.add(person_id)
            candidates.append((person_id, unit_id, start, organization_id, street or "龙华区"))
    with_follow_up = set(
        DisclosureFollowUp.objects.filter(status=DisclosureFollowUp.Status.OPEN).values_list(
            "person_id", flat=True
        )
    )
    target = min(MOST, max(12, round(len(candidates) * SHARE)))
    rng.shuffle(candidates)
    recent_cut = today - datetime.timedelta(days=150)
    recent = [c for c in candidates if c[2] >= recent_cut and c[0] not in with_follow_up]
    older = [c for c in candidates if c[2] < recent_cut and c[0] not in with_follow_up]
    picked = recent[: round(target * 0.7)]
    picked += older[: target - len(picked)]

    members: list[MobileMember] = []
    participations: list[tuple[MobileMember, int, datetime.date]] = []
    people_changed: list[Person] = []
    flagged_transfer = flagged_contact = 0
    for i, (person_id, unit_id, start, organization_id, street) in enumerate(picked):
        away_since = min(start, today) - datetime.timedelta(days=rng.randint(0, 45))
        member = MobileMember(person_id=person_id, away_since=away_since)
        inflow = covering[unit_id]
        from_outside = rng.random() < 0.6 or not branches
        if from_outside:
            member.outside_affiliation = _home_branch(rng)
            if organization_id is not None:
                people_changed.append(Person(pk=person_id, party_organization_id=None))
        elif organization_id in (None, inflow):
            others = [pk for pk in rng.sample(branches, min(len(branches), 5)) if pk != inflow]
            if others:
                people_changed.append(Person(pk=person_id, party_organization_id=others[0]))
            else:
                member.outside_affiliation = _home_branch(rng)
                people_changed.append(Person(pk=person_id, party_organization_id=None))
        if from_outside and rng.random() < 0.8:
            member.certificate_number = f"LD{today.year - rng.randint(0, 2)}{46010600 + i:08d}"
        long_stay = start < add_months(today, -7)
        if long_stay and flagged_transfer < max(2, target // 15):
            # At a fixed place for more than six months: the relation should follow them.
            member.stay_place = f"海口市龙华区{street}"
            member.stay_since = start
            member.last_contact_on = today - datetime.timedelta(days=rng.randint(5, 60))
            flagged_transfer += 1
        elif long_stay and flagged_contact < max(2, target // 15):
            member.stay_place = ""  # moving about; not heard of since
            member.last_contact_on = add_months(today, -rng.randint(7, 11))
            flagged_contact += 1
        elif long_stay:
            member.stay_place = ""  # riders moving between stations: no fixed place
            member.last_contact_on = today - datetime.timedelta(days=rng.randint(3, 120))
        else:
            member.stay_place = f"海口市龙华区{street}"
            member.stay_since = max(start, away_since)
            member.last_contact_on = today - datetime.timedelta(days=rng.randint(0, 90))
        member.last_contact_on = max(member.last_contact_on, away_since)
        members.append(member)
        participations.append(
            (member, inflow, min(today, start + datetime.timedelta(days=rng.randint(3, 30))))
        )

    # A few disclosed workers still to be brought in: a record, no participation yet.
    for person_id in sorted(with_follow_up)[:3]:
        person = Person.objects.filter(pk=person_id, political_status__in=MEMBER_STATUSES).first()
        if person is None or any(m.person_id == person_id for m in members):
            continue
        if person.party_organization_id is not None:
            people_changed.append(Person(pk=person_id, party_organization_id=None))
        members.append(
            MobileMember(
                person_id=person_id,
                away_since=today - datetime.timedelta(days=rng.randint(20, 90)),
                outside_affiliation=_home_branch(rng),
                note="入职登记时亮明党员身份",
            )
        )

    if people_changed:
        for person in people_changed:
            person._history_date = now
        Person.objects.bulk_update(people_changed, ["party_organization"], batch_size=1_000)
        if with_history:
            full = list(Person.objects.filter(pk__in=[p.pk for p in people_changed]))
            for person in full:
                person._history_date = now
            write_history(Person, full, update=True, reason="demo: mobile members")
    MobileMember.objects.bulk_create(members, batch_size=1_000)
    rows = [
        Participation(
            mobile_member=member, organization_id=organization_id, start_date=max(start, member.away_since)
        )
        for member, organization_id, start in participations
    ]
    Participation.objects.bulk_create(rows, batch_size=1_000)
    if with_history:
        for obj in (*members, *rows):
            obj._history_date = now
        write_history(MobileMember, members, reason="demo: mobile members")
        write_history(Participation, rows, reason="demo: mobile members")
    if stdout is not None and (flagged_transfer or flagged_contact):
        stdout.write(
            f"流动党员 / mobile members: {len(members)}, {flagged_transfer} to transfer, "
            f"{flagged_contact} out of contact"
        )
    return {"mobile_members": len(members), "participations": len(rows)}
