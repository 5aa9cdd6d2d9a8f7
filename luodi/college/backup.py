"""Backups of a Luodi instance (its database and uploaded files) and their restore.

One backup is one ``luodi-backup-YYYYmmdd-HHMMSS.tar.gz`` holding:

- ``database/luodi.sqlite3`` (a copy made through SQLite's online backup API, consistent while
  the site runs) or ``database/luodi.pgdump`` (``pg_dump --format=custom``);
- ``media/…``: every uploaded file (courseware, the seal, prepared documents), from MEDIA_ROOT
  or, with ``LUODI_S3_BUCKET``, from the object store (read and restored through the storage);
- ``manifest.json``, written last: Luodi's version, the applied migrations, the database vendor,
  the row count of every table and the SHA-256 of every other member.

The row counts and the database copy come from the same snapshot: SQLite's backup copies in one
step, and on PostgreSQL the counts are read in a repeatable-read transaction whose snapshot
``pg_dump --snapshot`` shares. An archive is written under a temporary name and renamed when it
is complete, so a failure never leaves a partial file nor touches an earlier backup.

A restore goes into an empty instance only (see ``EMPTY_INSTANCE_TABLES``) and checks every
checksum before it changes anything.
"""

import contextlib
import glob
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404 # pg_dump/pg_restore run with fixed argument lists, no shell
import tarfile
import tempfile
import tomllib
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from luodi.lib import audit

FORMAT = 1
PREFIX = "luodi-backup-"
SUFFIX = ".tar.gz"
MANIFEST = "manifest.json"
MEDIA = "media/"
DATABASE_MEMBER = {"sqlite": "database/luodi.sqlite3", "postgresql": "database/luodi.pgdump"}
# Rows that ``migrate`` itself writes: an instance holding rows in no other table is empty.
# A table that records refused restores (the audit log) belongs here too, or a refused attempt
# would make the instance "not empty" for the next one. The honorarium rates are seeded by a
# data migration (faculty 0006); a restore replaces them with the backup's. The shared cache
# (``settings.CACHES["shared"]``) holds nothing but what can be made again: ``migrate`` writes the
# figures' data version into it.
EMPTY_INSTANCE_TABLES = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "faculty_honorariumrate",
        "luodi_shared_cache",
    }
)
_CHUNK = 1 << 20
# luodi-backup-<local time>[-n].tar.gz; -n when several are made within one second
_NAME = re.compile(r"luodi-backup-(\d{8}-\d{6})(?:-(\d+))?\.tar\.gz")


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass
class Backup:
    path: Path
    manifest: dict[str, Any]
    pruned: list[Path] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.manifest["tables"].values())


@dataclass
class Restore:
    manifest: dict[str, Any]
    counts: dict[str, int]
    # table: (rows in the manifest, rows after the restore), for tables that differ
    mismatches: dict[str, tuple[int, int | None]]
    # migrations this code has that the backup's database had not applied
    pending_migrations: list[str]
    media_files: int


def default_directory() -> Path:
    return Path(settings.LUODI_BACKUP_DIR)


def backup_create(
    *,
    by: Any = None,
    to: Path | None = None,
    keep: int | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> Backup:
    """Write one backup archive into ``to`` (default LUODI_BACKUP_DIR) and, with ``keep``,
    delete all but the newest ``keep`` backups there."""
    directory = Path(to) if to is not None else default_directory()
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %s.") % vendor)
    if connection.in_atomic_block:
        raise BackupError(_("A backup cannot run inside a database transaction."))
    partial = None
    try:
        _private_directory(directory)
        fd, partial = tempfile.mkstemp(prefix=f".{PREFIX}", suffix=".partial", dir=directory)
        with (
            os.fdopen(fd, "wb") as raw,
            tempfile.TemporaryDirectory(prefix=f".{PREFIX}", dir=directory) as work,
        ):
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                snapshot = _snapshot(connection, Path(work))
                member = DATABASE_MEMBER[vendor]
                members = {member: _add_file(tar, member, snapshot.path)}
                if _media_on_disk():
                    members.update(_add_media(tar, Path(settings.MEDIA_ROOT)))
                else:
                    members.update(_add_stored_media(tar, default_storage))
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.localtime().isoformat(timespec="seconds"),
                    "luodi_version": luodi_version(),
                    "database": {"vendor": vendor, "server_version": snapshot.server_version},
                    "migrations": snapshot.migrations,
                    "tables": snapshot.counts,
                    "members": members,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                _add_bytes(tar, MANIFEST, data)
            raw.flush()
            os.fsync(raw.fileno())
        path = _free_name(directory)
        os.replace(partial, path)
        _fsync_directory(directory)
    except Exception as exc:
        audit.record("backup.failed", by=by, outcome="failed", step="backup", reason=_reason(exc))
        raise
    finally:
        if partial:  # left only by a failure: the complete archive was renamed
            Path(partial).unlink(missing_ok=True)
    result = Backup(path=path, manifest=manifest)
    if keep is not None:
        result.pruned = backup_prune(directory=directory, keep=keep)
    audit.record(
        "backup.created",
        by=by,
        file=path.name,
        vendor=vendor,
        tables=len(snapshot.counts),
        rows=result.rows,
        media_files=len(members) - 1,
        bytes=path.stat().st_size,
        pruned=len(result.pruned),
    )
    return result


def backup_prune(*, directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``directory`` (by the time in their name);
    other files are left alone."""
    if keep < 1:
        raise BackupError(_("--keep must be at least 1."))
    backups = []
    for path in directory.iterdir():
        if (match := _NAME.fullmatch(path.name)) and path.is_file():
            backups.append(((match[1], int(match[2] or 1)), path))
    old = [path for _key, path in sorted(backups)[:-keep]]
    for path in old:
        path.unlink()
    return old


def backup_restore(*, archive: Path, by: Any = None, using: str = DEFAULT_DB_ALIAS) -> Restore:
    """Restore ``archive`` into this instance, which must be empty; nothing is changed unless
    every checksum in the manifest holds."""
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    try:
        manifest = _restore(Path(archive), connection, media_root)
    except Exception as exc:
        audit.record("backup.failed", by=by, outcome="failed", step="restore", reason=_reason(exc))
        raise
    # The figures' data version and cache (``lib.data_version``) are restored with the records,
    # from the same snapshot, so they agree: nothing to renew. (With the cache in Redis instead,
    # flush it after a restore: docs/figures.md.)
    counts = table_counts(connection)
    mismatches = {
        table: (expected, counts.get(table))
        for table, expected in manifest["tables"].items()
        if counts.get(table) != expected
    }
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    result = Restore(
        manifest=manifest,
        counts=counts,
        mismatches=mismatches,
        pending_migrations=sorted(f"{app}.{name}" for app, name in on_disk - applied),
        media_files=sum(1 for m in manifest["members"] if m.startswith(MEDIA)),
    )
    audit.record(
        "backup.restored",
        by=by,
        outcome="ok" if not mismatches else "failed",
        file=Path(archive).name,
        backup_created_at=manifest["created_at"],
        rows=sum(counts.get(t, 0) for t in manifest["tables"]),
        media_files=result.media_files,
        mismatched_tables=",".join(sorted(mismatches)),
    )
    return result


def table_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Rows in each table of the live database."""
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if _counted(t)]
        return _count(cursor, tables, connection.ops.quote_name)


def table_fingerprints(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """A SHA-256 of each table's rows, independent of their order: two instances with equal
    fingerprints hold the same data. Reads every row; meant for restore drills and tests."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if not _counted(table):
                continue
            sql = f"SELECT * FROM {connection.ops.quote_name(table)}"  # nosec B608 # quoted name
            cursor.execute(sql)
            digest = hashlib.sha256()
            for line in sorted(repr(tuple(row)) for row in cursor.fetchall()):
                digest.update(line.encode() + b"\n")
            result[table] = digest.hexdigest()
    return result


def luodi_version() -> str:
    with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


# --- Backup ---------------------------------------------------------------------------------


@dataclass
class _Snapshot:
    path: Path
    counts: dict[str, int]
    migrations: dict[str, list[str]]
    server_version: str = ""


def _snapshot(connection: BaseDatabaseWrapper, work: Path) -> _Snapshot:
    if connection.vendor == "sqlite":
        return _snapshot_sqlite(connection, work / "luodi.sqlite3")
    return _snapshot_postgresql(connection, work / "luodi.pgdump")


def _snapshot_sqlite(connection: BaseDatabaseWrapper, path: Path) -> _Snapshot:
    connection.ensure_connection()
    # The online backup API copies the live database (WAL included) in one step, under a read
    # lock, so the copy is one consistent state while the site keeps running.
    with contextlib.closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
        # A single self-contained file, without the -wal and -shm companions.
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        tables = [
            name
            for (name,) in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if _counted(name)
        ]
        counts = _count(cursor, tables, _quote)
        migrations = _migrations(cursor) if "django_migrations" in counts else {}
    return _Snapshot(
        path=path, counts=counts, migrations=migrations, server_version=sqlite3.sqlite_version
    )


def _snapshot_postgresql(connection: BaseDatabaseWrapper, path: Path) -> _Snapshot:
    pg_dump = _pg_tool(connection, "pg_dump")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # pg_dump reads the snapshot this transaction sees, so the counts describe the dump.
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot_id, server_version = cursor.fetchone()
        tables = [t for t in connection.introspection.table_names(cursor) if _counted(t)]
        counts = _count(cursor, tables, connection.ops.quote_name)
        migrations = _migrations(cursor) if "django_migrations" in counts else {}
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot_id}",
                "-f",
                str(path),
            ],
            connection,
        )
    return _Snapshot(path=path, counts=counts, migrations=migrations, server_version=server_version)


def _add_media(tar: tarfile.TarFile, media_root: Path) -> dict[str, dict[str, Any]]:
    members: dict[str, dict[str, Any]] = {}
    if not media_root.is_dir():
        return members
    for path in sorted(media_root.rglob("*")):
        # Symbolic links and special files are not uploads; they are left out.
        if path.is_file() and not path.is_symlink():
            name = MEDIA + path.relative_to(media_root).as_posix()
            members[name] = _add_file(tar, name, path)
    return members


def _media_on_disk() -> bool:
    """Uploaded files under MEDIA_ROOT (the default), not in an object store."""
    return isinstance(default_storage, FileSystemStorage)


def _stored_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file name in a storage, folders walked."""
    folders, files = storage.listdir(folder)
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for sub in folders:
        names += _stored_names(storage, prefix + sub)
    return sorted(names)


def _add_stored_media(tar: tarfile.TarFile, storage: Storage) -> dict[str, dict[str, Any]]:
    members: dict[str, dict[str, Any]] = {}
    for name in _stored_names(storage):
        member = MEDIA + name
        with storage.open(name, "rb") as f:
            info = _tarinfo(member, storage.size(name), storage.get_modified_time(name).timestamp())
            reader = _HashingReader(f)
            tar.addfile(info, reader)
        members[member] = {"sha256": reader.digest.hexdigest(), "size": info.size}
    return members


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        info = _tarinfo(name, os.fstat(f.fileno()).st_size, path.stat().st_mtime)
        reader = _HashingReader(f)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_tarinfo(name, len(data), timezone.now().timestamp()), io.BytesIO(data))


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    return info


class _HashingReader(io.RawIOBase):
    """Hashes a file as tarfile reads it, so the checksum is of exactly the bytes archived."""

    def __init__(self, f: IO[bytes]) -> None:
        self.f = f
        self.digest = hashlib.sha256()

    def read(self, size: int | None = -1) -> bytes:
        data = self.f.read(-1 if size is None else size)
        self.digest.update(data)
        return data


def _free_name(directory: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path, n = directory / f"{PREFIX}{stamp}{SUFFIX}", 1
    while path.exists():
        n += 1
        path = directory / f"{PREFIX}{stamp}-{n}{SUFFIX}"
    return path


def _private_directory(directory: Path) -> None:
    if not directory.exists():
        directory.mkdir(parents=True, mode=0o700)
    if directory.resolve() == default_directory().resolve():
        directory.chmod(0o700)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- Restore --------------------------------------------------------------------------------


def _restore(archive: Path, connection: BaseDatabaseWrapper, media_root: Path) -> dict[str, Any]:
    if not archive.is_file():
        raise BackupError(_("There is no backup file %s.") % archive)
    with _open_archive(archive) as tar:
        try:
            manifest = _verified_manifest(tar)
        except (tarfile.TarError, EOFError, OSError, zlib.error, ValueError, KeyError) as exc:
            raise _unreadable(archive, exc) from exc
        _check_restorable(manifest, connection, media_root)
        media_root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".luodi-restore-", dir=media_root.parent))
        try:
            for name, meta in manifest["members"].items():
                _extract(tar, name, meta, staging)
            (staging / "media").mkdir(mode=0o700, exist_ok=True)
            vendor = manifest["database"]["vendor"]
            database = staging / DATABASE_MEMBER[vendor]
            # Into an object store, the files go first, and are taken back if the database
            # cannot be restored (on disk, one rename at the end).
            uploaded = [] if _media_on_disk() else _upload_media(staging / "media", default_storage)
            try:
                if vendor == "sqlite":
                    _restore_sqlite(connection, database)
                else:
                    _restore_postgresql(connection, database)
            except BaseException:
                for name in uploaded:
                    default_storage.delete(name)
                raise
            if _media_on_disk():
                _put_media(staging / "media", media_root)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _open_archive(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, "r:gz")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise _unreadable(archive, exc) from exc


def _unreadable(archive: Path, exc: Exception) -> BackupError:
    return BackupError(
        _("%(file)s is not a readable Luodi backup (%(error)s); nothing was restored.")
        % {"file": archive.name, "error": exc}
    )


def _verified_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    damaged = _("The backup file is damaged or was altered: %s. Nothing was restored.")
    members = tar.getmembers()
    names = [m.name for m in members]
    for m in members:
        path = PurePosixPath(m.name)
        if not m.isreg() or path.is_absolute() or ".." in path.parts or names.count(m.name) > 1:
            raise BackupError(damaged % (_("unexpected member %s") % m.name))
    if MANIFEST not in names:
        raise BackupError(damaged % _("it has no manifest"))
    manifest = json.loads(_read(tar, MANIFEST))
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("This backup has a format this Luodi cannot read; nothing was restored.")
        )
    vendor = manifest.get("database", {}).get("vendor")
    if vendor not in DATABASE_MEMBER or DATABASE_MEMBER[vendor] not in manifest["members"]:
        raise BackupError(damaged % _("it holds no database copy"))
    if any(n != DATABASE_MEMBER[vendor] and not n.startswith(MEDIA) for n in manifest["members"]):
        raise BackupError(damaged % _("it holds files Luodi does not write"))
    listed = set(manifest["members"])
    if listed != set(names) - {MANIFEST}:
        odd = sorted(listed ^ (set(names) - {MANIFEST}))
        raise BackupError(
            damaged % (_("members missing or not in the manifest: %s") % ", ".join(odd))
        )
    for name, meta in manifest["members"].items():
        digest = hashlib.sha256()
        f = _member(tar, name)
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != meta["sha256"]:
            raise BackupError(damaged % (_("the checksum of %s does not match") % name))
    return manifest


def _check_restorable(
    manifest: dict[str, Any], connection: BaseDatabaseWrapper, media_root: Path
) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _(
                "This is a %(backup)s backup; this instance uses %(here)s. Configure a %(backup)s "
                "database (DATABASE_URL) to restore it."
            )
            % {"backup": vendor, "here": connection.vendor}
        )
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = applied - set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    if unknown:
        raise BackupError(
            _(
                "This backup was made by a newer Luodi (%(version)s) with database changes "
                "this one does not know (%(names)s). Install that version and restore again."
            )
            % {
                "version": manifest["luodi_version"],
                "names": ", ".join(sorted(f"{a}.{n}" for a, n in unknown)[:5]),
            }
        )
    filled = {
        t: n for t, n in table_counts(connection).items() if n and t not in EMPTY_INSTANCE_TABLES
    }
    if filled:
        raise BackupError(
            _(
                "This instance already holds data (%s); a backup is restored only into an empty "
                "instance. Create a new database, run migrate, and restore into it."
            )
            % ", ".join(f"{t}: {n}" for t, n in sorted(filled.items())[:5])
        )
    if not _media_on_disk():
        if _stored_names(default_storage):
            raise BackupError(
                _(
                    "The object store (LUODI_S3_BUCKET) already holds files; a backup is restored "
                    "only into an empty instance."
                )
            )
    elif media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(
            _(
                "The media directory %s already holds files; a backup is restored only into an "
                "empty instance."
            )
            % media_root
        )


def _extract(tar: tarfile.TarFile, name: str, meta: dict[str, Any], staging: Path) -> None:
    target = staging.joinpath(*PurePosixPath(name).parts)
    if not target.resolve().is_relative_to(staging.resolve()):
        raise BackupError(_("The backup names a file outside its folders: %s.") % name)
    for parent in reversed(target.relative_to(staging).parents[:-1]):
        (staging / parent).mkdir(mode=0o700, exist_ok=True)
    source = _member(tar, name)
    digest = hashlib.sha256()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != meta["sha256"]:
        raise BackupError(_("The checksum of %s changed while it was read.") % name)


def _restore_sqlite(connection: BaseDatabaseWrapper, database: Path) -> None:
    connection.ensure_connection()
    # Through the backup API into the open database: the live WAL files stay coherent, which a
    # copy over the database file would not guarantee.
    with contextlib.closing(sqlite3.connect(database)) as source:
        source.backup(connection.connection)
    connection.close()


def _restore_postgresql(connection: BaseDatabaseWrapper, database: Path) -> None:
    pg_restore = _pg_tool(connection, "pg_restore")
    name = connection.settings_dict["NAME"]
    # Tables the backup does not have (a newer Luodi's, made by ``migrate`` here) are empty, as
    # checked; they go, or ``migrate`` after the restore would find them in its way.
    listing = _run([pg_restore, "--list", str(database)], connection)
    in_backup = set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing, re.MULTILINE))
    extra = [t for t in table_counts(connection) if t not in in_backup]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for table in extra:
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connection.close()  # our own connection must hold no locks on the tables pg_restore drops
    # The whole schema and data of the backup replace the empty tables ``migrate`` made, in one
    # transaction: a failure leaves the instance as it was. Owners and grants are this server's.
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            "--dbname",
            name,
            str(database),
        ],
        connection,
    )


def _upload_media(staged: Path, storage: Storage) -> list[str]:
    """Put the staged files into the storage under their own names; return the names."""
    uploaded: list[str] = []
    try:
        for path in sorted(p for p in staged.rglob("*") if p.is_file()):
            name = path.relative_to(staged).as_posix()
            with path.open("rb") as f:
                saved = storage.save(name, File(f, name=name))
            uploaded.append(saved)
            if saved != name:
                raise BackupError(_("The file %s could not be restored under its name.") % name)
    except BaseException:
        for name in uploaded:
            storage.delete(name)
        raise
    return uploaded


def _put_media(staged: Path, media_root: Path) -> None:
    if media_root.exists():
        # Empty (checked before): only empty folders to clear.
        for folder in sorted(media_root.rglob("*"), reverse=True):
            folder.rmdir()
        media_root.rmdir()
    os.replace(staged, media_root)


# --- Helpers --------------------------------------------------------------------------------


def _counted(table: str) -> bool:
    return not table.startswith("sqlite_")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # nosec B608 # catalogue name, quoted
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _migrations(cursor: Any) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    result: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        result.setdefault(app, []).append(name)
    return result


def _read(tar: tarfile.TarFile, name: str) -> bytes:
    return _member(tar, name).read()


def _member(tar: tarfile.TarFile, name: str) -> IO[bytes]:
    f = tar.extractfile(name)
    if f is None:  # not a regular file: refused when the manifest is checked
        raise BackupError(_("%s in the backup is not a file.") % name)
    return f


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _pg_tool(connection: BaseDatabaseWrapper, name: str) -> str:
    """The client matching the server's major version (an older pg_dump refuses a newer server);
    LUODI_PG_BIN_DIR overrides the search."""
    if settings.LUODI_PG_BIN_DIR:
        return str(Path(settings.LUODI_PG_BIN_DIR) / name)
    major = connection.pg_version // 10000  # type: ignore[attr-defined]
    found = {}
    for path in glob.glob(f"/usr/lib/postgresql/*/bin/{name}"):
        with contextlib.suppress(ValueError):
            found[int(Path(path).parts[-3])] = path
    newer = sorted(v for v in found if v >= major)
    if newer:
        return found[newer[0]]
    if on_path := shutil.which(name):
        return on_path
    raise BackupError(
        _(
            "%(tool)s (PostgreSQL %(major)s client) was not found: install the postgresql-client "
            "package or set LUODI_PG_BIN_DIR."
        )
        % {"tool": name, "major": major}
    )


def _pg_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """Connection parameters as libpq's environment variables, never on the command line
    (where other users of the machine could read the password)."""
    s = connection.settings_dict
    env = dict(os.environ)
    for key, var in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if s.get(key):
            env[var] = str(s[key])
    options = s.get("OPTIONS") or {}
    for key in ["sslmode", "sslrootcert", "sslcert", "sslkey"]:
        if options.get(key):
            env["PG" + key.upper()] = str(options[key])
    return env


def _run(command: list[str], connection: BaseDatabaseWrapper) -> str:
    done = subprocess.run(  # nosec B603 # a fixed argument list without a shell
        command, env=_pg_environment(connection), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(
            _("%(tool)s failed (exit %(code)s): %(error)s")
            % {"tool": tool, "code": done.returncode, "error": done.stderr.strip()[-500:]}
        )
    return done.stdout
