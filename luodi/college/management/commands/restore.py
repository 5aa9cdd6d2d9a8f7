from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luodi.college.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into this instance, which must be empty "
        "(a new database after `manage.py migrate`, and no uploaded files)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the luodi-backup-*.tar.gz file")

    def handle(self, *args, archive, **options):
        try:
            restore = backup_restore(archive=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = restore.manifest
        rows, tables = sum(manifest["tables"].values()), len(manifest["tables"])
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} (Luodi {manifest['luodi_version']}): "
            f"{tables} tables, {rows} rows, {restore.media_files} uploaded file(s)."
        )
        if restore.pending_migrations:
            self.stdout.write(
                f"This Luodi has {len(restore.pending_migrations)} database change(s) the backup "
                "predates: run `manage.py migrate` now."
            )
        if restore.mismatches:
            lines = [
                f"  {table}: {expected} in the backup, {found} now"
                for table, (expected, found) in sorted(restore.mismatches.items())
            ]
            raise CommandError(
                "The restored row counts differ from the backup's manifest:\n" + "\n".join(lines)
            )
        self.stdout.write("Every table's row count matches the backup's manifest.")
