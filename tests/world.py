"""A small district for tests: two streets, their units, organizations and people, and personas.

Built through the services so audit events exist, as they would in use.
"""

import datetime
from dataclasses import dataclass, field

from dangjian.accounts.models import Role, RoleAssignment, User
from dangjian.core.audit import save_tracked
from dangjian.core.choices import Industry
from dangjian.core.validators import id_number_check_char, uscc_check_char
from dangjian.organizations.models import CommitteeIndustry, Office, Organization
from dangjian.organizations.services import appoint_committee_member, save_organization
from dangjian.people.models import Employment, Person
from dangjian.regions.models import Region
from dangjian.units.models import Unit, Visit, VisitAction
from dangjian.units.services import save_unit

PERSONAS = [
    "district_admin",
    "street_a",
    "street_b",
    "committee_staff",
    "branch_secretary",
    "liaison",
    "worker",
]
PASSWORD = "Test-pass-2026"
_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def make_id_number(birth: str = "19900101") -> str:
    first17 = f"460106{birth}{_next() % 1000:03d}"
    return first17 + id_number_check_char(first17)


def make_uscc() -> str:
    first17 = f"91460106MA{_next():07d}"
    return first17 + uscc_check_char(first17)


def make_mobile() -> str:
    return f"139{_next():08d}"


def region(name: str, kind: str, parent: Region | None = None) -> Region:
    obj = Region(name=name, kind=kind, parent=parent)
    save_tracked(obj, actor=None)
    return obj


def unit(name: str, street: Region | None, industry: str = Industry.FOOD_DELIVERY, **fields) -> Unit:
    fields.setdefault("kind", Unit.Kind.HEAD_COMPANY)
    return save_unit(
        actor=None, unit=Unit(name=name, street=street, industry=industry, uscc=make_uscc(), **fields)
    )


def organization(name: str, kind: str, parent: Organization | None, street=None, covers=(), **fields):
    obj = save_organization(
        actor=None, organization=Organization(name=name, kind=kind, parent=parent, street=street, **fields)
    )
    obj.covered_units.set(covers)
    return obj


def person(name: str, *, works_at: Unit | None = None, job_type: str = Employment.JobType.RIDER) -> Person:
    obj = Person(name=name, id_number=make_id_number(), mobile=make_mobile())
    save_tracked(obj, actor=None)
    if works_at is not None:
        save_tracked(
            Employment(person=obj, unit=works_at, job_type=job_type, start_date=datetime.date(2025, 3, 1)),
            actor=None,
        )
    return obj


def user(username: str, role: str, **scope) -> User:
    obj = User.objects.create_user(username=username, password=PASSWORD, first_name=username)
    RoleAssignment.objects.create(user=obj, role=role, **scope)
    return obj


@dataclass
class World:
    district: Region
    street_a: Region
    street_b: Region
    units: dict[str, Unit] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def build_world() -> World:
    district = region("龙华区", Region.Kind.DISTRICT)
    street_a = region("中山街道", Region.Kind.STREET, district)
    street_b = region("滨海街道", Region.Kind.STREET, district)
    region("博爱社区", Region.Kind.COMMUNITY, street_a)
    region("滨海社区", Region.Kind.COMMUNITY, street_b)
    # A third township that no persona but the district answers for (see add_intruders).
    region("新坡社区", Region.Kind.COMMUNITY, region("新坡镇", Region.Kind.TOWN, district))
    Office.objects.create(name="市场监管龙华分局", kind=Office.Kind.INDUSTRY_AUTHORITY, region=district)
    w = World(district=district, street_a=street_a, street_b=street_b)

    hq = unit("甲外卖总公司", street_a)
    w.units = {
        "hq_a": hq,
        "outlet_a": unit(
            "甲外卖中山站", street_a, kind=Unit.Kind.OUTLET, parent=hq, key_area="delivery_station"
        ),
        "outlet_b": unit("甲外卖滨海站", street_b, kind=Unit.Kind.OUTLET, parent=hq),
        "shop_a": unit("中山便民配送店", street_a),
        "plain_b": unit("滨海直播工作室", street_b, industry=Industry.LIVESTREAMING),
        "express_b": unit("滨海快递网点", street_b, industry=Industry.EXPRESS),
    }
    root = organization("两新工委", Organization.Kind.TWO_NEW_COMMITTEE, None)
    committee = organization("快递物流行业综合党委", Organization.Kind.COMPREHENSIVE_COMMITTEE, root)
    CommitteeIndustry.objects.create(committee=committee, industry=Industry.EXPRESS)
    committee_a = organization("中山街道工委", Organization.Kind.STREET_COMMITTEE, root, street=street_a)
    committee_b = organization("滨海街道工委", Organization.Kind.STREET_COMMITTEE, root, street=street_b)
    w.organizations = {
        "root": root,
        "committee": committee,
        "committee_a": committee_a,
        "committee_b": committee_b,
        "branch_a": organization(
            "中山外卖联合党支部",
            Organization.Kind.BRANCH,
            committee_a,
            street=street_a,
            covers=[w.units["outlet_a"], w.units["shop_a"]],
            build_method=Organization.BuildMethod.JOINT,
            term_start=datetime.date(2022, 1, 1),
        ),
        "branch_b": organization(
            "滨海直播党支部",
            Organization.Kind.BRANCH,
            committee_b,
            street=street_b,
            covers=[w.units["plain_b"]],
            build_method=Organization.BuildMethod.STANDALONE,
            term_start=datetime.date(2025, 1, 1),
        ),
    }
    w.people = {
        "worker": person("王小明", works_at=w.units["outlet_a"]),
        "worker_b": person("符海燕", works_at=w.units["plain_b"], job_type=Employment.JobType.LIVESTREAMER),
        "courier_b": person("陈快递", works_at=w.units["express_b"], job_type=Employment.JobType.COURIER),
        "secretary": person("李书记"),
        "committee_member": person("赵委员"),
    }
    appoint_committee_member(
        actor=None,
        organization=w.organizations["branch_a"],
        person=w.people["secretary"],
        post="secretary",
        start_date=datetime.date(2022, 1, 1),
    )
    appoint_committee_member(
        actor=None,
        organization=committee,
        person=w.people["committee_member"],
        post="member",
        start_date=datetime.date(2023, 5, 1),
    )
    w.users = {
        "district_admin": user("district_admin", Role.DISTRICT_ADMIN, region=district),
        "street_a": user("street_a", Role.STREET_STAFF, region=street_a),
        "street_b": user("street_b", Role.STREET_STAFF, region=street_b),
        "committee_staff": user("committee_staff", Role.COMMITTEE_STAFF, organization=committee),
        "branch_secretary": user(
            "branch_secretary", Role.BRANCH_SECRETARY, organization=w.organizations["branch_a"]
        ),
        "liaison": user("liaison", Role.ENTERPRISE_LIAISON, unit=hq),
        "worker": user("worker", Role.WORKER, person=w.people["worker"]),
    }
    w.people["worker"].user = w.users["worker"]
    w.people["worker"].save()
    # A return visit with an open follow-up action, so the security test walks the visit routes.
    add_visit(w.units["shop_a"], datetime.date(2025, 6, 1), by=w.users["street_a"], action="协助建立党员名册")
    # A member who disclosed at entry registration: an open follow-up for branch_a, so the security
    # test walks the follow-up routes.
    w.people["member"] = add_disclosed_member("刘党员", w.units["shop_a"])
    # The five-clears ledger's own records (an investor, an instructor), so the security test
    # walks the investor and instructor routes.
    add_ledger_records(w.units["hq_a"], dispatched_by=committee_a)
    add_coverage_help_records(w)  # a pledge and a joint-build proposal (measure 4)
    # A management post held by branch_a's secretary at a unit it covers (a cross appointment)
    # and a decision logged there (measure 5), so the security test walks their routes.
    add_leadership_records(w.units["shop_a"], w.organizations["branch_a"], w.people["secretary"])
    # The worker applied to join the party at branch_a (measure 5): the security test walks the
    # development record's routes, and the worker sees their own record.
    add_development_record(w.people["worker"], w.organizations["branch_a"])
    # Care fund and legal aid (measure 9): funds, an application each for the worker and 陈快递, a
    # legal-aid request, so the security test walks their routes.
    add_care_records(w)
    # Red rider stations (measure 9): one in each street, so the security test walks their routes.
    add_station_records(w)
    # Development quotas and a mobile member (measure 5), so the security test walks their routes.
    add_membership_records(w)
    return w


def add_ledger_records(at: Unit, *, dispatched_by: Organization | None = None, prefix: str = ""):
    """An investor and a party-building instructor of ``at``."""
    from dangjian.people.services import find_or_create_person, save_investor
    from dangjian.units.services import assign_instructor

    investor = save_investor(
        actor=None,
        unit=at,
        role="legal_representative",
        id_number=make_id_number("19750608"),
        name=f"{prefix}张出资",
        political_status=Person.PoliticalStatus.MASSES,
        share_percent=60,
        representative_roles="区人大代表",
    )
    instructor = find_or_create_person(
        actor=None, id_number=make_id_number("19800101"), name=f"{prefix}孙指导"
    )
    assignment = assign_instructor(
        actor=None,
        unit=at,
        instructor=instructor,
        dispatched_by=dispatched_by,
        start_date=datetime.date(2025, 5, 1),
    )
    return investor, assignment


def add_disclosed_member(name: str, at: Unit) -> Person:
    from dangjian.people.services import register_worker

    return register_worker(
        actor=None,
        name=name,
        id_number=make_id_number("19920315"),
        mobile=make_mobile(),
        unit=at,
        job_type=Employment.JobType.RIDER,
        full_time=True,
        start_date=datetime.date(2025, 4, 1),
        political_status=Person.PoliticalStatus.FULL_MEMBER,
    ).person


def add_visit(at: Unit, visited_on: datetime.date, *, by: User, action: str = "") -> Visit:
    visit = Visit(unit=at, visited_on=visited_on, visitors="张三、李四", findings="经营正常", recorded_by=by)
    save_tracked(visit, actor=by)
    if action:
        save_tracked(VisitAction(visit=visit, description=action), actor=by)
    return visit


def add_intruders(w: World) -> dict:
    """Protected data outside every persona's scope but the district's: in the third town, or orphaned.

    Regions are public structure, so none is added here."""
    town = Region.objects.get(name="新坡镇")
    outsider = unit("越界单位新坡货运", town, industry=Industry.OTHER)
    orphan = unit("越界单位无属地", None, industry=Industry.OTHER)
    town_committee = organization(
        "越界新坡镇党委", Organization.Kind.TOWN_COMMITTEE, w.organizations["root"], street=town
    )
    branch = organization(
        "越界新坡党支部",
        Organization.Kind.BRANCH,
        town_committee,
        street=town,
        covers=[outsider],
        build_method=Organization.BuildMethod.STANDALONE,
        term_start=datetime.date(2020, 1, 1),
    )
    worker = person("越界工人", works_at=outsider)
    secretary = person("越界书记")
    appoint_committee_member(
        actor=None,
        organization=branch,
        person=secretary,
        post="secretary",
        start_date=datetime.date(2020, 1, 1),
    )
    # Not returned: the caller looks intruders up by name; these must just stay out of sight.
    add_visit(outsider, datetime.date(2025, 6, 1), by=w.users["district_admin"], action="越界整改事项")
    add_disclosed_member("越界党员", outsider)  # its follow-up, out of sight too
    add_ledger_records(outsider, dispatched_by=town_committee, prefix="越界")  # out of sight too
    add_coverage_help_intruders(town, outsider, town_committee)  # a pledge and a proposal, out of sight
    add_leadership_records(outsider, branch, secretary, prefix="越界")  # out of sight too
    add_development_record(worker, branch)  # an application in the town's branch, out of sight too
    add_care_intruders(w, town, outsider, worker)  # a fund, an application, a legal-aid request
    add_membership_intruders(town_committee, branch, outsider)  # a quota and a mobile member
    return {
        "units": [outsider, orphan],
        "organizations": [town_committee, branch],
        "people": [worker, secretary],
        "stations": [add_station("越界新坡驿站", town, latitude=19.80, longitude=110.39)],
    }


def add_coverage_help_records(w: World) -> None:
    """One-to-one help and the joint-build planner (measure 4): the express committee's member
    pledges to help 滨海快递网点, with a progress note; a planner run for 中山街道 proposes one group."""
    from dangjian.coverage.models import JointBuildProposal, Pledge, PledgeProgress, ProposedGroup

    member = w.organizations["committee"].committee_members.get(person=w.people["committee_member"])
    pledge = Pledge(
        committee_member=member, target_unit=w.units["express_b"], pledged_on=datetime.date(2025, 6, 1)
    )
    save_tracked(pledge, actor=None)
    save_tracked(
        PledgeProgress(pledge=pledge, noted_on=datetime.date(2025, 7, 1), note="走访企业负责人"), actor=None
    )
    proposal = JointBuildProposal(street=w.street_a, status=JointBuildProposal.Status.READY)
    save_tracked(proposal, actor=None)
    group = ProposedGroup(proposal=proposal, number=1, street=w.street_a)
    save_tracked(group, actor=None)
    group.units.set([w.units["hq_a"]])


def add_coverage_help_intruders(town: Region, outsider: Unit, town_committee: Organization) -> None:
    from dangjian.coverage.models import JointBuildProposal, Pledge, ProposedGroup

    member = appoint_committee_member(
        actor=None,
        organization=town_committee,
        person=person("越界委员"),
        post="member",
        start_date=datetime.date(2021, 1, 1),
    )
    save_tracked(
        Pledge(committee_member=member, target_unit=outsider, pledged_on=datetime.date(2025, 6, 1)),
        actor=None,
    )
    proposal = JointBuildProposal(street=town, status=JointBuildProposal.Status.READY)
    save_tracked(proposal, actor=None)
    group = ProposedGroup(proposal=proposal, number=1, street=town)
    save_tracked(group, actor=None)
    group.units.set([outsider])


def add_leadership_records(at: Unit, organization: Organization, holder: Person, *, prefix: str = ""):
    """Secretaries and leadership (measure 5): ``holder`` manages ``at`` (covered by
    ``organization``), and the organization's opinion on one of its major matters is logged."""
    from dangjian.organizations.leadership_services import appoint_management_post, record_decision

    post = appoint_management_post(
        actor=None, unit=at, person=holder, kind="station_manager", start_date=datetime.date(2024, 3, 1)
    )
    decision = record_decision(
        actor=None,
        unit=at,
        organization=organization,
        decided_on=datetime.date(2025, 5, 20),
        matter=f"{prefix}调整骑手排班和高温补贴",
        opinion="建议充分听取骑手意见，高温补贴按月足额发放。",
        outcome="adopted",
    )
    return post, decision


def add_development_record(applicant: Person, organization: Organization, *, applied_on=None):
    """An application for party membership with its first talk (measure 5)."""
    from dangjian.membership.services import record_step, start_application

    applied_on = applied_on or datetime.date(2025, 9, 1)
    record = start_application(actor=None, organization=organization, person=applicant, applied_on=applied_on)
    record_step(actor=None, record=record, kind="first_talk", on=applied_on + datetime.timedelta(days=10))
    return record


CARE_YEAR = 2025


def add_care_records(w: World) -> dict:
    """Care fund and legal aid (measure 9): the two-new working committee's fund and the express
    committee's fund for 2025; the worker's application (submitted, for street_a to review), 陈快递's
    (reviewed by street_b, for committee_staff to decide); the worker's legal-aid request."""
    from dangjian.care.models import CareApplication, CareCategory, CareDecision, CareFund, LegalAidRequest

    root_fund = CareFund(
        name="两新工委关爱基金", committee=w.organizations["root"], year=CARE_YEAR, budget_fen=200_000_00
    )
    save_tracked(root_fund, actor=None)
    express_fund = CareFund(
        name="快递物流行业关爱基金",
        committee=w.organizations["committee"],
        year=CARE_YEAR,
        budget_fen=100_000_00,
    )
    save_tracked(express_fund, actor=None)
    own = CareApplication(
        fund=root_fund,
        category=CareCategory.objects.get(kind="accident"),
        person=w.people["worker"],
        unit=w.units["outlet_a"],
        street=w.street_a,
        job_type="rider",
        amount_fen=3_000_00,
        reason="送餐途中被电动车撞伤住院",
        applied_by=w.users["worker"],
    )
    save_tracked(own, actor=w.users["worker"])
    courier = CareApplication(
        fund=express_fund,
        category=CareCategory.objects.get(kind="child_education"),
        person=w.people["courier_b"],
        unit=w.units["express_b"],
        street=w.street_b,
        job_type="courier",
        amount_fen=5_000_00,
        reason="女儿考入大学，学费有困难",
        applied_by=w.users["street_b"],
        status=CareApplication.Status.REVIEWED,
    )
    save_tracked(courier, actor=w.users["street_b"])
    save_tracked(
        CareDecision(
            application=courier,
            step="review",
            outcome="passed",
            reason="材料齐全",
            decided_by=w.users["street_b"],
        ),
        actor=w.users["street_b"],
    )
    legal = LegalAidRequest(
        person=w.people["worker"],
        unit=w.units["outlet_a"],
        street=w.street_a,
        kind=LegalAidRequest.Kind.WAGE_ARREARS,
        facts="站点拖欠两个月工资",
        requested_by=w.users["worker"],
    )
    save_tracked(legal, actor=w.users["worker"])
    return {"funds": [root_fund, express_fund], "applications": [own, courier], "legal": [legal]}


def add_care_intruders(w: World, town: Region, outsider: Unit, worker: Person) -> dict:
    """A comprehensive committee leading "other" industries with its fund, the outside worker's
    application to it and legal-aid request: all in the third town, out of every persona's sight."""
    from dangjian.care.models import CareApplication, CareCategory, CareFund, LegalAidRequest

    committee = organization(
        "越界货运行业综合党委", Organization.Kind.COMPREHENSIVE_COMMITTEE, w.organizations["root"]
    )
    CommitteeIndustry.objects.create(committee=committee, industry=Industry.OTHER)
    fund = CareFund(name="越界关爱基金", committee=committee, year=CARE_YEAR, budget_fen=50_000_00)
    save_tracked(fund, actor=None)
    application = CareApplication(
        fund=fund,
        category=CareCategory.objects.get(kind="disaster"),
        person=worker,
        unit=outsider,
        street=town,
        job_type="truck_driver",
        amount_fen=4_000_00,
        reason="越界台风损失",
    )
    save_tracked(application, actor=None)
    request = LegalAidRequest(
        person=worker,
        unit=outsider,
        street=town,
        kind=LegalAidRequest.Kind.TRAFFIC_ACCIDENT,
        facts="越界交通事故",
    )
    save_tracked(request, actor=None)
    return {"fund": fund, "application": application, "legal": request}


def add_station(name: str, street: Region, *, community=None, latitude=20.04, longitude=110.34, **fields):
    """A red rider station (measure 9), open 08:00–20:00 every day, with water and a seat."""
    from decimal import Decimal

    from dangjian.care.models import Station, StationService
    from dangjian.care.station_rules import every_day
    from dangjian.care.stations import save_station

    services = fields.pop("services", ("water", "rest"))
    periods = fields.pop("periods", every_day(datetime.time(8), datetime.time(20)))
    station = Station(
        name=name,
        host_kind=fields.pop("host_kind", Station.HostKind.SERVICE_CENTRE),
        address=fields.pop("address", f"海口市龙华区{name}"),
        street=street,
        community=community,
        latitude=Decimal(f"{latitude:.6f}"),
        longitude=Decimal(f"{longitude:.6f}"),
        **fields,
    )
    return save_station(
        actor=None,
        station=station,
        services=StationService.objects.filter(code__in=services),
        periods=list(periods),
    )


def add_station_records(w: World) -> None:
    """A station in each street (one with a holiday closure), and check-ins at 中山's. Both are
    open around the clock: a page showing "open until 20:00" before and "closed" after would fail
    the scope test's before/after comparison whenever it runs across 20:00."""
    from dangjian.care.station_rules import every_day
    from dangjian.care.stations import add_closure, record_check_in

    boai = Region.objects.get(name="博爱社区")
    station_a = add_station(
        "中山党群服务中心驿站",
        w.street_a,
        community=boai,
        latitude=20.044,
        longitude=110.348,
        periods=every_day(),
    )
    add_station(
        "滨海社区驿站",
        w.street_b,
        latitude=20.040,
        longitude=110.315,
        services=("water", "charging"),
        periods=every_day(),
    )
    add_closure(
        actor=None,
        station=station_a,
        start_date=datetime.date(2026, 2, 16),
        end_date=datetime.date(2026, 2, 18),
        reason="春节闭站",
    )
    record_check_in(station=station_a, at=datetime.datetime(2025, 6, 1, 12, 30, tzinfo=datetime.UTC))


def add_membership_records(w: World) -> None:
    """This year's quotas (the district's, 中山街道工委's with one admission) and a mobile member
    (刘党员, whose relation is outside the district, taking part in branch_a's life)."""
    from django.utils import timezone

    from dangjian.membership.mobile import add_participation, save_mobile_member
    from dangjian.membership.quotas import allocate_quota, use_quota

    year = timezone.localdate().year
    allocate_quota(actor=None, organization=w.organizations["root"], year=year, amount=20)
    allocate_quota(actor=None, organization=w.organizations["committee_a"], year=year, amount=5)
    use_quota(
        organization=w.organizations["branch_a"],
        year=year,
        person=w.people["secretary"],
        actor=None,
        used_on=datetime.date(year, 1, 10),
    )
    member = save_mobile_member(
        actor=None,
        person=w.people["member"],
        outside_affiliation="儋州市那大镇某村党支部",
        certificate_number="LD-2025-001",
        away_since=datetime.date(2025, 3, 1),
        stay_place="海口市龙华区中山街道",
        stay_since=datetime.date(2025, 4, 1),
        last_contact_on=datetime.date(2025, 4, 1),
    )
    add_participation(
        actor=None,
        member=member,
        organization=w.organizations["branch_a"],
        start_date=datetime.date(2025, 4, 15),
    )


def add_membership_intruders(town_committee: Organization, branch: Organization, outsider: Unit) -> None:
    """A quota of the town's committee and a mobile member taking part in the town's branch."""
    from django.utils import timezone

    from dangjian.membership.mobile import add_participation, save_mobile_member
    from dangjian.membership.quotas import allocate_quota, use_quota

    year = timezone.localdate().year
    allocate_quota(actor=None, organization=town_committee, year=year, amount=3)
    member = Person.objects.get(name="越界党员")
    use_quota(organization=branch, year=year, person=person("越界申请人", works_at=outsider), actor=None)
    mobile = save_mobile_member(
        actor=None,
        person=member,
        outside_affiliation="越界外地党支部",
        away_since=datetime.date(2024, 1, 1),
    )
    add_participation(actor=None, member=mobile, organization=branch, start_date=datetime.date(2024, 2, 1))
