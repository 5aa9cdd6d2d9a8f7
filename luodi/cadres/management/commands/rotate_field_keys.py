from django.core.management.base import BaseCommand

from luodi.cadres.keys import rotate_field_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every ID and phone number with the first key of LUODI_FIELD_KEYS. "
        "Put the new key first (keeping the old ones after it), run this, then drop the old keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        for model, rows in rotate_field_keys(batch_size=batch_size).items():
            self.stdout.write(f"{model}: {rows} rows re-encrypted")
