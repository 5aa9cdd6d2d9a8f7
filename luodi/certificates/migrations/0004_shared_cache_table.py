"""The database cache table the verification rate limit counts in (``CACHES["shared"]``).

Created by ``migrate`` so that no deployment can forget ``manage.py createcachetable``; the
command skips tables that exist, so running it again (as test database creation does) is
harmless."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_longer_random_serials"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False),
    ]
