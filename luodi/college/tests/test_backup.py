"""Backup and restore: a round trip into a new, empty instance gives back the same rows and files;
a failed backup leaves the earlier one intact; a restore refuses a non-empty instance or a
damaged archive and then changes nothing.

The tests commit their data (``transactional_db``): pg_dump and the restoring process read the
database from other connections. The restore target is a second instance run in a subprocess:
a new SQLite file, or a new PostgreSQL database on the same server (dropped afterwards).
"""

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from luodi.certificates.services import certificate_issue
from luodi.college import backup
from luodi.college.backup import BackupError, backup_create, backup_prune, table_fingerprints
from luodi.lib import audit
from luodi.training.models import Courseware


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def data(transactional_db, college, media, users):
    """The stock college (classes, cadres, enrolments, users), a certificate and courseware."""
    certificate_issue(enrolment=college.finished.enrolments.first(), by=users["admin"])
    Courseware.objects.create(
        session=college.sessions[0],
        course=college.course,
        title="社区治理课件",
        file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides " * 100),
    )
    return college


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _comparable(fingerprints: dict[str, str]) -> dict[str, str]:
    # Backups and restores are themselves audited: an audit table gains rows on each side.
    return {t: v for t, v in fingerprints.items() if "audit" not in t}


@pytest.fixture
def new_instance(transactional_db, tmp_path):
    """Environment for a second Luodi instance with its own data folder and an empty database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LUODI_DATA_DIR"] = str(tmp_path / "restored")
    name = None
    if connection.vendor == "postgresql":
        name = f"luodi_restore_{uuid.uuid4().hex[:12]}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        s = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{quote(s['USER'])}:{quote(s['PASSWORD'] or '')}"
            f"@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
            f"/{name}"
        )
    yield env
    if name:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_round_trips_the_database_and_uploaded_files_into_an_empty_instance(
    data, media, new_instance, tmp_path
):
    before = table_fingerprints(connection)
    files = _files(media)
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "luodi-backup-20250101-020000.tar.gz").write_bytes(b"an older backup")
    out = io.StringIO()
    call_command("backup", to=folder, keep=1, stdout=out)
    (archive,) = folder.iterdir()
    assert f"Backup written to {archive}" in out.getvalue()
    assert "Deleted the older backup luodi-backup-20250101-020000.tar.gz." in out.getvalue()

    # The documented procedure: migrate a new database (an empty instance), then restore.
    script = (
        "import json; from django.core.management import call_command;"
        "from django.db import connection; from luodi.college.backup import table_fingerprints;"
        "call_command('migrate', verbosity=0);"
        # as a newer Luodi's migrate would: a table the backup does not know
        "connection.cursor().execute('CREATE TABLE later_feature (id integer)');"
        f"call_command('restore', {str(archive)!r});"
        "print('FINGERPRINTS=' + json.dumps(table_fingerprints(connection)))"
    )
    restored = _manage(new_instance, "shell", "-c", script)

    assert restored.returncode == 0, restored.stderr
    assert "Every table's row count matches the backup's manifest." in restored.stdout
    after = json.loads(restored.stdout.split("FINGERPRINTS=")[1])
    assert _comparable(after) == _comparable(before)
    assert {"training_enrolment", "certificates_certificate"} <= set(after)
    assert _files(Path(new_instance["LUODI_DATA_DIR"]) / "media") == files
    assert len(files) == 1


def test_the_manifest_lists_counts_and_checksums_and_the_files_are_private(data, tmp_path):
    result = backup_create(to=tmp_path / "backups")

    manifest = result.manifest
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"]["training_enrolment"] == 5
    assert manifest["tables"]["certificates_certificate"] == 1
    assert "0001_initial" in manifest["migrations"]["training"]
    with tarfile.open(result.path) as tar:
        for name, meta in manifest["members"].items():
            content = tar.extractfile(name).read()
            assert hashlib.sha256(content).hexdigest() == meta["sha256"]
        assert sorted(tar.getnames()) == sorted([*manifest["members"], "manifest.json"])
    assert result.path.stat().st_mode & 0o777 == 0o600
    assert result.path.parent.stat().st_mode & 0o777 == 0o700
    assert audit.recent("backup.created")[-1]["details"]["file"] == result.path.name


def test_a_backup_failing_midway_leaves_the_previous_backup_intact(data, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    previous = backup_create(to=folder).path
    content = previous.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_add_media", disk_full)
    with pytest.raises(OSError, match="No space left"):
        backup_create(to=folder)

    assert list(folder.iterdir()) == [previous]
    assert previous.read_bytes() == content
    assert audit.recent("backup.failed")[-1]["outcome"] == "failed"


def test_pruning_keeps_the_newest_backups_and_other_files(tmp_path):
    names = [f"luodi-backup-2025010{i}-020000.tar.gz" for i in (3, 1, 2)]
    # Two made within one second: the second is the newer.
    names.append("luodi-backup-20250103-020000-2.tar.gz")
    for name in [*names, "notes.txt"]:
        (tmp_path / name).write_bytes(b"x")

    deleted = backup_prune(directory=tmp_path, keep=2)

    assert sorted(p.name for p in deleted) == [
        "luodi-backup-20250101-020000.tar.gz",
        "luodi-backup-20250102-020000.tar.gz",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "luodi-backup-20250103-020000-2.tar.gz",
        "luodi-backup-20250103-020000.tar.gz",
        "notes.txt",
    ]
    with pytest.raises(BackupError, match="at least 1"):
        backup_prune(directory=tmp_path, keep=0)


def test_it_refuses_to_restore_into_an_instance_that_holds_data(data, tmp_path):
    archive = backup_create(to=tmp_path / "backups").path
    before = table_fingerprints(connection)

    with pytest.raises(CommandError, match=r"already holds data .*restored only into an empty"):
        call_command("restore", str(archive))

    assert _comparable(table_fingerprints(connection)) == _comparable(before)
    assert audit.recent("backup.failed")[-1]["details"]["step"] == "restore"


def _altered(archive: Path, target: Path, name: str) -> Path:
    """A copy of ``archive`` with one byte of member ``name`` changed, the manifest untouched."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            content = src.extractfile(member).read()
            if member.name == name:
                content = bytes([content[0] ^ 1]) + content[1:]
            dst.addfile(member, io.BytesIO(content))
    return target


def test_it_refuses_a_damaged_backup_and_changes_nothing(data, media, tmp_path):
    result = backup_create(to=tmp_path / "backups")
    (name,) = [n for n in result.manifest["members"] if n.startswith("media/")]
    damaged = _altered(result.path, tmp_path / "damaged.tar.gz", name)
    # An empty instance: no rows but migrate's, no uploaded files.
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    before = table_fingerprints(connection)

    with pytest.raises(
        CommandError, match=re.escape(f"damaged or was altered: the checksum of {name}")
    ):
        call_command("restore", str(damaged))

    after = table_fingerprints(connection)
    # The refusal itself goes on record: the audit log is the one table that changes.
    assert after.pop("audit_auditevent") != before.pop("audit_auditevent")
    assert after == before
    assert not (tmp_path / "empty-media").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".luodi-restore")] == []


def test_it_refuses_a_file_that_is_not_a_backup(db, media, tmp_path):
    bogus = tmp_path / "luodi-backup-bogus.tar.gz"
    bogus.write_bytes(b"not a tar file")

    with pytest.raises(CommandError, match="is not a readable Luodi backup"):
        call_command("restore", str(bogus))


def test_it_refuses_another_vendor_a_newer_luodi_or_uploads_in_place(db, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest = {
        "database": {"vendor": other},
        "luodi_version": "9.0",
        "migrations": {"training": ["0001_initial"]},
    }
    with pytest.raises(BackupError, match=f"This is a {other} backup"):
        backup._check_restorable(manifest, connection, tmp_path / "none")

    manifest["database"]["vendor"] = connection.vendor
    manifest["migrations"]["training"].append("9999_from_the_future")
    with pytest.raises(BackupError, match="newer Luodi"):
        backup._check_restorable(manifest, connection, tmp_path / "none")

    manifest["migrations"]["training"].pop()
    (tmp_path / "media" / "college").mkdir(parents=True)
    (tmp_path / "media" / "college" / "seal.png").write_bytes(b"png")
    with pytest.raises(BackupError, match=r"media directory .* already holds files"):
        backup._check_restorable(manifest, connection, tmp_path / "media")


def test_with_an_object_store_the_files_round_trip_through_the_buckets(
    transactional_db, college, object_store, new_instance, tmp_path
):
    """With ``LUODI_S3_BUCKET`` the backup reads the uploaded files from the bucket, and the
    restore puts them into the new instance's own (empty) bucket under the same names."""
    Courseware.objects.create(
        session=college.sessions[0],
        course=college.course,
        title="社区治理课件",
        file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides " * 100),
    )
    (name,) = object_store.keys()
    folder = tmp_path / "backups"
    result = backup_create(to=folder)
    assert result.manifest["members"][f"media/{name}"]["size"] == 1600
    with tarfile.open(result.path) as tar:
        assert tar.extractfile(f"media/{name}").read() == b"%PDF-1.4 slides " * 100

    restored_bucket = f"{object_store.bucket}-restored"
    object_store.client.create_bucket(Bucket=restored_bucket)
    env = {**new_instance, **object_store.env, "LUODI_S3_BUCKET": restored_bucket}
    script = (
        "from django.core.management import call_command;"
        "call_command('migrate', verbosity=0);"
        f"call_command('restore', {str(result.path)!r})"
    )
    restored = _manage(env, "shell", "-c", script)
    assert restored.returncode == 0, restored.stderr
    assert object_store.keys(restored_bucket) == [name]
    body = object_store.client.get_object(Bucket=restored_bucket, Key=name)["Body"].read()
    assert body == b"%PDF-1.4 slides " * 100
    assert not (Path(new_instance["LUODI_DATA_DIR"]) / "media").exists()

    # An empty database beside a bucket that already holds files: refused, nothing changed.
    emptied = "call_command('flush', interactive=False, verbosity=0);"
    again = _manage(
        env, "shell", "-c", script.replace("call_command('migrate', verbosity=0);", emptied)
    )
    assert again.returncode != 0
    assert "LUODI_S3_BUCKET" in again.stderr  # "The object store (…) already holds files"
    assert object_store.keys(restored_bucket) == [name]
