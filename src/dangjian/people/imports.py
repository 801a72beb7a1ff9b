"""Entry registrations from a spreadsheet: the liaison's (or the street's) list of new workers
and of workers who left.

One person is one record, matched by the ID number's blind index whatever the channel; one
employment is one (person, unit, start date). A row equal to what is stored changes nothing.
Checking and writing are done in bulk (a handful of queries per thousand rows), since a platform's
sheet can hold a hundred thousand riders.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dangjian.accounts.scope import scope_of, visible_to
from dangjian.core.audit import record_event
from dangjian.core.bulk import insert_new, write_history
from dangjian.core.crypto import blind_index
from dangjian.core.validators import gender_from_id_number
from dangjian.people.models import DisclosureFollowUp, Employment, Person
from dangjian.people.sheets import INVESTOR_SHEET, REGISTRATION_SHEET
from dangjian.spreadsheets.imports import Importer, Plan, Progress
from dangjian.spreadsheets.reader import CellError, ParsedRow
from dangjian.units.models import Unit

BATCH = 2000
PERSON_FIELDS = ("name", "ethnicity", "education", "household_registration", "residence")
MEMBER_STATUSES = (Person.PoliticalStatus.FULL_MEMBER, Person.PoliticalStatus.PROBATIONARY_MEMBER)


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class RegistrationWork:
    new_people: list[Person] = field(default_factory=list)
    changed_people: dict[int, Person] = field(default_factory=dict)  # pk -> person with new values
    person_changes: set[str] = field(default_factory=set)  # the fields any changed person changes
    # Employments to create, with the row's person object (its pk is known only after it is created).
    new_employments: list[tuple[Person, Employment]] = field(default_factory=list)
    changed_employments: list[Employment] = field(default_factory=list)
    disclosures: list[tuple[Person, int]] = field(default_factory=list)  # (person, unit id)


class RegistrationImporter(Importer):
    kind = "registration"
    spec = REGISTRATION_SHEET

    @property
    def title(self):
        from django.utils.translation import gettext

        return gettext("Entry registrations")

    def allowed(self, user) -> bool:
        scope = scope_of(user)
        return bool(scope.everything or scope.street_ids or scope.industries or scope.unit_paths)

    # --- checking -------------------------------------------------------------------------------

    def check(self, rows: list[ParsedRow], *, user, context: dict) -> Plan:
        units = resolve_units(rows, user, context)
        today = timezone.localdate()
        seen: dict[tuple, int] = {}  # (id index, unit, start) -> first row
        firsts: dict[str, ParsedRow] = {}  # id index -> the first row naming this person
        keyed: list[tuple[ParsedRow, str, int]] = []
        for row in rows:
            values = row.values
            unit_id = units.get(row.row)
            if unit_id is None:
                continue  # refused by _resolve_units
            start, end = values["start_date"], values["end_date"]
            if start > today:
                row.errors.append(CellError(row.row, "入职日期", f"入职日期 {start:%Y-%m-%d} 晚于今天"))
                continue
            if end is not None and end < start:
                row.errors.append(CellError(row.row, "离职日期", "离职日期早于入职日期"))
                continue
            index = blind_index(values["id_number"], "id_number")
            key = (index, unit_id, start)
            if key in seen:
                row.errors.append(
                    CellError(
                        row.row, "身份证号", f"与第 {seen[key]} 行重复（同一人、同一单位、同一入职日期）"
                    )
                )
                continue
            first = firsts.setdefault(index, row)
            if first is not row and first.values["name"] != values["name"]:
                row.errors.append(
                    CellError(
                        row.row, "姓名", f"同一身份证号在第 {first.row} 行的姓名是“{first.values['name']}”"
                    )
                )
                continue
            seen[key] = row.row
            keyed.append((row, index, unit_id))
        return self._plan(keyed, user)

    def _plan(self, keyed: list[tuple[ParsedRow, str, int]], user) -> Plan:
        indexes = list({index for _, index, _ in keyed})
        existing: dict[str, Person] = {}
        for chunk in _chunks(indexes):
            for person in Person.objects.filter(id_number_index__in=chunk).only(
                "pk", "id_number_index", "mobile_index", "political_status", *PERSON_FIELDS
            ):
                existing[person.id_number_index] = person
        # A person already on record but outside the uploader's scope keeps their details as they
        # are: the sheet adds the employment, it does not rewrite someone else's record.
        editable = set()
        for chunk in _chunks([p.pk for p in existing.values()]):
            editable.update(
                visible_to(user, Person.objects.filter(pk__in=chunk)).values_list("pk", flat=True)
            )
        employments: dict[tuple[int, int, datetime.date], Employment] = {}
        for chunk in _chunks([p.pk for p in existing.values()]):
            for employment in Employment.objects.filter(person_id__in=chunk).only(
                "pk", "person_id", "unit_id", "start_date", "job_type", "full_time", "end_date"
            ):
                employments[(employment.person_id, employment.unit_id, employment.start_date)] = employment

        work = RegistrationWork()
        plan = Plan(work=work)
        new_by_index: dict[str, Person] = {}
        for row, index, unit_id in keyed:
            values = row.values
            person = existing.get(index)
            person_state = "unchanged"
            if person is None:
                person = new_by_index.get(index)
                if person is None:
                    person = self._new_person(values, index)
                    new_by_index[index] = person
                    work.new_people.append(person)
                    if person.political_status in MEMBER_STATUSES:
                        work.disclosures.append((person, unit_id))
                person_state = "new"
            elif person.pk in editable and person.pk not in work.changed_people:
                changes = self._person_changes(person, values)
                if changes:
                    person_state = "changed"
                    for name, value in changes.items():
                        setattr(person, name, value)
                    work.changed_people[person.pk] = person
                    work.person_changes.update(changes)
                    if changes.get("political_status") in MEMBER_STATUSES:
                        work.disclosures.append((person, unit_id))
            employment_state = self._employment(work, employments, person, unit_id, values)
            states = {person_state, employment_state}
            if "new" in states:
                plan.new += 1
            elif "changed" in states:
                plan.changed += 1
            else:
                plan.unchanged += 1
        plan.total = (
            len(work.new_people)
            + len(work.changed_people)
            + len(work.new_employments)
            + len(work.changed_employments)
        )
        return plan

    @staticmethod
    def _new_person(values: dict, index: str) -> Person:
        mobile = values["mobile"] or ""
        person = Person(
            id_number=values["id_number"],
            id_number_index=index,
            mobile=mobile,
            mobile_index=blind_index(mobile, "mobile") if mobile else None,
            political_status=values["political_status"] or Person.PoliticalStatus.UNDISCLOSED,
            **{name: values[name] or "" for name in PERSON_FIELDS},
        )
        person.gender = gender_from_id_number(values["id_number"])
        return person

    @staticmethod
    def _person_changes(person: Person, values: dict) -> dict:
        """Fields the row changes. A blank cell never erases what is on record, and a status is
        never turned back into "not disclosed" by a sheet that does not say."""
        changes = {}
        for name in PERSON_FIELDS:
            if values[name] and values[name] != getattr(person, name):
                changes[name] = values[name]
        mobile = values["mobile"]
        if mobile and blind_index(mobile, "mobile") != person.mobile_index:
            changes["mobile"] = mobile
            changes["mobile_index"] = blind_index(mobile, "mobile")
        status = values["political_status"]
        if status and status != Person.PoliticalStatus.UNDISCLOSED and status != person.political_status:
            changes["political_status"] = status
        return changes

    @staticmethod
    def _employment(
        work: RegistrationWork, employments: dict, person: Person, unit_id: int, values: dict
    ) -> str:
        full_time = values["employment_form"] != "part_time"
        stored = employments.get((person.pk, unit_id, values["start_date"])) if person.pk else None
        if stored is None:
            employment = Employment(
                unit_id=unit_id,
                job_type=values["job_type"],
                full_time=full_time,
                start_date=values["start_date"],
                end_date=values["end_date"],
            )
            work.new_employments.append((person, employment))
            return "new"
        wanted = {"job_type": values["job_type"], "full_time": full_time, "end_date": values["end_date"]}
        if values["employment_form"] is None:
            del wanted["full_time"]  # not said: keep what is stored
        if values["end_date"] is None:
            del wanted["end_date"]  # a registration sheet without the leaving date does not un-leave anyone
        if all(getattr(stored, name) == value for name, value in wanted.items()):
            return "unchanged"
        for name, value in wanted.items():
            setattr(stored, name, value)
        work.changed_employments.append(stored)
        return "changed"

    # --- writing ----------------------------------------------------------------------------------

    def apply(self, plan: Plan, *, user, job, progress: Progress) -> None:
        work: RegistrationWork = plan.work
        reason = f"import:{job.pk}"
        history = {"default_user": user, "default_change_reason": reason}
        for chunk in _chunks(work.new_people):
            insert_new(Person, chunk, key=("id_number_index",))
            write_history(Person, _stamped(chunk, user), reason=reason)
            progress(len(chunk))
        changed_people = list(work.changed_people.values())
        for chunk in _chunks(changed_people):
            bulk_update_with_history(chunk, Person, sorted(work.person_changes), batch_size=BATCH, **history)
            progress(len(chunk))
        for person, employment in work.new_employments:
            employment.person_id = person.pk
        new_employments = [employment for _, employment in work.new_employments]
        for chunk in _chunks(new_employments):
            insert_new(Employment, chunk, key=("person_id", "unit_id", "start_date"))
            write_history(Employment, _stamped(chunk, user), reason=reason)
            progress(len(chunk))
        for chunk in _chunks(work.changed_employments):
            bulk_update_with_history(
                chunk, Employment, ["job_type", "full_time", "end_date"], batch_size=BATCH, **history
            )
            progress(len(chunk))
        follow_ups = open_follow_ups(work.disclosures, actor=user, reason=reason)
        record_event(
            actor=user,
            action="imported",
            obj=job,
            changes={
                "new_rows": ["", str(plan.new)],
                "changed_rows": ["", str(plan.changed)],
                "follow_ups": ["", str(follow_ups)],
            },
        )


def _stamped(objs: list, user) -> list:
    """What the history writer reads from each row: when, and by whom."""
    now = timezone.now()
    for obj in objs:
        obj._history_date, obj._history_user = now, user
    return objs


def resolve_units(rows: list[ParsedRow], user, context: dict) -> dict[int, int]:
    """Row number -> unit id, from the USCC or the name, among the units the user may see.

    A liaison's sheet may leave the unit out: it is their own unit (never ask for what is known).
    Rows naming no unit the user may see get the reason added to their errors.
    """
    visible = visible_to(user, Unit.objects.all())
    usccs = {row.values["unit_uscc"] for row in rows if row.values["unit_uscc"]}
    names = {
        row.values["unit_name"] for row in rows if row.values["unit_name"] and not row.values["unit_uscc"]
    }
    by_uscc = dict(visible.filter(uscc__in=usccs).values_list("uscc", "pk")) if usccs else {}
    by_name: dict[str, list[int]] = {}
    for name, pk in visible.filter(name__in=names).values_list("name", "pk") if names else ():
        by_name.setdefault(name, []).append(pk)
    default_unit = context.get("unit")
    resolved = {}
    for row in rows:
        uscc, name = row.values["unit_uscc"], row.values["unit_name"]
        if uscc:
            pk = by_uscc.get(uscc)
            if pk is None:
                row.errors.append(
                    CellError(
                        row.row, "统一社会信用代码", f"您管辖的单位中没有统一社会信用代码为 {uscc} 的单位"
                    )
                )
                continue
        elif name:
            matches = by_name.get(name, [])
            if not matches:
                row.errors.append(
                    CellError(
                        row.row,
                        "单位名称",
                        f"您管辖的单位中没有“{name}”，请核对名称或填写统一社会信用代码",
                    )
                )
                continue
            if len(matches) > 1:
                row.errors.append(
                    CellError(
                        row.row,
                        "单位名称",
                        f"有 {len(matches)} 个单位名为“{name}”，请填写统一社会信用代码",
                    )
                )
                continue
            pk = matches[0]
        elif default_unit:
            pk = default_unit
        else:
            row.errors.append(CellError(row.row, "单位名称", "请填写单位名称或统一社会信用代码"))
            continue
        resolved[row.row] = pk
    return resolved


def open_follow_ups(disclosures: list[tuple[Person, int]], *, actor, reason: str) -> int:
    """Members who disclosed in a sheet get the follow-up a self-registration opens
    (``services.follow_up_for_disclosure``), written in bulk: the responsible body is looked up
    once per unit, not once per member. Returns how many were opened."""
    from dangjian.people.services import follow_up_days, responsible_for

    if not disclosures:
        return 0
    units = Unit.objects.in_bulk({unit_id for _, unit_id in disclosures})
    responsible = {pk: responsible_for(unit) for pk, unit in units.items()}
    already_open = set()
    for chunk in _chunks([person.pk for person, _ in disclosures]):
        already_open.update(
            DisclosureFollowUp.objects.filter(
                person_id__in=chunk, status=DisclosureFollowUp.Status.OPEN
            ).values_list("person_id", "unit_id")
        )
    due_on = timezone.localdate() + datetime.timedelta(days=follow_up_days())
    follow_ups = [
        DisclosureFollowUp(
            person=person,
            unit_id=unit_id,
            organization=responsible[unit_id][0],
            street=responsible[unit_id][1],
            due_on=due_on,
        )
        for person, unit_id in disclosures
        if (person.pk, unit_id) not in already_open
    ]
    bulk_create_with_history(
        follow_ups, DisclosureFollowUp, batch_size=BATCH, default_user=actor, default_change_reason=reason
    )
    return len(follow_ups)


class InvestorImporter(Importer):
    """Investors are a few per unit, entered by staff: each row goes through ``save_investor``,
    which finds the one person record by ID number and keeps the ledger's history."""

    kind = "investors"
    spec = INVESTOR_SHEET

    @property
    def title(self):
        from django.utils.translation import gettext

        return gettext("Investors")

    def allowed(self, user) -> bool:
        return RegistrationImporter().allowed(user)

    def check(self, rows: list[ParsedRow], *, user, context: dict) -> Plan:
        from dangjian.people.models import Investor
        from dangjian.units.ledger import Part, may_edit_ledger

        units = resolve_units(rows, user, context)
        unit_objects = Unit.objects.in_bulk(set(units.values()))
        indexes = {
            row.row: blind_index(row.values["id_number"], "id_number") for row in rows if row.row in units
        }
        people = {
            p.id_number_index: p for p in Person.objects.filter(id_number_index__in=set(indexes.values()))
        }
        investors = {
            (i.unit_id, i.person_id): i for i in Investor.objects.filter(unit_id__in=set(units.values()))
        }
        plan, saves, seen = Plan(), [], {}
        for row in rows:
            if row.row not in units:
                continue
            unit = unit_objects[units[row.row]]
            if not may_edit_ledger(user, unit, Part.INVESTORS):
                row.errors.append(CellError(row.row, "单位名称", "您不能修改该单位的出资人"))
                continue
            key = (unit.pk, indexes[row.row])
            if key in seen:
                row.errors.append(
                    CellError(row.row, "身份证号", f"与第 {seen[key]} 行是同一单位的同一出资人")
                )
                continue
            seen[key] = row.row
            v = row.values
            person = people.get(indexes[row.row])
            stored = investors.get((unit.pk, person.pk)) if person else None
            if stored is None:
                plan.new += 1
            elif (
                stored.role != v["role"]
                or stored.share_percent != v["share_percent"]
                or stored.representative_roles != (v["representative_roles"] or "")
                or person.name != v["name"]
                or (v["mobile"] and blind_index(v["mobile"], "mobile") != person.mobile_index)
                or (v["political_status"] and v["political_status"] != person.political_status)
            ):
                plan.changed += 1
            else:
                plan.unchanged += 1
                continue
            saves.append((unit, v))
        plan.work, plan.total = saves, len(saves)
        return plan

    def apply(self, plan: Plan, *, user, job, progress: Progress) -> None:
        from dangjian.people.services import save_investor

        for unit, values in plan.work:
            save_investor(
                actor=user,
                unit=unit,
                role=values["role"],
                id_number=values["id_number"],
                name=values["name"],
                mobile=values["mobile"] or "",
                political_status=values["political_status"],
                share_percent=values["share_percent"],
                representative_roles=values["representative_roles"] or "",
            )
            progress(1)
