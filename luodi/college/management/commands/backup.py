from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luodi.college.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one archive "
        "(default folder: LUODI_BACKUP_DIR, i.e. <LUODI_DATA_DIR>/backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, help="the folder to write the backup into")
        parser.add_argument(
            "--keep", type=int, help="then delete all but the newest N backups in that folder"
        )

    def handle(self, *args, to, keep, **options):
        try:
            backup = backup_create(to=to, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            members = backup.manifest["members"]
            self.stdout.write(
                f"Backup written to {backup.path}: {len(backup.manifest['tables'])} tables, "
                f"{backup.rows} rows, {len(members) - 1} uploaded file(s)."
            )
            for path in backup.pruned:
                self.stdout.write(f"Deleted the older backup {path.name}.")
