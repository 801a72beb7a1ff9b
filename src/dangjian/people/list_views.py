"""The people list (everyone the user may see, with their current unit) and its .xlsx export.

Numbers are shown masked; political status only to party-work roles (the one check,
``accounts.scope.sees_party_member_names``).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import sees_party_member_names
from dangjian.core.choices import JobType
from dangjian.core.forms import FilterForm
from dangjian.core.paging import page_of
from dangjian.people import queries
from dangjian.people.sheets import PEOPLE_SHEET, PEOPLE_SHEET_WITHOUT_STATUS, REGISTRATION_SHEET, people_rows
from dangjian.regions.models import townships
from dangjian.spreadsheets.exports import export_xlsx


class PersonFilterForm(FilterForm):
    text = forms.CharField(label=_("Search"), required=False, max_length=40)
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=townships(), required=False)
    job_type = forms.ChoiceField(
        label=_("Job type"), choices=[("", _("All job types")), *JobType.choices], required=False
    )

    id_fields = ("street",)


@login_required
def person_list(request):
    form = PersonFilterForm(request.GET or None)
    people = queries.person_list(request.user, **form.filters()).only(
        "name", "id_number", "mobile", "political_status"
    )
    page = page_of(request, people)
    labels = dict(JobType.choices)
    for person in page:
        person.current_job_type_label = labels.get(person.current_job_type, "")
    template = "people/person_list.html#results" if request.htmx else "people/person_list.html"
    context = {"form": form, "page": page, "show_status": sees_party_member_names(request.user)}
    return render(request, template, context)


@login_required
def person_export(request):
    """The people list as filtered on screen, as .xlsx: the user's scope only, masked, logged."""
    form = PersonFilterForm(request.GET or None)
    filters = form.filters()
    spec = PEOPLE_SHEET if sees_party_member_names(request.user) else PEOPLE_SHEET_WITHOUT_STATUS
    return export_xlsx(
        user=request.user,
        spec=spec,
        rows=people_rows(queries.person_list(request.user, **filters)),
        what="people",
        filters={key: getattr(value, "pk", value) for key, value in filters.items() if value},
    )


@login_required
def registration_export(request):
    """Every entry registration the user may see, in the registration sheet's own columns (ID
    numbers and phones masked), logged. The liaison's list of its workers, joined and left."""
    return export_xlsx(
        user=request.user,
        spec=REGISTRATION_SHEET,
        rows=queries.registration_rows_for_export(request.user),
        what="registrations",
        filters={},
    )
