"""Management posts through the import pipeline: a unit sends its list of managers once, and the
posts go in through ``appoint_management_post`` (one person, one record, found by ID number).

A row equal to an open post already on record (same unit, person, post, title and start) changes
nothing, so importing the same sheet twice writes nothing the second time; an open post with
another title or start date is corrected."""

from django.utils import timezone

from dangjian.accounts.scope import scope_of
from dangjian.core.audit import save_tracked
from dangjian.core.crypto import blind_index
from dangjian.organizations.leadership_services import appoint_management_post, may_edit_management_posts
from dangjian.organizations.models import ManagementPost
from dangjian.people.imports import resolve_units
from dangjian.people.models import Person
from dangjian.spreadsheets.columns import Column, Kind, SheetSpec
from dangjian.spreadsheets.imports import Importer, Plan, Progress
from dangjian.spreadsheets.reader import CellError, ParsedRow
from dangjian.units.models import Unit

MANAGEMENT_POST_SHEET = SheetSpec(
    name="管理层任职",
    columns=(
        Column("unit_name", "单位名称", aliases=("企业名称", "所在单位"), max_length=120),
        Column("unit_uscc", "统一社会信用代码", Kind.USCC, aliases=("信用代码", "社会信用代码")),
        Column("name", "姓名", required=True, aliases=("人员姓名", "管理人员"), max_length=40),
        Column(
            "id_number",
            "身份证号",
            Kind.ID_NUMBER,
            required=True,
            aliases=("身份证号码", "公民身份号码", "证件号码"),
            note="18位居民身份证号码；请将本列设为文本格式",
        ),
        Column(
            "kind",
            "管理职务",
            Kind.CHOICE,
            required=True,
            aliases=("职务", "岗位"),
            choices=tuple((c.value, c.label) for c in ManagementPost.Kind),
            choice_aliases=(
                ("chairman", "董事长"),
                ("general_manager", "总经理"),
                ("general_manager", "经理"),
                ("deputy_general_manager", "副总经理"),
                ("station_manager", "站长"),
                ("station_manager", "店长"),
                ("hr_head", "人事主管"),
                ("hr_head", "人事经理"),
                ("department_head", "部门经理"),
            ),
        ),
        Column("title", "单位内职务名称", aliases=("职务名称",), max_length=40, note="与管理职务不同时填写"),
        Column("start_date", "任职日期", Kind.DATE, required=True, aliases=("任职时间", "开始日期")),
    ),
)


class ManagementPostImporter(Importer):
    kind = "management_posts"
    spec = MANAGEMENT_POST_SHEET

    @property
    def title(self):
        from django.utils.translation import gettext

        return gettext("Management posts")

    def allowed(self, user) -> bool:
        scope = scope_of(user)
        return bool(
            scope.everything
            or scope.street_ids
            or scope.industries
            or scope.organization_paths
            or scope.unit_paths
        )

    def check(self, rows: list[ParsedRow], *, user, context: dict) -> Plan:
        units = resolve_units(rows, user, context)
        unit_objects = Unit.objects.in_bulk(set(units.values()))
        indexes = {
            row.row: blind_index(row.values["id_number"], "id_number") for row in rows if row.row in units
        }
        people = {
            p.id_number_index: p for p in Person.objects.filter(id_number_index__in=set(indexes.values()))
        }
        open_posts = {
            (p.unit_id, p.person_id, p.kind): p
            for p in ManagementPost.objects.filter(unit_id__in=set(units.values()), end_date__isnull=True)
        }
        today = timezone.localdate()
        allowed: dict[int, bool] = {}
        plan, work, seen = Plan(), [], {}
        for row in rows:
            if row.row not in units:
                continue
            unit = unit_objects[units[row.row]]
            if unit.pk not in allowed:
                allowed[unit.pk] = may_edit_management_posts(user, unit)
            if not allowed[unit.pk]:
                row.errors.append(CellError(row.row, "单位名称", "您不能登记该单位的管理职务"))
                continue
            v = row.values
            if v["start_date"] > today:
                row.errors.append(CellError(row.row, "任职日期", "任职日期不能晚于今天"))
                continue
            key = (unit.pk, indexes[row.row], v["kind"])
            if key in seen:
                row.errors.append(
                    CellError(row.row, "身份证号", f"与第 {seen[key]} 行是同一单位同一人的同一职务")
                )
                continue
            seen[key] = row.row
            person = people.get(indexes[row.row])
            stored = open_posts.get((unit.pk, person.pk, v["kind"])) if person else None
            title = v["title"] or ""
            if stored is None:
                plan.new += 1
            elif stored.title != title or stored.start_date != v["start_date"]:
                plan.changed += 1
            else:
                plan.unchanged += 1
                continue
            work.append((unit, stored.pk if stored else None, v))
        plan.work, plan.total = work, len(work)
        return plan

    def apply(self, plan: Plan, *, user, job, progress: Progress) -> None:
        for unit, stored_pk, values in plan.work:
            if stored_pk is None:
                appoint_management_post(
                    actor=user,
                    unit=unit,
                    id_number=values["id_number"],
                    name=values["name"],
                    kind=values["kind"],
                    title=values["title"] or "",
                    start_date=values["start_date"],
                )
            else:
                post = ManagementPost.objects.get(pk=stored_pk)
                post.title, post.start_date = values["title"] or "", values["start_date"]
                save_tracked(post, actor=user)
            progress(1)
