from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from luodi.accounts import tokens
from luodi.accounts.models import ApiScope, User


class Command(BaseCommand):
    help = (
        "Issue an API bearer token for a user (as if they created it on their API tokens "
        "page); the key is printed once and stored hashed."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="api", help="what the token is for")
        parser.add_argument(
            "--scope",
            action="append",
            choices=ApiScope.values,
            help=f"what it may read or change (repeatable; default {ApiScope.READ.value})",
        )
        parser.add_argument("--days", type=int, help="how long it is valid (default 90)")
        parser.add_argument(
            "--write",
            action="store_true",
            help="not read-only: the token may carry write scopes (e.g. enrolments:write)",
        )

    def handle(self, *args, username, name, scope, days, write, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user named {username!r}.") from exc
        try:
            _token, key = tokens.api_token_create(
                by=user,
                name=name,
                scopes=scope or [ApiScope.READ],
                days=days,
                read_only=not write,
            )
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(key)
