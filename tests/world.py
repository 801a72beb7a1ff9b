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
    return {
        "units": [outsider, orphan],
        "organizations": [town_committee, branch],
        "people": [worker, secretary],
    }
