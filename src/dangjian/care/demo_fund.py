"""Demo care funds (关爱基金) and legal-aid requests (法律援助), measure 9.

A fund for this year and last year for the two-new working committee and each comprehensive
committee, applications from registered workers at every step (submitted, reviewed by the street,
approved, rejected, paid; last year's nearly all settled), each step with its decision row and
each payment with its row, so every fund's approved and paid money stays within its budget. The
street review is made by the street's staff (the demo accounts for 中山 and 滨海, an officer made
here for the other streets and towns), the decisions and payments by the committee's staff (the
express committee's demo account, an officer made here for the other committees). Documents point
at small placeholder images. Some legal-aid requests at every stage. The demo worker has no
application (so the account can try applying) but a legal-aid request already referred.
Deterministic from the seed; written with bulk_create.
"""

from __future__ import annotations

import datetime
import math
import random
import struct
import zlib
from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from dangjian.accounts.models import Role, RoleAssignment, User
from dangjian.care import legal
from dangjian.care.fund import sync_care_defaults
from dangjian.care.models import (
    CareApplication,
    CareCategory,
    CareDecision,
    CareDocument,
    CareFund,
    CarePayment,
    LegalAidCentre,
    LegalAidRequest,
)
from dangjian.core.bulk import write_history
from dangjian.core.demo import data
from dangjian.organizations.models import CommitteeIndustry, Organization
from dangjian.people.models import Employment
from dangjian.regions.models import Region

SEED_OFFSET = 9_109  # measure 9 (care fund): a stream of its own
SIZES = {
    False: {"this_year": 48, "last_year": 30, "legal": 24},
    True: {"this_year": 600, "last_year": 400, "legal": 300},
}
Status = CareApplication.Status

# Category: (weight, (lowest, highest) amount in yuan, or the only amounts)
CATEGORIES = {
    "accident": (30, (3_000, 5_000)),
    "serious_illness": (15, (10_000, 30_000)),
    "family_hardship": (20, (2_000, 5_000)),
    "disaster": (10, (1_000, 5_000)),
    "child_education": (20, (3_000, 5_000)),
    "other": (5, (1_000, 3_000)),
}
REASONS = {
    "accident": (
        "送餐途中在龙昆南路被小汽车追尾，左腿骨折住院，交警认定对方全责。",
        "雨天派件时电动车侧滑摔倒，锁骨骨折住院治疗，无责任方。",
        "配送途中被倒车车辆碰撞，住院12天，对方主要责任。",
    ),
    "serious_illness": (
        "儿子确诊白血病，在海南省人民医院化疗，自付费用已超过8万元。",
        "本人确诊肾衰竭，需定期透析，家庭收入难以负担。",
        "女儿患先天性心脏病，需赴广州手术，医疗费缺口较大。",
    ),
    "family_hardship": (
        "爱人下岗失业，老人长期卧病在床，家庭人均收入低于当地低保标准的两倍。",
        "父亲去世，家中欠下医疗债务，两个孩子上学，生活困难。",
    ),
    "disaster": (
        "台风“摩羯”过境，租住房屋进水，家电和电动车损毁。",
        "老家房屋遭受洪涝灾害倒塌，需筹资修缮。",
    ),
    "child_education": (
        "女儿考入海南大学，学费和住宿费合计约8000元，家庭负担重。",
        "儿子考上海口一中高中部，需缴纳学杂费，申请助学金。",
    ),
    "other": ("因车辆被盗无法接单，生活暂时困难。",),
}
REVIEW_PASS = (
    "经入户核实，情况属实，材料齐全，同意上报。",
    "已与站点负责人核实，申请人为本站在岗骑手，情况属实。",
    "材料经核对无误，符合救助条件，提请综合党委审批。",
)
REVIEW_REJECT = (
    "经核实，事故认定书显示本人负主要责任，不符合意外救助条件。",
    "申请人已离职三个月以上，不属于本辖区在册从业人员。",
)
APPROVE = (
    "经综合党委会议研究，同意救助。",
    "符合救助条件，按核定金额发放。",
    "经研究同意，救助金额按类别标准核定。",
)
APPROVE_REDUCED = "经研究同意救助，金额按本年度标准核减。"
REJECT = (
    "经研究，本年度同类救助名额已满，建议申请工会帮扶。",
    "家庭收入高于困难认定标准，不予救助。",
)
LEGAL_FACTS = {
    "wage_arrears": (
        "所在站点拖欠两个月工资共计9600元，多次催要未果。",
        "平台外包公司解散，三个月配送费未结清。",
    ),
    "labour_dispute": (
        "公司以“违反平台规则”为由单方面解除合同，未支付经济补偿。",
        "用工单位拒绝签订劳动合同，也不缴纳社会保险。",
    ),
    "traffic_accident": (
        "送餐途中被出租车撞伤，对方保险公司拒绝按伤残等级赔偿。",
        "与私家车发生碰撞，对方逃逸后被找到，赔偿协商不成。",
    ),
    "work_injury": (
        "在仓库搬运快件时受伤，公司不认可工伤，不申报工伤认定。",
        "配送途中摔伤，公司称属于众包骑手不予工伤待遇。",
    ),
    "other": ("租住房屋押金被房东扣留，要求法律咨询。",),
}
LEGAL_KINDS = {
    "wage_arrears": 35,
    "labour_dispute": 20,
    "traffic_accident": 25,
    "work_injury": 15,
    "other": 5,
}
OUTCOME_NOTES = {
    "concluded": "法律援助中心指派律师代理，已胜诉并执行到位。",
    "settled": "经法律援助中心调解，用人单位当场支付欠款。",
    "not_accepted": "法律援助中心认为证据不足，建议先申请劳动仲裁。",
    "withdrawn": "双方自行和解，本人撤回申请。",
    "not_qualified": "经审查不符合经济困难条件，已告知可自行委托律师或申请调解。",
}


def _png() -> bytes:
    """A 1x1 grey PNG: the placeholder for demo documents."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
    return min(at, timezone.now())


def _placeholders() -> dict[str, tuple[str, int]]:
    content = _png()
    names = {}
    for kind in {k for c in CareCategory.objects.all() for k in c.required_documents}:
        name = f"care/fund/demo/{kind}.png"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(content))
        names[kind] = (name, len(content))
    return names


class _Officers:
    """The staff who decide: a demo account where there is one, else an officer made here."""

    def __init__(self, rng):
        self.rng = rng
        self.password = make_password(None)  # unusable: these accounts only sign the demo's decisions
        self.street_staff, self.committee_staff = {}, {}
        self.names = {user.pk: str(user) for user in User.objects.filter(roles__isnull=False)}
        for assignment in RoleAssignment.objects.filter(role__in=[Role.STREET_STAFF, Role.COMMITTEE_STAFF]):
            if assignment.role == Role.STREET_STAFF:
                self.street_staff.setdefault(assignment.region_id, assignment.user_id)
            else:
                self.committee_staff.setdefault(assignment.organization_id, assignment.user_id)
        self.made = 0

    def _make(self, username: str, label: str, role: str, **scope) -> int:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": label, "password": self.password, "is_demo": True}
        )
        if created:
            RoleAssignment.objects.create(user=user, role=role, **scope)
            self.made += 1
        self.names[user.pk] = str(user)
        return user.pk

    def reviewer(self, street: Region) -> int:
        if street.pk not in self.street_staff:
            self.street_staff[street.pk] = self._make(
                f"care_review_{street.pk}", f"{street.name}关爱基金经办人", Role.STREET_STAFF, region=street
            )
        return self.street_staff[street.pk]

    def approver(self, committee: Organization) -> int:
        if committee.pk not in self.committee_staff:
            self.committee_staff[committee.pk] = self._make(
                f"care_fund_{committee.pk}",
                f"{committee.name}关爱基金经办人",
                Role.COMMITTEE_STAFF,
                organization=committee,
            )
        return self.committee_staff[committee.pk]


def _amount(rng, kind: str) -> int:
    low, high = CATEGORIES[kind][1]
    if kind == "child_education":
        return rng.choice((3_000, 5_000)) * 100
    return rng.randrange(low, high + 1, 500) * 100


def _pick_status(rng, last_year: bool) -> str:
    if last_year:
        return rng.choices(["paid", "rejected_review", "rejected"], [80, 8, 12])[0]
    return rng.choices(
        ["submitted", "reviewed", "approved", "rejected_review", "rejected", "paid"], [20, 15, 15, 5, 7, 38]
    )[0]


def load(*, seed: int, large: bool, stdout) -> dict[str, int]:  # noqa: C901 - one story, told in order
    rng = random.Random(seed + SEED_OFFSET)
    sizes = SIZES[bool(large)]
    today = timezone.localdate()
    sync_care_defaults()
    legal.sync_legal_aid_defaults()
    categories = {c.kind: c for c in CareCategory.objects.all()}
    documents = _placeholders()
    officers = _Officers(rng)
    # Without the demo accounts (``load_demo --no-accounts``) nobody has decided anything yet, and
    # no officer accounts are made: every application and request is still waiting.
    decided = User.objects.filter(is_demo=True).exists()

    # The managing committees and the industries they lead.
    committees = list(
        Organization.objects.filter(kind__in=CareFund.MANAGING_KINDS)
        .exclude(status=Organization.Status.DISSOLVED)
        .order_by("path")
    )
    root = next(c for c in committees if c.kind == Organization.Kind.TWO_NEW_COMMITTEE)
    leading = {}
    for committee_id, industry in CommitteeIndustry.objects.order_by("pk").values_list(
        "committee_id", "industry"
    ):
        leading.setdefault(industry, committee_id)
    by_pk = {c.pk: c for c in committees}

    # Workers who may apply: registered for more than seven months at a unit a street answers for.
    demo_worker = User.objects.filter(username="worker").values_list("person__pk", flat=True).first()
    rows = list(
        Employment.objects.filter(
            end_date__isnull=True,
            unit__street__isnull=False,
            start_date__lte=today - datetime.timedelta(days=215),
        )
        .exclude(person_id=demo_worker)
        .order_by("pk")
        .values_list("person_id", "unit_id", "unit__street_id", "unit__industry", "job_type")[:20_000]
    )
    seen, workers = set(), []
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            workers.append(row)
    rng.shuffle(workers)
    streets = {s.pk: s for s in Region.objects.filter(kind__in=Region.TOWNSHIP_KINDS)}
    zhongshan = next((s for s in streets.values() if s.name.startswith("中山")), None)

    # A few at the front of the queue for the demo accounts: 中山 has applications to review, the
    # express committee reviewed ones to decide.
    def first(where):
        for index, row in enumerate(workers):
            if where(row):
                return workers.pop(index)
        return None

    queue = []
    for _ in range(3):
        row = first(lambda r: zhongshan is not None and r[2] == zhongshan.pk)
        if row:
            queue.append((row, "submitted"))
    for _ in range(3):
        row = first(lambda r: r[3] == "express" and officers.street_staff.get(r[2]))
        if row:
            queue.append((row, "reviewed"))

    funds: dict[tuple[int, int], CareFund] = {}
    for year in (today.year - 1, today.year):
        for committee in committees:
            name = "龙华区新就业群体关爱基金" if committee.pk == root.pk else f"{committee.name}关爱基金"
            funds[(committee.pk, year)] = CareFund(name=name, committee=committee, year=year, budget_fen=0)

    applications, steps = [], []  # steps: (application, [(step, outcome, reason, amount, user, day)])
    payments = []
    committed = defaultdict(int)
    plan = [(row, status, today.year) for row, status in queue]
    plan += [(row, None, today.year) for row in workers[: sizes["this_year"] - len(queue)]]
    rest = workers[sizes["this_year"] - len(queue) :]
    plan += [(row, None, today.year - 1) for row in rest[: sizes["last_year"]] if decided]
    legal_people = rest[sizes["last_year"] : sizes["last_year"] + sizes["legal"]]

    def later(low, high, start):
        return min(start + datetime.timedelta(days=rng.randint(low, high)), today)

    kinds, weights = list(CATEGORIES), [w for w, _ in CATEGORIES.values()]
    year_start = datetime.date(today.year, 1, 5)
    for (person_id, unit_id, street_id, industry, job_type), forced, year in plan:
        committee = by_pk.get(leading.get(industry), root)
        fund = funds[(committee.pk, year)]
        kind = rng.choices(kinds, weights)[0]
        amount = _amount(rng, kind)
        status = (forced or _pick_status(rng, year < today.year)) if decided else "submitted"
        if year < today.year:
            submitted = datetime.date(year, 1, 10) + datetime.timedelta(days=rng.randrange(300))
        elif status == "submitted":
            submitted = today - datetime.timedelta(days=rng.randrange(1, 12))
        else:
            span = max((today - year_start).days - 20, 1)
            submitted = min(year_start + datetime.timedelta(days=rng.randrange(span)), today)
        application = CareApplication(
            fund=fund,
            category=categories[kind],
            person_id=person_id,
            unit_id=unit_id,
            street_id=street_id,
            job_type=job_type,
            amount_fen=amount,
            reason=rng.choice(REASONS[kind]),
            submitted_at=_moment(submitted, 9),
        )
        reviewer = officers.reviewer(streets[street_id]) if decided else None
        approver = officers.approver(committee) if decided else None
        day = submitted
        decisions = []
        if status != "submitted":
            day = later(1, 6, day)
            passed = status != "rejected_review"
            reason = rng.choice(REVIEW_PASS if passed else REVIEW_REJECT)
            decisions.append(("review", "passed" if passed else "rejected", reason, None, reviewer, day))
        if status in ("approved", "paid", "rejected"):
            day = later(2, 10, day)
            if status == "rejected":
                decisions.append(("approval", "rejected", rng.choice(REJECT), None, approver, day))
            else:
                granted = amount
                if rng.random() < 0.2 and amount > 2_000_00:
                    granted = amount - rng.choice((500_00, 1_000_00))
                reason = APPROVE_REDUCED if granted < amount else rng.choice(APPROVE)
                decisions.append(("approval", "approved", reason, granted, approver, day))
                application.approved_fen = granted
                committed[(committee.pk, year)] += granted
        if status == "paid":
            day = later(1, 7, day)
            reference = f"GH{year}{len(payments) + 1:05d}"
            decisions.append(
                (
                    "payment",
                    "paid",
                    f"银行转账至本人账户，凭证号 {reference}",
                    application.approved_fen,
                    approver,
                    day,
                )
            )
            payments.append((application, reference, day, approver))
        application.status = {
            "submitted": Status.SUBMITTED,
            "reviewed": Status.REVIEWED,
            "approved": Status.APPROVED,
            "rejected_review": Status.REJECTED,
            "rejected": Status.REJECTED,
            "paid": Status.PAID,
        }[status]
        applications.append(application)
        steps.append((application, decisions))

    # Budgets: this year's with room left, last year's nearly spent.
    for (committee_id, year), fund in funds.items():
        used = committed[(committee_id, year)]
        if year == today.year:
            fund.budget_fen = max(300_000_00, math.ceil(used * 1.8 / 50_000_00) * 50_000_00)
        else:
            fund.budget_fen = max(100_000_00, math.ceil(used * 1.1 / 10_000_00) * 10_000_00)
        assert used <= fund.budget_fen
    fund_rows = list(funds.values())
    CareFund.objects.bulk_create(fund_rows)
    for application in applications:
        application.fund_id = application.fund.pk
    CareApplication.objects.bulk_create(applications, batch_size=2_000)

    CareDecision.objects.bulk_create(
        [
            CareDecision(
                application_id=application.pk,
                step=step,
                outcome=outcome,
                reason=reason,
                amount_fen=amount,
                decided_by_id=user_id,
                decided_by_name=officers.names.get(user_id, ""),
                decided_at=_moment(day, 15),
            )
            for application, decisions in steps
            for step, outcome, reason, amount, user_id, day in decisions
        ],
        batch_size=5_000,
    )
    CarePayment.objects.bulk_create(
        [
            CarePayment(
                application_id=application.pk,
                fund_id=application.fund_id,
                amount_fen=application.approved_fen,
                paid_on=day,
                reference=reference,
                recorded_by_id=user_id,
                recorded_by_name=officers.names.get(user_id, ""),
                recorded_at=_moment(day, 16),
            )
            for application, reference, day, user_id in payments
        ],
        batch_size=5_000,
    )
    attached = [
        CareDocument(
            application_id=application.pk,
            kind=kind,
            file=documents[kind][0],
            original_name=f"{kind}.png",
            content_type="image/png",
            size=documents[kind][1],
            uploaded_at=application.submitted_at,
        )
        for application in applications
        for kind in application.category.required_documents
        if kind in documents
    ]
    CareDocument.objects.bulk_create(attached, batch_size=5_000)

    # Legal aid: requests at every stage, handled by the street; the demo worker's is referred.
    centre = LegalAidCentre.objects.filter(active=True).order_by("pk").first()
    requests = []
    legal_plan = [(row, None) for row in legal_people]
    worker_row = (
        Employment.objects.filter(person_id=demo_worker, end_date__isnull=True, unit__street__isnull=False)
        .values_list("person_id", "unit_id", "unit__street_id", "unit__industry", "job_type")
        .first()
        if demo_worker
        else None
    )
    if worker_row:
        legal_plan.insert(0, (worker_row, "referred"))
    legal_kinds, legal_weights = list(LEGAL_KINDS), list(LEGAL_KINDS.values())
    for (person_id, unit_id, street_id, _industry, _job), forced in legal_plan:
        kind = "wage_arrears" if forced else rng.choices(legal_kinds, legal_weights)[0]
        status = forced or rng.choices(["submitted", "checked", "referred", "closed"], [20, 15, 30, 35])[0]
        status = status if decided else "submitted"
        created = today - datetime.timedelta(
            days=rng.randint(2, 200) if status == "closed" else rng.randint(1, 40)
        )
        handler = officers.reviewer(streets[street_id]) if decided else None
        request = LegalAidRequest(
            person_id=person_id,
            unit_id=unit_id,
            street_id=street_id,
            kind=kind,
            facts=rng.choice(LEGAL_FACTS[kind]),
            created_at=_moment(created, 9),
        )
        day = created
        if status != "submitted":
            day = min(day + datetime.timedelta(days=rng.randint(1, 5)), today)
            checklist = {key: rng.random() < 0.5 for key in legal.HARDSHIP_KEYS}
            request.hardship_checklist = checklist
            request.hardship_result = legal.hardship_result(kind, checklist)
            request.checked_by_id = handler
            request.checked_at = _moment(day, 11)
            request.status = LegalAidRequest.Status.CHECKED
        qualified = request.hardship_result in (legal.Result.EXEMPT, legal.Result.MET)
        if status in ("referred", "closed") and qualified and centre is not None:
            day = min(day + datetime.timedelta(days=rng.randint(0, 3)), today)
            request.centre = centre
            request.referred_on = day
            request.referred_by_id = handler
            request.status = LegalAidRequest.Status.REFERRED
        if status == "closed" or (status == "referred" and not qualified):
            if request.status == LegalAidRequest.Status.REFERRED:
                outcome = rng.choices(
                    ["concluded", "settled", "not_accepted", "withdrawn"], [35, 40, 15, 10]
                )[0]
            else:
                outcome = "not_qualified" if request.hardship_result == legal.Result.NOT_MET else "withdrawn"
            day = min(day + datetime.timedelta(days=rng.randint(5, 60)), today)
            request.outcome = outcome
            request.outcome_note = OUTCOME_NOTES[outcome]
            request.closed_on = day
            request.closed_by_id = handler
            request.status = LegalAidRequest.Status.CLOSED
        request._history_date = (
            timezone.now() if request.status == LegalAidRequest.Status.SUBMITTED else _moment(day, 17)
        )
        requests.append(request)
    LegalAidRequest.objects.bulk_create(requests, batch_size=2_000)
    if not large:
        write_history(LegalAidRequest, requests)

    # The district's administrators keep the categories, rules, funds and centres in the admin.
    group = Group.objects.filter(name=data.DISTRICT_ADMIN_GROUP).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="care",
                content_type__model__in=[
                    "carecategory",
                    "careeligibilityrule",
                    "carefund",
                    "legalaidcentre",
                    "careapplication",
                    "caredecision",
                    "carepayment",
                ],
            )
        )

    counts = {
        "care_funds": len(fund_rows),
        "care_applications": len(applications),
        "care_decisions": sum(len(d) for _a, d in steps),
        "care_payments": len(payments),
        "care_documents": len(attached),
        "legal_aid_requests": len(requests),
        "care_officers": officers.made,
    }
    if stdout is not None:
        stdout.write(
            f"  care fund: {len(fund_rows)} funds, {len(applications):,} applications "
            f"({len(payments):,} paid), {len(requests):,} legal-aid requests"
        )
    return counts
