"""The unit registry and its operations ledger from a spreadsheet (the street's census sheet).

A unit is matched by its unified social credit code, or, for an outlet without one, by name
within its street. Names of streets, communities, head companies and industry authorities are
looked up once per file. Units come by the hundreds, not the hundred thousand, so each is saved
through ``save_unit``: validated, with its tree path, history and audit event.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from dangjian.accounts.scope import scope_of, visible_to
from dangjian.organizations.models import Office
from dangjian.regions.models import Region
from dangjian.spreadsheets.imports import Importer, Plan, Progress
from dangjian.spreadsheets.reader import CellError, ParsedRow
from dangjian.units.models import Unit
from dangjian.units.services import save_unit
from dangjian.units.sheets import UNIT_SHEET

# Sheet column -> model field, for the plain values compared and copied as they are.
PLAIN = (
    "name",
    "uscc",
    "kind",
    "industry",
    "address",
    "key_area",
    "operating_status",
    "business_scope",
    "reported_outlet_count",
    "platforms",
)


PARENT_KINDS = (Unit.Kind.HEAD_COMPANY, Unit.Kind.BRANCH)


@dataclass
class UnitWork:
    # (row number, unit with the row's values set, head company name to link once it exists)
    saves: list[tuple[int, Unit, str]] = field(default_factory=list)
    # Units a row may name as its parent (总公司（上级单位）): a head company or a branch company.
    heads: dict[str, Unit] = field(default_factory=dict)


class UnitImporter(Importer):
    kind = "units"
    spec = UNIT_SHEET

    @property
    def title(self):
        from django.utils.translation import gettext

        return gettext("Unit registry and operations")

    def allowed(self, user) -> bool:
        scope = scope_of(user)
        return bool(scope.everything or scope.street_ids)

    def check(self, rows: list[ParsedRow], *, user, context: dict) -> Plan:
        scope = scope_of(user)
        streets = {r.name: r for r in Region.objects.filter(kind__in=[Region.Kind.STREET, Region.Kind.TOWN])}
        communities = {(r.parent_id, r.name): r for r in Region.objects.filter(kind=Region.Kind.COMMUNITY)}
        authorities = dict(
            Office.objects.filter(kind=Office.Kind.INDUSTRY_AUTHORITY).values_list("name", "pk")
        )
        visible = visible_to(user, Unit.objects.all())
        usccs = [r.values["uscc"] for r in rows if r.values["uscc"]]
        by_uscc = {u.uscc: u for u in Unit.objects.filter(uscc__in=usccs)}
        visible_ids = set(visible.values_list("pk", flat=True))
        by_name = {(u.street_id, u.name): u for u in visible.filter(uscc__isnull=True)}
        heads = {u.name: u for u in visible.filter(kind__in=PARENT_KINDS)}
        names_in_file = {r.values["name"] for r in rows}

        work, plan, seen = UnitWork(heads=heads), Plan(), {}
        plan.work = work
        for row in rows:
            v = row.values
            errors = row.errors
            street = streets.get(v["street__name"]) if v["street__name"] else None
            if v["street__name"] and street is None:
                errors.append(
                    CellError(row.row, "属地街道（镇）", f"没有名为“{v['street__name']}”的街道或镇")
                )
            elif not scope.everything and (street is None or street.pk not in scope.street_ids):
                errors.append(CellError(row.row, "属地街道（镇）", "只能导入本街道（镇）的单位"))
            community = None
            if v["community__name"]:
                community = communities.get((street.pk if street else None, v["community__name"]))
                if community is None:
                    errors.append(
                        CellError(row.row, "社区", f"“{v['community__name']}”不是该街道（镇）的社区")
                    )
            authority = None
            if v["industry_authority__name"]:
                authority = authorities.get(v["industry_authority__name"])
                if authority is None:
                    errors.append(
                        CellError(
                            row.row,
                            "行业主管部门",
                            f"没有名为“{v['industry_authority__name']}”的行业主管部门",
                        )
                    )
            coordinates = {}
            for key, label, limit in (("longitude", "经度", 180), ("latitude", "纬度", 90)):
                coordinates[key] = _coordinate(v[key], limit, row, label)
            head = v["parent__name"] or ""
            if head and head not in heads and head not in names_in_file:
                errors.append(CellError(row.row, "总公司（上级单位）", f"没有名为“{head}”的总公司或分公司"))
            key = v["uscc"] or (street.pk if street else None, v["name"])
            if key in seen:
                errors.append(CellError(row.row, "单位名称", f"与第 {seen[key]} 行是同一单位"))
            if errors:
                continue
            seen[key] = row.row
            unit = (
                by_uscc.get(v["uscc"])
                if v["uscc"]
                else by_name.get((street.pk if street else None, v["name"]))
            )
            if unit is not None and unit.pk not in visible_ids:
                errors.append(CellError(row.row, "统一社会信用代码", "该单位已登记，但不在您的管辖范围内"))
                continue
            wanted = {name: v[name] for name in PLAIN if v[name] is not None}
            wanted.setdefault("kind", Unit.Kind.HEAD_COMPANY if unit is None else unit.kind)
            wanted |= {
                "street_id": street.pk if street else None,
                "community_id": community.pk if community else (unit.community_id if unit else None),
                "industry_authority_id": authority or (unit.industry_authority_id if unit else None),
            }
            wanted |= {k: c for k, c in coordinates.items() if c is not None}
            if unit is None:
                plan.new += 1
                unit = Unit(**wanted)
            elif any(getattr(unit, name) != value for name, value in wanted.items()) or _new_head(
                unit, head, heads
            ):
                plan.changed += 1
                for name, value in wanted.items():
                    setattr(unit, name, value)
            else:
                plan.unchanged += 1
                continue
            if not _valid(unit, row):
                plan.new -= unit.pk is None
                plan.changed -= unit.pk is not None
                continue
            work.saves.append((row.row, unit, head))
        plan.total = len(work.saves)
        return plan

    def apply(self, plan: Plan, *, user, job, progress: Progress) -> None:
        work: UnitWork = plan.work
        # Head companies, then branches, then the rest: a parent new in this file exists before
        # the rows that name it.
        saves = sorted(
            work.saves,
            key=lambda item: PARENT_KINDS.index(item[1].kind) if item[1].kind in PARENT_KINDS else 2,
        )
        heads = dict(work.heads)
        for _row, unit, head in saves:
            if head:
                unit.parent = heads[head]
            save_unit(actor=user, unit=unit)
            if unit.kind in PARENT_KINDS:
                heads[unit.name] = unit
            progress(1)


def _coordinate(value: Decimal | None, limit: int, row: ParsedRow, label: str) -> Decimal | None:
    if value is None:
        return None
    number = value.quantize(Decimal("0.000001"))
    if abs(number) > limit:
        row.errors.append(CellError(row.row, label, f"{label}超出范围（±{limit}）"))
        return None
    return number


def _valid(unit: Unit, row: ParsedRow) -> bool:
    """The model's own checks (USCC check character and uniqueness, ...), before anything is written."""
    try:
        unit.full_clean(exclude=["parent", "path"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = Unit._meta.get_field(name).verbose_name if name != NON_FIELD_ERRORS else ""
            row.errors.extend(CellError(row.row, str(label), str(message)) for message in messages)
        return False
    return True


def _new_head(unit: Unit, head: str, heads: dict[str, Unit]) -> bool:
    return bool(head) and (unit.parent_id is None or unit.parent_id != getattr(heads.get(head), "pk", None))
