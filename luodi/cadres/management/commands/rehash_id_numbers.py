from django.core.management.base import BaseCommand

from luodi.cadres.keys import rehash_id_numbers


class Command(BaseCommand):
    help = (
        "Recompute every cadre's ID-number and phone digests with the current "
        "LUODI_ID_DIGEST_KEY (run it after changing that key)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        rows = rehash_id_numbers(batch_size=batch_size)
        self.stdout.write(f"{rows} cadres rehashed")
