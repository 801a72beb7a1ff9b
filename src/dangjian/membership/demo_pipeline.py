"""Demo data for the development pipeline (发展党员, measure 5): a few dozen workers at every
stage, in branches with full members to act as contacts and introducers (the demo branch
secretary's branch first).

Each person's steps are laid out on a lawful timetable (talk within the month, a year as
activist with half-yearly reviews, approval within three months, a year's probation) and checked
step by step with ``membership.rules`` against the seeded rules, so the demo shows what the
system accepts; some steps are left due or overdue for the to-do list, and one late first talk
was recorded by a district administrator with a reason (an override). Admitted people become
probationary or full members of the branch. Runs before the quotas' demo, which counts this
year's and last year's admissions against the quotas. Deterministic from the seed; bulk inserts.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Count, Max
from django.utils import timezone

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.core.bulk import write_history
from dangjian.membership import rules
from dangjian.membership.models import DevelopmentRecord, DevelopmentStep
from dangjian.membership.services import DEVELOPING_KINDS, birth_date_of, rules_for_many
from dangjian.organizations.models import Organization
from dangjian.people.models import Employment, Person

SEED_OFFSET = 5_053
K = DevelopmentStep.Kind
S = DevelopmentRecord.Stage
CANDIDATE_STATUSES = (
    Person.PoliticalStatus.MASSES,
    Person.PoliticalStatus.LEAGUE_MEMBER,
    Person.PoliticalStatus.UNDISCLOSED,
)
MEMBER_STATUSES = (Person.PoliticalStatus.FULL_MEMBER, Person.PoliticalStatus.PROBATIONARY_MEMBER)
# (scenario, how many in the small demo); the large demo has three times as many.
SCENARIOS = [
    ("applicant", 5),
    ("applicant_talk_overdue", 3),
    ("activist", 6),
    ("activist_review_overdue", 2),
    ("override", 1),
    ("target", 5),
    ("awaiting_approval", 3),
    ("probationary", 5),
    ("probation_ending", 2),
    ("extended", 1),
    ("full_member", 6),
    ("withdrawn", 2),
    ("cancelled", 1),
]
NOTES = {
    K.APPLICATION: ("本人递交书面入党申请书", "在站点党员示范岗带动下递交入党申请书", ""),
    K.FIRST_TALK: (
        "支部书记同申请人谈话，了解入党动机和基本情况",
        "组织委员谈话，鼓励其在配送服务中发挥带头作用",
    ),
    K.ACTIVIST: ("经党员推荐、支委会研究确定，公示7天无异议", "团组织推优，支委会研究确定"),
    K.REVIEW: (
        "培养联系人汇报：工作积极，主动参加站点志愿服务",
        "按时提交思想汇报，表现良好",
        "参加主题党日活动，考察合格",
    ),
    K.TARGET: ("支委会讨论同意并报上级党委备案",),
    K.POLITICAL_REVIEW: ("政审合格，函调材料齐全",),
    K.TRAINING: ("参加区两新工委发展对象集中培训，考试合格",),
    K.INTRODUCERS: ("",),
    K.VOTE: ("支部党员大会讨论，应到正式党员全部到会，全票通过",),
    K.APPROVAL: ("上级党委派组织员谈话后审批同意",),
    K.EXTENSION: ("预备期内思想汇报不及时，支部大会决定延长预备期",),
    K.FULL_MEMBERSHIP: ("预备期满，支部大会讨论同意按期转为正式党员",),
    K.CANCELLATION: ("预备期内长期不参加组织生活，经教育仍无转变，取消预备党员资格",),
    K.WITHDRAWAL: ("本人书面申请撤回入党申请", "已离开本市，转由户籍地党组织培养"),
}
OVERRIDE_REASON = "申请人春节期间返乡，经街道党工委同意延后谈话，已电话说明情况"


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


class _Timetable:
    """One person's lawful steps, laid out forward from an application date."""

    def __init__(self, rng: random.Random, applied: datetime.date):
        self.rng = rng
        r = rng.randint
        self.application = applied
        self.talk = applied + _days(r(3, 25))
        self.activist = self.talk + _days(r(30, 150))
        self.target = self.activist + _days(r(370, 470))
        self.reviews = []
        last = self.activist
        while (following := last + _days(r(150, 175))) < self.target:
            self.reviews.append(following)
            last = following
        self.political_review = self.target + _days(r(7, 30))
        self.training = self.target + _days(r(14, 45))
        self.introducers = self.target + _days(r(20, 50))
        self.vote = max(self.political_review, self.training, self.introducers) + _days(r(10, 40))
        self.approval = self.vote + _days(r(15, 85))
        self.full = self.vote + _days(r(367, 385))

    def shifted(self, days: int) -> _Timetable:
        moved = _Timetable.__new__(_Timetable)
        moved.__dict__ = {
            key: (value + _days(days) if isinstance(value, datetime.date) else value)
            for key, value in self.__dict__.items()
        }
        moved.reviews = [day + _days(days) for day in self.reviews]
        return moved

    def steps(self, until: str, today: datetime.date) -> list[tuple[str, datetime.date, dict]]:
        """The steps up to and including ``until``, none after ``today``."""
        rng = self.rng
        plan = [
            (K.APPLICATION, self.application, {}),
            (K.FIRST_TALK, self.talk, {}),
            (K.ACTIVIST, self.activist, {}),
            (K.CONTACTS, self.activist, {"people": rng.choice((1, 2))}),
            *((K.REVIEW, day, {}) for day in self.reviews),
            (K.TARGET, self.target, {}),
            (K.POLITICAL_REVIEW, self.political_review, {}),
            (K.TRAINING, self.training, rng.choice(({"days": 3}, {"hours": rng.choice((24, 28, 32))}))),
            (K.INTRODUCERS, self.introducers, {"people": 2}),
            (K.VOTE, self.vote, {}),
            (K.PROBATION_START, self.vote, {}),
            (K.APPROVAL, self.approval, {}),
            (K.FULL_MEMBERSHIP, self.full, {}),
        ]
        order = [kind for kind, _, _ in plan]
        last = max(i for i, kind in enumerate(order) if kind == until)
        return sorted(
            [step for step in plan[: last + 1] if step[1] <= today],
            key=lambda step: (step[1], order.index(step[0])),
        )


def _timetable(rng, scenario: str, today: datetime.date):
    """(steps, override) for one scenario."""
    r = rng.randint
    base = _Timetable(rng, datetime.date(2000, 1, 1))

    def entering(day_of, days_ago):
        return base.shifted((today - _days(days_ago) - getattr(base, day_of)).days)

    if scenario == "applicant":
        t = entering("application", r(3, 25))
        steps = t.steps(K.FIRST_TALK if rng.random() < 0.6 else K.APPLICATION, today)
    elif scenario == "applicant_talk_overdue":
        steps = entering("application", r(35, 70)).steps(K.APPLICATION, today)
    elif scenario == "activist":
        t = entering("activist", r(20, 330))
        steps = t.steps(K.TARGET, today)
        steps = [s for s in steps if s[0] != K.TARGET]
    elif scenario == "activist_review_overdue":
        t = entering("activist", r(200, 330))
        t.reviews = []
        steps = t.steps(K.CONTACTS, today)
    elif scenario == "override":
        t = entering("application", r(90, 150))
        t.talk = t.application + _days(r(40, 55))  # a late talk: the district set the rule aside
        t.activist = t.talk + _days(r(20, 40))
        t.reviews = []
        return t.steps(K.CONTACTS, today), (K.FIRST_TALK, OVERRIDE_REASON)
    elif scenario == "target":
        steps = entering("target", r(10, 200)).steps(K.INTRODUCERS, today)
    elif scenario == "awaiting_approval":
        steps = entering("vote", r(20, 110)).steps(K.PROBATION_START, today)
    elif scenario == "probationary":
        steps = entering("vote", r(120, 320)).steps(K.APPROVAL, today)
    elif scenario == "probation_ending":
        steps = entering("vote", r(340, 362)).steps(K.APPROVAL, today)
    elif scenario == "extended":
        t = entering("vote", r(380, 480))
        steps = t.steps(K.APPROVAL, today)
        steps.append((K.EXTENSION, t.vote + _days(365), {"months": 6}))
    elif scenario == "full_member":
        steps = entering("full", r(10, 330)).steps(K.FULL_MEMBERSHIP, today)
    elif scenario == "withdrawn":
        t = entering("activist", r(60, 200))
        steps = t.steps(K.CONTACTS, today)
        steps.append((K.WITHDRAWAL, min(today, steps[-1][1] + _days(r(20, 50))), {}))
    elif scenario == "cancelled":
        t = entering("vote", r(250, 330))
        steps = t.steps(K.APPROVAL, today)
        steps.append((K.CANCELLATION, min(today, t.approval + _days(r(90, 150))), {}))
    else:  # pragma: no cover - the list above is the whole set
        raise ValueError(scenario)
    return steps, None


def _branches() -> list[Organization]:
    """Active developing organizations with two full members or more and covered units."""
    with_members = (
        Person.objects.filter(
            political_status=Person.PoliticalStatus.FULL_MEMBER, party_organization__isnull=False
        )
        .values("party_organization")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values_list("party_organization", flat=True)
    )
    secretary = (
        RoleAssignment.objects.filter(role=Role.BRANCH_SECRETARY, user__is_demo=True)
        .values_list("organization_id", flat=True)
        .first()
    )
    organizations = list(
        Organization.objects.filter(
            pk__in=list(with_members),
            kind__in=DEVELOPING_KINDS,
            status=Organization.Status.ACTIVE,
            covered_units__isnull=False,
        )
        .distinct()
        .order_by("path")
    )
    organizations.sort(key=lambda o: (o.pk != secretary, o.path))
    return organizations


def _recorders(organizations) -> dict[int, int | None]:
    """Who recorded a branch's steps: its secretary's account, else the street's, else the district's."""
    secretaries = dict(
        RoleAssignment.objects.filter(role=Role.BRANCH_SECRETARY).values_list("organization_id", "user_id")
    )
    streets = dict(RoleAssignment.objects.filter(role=Role.STREET_STAFF).values_list("region_id", "user_id"))
    district = (
        RoleAssignment.objects.filter(role=Role.DISTRICT_ADMIN).values_list("user_id", flat=True).first()
    )
    return {o.pk: secretaries.get(o.pk) or streets.get(o.street_id) or district for o in organizations}


def load(*, seed: int, large: bool, stdout) -> dict[str, int]:  # noqa: C901 - one story, told in order
    rng = random.Random(seed + SEED_OFFSET)
    today = timezone.localdate()
    # History as the census wrote it (none for the large size by default), recorded just after its
    # latest change: deterministic from the seed.
    with_history = Person.history.exists()
    latest = Person.history.aggregate(latest=Max("history_date"))["latest"] or timezone.now()
    at = latest + datetime.timedelta(seconds=2)
    organizations = _branches()
    if not organizations:
        return {}
    specs = rules_for_many(organizations)
    recorders = _recorders(organizations)
    district_admin = (
        RoleAssignment.objects.filter(role=Role.DISTRICT_ADMIN).values_list("user_id", flat=True).first()
    )

    scale = 3 if large else 1
    scenarios = [name for name, count in SCENARIOS for _ in range(count * scale)]
    # The secretary's branch gets a third of the people, so the demo account's board is full.
    weights = [len(scenarios) // 3] + [1] * (len(organizations) - 1)

    taken: set[int] = set(DevelopmentRecord.objects.values_list("person_id", flat=True))
    pools: dict[int, list[Person]] = {}

    # Candidates work where members work already: the census's visit notes about units without
    # members stay true when some of the candidates are admitted.
    with_members = set(
        Employment.objects.filter(
            end_date__isnull=True, person__political_status__in=MEMBER_STATUSES
        ).values_list("unit_id", flat=True)
    )

    def candidate(organization) -> Person | None:
        if organization.pk not in pools:
            ids = (
                Employment.objects.filter(
                    end_date__isnull=True,
                    unit__organizations=organization,
                    unit_id__in=with_members,
                    person__political_status__in=CANDIDATE_STATUSES,
                )
                .order_by("person_id")
                .values_list("person_id", flat=True)
                .distinct()[:400]
            )
            people = list(Person.objects.filter(pk__in=list(ids)).order_by("pk"))
            rng.shuffle(people)
            pools[organization.pk] = people
        while pools[organization.pk]:
            person = pools[organization.pk].pop()
            if person.pk not in taken:
                return person
        return None

    members: dict[int, list[Person]] = {}
    for person in Person.objects.filter(
        political_status=Person.PoliticalStatus.FULL_MEMBER, party_organization__in=organizations
    ).order_by("pk"):
        members.setdefault(person.party_organization_id, []).append(person)

    records, steps, links, changed_people = [], [], [], []
    for scenario in scenarios:
        organization = rng.choices(organizations, weights=weights)[0]
        person = candidate(organization)
        if person is None:
            continue
        planned, override = _timetable(rng, scenario, today)
        if not planned:
            continue
        birth = birth_date_of(person)
        if birth is None or rules.age_on(birth, planned[0][1]) < 18:
            continue
        taken.add(person.pk)
        recorder = recorders[organization.pk]
        record = DevelopmentRecord(
            person=person,
            organization=organization,
            stage=S.APPLICANT,
            stage_since=planned[0][1],
            applied_on=planned[0][1],
        )
        facts = rules.Candidate(person.pk, S.APPLICANT, planned[0][1], birth, ())
        record_steps = []
        for kind, on, fields in planned:
            chosen = []
            if "people" in fields:
                chosen = rng.sample(
                    members[organization.pk], min(fields["people"], len(members[organization.pk]))
                )
            proposal = rules.Proposal(
                kind=kind,
                on=on,
                hours=fields.get("hours"),
                days=fields.get("days"),
                months=fields.get("months"),
                people=tuple(rules.Member(p.pk, p.name, p.political_status) for p in chosen),
            )
            if kind == K.APPLICATION:
                decision = rules.check_application(
                    birth_date=birth,
                    applied_on=on,
                    political_status=person.political_status,
                    rules=specs[organization.pk],
                    today=today,
                )
            elif kind == K.PROBATION_START:
                decision = rules.Decision()
            else:
                decision = rules.check_step(facts, proposal, specs[organization.pk], today=today)
            step = DevelopmentStep(
                kind=kind,
                on=on,
                hours=proposal.hours,
                days=proposal.days,
                months=proposal.months,
                notes=rng.choice(NOTES.get(kind, ("",))),
                recorded_by_id=recorder,
            )
            if decision.problems or (decision.violations and not (override and override[0] == kind)):
                raise RuntimeError(
                    f"demo pipeline: {scenario} {kind} {on}: {decision}"
                )  # a bug in the timetable
            if decision.violations:
                step.overridden_rules = [{"rule": v.rule, "message": v.message} for v in decision.violations]
                step.override_reason = override[1]
                step.overridden_by_id = district_admin
                step.recorded_by_id = district_admin
            record_steps.append((step, chosen))
            stage = rules.next_stage(facts.stage, kind)
            facts = rules.Candidate(
                person.pk,
                stage,
                on if stage != facts.stage else facts.stage_since,
                birth,
                (*facts.steps, rules.PastStep(kind, on, proposal.months)),
            )
            if kind == K.VOTE:
                record.status_before_admission = person.political_status
                person.political_status = Person.PoliticalStatus.PROBATIONARY_MEMBER
                person.party_organization = organization
            elif kind == K.FULL_MEMBERSHIP:
                person.political_status = Person.PoliticalStatus.FULL_MEMBER
            elif kind == K.CANCELLATION:
                person.political_status = record.status_before_admission
                person.party_organization = None
        record.stage, record.stage_since = facts.stage, facts.stage_since
        records.append(record)
        steps.append(record_steps)
        if any(kind in (K.VOTE,) for kind, _, _ in planned):
            changed_people.append(person)

    DevelopmentRecord.objects.bulk_create(records)
    all_steps = []
    for record, record_steps in zip(records, steps, strict=True):
        for step, chosen in record_steps:
            step.record = record
            all_steps.append((step, chosen))
    DevelopmentStep.objects.bulk_create([step for step, _ in all_steps])
    through = DevelopmentStep.people.through
    for step, chosen in all_steps:
        links += [through(developmentstep_id=step.pk, person_id=p.pk) for p in chosen]
    through.objects.bulk_create(links)
    Person.objects.bulk_update(changed_people, ["political_status", "party_organization"], batch_size=1_000)
    if with_history:
        for record in records:
            record._history_date = at
        write_history(DevelopmentRecord, records, reason="demo: development records")
        for person in changed_people:
            person._history_date = at
        write_history(Person, changed_people, update=True, reason="demo: admitted")
    if stdout is not None:
        stdout.write(f"发展党员 / development records: {len(records)}")
    return {"development_records": len(records), "development_steps": len(all_steps)}
