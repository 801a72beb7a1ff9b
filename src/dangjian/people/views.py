from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from dangjian.core.audit import timeline
from dangjian.people import queries
from dangjian.people.models import Person


@login_required
def person_detail(request, person_pk: int):
    person = queries.person_detail(request.user, person_pk)
    context = {
        "person": person,
        "employments": queries.employments_of(request.user, person),
        "events": timeline(request.user, person)[:50],
    }
    return render(request, "people/person_detail.html", context)


@login_required
def my_record(request):
    """A signed-in person's own record (workers); accounts without one get a 404."""
    try:
        person = request.user.person
    except Person.DoesNotExist:
        raise Http404 from None
    return redirect("people:detail", person_pk=person.pk)
