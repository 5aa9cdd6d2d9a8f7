"""Benchmark: QR check-in under 32 concurrent clients, against a bare read + insert baseline.

    .venv/bin/python bench/checkin.py [--quick]

It builds its own data in a throwaway SQLite database (a temporary LUODI_DATA_DIR), starts
gunicorn (2 workers × 4 threads) on a free 127.0.0.1 port and measures, alternately A B A B:

A  the baseline: a bare Django view doing one indexed read, one insert and a commit, then
   redirecting to a bare result view (one indexed read of the row);
B  the real check-in link (``/checkin/s/<session>/<code>/``) with logged-in trainees, each
   request a first check-in of a distinct trainee and session, plus about 10 % repeats, and
   its redirect to the trainee's result page.

Both follow their redirect, as a phone does (the same connection): a latency is the scan's
request plus its result page's. Each round waits for a quieter machine first (bench/_common.py)
and the load average is printed beside every round's figures.

Quality bar (docs/quality-bars.md): B's throughput ≥ 50 % of A's, B's p95 ≤ 4 × A's p95,
zero duplicate attendance rows (checked in the database) and zero errors. The last line is
one JSON object; the exit code is 0 whether or not the bar is met.

The same file is also the server's WSGI module (``gunicorn checkin:application`` with
``bench/`` on the path): it serves the project's own URLs plus the baseline view, so both
run in the same server against the same database. Nothing else is touched: only
127.0.0.1 is contacted, and every run is bounded in requests and in time.
"""

import argparse
import functools
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 32
BAR, P95_BAR = 0.5, 4.0
SIZES = {
    # rounds, requests per run, trainees, sessions (trainees × sessions distinct check-ins)
    # (enough distinct check-ins for the rounds measured again on a busy machine, too)
    "quick": {"rounds": 3, "requests": 800, "trainees": 120, "sessions": 36},
    "full": {"rounds": 5, "requests": 4000, "trainees": 400, "sessions": 72},
}
REPEAT_SHARE = 0.1
WARMUP = 200
REQUEST_TIMEOUT = 30  # seconds, per request
RUN_TIMEOUT = 300  # seconds, per measured run


# ---- the server side: imported by gunicorn as the module ``checkin`` -----------------------


def _baseline(request):
    """A bare Django view: one indexed read (an enrolment by primary key), then one insert
    (the same attendance row a check-in writes, for sessions kept for the baseline) and its
    commit. No login, no checks."""
    from django.db import transaction
    from django.shortcuts import redirect

    from luodi.training.models import Attendance, Enrolment

    enrolment = Enrolment.objects.filter(pk=int(request.GET["e"])).first()
    with transaction.atomic():
        attendance = Attendance.objects.create(
            enrolment=enrolment, session_id=int(request.GET["s"]), status="present"
        )
    return redirect(f"/bench/baseline/result/{attendance.pk}/")


def _baseline_result(request, pk):
    """The bare result page the baseline redirects to: one indexed read of the row."""
    from django.http import HttpResponse

    from luodi.training.models import Attendance

    attendance = Attendance.objects.filter(pk=pk).first()
    return HttpResponse(f"ok {attendance.status}", content_type="text/plain")


@functools.cache
def _urlpatterns():
    from django.urls import include, path

    return [
        path("bench/baseline/", _baseline),
        path("bench/baseline/result/<int:pk>/", _baseline_result),
        path("", include("luodi.urls")),
    ]


@functools.cache
def _application():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luodi.settings")
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = __name__  # this module: the baseline plus the project's URLs
    return get_wsgi_application()


def __getattr__(name):
    # Built on first use, so that running this file as a script imports no Django here.
    if name == "urlpatterns":
        return _urlpatterns()
    if name == "application":
        return _application()
    raise AttributeError(name)


# ---- the bench side -------------------------------------------------------------------------


def _noon_time_zone() -> str:
    """A zone where it is now about noon, so that sessions starting now stay within one day."""
    offset = 12 - time.gmtime().tm_hour
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"


def _environment(data_dir: Path) -> dict:
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
    )
    return env


def _build(size: dict) -> dict:
    """Migrate the empty database and create one class running today whose sessions all
    start in a minute (check-in open), trainees enrolled and logged in."""
    import datetime as dt
    from decimal import Decimal

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from luodi.accounts.models import Role, User
    from luodi.cadres.models import Cadre
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
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=i)
        number = make_id_number("210202", birth.strftime("%Y%m%d"), 101)
        cadre = Cadre(
            name=f"学员{i}",
            gender="M",
            birth_date=birth,
            political_status="party_member",
            education="bachelor",
            id_number=number,
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
    tc = TrainingClass.objects.create(
        class_type=ClassType.objects.create(name="社区党组织书记培训班"),
        year=today.year,
        term=1,
        start_date=today,
        end_date=today,
        venue="学院",
        capacity=size["trainees"],
        status=ClassStatus.IN_PROGRESS,
    )
    start = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    sessions = Session.objects.bulk_create(
        Session(
            training_class=tc,
            date=today,
            slot=TimeSlot.AFTERNOON,
            start_time=start.time(),
            end_time=(start + dt.timedelta(hours=1)).time(),
            course=course,
            venue=f"教室{i}",  # one room each: the database forbids two sessions in one room
            method=TeachingMethod.LECTURE,
            hours=Decimal(1),
        )
        for i in range(2 * size["sessions"])
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            **Enrolment.place_of(c), training_class=tc, cadre=c, status=EnrolmentStatus.ENROLLED
        )
        for c in cadres
    )
    users = User.objects.bulk_create(
        User(username=f"trainee{i}", password="!", role=Role.TRAINEE, cadre=c)
        for i, c in enumerate(cadres)
    )
    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "luodi.accounts.identifiers.IdentifierBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    return {
        "cookies": cookies,
        # Half the sessions take the check-ins, the other half the baseline's inserts.
        "sessions": [s.pk for s in sessions[: size["sessions"]]],
        "baseline_sessions": [s.pk for s in sessions[size["sessions"] :]],
        "enrolments": [e.pk for e in enrolments],
        "window_closes": start + dt.timedelta(minutes=settings.LUODI_CHECKIN_CLOSES_MINUTES_AFTER),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(env: dict, port: int, log: Path) -> subprocess.Popen:
    """gunicorn as `make run` starts it (2 workers × 4 threads), serving this module."""
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "checkin:application",
        "--pythonpath",
        str(ROOT / "bench"),
        "--chdir",
        str(ROOT),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--log-level",
        "warning",
    ]
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
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
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def _drive(port: int, jobs: list, make_request, lands_on: str) -> dict:
    """Send every job once from CLIENTS threads, each on its own keep-alive connection, and
    follow its redirect (on the same connection, with the same headers) to the page it leads
    to, which must start with ``lands_on`` and answer 200 (a redirect to the log-in page is
    an error). ``make_request(job)`` gives (path, headers). Returns throughput
    (jobs a second), latencies (the request plus its redirect) and errors."""
    latencies, errors, lock = [], [], threading.Lock()
    cursor = iter(range(len(jobs)))
    deadline = time.monotonic() + RUN_TIMEOUT

    def get(conn, path, headers):
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location")

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        mine = []
        while time.monotonic() < deadline:
            with lock:
                i = next(cursor, None)
            if i is None:
                break
            path, headers = make_request(jobs[i])
            began = time.perf_counter()
            try:
                status, location = get(conn, path, headers)
                if status == 302 and (location or "").startswith(lands_on):
                    status, location = get(conn, location, headers)
                elif status == 302:
                    status = f"302 to {location}"
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                status = repr(exc)
            mine.append(time.perf_counter() - began)
            if status != 200:
                with lock:
                    errors.append((path, status))
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    unsent = len(jobs) - len(latencies)
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 3),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 2),
        "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 2),
        "errors": len(errors) + unsent,
        "error_samples": errors[:3],
    }


def _check_in_jobs(pairs: list, done: list, n: int, rng: random.Random) -> list:
    """n requests: first check-ins taken from ``pairs``, and ~10 % repeats of check-ins made
    in earlier runs (``done``), which must answer the same and add no row."""
    jobs, fresh = [], []
    for _ in range(n):
        if done and rng.random() < REPEAT_SHARE:
            jobs.append(rng.choice(done))
        else:
            fresh.append(pairs.pop())
            jobs.append(fresh[-1])
    done.extend(fresh)
    return jobs


def _database_check(expected_pairs: set, session_ids: list) -> dict:
    """Duplicates among all attendance rows (the unique constraint should make it 0), and the
    check-in sessions' rows against the first check-ins answered."""
    from django.db.models import Count

    from luodi.training.models import Attendance

    duplicates = (
        Attendance.objects.values("enrolment_id", "session_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    rows = set(
        Attendance.objects.filter(session_id__in=session_ids).values_list(
            "enrolment_id", "session_id"
        )
    )
    return {
        "duplicates": duplicates,
        "attendance_rows": len(rows),
        "missing_rows": len(expected_pairs - rows),
        "unexpected_rows": len(rows - expected_pairs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run, under a minute")
    args = parser.parse_args()
    size = SIZES["quick" if args.quick else "full"]
    data_dir = Path(tempfile.mkdtemp(prefix="luodi-bench-checkin-"))
    env = _environment(data_dir)
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    server = None
    try:
        import django

        django.setup()
        from django.db import connections
        from django.utils import timezone

        from luodi.checkin import tokens

        began = time.monotonic()
        data = _build(size)
        connections.close_all()
        print(
            f"data: {size['trainees']} trainees × {size['sessions']} sessions "
            f"in {time.monotonic() - began:.1f} s ({data_dir})"
        )
        port = _free_port()
        server = _start_server(env, port, data_dir / "gunicorn.log")

        def baseline_request(pair):
            trainee, session_id = pair
            return f"/bench/baseline/?e={data['enrolments'][trainee]}&s={session_id}", {}

        def check_in_request(pair):
            trainee, session_id = pair
            code = tokens.token_for(session_id, timezone.now())
            headers = {"Cookie": data["cookies"][trainee]}
            return tokens.check_in_path(session_id, code), headers

        rng = random.Random(2015)
        trainees = range(len(data["cookies"]))
        pairs = [(t, s) for s in data["sessions"] for t in trainees]
        baseline_pairs = [(t, s) for s in data["baseline_sessions"] for t in trainees]
        rng.shuffle(pairs)
        rng.shuffle(baseline_pairs)
        done: list = []

        def run_a(n):
            jobs = [baseline_pairs.pop() for _ in range(n)]
            return _drive(port, jobs, baseline_request, "/bench/baseline/result/")

        def run_b(n):
            jobs = _check_in_jobs(pairs, done, n, rng)
            return _drive(port, jobs, check_in_request, "/checkin/s/")

        warm = (run_a(WARMUP), run_b(WARMUP))
        print(f"warm-up: baseline {warm[0]['rps']} req/s, check-in {warm[1]['rps']} req/s")

        every_run = []  # with the rounds measured again for the load: their rows are kept too

        def one_round(n):
            a, b = run_a(size["requests"]), run_b(size["requests"])
            every_run.extend((a, b))
            for name, run in (("A baseline", a), ("B check-in", b)):
                print(f"round {n} {name}: {json.dumps(run, ensure_ascii=False)}")
            print(f"round {n}: {_common.load_text()}", flush=True)
            return a, b

        kept, load = _common.measured_rounds(size["rounds"], one_round)
        a_runs, b_runs = [a for a, _b in kept], [b for _a, b in kept]
        dropped = len(load["round_start_loads"]) - len(kept)
        server.terminate()
        server.wait(timeout=30)
        server = None

        if timezone.now() > data["window_closes"]:
            print("warning: the check-in window closed during the run; errors are expected")
        expected = {(data["enrolments"][t], s) for t, s in done}
        db = _database_check(expected, data["sessions"])
        a_rps = statistics.median(r["rps"] for r in a_runs)
        b_rps = statistics.median(r["rps"] for r in b_runs)
        a_p95 = statistics.median(r["p95_ms"] for r in a_runs)
        b_p95 = statistics.median(r["p95_ms"] for r in b_runs)
        errors = sum(r["errors"] for r in every_run) + sum(r["errors"] for r in warm)
        errors += db["missing_rows"] + db["unexpected_rows"]
        ratio, p95_ratio = b_rps / a_rps, b_p95 / a_p95
        result = {
            "bench": "checkin",
            "ratio": round(ratio, 3),
            "bar": BAR,
            "pass": ratio >= BAR and p95_ratio <= P95_BAR and not db["duplicates"] and not errors,
            "p95_ratio": round(p95_ratio, 3),
            "p95_bar": P95_BAR,
            "duplicates": db["duplicates"],
            "errors": errors,
            "baseline_rps": a_rps,
            "checkin_rps": b_rps,
            "baseline_p95_ms": a_p95,
            "checkin_p95_ms": b_p95,
            "clients": CLIENTS,
            "rounds": size["rounds"],
            "requests_per_run": size["requests"],
            "attendance_rows": db["attendance_rows"],
            "database": "sqlite",
            "size": "quick" if args.quick else "full",
            "redirects_followed": True,
            "rounds_dropped_for_load": dropped,
            **load,
        }
        print(json.dumps(result))
        return 0
    except Exception as exc:  # could not measure: say why, exit non-zero
        print(f"bench/checkin.py could not measure: {exc!r}", file=sys.stderr)
        log = data_dir / "gunicorn.log"
        if log.exists():
            print(log.read_text()[-3000:], file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
