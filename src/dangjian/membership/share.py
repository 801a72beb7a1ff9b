"""The members' share (党员占比): party members (full and probationary) as a share of workers,
per unit, street, industry and job type, its trend month by month, and how many investors and
managers are in the development pipeline (measure 5 asks to recruit them).

Workers are people with an employment running on the day (started on or before it, and not ended:
no end date, or an end date after it), counted once per group however many employments they hold
in it. Everything is counted in SQL over what ``visible_to`` lets the user see; only counts leave
this module, never names.

The trend (decision): a month's figure is taken on its last day (today for the running month).
Who was working then comes from the employments' start and end dates. Who was a member then comes
from the people's row history (django-simple-history): for the few people whose political status
ever changed, the status recorded on or before that day is used (before their first record: the
first status recorded); everyone else has had one status throughout and is counted in SQL with
it. So an applicant admitted in March counts from March, not back to the start of the chart, and
one pass over the employments serves every month. People loaded without history rows (the large
demo) are counted with their current status.
"""

import datetime
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.accounts.scope import visible_to
from dangjian.core.choices import Industry, JobType
from dangjian.people.models import Employment, Investor, Person

FULL = Person.PoliticalStatus.FULL_MEMBER
PROBATIONARY = Person.PoliticalStatus.PROBATIONARY_MEMBER
MEMBER_STATUSES = (FULL, PROBATIONARY)

DIMENSIONS = {
    "street": (_("Street/town"), "unit__street_id", "unit__street__name"),
    "industry": (_("Industry"), "unit__industry", None),
    "job_type": (_("Job type"), "job_type", None),
    "unit": (_("Unit"), "unit_id", "unit__name"),
}
LABELS = {"industry": dict(Industry.choices), "job_type": dict(JobType.choices)}


def working_on(day: datetime.date, prefix: str = "") -> Q:
    """Employments running on ``day``."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day})
    )


def percent(members: int, workers: int) -> float | None:
    return round(100 * members / workers, 1) if workers else None


@dataclass
class Row:
    key: object
    label: str
    workers: int
    full: int
    probationary: int

    @property
    def members(self) -> int:
        return self.full + self.probationary

    @property
    def share(self) -> float | None:
        return percent(self.members, self.workers)


def _counts():
    return {
        "workers": Count("person", distinct=True),
        "full": Count("person", distinct=True, filter=Q(person__political_status=FULL)),
        "probationary": Count("person", distinct=True, filter=Q(person__political_status=PROBATIONARY)),
    }


def current_employments(user, *, today: datetime.date):
    return visible_to(user, Employment.objects.filter(working_on(today)))


def share_total(user, *, today: datetime.date) -> Row:
    counts = current_employments(user, today=today).aggregate(**_counts())
    return Row(None, str(_("All")), counts["workers"], counts["full"], counts["probationary"])


def share_by(user, dimension: str, *, today: datetime.date, limit: int | None = None) -> list[Row]:
    """Rows of one grouping, in SQL: by street, industry, job type or unit (biggest first)."""
    _label, key, name = DIMENSIONS[dimension]
    fields = [key] + ([name] if name else [])
    rows = (
        current_employments(user, today=today).values(*fields).annotate(**_counts()).order_by("-workers", key)
    )
    if limit:
        rows = rows[:limit]
    result = []
    for row in rows:
        # A street or unit by name; an industry or job type by its label.
        label = (row[name] or str(_("(none)"))) if name else str(LABELS[dimension].get(row[key], row[key]))
        result.append(Row(row[key], label, row["workers"], row["full"], row["probationary"]))
    return result


# --- the trend ----------------------------------------------------------------------------------


def month_ends(today: datetime.date, months: int) -> list[datetime.date]:
    """The last day of each of the ``months`` months up to this one, oldest first (today for
    the running month)."""
    ends = []
    first = today.replace(day=1)
    ends.append(today)
    for _i in range(months - 1):
        last = first - datetime.timedelta(days=1)
        ends.append(last)
        first = last.replace(day=1)
    return list(reversed(ends))


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _status_changed():
    """Ids of people whose political status differs between history rows: the only ones whose
    status on a past day may differ from their status today."""
    history = Person.history.model
    return (
        history.objects.order_by()
        .values("id")
        .annotate(statuses=Count("political_status", distinct=True))
        .filter(statuses__gt=1)
        .values("id")
    )


def status_on(timeline: list[tuple[datetime.datetime, str]], moment: datetime.datetime) -> str:
    """The status recorded last at or before ``moment``; before the first record, the first one.
    ``timeline``: (history date, status), oldest first."""
    index = bisect_right([when for when, _status in timeline], moment)
    return timeline[max(index - 1, 0)][1]


def trend(user, *, today: datetime.date, months: int = 12) -> list[dict]:
    """[{"month": "2026-03", "day": date, "workers": n, "members": n, "share": %}], oldest first."""
    ends = month_ends(today, months)
    employments = visible_to(user, Employment.objects.filter(start_date__lte=today))
    changed = _status_changed()
    steady_member = Q(person__political_status__in=MEMBER_STATUSES) & ~Q(person_id__in=changed)
    aggregates = {}
    for i, day in enumerate(ends):
        aggregates[f"w{i}"] = Count("person", distinct=True, filter=working_on(day))
        aggregates[f"m{i}"] = Count("person", distinct=True, filter=working_on(day) & steady_member)
    counts = employments.aggregate(**aggregates)

    # The people whose status changed: their employments and status history, few rows.
    extra = defaultdict(int)
    spans = defaultdict(list)
    for person_id, start, end in employments.filter(person_id__in=changed).values_list(
        "person_id", "start_date", "end_date"
    ):
        spans[person_id].append((start, end))
    if spans:
        timelines = defaultdict(list)
        history = Person.history.model.objects.filter(id__in=list(spans)).order_by(
            "history_date", "history_id"
        )
        for person_id, when, status in history.values_list("id", "history_date", "political_status"):
            timelines[person_id].append((when, status))
        for person_id, person_spans in spans.items():
            for i, day in enumerate(ends):
                working = any(start <= day and (end is None or end > day) for start, end in person_spans)
                if working and status_on(timelines[person_id], _end_of(day)) in MEMBER_STATUSES:
                    extra[i] += 1
    result = []
    for i, day in enumerate(ends):
        workers, members = counts[f"w{i}"], counts[f"m{i}"] + extra[i]
        result.append(
            {
                "month": day.strftime("%Y-%m"),
                "day": day,
                "workers": workers,
                "members": members,
                "share": percent(members, workers),
            }
        )
    return result


# --- investors and managers in the development pipeline ---------------------------------------------


def recruits(user, *, today: datetime.date) -> dict:
    """How many investors and managers (people holding a management post now) the user may see,
    how many of them are members, and how many are in the development pipeline by stage.

    Counted from ``people.Investor`` and ``organizations.ManagementPost`` (the unit's side, seen
    with the unit) and ``membership.DevelopmentRecord`` (party work, seen by the organizations
    answering for it): a person is counted in the pipeline when the user may see their record."""
    from dangjian.membership.models import DevelopmentRecord
    from dangjian.organizations.models import ManagementPost

    investors = visible_to(user, Investor.objects.all())
    managers = visible_to(
        user,
        ManagementPost.objects.filter(start_date__lte=today).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        ),
    )
    records = visible_to(user, DevelopmentRecord.objects.filter(stage__in=DevelopmentRecord.OPEN_STAGES))
    stages = list(DevelopmentRecord.OPEN_STAGES)
    result = {"stages": [DevelopmentRecord.Stage(stage).label for stage in stages], "groups": []}
    for key, label, rows in (("investors", _("Investors"), investors), ("managers", _("Managers"), managers)):
        totals = rows.aggregate(
            people=Count("person", distinct=True),
            members=Count("person", distinct=True, filter=Q(person__political_status__in=MEMBER_STATUSES)),
        )
        in_pipeline = records.filter(person_id__in=rows.values("person_id"))
        by_stage = dict(
            in_pipeline.order_by().values_list("stage").annotate(n=Count("person", distinct=True))
        )
        result["groups"].append(
            {
                "key": key,
                "label": label,
                "people": totals["people"],
                "members": totals["members"],
                "in_pipeline": in_pipeline.aggregate(n=Count("person", distinct=True))["n"],
                "by_stage": [by_stage.get(stage, 0) for stage in stages],
            }
        )
    return result


def chart_data(total: Row, by: dict[str, list[Row]], months: list[dict]) -> dict:
    """What static/js/share.js draws (passed with json_script)."""
    return {
        "text": {
            "share": str(_("Members' share (%)")),
            "workers": str(pgettext_lazy("members share", "Workers")),
            "members": str(pgettext_lazy("members share", "Party members")),
        },
        "trend": {
            "months": [m["month"] for m in months],
            "share": [m["share"] for m in months],
            "workers": [m["workers"] for m in months],
            "members": [m["members"] for m in months],
        },
        "groups": {
            dimension: {"labels": [r.label for r in rows], "share": [r.share for r in rows]}
            for dimension, rows in by.items()
        },
        "total": total.share,
    }
