from django.core.management.base import BaseCommand

from luodi.imports.services import import_files_purge


class Command(BaseCommand):
    help = "Delete uploaded import files older than LUODI_JOB_FILE_RETENTION_HOURS."

    def handle(self, *args, **options):
        count = import_files_purge()
        self.stdout.write(f"Deleted the files of {count} imports.")
