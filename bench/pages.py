"""Benchmark: every page and GET API endpoint at two scales of the demo college, side by side.

    .venv/bin/python bench/pages.py [--quick] [--scales A B] [--rounds N]
        [--postgres postgres://USER:PASSWORD@HOST:PORT] [--only SUBSTRING]

It builds a demo college (``seed_demo --scale``) at each scale, or reuses the one it built
before: SQLite files under /tmp/luodi-pages/sqlite-scale<N>/, or with ``--postgres`` one database
per scale on that server (``luodi_pages_s<N>``, kept for the next run). Each scale is served by a
child process of this script (Django is set up once per database), which walks the URL resolver
(every pattern, as ``accounts/tests/test_access_matrix.py`` does) and the API's operations,
fills the object ids from its database (the same choice at each scale: e.g. the latest
finished class), and asks each page with Django's test Client, logged in as the demo's staff
user, and as its city liaison for the pages a liaison may read. Patterns it does not time are
printed with the reason (POST only, a file download, another role's page, no object to show).

The two children are asked alternately, round after round (A B A B …, at least 3 rounds), and
each page's median is taken. Bar (docs/quality-bars.md, "Pages at scale"): at the larger
scale each page costs ≤ 2× its time at the smaller one and ≤ 300 ms (median), on PostgreSQL.
The last line is one JSON object with the worst page's ratio and the pages that fail; the
exit code is 0 whether or not the bar is met.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path("/tmp/luodi-pages")
BAR_RATIO, BAR_MS = 2.0, 300.0
# Pages whose cost is the dashboard's and statistics' figures (``reports.stats``): served from
# the figures' cache (issue 12, item 1; docs/figures.md), listed apart. (The liaison's city
# page shows one cached figure; its cost is its lists of nominations and trainees in class.)
FIGURES = re.compile(r"^(dashboard|home|reports:statistics|API GET stats/)")
DOCUMENT = re.compile(r"(\.(pdf|xlsx|zip)$|xlsx|pdf|zip|export|-document|template)")


# ---- the child: one database, its pages --------------------------------------------------------


def _setup() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luodi.settings")
    django.setup()


def seed(scale: float) -> None:
    """Migrate and seed the database of the environment (a child's)."""
    _setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale=scale, today=timezone.localdate(), verbosity=0)


def copy_from_sqlite(path: str) -> None:
    """Fill the (PostgreSQL) database of the environment with the rows of the SQLite demo
    database at ``path`` (COPY, table by table, in one transaction): the same college as the
    SQLite run, in a fraction of the time seeding PostgreSQL takes. The data directory must
    hold the SQLite build's keys (encrypted fields)."""
    import sqlite3

    _setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    source = sqlite3.connect(path)
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    tables = sorted({m._meta.db_table for m in models})
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        for table in tables:
            target = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            present = {row[1] for row in source.execute(f'PRAGMA table_info("{table}")')}
            columns = ", ".join(f'"{c}"' for c in target if c in present)
            rows = source.execute(f'SELECT {columns} FROM "{table}"')  # nosec B608 # model tables
            with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _first(queryset):
    return queryset.values_list("pk", flat=True).first()


def _objects() -> dict:
    """The objects the pages show, chosen the same way at every scale: the latest finished
    class and its people and sessions, the latest of everything else."""
    from django.apps import apps

    def model(label: str):
        return apps.get_model(label)

    Class = model("training.TrainingClass")
    finished = Class.objects.filter(status="finished").order_by("-start_date", "-id").first()
    klass = finished or Class.objects.order_by("-start_date", "-id").first()
    enrolment = model("training.Enrolment").objects.filter(training_class=klass).order_by("pk")
    session = model("training.Session").objects.filter(training_class=klass).order_by("pk")
    cadre = enrolment.values_list("cadre_id", flat=True).first()
    community = model("cadres.Cadre").objects.filter(pk=cadre).values_list("community_id")
    survey = model("surveys.Survey").objects.order_by("-pk")
    assessment = model("assessments.Project").objects.order_by("-pk")
    found = {
        "class": klass.pk if klass else None,
        "enrolment": _first(enrolment),
        "session": _first(session),
        "cadre": cadre,
        "community": community.first()[0] if community.exists() else None,
        "teacher": klass.head_teacher_id if klass else None,
        "course": session.values_list("course_id", flat=True).first(),
        "reflection": _first(
            model("training.Reflection").objects.filter(enrolment__training_class=klass)
        ),
        "story": _first(model("training.ApplicationStory").objects.order_by("-pk")),
        "courseware": _first(model("training.Courseware").objects.order_by("-pk")),
        "leave": _first(model("training.LeaveRequest").objects.order_by("-pk")),
        "certificate": _first(model("certificates.Certificate").objects.order_by("-pk")),
        "case": _first(model("curriculum.TeachingCase").objects.order_by("-pk")),
        "import-run": _first(model("imports.ImportRun").objects.order_by("-pk")),
        "need-record": _first(model("needs.ResearchRecord").objects.order_by("-pk")),
        "survey": _first(survey),
        "question": _first(model("surveys.Question").objects.filter(survey=survey.first())),
        "assessment": _first(assessment),
        "stage": _first(model("assessments.Stage").objects.filter(project=assessment.first())),
        "unit": _first(model("assessments.Unit").objects.filter(project=assessment.first())),
        "sheet": _first(model("assessments.Sheet").objects.order_by("-pk")),
        "evidence": _first(model("assessments.Evidence").objects.order_by("-pk")),
        "research-project": _first(model("research.Project").objects.order_by("-pk")),
        "publication": _first(model("research.Publication").objects.order_by("-pk")),
        "advisory": _first(model("research.AdvisoryWork").objects.order_by("-pk")),
        "job": _first(model("jobs.Job").objects.order_by("-pk")),
        "notification": _first(model("notifications.Notification").objects.order_by("-pk")),
        "api-token": _first(model("accounts.ApiToken").objects.order_by("-pk")),
    }
    serial = model("certificates.Certificate").objects.values_list("serial", flat=True)
    found["serial"] = serial.order_by("-pk").first()
    found["kind"] = "cadres"
    return found


# A route's ``pk`` by the start of its pattern (the first that matches); other parameters by
# their name.
PK_BY_ROUTE = [
    ("classes/sessions/", "session"),
    ("classes/reflections/", "reflection"),
    ("classes/stories/", "story"),
    ("classes/", "class"),
    ("checkin/courseware/", "courseware"),
    ("checkin/classes/", "class"),
    ("checkin/leave/", "leave"),
    ("checkin/sessions/", "session"),
    ("certificates/class/", "class"),
    ("certificates/", "certificate"),
    ("cadres/", "cadre"),
    ("jobs/", "job"),
    ("notifications/", "notification"),
    ("courses/cases/", "case"),
    ("courses/", "course"),
    ("faculty/", "teacher"),
    ("imports/", "import-run"),
    ("needs/records/", "need-record"),
    ("needs/classes/", "class"),
    ("surveys/sessions/", "session"),
    ("surveys/my-ratings/", "teacher"),
    ("surveys/answers/", None),
    ("surveys/", "survey"),
    ("assessments/sheets/", "sheet"),
    ("assessments/evidence/", "evidence"),
    ("assessments/", "assessment"),
    ("research/projects/", "research-project"),
    ("research/publications/", "publication"),
    ("research/advisory/", "advisory"),
    ("communities/", "community"),
    ("accounts/api-tokens/", "api-token"),
    ("api/v1/communities/", "community"),
    ("api/v1/cadres/", "cadre"),
    ("api/v1/teachers/", "teacher"),
    ("api/v1/courses/", "course"),
    ("api/v1/classes/", "class"),
]
BY_PARAM = {
    "enrolment_pk": "enrolment",
    "enrolment_id": "enrolment",
    "session_id": "session",
    "cadre_pk": "cadre",
    "question_id": "question",
    "stage_pk": "stage",
    "unit_pk": "unit",
    "serial": "serial",
    "kind": "kind",
}
SIDE_EFFECTS = {"accounts:logout": "logs the user out"}
PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")


def _fill(route: str, objects: dict) -> tuple[str | None, str]:
    """The route with its parameters filled, or None and why not."""
    path = route
    for match in PARAM.finditer(route):
        name = match.group(1) or match.group(2)
        if name == "pk":
            key = next((k for prefix, k in PK_BY_ROUTE if route.startswith(prefix)), None)
        else:
            key = BY_PARAM.get(name)
        if key is None:
            return None, f"no object for <{name}> (a scan's token, an answer's uuid, a user)"
        if objects.get(key) is None:
            return None, f"no {key} in the demo data"
        path = path.replace(match.group(0), str(objects[key]), 1)
    return "/" + path, ""


def _routes():
    """(name, pattern) of every URL pattern, and of every API operation ("API GET path")."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                yield namespace + (p.name or ""), prefix + str(p.pattern)

    from luodi.api import api

    pages = [
        (name, route)
        for name, route in walk(get_resolver().url_patterns)
        if not route.startswith(("admin/", "api/v1/"))
    ]
    api.urls  # noqa: B018 -- binds the routers to the API
    operations = [
        (f"API {method} {(prefix + path).strip('/')}", f"api/v1/{(prefix + path).strip('/')}")
        for prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for op in path_view.operations
        for method in op.methods
    ]
    return pages + operations


class Pages:
    """The pages of one database, each with the client that asks it."""

    def __init__(self) -> None:
        _setup()
        from django.test import Client

        from luodi.accounts.models import User

        self.clients = {}
        for role in ("staff", "liaison"):
            client = Client()
            client.force_login(User.objects.get(username=role))
            self.clients[role] = client
        self.targets: dict[str, tuple[str, str]] = {}  # key: (role, url)
        self.skipped: dict[str, str] = {}
        objects = _objects()
        for name, route in _routes():
            self._consider(name, route, objects)

    def _consider(self, name: str, route: str, objects: dict) -> None:
        if name in SIDE_EFFECTS:
            self.skipped[name] = SIDE_EFFECTS[name]
            return
        if name.startswith("API ") and not name.startswith("API GET "):
            self.skipped[name] = "writes (POST)"
            return
        if not name.startswith("API ") and DOCUMENT.search(name + " " + route):
            self.skipped[name] = "a file download (document or workbook), not a page"
            return
        url, why = _fill(route, objects)
        if url is None:
            self.skipped[name] = why
            return
        outcomes = []
        for role, client in self.clients.items():
            response = client.get(url)
            kind = response.get("Content-Type", "").split(";")[0]
            if response.status_code == 200 and kind in ("text/html", "application/json"):
                self.targets[f"{name} [{role}]"] = (role, url)
            elif response.status_code == 200:
                outcomes.append(f"{role}: a file ({kind})")
            elif response.status_code in (301, 302):
                outcomes.append(f"{role}: {response.status_code} to {response['Location']}")
            else:
                outcomes.append(f"{role}: {response.status_code}")
        if not any(key.startswith(f"{name} [") for key in self.targets):
            if any(o.endswith(": 405") for o in outcomes):
                self.skipped[name] = "POST only"
            elif all(o.endswith((": 403", ": 404")) for o in outcomes):
                self.skipped[name] = "another role's page (refused: " + "; ".join(outcomes) + ")"
            else:
                self.skipped[name] = "; ".join(outcomes)

    def round(self) -> dict[str, float]:
        times = {}
        for key, (role, url) in self.targets.items():
            client = self.clients[role]
            started = time.perf_counter()
            response = client.get(url)
            _ = response.content
            times[key] = time.perf_counter() - started
            if response.status_code != 200:
                times[key] = float("nan")
        return times


def serve() -> None:
    """A child: answer "pages" and "round" on stdin with one JSON line each on stdout."""
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but answers on the pipe
    _setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a database built before the branch's migrations
    pages = Pages()
    from luodi.training.models import Enrolment

    for line in sys.stdin:
        command = line.strip()
        if command == "pages":
            answer = {
                "targets": {k: v[1] for k, v in pages.targets.items()},
                "skipped": pages.skipped,
                "enrolments": Enrolment.objects.count(),
            }
        elif command == "round":
            answer = pages.round()
        else:
            break
        out.write(json.dumps(answer) + "\n")
        out.flush()


# ---- the parent: databases, children, the table ------------------------------------------------


def _postgres(server: str, statement: str, database: str = "postgres"):
    import psycopg

    with psycopg.connect(f"{server.rstrip('/')}/{database}", autocommit=True) as connection:
        cursor = connection.execute(statement)  # nosec B608 # names this script made
        return cursor.fetchall() if cursor.description else []


def _environment(scale: float, postgres: str | None) -> dict:
    """The environment of a child serving ``scale``: its database built if it is not yet."""
    label = f"{scale:g}".replace(".", "_")
    data_dir = CACHE / f"sqlite-scale{label}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LUODI_DEBUG"}}
    env.update(LUODI_LOG_LEVEL="ERROR")
    if postgres:
        name = f"luodi_pages_s{label}"
        data_dir = CACHE / f"pg-scale{label}"
        env["DATABASE_URL"] = f"{postgres.rstrip('/')}/{name}"
        exists = _postgres(postgres, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
        ready = bool(exists) and bool(
            _postgres(
                postgres,
                "SELECT 1 FROM information_schema.tables WHERE table_name = 'luodi_pages_ready'",
                name,
            )
        )
        if not ready:
            if exists:
                _postgres(postgres, f"DROP DATABASE {name}")
            _postgres(postgres, f"CREATE DATABASE {name}")
    else:
        ready = (data_dir / "ready").exists()
    (data_dir / "static").mkdir(parents=True, exist_ok=True)
    env["LUODI_DATA_DIR"] = str(data_dir)
    built = CACHE / f"sqlite-scale{label}"
    if not ready and postgres and (built / "ready").exists():
        print(f"copying the SQLite college of scale {scale:g} into PostgreSQL…", flush=True)
        started = time.perf_counter()
        for key in ("field_keys", "id_digest_key", "secret_key"):
            (data_dir / key).write_bytes((built / key).read_bytes())
        command = ["--copy-from", str(built / "luodi.sqlite3")]
        subprocess.run(  # nosec B603 # this very script, with fixed arguments
            [sys.executable, __file__, *command], env=env, cwd=ROOT, check=True
        )
        print(f"  copied in {time.perf_counter() - started:.0f} s", flush=True)
    elif not ready:
        print(f"seeding scale {scale:g} ({'PostgreSQL' if postgres else 'SQLite'})…", flush=True)
        started = time.perf_counter()
        subprocess.run(  # nosec B603 # this very script, with fixed arguments
            [sys.executable, __file__, "--seed", str(scale)], env=env, cwd=ROOT, check=True
        )
        print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
    if not ready and postgres:
        _postgres(postgres, "CREATE TABLE luodi_pages_ready (id int)", name)
    elif not ready:
        (data_dir / "ready").touch()
    return env


class Child:
    def __init__(self, env: dict) -> None:
        self.process = subprocess.Popen(  # nosec B603 # this very script, fixed arguments
            [sys.executable, __file__, "--serve"],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, command: str):
        stdin, stdout = self.process.stdin, self.process.stdout
        if stdin is None or stdout is None:
            raise SystemExit("no pipe to a child")
        stdin.write(command + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            raise SystemExit(f"a child serving pages stopped (exit {self.process.wait()})")
        return json.loads(line)

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scales 1 and 10")
    parser.add_argument("--scales", type=float, nargs=2, metavar=("A", "B"))
    parser.add_argument("--rounds", type=int, default=3, help="alternate rounds (min 3)")
    parser.add_argument("--postgres", help="a PostgreSQL server URL, without a database name")
    parser.add_argument("--only", help="time only the pages whose key holds this text")
    parser.add_argument("--seed", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--copy-from", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed is not None:
        seed(args.seed)
        return
    if args.serve:
        serve()
        return
    if args.copy_from:
        copy_from_sqlite(args.copy_from)
        return
    rounds = max(3, args.rounds)
    small, large = args.scales or ((1.0, 10.0) if args.quick else (1.0, 100.0))
    database = "postgresql" if args.postgres else "sqlite"
    children = [Child(_environment(scale, args.postgres)) for scale in (small, large)]
    try:
        described = [child.ask("pages") for child in children]
        keys = [k for k in described[0]["targets"] if k in described[1]["targets"]]
        if args.only:
            keys = [k for k in keys if args.only in k]
        for name, why in sorted(described[1]["skipped"].items()):
            print(f"skipped {name}: {why}", flush=True)
        for k in sorted(set(described[0]["targets"]) ^ set(described[1]["targets"])):
            print(f"skipped {k}: shown at one scale only", flush=True)
        times: list[dict[str, list[float]]] = [{k: [] for k in keys}, {k: [] for k in keys}]
        for number in range(rounds):
            for side, child in enumerate(children):
                answer = child.ask("round")
                for k in keys:
                    times[side][k].append(answer[k])
            print(f"round {number + 1}/{rounds} done; load {_load()}", flush=True)
    finally:
        for child in children:
            child.close()
    rows, failing, figures = {}, [], []
    print(f"\n{'page':<62} {f'scale {small:g}':>10} {f'scale {large:g}':>10} {'ratio':>6}")
    for k in sorted(keys):
        a = statistics.median(times[0][k]) * 1000
        b = statistics.median(times[1][k]) * 1000
        ratio = b / a if a else float("inf")
        ok = ratio <= BAR_RATIO and b <= BAR_MS
        rows[k] = {"a_ms": round(a, 1), "b_ms": round(b, 1), "ratio": round(ratio, 2)}
        if not ok:
            (figures if FIGURES.search(k) else failing).append(k)
        mark = "" if ok else "  ✗ (figures)" if FIGURES.search(k) else "  ✗"
        print(f"{k:<62} {a:10.1f} {b:10.1f} {ratio:6.2f}{mark}")
    worst = max(rows, key=lambda k: rows[k]["ratio"]) if rows else None
    slowest = max(rows, key=lambda k: rows[k]["b_ms"]) if rows else None
    print(f"load average {_load()}", flush=True)
    result = {
        "bench": "pages",
        "ratio": rows[worst]["ratio"] if worst else None,
        "bar": BAR_RATIO,
        "bar_ms": BAR_MS,
        "pass": bool(rows) and not failing and not figures,
        "worst": worst,
        "slowest": slowest,
        "slowest_ms": rows[slowest]["b_ms"] if slowest else None,
        "failing": failing,
        "failing_figures": figures,
        "pages": len(rows),
        "skipped": len(described[1]["skipped"]),
        "scales": [small, large],
        "enrolments": [d["enrolments"] for d in described],
        "rounds": rounds,
        "database": database,
        "load": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
