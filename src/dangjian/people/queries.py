from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.shortcuts import get_object_or_404

from dangjian.accounts.scope import scope_of, sees_party_member_names, visible_to
from dangjian.people.models import DisclosureFollowUp, Employment, Person


def person_detail(user, pk: int) -> Person:
    return get_object_or_404(visible_to(user, Person.objects.all()), pk=pk)


def employments_of(user, person: Person):
    return visible_to(user, Employment.objects.filter(person=person)).select_related("unit")


def current_workers_by_job_type(user, units=None):
    """[(job type label, count)] of current employments, optionally for some units, counted in SQL."""
    employments = visible_to(user, Employment.objects.filter(end_date__isnull=True))
    if units is not None:
        employments = employments.filter(unit__in=units)
    rows = employments.values("job_type").annotate(count=Count("id")).order_by("-count")
    return [(Employment.JobType(row["job_type"]).label, row["count"]) for row in rows]


def worker_count(user) -> int:
    return visible_to(user, Person.objects.filter(Q(employments__end_date__isnull=True))).distinct().count()


# --- entry registration and the follow-up of disclosed membership -------------------------------

REGISTRATION_SEARCH_LIMIT = 10
REGISTRATION_SEARCH_MIN_LENGTH = 2


def units_open_for_registration(text: str) -> list[dict]:
    """Units a worker may pick on the public registration form: operating ones whose name
    contains ``text``, at most ten, as {pk, name, street} only.

    The one read of units outside ``visible_to``: the registrant is not signed in. It answers
    with names alone (the unit's street to tell namesakes apart), never codes, addresses,
    coordinates or anything else about the unit."""
    from dangjian.units.models import Unit

    text = (text or "").strip()
    if len(text) < REGISTRATION_SEARCH_MIN_LENGTH:
        return []
    rows = (
        Unit.objects.filter(operating_status=Unit.OperatingStatus.OPERATING, name__icontains=text)
        .order_by("name", "pk")
        .values("pk", "name", "street__name")[:REGISTRATION_SEARCH_LIMIT]
    )
    return [{"pk": row["pk"], "name": row["name"], "street": row["street__name"] or ""} for row in rows]


def registration_unit(pk) -> dict | None:
    """The unit picked on the registration form, shaped as a search result (or None)."""
    from dangjian.units.models import Unit

    row = (
        Unit.objects.filter(operating_status=Unit.OperatingStatus.OPERATING, pk=pk)
        .values("pk", "name", "street__name")
        .first()
    )
    return row and {"pk": row["pk"], "name": row["name"], "street": row["street__name"] or ""}


def visible_follow_ups(user):
    return visible_to(user, DisclosureFollowUp.objects.all())


def follow_up_list(user, *, today, status: str = ""):
    """Follow-ups the user may see: open ones first (most overdue on top), then closed ones;
    each with ``overdue`` (open and past its due date on ``today``)."""
    follow_ups = visible_follow_ups(user).select_related(
        "person", "unit", "organization", "street", "closed_by"
    )
    follow_ups = follow_ups.annotate(
        overdue=Case(
            When(status=DisclosureFollowUp.Status.OPEN, due_on__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    if status:
        follow_ups = follow_ups.filter(status=status)
    open_first = Case(When(status=DisclosureFollowUp.Status.OPEN, then=Value(0)), default=Value(1))
    return follow_ups.order_by(open_first, "due_on", "-closed_at", "pk")


def follow_up_counts(user, today) -> dict:
    """{"open": n, "overdue": n} among the follow-ups the user may see, counted in SQL."""
    is_open = Q(status=DisclosureFollowUp.Status.OPEN)
    return visible_follow_ups(user).aggregate(
        open=Count("pk", filter=is_open), overdue=Count("pk", filter=is_open & Q(due_on__lt=today))
    )


def closable_follow_ups(user):
    """Open follow-ups the user answers for: visible, and not about the user's own record."""
    return (
        visible_follow_ups(user)
        .filter(status=DisclosureFollowUp.Status.OPEN)
        .exclude(person_id__in=scope_of(user).person_ids)
    )


def can_close_follow_up(user, follow_up: DisclosureFollowUp) -> bool:
    return closable_follow_ups(user).filter(pk=follow_up.pk).exists()


def follow_up_detail(user, pk: int) -> DisclosureFollowUp:
    return get_object_or_404(visible_follow_ups(user), pk=pk)


def follow_ups_of(user, person: Person):
    """A person's follow-ups as the user may see them (the worker's home shows their own)."""
    return (
        visible_follow_ups(user)
        .filter(person=person)
        .select_related("unit", "organization", "street")
        .order_by("-created_at", "-pk")
    )


# --- the people list and its export -------------------------------------------------------------


def person_list(user, *, text: str = "", street_id=None, job_type: str = "", today=None):
    """People the user may see, each with a current employment (unit, job type, start date) the
    user may see, all in one query; filtered by name, the street of a current unit, or job type."""
    from django.db.models import Exists, OuterRef, Subquery
    from django.utils import timezone

    today = today or timezone.localdate()
    current = visible_to(
        user,
        Employment.objects.filter(person_id=OuterRef("pk"), start_date__lte=today).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=today)
        ),
    )
    people = visible_to(user, Person.objects.all())
    if text:
        people = people.filter(name__icontains=text)
    if street_id:
        people = people.filter(Exists(current.filter(unit__street_id=street_id)))
    if job_type:
        people = people.filter(Exists(current.filter(job_type=job_type)))
    latest = current.order_by("-start_date", "-id")
    return people.annotate(
        current_unit=Subquery(latest.values("unit__name")[:1]),
        current_job_type=Subquery(latest.values("job_type")[:1]),
        current_since=Subquery(latest.values("start_date")[:1]),
    ).order_by("name", "id")


# --- the entry-registration export --------------------------------------------------------------

REGISTRATION_EXPORT_FIELDS = (
    "person__name",
    "person__id_number",
    "person__mobile",
    "person__ethnicity",
    "person__education",
    "person__household_registration",
    "person__residence",
    "unit__name",
    "unit__uscc",
    "job_type",
    "full_time",
    "start_date",
    "end_date",
    "person__political_status",
)


def registration_rows_for_export(user, *, units=None, chunk_size: int = 2000):
    """The entry registrations (employments) the user may see, one dict per row keyed by the
    columns of ``people.sheets.REGISTRATION_SHEET``, ready for ``spreadsheets.writer.write_rows``.

    One query, streamed (``chunk_size`` rows at a time). ID numbers and mobiles are decrypted and
    masked as they are displayed. Political status is filled only for party-work roles (the same
    test as ``accounts.scope.sees_party_member_names``): an employer's liaison does not learn which
    of its staff are members. Newest registrations first (the model's ordering)."""
    from dangjian.core.masking import mask_id_number, mask_mobile

    party_work = sees_party_member_names(user)
    employments = visible_to(user, Employment.objects.all())
    if units is not None:
        employments = employments.filter(unit__in=units)
    rows = employments.values_list(*REGISTRATION_EXPORT_FIELDS).iterator(chunk_size=chunk_size)
    for (
        name,
        id_number,
        mobile,
        ethnicity,
        education,
        household_registration,
        residence,
        unit_name,
        unit_uscc,
        job_type,
        full_time,
        start_date,
        end_date,
        political_status,
    ) in rows:
        yield {
            "name": name,
            "id_number": mask_id_number(id_number),
            "mobile": mask_mobile(mobile),
            "ethnicity": ethnicity,
            "education": education,
            "household_registration": household_registration,
            "residence": residence,
            "unit_name": unit_name,
            "unit_uscc": unit_uscc,
            "job_type": job_type,
            "employment_form": "full_time" if full_time else "part_time",
            "start_date": start_date,
            "end_date": end_date,
            "political_status": political_status if party_work else None,
        }
