"""Pages of legal aid (法律援助): a worker's request (on the phone, or filed by staff), the list,
and the request page with the hardship check, the referral and the closure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.care import fund_queries, legal
from dangjian.care.fund import is_own
from dangjian.care.fund_forms import PersonSearchForm
from dangjian.care.fund_views import _own_person, _refusal
from dangjian.care.legal_forms import (
    ClosureForm,
    HardshipForm,
    LegalAidFilterForm,
    LegalAidRequestForm,
    ReferralForm,
)
from dangjian.care.models import LegalAidRequest
from dangjian.core.audit import timeline
from dangjian.core.paging import page_of


def _to_detail(request_obj):
    return redirect(reverse("care:legal_detail", kwargs={"legalaidrequest_pk": request_obj.pk}))


@login_required
def request_list(request):
    form = LegalAidFilterForm(request.GET or None)
    requests = fund_queries.legal_aid_list(request.user, **form.filters())
    page = page_of(request, requests)
    context = {"form": form, "page": page, "counts": fund_queries.legal_aid_counts(request.user)}
    template = "care/legal_list.html#results" if request.htmx else "care/legal_list.html"
    return render(request, template, context)


@login_required
def new_request(request):
    """A worker asks for legal aid for themself; staff find the worker first."""
    person = _own_person(request.user)
    if person is not None and not request.user.roles.exclude(role="worker").exists():
        return _request_form(request, person)
    form = PersonSearchForm(request.GET or None)
    text = form.filters().get("text", "")
    people = fund_queries.people_who_may_apply(request.user, text, current_only=False)
    context = {"form": form, "people": people, "text": text, "for_legal_aid": True}
    return render(request, "care/fund_apply_pick.html", context)


@login_required
def new_request_for(request, person_pk: int):
    from dangjian.people.queries import person_detail

    person = person_detail(request.user, person_pk)
    if not legal.may_file_for(request.user, person):
        raise PermissionDenied
    return _request_form(request, person)


def _request_form(request, person):
    form = LegalAidRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = legal.submit_request(actor=request.user, person=person, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "messages", None) or [str(error)])
        else:
            messages.success(request, _("Your request was sent. The street will contact you."))
            return _to_detail(created)
    context = {"form": form, "person": person, "is_self": is_own(request.user, person.pk)}
    return render(request, "care/legal_new.html", context)


@login_required
def request_detail(request, legalaidrequest_pk: int):
    item = fund_queries.legal_aid_detail(request.user, legalaidrequest_pk)
    user = request.user
    Status = LegalAidRequest.Status
    handler = legal.may_handle(user, item)
    own = is_own(user, item.person_id)
    context = {
        "item": item,
        "events": timeline(user, item),
        "own": own,
        "handler": handler,
        "checklist": [
            (question, bool(item.hardship_checklist.get(key))) for key, question in legal.HARDSHIP_ITEMS
        ]
        if item.hardship_result
        else [],
    }
    if handler and item.status in (Status.SUBMITTED, Status.CHECKED):
        context["hardship_form"] = HardshipForm(initial_answers=item.hardship_checklist)
    if (
        handler
        and item.status == Status.CHECKED
        and item.hardship_result != LegalAidRequest.HardshipResult.NOT_MET
    ):
        context["referral_form"] = ReferralForm()
    if item.status != Status.CLOSED and (handler or own):
        form = ClosureForm()
        if not handler:
            form.fields["outcome"].choices = [
                (LegalAidRequest.Outcome.WITHDRAWN.value, LegalAidRequest.Outcome.WITHDRAWN.label)
            ]
        context["closure_form"] = form
    return render(request, "care/legal_detail.html", context)


def _posted(request, legalaidrequest_pk: int):
    item = fund_queries.legal_aid_detail(request.user, legalaidrequest_pk)
    return item, request.method == "POST"


def _form_refusal(request, form) -> None:
    _refusal(request, ValidationError([e for errors in form.errors.values() for e in errors]))


@login_required
def check(request, legalaidrequest_pk: int):
    item, posted = _posted(request, legalaidrequest_pk)
    if posted:
        form = HardshipForm(request.POST)
        if form.is_valid():
            try:
                legal.check_hardship(actor=request.user, request=item, checklist=form.answers())
            except (ValidationError, PermissionDenied) as error:
                _refusal(request, error)
            else:
                messages.success(request, _("The hardship check was recorded."))
    return _to_detail(item)


@login_required
def refer(request, legalaidrequest_pk: int):
    item, posted = _posted(request, legalaidrequest_pk)
    if posted:
        form = ReferralForm(request.POST)
        if not form.is_valid():
            _form_refusal(request, form)
            return _to_detail(item)
        try:
            legal.refer_request(actor=request.user, request=item, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _refusal(request, error)
        else:
            messages.success(request, _("The referral was recorded."))
    return _to_detail(item)


@login_required
def close(request, legalaidrequest_pk: int):
    item, posted = _posted(request, legalaidrequest_pk)
    if posted:
        form = ClosureForm(request.POST)
        if not form.is_valid():
            _form_refusal(request, form)
            return _to_detail(item)
        try:
            legal.close_request(actor=request.user, request=item, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _refusal(request, error)
        else:
            messages.success(request, _("The request was closed."))
    return _to_detail(item)
