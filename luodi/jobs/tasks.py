"""The one background task: run a document job. Each kind's work is in its ``JobKind``."""

from django_tasks import task

from luodi.jobs.services import job_run


@task()
def run_job(job_id: int) -> None:
    job_run(job_id=job_id)
