"""Tokens issued before expiry and scopes existed keep working for 90 days from now, reading
everything they could read before; their owners then replace them on the API tokens page."""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + dt.timedelta(days=90)
    )
    ApiToken.objects.filter(scopes=[]).update(scopes=["read"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_api_token_expiry_scopes_city_revocation")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
