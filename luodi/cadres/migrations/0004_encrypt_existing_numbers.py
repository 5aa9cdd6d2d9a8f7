"""Encrypt the ID and phone numbers stored readable before 0003, and recompute both digests
with the current key (the old default digest key was public)."""

from django.conf import settings
from django.db import migrations

from luodi.lib import crypto, personal

BATCH = 1000


def _encrypt(value):
    return value if crypto.is_token(value) else crypto.encrypt(value)


def _decrypt(value):
    return crypto.decrypt(value) if crypto.is_token(value) else value


def encrypt_and_rehash(apps, schema_editor):
    Cadre = apps.get_model("cadres", "Cadre")
    alias = schema_editor.connection.alias
    crypto.rewrite_columns(Cadre, ["id_number", "phone"], _encrypt, batch_size=BATCH, using=alias)
    key = settings.LUODI_ID_DIGEST_KEY
    last = 0
    while True:
        batch = list(Cadre.objects.using(alias).filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        for cadre in batch:
            cadre.id_number_digest = personal.id_number_digest(cadre.id_number, key)
            cadre.phone_digest = personal.phone_digest(cadre.phone, key)
        Cadre.objects.using(alias).bulk_update(batch, ["id_number_digest", "phone_digest"])
        last = batch[-1].pk


def decrypt(apps, schema_editor):
    Cadre = apps.get_model("cadres", "Cadre")
    alias = schema_editor.connection.alias
    crypto.rewrite_columns(Cadre, ["id_number", "phone"], _decrypt, batch_size=BATCH, using=alias)


class Migration(migrations.Migration):
    dependencies = [("cadres", "0003_encrypt_personal_numbers")]

    operations = [migrations.RunPython(encrypt_and_rehash, decrypt)]
