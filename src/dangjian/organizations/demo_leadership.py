"""Demo data for secretaries and leadership (measure 5): who the members of each organization
are, management posts in the units, some held by the organizations' committee members (cross
appointment), and a decision log for some covered units.

Read from what the census generator wrote; deterministic from the seed; written with bulk inserts.
1. Members (``Person.party_organization``), only where none is recorded yet: each committee member
   belongs to the organization of their post; each full or probationary member working at a unit
   covered by an active organization belongs to the first such organization.
2. Management posts: a head company's chairman (its legal representative where there is one) and
   general manager, a branch's general manager, a store's manager, an outlet's station manager,
   and a head of human resources in some units, taken from the unit's staff; a few have a
   predecessor whose post ended. In about two units in five with a committee member of a covering
   organization among the staff, that member holds one of the posts: a cross appointment.
3. Decisions: one unit in four covered by an active organization gets one to three entries in the
   last two years, with the organization's opinion and the outcome.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db.models import Max, Min
from django.utils import timezone

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.core.bulk import write_history
from dangjian.organizations.models import CommitteeMember, MajorDecision, ManagementPost, Organization
from dangjian.people.models import Employment, Investor, Person
from dangjian.units.models import Unit

SEED_OFFSET = 5_005  # measure 5: a stream of its own, so other parts' data stay as they are
MEMBER_STATUSES = (Person.PoliticalStatus.FULL_MEMBER, Person.PoliticalStatus.PROBATIONARY_MEMBER)
UNIT_KINDS = (Organization.Kind.BRANCH, Organization.Kind.GENERAL_BRANCH, Organization.Kind.COMMITTEE)
Kind = ManagementPost.Kind

MATTERS = (
    ("调整骑手配送片区和派单规则", "建议先听取骑手代表意见，保留老骑手熟悉片区，新规则试行一个月后再评估。"),
    ("夏季高温补贴发放方案", "同意按月发放，建议标准不低于市里规定，并为户外骑手配备防暑物资。"),
    ("新设配送站点选址", "建议选址靠近红色骑手驿站，方便骑手休息、就餐和参加组织生活。"),
    ("年度评优评先方案", "建议将党员示范岗表现和服务群众情况纳入评先条件，名单公示五个工作日。"),
    ("员工社会保险参保方案", "建议全职骑手全部参保，兼职骑手落实职业伤害保障，并向员工讲清政策。"),
    ("站点负责人选任", "党组织对人选政治素质、群众评价进行把关，建议优先考虑党员骨干。"),
    ("处理骑手投诉和劳动纠纷机制", "建议设立党员调解员，投诉三日内回应，重大纠纷报街道调解中心。"),
    ("业务外包和用工方式调整", "建议依法保障员工权益，调整方案提交职工大会讨论后再定。"),
    ("年度安全生产和交通安全培训计划", "同意，建议党员带头参加，结合班前一刻钟开展交通安全提醒。"),
    ("企业年度投资和扩张计划", "原则同意，建议同步考虑新增网点的党组织覆盖和党建指导员选派。"),
)
OUTCOME_NOTES = {
    MajorDecision.Outcome.ADOPTED: ("已按党组织意见执行。", "经理办公会采纳，已落实。", ""),
    MajorDecision.Outcome.PARTLY_ADOPTED: ("部分采纳，其余事项下季度再议。", "补贴标准采纳，发放方式另定。"),
    MajorDecision.Outcome.NOT_ADOPTED: ("因成本原因暂未采纳，党组织将继续跟进。",),
    MajorDecision.Outcome.PENDING: ("",),
}
OUTCOME_WEIGHTS = (
    (MajorDecision.Outcome.ADOPTED, 60),
    (MajorDecision.Outcome.PARTLY_ADOPTED, 20),
    (MajorDecision.Outcome.NOT_ADOPTED, 6),
    (MajorDecision.Outcome.PENDING, 14),
)
# Posts a committee member may hold in the unit's management, by kind of unit.
CROSS_POSTS = {
    Unit.Kind.HEAD_COMPANY: (Kind.DEPUTY_GENERAL_MANAGER, Kind.HR_HEAD),
    Unit.Kind.BRANCH: (Kind.DEPUTY_GENERAL_MANAGER, Kind.HR_HEAD),
    Unit.Kind.CHAIN_STORE: (Kind.STATION_MANAGER,),
    Unit.Kind.FRANCHISE_STORE: (Kind.STATION_MANAGER,),
    Unit.Kind.OUTLET: (Kind.STATION_MANAGER,),
}
STORE_KINDS = (Unit.Kind.CHAIN_STORE, Unit.Kind.FRANCHISE_STORE)


def _moment(day: datetime.date) -> datetime.datetime:
    """When the system would have recorded a row of ``day``: that morning, never later than now."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    return min(at, timezone.now())


def _assign_members(*, with_history: bool) -> int:
    """Give members without a recorded organization the one they belong to (see the module)."""
    chosen: dict[int, int] = {}
    sitting = (
        CommitteeMember.objects.filter(end_date__isnull=True, person__party_organization__isnull=True)
        .order_by("person_id", "organization__path")
        .values_list("person_id", "organization_id")
    )
    for person_id, organization_id in sitting:
        chosen.setdefault(person_id, organization_id)
    covering: dict[int, int] = {}
    links = (
        Organization.covered_units.through.objects.filter(
            organization__status=Organization.Status.ACTIVE, organization__kind__in=UNIT_KINDS
        )
        .order_by("unit_id", "organization__path")
        .values_list("unit_id", "organization_id")
    )
    for unit_id, organization_id in links:
        covering.setdefault(unit_id, organization_id)
    working = (
        Employment.objects.filter(
            end_date__isnull=True,
            person__political_status__in=MEMBER_STATUSES,
            person__party_organization__isnull=True,
            unit_id__in=list(covering),
        )
        .order_by("person_id", "start_date", "id")
        .values_list("person_id", "unit_id")
    )
    for person_id, unit_id in working:
        chosen.setdefault(person_id, covering[unit_id])
    if not chosen:
        return 0
    ids = sorted(chosen)
    if with_history:
        people = []
        for start in range(0, len(ids), 5_000):
            people += list(Person.objects.filter(pk__in=ids[start : start + 5_000]))
    else:
        people = [Person(pk=pk) for pk in ids]
    # Recorded just after the latest change the census recorded (deterministic from the seed).
    latest = Person.history.aggregate(latest=Max("history_date"))["latest"] or timezone.now()
    at = latest + datetime.timedelta(seconds=1)
    for person in people:
        person.party_organization_id = chosen[person.pk]
        person._history_date = at
    Person.objects.bulk_update(people, ["party_organization"], batch_size=1_000)
    if with_history:
        write_history(Person, people, update=True, reason="demo: party organization")
    return len(people)


def _staff(unit_ids) -> dict[int, tuple[int, int, datetime.date]]:
    """{unit id: (a worker, another worker, earliest start)} from the current employments, in SQL.
    Committee members are left out: which of them hold a management post is chosen in ``load``."""
    rows = (
        Employment.objects.filter(end_date__isnull=True, unit_id__in=unit_ids)
        .exclude(person__committee_posts__isnull=False)
        .order_by()
        .values("unit_id")
        .annotate(first=Min("person_id"), last=Max("person_id"), since=Min("start_date"))
        .values_list("unit_id", "first", "last", "since")
    )
    return {unit_id: (first, last, since) for unit_id, first, last, since in rows}


def load(*, seed: int, large: bool, stdout) -> dict[str, int]:
    rng = random.Random(seed + SEED_OFFSET)
    today = timezone.localdate()
    with_history = Person.history.exists()  # as the census did (none for the large size by default)
    members = _assign_members(with_history=with_history)

    units = list(Unit.objects.order_by("path").values_list("id", "kind"))
    staff = _staff([pk for pk, _ in units])
    representatives = dict(
        Investor.objects.filter(role=Investor.Role.LEGAL_REPRESENTATIVE)
        .order_by("unit_id", "id")
        .values_list("unit_id", "person_id")
    )
    active_links = Organization.covered_units.through.objects.filter(
        organization__status=Organization.Status.ACTIVE
    )
    covering: dict[int, set[int]] = defaultdict(set)
    for unit_id, organization_id in active_links.values_list("unit_id", "organization_id"):
        covering[unit_id].add(organization_id)
    # Committee members working at a unit an organization of theirs covers.
    officials: dict[int, list[tuple[int, datetime.date]]] = defaultdict(list)
    posts_of = defaultdict(set)
    for person_id, organization_id, start in CommitteeMember.objects.filter(
        end_date__isnull=True
    ).values_list("person_id", "organization_id", "start_date"):
        posts_of[person_id].add((organization_id, start))
    for person_id, unit_id in (
        Employment.objects.filter(end_date__isnull=True, person_id__in=list(posts_of))
        .order_by("person_id", "unit_id")
        .values_list("person_id", "unit_id")
    ):
        for organization_id, start in sorted(posts_of[person_id]):
            if organization_id in covering.get(unit_id, ()):
                officials[unit_id].append((person_id, start))
                break

    posts: list[ManagementPost] = []

    def post(unit_id, person_id, kind, start, end=None, title=""):
        start = min(start, today - datetime.timedelta(days=1))
        if end is not None and end < start:
            end = start
        row = ManagementPost(
            unit_id=unit_id, person_id=person_id, kind=kind, title=title, start_date=start, end_date=end
        )
        row._history_date = _moment(start)
        posts.append(row)

    crossed = 0
    for unit_id, kind in units:
        if unit_id not in staff:
            continue
        first, last, since = staff[unit_id]
        start = since + datetime.timedelta(days=rng.randint(0, 120))
        cross = None
        if officials.get(unit_id) and rng.random() < 0.4:
            cross = officials[unit_id][0]
        if kind == Unit.Kind.HEAD_COMPANY:
            post(unit_id, representatives.get(unit_id, first), Kind.CHAIRMAN, start)
            post(unit_id, last, Kind.GENERAL_MANAGER, start)
        elif kind == Unit.Kind.BRANCH:
            post(unit_id, first, Kind.GENERAL_MANAGER, start)
        elif cross is None:
            title = "店长" if kind in STORE_KINDS else ""
            post(unit_id, first, Kind.STATION_MANAGER, start, title=title)
        if cross is not None:
            person_id, seated = cross
            kind_of_post = rng.choice(CROSS_POSTS[kind])
            title = "店长" if kind_of_post == Kind.STATION_MANAGER and kind in STORE_KINDS else ""
            post(unit_id, person_id, kind_of_post, max(seated, since), title=title)
            crossed += 1
        elif kind in (Unit.Kind.HEAD_COMPANY, Unit.Kind.BRANCH) and rng.random() < 0.3 and first != last:
            post(unit_id, first if kind == Unit.Kind.HEAD_COMPANY else last, Kind.HR_HEAD, start)
        if rng.random() < 0.1 and start - since > datetime.timedelta(days=60) and first != last:
            # A predecessor in the unit's first post, ended the day before the successor began.
            post(unit_id, last, Kind.OTHER, since, end=start - datetime.timedelta(days=1), title="原负责人")

    ManagementPost.objects.bulk_create(posts, batch_size=5_000)  # sets the keys (RETURNING)
    decisions = _decisions(rng, today, covering)
    if with_history:
        write_history(ManagementPost, posts)
        write_history(MajorDecision, decisions)
    if stdout is not None:
        stdout.write(
            f"  members placed in their organizations: {members:,}; management posts: {len(posts):,} "
            f"({crossed:,} cross appointments); decisions: {len(decisions):,}"
        )
    return {
        "party_members_placed": members,
        "management_posts": len(posts),
        "major_decisions": len(decisions),
    }


def _decisions(
    rng: random.Random, today: datetime.date, covering: dict[int, set[int]]
) -> list[MajorDecision]:
    organizations = dict(
        Organization.objects.filter(status=Organization.Status.ACTIVE, kind__in=UNIT_KINDS).values_list(
            "id", "path"
        )
    )
    street_staff = dict(
        RoleAssignment.objects.filter(role=Role.STREET_STAFF, user__is_demo=True).values_list(
            "region_id", "user_id"
        )
    )
    secretaries = dict(
        RoleAssignment.objects.filter(role=Role.BRANCH_SECRETARY, user__is_demo=True).values_list(
            "organization_id", "user_id"
        )
    )
    streets = dict(Unit.objects.filter(pk__in=list(covering)).values_list("id", "street_id"))
    outcomes = [outcome for outcome, _ in OUTCOME_WEIGHTS]
    weights = [weight for _, weight in OUTCOME_WEIGHTS]
    rows = []
    for unit_id in sorted(covering):
        ours = sorted((organizations[o], o) for o in covering[unit_id] if o in organizations)
        if not ours or rng.random() >= 0.25:
            continue
        organization_id = ours[0][1]
        for matter, opinion in rng.sample(MATTERS, rng.randint(1, 3)):
            day = today - datetime.timedelta(days=rng.randint(7, 720))
            outcome = rng.choices(outcomes, weights)[0]
            if outcome == MajorDecision.Outcome.PENDING and (today - day).days > 90:
                outcome = MajorDecision.Outcome.ADOPTED  # old matters have been decided
            recorder = secretaries.get(organization_id) or street_staff.get(streets.get(unit_id))
            row = MajorDecision(
                unit_id=unit_id,
                organization_id=organization_id,
                decided_on=day,
                matter=matter,
                opinion=opinion,
                outcome=outcome,
                outcome_note=rng.choice(OUTCOME_NOTES[outcome]),
                recorded_by_id=recorder,
            )
            row._history_date = _moment(day)
            rows.append(row)
    MajorDecision.objects.bulk_create(rows, batch_size=5_000)
    return rows
