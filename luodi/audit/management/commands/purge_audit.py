from django.core.management.base import BaseCommand, CommandError

from luodi.audit.services import events_purge, retention_days


class Command(BaseCommand):
    help = (
        "Delete audit events (and model-change history) older than --days days. "
        "The log is kept at least LUODI_AUDIT_RETENTION_DAYS (180 or more) days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="default: the retention")

    def handle(self, *args, days=None, **options):
        days = retention_days() if days is None else days
        try:
            count = events_purge(days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Deleted {count} audit rows older than {days} days.")
