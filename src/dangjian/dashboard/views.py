from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangjian.accounts.models import Role
from dangjian.dashboard.queries import cockpit
from dangjian.people.queries import employments_of, follow_ups_of


@login_required
def home(request):
    roles = list(request.user.roles.select_related("region", "organization", "unit"))
    if roles and all(r.role == Role.WORKER for r in roles):
        person = roles[0].person
        context = {
            "person": person,
            "employments": employments_of(request.user, person),
            "follow_ups": follow_ups_of(request.user, person),
        }
        return render(request, "dashboard/worker_home.html", context)
    return render(request, "dashboard/home.html", {"figures": cockpit(request.user), "roles": roles})
