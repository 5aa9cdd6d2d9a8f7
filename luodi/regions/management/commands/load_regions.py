from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from luodi.regions import gb2260
from luodi.regions.services import regions_load


class Command(BaseCommand):
    help = (
        "Load a province's cities and districts (GB/T 2260, from the table python-stdnum "
        "ships): manage.py load_regions --province 21 (Liaoning); --list names the provinces. "
        "Run again after an upgrade to bring renamed districts up to date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="two-digit code, e.g. 21 for Liaoning")
        parser.add_argument(
            "--list", action="store_true", dest="show", help="list the provinces and codes"
        )

    def handle(self, *args, province=None, show=False, **options):
        if show:
            for code, name in gb2260.provinces().items():
                self.stdout.write(f"{code}  {name}")
            return
        if not province:
            raise CommandError("Give --province (two digits, e.g. 21), or --list.")
        try:
            loaded = regions_load(province=province.strip())
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"{loaded.province}: {loaded.cities} cities and {loaded.districts} districts; "
            f"{loaded.created} created, {loaded.changed} updated, {loaded.unchanged} unchanged."
        )
