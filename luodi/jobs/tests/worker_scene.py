"""Run by test_worker.py in a subprocess with its own SQLite file: ``setup`` builds a small
college and queues a certificate zip job through the database task backend; ``report``
prints the job as JSON after the worker ran."""

import io
import json
import sys
from datetime import date

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from luodi.accounts.models import Role, User  # noqa: E402
from luodi.certificates import services  # noqa: E402
from luodi.certificates.jobs import CLASS_ZIP  # noqa: E402
from luodi.jobs.models import Job  # noqa: E402
from luodi.jobs.services import job_start  # noqa: E402
from luodi.training.models import EnrolmentStatus, TrainingClass  # noqa: E402


def setup(count: int = 3) -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale=0.02, today=date(2026, 6, 1), stdout=io.StringIO())
    # The latest held class: the demo issued certificates for every one before it.
    training_class = (
        TrainingClass.objects.filter(enrolments__status=EnrolmentStatus.COMPLETED)
        .order_by("-end_date", "-id")
        .first()
    )
    staff = User.objects.create_user(username="worker-staff", role=Role.STAFF, password="x")
    # three certificates are enough to see the worker at work, and quick to print
    completed = training_class.enrolments.filter(status=EnrolmentStatus.COMPLETED)[:count]
    issued = [services.certificate_issue(enrolment=e, by=staff) for e in completed]
    job = job_start(
        kind=CLASS_ZIP, subject=training_class, by=staff, parameters={"class_id": training_class.pk}
    )
    print(json.dumps({"job": job.pk, "status": job.status, "certificates": len(issued)}))


def report(pk: int) -> None:
    job = Job.objects.get(pk=pk)
    print(
        json.dumps(
            {
                "status": job.status,
                "error": job.error,
                "done": job.progress_done,
                "total": job.progress_total,
                "path": job.file.path if job.file else "",
                "filename": job.filename,
                "attempts": job.attempts,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]) if len(sys.argv) > 2 else 3)
    else:
        report(int(sys.argv[2]))
