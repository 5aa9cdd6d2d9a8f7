"""A real worker: ``manage.py db_worker --batch`` picks up a job queued in the database and
prepares the document, as it does beside gunicorn under ``make run``.

The test's own database is in memory (or a PostgreSQL test database) and invisible to another
process, so the scene runs in subprocesses on an SQLite file of their own."""

import json
import os
import subprocess
import sys
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


def test_the_database_worker_prepares_a_queued_zip(tmp_path):
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
    scene = str(Path(__file__).with_name("worker_scene.py"))
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
