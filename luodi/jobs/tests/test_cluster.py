"""More than one machine, on this one: two app servers and two task workers against one
database, the files in an object store. ``bench/checkin_storm.py`` runs the 8:30 storm across
both servers (each request of a phone to the next server: no sticky sessions), then kills the
worker preparing a certificate zip in the middle of it; the other worker must finish it.

The bench builds its own database (a fresh SQLite file, or a fresh database on the PostgreSQL
server the suite runs on, dropped afterwards): servers and workers in other processes cannot see
the test's own database. What is asserted is correctness, not speed (the suite runs beside it
on the same cores): every phone on its result page, every check-in recorded once, and the whole
document made by the surviving worker. docs/benchmarks.md has the timed runs."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_two_servers_and_two_workers_lose_no_check_in_and_no_job():
    command = [
        sys.executable,
        "bench/checkin_storm.py",
        "--quick",
        "--servers",
        "2",
        "--workers",
        "2",
        "--job-workers",
        "2",
        "--object-store",
    ]
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        command += ["--postgres", database_url]
    run = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])

    assert result["database"] == ("postgresql" if database_url.startswith("postgres") else "sqlite")
    assert result["servers"] == 2
    assert result["errors"] == 0, run.stdout[-2000:]
    assert result["checked_in"] == result["trainees"] == result["attendance_rows"] == 100
    assert result["lost"] == result["missing"] == result["duplicates"] == 0
    assert result["unexpected"] == result["not_attended"] == 0
    # The worker was killed in the middle of the zip; the other made all of it, in the bucket.
    done, total = result["job_killed_while"].removeprefix("running ").split("/")
    assert 0 < int(done) < int(total)
    assert result["job_killed_worker"] != result["job_finished_by"]
    assert result["job_status"] == "done", result["job_error"]
    assert result["job_attempts"] == 2
    assert result["job_certificates"] == result["job_certificates_expected"] == 40
    assert result["job_file_in"] == "object store"
