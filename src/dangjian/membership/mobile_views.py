"""Pages for mobile party members (流动党员): the list with its flags, one member with where they
take part, recording and editing, and bringing in a worker who disclosed membership."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.audit import timeline
from dangjian.core.paging import page_of
from dangjian.membership import mobile
from dangjian.membership.mobile_forms import (
    BringInForm,
    ContactForm,
    EndParticipationForm,
    MobileFilterForm,
    MobileMemberForm,
    NewMobileMemberForm,
    ParticipationForm,
)
from dangjian.membership.mobile_sheets import MOBILE_SHEET, mobile_rows
from dangjian.people.queries import follow_up_detail
from dangjian.spreadsheets.exports import export_xlsx


def _party_work_only(request):
    """Members' names are for party-work roles (accounts.scope.sees_party_member_names)."""
    if not mobile.may_manage(request.user):
        raise PermissionDenied


def _to_member(member):
    return redirect(reverse("membership:mobile_detail", kwargs={"mobilemember_pk": member.pk}))


def _listed(request):
    form = MobileFilterForm(request.GET or None)
    filters = form.filters()
    filters.setdefault("state", "active")
    filters["state"] = filters["state"] or "active"
    today = timezone.localdate()
    return form, filters, mobile.mobile_member_list(request.user, today=today, **filters)


@login_required
def mobile_list(request):
    _party_work_only(request)
    form, _filters, members = _listed(request)
    today = timezone.localdate()
    context = {
        "form": form,
        "page": page_of(request, members),
        "counts": mobile.flag_counts(request.user, today=today),
        "thresholds": mobile.Thresholds.current(),
    }
    template = "membership/mobile_list.html#results" if request.htmx else "membership/mobile_list.html"
    return render(request, template, context)


@login_required
def mobile_export(request):
    _party_work_only(request)
    _form, filters, members = _listed(request)
    return export_xlsx(
        user=request.user,
        spec=MOBILE_SHEET,
        rows=mobile_rows(members, user=request.user),
        what="mobile_members",
        filters={key: value for key, value in filters.items() if value},
    )


@login_required
def mobile_detail(request, mobilemember_pk: int):
    _party_work_only(request)
    member = mobile.mobile_member_detail(request.user, mobilemember_pk)
    today = timezone.localdate()
    thresholds = mobile.Thresholds.current()
    context = {
        "member": member,
        "flags": [
            mobile.flag_text(f, thresholds)
            for f in mobile.flags_for(member, today=today, thresholds=thresholds)
        ],
        "participations": mobile.participations_of(request.user, member),
        "rights": mobile.rights_label(member),
        "contact_form": ContactForm(initial={"day": today}),
        "events": timeline(request.user, member)[:50],
    }
    return render(request, "membership/mobile_detail.html", context)


@login_required
def mobile_new(request):
    _party_work_only(request)
    form = NewMobileMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = mobile.find_member_by_id_number(request.user, data.pop("id_number"))
        if person is None:
            form.add_error("id_number", _("No one with this ID number among the people you can see."))
        else:
            try:
                member = mobile.save_mobile_member(actor=request.user, person=person, **data)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The mobile party member was recorded."))
                return _to_member(member)
    return render(request, "membership/mobile_form.html", {"form": form, "member": None})


@login_required
def mobile_edit(request, mobilemember_pk: int):
    _party_work_only(request)
    member = mobile.mobile_member_detail(request.user, mobilemember_pk)
    form = MobileMemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            mobile.save_mobile_member(
                actor=request.user, person=member.person, member=member, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The mobile party member's record was saved."))
            return _to_member(member)
    return render(request, "membership/mobile_form.html", {"form": form, "member": member})


@login_required
def mobile_contact(request, mobilemember_pk: int):
    """Record a contact with the member (POST from the member's page)."""
    _party_work_only(request)
    member = mobile.mobile_member_detail(request.user, mobilemember_pk)
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                mobile.record_contact(actor=request.user, member=member, day=form.cleaned_data["day"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The contact was recorded."))
        else:
            messages.error(request, _("Enter a valid date."))
    return _to_member(member)


@login_required
def participation_new(request, mobilemember_pk: int):
    _party_work_only(request)
    member = mobile.mobile_member_detail(request.user, mobilemember_pk)
    form = ParticipationForm(
        request.POST or None,
        organizations=mobile.organizations_for_participation(request.user),
        initial={"start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            mobile.add_participation(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The participation was recorded."))
            return _to_member(member)
    return render(request, "membership/mobile_participation_form.html", {"form": form, "member": member})


@login_required
def participation_end(request, participation_pk: int):
    _party_work_only(request)
    participation = mobile.participation_detail(request.user, participation_pk)
    member = participation.mobile_member
    form = EndParticipationForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            mobile.end_participation(actor=request.user, participation=participation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The participation was ended."))
            return _to_member(member)
    context = {"form": form, "member": member, "participation": participation}
    return render(request, "membership/mobile_participation_form.html", context)


@login_required
def follow_ups_to_match(request):
    """Workers who disclosed membership at entry registration, still to be brought in, matched to
    their mobile-member records."""
    _party_work_only(request)
    page = page_of(request, mobile.follow_ups_to_match(request.user))
    return render(request, "membership/mobile_follow_ups.html", {"page": page})


@login_required
def bring_in(request, disclosurefollowup_pk: int):
    _party_work_only(request)
    follow_up = follow_up_detail(request.user, disclosurefollowup_pk)
    closable = mobile.follow_ups_to_match(request.user).filter(pk=follow_up.pk).first()
    organizations = mobile.organizations_for_participation(request.user)
    form = BringInForm(
        request.POST or None,
        organizations=organizations,
        initial={"how": mobile.BRING_IN_PARTICIPATION, "organization": follow_up.organization_id},
    )
    if request.method == "POST" and closable is not None and form.is_valid():
        try:
            mobile.bring_in(actor=request.user, follow_up=follow_up, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, _("%(name)s was brought into organizational life.") % {"name": follow_up.person.name}
            )
            return redirect("membership:mobile_follow_ups")
    context = {"form": form, "follow_up": follow_up, "closable": closable is not None}
    return render(request, "membership/mobile_bring_in.html", context)
