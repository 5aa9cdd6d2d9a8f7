import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from luodi.regions.services import college_start


class Command(BaseCommand):
    help = (
        "Set up a fresh Luodi for a college: its name, its province's cities and districts "
        "(GB/T 2260) and its first administrator. Run once, after migrate, on an empty "
        "database. The password is asked for, or read from LUODI_ADMIN_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="e.g. 吉林省社区干部学院")
        parser.add_argument("--province", required=True, help="two digits, e.g. 22 (Jilin)")
        parser.add_argument("--admin", required=True, help="the first administrator's username")

    def handle(self, *args, name, province, admin, **options):
        password = os.environ.get("LUODI_ADMIN_PASSWORD") or self._ask()
        try:
            loaded = college_start(
                name=name, province=province.strip(), username=admin, password=password
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"{name} is set up: {loaded.province}, {loaded.cities} cities and "
            f"{loaded.districts} districts; administrator {admin}.\n"
            "Next: log in, then import the communities and the cadre roster (/imports/)."
        )

    def _ask(self) -> str:
        first = getpass.getpass("Administrator's password: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("The two passwords differ.")
        return first
