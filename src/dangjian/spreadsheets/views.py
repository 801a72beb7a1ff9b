"""The import pages: upload, preview, confirm, progress, error report. Thin: the work is in imports.py."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dangjian.accounts.models import Role
from dangjian.accounts.scope import visible_to
from dangjian.core.paging import page_of
from dangjian.spreadsheets import imports
from dangjian.spreadsheets.exports import xlsx_response
from dangjian.spreadsheets.models import ImportJob
from dangjian.spreadsheets.reader import SUPPORTED_FORMATS
from dangjian.spreadsheets.writer import write_template

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("Excel (.xlsx, .xls), WPS/LibreOffice (.ods) or CSV (UTF-8 or GBK)."),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".xlsx,.xls,.xlsm,.ods,.csv"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB; split it into several files."))
        return upload


def _importer(request):
    try:
        importer = imports.importer_for(request.GET.get("kind", ""))
    except LookupError:
        raise Http404 from None
    if not importer.allowed(request.user):
        raise PermissionDenied
    return importer


def _known_context(user) -> dict:
    """What the sheet need not say: a liaison's rows are about their own unit."""
    roles = list(user.roles.values_list("role", "unit_id"))
    if len(roles) == 1 and roles[0][0] == Role.ENTERPRISE_LIAISON:
        return {"unit": roles[0][1]}
    return {}


def _job(request, importjob_pk: int) -> ImportJob:
    return get_object_or_404(visible_to(request.user, ImportJob.objects.all()), pk=importjob_pk)


@login_required
def import_list(request):
    jobs = visible_to(request.user, ImportJob.objects.select_related("user")).defer("payload")
    context = {"importers": imports.importers_for(request.user), "page": page_of(request, jobs)}
    return render(request, "spreadsheets/import_list.html", context)


@login_required
def import_new(request):
    importer = _importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = imports.preview(
            user=request.user,
            kind=importer.kind,
            file_name=upload.name,
            data=upload.read(),
            context=_known_context(request.user),
        )
        return redirect("spreadsheets:import_detail", importjob_pk=job.pk)
    context = {"importer": importer, "form": form, "formats": SUPPORTED_FORMATS}
    return render(request, "spreadsheets/import_new.html", context)


@login_required
def import_template(request):
    importer = _importer(request)
    spec = importer.spec
    return xlsx_response(write_template(spec), f"{spec.name}-导入模板.xlsx")


@login_required
def import_detail(request, importjob_pk: int):
    job = _job(request, importjob_pk)
    context = {
        "job": job,
        "importer": imports.importer_for(job.kind),
        "can_commit": imports.can_commit(job) and job.user_id == request.user.pk,
        "progress": imports.progress_of(job),
    }
    if request.htmx and job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        return render(request, "spreadsheets/import_detail.html#status", context)
    if request.htmx:  # finished while the page was polling: reload the whole page once
        response = render(request, "spreadsheets/import_detail.html#status", context)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "spreadsheets/import_detail.html", context)


@login_required
@require_POST
def import_commit(request, importjob_pk: int):
    job = _job(request, importjob_pk)
    imports.enqueue_commit(user=request.user, job=job)
    return redirect("spreadsheets:import_detail", importjob_pk=job.pk)


@login_required
@require_POST
def import_discard(request, importjob_pk: int):
    job = _job(request, importjob_pk)
    imports.discard(user=request.user, job=job)
    return redirect("spreadsheets:imports")


@login_required
def import_errors(request, importjob_pk: int):
    job = _job(request, importjob_pk)
    if not job.rejected_rows or not job.payload:
        raise Http404
    name = job.file_name.rsplit(".", 1)[0]
    return xlsx_response(imports.error_report(job), f"{name}-错误行.xlsx")
