"""Benchmark: a class's certificates of completion against a bare WeasyPrint loop.

Bar (docs/quality-bars.md): a batch of 500 certificates takes at most 1.5x the time bare
WeasyPrint needs to render the same HTML. Both batches are held to it: the class PDF (one file of
500 pages) and the zip (500 single PDFs, what most colleges hand out).

    .venv/bin/python bench/certificates.py            # 500 certificates, 3 rounds
    .venv/bin/python bench/certificates.py --quick    # 50 certificates, under a minute

It builds its own data in a temporary LUODI_DATA_DIR (SQLite): ``seed_demo`` at a small scale
for the college, then one extra class with N completed trainees. Then, alternately:

  A  baseline, the same work by the simplest means: the combined HTML of all the certificates
     (what Luodi renders, produced beforehand) rendered as one document by one
     ``HTML(string=...).write_pdf()`` call -- the class PDF's baseline; then that PDF split
     into one-page PDFs with pypdf and stored in a zip -- added, the zip's baseline;
  B  candidate, what a user waits for: staff click "issue" (POST, 500 certificates issued),
     then "prepare the class PDF" (POST: a background job, run at once here by the
     immediate task backend) and download it (GET), through Django's test client, so
     middleware, access checks, queries, QR codes, templates and the job's bookkeeping count;
  C  candidate: "prepare one PDF each (zip)" (POST, job) and its download (GET).

The ratio is median(C) / median(A zip), the zip against its baseline; median(B) / median(A PDF)
is printed beside it as pdf_ratio, and "pass" needs both within the bar. Each round waits for a
quieter machine first (bench/_common.py); the load is printed beside every round. The last line
printed is the JSON result, with the load average of the machine (it is shared).
"""

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

ROOT = Path(__file__).resolve().parent.parent
BAR = 1.5


def setup_django(data_dir: str) -> None:
    os.environ["LUODI_DATA_DIR"] = data_dir
    os.makedirs(os.path.join(data_dir, "static"), exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luodi.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(size: int):
    """Seed a small demo college, then add a class of ``size`` completed trainees."""
    from django.core.management import call_command

    from luodi.accounts.models import Role, User
    from luodi.cadres.models import Cadre
    from luodi.curriculum.models import Course
    from luodi.faculty.models import ReviewResult, Teacher, TeacherKind
    from luodi.faculty.services import review_record
    from luodi.training.models import (
        Attendance,
        AttendanceStatus,
        ClassStatus,
        ClassType,
        Enrolment,
        EnrolmentStatus,
        Session,
        TimeSlot,
        TrainingClass,
    )

    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale=0.2, today=date(2026, 6, 1), stdout=io.StringIO())
    cadres = list(Cadre.objects.select_related("community").order_by("id")[:size])
    if len(cadres) < size:
        raise SystemExit(f"the demo college has {len(cadres)} cadres, {size} needed")
    class_type = ClassType.objects.first()
    start = date(2026, 7, 6)
    year_classes = TrainingClass.objects.filter(class_type=class_type, year=start.year)
    training_class = TrainingClass.objects.create(
        class_type=class_type,
        year=start.year,
        term=(max(year_classes.values_list("term", flat=True), default=0) + 1),
        start_date=start,
        end_date=start + timedelta(days=2),
        venue="基准测试报告厅",
        capacity=size,
        status=ClassStatus.FINISHED,
    )
    teacher = Teacher.objects.create(
        name="基准测试教师", kind=TeacherKind.FULL_TIME, source_unit="东北大学"
    )
    review_record(teacher=teacher, date=date(2026, 1, 1), result=ReviewResult.PASSED, by=None)
    course = Course.objects.first()
    sessions = [
        Session.objects.create(
            training_class=training_class,
            date=start + timedelta(days=day),
            slot=TimeSlot.MORNING,
            start_time=clock_time(8, 30),
            end_time=clock_time(11, 30),
            course=course,
            teacher=teacher,
            venue=training_class.venue,
            method=course.method,
            hours=Decimal(3),
        )
        for day in range(3)
    ]
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            **Enrolment.place_of(c),
            training_class=training_class,
            cadre=c,
            status=EnrolmentStatus.COMPLETED,
            hours_credited=Decimal(9),
        )
        for c in cadres
    )
    Attendance.objects.bulk_create(
        Attendance(enrolment=e, session=s, status=AttendanceStatus.PRESENT)
        for e in enrolments
        for s in sessions
    )
    staff = User.objects.create_user(username="bench-staff", role=Role.STAFF, password="x")
    return training_class, staff


def baseline_html(training_class, staff) -> str:
    """The combined HTML of every certificate of the class -- the one document Luodi renders --
    made once beforehand."""
    from luodi.certificates import pdf, services
    from luodi.certificates.models import Certificate

    services.certificates_issue_for_class(training_class=training_class, by=staff)
    certificates = list(Certificate.objects.of_class(training_class).for_print())
    html = pdf.certificates_html(certificates)
    Certificate.objects.all().delete()
    return html


def run_baseline(html: str, size: int) -> tuple[float, float]:
    """Bare WeasyPrint renders the combined HTML (the class PDF's baseline), then bare pypdf
    splits it into one-page PDFs stored in a zip. Returns (PDF seconds, PDF + zip seconds)."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    started = time.perf_counter()
    content = HTML(string=html).write_pdf()
    rendered = time.perf_counter()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for n, page in enumerate(PdfReader(io.BytesIO(content)).pages):
            writer = PdfWriter()
            writer.add_page(page)
            single = io.BytesIO()
            writer.write(single)
            archive.writestr(f"{n}.pdf", single.getvalue())
    zipped = time.perf_counter()
    assert n + 1 == size, (n, size)
    return rendered - started, zipped - started


def _prepare(client, name: str, pk: int) -> bytes:
    """Press "prepare" and download what the job made."""
    from django.urls import reverse

    from luodi.jobs.models import Job, JobStatus

    response = client.post(reverse(name, args=[pk]))
    assert response.status_code == 302, response.status_code
    job = Job.objects.latest("created_at")
    assert job.status == JobStatus.DONE, job.error
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def run_candidate(client, training_class, size: int) -> tuple[float, float, float]:
    """Issue the class's certificates, prepare the class PDF, then the zip: seconds each."""
    from django.urls import reverse

    from luodi.certificates.models import Certificate
    from luodi.jobs.services import jobs_purge

    Certificate.objects.all().delete()  # each round issues afresh
    jobs_purge(now=datetime.now(UTC) + timedelta(days=365))  # and prepares afresh
    pk = training_class.pk
    started = time.perf_counter()
    response = client.post(reverse("certificates:class-issue", args=[pk]))
    issued = time.perf_counter()
    assert response.status_code == 302, response.status_code
    content = _prepare(client, "certificates:class-pdf", pk)
    done = time.perf_counter()
    assert content.startswith(b"%PDF")
    assert Certificate.objects.count() == size
    zipped = time.perf_counter()
    body = _prepare(client, "certificates:class-zip", pk)
    zip_seconds = time.perf_counter() - zipped
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert len(archive.namelist()) == size
    return issued - started, done - issued, zip_seconds


def pages_of(pdf_bytes: bytes) -> int:
    """Count pages with pdfinfo when it is installed (a check, not a measurement)."""
    if not shutil.which("pdfinfo"):
        return -1
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf_bytes)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return -1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 certificates, under a minute")
    parser.add_argument("--size", type=int, help="number of certificates (default 500)")
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds (default 3)")
    args = parser.parse_args()
    size = args.size or (50 if args.quick else 500)
    rounds = max(3, args.rounds)

    with tempfile.TemporaryDirectory(prefix="luodi-bench-") as data_dir:
        setup_django(data_dir)
        from django.test import Client, override_settings

        t0 = time.perf_counter()
        training_class, staff = build(size)
        html = baseline_html(training_class, staff)
        print(
            f"data: class {training_class.pk} with {size} completed trainees, "
            f"built in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        client = Client()
        client.force_login(staff)
        # The user waits for the job, so the bench runs it at once, in this process.
        immediate = override_settings(
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        )
        immediate.enable()

        def one_round(n):
            a_pdf, a_zip = run_baseline(html, size)
            b_issue, b_pdf, c_zip = run_candidate(client, training_class, size)
            print(
                f"round {n}: A baseline PDF {a_pdf:.2f} s, + zip {a_zip:.2f} s | B issue "
                f"{b_issue:.2f} s + class PDF {b_pdf:.2f} s = {b_issue + b_pdf:.2f} s | C zip "
                f"{c_zip:.2f} s | {_common.load_text()}",
                flush=True,
            )
            return a_pdf, a_zip, b_issue, b_pdf, c_zip

        kept, load = _common.measured_rounds(rounds, one_round)
        baseline, baseline_zip, issue, render, zips = (list(x) for x in zip(*kept, strict=True))

        pages = pages_of(_prepare(client, "certificates:class-pdf", training_class.pk))
        immediate.disable()

    candidate = [i + r for i, r in zip(issue, render, strict=True)]
    a_med, az_med, b_med, c_med = (
        statistics.median(x) for x in (baseline, baseline_zip, candidate, zips)
    )
    ratio, pdf_ratio = c_med / az_med, b_med / a_med
    print(
        f"medians: A bare PDF {a_med:.2f} s, + zip {az_med:.2f} s | B issue + class PDF "
        f"{b_med:.2f} s (ratio {pdf_ratio:.2f}) | C zip {c_med:.2f} s (ratio {ratio:.2f}) | "
        f"{_common.load_text()}",
        flush=True,
    )
    result = {
        "bench": "certificates",
        "ratio": round(ratio, 3),
        "bar": BAR,
        "pass": ratio <= BAR and pdf_ratio <= BAR,
        "certificates": size,
        "rounds": rounds,
        "baseline_s": round(az_med, 3),
        "baseline_pdf_s": round(a_med, 3),
        "baseline": "one combined document (bare WeasyPrint), split with pypdf for the zip",
        "zip_s": round(c_med, 3),
        "candidate_s": round(c_med, 3),
        "pdf_ratio": round(pdf_ratio, 3),
        "issue_s": round(statistics.median(issue), 3),
        "class_pdf_s": round(statistics.median(render), 3),
        "class_pdf_pages": pages,
        **load,
        "raw": {
            "baseline_pdf": [round(x, 3) for x in baseline],
            "baseline_zip": [round(x, 3) for x in baseline_zip],
            "issue": [round(x, 3) for x in issue],
            "class_pdf": [round(x, 3) for x in render],
            "zip": [round(x, 3) for x in zips],
        },
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
