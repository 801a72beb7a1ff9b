"""Deterministic demo data: Longhua District with its streets, units, party organizations and workers.

Everything is drawn from seeded ``random.Random`` streams: the same seed gives the same names,
numbers and structure (ciphertexts differ, as they always do). The registry (regions, units,
organizations, people) comes from one stream; the census of measure 3 (the five-clears ledger's
operations, reported headcounts, investors, instructors, return visits, disclosure follow-ups)
and every history date from a second one, so adding census data left the registry as it was.
Dates are fixed, except those that must stay current whenever the demo is loaded: the term dates
of organizations (re-election reminders), and the census, visits and history, which are placed
relative to today (so some visits are always overdue and some follow-ups always open).

Rows are written with ``bulk_create`` in batches and explicit primary keys, so materialized
paths are computed up front (``child_path(parent.path, pk)``) and nothing is saved twice. As
``bulk_create`` skips ``Person.save()``, the blind indexes are filled in here; the encrypted
fields encrypt themselves when the row is written. No audit events are written, but every row
of a model with a history gets the simple-history rows ``bulk_create_with_history`` would write
(``write_history``, faster), dated when the system would have recorded it: the registry was
imported when the system went live (``LAUNCH_DAYS_AGO``), later registrations and the census at
their own dates. The ledger "as of" a past day (``units/ledger.py``) therefore shows the district
as it was then. The large size skips the history by default (see ``load_demo``).
"""

import contextlib
import copy
import datetime
import itertools
import random
import time
from bisect import bisect_right
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from dangjian.accounts.models import Role, RoleAssignment, User
from dangjian.core.bulk import write_history
from dangjian.core.crypto import blind_index
from dangjian.core.demo import data
from dangjian.core.tree import child_path
from dangjian.core.validators import USCC_ALPHABET, id_number_check_char, uscc_check_char
from dangjian.organizations.models import CommitteeIndustry, CommitteeMember, Office, Organization
from dangjian.people.models import DisclosureFollowUp, Employment, Investor, Person
from dangjian.people.services import follow_up_days
from dangjian.regions.models import Region
from dangjian.units.models import InstructorAssignment, Unit, Visit, VisitAction, WorkforceReport
from dangjian.units.visits import default_intervals

DEMO_PASSWORD = "Longhua@2026"  # noqa: S105 - public on purpose; production refuses demo accounts
# (username, role, what the account shows), for the README, the login page and the tests.
DEMO_ACCOUNTS = [
    ("district_admin", Role.DISTRICT_ADMIN.value, "区级管理员（两新工委）：全区数据，可进入管理后台"),
    ("zhongshan_staff", Role.STREET_STAFF.value, "中山街道工作人员：中山街道的单位、组织和人员"),
    ("binhai_staff", Role.STREET_STAFF.value, "滨海街道工作人员：滨海街道的单位、组织和人员"),
    ("express_committee", Role.COMMITTEE_STAFF.value, "龙华区快递物流行业综合党委工作人员"),
    ("branch_secretary", Role.BRANCH_SECRETARY.value, "中山街道一个联合党支部的书记"),
    (
        "enterprise_liaison",
        Role.ENTERPRISE_LIAISON.value,
        "中山街道一家快递总公司的企业联络员（含其分公司和网点）",
    ),
    ("worker", Role.WORKER.value, "在中山街道一个快递网点工作的快递员（本人档案）"),
]

SIZES = {
    "default": {"units": 300, "workers": 3_000},
    "large": {"units": 50_000, "workers": 1_000_000},
}
MIN_UNITS = 20
BATCH_SIZE = 5_000
PROGRESS_EVERY = 100_000

# Dates drawn for people and employments fall in this window (fixed, so runs are reproducible).
EMPLOYMENT_FROM = datetime.date(2018, 1, 1)
EMPLOYMENT_TO = datetime.date(2025, 10, 31)
PREPARING_FROM = datetime.date(2025, 3, 1)
PREPARING_TO = datetime.date(2025, 10, 31)

# Relative to today (days ago): when the system went live and the registry was imported (over
# IMPORT_DAYS), when the five-clears census began, and how far back the return visits go.
LAUNCH_DAYS_AGO = 900
IMPORT_DAYS = 90
CENSUS_DAYS_AGO = 330
VISIT_WINDOW_DAYS = 548  # 18 months
OUTLET_KINDS = (Unit.Kind.OUTLET, Unit.Kind.CHAIN_STORE, Unit.Kind.FRANCHISE_STORE)
MEMBER_STATUSES = (Person.PoliticalStatus.FULL_MEMBER, Person.PoliticalStatus.PROBATIONARY_MEMBER)
# Timestamps the models set themselves on creation (auto_now_add); the demo gives past ones.
GIVEN_TIMESTAMPS = (
    (WorkforceReport, "recorded_at"),
    (Visit, "recorded_at"),
    (DisclosureFollowUp, "created_at"),
)

NOT_EMPTY_MESSAGE = "数据库已有数据，未加载演示数据 / the database already has data; demo data not loaded"


class DatabaseNotEmpty(Exception):
    """Raised when demo data would be loaded into a database that already has regions."""


def database_has_data() -> bool:
    return Region.objects.exists()


def load_demo(
    *,
    size: str = "default",
    units: int | None = None,
    workers: int | None = None,
    seed: int = 2026,
    with_accounts: bool = True,
    with_history: bool | None = None,
    stdout=None,
) -> dict:
    """Load the demo district in one transaction; return the number of rows written per model.

    ``with_history``: write the history rows (see the module's docstring); by default yes, except
    for the large size, where they make the load about 60% slower (two million more rows, and
    the people's history indexes the blind indexes too). Without them the ledger as of a past day
    says that the units' history is missing, as for any data loaded without history.
    """
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    n_units = SIZES[size]["units"] if units is None else units
    n_workers = SIZES[size]["workers"] if workers is None else workers
    if n_units < MIN_UNITS:
        raise ValueError(f"at least {MIN_UNITS} units are needed for the demo structure")
    if n_workers < n_units:
        raise ValueError("there must be at least as many workers as units")
    with _fast_bulk_load(), _given_timestamps(), transaction.atomic():
        if database_has_data():
            raise DatabaseNotEmpty(NOT_EMPTY_MESSAGE)
        generator = _Generator(
            n_units=n_units,
            n_workers=n_workers,
            seed=seed,
            with_accounts=with_accounts,
            with_history=size != "large" if with_history is None else with_history,
            stdout=stdout,
            progress=size == "large" or n_workers >= PROGRESS_EVERY,
        )
        counts = generator.run()
        # Each measure's app adds its own demo rows on top of the census (see DEMO_PARTS).
        for load_part in demo_parts():
            counts.update(load_part(seed=seed, large=size == "large", stdout=stdout))
        return counts


def demo_parts() -> list:
    """The measures' demo loaders, in order: ``load(*, seed, large, stdout) -> {name: rows}``.

    Each reads what the census generator wrote (regions, units, organizations, people, accounts)
    and adds its own rows; imported here so that the core does not depend on the later apps.
    """
    from dangjian.care import demo_stations

    parts = []
    parts.append(demo_stations.load)  # measure 9: red rider stations
    from dangjian.organizations import demo_leadership

    parts.append(demo_leadership.load)  # measure 5: members' organizations, management posts, decisions
    from dangjian.coverage import demo_pledges

    parts.append(demo_pledges.load)  # measure 4: one-to-one help pledges of about half the committee members
    from dangjian.membership import demo_pipeline

    parts.append(demo_pipeline.load)  # measure 5: development records at every stage (before the quotas)
    from dangjian.membership import demo_mobile, demo_quotas

    parts.append(demo_quotas.load)  # measure 5: this year's and last year's development quotas
    parts.append(demo_mobile.load)  # measure 5: members' organizations, mobile members, participations
    from dangjian.care import demo_fund

    parts.append(demo_fund.load)  # measure 9: care funds with applications at every step, legal aid
    # Last: derived from the demo's final state (organizations, members, the pipeline).
    from dangjian.coverage import demo_snapshots

    parts.append(demo_snapshots.load)  # measure 4: twelve past months of coverage snapshots
    return parts


# --- helpers --------------------------------------------------------------------------------


@contextlib.contextmanager
def _fast_bulk_load():
    """Settings for a big load, restored afterwards.

    With DEBUG on, Django logs every query, and on SQLite it quotes all 999 parameters of each
    INSERT through an extra query to do so: a sixth of the run time. A bigger SQLite page cache
    (256 MB) keeps the random-keyed blind-index B-trees in memory instead of spilling pages to
    the WAL over and over.
    """
    debug = settings.DEBUG
    cache_size = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -262144")
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug
        if cache_size is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


@contextlib.contextmanager
def _given_timestamps():
    """Let the demo write past "recorded at" / "created at" times, restored afterwards.

    ``auto_now_add`` would stamp every demo visit, report and follow-up with the moment of the
    load; the ledger as of a past day and the follow-up list need them spread over the past.
    """
    fields = [model._meta.get_field(name) for model, name in GIVEN_TIMESTAMPS]
    saved = [field.auto_now_add for field in fields]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field, value in zip(fields, saved, strict=True):
            field.auto_now_add = value


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _cumulative(weights) -> list[float]:
    return list(itertools.accumulate(weights))


def _decimal(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def _short_community(name: str) -> str:
    for suffix in ("社区", "村"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class _Rows:
    """Builds model instances positionally, about three times faster than with keywords.

    ``_Rows(Person, "id", "name")(1, "王伟")`` is ``Person(id=1, name="王伟")``; the other
    fields get their defaults. Field positions are looked up once, so added fields still work.
    """

    def __init__(self, model, *attnames):
        fields = model._meta.concrete_fields
        position = {field.attname: i for i, field in enumerate(fields)}
        self.model = model
        self.defaults = [field.get_default() for field in fields]
        self.positions = [position[name] for name in attnames]

    def __call__(self, *values):
        args = self.defaults.copy()
        for i, value in zip(self.positions, values, strict=True):
            args[i] = value
        return self.model(*args)


class _Unit:
    """A planned unit: light enough to hold 50,000 of them before writing."""

    __slots__ = (
        "pk",
        "path",
        "parent",
        "head",
        "kind",
        "industry",
        "t",
        "home",
        "c",
        "key_area",
        "brand",
        "name",
        "uscc",
        "address",
        "lat",
        "lon",
        "is_platform",
        "weight",
        "descendants",
        "mids",
        # The census: when the unit was recorded, when and by whom its operations were surveyed
        # (None: not yet), its operating status and its own visit interval (None: the default).
        "recorded",
        "surveyed",
        "surveyor",
        "status",
        "interval",
    )

    def __init__(self, kind, industry, parent, t, c):
        self.kind, self.industry, self.parent, self.t, self.c = kind, industry, parent, t, c
        self.head = parent.head if parent is not None else self
        self.key_area = ""
        self.is_platform = False
        self.uscc = None
        self.descendants = []
        self.mids = []
        self.surveyed = self.surveyor = self.interval = None
        self.status = Unit.OperatingStatus.OPERATING


class _Generator:
    def __init__(self, *, n_units, n_workers, seed, with_accounts, with_history, stdout, progress):
        self.rng = random.Random(seed)
        self.census_rng = random.Random(f"census-{seed}")  # the census and the history dates
        self.today = timezone.localdate()  # the anchor for term dates, the census and history
        self.now = timezone.localtime()
        self.launch = self.today - datetime.timedelta(days=LAUNCH_DAYS_AGO)
        self.census_start = self.today - datetime.timedelta(days=CENSUS_DAYS_AGO)
        self.midnights: dict[datetime.date, datetime.datetime] = {}
        self.users: dict[str, User] = {}
        self.history_rows = 0
        self.n_units, self.n_workers = n_units, n_workers
        self.with_accounts = with_accounts
        self.with_history = with_history
        self.out = stdout
        self.progress = progress and stdout is not None
        self.started = time.monotonic()
        self.counts: dict[str, int] = {}
        self.next_pk = {}
        self.id_numbers: set[str] = set()
        self.mobiles: set[str] = set()
        self.surnames = [s for s, _ in data.SURNAMES]
        self.surname_cw = _cumulative(w for _, w in data.SURNAMES)
        self.id_prefixes = [p for p, _ in data.ID_PREFIXES]
        self.id_prefix_cw = _cumulative(w for _, w in data.ID_PREFIXES)
        self.township_cw = _cumulative(t.weight for t in data.TOWNSHIPS)
        self.person_rows = 0
        self.new_person = _Rows(
            Person, "id", "name", "gender", "id_number", "id_number_index", "mobile", "mobile_index",
            "political_status",
        )  # fmt: skip
        self.new_employment = _Rows(
            Employment, "id", "person_id", "unit_id", "job_type", "full_time", "start_date", "end_date"
        )
        self.uscc_seen: set[str] = set()
        self.employment_rows = 0

    # -- plumbing -----------------------------------------------------------------------------

    def say(self, text: str) -> None:
        if self.progress:
            self.out.write(f"[{time.monotonic() - self.started:7.1f}s] {text}")

    def pk(self, model) -> int:
        if model not in self.next_pk:
            self.next_pk[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        value = self.next_pk[model]
        self.next_pk[model] += 1
        return value

    def bulk(self, model, objs) -> None:
        for start in range(0, len(objs), BATCH_SIZE):
            model.objects.bulk_create(objs[start : start + BATCH_SIZE])

    def pick(self, items, cw, rng=None):
        return items[bisect_right(cw, (rng or self.rng).random() * cw[-1])]

    def date_between(self, first: datetime.date, last: datetime.date, rng=None) -> datetime.date:
        return first + datetime.timedelta(days=(rng or self.rng).randint(0, max(0, (last - first).days)))

    def moment(self, day: datetime.date) -> datetime.datetime:
        """A time in office hours on ``day`` (district time), never later than now."""
        midnight = self.midnights.get(day)
        if midnight is None:
            midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
            self.midnights[day] = midnight
        minutes = self.census_rng.randint(8 * 60 + 30, 18 * 60)
        return min(midnight + datetime.timedelta(minutes=minutes), self.now)

    def days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    def user(self, username: str | None) -> User | None:
        """A demo account (None without accounts)."""
        return self.users.get(username) if username else None

    def bulk_with_history(self, model, objs) -> None:
        """``bulk_create`` plus one "created" history row per object, as
        ``simple_history.utils.bulk_create_with_history`` writes them (see ``write_history``)."""
        self.bulk(model, objs)
        self.history(model, objs, update=False)

    def history(self, model, objs, *, update: bool) -> None:
        """History rows for objects already written: their state as of ``obj._history_date``, by
        ``obj._history_user`` when set (else by nobody: imported)."""
        if not self.with_history:
            return
        for start in range(0, len(objs), BATCH_SIZE):
            write_history(model, objs[start : start + BATCH_SIZE], update=update)
        self.history_rows += len(objs)

    def run(self) -> dict:
        self.make_regions()
        self.make_offices()
        if self.with_accounts:
            self.make_users()
        self.make_units()
        self.make_organizations()
        self.make_officials()
        self.make_workers()
        if self.with_accounts:
            self.make_accounts()
        self.make_census()
        self.reset_sequences()
        self.counts["people"] = self.person_rows
        self.counts["employments"] = self.employment_rows
        self.counts["history_rows"] = self.history_rows
        self.say("完成 / done")
        return self.counts

    def reset_sequences(self) -> None:
        """PostgreSQL sequences do not move on explicit primary keys; SQLite needs nothing."""
        models = [
            Region,
            Office,
            Unit,
            Organization,
            Organization.covered_units.through,
            CommitteeIndustry,
            CommitteeMember,
            Person,
            Employment,
            WorkforceReport,
            Investor,
            InstructorAssignment,
            Visit,
            VisitAction,
            DisclosureFollowUp,
        ]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    # -- regions and offices ------------------------------------------------------------------

    def make_regions(self) -> None:
        pk = self.pk(Region)
        self.district = Region(
            pk=pk,
            path=child_path(None, pk),
            name=data.DISTRICT_NAME,
            kind=Region.Kind.DISTRICT,
            code=data.DISTRICT_CODE,
            latitude=_decimal(data.DISTRICT_LAT),
            longitude=_decimal(data.DISTRICT_LON),
        )
        rows = [self.district]
        self.townships: list[Region] = []
        self.communities: list[list[Region]] = []
        for township in data.TOWNSHIPS:
            pk = self.pk(Region)
            region = Region(
                pk=pk,
                parent_id=self.district.pk,
                path=child_path(self.district.path, pk),
                name=township.name,
                kind=township.kind,
                latitude=_decimal(township.latitude),
                longitude=_decimal(township.longitude),
            )
            self.townships.append(region)
            rows.append(region)
            communities = []
            for name, lat, lon in township.communities:
                pk = self.pk(Region)
                communities.append(
                    Region(
                        pk=pk,
                        parent_id=region.pk,
                        path=child_path(region.path, pk),
                        name=name,
                        kind=Region.Kind.COMMUNITY,
                        latitude=_decimal(lat),
                        longitude=_decimal(lon),
                    )
                )
            self.communities.append(communities)
            rows.extend(communities)
        self.bulk(Region, rows)
        self.counts["regions"] = len(rows)

    def make_offices(self) -> None:
        rows = [
            Office(pk=self.pk(Office), name=name, kind=kind, region_id=self.district.pk)
            for name, kind in data.OFFICES
        ]
        for office in rows:
            office._history_date = self.moment(self.launch)
        self.bulk_with_history(Office, rows)
        self.office_pk = {office.name: office.pk for office in rows}
        self.counts["offices"] = len(rows)

    # -- units --------------------------------------------------------------------------------

    def brands(self):
        """Invented brand names: two characters first, then three once those run out."""
        rng = self.rng
        two = [a + b for a in data.BRAND_FIRST for b in data.BRAND_SECOND if a != b]
        two = [b for b in two if b not in data.RESERVED_BRANDS]
        rng.shuffle(two)
        yield from two
        while True:
            a, b, c = (
                rng.choice(data.BRAND_FIRST),
                rng.choice(data.BRAND_SECOND),
                rng.choice(data.BRAND_FIRST),
            )
            if a + b not in data.RESERVED_BRANDS and b + c not in data.RESERVED_BRANDS:
                yield a + b + c

    def choose_township(self) -> int:
        return bisect_right(self.township_cw, self.rng.random() * self.township_cw[-1])

    def place(self, unit: _Unit, t: int) -> None:
        unit.t = unit.home = t
        unit.c = self.rng.randrange(len(self.communities[t]))

    def unique(self, prefix: str, suffix: str, taken: set) -> str:
        """``prefix + suffix``, or ``prefix + 第二 + suffix`` and so on when that name is taken."""
        for count in itertools.count():
            ordinal = data.CHINESE_ORDINALS[count] if count < len(data.CHINESE_ORDINALS) else f"第{count + 1}"
            name = f"{prefix}{ordinal}{suffix}"
            if name not in taken:
                taken.add(name)
                return name
        raise AssertionError("unreachable")

    def make_units(self) -> None:
        rng = self.rng
        n = self.n_units
        n_heads = max(6, min(round(n * 0.07), 1000 + round(n * 0.02)))
        n_mid = round((n - n_heads) * 0.2)
        n_out = n - n_heads - n_mid
        industries = [i for i, _ in data.INDUSTRY_WEIGHTS]
        industry_cw = _cumulative(w for _, w in data.INDUSTRY_WEIGHTS)
        brands = self.brands()
        zhongshan, binhai, jinmao = 0, 1, 2
        names: set[str] = set()

        heads: list[_Unit] = []
        for i in range(n_heads):
            # The first heads cover every industry; the first one is the liaison's express company.
            industry = industries[i] if i < len(industries) - 1 else self.pick(industries, industry_cw)
            head = _Unit(Unit.Kind.HEAD_COMPANY, industry, None, None, None)
            self.place(head, zhongshan if i == 0 else self.choose_township())
            head.brand = next(brands)
            prefix = f"{rng.choice(data.HEAD_PREFIXES)}{head.brand}"
            head.name = self.unique(prefix, rng.choice(data.HEAD_SUFFIXES[industry]), names)
            weight = min(rng.paretovariate(1.3), 20.0)
            head.weight = 8.0 if i == 0 else weight
            head.is_platform = industry in ("express", "food_delivery", "ride_hailing") and weight > 3
            heads.append(head)
        # Branches and outlets: first an industry (so the industries keep their shares), then
        # one of its head companies, bigger ones more often.
        by_industry = {i: [h for h in heads if h.industry == i] for i in industries}
        head_cw = {i: _cumulative(h.weight for h in hs) for i, hs in by_industry.items() if hs}

        def any_head() -> _Unit:
            industry = self.pick(industries, industry_cw)
            if industry not in head_cw:
                industry = "express"
            return self.pick(by_industry[industry], head_cw[industry])

        def add_mid(head: _Unit, t: int | None = None, kind: str | None = None) -> _Unit:
            if kind is None:
                kinds = data.MID_KINDS[head.industry]
                kind = self.pick([k for k, _ in kinds], _cumulative(w for _, w in kinds))
            mid = _Unit(kind, head.industry, head, None, None)
            if t is None:
                t = head.t if rng.random() < 0.4 else self.choose_township()
            self.place(mid, t)
            mid.brand = head.brand
            township = data.TOWNSHIPS[mid.t]
            community = _short_community(self.communities[mid.t][mid.c].name)
            trade = rng.choice(data.TRADE_WORD[head.industry])
            if kind == Unit.Kind.BRANCH:
                mid.name = self.unique(f"{head.name}{township.short}", "分公司", names)
            elif kind == Unit.Kind.CHAIN_STORE:
                mid.name = self.unique(f"{head.brand}{trade}（{community}", "店）", names)
            else:
                mid.name = self.unique(f"{head.brand}{trade}{community}", "加盟店", names)
            head.mids.append(mid)
            head.descendants.append(mid)
            return mid

        def add_outlet(head: _Unit, parent: _Unit | None = None, t: int | None = None) -> _Unit:
            if parent is None:
                parent = rng.choice(head.mids) if head.mids and rng.random() < 0.6 else head
            outlet = _Unit(Unit.Kind.OUTLET, head.industry, parent, None, None)
            if t is None:
                t = parent.t if parent is not head and rng.random() < 0.65 else self.choose_township()
            self.place(outlet, t)
            outlet.brand = head.brand
            community = _short_community(self.communities[outlet.t][outlet.c].name)
            trade = rng.choice(data.TRADE_WORD[head.industry])
            suffix = rng.choice(data.OUTLET_SUFFIX[head.industry])
            outlet.name = self.unique(f"{head.brand}{trade}{community}", suffix, names)
            head.descendants.append(outlet)
            return outlet

        # The enterprise liaison's head company: in Zhongshan, with a branch and outlets in
        # Zhongshan and in other streets; its first two outlets stay in Zhongshan for the
        # branch secretary's joint branch and the worker account.
        first = heads[0]
        mids = [add_mid(first, t=binhai, kind=Unit.Kind.BRANCH)]
        for _ in range(n_mid - 1):
            mids.append(add_mid(any_head()))
        outlets = [
            add_outlet(first, parent=first, t=zhongshan),
            add_outlet(first, parent=first, t=zhongshan),
            add_outlet(first, parent=first, t=jinmao),
        ]
        self.forced_units = [first, mids[0], *outlets]
        self.worker_unit = outlets[0]
        for _ in range(n_out - len(outlets)):
            outlets.append(add_outlet(any_head()))
        self.units: list[_Unit] = heads + mids + outlets

        # A few units arrive without a street: they land on the "no responsible street" page.
        forced = {id(u) for u in self.forced_units}
        candidates = [u for u in self.units if id(u) not in forced]
        for unit in rng.sample(candidates, max(3, round(n * 0.01))):
            unit.t = None  # coordinates and address still come from where it was placed

        for unit in self.units:
            self.finish_unit(unit)
        self.write_units()

    def key_area_for(self, unit: _Unit) -> str:
        r = self.rng.random()
        if unit.kind == Unit.Kind.OUTLET:
            if unit.industry == "express":
                return "delivery_station" if r < 0.4 else ""
            if unit.industry == "food_delivery":
                return "delivery_station" if r < 0.7 else ""
            if unit.industry == "freight":
                return "industrial_park" if r < 0.3 else ""
            if unit.industry == "livestreaming":
                return "office_building" if r < 0.4 else "industrial_park" if r < 0.6 else ""
            return "office_building" if r < 0.1 else ""
        if unit.industry in ("freight", "livestreaming"):
            return "office_building" if r < 0.15 else "industrial_park" if r < 0.35 else ""
        return "office_building" if r < 0.22 else "industrial_park" if r < 0.3 else ""

    def new_uscc(self) -> str:
        rng = self.rng
        while True:
            if rng.random() < 0.8:  # registered since 2015: organization code starts "MA"
                body = "MA" + "".join(rng.choices(USCC_ALPHABET, k=7))
            else:
                body = "".join(rng.choices("0123456789", k=9))
            first17 = "91460106" + body
            code = first17 + uscc_check_char(first17)
            if code not in self.uscc_seen:
                self.uscc_seen.add(code)
                return code

    def finish_unit(self, unit: _Unit) -> None:
        rng = self.rng
        unit.key_area = self.key_area_for(unit)
        if unit.kind != Unit.Kind.OUTLET or rng.random() >= 0.3:
            unit.uscc = self.new_uscc()
        # Where it was placed gives coordinates and address even when the street is left empty.
        township = data.TOWNSHIPS[unit.home]
        _, lat, lon = township.communities[unit.c]
        spread = 0.005 if township.kind == "street" else 0.01
        unit.lat = _decimal(lat + rng.uniform(-spread, spread))
        unit.lon = _decimal(lon + rng.uniform(-spread, spread))
        road = rng.choice(township.roads)
        place = f"{road}{rng.randint(1, 300)}号"
        if unit.key_area == "office_building":
            place += f"{rng.choice(data.BUILDINGS[township.name])}{rng.randint(2, 28)}层"
        elif unit.key_area == "industrial_park":
            place += f"{township.park}{rng.randint(1, 12)}栋"
        elif unit.key_area == "delivery_station":
            place += f"{rng.randint(1, 20)}号铺面"
        street_part = township.name if unit.t is not None else ""
        unit.address = f"海口市龙华区{street_part}{place}"
        unit.weight = {
            Unit.Kind.HEAD_COMPANY: 4.0,
            Unit.Kind.BRANCH: 6.0,
            Unit.Kind.CHAIN_STORE: 5.0,
            Unit.Kind.FRANCHISE_STORE: 6.0,
        }.get(unit.kind, 16.0 if unit.key_area == "delivery_station" else 10.0)
        unit.weight *= {"livestreaming": 0.4, "ride_hailing": 1.3, "other": 0.5}.get(unit.industry, 1.0)

    def staff_for(self, unit: _Unit, *, liaison: bool = False) -> str:
        """The demo account that would survey or visit ``unit``: the liaison for their own company
        (when ``liaison``), the street's staff, the express committee for its industries, else the
        district."""
        if liaison and unit.head is self.forced_units[0] and self.census_rng.random() < 0.6:
            return "enterprise_liaison"
        if unit.t == 0:
            return "zhongshan_staff"
        if unit.t == 1:
            return "binhai_staff"
        if unit.industry in ("express", "freight") and self.census_rng.random() < 0.7:
            return "express_committee"
        return "district_admin"

    def plan_census(self, unit: _Unit) -> None:
        """When the unit was recorded, and whether, when and by whom its operations were surveyed
        in the census (most were)."""
        rng = self.census_rng
        forced = unit in self.forced_units
        if unit.parent is None:
            day = self.launch + datetime.timedelta(days=rng.randint(0, 30))
        elif forced or rng.random() < 0.9:
            day = self.launch + datetime.timedelta(days=rng.randint(0, IMPORT_DAYS))
        else:  # registered after the first import
            day = self.date_between(self.launch, self.days_ago(30), rng)
        recorded = self.moment(day)
        if unit.parent is not None:
            recorded = max(recorded, unit.parent.recorded + datetime.timedelta(minutes=rng.randint(1, 60)))
        unit.recorded = recorded
        if forced or rng.random() < 0.85:
            first = max(self.census_start, recorded.date() + datetime.timedelta(days=1))
            unit.surveyed = max(self.moment(self.date_between(first, self.days_ago(3), rng)), recorded)
            unit.surveyor = self.staff_for(unit, liaison=True)
        if rng.random() < 0.04:  # a few units agreed a visit interval of their own
            unit.interval = 60 if unit.is_platform or unit.parent is None else rng.choice((90, 120, 365))

    def operations(self, unit: _Unit) -> dict:
        """The operations part of the ledger as the census found it."""
        rng = self.census_rng
        industry = unit.industry
        scopes = data.OUTLET_SCOPE[industry] if unit.kind in OUTLET_KINDS else data.BUSINESS_SCOPE[industry]
        platforms = [name for name, chance in data.PLATFORMS[industry] if rng.random() < chance]
        if not platforms and rng.random() < 0.8:
            platforms = [data.PLATFORMS[industry][0][0]]
        reported = None
        if unit.kind == Unit.Kind.HEAD_COMPANY:
            registered = sum(1 for d in unit.descendants if d.kind in OUTLET_KINDS)
            r = rng.random()
            if r < 0.35:
                reported = registered  # matches the registry
            elif r < 0.85:  # more outlets than are registered: the point of showing both
                reported = registered + rng.randint(1, max(2, registered // 2 + 3))
            else:
                reported = max(0, registered - rng.randint(1, 2))
        return {
            "operating_status": unit.status,
            "business_scope": rng.choice(scopes),
            "reported_outlet_count": reported,
            "platforms": "、".join(platforms),
            "operations_updated_at": unit.surveyed,
            "operations_updated_by": self.user(unit.surveyor),
        }

    def plan_statuses(self) -> None:
        """What the census found: a few units suspended, a few outlets closed (at least one of
        each), the demo accounts' own units operating."""
        rng = self.census_rng
        forced = {id(u) for u in self.forced_units}
        surveyed = [u for u in self.units if u.surveyed is not None and id(u) not in forced]
        outlets = [u for u in surveyed if u.kind in OUTLET_KINDS]
        for unit in rng.sample(outlets, min(len(outlets), max(1, round(len(outlets) * 0.04)))):
            unit.status = Unit.OperatingStatus.CLOSED
        operating = [u for u in surveyed if u.status == Unit.OperatingStatus.OPERATING]
        for unit in rng.sample(operating, min(len(operating), max(1, round(len(surveyed) * 0.04)))):
            unit.status = Unit.OperatingStatus.SUSPENDED

    def write_units(self) -> None:
        for unit in self.units:  # parents come before their children
            unit.pk = self.pk(Unit)
            unit.path = child_path(unit.parent.path if unit.parent is not None else None, unit.pk)
            self.plan_census(unit)
        self.plan_statuses()
        rows, created, surveyed = [], [], []
        for unit in self.units:
            street = self.townships[unit.t] if unit.t is not None else None
            row = Unit(
                pk=unit.pk,
                parent_id=unit.parent.pk if unit.parent is not None else None,
                path=unit.path,
                name=unit.name,
                kind=unit.kind,
                industry=unit.industry,
                is_platform=unit.is_platform,
                uscc=unit.uscc,
                address=unit.address,
                latitude=unit.lat,
                longitude=unit.lon,
                street_id=street.pk if street else None,
                community_id=self.communities[unit.t][unit.c].pk if street else None,
                industry_authority_id=self.office_pk[data.INDUSTRY_AUTHORITY[unit.industry]],
                key_area=unit.key_area,
                operations_updated_at=unit.recorded,
                visit_interval_days=unit.interval,
            )
            # History: recorded with the registry data only, then the census fills in operations.
            first = copy.copy(row)
            first._history_date = unit.recorded
            created.append(first)
            if unit.surveyed is not None:
                for name, value in self.operations(unit).items():
                    setattr(row, name, value)
                row._history_date = unit.surveyed
                row._history_user = row.operations_updated_by
                surveyed.append(row)
            rows.append(row)
        self.bulk(Unit, rows)
        self.history(Unit, created, update=False)
        self.history(Unit, surveyed, update=True)
        self.counts["units"] = len(rows)
        self.counts["units_surveyed"] = len(surveyed)
        self.counts["units_without_street"] = sum(1 for u in self.units if u.t is None)
        self.say(f"单位 / units: {len(rows):,}")

    # -- organizations ------------------------------------------------------------------------

    def term(self, years: int, state: str) -> tuple[datetime.date, datetime.date]:
        rng = self.rng
        if state == "overdue":
            end = self.today - datetime.timedelta(days=rng.randint(1, 300))
        elif state == "due":
            end = self.today + datetime.timedelta(days=rng.randint(0, 89))
        else:
            end = self.today + datetime.timedelta(days=rng.randint(90, years * 365 - 20))
        return _add_years(end, -years), end

    def branch_state(self) -> str:
        r = self.rng.random()
        return "overdue" if r < 0.08 else "due" if r < 0.13 else "ok"

    def add_org(
        self,
        name: str,
        kind: str,
        parent: Organization | None,
        *,
        t: int | None = None,
        build_method: str = "",
        status: str = Organization.Status.ACTIVE,
        years: int | None = 3,
        state: str = "ok",
        units=(),
        founded_between: tuple[datetime.date, datetime.date] | None = None,
    ) -> Organization:
        pk = self.pk(Organization)
        org = Organization(
            pk=pk,
            parent_id=parent.pk if parent is not None else None,
            path=child_path(parent.path if parent is not None else None, pk),
            name=name,
            kind=kind,
            build_method=build_method,
            status=status,
            street_id=self.townships[t].pk if t is not None else None,
        )
        if years and status == Organization.Status.ACTIVE:
            org.term_start, org.term_end = self.term(years, state)
            if founded_between:
                founded = min(self.date_between(*founded_between), org.term_start)
            else:
                founded = _add_years(org.term_start, -years * self.rng.choice((0, 0, 1, 1, 2)))
                founded -= datetime.timedelta(days=self.rng.randint(0, 45))
            org.founded_on = founded
        self.orgs.append(org)
        for unit in units:
            self.covered.add(unit.pk)
            self.links.append((pk, unit.pk))
        self.org_units[pk] = list(units)
        return org

    def organization_history(self, link_rows) -> None:
        """One "created" history row per organization, with the units it covered (the history's
        own table of covered units, which the ledger as of a past day reads), recorded at the
        import or, when founded later, soon after its founding, and never before its units."""
        rng = self.census_rng
        self.org_recorded: dict[int, datetime.datetime] = {}
        for org in self.orgs:
            day = self.launch + datetime.timedelta(days=rng.randint(0, IMPORT_DAYS if org.parent_id else 10))
            if org.founded_on is not None and org.founded_on > day:
                day = org.founded_on + datetime.timedelta(days=rng.randint(0, 20))
            recorded = self.moment(min(day, self.days_ago(1)))
            for unit in self.org_units[org.pk]:
                recorded = max(recorded, unit.recorded + datetime.timedelta(minutes=rng.randint(1, 600)))
            org._history_date = min(recorded, self.now)
            self.org_recorded[org.pk] = org._history_date
        self.history(Organization, self.orgs, update=False)
        if not self.with_history:
            return
        history = Organization.history.model
        history_ids = dict(history.objects.values_list("id", "history_id"))
        covered = history.covered_units.model  # the history's table of covered units
        rows = [
            covered(
                id=link.pk,
                organization_id=link.organization_id,
                unit_id=link.unit_id,
                history_id=history_ids[link.organization_id],
            )
            for link in link_rows
        ]
        self.bulk(covered, rows)

    def org_name(self, base: str, tail: str) -> str:
        """``中共…联合支部委员会``, with 第二/第三… when the same name is already taken."""
        count = self.org_names.get((base, tail), 0)
        self.org_names[(base, tail)] = count + 1
        ordinal = data.CHINESE_ORDINALS[count] if count < len(data.CHINESE_ORDINALS) else f"第{count + 1}"
        return f"中共{base}{ordinal}{tail}"

    def make_organizations(self) -> None:
        rng = self.rng
        self.orgs: list[Organization] = []
        self.links: list[tuple[int, int]] = []
        self.org_units: dict[int, list[_Unit]] = {}
        self.covered: set[int] = set()
        self.org_names: dict = {}
        self.branches: list[Organization] = []  # organizations that get a secretary

        self.root = self.add_org(
            data.TWO_NEW_COMMITTEE,
            Organization.Kind.TWO_NEW_COMMITTEE,
            None,
            years=5,
            founded_between=(datetime.date(2016, 3, 1), datetime.date(2018, 6, 30)),
        )
        industries = []
        self.committee_for: dict[str, Organization] = {}
        self.leading = [self.root]
        for name, led in data.COMPREHENSIVE_COMMITTEES:
            committee = self.add_org(
                name,
                Organization.Kind.COMPREHENSIVE_COMMITTEE,
                self.root,
                years=5,
                founded_between=(datetime.date(2021, 3, 1), datetime.date(2023, 6, 30)),
            )
            self.leading.append(committee)
            for industry in led:
                self.committee_for[industry] = committee
                industries.append(
                    CommitteeIndustry(
                        pk=self.pk(CommitteeIndustry), committee_id=committee.pk, industry=industry
                    )
                )
        self.express_committee = self.committee_for["express"]
        self.street_committees = []
        for t, township in enumerate(data.TOWNSHIPS):
            kind = (
                Organization.Kind.TOWN_COMMITTEE
                if township.kind == "town"
                else Organization.Kind.STREET_COMMITTEE
            )
            founded = (
                (datetime.date(1988, 1, 1), datetime.date(2002, 12, 31))
                if township.kind == "town"
                else (datetime.date(2019, 1, 1), datetime.date(2021, 12, 31))
            )
            committee = self.add_org(
                data.street_committee_name(township), kind, self.root, t=t, years=5, founded_between=founded
            )
            self.street_committees.append(committee)
            self.leading.append(committee)

        eligible = [u for u in self.units if u.t is not None]
        by_t: dict[int, list[_Unit]] = defaultdict(list)
        for unit in eligible:
            by_t[unit.t].append(unit)
        n_eligible = len(eligible)

        def parent_for(unit: _Unit, share: float) -> Organization:
            committee = self.committee_for.get(unit.industry)
            if committee is not None and rng.random() < share:
                return committee
            return self.street_committees[unit.t]

        def status_for(incubated: bool = False) -> str:
            share = 0.6 if incubated else 0.04
            return Organization.Status.PREPARING if rng.random() < share else Organization.Status.ACTIVE

        def community_of(unit: _Unit) -> str:
            return self.communities[unit.t][unit.c].name

        # 1. The branch secretary's joint branch: outlets in Zhongshan.
        zhongshan = [u for u in by_t[0] if u.kind != Unit.Kind.HEAD_COMPANY]
        pool = [u for u in self.forced_units if u.t == 0 and u.kind == Unit.Kind.OUTLET]
        extra = [u for u in zhongshan if u not in pool]
        chosen = pool + rng.sample(extra, min(len(extra), rng.randint(0, 2)))
        township = data.TOWNSHIPS[0]
        self.secretary_branch = self.add_org(
            self.org_name(f"{township.name}{community_of(chosen[0])}", "新业态联合支部委员会"),
            Organization.Kind.BRANCH,
            self.street_committees[0],
            t=0,
            build_method=Organization.BuildMethod.JOINT,
            units=chosen,
        )
        self.branches.append(self.secretary_branch)

        # 2. General branches in bigger head companies, with branches and party groups below.
        self.standalone_units: list[_Unit] = []
        n_general = max(1, round(n_eligible / 150))
        heads = [
            u
            for u in eligible
            if u.kind == Unit.Kind.HEAD_COMPANY
            and u.pk not in self.covered
            and sum(1 for d in u.descendants if d.t is not None and d.pk not in self.covered) >= 3
        ]
        heads.sort(key=lambda u: -len(u.descendants))
        for head in heads[:n_general]:
            general = self.add_org(
                self.org_name(head.name, "总支部委员会"),
                Organization.Kind.GENERAL_BRANCH,
                parent_for(head, 0.5),
                t=head.t,
                build_method=Organization.BuildMethod.STANDALONE,
                state=self.branch_state(),
                units=[head],
            )
            self.branches.append(general)
            self.standalone_units.append(head)
            below = [d for d in head.descendants if d.t is not None and d.pk not in self.covered]
            for unit in rng.sample(below, min(len(below), rng.randint(2, 3))):
                branch = self.add_org(
                    self.org_name(unit.name, "支部委员会"),
                    Organization.Kind.BRANCH,
                    general,
                    t=unit.t,
                    build_method=Organization.BuildMethod.STANDALONE,
                    state=self.branch_state(),
                    units=[unit],
                )
                self.branches.append(branch)
                self.standalone_units.append(unit)
                for g in range(rng.randint(1, 2)):
                    self.add_org(
                        f"{branch.name.removeprefix('中共').removesuffix('支部委员会')}{data.GROUP_ORDINALS[g]}党小组",
                        Organization.Kind.GROUP,
                        branch,
                        t=unit.t,
                        years=None,
                    )

        # 3. Standalone branches: units with three or more party members, mostly companies.
        kind_weight = {Unit.Kind.HEAD_COMPANY: 5, Unit.Kind.OUTLET: 1}
        weights_cw = _cumulative(kind_weight.get(u.kind, 3) for u in eligible)

        def single(build_method: str, count: int, incubated: bool = False) -> None:
            made = attempts = 0
            while made < count and attempts < count * 20:
                attempts += 1
                unit = self.pick(eligible, weights_cw)
                if unit.pk in self.covered:
                    continue
                status = status_for(incubated)
                branch = self.add_org(
                    self.org_name(unit.name, "支部委员会"),
                    Organization.Kind.BRANCH,
                    parent_for(unit, 0.5),
                    t=unit.t,
                    build_method=build_method,
                    status=status,
                    state=self.branch_state(),
                    units=[unit],
                )
                self.branches.append(branch)
                if build_method == Organization.BuildMethod.STANDALONE:
                    self.standalone_units.append(unit)
                made += 1

        single(Organization.BuildMethod.STANDALONE, round(n_eligible * 0.07))

        # 4. Joint branches: 2-5 small units of one street, one industry when under a committee.
        def grouped(target_units: int, build_method: str) -> None:
            done = attempts = 0
            while done < target_units and attempts < target_units * 4:
                attempts += 1
                seed_unit = rng.choice(eligible)
                if seed_unit.pk in self.covered:
                    continue
                if build_method == Organization.BuildMethod.REGIONAL:
                    if not seed_unit.key_area:
                        continue
                    pool = [
                        u
                        for u in by_t[seed_unit.t]
                        if u.key_area == seed_unit.key_area
                        and u.pk not in self.covered
                        and u is not seed_unit
                    ]
                    same_community = [u for u in pool if u.c == seed_unit.c]
                    size = rng.randint(3, 8)
                    pool = same_community if len(same_community) >= size - 1 else pool
                    parent = self.street_committees[seed_unit.t]
                    word = data.KEY_AREA_WORD[seed_unit.key_area]
                    base = f"{data.TOWNSHIPS[seed_unit.t].name}{community_of(seed_unit)}{word}"
                    tail = "区域支部委员会"
                else:
                    size = rng.randint(2, 5)
                    parent = parent_for(seed_unit, 0.35)
                    same_industry = parent.kind == Organization.Kind.COMPREHENSIVE_COMMITTEE
                    pool = [
                        u
                        for u in by_t[seed_unit.t]
                        if u.pk not in self.covered
                        and u is not seed_unit
                        and (not same_industry or u.industry == seed_unit.industry)
                    ]
                    word = data.INDUSTRY_WORD[seed_unit.industry] + "行业" if same_industry else "新业态"
                    base = f"{data.TOWNSHIPS[seed_unit.t].name}{community_of(seed_unit)}{word}"
                    tail = "联合支部委员会"
                if not pool:
                    continue
                members = [seed_unit, *rng.sample(pool, min(len(pool), size - 1))]
                branch = self.add_org(
                    self.org_name(base, tail),
                    Organization.Kind.BRANCH,
                    parent,
                    t=seed_unit.t,
                    build_method=build_method,
                    status=status_for(),
                    state=self.branch_state(),
                    units=members,
                )
                self.branches.append(branch)
                done += len(members)

        grouped(round(n_eligible * 0.12), Organization.BuildMethod.JOINT)
        # 5. Regional branches: the units of one key area (office buildings, parks, stations).
        grouped(round(n_eligible * 0.10), Organization.BuildMethod.REGIONAL)
        # 6. Dispatched and incubated: one unit each, often still being prepared when incubated.
        single(Organization.BuildMethod.DISPATCHED, max(1, round(n_eligible * 0.02)))
        single(Organization.BuildMethod.INCUBATED, max(1, round(n_eligible * 0.02)), incubated=True)

        self.bulk(Organization, self.orgs)
        self.bulk(CommitteeIndustry, industries)
        through = Organization.covered_units.through
        link_rows = [through(pk=self.pk(through), organization_id=o, unit_id=u) for o, u in self.links]
        self.bulk(through, link_rows)
        self.organization_history(link_rows)
        self.counts["organizations"] = len(self.orgs)
        self.counts["committee_industries"] = len(industries)
        self.counts["covered_unit_links"] = len(link_rows)
        self.counts["covered_units"] = len(self.covered)
        self.say(f"党组织 / organizations: {len(self.orgs):,}, covering {len(self.covered):,} units")

    # -- people -------------------------------------------------------------------------------

    def name(self, female: bool, rng=None) -> str:
        rng = rng or self.rng
        surname = self.pick(self.surnames, self.surname_cw, rng)
        pool = data.GIVEN_FEMALE if female else data.GIVEN_MALE
        if rng.random() < 0.3:
            return surname + rng.choice(pool)
        first = rng.choice(data.GIVEN_FIRST) if rng.random() < 0.5 else rng.choice(pool)
        return surname + first + rng.choice(pool)

    def person(self, *, female: bool, born_from: int, born_to: int, mode: int, status: str, rng=None):
        """A Person with a unique valid ID number and mobile; returns (person, birth date)."""
        rng = rng or self.rng
        year = min(born_to, int(rng.triangular(born_from, born_to + 1, mode)))
        born = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        prefix = self.pick(self.id_prefixes, self.id_prefix_cw, rng)
        birth = f"{born.year:04d}{born.month:02d}{born.day:02d}"
        while True:
            gender_digit = rng.choice("02468" if female else "13579")
            first17 = f"{prefix}{birth}{rng.randrange(100):02d}{gender_digit}"
            id_number = first17 + id_number_check_char(first17)
            if id_number not in self.id_numbers:
                self.id_numbers.add(id_number)
                break
        while True:
            mobile = f"{rng.choice(data.MOBILE_PREFIXES)}{rng.randrange(100_000_000):08d}"
            if mobile not in self.mobiles:
                self.mobiles.add(mobile)
                break
        person = self.new_person(
            self.pk(Person),
            self.name(female, rng),
            Person.Gender.FEMALE if female else Person.Gender.MALE,
            id_number,
            blind_index(id_number, "id_number"),
            mobile,
            blind_index(mobile, "mobile"),
            status,
        )
        return person, born

    def make_officials(self) -> None:
        """Committee members of the leading bodies, and each branch's secretary and members."""
        rng = self.rng
        people, members, employments = [], [], []
        full = Person.PoliticalStatus.FULL_MEMBER
        Post = CommitteeMember.Post

        def official(org, unit: _Unit | None, start: datetime.date) -> Person:
            person, born = self.person(
                female=rng.random() < 0.35, born_from=1968, born_to=1995, mode=1980, status=full
            )
            # Recorded with the organization, or when taking up the post if that came later.
            person._history_date = max(self.moment(min(start, self.days_ago(1))), self.org_recorded[org.pk])
            people.append(person)
            if unit is not None:
                hired = start - datetime.timedelta(days=rng.randint(30, 1500))
                hired = max(hired, _add_years(born, 20))
                employment = Employment(
                    pk=self.pk(Employment),
                    person_id=person.pk,
                    unit_id=unit.pk,
                    job_type=Employment.JobType.OTHER,
                    full_time=True,
                    start_date=min(hired, start),
                )
                employment._history_date = person._history_date
                employments.append(employment)
            return person

        def member(org, person, post, start, end=None):
            post = CommitteeMember(
                pk=self.pk(CommitteeMember),
                organization_id=org.pk,
                person_id=person.pk,
                post=post,
                start_date=start,
                end_date=end,
            )
            post._history_date = person._history_date
            members.append(post)

        posts = [Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.ORGANIZATION, Post.PROPAGANDA, Post.DISCIPLINE]
        for org in self.leading:
            count = rng.randint(3, 7)
            for post in (posts + [Post.MEMBER, Post.MEMBER])[:count]:
                member(org, official(org, None, org.term_start), post, org.term_start)
            if rng.random() < 0.3 and org.founded_on < org.term_start - datetime.timedelta(days=30):
                # A post of the previous term that has ended.
                post = rng.choice((Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.MEMBER))
                start = max(org.founded_on, _add_years(org.term_start, -5))
                end = org.term_start - datetime.timedelta(days=1)
                member(org, official(org, None, start), post, start, end)

        self.secretary_person = None
        for org in self.branches:
            unit = self.org_units[org.pk][0]
            if org.status == Organization.Status.ACTIVE:
                start = org.term_start
            else:
                start = self.date_between(PREPARING_FROM, PREPARING_TO)
            secretary = official(org, unit, start)
            member(org, secretary, Post.SECRETARY, start)
            if org is self.secretary_branch:
                self.secretary_person = secretary
            if org.status == Organization.Status.ACTIVE and rng.random() < 0.3:
                for post in (Post.ORGANIZATION, Post.PROPAGANDA):
                    member(org, official(org, unit, start), post, start)
            if (
                org.status == Organization.Status.ACTIVE
                and org.founded_on < org.term_start - datetime.timedelta(days=30)
                and rng.random() < 0.06
            ):
                start = max(org.founded_on, _add_years(org.term_start, -3))
                end = org.term_start - datetime.timedelta(days=1)
                member(org, official(org, unit, start), Post.SECRETARY, start, end)

        self.bulk_with_history(Person, people)
        self.bulk_with_history(Employment, employments)
        self.bulk_with_history(CommitteeMember, members)
        self.official_pks = {person.pk for person in people}
        self.person_rows += len(people)
        self.employment_rows += len(employments)
        self.counts["committee_members"] = len(members)
        self.counts["officials"] = len(people)
        self.say(f"党组织负责人和班子成员 / officials: {len(people):,}")

    def worker_status(self, born: datetime.date) -> str:
        """About 4% full members, 1% probationary, 10% league members (the young), 40% not disclosed."""
        rng = self.rng
        statuses = Person.PoliticalStatus
        r = rng.random()
        if r < 0.04:
            return statuses.FULL_MEMBER
        if r < 0.05:
            return statuses.PROBATIONARY_MEMBER
        # About half the workers are born in 1990 or later; a fifth of those are league members.
        if born.year >= 1990 and rng.random() < 0.21:
            return statuses.LEAGUE_MEMBER
        return statuses.UNDISCLOSED if rng.random() < 0.47 else statuses.MASSES

    def make_workers(self) -> None:
        rng = self.rng
        units = self.units
        unit_cw = _cumulative(u.weight for u in units)
        full = Person.PoliticalStatus.FULL_MEMBER
        # Every unit gets a worker; units with their own branch get three full members.
        needs_members = {id(u) for u in self.standalone_units}
        preassigned = [(u, full if id(u) in needs_members else None) for u in units]
        for unit in self.standalone_units:
            preassigned += [(unit, full), (unit, full)]
        preassigned = preassigned[: self.n_workers]
        span = (EMPLOYMENT_TO - EMPLOYMENT_FROM).days
        self.worker_person = None
        yesterday = self.days_ago(1)
        moment = self.moment

        done = 0
        while done < self.n_workers:
            batch = min(BATCH_SIZE, self.n_workers - done)
            people, employments = [], []
            for i in range(done, done + batch):
                if i < len(preassigned):
                    unit, status = preassigned[i]
                else:
                    unit, status = self.pick(units, unit_cw), None
                female = rng.random() < data.FEMALE_SHARE[unit.industry]
                person, born = self.person(female=female, born_from=1968, born_to=2005, mode=1993, status="")
                person.political_status = status or self.worker_status(born)
                people.append(person)
                if unit is self.worker_unit and self.worker_person is None:
                    self.worker_person = person
                adult = _add_years(born, 18)
                start = max(EMPLOYMENT_FROM + datetime.timedelta(days=rng.randint(0, span)), adult)
                employment = self.new_employment(
                    self.pk(Employment),
                    person.pk,
                    unit.pk,
                    data.JOB_TYPE[unit.industry],
                    rng.random() < 0.7,
                    start,
                    None,
                )
                # Recorded when it started, or with its unit when that was recorded later.
                employment._history_date = max(moment(min(start, yesterday)), unit.recorded)
                person._history_date = employment._history_date
                employments.append(employment)
                if rng.random() < 0.15:
                    end = start - datetime.timedelta(days=rng.randint(15, 240))
                    begin = max(end - datetime.timedelta(days=rng.randint(60, 1200)), adult)
                    if begin < end:
                        past = self.pick(units, unit_cw)
                        employment = self.new_employment(
                            self.pk(Employment),
                            person.pk,
                            past.pk,
                            data.JOB_TYPE[past.industry],
                            rng.random() < 0.6,
                            begin,
                            end,
                        )
                        employment._history_date = max(moment(min(end, yesterday)), past.recorded)
                        person._history_date = min(person._history_date, employment._history_date)
                        employments.append(employment)
            self.bulk_with_history(Person, people)
            self.bulk_with_history(Employment, employments)
            self.person_rows += len(people)
            self.employment_rows += len(employments)
            done += batch
            if done % PROGRESS_EVERY < BATCH_SIZE or done == self.n_workers:
                self.say(f"从业人员 / workers: {done:,}/{self.n_workers:,}")
        self.counts["workers"] = self.n_workers

    # -- accounts -----------------------------------------------------------------------------

    def make_users(self) -> None:
        """The demo accounts, made first so the census can name who recorded what; their roles
        (and the names of those who are people in the demo) follow in ``make_accounts``."""
        usernames = [username for username, _, _ in DEMO_ACCOUNTS]
        taken = list(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        if taken:
            raise DatabaseNotEmpty(f"演示账号已存在 / demo accounts already exist: {', '.join(taken)}")
        password = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo account
        for username, role, _ in DEMO_ACCOUNTS:
            user = User(
                username=username,
                first_name=data.ACCOUNT_LABELS.get(username, ""),
                password=password,
                is_demo=True,
                is_staff=role == Role.DISTRICT_ADMIN,
                language="",
            )
            user.save()
            self.users[username] = user

    def make_accounts(self) -> None:
        group, _ = Group.objects.get_or_create(name=data.DISTRICT_ADMIN_GROUP)
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=data.DISTRICT_ADMIN_APPS))

        zhongshan, binhai = self.townships[0], self.townships[1]
        liaison_name = self.name(female=self.rng.random() < 0.5)
        scopes = {
            "district_admin": {"region_id": self.district.pk},
            "zhongshan_staff": {"region_id": zhongshan.pk},
            "binhai_staff": {"region_id": binhai.pk},
            "express_committee": {"organization_id": self.express_committee.pk},
            "branch_secretary": {"organization_id": self.secretary_branch.pk},
            "enterprise_liaison": {"unit_id": self.forced_units[0].pk},
            "worker": {"person_id": self.worker_person.pk},
        }
        first_names = {
            **data.ACCOUNT_LABELS,
            "branch_secretary": self.secretary_person.name,
            "enterprise_liaison": liaison_name,
            "worker": self.worker_person.name,
        }
        users = []
        for username, role, _ in DEMO_ACCOUNTS:
            user = self.users[username]
            if user.first_name != first_names[username]:
                user.first_name = first_names[username]
                user.save(update_fields=["first_name"])
            RoleAssignment.objects.create(user=user, role=role, **scopes[username])
            users.append(user)
        by_name = self.users
        by_name["district_admin"].groups.add(group)
        Person.objects.filter(pk=self.secretary_person.pk).update(user=by_name["branch_secretary"])
        Person.objects.filter(pk=self.worker_person.pk).update(user=by_name["worker"])
        self.counts["users"] = len(users)
        self.counts["role_assignments"] = len(users)

    # -- the census (measure 3) ---------------------------------------------------------------

    def make_census(self) -> None:
        """The five-clears ledger's reported headcounts, investors and instructors, the return
        visits with their follow-up actions, and the follow-ups of disclosed memberships; all
        drawn from the census stream and dated relative to today."""
        self.unit_by_pk = {unit.pk: unit for unit in self.units}
        self.registered = self.registered_headcounts()
        self.make_workforce_reports()
        self.make_investors()
        self.make_instructors()
        self.make_visits()
        self.make_follow_ups()
        self.say(
            f"台账和回访 / census: {self.counts['visits']:,} visits, "
            f"{self.counts['workforce_reports']:,} reports, {self.counts['investors']:,} investors"
        )

    def registered_headcounts(self) -> dict[int, dict]:
        """{unit pk: {"jobs": {(job type, full time): people}, "workers": n, "members": n}}
        from the current employments written above (one grouped query each)."""
        current = Employment.objects.filter(end_date=None).order_by()
        result: dict[int, dict] = defaultdict(lambda: {"jobs": {}, "workers": 0, "members": 0})
        for unit_id, job_type, full_time, n in current.values_list(
            "unit_id", "job_type", "full_time"
        ).annotate(n=Count("person_id", distinct=True)):
            result[unit_id]["jobs"][(job_type, full_time)] = n
            result[unit_id]["workers"] += n
        members = current.filter(person__political_status__in=MEMBER_STATUSES)
        for unit_id, n in members.values_list("unit_id").annotate(n=Count("person_id", distinct=True)):
            result[unit_id]["members"] = n
        return result

    def make_workforce_reports(self) -> None:
        """Headcounts reported by about half the surveyed units, next to the registered ones:
        some the same, some close, many higher (not every worker has registered)."""
        rng = self.census_rng
        reports = []

        def report(unit, job_type, full_time, part_time, day):
            row = WorkforceReport(
                pk=self.pk(WorkforceReport),
                unit_id=unit.pk,
                job_type=job_type,
                full_time=full_time,
                part_time=part_time,
                reported_on=day,
                recorded_at=max(
                    self.moment(min(day + datetime.timedelta(days=rng.randint(0, 3)), self.days_ago(1))),
                    unit.recorded,
                ),
                recorded_by=self.user(unit.surveyor),
            )
            reports.append(row)

        for unit in self.units:
            counts = self.registered.get(unit.pk)
            if unit.surveyed is None or counts is None or unit.status == Unit.OperatingStatus.CLOSED:
                continue
            if unit not in self.forced_units and rng.random() >= 0.5:
                continue
            day = unit.surveyed.date()
            by_job: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for (job_type, full_time), n in counts["jobs"].items():
                by_job[job_type][0 if full_time else 1] += n
            earlier = rng.random() < 0.25 and day - datetime.timedelta(days=150) > unit.recorded.date()
            for job_type, (full, part) in sorted(by_job.items()):
                r = rng.random()
                if r < 0.35:
                    reported = (full, part)  # the same as registered
                elif r < 0.6:  # close to it
                    reported = (max(0, full + rng.randint(-2, 2)), max(0, part + rng.randint(-1, 2)))
                else:  # higher: workers who have not registered yet
                    reported = (
                        round(full * rng.uniform(1.3, 3.0)) + rng.randint(1, 5),
                        round(part * rng.uniform(1.0, 2.5)) + rng.randint(0, 8),
                    )
                if earlier:
                    before = day - datetime.timedelta(days=rng.randint(120, 150))
                    report(
                        unit,
                        job_type,
                        max(0, reported[0] - rng.randint(0, 4)),
                        max(0, reported[1] - rng.randint(0, 3)),
                        before,
                    )
                report(unit, job_type, *reported, day)
        self.bulk(WorkforceReport, reports)
        self.counts["workforce_reports"] = len(reports)

    def make_investors(self) -> None:
        """One to three investors per head company: the legal representative first, then
        shareholders or the actual controller; some are deputies or CPPCC members."""
        rng = self.census_rng
        roles = [r for r, _ in data.REPRESENTATIVE_ROLES]
        roles_cw = _cumulative(w for _, w in data.REPRESENTATIVE_ROLES)
        statuses = Person.PoliticalStatus
        # Investors' political status, weighted: most are the masses, some party members.
        status_choices = (statuses.MASSES, statuses.FULL_MEMBER, statuses.UNDISCLOSED, statuses.OTHER_PARTY)
        status_cw = _cumulative((50, 20, 25, 5))
        people, investors = [], []
        for unit in self.units:
            if unit.kind != Unit.Kind.HEAD_COMPANY:
                continue
            count = 1 if rng.random() < 0.3 else 2 if rng.random() < 0.65 else 3
            # Entered with the census when surveyed, else with the registry.
            at = unit.surveyed or unit.recorded + datetime.timedelta(hours=1)
            by = self.user(unit.surveyor) if unit.surveyed else None
            shares = [Decimal(100)] if count == 1 else None
            if count > 1:
                first = rng.randint(51, 90)
                rest = 100 - first
                second = rest if count == 2 else rng.randint(1, rest - 1)
                shares = [Decimal(first), Decimal(second)] + ([Decimal(rest - second)] if count == 3 else [])
            for i in range(count):
                person, _born = self.person(
                    female=rng.random() < 0.3,
                    born_from=1960,
                    born_to=1992,
                    mode=1976,
                    status=self.pick(status_choices, status_cw, rng),
                    rng=rng,
                )
                person._history_date = at - datetime.timedelta(minutes=1)
                person._history_user = by
                people.append(person)
                if i == 0:
                    role = Investor.Role.LEGAL_REPRESENTATIVE
                elif i == 1 and rng.random() < 0.3:
                    role = Investor.Role.ACTUAL_CONTROLLER
                else:
                    role = Investor.Role.SHAREHOLDER
                honours = ""
                r = rng.random()
                if unit is self.forced_units[0] and i == 0:
                    honours = "区人大代表"  # the liaison's company shows one on every load
                elif r < 0.2:
                    picked = {self.pick(roles, roles_cw, rng) for _ in range(1 if r < 0.16 else 2)}
                    honours = "、".join(sorted(picked, key=roles.index))
                investor = Investor(
                    pk=self.pk(Investor),
                    unit_id=unit.pk,
                    person_id=person.pk,
                    role=role,
                    share_percent=shares[i] if rng.random() < 0.9 else None,
                    representative_roles=honours,
                )
                investor._history_date = at
                investor._history_user = by
                investors.append(investor)
        self.bulk_with_history(Person, people)
        self.bulk_with_history(Investor, investors)
        self.person_rows += len(people)
        self.counts["investors"] = len(investors)

    def make_instructors(self) -> None:
        """Party-building instructors (党建指导员) sent by the street or the industry committee to
        about a quarter of the units without a party organization; a few have been replaced."""
        rng = self.census_rng
        uncovered = [
            u
            for u in self.units
            if u.t is not None and u.pk not in self.covered and u.status != Unit.OperatingStatus.CLOSED
        ]
        if not uncovered:
            self.counts["instructors"] = self.counts["instructor_assignments"] = 0
            return
        chosen = sorted(rng.sample(uncovered, max(1, round(len(uncovered) * 0.25))), key=lambda u: u.pk)
        pool = []
        for _ in range(max(2, len(chosen) // 4)):
            person, _born = self.person(
                female=rng.random() < 0.4,
                born_from=1968,
                born_to=1996,
                mode=1985,
                status=Person.PoliticalStatus.FULL_MEMBER,
                rng=rng,
            )
            person._history_date = self.moment(
                self.launch + datetime.timedelta(days=rng.randint(0, IMPORT_DAYS))
            )
            pool.append(person)
        rows, created, changed = [], [], []  # table rows; "created" and "changed" history rows
        first_seen: dict[int, datetime.datetime] = {}

        def assign(unit, dispatcher, index, start, end=None, by=None):
            row = InstructorAssignment(
                pk=self.pk(InstructorAssignment),
                unit_id=unit.pk,
                instructor_id=pool[index].pk,
                dispatched_by_id=dispatcher.pk,
                start_date=start,
                end_date=end,
            )
            row._history_date = self.moment(start)
            row._history_user = by
            first_seen[index] = min(first_seen.get(index, row._history_date), row._history_date)
            rows.append(row)
            if end is None:
                created.append(row)
            else:  # created running, then ended
                ended = copy.copy(row)
                ended._history_date = self.moment(end)
                row.end_date = None
                created.append(row)
                changed.append(ended)
                rows[-1] = ended

        for unit in chosen:
            committee = self.committee_for.get(unit.industry)
            dispatcher = (
                committee if committee is not None and rng.random() < 0.4 else self.street_committees[unit.t]
            )
            by = self.user(self.staff_for(unit))
            first_day = max(unit.recorded.date(), self.launch + datetime.timedelta(days=IMPORT_DAYS))
            start = self.date_between(first_day, self.days_ago(20), rng)
            index = rng.randrange(len(pool))
            if (self.today - start).days > 200 and rng.random() < 0.15:
                end = self.date_between(start + datetime.timedelta(days=60), self.days_ago(10), rng)
                assign(unit, dispatcher, index, start, end, by)
                start, index = end, (index + rng.randint(1, len(pool) - 1)) % len(pool)
            assign(unit, dispatcher, index, start, by=by)
        for index, person in enumerate(pool):
            if index in first_seen:
                person._history_date = min(
                    person._history_date, first_seen[index] - datetime.timedelta(minutes=5)
                )
        self.bulk_with_history(Person, pool)
        self.bulk(InstructorAssignment, rows)
        self.history(InstructorAssignment, created, update=False)
        self.history(InstructorAssignment, changed, update=True)
        self.person_rows += len(pool)
        self.counts["instructors"] = len(pool)
        self.counts["instructor_assignments"] = len(rows)

    def visitors(self, unit: _Unit, username: str) -> str:
        """Who went: the visiting body and one or two of its people."""
        rng = self.census_rng
        if username in ("zhongshan_staff", "binhai_staff") or (
            username == "district_admin" and rng.random() < 0.5
        ):
            township = data.TOWNSHIPS[unit.t] if unit.t is not None else None
            body = f"{township.name}{data.VISITOR_STREET_OFFICE}" if township else data.VISITOR_DISTRICT
        elif username == "express_committee":
            body = data.EXPRESS_COMMITTEE
        else:
            body = data.VISITOR_DISTRICT
        names = [self.name(rng.random() < 0.4, rng) for _ in range(rng.randint(1, 2))]
        return f"{body} {'、'.join(names)}"

    def make_visits(self) -> None:
        """Return visits over the past 18 months, spaced by each unit's interval (the rule table's
        default for its kind, or its own): most units are on schedule, about one in seven is
        overdue and a few have never been visited. Half the visits raised problems, each with a follow-up
        action, most of them closed."""
        rng = self.census_rng
        defaults = default_intervals()
        visits, actions, closed = [], [], []
        yesterday = self.days_ago(1)
        window_start = self.days_ago(VISIT_WINDOW_DAYS)
        for unit in self.units:
            if unit.status == Unit.OperatingStatus.CLOSED:
                continue
            interval = unit.interval or defaults.get(unit.kind) or 180
            r = rng.random()
            if r < 0.06 and unit not in self.forced_units:
                continue  # never visited: due now
            if r < 0.2 and unit is not self.forced_units[0]:
                age = interval + rng.randint(1, min(interval, 150))  # overdue
            else:
                age = rng.randint(min(3, interval - 1), max(0, interval - 1))
            earliest = max(window_start, unit.recorded.date() + datetime.timedelta(days=1))
            day = self.days_ago(age)
            days = []
            while day >= earliest:
                days.append(day)
                day -= datetime.timedelta(days=round(interval * rng.uniform(0.75, 1.1)))
            username = self.staff_for(unit)
            user = self.user(username)
            counts = self.registered.get(unit.pk, {"workers": 0, "members": 0})
            fits = ("any", "members" if counts["members"] else "without_members")
            findings = [text for kind, text in data.VISIT_FINDINGS if kind in fits]
            problem_pool = [problem[1:] for problem in data.VISIT_PROBLEMS if problem[0] in fits]
            for visited_on in reversed(days):
                recorded_at = self.moment(
                    min(visited_on + datetime.timedelta(days=rng.randint(0, 2)), yesterday)
                )
                problems = rng.sample(problem_pool, rng.choice((1, 1, 1, 2))) if rng.random() < 0.5 else []
                visit = Visit(
                    pk=self.pk(Visit),
                    unit_id=unit.pk,
                    visited_on=visited_on,
                    visitors=self.visitors(unit, username),
                    findings=rng.choice(findings).format(**counts),
                    problems="".join(problem for problem, _, _ in problems),
                    recorded_by=user,
                    recorded_at=recorded_at,
                )
                visit._history_date = recorded_at
                visit._history_user = user
                visits.append(visit)
                for _problem, description, closure in problems:
                    due = visited_on + datetime.timedelta(days=rng.choice((15, 30, 30, 60)))
                    action = VisitAction(
                        pk=self.pk(VisitAction), visit_id=visit.pk, description=description, due_on=due
                    )
                    action._history_date = recorded_at
                    action._history_user = user
                    actions.append(action)
                    # Most actions are closed once due; a few early, a few left open past due.
                    chance = 0.8 if due < self.today else 0.25
                    latest = min(due + datetime.timedelta(days=20), yesterday)
                    if rng.random() < chance and latest > visited_on:
                        done = copy.copy(action)
                        done.closed_on = self.date_between(
                            visited_on + datetime.timedelta(days=1), latest, rng
                        )
                        done.closure_note = closure
                        done.closed_by = user
                        done._history_date = max(self.moment(done.closed_on), recorded_at)
                        closed.append(done)
        # Actions are written as they stand now: closed ones in their closed state.
        closed_by_pk = {action.pk: action for action in closed}
        self.bulk(Visit, visits)
        self.bulk(VisitAction, [closed_by_pk.get(action.pk, action) for action in actions])
        self.history(Visit, visits, update=False)
        self.history(VisitAction, actions, update=False)
        self.history(VisitAction, closed, update=True)
        self.counts["visits"] = len(visits)
        self.counts["visit_actions"] = len(actions)
        self.counts["visit_actions_open"] = len(actions) - len(closed)

    def responsible(self, unit: _Unit) -> tuple[Organization | None, int | None]:
        """As ``people.services.responsible_for``: the nearest (deepest) active organization
        covering the unit, else the unit's street."""
        covering = [o for o in self.covering.get(unit.pk, ()) if o.status == Organization.Status.ACTIVE]
        if covering:
            return min(covering, key=lambda o: (-len(o.path), o.pk)), None
        return None, self.townships[unit.t].pk if unit.t is not None else None

    def closer(self, organization: Organization | None, street_id: int | None) -> str:
        """The demo account that would close a follow-up answered for by these."""
        if organization is not None and organization is self.secretary_branch:
            return "branch_secretary"
        if organization is not None and organization.path.startswith(self.express_committee.path):
            return "express_committee"
        street = organization.street_id if organization is not None else street_id
        if street == self.townships[0].pk:
            return "zhongshan_staff"
        if street == self.townships[1].pk:
            return "binhai_staff"
        return "district_admin"

    def make_follow_ups(self) -> None:
        """Follow-ups of party members who disclosed their membership at registration in the past
        five months: some closed, some open, some of those overdue. Units covered by the branch
        secretary's branch and units of Zhongshan come first, so the demo accounts see some."""
        rng = self.census_rng
        self.covering: dict[int, list[Organization]] = defaultdict(list)
        org_by_pk = {org.pk: org for org in self.orgs}
        for org_pk, unit_pk in self.links:
            self.covering[unit_pk].append(org_by_pk[org_pk])
        candidates = list(
            Employment.objects.filter(
                end_date=None, person__political_status__in=MEMBER_STATUSES, unit__street__isnull=False
            )
            .exclude(person_id__in=self.official_pks)
            .order_by("pk")
            .values_list("person_id", "unit_id")
        )
        secretary_units = {u.pk for u in self.org_units[self.secretary_branch.pk]}
        first = [c for c in candidates if c[1] in secretary_units][:2]
        first += [c for c in candidates if self.unit_by_pk[c[1]].t == 0 and c not in first][:3]
        rest = [c for c in candidates if c not in first]
        wanted = max(8, min(3_000, self.n_workers // 120))
        picked, seen = [], set()
        for person_id, unit_id in first + rng.sample(rest, min(len(rest), wanted)):
            if person_id not in seen and len(picked) < wanted:
                seen.add(person_id)
                picked.append((person_id, unit_id))
        days = follow_up_days()
        rows, done = [], []
        for i, (person_id, unit_id) in enumerate(picked):
            unit = self.unit_by_pk[unit_id]
            organization, street_id = self.responsible(unit)
            state = ("overdue", "open", "done", "done", "overdue")[i % 5]
            if state == "overdue":
                age = days + rng.randint(1, 120)
            elif state == "open":
                age = rng.randint(1, days - 1) if days > 1 else 0
            else:
                age = rng.randint(5, 150)
            created = max(self.moment(self.days_ago(age)), unit.recorded)
            row = DisclosureFollowUp(
                pk=self.pk(DisclosureFollowUp),
                person_id=person_id,
                unit_id=unit_id,
                organization_id=organization.pk if organization is not None else None,
                street_id=street_id,
                created_at=created,
                due_on=created.date() + datetime.timedelta(days=days),
            )
            row._history_date = created
            rows.append(row)
            if state == "done":
                closed = copy.copy(row)
                closed.status = DisclosureFollowUp.Status.DONE
                closed_on = self.date_between(
                    created.date() + datetime.timedelta(days=1),
                    min(created.date() + datetime.timedelta(days=days + 15), self.days_ago(1)),
                    rng,
                )
                closed.closed_at = max(self.moment(closed_on), created)
                closed.closed_by = self.user(self.closer(organization, street_id))
                closed.note = rng.choice(data.FOLLOW_UP_NOTES)
                closed._history_date = closed.closed_at
                closed._history_user = closed.closed_by
                done.append(closed)
        closed_by_pk = {row.pk: row for row in done}
        self.bulk(DisclosureFollowUp, [closed_by_pk.get(row.pk, row) for row in rows])
        self.history(DisclosureFollowUp, rows, update=False)
        self.history(DisclosureFollowUp, done, update=True)
        self.counts["follow_ups"] = len(rows)
        self.counts["follow_ups_open"] = len(rows) - len(done)
