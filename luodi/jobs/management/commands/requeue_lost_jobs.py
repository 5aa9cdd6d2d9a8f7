from datetime import timedelta

from django.core.management.base import BaseCommand

from luodi.jobs.services import LOST_AFTER, jobs_requeue_lost


class Command(BaseCommand):
    help = (
        "Give running document jobs whose worker stopped (not heard from for --minutes) to a "
        "worker again; run every few minutes beside the workers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=float,
            default=LOST_AFTER.total_seconds() / 60,
            help="silence after which a running job is taken as lost (default %(default)g)",
        )

    def handle(self, *args, minutes, verbosity, **options):
        count = jobs_requeue_lost(older_than=timedelta(minutes=minutes))
        if verbosity:
            self.stdout.write(f"{count} lost document job(s) queued again.")
