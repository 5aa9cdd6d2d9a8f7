"""Benchmark: the 8:30 check-in storm -- N trainees of several classes arrive within a minute.

    .venv/bin/python bench/checkin_storm.py [--quick] [--postgres URL] [--login-share 0.1]

Each trainee is a phone with its own cookie jar. Phones arrive at times spread at random over
``--window`` seconds (58: the first 58 s of the minute, leaving the last phone the p95 bar's
2 s; --quick: 100 phones over 11.6 s, the same rate); each scans its class's QR code (the
check-in link with the code shown at that moment) and follows the redirects to the result
page, as a phone does:

* signed in (the trainee policy, docs/security.md: a trainee-only phone stays signed in until
  the end of its class's last day) -- the link checks in and redirects to the result page;
* not signed in (a share, ``--login-share``) -- the link remembers the scan and redirects to the
  log-in page; the phone loads it, posts the mobile number and password (one password hash,
  the production hasher), and is redirected to where the scan completes and on to the result.

The server is gunicorn as the README's deployment section runs it (``--workers 4``; the
database connections kept 60 s on PostgreSQL, ``LUODI_DB_CONN_MAX_AGE=60`` as the README
suggests), against a throwaway SQLite database or a fresh database created on ``--postgres``'s
server (and dropped afterwards). Sessions of the signed-in phones are made beforehand as a
login the day before would have made them.

More than one machine (``--servers 2 --job-workers 2 --object-store``): two app servers and
two task workers (``manage.py db_worker``) against the one database, the uploaded files and
prepared documents in an S3-compatible object store (moto's server on 127.0.0.1) instead of a
shared folder. After the storm a class's certificate zip is asked for; the worker that takes
it is killed (SIGKILL) in the middle, ``requeue_lost_jobs`` (the cron job) gives it to the
other worker, and the bench checks that the whole document is in the bucket: no lost work.

Reported: throughput, p50/p95/p99 of the whole scan-to-result (the sum of a phone's request
times) and of the log-ins (the password POST), errors, and the database afterwards: one
attendance row per trainee, none lost, none duplicated. Bar (docs/quality-bars.md): every
phone's result page within 60 s of the first scan (the window + 2 s), 0 errors, p95
scan-to-result <= 2 s (on PostgreSQL on a 2-core machine), 0 lost and 0 duplicated rows. The
last line is one JSON object with the machine's load; exit 0 whether or not the bar is met, 1
if it could not measure. Only 127.0.0.1 is contacted; every request and the whole run are
bounded in time.
"""

import argparse
import http.client
import json
import logging
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "storm-Pass-2026"
REQUEST_TIMEOUT = 30  # seconds, per request
RUN_TIMEOUT = 300  # seconds, for the whole storm
SECONDS_BAR, P95_BAR = 60.0, 2.0
# The phones arrive over the first 58 s of the minute, so that the last one has the p95 bar's
# 2 s to reach its result page within the minute; --quick sends a fifth of them over a fifth of
# that time (the same rate: ~8.6 phones a second).
SIZES = {
    "quick": {"trainees": 100, "classes": 4, "window": (SECONDS_BAR - P95_BAR) / 5},
    "full": {"trainees": 500, "classes": 5, "window": SECONDS_BAR - P95_BAR},
}
# The certificate zip prepared (and its worker killed) in the cluster run (--job-workers).
JOB_CERTIFICATES = 40
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _noon_time_zone() -> str:
    """A zone where it is now about noon, so that the sessions starting now stay within a day."""
    offset = 12 - time.gmtime().tm_hour
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"


def _environment(data_dir: Path, database_url: str | None) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "LUODI_DEBUG", "LUODI_DB_CONN_MAX_AGE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="luodi.settings",
        LUODI_DATA_DIR=str(data_dir),
        LUODI_SECRET_KEY=secrets.token_urlsafe(40),
        LUODI_TIME_ZONE=_noon_time_zone(),
        LUODI_ALLOWED_HOSTS="127.0.0.1",
        LUODI_LOG_LEVEL="ERROR",
        # One classroom behind one address: the per-address lockout counter is shared, and no
        # attempt fails here anyway.
        LUODI_LOCKOUT_BY_IP="0",
    )
    if database_url:
        env.update(DATABASE_URL=database_url, LUODI_DB_CONN_MAX_AGE="60")
    return env


# ---- PostgreSQL: a fresh database on the given server --------------------------------------


def _admin_url(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path=f"/{dbname}").geturl()


def _create_database(url: str) -> str:
    import psycopg

    name = f"luodi_storm_{secrets.token_hex(4)}"
    with psycopg.connect(_admin_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return _admin_url(url, name)


def _drop_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_admin_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---- the data -------------------------------------------------------------------------------


def _finished_class(cadres: list, class_type, today) -> int:
    """A class held last month that the trainees completed, its certificates issued: the
    certificate zip the worker prepares (and is killed preparing) in the cluster test."""
    import datetime as dt
    from decimal import Decimal

    from luodi.certificates.services import certificates_issue_for_class
    from luodi.training.models import ClassStatus, Enrolment, EnrolmentStatus, TrainingClass

    held = TrainingClass.objects.create(
        class_type=class_type,
        year=today.year,
        term=99,
        start_date=today - dt.timedelta(days=30),
        end_date=today - dt.timedelta(days=26),
        venue="1号教室",
        capacity=len(cadres),
        status=ClassStatus.FINISHED,
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            **Enrolment.place_of(c),
            training_class=held,
            cadre=c,
            status=EnrolmentStatus.COMPLETED,
            hours_credited=Decimal(32),
        )
        for c in cadres
    )
    assert len(certificates_issue_for_class(training_class=held, by=None)) == len(cadres)
    return held.pk


def _build(size: dict, login_share: float, rng: random.Random, with_job: bool = False) -> dict:
    """Classes running today, each with a session starting in a few minutes (check-in open),
    trainees enrolled with accounts; the phones that stay signed in get the session a login
    yesterday made (the trainee policy), the others none."""
    import datetime as dt
    from decimal import Decimal

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from luodi.accounts import sessions as session_rules
    from luodi.accounts.models import Role, User
    from luodi.cadres.models import Cadre
    from luodi.checkin.trainee_sessions import class_end
    from luodi.curriculum.models import Course, CourseCategory, TeachingMethod
    from luodi.lib.personal import make_id_number
    from luodi.regions.models import Community, Region, RegionLevel
    from luodi.training.models import (
        ClassStatus,
        ClassType,
        Enrolment,
        EnrolmentStatus,
        Session,
        TimeSlot,
        TrainingClass,
    )

    call_command("migrate", verbosity=0)
    province = Region.objects.create(level=RegionLevel.PROVINCE, name="辽宁省", code="210000")
    city = Region.objects.create(
        level=RegionLevel.CITY, name="大连市", code="210200", parent=province
    )
    district = Region.objects.create(
        level=RegionLevel.DISTRICT, name="中山区", code="210202", parent=city
    )
    street = Region.objects.create(
        level=RegionLevel.STREET, name="青泥洼桥街道", code="210202001", parent=district
    )
    community = Community.objects.create(code="210202001001", name="拥警社区", street=street)
    cadres = []
    for i in range(size["trainees"]):
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=7 * i)
        cadre = Cadre(
            name=f"学员{i}",
            gender="F" if i % 2 else "M",
            birth_date=birth,
            political_status="party_member",
            education="bachelor",
            id_number=make_id_number("210202", birth.strftime("%Y%m%d"), 101 + i % 800),
            phone=f"139{i:08d}",
            community=community,
            post="secretary",
            started_on=dt.date(2005, 3, 1),
        )
        cadre.fill_derived()
        cadres.append(cadre)
    cadres = Cadre.objects.bulk_create(cadres)
    category = CourseCategory.objects.create(name="社区治理", position=1)
    course = Course.objects.create(
        title="社区治理与服务创新", category=category, method=TeachingMethod.LECTURE
    )
    now = timezone.localtime()
    today = now.date()
    start = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=3)
    class_type = ClassType.objects.create(name="社区党组织书记培训班")
    per_class = -(-size["trainees"] // size["classes"])
    classes, session_of_class = [], []
    for k in range(size["classes"]):
        tc = TrainingClass.objects.create(
            class_type=class_type,
            year=today.year,
            term=k + 1,
            start_date=today - dt.timedelta(days=1),  # its second day: see --login-share
            end_date=today + dt.timedelta(days=3),
            venue=f"{k + 1}号教室",
            capacity=per_class,
            status=ClassStatus.IN_PROGRESS,
        )
        classes.append(tc)
        session_of_class.append(
            Session.objects.create(
                training_class=tc,
                date=today,
                slot=TimeSlot.AFTERNOON,
                start_time=start.time(),
                end_time=(start + dt.timedelta(hours=2)).time(),
                course=course,
                venue=tc.venue,
                method=TeachingMethod.LECTURE,
                hours=Decimal(2),
            ).pk
        )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            **Enrolment.place_of(c),
            training_class=classes[i // per_class],
            cadre=c,
            status=EnrolmentStatus.ENROLLED,
        )
        for i, c in enumerate(cadres)
    )
    encoded = make_password(PASSWORD)  # one hash for all: building 500 would take minutes
    users = User.objects.bulk_create(
        User(username=f"trainee{i}", password=encoded, role=Role.TRAINEE, cadre=c)
        for i, c in enumerate(cadres)
    )
    logging_in = set(rng.sample(range(len(users)), round(login_share * len(users))))
    yesterday = (timezone.now() - dt.timedelta(days=1)).timestamp()
    phones = []
    for i, user in enumerate(users):
        cookie = None
        if i not in logging_in:
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "luodi.accounts.identifiers.IdentifierBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store[session_rules.LOGIN_AT] = store[session_rules.RENEWED_AT] = yesterday
            until = class_end(user.cadre_id, today)
            assert until is not None
            assert session_rules.sign_in_until(store, until)
            store.save()
            cookie = store.session_key
        phones.append(
            {
                "index": i,
                "session": session_of_class[i // per_class],
                "enrolment": enrolments[i].pk,
                "phone": f"139{i:08d}",
                "cookie": cookie,
            }
        )
    job_class = _finished_class(cadres[:JOB_CERTIFICATES], class_type, today) if with_job else None
    return {
        "job_class": job_class,
        "phones": phones,
        "sessions": session_of_class,
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "window_closes": start + dt.timedelta(minutes=settings.LUODI_CHECKIN_CLOSES_MINUTES_AFTER),
    }


# ---- the server -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(env: dict, port: int, log: Path, workers: int, threads: int):
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "luodi.wsgi",
        "--chdir",
        str(ROOT),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    if threads > 1:
        command += ["--threads", str(threads)]
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def _start_worker(env: dict, name: str, log: Path):
    command = [
        str(ROOT / ".venv/bin/python"),
        "manage.py",
        "db_worker",
        "--no-startup-delay",
        "--no-reload",
        "--worker-id",
        name,
        "-v0",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _kill_a_worker_mid_job(data: dict, workers: dict) -> dict:
    """Ask for the certificate zip, kill (SIGKILL) the worker that takes it while it prepares
    it, give the job to the other worker as the cron's ``requeue_lost_jobs`` does, and report
    what became of it."""
    import zipfile
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    from luodi.accounts.models import Role, User
    from luodi.certificates.jobs import CLASS_ZIP
    from luodi.jobs.models import Job, JobStatus
    from luodi.jobs.services import job_start, jobs_requeue_lost
    from luodi.training.models import TrainingClass

    staff = User.objects.create_user(username="storm-staff", role=Role.STAFF, password=PASSWORD)
    held = TrainingClass.objects.get(pk=data["job_class"])
    job = job_start(kind=CLASS_ZIP, subject=held, by=staff, parameters={"class_id": held.pk})
    deadline = time.monotonic() + 120
    # In the middle: taken, and some of its certificates already in the zip.
    while (row := Job.objects.get(pk=job.pk)).status == JobStatus.QUEUED or not row.progress_done:
        if time.monotonic() > deadline or row.is_finished:
            raise RuntimeError(f"the job was not seen in the middle of its work: {row.status}")
        time.sleep(0.01)
    taken_by = DBTaskResult.objects.get(pk=row.task_id).worker_ids[-1]
    workers[taken_by].kill()
    workers[taken_by].wait()
    killed = Job.objects.get(pk=job.pk)
    jobs_requeue_lost(older_than=timedelta(0))
    deadline = time.monotonic() + 300
    while not (row := Job.objects.get(pk=job.pk)).is_finished:
        if time.monotonic() > deadline:
            raise RuntimeError("the job was not finished within 300 s of its worker's death")
        time.sleep(0.1)
    finished_by = DBTaskResult.objects.get(pk=row.task_id).worker_ids[-1]
    entries = 0
    if row.status == JobStatus.DONE:
        with row.file.open("rb") as f, zipfile.ZipFile(f) as archive:
            entries = sum(archive.read(n).startswith(b"%PDF") for n in archive.namelist())
    return {
        "job_status": row.status,
        "job_error": row.error,
        "job_attempts": row.attempts,
        "job_killed_while": f"{killed.status} {killed.progress_done}/{killed.progress_total}",
        "job_killed_worker": taken_by,
        "job_finished_by": finished_by,
        "job_certificates": entries,
        "job_certificates_expected": JOB_CERTIFICATES,
        "job_file_in": "object store" if "LUODI_S3_BUCKET" in os.environ else "media folder",
    }


def _object_store() -> tuple[object, dict]:
    """moto's S3 server on 127.0.0.1 with an empty bucket; the settings that use it."""
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not a line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "LUODI_S3_BUCKET": "luodi-storm",
        "LUODI_S3_ENDPOINT_URL": f"http://{host}:{port}",
        "LUODI_S3_REGION": "us-east-1",
        "LUODI_S3_ACCESS_KEY": "storm",
        "LUODI_S3_SECRET_KEY": "storm-secret",
    }
    boto3.client(
        "s3",
        endpoint_url=env["LUODI_S3_ENDPOINT_URL"],
        region_name=env["LUODI_S3_REGION"],
        aws_access_key_id=env["LUODI_S3_ACCESS_KEY"],
        aws_secret_access_key=env["LUODI_S3_SECRET_KEY"],
    ).create_bucket(Bucket=env["LUODI_S3_BUCKET"])
    return server, env


def _warm(port: int, workers: int) -> None:
    """Load every worker's code and templates (the log-in page) before the storm."""
    for _ in range(4 * workers):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        conn.request("GET", "/accounts/login/")
        conn.getresponse().read()
        conn.close()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _server_processes(servers: list, database_url: str | None) -> dict[str, list[int]]:
    """gunicorn's workers, and the PostgreSQL server's backends when it runs on this machine
    (its postmaster found by the port it listens on)."""
    found: dict[str, list[int]] = {"server": [], "database": []}
    for server in servers:
        found["server"] += [server.pid, *_children(server.pid)]
    if database_url:
        port = str(urlsplit(database_url).port or 5432)
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if command and command[0].endswith(b"postgres") and port.encode() in b" ".join(command):
                found["database"] = [int(entry.name), *_children(int(entry.name))]
    return found


# ---- a phone --------------------------------------------------------------------------------


class Phone:
    """One browser: its own cookie jar, a new connection per request (a phone on Wi-Fi),
    redirects followed."""

    def __init__(self, ports: list[int], first: int = 0):
        # Several app servers: each request goes to the next (a load balancer without sticky
        # sessions), so a phone's session must be good on every server.
        self.ports = ports
        self.first = first
        self.cookies: dict[str, str] = {}
        self.requests: list[float] = []  # seconds, each request

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {"User-Agent": "storm-phone", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.perf_counter()
        port = self.ports[(self.first + len(self.requests)) % len(self.ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        self.requests.append(time.perf_counter() - began)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "max-age=0" in value.lower() or cookie_value in ('""', ""):
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = cookie_value
        return response.status, response.getheader("Location"), content

    def follow(self, method: str, path: str, body: dict | None = None, hops: int = 6):
        """The request and its redirects; returns the last status, path and content."""
        status, location, content = self.request(method, path, body)
        while status in (301, 302, 303) and location and hops:
            path = urlsplit(location).path + (
                f"?{urlsplit(location).query}" if urlsplit(location).query else ""
            )
            status, location, content = self.request("GET", path)
            hops -= 1
        return status, path, content


def _scan(ports: list[int], job: dict, token_for, cookie_name: str, result: dict) -> None:
    """The phone's morning: scan, (log in,) land on the result page."""
    from luodi.checkin import tokens

    phone = Phone(ports, first=job["index"])
    if job["cookie"]:
        phone.cookies[cookie_name] = job["cookie"]
    result_path = f"/checkin/s/{job['session']}/"
    result["scanned"] = time.perf_counter()
    try:
        code = token_for(job["session"])
        status, path, content = phone.follow("GET", tokens.check_in_path(job["session"], code))
        if job["cookie"] is None:
            if status != 200 or not path.startswith("/accounts/login/"):
                raise RuntimeError(f"expected the log-in page, got {status} {path}")
            csrf = CSRF_FIELD.search(content)
            if csrf is None:
                raise RuntimeError("no CSRF token on the log-in page")
            form = {
                "csrfmiddlewaretoken": csrf.group(1).decode(),
                "username": job["phone"],
                "password": PASSWORD,
            }
            before = len(phone.requests)
            status, path, content = phone.follow("POST", path, form)
            result["login"] = phone.requests[before]
        if status != 200 or path != result_path:
            raise RuntimeError(f"expected the result page {result_path}, got {status} {path}")
    except Exception as exc:  # an error of this phone, counted
        result["error"] = f"{type(exc).__name__}: {exc}"[:200]
    result["done"] = time.perf_counter()
    result["seconds"] = sum(phone.requests)
    result["requests"] = len(phone.requests)


def _storm(ports: list[int], data: dict, window: float, rng: random.Random) -> list:
    from django.utils import timezone

    from luodi.checkin import tokens

    def token_for(session_id):
        return tokens.token_for(session_id, timezone.now())

    jobs = list(data["phones"])
    arrivals = sorted(rng.uniform(0, window) for _ in jobs)
    rng.shuffle(jobs)
    results = [{"index": job["index"], "login_needed": job["cookie"] is None} for job in jobs]
    threads = []
    began = time.perf_counter()
    for at, job, result in zip(arrivals, jobs, results, strict=True):
        delay = began + at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        t = threading.Thread(
            target=_scan, args=(ports, job, token_for, data["cookie_name"], result), daemon=True
        )
        t.start()
        threads.append(t)
    deadline = time.monotonic() + RUN_TIMEOUT
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()))
    return results


def _database_check(data: dict, shown: set[int]) -> dict:
    """The attendance rows of the storm's sessions: ``lost`` are phones shown the result page
    without a row, ``missing`` phones without a row at all (errors), ``duplicates`` two rows of
    one trainee at one session (the unique constraint should make it 0)."""
    from django.db.models import Count

    from luodi.training.models import Attendance

    rows = Attendance.objects.filter(session_id__in=data["sessions"])
    duplicates = (
        rows.values("enrolment_id", "session_id").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    present = set(rows.values_list("enrolment_id", "session_id"))
    expected = {(p["enrolment"], p["session"]) for p in data["phones"]}
    confirmed = {(p["enrolment"], p["session"]) for p in data["phones"] if p["index"] in shown}
    return {
        "attendance_rows": rows.count(),
        "lost": len(confirmed - present),
        "missing": len(expected - present),
        "unexpected": len(present - expected),
        "duplicates": duplicates,
        "not_attended": rows.exclude(status__in=("present", "late")).count(),
    }


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _ms(x: float | None) -> float | None:
    return None if x is None else round(1000 * x, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 trainees, under a minute")
    parser.add_argument("--trainees", type=int, help="phones (default 500, --quick 100)")
    parser.add_argument("--classes", type=int, help="classes they belong to (default 5)")
    parser.add_argument(
        "--login-share",
        type=float,
        default=0.1,
        help="share of phones not signed in, which log in at the scan (default 0.1: a later "
        "day of a class, docs/benchmarks.md; 1.0 is every trainee logging in)",
    )
    parser.add_argument("--window", type=float, help="arrival spread in seconds (58, --quick 11.6)")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to measure on")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (README: 4)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="app servers (gunicorn, each with --workers) behind a round-robin without sticky "
        "sessions: the web tier must be stateless (default 1)",
    )
    parser.add_argument(
        "--job-workers",
        type=int,
        default=0,
        help="task workers (db_worker) running beside the servers; with 2 or more, one is "
        "killed in the middle of a job after the storm and the other must finish it",
    )
    parser.add_argument(
        "--object-store",
        action="store_true",
        help="uploaded files and documents in an S3-compatible object store (moto's server)",
    )
    parser.add_argument("--seed", type=int, default=830)
    args = parser.parse_args()
    size = dict(SIZES["quick" if args.quick else "full"])
    if args.trainees:
        size["trainees"] = args.trainees
    if args.classes:
        size["classes"] = args.classes
    window = args.window or size["window"]
    seconds_bar = window + P95_BAR  # 60 s at full size
    rng = random.Random(args.seed)
    data_dir = Path(tempfile.mkdtemp(prefix="luodi-bench-storm-"))
    (data_dir / "static").mkdir()
    database_url = _create_database(args.postgres) if args.postgres else None
    env = _environment(data_dir, database_url)
    store = None
    if args.object_store:
        store, store_env = _object_store()
        env.update(store_env)
    os.environ.update(env)
    if not database_url:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    servers: list = []
    workers: dict = {}
    try:
        import django

        django.setup()
        from django.db import connections
        from django.utils import timezone

        began = time.monotonic()
        data = _build(size, args.login_share, rng, with_job=args.job_workers >= 2)
        connections.close_all()
        logging_in = sum(p["cookie"] is None for p in data["phones"])
        database = "postgresql" if database_url else "sqlite"
        print(
            f"data: {size['trainees']} trainees in {size['classes']} classes, {logging_in} to "
            f"log in, on {database}, built in {time.monotonic() - began:.1f} s",
            flush=True,
        )
        ports = [_free_port() for _ in range(args.servers)]
        for n, port in enumerate(ports):
            log = data_dir / f"gunicorn{n or ''}.log"
            servers.append(_start_server(env, port, log, args.workers, args.threads))
            _warm(port, args.workers)
        for n in range(args.job_workers):
            name = f"storm-worker-{n + 1}"
            workers[name] = _start_worker(env, name, data_dir / f"{name}.log")
        _common.settle(max_wait=15 if args.quick else _common.MAX_WAIT)
        load_before = _common.load()
        processes = _server_processes(servers, database_url)
        cpu_before = {k: _cpu_seconds(v) for k, v in processes.items()}
        client_before = time.process_time()
        results = _storm(ports, data, window, rng)
        client_cpu = time.process_time() - client_before
        # Backends started during the storm count too (they are children of the postmaster).
        processes = {
            k: sorted({*v, *(c for p in v[:1] for c in _children(p))}) for k, v in processes.items()
        }
        cpu = {k: _cpu_seconds(v) - cpu_before[k] for k, v in processes.items()}
        load_after = _common.load_text()
        job = _kill_a_worker_mid_job(data, workers) if args.job_workers >= 2 else {}
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        servers = []
        if timezone.now() > data["window_closes"]:
            print("warning: the check-in window closed during the run; errors are expected")

        finished = [r for r in results if "done" in r]
        errors = [r for r in results if "error" in r] + [r for r in results if "done" not in r]
        ok = [r for r in finished if "error" not in r]
        scan_seconds = [r["seconds"] for r in ok]
        logins = [r["login"] for r in ok if "login" in r]
        first_scan = min(r["scanned"] for r in results if "scanned" in r)
        last_result = max((r["done"] for r in finished), default=first_scan)
        span = last_result - first_scan
        db = _database_check(data, {r["index"] for r in ok})
        p95 = _percentile(scan_seconds, 0.95)
        print(
            f"storm: {len(ok)}/{len(results)} phones on their result page, "
            f"{len(errors)} errors, last result {span:.1f} s after the first scan "
            f"({len(ok) / span if span else 0:.1f} phones/s); scan-to-result p50 "
            f"{_ms(_percentile(scan_seconds, 0.5))} ms p95 {_ms(p95)} ms p99 "
            f"{_ms(_percentile(scan_seconds, 0.99))} ms; log-ins ({len(logins)}) p50 "
            f"{_ms(_percentile(logins, 0.5))} ms p95 {_ms(_percentile(logins, 0.95))} ms; "
            f"database {json.dumps(db)}; {load_after}",
            flush=True,
        )
        logins_n = sum(r["login_needed"] for r in results)
        print(
            f"CPU used: server {cpu['server']:.1f} s, database {cpu['database']:.1f} s, this "
            f"load generator {client_cpu:.1f} s; {len(results) - logins_n} signed-in phones and "
            f"{logins_n} log-ins need {cpu['server'] + cpu['database']:.1f} CPU-seconds of "
            f"the {_common.cores() * window:.0f} that {_common.cores()} cores have in the window",
            flush=True,
        )
        for r in errors[:3]:
            print(f"error sample: {r.get('error', 'did not finish')}")
        if job:
            print(
                f"job: {job['job_killed_worker']} killed while the job was "
                f"{job['job_killed_while']}; {job['job_status']} by {job['job_finished_by']} "
                f"after {job['job_attempts']} runs, {job['job_certificates']} of "
                f"{JOB_CERTIFICATES} certificates in the zip, in the {job['job_file_in']}",
                flush=True,
            )
        passed = (
            not errors
            and span <= seconds_bar
            and p95 is not None
            and p95 <= P95_BAR
            and db["lost"] == db["missing"] == db["duplicates"] == db["unexpected"] == 0
            and db["not_attended"] == 0
            and (
                not job
                or (job["job_status"] == "done" and job["job_certificates"] == JOB_CERTIFICATES)
            )
        )
        result = {
            "bench": "checkin_storm",
            "ratio": round(p95 / P95_BAR, 3) if p95 is not None else None,
            "bar": 1.0,
            "pass": passed,
            "p95_ms": _ms(p95),
            "p95_bar_ms": 1000 * P95_BAR,
            "seconds_first_scan_to_last_result": round(span, 2),
            "seconds_bar": seconds_bar,
            "trainees": len(results),
            "classes": size["classes"],
            "checked_in": len(ok),
            "errors": len(errors),
            "throughput_per_s": round(len(ok) / span, 2) if span else None,
            "p50_ms": _ms(_percentile(scan_seconds, 0.5)),
            "p99_ms": _ms(_percentile(scan_seconds, 0.99)),
            "max_ms": _ms(max(scan_seconds, default=None)),
            "logins": len(logins),
            "login_share": args.login_share,
            "login_p50_ms": _ms(_percentile(logins, 0.5)),
            "login_p95_ms": _ms(_percentile(logins, 0.95)),
            "login_p99_ms": _ms(_percentile(logins, 0.99)),
            "signed_in_p95_ms": _ms(
                _percentile([r["seconds"] for r in ok if not r["login_needed"]], 0.95)
            ),
            "requests": sum(r.get("requests", 0) for r in results),
            **db,
            "database": database,
            "workers": args.workers,
            "threads": args.threads,
            "servers": args.servers,
            "job_workers": args.job_workers,
            "object_store": args.object_store,
            **job,
            "window_s": round(window, 1),
            "server_cpu_s": round(cpu["server"], 1),
            "database_cpu_s": round(cpu["database"], 1) if database_url else None,
            "client_cpu_s": round(client_cpu, 1),
            "cpu_share_of_window": round(
                (cpu["server"] + cpu["database"]) / (_common.cores() * window), 3
            ),
            "load_before": [round(x, 2) for x in load_before],
            **_common.load_fields(),
            "size": "quick" if args.quick else "full",
        }
        print(json.dumps(result))
        return 0
    except Exception as exc:  # could not measure: say why, exit non-zero
        print(f"bench/checkin_storm.py could not measure: {exc!r}", file=sys.stderr)
        log = data_dir / "gunicorn.log"
        if log.exists():
            print(log.read_text()[-3000:], file=sys.stderr)
        return 1
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        for worker in workers.values():
            worker.terminate()
            worker.wait(timeout=30)
        if store is not None:
            store.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception as exc:  # Django may not have been set up
            print(f"(closing connections: {exc!r})", file=sys.stderr)
        if database_url:
            _drop_database(database_url)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
