"""Recompute the pinyin of names whose surname is read differently from the character (曾 is
"zeng", not "ceng"): their sort keys and initials change; other rows are left alone."""

from django.db import migrations

from luodi.lib import pinyin


def _surname_names(model, with_initials: bool):
    rows = model.objects.none()
    for surname in pinyin.SURNAMES:
        rows = rows | model.objects.filter(name__startswith=surname)
    fields = ["id", "name", "name_pinyin"] + (["name_initials"] if with_initials else [])
    changed = []
    for row in rows.only(*fields).iterator(chunk_size=1000):
        full = pinyin.full(row.name)
        initials = pinyin.initials(row.name) if with_initials else None
        if full != row.name_pinyin or (with_initials and initials != row.name_initials):
            row.name_pinyin = full
            if with_initials:
                row.name_initials = initials
            changed.append(row)
    model.objects.bulk_update(changed, fields[2:], batch_size=1000)


def forwards(apps, schema_editor):
    _surname_names(apps.get_model("cadres", "Cadre"), with_initials=True)
    _surname_names(apps.get_model("faculty", "Teacher"), with_initials=False)


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0004_encrypt_existing_numbers"),
        ("faculty", "0004_encrypt_existing_phones"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
