from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangjian.accounts.models import Role
from dangjian.dashboard.queries import cockpit


@login_required
def home(request):
    roles = list(request.user.roles.select_related("region", "organization", "unit"))
    if roles and all(r.role == Role.WORKER for r in roles):
        return render(request, "dashboard/worker_home.html", {"person": roles[0].person})
    return render(request, "dashboard/home.html", {"figures": cockpit(request.user), "roles": roles})
