from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from dangjian.accounts.scope import sees_party_member_names
from dangjian.core import ratelimit
from dangjian.core.audit import timeline
from dangjian.core.paging import page_of
from dangjian.people import queries, services
from dangjian.people.forms import FollowUpCloseForm, FollowUpFilterForm, RegistrationForm
from dangjian.people.models import Person

# Public pages: failed registrations per address and hour (a station's riders may register
# together from one network, typos included), unit searches per address and ten minutes.
REGISTRATION_FAILURES_PER_HOUR = 30
UNIT_SEARCHES_PER_10_MINUTES = 300
_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


@login_required
def person_detail(request, person_pk: int):
    person = queries.person_detail(request.user, person_pk)
    context = {
        "person": person,
        # Membership is the person's own disclosure: shown to party-work roles and to themselves.
        "show_status": sees_party_member_names(request.user) or person.user_id == request.user.pk,
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


# --- entry registration (public) ----------------------------------------------------------------


def _add_service_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
    form.mark_errors()


@sensitive_post_parameters("id_number", "mobile", "password", "password_confirm")
@require_http_methods(["GET", "POST"])
def register(request):
    """Entry registration on a phone: no login needed; on success the worker is logged in."""
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    status = 200
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        address = ratelimit.client_ip(request)
        if ratelimit.exceeded("registration", address, limit=REGISTRATION_FAILURES_PER_HOUR):
            form.is_valid()  # the answers are shown again, with their own errors
            form.add_error(None, _("Too many attempts from this network. Please try again in an hour."))
            status = 429
        elif form.is_valid():
            try:
                registration = services.register_worker(actor=request.user, **form.registration_values())
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                login(request, registration.user, backend=_LOGIN_BACKEND)
                messages.success(request, _("Registration complete. This is your record."))
                return redirect("dashboard:home")
        if status == 200:
            ratelimit.hit("registration", address, window_seconds=3600)
    else:
        form = RegistrationForm()
    picked = form.picked_unit_pk()
    context = {
        "form": form,
        "picked_units": [unit] if picked and (unit := queries.registration_unit(picked)) else [],
        "follow_up_days": services.follow_up_days(),
    }
    return render(request, "people/register.html", context, status=status)


@require_GET
def registration_units(request):
    """The registration form's unit search: names of operating units only, at most ten."""
    address = ratelimit.client_ip(request)
    if ratelimit.hit("unit-search", address, window_seconds=600) > UNIT_SEARCHES_PER_10_MINUTES:
        return render(request, "people/register_units.html", {"limited": True}, status=429)
    text = request.GET.get("q", "")[:60]
    context = {
        "results": queries.units_open_for_registration(text),
        "searched": len(text.strip()) >= queries.REGISTRATION_SEARCH_MIN_LENGTH,
    }
    return render(request, "people/register_units.html", context)


# --- disclosure follow-ups (staff) --------------------------------------------------------------


@login_required
def follow_up_list(request):
    form = FollowUpFilterForm(request.GET or None)
    today = timezone.localdate()
    page = page_of(request, queries.follow_up_list(request.user, today=today, **form.filters()))
    closable = set(
        queries.closable_follow_ups(request.user)
        .filter(pk__in=[follow_up.pk for follow_up in page])
        .values_list("pk", flat=True)
    )
    context = {
        "form": form,
        "page": page,
        "closable": closable,
        "close_form": FollowUpCloseForm(),
    }
    template = "people/follow_up_list.html#results" if request.htmx else "people/follow_up_list.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_close(request, disclosurefollowup_pk: int):
    """Close a follow-up with a note (POST from the list); out-of-scope follow-ups are 404."""
    follow_up = queries.follow_up_detail(request.user, disclosurefollowup_pk)
    if request.method == "POST":
        form = FollowUpCloseForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["note"]))
        else:
            try:
                services.close_follow_up(
                    actor=request.user, follow_up=follow_up, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("Follow-up of %(name)s closed.") % {"name": follow_up.person.name}
                )
    return redirect("people:follow_ups")
