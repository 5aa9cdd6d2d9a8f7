"""Benchmark: importing a province's cadre roster (xlsx) against reading it and raw inserts.

Bars (docs/quality-bars.md, roster import of 100k rows):
  1. parse + validate + de-duplicate + write <= 3x the time python-calamine needs just to
     read the file;
  2. the write phase <= 3x a raw ``executemany`` of the same rows;
  3. queries ~ rows/1000 + a constant; peak memory reported.

    .venv/bin/python bench/import.py            # 100,000 rows, 3 rounds
    .venv/bin/python bench/import.py --quick    # 10,000 rows, under a minute

It builds its own data in a temporary LUODI_DATA_DIR (SQLite): ``seed_demo`` at a small scale
for the province's regions and communities, then an xlsx roster of N new cadres as an office
keeps it (a title row above the header, 14 columns, places named loosely). Then, alternately:

  A  baseline: python-calamine reads the sheet (``to_python``);
  B  candidate: what the import job does, in this process: read the file, find the header,
     check every row (parse, validate, de-duplicate, find known cadres by ID number), and
     write them all (``services.commit``, one transaction), rolled back after timing;
  W  write phase alone: ``CadreImport.write`` of the checked plan, rolled back;
  R  baseline of W, the same work by the simplest means: the same rows' derived columns
     (pinyin, digests, ciphertexts) computed in a loop with the same functions, then one
     ``executemany`` INSERT, rolled back.

The ratio is median(B) / median(A); write_ratio is median(W) / median(R); "pass" needs both
within 3 and the queries of B within rows/1000 (looking up known cadres) + the INSERTs + 50:
rows are written 1,000 at a time, each thousand in one INSERT, or in several where the database
limits the parameters of one query (SQLite: 999, so 19 INSERTs of 55 rows of 18 columns). Every
timed step starts with an empty pinyin cache, as a first import does. The last line printed is
the JSON result.
"""

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

ROOT = Path(__file__).resolve().parent.parent
BAR = 3.0
QUERY_ALLOWANCE = 50


def setup_django(data_dir: str) -> None:
    os.environ["LUODI_DATA_DIR"] = data_dir
    os.makedirs(os.path.join(data_dir, "static"), exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luodi.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_roster(path: Path, rows: int) -> None:
    """An office's roster of ``rows`` new cadres of the demo province's communities."""
    from openpyxl import Workbook

    from luodi.lib.personal import make_id_number
    from luodi.regions.models import Community

    rng = random.Random(7)  # nosec B311 # repeatable data, not a secret
    places = list(
        Community.objects.select_related("street", "district", "city").values_list(
            "city__name", "district__name", "district__code", "street__name", "name"
        )
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["全省社区干部花名册"])
    sheet.append(
        ["序号", "姓名", "性别", "民族", "出生年月", "身份证号码", "政治面貌", "文化程度",
         "现任职务", "参加社区工作时间", "所在市", "所在区", "所在街道", "社区名称", "手机号码"]
    )  # fmt: skip
    surnames, given = (
        "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗",
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英",
    )
    posts = ["党委书记、居委会主任", "副书记", "居委会主任", "委员", "网格员", "社区工作者"]
    born0 = date(1960, 1, 1)
    for n in range(rows):
        city, district, code, street, community = places[n % len(places)]
        # Unique: 400 cadres per birth date, each their own sequence number.
        born = born0 + timedelta(days=n // 400 * 7 % 14000 + n // 800000)
        male = n % 2 == 0
        number = make_id_number(code, born.strftime("%Y%m%d"), (n % 400) * 2 + (1 if male else 0))
        sheet.append(
            [
                n + 1,
                rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                "男" if male else "女",
                "汉族",
                born.strftime("%Y.%m"),
                number,
                rng.choice(["中共党员", "党员", "群众", "共青团员"]),
                rng.choice(["本科", "大专", "研究生", "高中"]),
                rng.choice(posts),
                (born + timedelta(days=9000)).isoformat(),
                city.removesuffix("市"),
                district,
                street,
                community,
                f"139{n:08d}",
            ]
        )
    workbook.save(path)


def unique_roster(path: Path) -> int:
    """Rows of the roster whose ID number repeats (the generator may repeat one)."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    numbers = [r[5] for r in rows[2:]]
    return len(numbers) - len(set(numbers))


def run_read(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    t = time.perf_counter()
    CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return time.perf_counter() - t


class Rollback(Exception):
    pass


def cold() -> None:
    """Forget the names read before: each timed step works as a first import does."""
    from luodi.lib import pinyin

    pinyin._syllables.cache_clear()


def run_import(path: Path, by) -> tuple[float, int, object]:
    """Read, check and write, timed; then roll back. Returns seconds, queries and the plan."""
    from django.core.files import File
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from luodi.imports import kinds, services
    from luodi.imports.reading import check_file

    kind = kinds.get("cadres")
    cold()
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            with path.open("rb") as handle:
                upload = File(handle, name=path.name)
                table = services.read_table(kind, upload, check_file(upload))
            plan = services.commit(kind, table, options={}, by=by)
            elapsed = time.perf_counter() - t
            raise Rollback
    except Rollback:
        pass
    return elapsed, len(queries), plan


def checked_plan(path: Path):
    from django.core.files import File

    from luodi.imports import kinds, services
    from luodi.imports.reading import check_file

    kind = kinds.get("cadres")
    with path.open("rb") as handle:
        upload = File(handle, name=path.name)
        table = services.read_table(kind, upload, check_file(upload))
    return services.check(kind, table, options={})


def run_write(plan, by) -> float:
    from django.db import transaction

    from luodi.imports import kinds

    cold()
    try:
        with transaction.atomic():
            t = time.perf_counter()
            kinds.get("cadres").write(plan, options={}, by=by, progress=lambda d, n: None)
            elapsed = time.perf_counter() - t
            raise Rollback
    except Rollback:
        pass
    return elapsed


def raw_insert(plan) -> tuple[str, list[str], list[dict]]:
    """The INSERT of the plan's new cadres, its columns, and their checked values."""
    from django.db import connection

    from luodi.cadres.models import Cadre

    fields = [f for f in Cadre._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {Cadre._meta.db_table} ({columns}) VALUES ({marks})"
    return sql, [f.attname for f in fields], [dict(o.record) for o in plan.outcomes]


def run_raw(sql: str, names: list[str], records: list[dict]) -> float:
    """The write by the simplest means: the derived columns (pinyin, digests, ciphertexts)
    computed with the same functions the model uses, then one ``executemany``."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from luodi.lib import crypto, personal, pinyin

    key = settings.LUODI_ID_DIGEST_KEY
    cold()
    try:
        with transaction.atomic():
            t = time.perf_counter()
            now = timezone.now()
            rows = []
            for r in records:
                syllables = pinyin.syllables(r["name"])
                row = {
                    **r,
                    "community_id": r["community"],
                    "name_pinyin": " ".join(syllables).lower(),
                    "name_initials": "".join(s[:1] for s in syllables).lower(),
                    "id_number_digest": personal.id_number_digest(r["id_number"], key),
                    "phone_digest": personal.phone_digest(r["phone"], key),
                    "id_number": crypto.encrypt(r["id_number"]),
                    "phone": crypto.encrypt(r["phone"] or ""),
                    "ethnicity": r["ethnicity"] or "汉族",
                    "created_at": now,
                    "updated_at": now,
                }
                rows.append(tuple(row[n] for n in names))
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            elapsed = time.perf_counter() - t
            raise Rollback
    except Rollback:
        pass
    return elapsed


def insert_batch() -> int:
    """Rows one INSERT of the import writes on this database."""
    from django.db import connection

    from luodi.cadres.models import Cadre
    from luodi.imports.cadres import BATCH

    fields = [f for f in Cadre._meta.concrete_fields if not f.primary_key]
    return min(BATCH, connection.ops.bulk_batch_size(fields, [None] * BATCH))


def peak_memory(path: Path, by) -> float:
    """Peak Python memory (MiB, tracemalloc) of one import, not timed."""
    tracemalloc.start()
    run_import(path, by)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1048576


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 rows, under a minute")
    parser.add_argument("--rows", type=int, help="rows of the roster (default 100,000)")
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds (default 3)")
    args = parser.parse_args()
    size = args.rows or (10_000 if args.quick else 100_000)
    rounds = max(3, args.rounds)

    with tempfile.TemporaryDirectory(prefix="luodi-bench-") as data_dir:
        setup_django(data_dir)
        from django.core.management import call_command

        from luodi.accounts.models import Role, User

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("seed_demo", scale=0.2, today=date(2026, 6, 1), stdout=io.StringIO())
        by = User.objects.filter(role=Role.STAFF).first()
        path = Path(data_dir) / "roster.xlsx"
        build_roster(path, size)
        print(
            f"data: {size} rows, {path.stat().st_size / 1048576:.1f} MB, built in "
            f"{time.perf_counter() - t0:.1f} s ({unique_roster(path)} repeated ID numbers)",
            flush=True,
        )
        plan = checked_plan(path)
        if plan.problems:
            print(f"the roster has problems: {plan.problems[:5]}", file=sys.stderr)
            raise SystemExit(1)
        sql, names, records = raw_insert(plan)

        def one_round(n):
            a = run_read(path)
            b, queries, _plan = run_import(path, by)
            w = run_write(plan, by)
            r = run_raw(sql, names, records)
            print(
                f"round {n}: A read {a:.2f} s | B import {b:.2f} s ({queries} queries) | "
                f"W write {w:.2f} s | R executemany {r:.2f} s | {_common.load_text()}",
                flush=True,
            )
            return a, b, w, r, queries

        kept, load = _common.measured_rounds(rounds, one_round)
        reads, imports, writes, raws, query_counts = (list(x) for x in zip(*kept, strict=True))
        memory = peak_memory(path, by)
        batch = insert_batch()

    a_med, b_med, w_med, r_med = (statistics.median(x) for x in (reads, imports, writes, raws))
    ratio, write_ratio = b_med / a_med, w_med / r_med
    queries = max(query_counts)
    # Known cadres are looked up 1,000 ID numbers a query; new ones are written 1,000 at a time,
    # each thousand in as many INSERTs as the database's parameter limit needs.
    chunks = -(-size // 1000)
    query_bar = chunks + chunks * -(-1000 // batch) + QUERY_ALLOWANCE
    print(
        f"medians: A read {a_med:.2f} s | B import {b_med:.2f} s (ratio {ratio:.2f}) | "
        f"W write {w_med:.2f} s | R executemany {r_med:.2f} s (write ratio {write_ratio:.2f}) | "
        f"queries {queries} (bar {query_bar}) | peak memory {memory:.0f} MiB | "
        f"{_common.load_text()}",
        flush=True,
    )
    result = {
        "bench": "import",
        "ratio": round(ratio, 3),
        "bar": BAR,
        "pass": ratio <= BAR and write_ratio <= BAR and queries <= query_bar,
        "rows": size,
        "rounds": rounds,
        "baseline_s": round(a_med, 3),
        "candidate_s": round(b_med, 3),
        "write_ratio": round(write_ratio, 3),
        "write_s": round(w_med, 3),
        "executemany_s": round(r_med, 3),
        "queries": queries,
        "query_bar": query_bar,
        "rows_per_insert": batch,
        "peak_memory_mib": round(memory, 1),
        **load,
        "raw": {
            "read": [round(x, 3) for x in reads],
            "import": [round(x, 3) for x in imports],
            "write": [round(x, 3) for x in writes],
            "executemany": [round(x, 3) for x in raws],
        },
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
