"""Background jobs of the spreadsheet engine."""

from django_tasks import task

from .models import ImportJob


@task()
def commit_import(job_pk: int) -> None:
    from .imports import commit

    job = ImportJob.objects.select_related("user").get(pk=job_pk)
    if job.status == ImportJob.Status.QUEUED:  # a retried task does not import twice
        commit(job)
