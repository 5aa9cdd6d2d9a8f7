"""A real worker: ``manage.py db_worker --batch`` picks up a job queued in the database and
prepares the document, as it does beside gunicorn under ``make run``.

The test's own database is in memory (or a PostgreSQL test database) and invisible to another
process, so the scene runs in subprocesses on an SQLite file of their own."""

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(env, *args, timeout=120) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _env(tmp_path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "LUODI_")) and k != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="luodi.settings",
        LUODI_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        PYTHONPATH=str(ROOT),
    )
    return env


SCENE = str(Path(__file__).with_name("worker_scene.py"))
WORKER = ("manage.py", "db_worker", "--no-startup-delay", "--no-reload", "-v0")


def test_the_database_worker_prepares_a_queued_zip(tmp_path):
    env = _env(tmp_path)
    scene = SCENE
    queued = json.loads(_run(env, scene, "setup").strip().splitlines()[-1])
    assert queued["status"] == "queued"
    assert queued["certificates"] > 0

    _run(env, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0")

    job = json.loads(_run(env, scene, "report", str(queued["job"])).strip().splitlines()[-1])
    assert job["status"] == "done", job["error"]
    assert job["done"] == job["total"] == queued["certificates"]
    assert job["filename"].endswith("结业证书.zip")
    assert Path(job["path"]).is_relative_to(tmp_path / "media")
    with zipfile.ZipFile(job["path"]) as archive:
        names = archive.namelist()
        assert len(names) == queued["certificates"]
        assert archive.read(names[0]).startswith(b"%PDF")


def _job_status(database: Path, pk: int) -> str:
    with contextlib.closing(sqlite3.connect(database, timeout=10)) as db:
        row = db.execute("SELECT status FROM jobs_job WHERE id = ?", [pk]).fetchone()
    return row[0]


def test_a_job_survives_its_worker_being_killed(tmp_path):
    """One worker is killed (SIGKILL) in the middle of a job; ``requeue_lost_jobs`` (cron)
    gives the job to a second worker, which prepares the whole document."""
    env = _env(tmp_path)
    queued = json.loads(_run(env, SCENE, "setup", "40").strip().splitlines()[-1])
    database = tmp_path / "worker.sqlite3"
    first = subprocess.Popen([sys.executable, *WORKER], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 120
        while _job_status(database, queued["job"]) != "running":
            assert time.monotonic() < deadline, "the first worker never started the job"
            assert first.poll() is None, "the first worker exited"
            time.sleep(0.01)
    finally:
        first.kill()
        first.wait()
    assert _job_status(database, queued["job"]) == "running"  # killed mid-job: left running

    _run(env, "manage.py", "requeue_lost_jobs", "--minutes", "0")
    _run(env, *WORKER, "--batch")

    job = json.loads(_run(env, SCENE, "report", str(queued["job"])).strip().splitlines()[-1])
    assert job["status"] == "done", job["error"]
    assert job["attempts"] == 2
    assert job["done"] == job["total"] == queued["certificates"]
    with zipfile.ZipFile(job["path"]) as archive:
        assert len(archive.namelist()) == queued["certificates"]
