from django.core.management.base import BaseCommand

from luodi.jobs.services import jobs_purge


class Command(BaseCommand):
    help = "Delete document jobs kept past LUODI_JOB_FILE_RETENTION_HOURS, and their files."

    def handle(self, *args, **options):
        count = jobs_purge()
        if options["verbosity"]:
            self.stdout.write(f"{count} expired document job(s) deleted.")
