from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from dangjian.accounts.scope import visible_to
from dangjian.people.models import Employment, Person


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
