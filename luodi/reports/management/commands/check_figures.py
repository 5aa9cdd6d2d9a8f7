from django.core.management.base import BaseCommand, CommandError

from luodi.reports.figure_check import check


class Command(BaseCommand):
    help = (
        "Recompute the cached figures (dashboard, statistics, API) from the records and report "
        "any difference from what is served. Exits non-zero if there is one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", action="store_true", help="also each year of each city (slower)"
        )

    def handle(self, *args, every, verbosity, **options):
        result = check(every=every)
        for difference in result.differences:
            self.stderr.write(str(difference))
        if result.differences:
            raise CommandError(
                f"{len(result.differences)} of {result.checked} figures differ from the records."
            )
        if verbosity:
            self.stdout.write(f"{result.checked} figures checked: all match the records.")
