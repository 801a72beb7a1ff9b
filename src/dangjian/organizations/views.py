from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dangjian.core.audit import timeline
from dangjian.core.paging import page_of
from dangjian.organizations import queries
from dangjian.organizations.forms import OrganizationFilterForm
from dangjian.organizations.sheets import ORGANIZATION_SHEET, organization_rows
from dangjian.spreadsheets.exports import export_xlsx
from dangjian.units.queries import visible_units


def _with_states(organizations):
    """Attach the re-election state (from the rule table) and the sitting secretary to a page of rows."""
    today, notice = timezone.localdate(), queries.reelection_notice_days()
    rows = list(organizations)
    secretaries = queries.current_secretaries(rows)
    for organization in rows:
        organization.reelection = organization.reelection_state(today, notice)
        organization.secretary_name = secretaries.get(organization.pk, "")
    return rows


@login_required
def organization_list(request):
    form = OrganizationFilterForm(request.GET or None)
    page = page_of(request, queries.organization_list(request.user, **form.filters()))
    template = (
        "organizations/organization_list.html#results"
        if request.htmx
        else "organizations/organization_list.html"
    )
    return render(request, template, {"form": form, "page": page, "rows": _with_states(page)})


@login_required
def organization_export(request):
    """The organization list as filtered on screen, as .xlsx: the user's scope only, logged."""
    form = OrganizationFilterForm(request.GET or None)
    filters = form.filters()
    return export_xlsx(
        user=request.user,
        spec=ORGANIZATION_SHEET,
        rows=organization_rows(queries.organization_list(request.user, **filters)),
        what="organizations",
        filters={key: value for key, value in filters.items() if value},
    )


@login_required
def reelection_due(request):
    page = page_of(request, queries.reelection_due(request.user))
    return render(request, "organizations/reelection_due.html", {"page": page, "rows": _with_states(page)})


@login_required
def organization_detail(request, organization_pk: int):
    organization = queries.organization_detail(request.user, organization_pk)
    (organization,) = _with_states([organization])
    context = {
        "organization": organization,
        "ancestors": organization.ancestors(),
        "children": _with_states(queries.children_of(request.user, organization)),
        "committee": queries.current_committee(request.user, organization),
        "industries": organization.industries.all(),
        "units": visible_units(request.user).filter(organizations=organization).select_related("street"),
        "events": timeline(request.user, organization)[:50],
    }
    return render(request, "organizations/organization_detail.html", context)


@login_required
def office_list(request):
    return render(request, "organizations/office_list.html", {"offices": queries.offices()})
