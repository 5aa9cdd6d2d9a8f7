from django.core.management.base import BaseCommand, CommandError

from luodi.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue an API bearer token for a user; the key is printed once and stored hashed."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="api", help="what the token is for")

    def handle(self, *args, username, name, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user named {username!r}.") from exc
        _token, key = ApiToken.issue(user=user, name=name)
        self.stdout.write(key)
