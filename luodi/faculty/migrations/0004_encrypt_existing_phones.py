"""Encrypt the teachers' phone numbers stored readable before 0003."""

from django.db import migrations

from luodi.lib import crypto


def encrypt(apps, schema_editor):
    Teacher = apps.get_model("faculty", "Teacher")
    crypto.rewrite_columns(
        Teacher,
        ["phone"],
        lambda v: v if crypto.is_token(v) else crypto.encrypt(v),
        using=schema_editor.connection.alias,
    )


def decrypt(apps, schema_editor):
    Teacher = apps.get_model("faculty", "Teacher")
    crypto.rewrite_columns(
        Teacher,
        ["phone"],
        lambda v: crypto.decrypt(v) if crypto.is_token(v) else v,
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [("faculty", "0003_encrypt_personal_numbers")]

    operations = [migrations.RunPython(encrypt, decrypt)]
